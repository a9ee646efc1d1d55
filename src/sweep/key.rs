//! Scenario keys a sweep can vary (`transfers."Roy Moore".certainty`, `swing.sd`, …) and how a new value is applied.
//!
//! A varied share is compensated so that its row still sums to 1: by default the row's other shares are
//! rescaled in proportion; with `--absorb NAME` one named share takes the whole change.

use crate::format::{find_name, readable};
use crate::scenario::key_segment;
use crate::scenario::{
    A, ABSTAIN, B, MAX_NEW_VOTERS, MAX_VOTES, RowOrigin, Scenario, SwingDistribution,
};

/// The fix for a value a key cannot take: every such message of [`ScenarioKey::apply`] ends with
/// it, since a sweep checks both ends of its range before it runs.
const RANGE_FIX: &str = " (fix: keep both ends of the range within what the key can take)";

/// Which share of a row absorbs a change to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Absorb {
    /// The other shares, in proportion.
    Proportional,
    /// One named share: a finalist or `abstain`.
    Named(String),
}

/// A parsed, checked key of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    /// `first_round.NAME`: a candidate's votes.
    Votes { candidate: usize },
    /// `transfers.NAME.X` (one candidate) or `default_transfer.X` (every candidate on the default row).
    Share { rows: Vec<usize>, component: usize },
    /// `transfers.NAME.certainty` or `default_transfer.certainty`.
    Certainty { rows: Vec<usize> },
    /// `new_voters.share`.
    NewVotersShare,
    /// `new_voters.sd`.
    NewVotersSd,
    /// `new_voters.certainty`.
    NewVotersCertainty,
    /// `new_voters.FINALIST`: the split; the other finalist takes the rest.
    NewVotersSplit { finalist: usize },
    /// `swing.sd`.
    SwingSd,
    /// `swing.df`.
    SwingDf,
}

/// A key as the user wrote it, with what it refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioKey {
    /// The dotted path as written (normalised quoting).
    pub path: String,
    /// What it changes.
    pub key: Key,
}

/// Split a TOML dotted key into its segments: bare keys and "quoted keys" (with \" and \\ escapes).
pub fn split_path(text: &str) -> Result<Vec<String>, String> {
    let mut segments = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        let mut seg = String::new();
        match chars.peek() {
            Some('"') | Some('\'') => {
                let quote = chars.next().unwrap_or('"');
                loop {
                    match chars.next() {
                        None => return Err(format!("unclosed quote in `{text}`")),
                        Some('\\') if quote == '"' => match chars.next() {
                            Some(c) => seg.push(c),
                            None => return Err(format!("unclosed quote in `{text}`")),
                        },
                        Some(c) if c == quote => break,
                        Some(c) => seg.push(c),
                    }
                }
            }
            _ => {
                while let Some(&c) = chars.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                        seg.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if seg.is_empty() {
                    return Err(format!(
                        "`{text}` is not a dotted key: quote names with spaces, e.g. transfers.\"Roy Moore\".certainty"
                    ));
                }
            }
        }
        segments.push(seg);
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        match chars.next() {
            None => return Ok(segments),
            Some('.') => continue,
            Some(c) => {
                // A bare name with a space in it: the same key with each such name quoted.
                if !text.contains(['"', '\'']) {
                    let quoted: Vec<String> = text
                        .split('.')
                        .map(str::trim)
                        .map(|part| {
                            if part
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                            {
                                part.to_string()
                            } else {
                                format!("\"{part}\"")
                            }
                        })
                        .collect();
                    return Err(format!(
                        "unexpected `{c}` in `{text}`: a name with spaces must be in double quotes \
                         (fix: write {}, with the whole --vary in single quotes for the shell)",
                        quoted.join(".")
                    ));
                }
                return Err(format!(
                    "unexpected `{c}` in `{text}`: segments are joined by dots"
                ));
            }
        }
    }
}

const SUPPORTED: &str = "first_round.NAME, transfers.NAME.(FINALIST|abstain|certainty), default_transfer.(FINALIST|abstain|certainty), new_voters.(share|sd|certainty|FINALIST), swing.(sd|df)";

impl ScenarioKey {
    /// Parse `text` against `scenario`: every name must exist.
    pub fn parse(text: &str, scenario: &Scenario) -> Result<Self, String> {
        let mut segs = split_path(text)?;
        // Names may be written loosely ("transfers.byrne.sessions"): a candidate where the key
        // names a row, a finalist where it names a share (abstain, certainty, share and sd stay as
        // they are); the key is then spelt out in full, as every output shows it.
        let candidates: Vec<&str> = scenario
            .candidates
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        let finalists: Vec<&str> = scenario.finalists.iter().map(String::as_str).collect();
        let (row_at, share_at) = match segs.first().map(String::as_str) {
            Some("first_round") => (Some(1), None),
            Some("transfers") => (Some(1), Some(2)),
            Some("default_transfer") | Some("new_voters") => (None, Some(1)),
            _ => (None, None),
        };
        for (at, among) in [(row_at, &candidates), (share_at, &finalists)] {
            let Some(written) = at.and_then(|i| segs.get_mut(i)) else {
                continue;
            };
            if ["abstain", "certainty", "share", "sd"].contains(&written.as_str()) {
                continue;
            }
            if let Some((name, true)) = find_name(among, written) {
                *written = name.to_string();
            }
        }
        let path = segs
            .iter()
            .map(|s| key_segment(s))
            .collect::<Vec<_>>()
            .join(".");
        let seg = |i: usize| segs.get(i).map(String::as_str);
        let candidate = |name: &str| -> Result<usize, String> {
            scenario
                .candidates
                .iter()
                .position(|c| c.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = scenario
                        .candidates
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect();
                    format!(
                        "`{path}`: \"{name}\" is not a first-round candidate{} (candidates: {})",
                        crate::format::suggested(name, &names),
                        names.join(", ")
                    )
                })
        };
        let component = |name: &str| -> Result<Option<usize>, String> {
            if name == "certainty" {
                Ok(None)
            } else if name == "abstain" {
                Ok(Some(ABSTAIN))
            } else if let Some(k) = scenario.finalists.iter().position(|f| f == name) {
                Ok(Some(k))
            } else {
                let known = [
                    scenario.finalists[A].as_str(),
                    scenario.finalists[B].as_str(),
                    "abstain",
                    "certainty",
                ];
                Err(format!(
                    "`{path}`: \"{name}\" is not \"{}\", \"{}\", abstain or certainty{}",
                    scenario.finalists[A],
                    scenario.finalists[B],
                    crate::format::suggested(name, &known)
                ))
            }
        };
        let share_or_certainty = |rows: Vec<usize>, last: &str| -> Result<Key, String> {
            Ok(match component(last)? {
                Some(component) => Key::Share { rows, component },
                None => Key::Certainty { rows },
            })
        };
        let key = match (seg(0), seg(1), seg(2), segs.len()) {
            (Some("first_round"), Some(name), None, 2) => Key::Votes {
                candidate: candidate(name)?,
            },
            (Some("transfers"), Some(name), Some(last), 3) => {
                share_or_certainty(vec![candidate(name)?], last)?
            }
            (Some("default_transfer"), Some(last), None, 2) => {
                let rows: Vec<usize> = scenario
                    .candidates
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.transfer.origin == RowOrigin::Default)
                    .map(|(i, _)| i)
                    .collect();
                if rows.is_empty() {
                    return Err(format!(
                        "`{path}`: no candidate takes [default_transfer] in {} (fix: vary \
                         transfers.NAME.{last} for the candidate's own row)",
                        scenario.file.display()
                    ));
                }
                share_or_certainty(rows, last)?
            }
            (Some("new_voters"), Some(last), None, 2) => {
                if !scenario.new_voters.enabled() {
                    return Err(format!(
                        "`{path}`: {} has no [new_voters] (fix: add the table, with its split, \
                         to the file first)",
                        scenario.file.display()
                    ));
                }
                match last {
                    "share" => Key::NewVotersShare,
                    "sd" => Key::NewVotersSd,
                    "certainty" => Key::NewVotersCertainty,
                    name => match scenario.finalists.iter().position(|f| f == name) {
                        Some(finalist) => Key::NewVotersSplit { finalist },
                        None => {
                            return Err(format!(
                                "`{path}`: [new_voters] has share, sd, certainty and the two finalists"
                            ));
                        }
                    },
                }
            }
            (Some("swing"), Some("sd"), None, 2) => Key::SwingSd,
            (Some("swing"), Some("df"), None, 2) => {
                if !matches!(
                    scenario.swing.distribution,
                    SwingDistribution::StudentT { .. }
                ) {
                    return Err(format!(
                        "`{path}`: the swing of {} is not student-t, so it has no df (fix: \
                         set swing.distribution = \"student-t\" in the file, or vary swing.sd)",
                        scenario.file.display()
                    ));
                }
                Key::SwingDf
            }
            (Some("actual"), ..) => {
                return Err(format!(
                    "`{path}` is the runoff's actual result, which changes no draw, so varying it \
                     changes nothing; vary an assumption instead: {SUPPORTED}"
                ));
            }
            _ => {
                return Err(format!(
                    "`{path}` is not a key that can be varied; use one of {SUPPORTED}"
                ));
            }
        };
        Ok(ScenarioKey { path, key })
    }

    /// What the key is, in words, for a chart's axis: "share of Byrne's voters who vote
    /// Sessions" for `transfers."Bradley Byrne"."Jeff Sessions"`, with the scenario's labels.
    pub fn words(&self, s: &Scenario) -> String {
        let labels: Vec<String> = crate::format::labels_with(
            &s.candidates
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>(),
            &s.display_names,
        );
        let whose = |rows: &[usize]| {
            if self.path.starts_with("default_transfer") {
                "the other eliminated candidates'".to_string()
            } else {
                format!("{}'s", labels[rows[0]])
            }
        };
        match &self.key {
            Key::Votes { candidate } => format!("{}'s first-round votes", labels[*candidate]),
            Key::Share { rows, component } => match *component {
                ABSTAIN => format!("share of {} voters who stay home", whose(rows)),
                k => format!("share of {} voters who vote {}", whose(rows), s.label(k)),
            },
            Key::Certainty { rows } => format!("certainty of where {} voters go", whose(rows)),
            Key::NewVotersShare => "new voters, as a share of round one's voters".to_string(),
            Key::NewVotersSd => {
                "sd of the new voters' number, as a share of round one's".to_string()
            }
            Key::NewVotersCertainty => "certainty of the new voters' split".to_string(),
            Key::NewVotersSplit { finalist } => {
                format!("share of new voters who vote {}", s.label(*finalist))
            }
            Key::SwingSd => "sd of the late swing (share of the vote)".to_string(),
            Key::SwingDf => "degrees of freedom of the late swing".to_string(),
        }
    }

    /// The value the scenario has now (for a default row, that of its first candidate).
    pub fn current(&self, s: &Scenario) -> f64 {
        match &self.key {
            Key::Votes { candidate } => s.candidates[*candidate].votes,
            Key::Share { rows, component } => s.candidates[rows[0]].transfer.shares[*component],
            Key::Certainty { rows } => s.candidates[rows[0]].transfer.certainty,
            Key::NewVotersShare => s.new_voters.share,
            Key::NewVotersSd => s.new_voters.sd,
            Key::NewVotersCertainty => s.new_voters.certainty,
            Key::NewVotersSplit { finalist } => s.new_voters.split[*finalist],
            Key::SwingSd => s.swing.sd,
            Key::SwingDf => match s.swing.distribution {
                SwingDistribution::StudentT { df } => df,
                SwingDistribution::Normal => f64::NAN,
            },
        }
    }

    /// A copy of `s` with this key set to `value`, or why that value is impossible.
    pub fn apply(&self, s: &Scenario, value: f64, absorb: &Absorb) -> Result<Scenario, String> {
        let mut out = s.clone();
        let path = &self.path;
        let positive = |v: f64, what: &str| {
            if v.is_finite() && v > 0.0 {
                Ok(v)
            } else {
                Err(format!(
                    "`{path}` = {v}: {what} must be greater than 0{RANGE_FIX}"
                ))
            }
        };
        // The limits a scenario file is held to (validate.rs).
        let up_to = |v: f64, max: f64| {
            if v.is_finite() && (0.0..=max).contains(&v) {
                Ok(v)
            } else if max.is_infinite() {
                Err(format!(
                    "`{path}` = {}: must be at least 0{RANGE_FIX}",
                    readable(v)
                ))
            } else {
                Err(format!(
                    "`{path}` = {}: must be between 0 and {}{RANGE_FIX}",
                    readable(v),
                    readable(max)
                ))
            }
        };
        match &self.key {
            Key::Votes { candidate } => {
                out.candidates[*candidate].votes = up_to(value, MAX_VOTES)?;
                if out.first_round_total() <= 0.0 {
                    return Err(format!(
                        "`{path}` = {value} leaves no first-round votes at all{RANGE_FIX}"
                    ));
                }
            }
            Key::Share { rows, component } => {
                for &r in rows {
                    let t = &mut out.candidates[r].transfer;
                    t.shares = rebalance(t.shares, *component, value, absorb, s, path)?;
                    t.origin = if rows.len() == 1 {
                        RowOrigin::Own
                    } else {
                        t.origin
                    };
                }
            }
            Key::Certainty { rows } => {
                for &r in rows {
                    out.candidates[r].transfer.certainty = positive(value, "certainty")?;
                }
            }
            Key::NewVotersShare => out.new_voters.share = up_to(value, MAX_NEW_VOTERS)?,
            Key::NewVotersSd => out.new_voters.sd = up_to(value, MAX_NEW_VOTERS)?,
            Key::NewVotersCertainty => out.new_voters.certainty = positive(value, "certainty")?,
            Key::NewVotersSplit { finalist } => {
                if !(0.0..=1.0).contains(&value) {
                    return Err(format!(
                        "`{path}` = {value}: a split must be between 0 and 1{RANGE_FIX}"
                    ));
                }
                out.new_voters.split[*finalist] = value;
                out.new_voters.split[1 - finalist] = 1.0 - value;
            }
            Key::SwingSd => out.swing.sd = up_to(value, f64::INFINITY)?,
            Key::SwingDf => {
                out.swing.distribution = SwingDistribution::StudentT {
                    df: positive(value, "df")?,
                }
            }
        }
        Ok(out)
    }

    /// Whether this key is a share of a row (so `--absorb` applies).
    pub fn is_share(&self) -> bool {
        matches!(self.key, Key::Share { .. })
    }
}

/// Set share `k` of `shares` to `value` and compensate so the row still sums to 1.
fn rebalance(
    shares: [f64; 3],
    k: usize,
    value: f64,
    absorb: &Absorb,
    s: &Scenario,
    path: &str,
) -> Result<[f64; 3], String> {
    if !(0.0..=1.0).contains(&value) {
        return Err(format!(
            "`{path}` = {value}: a share must be between 0 and 1{RANGE_FIX}"
        ));
    }
    let mut out = shares;
    out[k] = value;
    match absorb {
        Absorb::Proportional => {
            let rest = 1.0 - shares[k];
            if rest <= 0.0 {
                if value < 1.0 {
                    return Err(format!(
                        "`{path}`: the row's other shares are all 0, so there is nothing to rescale (fix: use --absorb abstain or --absorb \"{}\")",
                        s.finalists[if k == A { B } else { A }]
                    ));
                }
            } else {
                let scale = (1.0 - value) / rest;
                for (j, x) in out.iter_mut().enumerate() {
                    if j != k {
                        *x = shares[j] * scale;
                    }
                }
            }
        }
        Absorb::Named(name) => {
            let j = if name == "abstain" {
                ABSTAIN
            } else {
                s.finalists.iter().position(|f| f == name).ok_or_else(|| {
                    format!(
                        "--absorb \"{name}\" is neither abstain nor a finalist (fix: write --absorb abstain, --absorb \"{}\" or --absorb \"{}\")",
                        s.finalists[A], s.finalists[B]
                    )
                })?
            };
            if j == k {
                return Err(format!(
                    "--absorb \"{name}\" is the share being varied (fix: name another share of the row: abstain or the other finalist)"
                ));
            }
            out[j] = shares[j] + shares[k] - value;
            if out[j] < -1e-12 || out[j] > 1.0 + 1e-12 {
                let lo = (shares[k] + shares[j] - 1.0).max(0.0);
                let hi = (shares[k] + shares[j]).min(1.0);
                return Err(format!(
                    "`{path}` = {value} would make the absorbing share, \"{name}\", {:.4} (fix: with --absorb \"{name}\", keep the range within {lo:.4}..{hi:.4})",
                    out[j]
                ));
            }
            out[j] = out[j].clamp(0.0, 1.0);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn base() -> Scenario {
        crate::scenario::parse_str(
            r#"
finalists = ["A", "B"]
[first_round]
A = 110
B = 100
"Roy Moore" = 50
[transfers.A]
A = 1
[transfers.B]
B = 1
[transfers."Roy Moore"]
A = 0.3
B = 0.5
abstain = 0.2
"#,
            Path::new("t.toml"),
        )
        .unwrap()
    }

    #[test]
    fn paths_split_into_bare_and_quoted_segments() {
        assert_eq!(
            split_path(r#"transfers."Roy Moore".certainty"#).unwrap(),
            ["transfers", "Roy Moore", "certainty"]
        );
        assert_eq!(split_path(r#"a."b\"c""#).unwrap(), ["a", "b\"c"]);
        assert!(split_path("transfers.Roy Moore").is_err());
        assert!(split_path("a.\"open").is_err());
    }

    #[test]
    fn names_written_loosely_are_spelt_out_in_the_key() {
        let s = base();
        let key = ScenarioKey::parse("transfers.moore.a", &s).unwrap();
        assert_eq!(key.path, r#"transfers."Roy Moore".A"#);
        assert_eq!(
            key,
            ScenarioKey::parse(r#"transfers."Roy Moore".A"#, &s).unwrap()
        );
        assert_eq!(
            ScenarioKey::parse("first_round.MOORE", &s).unwrap().path,
            r#"first_round."Roy Moore""#
        );
        assert!(ScenarioKey::parse("transfers.Moo.A", &s).is_err());
    }

    #[test]
    fn a_varied_share_rescales_the_rest_of_its_row_in_proportion() {
        let s = base();
        let key = ScenarioKey::parse(r#"transfers."Roy Moore".A"#, &s).unwrap();
        let out = key.apply(&s, 0.6, &Absorb::Proportional).unwrap();
        let shares = out.candidates[2].transfer.shares;
        assert!((shares[0] - 0.6).abs() < 1e-12);
        assert!((shares[1] - 0.5 * 0.4 / 0.7).abs() < 1e-12);
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn an_absorbing_share_takes_the_change_and_bounds_the_range() {
        let s = base();
        let key = ScenarioKey::parse(r#"transfers."Roy Moore".A"#, &s).unwrap();
        let out = key
            .apply(&s, 0.4, &Absorb::Named("abstain".into()))
            .unwrap();
        assert!((out.candidates[2].transfer.shares[2] - 0.1).abs() < 1e-12);
        let err = key
            .apply(&s, 0.6, &Absorb::Named("abstain".into()))
            .unwrap_err();
        assert!(
            err.contains("keep the range within 0.0000..0.5000"),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_and_candidates_are_named_in_the_error() {
        let s = base();
        assert!(
            ScenarioKey::parse("transfers.Nobody.A", &s)
                .unwrap_err()
                .contains("not a first-round candidate")
        );
        assert!(
            ScenarioKey::parse("actual.A", &s)
                .unwrap_err()
                .contains("changes no draw")
        );
        assert!(
            ScenarioKey::parse("simulation.draws", &s)
                .unwrap_err()
                .contains("is not a key that can be varied")
        );
        assert!(
            ScenarioKey::parse("swing.df", &s)
                .unwrap_err()
                .contains("not student-t")
        );
        assert!(
            ScenarioKey::parse("new_voters.share", &s)
                .unwrap_err()
                .contains("no [new_voters]")
        );
    }
}
