//! The ground floor for what goes wrong: the project's error types, and the exit code each one
//! means. Every layer returns these (wrapped in `anyhow` with context at the edges); `main` prints
//! `error: {err:#}` and exits with [`exit_code`].
//!
//! What belongs here: an error a caller branches on (bad input against a runtime failure against
//! an interrupt). A scenario file's problems, with their file, key, line, column and fix, are
//! [`ScenarioError`]; any other bad input or usage is [`BadInput`]; Ctrl-C is [`Interrupted`].
//! Modelled on hyperfine's `src/error.rs`.

use std::fmt;
use std::path::PathBuf;

/// Process exit codes.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// A runtime failure (I/O, an unwritable output folder).
    pub const FAILURE: u8 = 1;
    /// Bad input or usage.
    pub const BAD_INPUT: u8 = 2;
    /// Interrupted by Ctrl-C.
    pub const INTERRUPTED: u8 = 130;
}

/// Bad input or usage other than a scenario file's problems (a results table, a flag): exit code 2.
/// The message names the file, the line or flag, and the fix.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// The run was stopped (Ctrl-C) before all its work was done; nothing partial is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted (Ctrl-C): the work in progress wrote nothing; results written before it stay")]
pub struct Interrupted;

/// One broken rule of a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted TOML path of the offending key, e.g. `transfers."Bradley Byrne".abstain`.
    pub key: String,
    /// 1-based line and column, where the parser gave a position.
    pub at: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

/// Every problem found in one scenario file. Nothing is simulated for such a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    /// The file as the user named it.
    pub file: PathBuf,
    /// At least one problem.
    pub problems: Vec<Problem>,
}

impl ScenarioError {
    /// An error with a single problem.
    pub fn single(file: PathBuf, problem: Problem) -> Self {
        ScenarioError {
            file,
            problems: vec![problem],
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        if self.problems.len() > 1 {
            writeln!(f, "{file}: {} problems", self.problems.len())?;
        }
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if self.problems.len() > 1 {
                write!(f, "  ")?;
            }
            match p.at {
                Some((line, col)) => write!(f, "{file}:{line}:{col}: ")?,
                None => write!(f, "{file}: ")?,
            }
            if p.key.is_empty() {
                write!(f, "{}", p.message)?;
            } else {
                write!(f, "`{}`: {}", p.key, p.message)?;
            }
            if !p.fix.is_empty() {
                write!(f, " (fix: {})", p.fix)?;
            }
        }
        Ok(())
    }
}

/// The exit code for an error: 2 for bad input, 130 for an interrupt (or when `stopped`, since a
/// Ctrl-C may surface as any error of the work it cut short), 1 otherwise.
pub fn exit_code(err: &anyhow::Error, stopped: bool) -> u8 {
    let bad_input = err
        .chain()
        .any(|e| e.is::<ScenarioError>() || e.is::<BadInput>());
    if bad_input {
        exit::BAD_INPUT
    } else if err.chain().any(|e| e.is::<Interrupted>()) || stopped {
        exit::INTERRUPTED
    } else {
        exit::FAILURE
    }
}
