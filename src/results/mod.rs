//! Long tables of real results (`race_id,round,<unit>,candidate,votes[,pct,…]`), as in data/: rows, races and units.

use crate::command::BadInput;
use crate::scenario::{MAX_VOTES, fold_name, readable};
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
        (Some(id), _) => Err(format!("no race `{id}` (races: {list})")),
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

/// The round a table's `round` field names: 1 (also "primary", "first", "round 1") or 2 ("runoff",
/// "second", "round 2"), in any case.
fn round_of(text: &str) -> Option<u8> {
    match plain_words(text).as_str() {
        "1" | "1st" | "first" | "first round" | "round 1" | "primary" => Some(1),
        "2" | "2nd" | "second" | "second round" | "round 2" | "runoff" | "run off" => Some(2),
        _ => None,
    }
}

/// Why a `round` field is refused, on data line `line`.
fn round_error(line: usize, text: &str) -> String {
    format!(
        "line {line}: round is `{text}`; write 1 (or primary) for the first round, 2 (or runoff) for the runoff"
    )
}

/// A name (`what`: candidate, race_id, county…) from data line `line`, refused when it is empty,
/// which would make one nameless candidate or unit of every such row, or when it holds a line
/// break, tab or other control character, which no scenario, table or chart can show.
fn table_name(line: usize, what: &str, name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err(format!(
            "line {line}: the {what} is empty; give every row its {what}"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "line {line}: the {what} {name:?} holds a line break, tab or other control character; \
             write it on one line, with plain spaces"
        ));
    }
    Ok(name.to_string())
}

/// Bad input naming the table.
fn bad(path: &Path, msg: String) -> BadInput {
    BadInput(format!("{}: {msg}", path.display()))
}

/// A table file's bytes, read whole so that each row's line can be counted in them.
fn read_table(path: &Path) -> Result<Vec<u8>, BadInput> {
    std::fs::read(path).map_err(|e| bad(path, format!("cannot read the table: {e}")))
}

/// A CSV reader over a table's bytes, and its header.
fn open_table<'a>(
    path: &Path,
    text: &'a [u8],
) -> Result<(csv::Reader<&'a [u8]>, csv::StringRecord), BadInput> {
    let mut reader = csv::Reader::from_reader(text);
    let headers = reader
        .headers()
        .map_err(|e| match e.kind() {
            csv::ErrorKind::Utf8 { .. } => bad(path, format!("the header: {NOT_UTF8}")),
            _ => bad(path, format!("cannot read the header: {e}")),
        })?
        .clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(bad(
            path,
            "the file is empty; a table starts with a header line such as \
             race_id,round,candidate,votes"
                .to_string(),
        ));
    }
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
        csv::ErrorKind::Utf8 { .. } => format!("line {line}: {NOT_UTF8}"),
        _ => format!("line {line}: {e}"),
    }
}

/// Lines of a table's text, counted forward as its rows are read in order.
struct LineCounter<'a> {
    text: &'a [u8],
    /// Bytes counted so far, and the line the next one is on.
    at: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The line of the row the csv reader places at `byte`. The reader's own line count is off
    /// after blank lines and with CRLF line ends (rust-csv issue 208), and it places a row that
    /// follows blank lines at the first of them, so those are stepped over here.
    fn line_of(&mut self, byte: u64) -> usize {
        let byte = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .clamp(self.at, self.text.len());
        self.line += self.text[self.at..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.at = byte;
        let blank = self.text[byte..]
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .filter(|&&b| b == b'\n')
            .count();
        self.line + blank
    }
}

/// The table's data rows, each with the line of the file it starts on (blank lines and quoted
/// line breaks counted), leaving out rows whose every field is blank, as spreadsheets export
/// after the data (`,,,`).
fn data_rows<'r>(
    reader: &'r mut csv::Reader<&[u8]>,
    text: &'r [u8],
) -> impl Iterator<Item = Result<(usize, csv::StringRecord), String>> + 'r {
    let mut lines = LineCounter {
        text,
        at: 0,
        line: 1,
    };
    reader.records().filter_map(move |record| match record {
        Err(e) => {
            let line = e.position().map_or(lines.line, |p| lines.line_of(p.byte()));
            Some(Err(record_error(line, &e)))
        }
        Ok(r) if r.iter().all(|f| f.trim().is_empty()) => None,
        Ok(r) => {
            let line = r.position().map_or(lines.line, |p| lines.line_of(p.byte()));
            Some(Ok((line, r)))
        }
    })
}

/// Why a table in another encoding (Latin-1, Windows-1252) is refused, and how to fix it.
const NOT_UTF8: &str = "the text is not UTF-8 (a name with an accent, saved in another \
                        encoding); save the table as UTF-8 (Excel: \"CSV UTF-8\")";

/// A long table as read: its rows, its unit column, and the rows left out as no candidate's votes.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The rows kept.
    pub rows: Vec<Row>,
    /// The unit column (county, parish or precinct), when the table has one.
    pub unit_column: Option<String>,
    /// What was left out, and why.
    pub set_aside: Vec<SetAside>,
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
const TOTAL_UNITS: [&str; 10] = [
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
];

/// A name in lower case with every run of other characters than letters and digits as one space:
/// "Over-Votes" and "OVER VOTES" are both "over votes".
fn plain_words(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a candidate column's name says the row counts no candidate.
fn not_a_candidate(name: &str) -> bool {
    NOT_CANDIDATES.contains(&plain_words(name).as_str())
}

/// "12 rows" or "1 row".
fn rows_count(n: usize) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

/// Leave out the rows of names that count no candidate, and each round's totals unit: a unit whose
/// votes for every candidate are the sum of the other units' (whatever its name), or a unit named
/// like a totals row, which must then be that sum. Anything else named like a total is an error,
/// since it cannot be told from a place.
fn set_aside(rows: &mut Vec<Row>, unit_column: Option<&str>) -> Result<Vec<SetAside>, String> {
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
    // (race, round) → unit → candidate → votes; a round with an unknown count is not checked.
    type Units = BTreeMap<String, BTreeMap<String, f64>>;
    let mut rounds: BTreeMap<(String, u8), Option<Units>> = BTreeMap::new();
    for r in rows.iter() {
        let entry = rounds
            .entry((r.race.clone(), r.round))
            .or_insert_with(|| Some(Units::new()));
        match (entry.as_mut(), r.votes) {
            (Some(units), Some(v)) => {
                let unit = r.unit.clone().unwrap_or_default();
                *units
                    .entry(unit)
                    .or_default()
                    .entry(r.candidate.clone())
                    .or_default() += v;
            }
            _ => *entry = None,
        }
    }
    let mut totals: Vec<(String, u8, String)> = Vec::new();
    for ((race, round), units) in rounds {
        let Some(units) = units else { continue };
        let mut sums: BTreeMap<&str, f64> = BTreeMap::new();
        for votes in units.values() {
            for (c, v) in votes {
                *sums.entry(c).or_default() += v;
            }
        }
        let with_votes = |u: &BTreeMap<String, f64>| u.values().any(|v| *v > 0.0);
        let counted = units.values().filter(|u| with_votes(u)).count();
        // A first-round table has no race, and only the one round.
        let within = if race.is_empty() {
            String::new()
        } else {
            format!("round {round}: ")
        };
        for (unit, votes) in &units {
            let named = TOTAL_UNITS.contains(&plain_words(unit).as_str());
            let others = units.len() - 1;
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
                         the other {others}",
                        rows_count(votes.len())
                    ),
                });
            } else if named {
                let (c, s, g) = gap.unwrap_or(("", 0.0, 0.0));
                let unit_votes = (g + s) / 2.0;
                return Err(format!(
                    "{}{within}{column} \"{unit}\" reads as a totals row, but it \
                     does not add up to the other {others} (\"{c}\": {} against {}); remove the \
                     totals rows, or name the place",
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
    rows.retain(|r| {
        !totals.iter().any(|(race, round, unit)| {
            *race == r.race && *round == r.round && r.unit.as_deref() == Some(unit.as_str())
        })
    });
    Ok(out)
}

/// One spelling per candidate and race: names that differ only in case or spacing ("JOHN SMITH",
/// "John  Smith", as sources spell a name differently from county to county) are one candidate,
/// written as the table first wrote it; each respelling is said.
#[derive(Default)]
struct Spellings {
    /// (race, name in lower case with single spaces) → the first spelling.
    first: HashMap<(String, String), String>,
    /// (race, spelling, the first spelling, rows).
    respelled: Vec<(String, String, String, usize)>,
}

impl Spellings {
    /// The spelling to use for `name` in `race`.
    fn take(&mut self, race: &str, name: String) -> String {
        let first = self
            .first
            .entry((race.to_string(), fold_name(&name)))
            .or_insert_with(|| name.clone());
        if *first == name {
            return name;
        }
        let to = first.clone();
        match self
            .respelled
            .iter_mut()
            .find(|(r, from, _, _)| r == race && *from == name)
        {
            Some(entry) => entry.3 += 1,
            None => self.respelled.push((race.to_string(), name, to.clone(), 1)),
        }
        to
    }

    /// What was respelled, as notes.
    fn said(self) -> Vec<SetAside> {
        self.respelled
            .into_iter()
            .map(|(race, from, to, n)| SetAside {
                race,
                what: format!(
                    "\"{from}\" ({}) taken as \"{to}\": the same name but for case or spaces",
                    rows_count(n)
                ),
            })
            .collect()
    }
}

/// Runoff candidates spelt otherwise than in round 1 ("THAD COCHRAN", "Cochran, Thad" for "Thad
/// Cochran") take round 1's spelling, so that the two rounds pair up; each is said. A runoff name
/// is taken as the one round-1 name with the same words (in any case, order or punctuation), else
/// the one with the same last word; a name with no such single match is left as it is, for the
/// commands to report.
fn match_runoff_names(rows: &mut [Row]) -> Vec<SetAside> {
    let words = |name: &str| {
        let mut w: Vec<String> = plain_words(name).split(' ').map(String::from).collect();
        w.sort();
        w
    };
    let last = |name: &str| {
        plain_words(name)
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .to_string()
    };
    let mut races: Vec<&str> = Vec::new();
    for r in rows.iter() {
        if !races.contains(&r.race.as_str()) {
            races.push(&r.race);
        }
    }
    let mut renames: Vec<(String, String, String)> = Vec::new();
    for race in races {
        let names = |round: u8| {
            let mut out: Vec<&str> = Vec::new();
            for r in rows.iter().filter(|r| r.race == race && r.round == round) {
                if !out.contains(&r.candidate.as_str()) {
                    out.push(&r.candidate);
                }
            }
            out
        };
        let (first, runoff) = (names(1), names(2));
        for name in runoff.iter().filter(|n| !first.contains(n)) {
            let only = |same: &dyn Fn(&str) -> bool| {
                let mut found = first.iter().filter(|c| same(c) && !runoff.contains(c));
                match (found.next(), found.next()) {
                    (Some(c), None) => Some(c.to_string()),
                    _ => None,
                }
            };
            let taken = only(&|c| words(c) == words(name))
                .or_else(|| only(&|c| last(name).len() > 1 && last(c) == last(name)));
            if let Some(c) = taken.filter(|c| !renames.iter().any(|(r, _, t)| r == race && t == c))
            {
                renames.push((race.to_string(), name.to_string(), c));
            }
        }
    }
    for r in rows.iter_mut().filter(|r| r.round == 2) {
        if let Some((_, _, to)) = renames
            .iter()
            .find(|(race, from, _)| *race == r.race && *from == r.candidate)
        {
            r.candidate = to.clone();
        }
    }
    renames
        .into_iter()
        .map(|(race, from, to)| SetAside {
            race,
            what: format!("round 2's \"{from}\" taken as round 1's \"{to}\""),
        })
        .collect()
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
            bad(format!(
                "no `{name}` column (the table needs round, candidate and votes, and race_id \
                 when it holds several races)"
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
    let unit_name = UNIT_COLUMNS
        .iter()
        .find(|c| col(c).is_some())
        .map(|c| c.to_string());
    let unit = unit_name.as_deref().and_then(col);
    let mut rows = Vec::new();
    // (race, round, unit, candidate) → the line that gave it, to refuse a repeated row.
    let mut seen: HashMap<(String, u8, Option<String>, String), usize> = HashMap::new();
    let mut spellings = Spellings::default();
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
                    "line {line}: {what} `{text}` is not a number between 0 and {} (write digits, \
                     like 239604 or 239,604, or leave the field empty when unknown)",
                    readable(MAX_VOTES)
                ))),
            }
        };
        let place = match (unit, &unit_name) {
            (Some(c), Some(column)) => Some(table_name(line, column, field(c)).map_err(bad)?),
            _ => None,
        };
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
            return Err(bad(repeated_row(line, first, &name, &within, unit.is_some())).into());
        }
        rows.push(Row {
            race: id,
            round: r,
            unit: place,
            candidate: name,
            votes: number(field(votes), "votes")?,
            pct: match pct {
                // Percentages are often written with their sign: 50.9%.
                Some(c) => number(field(c).trim_end_matches('%').trim_end(), "pct")?,
                None => None,
            },
        });
    }
    let mut set_aside = spellings.said();
    set_aside.extend(self::set_aside(&mut rows, unit_name.as_deref()).map_err(bad)?);
    set_aside.extend(match_runoff_names(&mut rows));
    if rows.is_empty() {
        return Err(bad("the table has no rows of candidates' votes".to_string()).into());
    }
    Ok(Table {
        rows,
        unit_column: unit_name,
        set_aside,
    })
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
pub fn load(path: &Path) -> anyhow::Result<(Vec<Race>, Vec<SetAside>)> {
    let Table {
        rows, set_aside, ..
    } = read_rows(path)?;
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
                v.map(|v| (n.clone(), v)).ok_or_else(|| {
                    bad(format!(
                        "race {id}: round 1 has no votes for \"{n}\"; give every round-1 \
                             row its count (percentages alone do not give the first round's size)"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        races.push(Race {
            id,
            first_round,
            runoff_pct: second.iter().map(|(n, _, p)| (n.clone(), *p)).collect(),
            runoff_votes: second.into_iter().map(|(n, v, _)| (n, v)).collect(),
        });
    }
    Ok((races, set_aside))
}

/// A first round: every candidate with its votes, in table order.
pub type FirstRound = Vec<(String, f64)>;

/// Read a `candidate,votes` table of one first round; with a county, parish or precinct column, a
/// candidate's rows are the units' votes and add up. Rows that count no candidate are set aside.
pub fn load_first_round(path: &Path) -> anyhow::Result<(FirstRound, Vec<SetAside>)> {
    let bad = |msg: String| bad(path, msg);
    let text = read_table(path)?;
    let (mut reader, headers) = open_table(path, &text)?;
    let col = |name: &str| {
        column(&headers, name)
            .ok_or_else(|| bad(format!("no `{name}` column (the table is candidate,votes)")))
    };
    let (c, v) = (col("candidate")?, col("votes")?);
    // A table of both rounds gives its first; one of several races must be chosen by race.
    let (round, race) = (column(&headers, "round"), column(&headers, "race_id"));
    let mut first_race: Option<String> = None;
    let mut spellings = Spellings::default();
    let mut runoff_rows = 0;
    let unit_column = UNIT_COLUMNS.iter().find(|u| column(&headers, u).is_some());
    let unit = unit_column.and_then(|u| column(&headers, u));
    let mut rows = Vec::new();
    // The line of each candidate's first row, or of each (unit, candidate) row with a unit column.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
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
        let votes = match parse_count(text) {
            Some(votes) => votes,
            _ => {
                return Err(bad(format!(
                    "line {line}: `{name}`, `{text}` is not a candidate with 0 to {} votes (give a \
                     name, and votes as digits like 239604 or 239,604)",
                    readable(MAX_VOTES)
                ))
                .into());
            }
        };
        let place = match (unit, unit_column) {
            (Some(u), Some(column)) => {
                table_name(line, column, record.get(u).unwrap_or("").trim()).map_err(bad)?
            }
            _ => String::new(),
        };
        if let Some(first) = seen.insert((place.clone(), name.clone()), line) {
            let within = unit.map_or(String::new(), |_| format!(" in {place}"));
            return Err(bad(repeated_row(line, first, &name, &within, unit.is_some())).into());
        }
        rows.push(Row {
            race: String::new(),
            round: 1,
            unit: unit.map(|_| place),
            candidate: name,
            votes: Some(votes),
            pct: None,
        });
    }
    let mut set_aside = spellings.said();
    set_aside.extend(self::set_aside(&mut rows, unit_column.copied()).map_err(bad)?);
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
    use super::{Row, choose_race, data_rows, match_runoff_names, parse_number, set_aside};

    #[test]
    fn rows_carry_their_file_line_after_blank_lines_crlf_and_quoted_breaks() {
        let text = b"h,v\r\nA,2\r\n\r\n\"x\ny\",4\r\nB,6\n\n\n,\nC,10\n";
        let mut reader = csv::Reader::from_reader(&text[..]);
        let got: Vec<(usize, String)> = data_rows(&mut reader, text)
            .map(|row| row.map(|(line, r)| (line, r[0].to_string())).unwrap())
            .collect();
        // The `,` row on line 9 is blank in every field and left out.
        let want = [(2, "A"), (4, "x\ny"), (6, "B"), (10, "C")].map(|(l, c)| (l, c.to_string()));
        assert_eq!(got, want);
    }

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

    /// Round-1 rows of race X: (unit, candidate, votes).
    fn rows(cells: &[(&str, &str, f64)]) -> Vec<Row> {
        cells
            .iter()
            .map(|(unit, candidate, votes)| Row {
                race: "X".into(),
                round: 1,
                unit: Some(unit.to_string()),
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

    #[test]
    fn runoff_names_spelt_otherwise_take_round_ones_spelling() {
        let row = |round: u8, candidate: &str| Row {
            race: "X".into(),
            round,
            unit: None,
            candidate: candidate.into(),
            votes: Some(1.0),
            pct: None,
        };
        let mut rows = vec![
            row(1, "Thad Cochran"),
            row(1, "Chris McDaniel"),
            row(1, "Ann Smith"),
            row(1, "Bo Smith"),
            row(2, "COCHRAN, THAD"),
            row(2, "McDaniel"),
            row(2, "Smith"),
        ];
        let said = match_runoff_names(&mut rows);
        let runoff: Vec<&str> = rows[4..].iter().map(|r| r.candidate.as_str()).collect();
        // Two Smiths in round 1: the runoff's "Smith" is not guessed at.
        assert_eq!(runoff, ["Thad Cochran", "Chris McDaniel", "Smith"]);
        assert_eq!(said.len(), 2);
    }

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
