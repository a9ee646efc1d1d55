//! The terminal table: per scenario, who wins how often, the share, margin and turnout, and where the votes came from.

use crate::engine::Estimator;
use crate::format::{
    NAME_COLS, Wide, clip, display_width, draws, pct, pct_to, percentile, signed_votes_to, votes,
    votes_to,
};
use crate::summary::{ABSTAIN_LABEL, Summary};
use std::fmt::Write;

/// A probability error in percentage points, with a third decimal when it is tiny.
fn points(x: f64) -> String {
    if x == 0.0 {
        // Every draw gave the same conditional probability: the estimate is exact.
        "0".to_string()
    } else if 100.0 * x < 0.0005 {
        // Not exact, only smaller than the decimals shown.
        "<0.001".to_string()
    } else if 100.0 * x < 0.005 {
        format!("{:.3}", 100.0 * x)
    } else {
        format!("{:.2}", 100.0 * x)
    }
}

/// One block per scenario.
pub fn render(summaries: &[Summary]) -> String {
    let mut out = String::new();
    for (i, s) in summaries.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        block(&mut out, s);
    }
    out
}

/// Most terminal columns a finalist's name takes as a column's head.
const HEAD_COLS: usize = 32;

/// Flows shown in "what a win looks like": those that differ most from all draws.
const WIN_FLOWS: usize = 3;

/// The less likely finalist's wins set against all draws: the late swing, the flows that differ
/// most (in votes), and the turnout when it differs: what would have to happen for that side to win.
fn what_a_win_looks_like(out: &mut String, s: &Summary) {
    let k = s.less_likely();
    let name = &s.finalists[k];
    let Some(wins) = s.when_wins.get(name) else {
        return;
    };
    if s.ties == s.draws {
        let _ = writeln!(
            out,
            "  every draw is a tie, so no draw shows what a win would take"
        );
        return;
    }
    if wins.draws == 0 {
        let _ = writeln!(
            out,
            "  {} won no draw, so no draw shows what a win would take",
            Wide(name)
        );
        return;
    }
    let share = s.win_probability[name];
    let rough = if wins.draws < 1000 {
        format!(", only {} draws: rough", wins.draws)
    } else {
        String::new()
    };
    let name = &clip(name, NAME_COLS);
    let when = format!(
        "when {name} wins ({} of draws{rough})",
        crate::format::win_pct(share)
    );
    let mut rows: Vec<(String, String, String)> = Vec::new();
    if let Some([won, all]) = s.swing_toward(k) {
        let pts = |x: f64| {
            let points = format!("{:+.1}", 100.0 * x);
            // A mean that rounds to zero has no direction ("-0.0" would suggest one).
            match points.as_str() {
                "+0.0" | "-0.0" => "0.0 pts".to_string(),
                _ => format!("{points} pts"),
            }
        };
        rows.push((format!("late swing toward {name}"), pts(won), pts(all)));
    }
    // A flow that reads the same in both columns says nothing about the win.
    let differing = s.flows_when_won(k).into_iter().filter_map(|(won, all)| {
        let (won_pct, all_pct) = (pct(won.mean_share), pct(all.mean_share));
        // The destination, a finalist or staying home, is cut as a column's head is.
        let route = won.route();
        let route = match route.rsplit_once(" → ") {
            Some((from, to)) => format!("{} → {}", clip(from, NAME_COLS), clip(to, HEAD_COLS)),
            None => route,
        };
        (won_pct != all_pct).then_some((route, won_pct, all_pct))
    });
    rows.extend(differing.take(WIN_FLOWS));
    if let Some(turnout) = wins.turnout_mean {
        let all = s.turnout.votes.mean;
        if all > 0.0 && (turnout / all - 1.0).abs() >= 0.01 {
            let vd = s.vote_decimals();
            rows.push((
                "turnout".to_string(),
                votes_to(turnout, vd),
                votes_to(all, vd),
            ));
        }
    }
    if rows.is_empty() {
        let _ = writeln!(out, "  {}, no mean differs from all draws", Wide(&when));
        return;
    }
    let _ = writeln!(
        out,
        "  {}, what differs most from all draws (means):",
        Wide(&when)
    );
    let head = format!("{} wins", s.label(k));
    let label_w = rows.iter().map(|r| display_width(&r.0)).max().unwrap_or(0);
    let won_w = rows
        .iter()
        .map(|r| r.1.len())
        .chain([display_width(&head)])
        .max()
        .unwrap_or(0);
    // "all draws" is right-aligned in a column at least as wide as 12, as the README shows it.
    let all_w = rows
        .iter()
        .map(|r| r.2.len())
        .chain([12])
        .max()
        .unwrap_or(12);
    let _ = writeln!(
        out,
        "    {:<label_w$}  {:>won_w$}  {:>all_w$}",
        "",
        Wide(&head),
        "all draws"
    );
    for (label, won, all) in rows {
        let _ = writeln!(
            out,
            "    {:<label_w$}  {won:>won_w$}  {all:>all_w$}",
            Wide(&label)
        );
    }
}

/// With polls: what they say of the first finalist's share, how many draws the weighted answer is
/// worth, and a warning when too few (the polls contradict the scenario).
fn polls_lines(out: &mut String, s: &Summary, width: usize) {
    let Some(p) = &s.polls else {
        return;
    };
    let short = s.label(0);
    let _ = writeln!(
        out,
        "  {:<width$}  {short} {} ± {} pts of the decided (95%); scenario alone: median {}",
        "polls",
        pct(p.combined_share),
        crate::format::trimmed(100.0 * 1.96 * p.combined_sd, 1),
        pct(p.prior_share.p50),
    );
    let worth = p.effective_draws / s.draws as f64;
    let _ = writeln!(
        out,
        "  {:<width$}  the weighted draws are worth {} equal ones ({} of the draws)",
        "",
        votes(p.effective_draws),
        pct(worth)
    );
    if p.effective_draws < p.effective_draws_floor {
        let _ = writeln!(
            out,
            "  warning: the polls contradict this scenario: its draws near the polls' share are too \
             few (worth {} < {}) for a steady answer (fix: widen the scenario where it is unsure, \
             with lower certainties or a larger swing sd; check the polls and [poll_error]; or run \
             more draws)",
            votes(p.effective_draws),
            votes(p.effective_draws_floor)
        );
    }
}

/// Where a percentile lies against the 90% interval: a note only when outside.
fn outside_interval(p: f64) -> &'static str {
    if p < 0.05 {
        "   below the 90% interval"
    } else if p > 0.95 {
        "   above the 90% interval"
    } else {
        ""
    }
}

/// The runoff's actual result, when the scenario gives it, and where it fell among the draws: the
/// scenario scored in hindsight.
fn actual_result(out: &mut String, s: &Summary, share_label: &str, decimals: usize) {
    let Some(actual) = &s.actual else {
        return;
    };
    let outcome = match &actual.winner {
        Some(w) => format!("{} won", Wide(&clip(w, NAME_COLS))),
        None => "an exact tie".to_string(),
    };
    let _ = writeln!(
        out,
        "  actual result: {outcome}; this scenario gave that {}",
        pct_to(actual.outcome_probability, decimals)
    );
    let vd = s.vote_decimals();
    let rows = [
        (
            share_label.to_string(),
            pct(actual.share),
            actual.share_percentile,
        ),
        (
            "margin (votes)".to_string(),
            signed_votes_to(actual.margin_votes, vd),
            actual.margin_percentile,
        ),
        (
            "turnout".to_string(),
            votes_to(actual.turnout_votes, vd),
            actual.turnout_percentile,
        ),
    ];
    let label_w = rows.iter().map(|r| display_width(&r.0)).max().unwrap_or(0);
    let value_w = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    for (label, value, p) in rows {
        let _ = writeln!(
            out,
            "    {:<label_w$}  {value:>value_w$}   {}{}",
            Wide(&label),
            percentile(p, 4),
            outside_interval(p)
        );
    }
}

fn block(out: &mut String, s: &Summary) {
    let [a, b] = &s.finalists;
    let (a, b) = (&clip(a, NAME_COLS), &clip(b, NAME_COLS));
    let _ = writeln!(out, "{}", s.scenario);
    let weighted = match &s.polls {
        Some(p) => format!(
            ", weighted by {} poll{}",
            p.count,
            if p.count == 1 { "" } else { "s" }
        ),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "  {}, seed {}{weighted}  ({})",
        draws(s.draws),
        s.seed,
        s.file
    );
    if let (Some(p), Some(reached)) = (s.precision, s.precision_reached) {
        let p = crate::format::readable(p);
        let _ = if reached {
            writeln!(
                out,
                "  precision ±{p} reached (both win probabilities' 95% intervals)"
            )
        } else {
            writeln!(
                out,
                "  precision ±{p} NOT reached: stopped at the cap of {} draws (raise --draws)",
                votes(s.draws as f64)
            )
        };
    }
    let share_label = format!("{} share", s.label(0));
    let recount_label = s
        .recount_margin
        .map(|m| format!("recount (margin <= {})", pct(m)));
    let width = [
        display_width(a),
        display_width(b),
        display_width(&share_label),
        "margin (votes)".len(),
    ]
    .into_iter()
    .chain(recount_label.as_ref().map(|l| display_width(l)))
    .max()
    .unwrap_or(16);
    let decimals = s.win_decimals();
    let vd = s.vote_decimals();
    // "100.0%" fills six columns; each further decimal takes one more.
    let column = 5 + decimals;
    for (f, label) in s.finalists.iter().zip([a, b]) {
        let [lo, hi] = s.win_probability_ci95[f];
        // With polls, the scenario's own answer beside the one the polls make of it.
        let prior = s.prior_win_probability.as_ref().map_or(String::new(), |p| {
            format!("   (scenario alone {})", crate::format::win_pct(p[f]))
        });
        let _ = writeln!(
            out,
            "  {:<width$}  wins   {:>column$}   95% CI {} – {}{prior}",
            Wide(label),
            pct_to(s.win_probability[f], decimals),
            pct_to(lo, decimals),
            pct_to(hi, decimals),
        );
    }
    polls_lines(out, s, width);
    if s.ties > 0 {
        let _ = writeln!(
            out,
            "  {:<width$}  tied   {:>6}",
            "ties",
            pct(s.tie_probability)
        );
    }
    // Which estimator the win probability is, and its Monte Carlo error (95%).
    let se = s.win_probability_se[&s.finalists[0]];
    // One draw has no spread to estimate an error from ("± 0" would read as exact).
    let error = if s.draws < 2 {
        "no error estimate from one draw".to_string()
    } else {
        format!("± {} pts (95%)", points(1.96 * se))
    };
    let how = match (s.estimator, s.polls.is_some()) {
        (Estimator::Conditional, false) => {
            "the swing's chance given each draw's transfers, averaged"
        }
        (Estimator::Conditional, true) => {
            "the swing integrated out against the polls given each draw's transfers"
        }
        (Estimator::Count, false) => "the share of draws won",
        (Estimator::Count, true) => "the share of draws won, weighted by the polls",
    };
    let _ = writeln!(out, "  {:<width$}  {how}, {error}", "estimate");
    if let (Some(label), Some(p)) = (&recount_label, s.recount_probability) {
        let _ = writeln!(out, "  {label:<width$}  P      {:>6}", pct(p));
    }
    let _ = writeln!(
        out,
        "  {:<width$}  median {}   90% {} – {}",
        Wide(&share_label),
        pct(s.share.p50),
        pct(s.share.p05),
        pct(s.share.p95)
    );
    let _ = writeln!(
        out,
        "  {:<width$}  median {}   90% {} – {}",
        "margin (votes)",
        signed_votes_to(s.margin_votes.p50, vd),
        signed_votes_to(s.margin_votes.p05, vd),
        signed_votes_to(s.margin_votes.p95, vd)
    );
    let _ = writeln!(
        out,
        "  {:<width$}  median {}   90% {} – {}   (mean {} of round one)",
        "turnout",
        votes_to(s.turnout.votes.p50, vd),
        votes_to(s.turnout.votes.p05, vd),
        votes_to(s.turnout.votes.p95, vd),
        pct(s.turnout.ratio_to_first_round)
    );
    actual_result(out, s, &share_label, decimals);
    let name_w = s
        .sources
        .iter()
        .map(|x| display_width(&clip(&x.name, NAME_COLS)))
        .max()
        .unwrap_or(6)
        .max(6);
    let [full_a, full_b] = &s.finalists;
    let (head_a, head_b) = (clip(full_a, HEAD_COLS), clip(full_b, HEAD_COLS));
    let col = |name: &str| display_width(name).max(9);
    let (wa, wb) = (col(&head_a), col(&head_b));
    let _ = writeln!(out, "  where the votes came from (mean votes):");
    let _ = writeln!(
        out,
        "    {:<name_w$}  {:>wa$}  {:>wb$}  {:>11}",
        "from",
        Wide(&head_a),
        Wide(&head_b),
        "stayed home"
    );
    for src in &s.sources {
        let flow = |to: &str| {
            s.flows
                .iter()
                .find(|f| f.from == src.name && f.to == to)
                .map(|f| votes_to(f.mean_votes, vd))
                .unwrap_or_else(|| "-".to_string())
        };
        let _ = writeln!(
            out,
            "    {:<name_w$}  {:>wa$}  {:>wb$}  {:>11}",
            Wide(&clip(&src.name, NAME_COLS)),
            flow(full_a),
            flow(full_b),
            flow(ABSTAIN_LABEL)
        );
    }
    what_a_win_looks_like(out, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_too_small_to_show_is_not_called_exact() {
        assert_eq!(points(0.0), "0");
        assert_eq!(points(1e-7), "<0.001");
        assert_eq!(points(2e-5), "0.002");
        assert_eq!(points(0.00052), "0.05");
    }
}
