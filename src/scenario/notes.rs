//! Notes on a valid scenario file: keys that change nothing, and values that are most likely a slip.

use super::error::{key_segment, line_col};
use super::raw::{NumberTable, RawScenario};
use super::validate::CERTAINTY_KEY;
use super::{Candidate, NewVoters, Report, RowOrigin, Swing, SwingDistribution};
use crate::format::quoted_list;
use crate::format::{fraction_of, readable};
use std::ops::Range;
use toml::Spanned;

/// Largest swing sd that is not said to be a likely slip: 50 points.
const MAX_PLAUSIBLE_SWING: f64 = 0.5;

/// Keys of a valid file that change nothing, or whose value is most likely a slip (a swing of
/// hundreds of points), each as "line L: `key` …: why".
pub(super) fn without_effect(
    raw: &RawScenario,
    source: &str,
    candidates: &[Candidate],
    new_voters: &NewVoters,
    swing: &Swing,
    report: &Report,
) -> Vec<String> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut say = |span: Range<usize>, text: String| {
        let (line, _) = line_col(source, span.start);
        out.push((line, format!("line {line}: {text}")));
    };
    if let Some(raw_swing) = raw.swing.as_ref().map(|s| s.get_ref()) {
        if swing.sd == 0.0 {
            if let Some(d) = raw_swing.distribution.as_ref() {
                say(
                    d.span(),
                    "`swing.distribution` has no effect: swing.sd is 0, so there is no swing"
                        .into(),
                );
            }
        } else if let Some(sd) = raw_swing
            .sd
            .as_ref()
            .filter(|_| swing.sd > MAX_PLAUSIBLE_SWING)
        {
            // Legal, but most likely points written where a share belongs (3 for 0.03).
            say(
                sd.span(),
                format!(
                    "`swing.sd` = {} is a swing of {} points, which pushes most draws' share to 0 \
                     or 1; write {} if you meant {} points",
                    readable(swing.sd),
                    if swing.sd < f64::MAX / 100.0 {
                        readable(100.0 * swing.sd)
                    } else {
                        "over 1e308".to_string()
                    },
                    fraction_of(swing.sd),
                    readable(swing.sd)
                ),
            );
        }
        if let (Some(df), SwingDistribution::Normal, true) =
            (&raw_swing.df, swing.distribution, swing.sd > 0.0)
        {
            say(
                df.span(),
                "`swing.df` has no effect: the swing is normal (write distribution = \"student-t\" \
                 to use it)"
                    .into(),
            );
        }
    }
    if let Some(table) = &raw.new_voters
        && !new_voters.enabled()
        && table
            .get_ref()
            .keys()
            .any(|k| !["share", "sd"].contains(&k.get_ref().as_str()))
    {
        say(
            table.span(),
            "`new_voters`: the split and certainty have no effect, since share and sd are 0 (no \
             new voters)"
                .into(),
        );
    }
    if let Some(default) = &raw.default_transfer
        && !candidates
            .iter()
            .any(|c| c.transfer.origin == RowOrigin::Default)
    {
        say(
            default.span(),
            "`default_transfer` has no effect: every candidate has a row of its own".into(),
        );
    }
    // A row that writes no share at all sends every voter home (abstain = 1 by default): most
    // likely the shares were forgotten; one who means it writes abstain = 1 and is not told.
    let no_share =
        |row: &Spanned<NumberTable>| row.get_ref().keys().all(|k| k.get_ref() == CERTAINTY_KEY);
    let sends_home = |key: &str, whose: &[&str]| {
        format!(
            "`{key}` gives neither finalist a share, so every voter of {} stays home in every \
             draw (fix: give the finalists' shares, or write abstain = 1 if that is meant)",
            quoted_list(whose)
        )
    };
    let by_default: Vec<&str> = candidates
        .iter()
        .filter(|c| c.transfer.origin == RowOrigin::Default)
        .map(|c| c.name.as_str())
        .collect();
    if let Some(row) = &raw.default_transfer
        && !by_default.is_empty()
        && no_share(row)
    {
        say(row.span(), sends_home("default_transfer", &by_default));
    }
    if let Some(rows) = &raw.transfers {
        for (name, row) in rows.get_ref() {
            let certainty = row
                .get_ref()
                .iter()
                .find(|(k, _)| k.get_ref() == CERTAINTY_KEY);
            let used = candidates.iter().find(|c| c.name == *name.get_ref());
            if used.is_some() && no_share(row) {
                let key = format!("transfers.{}", key_segment(name.get_ref()));
                say(row.span(), sends_home(&key, &[name.get_ref().as_str()]));
            } else if let (Some((_, value)), Some(c)) = (certainty, used)
                && c.transfer.shares.iter().filter(|p| **p > 0.0).count() == 1
            {
                say(
                    value.span(),
                    format!(
                        "`transfers.{}.certainty` has no effect: the row has one non-zero share, \
                         so it is the same in every draw",
                        key_segment(name.get_ref())
                    ),
                );
            }
        }
    }
    if let Some(key) = raw
        .simulation
        .as_ref()
        .and_then(|s| s.get_ref().voter_noise.as_ref())
        .filter(|v| *v.get_ref())
        && let Some(first) = candidates.iter().find(|c| c.votes.fract() != 0.0)
    {
        // Voter noise draws round(v) voters from each candidate: counts that are not whole are
        // most likely percentages or shares (33.4 for 33.4%), a runoff of about a hundred voters.
        let voters: f64 = candidates.iter().map(|c| c.votes.round()).sum();
        say(
            key.span(),
            format!(
                "`simulation.voter_noise` draws whole voters, but the first round's votes are not \
                 all whole numbers ({} = {}): each is rounded, {} voters in all; if they are \
                 percentages or shares, write the vote counts",
                key_segment(&first.name),
                readable(first.votes),
                readable(voters)
            ),
        );
    }
    for (name, table) in [("first_round", &raw.first_round), ("actual", &raw.actual)] {
        let points = table
            .as_ref()
            .map_or_else(Vec::new, |t| thousands_points_in(t.get_ref(), source));
        // One count is named with its table; several, in a note on the table.
        let (prefix, named) = match points.len() {
            1 => (String::new(), format!("{name}.")),
            _ => (format!("`{name}`: "), String::new()),
        };
        let subjects: Vec<(String, &str)> = points
            .iter()
            .map(|(c, w)| (format!("`{named}{}` = {w}", key_segment(c.get_ref())), *w))
            .collect();
        if let (Some((first, _)), Some(note)) = (
            points.first(),
            crate::format::thousands_point_note(&subjects),
        ) {
            say(first.span(), format!("{prefix}{note}"));
        }
    }
    let first_round: f64 = candidates.iter().map(|c| c.votes).sum();
    // A first round of percentages or shares (33.4, 31.6, …) beside a result in votes: every
    // margin and turnout is then a hundred thousand times too small, and the result lies beyond
    // every draw.
    if let (Some(table), Some([a, b])) = (&raw.first_round, report.actual) {
        let ratio = (a + b) / first_round;
        // A result in percentages or shares has a note of its own, below.
        let result_in_percent = [100.0, 1.0]
            .iter()
            .any(|whole| ((a + b) / whole - 1.0).abs() < 0.005);
        if !(1.0 / 20.0..=20.0).contains(&ratio) && !result_in_percent {
            say(
                table.span(),
                format!(
                    "`first_round` adds up to {} and `actual` to {} runoff votes, {} times as \
                     many: one of them is at the wrong scale (percentages or shares beside vote \
                     counts?); runoff turnout is rarely below a tenth of round one or above twice \
                     it, so write both as vote counts",
                    readable(first_round),
                    readable(a + b),
                    crate::format::trimmed(ratio, if ratio < 1.0 { 4 } else { 0 })
                ),
            );
        }
    } else if let Some(table) = &raw.first_round {
        // Percentages (or shares) without a result to compare: the shares and win probabilities
        // read right, but margins and turnouts come out in points, not votes.
        let reads_as = [(100.0, "percentages"), (1.0, "shares")]
            .into_iter()
            .find(|(whole, _)| (first_round / whole - 1.0).abs() <= 0.01);
        if let (Some((_, what)), true) =
            (reads_as, candidates.iter().any(|c| c.votes.fract() != 0.0))
        {
            say(
                table.span(),
                format!(
                    "`first_round` adds up to {}, which reads as {what}: win probabilities and \
                     shares are right, but margins, turnouts and flows come out in {what} of \
                     round one, not votes; write the vote counts to read them in votes",
                    readable(first_round)
                ),
            );
        }
    }
    if let (Some(table), Some([a, b])) = (&raw.actual, report.actual) {
        // 60.7 and 39.3 are percentages: the winner and share read right, the turnout does not.
        let reads_as = [(100.0, "percentages"), (1.0, "shares")]
            .into_iter()
            .find(|(whole, _)| {
                ((a + b) / whole - 1.0).abs() < 0.005 && first_round > 100.0 * whole
            });
        if let Some((_, what)) = reads_as {
            say(
                table.span(),
                format!(
                    "`actual`: the finalists' runoff votes add up to {}, which reads as {what}; \
                     the winner and share are scored as written, but the margin and turnout need \
                     the vote counts",
                    readable(a + b)
                ),
            );
        }
    }
    out.sort_by_key(|(line, _)| *line);
    out.into_iter().map(|(_, text)| text).collect()
}

/// The counts of a table whose point most likely groups thousands (`178.626` for 178626), by
/// [`crate::format::thousands_points`], each with its value as written.
fn thousands_points_in<'a>(
    counts: &'a NumberTable,
    source: &'a str,
) -> Vec<(&'a Spanned<String>, &'a str)> {
    let read: Vec<(&str, f64)> = counts
        .values()
        .map(|votes| {
            let text = source.get(votes.span()).unwrap_or_default().trim();
            (text, *votes.get_ref())
        })
        .collect();
    let names: Vec<&Spanned<String>> = counts.keys().collect();
    crate::format::thousands_points(&read)
        .into_iter()
        .map(|i| (names[i], read[i].0))
        .collect()
}
