//! Candidates' names across a table's rows: one spelling per candidate and race, and a runoff's
//! names matched to round 1's.

use super::{Row, SetAside, by_race};
use crate::format::{accents_written_out, fold_name};
use std::collections::HashMap;

/// A name in lower case with every run of other characters than letters and digits as one space:
/// "Over-Votes" and "OVER VOTES" are both "over votes".
pub(super) fn plain_words(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// "12 rows" or "1 row".
pub(super) fn rows_count(n: usize) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

/// One spelling per candidate and race: names that differ only in case, spacing or how an accent
/// is encoded ("JOHN SMITH", "John  Smith", as sources spell a name differently from county to
/// county) are one candidate, written as the table first wrote it; each respelling is said.
#[derive(Default)]
pub(super) struct Spellings {
    /// (race, name as `fold_name` folds it) → the first spelling.
    first: HashMap<(String, String), String>,
    /// (race, spelling, the first spelling, rows).
    respelled: Vec<(String, String, String, usize)>,
}

impl Spellings {
    /// The spelling to use for `name` in `race`.
    pub(super) fn take(&mut self, race: &str, name: String) -> String {
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
    pub(super) fn said(self) -> Vec<SetAside> {
        self.respelled
            .into_iter()
            .map(|(race, from, to, n)| SetAside {
                race,
                what: format!(
                    "\"{from}\" ({}) taken as \"{to}\": the same name but for {}",
                    rows_count(n),
                    accents_written_out(&from, &to).map_or_else(
                        || "case or spaces".to_string(),
                        |both| format!("how an accent is encoded ({both})")
                    )
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
pub(super) fn match_runoff_names(rows: &mut [Row]) -> Vec<SetAside> {
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
    let mut renames: Vec<(String, String, String)> = Vec::new();
    for (race, of_race) in by_race(rows, |r| &r.race) {
        let names = |round: u8| {
            let mut out: Vec<&str> = Vec::new();
            for r in of_race.iter().filter(|r| r.round == round) {
                if !out.contains(&r.candidate.as_str()) {
                    out.push(&r.candidate);
                }
            }
            out
        };
        let (first, runoff) = (names(1), names(2));
        // Round-1 names this race's runoff names were taken as, each taken once.
        let mut taken_here: Vec<String> = Vec::new();
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
            if let Some(c) = taken.filter(|c| !taken_here.contains(c)) {
                taken_here.push(c.clone());
                renames.push((race.to_string(), name.to_string(), c));
            }
        }
    }
    let to: HashMap<(&str, &str), &str> = renames
        .iter()
        .map(|(race, from, to)| ((race.as_str(), from.as_str()), to.as_str()))
        .collect();
    for r in rows.iter_mut().filter(|r| r.round == 2) {
        if let Some(to) = to.get(&(r.race.as_str(), r.candidate.as_str())) {
            r.candidate = to.to_string();
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

#[cfg(test)]
mod tests {
    use super::{Row, match_runoff_names};

    #[test]
    fn runoff_names_spelt_otherwise_take_round_ones_spelling() {
        let row = |round: u8, candidate: &str| Row {
            race: "X".into(),
            round,
            unit: None,
            unit_parent: 0,
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
}
