//! Reading scenario files from disk and turning command-line paths into a sorted list of files.

use super::error::{Problem, ScenarioError, line_col};
use super::parse_error::parse_problem;
use super::raw::RawScenario;
use super::{Scenario, validate};
use std::path::{Path, PathBuf};

/// Files larger than this are refused before parsing: no hand-written scenario is this big.
pub const MAX_SCENARIO_BYTES: u64 = 4 * 1024 * 1024;

/// The path that stands for standard input (`runoff new … | runoff run -`).
const STDIN_PATH: &str = "-";

/// What a scenario read from standard input is called in messages, its default name and its
/// output folder.
pub(super) const STDIN_NAME: &str = "stdin";

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
    let raw: RawScenario = toml::from_str(source)
        .map_err(|e| ScenarioError::single(path.to_path_buf(), parse_problem(source, &e)))?;
    validate::validate(raw, source, path)
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
