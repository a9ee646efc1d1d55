//! Election night: the runoff projected unit by unit (county, parish, precinct) from each unit's
//! first round, the scenario as the prior, and the units counted so far.
//!
//! What belongs here: the race's units as round 1 gives them ([`Race`]), the unit-level model
//! and its update on what is counted ([`project`]), the counted returns with the checks a messy
//! feed needs (`returns`), and the rehearsal of a past night (`replay`). The tables, files and
//! charts of it live in `export/live.rs` and `chart/live.rs`, the commands in `command/live.rs`;
//! the model is explained in docs/election-night.md.

pub mod model;
pub mod replay;
pub mod returns;

use crate::error::BadInput;
use crate::results::{choose_race, read_rows, unit_key};
use crate::scenario::Scenario;
use indexmap::IndexMap;
use std::path::Path;

pub use model::{Projection, Quantiles5, project};
pub use returns::Returns;

/// Draws per projection unless `--draws` says otherwise: enough that the win probability's
/// standard error is under 0.2 points, and an update of 254 counties takes a fraction of a second.
pub const DEFAULT_DRAWS: u64 = 100_000;

/// One unit of the race as round 1 gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct RaceUnit {
    /// As the table writes it.
    pub name: String,
    /// What it is matched by across tables (case, dots and a trailing "County" aside).
    pub key: String,
    /// Round-1 votes per candidate, in [`Race::candidates`]' order.
    pub first: Vec<f64>,
    /// Their sum.
    pub total: f64,
}

/// A race's first round by unit, and, when the table has them, its runoff's votes by unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Race {
    /// `race_id`.
    pub id: String,
    /// The unit column ("county", "county/precinct").
    pub unit_column: String,
    /// Round-1 candidates with votes, in the table's order.
    pub candidates: Vec<String>,
    /// Units with round-1 votes, in the table's order.
    pub units: Vec<RaceUnit>,
    /// Runoff candidates in the table's order (empty when it has no round 2).
    pub runoff_candidates: Vec<String>,
    /// Per unit (same order as `units`), its runoff votes per runoff candidate, when it has any.
    pub runoff: Vec<Option<Vec<f64>>>,
    /// Runoff units that round 1 does not have (a replay cannot count them).
    pub runoff_only: Vec<String>,
    /// Rows left out as no candidate's votes (totals, over- and under-votes), and why.
    pub set_aside: Vec<String>,
}

impl Race {
    /// Round-1 votes of each candidate over all units.
    pub fn statewide(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.candidates.len()];
        for u in &self.units {
            for (o, v) in out.iter_mut().zip(&u.first) {
                *o += v;
            }
        }
        out
    }

    /// Round-1 votes over all units.
    pub fn total(&self) -> f64 {
        self.units.iter().map(|u| u.total).sum()
    }

    /// The unit with this key, if round 1 has it.
    pub fn unit_index(&self, key: &str) -> Option<usize> {
        self.units.iter().position(|u| u.key == key)
    }
}

/// Read race `race` (or the table's only race) of a long table by unit: round 1 always, round 2
/// when present (`live` reads only round 1: the night's returns come from `--returns`).
pub fn load_race(path: &Path, race: Option<&str>) -> anyhow::Result<Race> {
    let bad = |msg: String| BadInput(format!("{}: {msg}", path.display()));
    let table = read_rows(path)?;
    let unit_column = table.unit_column.clone().ok_or_else(|| {
        bad(format!(
            "no unit column: election night needs the first round by unit, in a column called {} \
             (rename the column of the places to one of these)",
            crate::format::quoted_list(&crate::results::UNIT_COLUMNS.map(String::from))
        ))
    })?;
    let id = choose_race(table.rows.iter().map(|r| r.race.as_str()), race).map_err(bad)?;
    let mut candidates: Vec<String> = Vec::new();
    let mut runoff_candidates: Vec<String> = Vec::new();
    // Units in round 1's order: key → (name, votes per candidate name).
    let mut first: IndexMap<String, (String, IndexMap<String, f64>)> = IndexMap::new();
    let mut second: IndexMap<String, (String, IndexMap<String, f64>)> = IndexMap::new();
    for r in table.rows.iter().filter(|r| r.race == id) {
        let name = r.unit.clone().unwrap_or_default();
        let votes = r.votes.ok_or_else(|| {
            bad(format!(
                "race {id}: {unit_column} {name}: no votes for \"{}\" (fix: give its count, 0 if none)",
                r.candidate
            ))
        })?;
        let (units, names) = if r.round == 1 {
            (&mut first, &mut candidates)
        } else {
            (&mut second, &mut runoff_candidates)
        };
        if !names.contains(&r.candidate) {
            names.push(r.candidate.clone());
        }
        let entry = units
            .entry(unit_key(&name))
            .or_insert_with(|| (name.clone(), IndexMap::new()));
        *entry.1.entry(r.candidate.clone()).or_default() += votes;
    }
    if first.is_empty() {
        return Err(bad(format!(
            "race {id} has no round-1 rows by {unit_column}: election night projects the runoff \
             from each unit's first round (fix: add the race's round-1 results by {unit_column})"
        ))
        .into());
    }
    // Candidates without a vote anywhere send no one anywhere.
    let statewide = |c: &String| {
        first
            .values()
            .map(|(_, v)| v.get(c).copied().unwrap_or(0.0))
            .sum::<f64>()
    };
    candidates.retain(|c| statewide(c) > 0.0);
    let mut units = Vec::new();
    let mut runoff = Vec::new();
    for (key, (name, votes)) in &first {
        let row: Vec<f64> = candidates
            .iter()
            .map(|c| votes.get(c).copied().unwrap_or(0.0))
            .collect();
        let total: f64 = row.iter().sum();
        if total <= 0.0 {
            continue;
        }
        units.push(RaceUnit {
            name: name.clone(),
            key: key.clone(),
            first: row,
            total,
        });
        runoff.push(second.get(key).map(|(_, v)| {
            runoff_candidates
                .iter()
                .map(|c| v.get(c).copied().unwrap_or(0.0))
                .collect()
        }));
    }
    let runoff_only = second
        .iter()
        .filter(|(k, _)| !first.contains_key(*k))
        .map(|(_, (name, _))| name.clone())
        .collect();
    Ok(Race {
        id: id.to_string(),
        unit_column,
        candidates,
        units,
        runoff_candidates,
        runoff,
        runoff_only,
        set_aside: table
            .set_aside
            .into_iter()
            .filter(|s| s.race == id)
            .map(|s| s.what)
            .collect(),
    })
}

/// The prior for the night: the scenario given, checked against the race (every round-1
/// candidate must have a row in it, and its finalists must be the night's), or, without one, the
/// default prior (docs/default-prior.md) built from the race's round 1 for these finalists.
pub fn prior(
    race: &Race,
    finalists: &[String; 2],
    scenario: Option<Scenario>,
) -> anyhow::Result<Scenario> {
    let Some(s) = scenario else {
        let first_round: Vec<(String, f64)> = race
            .candidates
            .iter()
            .cloned()
            .zip(race.statewide())
            .collect();
        let text = crate::backtest::prior::DefaultPrior::bundled(None, None).scenario_toml(
            &race.id,
            &format!("race {}, round 1 by {}", race.id, race.unit_column),
            &first_round,
            finalists,
        );
        return crate::scenario::parse_str(&text, Path::new(&format!("{}.toml", race.id))).map_err(
            |e| {
                BadInput(format!(
                    "the default prior for race {} would be invalid: {e}",
                    race.id
                ))
                .into()
            },
        );
    };
    let file = s.file.display().to_string();
    for f in finalists {
        if !s.finalists.contains(f) {
            return Err(BadInput(format!(
                "{file}: its finalists are \"{}\" and \"{}\", but the night's are \"{}\" and \"{}\" \
                 (fix: a scenario of this runoff, or leave --scenario out for the default prior)",
                s.finalists[0], s.finalists[1], finalists[0], finalists[1]
            ))
            .into());
        }
    }
    let known: Vec<&str> = s.candidates.iter().map(|c| c.name.as_str()).collect();
    for c in &race.candidates {
        if !known.contains(&c.as_str()) {
            return Err(BadInput(format!(
                "{file}: round 1 of race {} has \"{c}\", which the scenario's [first_round] does \
                 not{} (fix: give the scenario every round-1 candidate of the table, spelt as the \
                 table spells them)",
                race.id,
                crate::format::suggested(c, &known)
            ))
            .into());
        }
    }
    Ok(s)
}

/// The night's two finalists, first finalist first: the scenario's, or else the two given (the
/// runoff's candidates), the round-one leader among them first.
pub fn finalists(
    race: &Race,
    runoff: &[String],
    scenario: Option<&Scenario>,
) -> anyhow::Result<[String; 2]> {
    if let Some(s) = scenario {
        return Ok(s.finalists.clone());
    }
    if runoff.len() != 2 {
        return Err(BadInput(format!(
            "race {}: the runoff has {} candidates, not 2 (fix: give --scenario with the two finalists, \
             or returns of the two)",
            race.id,
            runoff.len()
        ))
        .into());
    }
    let statewide = race.statewide();
    let votes = |name: &str| {
        race.candidates
            .iter()
            .position(|c| c == name)
            .map_or(0.0, |i| statewide[i])
    };
    for f in runoff {
        if votes(f) <= 0.0 {
            let known: Vec<&str> = race.candidates.iter().map(String::as_str).collect();
            return Err(BadInput(format!(
                "race {}: runoff candidate \"{f}\" has no round-1 votes{} (fix: spell each finalist \
                 as round 1 does)",
                race.id,
                crate::format::suggested(f, &known)
            ))
            .into());
        }
    }
    let (a, b) = (runoff[0].clone(), runoff[1].clone());
    Ok(if votes(&b) > votes(&a) {
        [b, a]
    } else {
        [a, b]
    })
}
