//! `[[polls]]` and `[poll_error]`: every rule of SCENARIO-FORMAT.md's "Polls", each broken one a
//! problem with its key, position and fix.

use super::error::key_segment;
use super::raw::{RawPoll, RawScenario};
use super::validate::Checker;
use super::{A, B, Poll, PollError, Polls, SUM_TOLERANCE};
use crate::format::{fraction_of, readable, suggestion};
use toml::{Spanned, Value};

/// The keys of a poll besides the two finalists.
const POLL_KEYS: [&str; 3] = ["pollster", "end_date", "n"];

/// Most respondents a poll may report: more people than live on Earth is a typo.
const MAX_RESPONDENTS: f64 = 1e10;

/// `[[polls]]` and `[poll_error]` of a file whose finalists are known.
pub(super) fn check_polls(
    ck: &mut Checker,
    raw: &RawScenario,
    finalists: &[String; 2],
) -> Option<Polls> {
    let error = check_poll_error(ck, raw);
    let Some(polls) = &raw.polls else {
        return error.map(|error| Polls {
            list: Vec::new(),
            error,
        });
    };
    let mut list = Vec::new();
    let mut ok = true;
    for (i, poll) in polls.get_ref().iter().enumerate() {
        match check_poll(ck, poll, i, finalists) {
            Some(p) => list.push(p),
            None => ok = false,
        }
    }
    let error = error?;
    // A decided share of exactly 0 or 1 has no sampling variance: with no other error the polls'
    // likelihood would be a spike that no draw meets.
    if error.each == 0.0 && error.shared == 0.0 {
        for (i, p) in list.iter().enumerate() {
            let y = p.decided_share();
            if y == 0.0 || y == 1.0 {
                ck.report(
                    Some(polls.get_ref()[i].span()),
                    format!("polls[{}]", i + 1),
                    format!(
                        "this poll's decided share for \"{}\" is {}, which has no sampling error, and [poll_error] allows no other",
                        finalists[A],
                        readable(y)
                    ),
                    "set [poll_error] each (e.g. 0.02) or shared above 0, or leave the poll out",
                );
                ok = false;
            }
        }
    }
    ok.then_some(Polls { list, error })
}

/// `[poll_error]`: both values finite and >= 0, and only beside polls.
fn check_poll_error(ck: &mut Checker, raw: &RawScenario) -> Option<PollError> {
    let Some(table) = &raw.poll_error else {
        return Some(PollError::default());
    };
    if raw.polls.is_none() {
        ck.report(
            Some(table.span()),
            "poll_error".into(),
            "[poll_error] is given but there are no polls for it to describe".into(),
            "add the polls as [[polls]] tables, or remove [poll_error]",
        );
        return None;
    }
    let t = table.get_ref();
    let mut value = |v: &Option<Spanned<f64>>, key: &str, default: f64| match v {
        Some(v) => ck.number_in(v, key, 0.0, 1.0, "a poll error sd"),
        None => Some(default),
    };
    let shared = value(&t.shared, "poll_error.shared", PollError::default().shared);
    let each = value(&t.each, "poll_error.each", PollError::default().each);
    Some(PollError {
        shared: shared?,
        each: each?,
    })
}

/// One `[[polls]]` table (the `i`th, from 0).
fn check_poll(
    ck: &mut Checker,
    poll: &Spanned<RawPoll>,
    i: usize,
    finalists: &[String; 2],
) -> Option<Poll> {
    let at = format!("polls[{}]", i + 1);
    let key = |k: &str| format!("{at}.{}", key_segment(k));
    let mut pollster = None;
    let mut end_date = None;
    let mut n = None;
    let mut shares = [None; 2];
    let mut ok = true;
    let mut unknown = false;
    for (name, value) in poll.get_ref() {
        let k = name.get_ref().as_str();
        match (k, value.get_ref()) {
            ("pollster", Value::String(text)) => pollster = Some(text.trim().to_string()),
            ("pollster", _) => {
                ck.report(
                    Some(value.span()),
                    key(k),
                    "the pollster is not text".into(),
                    "write the pollster's name in double quotes, e.g. pollster = \"Cygnal\"",
                );
                ok = false;
            }
            ("end_date", Value::Datetime(d)) if d.date.is_some() && d.time.is_none() => {
                end_date = d.date.map(|d| d.to_string());
            }
            ("end_date", v) => {
                let fix = match v {
                    Value::String(text) => format!(
                        "write the date without quotes, as TOML writes dates: end_date = {}",
                        text.trim()
                    ),
                    _ => "write the poll's last day in the field as a date, e.g. end_date = 2020-07-10"
                        .to_string(),
                };
                ck.report(
                    Some(value.span()),
                    key(k),
                    "end_date is not a date".into(),
                    fix,
                );
                ok = false;
            }
            ("n", v) => n = respondents(ck, v, value, &key(k)),
            (name_written, v) => match finalists.iter().position(|f| f == name_written) {
                Some(f) => shares[f] = share(ck, v, value, &key(k)),
                None => {
                    let mut known: Vec<&str> = finalists.iter().map(String::as_str).collect();
                    known.extend(POLL_KEYS);
                    ck.report(
                        Some(name.span()),
                        key(k),
                        format!(
                            "\"{name_written}\" is not a finalist, `pollster`, `end_date` or `n`"
                        ),
                        suggestion(
                            name_written,
                            &known,
                            &format!(
                                "a poll gives only the two finalists' shares (\"{}\" and \"{}\"), \
                                 `pollster`, `end_date` and `n`; leave other candidates out",
                                finalists[A], finalists[B]
                            ),
                        ),
                    );
                    unknown = true;
                    ok = false;
                }
            },
        }
    }
    if n.is_none() && !poll.get_ref().keys().any(|k| k.get_ref() == "n") {
        ck.report(
            Some(poll.span()),
            at.clone(),
            "the poll has no `n`".into(),
            "add n = the number of respondents asked the runoff question",
        );
        ok = false;
    }
    for (f, name) in finalists.iter().enumerate() {
        let written = poll.get_ref().keys().any(|k| k.get_ref() == name);
        if !written && !unknown {
            ck.report(
                Some(poll.span()),
                at.clone(),
                format!("the poll gives no share for \"{name}\""),
                format!(
                    "add \"{name}\" = its share of the respondents (0 if none), as a fraction such as 0.45"
                ),
            );
            ok = false;
        }
        if !written {
            shares[f] = None;
        }
    }
    let (Some(n), Some(a), Some(b)) = (n, shares[A], shares[B]) else {
        return None;
    };
    if a + b > 1.0 + SUM_TOLERANCE {
        ck.report(
            Some(poll.span()),
            at.clone(),
            format!(
                "the finalists' shares add up to {}, more than 1",
                readable(a + b)
            ),
            "give each finalist's share of all respondents; the rest are undecided or other",
        );
        return None;
    }
    if a + b <= 0.0 {
        ck.report(
            Some(poll.span()),
            at,
            "both finalists' shares are 0: the poll says nothing about the runoff".into(),
            "give the finalists' shares, or leave the poll out",
        );
        return None;
    }
    ok.then_some(Poll {
        pollster,
        end_date,
        n,
        shares: [a, b],
    })
}

/// A number as a poll's value holds it (an integer or a float), or `None` for anything else.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// `n`: respondents, finite and > 0.
fn respondents(ck: &mut Checker, v: &Value, value: &Spanned<Value>, key: &str) -> Option<f64> {
    let Some(n) = number(v) else {
        ck.report(
            Some(value.span()),
            key.to_string(),
            "n is not a number".into(),
            "write the number of respondents without quotes, e.g. n = 607",
        );
        return None;
    };
    if !(n.is_finite() && n > 0.0 && n <= MAX_RESPONDENTS) {
        ck.report(
            Some(value.span()),
            key.to_string(),
            format!("n is {}; it must be more than 0", readable(n)),
            "write the number of respondents asked the runoff question, e.g. n = 607",
        );
        return None;
    }
    Some(n)
}

/// A finalist's share of the respondents, in [0, 1]: a percentage (51) or text ("51%") is told
/// the fraction to write.
fn share(ck: &mut Checker, v: &Value, value: &Spanned<Value>, key: &str) -> Option<f64> {
    let percent = |p: f64| {
        format!(
            "a share is a fraction, not a percentage: write {} for {}%",
            fraction_of(p),
            readable(p)
        )
    };
    let Some(x) = number(v) else {
        let fix = match v {
            Value::String(text) => {
                let t = text.trim();
                match t.strip_suffix('%').map(str::trim).map(str::parse::<f64>) {
                    Some(Ok(p)) => percent(p),
                    _ => match t.parse::<f64>() {
                        Ok(x) => format!("write the number without quotes: {}", readable(x)),
                        Err(_) => "write the finalist's share as a fraction such as 0.45".into(),
                    },
                }
            }
            _ => "write the finalist's share as a fraction such as 0.45".into(),
        };
        ck.report(
            Some(value.span()),
            key.to_string(),
            "the share is not a number".into(),
            fix,
        );
        return None;
    };
    if !x.is_finite() || !(0.0..=1.0).contains(&x) {
        let fix = if x > 1.0 && x <= 100.0 {
            percent(x)
        } else {
            "write a share between 0 and 1".to_string()
        };
        ck.report(
            Some(value.span()),
            key.to_string(),
            format!("the share is {}; it must be between 0 and 1", readable(x)),
            fix,
        );
        return None;
    }
    Some(x)
}
