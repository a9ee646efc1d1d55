//! Reading scenario files from disk and turning command-line paths into a sorted list of files.

use super::error::{Problem, ScenarioError, line_col};
use super::raw::RawScenario;
use super::{Scenario, validate};
use std::path::{Path, PathBuf};

/// Files larger than this are refused before parsing: no hand-written scenario is this big.
pub const MAX_SCENARIO_BYTES: u64 = 4 * 1024 * 1024;

/// The path that stands for standard input (`runoff new … | runoff run -`).
const STDIN_PATH: &str = "-";

/// What a scenario read from standard input is called in messages, its default name and its
/// output folder.
const STDIN_NAME: &str = "stdin";

/// A problem with the file as a whole (no key, no position).
fn whole_file_problem(path: &Path, message: String, fix: &str) -> ScenarioError {
    ScenarioError::single(
        path.to_path_buf(),
        Problem {
            key: String::new(),
            at: None,
            message,
            fix: fix.to_string(),
        },
    )
}

/// Read, parse and validate one scenario file, or standard input for `-`.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    if path == Path::new(STDIN_PATH) {
        return load_stdin();
    }
    let fail = |message: String, fix: &str| whole_file_problem(path, message, fix);
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(
            format!("cannot read the file: {e}"),
            "check the path; a scenario is a .toml file",
        )
    })?;
    if meta.is_dir() {
        return Err(fail(
            "is a directory, not a scenario file".to_string(),
            "name a .toml file, or pass the directory to `runoff run` to run all its *.toml files",
        ));
    }
    // A results table given where a scenario goes: say which commands read it.
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        let file = path.display();
        return Err(fail(
            "is a results table (.csv), not a scenario".to_string(),
            &format!(
                "write a scenario from it with `runoff new {file} --race ID`, or from unit results \
                 of both rounds with `runoff fit {file}`"
            ),
        ));
    }
    if meta.len() > MAX_SCENARIO_BYTES {
        return Err(fail(
            format!(
                "is {} bytes; scenario files are at most {} bytes",
                meta.len(),
                MAX_SCENARIO_BYTES
            ),
            "this is not a scenario file; check the path",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        fail(
            format!("cannot read the file: {e}"),
            "check the path and its permissions",
        )
    })?;
    decode_and_parse(bytes, path)
}

/// A scenario piped in on standard input, held to the same size limit as a file.
fn load_stdin() -> Result<Scenario, ScenarioError> {
    use std::io::Read;
    let name = Path::new(STDIN_NAME);
    let fail = |message: String, fix: &str| whole_file_problem(name, message, fix);
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_SCENARIO_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            fail(
                format!("cannot read standard input: {e}"),
                "pipe a scenario in, e.g. `runoff new … | runoff run -`",
            )
        })?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(fail(
            format!(
                "standard input is over {MAX_SCENARIO_BYTES} bytes; scenario files are at most that"
            ),
            "this is not a scenario; check what is piped in",
        ));
    }
    decode_and_parse(bytes, name)
}

/// Check that the bytes are UTF-8 text, then parse and validate them.
fn decode_and_parse(bytes: Vec<u8>, path: &Path) -> Result<Scenario, ScenarioError> {
    let fail = |message: String, fix: &str| whole_file_problem(path, message, fix);
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(fail(
            "is UTF-16 text (as Windows Notepad saves \"Unicode\")".to_string(),
            "save the scenario as UTF-8",
        ));
    }
    let source = String::from_utf8(bytes).map_err(|e| {
        // The line and column of the first byte that is not UTF-8, counted in the valid text before it.
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
        let mut error = fail(
            format!(
                "is not UTF-8 text: byte 0x{:02X} (a character saved in another encoding, such as \
                 Latin-1 or Windows-1252)",
                bytes.get(valid).copied().unwrap_or(0)
            ),
            "save the scenario as UTF-8",
        );
        if let Some(problem) = error.problems.first_mut() {
            problem.at = Some(line_col(before, valid));
        }
        error
    })?;
    parse_str(&source, path)
}

/// Parse and validate scenario text; `path` names it in errors and gives the default name.
pub fn parse_str(source: &str, path: &Path) -> Result<Scenario, ScenarioError> {
    if source.trim().is_empty() {
        return Err(ScenarioError::single(
            path.to_path_buf(),
            Problem {
                key: String::new(),
                at: None,
                message: "the file is empty".to_string(),
                fix: "write `finalists`, `[first_round]` and a `[transfers]` row per candidate (see docs/scenario-format.md)"
                    .to_string(),
            },
        ));
    }
    let raw: RawScenario = toml::from_str(source).map_err(|e| {
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
        ScenarioError::single(
            path.to_path_buf(),
            Problem {
                key,
                at,
                message,
                fix,
            },
        )
    })?;
    validate::validate(raw, source, path)
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

/// Expand command-line paths: a file stays as it is, a directory becomes its `*.toml` files, sorted,
/// leaving out hidden ones (`.name.toml`: editors' lock and backup files) as a shell's `*.toml` would.
/// A path that does not exist is passed through so that loading reports it against that path. A file
/// named twice is kept once.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ScenarioError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| {
                    ScenarioError::single(
                        path.clone(),
                        Problem {
                            key: String::new(),
                            at: None,
                            message: format!("cannot list the directory: {e}"),
                            fix: "check the path and its permissions".to_string(),
                        },
                    )
                })?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect();
            let mut found: Vec<PathBuf> = entries
                .iter()
                .filter(|p| is_scenario_file(p))
                .cloned()
                .collect();
            if found.is_empty() {
                // Folders are not searched below their top: name the ones that hold scenarios.
                let mut below: Vec<String> = entries
                    .iter()
                    .filter(|sub| {
                        sub.is_dir()
                            && std::fs::read_dir(sub)
                                .into_iter()
                                .flatten()
                                .any(|e| e.ok().is_some_and(|e| is_scenario_file(&e.path())))
                    })
                    .map(|sub| format!("`{}`", sub.display()))
                    .collect();
                below.sort();
                let fix = if below.is_empty() {
                    "name a directory of scenarios, such as `scenarios/`".to_string()
                } else {
                    format!(
                        "folders inside it are not searched; name those you mean: {}",
                        below.join(", ")
                    )
                };
                return Err(ScenarioError::single(
                    path.clone(),
                    Problem {
                        key: String::new(),
                        at: None,
                        message: "the directory holds no *.toml scenario files".to_string(),
                        fix,
                    },
                ));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    // A file named twice (`scenarios/` and `scenarios/01-baseline.toml`) runs once.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    Ok(files)
}

/// A file a directory's scenarios are: `*.toml` (any case), not hidden (`.name.toml`: editors'
/// lock and backup files). A link to nowhere counts, so that it is reported, not skipped.
fn is_scenario_file(p: &Path) -> bool {
    let hidden = p
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    let dangling = !p.exists() && p.symlink_metadata().is_ok_and(|m| m.is_symlink());
    !hidden
        && (p.is_file() || dangling)
        && p.extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("toml"))
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
