//! What `check` prints: the model as the engine will see it, row by row, with the 90% interval each
//! certainty implies and which values were defaults.

use crate::format::readable;
use crate::format::{NAME_COLS, Wide, clip, display_width, pct, votes_as_written, votes_with_noun};
use crate::scenario::{A, ABSTAIN, B, RowOrigin, Scenario};
use crate::stats::share_interval;
use std::fmt::Write;

/// The resolved model in words and a table.
pub fn describe(s: &Scenario) -> String {
    let mut out = String::new();
    let [a, b] = &s.finalists;
    let total = s.first_round_total();
    let _ = writeln!(out, "{}: ok — {}", s.file.display(), s.name);
    if !s.description.is_empty() {
        let _ = writeln!(out, "  {}", s.description);
    }
    let _ = writeln!(out, "  finalists: {a} (first) vs {b}");
    let _ = writeln!(
        out,
        "  first round: {} from {} candidates",
        votes_of(total),
        s.candidates.len()
    );
    let _ = writeln!(
        out,
        "  expected share [90% interval implied by the certainty]:"
    );
    let name_w = s
        .candidates
        .iter()
        .map(|c| display_width(&clip(&c.name, NAME_COLS)))
        .max()
        .unwrap_or(4)
        .max(9);
    let cell = |m: f64, k: f64| {
        let [lo, hi] = share_interval(m, k, 0.9);
        format!(
            "{:>5.1}% [{:>5.1}–{:>5.1}]",
            100.0 * m,
            100.0 * lo,
            100.0 * hi
        )
    };
    let cw = 22;
    let _ = writeln!(
        out,
        "    {:<name_w$} {:>10}  {:<cw$} {:<cw$} {:<cw$} {:>9}  row",
        "candidate",
        "votes",
        Wide(&format!("to {}", clip(a, cw - 3))),
        Wide(&format!("to {}", clip(b, cw - 3))),
        "stays home",
        "certainty"
    );
    for c in &s.candidates {
        let t = &c.transfer;
        let mut origin = match t.origin {
            RowOrigin::Own => "own".to_string(),
            RowOrigin::Default => "[default_transfer]".to_string(),
        };
        if t.abstain_defaulted {
            origin.push_str(", abstain = 1 − finalist shares");
        }
        if t.certainty_defaulted {
            origin.push_str(", default certainty");
        }
        let _ = writeln!(
            out,
            "    {:<name_w$} {:>10}  {:<cw$} {:<cw$} {:<cw$} {:>9}  {}",
            Wide(&clip(&c.name, NAME_COLS)),
            votes_as_written(c.votes),
            cell(t.shares[A], t.certainty),
            cell(t.shares[B], t.certainty),
            cell(t.shares[ABSTAIN], t.certainty),
            readable(t.certainty),
            origin
        );
    }
    let nv = &s.new_voters;
    if nv.enabled() {
        let _ = writeln!(
            out,
            "  new voters: {} of round one (sd {}), about {}; split {} {} / {} {} (certainty {})",
            pct(nv.share),
            pct(nv.sd),
            votes_of(nv.share * total),
            a,
            pct(nv.split[0]),
            b,
            pct(nv.split[1]),
            readable(nv.certainty)
        );
    } else {
        let _ = writeln!(out, "  new voters: none");
    }
    if s.swing.sd > 0.0 {
        let _ = writeln!(
            out,
            "  swing: {} × {} on {a}'s share",
            // Beyond 10,000 (a million points), a percentage is a wall of digits.
            if s.swing.sd < 1e4 {
                pct(s.swing.sd)
            } else {
                readable(s.swing.sd)
            },
            s.swing.distribution.label()
        );
    } else {
        let _ = writeln!(out, "  swing: none");
    }
    if let Some(e) = crate::polls::Evidence::of(&s.polls) {
        let points = |x: f64| crate::format::trimmed(100.0 * x, 2);
        let _ = writeln!(
            out,
            "  polls: {} weigh every draw by their likelihood of {a}'s share: {} of the decided, sd {} points (errors: shared {}, each {} points)",
            s.polls.list.len(),
            pct(e.share),
            points(e.sd),
            points(s.polls.error.shared),
            points(s.polls.error.each)
        );
        for p in &s.polls.list {
            let who = crate::format::poll_label(p.pollster.as_deref(), p.end_date.as_deref());
            let _ = writeln!(
                out,
                "    {}n {}, {a} {}, {b} {}: {} of the decided",
                if who.is_empty() {
                    String::new()
                } else {
                    format!("{who}: ")
                },
                votes_as_written(p.n),
                pct(p.shares[0]),
                pct(p.shares[1]),
                pct(p.decided_share())
            );
        }
    }
    let _ = writeln!(
        out,
        "  simulation: {}, seed {}, voter noise {}",
        crate::format::draws(s.simulation.draws),
        s.simulation.seed,
        if s.simulation.voter_noise {
            "on"
        } else {
            "off"
        }
    );
    if let Some(m) = s.report.recount_margin {
        let _ = writeln!(
            out,
            "  report: recount probability at a margin of {}",
            pct(m)
        );
    }
    if let Some([va, vb]) = s.report.actual {
        let turnout = va + vb;
        let _ = writeln!(
            out,
            "  actual result: {a} {} ({}), {b} {} ({}); turnout {} of round one; the run says where it fell among the draws",
            votes_as_written(va),
            pct(va / turnout),
            votes_as_written(vb),
            pct(vb / turnout),
            pct(turnout / total)
        );
    }
    for note in &s.without_effect {
        let _ = writeln!(out, "  note: {note}");
    }
    out
}

/// A vote count with its noun: shares or percentages can add up to "1 vote".
fn votes_of(x: f64) -> String {
    votes_with_noun(x, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_that_rounds_to_one_is_one_vote() {
        assert_eq!(votes_of(0.4 + 0.3 + 0.3), "1 vote");
        assert_eq!(votes_of(717642.0), "717,642 votes");
    }
}
