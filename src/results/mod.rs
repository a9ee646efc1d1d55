//! Long tables of real results (`race_id,round,<unit>,candidate,votes[,pct,…]`), as in data/:
//! rows, races and units.
//!
//! What belongs here: reading a results CSV into races (both rounds, by unit where given), with
//! every row that counts no candidate set aside and said, and a clear error for a malformed table.
//! What is done with the races belongs in `backtest/`, `fit/` and the commands.

mod kind;
mod names;
mod reading;
mod set_aside;

use crate::error::BadInput;
use crate::format::readable;
use crate::format::{thousands_point_note, thousands_points};
use crate::scenario::MAX_VOTES;
use indexmap::IndexMap;
pub use kind::{Ballot, Kind};
use names::{Spellings, match_runoff_names, rows_count};
pub use reading::{UNIT_COLUMNS, UNIT_JOIN};
use reading::{
    Units, bad, column, count_fix, data_rows, open_table, parse_count, read_table, round_error,
    round_of, table_name,
};
use set_aside::set_aside;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// One race: its first round, and the runoff when the table has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Race {
    /// `race_id`.
    pub id: String,
    /// First-round votes per candidate, in table order (summed over units).
    pub first_round: Vec<(String, f64)>,
    /// Runoff candidates in table order with their votes (summed over units), when counts exist.
    pub runoff_votes: Vec<(String, Option<f64>)>,
    /// Runoff percentages per candidate, when the table has a `pct` column.
    pub runoff_pct: Vec<(String, Option<f64>)>,
    /// Whether `first_round` was made from round 1's percentages (× [`PCT_SCALE`] votes), the
    /// table having no counts for it: its shares are right, its size is not.
    pub first_round_from_pct: bool,
    /// The race's year, from the table's `year` column or else its id ("TX-2012-SEN-R"), when
    /// either gives one: the backtest's out-of-time check needs it.
    pub year: Option<i32>,
    /// The kind of election: the table's `kind` column, or else told from its `party` and
    /// `office` columns; `None` when the table says nothing of it.
    pub kind: Option<Kind>,
    /// What heads the runoff ballot: the table's `ballot` column, or else the most prominent
    /// office among the table's races of the same state, year and party (the race's own office
    /// when those columns are missing); `None` when the table names no office.
    pub ballot: Option<Ballot>,
    /// Why the first round cannot be used (a candidate with neither votes nor a percentage), when
    /// it cannot; `first_round` is then empty. Kept with the race rather than refusing the table,
    /// so that a backtest can leave the race out (`--skip-unscorable`) or name it with the others.
    pub first_round_unusable: Option<String>,
}

/// Votes per percentage point when a first round is known only in percentages: a nominal first
/// round of about a million voters, so that shares (all a backtest scores then) come out to about
/// six digits.
pub const PCT_SCALE: f64 = 10_000.0;

/// Why a race whose runoff has `count` candidates (not 2) cannot be used, and what to do.
pub fn not_two_finalists(race: &str, count: usize) -> String {
    match count {
        0 => format!(
            "race {race}: the table has no runoff (round 2) rows; give round 2 a row for each of the two finalists"
        ),
        1 => format!(
            "race {race}: the runoff (round 2) has one candidate, not 2; give round 2 a row for each of the two finalists, or leave the race out if its runoff was not held (a finalist withdrew)"
        ),
        n => format!(
            "race {race}: the runoff (round 2) has {n} candidates, not 2; give round 2 a row for each of the two finalists only"
        ),
    }
}

impl Race {
    /// The two runoff candidates, first-round leader first.
    pub fn finalists(&self) -> Result<[String; 2], String> {
        if let Some(why) = &self.first_round_unusable {
            return Err(why.clone());
        }
        let names: Vec<&String> = self.runoff_votes.iter().map(|(n, _)| n).collect();
        if names.len() != 2 {
            return Err(not_two_finalists(&self.id, names.len()));
        }
        let votes = |n: &str| {
            self.first_round
                .iter()
                .find(|(c, _)| c == n)
                .map(|(_, v)| *v)
        };
        match (votes(names[0]), votes(names[1])) {
            (Some(a), Some(b)) => Ok(if a >= b {
                [names[0].clone(), names[1].clone()]
            } else {
                [names[1].clone(), names[0].clone()]
            }),
            (a, _) => {
                let missing = if a.is_none() { names[0] } else { names[1] };
                let known: Vec<&str> = self.first_round.iter().map(|(c, _)| c.as_str()).collect();
                Err(format!(
                    "race {}: runoff candidate \"{missing}\" has no round-1 row; give every runoff \
                     candidate its round-1 votes{}",
                    self.id,
                    crate::format::suggested(missing, &known)
                ))
            }
        }
    }

    /// The runoff's two-party share of `name` and its turnout, from counts, else from percentages.
    pub fn runoff_result(&self, name: &str) -> Option<(f64, Option<f64>)> {
        let counts: Option<Vec<f64>> = self.runoff_votes.iter().map(|(_, v)| *v).collect();
        if let Some(counts) = counts {
            let total: f64 = counts.iter().sum();
            let i = self.runoff_votes.iter().position(|(n, _)| n == name)?;
            return (total > 0.0).then(|| (counts[i] / total, Some(total)));
        }
        let pcts: Option<Vec<f64>> = self.runoff_pct.iter().map(|(_, v)| *v).collect();
        let pcts = pcts?;
        let total: f64 = pcts.iter().sum();
        let i = self.runoff_pct.iter().position(|(n, _)| n == name)?;
        (total > 0.0).then(|| (pcts[i] / total, None))
    }
}

/// The race a command works on: `wanted` when the table has it, or the table's only race when
/// none is named; else why not, listing the races.
pub fn choose_race<'a>(
    ids: impl Iterator<Item = &'a str>,
    wanted: Option<&str>,
) -> Result<String, String> {
    let mut all: Vec<&str> = Vec::new();
    for id in ids {
        if Some(id) == wanted {
            return Ok(id.to_string());
        }
        if !all.contains(&id) {
            all.push(id);
        }
    }
    let list = if all.len() > 12 {
        format!("{}, … ({} in all)", all[..12].join(", "), all.len())
    } else {
        all.join(", ")
    };
    // `al-2020-sen-r` or ` AL-2020-SEN-R` for AL-2020-SEN-R, when no other race reads the same;
    // the commands say which race was taken.
    if let Some(w) = wanted {
        let folded = |id: &str| id.trim().to_lowercase();
        let close: Vec<&&str> = all.iter().filter(|id| folded(id) == folded(w)).collect();
        if let [only] = close.as_slice() {
            return Ok(only.to_string());
        }
    }
    match (wanted, all.as_slice()) {
        (None, [only]) => Ok(only.to_string()),
        (None, _) => Err(format!(
            "the table holds {} races ({list}); choose one with --race ID",
            all.len()
        )),
        (Some(id), _) => {
            // Part of an id ("TX-2014-SEN", "2014") names the races that contain it.
            let part = id.trim().to_lowercase();
            let near: Vec<&str> = all
                .iter()
                .copied()
                .filter(|r| !part.is_empty() && r.to_lowercase().contains(&part))
                .collect();
            match near.len() {
                1..=12 => Err(format!(
                    "no race `{id}`; the races whose id contains it: {} (fix: give the whole id \
                     with --race)",
                    near.join(", ")
                )),
                _ => Err(format!("no race `{id}` (races: {list})")),
            }
        }
    }
}

/// One row of a long table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `race_id`.
    pub race: String,
    /// 1 or 2.
    pub round: u8,
    /// The unit ("Jefferson", or "Jefferson / Beat 12" with county and precinct columns), when the
    /// table has unit columns.
    pub unit: Option<String>,
    /// Bytes of `unit` that name the place it lies in, before the join and its last column's name
    /// ("Jefferson" in "Jefferson / Beat 12"); 0 for a unit of one column.
    pub unit_parent: usize,
    /// Candidate name.
    pub candidate: String,
    /// Votes, when given.
    pub votes: Option<f64>,
    /// Percentage, when the table has a `pct` column and the row a value.
    pub pct: Option<f64>,
}

/// How a unit is matched across rounds: case, dots, spacing and a trailing "County" or "Parish"
/// differ between sources ("DeSoto" and "DESOTO", "St. Clair" and "St Clair", "Adams County" and
/// "Adams") without naming a different place.
pub fn unit_key(name: &str) -> String {
    // Each part of a unit of several columns ("Jefferson County / 12") on its own.
    name.split(UNIT_JOIN)
        .map(|part| {
            let upper = part.to_uppercase().replace('.', " ");
            let mut words: Vec<&str> = upper.split_whitespace().collect();
            if words.len() > 1 && matches!(words.last(), Some(&"COUNTY") | Some(&"PARISH")) {
                words.pop();
            }
            words.join(" ")
        })
        .collect::<Vec<_>>()
        .join(UNIT_JOIN)
}

/// A long table as read: its rows, its unit column, and the rows left out as no candidate's votes.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The rows kept.
    pub rows: Vec<Row>,
    /// The unit columns ("county", "county/precinct"), when the table has any.
    pub unit_column: Option<String>,
    /// What was left out, and why.
    pub set_aside: Vec<SetAside>,
    /// Each race's facts from the optional one-per-race columns (year, state, office, party,
    /// kind, ballot).
    pub facts: HashMap<String, RaceFacts>,
}

/// What the optional columns say of a race, each the same on all of its rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RaceFacts {
    pub year: Option<i32>,
    pub state: Option<String>,
    pub office: Option<String>,
    pub party: Option<String>,
    pub kind: Option<Kind>,
    pub ballot: Option<Ballot>,
}

/// Rows of a table that count no candidate's votes (a totals row, over- and under-votes), and a
/// runoff's write-ins, left out so that they neither double a candidate's votes nor pass for a
/// candidate or a finalist.
#[derive(Debug, Clone, PartialEq)]
pub struct SetAside {
    /// The race (empty in a first-round table, which has none).
    pub race: String,
    /// What was left out and why, in a sentence.
    pub what: String,
}

/// Read every row of a long table, checking columns, rounds and numbers; rows that count no
/// candidate are set aside, and runoff names spelt otherwise than in round 1 matched to it
/// ([`SetAside`]).
pub fn read_rows(path: &Path) -> anyhow::Result<Table> {
    let bad = |msg: String| bad(path, msg);
    let text = read_table(path)?;
    let (mut reader, headers) = open_table(path, &text)?;
    let col = |name: &str| column(&headers, name);
    let need = |name: &str| {
        col(name).ok_or_else(|| {
            // A table of one round alone, such as a primary's results, is what `new` reads apart.
            let first_round_alone =
                if name == "round" && col("candidate").is_some() && col("votes").is_some() {
                    "; a first round alone is read by `runoff new --first-round FILE.csv`"
                } else {
                    ""
                };
            bad(format!(
                "no `{name}` column (the table needs round, candidate and votes, and race_id \
                 when it holds several races{first_round_alone})"
            ))
        })
    };
    let (race, round, candidate, votes) = (
        col("race_id"),
        need("round")?,
        need("candidate")?,
        need("votes")?,
    );
    // Without a race_id column the table is one race, named after the file.
    let one_race = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pct = col("pct");
    let year = col("year");
    let texts = ["state", "office", "party"].map(|name| (name, col(name)));
    let (kind, ballot) = (col("kind"), col("ballot"));
    let mut facts: HashMap<String, RaceFacts> = HashMap::new();
    let units = Units::of(&headers);
    let unit_name = units.name();
    let mut rows = Vec::new();
    // (race, round, unit, candidate) → the line that gave it, to refuse a repeated row.
    let mut seen: HashMap<(String, u8, Option<String>, String), usize> = HashMap::new();
    let mut spellings = Spellings::default();
    let mut counts: Vec<WrittenCount> = Vec::new();
    for row in data_rows(&mut reader, &text) {
        let (line, record) = row.map_err(bad)?;
        let field = |c: usize| record.get(c).unwrap_or("").trim();
        let id = match race {
            Some(c) => table_name(line, "race_id", field(c)).map_err(bad)?,
            None => one_race.clone(),
        };
        let r = round_of(field(round)).ok_or_else(|| bad(round_error(line, field(round))))?;
        let number = |text: &str, what: &str| -> Result<Option<f64>, BadInput> {
            if text.is_empty() {
                return Ok(None);
            }
            match parse_count(text) {
                Some(v) => Ok(Some(v)),
                None => Err(bad(format!(
                    "line {line}: {what} `{text}` is not a number between 0 and {} ({})",
                    readable(MAX_VOTES),
                    count_fix(
                        text,
                        "write them in a `pct` column, and leave `votes` empty where only \
                         percentages are known"
                    )
                    .unwrap_or_else(|| {
                        "write digits, like 239604 or 239,604, or \
                         leave the field empty when unknown"
                            .to_string()
                    })
                ))),
            }
        };
        let (place, parent) = units.place(line, &record).map_err(bad)?.unzip();
        let name = spellings.take(
            &id,
            table_name(line, "candidate", field(candidate)).map_err(bad)?,
        );
        let key = (id.clone(), r, place.clone(), name.clone());
        if let Some(first) = seen.insert(key, line) {
            let within = match (&place, &unit_name) {
                (Some(p), Some(column)) => format!(" in race {id}, round {r}, {column} {p}"),
                _ => format!(" in race {id}, round {r}"),
            };
            return Err(bad(repeated_row(
                line,
                first,
                &name,
                &within,
                unit_name.as_deref(),
            ))
            .into());
        }
        let count = number(field(votes), "votes")?;
        if let Some(v) = count {
            counts.push((id.clone(), line, field(votes).to_string(), v));
        }
        let race_facts = facts.entry(id.clone()).or_default();
        // One value per race: a second, different one on a later row is refused.
        let differs = |name: &str, here: &str, before: &str| {
            bad(format!(
                "line {line}: race {id} has {name} `{here}` here but `{before}` on an earlier \
                 row (one race, one {name}; write the same on every row of the race)"
            ))
        };
        if let Some(c) = year.filter(|&c| !field(c).is_empty()) {
            let y = year_of(field(c)).ok_or_else(|| {
                bad(format!(
                    "line {line}: year `{}` is not a year (write it like 2012, or leave the field \
                     empty)",
                    field(c)
                ))
            })?;
            if let Some(other) = race_facts.year.filter(|&other| other != y) {
                return Err(differs("year", &y.to_string(), &other.to_string()).into());
            }
            race_facts.year = Some(y);
        }
        for (name, c) in texts {
            let Some(c) = c.filter(|&c| !field(c).is_empty()) else {
                continue;
            };
            let slot = match name {
                "state" => &mut race_facts.state,
                "office" => &mut race_facts.office,
                _ => &mut race_facts.party,
            };
            match slot {
                Some(before) if before != field(c) => {
                    return Err(differs(name, field(c), before).into());
                }
                _ => *slot = Some(field(c).to_string()),
            }
        }
        if let Some(c) = kind.filter(|&c| !field(c).is_empty()) {
            let k = Kind::parse(field(c)).ok_or_else(|| {
                bad(format!(
                    "line {line}: kind `{}` is not a kind of election (write primary, general \
                     or national, or leave the field empty to have it told from the party and \
                     office)",
                    field(c)
                ))
            })?;
            if let Some(before) = race_facts.kind.filter(|&b| b != k) {
                return Err(differs("kind", k.as_str(), before.as_str()).into());
            }
            race_facts.kind = Some(k);
        }
        if let Some(c) = ballot.filter(|&c| !field(c).is_empty()) {
            let b = Ballot::parse(field(c)).ok_or_else(|| {
                bad(format!(
                    "line {line}: ballot `{}` is not what heads a runoff ballot (write top for a \
                     president, governor or U.S. senator, second for a lieutenant governor or \
                     attorney general, lower for any other office, or leave the field empty)",
                    field(c)
                ))
            })?;
            if let Some(before) = race_facts.ballot.filter(|&x| x != b) {
                return Err(differs("ballot", b.as_str(), before.as_str()).into());
            }
            race_facts.ballot = Some(b);
        }
        rows.push(Row {
            race: id,
            round: r,
            unit: place,
            unit_parent: parent.unwrap_or(0),
            candidate: name,
            votes: count,
            pct: match pct {
                // Percentages are often written with their sign: 50.9%.
                Some(c) => {
                    let text = field(c).trim_end_matches('%').trim_end();
                    let pct = number(text, "pct").ok();
                    pct.filter(|v| v.is_none_or(|v| v <= 100.0))
                        .ok_or_else(|| {
                            bad(format!(
                                "line {line}: pct `{text}` is not a percentage between 0 and 100 \
                                 (write it like 50.9 or 50.9%, or leave the field empty when \
                                 unknown)"
                            ))
                        })?
                }
                None => None,
            },
        });
    }
    let mut set_aside = point_notes(&counts);
    set_aside.extend(percentage_notes(&rows, &counts));
    set_aside.extend(spellings.said());
    set_aside.extend(self::set_aside(&mut rows, unit_name.as_deref()).map_err(bad)?);
    set_aside.extend(match_runoff_names(&mut rows));
    if rows.is_empty() {
        return Err(bad("the table has no rows of candidates' votes".to_string()).into());
    }
    Ok(Table {
        rows,
        unit_column: unit_name,
        set_aside,
        facts,
    })
}

/// What heads a race's runoff ballot, told from the offices of the table's races that share its
/// state, year and party (the same voters on the same day); from its own office alone when the
/// table has no state, year or party.
fn ballot_of(race: &RaceFacts, all: &HashMap<String, RaceFacts>) -> Option<Ballot> {
    let own = race.office.as_deref()?;
    if race.state.is_none() || race.year.is_none() {
        return Ballot::of_office(own);
    }
    let same = |other: &RaceFacts| {
        other.state == race.state && other.year == race.year && other.party == race.party
    };
    Ballot::of_offices(
        all.values()
            .filter(|other| same(other))
            .filter_map(|other| other.office.as_deref()),
    )
}

/// A year as a table writes it: four digits, 1800 to 2200.
fn year_of(text: &str) -> Option<i32> {
    let y: i32 = text.parse().ok()?;
    (1800..=2200).contains(&y).then_some(y)
}

/// The year a race id spells ("TX-2012-SEN-R", "FR-2012-PRES"): its one run of four digits
/// between separators that reads as a year.
fn year_in_id(id: &str) -> Option<i32> {
    let years: Vec<i32> = id
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 4)
        .filter_map(year_of)
        .collect();
    match years[..] {
        [y] => Some(y),
        _ => None,
    }
}

/// `items` of a table (rows, counts) by race, races in order of first appearance. One pass: a
/// search of the races seen so far for every row takes minutes on a table of thousands of races.
fn by_race<'a, T>(items: &'a [T], race: impl Fn(&'a T) -> &'a str) -> Vec<(&'a str, Vec<&'a T>)> {
    let mut races: Vec<(&str, Vec<&T>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for item in items {
        let i = *index.entry(race(item)).or_insert_with(|| {
            races.push((race(item), Vec::new()));
            races.len() - 1
        });
        races[i].1.push(item);
    }
    races
}

/// A count as a table writes it, for [`point_notes`]: race, line, text, votes.
type WrittenCount = (String, usize, String, f64);

/// A note for each race whose votes most likely have their thousands grouped by a point
/// ([`thousands_points`]: `178.626` for 178626), which reads as a decimal point.
/// Votes that add up to 100 (or 1) in a round of a race or unit, not all whole: percentages (or
/// shares) in the `votes` column, which would be read as a race of a hundred voters (or one). One
/// note per race.
fn percentage_notes(rows: &[Row], counts: &[WrittenCount]) -> Vec<SetAside> {
    // (race, round, unit) → the sum of its votes, whether all are whole, and how many.
    type Place<'a> = (&'a str, u8, Option<&'a str>);
    // A map, in the table's order: a linear search here made a fit of 20,000 counties take 25 s.
    let mut sums: IndexMap<Place, (f64, bool, usize)> = IndexMap::new();
    for row in rows {
        let Some(v) = row.votes else { continue };
        let key = (row.race.as_str(), row.round, row.unit.as_deref());
        let (sum, whole, n) = sums.entry(key).or_insert((0.0, true, 0));
        *sum += v;
        *whole &= v.fract() == 0.0;
        *n += 1;
    }
    let mut notes: Vec<SetAside> = Vec::new();
    for ((race, round, unit), (sum, whole, n)) in sums {
        let reads_as = [(100.0, "percentages"), (1.0, "shares")]
            .into_iter()
            .find(|(total, _)| (sum / total - 1.0).abs() <= 0.01);
        let Some((_, what)) = reads_as.filter(|_| !whole && n >= 2) else {
            continue;
        };
        if notes.iter().any(|n| n.race == race) {
            continue;
        }
        let place = unit.map_or(String::new(), |u| format!(" in {u}"));
        // Three digits after every point (41.250) may be thousands grouped by points instead.
        let three_decimals = |w: &str| {
            w.split_once('.').is_some_and(|(a, b)| {
                (1..=3).contains(&a.len()) && b.len() == 3 && b.bytes().all(|c| c.is_ascii_digit())
            })
        };
        let grouped = counts
            .iter()
            .filter(|c| c.0 == race || c.0.is_empty())
            .find(|c| three_decimals(&c.2))
            .map_or(String::new(), |c| {
                format!(
                    "; if the points group thousands ({} for {}), write the digits alone",
                    c.2,
                    c.2.replace('.', "")
                )
            });
        notes.push(SetAside {
            race: race.to_string(),
            what: format!(
                "round {round}'s votes{place} add up to {}, which reads as {what}: they are read \
                 as counts, a race of about {} voters, so margins and turnouts come out in {what}; \
                 `votes` takes vote counts (percentages go in a `pct` column){grouped}",
                readable(sum),
                readable(sum.round())
            ),
        });
    }
    notes
}

fn point_notes(counts: &[WrittenCount]) -> Vec<SetAside> {
    by_race(counts, |c| &c.0)
        .into_iter()
        .filter_map(|(race, counts)| {
            let read: Vec<(&str, f64)> = counts.iter().map(|c| (c.2.as_str(), c.3)).collect();
            let points: Vec<(String, &str)> = thousands_points(&read)
                .into_iter()
                .map(|i| {
                    let (_, line, written, _) = counts[i];
                    (format!("line {line}: votes `{written}`"), written.as_str())
                })
                .collect();
            Some(SetAside {
                race: race.to_string(),
                what: thousands_point_note(&points)?,
            })
        })
        .collect()
}

/// Why a row that repeats line `first` is refused: it would silently double the candidate's votes.
fn repeated_row(line: usize, first: usize, name: &str, within: &str, unit: Option<&str>) -> String {
    let fix = match unit {
        None => "remove one, or add a county or precinct column if each row is a part of the race"
            .to_string(),
        Some(unit) if unit.ends_with("precinct") => "remove one".to_string(),
        // A precinct table that also names each precinct's county.
        Some(unit) => format!(
            "remove one, or add a precinct column if each row is a part of the {}",
            unit.rsplit('/').next().unwrap_or(unit)
        ),
    };
    format!(
        "line {line}: a second row for \"{name}\"{within} (the first is on line {first}); {fix}"
    )
}

/// One candidate in one round: name, votes (summed over units), percentage (when the candidate has
/// one row in the round: percentages of several units do not add up), rows.
type Entry = (String, Option<f64>, Option<f64>, usize);

/// Every race of a long table, in order of first appearance, units summed.
pub fn load(path: &Path) -> anyhow::Result<(Vec<Race>, Vec<SetAside>)> {
    let Table {
        rows,
        set_aside,
        facts,
        ..
    } = read_rows(path)?;
    let mut order: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    // (race, round) → candidates in table order with summed votes and the first percentage.
    let mut sums: BTreeMap<(String, u8), Vec<Entry>> = BTreeMap::new();
    for row in rows {
        if seen.insert(row.race.clone()) {
            order.push(row.race.clone());
        }
        let entries = sums.entry((row.race, row.round)).or_default();
        match entries.iter_mut().find(|(n, ..)| *n == row.candidate) {
            // Several units (counties, precincts) of one candidate add up.
            Some(entry) => {
                entry.1 = match (entry.1, row.votes) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
                entry.2 = None;
                entry.3 += 1;
            }
            None => entries.push((row.candidate, row.votes, row.pct, 1)),
        }
    }
    let mut races = Vec::new();
    for id in order {
        let first = sums.remove(&(id.clone(), 1)).unwrap_or_default();
        let second = sums.remove(&(id.clone(), 2)).unwrap_or_default();
        let ((first_round, first_round_from_pct), first_round_unusable) =
            match first_round_of(&id, first) {
                Ok(first) => (first, None),
                Err(why) => ((Vec::new(), false), Some(why)),
            };
        let fact = facts.get(&id).cloned().unwrap_or_default();
        races.push(Race {
            year: fact.year.or_else(|| year_in_id(&id)),
            kind: fact
                .kind
                .or_else(|| Kind::told(fact.party.as_deref(), fact.office.as_deref())),
            ballot: fact.ballot.or_else(|| ballot_of(&fact, &facts)),
            id,
            first_round,
            runoff_pct: second.iter().map(|(n, _, p, _)| (n.clone(), *p)).collect(),
            runoff_votes: second.into_iter().map(|(n, v, ..)| (n, v)).collect(),
            first_round_from_pct,
            first_round_unusable,
        });
    }
    Ok((races, set_aside))
}

/// A race's first round from its round-1 entries: the counts when every candidate has one, else
/// the percentages when every candidate has one (scaled by [`PCT_SCALE`]; the flag says so).
fn first_round_of(id: &str, first: Vec<Entry>) -> Result<(FirstRound, bool), String> {
    if first.iter().all(|(_, v, ..)| v.is_some()) {
        return Ok((
            first
                .into_iter()
                .map(|(n, v, ..)| (n, v.unwrap_or(0.0)))
                .collect(),
            false,
        ));
    }
    if !first.is_empty() && first.iter().all(|(_, _, p, _)| p.is_some()) {
        return Ok((
            first
                .into_iter()
                .map(|(n, _, p, _)| (n, (p.unwrap_or(0.0) * PCT_SCALE).round()))
                .collect(),
            true,
        ));
    }
    let (name, _, _, rows) = first
        .iter()
        .find(|(_, v, p, _)| v.is_none() && p.is_none())
        .or_else(|| first.iter().find(|(_, v, ..)| v.is_none()))
        .cloned()
        .unwrap_or_default();
    let pct = if rows > 1 {
        " (percentages of several counties or precincts cannot be added up)"
    } else {
        ""
    };
    Err(format!(
        "race {id}: round 1 has no votes for \"{name}\"; give every round-1 row its count, or, \
         when only percentages are known, every round-1 row its pct{pct}"
    ))
}

/// A first round: every candidate with its votes, in table order.
pub type FirstRound = Vec<(String, f64)>;

/// Read a `candidate,votes` table of one first round; with a county, precinct or other unit column, a
/// candidate's rows are the units' votes and add up. Rows that count no candidate are set aside.
pub fn load_first_round(path: &Path) -> anyhow::Result<(FirstRound, Vec<SetAside>)> {
    let bad = |msg: String| bad(path, msg);
    let text = read_table(path)?;
    let (mut reader, headers) = open_table(path, &text)?;
    let col = |name: &str| {
        column(&headers, name)
            .ok_or_else(|| bad(format!("no `{name}` column (the table is candidate,votes)")))
    };
    let c = col("candidate")?;
    let v = match column(&headers, "votes") {
        Some(v) => v,
        // Shares alone give no turnout: the model counts voters.
        None if column(&headers, "pct").is_some() => {
            return Err(bad(
                "no `votes` column, only `pct`: a scenario needs each candidate's vote count, since \
                 the runoff's turnout and margin are counted in votes (add a votes column with the \
                 counts from the official results)"
                    .to_string(),
            )
            .into());
        }
        None => col("votes")?,
    };
    // A table of both rounds gives its first; one of several races must be chosen by race.
    let (round, race) = (column(&headers, "round"), column(&headers, "race_id"));
    let mut first_race: Option<String> = None;
    let mut spellings = Spellings::default();
    let mut runoff_rows = 0;
    let units = Units::of(&headers);
    let unit_column = units.name();
    let mut rows = Vec::new();
    // The line of each candidate's first row, or of each (unit, candidate) row with a unit column.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut counts: Vec<WrittenCount> = Vec::new();
    for row in data_rows(&mut reader, &text) {
        let (line, record) = row.map_err(bad)?;
        if let Some(id) = race.map(|r| record.get(r).unwrap_or("").trim()) {
            match &first_race {
                None => first_race = Some(id.to_string()),
                Some(first) if first != id => {
                    return Err(bad(format!(
                        "the table holds several races ({first}, {id}, …); take one with \
                         `runoff new {} --race ID`",
                        path.display()
                    ))
                    .into());
                }
                Some(_) => {}
            }
        }
        if let Some(text) = round.map(|r| record.get(r).unwrap_or("").trim()) {
            match round_of(text) {
                Some(1) => {}
                Some(_) => {
                    runoff_rows += 1;
                    continue;
                }
                None => return Err(bad(round_error(line, text)).into()),
            }
        }
        let written =
            table_name(line, "candidate", record.get(c).unwrap_or("").trim()).map_err(bad)?;
        let name = spellings.take("", written);
        let text = record.get(v).unwrap_or("").trim();
        let Some(votes) = parse_count(text) else {
            return Err(bad(format!(
                "line {line}: `{name}`, `{text}` is not a candidate with 0 to {} votes ({})",
                readable(MAX_VOTES),
                count_fix(
                    text,
                    "a scenario needs each candidate's vote count, from the official results"
                )
                .unwrap_or_else(|| "give a name, and votes as digits like 239604 \
                     or 239,604"
                    .to_string())
            ))
            .into());
        };
        let (place, parent) = units.place(line, &record).map_err(bad)?.unzip();
        if let Some(first) = seen.insert((place.clone().unwrap_or_default(), name.clone()), line) {
            let within = place.as_ref().map_or(String::new(), |p| format!(" in {p}"));
            return Err(bad(repeated_row(
                line,
                first,
                &name,
                &within,
                unit_column.as_deref(),
            ))
            .into());
        }
        rows.push(Row {
            race: String::new(),
            round: 1,
            unit: place,
            unit_parent: parent.unwrap_or(0),
            candidate: name,
            votes: Some(votes),
            pct: None,
        });
        counts.push((String::new(), line, text.to_string(), votes));
    }
    let mut set_aside = point_notes(&counts);
    set_aside.extend(percentage_notes(&rows, &counts));
    set_aside.extend(spellings.said());
    set_aside.extend(self::set_aside(&mut rows, unit_column.as_deref()).map_err(bad)?);
    if runoff_rows > 0 {
        set_aside.push(SetAside {
            race: String::new(),
            what: format!(
                "left out the runoff's {} (round 2)",
                rows_count(runoff_rows)
            ),
        });
    }
    let mut out: Vec<(String, f64)> = Vec::new();
    for row in rows {
        let votes = row.votes.unwrap_or(0.0);
        match out.iter_mut().find(|(n, _)| *n == row.candidate) {
            Some((_, total)) => *total += votes,
            None => out.push((row.candidate, votes)),
        }
    }
    if out.is_empty() {
        return Err(bad("the table has no rows of candidates' votes".to_string()).into());
    }
    Ok((out, set_aside))
}

#[cfg(test)]
mod tests {
    use super::choose_race;

    #[test]
    fn a_race_id_in_another_case_or_with_spaces_is_taken_when_only_one_race_reads_so() {
        let ids = ["AL-2020-SEN-R", "TX-2012-SEN-R", "x-1", "X-1"];
        let pick = |wanted: &str| choose_race(ids.iter().copied(), Some(wanted));
        assert_eq!(pick("AL-2020-SEN-R").unwrap(), "AL-2020-SEN-R");
        assert_eq!(pick("al-2020-sen-r").unwrap(), "AL-2020-SEN-R");
        assert_eq!(pick(" TX-2012-SEN-R ").unwrap(), "TX-2012-SEN-R");
        // Exact spellings are distinct races; a third spelling of both is ambiguous.
        assert_eq!(pick("x-1").unwrap(), "x-1");
        assert!(pick("X-1 ").unwrap_err().starts_with("no race `X-1 `"));
        assert!(
            pick("AL-2020")
                .unwrap_err()
                .starts_with("no race `AL-2020`")
        );
    }
}
