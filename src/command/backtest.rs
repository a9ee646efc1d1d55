//! `runoff new` (a scenario from the default prior) and `runoff backtest` (the prior scored against real runoffs).

use super::{BadInput, print_stdout, thread_pool};
use crate::backtest::{self, DefaultPrior};
use crate::chart::{self, PitChart, ReliabilityChart};
use crate::cli::{BacktestArgs, NewArgs};
use crate::export;
use crate::format::votes;
use crate::output::{AtomicDir, Progress, check_output_folder, write_atomic};
use crate::results as data;
use std::fmt::Write as _;
use std::sync::atomic::AtomicBool;

/// `runoff new`.
pub fn new(args: &NewArgs) -> anyhow::Result<()> {
    // A flag's word, read by `parse`, or why not and what to write.
    fn given<T>(
        flag: &str,
        text: Option<&str>,
        parse: fn(&str) -> Option<T>,
        what: &str,
    ) -> Result<Option<T>, BadInput> {
        text.map(|t| parse(t).ok_or_else(|| BadInput(format!("{flag} `{t}` is {what}"))))
            .transpose()
    }
    let given_kind = given(
        "--kind",
        args.kind.as_deref(),
        data::Kind::parse,
        "not a kind of election (write primary, general or national)",
    )?;
    let given_ballot = given(
        "--ballot",
        args.ballot.as_deref(),
        data::Ballot::parse,
        "not what heads a runoff ballot (write top, second or lower)",
    )?;
    // The race's kind and ballot as the table tells them (a first round alone tells neither).
    let mut told = (None, None);
    let (name, source, first_round, finalists, runoff) = match (&args.data, &args.first_round) {
        (Some(table), None) => {
            let (races, set_aside) = data::load(table)?;
            let in_table = |e: String| BadInput(format!("{}: {e}", table.display()));
            let id = data::choose_race(races.iter().map(|r| r.id.as_str()), args.race.as_deref())
                .map_err(in_table)?;
            super::note_race_taken(args.race.as_deref(), &id);
            let race = races
                .iter()
                .find(|r| r.id == id)
                .ok_or_else(|| in_table(format!("no race `{id}`")))?;
            note_set_aside(table, set_aside.iter().filter(|s| s.race == id));
            if let Some(why) = &race.first_round_unusable {
                return Err(in_table(why.clone()).into());
            }
            if race.first_round_from_pct {
                return Err(in_table(format!(
                    "race {id}: round 1 has percentages but no vote counts; a scenario needs each \
                     candidate's votes, since the runoff's turnout and margin are counted in votes \
                     (add the counts from the official results to the votes column)"
                ))
                .into());
            }
            // Where the finalists came from, when it is not the table's own runoff: said in the file too.
            let (finalists, chosen) = match &args.finalists {
                Some(list) => (parse_finalists(list, &race.first_round)?, ""),
                None if race.runoff_votes.len() == 2 => (race.finalists().map_err(in_table)?, ""),
                None => {
                    let two = top_two(
                        &race.first_round,
                        &format!("{}: race {id}", table.display()),
                    )?;
                    let runoff = match race.runoff_votes.len() {
                        0 => "no runoff rows".to_string(),
                        1 => "one runoff candidate, not 2".to_string(),
                        n => format!("{n} runoff candidates, not 2"),
                    };
                    eprintln!(
                        "note: race {id} has {runoff}; the finalists are round 1's top two, \
                         \"{}\" and \"{}\" (give --finalists \"A,B\" to choose)",
                        two[0], two[1]
                    );
                    (two, "; finalists: round 1's top two")
                }
            };
            // The runoff's counts, when the table has both finalists': the forecast is scored in hindsight.
            let count = |f: &String| {
                race.runoff_votes
                    .iter()
                    .find(|(n, _)| n == f)
                    .and_then(|(_, v)| *v)
            };
            let runoff = count(&finalists[0]).zip(count(&finalists[1]));
            told = (race.kind, race.ballot);
            (
                id.clone(),
                format!("{} race {id}, round 1{chosen}", table.display()),
                race.first_round.clone(),
                finalists,
                runoff.map(|(a, b)| (format!("{} race {id}", table.display()), [a, b])),
            )
        }
        (None, Some(file)) => {
            let (first_round, set_aside) = data::load_first_round(file)?;
            note_set_aside(file, &set_aside);
            let (finalists, chosen) = match &args.finalists {
                Some(list) => (parse_finalists(list, &first_round)?, ""),
                None => {
                    let two = top_two(&first_round, &file.display().to_string())?;
                    eprintln!(
                        "note: the finalists are {}'s top two, \"{}\" and \"{}\" (give --finalists \"A,B\" \
                         to choose)",
                        file.display(),
                        two[0],
                        two[1]
                    );
                    (two, "; finalists: its top two")
                }
            };
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                stem,
                format!("{}{chosen}", file.display()),
                first_round,
                finalists,
                None,
            )
        }
        _ => {
            return Err(BadInput(
                "give either DATA.csv [--race ID], or --first-round FILE.csv [--finalists \"A,B\"]"
                    .into(),
            )
            .into());
        }
    };
    // The scenario's title: --name, else the race's id or the file's stem ("fr" for fr.csv).
    let name = match args.name.as_deref().map(str::trim) {
        Some("") => {
            return Err(BadInput(
                "--name is empty (fix: give the scenario a title, e.g. --name \"France 2022\")"
                    .into(),
            )
            .into());
        }
        Some(given) => given.to_string(),
        None => name,
    };
    if let Some(why) =
        crate::scenario::unwritable_name(first_round.iter().map(|(n, _)| n.as_str()), &finalists)
    {
        return Err(BadInput(why).into());
    }
    let kind = given_kind.or(told.0);
    let ballot = given_ballot.or(told.1);
    let prior = DefaultPrior::bundled(kind, ballot);
    note_turnout_assumed(&prior, kind, ballot);
    let mut text = prior.scenario_toml(&name, &source, &first_round, &finalists);
    if let Some((table, votes)) = runoff
        && votes[0] + votes[1] > 0.0
    {
        let _ = write!(
            text,
            "\n# The runoff, from {table}.\n\
             # The prior above never saw it: `runoff run` says where it fell among the draws\n\
             # (a forecast from round 1 alone, scored in hindsight).\n{}",
            crate::scenario::actual_toml(&finalists, votes)
        );
    }
    // The file we write must be one `runoff run` accepts.
    crate::scenario::parse_str(&text, std::path::Path::new(&format!("{name}.toml"))).map_err(
        |e| {
            BadInput(format!(
                "the scenario made from {source} would be invalid: {e}"
            ))
        },
    )?;
    match &args.out {
        Some(dir) => {
            crate::output::check_output_folder(dir)?;
            let path = dir.join(format!("{}.toml", crate::output::file_name(&name)));
            super::write_out_file(&path, text.as_bytes())?;
            eprintln!(
                "wrote {}; check it with `runoff check {0}` and run it with `runoff run {0}`",
                path.display()
            );
            Ok(())
        }
        None => print_stdout(text.as_bytes()),
    }
}

/// Races of a kind the turnout rule has fewer examples of than this get a warning.
const FEW_EXAMPLES: usize = 5;

/// Say on the terminal what the prior assumed of the race's turnout, and warn when the race is of
/// a kind the bundled races hold few of, or the kind or ballot is unknown.
fn note_turnout_assumed(
    prior: &DefaultPrior,
    kind: Option<data::Kind>,
    ballot: Option<data::Ballot>,
) {
    let rule = &backtest::turnout::BUNDLED;
    let ratio = prior.turnout_ratio.unwrap_or(f64::NAN);
    eprintln!(
        "note: the prior expects a runoff turnout of {:.0}% of the first round's, for {} (a typical miss: a factor of {:.1} either way; docs/default-prior.md)",
        100.0 * ratio,
        backtest::prior::race_words(kind, ballot),
        rule.spread.exp()
    );
    let mut unknown = Vec::new();
    if kind.is_none() {
        unknown.push("--kind primary|general|national");
    }
    if ballot.is_none() {
        unknown.push("--ballot top|second|lower");
    }
    if !unknown.is_empty() {
        eprintln!(
            "warning: the race's {} unknown, so the turnout is the average over the {} development races; give {} to say",
            match (kind, ballot) {
                (None, None) => "kind and what heads its ballot are",
                (None, _) => "kind is",
                _ => "ballot is",
            },
            rule.races[0],
            unknown.join(" and ")
        );
    }
    if let Some(k) = kind
        && rule.examples(k) < FEW_EXAMPLES
    {
        eprintln!(
            "warning: the default prior has seen {} {} race{} of {} runoffs: its turnout, and the transfer rates tuned on party primaries, are a guess for this race; set [transfers] and [new_voters] from what you know of it",
            rule.examples(k),
            k,
            if rule.examples(k) == 1 { "" } else { "s" },
            rule.races[0]
        );
    }
}

/// Say on the terminal which rows of a table were left out as no candidate's votes: the first
/// twenty, then how many more (a precinct table may have a totals row in every county).
fn note_set_aside<'a>(
    table: &std::path::Path,
    set_aside: impl IntoIterator<Item = &'a data::SetAside>,
) {
    const SHOWN: usize = 20;
    let mut count = 0;
    for s in set_aside {
        count += 1;
        if count > SHOWN {
            continue;
        }
        let race = if s.race.is_empty() {
            String::new()
        } else {
            format!("race {}, ", s.race)
        };
        eprintln!("note: {}: {race}{}", table.display(), s.what);
    }
    if count > SHOWN {
        eprintln!(
            "note: {}: … and {} more left out like these ({count} in all)",
            table.display(),
            count - SHOWN
        );
    }
}

/// "A,B" → both names, checked against the first round.
fn parse_finalists(list: &str, first_round: &[(String, f64)]) -> anyhow::Result<[String; 2]> {
    let known: Vec<&str> = first_round.iter().map(|(c, _)| c.as_str()).collect();
    let find = |written: &str| {
        crate::format::find_name(&known, written).map(|(c, loose)| {
            if loose {
                eprintln!("note: --finalists: \"{written}\" taken as \"{c}\"");
            }
            c
        })
    };
    // A name may hold a comma ("Smith, Jr."): the separator is then the one comma whose two
    // sides name two candidates.
    let names_two = |[a, b]: &[&str; 2]| {
        let name = |n| crate::format::find_name(&known, n).map(|(c, _)| c);
        matches!((name(a), name(b)), (Some(x), Some(y)) if x != y)
    };
    let fits: Vec<[&str; 2]> = list
        .match_indices(',')
        .map(|(i, _)| [list[..i].trim(), list[i + 1..].trim()])
        .filter(names_two)
        .collect();
    let names: Vec<String> = match fits[..] {
        [[a, b]] => vec![a.to_string(), b.to_string()],
        [_, _, ..] => {
            let readings: Vec<String> = fits
                .iter()
                .map(|[a, b]| format!("\"{a}\" and \"{b}\""))
                .collect();
            return Err(BadInput(format!(
                "--finalists \"{list}\": reads as {} (fix: rename a candidate in the \
                 table, e.g. without its comma)",
                readings.join(" or as ")
            ))
            .into());
        }
        _ => list
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    if names.len() != 2 || names[0] == names[1] {
        let comma = if list.matches(',').count() > 1 {
            " (a name that holds a comma is written as the table writes it)"
        } else {
            ""
        };
        return Err(BadInput(format!(
            "--finalists \"{list}\": name two different candidates, comma-separated, e.g. \
             --finalists \"A,B\"{comma}"
        ))
        .into());
    }
    let mut chosen = Vec::new();
    for n in &names {
        match find(n) {
            Some(c) => chosen.push(c.to_string()),
            None => {
                return Err(BadInput(format!(
                    "--finalists: \"{n}\" is not in the first round ({}); write a name as the \
                     table does{}",
                    known
                        .iter()
                        .map(|c| format!("\"{c}\""))
                        .collect::<Vec<_>>()
                        .join(", "),
                    crate::format::suggested(n, &known)
                ))
                .into());
            }
        }
    }
    if chosen[0] == chosen[1] {
        return Err(BadInput(format!(
            "--finalists \"{list}\": both name \"{}\"; name two different candidates",
            chosen[0]
        ))
        .into());
    }
    Ok([chosen[0].clone(), chosen[1].clone()])
}

/// The two candidates with the most first-round votes, leader first; `whose` names the first
/// round in an error ("results.csv", "data.csv: race X").
fn top_two(first_round: &[(String, f64)], whose: &str) -> anyhow::Result<[String; 2]> {
    let mut sorted: Vec<&(String, f64)> = first_round.iter().collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
    match sorted.as_slice() {
        // A tie for second place has no top two: which of them goes through is the user's call.
        [a, b, c, ..] if b.1 == c.1 => {
            let tied: Vec<&str> = sorted
                .iter()
                .filter(|x| x.1 == b.1)
                .map(|x| x.0.as_str())
                .collect();
            Err(BadInput(format!(
                "{whose}: {} tie for {} place with {} votes, so there is no top two (fix: give \
                 --finalists \"A,B\")",
                crate::format::quoted_list(&tied),
                if a.1 == b.1 { "first" } else { "second" },
                votes(b.1)
            ))
            .into())
        }
        [a, b, ..] => Ok([a.0.clone(), b.0.clone()]),
        _ => Err(BadInput(format!(
            "{whose}: a runoff needs at least two first-round candidates; this first round has {} \
             (fix: give every candidate a row)",
            first_round.len()
        ))
        .into()),
    }
}

/// `runoff backtest`.
pub fn backtest(args: &BacktestArgs, stop: &AtomicBool) -> anyhow::Result<()> {
    let (races, set_aside) = data::load(&args.data)?;
    check_output_folder(&args.out)?;
    note_set_aside(&args.data, &set_aside);
    // Every race is checked before anything runs, and all their problems are reported together
    // against the table, so that a long table is not fixed one race per run.
    let in_table = |msg: String| BadInput(format!("{}: {msg}", args.data.display()));
    let problem = |race: &data::Race| match backtest::scorable(race) {
        Err(why) => Some(why),
        Ok((finalists, _, _)) => crate::scenario::unwritable_name(
            race.first_round.iter().map(|(n, _)| n.as_str()),
            &finalists,
        )
        .or_else(|| {
            DefaultPrior::bundled(race.kind, race.ballot)
                .scenario(&race.id, &race.first_round, &finalists)
                .err()
                .map(|e| e.to_string())
        })
        .map(|why| format!("race {}: {why}", race.id)),
    };
    let before = races.len();
    let (races, problems): (Vec<data::Race>, Vec<String>) = if args.skip_unscorable {
        let mut kept = Vec::new();
        for race in races {
            match problem(&race) {
                Some(why) => eprintln!("note: {}: left out {why}", args.data.display()),
                None => kept.push(race),
            }
        }
        (kept, Vec::new())
    } else {
        let problems = races.iter().filter_map(problem).collect();
        (races, problems)
    };
    for race in races.iter().filter(|r| r.first_round_from_pct) {
        eprintln!(
            "note: {}: race {} has round-1 percentages but no counts: it is scored on the runoff \
             share, and no turnout is predicted for it",
            args.data.display(),
            race.id
        );
    }
    // The flag is suggested only when it would leave the 2 races a backtest needs.
    let skip = if races.len() >= problems.len() + 2 {
        "; or give --skip-unscorable to leave out the races that cannot be scored"
    } else {
        ""
    };
    match problems.as_slice() {
        [] => {}
        [one] => return Err(in_table(format!("{one}{skip}")).into()),
        many => {
            return Err(in_table(format!(
                "{} of {} races cannot be scored:\n  {}{}",
                many.len(),
                races.len(),
                many.join("\n  "),
                skip.strip_prefix("; ")
                    .map_or(String::new(), |s| format!("\n  ({s})"))
            ))
            .into());
        }
    }
    if races.len() < 2 {
        let why = "a backtest tunes the prior on the other races and scores each race in turn, so \
                   it needs at least 2 races";
        let has = match (races.first(), before - races.len()) {
            (None, _) => "no race in the table can be scored (see the notes above)".to_string(),
            (Some(race), 0) => format!(
                "the table has 1, {} (to forecast it: `runoff new {} --out race.toml`, then \
                 `runoff run race.toml`)",
                race.id,
                args.data.display()
            ),
            (Some(race), _) => format!("only 1 race of the table can be scored, {}", race.id),
        };
        return Err(in_table(format!("{why}; {has}")).into());
    }
    let configs = backtest::SWING_GRID.len() * backtest::SPLIT_GRID.len();
    let progress = Progress::new("backtest", configs as u64, "priors", args.quiet);
    let pool = thread_pool(args.threads.map(|t| t as usize))?;
    let result = pool.install(|| {
        backtest::run(
            &races,
            args.draws,
            args.seed,
            args.split_year,
            &|done, _| progress.set(done as u64),
            stop,
        )
    });
    progress.finish();
    let result = result?;
    let dir = AtomicDir::new(&args.out)?;
    write_atomic(
        &dir.path("backtest.csv"),
        &export::backtest::backtest_csv(&result)?,
    )?;
    let mut json = serde_json::to_vec_pretty(&result)?;
    json.push(b'\n');
    write_atomic(&dir.path("backtest.json"), &json)?;
    if let Some(format) = args.charts.format() {
        let ext = format.extension();
        write_atomic(
            &dir.path(&format!("reliability.{ext}")),
            &chart::render(&ReliabilityChart(&result), format)?,
        )?;
        write_atomic(
            &dir.path(&format!("pit.{ext}")),
            &chart::render(&PitChart(&result), format)?,
        )?;
    }
    dir.commit()?;
    print_stdout(
        export::backtest::backtest_table(&result, &args.out.display().to_string()).as_bytes(),
    )
}
