//! `runoff fit`: transfer rates estimated from unit-level (county, precinct…) results of both rounds.
//!
//! What belongs here: the estimate and its uncertainty, and the scenario it writes; the table it
//! prints belongs in `export/fit.rs`, its chart in `chart/fit.rs`.
//!
//! Method (docs/fit.md): pair the units of the two rounds; pool candidates too small to identify;
//! fit a constrained ecological regression weighted by unit size (`solver`); resample units for a
//! bootstrap of the uncertainty; match each row's Dirichlet certainty to that uncertainty.

pub mod bayes;
pub mod solver;

pub use bayes::RowPrior;

use crate::engine::Interrupted;
use crate::error::BadInput;
use crate::results::{Row, UNIT_COLUMNS, choose_race, read_rows, unit_key};
use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Default pooling threshold: candidates under 2% of the first round (not finalists) become "Other".
pub const DEFAULT_POOL_BELOW: f64 = 0.02;
/// Bootstrap resamples (the regression's).
pub const BOOTSTRAP: usize = 200;
/// Units a fit needs at least: the Bayesian fit answers rows the units cannot identify from their
/// prior, but the scale of the units' noise needs a few units to measure.
pub const MIN_UNITS: usize = 3;
/// A row whose first-round share leaves less than this of its variation across units unexplained
/// by the earlier rows' (1 − R²) is refused as not identifiable. Below it the shares differ
/// between units by about one vote in 10,000, as much as counting in whole votes moves them (a
/// synthetic table at 9e-9 gave rows 20 points off, with intervals that missed them); an exact
/// dependence leaves ~1e-16, and the development races' rows leave at least 0.09.
const DEPENDENT_BELOW: f64 = 1e-8;
/// FISTA iterations per fit at most; it stops once converged: after about 1,000 on the
/// development races (fewer than the 3,000 it once always ran; at most 25,000 with no pooling),
/// and 460,000 at most for units whose mixes barely differ (1 − R² of 2.5e-8).
const ITERATIONS: usize = 2_000_000;

/// One unit present in both rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Its name.
    pub name: String,
    /// First-round votes per (pooled) candidate.
    pub first: Vec<f64>,
    /// Runoff votes of the two finalists.
    pub runoff: [f64; 2],
}

/// A race's units, paired, with what could not be paired.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitData {
    /// The race.
    pub race: String,
    /// The unit columns: "county", or "county/precinct" when both name a unit.
    pub unit_column: String,
    /// The two finalists (the first-round leader first).
    pub finalists: [String; 2],
    /// Candidates after pooling, finalists first.
    pub candidates: Vec<String>,
    /// Who was pooled into "Other".
    pub pooled: Vec<String>,
    /// Statewide first-round votes per (pooled) candidate, over every round-1 unit.
    pub statewide: Vec<f64>,
    /// Statewide runoff votes of the two finalists, over every runoff unit.
    pub statewide_runoff: [f64; 2],
    /// Units in both rounds.
    pub units: Vec<Unit>,
    /// Units with first-round results only.
    pub only_first: Vec<String>,
    /// Units with runoff results only.
    pub only_runoff: Vec<String>,
    /// Units in both rounds but with no first-round votes (nothing to regress on).
    pub empty: Vec<String>,
    /// Units paired although the two rounds spell them differently: (round 1, runoff).
    pub respelled: Vec<(String, String)>,
    /// Rows left out as no candidate's votes (totals, over- and under-votes), and why.
    pub set_aside: Vec<String>,
}

/// How many units (or pairs, or rows left out) the terminal and the scenario's comments name: a
/// precinct table can have thousands, all in fit.json.
pub const LISTED: usize = 10;

/// Name of the pooled row, unless a candidate has it.
pub const OTHER: &str = "Other";

/// The pooled row's name: "Other", or, when a candidate is called that (in any case), the first
/// of "Other (pooled)", "Other (pooled 2)", … that no candidate is called.
fn pooled_name(names: &[String]) -> String {
    let taken = |n: &str| names.iter().any(|c| c.trim().eq_ignore_ascii_case(n));
    std::iter::once(OTHER.to_string())
        .chain((1..).map(|k| match k {
            1 => format!("{OTHER} (pooled)"),
            k => format!("{OTHER} (pooled {k})"),
        }))
        .find(|n| !taken(n))
        .unwrap_or_else(|| OTHER.to_string())
}

/// Read one race's units from a long table and pair its rounds; without `race`, the table must
/// hold one race.
pub fn load(path: &Path, race: Option<&str>, pool_below: f64) -> anyhow::Result<UnitData> {
    let bad = |msg: String| BadInput(format!("{}: {msg}", path.display()));
    let table = read_rows(path)?;
    let unit_column = table.unit_column.ok_or_else(|| {
        let n = UNIT_COLUMNS.len();
        let list: String = UNIT_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| match i {
                0 => format!("`{c}`"),
                _ if i + 1 == n => format!(" or `{c}`"),
                _ => format!(", `{c}`"),
            })
            .collect();
        bad(format!(
            "no unit column: the table needs {list} (rename the column of the places to one of \
             these)"
        ))
    })?;
    let race = &choose_race(table.rows.iter().map(|r| r.race.as_str()), race).map_err(bad)?;
    let rows: Vec<&Row> = table.rows.iter().filter(|r| r.race == *race).collect();
    let mut first: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    let mut second: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut finalist_order: Vec<String> = Vec::new();
    // Each round's spelling of each unit key; two spellings within one round are refused, since
    // they could be two places.
    let mut spelling: [BTreeMap<String, String>; 2] = Default::default();
    for r in &rows {
        let written = r.unit.clone().unwrap_or_default();
        let unit = unit_key(&written);
        let seen = spelling[r.round as usize - 1]
            .entry(unit.clone())
            .or_insert_with(|| written.clone());
        if *seen != written {
            return Err(bad(format!(
                "race {race}, round {}: {unit_column} \"{seen}\" and \"{written}\" would be paired as one \
                 place; spell each {unit_column} the same way on every row of a round",
                r.round
            ))
            .into());
        }
        let votes = r.votes.ok_or_else(|| {
            bad(format!(
                "race {race}: {unit_column} {written}: no votes for \"{}\"",
                r.candidate
            ))
        })?;
        let (table, names) = if r.round == 1 {
            (&mut first, &mut order)
        } else {
            (&mut second, &mut finalist_order)
        };
        *table
            .entry(unit)
            .or_default()
            .entry(r.candidate.clone())
            .or_default() += votes;
        if !names.contains(&r.candidate) {
            names.push(r.candidate.clone());
        }
    }
    if finalist_order.len() != 2 {
        return Err(bad(crate::results::not_two_finalists(
            race,
            finalist_order.len(),
        ))
        .into());
    }
    let total_of = |name: &str| {
        first
            .values()
            .map(|u| u.get(name).copied().unwrap_or(0.0))
            .sum::<f64>()
    };
    for f in &finalist_order {
        if !order.contains(f) {
            let known: Vec<&str> = order.iter().map(String::as_str).collect();
            return Err(bad(format!(
                "race {race}: finalist \"{f}\" is missing from round 1; give every runoff \
                 candidate its round-1 votes{}",
                crate::format::suggested(f, &known)
            ))
            .into());
        }
    }
    let mut finalists = [finalist_order[0].clone(), finalist_order[1].clone()];
    if total_of(&finalists[1]) > total_of(&finalists[0]) {
        finalists.swap(0, 1);
    }
    let grand: f64 = order.iter().map(|c| total_of(c)).sum();
    let mut candidates = finalists.to_vec();
    let mut pooled = Vec::new();
    // A candidate without a first-round vote has no voters to send anywhere: no row, and not
    // "Other" (a pool of such candidates alone would be a row of nothing to estimate).
    let mut voteless = Vec::new();
    for c in &order {
        if finalists.contains(c) {
            continue;
        }
        let total = total_of(c);
        if total == 0.0 {
            voteless.push(format!("\"{c}\""));
        } else if grand > 0.0 && total / grand < pool_below {
            pooled.push(c.clone())
        } else {
            candidates.push(c.clone())
        }
    }
    if !pooled.is_empty() {
        candidates.push(pooled_name(&order));
    }
    // A pooled candidate's votes go to the pooled row, the last (a voteless one adds nothing there).
    let column = |name: &str| {
        candidates
            .iter()
            .position(|c| c == name)
            .unwrap_or(candidates.len() - 1)
    };
    let votes_by_column = |unit: &BTreeMap<String, f64>| {
        let mut v = vec![0.0; candidates.len()];
        for (c, x) in unit {
            v[column(c)] += x;
        }
        v
    };
    let statewide = first
        .values()
        .map(votes_by_column)
        .fold(vec![0.0; candidates.len()], |a, b| {
            a.iter().zip(&b).map(|(x, y)| x + y).collect()
        });
    let statewide_runoff = [0, 1].map(|k| {
        second
            .values()
            .map(|u| u.get(&finalists[k]).copied().unwrap_or(0.0))
            .sum::<f64>()
    });
    let written = |round: usize, key: &String| spelling[round].get(key).unwrap_or(key).clone();
    let mut units = Vec::new();
    let mut only_first = Vec::new();
    let mut respelled = Vec::new();
    for (key, votes) in &first {
        match second.get(key) {
            Some(r2) => {
                let (one, two) = (written(0, key), written(1, key));
                if one != two {
                    respelled.push((one.clone(), two));
                }
                units.push(Unit {
                    name: one,
                    first: votes_by_column(votes),
                    runoff: [0, 1].map(|k| r2.get(&finalists[k]).copied().unwrap_or(0.0)),
                })
            }
            None => only_first.push(written(0, key)),
        }
    }
    let only_runoff = second
        .keys()
        .filter(|u| !first.contains_key(*u))
        .map(|key| written(1, key))
        .collect();
    let (units, empty): (Vec<Unit>, Vec<Unit>) = units
        .into_iter()
        .partition(|u| u.first.iter().sum::<f64>() > 0.0);
    let empty = empty.into_iter().map(|u| u.name).collect();
    if units.len() < MIN_UNITS {
        return Err(bad(format!(
            "race {race}: only {} {} both rounds; a fit needs at least {MIN_UNITS} (fix: a table of \
             more units, such as precincts)",
            units.len(),
            if units.len() == 1 { "unit has" } else { "units have" },
        ))
        .into());
    }
    let mut set_aside: Vec<String> = table
        .set_aside
        .into_iter()
        .filter(|s| s.race == *race)
        .map(|s| s.what)
        .collect();
    if !voteless.is_empty() {
        set_aside.push(format!(
            "left out, no first-round votes in any unit: {}",
            voteless.join(", ")
        ));
    }
    Ok(UnitData {
        race: race.to_string(),
        set_aside,
        unit_column,
        finalists,
        candidates,
        pooled,
        statewide,
        statewide_runoff,
        units,
        only_first,
        only_runoff,
        respelled,
        empty,
    })
}

/// The regression's own demands, refused before it runs (the Bayesian fit answers these cases
/// from the prior and flags the rows instead): k + 2 units for k rows, and rows whose first-round
/// shares are not a fixed linear combination of the earlier rows' across the units.
pub fn regression_identifies(data: &UnitData, path: &Path) -> Result<(), BadInput> {
    let bad = |msg: String| BadInput(format!("{}: race {}: {msg}", path.display(), data.race));
    let (units, candidates) = (&data.units, &data.candidates);
    if units.len() < candidates.len() + 2 {
        return Err(bad(format!(
            "only {} {} both rounds; the regression's {} rows need at least {} (pool more \
             candidates with --pool-below, or leave out --method regression: the Bayesian fit \
             flags the rows the units cannot identify)",
            units.len(),
            if units.len() == 1 {
                "unit has"
            } else {
                "units have"
            },
            candidates.len(),
            candidates.len() + 2
        )));
    }
    let paired: Vec<&Unit> = units.iter().collect();
    if let Some(i) = normal_equations(&paired, candidates.len()).dependent_row(DEPENDENT_BELOW) {
        let name = &candidates[i];
        let why = if paired.iter().all(|u| u.first[i] == 0.0) {
            format!(
                "\"{name}\" has no first-round votes in any of the {} units of both rounds, so the \
                 regression has nothing to estimate its voters' runoff from (fix: give the runoff \
                 results of the units where it ran)",
                units.len()
            )
        } else {
            let earlier = crate::format::quoted_list(&candidates[..i]);
            format!(
                "in all {} units of both rounds, \"{name}\"'s first-round share is a fixed \
                 linear combination of the shares of {earlier} (as when every unit has the same \
                 mix of candidates), so the regression cannot tell where its voters went from \
                 where theirs went (fix: a table of units whose mixes of candidates differ, such \
                 as precincts, or leave out --method regression: the Bayesian fit answers from \
                 the prior and flags the row)",
                units.len()
            )
        };
        return Err(bad(why));
    }
    Ok(())
}

/// The estimate of one row with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowEstimate {
    /// Candidate (or "Other").
    pub candidate: String,
    /// Statewide first-round votes.
    pub votes: f64,
    /// Point estimate `[to A, to B, stays home]`: the posterior mean (Bayesian fit) or the
    /// constrained least-squares rows (regression).
    pub shares: [f64; 3],
    /// 90% intervals of each: posterior quantiles, or the bootstrap's.
    pub interval90: [[f64; 2]; 3],
    /// Dirichlet certainty of the written row: the largest whose 90% Beta intervals hold the
    /// posterior's (Bayesian fit), or matched to the bootstrap's spread (regression).
    pub certainty: f64,
    /// The row's prior (Bayesian fit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<RowPrior>,
    /// Whether the prior came from `--prior` (else it is the uniform default).
    #[serde(default)]
    pub prior_given: bool,
    /// Posterior sd of each share (Bayesian fit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<[f64; 3]>,
    /// What the data cannot tell about the row.
    #[serde(default)]
    pub flags: Vec<RowFlag>,
}

impl RowEstimate {
    /// How far the data moved the row from its prior: the largest change of a share.
    pub fn moved(&self) -> Option<f64> {
        self.prior.map(|p| {
            (0..3)
                .map(|c| (self.shares[c] - p.shares[c]).abs())
                .fold(0.0, f64::max)
        })
    }

    /// The row as the scenario writes it: 4 decimals summing to 1, and no share the fit may send
    /// voters to written as 0 (which `runoff run` would read as a structural zero).
    pub fn written(&self) -> [f64; 3] {
        match self.prior {
            Some(p) => rounded_row_floored(self.shares, p.shares.map(|m| m > 0.0)),
            None => rounded_row(self.shares),
        }
    }
}

/// What the data cannot tell about a row, with what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum RowFlag {
    /// The units left the row near its prior: some share's posterior sd is at least half its
    /// prior sd (`kept`, the largest such ratio).
    Weak {
        /// Posterior sd over prior sd, the largest over the row's shares.
        kept: f64,
        remedy: Remedy,
    },
    /// The units cannot tell this group's voters from another's: their shares to a finalist trade
    /// off across the posterior draws.
    Tangled {
        /// The other row.
        with: String,
        /// The correlation of the two rows' shares.
        correlation: f64,
        remedy: Remedy,
    },
    /// (Regression) a share at 0% or 100% with an interval of no width: the bootstrap cannot widen
    /// a corner of the constrained regression.
    Corner,
}

/// What would settle a flagged row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remedy {
    /// Eliminated candidates only: pooling them is a way out.
    Pool,
    /// A finalist's row is involved, which cannot be pooled: a prior or smaller units.
    Prior,
    /// A `--prior` row already holds it: the row is as good as that prior.
    Given,
}

impl Remedy {
    /// For a row (and the row it is tangled with): given priors first, then finalists (who come
    /// first in the data's order).
    fn of(rows: &[usize], priors: &Priors) -> Remedy {
        if rows.iter().any(|&i| priors.given[i]) {
            Remedy::Given
        } else if rows.iter().any(|&i| i < 2) {
            Remedy::Prior
        } else {
            Remedy::Pool
        }
    }
}

/// Posterior sd at least this fraction of the prior's: the data said little about the row.
pub const WEAK_KEPT: f64 = 0.5;
/// Two rows' shares correlated at or below this across the draws: tangled.
pub const TANGLED_BELOW: f64 = -0.75;

impl RowFlag {
    /// One line: what is wrong and what to do.
    pub fn advice(&self) -> String {
        match self {
            RowFlag::Weak { kept, remedy } => format!(
                "weakly identified: the units left its spread at {:.0}% of the prior's; {}",
                100.0 * kept,
                match remedy {
                    Remedy::Pool =>
                        "pool it (--pool-below), give its row in --prior, or fit on \
                                     smaller units (precincts)",
                    Remedy::Prior =>
                        "give its row in --prior (a survey of how its first-round \
                                      voters voted), or fit on smaller units (precincts)",
                    Remedy::Given => "the row is what its --prior row says, little more",
                }
            ),
            RowFlag::Tangled {
                with,
                correlation,
                remedy,
            } => format!(
                "cannot be told from \"{with}\" (their shares trade off, correlation \
                 {correlation:.2}): {}",
                match remedy {
                    Remedy::Pool => "pool the two (--pool-below), or give one's row in --prior",
                    Remedy::Prior =>
                        "give one's row in --prior (a survey of how each first-round \
                                      electorate voted), or fit on smaller units (precincts)",
                    Remedy::Given => "the split between them rests on the --prior rows",
                }
            ),
            RowFlag::Corner => "at a corner with no spread, which the bootstrap of a \
                 constrained regression cannot widen: leave out --method regression for the \
                 Bayesian fit's intervals"
                .to_string(),
        }
    }

    /// A word for the table and the chart.
    pub fn word(&self) -> &'static str {
        match self {
            RowFlag::Weak { .. } => "weak",
            RowFlag::Tangled { .. } => "tangled",
            RowFlag::Corner => "corner",
        }
    }
}

/// How `fit` estimates the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The Bayesian model with contextual effects ([`bayes`]).
    Bayes,
    /// Constrained ecological regression with a bootstrap over units.
    Regression,
}

impl Method {
    /// The fewest units a fit of `k` rows by this method takes: the Bayesian prior bounds every
    /// row, the regression needs more units than rows.
    pub fn least_units(self, k: usize) -> usize {
        match self {
            Method::Bayes => MIN_UNITS,
            Method::Regression => k + 2,
        }
    }
}

/// Each row's prior, by candidate, and where the given ones came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Priors {
    /// One per (pooled) candidate, in the data's order.
    pub rows: Vec<RowPrior>,
    /// Whether each came from the file (else the uniform default).
    pub given: Vec<bool>,
    /// The `--prior` file.
    pub file: Option<std::path::PathBuf>,
    /// Candidates of the file pooled into "Other" in the fit, whose rows it leaves unused.
    pub unused: Vec<String>,
}

impl Priors {
    /// The uniform default for every row.
    pub fn uniform(k: usize) -> Self {
        Priors {
            rows: vec![RowPrior::uniform(); k],
            given: vec![false; k],
            file: None,
            unused: Vec::new(),
        }
    }
}

/// The rows of a scenario file as the prior of a fit: every candidate of the data that the file
/// has a row for (its own or `[default_transfer]`), its shares and certainty; the others keep
/// the uniform default. The file's finalists must be the data's.
pub fn priors_from(path: &Path, data: &UnitData) -> anyhow::Result<Priors> {
    let scenario = crate::scenario::load_file(path)?;
    let bad = |msg: String| BadInput(format!("{} (--prior): {msg}", path.display()));
    let mut theirs = scenario.finalists.clone();
    theirs.sort();
    let mut ours = data.finalists.clone();
    ours.sort();
    if theirs != ours {
        return Err(bad(format!(
            "its finalists are {} but the data's are {} (fix: a prior scenario of this race, or \
             its finalists renamed as the data spell them)",
            crate::format::quoted_list(&scenario.finalists),
            crate::format::quoted_list(&data.finalists)
        ))
        .into());
    }
    // The file's rows are [to its first finalist, to its second, abstain].
    let swapped = scenario.finalists[0] != data.finalists[0];
    let mut priors = Priors::uniform(data.candidates.len());
    priors.file = Some(path.to_path_buf());
    let known: Vec<&str> = data.candidates.iter().map(String::as_str).collect();
    for c in &scenario.candidates {
        if data.pooled.contains(&c.name) {
            priors.unused.push(c.name.clone());
            continue;
        }
        let Some(i) = data.candidates.iter().position(|d| *d == c.name) else {
            return Err(bad(format!(
                "\"{}\" has a row in the prior but is not a first-round candidate of the data{}",
                c.name,
                crate::format::suggested(&c.name, &known)
            ))
            .into());
        };
        let [a, b, h] = c.transfer.shares;
        priors.rows[i] = RowPrior {
            shares: if swapped { [b, a, h] } else { [a, b, h] },
            certainty: c.transfer.certainty,
        };
        priors.given[i] = true;
    }
    Ok(priors)
}

/// A finished fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// The race.
    pub race: String,
    /// Finalists, leader first.
    pub finalists: [String; 2],
    /// How the rows were estimated.
    #[serde(default = "regression")]
    pub method: Method,
    /// One row per (pooled) candidate.
    pub rows: Vec<RowEstimate>,
    /// (Bayesian fit) the scale of the contextual effects the units support: how far a group's
    /// rates shift per unit of a candidate's share, as an sd.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contextual_sd: Option<f64>,
    /// (Bayesian fit) the sampler's acceptance rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<f64>,
    /// The `--prior` file, and its rows the fit left unused (candidates pooled into "Other").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_file: Option<std::path::PathBuf>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prior_unused: Vec<String>,
    /// Candidates pooled into "Other".
    pub pooled: Vec<String>,
    /// New voters as a share of the first round (runoff turnout above a unit's first round), and their split.
    pub new_voters: (f64, [f64; 2]),
    /// Units used.
    pub units: usize,
    /// Units dropped because they appear in only one round: (first only, runoff only).
    pub unpaired: (Vec<String>, Vec<String>),
    /// Units dropped because they have no first-round votes.
    pub empty_units: Vec<String>,
    /// Units paired although the rounds spell them differently: (round 1, runoff).
    #[serde(default)]
    pub respelled: Vec<(String, String)>,
    /// Rows of the table left out as no candidate's votes (totals, over- and under-votes), and why.
    #[serde(default)]
    pub set_aside: Vec<String>,
    /// Turnout-weighted mean absolute error of the units' fitted first-finalist share (in sample).
    pub unit_share_mae: f64,
    /// Statewide first-finalist share: fitted and actual (over paired units).
    pub statewide_share: [f64; 2],
    /// Per unit: (name, runoff turnout, fitted share, actual share).
    pub by_unit: Vec<(String, f64, f64, f64)>,
}

fn regression() -> Method {
    Method::Regression
}

/// Runoff shares of one unit relative to its first-round total; turnout above it is new voters.
fn unit_targets(u: &Unit) -> (f64, [f64; 2], f64) {
    let x: f64 = u.first.iter().sum();
    let y = u.runoff[0] + u.runoff[1];
    let excess = (y - x).max(0.0);
    let scale = if y > x { x / y } else { 1.0 };
    (
        x,
        [u.runoff[0] / x * scale, u.runoff[1] / x * scale],
        excess,
    )
}

/// The regression's normal equations on `units`.
fn normal_equations(units: &[&Unit], k: usize) -> solver::Normal {
    let targets: Vec<(f64, Vec<f64>, [f64; 2])> = units
        .iter()
        .map(|u| {
            let (x, s, _) = unit_targets(u);
            (x, u.first.iter().map(|v| v / x).collect(), s)
        })
        .collect();
    solver::Normal::new(k, targets.iter().map(|(w, p, s)| (*w, p.as_slice(), *s)))
}

/// Fit the rows on `units`.
pub fn estimate(units: &[&Unit], k: usize) -> Vec<[f64; 3]> {
    normal_equations(units, k).solve(ITERATIONS)
}

/// New voters' share of the first round and their split, from the units' turnout above round one.
fn new_voters(units: &[&Unit]) -> (f64, [f64; 2]) {
    let (mut total, mut excess, mut to_a) = (0.0, 0.0, 0.0);
    for u in units {
        let (x, _, e) = unit_targets(u);
        total += x;
        excess += e;
        let y = u.runoff[0] + u.runoff[1];
        if y > 0.0 {
            to_a += e * u.runoff[0] / y;
        }
    }
    let share = if total > 0.0 { excess / total } else { 0.0 };
    let a = if excess > 0.0 { to_a / excess } else { 0.5 };
    (share, [a, 1.0 - a])
}

/// Predicted first-finalist share of a unit under rows `beta` and new voters `nv`.
pub fn predict(u: &Unit, beta: &[[f64; 3]], nv: (f64, [f64; 2])) -> f64 {
    let mut p = [0.0; 2];
    let x: f64 = u.first.iter().sum();
    for (i, v) in u.first.iter().enumerate() {
        p[0] += v / x * beta[i][0];
        p[1] += v / x * beta[i][1];
    }
    predict_from(u, p, nv)
}

/// A unit's first-finalist share from its predicted runoff votes of each finalist as shares `p`
/// of its first-round total, and new voters `nv`.
fn predict_from(u: &Unit, p: [f64; 2], nv: (f64, [f64; 2])) -> f64 {
    let x: f64 = u.first.iter().sum();
    let ab = [0, 1].map(|c| x * p[c] + x * nv.0 * nv.1[c]);
    if ab[0] + ab[1] > 0.0 {
        ab[0] / (ab[0] + ab[1])
    } else {
        0.5
    }
}

fn actual_share(u: &Unit) -> f64 {
    let y = u.runoff[0] + u.runoff[1];
    if y > 0.0 { u.runoff[0] / y } else { 0.5 }
}

/// Turnout-weighted mean absolute error of predicted shares over `units`.
pub fn weighted_error(units: &[&Unit], predicted: impl Fn(&Unit) -> f64) -> f64 {
    let (mut err, mut w) = (0.0, 0.0);
    for u in units {
        let t = u.runoff[0] + u.runoff[1];
        err += t * (predicted(u) - actual_share(u)).abs();
        w += t;
    }
    if w > 0.0 { err / w } else { f64::NAN }
}

/// The naive baseline: eliminated voters split like the finalists' first-round votes in the unit,
/// uniform drop-off, so the unit's predicted share is the finalists' first-round two-way share.
pub fn baseline_share(u: &Unit) -> f64 {
    let (a, b) = (u.first[0], u.first[1]);
    if a + b > 0.0 { a / (a + b) } else { 0.5 }
}

/// `work` on each of the `items` on every thread; the results in the items' order. The items are
/// drawn from `items` in turn, as threads take them, so their random draws are the same for any
/// number of threads and only those in hand are held. Calls `progress(done, total)` as each
/// finishes, and stops with [`Interrupted`] once `stop` is set (Ctrl-C).
fn each_in_parallel<T: Send, R: Send>(
    items: impl ExactSizeIterator<Item = T> + Send,
    work: impl Fn(T) -> R + Sync + Send,
    progress: &(dyn Fn(usize, usize) + Sync),
    stop: &AtomicBool,
) -> Result<Vec<R>, Interrupted> {
    let (total, done) = (items.len(), AtomicUsize::new(0));
    let mut results: Vec<(usize, R)> = items
        .enumerate()
        .par_bridge()
        .map(|(i, item)| {
            if stop.load(Ordering::Relaxed) {
                return Err(Interrupted);
            }
            let result = work(item);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            Ok((i, result))
        })
        .collect::<Result<_, _>>()?;
    results.sort_unstable_by_key(|&(i, _)| i);
    Ok(results.into_iter().map(|(_, result)| result).collect())
}

/// What a fit needs besides the data.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// How to estimate the rows.
    pub method: Method,
    /// The rows' priors (the Bayesian fit's).
    pub priors: &'a Priors,
    /// Seed of the sampler, the bootstrap and the hold-out's halves.
    pub seed: u64,
}

/// Fit the rows (seeded, so the same data give the same file for any number of threads). Calls
/// `progress(done, total)` as the work advances, and stops with [`Interrupted`] once `stop` is
/// set (Ctrl-C).
pub fn fit(
    data: &UnitData,
    options: Options,
    progress: &(dyn Fn(usize, usize) + Sync),
    stop: &AtomicBool,
) -> Result<Fit, Interrupted> {
    let all: Vec<&Unit> = data.units.iter().collect();
    let nv = new_voters(&all);
    let mut fit = match options.method {
        Method::Bayes => {
            let posterior = bayes::posterior(&all, &options.priors.rows, options.seed);
            progress(1, 1);
            let mut fit = finished(
                data,
                nv,
                Method::Bayes,
                bayes_rows(data, options.priors, &posterior),
                |u| posterior.unit_shares(u),
            );
            fit.contextual_sd = Some(posterior.contextual_sd);
            fit.acceptance = Some(posterior.acceptance);
            fit.prior_file = options.priors.file.clone();
            fit.prior_unused = options.priors.unused.clone();
            fit
        }
        Method::Regression => {
            let (rows, beta) = regression_rows(data, &all, options.seed, progress, stop)?;
            finished(data, nv, Method::Regression, rows, |u| shares_of(u, &beta))
        }
    };
    if stop.load(Ordering::Relaxed) {
        return Err(Interrupted);
    }
    fit.new_voters = nv;
    Ok(fit)
}

/// A unit's runoff votes of each finalist, as shares of its first-round total, under `rows`.
fn shares_of(u: &Unit, rows: &[[f64; 3]]) -> [f64; 2] {
    let x: f64 = u.first.iter().sum();
    [0, 1].map(|c| {
        u.first
            .iter()
            .zip(rows)
            .map(|(v, row)| v / x * row[c])
            .sum()
    })
}

/// The rows of the Bayesian fit: the posterior's means, intervals and sds, the certainty that
/// covers them, and the flags of what the data cannot tell.
fn bayes_rows(data: &UnitData, priors: &Priors, posterior: &bayes::Posterior) -> Vec<RowEstimate> {
    let k = data.candidates.len();
    (0..k)
        .map(|i| {
            let prior = priors.rows[i];
            let mut flags = Vec::new();
            let kept = (0..3)
                .filter(|&c| prior.sd(c) > 0.0)
                .map(|c| posterior.sd[i][c] / prior.sd(c))
                .fold(0.0, f64::max);
            if kept >= WEAK_KEPT {
                flags.push(RowFlag::Weak {
                    kept,
                    remedy: Remedy::of(&[i], priors),
                });
            }
            let tangled = (0..k)
                .filter(|&j| j != i)
                .flat_map(|j| [0, 1].map(|c| (j, posterior.correlation[c][i * k + j])))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((j, correlation)) = tangled
                && correlation <= TANGLED_BELOW
            {
                flags.push(RowFlag::Tangled {
                    with: data.candidates[j].clone(),
                    correlation,
                    remedy: Remedy::of(&[i, j], priors),
                });
            }
            let mut row = RowEstimate {
                candidate: data.candidates[i].clone(),
                votes: data.statewide[i],
                shares: posterior.mean[i],
                interval90: posterior.interval90[i],
                certainty: 0.0,
                prior: Some(prior),
                prior_given: priors.given[i],
                sd: Some(posterior.sd[i]),
                flags,
            };
            row.certainty = bayes::covering_certainty(row.written(), row.interval90);
            row
        })
        .collect()
}

/// The regression's rows with their bootstrap over units. The resamples are drawn in turn from
/// one stream and fitted on every thread, so the rows are the same for any number of threads
/// (where the units' mixes barely differ, the solver takes some 80 ms per resample). Calls
/// `progress(done, BOOTSTRAP)` as resamples are fitted.
fn regression_rows(
    data: &UnitData,
    all: &[&Unit],
    seed: u64,
    progress: &(dyn Fn(usize, usize) + Sync),
    stop: &AtomicBool,
) -> Result<(Vec<RowEstimate>, Vec<[f64; 3]>), Interrupted> {
    let k = data.candidates.len();
    let beta = estimate(all, k);
    let mut rng = crate::engine::rng::SeedKey::new(seed).stream(0, 0);
    let samples = (0..BOOTSTRAP).map(|_| -> Vec<&Unit> {
        (0..all.len())
            .map(|_| all[rng.random_range(0..all.len())])
            .collect()
    });
    let draws = each_in_parallel(samples, |s| estimate(&s, k), progress, stop)?;
    let rows = (0..k)
        .map(|i| {
            let interval90 = [0, 1, 2].map(|c| {
                let mut xs: Vec<f64> = draws.iter().map(|d| d[i][c]).collect();
                xs.sort_by(f64::total_cmp);
                [quantile(&xs, 0.05), quantile(&xs, 0.95)]
            });
            let corner = (0..3).any(|c| {
                let [lo, hi] = interval90[c];
                hi - lo < 1e-9 && (beta[i][c] < 1e-9 || beta[i][c] > 1.0 - 1e-9)
            });
            RowEstimate {
                candidate: data.candidates[i].clone(),
                votes: data.statewide[i],
                shares: beta[i],
                interval90,
                certainty: matched_certainty(beta[i], draws.iter().map(|d| d[i])),
                prior: None,
                prior_given: false,
                sd: None,
                flags: if corner {
                    vec![RowFlag::Corner]
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    Ok((rows, beta))
}

/// The fit around its rows: how well `predicted` (a unit's runoff votes of each finalist as
/// shares of its first-round total) reproduces the units and the race.
fn finished(
    data: &UnitData,
    nv: (f64, [f64; 2]),
    method: Method,
    rows: Vec<RowEstimate>,
    predicted: impl Fn(&Unit) -> [f64; 2],
) -> Fit {
    let all: Vec<&Unit> = data.units.iter().collect();
    let by_unit: Vec<(String, f64, f64, f64)> = data
        .units
        .iter()
        .map(|u| {
            (
                u.name.clone(),
                u.runoff[0] + u.runoff[1],
                predict_from(u, predicted(u), nv),
                actual_share(u),
            )
        })
        .collect();
    let fitted: [f64; 2] = {
        let (mut a, mut t, mut ya, mut yt) = (0.0, 0.0, 0.0, 0.0);
        // What the rows say, as the written scenario does (the Bayesian fit's units are
        // predicted with their contextual effects as well).
        let shares: Vec<[f64; 3]> = rows.iter().map(|r| r.shares).collect();
        for (u, (_, turnout, _, actual)) in data.units.iter().zip(&by_unit) {
            let x: f64 = u.first.iter().sum();
            let p = shares_of(u, &shares);
            let predicted_turnout = x * (p[0] + p[1]);
            a += predicted_turnout * predict_from(u, p, nv);
            t += predicted_turnout;
            ya += turnout * actual;
            yt += turnout;
        }
        [a / t.max(1e-12), ya / yt.max(1e-12)]
    };
    Fit {
        race: data.race.clone(),
        finalists: data.finalists.clone(),
        method,
        rows,
        contextual_sd: None,
        acceptance: None,
        prior_file: None,
        prior_unused: Vec::new(),
        pooled: data.pooled.clone(),
        new_voters: nv,
        units: data.units.len(),
        unpaired: (data.only_first.clone(), data.only_runoff.clone()),
        respelled: data.respelled.clone(),
        set_aside: data.set_aside.clone(),
        empty_units: data.empty.clone(),
        unit_share_mae: weighted_error(&all, |u| predict_from(u, predicted(u), nv)),
        statewide_share: fitted,
        by_unit,
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The Dirichlet concentration whose marginal variances m(1 − m)/(κ + 1) best match the bootstrap's.
fn matched_certainty(mean: [f64; 3], draws: impl Iterator<Item = [f64; 3]> + Clone) -> f64 {
    let n = draws.clone().count().max(2) as f64;
    let mut kappas = Vec::new();
    for c in 0..3 {
        let m = mean[c];
        if !(0.01..=0.99).contains(&m) {
            continue;
        }
        let avg = draws.clone().map(|d| d[c]).sum::<f64>() / n;
        let var = draws.clone().map(|d| (d[c] - avg).powi(2)).sum::<f64>() / (n - 1.0);
        if var > 0.0 {
            kappas.push(m * (1.0 - m) / var - 1.0);
        }
    }
    kappas.sort_by(f64::total_cmp);
    let kappa = if kappas.is_empty() {
        1000.0
    } else {
        kappas[kappas.len() / 2]
    };
    kappa.clamp(2.0, 5000.0)
}

/// The out-of-sample check's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Holdout {
    /// Random halves drawn.
    pub drawn: usize,
    /// Halves used; the others had too few units, or units that cannot identify the rows, to fit.
    pub used: usize,
    /// Mean turnout-weighted error of the first finalist's share in the held-out halves: the
    /// fit's, then the naive baseline's.
    pub error: [f64; 2],
    /// Halves where the fit beat the baseline.
    pub wins: usize,
}

/// Out-of-sample check: `splits` random halves; fit on one, predict the other. The halves are
/// drawn in turn from one stream and fitted on every thread, and their errors added in the order
/// drawn, so the result is the same for any number of threads. Calls `progress(done, splits)` as
/// halves are fitted, and stops with [`Interrupted`] once `stop` is set (Ctrl-C).
pub fn holdout(
    data: &UnitData,
    splits: usize,
    options: Options,
    progress: &(dyn Fn(usize, usize) + Sync),
    stop: &AtomicBool,
) -> Result<Holdout, Interrupted> {
    let k = data.candidates.len();
    let mut rng = crate::engine::rng::SeedKey::new(options.seed).stream(0, 0);
    let halves = (0..splits).map(|_| -> (Vec<&Unit>, Vec<&Unit>) {
        data.units.iter().partition(|_| rng.random::<bool>())
    });
    // The fit's and the baseline's errors on the held-out half, or None for a half too small to
    // fit or whose units cannot tell the rows apart.
    let errors = each_in_parallel(
        halves,
        |(train, test)| {
            let nv = new_voters(&train);
            let error = match options.method {
                Method::Bayes => {
                    if train.len() < options.method.least_units(k) || test.is_empty() {
                        return None;
                    }
                    let posterior = bayes::posterior(&train, &options.priors.rows, options.seed);
                    weighted_error(&test, |u| predict_from(u, posterior.unit_shares(u), nv))
                }
                Method::Regression => {
                    if train.len() < options.method.least_units(k) || test.is_empty() {
                        return None;
                    }
                    let normal = normal_equations(&train, k);
                    if normal.dependent_row(DEPENDENT_BELOW).is_some() {
                        return None;
                    }
                    let beta = normal.solve(ITERATIONS);
                    weighted_error(&test, |u| predict(u, &beta, nv))
                }
            };
            Some((error, weighted_error(&test, baseline_share)))
        },
        progress,
        stop,
    )?;
    let mut result = Holdout {
        drawn: splits,
        used: 0,
        error: [0.0; 2],
        wins: 0,
    };
    for (f, b) in errors.into_iter().flatten() {
        result.used += 1;
        result.error[0] += f;
        result.error[1] += b;
        result.wins += usize::from(f < b);
    }
    result.error = result.error.map(|e| e / result.used.max(1) as f64);
    Ok(result)
}

/// The fitted scenario file, with comments that record the data, the method and the fit's quality.
pub fn scenario_toml(fit: &Fit, data: &UnitData, source: &Path) -> String {
    use std::fmt::Write;
    let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let [a, b] = &fit.finalists;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Written by `runoff fit` (docs/fit.md) from {} ({} units by {}).",
        source.display(),
        crate::format::votes(fit.units as f64),
        data.unit_column
    );
    match fit.method {
        Method::Bayes => {
            let prior = match &fit.prior_file {
                Some(file) => format!(
                    "the rows of {} as priors (a uniform Dirichlet for the others)",
                    file.display()
                ),
                None => "a uniform Dirichlet prior on every row".to_string(),
            };
            let _ = writeln!(
                t,
                "# Method: Bayesian ecological inference: each group's rates vary by unit around its race-wide row,\n\
                 # with contextual effects (sd {:.3}, from the units) and {prior}. Shares are posterior means;\n\
                 # each certainty is the largest at which every share's draws hold its 90% posterior interval.",
                fit.contextual_sd.unwrap_or(0.0)
            );
        }
        Method::Regression => {
            let _ = writeln!(
                t,
                "# Method: constrained ecological regression (every row on the simplex, weighted by unit size),"
            );
            let _ = writeln!(
                t,
                "# {BOOTSTRAP} bootstrap resamples of units for the 90% intervals; certainty matched to their spread."
            );
        }
    }
    let _ = writeln!(
        t,
        "# Fit: in-sample turnout-weighted error of the units' {a} share {:.2} points; statewide share fitted {:.2}%, actual {:.2}%.",
        100.0 * fit.unit_share_mae,
        100.0 * fit.statewide_share[0],
        100.0 * fit.statewide_share[1]
    );
    if !fit.unpaired.0.is_empty() || !fit.unpaired.1.is_empty() {
        let _ = writeln!(
            t,
            "# Not paired (left out of the regression): {} with round 1 only{}; {} with the runoff only{}.",
            fit.unpaired.0.len(),
            list(&fit.unpaired.0),
            fit.unpaired.1.len(),
            list(&fit.unpaired.1)
        );
    }
    if !fit.empty_units.is_empty() {
        let _ = writeln!(
            t,
            "# Left out, no first-round votes: {}{}.",
            fit.empty_units.len(),
            list(&fit.empty_units)
        );
    }
    if !fit.pooled.is_empty() {
        let _ = writeln!(
            t,
            "# \"{}\" pools the candidates under the pooling threshold: {}.",
            fit.rows.last().map_or(OTHER, |r| r.candidate.as_str()),
            fit.pooled.join(", ")
        );
    }
    let _ = writeln!(
        t,
        "# Ecological inference reads individual behaviour off aggregates: treat these rows as estimates, not facts."
    );
    let _ = writeln!(t, "name = {}", q(&format!("{} (fitted)", fit.race)));
    let _ = writeln!(
        t,
        "description = {}",
        q(&format!(
            "Transfer rates estimated from {} {} results of both rounds.",
            crate::format::votes(fit.units as f64),
            data.unit_column
        ))
    );
    let _ = writeln!(t, "\nfinalists = [{}, {}]", q(a), q(b));
    let _ = writeln!(t, "\n[first_round]   # statewide, over every round-1 unit");
    for r in &fit.rows {
        let _ = writeln!(t, "{} = {}", q(&r.candidate), r.votes.round());
    }
    for r in &fit.rows {
        let iv = |c: usize| {
            if r.prior.is_some_and(|p| p.shares[c] == 0.0) {
                return "structural zero: the prior's".to_string();
            }
            format!(
                "90% {:.1}–{:.1}%",
                100.0 * r.interval90[c][0],
                100.0 * r.interval90[c][1]
            )
        };
        let _ = writeln!(t);
        if let (Some(prior), Some(moved)) = (r.prior, r.moved()) {
            let from = if r.prior_given {
                "given"
            } else {
                "uniform default"
            };
            let _ = writeln!(
                t,
                "# prior ({from}): {:.1}% / {:.1}% / {:.1}% at certainty {}; the data moved it {:.1} points",
                100.0 * prior.shares[0],
                100.0 * prior.shares[1],
                100.0 * prior.shares[2],
                crate::format::trimmed(prior.certainty, 1),
                100.0 * moved
            );
        }
        for flag in &r.flags {
            let _ = writeln!(t, "# {}", flag.advice());
        }
        let _ = writeln!(
            t,
            "[transfers.{}]",
            crate::scenario::key_segment(&r.candidate)
        );
        let row = r.written();
        let _ = writeln!(t, "{} = {:.4}   # {}", q(a), row[0], iv(0));
        let _ = writeln!(t, "{} = {:.4}   # {}", q(b), row[1], iv(1));
        let _ = writeln!(t, "abstain = {:.4}   # {}", row[2], iv(2));
        if row.iter().filter(|x| **x > 0.0).count() > 1 {
            let _ = writeln!(t, "certainty = {:.1}", r.certainty);
        } else if r.prior.is_some() {
            let _ = writeln!(
                t,
                "# no certainty: the prior's structural zeros leave one share, so the row is the same in every draw"
            );
        } else {
            // A certainty here would change nothing, and `runoff run` would say so.
            let _ = writeln!(
                t,
                "# no certainty: one share is 1, so the row is the same in every draw"
            );
        }
    }
    let (share, split) = fit.new_voters;
    if share > 0.0 {
        let _ = writeln!(
            t,
            "\n# Runoff turnout above a unit's first round, summed: voters new to the runoff."
        );
        let _ = writeln!(t, "[new_voters]");
        let _ = writeln!(t, "share = {share:.5}");
        let split = rounded_row([split[0], split[1], 0.0]);
        let _ = writeln!(t, "{} = {:.4}", q(a), split[0]);
        let _ = writeln!(t, "{} = {:.4}", q(b), 1.0 - split[0]);
        let _ = writeln!(t, "certainty = 50");
    }
    if data.statewide_runoff.iter().sum::<f64>() > 0.0 {
        let _ = writeln!(
            t,
            "\n# The runoff, statewide over every runoff unit: `runoff run` says where it fell among the\n\
             # draws (in sample, since the rows above were fitted to it)."
        );
        let votes = data.statewide_runoff.map(f64::round);
        t.push_str(&crate::scenario::actual_toml(&fit.finalists, votes));
    }
    t
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        let more = if names.len() > LISTED { ", …" } else { "" };
        format!(
            " ({}{more})",
            names
                .iter()
                .take(LISTED)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// A row rounded to 4 decimals that still sums to 1 exactly as the file states it.
/// A row rounded to 4 decimals that sums to 1 exactly as the file states it, with every share in
/// `open` at least 0.0001; the largest share takes up the rounding.
fn rounded_row_floored(shares: [f64; 3], open: [bool; 3]) -> [f64; 3] {
    let r = |x: f64| (x * 1e4).round() / 1e4;
    let mut row = [0, 1, 2].map(|c| if open[c] { r(shares[c]).max(1e-4) } else { 0.0 });
    let largest = (0..3)
        .max_by(|&a, &b| row[a].total_cmp(&row[b]))
        .unwrap_or(0);
    row[largest] = 0.0;
    row[largest] = r(1.0 - row.iter().sum::<f64>());
    row
}

fn rounded_row(shares: [f64; 3]) -> [f64; 3] {
    let r = |x: f64| (x * 1e4).round() / 1e4;
    let a = r(shares[0]);
    let b = r(shares[1]).min(1.0 - a);
    [a, b, r((1.0 - a - b).max(0.0))]
}
