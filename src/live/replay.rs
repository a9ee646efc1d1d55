//! A past night rehearsed: a race with both rounds by unit, its units counted in an order, the
//! projection after each step, against the result the night ended with.

use super::{Race, Returns, project};
use crate::error::BadInput;
use crate::scenario::{A, B, Scenario};
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};

/// In what order the units are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// A random order (seeded).
    Random,
    /// The units with the most round-1 voters first (cities report late on many nights: this is
    /// the adverse case for a model that assumed a random order).
    LargestFirst,
    /// The units with the fewest round-1 voters first.
    SmallestFirst,
    /// As the table lists them.
    AsListed,
}

impl Order {
    /// As `--order` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Order::Random => "random",
            Order::LargestFirst => "largest-first",
            Order::SmallestFirst => "smallest-first",
            Order::AsListed => "as-listed",
        }
    }
}

/// One step of the night.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub step: usize,
    pub units_reported: usize,
    pub units_total: usize,
    pub reported_fraction: f64,
    /// The first finalist's.
    pub win_probability: f64,
    /// The first finalist's projected two-party share.
    pub share: super::Quantiles5,
}

/// A replayed night.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replay {
    pub race: String,
    pub prior: String,
    pub finalists: [String; 2],
    pub order: Order,
    pub seed: u64,
    pub draws: u64,
    /// The first finalist's two-party share when every unit is counted.
    pub final_share: f64,
    pub steps: Vec<Step>,
}

/// The units of `race` (those with runoff votes) in `order`.
pub fn counting_order(race: &Race, order: Order, seed: u64) -> Vec<usize> {
    let mut units: Vec<usize> = (0..race.units.len())
        .filter(|&i| race.runoff[i].is_some())
        .collect();
    match order {
        Order::AsListed => {}
        Order::LargestFirst => {
            units.sort_by(|&i, &j| race.units[j].total.total_cmp(&race.units[i].total))
        }
        Order::SmallestFirst => {
            units.sort_by(|&i, &j| race.units[i].total.total_cmp(&race.units[j].total))
        }
        Order::Random => {
            let mut rng = crate::engine::rng::SeedKey::new(seed).stream(u64::MAX, 7);
            units.shuffle(&mut rng);
        }
    }
    units
}

/// Each finalist's runoff votes in unit `i`.
fn unit_votes(race: &Race, finalists: &[String; 2], i: usize) -> [f64; 2] {
    let votes = race.runoff[i].as_deref().unwrap_or(&[]);
    [A, B].map(|k| {
        race.runoff_candidates
            .iter()
            .position(|c| *c == finalists[k])
            .and_then(|p| votes.get(p).copied())
            .unwrap_or(0.0)
    })
}

/// Replay `race` counted in `order`, in `steps` steps (step 0: nothing counted; the last: every
/// unit), each projection with `draws` draws.
#[allow(clippy::too_many_arguments)]
pub fn replay(
    race: &Race,
    prior: &Scenario,
    prior_name: &str,
    finalists: &[String; 2],
    order: Order,
    steps: usize,
    draws: u64,
    seed: u64,
    progress: &dyn Fn(usize, usize),
    stop: &AtomicBool,
) -> anyhow::Result<Replay> {
    // A replay counts every unit of round 1: one without runoff votes would stay a projection at
    // the end, and the night would never end on the result.
    let missing: Vec<&str> = race
        .units
        .iter()
        .zip(&race.runoff)
        .filter(|(_, r)| r.is_none())
        .map(|(u, _)| u.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(BadInput(format!(
            "race {}: {} of {} {} units of round 1 have no runoff rows ({}{}), so the night could not \
             end on the result (fix: a table with both rounds for every unit)",
            race.id,
            missing.len(),
            race.units.len(),
            race.unit_column,
            missing.iter().take(5).map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", "),
            if missing.len() > 5 { ", …" } else { "" }
        ))
        .into());
    }
    let order_units = counting_order(race, order, seed);
    let total: [f64; 2] = (0..race.units.len())
        .map(|i| unit_votes(race, finalists, i))
        .fold([0.0; 2], |acc, v| [acc[A] + v[A], acc[B] + v[B]]);
    let final_share = total[A] / (total[A] + total[B]);
    let steps = steps.max(1);
    let mut out = Vec::new();
    for step in 0..=steps {
        if stop.load(Ordering::Relaxed) {
            return Err(crate::error::Interrupted.into());
        }
        let n = (step * order_units.len())
            .div_ceil(steps)
            .min(order_units.len());
        let mut returns = Returns::none(race.units.len());
        for &i in &order_units[..n] {
            returns.count(i, unit_votes(race, finalists, i));
        }
        let p = project(race, prior, prior_name, finalists, &returns, draws, seed);
        out.push(Step {
            step,
            units_reported: p.units_reported,
            units_total: p.units_total,
            reported_fraction: p.reported_fraction,
            win_probability: p.win_probability[&finalists[A]],
            share: p.share,
        });
        progress(step + 1, steps + 1);
    }
    Ok(Replay {
        race: race.id.clone(),
        prior: prior_name.to_string(),
        finalists: finalists.clone(),
        order,
        seed,
        draws,
        final_share,
        steps: out,
    })
}
