//! `runoff new` and `runoff backtest`: scenarios from the default prior that check and run, the scores, and malformed tables.

use crate::common::*;
use std::path::Path;

fn dev_table() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/runoffs_dev.csv")
}

#[test]
fn new_from_a_first_round_table_checks_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let fr = dir.path().join("fr.csv");
    std::fs::write(
        &fr,
        // Counts as results pages publish them: with thousands separators.
        "candidate,votes\n\"O'Neil, Jr.\",\"5,200\"\nBea Smith,\"4,800\"\nCal,1500\nDee,300\n",
    )
    .unwrap();
    // --out names a folder, as for every command; --name titles the scenario and names its file.
    run_ok(
        runoff()
            .arg("new")
            .arg("--first-round")
            .arg(&fr)
            .args([
                "--finalists",
                "Bea Smith,Cal",
                "--name",
                "Smith vs Cal",
                "--out",
            ])
            .arg(dir.path().join("made")),
    );
    let out = dir.path().join("made/Smith-vs-Cal.toml");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("# ") && text.contains("[default_transfer]"),
        "{text}"
    );
    assert!(text.contains("\"Bea Smith\" = 4800\n"), "{text}");
    assert!(text.contains("name = \"Smith vs Cal\""), "{text}");
    runoff().arg("check").arg(&out).assert().success();
    let run = runoff()
        .arg("run")
        .arg(&out)
        .args([
            "--draws",
            "5000",
            "--no-charts",
            "--quiet",
            "--format",
            "json",
            "--out",
        ])
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    assert!(run.status.success());
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(json[0]["finalists"][0], "Bea Smith");
}

#[test]
fn new_from_a_first_round_alone_takes_its_top_two_unless_second_place_is_tied() {
    let dir = tempfile::tempdir().unwrap();
    let fr = dir.path().join("fr.csv");
    std::fs::write(
        &fr,
        "candidate,votes\nCal,1500\nAnn,5200\nBea,4800\nDee,300\n",
    )
    .unwrap();
    let made = run_ok(runoff().arg("new").arg("--first-round").arg(&fr));
    let text = String::from_utf8_lossy(&made.stdout);
    assert!(text.contains("finalists = [\"Ann\", \"Bea\"]"), "{text}");
    assert!(text.contains("finalists: its top two"), "{text}");
    let note = String::from_utf8_lossy(&made.stderr);
    assert!(note.contains("top two, \"Ann\" and \"Bea\""), "{note}");
    // Bea and Cal tied for second: no top two, and nothing written.
    std::fs::write(&fr, "candidate,votes\nCal,4800\nAnn,5200\nBea,4800\n").unwrap();
    let out = dir.path().join("new");
    assert_refused(
        &[
            "new".as_ref(),
            "--first-round".as_ref(),
            fr.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
        "tie for second place with 4,800 votes, so there is no top two (fix: give --finalists",
    );
    assert!(!out.exists());
    // Three tied at the top: every one of them is named.
    std::fs::write(
        &fr,
        "candidate,votes\nCal,4800\nAnn,4800\nBea,4800\nDee,9\n",
    )
    .unwrap();
    assert_refused(
        &["new".as_ref(), "--first-round".as_ref(), fr.as_os_str()],
        "\"Cal\", \"Ann\" and \"Bea\" tie for first place with 4,800 votes",
    );
    // One candidate: no runoff, and the file is named.
    std::fs::write(&fr, "candidate,votes\nAnn,5200\n").unwrap();
    assert_refused(
        &["new".as_ref(), "--first-round".as_ref(), fr.as_os_str()],
        ".csv: a runoff needs at least two first-round candidates; this first round has 1",
    );
    // A share where a count belongs: a scenario counts voters.
    std::fs::write(&fr, "candidate,votes\nAnn,45%\nBea,40%\n").unwrap();
    assert_refused(
        &["new".as_ref(), "--first-round".as_ref(), fr.as_os_str()],
        "line 2: `Ann`, `45%` is not a candidate with 0 to 1e15 votes (`votes` takes counts, not \
         percentages: a scenario needs each candidate's vote count, from the official results)",
    );
}

#[test]
fn counts_whose_point_may_group_thousands_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    let fr = dir.path().join("fr.csv");
    // 5.200 for 5200, as German writes it, beside a count in the thousands.
    std::fs::write(&fr, "candidate,votes\nAnn,5.200\nBea,4800\nCal,1500\n").unwrap();
    let made = run_ok(runoff().arg("new").arg("--first-round").arg(&fr));
    let note = String::from_utf8_lossy(&made.stderr);
    assert!(
        note.contains(
            "fr.csv: line 2: votes `5.200` is read as 5.200 votes beside counts in the thousands; \
             if the point groups thousands, as German and many other styles write them, write 5200"
        ),
        "{note}"
    );
    // Every count over a thousand written so, in a table of both rounds: one note for the race.
    let data = dir.path().join("both.csv");
    std::fs::write(
        &data,
        "race_id,round,candidate,votes\nX,1,Ann,5.200\nX,1,Bea,4.800\nX,1,Cal,950\n\
         X,2,Ann,6.100\nX,2,Bea,5.900\n",
    )
    .unwrap();
    let made = run_ok(runoff().arg("new").arg(&data));
    let note = String::from_utf8_lossy(&made.stderr);
    assert!(
        note.contains(
            "both.csv: race X, 4 counts have three digits after a point (line 2: votes `5.200`, \
             line 3: votes `4.800`, line 5: votes `6.100`, …), which is read as a decimal point; \
             if the points group thousands, as German and many other styles write them, write \
             the digits alone (5200, 4800, 6100, …)"
        ),
        "{note}"
    );
    // Whole counts: nothing to say. Percentages with three decimals are said to be percentages
    // first (they add up to 100), the points grouping thousands second.
    std::fs::write(&fr, "candidate,votes\nAnn,5200\nBea,4800\n").unwrap();
    let made = run_ok(runoff().arg("new").arg("--first-round").arg(&fr));
    assert!(!String::from_utf8_lossy(&made.stderr).contains("point"));
    std::fs::write(&fr, "candidate,votes\nAnn,52.125\nBea,47.875\n").unwrap();
    let made = run_ok(runoff().arg("new").arg("--first-round").arg(&fr));
    let note = String::from_utf8_lossy(&made.stderr);
    assert!(
        note.contains("add up to 100, which reads as percentages")
            && !note.contains("is read as a decimal point"),
        "{note}"
    );
}

#[test]
fn new_from_a_county_first_round_table_adds_up_the_counties() {
    let county = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/al2020_primary_county.csv");
    let made = run_ok(
        runoff()
            .arg("new")
            .arg("--first-round")
            .arg(county)
            .args(["--finalists", "Tommy Tuberville,Jeff Sessions"]),
    );
    let text = String::from_utf8_lossy(&made.stdout);
    // The statewide totals of data/al2020_statewide.csv, each candidate once.
    assert!(text.contains("\"Tommy Tuberville\" = 239604"), "{text}");
    assert!(text.contains("\"Stanley Adair\" = 6608"), "{text}");
    assert_eq!(text.matches("\"Roy Moore\" =").count(), 1, "{text}");
    // Finalists by last name or in another case are found, and the terminal says how.
    let loose = run_ok(
        runoff()
            .arg("new")
            .arg("--first-round")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/al2020_primary_county.csv"))
            .args(["--finalists", "tuberville,Jeff SESSIONS"]),
    );
    assert_eq!(loose.stdout, made.stdout);
    let note = String::from_utf8_lossy(&loose.stderr);
    assert!(
        note.contains("\"tuberville\" taken as \"Tommy Tuberville\"")
            && note.contains("\"Jeff SESSIONS\" taken as \"Jeff Sessions\""),
        "{note}"
    );
}

#[test]
fn new_from_a_race_in_a_long_table_takes_its_runoff_candidates() {
    let made = runoff()
        .arg("new")
        .arg(dev_table())
        .args(["--race", "AL-2020-SEN-R"])
        .output()
        .unwrap();
    assert!(made.status.success());
    let text = String::from_utf8(made.stdout).unwrap();
    let s = runoff::scenario::parse_str(&text, Path::new("al.toml")).unwrap();
    assert_eq!(
        s.finalists,
        ["Tommy Tuberville".to_string(), "Jeff Sessions".to_string()]
    );
    assert_eq!(s.candidates.len(), 7);
    // The table's runoff comes along, for `runoff run` to score the forecast in hindsight.
    assert_eq!(s.report.actual, Some([333_890.0, 215_831.0]));
}

#[test]
fn new_for_a_race_without_a_runoff_says_it_took_the_top_two() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("r1.csv");
    std::fs::write(
        &table,
        "race_id,round,candidate,votes\nX,1,A,300\nX,1,B,500\nX,1,C,400\n",
    )
    .unwrap();
    let made = run_ok(runoff().arg("new").arg(&table).args(["--race", "X"]));
    let stderr = String::from_utf8_lossy(&made.stderr);
    assert!(
        stderr.contains(
            "race X has no runoff rows; the finalists are round 1's top two, \"B\" and \"C\""
        ),
        "{stderr}"
    );
    let text = String::from_utf8(made.stdout).unwrap();
    assert!(text.contains("finalists: round 1's top two"), "{text}");
    assert!(text.contains("finalists = [\"B\", \"C\"]"), "{text}");
    assert!(!text.contains("[actual]"), "{text}");
}

#[test]
fn skip_unscorable_leaves_out_the_races_that_cannot_be_scored_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("t.csv");
    // X's runoff was not held (one candidate), Y's is a tie, V's round 1 lacks a count; W and Z
    // can be scored.
    std::fs::write(
        &table,
        "race_id,round,candidate,votes\nX,1,A,5\nX,1,B,4\nX,2,A,3\n\
         Y,1,A,5\nY,1,B,4\nY,2,A,3\nY,2,B,3\nV,1,A,5\nV,1,B,\nV,2,A,3\nV,2,B,2\n\
         W,1,A,50\nW,1,B,40\nW,1,C,30\nW,2,A,45\nW,2,B,50\n\
         Z,1,A,50\nZ,1,B,40\nZ,1,C,30\nZ,2,A,60\nZ,2,B,40\n",
    )
    .unwrap();
    let out = dir.path().join("o");
    let args = |skip: bool| {
        let mut a = vec!["backtest".to_string(), table.to_string_lossy().into_owned()];
        a.extend(["--draws", "1000", "--quiet", "--no-charts", "--out"].map(String::from));
        a.push(out.to_string_lossy().into_owned());
        if skip {
            a.push("--skip-unscorable".to_string());
        }
        a
    };
    assert_refused(
        &args(false),
        "(or give --skip-unscorable to leave out the races",
    );
    let made = run_ok(runoff().args(args(true)));
    let note = String::from_utf8_lossy(&made.stderr);
    assert!(
        note.contains("left out race X: the runoff (round 2) has one candidate")
            && note.contains("left out race Y: the runoff is an exact tie")
            && note.contains("left out race V: round 1 has no votes for \"B\""),
        "{note}"
    );
    // Left with fewer than 2 races, the flag is not suggested, and the message says why.
    let few = dir.path().join("few.csv");
    std::fs::write(
        &few,
        "race_id,round,candidate,votes\nX,1,A,5\nX,1,B,4\nX,2,A,3\n",
    )
    .unwrap();
    let few_args = |skip: &'static str| {
        let flag = std::ffi::OsStr::new(skip);
        vec![std::ffi::OsStr::new("backtest"), few.as_os_str(), flag]
    };
    assert_refused(
        &few_args("--quiet"),
        "give round 2 a row for each of the two finalists, or leave the race out if its runoff was not held (a finalist withdrew)\n",
    );
    assert_refused(
        &few_args("--skip-unscorable"),
        "needs at least 2 races; no race in the table can be scored (see the notes above)",
    );
    let csv = std::fs::read_to_string(out.join("backtest.csv")).unwrap();
    assert!(
        csv.contains("\nW,") && csv.contains("\nZ,") && !csv.contains("\nX,"),
        "{csv}"
    );
}

#[test]
fn the_backtest_writes_its_scores_and_charts() {
    // Eight races of the dev table: the whole pipeline, quickly.
    let dir = tempfile::tempdir().unwrap();
    let table = std::fs::read_to_string(dev_table()).unwrap();
    let keep = [
        "AL-2020-SEN-R",
        "TX-2000-CCAPJ-R",
        "TX-2012-SEN-R",
        "GA-2014-SEN-R",
        "MS-2014-SEN-R",
        "LA-2003-GOV",
        "GA-2010-GOV-R",
        "TX-2014-LTGOV-R",
    ];
    let small: String = table
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || keep.iter().any(|k| l.starts_with(&format!("{k},"))))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let data = dir.path().join("small.csv");
    std::fs::write(&data, small).unwrap();
    let out = dir.path().join("bt");
    let result = run_ok(
        runoff()
            .arg("backtest")
            .arg(&data)
            .args([
                "--draws",
                "2000",
                "--quiet",
                "--split-year",
                "2012",
                "--out",
            ])
            .arg(&out),
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("backtest.json")).unwrap()).unwrap();
    assert_eq!(json["races"], 8);
    out_of_time_and_turnout_are_scored_as_documented(&json);
    for key in ["brier", "log_loss"] {
        assert!(json[key].as_f64().is_some_and(f64::is_finite), "{key}");
        for baseline in ["base_rate", "leader_certain"] {
            assert!(
                json["baselines"][baseline][key].as_f64().is_some(),
                "{baseline} {key}"
            );
        }
    }
    for level in ["50", "80", "95"] {
        let c = json["coverage"][level].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
    let ga = json["per_race"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["race"] == "GA-2014-SEN-R")
        .unwrap();
    assert_eq!(ga["scored_on"], "share only");
    assert!(ga["turnout_actual"].is_null());
    // The base-rate baseline predicts every race at the set's own base rate.
    let won = json["per_race"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["leader_won"] == true)
        .count() as f64
        / 8.0;
    let brier = json["baselines"]["base_rate"]["brier"].as_f64().unwrap();
    assert!((brier - won * (1.0 - won)).abs() < 1e-12);
    assert!(
        out.join("reliability.png").exists()
            && out.join("pit.png").exists()
            && out.join("backtest.csv").exists()
    );
    assert!(String::from_utf8_lossy(&result.stdout).contains("baseline: base_rate"));
}

/// Issue #52's scores, recomputed from the per-race rows of `backtest.json` for the eight races
/// of [`the_backtest_writes_its_scores_and_charts`] split at 2012.
fn out_of_time_and_turnout_are_scored_as_documented(json: &serde_json::Value) {
    let per_race = json["per_race"].as_array().unwrap();
    let f = |r: &serde_json::Value, key: &str| r[key].as_f64();
    // Leave-one-race-out turnout: the median |log ratio| of the races with counts, and the
    // constant-ratio forecaster's from the other races' median ratio.
    let median = |mut xs: Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        let n = xs.len();
        if n % 2 == 1 {
            xs[n / 2]
        } else {
            (xs[n / 2 - 1] + xs[n / 2]) / 2.0
        }
    };
    let counted: Vec<&serde_json::Value> = per_race
        .iter()
        .filter(|r| f(r, "turnout_actual").is_some() && f(r, "turnout_p50").is_some())
        .collect();
    let errors = counted
        .iter()
        .map(|r| {
            (f(r, "turnout_p50").unwrap() / f(r, "turnout_actual").unwrap())
                .ln()
                .abs()
        })
        .collect();
    let turnout = &json["turnout"];
    assert_eq!(turnout["races"], counted.len());
    assert!((turnout["median_abs_log_ratio"].as_f64().unwrap() - median(errors)).abs() < 1e-12);
    let covered = counted
        .iter()
        .filter(|r| {
            let t = f(r, "turnout_actual").unwrap();
            let iv = r["turnout_interval80"].as_array().unwrap();
            iv[0].as_f64().unwrap() <= t && t <= iv[1].as_f64().unwrap()
        })
        .count();
    assert!(
        (turnout["coverage80"].as_f64().unwrap() - covered as f64 / counted.len() as f64).abs()
            < 1e-12
    );
    // Out of time: tuned on the 3 races before 2012 (TX-2000, LA-2003, GA-2010), scored on the
    // 5 from 2012 on, every one with the values chosen on the earlier ones.
    let o = &json["out_of_time"];
    assert_eq!(o["split_year"], 2012);
    assert_eq!(o["tuned_on"], 3);
    assert_eq!(o["races"], serde_json::Value::Null);
    let later = o["per_race"].as_array().unwrap();
    assert_eq!(later.len(), 5);
    assert_eq!(o["scores"]["races"], 5);
    for r in later {
        assert!(r["year"].as_i64().unwrap() >= 2012, "{r}");
        assert_eq!(r["swing_sd"], o["chosen"][0]);
        assert_eq!(r["proportional_split"], o["chosen"][1]);
    }
    // Its base-rate baseline takes the earlier races' rate, not the scored ones'.
    let early_won = per_race
        .iter()
        .filter(|r| r["year"].as_i64().unwrap() < 2012 && r["leader_won"] == true)
        .count() as f64
        / 3.0;
    let brier: f64 = later
        .iter()
        .map(|r| (early_won - f64::from(u8::from(r["leader_won"] == true))).powi(2))
        .sum::<f64>()
        / 5.0;
    let got = o["baselines"]["base_rate"]["brier"].as_f64().unwrap();
    assert!((got - brier).abs() < 1e-12, "{got} vs {brier}");
    assert!(
        o["scores"]["turnout"]["median_abs_log_ratio"]
            .as_f64()
            .is_some()
    );
}

#[test]
fn races_are_dated_by_the_year_column_or_the_race_id() {
    let dir = tempfile::tempdir().unwrap();
    let race = |id: &str, year: &str, lead: u32| {
        format!(
            "{id},{year},1,A,{}\n{id},{year},1,B,400\n{id},{year},1,C,200\n{id},{year},2,A,300\n\
             {id},{year},2,B,{}\n",
            400 + lead,
            250 + lead
        )
    };
    // No year column: the ids give them; an id without one is left out of the out-of-time check,
    // and said.
    let table = format!(
        "race_id,round,candidate,votes\n{}",
        ["X-2001", "X-2003", "X-2010", "X-2012", "NOYEAR"]
            .iter()
            .enumerate()
            .map(|(i, id)| race(id, "", 10 * i as u32).replace(",,", ","))
            .collect::<String>()
    );
    let data = dir.path().join("ids.csv");
    std::fs::write(&data, table).unwrap();
    let out = dir.path().join("bt");
    let printed = run_ok(
        runoff()
            .arg("backtest")
            .arg(&data)
            .args(["--draws", "1000", "--quiet", "--no-charts", "--out"])
            .arg(&out),
    );
    let printed = String::from_utf8(printed.stdout).unwrap();
    assert!(
        printed.contains("out of time: tuned on the 2 races before 2008"),
        "{printed}"
    );
    assert!(
        printed.contains("no year in the table or the race id: NOYEAR"),
        "{printed}"
    );
    // A split with no race on one side says so rather than scoring nothing.
    let printed = run_ok(
        runoff()
            .arg("backtest")
            .arg(&data)
            .args([
                "--draws",
                "1000",
                "--quiet",
                "--no-charts",
                "--split-year",
                "1990",
                "--out",
            ])
            .arg(&out),
    );
    let printed = String::from_utf8(printed.stdout).unwrap();
    assert!(
        printed.contains("out of time: 0 races before 1990 and 4 from it on (1 without a year)"),
        "{printed}"
    );
    // A year column wins over the id, and must be one year per race.
    let table = format!(
        "race_id,year,round,candidate,votes\n{}{}",
        race("X-2001", "2011", 0),
        race("Y", "2002", 5)
    );
    std::fs::write(&data, &table).unwrap();
    let race_years = |table: &std::path::Path| {
        let (races, _) = runoff::results::load(table).unwrap();
        races.iter().map(|r| r.year).collect::<Vec<_>>()
    };
    assert_eq!(race_years(&data), [Some(2011), Some(2002)]);
    for (bad, fragment) in [
        (
            table.replacen(",2002,", ",20x2,", 1),
            "line 7: year `20x2` is not a year (write it like 2012, or leave the field empty)",
        ),
        (
            table.replacen(",2002,", ",2003,", 1),
            "line 8: race Y has year `2002` here but `2003` on an earlier row",
        ),
    ] {
        let bad_path = dir.path().join("bad.csv");
        std::fs::write(&bad_path, bad).unwrap();
        let args: [&std::ffi::OsStr; 4] = [
            "backtest".as_ref(),
            bad_path.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ];
        assert_refused(&args, fragment);
    }
}

#[test]
fn malformed_tables_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("race_id,round,candidate\nX,1,A\n", "no `votes` column"),
        ("", "the file is empty; a table starts with a header line"),
        (
            "race_id,round,candidate,votes\nX,1,A,-5\nX,1,B,3\nX,2,A,1\nX,2,B,2\n",
            "line 2: votes `-5` is not a number between 0 and 1e15 (a vote count cannot be negative)",
        ),
        // Counts as other countries or a spreadsheet write them are told what to write.
        (
            "race_id,round,candidate,votes\nX,1,A,1 234 567\n",
            "line 2: votes `1 234 567` is not a number between 0 and 1e15 (write 1234567: digits alone)",
        ),
        (
            "race_id,round,candidate,votes\nX,1,A,1.234.567\n",
            "line 2: votes `1.234.567` is not a number between 0 and 1e15 (write 1234567: digits alone)",
        ),
        (
            "race_id,round,candidate,votes,pct\nX,1,A,45%,45%\n",
            "line 2: votes `45%` is not a number between 0 and 1e15 (`votes` takes counts, not \
             percentages: write them in a `pct` column, and leave `votes` empty where only \
             percentages are known)",
        ),
        (
            "race_id,round,candidate,votes\nX,1,A,many\n",
            "line 2: votes `many` is not a number",
        ),
        (
            "race_id,round,candidate,votes\nX,1,A,\"12,34\"\n",
            "line 2: votes `12,34` is not a number between 0 and 1e15 (write digits, like 239604 or 239,604",
        ),
        (
            "race_id,round,candidate,votes\nX,1,A,5\nX,1,B\n",
            "line 3: 3 fields where the header has 4; give every row the header's columns",
        ),
        // A quote left open would take the rest of the table into one field.
        (
            "race_id,round,candidate,votes\nX,1,\"A,5\nX,1,B,4\nX,2,A,3\nX,2,B,2\n",
            "line 2: a field opens with a quote (\") that is never closed, so the rest of the table \
             would be read into it; close the quote, or remove it",
        ),
        (
            "county,candidate,votes\nP,A,5\n",
            "no `round` column (the table needs round, candidate and votes, and race_id when it \
             holds several races; a first round alone is read by `runoff new --first-round FILE.csv`)",
        ),
        (
            "race_id;round;candidate;votes\nX;1;A;5\n",
            "the header is one column separated by semicolons; save the table as CSV with commas",
        ),
        // Header names in any case are the same columns.
        (
            "Race_ID,Round,Candidate,VOTES\nX,1,A,5\nX,1,B,4\n",
            "race X: the table has no runoff (round 2) rows",
        ),
        (
            "race_id,round,candidate,votes\nX,1,A,1e300\n",
            "line 2: votes `1e300` is not a number between 0 and 1e15",
        ),
        (
            "race_id,round,candidate,votes,pct\nX,1,A,5,-5\n",
            "line 2: pct `-5` is not a percentage between 0 and 100 (write it like 50.9 or 50.9%",
        ),
        (
            "race_id,round,candidate,votes,pct\nX,1,A,5,150%\n",
            "line 2: pct `150` is not a percentage between 0 and 100",
        ),
        (
            "race_id,round,candidate,votes\nX,3,A,5\n",
            "line 2: round is `3`; write 1 (or primary) for the first round, 2 (or runoff) for the runoff",
        ),
        // Leave-one-race-out needs another race to tune on.
        (
            "race_id,round,candidate,votes\nX,1,A,5\nX,1,B,4\nX,2,A,3\nX,2,B,2\n",
            "a backtest tunes the prior on the other races and scores each race in turn, so it needs at least 2 races; the table has 1, X",
        ),
        (
            "race_id,round,county,candidate,votes\nX,1,P,A,5\nX,1,Q,A,4\nX,1,All counties,A,8\n",
            "race X, round 1: county \"All counties\" reads as a totals row, but it does not add up",
        ),
        (
            "race_id,round,candidate,votes\nX,1,A,5\nX,1,B,4\nX,2,A,3\nX,2,Z,2\n",
            "race X: runoff candidate \"Z\" has no round-1 row",
        ),
        (
            "race_id,round,candidate,votes\nX,1,A,5\nX,1,B,4\n",
            "race X: the table has no runoff (round 2) rows",
        ),
        // "ế" as one character in round 1, as "e" and its two accents in the other order in round
        // 2, which is another letter (in Unicode's order it is one name either way: see the county
        // test of `new`).
        (
            "race_id,round,candidate,votes\nX,1,Tran Hu\u{1ebf},5\nX,1,B,4\nX,2,Tran Hue\u{301}\u{302},3\nX,2,B,2\n",
            "race X: runoff candidate \"Tran Hue\u{301}\u{302}\" has no round-1 row; give every \
             runoff candidate its round-1 votes (did you mean \"Tran Hu\u{1ebf}\"? The two look \
             alike but are different characters, written out \"Tran Hue\\u0301\\u0302\" and \
             \"Tran Hu\\u1EBF\"",
        ),
        // Every race that cannot be scored is named at once: a runoff not held, one of three.
        (
            "race_id,round,candidate,votes\nX,1,A,5\nX,1,B,4\nX,2,A,3\n\
             Y,1,A,5\nY,1,B,4\nY,1,C,3\nY,2,A,3\nY,2,B,2\nY,2,C,1\n\
             Z,1,A,5\nZ,1,B,4\nZ,2,A,3\nZ,2,B,2\n",
            "2 of 3 races cannot be scored:\n  race X: the runoff (round 2) has one candidate, not 2; \
             give round 2 a row for each of the two finalists, or leave the race out if its runoff \
             was not held (a finalist withdrew)\n  race Y: the runoff (round 2) has 3 candidates, not 2",
        ),
        (
            "race_id,round,candidate,votes\nX,1,A,5\nX,1,B,4\nX,2,A,0\nX,2,B,0\n",
            "race X: the runoff has no votes to score against",
        ),
        // A candidate named like a setting: the race's scenario could not hold the name.
        (
            "race_id,round,candidate,votes\nX,1,A,5\nX,1,B,4\nX,1,draws,1\nX,2,A,3\nX,2,B,2\n\
             Z,1,A,5\nZ,1,B,4\nZ,2,A,3\nZ,2,B,2\n",
            "race X: candidate \"draws\": a scenario file uses that key for a setting",
        ),
        // A tied runoff has no winner: not silently the leader's loss.
        (
            "race_id,round,candidate,votes\nX,1,A,5\nX,1,B,4\nX,2,A,3\nX,2,B,3\n\
             Y,1,A,5\nY,1,B,4\nY,2,A,3\nY,2,B,2\n",
            "race X: the runoff is an exact tie between A and B, so there is no winner to score",
        ),
        (
            "race_id,round,candidate,votes\nX,1,A,5\n,1,B,4\n",
            "line 3: the race_id is empty; give every row its race_id",
        ),
        // A blank county is not a unit: every blank row would be pooled into one.
        (
            "race_id,round,county,candidate,votes\nX,1,P,A,5\nX,1,,A,4\n",
            "line 3: the county is empty; give every row its county",
        ),
        // A pasted row twice would double a candidate's votes.
        (
            "race_id,round,candidate,votes\nX,1,A,5\nX,1,B,4\nX,1,A,5\nX,2,A,3\nX,2,B,2\n",
            "line 4: a second row for \"A\" in race X, round 1 (the first is on line 2)",
        ),
        (
            "race_id,round,county,candidate,votes\nX,1,P,A,5\nX,1,Q,A,4\nX,1,Q,A,4\n",
            "line 4: a second row for \"A\" in race X, round 1, county Q (the first is on line 3); remove one",
        ),
    ];
    for (i, (text, fragment)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("bad{i}.csv"));
        std::fs::write(&path, text).unwrap();
        // Every message starts with the table it is about.
        let fragment = &format!("bad{i}.csv: {fragment}");
        let out = dir.path().join("o");
        assert_refused(
            &[
                "backtest".as_ref(),
                path.as_os_str(),
                "--draws".as_ref(),
                "1000".as_ref(),
                "--quiet".as_ref(),
                "--no-charts".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
            ],
            fragment,
        );
    }
    let missing = runoff()
        .arg("new")
        .arg(dev_table())
        .args(["--race", "NOPE-1999"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no race `NOPE-1999`"));
    // Another case of the one race that reads so is taken, and the terminal says so.
    let lower = run_ok(
        runoff()
            .arg("new")
            .arg(dev_table())
            .args(["--race", "al-2020-sen-r"]),
    );
    assert!(
        String::from_utf8_lossy(&lower.stderr)
            .contains("note: --race `al-2020-sen-r` taken as `AL-2020-SEN-R`")
    );
    assert!(String::from_utf8_lossy(&lower.stdout).contains("\"Tommy Tuberville\" = 239604"));
    // `new` names the table too.
    let table = dir.path().join("accent.csv");
    std::fs::write(
        &table,
        "race_id,round,candidate,votes\nX,1,Tran Hu\u{1ebf},5\nX,1,B,4\nX,2,Tran Hue\u{301}\u{302},3\n\
         X,2,B,2\n",
    )
    .unwrap();
    assert_refused(
        &["new".as_ref(), table.as_os_str()],
        "accent.csv: race X: runoff candidate",
    );
    let fr = dir.path().join("fr.csv");
    std::fs::write(&fr, "candidate,votes\nA,5\nB,4\n").unwrap();
    let bad_finalist = runoff()
        .arg("new")
        .arg("--first-round")
        .arg(&fr)
        .args(["--finalists", "A,Q"])
        .output()
        .unwrap();
    assert_eq!(bad_finalist.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad_finalist.stderr).contains("\"Q\" is not in the first round")
    );
}

#[test]
fn finalists_whose_names_hold_a_comma_are_told_apart_by_the_comma_between_two_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let fr = dir.path().join("fr.csv");
    std::fs::write(
        &fr,
        "candidate,votes\n\"Smith, Jr.\",500\nLee,400\nSmith,300\n\"Ng, Sr.\",100\n",
    )
    .unwrap();
    let new_with = |finalists: &str| {
        runoff()
            .arg("new")
            .arg("--first-round")
            .arg(&fr)
            .args(["--finalists", finalists])
            .output()
            .unwrap()
    };
    for (given, chosen) in [
        ("Lee,Smith, Jr.", "[\"Lee\", \"Smith, Jr.\"]"),
        ("Smith, Jr.,Lee", "[\"Smith, Jr.\", \"Lee\"]"),
        ("Ng, Sr.,Smith", "[\"Ng, Sr.\", \"Smith\"]"),
        ("ng, sr., smith, jr.", "[\"Ng, Sr.\", \"Smith, Jr.\"]"),
    ] {
        let made = new_with(given);
        assert_eq!(made.status.code(), Some(0), "{given}");
        let text = String::from_utf8_lossy(&made.stdout);
        assert!(
            text.contains(&format!("finalists = {chosen}")),
            "{given}: {text}"
        );
    }
    // No comma splits the list into two candidates: refused, with the names quoted.
    let refused = new_with("Lee,Q, R");
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("a name that holds a comma is written as the table writes it"),
        "{stderr}"
    );
    let refused = new_with("Lee,Q");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(
            "is not in the first round (\"Smith, Jr.\", \"Lee\", \"Smith\", \"Ng, Sr.\")"
        ),
        "{stderr}"
    );
    // Two commas that each split the list into two candidates: refused, with both readings.
    let ambiguous = dir.path().join("ambiguous.csv");
    std::fs::write(
        &ambiguous,
        "candidate,votes\nA,10\n\"B, C\",9\n\"A, B\",8\nC,7\n",
    )
    .unwrap();
    let refused = runoff()
        .arg("new")
        .arg("--first-round")
        .arg(&ambiguous)
        .args(["--finalists", "A, B, C"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("reads as \"A\" and \"B, C\" or as \"A, B\" and \"C\""),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    // Without --finalists the note quotes the top two, so a comma in a name reads as one.
    let made = run_ok(runoff().arg("new").arg("--first-round").arg(&fr));
    assert!(
        String::from_utf8_lossy(&made.stderr).contains("top two, \"Smith, Jr.\" and \"Lee\""),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
}

#[test]
fn new_takes_round_one_of_a_table_of_both_rounds_and_leaves_out_non_candidates() {
    // `runoff new --first-round TABLE --finalists F`: the scenario and the notes.
    let new_from = |table: &Path, finalists: &str| {
        let made = run_ok(
            runoff()
                .arg("new")
                .arg("--first-round")
                .arg(table)
                .args(["--finalists", finalists]),
        );
        (
            String::from_utf8_lossy(&made.stdout).into_owned(),
            String::from_utf8_lossy(&made.stderr).into_owned(),
        )
    };
    let statewide = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/al2020_statewide.csv");
    // round,candidate,votes with "primary" and "runoff" rows: the primary is the first round.
    let (text, note) = new_from(&statewide, "Tuberville,Sessions");
    assert!(text.contains("\"Tommy Tuberville\" = 239604\n"), "{text}");
    assert!(
        note.contains("left out the runoff's 2 rows (round 2)"),
        "{note}"
    );
    // A totals row and over-votes are not candidates.
    let dir = tempfile::tempdir().unwrap();
    let fr = dir.path().join("fr.csv");
    std::fs::write(
        &fr,
        "candidate,votes\nA,500\nB,400\nC,100\nOver Votes,7\nTOTAL,1000\n",
    )
    .unwrap();
    let (text, note) = new_from(&fr, "A,B");
    assert!(
        !text.contains("TOTAL") && !text.contains("Over Votes"),
        "{text}"
    );
    assert!(
        note.contains("left out \"TOTAL\" (1 row): it counts no candidate"),
        "{note}"
    );
    // A table without race_id is one race, so --race may be left out; with several it may not.
    let made = run_ok(runoff().arg("new").arg(&statewide));
    assert!(
        String::from_utf8_lossy(&made.stdout)
            .contains("finalists = [\"Tommy Tuberville\", \"Jeff Sessions\"]")
    );
    // Counties that spell a name in another case or spacing count for one candidate.
    let spelt = dir.path().join("spelt.csv");
    std::fs::write(
        &spelt,
        "county,candidate,votes\nA,John Smith,10\nA,Ann Lee,5\nB,JOHN  SMITH,7\nB,Ann Lee,3\n",
    )
    .unwrap();
    let (text, note) = new_from(&spelt, "Smith,Lee");
    assert!(
        text.contains("\"John Smith\" = 17\n") && !text.contains("JOHN"),
        "{text}"
    );
    assert!(
        note.contains(
            "\"JOHN  SMITH\" (1 row) taken as \"John Smith\": the same name but for case or spaces"
        ),
        "{note}"
    );
    // So do names that print alike: é as one character, or as e and a combining accent; ế as
    // one character, or as e and two; ệ as one character, or as ê and a dot below, as the
    // Windows Vietnamese keyboard types it (Unicode puts the dot first).
    std::fs::write(
        &spelt,
        "county,candidate,votes\nA,Jos\u{e9} Ruiz,10\nA,Ann Lee,5\nA,Tr\u{1ea7}n Th\u{1ebf},2\n\
         A,L\u{ea} H\u{1ec7},4\nB,Jose\u{301} Ruiz,7\nB,Ann Lee,3\n\
         B,Tra\u{302}\u{300}n The\u{302}\u{301},1\nB,L\u{ea} H\u{ea}\u{323},2\n",
    )
    .unwrap();
    let (text, note) = new_from(&spelt, "Ruiz,Lee");
    assert!(text.contains("\"Jos\u{e9} Ruiz\" = 17\n"), "{text}");
    assert!(text.contains("\"Tr\u{1ea7}n Th\u{1ebf}\" = 3\n"), "{text}");
    assert!(text.contains("\"L\u{ea} H\u{1ec7}\" = 6\n"), "{text}");
    assert!(
        note.contains(
            "taken as \"Jos\u{e9} Ruiz\": the same name but for how an accent is encoded \
             (\"Jose\\u0301 Ruiz\" and \"Jos\\u00E9 Ruiz\" written out)"
        ),
        "{note}"
    );
    // A table whose names would make an invalid scenario is refused, and nothing is written.
    let reserved = dir.path().join("reserved.csv");
    std::fs::write(&reserved, "candidate,votes\ncertainty,500\nBo,400\n").unwrap();
    let written = dir.path().join("reserved");
    assert_refused(
        &[
            "new".as_ref(),
            "--first-round".as_ref(),
            reserved.as_os_str(),
            "--finalists".as_ref(),
            "certainty,Bo".as_ref(),
            "--out".as_ref(),
            written.as_os_str(),
        ],
        "finalist \"certainty\": a scenario's rows use that key for something else",
    );
    assert!(!written.exists());
    // In [first_round] a setting's key would be taken for the setting.
    std::fs::write(&reserved, "candidate,votes\nAnn,500\nBo,400\nseed,30\n").unwrap();
    assert_refused(
        &[
            "new".as_ref(),
            "--first-round".as_ref(),
            reserved.as_os_str(),
            "--out".as_ref(),
            written.as_os_str(),
        ],
        "candidate \"seed\": a scenario file uses that key for a setting, so a candidate cannot \
         be called so; write the name differently in the table (e.g. with a capital letter)",
    );
    assert!(!written.exists());
    let broken = dir.path().join("broken.csv");
    std::fs::write(
        &broken,
        "candidate,votes\n\"Ann\nLee\",500\nBo,400\nCy,300\n",
    )
    .unwrap();
    assert_refused(
        &[
            "new".as_ref(),
            "--first-round".as_ref(),
            broken.as_os_str(),
            "--finalists".as_ref(),
            "Bo,Cy".as_ref(),
        ],
        "broken.csv: line 2: the candidate \"Ann\\nLee\" holds a line break, tab or other control character",
    );
    // A table saved as Latin-1 is refused with how to save it.
    let latin = dir.path().join("latin.csv");
    std::fs::write(&latin, b"candidate,votes\nJos\xe9 Ruiz,500\nAnn,400\n").unwrap();
    assert_refused(
        &[
            "new".as_ref(),
            "--first-round".as_ref(),
            latin.as_os_str(),
            "--finalists".as_ref(),
            "Ann,Ruiz".as_ref(),
        ],
        "latin.csv: line 2: the text is not UTF-8 (a name with an accent, saved in another encoding); save the table as UTF-8",
    );
    // Shares alone: the model counts voters.
    let shares = dir.path().join("shares.csv");
    std::fs::write(&shares, "candidate,pct\nAnn,40\nBo,35\nCy,25\n").unwrap();
    assert_refused(
        &["new".as_ref(), "--first-round".as_ref(), shares.as_os_str()],
        "shares.csv: no `votes` column, only `pct`: a scenario needs each candidate's vote count",
    );
    let table = dev_table();
    assert_refused(
        &["new".as_ref(), table.as_os_str()],
        "runoffs_dev.csv: the table holds 46 races (AL-2020-SEN-R, TX-2000-CCAPJ-R, ",
    );
    assert_refused(
        &[
            "new".as_ref(),
            table.as_os_str(),
            "--race".as_ref(),
            "NOPE".as_ref(),
        ],
        "runoffs_dev.csv: no race `NOPE` (races: AL-2020-SEN-R, ",
    );
    // Part of an id names the races that contain it.
    assert_refused(
        &[
            "new".as_ref(),
            table.as_os_str(),
            "--race".as_ref(),
            "tx-2014-sen".as_ref(),
        ],
        "no race `tx-2014-sen`; the races whose id contains it: TX-2014-SEN-D (fix: give the whole \
         id with --race)",
    );
    assert_refused(
        &[
            "new".as_ref(),
            "--first-round".as_ref(),
            table.as_os_str(),
            "--finalists".as_ref(),
            "A,B".as_ref(),
        ],
        "the table holds several races (AL-2020-SEN-R, TX-2000-CCAPJ-R, …); take one with `runoff new",
    );
}

#[test]
fn round_names_and_non_candidate_rows_read_as_the_plain_table() {
    let dir = tempfile::tempdir().unwrap();
    let plain =
        "race_id,round,candidate,votes\nX,1,A,500\nX,1,B,400\nX,1,C,100\nX,2,A,450\nX,2,B,430\n";
    let worded = "race_id,round,candidate,votes\nX,Primary,A,500\nX,primary,B,400\nX,Primary,C,100\n\
                  X,Primary,Over Votes,12\nX,Primary,Total Votes,1000\nX,Runoff,a,450\nX,RUNOFF,B,430\n\
                  X,Runoff,Under-votes,30\nX,Runoff,Write-ins,5\n";
    // Runoff percentages with their sign, no counts: the same runoff share.
    let pct = "race_id,round,candidate,votes,pct\nX,1,A,500,\nX,1,B,400,\nX,1,C,100,\nX,2,A,,51.1%\nX,2,B,,48.9 %\n";
    let loaded: Vec<_> = [plain, pct]
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let path = dir.path().join(format!("p{i}.csv"));
            std::fs::write(&path, text).unwrap();
            let (races, _) = runoff::results::load(&path).unwrap();
            races[0].runoff_result("A").unwrap().0
        })
        .collect();
    assert!(
        (loaded[0] - 450.0 / 880.0).abs() < 1e-12 && (loaded[1] - 0.511).abs() < 1e-12,
        "{loaded:?}"
    );
    let made: Vec<String> = [plain, worded]
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let path = dir.path().join(format!("t{i}.csv"));
            std::fs::write(&path, text).unwrap();
            let out = run_ok(runoff().arg("new").arg(&path).args(["--race", "X"]));
            // The source comment names the file; the rest must be the same.
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    assert_eq!(made[0], made[1]);
}

#[test]
fn a_first_round_in_percentages_is_scored_on_share_and_refused_by_new() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    // P's round 1 is known only in percentages; Q has counts.
    let table = write(
        "t.csv",
        "race_id,round,candidate,votes,pct\nP,1,A,,45.5%\nP,1,B,,40\nP,1,C,,14.5\nP,2,A,5200,\n\
         P,2,B,4800,\nQ,1,A,500,\nQ,1,B,400,\nQ,1,C,100,\nQ,2,A,450,\nQ,2,B,430,\n",
    );
    let (races, _) = runoff::results::load(&table).unwrap();
    assert!(races[0].first_round_from_pct && !races[1].first_round_from_pct);
    let p_shares: Vec<f64> = races[0].first_round.iter().map(|(_, v)| v / 1e6).collect();
    assert_eq!(p_shares, [0.455, 0.40, 0.145]);
    let out = dir.path().join("bt");
    let made = run_ok(
        runoff()
            .arg("backtest")
            .arg(&table)
            .args(["--draws", "2000", "--quiet", "--no-charts", "--out"])
            .arg(&out),
    );
    assert!(
        String::from_utf8_lossy(&made.stderr)
            .contains("race P has round-1 percentages but no counts"),
        "{made:?}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("backtest.json")).unwrap()).unwrap();
    let p = &json["per_race"][0];
    assert_eq!(p["scored_on"], "share only (round 1 in percentages)");
    assert!(
        p["turnout_p50"].is_null() && p["turnout_actual"] == 10000.0,
        "{p}"
    );
    assert!(json["per_race"][1]["turnout_p50"].as_f64().is_some());
    // A scenario needs counts; percentages of several counties do not add up.
    assert_refused(
        &[
            "new".as_ref(),
            table.as_os_str(),
            "--race".as_ref(),
            "P".as_ref(),
        ],
        "race P: round 1 has percentages but no vote counts",
    );
    let counties = write(
        "c.csv",
        "race_id,round,county,candidate,votes,pct\nP,1,X,A,,45\nP,1,Y,A,,50\nP,1,X,B,,55\nP,1,Y,B,,50\n",
    );
    assert_refused(
        &["backtest".as_ref(), counties.as_os_str()],
        "(percentages of several counties or precincts cannot be added up)",
    );
}

#[test]
fn a_backtest_piped_to_a_file_tells_its_progress_in_lines() {
    // stderr is a pipe here, as in CI or `… 2> log`: a line at each quarter of the work once it
    // takes longer than a moment, none with --quiet.
    let dir = tempfile::tempdir().unwrap();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/runoffs_dev.csv");
    let args = |quiet: bool| {
        let mut cmd = runoff();
        cmd.arg("backtest")
            .arg(&data)
            .args(["--draws", "1000", "--no-charts", "--out"])
            .arg(dir.path().join(if quiet { "q" } else { "loud" }));
        if quiet {
            cmd.arg("--quiet");
        }
        cmd
    };
    let loud = String::from_utf8(run_ok(&mut args(false)).stderr).unwrap();
    assert!(
        loud.lines().any(|l| l.starts_with("backtest: 100% (")),
        "{loud}"
    );
    let quiet = String::from_utf8(run_ok(&mut args(true)).stderr).unwrap();
    assert!(!quiet.contains("backtest: "), "{quiet}");
}

#[test]
fn votes_that_add_up_to_a_hundred_are_said_to_read_as_percentages() {
    let dir = tempfile::tempdir().unwrap();
    for (rows, grouped) in [
        ("41.2\n36.8\n22.0", false),
        ("41.250\n36.800\n22.100", true),
    ] {
        let csv = dir.path().join("fr.csv");
        let mut text = "race_id,round,candidate,votes\n".to_string();
        for (name, v) in ["Ann", "Bo", "Cy"].iter().zip(rows.lines()) {
            text.push_str(&format!("X,1,{name},{v}\n"));
        }
        std::fs::write(&csv, text).unwrap();
        let out = run_ok(
            runoff()
                .args(["new", "--first-round"])
                .arg(&csv)
                .args(["--finalists", "Ann,Bo"]),
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("which reads as percentages")
                && stderr.contains("a race of about 100 voters"),
            "{stderr}"
        );
        assert_eq!(
            stderr.contains("if the points group thousands (41.250 for 41250)"),
            grouped,
            "{stderr}"
        );
    }
}

/// The expected turnout ratio a `new` scenario's rows give (finalists' and eliminated voters'
/// participation, plus new voters), from its text.
fn expected_turnout_ratio(text: &str) -> f64 {
    let s = runoff::scenario::parse_str(text, Path::new("s.toml")).unwrap();
    let summary = simulate(&s, 20_000, 1);
    summary.turnout.ratio_to_first_round
}

#[test]
fn new_sets_the_turnout_by_kind_of_election_and_what_heads_the_ballot() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("t.csv");
    // Two races on one Republican runoff ballot (a Senate runoff beside a judge's), a Democratic
    // judge's runoff alone, and a jungle runoff: the kind and ballot come from party and office.
    let mut csv = String::from("race_id,year,state,office,party,round,candidate,votes\n");
    for (id, office, party) in [
        ("S", "U.S. Senate", "REP"),
        ("J", "Judge, Place 2", "REP"),
        ("D", "Judge, Place 2", "DEM"),
        ("L", "Governor", "ALL (jungle primary)"),
    ] {
        for (round, cand, votes) in [
            (1, "A", 500),
            (1, "B", 400),
            (1, "C", 300),
            (2, "A", 300),
            (2, "B", 250),
        ] {
            csv.push_str(&format!(
                "{id},2012,TX,\"{office}\",{party},{round},{cand},{votes}\n"
            ));
        }
    }
    std::fs::write(&table, csv).unwrap();
    let made = |race: &str, extra: &[&str]| {
        let out = run_ok(
            runoff()
                .arg("new")
                .arg(&table)
                .args(["--race", race])
                .args(extra),
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (senate, said) = made("S", &[]);
    assert!(
        said.contains("for a party primary's runoff with a president, governor or U.S. senator"),
        "{said}"
    );
    assert!(!said.contains("warning"), "{said}");
    let (judge_beside_senate, _) = made("J", &[]);
    let (judge_alone, said) = made("D", &[]);
    assert!(said.contains("with no president, governor"), "{said}");
    // The judge's runoff beside the Senate's draws the Senate's voters; alone it draws far fewer.
    let [s, jb, ja] =
        [&senate, &judge_beside_senate, &judge_alone].map(|t| expected_turnout_ratio(t));
    assert!((s - jb).abs() < 0.02, "{s} {jb}");
    assert!(ja < 0.75 * jb, "{ja} {jb}");
    // A jungle runoff is a kind the bundled races hold few of: said, with what was assumed.
    let (_, said) = made("L", &[]);
    assert!(said.contains("a general or jungle runoff"), "{said}");
    assert!(
        said.contains("warning: the default prior has seen 2 general races"),
        "{said}"
    );
    // --kind and --ballot override the table, and say so in the file.
    let (text, said) = made("D", &["--kind", "national", "--ballot", "top"]);
    assert!(said.contains("a national two-round election"), "{said}");
    assert!(text.contains("# Runoff turnout: "), "{text}");
    assert!(expected_turnout_ratio(&text) > ja);
    // A first round alone says nothing of its kind: warned, and averaged.
    let fr = dir.path().join("fr.csv");
    std::fs::write(&fr, "candidate,votes\nA,500\nB,400\nC,300\n").unwrap();
    let out = run_ok(runoff().arg("new").arg("--first-round").arg(&fr));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("warning: the race's kind and what heads its ballot are unknown"),
        "{said}"
    );
    assert_refused(
        &[
            "new",
            "--first-round",
            fr.to_str().unwrap(),
            "--kind",
            "runoff",
        ],
        "--kind `runoff` is not a kind of election (write primary, general or national)",
    );
    assert_refused(
        &[
            "new",
            "--first-round",
            fr.to_str().unwrap(),
            "--ballot",
            "mayor",
        ],
        "--ballot `mayor` is not what heads a runoff ballot",
    );
}

#[test]
fn a_kind_or_ballot_column_is_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("k.csv");
    let write = |kind: &str, kind2: &str| {
        std::fs::write(
            &table,
            format!(
                "race_id,round,candidate,votes,kind,ballot\nX,1,A,500,{kind},lower\nX,1,B,400,{kind2},lower\nX,2,A,300,,\nX,2,B,250,,\n"
            ),
        )
        .unwrap();
    };
    write("general", "general");
    let out = run_ok(runoff().arg("new").arg(&table));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("a general or jungle runoff with no president"),
        "{said}"
    );
    write("genral", "genral");
    assert_refused(
        &["new", table.to_str().unwrap()],
        "line 2: kind `genral` is not a kind of election (write primary, general or national",
    );
    write("general", "primary");
    assert_refused(
        &["new", table.to_str().unwrap()],
        "line 3: race X has kind `primary` here but `general` on an earlier row",
    );
}
