//! Exports: pure functions from summaries to bytes, one file per format; nothing here touches the disk.

mod csv;
mod json;
mod markdown;
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

/// A percentage with one decimal, e.g. `62.3%`.
pub(crate) fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// A whole number with thousands separators, e.g. `-12,345`.
pub(crate) fn votes(x: f64) -> String {
    let rounded = x.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A signed vote count, e.g. `+1,234`.
pub(crate) fn signed_votes(x: f64) -> String {
    if x.round() > 0.0 {
        format!("+{}", votes(x))
    } else {
        votes(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vote_counts_get_thousands_separators() {
        assert_eq!(votes(1234567.4), "1,234,567");
        assert_eq!(votes(-999.6), "-1,000");
        assert_eq!(signed_votes(12.0), "+12");
        assert_eq!(votes(0.0), "0");
    }
}
