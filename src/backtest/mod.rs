//! Backtests: build the default prior's scenario from each race's first round, simulate, and score it against the runoff.
//!
//! What belongs here: the default prior (`prior`, which `new` writes as a scenario) and the scores
//! of forecasts against results (`score`); the tables and CSV belong in `export/backtest.rs`.
//!
//! The prior's two tuned parameters (swing scale, split rule) are chosen leave-one-race-out: each
//! race is predicted with the values that score best (mean log loss of the leader's win
//! probability plus mean CRPS of its share) on the
//! other races, so no race's score has seen its own result. A second check is out of time: the
//! values that score best on the races before a year, scored on that year's races and later, as
//! a forecaster would have had to choose them.

pub mod prior;
pub mod score;
pub mod turnout;

pub use crate::results::Race;
pub use prior::DefaultPrior;
pub use turnout::TurnoutRule;

use crate::engine::{self, Interrupted, Model};
use crate::error::BadInput;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

/// Swing scales tried in tuning.
pub const SWING_GRID: [f64; 8] = [0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08];
/// Split rules tried in tuning (1 = proportional to the finalists' first-round votes, 0 = even).
pub const SPLIT_GRID: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];
/// Central intervals scored.
pub const LEVELS: [(&str, f64); 3] = [("50", 0.50), ("80", 0.80), ("95", 0.95)];
/// Bins of the PIT histogram.
pub const PIT_BINS: usize = 10;
/// The out-of-time check's default split: tuned on the races before it, scored on the rest.
pub const SPLIT_YEAR: i32 = 2008;
/// The turnout interval scored.
pub const TURNOUT_LEVEL: f64 = 0.80;

/// One race's forecast and result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaceForecast {
    /// `race_id`.
    pub race: String,
    /// The first-round leader among the two finalists.
    pub leader: String,
    /// The other finalist.
    pub runner_up: String,
    /// Predicted probability that the leader wins.
    pub p_leader_wins: f64,
    /// Predicted median of the leader's two-party runoff share.
    pub share_p50: f64,
    /// Central 50%, 80% and 95% intervals of that share.
    pub intervals: BTreeMap<String, [f64; 2]>,
    /// The leader's actual two-party share.
    pub actual_share: f64,
    /// Whether the leader won.
    pub leader_won: bool,
    /// The predictive CDF at the actual share.
    pub pit: f64,
    /// CRPS of the actual share.
    pub crps: f64,
    /// The race's year, when the table or the race id gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Predicted median runoff turnout (votes), when round 1 has counts.
    pub turnout_p50: Option<f64>,
    /// Central 80% interval of the runoff turnout (votes), when round 1 has counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnout_interval80: Option<[f64; 2]>,
    /// The first round's total (votes), when it has counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_round_total: Option<f64>,
    /// Actual runoff turnout, when the table has counts.
    pub turnout_actual: Option<f64>,
    /// "counts", or "share only" when the runoff has percentages but no counts, or "share only
    /// (round 1 in percentages)" when the first round has.
    pub scored_on: String,
    /// The swing scale used (chosen without this race).
    pub swing_sd: f64,
    /// The split rule used (chosen without this race).
    pub proportional_split: f64,
    /// The expected ratio of runoff to first-round turnout the prior was given (its turnout rule
    /// fitted without this race).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnout_ratio: Option<f64>,
    /// The race's kind and what heads its runoff ballot, when the table tells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ballot: Option<String>,
}

/// The scores of one forecaster over all races.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Races scored.
    pub races: usize,
    /// Brier score of the leader's win probability.
    pub brier: f64,
    /// Log loss (natural log, probabilities clipped to [0.001, 0.999]).
    pub log_loss: f64,
    /// Coverage of the 50/80/95% central intervals of the leader's share.
    pub coverage: BTreeMap<String, f64>,
    /// PIT counts in ten bins.
    pub pit_histogram: Vec<u64>,
    /// The runoff turnout's scores, over the races with counts in both rounds (the default
    /// prior only: the baselines forecast no turnout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnout: Option<TurnoutScores>,
}

/// How well the predicted runoff turnout matched: the error of its median on a log scale (0.25:
/// off by a factor of 1.28), and how often its 80% interval held the actual turnout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnoutScores {
    /// Races with a turnout to score.
    pub races: usize,
    /// Median over races of |ln(predicted median / actual)|.
    pub median_abs_log_ratio: f64,
    /// Share of races whose actual turnout fell in the 80% interval.
    pub coverage80: f64,
    /// The same median error for a constant ratio of runoff to first-round turnout: the median
    /// ratio of the races the forecast was tuned on (the other races, or the earlier ones).
    pub constant_ratio_error: f64,
}

/// The out-of-time check: tuned on the races before `split_year`, scored on the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutOfTime {
    /// Races before this year tune the prior; this year's and later are scored.
    pub split_year: i32,
    /// Races tuned on.
    pub tuned_on: usize,
    /// The values chosen on them: swing sd and split rule.
    pub chosen: [f64; 2],
    /// The default prior's scores on the later races.
    pub scores: Scores,
    /// Mean CRPS of the leader's share on them.
    pub crps: f64,
    /// The baselines, their base rate and spread taken from the earlier races.
    pub baselines: BTreeMap<String, Scores>,
    /// Races with no year (neither a `year` column nor a year in the id), in neither set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undated: Vec<String>,
    /// Per scored race.
    pub per_race: Vec<RaceForecast>,
}

/// A finished backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    /// The default prior's scores (leave-one-race-out).
    #[serde(flatten)]
    pub scores: Scores,
    /// Mean CRPS of the leader's share.
    pub crps: f64,
    /// "base_rate" and "leader_certain".
    pub baselines: BTreeMap<String, Scores>,
    /// Draws per race and configuration.
    pub draws: u64,
    /// Seed.
    pub seed: u64,
    /// How the tuned parameters were chosen.
    pub tuning: String,
    /// The values that score best on all races (those `runoff new` uses).
    pub all_races_best: [f64; 2],
    /// The turnout rule fitted on all races (the one `runoff new` uses, fitted on the bundled
    /// development races).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnout_rule: Option<TurnoutRule>,
    /// The out-of-time check, when races fall on both sides of its year; why not, otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_time: Option<OutOfTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_time_skipped: Option<String>,
    /// Per race.
    pub per_race: Vec<RaceForecast>,
}

/// A race the backtest can score: its finalists (first-round leader first), and the leader's actual
/// two-party share with the runoff turnout when the table has counts.
pub fn scorable(race: &Race) -> Result<([String; 2], f64, Option<f64>), String> {
    let finalists = race.finalists()?;
    let (actual, turnout) = race.runoff_result(&finalists[0]).ok_or_else(|| {
        format!(
            "race {}: the runoff has no votes to score against (its counts are missing or add up to 0, and it has no pct for the whole race: percentages by county or precinct do not add up); give round 2 its votes",
            race.id
        )
    })?;
    // A tie has no winner for the win probability to be scored against (a lot or a court
    // decides it), and counting it as the leader's loss would be a silent choice.
    if actual == 0.5 {
        return Err(format!(
            "race {}: the runoff is an exact tie between {} and {}, so there is no winner to \
             score the forecast against; leave the race out of the table",
            race.id, finalists[0], finalists[1]
        ));
    }
    Ok((finalists, actual, turnout))
}

/// What one configuration predicts for one race.
fn forecast(
    race: &Race,
    prior: &DefaultPrior,
    draws: u64,
    seed: u64,
    stop: &AtomicBool,
) -> anyhow::Result<RaceForecast> {
    let (finalists, actual, turnout_actual) = scorable(race).map_err(BadInput)?;
    let scenario = prior
        .scenario(&race.id, &race.first_round, &finalists)
        .map_err(|e| BadInput(e.to_string()))?;
    let model = Model::new(&scenario);
    let tally = engine::simulate(&model, draws, seed, None, &|_| {}, stop)
        .map_err(|Interrupted| Interrupted)?;
    let share = &tally.share;
    let total = scenario.first_round_total();
    let counted = !race.first_round_from_pct;
    let turnout_tail = (1.0 - TURNOUT_LEVEL) / 2.0;
    let intervals = LEVELS
        .iter()
        .map(|(name, level)| {
            let tail = (1.0 - level) / 2.0;
            (
                name.to_string(),
                [share.quantile(tail), share.quantile(1.0 - tail)],
            )
        })
        .collect();
    Ok(RaceForecast {
        race: race.id.clone(),
        leader: finalists[0].clone(),
        runner_up: finalists[1].clone(),
        p_leader_wins: tally.win_probability(0),
        share_p50: share.quantile(0.5),
        intervals,
        actual_share: actual,
        leader_won: actual > 0.5,
        pit: share.cdf(actual),
        crps: share.crps(actual),
        year: race.year,
        // Percentages give round 1's shares, not its size, so no turnout is predicted.
        turnout_p50: counted.then(|| tally.turnout_ratio.quantile(0.5) * total),
        turnout_interval80: counted.then(|| {
            [turnout_tail, 1.0 - turnout_tail].map(|q| tally.turnout_ratio.quantile(q) * total)
        }),
        first_round_total: counted.then_some(total),
        turnout_actual,
        scored_on: match (race.first_round_from_pct, turnout_actual) {
            (true, _) => "share only (round 1 in percentages)",
            (false, Some(_)) => "counts",
            (false, None) => "share only",
        }
        .to_string(),
        swing_sd: prior.swing_sd,
        proportional_split: prior.proportional_split,
        turnout_ratio: prior.turnout_ratio,
        kind: race.kind.map(|k| k.to_string()),
        ballot: race.ballot.map(|b| b.to_string()),
    })
}

/// The turnout examples of the races `used` admits: those counted in both rounds.
pub fn turnout_examples(
    races: &[Race],
    used: impl Fn(usize) -> bool,
) -> Vec<turnout::TurnoutExample> {
    races
        .iter()
        .enumerate()
        .filter(|(r, race)| used(*r) && !race.first_round_from_pct)
        .filter_map(|(_, race)| {
            let (_, _, turnout) = scorable(race).ok()?;
            let first: f64 = race.first_round.iter().map(|(_, v)| v).sum();
            Some(turnout::TurnoutExample {
                kind: race.kind,
                ballot: race.ballot,
                ratio: turnout? / first,
            })
        })
        .collect()
}

/// Every configuration's forecast of every race (`grid[c][r]`), race `r`'s prior given the
/// turnout of `rules[r]`.
fn grid(
    races: &[Race],
    configs: &[DefaultPrior],
    rules: &[Option<TurnoutRule>],
    draws: u64,
    seed: u64,
    progress: &dyn Fn(),
    stop: &AtomicBool,
) -> anyhow::Result<Vec<Vec<RaceForecast>>> {
    let mut grid = Vec::with_capacity(configs.len());
    for prior in configs {
        // Races run in parallel; each is its own simulation, so the order of work changes nothing.
        grid.push(
            races
                .par_iter()
                .zip(rules)
                .map(|(race, rule)| {
                    let prior = match rule {
                        Some(rule) => prior.for_race(rule, race.kind, race.ballot),
                        None => *prior,
                    };
                    forecast(race, &prior, draws, seed, stop)
                })
                .collect::<anyhow::Result<Vec<_>>>()?,
        );
        progress();
    }
    Ok(grid)
}

/// Each race's ratio of runoff to first-round turnout, where both are counted.
fn turnout_ratios(f: &[RaceForecast]) -> Vec<f64> {
    f.iter()
        .filter_map(|r| Some(r.turnout_actual? / r.first_round_total?))
        .filter(|x| *x > 0.0)
        .collect()
}

fn median(xs: &mut [f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

/// The turnout scores of forecasts `f`; `constant(r)` is the constant ratio of runoff to
/// first-round turnout a naive forecaster would have used for race `r`.
fn turnout_scores(
    f: &[RaceForecast],
    constant: impl Fn(&RaceForecast) -> Option<f64>,
) -> Option<TurnoutScores> {
    let scored: Vec<&RaceForecast> = f
        .iter()
        .filter(|r| r.turnout_p50.is_some() && r.turnout_actual.is_some_and(|t| t > 0.0))
        .collect();
    let log_error = |predicted: f64, actual: f64| (predicted.max(1.0) / actual).ln().abs();
    let mut errors: Vec<f64> = scored
        .iter()
        .map(|r| {
            log_error(
                r.turnout_p50.unwrap_or(0.0),
                r.turnout_actual.unwrap_or(1.0),
            )
        })
        .collect();
    let mut constant_errors: Vec<f64> = scored
        .iter()
        .filter_map(|r| {
            let ratio = constant(r)?;
            Some(log_error(ratio * r.first_round_total?, r.turnout_actual?))
        })
        .collect();
    let covered = scored
        .iter()
        .filter(|r| {
            let (Some([lo, hi]), Some(t)) = (r.turnout_interval80, r.turnout_actual) else {
                return false;
            };
            lo <= t && t <= hi
        })
        .count();
    Some(TurnoutScores {
        races: scored.len(),
        median_abs_log_ratio: median(&mut errors)?,
        coverage80: covered as f64 / scored.len() as f64,
        constant_ratio_error: median(&mut constant_errors).unwrap_or(f64::NAN),
    })
}

/// Score a list of forecasts.
pub fn scores(f: &[RaceForecast]) -> Scores {
    let p: Vec<f64> = f.iter().map(|r| r.p_leader_wins).collect();
    let won: Vec<bool> = f.iter().map(|r| r.leader_won).collect();
    let actual: Vec<f64> = f.iter().map(|r| r.actual_share).collect();
    let coverage = LEVELS
        .iter()
        .map(|(name, _)| {
            let iv: Vec<[f64; 2]> = f.iter().map(|r| r.intervals[*name]).collect();
            (name.to_string(), score::coverage(&iv, &actual))
        })
        .collect();
    Scores {
        races: f.len(),
        brier: score::brier(&p, &won),
        log_loss: score::log_loss(&p, &won),
        coverage,
        pit_histogram: score::pit_histogram(&f.iter().map(|r| r.pit).collect::<Vec<_>>(), PIT_BINS),
        turnout: None,
    }
}

/// The two baselines: the leader wins with the base rate of the races `fitted_on` (shares: the
/// first-round two-way share plus a normal error with those races' spread), and the leader wins
/// for certain (shares: exactly the first-round two-way share). Leave-one-race-out passes the
/// scored races themselves.
fn baselines(
    f: &[RaceForecast],
    fitted_on: &[RaceForecast],
    races: &[Race],
) -> BTreeMap<String, Scores> {
    let naive_of = |r: &RaceForecast| {
        let race = races.iter().find(|x| x.id == r.race);
        let v = |name: &str| {
            race.and_then(|x| x.first_round.iter().find(|(c, _)| c == name))
                .map(|(_, v)| *v)
                .unwrap_or(0.0)
        };
        let (a, b) = (v(&r.leader), v(&r.runner_up));
        if a + b > 0.0 { a / (a + b) } else { 0.5 }
    };
    let naive: Vec<f64> = f.iter().map(naive_of).collect();
    let n = fitted_on.len().max(1) as f64;
    let rate = fitted_on.iter().filter(|r| r.leader_won).count() as f64 / n;
    let errors: Vec<f64> = fitted_on
        .iter()
        .map(|r| r.actual_share - naive_of(r))
        .collect();
    let mean = errors.iter().sum::<f64>() / n;
    let sd = (errors.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0))
        .sqrt()
        .max(1e-6);
    let normal = Normal::new(0.0, sd).ok();
    let with = |p: f64, spread: Option<&Normal>| -> Vec<RaceForecast> {
        f.iter()
            .zip(&naive)
            .map(|(r, &p0)| {
                let mut b = r.clone();
                b.p_leader_wins = p;
                b.share_p50 = p0;
                b.intervals = LEVELS
                    .iter()
                    .map(|(name, level)| {
                        let half = spread
                            .map(|d| d.inverse_cdf(0.5 + level / 2.0))
                            .unwrap_or(0.0);
                        (name.to_string(), [p0 - half, p0 + half])
                    })
                    .collect();
                b.pit = match spread {
                    Some(d) => d.cdf(r.actual_share - p0),
                    None => f64::from(u8::from(r.actual_share >= p0)),
                };
                b
            })
            .collect()
    };
    BTreeMap::from([
        (
            "base_rate".to_string(),
            scores(&with(rate, normal.as_ref())),
        ),
        ("leader_certain".to_string(), scores(&with(1.0, None))),
    ])
}

/// Run the backtest over `races`: every tuning configuration for every race, then leave-one-race-out selection.
pub fn run(
    races: &[Race],
    draws: u64,
    seed: u64,
    split_year: i32,
    progress: &(dyn Fn(usize, usize) + Sync),
    stop: &AtomicBool,
) -> anyhow::Result<Backtest> {
    let configs: Vec<DefaultPrior> = SWING_GRID
        .iter()
        .flat_map(|&sd| {
            SPLIT_GRID.iter().map(move |&split| DefaultPrior {
                swing_sd: sd,
                proportional_split: split,
                ..DefaultPrior::default()
            })
        })
        .collect();
    // Leave-one-race-out, each race's turnout rule is fitted on the other races; out of time, on
    // the races before the split year. Each needs its own grid of forecasts.
    let loro_rules: Vec<Option<TurnoutRule>> = (0..races.len())
        .map(|r| TurnoutRule::fit(&turnout_examples(races, |other| other != r)))
        .collect();
    let dated = races.iter().any(|r| r.year.is_some_and(|y| y < split_year))
        && races
            .iter()
            .any(|r| r.year.is_some_and(|y| y >= split_year));
    let steps = configs.len() * if dated { 2 } else { 1 };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let step = || {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(n, steps);
    };
    // grid[c][r]: configuration c's forecast of race r.
    let grid = self::grid(races, &configs, &loro_rules, draws, seed, &step, stop)?;
    let before_rule = TurnoutRule::fit(&turnout_examples(races, |r| {
        races[r].year.is_some_and(|y| y < split_year)
    }));
    let time_grid = if dated {
        let rules = vec![before_rule; races.len()];
        Some(self::grid(
            races, &configs, &rules, draws, seed, &step, stop,
        )?)
    } else {
        None
    };
    let per_race: Vec<RaceForecast> = (0..races.len())
        .map(|r| grid[best(&grid, |other| other != r)][r].clone())
        .collect();
    let all = &configs[best(&grid, |_| true)];
    let mut loro = scores(&per_race);
    // Leave-one-race-out's constant turnout ratio: the median of the other races'.
    let ratios = |skip: &str| {
        let others: Vec<RaceForecast> = per_race
            .iter()
            .filter(|r| r.race != skip)
            .cloned()
            .collect();
        median(&mut turnout_ratios(&others))
    };
    loro.turnout = turnout_scores(&per_race, |r| ratios(&r.race));
    let time_grid = time_grid.as_deref().unwrap_or(&grid);
    let (out_of_time, out_of_time_skipped) =
        match out_of_time(races, time_grid, &configs, split_year) {
            Ok(o) => (Some(o), None),
            Err(why) => (None, Some(why)),
        };
    Ok(Backtest {
        scores: loro,
        crps: per_race.iter().map(|f| f.crps).sum::<f64>() / per_race.len().max(1) as f64,
        baselines: baselines(&per_race, &per_race, races),
        draws,
        seed,
        tuning: format!(
            "leave-one-race-out: swing sd in {SWING_GRID:?} × split rule in {SPLIT_GRID:?}, chosen by mean log loss of the leader's win plus mean CRPS of its share on the other races; turnout by kind and ballot, fitted on the other races"
        ),
        all_races_best: [all.swing_sd, all.proportional_split],
        turnout_rule: TurnoutRule::fit(&turnout_examples(races, |_| true)),
        out_of_time,
        out_of_time_skipped,
        per_race,
    })
}

/// The configuration of `grid[c][r]` that scores best over the races `used` admits: the least
/// total log loss of the leader's win probability (what users read first) plus CRPS of the
/// leader's share (which also rewards a sharp, well-placed share where the winner's probability is
/// near 0 or 1). In natural units the CRPS (a few points of share) mostly breaks near-ties.
fn best(grid: &[Vec<RaceForecast>], used: impl Fn(usize) -> bool) -> usize {
    let total = |c: usize| -> f64 {
        grid[c]
            .iter()
            .enumerate()
            .filter(|(r, _)| used(*r))
            .map(|(_, f)| score::log_loss(&[f.p_leader_wins], &[f.leader_won]) + f.crps)
            .sum()
    };
    (0..grid.len())
        .min_by(|&a, &b| total(a).total_cmp(&total(b)))
        .unwrap_or(0)
}

/// The out-of-time check on the forecasts `grid[c][r]`, or why it cannot be made.
fn out_of_time(
    races: &[Race],
    grid: &[Vec<RaceForecast>],
    configs: &[DefaultPrior],
    split_year: i32,
) -> Result<OutOfTime, String> {
    let before = |r: usize| races[r].year.is_some_and(|y| y < split_year);
    let after = |r: usize| races[r].year.is_some_and(|y| y >= split_year);
    let (tuned_on, scored) = (
        (0..races.len()).filter(|&r| before(r)).count(),
        (0..races.len()).filter(|&r| after(r)).count(),
    );
    let undated: Vec<String> = races
        .iter()
        .filter(|r| r.year.is_none())
        .map(|r| r.id.clone())
        .collect();
    if tuned_on == 0 || scored == 0 {
        return Err(format!(
            "out of time: {tuned_on} races before {split_year} and {scored} from it on{}; it \
             needs races on both sides (--split-year)",
            if undated.is_empty() {
                String::new()
            } else {
                format!(" ({} without a year)", undated.len())
            }
        ));
    }
    let c = best(grid, before);
    let train: Vec<RaceForecast> = (0..races.len())
        .filter(|&r| before(r))
        .map(|r| grid[c][r].clone())
        .collect();
    let per_race: Vec<RaceForecast> = (0..races.len())
        .filter(|&r| after(r))
        .map(|r| grid[c][r].clone())
        .collect();
    let mut later = scores(&per_race);
    let ratio = median(&mut turnout_ratios(&train));
    later.turnout = turnout_scores(&per_race, |_| ratio);
    Ok(OutOfTime {
        split_year,
        tuned_on,
        chosen: [configs[c].swing_sd, configs[c].proportional_split],
        crps: per_race.iter().map(|f| f.crps).sum::<f64>() / per_race.len() as f64,
        baselines: baselines(&per_race, &train, races),
        scores: later,
        undated,
        per_race,
    })
}
