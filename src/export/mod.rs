//! Exports: pure functions from summaries to bytes, one file per format; nothing here touches the disk.

mod csv;
mod json;
mod markdown;
mod table;

use crate::scenario::Scenario;
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

/// Columns `text` takes in a terminal: two for each CJK character, none for combining marks.
pub(crate) fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// Most terminal columns a name takes as a row's label in a table; a longer one is cut with an
/// ellipsis (the files keep it whole).
pub(crate) const NAME_COLS: usize = 40;

/// `text` cut to at most `max` terminal columns, its end replaced by an ellipsis when it is cut.
pub(crate) fn clip(text: &str, max: usize) -> String {
    if display_width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

/// A row label ("Name → finalist", "Name: certainty", or a bare name) in pieces, each marked
/// `true` where it is a name that may be cut and `false` where it is the label's own words.
pub(crate) fn label_parts(label: &str) -> Vec<(&str, bool)> {
    if let Some(i) = label.rfind(" → ") {
        let to = i + " → ".len();
        vec![
            (&label[..i], true),
            (&label[i..to], false),
            (&label[to..], true),
        ]
    } else if let Some(i) = label.rfind(": ") {
        vec![(&label[..i], true), (&label[i..], false)]
    } else {
        vec![(label, true)]
    }
}

/// A row label cut in its names to `NAME_COLS` each (`label_parts`).
pub(crate) fn clip_label(label: &str) -> String {
    label_parts(label)
        .into_iter()
        .map(|(piece, name)| {
            if name {
                clip(piece, NAME_COLS)
            } else {
                piece.to_string()
            }
        })
        .collect()
}

/// Text that pads to a `{:<w$}` or `{:>w$}` width by the columns it takes in a terminal, not by
/// its characters, so tables of CJK names stay aligned.
pub(crate) struct Wide<'a>(pub &'a str);

impl std::fmt::Display for Wide<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pad = f.width().unwrap_or(0).saturating_sub(display_width(self.0));
        let (before, after) = match f.align() {
            Some(std::fmt::Alignment::Right) => (pad, 0),
            Some(std::fmt::Alignment::Center) => (pad / 2, pad - pad / 2),
            _ => (0, pad),
        };
        write!(f, "{}{}{}", " ".repeat(before), self.0, " ".repeat(after))
    }
}

/// Rows of cells as terminal columns: two spaces before each row and between columns, every
/// column as wide as its widest cell, the first left-aligned when `label_first`, the rest right.
pub(crate) fn columns(rows: &[Vec<String>], label_first: bool) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| display_width(cell))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(" ");
        for (c, (cell, &w)) in row.iter().zip(&widths).enumerate() {
            line.push(' ');
            if c == 0 && label_first {
                line.push_str(&format!("{:<w$}", Wide(cell)));
            } else {
                line.push_str(&format!("{:>w$}", Wide(cell)));
            }
            line.push(' ');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Decimals (1 to 3) for a set of probabilities so that none short of certain reads 0.0% or 100.0%.
pub(crate) fn pct_decimals(probabilities: impl Iterator<Item = f64> + Clone) -> usize {
    (1..=3)
        .find(|&d| {
            probabilities.clone().all(|p| {
                let shown: f64 = format!("{:.d$}", 100.0 * p).parse().unwrap_or(p);
                p <= 0.0 || p >= 1.0 || (shown > 0.0 && shown < 100.0)
            })
        })
        .unwrap_or(3)
}

/// `x` to at most `decimals` decimals, without trailing zeros: 100, 12.5, 0.333.
pub(crate) fn trimmed(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    if decimals == 0 {
        text
    } else {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A probability as a percentage with `decimals` decimals, e.g. `62.31%`. One short of certain
/// never reads certain: 0.999996 is `>99.999%`, not `100.000%`, and 0.000004 is `<0.001%`.
pub(crate) fn pct_to(p: f64, decimals: usize) -> String {
    let text = format!("{:.decimals$}", 100.0 * p);
    let shown: f64 = text.parse().unwrap_or(100.0 * p);
    let step = 10f64.powi(-(decimals as i32));
    if p > 0.0 && shown == 0.0 {
        format!("<{step:.decimals$}%")
    } else if p < 1.0 && shown == 100.0 {
        format!(">{:.decimals$}%", 100.0 - step)
    } else {
        text + "%"
    }
}

/// "1 draw", "1,000,000 draws".
pub(crate) fn draws(n: u64) -> String {
    if n == 1 {
        "1 draw".to_string()
    } else {
        format!("{} draws", votes(n as f64))
    }
}

/// A percentage with one decimal, e.g. `62.3%`.
pub(crate) fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// Where a value fell among the draws, from the fraction `p` of draws below it: "percentile 97.8"
/// (the number right-aligned in `width` columns), or "below every draw" / "above every draw".
pub(crate) fn percentile(p: f64, width: usize) -> String {
    match percentile_number(p) {
        Ok(number) => format!("percentile {number:>width$}"),
        Err(end) => end.to_string(),
    }
}

/// The percentile of [`percentile`] alone ("97.8"), or, past every draw, which end it is past.
pub(crate) fn percentile_number(p: f64) -> Result<String, &'static str> {
    if p <= 0.0 {
        Err("below every draw")
    } else if p >= 1.0 {
        Err("above every draw")
    } else {
        // One decimal, never rounded to an end, which would read as every draw.
        Ok(format!("{:.1}", (100.0 * p).clamp(0.1, 99.9)))
    }
}

/// A whole number with thousands separators, e.g. `-12,345`.
pub(crate) fn votes(x: f64) -> String {
    votes_to(x, 0)
}

/// [`votes`] with `decimals` after the point, e.g. `-12,345.6`.
pub(crate) fn votes_to(x: f64, decimals: usize) -> String {
    with_sign(x, &grouped(x, decimals), false)
}

/// [`votes_to`] with its noun: "1 vote" when it reads as 1, else "0.5 votes", "717,642 votes".
pub(crate) fn votes_with_noun(x: f64, decimals: usize) -> String {
    let count = votes_to(x, decimals);
    if count == "1" {
        format!("{count} vote")
    } else {
        format!("{count} votes")
    }
}

/// |x| with `decimals` after the point and thousands separators, e.g. `12,345.6`.
fn grouped(x: f64, decimals: usize) -> String {
    // Half away from zero, as f64::round does (formatting alone rounds half to even).
    let scale = 10f64.powi(decimals as i32);
    let body = format!("{:.decimals$}", (x.abs() * scale).round() / scale);
    let (whole, fraction) = body.split_at(body.find('.').unwrap_or(body.len()));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(fraction);
    out
}

/// `body`, the digits of |x|, with x's sign: `-` below 0, `+` above it when `signed`, and none
/// when the body reads as zero (never "-0" or "+0.0").
pub(crate) fn with_sign(x: f64, body: &str, signed: bool) -> String {
    let sign = if body.bytes().all(|b| matches!(b, b'0' | b'.')) {
        ""
    } else if x < 0.0 {
        "-"
    } else if signed {
        "+"
    } else {
        ""
    };
    format!("{sign}{body}")
}

/// Decimals for a scenario's vote counts (margin, turnout, flows): none for counts of voters;
/// where the first round is written as percentages or shares (not all whole numbers), enough for
/// about four significant figures of its total (100 → 1, 1 → 3), so a margin does not read "+0".
pub(crate) fn vote_decimals(s: &Summary) -> usize {
    first_round_decimals(
        s.sources
            .iter()
            .filter(|x| x.row != crate::summary::NEW_VOTERS_ROW)
            .map(|x| x.votes),
        s.turnout.first_round_total,
    )
}

/// [`vote_decimals`] from the scenario itself, for tables that carry no summary (a sweep's).
pub(crate) fn scenario_vote_decimals(s: &Scenario) -> usize {
    first_round_decimals(s.candidates.iter().map(|c| c.votes), s.first_round_total())
}

fn first_round_decimals(mut votes: impl Iterator<Item = f64>, total: f64) -> usize {
    let whole = votes.all(|v| v.fract() == 0.0);
    if whole || !(total > 0.0 && total.is_finite()) {
        0
    } else {
        (3.0 - total.log10().floor()).clamp(0.0, 6.0) as usize
    }
}

/// Counts with thousands separators; a fraction (percentages, shares) as written,
/// since rounding 0.4 to "0" would hide the candidate's weight.
pub(crate) fn votes_as_written(v: f64) -> String {
    if v.fract() == 0.0 {
        votes(v)
    } else {
        crate::scenario::readable(v)
    }
}

/// A signed vote count with `decimals` after the point, e.g. `+1,234` or `+1,234.5`.
pub(crate) fn signed_votes_to(x: f64, decimals: usize) -> String {
    with_sign(x, &grouped(x, decimals), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipped_names_fit_their_columns() {
        assert_eq!(clip("Tommy Tuberville", 40), "Tommy Tuberville");
        assert_eq!(clip("Tommy Tuberville", 8), "Tommy T…");
        // CJK characters take two columns each.
        assert_eq!(clip("東京都知事選挙", 5), "東京…");
        assert_eq!(display_width(&clip("東京都知事選挙", 6)), 5);
    }

    #[test]
    fn probabilities_short_of_certain_never_read_certain() {
        let d = |ps: &[f64]| pct_decimals(ps.iter().copied());
        assert_eq!(d(&[0.736, 0.264]), 1);
        assert_eq!(d(&[1.0, 0.0, 0.5]), 1);
        assert_eq!(d(&[0.9996]), 2);
        assert_eq!(d(&[0.99996, 0.3]), 3);
        assert_eq!(d(&[0.0004]), 2);
        // Beyond three decimals the text says how close it is.
        assert_eq!(d(&[0.9999999]), 3);
        assert_eq!(pct_to(0.9996, 2), "99.96%");
        assert_eq!(pct_to(0.999996, 3), ">99.999%");
        assert_eq!(pct_to(0.000004, 3), "<0.001%");
        assert_eq!(pct_to(0.00004, 1), "<0.1%");
        assert_eq!(
            (pct_to(1.0, 3), pct_to(0.0, 1)),
            ("100.000%".into(), "0.0%".into())
        );
    }

    #[test]
    fn vote_counts_get_thousands_separators() {
        assert_eq!(votes(1234567.4), "1,234,567");
        assert_eq!(votes(-999.6), "-1,000");
        assert_eq!(signed_votes_to(12.0, 0), "+12");
        assert_eq!(votes(0.0), "0");
        // Shares written where counts belong are shown as written, not as 0.
        assert_eq!(votes_as_written(239604.0), "239,604");
        assert_eq!(votes_as_written(0.4), "0.4");
        assert_eq!(votes_to(-1234.56, 1), "-1,234.6");
        assert_eq!(signed_votes_to(0.04, 1), "0.0");
        assert_eq!(signed_votes_to(-0.04, 1), "0.0");
        assert_eq!(signed_votes_to(6.25, 2), "+6.25");
    }
}
