//! The tornado: move each assumption to a low and a high value, holding the rest, and rank them by how far the first finalist's win probability moves.

use super::break_even::{self, SearchedBreakEven, Target};
use super::key::{Absorb, Key, ScenarioKey};
use super::{Point, evaluate};
use crate::engine::Interrupted;
use crate::scenario::{RowOrigin, Scenario, key_segment};
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// One assumption moved both ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoBar {
    /// The scenario key moved.
    pub key: String,
    /// A readable label.
    pub label: String,
    /// The value now.
    pub base_value: f64,
    /// The low and high values tried.
    pub values: [f64; 2],
    /// The first finalist's win probability at the low and the high value.
    pub win: [f64; 2],
    /// Largest absolute change from the base probability.
    pub impact: f64,
    /// With `--break-even`, for a share: the value that alone brings the probability to 50%.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_even: Option<SearchedBreakEven>,
    /// With `--match-actual`, for a share: the value that alone makes the actual result the median.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_actual: Option<MatchActual>,
}

/// The value of one share that alone would make the actual result the median of the draws: of the
/// share, and of the turnout (each "never" where no value in the range does).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchActual {
    /// Where half the draws' shares lie above the actual share.
    pub share: SearchedBreakEven,
    /// Where half the draws' turnouts lie above the actual turnout.
    pub turnout: SearchedBreakEven,
}

/// The searches a tornado makes beside its moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Searches {
    /// Each share's break-even (`--break-even`).
    pub break_even: bool,
    /// Each share's value that matches the actual result (`--match-actual`).
    pub match_actual: bool,
}

/// A finished tornado.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoResult {
    /// Scenario name.
    pub scenario: String,
    /// Its file.
    pub file: String,
    /// The finalists.
    pub finalists: [String; 2],
    /// `[display_names]`: the labels the scenario gives candidates.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub display_names: IndexMap<String, String>,
    /// Draws per evaluation.
    pub draws: u64,
    /// Seed of every evaluation.
    pub seed: u64,
    /// Shares moved by ± this much (`--step`); `None`: each share by ± its own standard deviation
    /// under its row's certainty.
    pub step: Option<f64>,
    /// The first finalist's win probability as the scenario stands.
    pub base: f64,
    /// Its standard error.
    pub base_se: f64,
    /// Bars, most impact first.
    pub bars: Vec<TornadoBar>,
}

impl TornadoResult {
    /// How far the shares moved, in words, for the table and the chart.
    pub fn step_words(&self) -> String {
        match self.step {
            Some(step) => format!(
                "every share ± {} pts",
                crate::format::trimmed(100.0 * step, 1)
            ),
            None => "each share ± 1 sd under its row's certainty".to_string(),
        }
    }

    /// The label tables and charts give finalist `k`: its display name, or a short form of its name.
    pub fn label(&self, k: usize) -> String {
        crate::format::finalist_label(&self.finalists, &self.display_names, k)
    }
}

/// One assumption to move: its key and its two values.
struct Move {
    key: ScenarioKey,
    label: String,
    values: [f64; 2],
}

/// How far a share with mean `m` and certainty `kappa` moves each way: `step` when given, else
/// the standard deviation of the share under its certainty (its Beta marginal), so that a share
/// held with confidence moves little and a vague one much (a 3% defection at certainty 100 moves
/// 1.7 points, not 10).
pub fn share_step(m: f64, kappa: f64, step: Option<f64>) -> f64 {
    step.unwrap_or_else(|| (m * (1.0 - m) / (kappa + 1.0)).max(0.0).sqrt())
}

/// Every assumption of `s` with its low and high value: each share by [`share_step`], the
/// certainties and the swing halved and doubled.
fn moves(s: &Scenario, step: Option<f64>) -> Vec<Move> {
    let mut out = Vec::new();
    let mut add = |path: String, label: String, lo: f64, hi: f64| {
        if let Ok(key) = ScenarioKey::parse(&path, s)
            && lo != hi
        {
            out.push(Move {
                key,
                label,
                values: [lo, hi],
            });
        }
    };
    let share = |m: f64, kappa: f64| {
        let d = share_step(m, kappa, step);
        ((m - d).max(0.0), (m + d).min(1.0))
    };
    let mut rows: Vec<(String, String, &crate::scenario::TransferRow)> = s
        .candidates
        .iter()
        .filter(|c| c.transfer.origin == RowOrigin::Own)
        .map(|c| {
            (
                format!("transfers.{}", key_segment(&c.name)),
                c.name.clone(),
                &c.transfer,
            )
        })
        .collect();
    if let Some(c) = s
        .candidates
        .iter()
        .find(|c| c.transfer.origin == RowOrigin::Default)
    {
        rows.push((
            "default_transfer".to_string(),
            "default row".to_string(),
            &c.transfer,
        ));
    }
    for (path, name, row) in rows {
        for (k, finalist) in s.finalists.iter().enumerate() {
            let (lo, hi) = share(row.shares[k], row.certainty);
            let label = format!("{name} → {}", s.label(k));
            add(format!("{path}.{}", key_segment(finalist)), label, lo, hi);
        }
        let kappa = row.certainty;
        add(
            format!("{path}.certainty"),
            format!("{name}: certainty"),
            kappa / 2.0,
            kappa * 2.0,
        );
    }
    if s.new_voters.enabled() {
        let nv = &s.new_voters;
        // Their number: ± step, or without one ± its own sd, or halved and doubled when it is
        // fixed (sd 0).
        let (lo, hi) = match step {
            Some(step) => ((nv.share - step).max(0.0), nv.share + step),
            None if nv.sd > 0.0 => ((nv.share - nv.sd).max(0.0), nv.share + nv.sd),
            None => (nv.share / 2.0, nv.share * 2.0),
        };
        add("new_voters.share".into(), "new voters: size".into(), lo, hi);
        if nv.sd > 0.0 {
            add(
                "new_voters.sd".into(),
                "new voters: sd".into(),
                nv.sd / 2.0,
                nv.sd * 2.0,
            );
        }
        // Their split is one number (the second finalist takes the rest), so one bar.
        let (lo, hi) = share(nv.split[0], nv.certainty);
        add(
            format!("new_voters.{}", key_segment(&s.finalists[0])),
            format!("new voters → {}", s.label(0)),
            lo,
            hi,
        );
        add(
            "new_voters.certainty".into(),
            "new voters: certainty".into(),
            nv.certainty / 2.0,
            nv.certainty * 2.0,
        );
    }
    if s.swing.sd > 0.0 {
        add(
            "swing.sd".into(),
            "swing: sd".into(),
            s.swing.sd / 2.0,
            s.swing.sd * 2.0,
        );
        if let crate::scenario::SwingDistribution::StudentT { df } = s.swing.distribution {
            add("swing.df".into(), "swing: df".into(), df / 2.0, df * 2.0);
        }
    }
    out
}

/// The values within which the break-even of `key` is looked for, if it is looked for: shares and
/// the new voters' split anywhere from 0 to 1, the new voters up to as many as round one's.
/// Certainties and the swing change how sure the answer is, not who wins: they move the
/// probability towards 50%, and past it only by chance.
fn break_even_range(key: &ScenarioKey) -> Option<[f64; 2]> {
    match key.key {
        Key::Share { .. } | Key::NewVotersSplit { .. } | Key::NewVotersShare => Some([0.0, 1.0]),
        _ => None,
    }
}

/// `s` with `key` at `value`; a share with nothing to rescale (a one-hot row) moves against
/// abstention instead.
fn moved(s: &Scenario, key: &ScenarioKey, value: f64) -> Result<Scenario, String> {
    key.apply(s, value, &Absorb::Proportional)
        .or_else(|_| key.apply(s, value, &Absorb::Named("abstain".into())))
}

/// One assumption's bar: the scenario at its low and high values (none when either is impossible)
/// and, as `searches` asks, its searched break-even and the value that matches the actual result.
fn bar(
    s: &Scenario,
    m: &Move,
    base: &Point,
    draws: u64,
    seed: u64,
    searches: Searches,
    stop: &AtomicBool,
) -> Result<Option<TornadoBar>, Interrupted> {
    let [lo, hi] = m.values;
    let (Ok(at_low), Ok(at_high)) = (moved(s, &m.key, lo), moved(s, &m.key, hi)) else {
        return Ok(None);
    };
    let low = evaluate(&at_low, vec![lo], draws, seed, stop)?;
    let high = evaluate(&at_high, vec![hi], draws, seed, stop)?;
    let now = m.key.current(s);
    let range = break_even_range(&m.key)
        .filter(|r: &[f64; 2]| r.iter().all(|&x| moved(s, &m.key, x).is_ok()));
    let simulate_at = |x: f64| -> Result<Point, Interrupted> {
        // Every value of the range passed `apply` at its ends, and the compensation is linear in
        // the value, so no value between them fails.
        let at = moved(s, &m.key, x).expect("a value inside a checked range");
        evaluate(&at, vec![x], draws, seed, stop)
    };
    let search = |target: Target, range: [f64; 2]| {
        let moves = [(lo, &low), (hi, &high)];
        break_even::search(target, now, base, moves, range, &simulate_at)
    };
    let break_even = match range.filter(|_| searches.break_even) {
        Some(range) => Some(search(Target::Win, range)?),
        None => None,
    };
    let match_actual = match range.filter(|_| searches.match_actual && base.above_actual.is_some())
    {
        Some(range) => Some(MatchActual {
            share: search(Target::ActualShare, range)?,
            turnout: search(Target::ActualTurnout, range)?,
        }),
        None => None,
    };
    let win = [low.win[0], high.win[0]];
    let impact = (win[0] - base.win[0])
        .abs()
        .max((win[1] - base.win[0]).abs());
    Ok(Some(TornadoBar {
        key: m.key.path.clone(),
        label: m.label.clone(),
        base_value: now,
        values: m.values,
        win,
        impact,
        break_even,
        match_actual,
    }))
}

/// Run the tornado with `draws` draws per evaluation, and for each share the searches asked for.
pub fn run(
    s: &Scenario,
    step: Option<f64>,
    draws: u64,
    seed: u64,
    searches: Searches,
    progress: &(dyn Fn(usize, usize) + Sync),
    stop: &AtomicBool,
) -> Result<TornadoResult, Interrupted> {
    let base: Point = evaluate(s, Vec::new(), draws, seed, stop)?;
    let moves = moves(s, step);
    // Moves run side by side as well as each on every thread (see `sweep::run`).
    let done = AtomicUsize::new(0);
    let bars = moves
        .par_iter()
        .map(|m| {
            let bar = bar(s, m, &base, draws, seed, searches, stop)?;
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, moves.len());
            Ok(bar)
        })
        .collect::<Result<Vec<_>, Interrupted>>()?;
    let mut bars: Vec<TornadoBar> = bars.into_iter().flatten().collect();
    bars.sort_by(|a, b| {
        b.impact
            .total_cmp(&a.impact)
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(TornadoResult {
        scenario: s.name.clone(),
        file: s.file.display().to_string(),
        finalists: s.finalists.clone(),
        display_names: s.display_names.clone(),
        draws,
        seed,
        step,
        base: base.win[0],
        base_se: base.win_se,
        bars,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn new_voters_and_the_swing_move_by_every_parameter() {
        let s = crate::scenario::parse_str(
            r#"
finalists = ["A", "B"]
[first_round]
A = 110
B = 100
[transfers.A]
A = 1
[transfers.B]
B = 1
[swing]
sd = 0.02
distribution = "student-t"
df = 4
[new_voters]
share = 0.05
sd = 0.02
A = 0.4
B = 0.6
certainty = 30
"#,
            Path::new("t.toml"),
        )
        .unwrap();
        let moved: Vec<(String, [f64; 2])> = moves(&s, Some(0.1))
            .into_iter()
            .filter(|m| m.label.starts_with("new voters") || m.label.starts_with("swing"))
            .map(|m| (m.key.path, m.values))
            .collect();
        let expect = [
            ("new_voters.share", [0.0, 0.15]),
            ("new_voters.sd", [0.01, 0.04]),
            ("new_voters.A", [0.3, 0.5]),
            ("new_voters.certainty", [15.0, 60.0]),
            ("swing.sd", [0.01, 0.04]),
            ("swing.df", [2.0, 8.0]),
        ];
        assert_eq!(moved.len(), expect.len(), "{moved:?}");
        for ((path, values), (want_path, want)) in moved.iter().zip(expect) {
            assert_eq!(path, want_path);
            assert!(
                (values[0] - want[0]).abs() < 1e-12 && (values[1] - want[1]).abs() < 1e-12,
                "{path}: {values:?}"
            );
        }
    }

    #[test]
    fn without_a_step_each_share_moves_by_its_own_standard_deviation() {
        // Issue #47: a 3% defection held with certainty 100 moved ten points (to 13%) and ranked
        // first; by its own uncertainty it moves sqrt(0.03 · 0.97 / 101) = 1.7 points.
        let s = crate::scenario::parse_str(
            r#"
finalists = ["A", "B"]
[first_round]
A = 110
B = 100
C = 50
[transfers.A]
A = 0.85
B = 0.03
certainty = 100
[transfers.B]
B = 1
[transfers.C]
A = 0.4
B = 0.35
certainty = 30
[new_voters]
share = 0.05
A = 0.4
B = 0.6
certainty = 30
"#,
            Path::new("t.toml"),
        )
        .unwrap();
        let moved = moves(&s, None);
        let at = |path: &str| {
            moved
                .iter()
                .find(|m| m.key.path == path)
                .map(|m| m.values)
                .unwrap_or_else(|| {
                    panic!(
                        "{path} not moved: {:?}",
                        moved.iter().map(|m| &m.key.path).collect::<Vec<_>>()
                    )
                })
        };
        let sd = |m: f64, k: f64| (m * (1.0 - m) / (k + 1.0)).sqrt();
        let close = |got: [f64; 2], want: [f64; 2]| {
            assert!(
                (got[0] - want[0]).abs() < 1e-12 && (got[1] - want[1]).abs() < 1e-12,
                "{got:?} vs {want:?}"
            );
        };
        close(
            at("transfers.A.B"),
            [0.03 - sd(0.03, 100.0), 0.03 + sd(0.03, 100.0)],
        );
        close(
            at("transfers.C.A"),
            [0.4 - sd(0.4, 30.0), 0.4 + sd(0.4, 30.0)],
        );
        // A share that is certain (B keeps all its voters: one value in every draw) does not move.
        assert!(moved.iter().all(|m| m.key.path != "transfers.B.B"));
        // The new voters: a fixed number is halved and doubled, their split by its own sd.
        close(at("new_voters.share"), [0.025, 0.1]);
        close(
            at("new_voters.A"),
            [0.4 - sd(0.4, 30.0), 0.4 + sd(0.4, 30.0)],
        );
        assert!((share_step(0.03, 100.0, None) - 0.016_974).abs() < 1e-6);
        assert_eq!(share_step(0.03, 100.0, Some(0.1)), 0.1);
    }
}
