//! The tables and files of election night: `live`'s table, `replay`'s table and replay.csv.

use crate::format::{pct, pct_to, votes};
use crate::live::Projection;
use crate::live::replay::Replay;
use crate::scenario::A;
use std::fmt::Write;
use std::path::Path;

/// The terminal's account of where the race stands.
pub fn live_table(p: &Projection, dir: &Path) -> String {
    let mut out = String::new();
    let [a, b] = &p.finalists;
    let _ = writeln!(out, "{}: election night, prior: {}", p.race, p.prior);
    let _ = writeln!(
        out,
        "  counted: {} of {} units, {} of the round-one vote",
        p.units_reported,
        p.units_total,
        pct(p.reported_fraction)
    );
    let (ca, cb) = (p.counted[a], p.counted[b]);
    if ca + cb > 0.0 {
        let _ = writeln!(
            out,
            "  so far:  {a} {} ({}), {b} {} ({})",
            votes(ca),
            pct(ca / (ca + cb)),
            votes(cb),
            pct(cb / (ca + cb))
        );
    }
    let d = crate::format::pct_decimals(p.win_probability.values().copied());
    let width = p
        .finalists
        .iter()
        .map(|f| crate::format::display_width(f))
        .max()
        .unwrap_or(0);
    for f in &p.finalists {
        let pad = " ".repeat(width - crate::format::display_width(f));
        let _ = writeln!(
            out,
            "  {f}{pad} wins  {:>6}",
            pct_to(p.win_probability[f], d)
        );
    }
    let s = &p.share;
    let _ = writeln!(
        out,
        "  {a} share  median {}   80% {} – {}   95% {} – {}",
        pct(s.p50),
        pct(s.p10),
        pct(s.p90),
        pct(s.p025),
        pct(s.p975)
    );
    let m = &p.margin;
    let _ = writeln!(
        out,
        "  margin (votes)  median {}   80% {} – {}",
        crate::format::signed_votes_to(m.p50, 0),
        crate::format::signed_votes_to(m.p10, 0),
        crate::format::signed_votes_to(m.p90, 0)
    );
    let t = &p.turnout;
    let _ = writeln!(
        out,
        "  turnout  median {}   80% {} – {}; expected still to count {}",
        votes(t.p50),
        votes(t.p10),
        votes(t.p90),
        votes(p.expected_outstanding)
    );
    for f in [a, b] {
        let _ = writeln!(out, "  hurdle: {}", p.hurdle_words(f));
    }
    let _ = writeln!(
        out,
        "  {} draws, seed {}; units' residual sd {:.1} pts",
        votes(p.draws as f64),
        p.seed,
        100.0 * p.residual_sd
    );
    let _ = writeln!(out, "  wrote {}", dir.display());
    out
}

/// replay.csv: one row per step, with exactly the columns docs/election-night.md lists.
pub fn replay_csv(r: &Replay) -> String {
    let mut out = String::from(
        "step,units_reported,units_total,reported_fraction,win_probability,share_p025,share_p10,share_p50,share_p90,share_p975,final_share\n",
    );
    for s in &r.steps {
        let _ = writeln!(
            out,
            "{},{},{},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6}",
            s.step,
            s.units_reported,
            s.units_total,
            s.reported_fraction,
            s.win_probability,
            s.share.p025,
            s.share.p10,
            s.share.p50,
            s.share.p90,
            s.share.p975,
            r.final_share
        );
    }
    out
}

/// The terminal's account of a replayed night.
pub fn replay_table(r: &Replay, dir: &Path) -> String {
    let mut out = String::new();
    let a = &r.finalists[A];
    let _ = writeln!(
        out,
        "{}: the night replayed, units counted {} (seed {}), prior: {}",
        r.race,
        r.order.name(),
        r.seed,
        r.prior
    );
    let _ = writeln!(
        out,
        "  final: {a} {} of the two-party vote",
        pct(r.final_share)
    );
    let mut rows = vec![
        [
            "step",
            "units",
            "counted",
            "P(win)",
            "share median",
            "80% interval",
            "95% interval",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in &r.steps {
        rows.push(vec![
            s.step.to_string(),
            format!("{}/{}", s.units_reported, s.units_total),
            pct(s.reported_fraction),
            pct(s.win_probability),
            pct(s.share.p50),
            format!("{} – {}", pct(s.share.p10), pct(s.share.p90)),
            format!("{} – {}", pct(s.share.p025), pct(s.share.p975)),
        ]);
    }
    out.push_str(&crate::format::columns(&rows, true));
    let _ = writeln!(out, "  wrote {}", dir.display());
    out
}
