//! The tornado: move each assumption to a low and a high value, holding the rest, and rank them by how far the first finalist's win probability moves.

use super::key::{Absorb, ScenarioKey};
use super::{Point, evaluate};
use crate::engine::Interrupted;
use crate::scenario::{RowOrigin, Scenario, key_segment};
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;

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
    /// Draws per evaluation.
    pub draws: u64,
    /// Seed of every evaluation.
    pub seed: u64,
    /// Shares moved by ± this much.
    pub step: f64,
    /// The first finalist's win probability as the scenario stands.
    pub base: f64,
    /// Its standard error.
    pub base_se: f64,
    /// Bars, most impact first.
    pub bars: Vec<TornadoBar>,
}

/// One assumption to move: its key and its two values.
struct Move {
    key: ScenarioKey,
    label: String,
    values: [f64; 2],
}

/// Every assumption of `s` with its low and high value.
fn moves(s: &Scenario, step: f64) -> Vec<Move> {
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
    let share = |m: f64| ((m - step).max(0.0), (m + step).min(1.0));
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
            let (lo, hi) = share(row.shares[k]);
            let label = format!("{name} → {}", crate::chart::finalist_short(&s.finalists, k));
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
        let m = s.new_voters.share;
        add(
            "new_voters.share".into(),
            "new voters: size".into(),
            (m - step).max(0.0),
            m + step,
        );
    }
    if s.swing.sd > 0.0 {
        add(
            "swing.sd".into(),
            "swing: sd".into(),
            s.swing.sd / 2.0,
            s.swing.sd * 2.0,
        );
    }
    out
}

/// Run the tornado with `draws` draws per evaluation.
pub fn run(
    s: &Scenario,
    step: f64,
    draws: u64,
    seed: u64,
    progress: &(dyn Fn(usize, usize) + Sync),
    stop: &AtomicBool,
) -> Result<TornadoResult, Interrupted> {
    let base: Point = evaluate(s, Vec::new(), draws, seed, stop)?;
    let moves = moves(s, step);
    let mut bars = Vec::new();
    for (i, m) in moves.iter().enumerate() {
        let mut win = [0.0; 2];
        let mut ok = true;
        for (j, &v) in m.values.iter().enumerate() {
            // A share with nothing to rescale (a one-hot row) moves against abstention instead.
            let at = m
                .key
                .apply(s, v, &Absorb::Proportional)
                .or_else(|_| m.key.apply(s, v, &Absorb::Named("abstain".into())));
            match at {
                Ok(at) => win[j] = evaluate(&at, vec![v], draws, seed, stop)?.win[0],
                Err(_) => ok = false,
            }
        }
        progress(i + 1, moves.len());
        if ok {
            let impact = (win[0] - base.win[0])
                .abs()
                .max((win[1] - base.win[0]).abs());
            bars.push(TornadoBar {
                key: m.key.path.clone(),
                label: m.label.clone(),
                base_value: m.key.current(s),
                values: m.values,
                win,
                impact,
            });
        }
    }
    bars.sort_by(|a, b| {
        b.impact
            .total_cmp(&a.impact)
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(TornadoResult {
        scenario: s.name.clone(),
        file: s.file.display().to_string(),
        finalists: s.finalists.clone(),
        draws,
        seed,
        step,
        base: base.win[0],
        base_se: base.win_se,
        bars,
    })
}
