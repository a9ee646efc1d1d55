//! The TOML parser's errors as a reader needs them: the key at the position, and the fix for the
//! mistakes people make (a name without quotes, `:` for `=`, 45%, 0,45, a table written twice).

use super::error::{Problem, is_bare, key_segment, line_col, misplaced_fix, setting_home};
use super::validate::NamedTable;

/// The toml crate's (and serde's) wording that the fixes below read from its messages. The crate
/// gives a span but no kind of error, so its words are all there is; each is pinned by a test
/// (`every_wording_read_is_what_the_toml_crate_says`) that fails when a new toml version words it
/// otherwise, instead of the fix silently falling back to the generic one.
mod wording {
    /// A key or table defined twice.
    pub const DUPLICATE_KEY: &str = "duplicate key";
    /// A value of another type than the key takes (serde).
    pub const INVALID_TYPE: &str = "invalid type";
    /// A key the table does not take (serde).
    pub const UNKNOWN_FIELD: &str = "unknown field";
    /// A table where one value belongs.
    pub const A_TABLE: &str = "invalid type: map";
    /// A key not followed by `=`.
    pub const EXPECTED_EQUALS: &str = "expected `=`";
    /// Text without quotes.
    pub const UNQUOTED_STRING: &str = "string values must be quoted";
    /// A fraction where a whole number belongs.
    pub const A_FRACTION: &str = "invalid type: floating point";
    /// The key takes a whole number.
    pub const WANTS_WHOLE: &str = "expected i64";
    /// A whole number past 64 bits.
    pub const TOO_LARGE: &str = "as i128";
    /// A whole number out of the key's range.
    pub const TOO_LARGE_VALUE: &str = "invalid value: integer";
    /// The key takes a number.
    pub const WANTS_NUMBER: &str = "expected f64";
    /// The key takes a table.
    pub const WANTS_TABLE: &str = "expected a map";
    /// The key takes text.
    pub const WANTS_TEXT: &str = "expected a string";
    /// The key takes true or false.
    pub const WANTS_BOOLEAN: &str = "expected a boolean";
    /// The key takes a list.
    pub const WANTS_LIST: &str = "expected a sequence";
    /// A number in quotes for a number key (the start of the message).
    pub const QUOTED_NUMBER: &str = "invalid type: string \"";
    /// … and what follows the number.
    pub const QUOTED_NUMBER_END: &str = "\", expected f64";
}

/// The problem for a parser error in `source`: its position, the key there and a fix.
pub(super) fn parse_problem(source: &str, e: &toml::de::Error) -> Problem {
    let at = e.span().map(|s| line_col(source, s.start));
    let message = e.message().trim().replace('\n', " ");
    let duplicate = message.contains(wording::DUPLICATE_KEY);
    // A table header names the key of a type error (a table where a value belongs) and of a
    // table defined twice.
    let offset = e.span().map(|s| s.start);
    let key = offset
        .map(|o| {
            key_at(
                source,
                o,
                duplicate || message.contains(wording::INVALID_TYPE),
            )
        })
        .unwrap_or_default();
    let fix = offset
        .and_then(|o| {
            syntax_fix(source, o, &message)
                .or_else(|| grouped_number(source, o))
                .or_else(|| {
                    if duplicate && !key.is_empty() {
                        duplicate_fix(source, o, &key)
                    } else {
                        None
                    }
                })
        })
        .or_else(|| misplaced(&key, &message))
        .or_else(|| unknown_named_key(source, &key, &message))
        .or_else(|| polls_as_one_table(&key, &message))
        .or_else(|| quoted_percentage(&key, &message))
        .unwrap_or_else(|| parse_fix(&message));
    Problem {
        key,
        at,
        message,
        fix,
    }
}

/// A setting written under another table's header, which the parser reports as a field the
/// table does not have (`draws` in [report]) or as a value of the wrong type (`distribution =
/// "student_t"` in a transfer row): the fix says where it belongs.
fn misplaced(key: &str, message: &str) -> Option<String> {
    if !(message.contains(wording::UNKNOWN_FIELD) || message.contains(wording::INVALID_TYPE)) {
        return None;
    }
    let (table, setting) = key.rsplit_once('.').unwrap_or(("", key));
    setting_home(table, setting).map(|home| misplaced_fix(setting, home))
}

/// A percentage in quotes (`"45%"`) where a number belongs: a share is a fraction (write 0.45); a
/// first round or a result may be percentages, written as numbers.
fn quoted_percentage(key: &str, message: &str) -> Option<String> {
    let quoted = quoted_in(message)?;
    let percent: f64 = quoted.trim().strip_suffix('%')?.trim().parse().ok()?;
    let written = crate::format::readable(percent);
    Some(
        if key.starts_with("first_round.") || key.starts_with("actual.") {
            format!("write {written} without quotes or a % sign")
        } else {
            format!(
                "a share is a fraction, not a percentage: write {} for {written}%, without quotes",
                crate::format::fraction_of(percent)
            )
        },
    )
}

/// `[polls]` written with one bracket: TOML reads one table where a list of polls belongs.
fn polls_as_one_table(key: &str, message: &str) -> Option<String> {
    (key == "polls" && message.contains(wording::A_TABLE)).then(|| {
        "write each poll as its own [[polls]] table, with two brackets: one bracket makes a \
         single table"
            .to_string()
    })
}

/// A value of the wrong type under a key that a table of named numbers (a transfer row,
/// `[new_voters]`, `[actual]`) does not take (`note = "lean"`): the key is what to change, so the
/// fix names the keys the table takes, as validation does for a number under that key. Only for a
/// key written bare; a quoted one is a name, told how to write its value.
fn unknown_named_key(source: &str, key: &str, message: &str) -> Option<String> {
    let (table, written) = key.rsplit_once('.')?;
    let kind = NamedTable::named(table)?;
    // A table under such a key keeps its own fix (a value, not a table, belongs there).
    let value = message.contains(wording::INVALID_TYPE) && !message.contains(wording::A_TABLE);
    if !value || !is_bare(written) {
        return None;
    }
    // A type error comes after the syntax is read, so the file parses as a plain table.
    let file: toml::Table = source.parse().ok()?;
    let finalists: Vec<&str> = file
        .get("finalists")?
        .as_array()?
        .iter()
        .filter_map(toml::Value::as_str)
        .collect();
    let finalists: [&str; 2] = finalists.try_into().ok()?;
    let known = kind.keys(finalists);
    if known.contains(&written) {
        return None;
    }
    Some(format!(
        "`{written}` is not {}: {}",
        kind.not(),
        crate::format::suggestion(written, &known, &kind.otherwise(finalists))
    ))
}

/// The dotted key of the `key = value` line holding byte `offset`, under the `[table]` header
/// above it (empty when that line is not a plain assignment): the parser's type and duplicate-key
/// errors give only a position, and a reader wants the key too. With `header_is_key` (a type
/// error: a table where a value belongs, or a table defined twice), a `[table]` header line names
/// the key itself.
fn key_at(source: &str, offset: usize, header_is_key: bool) -> String {
    let Some((start, line)) = line_at(source, offset) else {
        return String::new();
    };
    if header_name(line).is_some() && !header_is_key {
        return String::new();
    }
    defined_key(line, table_above(source, start)).unwrap_or_default()
}

/// The line holding byte `offset`: where it starts, and its text without the line break; `None`
/// for an offset outside `source` or inside a character.
fn line_at(source: &str, offset: usize) -> Option<(usize, &str)> {
    let start = source.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    Some((start, source[start..].lines().next().unwrap_or("")))
}

/// The name of the `[table]` whose header stands above byte `start` (empty at the top level).
fn table_above(source: &str, start: usize) -> &str {
    source[..start]
        .lines()
        .rev()
        .find_map(header_name)
        .unwrap_or("")
}

/// The fix for `key` defined a second time at byte `offset`, naming the line of the first
/// definition when it is written the same way: the parser gives only the second.
fn duplicate_fix(source: &str, offset: usize, key: &str) -> Option<String> {
    let (start, line) = line_at(source, offset)?;
    let mut table = "";
    let first = source[..start].lines().position(|line| {
        table = header_name(line).unwrap_or(table);
        defined_key(line, table).is_some_and(|k| k == key)
    });
    let at = first.map_or(String::new(), |i| {
        format!("; the first is on line {}", i + 1)
    });
    Some(if header_name(line).is_some() {
        format!("write the [{key}] table once, with all its keys under one header{at}")
    } else {
        format!("keep only one of the two definitions{at}")
    })
}

/// The fix for the syntax mistakes people make most, from the line the parser stopped on at byte
/// `offset`: a name without quotes (as a key, a value or in a `[header]`), `key: value`, a share
/// written 45%, a decimal comma, `.45` or `45.`, `True`. `None` for any other mistake.
fn syntax_fix(source: &str, offset: usize, message: &str) -> Option<String> {
    let (start, line) = line_at(source, offset)?;
    let code = uncommented(line);
    let col = offset - start;
    // What stands at the position: up to the end of the value, or of a list's item.
    let token = source[offset..]
        .split(['\n', '\r', ',', ']', '}', '#'])
        .next()
        .unwrap_or("")
        .trim();

    if let Some(inner) = code.trim().strip_prefix('[') {
        let inner = inner
            .trim_start_matches('[')
            .trim_end()
            .trim_end_matches(']');
        let segments: Vec<&str> = inner.split('.').map(str::trim).collect();
        // Only names that need quotes: an empty segment (`[]`, `[transfers.]`) is another mistake.
        if inner.contains(['"', '\''])
            || segments.iter().all(|s| is_bare(s))
            || segments.iter().any(|s| s.is_empty())
        {
            return None;
        }
        let brackets = if code.trim().starts_with("[[") { 2 } else { 1 };
        let quoted: Vec<String> = segments.iter().map(|s| key_segment(s)).collect();
        return Some(format!(
            "write a name with spaces or accents in double quotes: {}{}{}",
            "[".repeat(brackets),
            quoted.join("."),
            "]".repeat(brackets)
        ));
    }
    let Some((lhs, rhs)) = code.split_once('=') else {
        // `Ann: 100`, as YAML or JSON write it.
        let (key, value) = code.split_once(':')?;
        let (key, value) = (key.trim(), value.trim());
        return (!key.is_empty()
            && !value.is_empty()
            && message.contains(wording::EXPECTED_EQUALS))
        .then(|| {
            format!(
                "write {} = {value}: TOML sets a key with `=`, not `:`",
                as_key(key)
            )
        });
    };
    let value = rhs.trim();
    if col < lhs.len() {
        // A key with a space, an accent or an apostrophe: TOML takes only A–Z, 0–9, - and _ bare.
        let (written, key) = (lhs.trim(), as_key(lhs.trim()));
        return (!written.is_empty() && key != written)
            .then(|| format!("write the name in double quotes: {key} = {value}"));
    }
    let key = defined_key(code, table_above(source, start)).unwrap_or_default();
    value_fix(value, token, &key, message)
}

/// [`syntax_fix`] for a mistake in the value of `key` (`value`, as written after `=`; `token`,
/// the part from where the parser stopped).
fn value_fix(value: &str, token: &str, key: &str, message: &str) -> Option<String> {
    let unquoted = message.contains(wording::UNQUOTED_STRING);
    match key {
        // The keys that take text: only quotes can be missing.
        "name" | "description" | "swing.distribution" => {
            return (unquoted && !token.is_empty())
                .then(|| format!("write the text in double quotes: {}", quoted_text(token)));
        }
        "finalists" => {
            let items: Vec<&str> = value
                .strip_prefix('[')?
                .strip_suffix(']')?
                .split(',')
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .collect();
            return (unquoted && !items.iter().any(|i| i.contains(['"', '\'']))).then(|| {
                let quoted: Vec<String> = items.iter().map(|i| quoted_text(i)).collect();
                format!("write the names in double quotes: [{}]", quoted.join(", "))
            });
        }
        "simulation.voter_noise" => {
            let lower = token.to_lowercase();
            return (["true", "false"].contains(&lower.as_str()) && token != lower)
                .then(|| format!("write {lower} in lower case"));
        }
        _ => {}
    }
    // Every other key takes a number.
    if let Some(number) = decimal_comma(value) {
        return Some(format!(
            "write {number}: TOML writes a decimal point, not a comma"
        ));
    }
    // `1 234 567`, `1'234'567`, `1.234.567`, as French, Swiss and German styles group digits.
    if let Some((digits, separator)) = crate::format::digit_groups(value) {
        return Some(format!(
            "write {digits} without {} (TOML may group digits with underscores: {})",
            separators(separator),
            value.replace(separator, "_")
        ));
    }
    if let Some(percent) = value.strip_suffix('%').map(str::trim_end) {
        if key.starts_with("first_round.") || key.starts_with("actual.") {
            // Counts may be written as percentages: only the sign is wrong.
            return percent
                .parse::<f64>()
                .is_ok()
                .then(|| format!("write {percent} without the % sign"));
        }
        return hundredth(percent).map(|fraction| {
            format!(
                "write {fraction} for {percent}%: TOML has no % sign, and the key takes a fraction"
            )
        });
    }
    let (sign, unsigned) = value.split_at(usize::from(value.starts_with(['+', '-'])));
    if let Some(fraction) = unsigned.strip_prefix('.').filter(|f| all_digits(f)) {
        return Some(format!(
            "write {sign}0.{fraction}: TOML needs a digit before the point"
        ));
    }
    if let Some(whole) = unsigned.strip_suffix('.').filter(|w| all_digits(w)) {
        return Some(format!(
            "write {sign}{whole} or {sign}{whole}.0: TOML needs a digit after the point"
        ));
    }
    None
}

/// A percentage written in plain digits as the fraction it stands for, by moving the point
/// (`45` → `0.45`, `2.5` → `0.025`), so that no rounding shows (33.3 / 100 is 0.33299999999999996).
fn hundredth(percent: &str) -> Option<String> {
    let (whole, fraction) = percent.split_once('.').unwrap_or((percent, ""));
    if !all_digits(whole) || !(fraction.is_empty() || all_digits(fraction)) {
        return None;
    }
    let all = format!("{:0>3}{fraction}", whole.trim_start_matches('0'));
    let (int, frac) = all.split_at(all.len() - fraction.len() - 2);
    let frac = frac.trim_end_matches('0');
    let int = match int.trim_start_matches('0') {
        "" => "0",
        int => int,
    };
    Some(if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    })
}

/// Text as a TOML string: in double quotes, escaped as a key would be.
fn quoted_text(text: &str) -> String {
    match key_segment(text) {
        quoted if quoted.starts_with('"') => quoted,
        bare => format!("\"{bare}\""),
    }
}

/// A line without its `# comment`; a `#` inside quotes is text. A quote opens a string only where
/// one may start (the apostrophe of `O'Neill = 1 # x` does not).
fn uncommented(line: &str) -> &str {
    let mut quote = None;
    let mut before = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '#') => return &line[..i],
            (None, '"' | '\'') if matches!(before, None | Some('=' | '[' | ',' | '{' | '.')) => {
                quote = Some(c);
            }
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        if !c.is_whitespace() {
            before = Some(c);
        }
    }
    line
}

/// The number a value with a decimal comma stands for (`0,45` → 0.45, `1,5` → 1.5), when the comma
/// cannot group thousands (`1,500` is left to [`grouped_number`]).
fn decimal_comma(value: &str) -> Option<String> {
    let (whole, fraction) = value.split_once(',')?;
    let unsigned = whole.trim_start_matches(['+', '-']);
    (all_digits(unsigned) && all_digits(fraction) && (unsigned == "0" || fraction.len() != 3))
        .then(|| format!("{whole}.{fraction}"))
}

/// The dotted key a line defines, as written: a `[table]` header's name, or `table.key` for a
/// `key = value` line under `table`; `None` for any other line. A name written without the quotes
/// it needs (`Ann Lee = 100`) is named as it should be written (`"Ann Lee"`).
fn defined_key(line: &str, table: &str) -> Option<String> {
    if let Some(header) = header_name(line) {
        return Some(header.to_string());
    }
    let written = line.split_once('=')?.0.trim();
    if written.is_empty() || written.starts_with(['[', '#']) {
        return None;
    }
    let key = as_key(written);
    if table.is_empty() {
        Some(key)
    } else {
        Some(format!("{table}.{key}"))
    }
}

/// A key as written, or as it must be written where it lacks the quotes it needs (`Ann Lee` →
/// `"Ann Lee"`); a quoted or dotted key stays as written.
fn as_key(written: &str) -> String {
    if written.starts_with(['"', '\'']) || written.contains('.') {
        written.to_string()
    } else {
        key_segment(written)
    }
}

/// Whether `s` is one or more ASCII digits.
fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The dotted name of a `[table]` or `[[table]]` header line, or `None` for any other line.
fn header_name(line: &str) -> Option<&str> {
    let header = line.trim().strip_prefix('[')?;
    header
        .trim_start_matches('[')
        .split(']')
        .next()
        .map(str::trim)
}

/// The fix for a number written with thousands separators, `votes = 239,604`, which TOML reads
/// as a syntax error at the comma at `offset`.
fn grouped_number(source: &str, offset: usize) -> Option<String> {
    if source.as_bytes().get(offset) != Some(&b',') {
        return None;
    }
    let (_, line) = line_at(source, offset)?;
    let (_, value) = uncommented(line).split_once('=')?;
    let value = value.trim();
    let number = crate::format::parse_number(value)?;
    Some(format!(
        "write {} without commas (TOML may group digits with underscores: {})",
        crate::format::readable(number),
        value.replace(',', "_")
    ))
}

/// The text (as the message escapes it) of a string written where a number belongs.
fn quoted_in(message: &str) -> Option<&str> {
    Some(
        message
            .strip_prefix(wording::QUOTED_NUMBER)?
            .split_once(wording::QUOTED_NUMBER_END)?
            .0,
    )
}

/// A number written in quotes for a number key (`"239,604"`): the fix names it unquoted.
fn quoted_number(message: &str) -> Option<String> {
    let escaped = quoted_in(message)?;
    let quoted = &unescaped(escaped)?;
    if let Some((digits, separator)) = crate::format::digit_groups(quoted) {
        return Some(format!(
            "write {digits} without quotes or {}",
            separators(separator)
        ));
    }
    let number = crate::format::parse_number(quoted)?;
    let commas = if quoted.contains(',') {
        " or commas"
    } else {
        ""
    };
    Some(format!(
        "write {} without quotes{commas}",
        crate::format::readable(number)
    ))
}

/// Text as the parser's message quotes it, with the `\u{a0}` escapes of no-break and other spaces
/// undone; `None` for any other escape, which no number holds.
fn unescaped(escaped: &str) -> Option<String> {
    let mut text = String::new();
    let mut rest = escaped;
    while let Some((before, after)) = rest.split_once('\\') {
        let (hex, after) = after.strip_prefix("u{")?.split_once('}')?;
        text.push_str(before);
        text.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
        rest = after;
    }
    text.push_str(rest);
    Some(text)
}

/// A separator of digit groups ([`crate::format::digit_groups`]) by name, for a fix: `without points`.
fn separators(separator: char) -> &'static str {
    match separator {
        '.' => "points",
        '\'' | '\u{2019}' => "apostrophes",
        _ => "spaces",
    }
}

/// The whole number a fraction written for a whole-number key stands for (`1000000.0` → 1000000).
fn whole_float(message: &str) -> Option<i64> {
    if !(message.contains(wording::A_FRACTION) && message.contains(wording::WANTS_WHOLE)) {
        return None;
    }
    let value: f64 = message.split('`').nth(1)?.parse().ok()?;
    (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
}

/// A hint for the common TOML parser and type errors.
fn parse_fix(message: &str) -> String {
    if message.contains(wording::UNKNOWN_FIELD) {
        // serde names the key and those it expected, each in backquotes: `sed`, `draws`, `seed`.
        let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        let generic = "remove or rename the key; see docs/scenario-format.md for the keys a scenario may have";
        match quoted.split_first() {
            Some((written, known)) if !known.is_empty() => {
                crate::format::suggestion(written, known, generic)
            }
            _ => generic.to_string(),
        }
    } else if message.contains(wording::DUPLICATE_KEY) {
        "keep only one of the two definitions".to_string()
    } else if message.contains(wording::TOO_LARGE) || message.contains(wording::TOO_LARGE_VALUE) {
        // TOML integers are 64-bit signed; serde reports a larger literal as a type or value error.
        "the number is larger than a TOML whole number may be (at most 9223372036854775807): write a smaller one"
            .to_string()
    } else if message.contains(wording::A_TABLE) {
        "this key takes one value, not a table: remove the table (or its [header]) and give the key a single value"
            .to_string()
    } else if let Some(fix) = quoted_number(message) {
        fix
    } else if let Some(whole) = whole_float(message) {
        // `draws = 1e6` or `seed = 2.0`: TOML reads an exponent or a point as a fraction.
        format!(
            "write {whole}; TOML reads 1e6 or 2.0 as a fraction, a whole number as digits alone, \
             which 1_000_000 may group"
        )
    } else if message.contains(wording::INVALID_TYPE) {
        const BY_TYPE: [(&str, &str); 6] = [
            (
                wording::WANTS_WHOLE,
                "write a whole number, without quotes or a decimal point",
            ),
            (wording::WANTS_NUMBER, "write a number, without quotes"),
            (
                wording::WANTS_TABLE,
                "write a table: a [header] with its keys below it (not [[header]] or a list)",
            ),
            (wording::WANTS_TEXT, "write the name in double quotes"),
            (
                wording::WANTS_BOOLEAN,
                "write true or false, without quotes",
            ),
            (
                wording::WANTS_LIST,
                "write a list in brackets, e.g. [\"First Finalist\", \"Second Finalist\"]",
            ),
        ];
        BY_TYPE
            .iter()
            .find(|(expected, _)| message.contains(expected))
            .map_or(
                "write the value with the type the key takes (numbers unquoted, names quoted)",
                |(_, fix)| fix,
            )
            .to_string()
    } else {
        "correct the TOML syntax at this position".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{duplicate_fix, hundredth, key_at, parse_problem};
    use crate::scenario::raw::RawScenario;

    #[test]
    fn every_wording_read_is_what_the_toml_crate_says() {
        use super::wording::*;
        let message = |source: &str| {
            toml::from_str::<RawScenario>(source)
                .unwrap_err()
                .message()
                .to_string()
        };
        let fr = "finalists = [\"A\", \"B\"]\n[first_round]\nA = 1\nB = 1\n";
        let cases = [
            (DUPLICATE_KEY, "name = \"a\"\nname = \"b\"\n".to_string()),
            (INVALID_TYPE, "name = 5\n".to_string()),
            (UNKNOWN_FIELD, format!("{fr}[simulation]\ndraw = 5\n")),
            (A_TABLE, format!("{fr}[simulation.draws]\nx = 1\n")),
            (EXPECTED_EQUALS, "name: \"a\"\n".to_string()),
            (UNQUOTED_STRING, "name = Ann\n".to_string()),
            (A_FRACTION, format!("{fr}[simulation]\ndraws = 1e6\n")),
            (WANTS_WHOLE, format!("{fr}[simulation]\ndraws = 1e6\n")),
            (
                TOO_LARGE,
                format!("{fr}[simulation]\ndraws = 99999999999999999999\n"),
            ),
            (
                TOO_LARGE_VALUE,
                format!("{fr}[simulation]\nseed = 18446744073709551615\n"),
            ),
            (WANTS_NUMBER, format!("{fr}[swing]\nsd = \"x\"\n")),
            (WANTS_TABLE, "first_round = 5\n".to_string()),
            (WANTS_TEXT, "name = 5\n".to_string()),
            (
                WANTS_BOOLEAN,
                format!("{fr}[simulation]\nvoter_noise = \"yes\"\n"),
            ),
            (WANTS_LIST, "finalists = 5\n".to_string()),
            (QUOTED_NUMBER, format!("{fr}[swing]\nsd = \"0.5\"\n")),
            (QUOTED_NUMBER_END, format!("{fr}[swing]\nsd = \"0.5\"\n")),
        ];
        for (wording, source) in cases {
            let said = message(&source);
            assert!(said.contains(wording), "{wording:?} not in {said:?}");
        }
    }

    #[test]
    fn a_parser_position_is_named_by_its_table_and_key() {
        let source =
            "name = 5\n[first_round]\n\"Cy Ono\" = \"500\"\n[simulation] # run\ndraws = 1.5\n";
        let at = |needle: &str| key_at(source, source.find(needle).unwrap(), false);
        assert_eq!(at("5\n"), "name");
        assert_eq!(at("\"500\""), "first_round.\"Cy Ono\"");
        assert_eq!(at("1.5"), "simulation.draws");
        // A header line, or a position past the end, names no key.
        assert_eq!(at("[simulation]"), "");
        assert_eq!(key_at(source, source.len() + 10, true), "");
        // Unless a table stands where a value belongs: then its header is the key.
        assert_eq!(
            key_at(source, source.find("[simulation]").unwrap(), true),
            "simulation"
        );
    }

    #[test]
    fn a_second_definition_is_told_the_line_of_the_first() {
        let source = "finalists = [\"A\", \"B\"]\r\n[first_round]\r\nA = 1\r\n[x]\r\nA = 2\r\n\
                      [first_round]\r\nA = 3\r\n";
        let second = source.rfind("[first_round]").unwrap() + 1;
        assert_eq!(
            duplicate_fix(source, second, "first_round").unwrap(),
            "write the [first_round] table once, with all its keys under one header; \
             the first is on line 2"
        );
        // The same key under another table is not the first definition.
        let again = source.rfind("A = 3").unwrap();
        assert_eq!(
            duplicate_fix(source, again, "first_round.A").unwrap(),
            "keep only one of the two definitions; the first is on line 3"
        );
        // Written another way ("A" quoted, or in an inline table): no line to name.
        assert_eq!(
            duplicate_fix(source, again, "first_round.\"A\"").unwrap(),
            "keep only one of the two definitions"
        );
    }

    #[test]
    fn common_toml_mistakes_are_told_what_to_write() {
        let problem = |body: &str| {
            let source = format!("{body}\n");
            let e = toml::from_str::<RawScenario>(&source).unwrap_err();
            let p = parse_problem(&source, &e);
            format!("{}: {}", p.key, p.fix)
        };
        let cases = [
            (
                "[first_round]\nAnn Lee = 100",
                "first_round.\"Ann Lee\": write the name in double quotes: \"Ann Lee\" = 100",
            ),
            (
                "[first_round]\nO'Neill = 100 # the mayor",
                "first_round.\"O'Neill\": write the name in double quotes: \"O'Neill\" = 100",
            ),
            (
                "[transfers.Ann Lee]\nAnn = 1",
                ": write a name with spaces or accents in double quotes: [transfers.\"Ann Lee\"]",
            ),
            (
                "[first_round]\nAnn: 100",
                ": write Ann = 100: TOML sets a key with `=`, not `:`",
            ),
            (
                "[transfers.Ann]\nBo = 33.3%",
                "transfers.Ann.Bo: write 0.333 for 33.3%: TOML has no % sign, and the key takes a fraction",
            ),
            (
                "[first_round]\nAnn = 45 %",
                "first_round.Ann: write 45 without the % sign",
            ),
            (
                "[first_round]\nAnn = 0,45",
                "first_round.Ann: write 0.45: TOML writes a decimal point, not a comma",
            ),
            (
                "[first_round]\nAnn = 1 234 567",
                "first_round.Ann: write 1234567 without spaces (TOML may group digits with \
                 underscores: 1_234_567)",
            ),
            (
                "[first_round]\nAnn = 1'234'567",
                "first_round.Ann: write 1234567 without apostrophes (TOML may group digits with \
                 underscores: 1_234_567)",
            ),
            (
                "[first_round]\nAnn = 1.234.567 # Stimmen",
                "first_round.Ann: write 1234567 without points (TOML may group digits with \
                 underscores: 1_234_567)",
            ),
            (
                "[first_round]\nAnn = \"1\u{a0}234\"",
                "first_round.Ann: write 1234 without quotes or spaces",
            ),
            (
                "[swing]\nsd = .02",
                "swing.sd: write 0.02: TOML needs a digit before the point",
            ),
            (
                "[swing]\nsd = -2.",
                "swing.sd: write -2 or -2.0: TOML needs a digit after the point",
            ),
            (
                "[simulation]\nvoter_noise = True",
                "simulation.voter_noise: write true in lower case",
            ),
            (
                "[swing]\ndistribution = student-t",
                "swing.distribution: write the text in double quotes: \"student-t\"",
            ),
            (
                "name = Runoff #2",
                "name: write the text in double quotes: \"Runoff\"",
            ),
            (
                "finalists = [Ann, Bo Diaz] # both",
                "finalists: write the names in double quotes: [\"Ann\", \"Bo Diaz\"]",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(problem(body), want, "{body}");
        }
        // A thousands comma keeps its own fix; a mistake with no pattern (digits not grouped by
        // threes among them), and text where a number or a flag belongs, the general one (quotes
        // would not make it right).
        assert!(problem("[first_round]\nAnn = 1,250").contains("write 1250 without commas"));
        for body in [
            "[first_round]\nAnn = 12x",
            "[first_round]\nAnn = 1234 567",
            "[swing]\nsd = two",
            "[first_round]\nAnn = [Bo]",
            "[simulation]\nvoter_noise = yes",
            "[transfers.]\nAnn = 1",
        ] {
            let fix = problem(body);
            assert!(
                fix.ends_with(": correct the TOML syntax at this position"),
                "{body}: {fix}"
            );
        }
    }

    #[test]
    fn text_under_a_key_a_table_does_not_take_is_told_the_keys_it_takes() {
        let fix_in = |table: &str, row: &str| {
            let source = format!(
                "finalists = [\"Ann Lee\", \"Bo\"]\n[first_round]\n\"Ann Lee\" = 5\nBo = 4\nCy = 2\n\
                 [{table}]\n{row}\n"
            );
            let e = toml::from_str::<RawScenario>(&source).unwrap_err();
            parse_problem(&source, &e).fix
        };
        let fix = |row: &str| fix_in("transfers.Cy", row);
        assert_eq!(
            fix("note = \"lean\""),
            "`note` is not a finalist, `abstain` or `certainty`: a row may name only the two \
             finalists, `abstain` and `certainty`"
        );
        assert!(fix("Lee = \"0.4\"").ends_with("did you mean \"Ann Lee\"?"));
        assert!(fix("certanity = \"x\"").ends_with("did you mean \"certainty\"?"));
        // A key the row takes, or a name in quotes, is told how to write its value.
        assert_eq!(
            fix("certainty = \"high\""),
            "write a number, without quotes"
        );
        assert_eq!(fix("Bo = true"), "write a number, without quotes");
        assert_eq!(fix("\"Bo D\" = \"0.4\""), "write 0.4 without quotes");
        // [default_transfer], [new_voters] and [actual] are told what they take.
        assert!(fix_in("default_transfer", "note = \"x\"").ends_with("`abstain` and `certainty`"));
        assert_eq!(
            fix_in("new_voters", "note = \"young\""),
            "`note` is not `share`, `sd`, `certainty` or a finalist: [new_voters] takes `share`, \
             `sd`, `certainty` and the two finalists' split"
        );
        assert!(fix_in("new_voters", "shar = \"0.1\"").ends_with("did you mean \"share\"?"));
        assert_eq!(
            fix_in("actual", "source = \"SOS\""),
            "`source` is not a finalist: write only \"Ann Lee\" and \"Bo\" with their runoff votes"
        );
        assert!(fix_in("actual", "Le = \"9\"").ends_with("did you mean \"Ann Lee\"?"));
        // Keys they take are told how to write the value.
        assert_eq!(
            fix_in("new_voters", "sd = \"0.01\""),
            "write 0.01 without quotes"
        );
        assert_eq!(fix_in("actual", "Bo = \"9\""), "write 9 without quotes");
    }

    #[test]
    fn a_percentage_becomes_a_fraction_by_moving_the_point() {
        for (percent, fraction) in [
            ("45", "0.45"),
            ("2.5", "0.025"),
            ("33.3", "0.333"),
            ("100", "1"),
            ("150", "1.5"),
            ("0.5", "0.005"),
            ("007", "0.07"),
            ("1234.50", "12.345"),
        ] {
            assert_eq!(hundredth(percent).as_deref(), Some(fraction), "{percent}");
        }
        assert_eq!(hundredth(""), None);
        assert_eq!(hundredth("4e1"), None);
        assert_eq!(hundredth("-5"), None);
    }
}
