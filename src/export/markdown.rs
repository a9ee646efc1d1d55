//! Markdown: one table of all scenarios, then each scenario's flows (where the votes came from),
//! ready to paste into a memo.

use crate::format::{pct, pct_decimals, pct_to, percentile_number, votes_to};
use crate::summary::{NEW_VOTERS_ROW, Summary};
use std::fmt::Write;

/// A Markdown table with a row per scenario.
pub fn render(summaries: &[Summary]) -> String {
    let mut out = String::new();
    // After the runoff, a column for where its result fell (only when some scenario gives it).
    let scored = summaries.iter().any(|s| s.actual.is_some());
    let _ = writeln!(
        out,
        "| Scenario | First finalist | P(win) | ± 95% | Second finalist | P(win) | Median share | 90% interval | Median turnout |{}",
        if scored {
            " Actual share (percentile) |"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "|---|---|---:|---:|---|---:|---:|---|---:|{}",
        if scored { "---:|" } else { "" }
    );
    for s in summaries {
        let [a, b] = &s.finalists;
        let (pa, pb) = (s.win_probability[a], s.win_probability[b]);
        let d = pct_decimals([pa, pb].into_iter());
        let actual = match (&s.actual, scored) {
            (Some(a), _) => format!(
                " {} ({}) |",
                pct(a.share),
                percentile_number(a.share_percentile).unwrap_or_else(String::from)
            ),
            (None, true) => " – |".to_string(),
            (None, false) => String::new(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.2} pts | {} | {} | {} | {} – {} | {} |{actual}",
            escape(&s.scenario),
            escape(a),
            pct_to(pa, d),
            100.0 * 1.96 * s.win_probability_se[a],
            escape(b),
            pct_to(pb, d),
            pct(s.share.p50),
            pct(s.share.p05),
            pct(s.share.p95),
            votes_to(s.turnout.votes.p50, s.vote_decimals()),
        );
    }
    for s in summaries {
        out.push('\n');
        out.push_str(&flows(s));
    }
    out
}

/// One scenario's flows: for each source, its votes and the mean votes (and share of them) that
/// go to each finalist and stay home, then the runoff's totals.
fn flows(s: &Summary) -> String {
    let mut out = String::new();
    let [a, b] = &s.finalists;
    let d = s.vote_decimals();
    let _ = writeln!(
        out,
        "#### Where the votes came from: {}\n",
        escape(&s.scenario)
    );
    let _ = writeln!(
        out,
        "| From | Votes | → {} | → {} | Stayed home |",
        escape(a),
        escape(b)
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    let mut totals = [0.0; 3];
    for src in &s.sources {
        let to = s.votes_from(&src.name);
        let new_voters = src.row == NEW_VOTERS_ROW;
        // New voters are an expected number, rounded; candidates' counts are as written.
        let (votes, size) = if new_voters {
            let n: f64 = to.iter().sum();
            (format!("~{}", votes_to(n, d)), n)
        } else {
            (crate::format::votes_as_written(src.votes), src.votes)
        };
        let cell = |k: usize| {
            if new_voters && k == 2 {
                "–".to_string()
            } else if size > 0.0 {
                format!("{} ({})", votes_to(to[k], d), pct(to[k] / size))
            } else {
                votes_to(to[k], d)
            }
        };
        for k in 0..3 {
            totals[k] += to[k];
        }
        let _ = writeln!(
            out,
            "| {} | {votes} | {} | {} | {} |",
            escape(&src.name),
            cell(0),
            cell(1),
            cell(2)
        );
    }
    let _ = writeln!(
        out,
        "| **Mean runoff** | | **{}** | **{}** | {} |",
        votes_to(totals[0], d),
        votes_to(totals[1], d),
        votes_to(totals[2], d)
    );
    out
}

/// Keep a name from breaking the table or turning into emphasis, code or a link: Markdown's
/// punctuation is escaped with a backslash, a line break becomes a space.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn names_stay_plain_text_in_a_table_cell() {
        assert_eq!(escape("A|x"), "A\\|x");
        assert_eq!(escape("B*y_"), "B\\*y\\_");
        assert_eq!(escape("O'Neil, Jr."), "O'Neil, Jr.");
        assert_eq!(escape("two\nlines"), "two lines");
    }
}
