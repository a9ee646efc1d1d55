//! Exports: pure functions from results to bytes or text, one file per format or per product;
//! nothing here touches the disk (`draws` encodes into a writer the command opens).
//!
//! What belongs here: every table a command prints and every CSV/JSON it writes: `run`'s (table,
//! csv, json, markdown) and those of `check`, `sweep`/`tornado`, `backtest` and `fit`. A new output
//! is a new file here, taking the results it shows and returning what to print or write; the
//! command writes it. Numbers and names are written by `format`.

pub mod backtest;
pub mod check;
mod csv;
pub mod draws;
pub mod fit;
mod json;
pub mod live;
mod markdown;
pub mod sweep;
mod table;

use crate::summary::Summary;

/// What `runoff run` prints to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A block per scenario for reading in a terminal.
    Table,
    /// A JSON array of summaries (the same objects as summary.json).
    Json,
    /// One row per scenario (the same as summary.csv).
    Csv,
    /// One Markdown table of all scenarios, for memos and notebooks.
    Markdown,
}

/// Render `summaries` in `format`.
pub fn render(format: Format, summaries: &[Summary]) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Table => Ok(table::render(summaries).into_bytes()),
        Format::Json => json::render_all(summaries),
        Format::Csv => csv::render(summaries),
        Format::Markdown => Ok(markdown::render(summaries).into_bytes()),
    }
}

/// One scenario's `summary.json`.
pub fn summary_json(summary: &Summary) -> anyhow::Result<Vec<u8>> {
    json::render_one(summary)
}

/// The batch's `summary.csv`.
pub fn summary_csv(summaries: &[Summary]) -> anyhow::Result<Vec<u8>> {
    csv::render(summaries)
}
