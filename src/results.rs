//! Long tables of real results (`race_id,round,<unit>,candidate,votes[,pct,…]`), as in data/: rows, races and units.

use crate::command::BadInput;
use crate::scenario::{MAX_VOTES, readable};
use std::collections::{BTreeMap, HashMap};
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
}

impl Race {
    /// The two runoff candidates, first-round leader first.
    pub fn finalists(&self) -> Result<[String; 2], String> {
        let names: Vec<&String> = self.runoff_votes.iter().map(|(n, _)| n).collect();
        if names.len() != 2 {
            return Err(format!(
                "race {}: the runoff (round 2) has {} candidates, not 2; give round 2 a row for each of the two finalists",
                self.id,
                names.len()
            ));
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
            (a, _) => Err(format!(
                "race {}: runoff candidate \"{}\" has no round-1 row; give every runoff candidate its round-1 votes",
                self.id,
                if a.is_none() { names[0] } else { names[1] }
            )),
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

/// One row of a long table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `race_id`.
    pub race: String,
    /// 1 or 2.
    pub round: u8,
    /// The unit (county, parish or precinct), when the table has such a column.
    pub unit: Option<String>,
    /// Candidate name.
    pub candidate: String,
    /// Votes, when given.
    pub votes: Option<f64>,
    /// Percentage, when the table has a `pct` column and the row a value.
    pub pct: Option<f64>,
}

/// Unit columns a table may have, in order of preference.
pub const UNIT_COLUMNS: [&str; 3] = ["county", "parish", "precinct"];

/// A count or percentage as tables give it: plain (`239604`, `33.39`) or with thousands grouped by
/// commas as US results are often published (`239,604`, `1,234,567.5`); `None` for anything else.
pub fn parse_number(text: &str) -> Option<f64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let mut groups = whole.split(',');
    let lead = groups.next()?;
    let grouped = whole.contains(',');
    // With commas, every group after the first has exactly three digits, and the first one to three.
    let well_grouped = !grouped
        || ((1..=3).contains(&lead.len())
            && lead.bytes().all(|b| b.is_ascii_digit())
            && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())));
    if !well_grouped || (grouped && !fraction.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let plain = text.replace(',', "");
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A vote count or percentage a table may hold: a number as [`parse_number`] reads it, from 0 to
/// [`MAX_VOTES`].
fn parse_count(text: &str) -> Option<f64> {
    parse_number(text).filter(|v| (0.0..=MAX_VOTES).contains(v))
}

/// Bad input naming the table.
fn bad(path: &Path, msg: String) -> BadInput {
    BadInput(format!("{}: {msg}", path.display()))
}

/// Open a CSV table and read its header.
fn open_table(path: &Path) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord), BadInput> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| bad(path, format!("cannot read the table: {e}")))?;
    let headers = reader
        .headers()
        .map_err(|e| bad(path, format!("cannot read the header: {e}")))?
        .clone();
    // A table exported with another separator reads as one column; its numbers may also use
    // another locale's separators, so it is refused rather than guessed at.
    if headers.len() == 1 {
        let only = headers.get(0).unwrap_or("");
        if let Some(sep) = [(';', "semicolons"), ('\t', "tabs")]
            .iter()
            .find(|(c, _)| only.contains(*c))
            .map(|(_, name)| name)
        {
            return Err(bad(
                path,
                format!(
                    "the header is one column separated by {sep}; save the table as CSV with \
                     commas between fields (and plain digits, or 1,234 grouping, for numbers)"
                ),
            ));
        }
    }
    Ok((reader, headers))
}

/// The position of column `name` in `headers`, ignoring case and surrounding spaces.
fn column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name))
}

/// A CSV reader's error on data line `line`, with the fix for the usual one.
fn record_error(line: usize, e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "line {line}: {len} field{} where the header has {expected_len}; give every row the \
             header's columns (quote a field that holds a comma)",
            if *len == 1 { "" } else { "s" }
        ),
        _ => format!("line {line}: {e}"),
    }
}

/// Read every row of a long table, checking columns, rounds and numbers.
pub fn read_rows(path: &Path) -> anyhow::Result<(Vec<Row>, Option<String>)> {
    let bad = |msg: String| bad(path, msg);
    let (mut reader, headers) = open_table(path)?;
    let col = |name: &str| column(&headers, name);
    let need = |name: &str| {
        col(name).ok_or_else(|| {
            bad(format!(
                "no `{name}` column (the table needs race_id, round, candidate, votes)"
            ))
        })
    };
    let (race, round, candidate, votes) = (
        need("race_id")?,
        need("round")?,
        need("candidate")?,
        need("votes")?,
    );
    let pct = col("pct");
    let unit_name = UNIT_COLUMNS
        .iter()
        .find(|c| col(c).is_some())
        .map(|c| c.to_string());
    let unit = unit_name.as_deref().and_then(col);
    let mut rows = Vec::new();
    // (race, round, unit, candidate) → the line that gave it, to refuse a repeated row.
    let mut seen: HashMap<(String, u8, Option<String>, String), usize> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| bad(record_error(line, &e)))?;
        let field = |c: usize| record.get(c).unwrap_or("").trim();
        let id = field(race).to_string();
        if id.is_empty() {
            return Err(bad(format!("line {line}: empty race_id")).into());
        }
        let r: u8 = match field(round) {
            "1" => 1,
            "2" => 2,
            other => {
                return Err(bad(format!(
                    "line {line}: round is `{other}`; it must be 1 or 2"
                ))
                .into());
            }
        };
        let number = |text: &str, what: &str| -> Result<Option<f64>, BadInput> {
            if text.is_empty() {
                return Ok(None);
            }
            match parse_count(text) {
                Some(v) => Ok(Some(v)),
                None => Err(bad(format!(
                    "line {line}: {what} `{text}` is not a number between 0 and {} (write digits, \
                     like 239604 or 239,604, or leave the field empty when unknown)",
                    readable(MAX_VOTES)
                ))),
            }
        };
        let place = unit.map(|c| field(c).to_string());
        let name = field(candidate).to_string();
        let key = (id.clone(), r, place.clone(), name.clone());
        if let Some(first) = seen.insert(key, line) {
            let within = match (&place, &unit_name) {
                (Some(p), Some(column)) => format!(" in race {id}, round {r}, {column} {p}"),
                _ => format!(" in race {id}, round {r}"),
            };
            return Err(bad(repeated_row(line, first, &name, &within, unit.is_some())).into());
        }
        rows.push(Row {
            race: id,
            round: r,
            unit: place,
            candidate: name,
            votes: number(field(votes), "votes")?,
            pct: match pct {
                Some(c) => number(field(c), "pct")?,
                None => None,
            },
        });
    }
    if rows.is_empty() {
        return Err(bad("the table has no rows".to_string()).into());
    }
    Ok((rows, unit_name))
}

/// Why a row that repeats line `first` is refused: it would silently double the candidate's votes.
fn repeated_row(line: usize, first: usize, name: &str, within: &str, has_unit: bool) -> String {
    let fix = if has_unit {
        "remove one"
    } else {
        "remove one, or add a county or precinct column if each row is a part of the race"
    };
    format!(
        "line {line}: a second row for \"{name}\"{within} (the first is on line {first}); {fix}"
    )
}

/// One candidate in one round: name, votes (summed over units), percentage.
type Entry = (String, Option<f64>, Option<f64>);

/// Every race of a long table, in order of first appearance, units summed.
pub fn load(path: &Path) -> anyhow::Result<Vec<Race>> {
    let (rows, _) = read_rows(path)?;
    let bad = |msg: String| BadInput(format!("{}: {msg}", path.display()));
    let mut order: Vec<String> = Vec::new();
    // (race, round) → candidates in table order with summed votes and the first percentage.
    let mut sums: BTreeMap<(String, u8), Vec<Entry>> = BTreeMap::new();
    for row in rows {
        if !order.contains(&row.race) {
            order.push(row.race.clone());
        }
        let entries = sums.entry((row.race, row.round)).or_default();
        match entries.iter_mut().find(|(n, _, _)| *n == row.candidate) {
            // Several units (counties, precincts) of one candidate add up.
            Some(entry) => {
                entry.1 = match (entry.1, row.votes) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
            }
            None => entries.push((row.candidate, row.votes, row.pct)),
        }
    }
    let mut races = Vec::new();
    for id in order {
        let first = sums.remove(&(id.clone(), 1)).unwrap_or_default();
        let second = sums.remove(&(id.clone(), 2)).unwrap_or_default();
        let first_round = first
            .into_iter()
            .map(|(n, v, _)| {
                v.map(|v| (n.clone(), v))
                    .ok_or_else(|| bad(format!("race {id}: round 1 has no votes for \"{n}\"")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        races.push(Race {
            id,
            first_round,
            runoff_pct: second.iter().map(|(n, _, p)| (n.clone(), *p)).collect(),
            runoff_votes: second.into_iter().map(|(n, v, _)| (n, v)).collect(),
        });
    }
    Ok(races)
}

/// Read a `candidate,votes` table of one first round; with a county, parish or precinct column, a
/// candidate's rows are the units' votes and add up.
pub fn load_first_round(path: &Path) -> anyhow::Result<Vec<(String, f64)>> {
    let bad = |msg: String| bad(path, msg);
    let (mut reader, headers) = open_table(path)?;
    let col = |name: &str| {
        column(&headers, name)
            .ok_or_else(|| bad(format!("no `{name}` column (the table is candidate,votes)")))
    };
    let (c, v) = (col("candidate")?, col("votes")?);
    let unit = UNIT_COLUMNS.iter().find_map(|u| column(&headers, u));
    let mut out: Vec<(String, f64)> = Vec::new();
    // The line of each candidate's first row, or of each (unit, candidate) row with a unit column.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| bad(record_error(i + 2, &e)))?;
        let name = record.get(c).unwrap_or("").trim().to_string();
        let text = record.get(v).unwrap_or("").trim();
        let votes = match parse_count(text) {
            Some(votes) if !name.is_empty() => votes,
            _ => {
                return Err(bad(format!(
                    "line {}: `{name}`, `{text}` is not a candidate with 0 to {} votes (give a \
                     name, and votes as digits like 239604 or 239,604)",
                    i + 2,
                    readable(MAX_VOTES)
                ))
                .into());
            }
        };
        let place = unit.map_or(String::new(), |u| record.get(u).unwrap_or("").trim().into());
        if let Some(first) = seen.insert((place.clone(), name.clone()), i + 2) {
            let within = unit.map_or(String::new(), |_| format!(" in {place}"));
            return Err(bad(repeated_row(i + 2, first, &name, &within, unit.is_some())).into());
        }
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += votes,
            None => out.push((name, votes)),
        }
    }
    if out.is_empty() {
        return Err(bad("no candidates".to_string()).into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::parse_number;

    #[test]
    fn numbers_plain_or_grouped_by_thousands() {
        for (text, want) in [
            ("239604", 239604.0),
            ("239,604", 239604.0),
            ("1,234,567.5", 1234567.5),
            ("33.39", 33.39),
            ("1e6", 1e6),
            ("0", 0.0),
        ] {
            assert_eq!(parse_number(text), Some(want), "{text}");
        }
        for text in [
            "1,2", ",123", "12,34", "1234,567", "1,234e3", "1,234.5x", "nan", "inf", "", "1 234",
        ] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }
}
