//! Sensitivity: sweeps of one or two scenario keys over a range, break-even values, and the tornado of assumptions.
//!
//! What belongs here: which scenarios to simulate when an assumption moves, and what the runs say
//! (win probabilities along a range, the value where the race is a coin toss). The tables and CSVs
//! of the results belong in `export/sweep.rs`, the charts in `chart/`.
//!
//! Every point of a sweep is simulated with the same seed; since random numbers are keyed by
//! (seed, draw, source), points share their random numbers (common random numbers), so curves are
//! smooth and monotone where the model is.

pub mod break_even;
pub mod key;
pub mod tornado;

pub use break_even::BreakEven;
use break_even::{break_even, first_crossing};
pub use key::{Absorb, ScenarioKey};

use crate::engine::{self, Interrupted, Model};
use crate::scenario::Scenario;
use crate::stats::Z95;
use crate::summary::Actual;
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Default number of values in a range when `:STEPS` is not given.
pub const DEFAULT_STEPS: usize = 11;

/// One varied key and its values: `KEY=FROM..TO[:STEPS]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Variation {
    /// The key.
    pub key: ScenarioKey,
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
    /// Number of values, evenly spaced, ends included.
    pub steps: usize,
}

impl Variation {
    /// Parse `KEY=FROM..TO[:STEPS]` against `scenario`.
    pub fn parse(text: &str, scenario: &Scenario) -> Result<Self, String> {
        let (key, range) = text.rsplit_once('=').ok_or_else(|| {
            format!("`{text}`: write KEY=FROM..TO or KEY=FROM..TO:STEPS, e.g. swing.sd=0..0.06:13")
        })?;
        let key = ScenarioKey::parse(key, scenario)?;
        if !range.contains("..") {
            return Err(missing_dots(text, range));
        }
        let (range, steps) = match range.rsplit_once(':') {
            Some((r, s)) => (
                r,
                s.trim().parse::<usize>().map_err(|_| {
                    format!("`{text}`: STEPS `{s}` is not a whole number from 2 to 1001")
                })?,
            ),
            None => (range, DEFAULT_STEPS),
        };
        let (from, to) = range
            .split_once("..")
            .ok_or_else(|| format!("`{text}`: the range must be FROM..TO, e.g. 0.2..0.6"))?;
        let number = |s: &str| -> Result<f64, String> {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    format!(
                        "`{text}`: `{}` is not a finite number (write FROM..TO in plain numbers, e.g. 0.2..0.6)",
                        s.trim()
                    )
                })
        };
        let (from, to) = (number(from)?, number(to)?);
        if !(2..=1001).contains(&steps) {
            return Err(format!(
                "`{text}`: STEPS must be between 2 and 1001, not {steps}"
            ));
        }
        if from == to {
            return Err(format!("`{text}`: FROM and TO are equal; give a range"));
        }
        Ok(Variation {
            key,
            from,
            to,
            steps,
        })
    }

    /// The values, evenly spaced from `from` to `to`.
    pub fn values(&self) -> Vec<f64> {
        (0..self.steps)
            .map(|i| {
                if i + 1 == self.steps {
                    self.to
                } else {
                    self.from + (self.to - self.from) * i as f64 / (self.steps - 1) as f64
                }
            })
            .collect()
    }
}

/// The error for a range written without `..`, suggesting the range meant where it is plain:
/// `0.1:0.45`, `0.1-0.45` and `0.1,0.45` are common slips for `0.1..0.45`.
fn missing_dots(text: &str, range: &str) -> String {
    let meant = [':', ',', '-']
        .iter()
        .filter_map(|&sep| {
            // A leading minus is a sign, not a separator.
            let at = range.get(1..)?.find(sep)? + 1;
            let (from, to) = (range[..at].trim(), range[at + 1..].trim());
            let number = |s: &str| s.parse::<f64>().is_ok_and(f64::is_finite);
            (number(from) && number(to)).then(|| format!("{from}..{to}"))
        })
        .next();
    match meant {
        Some(meant) => format!("`{text}`: the range must be FROM..TO[:STEPS]; write `{meant}`"),
        None => {
            format!("`{text}`: the range must be FROM..TO[:STEPS], e.g. 0.2..0.6 or 0.2..0.6:9")
        }
    }
}

/// What one sweep point produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The value of each varied key.
    pub values: Vec<f64>,
    /// Each finalist's win probability.
    pub win: [f64; 2],
    /// Their 95% Wilson intervals.
    pub win_ci95: [[f64; 2]; 2],
    /// Standard error of the first finalist's win probability.
    pub win_se: f64,
    /// Tie probability.
    pub ties: f64,
    /// Median of the first finalist's two-party share.
    pub share_p50: f64,
    /// 5% and 95% quantiles of that share.
    pub share_p05: f64,
    /// 95% quantile of the share.
    pub share_p95: f64,
    /// Median turnout in votes.
    pub turnout_p50: f64,
    /// Where the scenario gives the actual result: the fraction of draws whose share, and whose
    /// turnout, lie above the actual one, each with its standard error. At 50% the actual result is
    /// the median (`tornado --match-actual`); not written to sweep.json.
    #[serde(skip)]
    pub above_actual: Option<[Proportion; 2]>,
}

/// A fraction of the draws and its Monte Carlo standard error.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Proportion {
    /// The fraction.
    pub p: f64,
    /// Its standard error.
    pub se: f64,
}

/// What a key's values are, read from its dotted path, for showing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUnit {
    /// `first_round.NAME`: a vote count.
    Votes,
    /// A certainty or a Student-t df: a plain positive number.
    Concentration,
    /// Every other key (shares, the new voters' share and sd, the swing's sd): a share.
    Share,
}

impl KeyUnit {
    /// The unit of the key written `key`.
    pub fn of(key: &str) -> Self {
        if key.starts_with("first_round") {
            KeyUnit::Votes
        } else if key.ends_with(".certainty") || key.ends_with(".df") {
            KeyUnit::Concentration
        } else {
            KeyUnit::Share
        }
    }
}

/// A value of a key as the terminal shows it: votes whole with separators (25,000), certainties
/// and degrees of freedom without trailing zeros (100, 12.5), shares and sd to four decimals.
pub fn key_value(key: &str, v: f64) -> String {
    match KeyUnit::of(key) {
        KeyUnit::Votes => crate::format::votes(v),
        KeyUnit::Concentration => crate::format::trimmed(v, 4),
        KeyUnit::Share => format!("{v:.4}"),
    }
}

/// A finished sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    /// Scenario name.
    pub scenario: String,
    /// Its file.
    pub file: String,
    /// The finalists.
    pub finalists: [String; 2],
    /// `[display_names]`: the labels the scenario gives candidates.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub display_names: IndexMap<String, String>,
    /// The varied keys, as dotted paths.
    pub keys: Vec<String>,
    /// Each key in words, for the charts' axes.
    #[serde(default)]
    pub key_words: Vec<String>,
    /// Each key's value in the scenario as written: the point the sweep moves away from.
    #[serde(default)]
    pub base_values: Vec<f64>,
    /// How a varied share was compensated.
    pub absorb: String,
    /// Draws per point.
    pub draws: u64,
    /// Seed (the same for every point).
    pub seed: u64,
    /// Points in grid order (the last key varies fastest).
    pub points: Vec<Point>,
    /// One key: where the first finalist's win probability crosses 50%.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_even_win: Option<BreakEven>,
    /// One key: where the first finalist's median share crosses 50%.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_even_share: Option<BreakEven>,
    /// Two keys: for each value of the first, where the win probability crosses 50% along the second.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contour: Vec<[Option<f64>; 2]>,
}

impl SweepResult {
    /// Where a varied transfer share's room comes from, in words, when the first key is one: the
    /// break-even depends on it, so the table and sweep.png both say it.
    pub fn room_rule(&self) -> Option<String> {
        let k = self.keys.first()?;
        let share = (k.starts_with("transfers.") || k.starts_with("default_transfer."))
            && !k.ends_with(".certainty");
        share.then(|| {
            if self.absorb == "proportional" {
                "the row's other shares make room in proportion".to_string()
            } else {
                format!("the room comes from `{}` alone", self.absorb)
            }
        })
    }

    /// The label tables and charts give finalist `k`: its display name, or a short form of its name.
    pub fn label(&self, k: usize) -> String {
        crate::format::finalist_label(&self.finalists, &self.display_names, k)
    }
}

/// Everything a sweep needs besides the scenario.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    /// One or two variations.
    pub variations: Vec<Variation>,
    /// Compensation of varied shares.
    pub absorb: Absorb,
    /// Draws per point.
    pub draws: u64,
    /// Seed of every point.
    pub seed: u64,
}

impl SweepPlan {
    /// Check every value of every variation before anything runs.
    pub fn check(&self, s: &Scenario) -> Result<(), String> {
        if self.variations.is_empty() || self.variations.len() > 2 {
            return Err("give one or two --vary KEY=FROM..TO[:STEPS]".to_string());
        }
        if self.variations.len() == 2 && self.variations[0].key == self.variations[1].key {
            return Err(format!(
                "both --vary name `{}`; vary two different assumptions, or give one --vary",
                self.variations[0].key.path
            ));
        }
        if !matches!(self.absorb, Absorb::Proportional)
            && !self.variations.iter().any(|v| v.key.is_share())
        {
            let varied = match &self.variations[..] {
                [a, b] => format!("neither `{}` nor `{}` is one", a.key.path, b.key.path),
                [a, ..] => format!("`{}` is not one", a.key.path),
                [] => unreachable!("one or two variations, checked above"),
            };
            return Err(format!(
                "--absorb applies only when a transfer share is varied, and {varied} (fix: leave \
                 out --absorb)"
            ));
        }
        for v in &self.variations {
            // Compensation is linear in the value, so the two ends bound every value between them.
            for end in [v.from, v.to] {
                v.key.apply(s, end, &self.absorb)?;
            }
        }
        Ok(())
    }

    /// The scenario at one grid point.
    fn scenario_at(&self, s: &Scenario, values: &[f64]) -> Result<Scenario, String> {
        let mut out = s.clone();
        for (v, &x) in self.variations.iter().zip(values) {
            out = v.key.apply(&out, x, &self.absorb)?;
        }
        Ok(out)
    }
}

/// Simulate one scenario and keep what a sweep reports.
pub fn evaluate(
    s: &Scenario,
    values: Vec<f64>,
    draws: u64,
    seed: u64,
    stop: &AtomicBool,
) -> Result<Point, Interrupted> {
    let model = Model::new(s);
    let tally = engine::simulate(&model, draws, seed, None, &|_| {}, stop)?;
    // With polls every figure is the weighted one, as `run` reports it.
    let total = s.first_round_total();
    let (share, turnout) = (tally.share_histogram(), tally.turnout_histogram());
    let effective = tally.effective_draws();
    let estimate = tally.win_estimate();
    Ok(Point {
        values,
        win: estimate.p,
        win_ci95: estimate.interval95,
        win_se: estimate.se[0],
        ties: tally.tie_probability(),
        share_p50: share.quantile(0.5),
        share_p05: share.quantile(0.05),
        share_p95: share.quantile(0.95),
        turnout_p50: turnout.quantile(0.5) * total,
        above_actual: s.report.actual.map(|votes| {
            let [share, _, turnout] = Actual::below(&tally, total, votes);
            [share, turnout].map(|below| {
                let p = 1.0 - below;
                Proportion {
                    p,
                    se: (p * (1.0 - p) / effective).sqrt(),
                }
            })
        }),
    })
}

/// Run a sweep: every grid point, then the break-even values.
pub fn run(
    s: &Scenario,
    plan: &SweepPlan,
    progress: &(dyn Fn(usize, usize) + Sync),
    stop: &AtomicBool,
) -> anyhow::Result<SweepResult> {
    plan.check(s).map_err(crate::error::BadInput)?;
    let grids: Vec<Vec<f64>> = plan.variations.iter().map(Variation::values).collect();
    let combos: Vec<Vec<f64>> = match grids.as_slice() {
        [xs] => xs.iter().map(|&x| vec![x]).collect(),
        [xs, ys] => xs
            .iter()
            .flat_map(|&x| ys.iter().map(move |&y| vec![x, y]))
            .collect(),
        _ => Vec::new(),
    };
    let scenarios = combos
        .into_iter()
        .map(|values| Ok((plan.scenario_at(s, &values)?, values)))
        .collect::<Result<Vec<_>, String>>()
        .map_err(crate::error::BadInput)?;
    // Points run side by side as well as each on every thread: a point of few draws is one or two
    // chunks, which alone would leave threads idle. Each point is its own simulation, so the
    // order of work changes nothing.
    let (done, total) = (AtomicUsize::new(0), scenarios.len());
    let points = scenarios
        .into_par_iter()
        .map(|(at, values)| {
            let point = evaluate(&at, values, plan.draws, plan.seed, stop)?;
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            Ok(point)
        })
        .collect::<Result<Vec<_>, Interrupted>>()?;
    let mut result = SweepResult {
        scenario: s.name.clone(),
        file: s.file.display().to_string(),
        finalists: s.finalists.clone(),
        display_names: s.display_names.clone(),
        keys: plan.variations.iter().map(|v| v.key.path.clone()).collect(),
        key_words: plan.variations.iter().map(|v| v.key.words(s)).collect(),
        base_values: plan.variations.iter().map(|v| v.key.current(s)).collect(),
        absorb: match &plan.absorb {
            Absorb::Proportional => "proportional".to_string(),
            Absorb::Named(n) => n.clone(),
        },
        draws: plan.draws,
        seed: plan.seed,
        points,
        break_even_win: None,
        break_even_share: None,
        contour: Vec::new(),
    };
    if grids.len() == 1 {
        let refine = |x: f64| -> anyhow::Result<Point> {
            let at = plan.scenario_at(s, &[x]).map_err(crate::error::BadInput)?;
            Ok(evaluate(&at, vec![x], plan.draws, plan.seed, stop)?)
        };
        result.break_even_win = Some(break_even(
            &result.points,
            |p| p.win[0],
            |p| p.win_se,
            &refine,
        )?);
        result.break_even_share = Some(break_even(
            &result.points,
            |p| p.share_p50,
            median_se(plan.draws),
            &refine,
        )?);
    } else {
        let ny = grids[1].len();
        result.contour = grids[0]
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let row = &result.points[i * ny..(i + 1) * ny];
                [
                    Some(x),
                    first_crossing(row, |p| p.win[0]).map(|(j, t)| {
                        row[j].values[1] + t * (row[j + 1].values[1] - row[j].values[1])
                    }),
                ]
            })
            .collect();
    }
    Ok(result)
}

/// Standard error of a median share from its 90% spread (normal approximation: 1.2533·sd/√n).
fn median_se(draws: u64) -> impl Fn(&Point) -> f64 {
    move |p: &Point| 1.2533 * ((p.share_p95 - p.share_p05) / 3.29) / (draws as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_include_both_ends() {
        let s = crate::scenario::parse_str(
            "finalists = [\"A\", \"B\"]\n[first_round]\nA = 1\nB = 1\n[transfers.A]\nA = 1\n[transfers.B]\nB = 1\n[swing]\nsd = 0.01\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let v = Variation::parse("swing.sd=0..0.1:3", &s).unwrap();
        assert_eq!(v.values(), vec![0.0, 0.05, 0.1]);
        assert_eq!(
            Variation::parse("swing.sd=0..0.1", &s).unwrap().steps,
            DEFAULT_STEPS
        );
        assert!(
            Variation::parse("swing.sd=0..x", &s)
                .unwrap_err()
                .contains("not a finite number")
        );
        assert!(
            Variation::parse("swing.sd=0.1", &s)
                .unwrap_err()
                .contains("FROM..TO")
        );
        assert!(
            Variation::parse("swing.sd=0..1:1", &s)
                .unwrap_err()
                .contains("STEPS")
        );
        // A range written with another separator gets the range it meant, not a STEPS error.
        for (slip, meant) in [
            ("0.1:0.45", "`0.1..0.45`"),
            ("0.1 - 0.45", "`0.1..0.45`"),
            ("-0.02,0.02", "`-0.02..0.02`"),
            ("-0.02--0.01", "`-0.02..-0.01`"),
        ] {
            let e = Variation::parse(&format!("swing.sd={slip}"), &s).unwrap_err();
            assert!(e.contains(meant), "{slip}: {e}");
        }
        assert!(
            Variation::parse("swing.sd=0.1:x", &s)
                .unwrap_err()
                .contains("e.g. 0.2..0.6")
        );
    }
}
