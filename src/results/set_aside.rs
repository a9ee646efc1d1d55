//! Rows of a table that count no candidate's votes (totals, over- and under-votes, a runoff's
//! write-ins, a totals unit), found and left out with a note.

use super::names::{plain_words, rows_count};
use super::reading::UNIT_JOIN;
use super::{Row, SetAside};
use crate::format::readable;
use std::collections::BTreeMap;

/// Names that results tables give rows counting no candidate: ballots cast, registered voters,
/// totals, over- and under-votes, blank and void ballots (compared as [`plain_words`]).
const NOT_CANDIDATES: [&str; 34] = [
    "total",
    "totals",
    "grand total",
    "total votes",
    "total votes cast",
    "votes cast",
    "ballots cast",
    "total ballots cast",
    "registered voters",
    "registered",
    "times cast",
    "times counted",
    "over votes",
    "overvotes",
    "over vote",
    "overvote",
    "under votes",
    "undervotes",
    "under vote",
    "undervote",
    "over under votes",
    "blank",
    "blanks",
    "blank votes",
    "blank ballots",
    "spoiled",
    "spoiled ballots",
    "rejected",
    "rejected ballots",
    "void",
    "void ballots",
    "blancs",
    "nuls",
    "blancs et nuls",
];

/// Names of write-in votes (compared as [`plain_words`]): in a first round they are votes like any
/// eliminated candidate's, but in a runoff they are votes for neither finalist.
const WRITE_INS: [&str; 8] = [
    "write in",
    "write ins",
    "writein",
    "writeins",
    "write in votes",
    "scattering",
    "scatterings",
    "scattered",
];

/// Unit names of a totals row (compared as [`plain_words`]).
const TOTAL_UNITS: [&str; 14] = [
    "total",
    "totals",
    "grand total",
    "state total",
    "statewide",
    "statewide total",
    "total statewide",
    "all counties",
    "all parishes",
    "all precincts",
    "county total",
    "county totals",
    "parish total",
    "parish totals",
];

/// Whether a candidate column's name says the row counts no candidate.
fn not_a_candidate(name: &str) -> bool {
    NOT_CANDIDATES.contains(&plain_words(name).as_str())
}

/// A unit's county and its own name ("Jefferson / Beat 12" → "Jefferson", "Beat 12"), the county
/// being its first `parent` bytes ([`Row::unit_parent`]); a unit of one column is its own name, in
/// no county.
fn split_unit(unit: &str, parent: usize) -> (&str, &str) {
    match parent {
        0 => ("", unit),
        _ => (&unit[..parent], &unit[parent + UNIT_JOIN.len()..]),
    }
}

/// Leave out the rows of names that count no candidate, and each round's totals unit: a unit whose
/// votes for every candidate are the sum of the other units' (whatever its name), or a unit named
/// like a totals row, which must then be that sum. Anything else named like a total is an error,
/// since it cannot be told from a place.
pub(super) fn set_aside(
    rows: &mut Vec<Row>,
    unit_column: Option<&str>,
) -> Result<Vec<SetAside>, String> {
    let mut out = Vec::new();
    // Names that count no candidate, and runoff write-ins, per race, in order of appearance,
    // with their rows.
    let mut dropped: Vec<(String, String, usize)> = Vec::new();
    let mut write_ins: Vec<(String, String, usize)> = Vec::new();
    rows.retain(|r| {
        let list = if not_a_candidate(&r.candidate) {
            &mut dropped
        } else if r.round == 2 && WRITE_INS.contains(&plain_words(&r.candidate).as_str()) {
            &mut write_ins
        } else {
            return true;
        };
        match list
            .iter_mut()
            .find(|(race, name, _)| *race == r.race && *name == r.candidate)
        {
            Some(entry) => entry.2 += 1,
            None => list.push((r.race.clone(), r.candidate.clone(), 1)),
        }
        false
    });
    for (race, name, n) in dropped {
        out.push(SetAside {
            race,
            what: format!(
                "left out \"{name}\" ({}): it counts no candidate",
                rows_count(n)
            ),
        });
    }
    for (race, name, n) in write_ins {
        out.push(SetAside {
            race,
            what: format!(
                "round 2: left out \"{name}\" ({}): votes for neither finalist",
                rows_count(n)
            ),
        });
    }
    let Some(column) = unit_column else {
        return Ok(out);
    };
    // (race, round) → unit → (its county's length, candidate → votes); a round with an unknown
    // count is not checked.
    type Votes = BTreeMap<String, f64>;
    type Units = BTreeMap<String, (usize, Votes)>;
    let mut rounds: BTreeMap<(String, u8), Option<Units>> = BTreeMap::new();
    for r in rows.iter() {
        let entry = rounds
            .entry((r.race.clone(), r.round))
            .or_insert_with(|| Some(Units::new()));
        match (entry.as_mut(), r.votes) {
            (Some(units), Some(v)) => {
                let unit = r.unit.clone().unwrap_or_default();
                let (_, votes) = units.entry(unit).or_insert((r.unit_parent, Votes::new()));
                *votes.entry(r.candidate.clone()).or_default() += v;
            }
            _ => *entry = None,
        }
    }
    let mut totals: Vec<(String, u8, String)> = Vec::new();
    // With units of several columns ("county/precinct"), a totals row sums the precincts of its
    // county: each county is checked on its own. Units of one column are all in county "".
    for ((race, round), units) in rounds {
        let Some(units) = units else { continue };
        let mut groups: BTreeMap<&str, Vec<(&String, &Votes)>> = BTreeMap::new();
        for (unit, (parent, votes)) in &units {
            groups
                .entry(split_unit(unit, *parent).0)
                .or_default()
                .push((unit, votes));
        }
        // A totals row of the whole race in such a table ("Total / Total") sums every county.
        let race_wide = |parent: &str| TOTAL_UNITS.contains(&plain_words(parent).as_str());
        // It comes last, to be checked against the places once their totals rows are left out.
        let counties = groups.iter().filter(|(parent, _)| !race_wide(parent));
        let race_totals = groups.iter().filter(|(parent, _)| race_wide(parent));
        for (parent, units) in counties.clone().chain(race_totals) {
            // The units the group's own are checked against, themselves included.
            let pool: Vec<&Votes> = if race_wide(parent) {
                let left_out = |unit: &String| {
                    totals
                        .iter()
                        .any(|(r, n, t)| *r == race && *n == round && t == unit)
                };
                counties
                    .clone()
                    .flat_map(|(_, units)| units.iter())
                    .filter(|(unit, _)| !left_out(unit))
                    .chain(units)
                    .map(|(_, votes)| *votes)
                    .collect()
            } else {
                units.iter().map(|(_, votes)| *votes).collect()
            };
            let mut sums: BTreeMap<&str, f64> = BTreeMap::new();
            for votes in &pool {
                for (c, v) in *votes {
                    *sums.entry(c).or_default() += v;
                }
            }
            let with_votes = |u: &Votes| u.values().any(|v| *v > 0.0);
            let counted = pool.iter().filter(|u| with_votes(u)).count();
            // A first-round table has no race, and only the one round.
            let within = if race.is_empty() {
                String::new()
            } else {
                format!("round {round}: ")
            };
            let of = if parent.is_empty() || race_wide(parent) {
                String::new()
            } else {
                format!(" of {parent}")
            };
            for &(unit, votes) in units {
                let named =
                    TOTAL_UNITS.contains(&plain_words(split_unit(unit, parent.len()).1).as_str());
                let others = pool.len() - 1;
                // Other units with votes: a totals row needs two (one, when its name says what it is),
                // or a lone unit, or two equal ones, would pass for one.
                let others_counted = counted.saturating_sub(usize::from(with_votes(votes)));
                // Twice the unit's votes equal the sum over all units, candidate by candidate.
                let gap = sums
                    .iter()
                    .map(|(c, s)| (*c, *s, 2.0 * votes.get(*c).copied().unwrap_or(0.0) - s))
                    .max_by(|a, b| a.2.abs().total_cmp(&b.2.abs()));
                let adds_up = gap.is_none_or(|(_, s, g)| g.abs() <= 1e-9 * s.max(1.0));
                if adds_up && with_votes(votes) && others_counted >= if named { 1 } else { 2 } {
                    totals.push((race.clone(), round, unit.clone()));
                    out.push(SetAside {
                        race: race.clone(),
                        what: format!(
                            "{within}left out {column} \"{unit}\" ({}): its votes are the sum of \
                         the other {others}{of}",
                            rows_count(votes.len())
                        ),
                    });
                } else if named {
                    let (c, s, g) = gap.unwrap_or(("", 0.0, 0.0));
                    let unit_votes = (g + s) / 2.0;
                    return Err(format!(
                        "{}{within}{column} \"{unit}\" reads as a totals row, but it \
                     does not add up to the other {others}{of} (\"{c}\": {} against {}); remove \
                     the totals rows, or name the place",
                        if race.is_empty() {
                            String::new()
                        } else {
                            format!("race {race}, ")
                        },
                        readable(unit_votes),
                        readable(s - unit_votes)
                    ));
                }
            }
        }
    }
    rows.retain(|r| {
        !totals.iter().any(|(race, round, unit)| {
            *race == r.race && *round == r.round && r.unit.as_deref() == Some(unit.as_str())
        })
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{Row, set_aside};

    /// Round-1 rows of race X: (unit, candidate, votes).
    fn rows(cells: &[(&str, &str, f64)]) -> Vec<Row> {
        cells
            .iter()
            .map(|(unit, candidate, votes)| Row {
                race: "X".into(),
                round: 1,
                unit: Some(unit.to_string()),
                unit_parent: 0,
                candidate: candidate.to_string(),
                votes: Some(*votes),
                pct: None,
            })
            .collect()
    }

    #[test]
    fn only_a_unit_that_sums_at_least_two_others_is_a_totals_row() {
        // P + Q = Sum, candidate by candidate: Sum goes, whatever its name.
        let mut three = rows(&[
            ("P", "A", 5.0),
            ("P", "B", 1.0),
            ("Q", "A", 4.0),
            ("Sum", "A", 9.0),
            ("Sum", "B", 1.0),
        ]);
        let said = set_aside(&mut three, Some("county")).unwrap();
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(three.iter().all(|r| r.unit.as_deref() != Some("Sum")));
        // A lone unit with votes, or two equal units, are places, not totals.
        for cells in [
            vec![("P", "A", 5.0), ("Q", "A", 0.0), ("R", "A", 0.0)],
            vec![("P", "A", 5.0), ("Q", "A", 5.0)],
        ] {
            let mut kept = rows(&cells);
            assert_eq!(set_aside(&mut kept, Some("county")), Ok(vec![]));
            assert_eq!(kept.len(), cells.len());
        }
        // Named as a total, one other unit is enough.
        let mut named = rows(&[("P", "A", 5.0), ("Statewide", "A", 5.0)]);
        assert_eq!(
            set_aside(&mut named, Some("county")).map(|s| s.len()),
            Ok(1)
        );
        assert_eq!(named.len(), 1);
    }
}
