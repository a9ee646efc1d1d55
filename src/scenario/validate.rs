//! The rules of `SCENARIO-FORMAT.md`: raw file → [`Scenario`], collecting every broken rule at once.

use super::error::{
    Problem, ScenarioError, key_segment, line_col, misplaced_fix, move_setting, setting_home,
    setting_kind,
};
use super::raw::{NumberTable, RawScenario};
use super::*;
use crate::format::{accents_written_out, fold_name, suggestion};
use crate::format::{fraction_of, readable};
use indexmap::IndexMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

pub(super) const ABSTAIN_KEY: &str = "abstain";
pub(super) const CERTAINTY_KEY: &str = "certainty";

/// A table of named numbers, for a key it does not take: what it takes, and the fix when no key it
/// takes is close. Validation and the parser's type errors (text under such a key) both say it.
#[derive(Clone, Copy)]
pub(super) enum NamedTable {
    /// `[transfers."…"]` or `[default_transfer]`.
    Row,
    NewVoters,
    Actual,
}

impl NamedTable {
    /// The kind of the table with dotted name `table` (`transfers."Roy Moore"`), if any.
    pub(super) fn named(table: &str) -> Option<Self> {
        match table {
            "default_transfer" => Some(Self::Row),
            "new_voters" => Some(Self::NewVoters),
            "actual" => Some(Self::Actual),
            _ => table
                .strip_prefix("transfers.")
                .filter(|t| !t.contains('.') || (t.starts_with('"') && t.ends_with('"')))
                .map(|_| Self::Row),
        }
    }

    /// The keys the table takes.
    pub(super) fn keys(self, finalists: [&str; 2]) -> Vec<&str> {
        match self {
            Self::Row => vec![finalists[0], finalists[1], ABSTAIN_KEY, CERTAINTY_KEY],
            Self::NewVoters => vec!["share", "sd", CERTAINTY_KEY, finalists[0], finalists[1]],
            Self::Actual => finalists.to_vec(),
        }
    }

    /// What a key the table does not take is not.
    pub(super) fn not(self) -> &'static str {
        match self {
            Self::Row => "a finalist, `abstain` or `certainty`",
            Self::NewVoters => "`share`, `sd`, `certainty` or a finalist",
            Self::Actual => "a finalist",
        }
    }

    /// The fix for a key the table does not take when no key it takes is close.
    pub(super) fn otherwise(self, finalists: [&str; 2]) -> String {
        match self {
            Self::Row => "a row may name only the two finalists, `abstain` and `certainty`".into(),
            Self::NewVoters => {
                "[new_voters] takes `share`, `sd`, `certainty` and the two finalists' split".into()
            }
            Self::Actual => format!(
                "write only \"{}\" and \"{}\" with their runoff votes",
                finalists[0], finalists[1]
            ),
        }
    }
}

/// Collects problems with their positions in the source text.
pub(super) struct Checker<'a> {
    source: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    pub(super) fn report(
        &mut self,
        span: Option<Range<usize>>,
        key: String,
        message: String,
        fix: impl Into<String>,
    ) {
        let at = span.map(|s| line_col(self.source, s.start));
        self.problems.push(Problem {
            key,
            at,
            message,
            fix: fix.into(),
        });
    }

    /// A number that must be finite and lie in `[lo, hi]`.
    pub(super) fn number_in(
        &mut self,
        value: &Spanned<f64>,
        key: &str,
        lo: f64,
        hi: f64,
        what: &str,
    ) -> Option<f64> {
        let v = *value.get_ref();
        let range = if hi.is_infinite() {
            format!("at least {lo}")
        } else {
            format!("between {lo} and {}", readable(hi))
        };
        if !v.is_finite() {
            self.report(
                Some(value.span()),
                key.to_string(),
                format!("{what} must be a finite number, not {v}"),
                format!("write a number {range}"),
            );
            None
        } else if v < lo || v > hi {
            // 45 where a share between 0 and 1 belongs is a percentage.
            let fix = if hi == 1.0 && v > 1.0 && v <= 100.0 {
                format!(
                    "a share is a fraction, not a percentage: write {} for {}%",
                    fraction_of(v),
                    readable(v)
                )
            } else {
                format!("write a value {range}")
            };
            self.report(
                Some(value.span()),
                key.to_string(),
                format!("{what} is {}; it must be {range}", readable(v)),
                fix,
            );
            None
        } else {
            Some(v)
        }
    }

    /// A positive, finite concentration.
    fn certainty(&mut self, value: &Spanned<f64>, key: &str) -> Option<f64> {
        let v = *value.get_ref();
        if !v.is_finite() || v <= 0.0 {
            self.report(
                Some(value.span()),
                key.to_string(),
                format!("certainty is {v}; it must be a finite number greater than 0"),
                "use e.g. 10 (vague), 50 (the default) or 200 (confident)",
            );
            None
        } else {
            Some(v)
        }
    }
}

/// Most votes a first-round candidate may have: a hundred thousand times every person alive.
/// Anything larger is a typo, and near f64::MAX the sums over draws would overflow.
pub const MAX_VOTES: f64 = 1e15;

/// Largest new-voter share or sd: ten times the first round's turnout, far past any runoff.
pub const MAX_NEW_VOTERS: f64 = 10.0;

/// Names a finalist cannot have: the other keys of a transfer row and of `[new_voters]`, beside
/// which a finalist's name stands.
pub const RESERVED_FINALIST_NAMES: [&str; 4] = ["abstain", "certainty", "share", "sd"];

/// Why a scenario file written from a results table could not hold these names, for the commands
/// that write one (`new`, `fit`, `backtest`): in `[first_round]` a setting's key (`seed`) is
/// refused as that setting, and a finalist's name would stand beside its rows' other keys
/// ([`RESERVED_FINALIST_NAMES`]). `None` when every name can be written.
pub fn unwritable_name<'a>(
    candidates: impl IntoIterator<Item = &'a str>,
    finalists: &[String; 2],
) -> Option<String> {
    let setting = candidates
        .into_iter()
        .find(|n| setting_home("first_round", n).is_some());
    let reserved = finalists
        .iter()
        .find(|f| RESERVED_FINALIST_NAMES.contains(&f.as_str()));
    let (role, name, user) = match (reserved, setting) {
        (Some(f), _) => (
            "finalist",
            f.as_str(),
            "a scenario's rows use that key for something else",
        ),
        (None, Some(n)) => (
            "candidate",
            n,
            "a scenario file uses that key for a setting",
        ),
        (None, None) => return None,
    };
    Some(format!(
        "{role} \"{name}\": {user}, so a {role} cannot be called so; write the name differently \
         in the table (e.g. with a capital letter)"
    ))
}

/// The fix for a key that `table`, of `kind`, does not take: where it belongs when it is a setting
/// written under the wrong header, else the key it takes that is close, else what it takes.
fn unknown_key_fix(table: &str, kind: NamedTable, key: &str, finalists: &[String; 2]) -> String {
    let finalists = [finalists[0].as_str(), finalists[1].as_str()];
    setting_home(table, key).map_or_else(
        || suggestion(key, &kind.keys(finalists), &kind.otherwise(finalists)),
        |home| misplaced_fix(key, home),
    )
}

/// Check every rule and build the validated scenario, or report all problems found.
pub fn validate(raw: RawScenario, source: &str, path: &Path) -> Result<Scenario, ScenarioError> {
    let mut ck = Checker {
        source,
        problems: Vec::new(),
    };

    let first_round = check_first_round(&mut ck, raw.first_round.as_ref());
    let finalists = check_finalists(&mut ck, raw.finalists.as_ref(), first_round.as_deref());

    let mut candidates = Vec::new();
    if let (Some(first_round), Some(finalists)) = (&first_round, &finalists) {
        candidates = check_transfers(&mut ck, &raw, first_round, finalists);
    }
    let new_voters = match (&raw.new_voters, &finalists) {
        (Some(table), Some(fin)) => check_new_voters(&mut ck, table, fin),
        _ => Some(NewVoters::none()),
    };
    let swing = check_swing(&mut ck, &raw);
    let simulation = check_simulation(&mut ck, &raw);
    let report = check_report(&mut ck, &raw);
    let actual = match (&raw.actual, &finalists) {
        (Some(table), Some(fin)) => check_actual(&mut ck, table, fin),
        _ => None,
    };
    let report = report.map(|r| Report { actual, ..r });
    let polls = match &finalists {
        Some(fin) => super::polls::check_polls(&mut ck, &raw, fin),
        None => Some(Polls::default()),
    };
    let display_names = match (&raw.display_names, &first_round) {
        (Some(table), Some(first_round)) => check_display_names(&mut ck, table, first_round),
        _ => IndexMap::new(),
    };

    // The name titles tables and charts, on one line: line breaks and tabs read as spaces, and
    // other control characters, which no chart font can draw, are dropped.
    let name = raw
        .name
        .as_ref()
        .map(|n| {
            n.get_ref()
                .split(char::is_whitespace)
                .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });

    match (
        ck.problems.is_empty(),
        finalists,
        new_voters,
        swing,
        simulation,
        report,
        polls,
    ) {
        (
            true,
            Some(finalists),
            Some(new_voters),
            Some(swing),
            Some(simulation),
            Some(report),
            Some(polls),
        ) => {
            let without_effect =
                notes::without_effect(&raw, source, &candidates, &new_voters, &swing, &report);
            Ok(Scenario {
                name,
                description: raw
                    .description
                    .map(|d| d.into_inner().trim().to_string())
                    .unwrap_or_default(),
                file: path.to_path_buf(),
                finalists,
                candidates,
                new_voters,
                swing,
                simulation,
                report,
                polls,
                display_names,
                without_effect,
            })
        }
        _ => Err(ScenarioError {
            file: path.to_path_buf(),
            problems: ck.problems,
        }),
    }
}

/// `[first_round]`: names and votes, finite and >= 0, total > 0.
fn check_first_round(
    ck: &mut Checker,
    table: Option<&Spanned<NumberTable>>,
) -> Option<Vec<(String, f64, Range<usize>)>> {
    let Some(table) = table else {
        ck.report(None, "first_round".into(), "the table is missing".into(), "add `[first_round]` with every first-round candidate's votes, e.g. \"Jane Doe\" = 12345");
        return None;
    };
    if table.get_ref().is_empty() {
        ck.report(
            Some(table.span()),
            "first_round".into(),
            "no candidates are listed".into(),
            "list every first-round candidate with its votes",
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    // Each name in lower case with its spaces collapsed: two that match are one candidate written
    // twice (a stray space or a shift key), which would split its votes and its row.
    let mut seen: Vec<(String, &str)> = Vec::new();
    for (name, votes) in table.get_ref() {
        let key = format!("first_round.{}", key_segment(name.get_ref()));
        let folded = fold_name(name.get_ref());
        let twin = seen.iter().find(|(f, _)| *f == folded).map(|(_, n)| *n);
        seen.push((folded, name.get_ref()));
        if let Some(twin) = twin.filter(|_| !name.get_ref().trim().is_empty()) {
            ck.report(
                Some(name.span()),
                key.clone(),
                match accents_written_out(name.get_ref(), twin) {
                    Some(both) => format!(
                        "\"{}\" and \"{twin}\" are one name with an accent written two ways: \
                         {both}",
                        name.get_ref()
                    ),
                    None => format!(
                        "\"{}\" and \"{twin}\" differ only in case or spaces",
                        name.get_ref()
                    ),
                },
                "write the candidate once, with the votes added up, or tell the two names apart",
            );
            ok = false;
        } else if name.get_ref().trim().is_empty() {
            ck.report(
                Some(name.span()),
                key.clone(),
                "a candidate's name is empty".into(),
                "write the candidate's name",
            );
            ok = false;
        } else if let Some(home) = setting_home("first_round", name.get_ref()) {
            ck.report(
                Some(name.span()),
                key.clone(),
                format!(
                    "`{}` is {}, not a candidate",
                    name.get_ref(),
                    setting_kind(home)
                ),
                move_setting("it", home),
            );
            ok = false;
        } else if name.get_ref().chars().any(char::is_control) {
            // No table, terminal or chart can show a line break or tab inside a name.
            ck.report(
                Some(name.span()),
                key.clone(),
                "the name holds a line break, tab or other control character".into(),
                "write the name on one line, with plain spaces",
            );
            ok = false;
        }
        match ck.number_in(votes, &key, 0.0, MAX_VOTES, "votes") {
            Some(v) => out.push((name.get_ref().clone(), v, name.span())),
            None => ok = false,
        }
    }
    if ok && out.iter().map(|(_, v, _)| v).sum::<f64>() <= 0.0 {
        ck.report(
            Some(table.span()),
            "first_round".into(),
            "the first-round votes add up to 0".into(),
            "give at least one candidate a positive number of votes",
        );
        return None;
    }
    ok.then_some(out)
}

/// `finalists`: exactly two, distinct, both in `[first_round]`.
fn check_finalists(
    ck: &mut Checker,
    finalists: Option<&Spanned<Vec<Spanned<String>>>>,
    first_round: Option<&[(String, f64, Range<usize>)]>,
) -> Option<[String; 2]> {
    let Some(list) = finalists else {
        ck.report(
            None,
            "finalists".into(),
            "the key is missing".into(),
            "add `finalists = [\"First Finalist\", \"Second Finalist\"]` at the top of the file",
        );
        return None;
    };
    let names = list.get_ref();
    if names.len() != 2 {
        ck.report(
            Some(list.span()),
            "finalists".into(),
            format!("a runoff has exactly two finalists; {} listed", names.len()),
            "list the two candidates in the runoff, first finalist first",
        );
        return None;
    }
    let mut ok = true;
    if names[0].get_ref() == names[1].get_ref() {
        ck.report(
            Some(names[1].span()),
            "finalists".into(),
            format!("both finalists are \"{}\"", names[0].get_ref()),
            "name two different candidates",
        );
        ok = false;
    }
    // A finalist's name is a key of every row and of [new_voters], beside these.
    for name in names {
        if RESERVED_FINALIST_NAMES.contains(&name.get_ref().as_str()) {
            ck.report(
                Some(name.span()),
                "finalists".into(),
                format!(
                    "a finalist cannot be called \"{}\": rows and [new_voters] use that key for \
                     something else",
                    name.get_ref()
                ),
                "write the name differently everywhere in the file, e.g. with a capital letter",
            );
            ok = false;
        }
    }
    if let Some(first_round) = first_round {
        for name in names {
            if !first_round.iter().any(|(n, _, _)| n == name.get_ref()) {
                // The other finalist is no candidate for the fix: the two must differ.
                let known: Vec<&str> = first_round
                    .iter()
                    .map(|(n, _, _)| n.as_str())
                    .filter(|n| !names.iter().any(|f| f.get_ref() == n))
                    .collect();
                ck.report(
                    Some(name.span()),
                    "finalists".into(),
                    format!("\"{}\" is not in [first_round]", name.get_ref()),
                    suggestion(
                        name.get_ref(),
                        &known,
                        "use a name exactly as written in [first_round], or give this \
                         candidate's first-round votes there",
                    ),
                );
                ok = false;
            }
        }
    }
    ok.then(|| [names[0].get_ref().clone(), names[1].get_ref().clone()])
}

/// `[transfers]` and `[default_transfer]`: one resolved row per first-round candidate, in file order.
fn check_transfers(
    ck: &mut Checker,
    raw: &RawScenario,
    first_round: &[(String, f64, Range<usize>)],
    finalists: &[String; 2],
) -> Vec<Candidate> {
    let empty = IndexMap::new();
    let rows = raw
        .transfers
        .as_ref()
        .map(|t| t.get_ref())
        .unwrap_or(&empty);
    let known: Vec<&str> = first_round.iter().map(|(n, _, _)| n.as_str()).collect();

    let mut own: IndexMap<&str, Option<TransferRow>> = IndexMap::new();
    for (name, table) in rows {
        let key = format!("transfers.{}", key_segment(name.get_ref()));
        if !known.contains(&name.get_ref().as_str()) {
            ck.report(
                Some(name.span()),
                key,
                format!("\"{}\" is not a candidate in [first_round]", name.get_ref()),
                suggestion(name.get_ref(), &known, "name the row exactly as the candidate is written in [first_round], or remove it"),
            );
            continue;
        }
        own.insert(
            name.get_ref().as_str(),
            check_row(ck, table, &key, finalists, RowOrigin::Own),
        );
    }
    let default = raw
        .default_transfer
        .as_ref()
        .map(|t| check_row(ck, t, "default_transfer", finalists, RowOrigin::Default));

    let mut candidates = Vec::new();
    for (name, votes, span) in first_round {
        let row = match own.get(name.as_str()) {
            Some(row) => row.clone(),
            None if finalists.contains(name) => {
                ck.report(
                    Some(span.clone()),
                    format!("transfers.{}", key_segment(name)),
                    format!("finalist \"{name}\" has no transfer row"),
                    format!("add [transfers.{}] with its retention, e.g. \"{name}\" = 0.9 (a finalist never takes [default_transfer])", key_segment(name)),
                );
                None
            }
            None => match &default {
                Some(row) => row.clone(),
                None => {
                    ck.report(
                        Some(span.clone()),
                        format!("transfers.{}", key_segment(name)),
                        format!("\"{name}\" has no transfer row and there is no [default_transfer]"),
                        format!("add [transfers.{}] or a [default_transfer] table for eliminated candidates", key_segment(name)),
                    );
                    None
                }
            },
        };
        if let Some(transfer) = row {
            candidates.push(Candidate {
                name: name.clone(),
                votes: *votes,
                transfer,
            });
        }
    }
    candidates
}

/// One transfer row: only the finalists, `abstain` and `certainty`; shares in [0, 1] summing to 1.
fn check_row(
    ck: &mut Checker,
    table: &Spanned<NumberTable>,
    key: &str,
    finalists: &[String; 2],
    origin: RowOrigin,
) -> Option<TransferRow> {
    let mut shares = [0.0; 3];
    let mut abstain = None;
    let mut certainty = None;
    let mut ok = true;
    for (name, value) in table.get_ref() {
        let full = format!("{key}.{}", key_segment(name.get_ref()));
        let n = name.get_ref().as_str();
        if n == CERTAINTY_KEY {
            certainty = ck.certainty(value, &full);
            ok &= certainty.is_some();
        } else if let Some(i) = [finalists[0].as_str(), finalists[1].as_str(), ABSTAIN_KEY]
            .iter()
            .position(|k| *k == n)
        {
            match ck.number_in(value, &full, 0.0, 1.0, "a share") {
                Some(v) => {
                    shares[i] = v;
                    if i == ABSTAIN {
                        abstain = Some(v);
                    }
                }
                None => ok = false,
            }
        } else {
            ck.report(
                Some(name.span()),
                full,
                format!("\"{n}\" is not {}", NamedTable::Row.not()),
                unknown_key_fix(key, NamedTable::Row, n, finalists),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let finalist_sum = shares[A] + shares[B];
    match abstain {
        Some(a) => {
            let total = finalist_sum + a;
            if (total - 1.0).abs() > SUM_TOLERANCE {
                ck.report(
                    Some(table.span()),
                    key.to_string(),
                    format!("shares add up to {total} ({} + {} + abstain {a}); they must add up to 1", shares[A], shares[B]),
                    "adjust the shares so that they sum to 1, or drop `abstain` to let it be 1 − the finalist shares",
                );
                return None;
            }
        }
        None => {
            if finalist_sum > 1.0 + SUM_TOLERANCE {
                ck.report(
                    Some(table.span()),
                    key.to_string(),
                    format!(
                        "the finalist shares add up to {finalist_sum} ({} + {}), more than 1",
                        shares[A], shares[B]
                    ),
                    "lower them so that they sum to at most 1 (the rest stays home)",
                );
                return None;
            }
            shares[ABSTAIN] = (1.0 - finalist_sum).max(0.0);
        }
    }
    // Shares within the tolerance of 1 are renormalised so that the model sees an exact simplex.
    let total: f64 = shares.iter().sum();
    for s in &mut shares {
        *s /= total;
    }
    Some(TransferRow {
        shares,
        certainty: certainty.unwrap_or(DEFAULT_CERTAINTY),
        origin,
        abstain_defaulted: abstain.is_none(),
        certainty_defaulted: certainty.is_none(),
    })
}

/// `[new_voters]`: size, its spread, and a split between the finalists that sums to 1.
fn check_new_voters(
    ck: &mut Checker,
    table: &Spanned<NumberTable>,
    finalists: &[String; 2],
) -> Option<NewVoters> {
    let mut nv = NewVoters::none();
    let mut split = [0.0; 2];
    let mut ok = true;
    for (name, value) in table.get_ref() {
        let n = name.get_ref().as_str();
        let full = format!("new_voters.{}", key_segment(n));
        let checked = match n {
            "share" => ck
                .number_in(value, &full, 0.0, MAX_NEW_VOTERS, "the new-voter share")
                .map(|v| nv.share = v),
            "sd" => ck
                .number_in(value, &full, 0.0, MAX_NEW_VOTERS, "the new-voter sd")
                .map(|v| nv.sd = v),
            CERTAINTY_KEY => ck.certainty(value, &full).map(|v| nv.certainty = v),
            _ => match finalists.iter().position(|f| f == n) {
                Some(i) => ck
                    .number_in(value, &full, 0.0, 1.0, "a share")
                    .map(|v| split[i] = v),
                None => {
                    ck.report(
                        Some(name.span()),
                        full,
                        format!("\"{n}\" is not {}", NamedTable::NewVoters.not()),
                        unknown_key_fix("new_voters", NamedTable::NewVoters, n, finalists),
                    );
                    None
                }
            },
        };
        ok &= checked.is_some();
    }
    if !ok {
        return None;
    }
    let total = split[0] + split[1];
    if (total - 1.0).abs() > SUM_TOLERANCE {
        ck.report(
            Some(table.span()),
            "new_voters".into(),
            format!(
                "the new voters' split adds up to {total} ({} + {}); it must add up to 1",
                split[0], split[1]
            ),
            format!(
                "give \"{}\" and \"{}\" shares that sum to 1",
                finalists[0], finalists[1]
            ),
        );
        return None;
    }
    nv.split = [split[0] / total, split[1] / total];
    Some(nv)
}

/// `[swing]`: sd >= 0, a known distribution, df > 0.
fn check_swing(ck: &mut Checker, raw: &RawScenario) -> Option<Swing> {
    let Some(swing) = &raw.swing else {
        return Some(Swing {
            sd: 0.0,
            distribution: SwingDistribution::Normal,
        });
    };
    let swing = swing.get_ref();
    let sd = match &swing.sd {
        Some(v) => ck.number_in(v, "swing.sd", 0.0, f64::INFINITY, "the swing sd"),
        None => Some(0.0),
    };
    let df = match &swing.df {
        Some(v) => {
            let d = *v.get_ref();
            if d.is_finite() && d > 0.0 {
                Some(d)
            } else {
                ck.report(
                    Some(v.span()),
                    "swing.df".into(),
                    format!("df is {d}; it must be a finite number greater than 0"),
                    "use e.g. 5 (fat tails) or 30 (close to normal)",
                );
                None
            }
        }
        None => Some(DEFAULT_SWING_DF),
    };
    let distribution = match swing
        .distribution
        .as_ref()
        .map(|d| (d.get_ref().as_str(), d.span()))
    {
        None | Some(("normal", _)) => Some(SwingDistribution::Normal),
        Some(("student-t", _)) => df.map(|df| SwingDistribution::StudentT { df }),
        Some((other, span)) => {
            ck.report(
                Some(span),
                "swing.distribution".into(),
                format!("unknown distribution \"{other}\""),
                "write \"normal\" or \"student-t\"",
            );
            None
        }
    };
    Some(Swing {
        sd: sd?,
        distribution: distribution?,
    })
}

/// `[simulation]`: draws >= 1, seed >= 0.
fn check_simulation(ck: &mut Checker, raw: &RawScenario) -> Option<Simulation> {
    let mut sim = Simulation {
        draws: DEFAULT_DRAWS,
        seed: DEFAULT_SEED,
        voter_noise: false,
    };
    let Some(table) = &raw.simulation else {
        return Some(sim);
    };
    let table = table.get_ref();
    let mut ok = true;
    if let Some(d) = &table.draws {
        match u64::try_from(*d.get_ref()) {
            Ok(n) if n >= 1 => sim.draws = n,
            _ => {
                ck.report(
                    Some(d.span()),
                    "simulation.draws".into(),
                    format!("draws is {}; it must be at least 1", d.get_ref()),
                    "write a whole number such as 1000000",
                );
                ok = false;
            }
        }
    }
    if let Some(s) = &table.seed {
        match u64::try_from(*s.get_ref()) {
            Ok(n) => sim.seed = n,
            Err(_) => {
                ck.report(
                    Some(s.span()),
                    "simulation.seed".into(),
                    format!("seed is {}; it must be 0 or more", s.get_ref()),
                    "write a whole number such as 1",
                );
                ok = false;
            }
        }
    }
    if let Some(v) = &table.voter_noise {
        sim.voter_noise = *v.get_ref();
    }
    ok.then_some(sim)
}

/// `[report]`: a recount margin in [0, 1].
fn check_report(ck: &mut Checker, raw: &RawScenario) -> Option<Report> {
    let Some(table) = &raw.report else {
        return Some(Report::default());
    };
    match &table.get_ref().recount_margin {
        None => Some(Report::default()),
        Some(v) => ck
            .number_in(v, "report.recount_margin", 0.0, 1.0, "the recount margin")
            .map(|m| Report {
                recount_margin: Some(m),
                ..Report::default()
            }),
    }
}

/// `[actual]`: each finalist's runoff votes, finite and >= 0, adding up to more than 0; nothing else.
fn check_actual(
    ck: &mut Checker,
    table: &Spanned<NumberTable>,
    finalists: &[String; 2],
) -> Option<[f64; 2]> {
    let mut votes = [None; 2];
    let mut written = [false; 2];
    // A key that is not a finalist is most often a finalist misspelt: that one is not also missing.
    let mut unknown = false;
    for (name, value) in table.get_ref() {
        let n = name.get_ref().as_str();
        let full = format!("actual.{}", key_segment(n));
        match finalists.iter().position(|f| f == n) {
            Some(i) => {
                written[i] = true;
                votes[i] = ck.number_in(value, &full, 0.0, MAX_VOTES, "the runoff vote count");
            }
            None => {
                ck.report(
                    Some(name.span()),
                    full,
                    format!(
                        "\"{n}\" is not {}; [actual] gives the two finalists' runoff votes",
                        NamedTable::Actual.not()
                    ),
                    unknown_key_fix("actual", NamedTable::Actual, n, finalists),
                );
                unknown = true;
            }
        }
    }
    for (f, _) in finalists
        .iter()
        .zip(written)
        .filter(|(_, w)| !w && !unknown)
    {
        ck.report(
            Some(table.span()),
            "actual".into(),
            format!("\"{f}\" has no runoff votes"),
            format!("add \"{f}\" = its runoff votes (0 if none), or remove [actual] until the result is known"),
        );
    }
    let votes = [votes[0]?, votes[1]?];
    if votes[0] + votes[1] <= 0.0 {
        ck.report(
            Some(table.span()),
            "actual".into(),
            "the finalists' runoff votes add up to 0".into(),
            "give the runoff's result in votes, e.g. 333890 and 215831",
        );
        return None;
    }
    Some(votes)
}

/// Longest display name, in characters: a label that fits beside a bar and in a table column.
const DISPLAY_NAME_MAX: usize = 24;

/// `[display_names]`: each key a first-round candidate, each label one line of text, short enough
/// for a chart, and no two candidates labelled alike (a chart would not tell them apart).
fn check_display_names(
    ck: &mut Checker,
    table: &Spanned<IndexMap<Spanned<String>, Spanned<String>>>,
    first_round: &[(String, f64, Range<usize>)],
) -> IndexMap<String, String> {
    let candidates: Vec<&str> = first_round.iter().map(|(n, _, _)| n.as_str()).collect();
    let mut labels: IndexMap<String, String> = IndexMap::new();
    for (name, label) in table.get_ref() {
        let n = name.get_ref().as_str();
        let key = format!("display_names.{}", key_segment(n));
        if !candidates.contains(&n) {
            ck.report(
                Some(name.span()),
                key,
                format!("\"{n}\" is not a first-round candidate"),
                suggestion(
                    n,
                    &candidates,
                    "use a name exactly as [first_round] writes it",
                ),
            );
            continue;
        }
        let text = label.get_ref().trim();
        let length = text.chars().count();
        if text.is_empty() || text.chars().any(char::is_control) || length > DISPLAY_NAME_MAX {
            let what = if text.is_empty() {
                "is empty".to_string()
            } else if length > DISPLAY_NAME_MAX {
                format!(
                    "is {length} characters long, more than a chart label holds ({DISPLAY_NAME_MAX})"
                )
            } else {
                "has a line break or a control character".to_string()
            };
            ck.report(
                Some(label.span()),
                key,
                format!("the display name of \"{n}\" {what}"),
                format!(
                    "write a short label on one line, e.g. \"{n}\" = \"{}\"",
                    crate::format::short_name(n)
                ),
            );
            continue;
        }
        if let Some((other, _)) = labels.iter().find(|(_, l)| fold_name(l) == fold_name(text)) {
            ck.report(
                Some(label.span()),
                key,
                format!("\"{n}\" and \"{other}\" have the same display name \"{text}\""),
                "give each candidate a label of its own, so that charts tell them apart",
            );
            continue;
        }
        labels.insert(n.to_string(), text.to_string());
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Scenario, ScenarioError> {
        super::super::parse_str(src, Path::new("t.toml"))
    }

    const BASE: &str = r#"
finalists = ["A", "B"]
[first_round]
A = 110
B = 100
C = 50
[transfers.A]
A = 1.0
[transfers.B]
B = 1.0
[transfers.C]
A = 0.3
B = 0.7
certainty = 10
"#;

    #[test]
    fn a_setting_under_another_header_is_told_where_it_belongs() {
        let problem = |src: String| {
            let err = parse(&src).unwrap_err();
            let p = &err.problems[0];
            format!("{}: {} / {}", p.key, p.message, p.fix)
        };
        let rule = "; TOML puts a key in the last [table] above it";
        // Below [first_round] a setting would be a candidate: refused, not counted.
        assert_eq!(
            problem(BASE.replace("C = 50\n", "C = 50\ndraws = 100000\n")),
            format!(
                "first_round.draws: `draws` is a [simulation] key, not a candidate / move it under \
                 a [simulation] header{rule}"
            )
        );
        let fix = |src: String| problem(src).rsplit(" / ").next().unwrap().to_string();
        // In a transfer row, [new_voters] or [actual], as a number or as text.
        for (src, setting, home) in [
            (
                BASE.replace("certainty = 10", "certainty = 10\nsd = 0.03"),
                "sd",
                "[swing]",
            ),
            (
                BASE.replace(
                    "certainty = 10",
                    "certainty = 10\ndistribution = \"normal\"",
                ),
                "distribution",
                "[swing]",
            ),
            (
                format!("{BASE}[new_voters]\nshare = 0.1\nA = 0.5\nB = 0.5\nseed = 3\n"),
                "seed",
                "[simulation]",
            ),
            (
                format!("{BASE}[actual]\nA = 130\nB = 90\nvoter_noise = true\n"),
                "voter_noise",
                "[simulation]",
            ),
            (format!("{BASE}[report]\ndf = 4\n"), "df", "[swing]"),
        ] {
            assert_eq!(
                fix(src),
                format!("move `{setting}` under a {home} header{rule}")
            );
        }
        assert_eq!(
            fix(format!("{BASE}[swing]\nsd = 0.02\nname = \"x\"\n")),
            format!("move `name` to the top of the file, above the first [table] header{rule}")
        );
        // In its own table, or as another table's key of the same name, a setting is not moved.
        assert!(
            parse(&format!(
                "{BASE}[new_voters]\nshare = 0.1\nsd = 0.02\nA = 0.5\nB = 0.5\n"
            ))
            .is_ok()
        );
        assert!(!fix(format!("{BASE}[swing]\nsd = \"x\"\n")).contains("move"));
        // Another case of the name is a candidate like any other.
        assert!(
            parse(&BASE.replace("C = 50\n", "C = 50\nDraws = 1\n"))
                .is_err_and(|e| e.problems[0].key == "transfers.Draws")
        );
    }

    #[test]
    fn a_valid_file_resolves_every_default() {
        let s = parse(BASE).unwrap();
        assert_eq!(s.name, "t");
        assert_eq!(s.candidates.len(), 3);
        assert_eq!(s.candidates[2].transfer.shares, [0.3, 0.7, 0.0]);
        assert!(s.candidates[0].transfer.certainty_defaulted);
        assert_eq!(s.simulation.draws, DEFAULT_DRAWS);
    }

    #[test]
    fn a_misspelled_finalist_in_a_row_is_an_error_with_a_suggestion() {
        let src = BASE.replace("A = 0.3", "AA = 0.3");
        let err = parse(&src).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("transfers.C.AA"), "{text}");
        assert!(text.contains("did you mean \"A\""), "{text}");
    }

    #[test]
    fn a_missing_finalist_is_not_told_to_become_the_other_one_or_a_stranger() {
        // BASE's first round is A, B, C: "D" is one edit from each, but A is the other finalist.
        let text = parse(&BASE.replacen("[\"A\", \"B\"]", "[\"A\", \"D\"]", 1))
            .unwrap_err()
            .to_string();
        assert!(!text.contains("did you mean \"A\""), "{text}");
        // Every character replaced is no suggestion either; a change of case is.
        assert!(!suggestion("Ac", &["X"], "none").contains("did you mean"));
        assert_eq!(
            suggestion("ac", &["X", "Ac"], "none"),
            "did you mean \"Ac\"?"
        );
    }

    #[test]
    fn a_row_without_shares_is_said_to_send_everyone_home() {
        // [transfers.C] with only a certainty: C's voters all stay home, most likely by mistake.
        let forgot = BASE.replace("A = 0.3\nB = 0.7\n", "");
        let s = parse(&forgot).unwrap();
        assert_eq!(s.candidates[2].transfer.shares, [0.0, 0.0, 1.0]);
        assert_eq!(s.without_effect.len(), 1, "{:?}", s.without_effect);
        assert!(
            s.without_effect.iter().any(|n| n.starts_with(
                "line 11: `transfers.C` gives neither finalist a share, so every voter of \"C\" \
                 stays home"
            )),
            "{:?}",
            s.without_effect
        );
        // Written out, it is meant: no note.
        let meant = BASE.replace("A = 0.3\nB = 0.7\ncertainty = 10", "abstain = 1");
        assert!(parse(&meant).unwrap().without_effect.is_empty());
        // The default row names the candidates that take it.
        let default = format!(
            "{}[default_transfer]\ncertainty = 10\n",
            BASE.replace("C = 50", "C = 50\nD = 5")
                .replace("[transfers.C]\nA = 0.3\nB = 0.7\ncertainty = 10\n", "")
        );
        let s = parse(&default).unwrap();
        assert!(
            s.without_effect.iter().any(|n| n.contains(
                "`default_transfer` gives neither finalist a share, so every voter of \"C\" and \
                 \"D\" stays home"
            )),
            "{:?}",
            s.without_effect
        );
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let src = BASE
            .replace("certainty = 10", "certainty = -1")
            .replace("B = 1.0", "B = 1.5");
        let err = parse(&src).unwrap_err();
        assert_eq!(err.problems.len(), 2, "{err}");
        assert!(err.problems.iter().all(|p| p.at.is_some()));
    }

    #[test]
    fn the_actual_result_is_read_and_percentages_in_it_are_noted() {
        let s = parse(&format!("{BASE}[actual]\nB = 120\nA = 130\n")).unwrap();
        assert_eq!(s.report.actual, Some([130.0, 120.0]));
        assert!(s.without_effect.is_empty());
        assert_eq!(parse(BASE).unwrap().report.actual, None);
        // Percentages pass (the winner and share read right), with a note; so do shares. A first
        // round of 260 votes may have had a runoff of 100 votes: the note needs a larger one.
        let large = BASE.replace("C = 50", "C = 50000");
        for (a, b) in [("60.7", "39.3"), ("0.607", "0.393")] {
            let s = parse(&format!("{large}[actual]\nA = {a}\nB = {b}\n")).unwrap();
            assert_eq!(s.without_effect.len(), 1, "{:?}", s.without_effect);
            assert!(s.without_effect[0].contains("the margin and turnout need the vote counts"));
        }
        let err = parse(&format!("{BASE}[actual]\nA = 130\nabstain = 3\n")).unwrap_err();
        assert_eq!(err.problems.len(), 1, "{err}");
        assert_eq!(err.problems[0].key, "actual.abstain");
    }

    #[test]
    fn voter_noise_on_counts_that_are_not_whole_is_noted() {
        let noisy = format!("{BASE}[simulation]\nvoter_noise = true\n");
        assert!(parse(&noisy).unwrap().without_effect.is_empty());
        let s = parse(&noisy.replace("C = 50", "C = 50.4")).unwrap();
        assert_eq!(s.without_effect.len(), 1, "{:?}", s.without_effect);
        assert!(
            s.without_effect[0].starts_with("line 16: `simulation.voter_noise`")
                && s.without_effect[0].contains("(C = 50.4): each is rounded, 260 voters in all"),
            "{}",
            s.without_effect[0]
        );
        // Without voter noise the counts are used as they are: nothing to say.
        assert!(
            parse(&BASE.replace("C = 50", "C = 50.4"))
                .unwrap()
                .without_effect
                .is_empty()
        );
    }

    #[test]
    fn a_count_whose_point_may_group_thousands_is_noted() {
        // 178.626 beside 239604: German writes 178626 so, and TOML reads a decimal point.
        let thousands = BASE.replace("A = 110", "A = 239604");
        let s = parse(&thousands.replace("C = 50", "C = 178.626 # Stimmen")).unwrap();
        assert_eq!(
            s.without_effect,
            [
                "line 6: `first_round.C` = 178.626 is read as 178.626 votes beside counts in the \
                 thousands; if the point groups thousands, as German and many other styles write \
                 them, write 178626"
            ]
        );
        let s = parse(&format!("{thousands}[actual]\nA = 333.890\nB = 215831\n")).unwrap();
        assert_eq!(s.without_effect.len(), 1, "{:?}", s.without_effect);
        assert!(s.without_effect[0].starts_with("line 16: `actual.A` = 333.890"));
        // Every count written so (1.000 is whole, 950 under a thousand): one note for the table.
        let all = BASE
            .replace("A = 110", "A = 239.604")
            .replace("B = 100", "B = 1.000")
            .replace("C = 50", "C = 950\nD = 7.200");
        let s = parse(&format!("{all}[default_transfer]\nabstain = 1\n")).unwrap();
        assert_eq!(
            s.without_effect,
            [
                "line 4: `first_round`: 3 counts have three digits after a point (`A` = 239.604, \
                 `B` = 1.000, `D` = 7.200), which is read as a decimal point; if the points group \
                 thousands, as German and many other styles write them, write the digits alone \
                 (239604, 1000, 7200)"
            ]
        );
        // Other decimals and whole counts: nothing to say about points; percentages (adding up
        // to 100) are said to be percentages, with what that means for margins and turnouts.
        let percentages = parse(
            &BASE
                .replace("A = 110", "A = 33.391")
                .replace("B = 100", "B = 56")
                .replace("C = 50", "C = 10.250"),
        )
        .unwrap();
        assert_eq!(percentages.without_effect.len(), 1);
        assert!(percentages.without_effect[0].contains("which reads as percentages"));
        for (a, b, c) in [
            ("239604", "100", "178.6"),
            ("239604", "100", "1786.260"),
            ("239.604", "100", "178.6"),
        ] {
            let s = parse(
                &BASE
                    .replace("A = 110", &format!("A = {a}"))
                    .replace("B = 100", &format!("B = {b}"))
                    .replace("C = 50", &format!("C = {c}")),
            );
            assert!(s.unwrap().without_effect.is_empty(), "{a}, {b}, {c}");
        }
    }
}
