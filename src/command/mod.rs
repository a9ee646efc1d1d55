//! The subcommands, each turning parsed arguments into work on the library and text on stdout.
//!
//! What belongs here: orchestration only: load the inputs, run the work of a capability's room,
//! hand the results to `export/` and `chart/`, write the files atomically, print. A table, a CSV
//! or a message's wording belongs in `export/` or `format`; the top floor, nothing imports it.

pub mod backtest;
pub mod check;
pub mod fit;
pub mod live;
pub mod run;
pub mod sweep;

use std::io::Write;

pub use crate::error::BadInput;

/// A rayon pool of `threads` workers (all cores when `None`).
pub fn thread_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    use anyhow::Context;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")
}

/// Write to stdout; a closed pipe (`runoff run … | head`) is not an error.
pub fn print_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Say on stderr which keys of a scenario change nothing (`check` lists them with the model).
pub fn say_without_effect(s: &crate::scenario::Scenario) {
    for note in &s.without_effect {
        eprintln!("note: {}: {note}", s.file.display());
    }
}

/// Say on the terminal when `--race` was taken as a race spelt otherwise (in case or spaces).
pub fn note_race_taken(asked: Option<&str>, taken: &str) {
    if let Some(asked) = asked.filter(|a| *a != taken) {
        eprintln!("note: --race `{asked}` taken as `{taken}`");
    }
}

/// Refuse an `--out FILE.toml` that cannot be written before any work is done: a folder (bad
/// input, with the fix), or a path through a file or under a read-only folder (as for any output).
pub fn check_out_file(path: &std::path::Path, example: &str) -> anyhow::Result<()> {
    if path.is_dir() {
        return Err(BadInput(format!(
            "--out {}: that is a folder (fix: give a file name, e.g. {})",
            path.display(),
            path.join(example).display()
        ))
        .into());
    }
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => crate::output::check_output_folder(parent),
        None => Ok(()),
    }
}

/// Write an `--out FILE.toml` whole, creating the folders it names.
pub fn write_out_file(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", parent.display()))?;
    }
    crate::output::write_atomic(path, bytes)
}
