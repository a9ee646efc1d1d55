//! The TOML parser's errors as a reader needs them: the key at the position, and the fix for the
//! mistakes people make (a name without quotes, `:` for `=`, 45%, 0,45, a table written twice).

use super::error::{Problem, line_col};

/// The problem for a parser error in `source`: its position, the key there and a fix.
pub(super) fn parse_problem(source: &str, e: &toml::de::Error) -> Problem {
    let at = e.span().map(|s| line_col(source, s.start));
    let message = e.message().trim().replace('\n', " ");
    let duplicate = message.contains("duplicate key");
    // A table header names the key of a type error (a table where a value belongs) and of a
    // table defined twice.
    let key = e
        .span()
        .map(|s| {
            key_at(
                source,
                s.start,
                duplicate || message.contains("invalid type"),
            )
        })
        .unwrap_or_default();
    let fix = e
        .span()
        .and_then(|s| grouped_number(source, s.start))
        .or_else(|| {
            let s = e.span().filter(|_| duplicate && !key.is_empty())?;
            Some(duplicate_fix(source, s.start, &key))
        })
        .unwrap_or_else(|| parse_fix(&message));
    Problem {
        key,
        at,
        message,
        fix,
    }
}

/// The dotted key of the `key = value` line holding byte `offset`, under the `[table]` header
/// above it (empty when that line is not a plain assignment): the parser's type and duplicate-key
/// errors give only a position, and a reader wants the key too. With `header_is_key` (a type
/// error: a table where a value belongs, or a table defined twice), a `[table]` header line names
/// the key itself.
fn key_at(source: &str, offset: usize, header_is_key: bool) -> String {
    let Some(before) = source.get(..offset) else {
        return String::new();
    };
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = source[start..].lines().next().unwrap_or("");
    if header_name(line).is_some() && !header_is_key {
        return String::new();
    }
    let table = source[..start]
        .lines()
        .rev()
        .find_map(header_name)
        .unwrap_or("");
    defined_key(line, table).unwrap_or_default()
}

/// The fix for `key` defined a second time at byte `offset`, naming the line of the first
/// definition when it is written the same way: the parser gives only the second.
fn duplicate_fix(source: &str, offset: usize, key: &str) -> String {
    let head = source.get(..offset).unwrap_or(source);
    let before = &head[..head.rfind('\n').map_or(0, |i| i + 1)];
    let mut table = "";
    let first = before.lines().position(|line| {
        table = header_name(line).unwrap_or(table);
        defined_key(line, table).is_some_and(|k| k == key)
    });
    let at = first.map_or(String::new(), |i| {
        format!("; the first is on line {}", i + 1)
    });
    let line = source[before.len()..].lines().next().unwrap_or("");
    if header_name(line).is_some() {
        format!("write the [{key}] table once, with all its keys under one header{at}")
    } else {
        format!("keep only one of the two definitions{at}")
    }
}

/// The dotted key a line defines, as written: a `[table]` header's name, or `table.key` for a
/// `key = value` line under `table`; `None` for any other line.
fn defined_key(line: &str, table: &str) -> Option<String> {
    if let Some(header) = header_name(line) {
        return Some(header.to_string());
    }
    let key = line.split_once('=')?.0.trim();
    if key.is_empty() || key.starts_with(['[', '#']) {
        None
    } else if table.is_empty() {
        Some(key.to_string())
    } else {
        Some(format!("{table}.{key}"))
    }
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
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = source[start..].lines().next()?;
    let (_, value) = line.split_once('=')?;
    let value = value.split('#').next()?.trim();
    let number = crate::results::parse_number(value)?;
    Some(format!(
        "write {} without commas (TOML may group digits with underscores: {})",
        crate::scenario::readable(number),
        value.replace(',', "_")
    ))
}

/// A number written in quotes for a number key (`"239,604"`): the fix names it unquoted.
fn quoted_number(message: &str) -> Option<String> {
    let quoted = message
        .strip_prefix("invalid type: string \"")?
        .split_once("\", expected f64")?
        .0;
    let number = crate::results::parse_number(quoted)?;
    let commas = if quoted.contains(',') {
        " or commas"
    } else {
        ""
    };
    Some(format!(
        "write {} without quotes{commas}",
        crate::scenario::readable(number)
    ))
}

/// The whole number a fraction written for a whole-number key stands for (`1000000.0` → 1000000).
fn whole_float(message: &str) -> Option<i64> {
    if !(message.contains("invalid type: floating point") && message.contains("expected i64")) {
        return None;
    }
    let value: f64 = message.split('`').nth(1)?.parse().ok()?;
    (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
}

/// A hint for the common TOML parser and type errors.
fn parse_fix(message: &str) -> String {
    if message.contains("unknown field") {
        // serde names the key and those it expected, each in backquotes: `sed`, `draws`, `seed`.
        let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        let generic = "remove or rename the key; see docs/scenario-format.md for the keys a scenario may have";
        match quoted.split_first() {
            Some((written, known)) if !known.is_empty() => {
                super::suggestion(written, known, generic)
            }
            _ => generic.to_string(),
        }
    } else if message.contains("duplicate key") {
        "keep only one of the two definitions".to_string()
    } else if message.contains("as i128") || message.contains("invalid value: integer") {
        // TOML integers are 64-bit signed; serde reports a larger literal as a type or value error.
        "the number is larger than a TOML whole number may be (at most 9223372036854775807): write a smaller one"
            .to_string()
    } else if message.contains("invalid type: map") {
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
    } else if message.contains("invalid type") {
        const BY_TYPE: [(&str, &str); 6] = [
            (
                "expected i64",
                "write a whole number, without quotes or a decimal point",
            ),
            ("expected f64", "write a number, without quotes"),
            (
                "expected a map",
                "write a table: a [header] with its keys below it (not [[header]] or a list)",
            ),
            ("expected a string", "write the name in double quotes"),
            ("expected a boolean", "write true or false, without quotes"),
            (
                "expected a sequence",
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
    use super::{duplicate_fix, key_at};

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
            duplicate_fix(source, second, "first_round"),
            "write the [first_round] table once, with all its keys under one header; \
             the first is on line 2"
        );
        // The same key under another table is not the first definition.
        let again = source.rfind("A = 3").unwrap();
        assert_eq!(
            duplicate_fix(source, again, "first_round.A"),
            "keep only one of the two definitions; the first is on line 3"
        );
        // Written another way ("A" quoted, or in an inline table): no line to name.
        assert_eq!(
            duplicate_fix(source, again, "first_round.\"A\""),
            "keep only one of the two definitions"
        );
    }
}
