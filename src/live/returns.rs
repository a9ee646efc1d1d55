//! The night's returns: the runoff votes of the units counted so far, read from a feed as messy
//! as real ones are. A unit the first round does not have, a candidate who is not a finalist, a
//! count that is not a number, a unit with one finalist's count alone and more runoff votes than
//! the unit's round-one voters allow are refused with the unit, the row and the fix; a unit
//! listed twice takes its latest row, and the tool says so (and when the count went down).

use super::Race;
use crate::error::BadInput;
use crate::format::{parse_number, suggested};
use crate::results::{UNIT_COLUMNS, UNIT_JOIN, unit_key};
use crate::scenario::{A, B};
use indexmap::IndexMap;
use std::path::Path;

/// A unit's runoff votes over its round-1 voters above which the count is refused: a runoff can
/// draw new voters, but not two for each who voted in round one (a digit too many, or another
/// unit's count).
pub const MOST_PER_ROUND_ONE_VOTER: f64 = 2.0;

/// What is counted: per unit of the race, its finalists' votes and the fraction of it counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Returns {
    units: Vec<Option<([f64; 2], f64)>>,
    /// What was done with the feed's quirks (a unit listed twice, a count that went down), said on
    /// the terminal.
    pub notes: Vec<String>,
}

impl Returns {
    /// Nothing counted in a race of `units` units.
    pub fn none(units: usize) -> Self {
        Returns {
            units: vec![None; units],
            notes: Vec::new(),
        }
    }

    /// Unit `unit` counted whole, with these votes of the first and second finalist.
    pub fn count(&mut self, unit: usize, votes: [f64; 2]) {
        self.units[unit] = Some((votes, 1.0));
    }

    /// The units counted whole, with their votes.
    pub fn complete(&self) -> impl Iterator<Item = (usize, [f64; 2])> + '_ {
        self.units
            .iter()
            .enumerate()
            .filter_map(|(i, u)| u.filter(|(_, f)| *f >= 1.0).map(|(v, _)| (i, v)))
    }

    /// The fraction of unit `unit` counted (0 when it has no count).
    pub fn fraction(&self, unit: usize) -> f64 {
        self.units[unit].map_or(0.0, |(_, f)| f)
    }

    /// Units with a count, whole or in part.
    pub fn units_reported(&self) -> usize {
        self.units.iter().flatten().count()
    }

    /// Each finalist's votes counted so far.
    pub fn counted_votes(&self) -> [f64; 2] {
        self.units
            .iter()
            .flatten()
            .fold([0.0; 2], |acc, (v, _)| [acc[A] + v[A], acc[B] + v[B]])
    }
}

/// One row of the feed as read: its line, unit, candidate, votes and reporting fraction.
struct FeedRow {
    line: u64,
    unit: String,
    candidate: String,
    votes: f64,
    reporting: Option<f64>,
}

/// Read the counted units of `race` from `path`. `finalists`: the scenario's, when one is given;
/// else the feed's two candidates are, the round-one leader first. Returns the returns and the
/// finalists.
pub fn read(
    path: &Path,
    race: &Race,
    finalists: Option<&[String; 2]>,
) -> anyhow::Result<(Returns, Vec<String>)> {
    let bad = |msg: String| BadInput(format!("{}: {msg}", path.display()));
    let text = std::fs::read(path).map_err(|e| bad(format!("cannot read the returns: {e}")))?;
    let mut reader = csv::Reader::from_reader(&text[..]);
    let headers = reader
        .headers()
        .map_err(|e| bad(format!("cannot read the header: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let unit_columns: Vec<usize> = race.unit_column.split('/').filter_map(&column).collect();
    if unit_columns.len() != race.unit_column.split('/').count() {
        let has: Vec<&str> = UNIT_COLUMNS
            .iter()
            .copied()
            .filter(|c| column(c).is_some())
            .collect();
        return Err(bad(format!(
            "no `{}` column{}: the returns name their units as round 1 does (fix: a header such as \
             race_id,round,{},candidate,votes[,reporting])",
            race.unit_column,
            if has.is_empty() {
                String::new()
            } else {
                format!(" (it has {})", has.join(", "))
            },
            race.unit_column.replace('/', ",")
        ))
        .into());
    }
    let need = |name: &str| {
        column(name).ok_or_else(|| {
            bad(format!(
                "no `{name}` column (fix: a header such as race_id,round,{},candidate,votes[,reporting])",
                race.unit_column.replace('/', ",")
            ))
        })
    };
    let (candidate_col, votes_col) = (need("candidate")?, need("votes")?);
    let (race_col, round_col, reporting_col) =
        (column("race_id"), column("round"), column("reporting"));
    let mut rows = Vec::new();
    let mut other_races = 0;
    for record in reader.records() {
        let record = record.map_err(|e| bad(format!("cannot read a row: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        let get = |c: usize| record.get(c).unwrap_or("").trim();
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if let Some(c) = race_col
            && !get(c).eq_ignore_ascii_case(&race.id)
        {
            other_races += 1;
            continue;
        }
        if let Some(c) = round_col {
            match get(c) {
                "2" => {}
                // Round-1 rows in the feed are the table's, not the night's.
                "1" => continue,
                other => {
                    return Err(bad(format!(
                        "line {line}: round `{other}`: the returns are the runoff's (fix: round 2, or leave the round column out)"
                    ))
                    .into());
                }
            }
        }
        let unit = unit_columns
            .iter()
            .map(|&c| get(c))
            .collect::<Vec<_>>()
            .join(UNIT_JOIN);
        let candidate = get(candidate_col).to_string();
        let written = get(votes_col);
        let votes = parse_number(written).filter(|v| v.is_finite() && *v >= 0.0).ok_or_else(|| {
            bad(format!(
                "line {line}: {} {unit}, \"{candidate}\": votes `{written}` is not a count (fix: a \
                 whole number of votes, 0 if none)",
                race.unit_column
            ))
        })?;
        let reporting = match reporting_col.map(get).filter(|r| !r.is_empty()) {
            None => None,
            Some(r) => {
                let f = parse_number(r.trim_end_matches('%'))
                    .map(|f| if r.ends_with('%') { f / 100.0 } else { f })
                    .filter(|f| *f > 0.0 && *f <= 1.0)
                    .ok_or_else(|| {
                        bad(format!(
                            "line {line}: {} {unit}: reporting `{r}` is not a fraction above 0 and \
                             at most 1 (fix: 0.4 for 40% of the unit counted; 1, or leave it out, when \
                             it is complete)",
                            race.unit_column
                        ))
                    })?;
                Some(f)
            }
        };
        rows.push(FeedRow {
            line,
            unit,
            candidate,
            votes,
            reporting,
        });
    }
    if rows.is_empty() {
        if other_races > 0 {
            return Err(bad(format!(
                "no rows of race {} (fix: returns of this race, or --race naming theirs)",
                race.id
            ))
            .into());
        }
        // Nothing counted yet: the prior's forecast, when the finalists are known.
        return match finalists {
            Some(f) => Ok((Returns::none(race.units.len()), f.to_vec())),
            None => Err(bad(
                "no counted units yet, and no scenario to name the finalists (fix: give --scenario, \
                 or wait for the first unit's rows)"
                    .to_string(),
            )
            .into()),
        };
    }
    // The finalists: the scenario's, or the feed's two candidates.
    let mut names: Vec<String> = Vec::new();
    for r in &rows {
        if !names.contains(&r.candidate) {
            names.push(r.candidate.clone());
        }
    }
    let finalists: Vec<String> = match finalists {
        Some(f) => {
            for r in &rows {
                if !f.contains(&r.candidate) {
                    return Err(bad(format!(
                        "line {}: \"{}\" is not a finalist of the runoff{} (fix: the returns give the \
                         votes of \"{}\" and \"{}\" only)",
                        r.line,
                        r.candidate,
                        suggested(&r.candidate, &[f[0].as_str(), f[1].as_str()]),
                        f[0],
                        f[1]
                    ))
                    .into());
                }
            }
            f.to_vec()
        }
        // The round-one leader among the two first.
        None if names.len() == 2 => super::finalists(race, &names, None)?.to_vec(),
        None => {
            return Err(bad(format!(
                "the returns name {} candidates ({}), not the runoff's 2 (fix: one row per unit and \
                 finalist, or --scenario naming the two)",
                names.len(),
                crate::format::quoted_list(&names)
            ))
            .into());
        }
    };
    let known: Vec<&str> = race.units.iter().map(|u| u.name.as_str()).collect();
    // unit → per finalist (votes, line), and its reporting fraction with the line that gave it.
    type Counted = Option<(f64, u64)>;
    let mut by_unit: IndexMap<usize, ([Counted; 2], Counted)> = IndexMap::new();
    let mut notes = Vec::new();
    for r in &rows {
        let Some(i) = race.unit_index(&unit_key(&r.unit)) else {
            return Err(bad(format!(
                "line {}: {} \"{}\" is not in round 1 of race {}{} (fix: spell it as round 1 does; a \
                 unit must have its round-1 results to be projected)",
                r.line,
                race.unit_column,
                r.unit,
                race.id,
                suggested(&r.unit, &known)
            ))
            .into());
        };
        let Some(k) = finalists.iter().position(|f| *f == r.candidate) else {
            continue;
        };
        let entry = by_unit.entry(i).or_insert(([None, None], None));
        if let Some((before, line)) = entry.0[k] {
            let what = if r.votes < before {
                format!(
                    "its count went down from {} to {}",
                    crate::format::votes(before),
                    crate::format::votes(r.votes)
                )
            } else if r.votes > before {
                format!(
                    "its count went up from {} to {}",
                    crate::format::votes(before),
                    crate::format::votes(r.votes)
                )
            } else {
                "the same count".to_string()
            };
            notes.push(format!(
                "{} {}, \"{}\": listed on lines {line} and {} ({what}); the latest row, line {}, is used",
                race.unit_column, race.units[i].name, r.candidate, r.line, r.line
            ));
        }
        entry.0[k] = Some((r.votes, r.line));
        if let Some(f) = r.reporting {
            entry.1 = Some((f, r.line));
        }
    }
    let mut returns = Returns::none(race.units.len());
    returns.notes = notes;
    for (i, (votes, reporting)) in by_unit {
        let u = &race.units[i];
        let [Some((a, line_a)), Some((b, line_b))] = votes else {
            let (has, missing) = if votes[A].is_some() { (A, B) } else { (B, A) };
            let line = votes[has].map_or(0, |(_, l)| l);
            return Err(bad(format!(
                "line {line}: {} {} has a count for \"{}\" but none for \"{}\" (fix: add \"{}\"'s \
                 row for it, 0 if none; a unit is projected from both finalists' counts)",
                race.unit_column, u.name, finalists[has], finalists[missing], finalists[missing]
            ))
            .into());
        };
        let fraction = reporting.map_or(1.0, |(f, _)| f);
        if a + b > MOST_PER_ROUND_ONE_VOTER * u.total * fraction {
            return Err(bad(format!(
                "lines {line_a} and {line_b}: {} {} has {} runoff votes{}, more than {} times its {} \
                 round-one voters (fix: check the count: a digit too many, or another unit's votes)",
                race.unit_column,
                u.name,
                crate::format::votes(a + b),
                if fraction < 1.0 {
                    format!(" with {}% of it counted", crate::format::trimmed(100.0 * fraction, 1))
                } else {
                    String::new()
                },
                MOST_PER_ROUND_ONE_VOTER,
                crate::format::votes(u.total)
            ))
            .into());
        }
        returns.units[i] = Some(([a, b], fraction));
    }
    Ok((returns, finalists))
}
