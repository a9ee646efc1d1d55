//! `runoff run` and `runoff check` as a user runs them: files written, formats, reproducibility, exit codes.

use crate::common::*;
use serde_json::Value;

fn run_to(out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let draws = if extra.contains(&"--draws") {
        &[][..]
    } else {
        &["--draws", "20000"][..]
    };
    runoff()
        .arg("run")
        .arg(scenarios_dir())
        .args(draws)
        .args(["--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn the_bundled_scenarios_run_and_write_their_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let result = run_to(dir.path(), &["--no-charts"]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let csv = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    let rows = csv.lines().count() - 1;
    let files = std::fs::read_dir(scenarios_dir()).unwrap().count();
    assert_eq!(rows, files);
    for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
        let stem = entry
            .unwrap()
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let json: Value = serde_json::from_slice(
            &std::fs::read(dir.path().join(&stem).join("summary.json")).unwrap(),
        )
        .unwrap();
        let fin = json["finalists"].as_array().unwrap();
        let (a, b) = (fin[0].as_str().unwrap(), fin[1].as_str().unwrap());
        let pa = json["win_probability"][a].as_f64().unwrap();
        let pb = json["win_probability"][b].as_f64().unwrap();
        let ties = json["ties"].as_u64().unwrap() as f64 / 20000.0;
        assert!((pa + pb + ties - 1.0).abs() < 1e-12, "{stem}");
        for key in [
            "draws",
            "seed",
            "rng",
            "version",
            "win_probability_se",
            "win_probability_ci95",
            "share",
            "margin_votes",
            "turnout",
            "flows",
        ] {
            assert!(!json[key].is_null(), "{stem}: no {key}");
        }
        let share = &json["share"];
        assert!(
            share["p05"].as_f64() <= share["p50"].as_f64()
                && share["p50"].as_f64() <= share["p95"].as_f64()
        );
        assert!(json["turnout"]["ratio_to_first_round"].as_f64().unwrap() > 0.0);
    }
}

#[test]
fn the_hindsight_scenario_reproduces_the_actual_result() {
    let dir = tempfile::tempdir().unwrap();
    let result = runoff()
        .arg("run")
        .arg(scenarios_dir().join("04-hindsight.toml"))
        .args([
            "--draws",
            "200000",
            "--no-charts",
            "--format",
            "json",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(result.status.success());
    let json: Value = serde_json::from_slice(&result.stdout).unwrap();
    let s = &json[0];
    let median_share = s["share"]["p50"].as_f64().unwrap();
    let median_turnout = s["turnout"]["p50"].as_f64().unwrap();
    assert!(
        (median_share - 0.6074).abs() < 0.01,
        "median share {median_share}"
    );
    assert!(
        (median_turnout / 549_721.0 - 1.0).abs() < 0.03,
        "median turnout {median_turnout}"
    );
}

#[test]
fn summary_json_is_byte_identical_on_one_and_two_threads() {
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert!(
        run_to(
            one.path(),
            &["--no-charts", "--threads", "1", "--draws", "300000"]
        )
        .status
        .success()
    );
    assert!(
        run_to(
            two.path(),
            &["--no-charts", "--threads", "2", "--draws", "300000"]
        )
        .status
        .success()
    );
    // On two threads the batch's scenarios also run side by side: every one must still equal
    // its run on one thread.
    for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let read = |d: &tempfile::TempDir| {
            std::fs::read(d.path().join(&stem).join("summary.json")).unwrap()
        };
        assert_eq!(read(&one), read(&two), "{stem}");
    }
    let csv = |d: &tempfile::TempDir| std::fs::read(d.path().join("summary.csv")).unwrap();
    assert_eq!(csv(&one), csv(&two));
}

#[test]
fn the_same_seed_repeats_and_another_seed_differs() {
    let sc = scenario(&closed_form(0.3, 10.0));
    assert_eq!(simulate(&sc, 50_000, 5), simulate(&sc, 50_000, 5));
    assert_ne!(
        simulate(&sc, 50_000, 5).win_probability,
        simulate(&sc, 50_000, 6).win_probability
    );
}

#[test]
fn every_stdout_format_parses() {
    let dir = tempfile::tempdir().unwrap();
    let json = run_to(dir.path(), &["--no-charts", "--format", "json"]);
    let parsed: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        parsed.as_array().unwrap().len(),
        std::fs::read_dir(scenarios_dir()).unwrap().count()
    );
    let csv = run_to(dir.path(), &["--no-charts", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(&csv.stdout[..]);
    assert!(reader.headers().unwrap().iter().any(|h| h == "p_a"));
    assert_eq!(reader.records().count(), parsed.as_array().unwrap().len());
    let md = String::from_utf8(run_to(dir.path(), &["--no-charts", "--format", "markdown"]).stdout)
        .unwrap();
    assert!(md.starts_with("| Scenario |"));
    // Issue #51: each scenario's flows follow, a row per source whose three cells add up to its
    // votes, so that a memo can paste where the votes came from.
    assert!(
        md.contains(
            "#### Where the votes came from: Alabama 2020 GOP Senate runoff: neutral baseline"
        ),
        "{md}"
    );
    let byrne = md
        .lines()
        .find(|l| l.starts_with("| Bradley Byrne | 178,626 |"))
        .unwrap_or_else(|| panic!("{md}"));
    let votes: f64 = byrne
        .split('|')
        .skip(3)
        .take(3)
        .map(|cell| {
            cell.split('(')
                .next()
                .unwrap()
                .trim()
                .replace(',', "")
                .parse::<f64>()
                .unwrap()
        })
        .sum();
    assert!((votes - 178_626.0).abs() <= 2.0, "{byrne}");
    let table = String::from_utf8(run_to(dir.path(), &["--no-charts"]).stdout).unwrap();
    assert!(table.contains("wins") && table.contains("where the votes came from"));
}

#[test]
fn the_table_says_what_the_less_likely_finalists_wins_look_like() {
    let dir = tempfile::tempdir().unwrap();
    let table = String::from_utf8(run_to(dir.path(), &["--no-charts"]).stdout).unwrap();
    let blocks: Vec<&str> = table.split("\n\n").collect();
    // Baseline: Sessions is the less likely; his wins take a swing his way and more of Byrne's
    // voters than the scenario's 35% on average.
    let baseline = blocks[0];
    let line = |start: &str| {
        baseline
            .lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no `{start}` in\n{baseline}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert!(
        baseline.contains("  when Jeff Sessions wins (26."),
        "{baseline}"
    );
    let swing = line("late swing toward Jeff Sessions");
    assert!(
        swing[5].starts_with('+') && swing.ends_with(&["0.0", "pts"]),
        "{swing:?}"
    );
    let byrne = line("Bradley Byrne → Jeff Sessions");
    let won: f64 = byrne[5].trim_end_matches('%').parse().unwrap();
    assert!(won > 36.0 && byrne[6] == "35.0%", "{byrne:?}");
    // Hindsight: Sessions won no draw.
    assert!(
        blocks[3].contains("  Jeff Sessions won no draw, so no draw shows what a win would take"),
        "{}",
        blocks[3]
    );
}

#[test]
fn a_first_round_in_percentages_reads_in_tenths_of_a_vote() {
    // The model is the same at any scale, so percentages give the same probabilities; rounded to
    // whole votes, a margin of a few "votes" would read +4 from 90% -7 to +15.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pct.toml");
    let line = |src: String, start: &str| {
        std::fs::write(&file, src).unwrap();
        let out = String::from_utf8(run_file(&file, 20_000, dir.path()).stdout).unwrap();
        let found = out.lines().find(|l| l.trim_start().starts_with(start));
        found
            .unwrap_or_else(|| panic!("no `{start}` in\n{out}"))
            .to_string()
    };
    let tenths = |word: &str| {
        let (whole, tenth) = word.rsplit_once('.').unwrap_or((word, ""));
        tenth.len() == 1 && whole.trim_start_matches(['+', '-']).parse::<u32>().is_ok()
    };
    let pct = closed_form_in_percentages(0.5, 10.0);
    let margin = line(pct.clone(), "margin (votes)");
    let words: Vec<&str> = margin.split_whitespace().collect();
    assert!(
        tenths(words[3]) && tenths(words[5]) && tenths(words[7]),
        "{margin}"
    );
    let turnout = line(pct, "turnout");
    assert!(
        tenths(turnout.split_whitespace().nth(2).unwrap()),
        "{turnout}"
    );
    // Counts of voters stay whole.
    let margin = line(closed_form(0.5, 10.0), "margin (votes)");
    assert!(!margin.contains('.'), "{margin}");
}

#[test]
fn recount_probability_is_reported_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_to(dir.path(), &["--no-charts"]).status.success());
    let read = |stem: &str| -> Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(stem).join("summary.json")).unwrap())
            .unwrap()
    };
    assert!(
        read("01-baseline")["recount_probability"]
            .as_f64()
            .is_some()
    );
    assert!(read("04-hindsight").get("recount_probability").is_none());
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("runoff"))
        .arg("run")
        .arg(scenarios_dir())
        .args([
            "--draws",
            "2000",
            "--no-charts",
            "--quiet",
            "--format",
            "json",
            "--out",
        ])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close our end: the rest of the output meets a broken pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn check_prints_the_resolved_model_with_intervals_and_defaults() {
    let result = runoff()
        .arg("check")
        .arg(scenarios_dir().join("01-baseline.toml"))
        .output()
        .unwrap();
    assert!(result.status.success());
    let text = String::from_utf8(result.stdout).unwrap();
    assert!(text.contains("[default_transfer]"), "{text}");
    assert!(text.contains("abstain = 1 − finalist shares"), "{text}");
    // Byrne's 40% to Tuberville at certainty 30: its 90% interval is Beta(12, 18)'s 5% and 95% quantiles.
    use statrs::distribution::{Beta, ContinuousCDF};
    let beta = Beta::new(12.0, 18.0).unwrap();
    let cell = format!(
        "{:>5.1}% [{:>5.1}–{:>5.1}]",
        40.0,
        100.0 * beta.inverse_cdf(0.05),
        100.0 * beta.inverse_cdf(0.95)
    );
    assert!(text.contains(&cell), "{cell} not in {text}");
}

#[test]
fn keys_that_change_nothing_are_said_by_check_and_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("noeff.toml");
    std::fs::write(
        &file,
        "finalists = [\"A\", \"B\"]\n[first_round]\nA = 100\nB = 90\nC = 50\n\
         [transfers.A]\nA = 1\ncertainty = 300\n[transfers.B]\nB = 0.9\n[transfers.C]\nA = 0.5\n\
         [default_transfer]\nA = 0.3\n[new_voters]\nshare = 0\nA = 0.6\nB = 0.4\n\
         [swing]\nsd = 0.02\ndf = 3\n",
    )
    .unwrap();
    let notes = [
        "line 8: `transfers.A.certainty` has no effect: the row has one non-zero share",
        "line 13: `default_transfer` has no effect: every candidate has a row of its own",
        "line 15: `new_voters`: the split and certainty have no effect, since share and sd are 0",
        "line 21: `swing.df` has no effect: the swing is normal",
    ];
    let checked = run_ok(runoff().arg("check").arg(&file));
    let text = String::from_utf8(checked.stdout).unwrap();
    let at: Vec<usize> = notes
        .iter()
        .map(|n| text.find(n).unwrap_or(usize::MAX))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]) && at[3] < usize::MAX,
        "{text}"
    );
    let ran = run_file(&file, 1000, dir.path());
    let stderr = String::from_utf8(ran.stderr).unwrap();
    for n in notes {
        assert!(stderr.contains(&format!("noeff.toml: {n}")), "{stderr}");
    }
    // The bundled scenarios have none.
    let bundled = run_ok(runoff().arg("check").arg(scenarios_dir()));
    let bundled = String::from_utf8(bundled.stdout).unwrap();
    assert!(!bundled.contains("note:"));
    // Each carries the runoff's result, which `check` shows.
    assert_eq!(
        bundled
            .matches("actual result: Tommy Tuberville 333,890 (60.7%), Jeff Sessions 215,831 (39.3%); turnout 76.6% of round one")
            .count(),
        5
    );
    // A swing of hundreds of points is legal, but most likely points written for a share.
    std::fs::write(&file, closed_form(0.5, 10.0) + "[swing]\nsd = 3\n").unwrap();
    let checked = run_ok(runoff().arg("check").arg(&file));
    let text = String::from_utf8(checked.stdout).unwrap();
    assert!(
        text.contains(
            "`swing.sd` = 3 is a swing of 300 points, which pushes most draws' share to 0 or 1; \
             write 0.03 if you meant 3 points"
        ),
        "{text}"
    );
}

#[test]
fn a_folder_runs_its_scenario_files_but_not_hidden_ones() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("batch");
    std::fs::create_dir(&folder).unwrap();
    let baseline = scenarios_dir().join("01-baseline.toml");
    std::fs::copy(&baseline, folder.join("one.toml")).unwrap();
    // An editor's hidden backup, even an invalid one, is not part of the batch.
    std::fs::write(folder.join(".one.toml"), "not = [valid").unwrap();
    std::fs::write(folder.join("notes.txt"), "not a scenario").unwrap();
    // The CSV table of a run of `paths`, into its own output folder.
    let csv_of = |paths: &[&std::path::Path], out: &str| {
        let made = run_ok(
            runoff()
                .arg("run")
                .args(paths)
                .args([
                    "--draws",
                    "1000",
                    "--no-charts",
                    "--quiet",
                    "--format",
                    "csv",
                ])
                .arg("--out")
                .arg(dir.path().join(out)),
        );
        String::from_utf8(made.stdout).unwrap()
    };
    let text = csv_of(&[&folder], "o");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("one.toml"), "{text}");
    // An upper-case extension is a scenario too; a file named twice (by its folder and by
    // itself) runs once.
    std::fs::copy(&baseline, folder.join("TWO.TOML")).unwrap();
    let text = csv_of(&[&folder, &folder.join("one.toml")], "o2");
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("TWO.TOML"), "{text}");
    // Two stems that differ only in case would share a folder on macOS and Windows.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::copy(&baseline, other.join("two.toml")).unwrap();
    let args: [&std::ffi::OsStr; 4] = [
        "run".as_ref(),
        folder.as_os_str(),
        other.as_os_str(),
        "--no-charts".as_ref(),
    ];
    assert_refused(&args, "would both write to the folder");
    // A folder whose scenarios are all one level down names those folders.
    let nested = dir.path().join("nested");
    std::fs::create_dir_all(nested.join("a")).unwrap();
    std::fs::copy(&baseline, nested.join("a").join("x.toml")).unwrap();
    assert_refused(
        &["check".as_ref(), nested.as_os_str()],
        "holds no *.toml scenario files (fix: folders inside it are not searched; name those you mean: `",
    );
    // A link to nowhere named like a scenario is reported, not skipped.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("gone.toml"), folder.join("three.toml"))
            .unwrap();
        assert_refused(
            &["check".as_ref(), folder.as_os_str()],
            "three.toml: cannot read the file",
        );
    }
}

#[test]
fn a_precision_target_says_whether_it_was_reached() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = scenarios_dir().join("01-baseline.toml");
    let run = |extra: &[&str]| {
        let out = run_ok(
            runoff()
                .arg("run")
                .arg(&baseline)
                .args(["--no-charts", "--quiet", "--format", "json", "--out"])
                .arg(dir.path().join("o"))
                .args(extra),
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json[0].clone()
    };
    let met = run(&["--precision", "0.005"]);
    assert_eq!(met["precision_reached"], true, "{met}");
    assert_eq!(met["draws"].as_u64().unwrap() % 65_536, 0, "{met}");
    let capped = run(&["--precision", "0.0001", "--draws", "70000"]);
    assert_eq!(capped["precision_reached"], false, "{capped}");
    assert_eq!(capped["draws"], 70_000);
    let table = run_ok(
        runoff()
            .arg("run")
            .arg(&baseline)
            .args(["--precision", "0.0001", "--draws", "70000"])
            .args(["--no-charts", "--quiet", "--out"])
            .arg(dir.path().join("o")),
    );
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("precision ±0.0001 NOT reached: stopped at the cap of 70,000 draws"),
        "{text}"
    );
    // Said before the run: a close race needs about 96 million draws for ±0.0001.
    let note = String::from_utf8(table.stderr).unwrap();
    assert!(
        note.contains("note: --precision 0.0001 needs about 96,036,471 draws for a close race, more than the cap of 70,000"),
        "{note}"
    );
    let reachable = run_ok(
        runoff()
            .arg("run")
            .arg(&baseline)
            .args(["--precision", "0.005", "--no-charts", "--quiet", "--out"])
            .arg(dir.path().join("o")),
    );
    assert!(reachable.stderr.is_empty());
}

#[test]
fn tables_of_cjk_names_line_up_in_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cjk.toml");
    std::fs::write(
        &file,
        r#"finalists = ["小池百合子", "Renhō Murata"]
[first_round]
"小池百合子" = 2918015
"Renhō Murata" = 1283262
"石丸伸二" = 1658363
[transfers."小池百合子"]
"小池百合子" = 0.8
[transfers."Renhō Murata"]
"Renhō Murata" = 0.8
[default_transfer]
"小池百合子" = 0.3
"Renhō Murata" = 0.3
"#,
    )
    .unwrap();
    let columns = |line: &str| unicode_width::UnicodeWidthStr::width(line);
    let run = run_file(&file, 2000, dir.path());
    let text = String::from_utf8(run.stdout).unwrap();
    // The flows table: header and three rows end in the same terminal column.
    let from = text
        .lines()
        .position(|l| l.trim_start().starts_with("from"))
        .unwrap();
    let widths: Vec<usize> = text.lines().skip(from).take(4).map(columns).collect();
    assert!(widths.iter().all(|&w| w == widths[0]), "{widths:?}\n{text}");
    // The win lines: "wins" starts in the same column.
    let wins: Vec<usize> = text
        .lines()
        .filter(|l| l.contains(" wins "))
        .map(|l| columns(&l[..l.find(" wins ").unwrap()]))
        .collect();
    assert!(wins.len() == 2 && wins[0] == wins[1], "{wins:?}\n{text}");
    let check = run_ok(runoff().arg("check").arg(&file));
    let text = String::from_utf8(check.stdout).unwrap();
    let rows: Vec<usize> = text
        .lines()
        .filter(|l| l.contains("% ["))
        .map(|l| columns(&l[..l.find("% [").unwrap()]))
        .collect();
    assert!(
        rows.len() == 3 && rows.iter().all(|&w| w == rows[0]),
        "{rows:?}\n{text}"
    );
}

#[test]
fn a_narrow_interval_is_printed_with_the_decimals_that_tell_its_ends_apart() {
    // A share of 0.53 for certain and a 1-point swing: P(A) = Φ(3) = 0.99865, and 200,000 draws
    // give a 95% interval of about ±0.016 points, which one decimal would print as 99.9% – 99.9%.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("narrow.toml");
    std::fs::write(
        &file,
        "finalists = [\"A\", \"B\"]\n[first_round]\nA = 53\nB = 47\n\
         [transfers.A]\nA = 1\n[transfers.B]\nB = 1\n[swing]\nsd = 0.01\n",
    )
    .unwrap();
    let run = run_file(&file, 200000, dir.path());
    let text = String::from_utf8(run.stdout).unwrap();
    let wins: Vec<&str> = text.lines().filter(|l| l.contains(" wins ")).collect();
    // Only the swing varies, so the conditional estimate is exact: ± 0, not ± 0.000.
    assert!(wins[0].contains("99.865%"), "{text}");
    assert!(
        text.contains("the swing's chance given each draw's transfers, averaged, ± 0 pts (95%)"),
        "{text}"
    );
    // Won in every draw: the interval hugs 100% at any number of decimals, so one is kept; its
    // lower end, short of 100%, says so rather than reading 100.0%.
    let certain = dir.path().join("certain.toml");
    std::fs::write(
        &certain,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("sd = 0.01", "sd = 0"),
    )
    .unwrap();
    let run = run_file(&certain, 200000, dir.path());
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(
        text.contains("wins   100.0%   95% CI >99.9% – 100.0%"),
        "{text}"
    );
    // One draw has no spread: the conditional estimate does not claim "± 0".
    let run = run_file(&file, 1, dir.path());
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(text.contains("no error estimate from one draw"), "{text}");
}

#[test]
fn a_scenario_piped_in_as_dash_runs_like_a_file_called_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = std::fs::read(scenarios_dir().join("01-baseline.toml")).unwrap();
    let out = dir.path().join("o");
    run_ok(
        runoff()
            .args([
                "run",
                "-",
                "--draws",
                "2000",
                "--quiet",
                "--no-charts",
                "--out",
            ])
            .arg(&out)
            .write_stdin(baseline.clone()),
    );
    // Issue #47: every run from stdin wrote output/stdin/, each replacing the last; a scenario
    // with a `name` now gets the folder of its name.
    let piped: Value = serde_json::from_slice(
        &std::fs::read(out.join("Alabama-2020-GOP-Senate-runoff--neutral-baseline/summary.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(piped["file"], "stdin");
    let unnamed = String::from_utf8(baseline.clone())
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("name = "))
        .collect::<Vec<_>>()
        .join("\n");
    run_ok(
        runoff()
            .args([
                "run",
                "-",
                "--draws",
                "2000",
                "--quiet",
                "--no-charts",
                "--out",
            ])
            .arg(&out)
            .write_stdin(unnamed),
    );
    assert!(out.join("stdin/summary.json").exists());
    assert!(
        out.join("Alabama-2020-GOP-Senate-runoff--neutral-baseline/summary.json")
            .exists()
    );
    // The same numbers as the file itself.
    run_ok(
        runoff()
            .arg("run")
            .arg(scenarios_dir().join("01-baseline.toml"))
            .args(["--draws", "2000", "--quiet", "--no-charts", "--out"])
            .arg(&out),
    );
    let from_file: Value =
        serde_json::from_slice(&std::fs::read(out.join("01-baseline/summary.json")).unwrap())
            .unwrap();
    assert_eq!(piped["win_probability"], from_file["win_probability"]);
    // A bad scenario on stdin is named `stdin`, with its line and column.
    let bad = runoff()
        .args(["check", "-"])
        .write_stdin("finalists = [\"A\"]\n")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("stdin:1:13: `finalists`"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    runoff().args(["run"]).assert().code(2);
    runoff()
        .args(["run", "x.toml", "--draws", "0"])
        .assert()
        .code(2);
    runoff()
        .args(["run", "x.toml", "--format", "yaml"])
        .assert()
        .code(2);
    runoff().args(["frobnicate"]).assert().code(2);
    // --race names a race of DATA.csv; with --first-round it would be silently ignored.
    assert_refused(
        &["new", "--first-round", "x.csv", "--race", "X"],
        "cannot be used with",
    );
    assert_refused(
        &["run", "x.toml", "--seed", "1.5"],
        "`1.5` is not a seed; give a whole number from 0 to 18446744073709551615",
    );
    // A negative number reaches the flag's own check, not clap's tip to write `-- -1`.
    assert_refused(
        &["run", "x.toml", "--seed", "-1"],
        "`-1` is not a seed; give a whole number from 0 to",
    );
    assert_refused(
        &["tornado", "x.toml", "--step", "-0.1"],
        "--step -0.1 must be above 0 and below 1",
    );
}

#[test]
fn an_unwritable_output_folder_is_a_runtime_failure() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let result = runoff()
        .arg("run")
        .arg(scenarios_dir().join("01-baseline.toml"))
        .args(["--draws", "1000", "--out"])
        .arg(blocker.join("out"))
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("cannot create"), "{stderr}");
    // Said before any simulation, with the reason and the fix.
    assert!(stderr.contains("is a file, not a folder (fix:"), "{stderr}");
    assert!(result.stdout.is_empty());
    for command in [
        &["sweep", "--vary", "swing.sd=0..0.1:3"][..],
        &["tornado"][..],
    ] {
        let result = runoff()
            .args(command)
            .arg(scenarios_dir().join("01-baseline.toml"))
            .args(["--draws", "1000", "--quiet", "--out"])
            .arg(&blocker)
            .output()
            .unwrap();
        assert_eq!(result.status.code(), Some(1), "{command:?}");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(stderr.contains("is a file, not a folder"), "{stderr}");
    }
    // A file where a later scenario's folder belongs stops the batch before its first scenario.
    let out = dir.path().join("batch");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("02-byrne-consolidates"), b"in the way").unwrap();
    let result = runoff()
        .arg("run")
        .arg(scenarios_dir())
        .args(["--draws", "1000", "--quiet", "--no-charts", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    assert!(!out.join("01-baseline").exists());
}

#[test]
fn ctrl_c_mid_run_exits_130_and_leaves_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A finished earlier run must survive an interrupted rerun untouched.
    let scenario = scenarios_dir().join("01-baseline.toml");
    let first = runoff()
        .arg("run")
        .arg(&scenario)
        .args(["--draws", "5000", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(first.status.success());
    let before = std::fs::read(out.join("01-baseline/summary.json")).unwrap();

    let result = interrupted(&[
        "run".as_ref(),
        scenario.as_os_str(),
        "--draws".as_ref(),
        "2000000000".as_ref(),
        "--quiet".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(
        result.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(String::from_utf8_lossy(&result.stderr).contains("interrupted"));
    assert_eq!(
        std::fs::read(out.join("01-baseline/summary.json")).unwrap(),
        before
    );
    // Nothing else appeared: no staging folder, no temporary file, no new chart.
    let mut names: Vec<String> = walk(&out)
        .into_iter()
        .map(|p| p.strip_prefix(&out).unwrap().display().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "01-baseline",
            "01-baseline/flows.png",
            "01-baseline/sankey.png",
            "01-baseline/share.png",
            "01-baseline/summary.json",
            "01-baseline/turnout.png",
            "01-baseline/wins.png",
            "share_by_scenario.png",
            "summary.csv",
            "win_probability.png"
        ]
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn no_progress_bar_is_drawn_when_stderr_is_not_a_terminal() {
    // 3·10⁶ draws take longer than the moment after which a terminal would show a bar.
    let dir = tempfile::tempdir().unwrap();
    let result = runoff()
        .arg("run")
        .arg(scenarios_dir().join("01-baseline.toml"))
        .args([
            "--draws",
            "3000000",
            "--no-charts",
            "--format",
            "csv",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(result.status.success());
    // No bar (carriage returns, escape codes): at most plain lines at each quarter of the work,
    // which a log can hold.
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!stderr.contains(['\r', '\x1b']), "{stderr:?}");
    assert!(
        stderr
            .lines()
            .all(|l| l.contains("% (") && l.contains(" draws) after ")),
        "{stderr}"
    );
}

#[test]
fn the_wins_lines_stay_aligned_when_turnout_runs_to_billions() {
    // Regression: a turnout of 1,699,238,279 (13 characters) overran the 12-wide column.
    let src = format!(
        "{}\n[swing]\nsd = 0.05\n",
        closed_form(0.3, 10.0)
            .replace("A = 110\n", "A = 1100000000\n")
            .replace("B = 100\n", "B = 1000000000\n")
            .replace("C = 50\n", "C = 500000000\n")
            .replace(
                "[transfers.B]\nB = 1.0",
                "[transfers.B]\nB = 0.8\ncertainty = 5"
            )
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.toml");
    std::fs::write(&file, src).unwrap();
    let table = String::from_utf8(run_file(&file, 20_000, dir.path()).stdout).unwrap();
    let lines: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("  when "))
        .skip(1)
        .collect();
    assert!(lines.len() >= 3, "{table}");
    let ends: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
    assert!(ends.iter().all(|&e| e == ends[0]), "{table}");
    assert!(
        lines
            .iter()
            .any(|l| l.trim_start().starts_with("turnout") && l.contains(",0")),
        "{table}"
    );
}

#[test]
fn names_too_long_for_a_terminal_are_cut_in_the_table_only() {
    let dir = tempfile::tempdir().unwrap();
    let long = "Alexandria Ocasio-Cortez-Montgomery of Greater Manchester ".repeat(3);
    let long = long.trim();
    let file = dir.path().join("long.toml");
    let src = closed_form(0.3, 10.0).replace("\"A\"", &format!("\"{long}\""));
    let src = src.replace("\nA = ", &format!("\n\"{long}\" = "));
    let src = src.replace("[transfers.A]", &format!("[transfers.\"{long}\"]"));
    std::fs::write(&file, src).unwrap();
    let out = runoff()
        .args(["run", "--draws", "20000", "--no-charts", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("  Alexandria Ocasio-Cortez-Montgomery of…  "),
        "{table}"
    );
    let widest = table
        .lines()
        .skip(1)
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!(widest <= 130, "{widest} columns:\n{table}");
    let json = std::fs::read_to_string(dir.path().join("out/long/summary.json")).unwrap();
    assert!(json.contains(long));
}

#[test]
fn the_actual_result_is_scored_only_where_a_scenario_gives_it() {
    let dir = tempfile::tempdir().unwrap();
    let with = dir.path().join("with.toml");
    let without = dir.path().join("without.toml");
    std::fs::write(
        &with,
        closed_form(0.3, 10.0) + "[actual]\nA = 130\nB = 120\n",
    )
    .unwrap();
    std::fs::write(&without, closed_form(0.3, 10.0)).unwrap();
    let out = run_ok(
        runoff()
            .arg("run")
            .args([&with, &without])
            .args(["--draws", "20000", "--no-charts", "--quiet", "--out"])
            .arg(dir.path().join("o")),
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        table
            .matches("actual result: A won; this scenario gave that")
            .count(),
        1
    );
    assert!(
        table.contains(" 250   below every draw   below the 90% interval"),
        "{table}"
    );

    let read = |stem: &str| -> Value {
        let path = dir.path().join("o").join(stem).join("summary.json");
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    };
    let actual = &read("with")["actual"];
    assert_eq!(actual["votes"]["A"], 130.0);
    assert_eq!(actual["winner"], "A");
    assert_eq!(actual["turnout_percentile"], 0.0);
    assert!(read("without").get("actual").is_none());

    let csv = std::fs::read_to_string(dir.path().join("o").join("summary.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let column = |name: &str| rows[0].iter().position(|h| *h == name).unwrap();
    assert_eq!(rows[1][column("actual_share")], "0.52");
    assert_eq!(rows[1][column("actual_turnout_percentile")], "0");
    assert_eq!(rows[2][column("actual_share")], "");
}

#[test]
fn a_first_round_at_another_scale_than_the_result_is_said() {
    // Percentages in [first_round] beside a result in votes: margins and turnouts would be in
    // points, and the result beyond every draw.
    let src = "finalists = [\"A\", \"B\"]\n[first_round]\nA = 33.4\nB = 31.6\nC = 35.0\n\
               [transfers.A]\nA = 0.9\n[transfers.B]\nB = 0.9\n[transfers.C]\nA = 0.4\nB = 0.4\n";
    let dir = tempfile::tempdir().unwrap();
    let with_result = dir.path().join("scale.toml");
    std::fs::write(
        &with_result,
        format!("{src}[actual]\nA = 333890\nB = 215831\n"),
    )
    .unwrap();
    let alone = dir.path().join("alone.toml");
    std::fs::write(&alone, src).unwrap();
    let said = |path: &std::path::Path| {
        let out = run_ok(runoff().arg("check").arg(path));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = said(&with_result);
    assert!(
        text.contains(
            "`first_round` adds up to 100 and `actual` to 549721 runoff votes, 5497 times"
        ) && text.contains("write both as vote counts"),
        "{text}"
    );
    let text = said(&alone);
    assert!(
        text.contains("`first_round` adds up to 100, which reads as percentages")
            && text.contains("write the vote counts"),
        "{text}"
    );
}

#[test]
fn display_names_label_the_table_and_the_summary() {
    // Issue #47: "Marine Le Pen" read as "Pen"; the short form is now "Le Pen", and a scenario can
    // choose its own label for any candidate.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fr.toml");
    let source = |labels: &str| {
        format!(
            "finalists = [\"Emmanuel Macron\", \"Marine Le Pen\"]\n\
             [first_round]\n\"Emmanuel Macron\" = 9783058\n\"Marine Le Pen\" = 8133828\n\
             \"Jean-Luc Mélenchon\" = 7712520\n\
             [transfers.\"Emmanuel Macron\"]\n\"Emmanuel Macron\" = 0.95\n\"Marine Le Pen\" = 0.01\n\
             [transfers.\"Marine Le Pen\"]\n\"Marine Le Pen\" = 0.95\n\"Emmanuel Macron\" = 0.01\n\
             [transfers.\"Jean-Luc Mélenchon\"]\n\"Emmanuel Macron\" = 0.42\n\"Marine Le Pen\" = 0.17\n\
             {labels}"
        )
    };
    let run = |labels: &str, out: &str| {
        std::fs::write(&file, source(labels)).unwrap();
        let result = run_file(&file, 20_000, &dir.path().join(out));
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        String::from_utf8(result.stdout).unwrap()
    };
    let plain = run("", "plain");
    assert!(plain.contains("Macron share"), "{plain}");
    let labelled = run(
        "[display_names]\n\"Emmanuel Macron\" = \"EM\"\n\"Jean-Luc Mélenchon\" = \"JLM\"\n",
        "labelled",
    );
    assert!(labelled.contains("EM share"), "{labelled}");
    assert!(!labelled.contains("Macron share"), "{labelled}");
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("labelled/o/fr/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["display_names"]["Emmanuel Macron"], "EM");
    assert_eq!(json["display_names"]["Jean-Luc Mélenchon"], "JLM");
    // Without labels the summary has no such key, as before.
    let plain_json = std::fs::read_to_string(dir.path().join("plain/o/fr/summary.json")).unwrap();
    assert!(!plain_json.contains("display_names"));
}

/// Every column of a draws.parquet as f64 (the winner as 1, 2 or 0 for a tie), by name.
fn read_draws(
    path: &std::path::Path,
    finalists: &[&str; 2],
) -> std::collections::BTreeMap<String, Vec<f64>> {
    use arrow_array::{Array, Float32Array, Float64Array, StringArray};
    let file = std::fs::File::open(path).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut columns: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for batch in reader {
        let batch = batch.unwrap();
        for (field, array) in batch.schema().fields().iter().zip(batch.columns()) {
            let out = columns.entry(field.name().clone()).or_default();
            let any = array.as_any();
            if let Some(a) = any.downcast_ref::<Float64Array>() {
                out.extend(a.values().iter());
            } else if let Some(a) = any.downcast_ref::<Float32Array>() {
                out.extend(a.values().iter().map(|&x| f64::from(x)));
            } else {
                let a = any.downcast_ref::<StringArray>().unwrap();
                out.extend((0..a.len()).map(|i| match a.value(i) {
                    w if w == finalists[0] => 1.0,
                    w if w == finalists[1] => 2.0,
                    _ => 0.0,
                }));
            }
        }
    }
    columns
}

#[test]
fn saved_draws_are_the_draws_the_summary_counts() {
    // Issue #51: draws.parquet of N draws has N rows, its winners are the summary's win count,
    // and its columns' means are the summary's means. The baseline, and the polls scenario whose
    // rows carry their weights; 70,000 draws cross a chunk boundary.
    let dir = tempfile::tempdir().unwrap();
    for (file, finalists) in [
        ("01-baseline.toml", ["Tommy Tuberville", "Jeff Sessions"]),
        ("05-polls.toml", ["Tommy Tuberville", "Jeff Sessions"]),
    ] {
        let out = dir.path().join("o");
        run_ok(
            runoff()
                .arg("run")
                .arg(scenarios_dir().join(file))
                .args([
                    "--draws",
                    "70000",
                    "--save-draws",
                    "--no-charts",
                    "--quiet",
                    "--out",
                ])
                .arg(&out),
        );
        let stem = file.trim_end_matches(".toml");
        let summary: Value =
            serde_json::from_slice(&std::fs::read(out.join(stem).join("summary.json")).unwrap())
                .unwrap();
        let draws = read_draws(&out.join(stem).join("draws.parquet"), &finalists);
        assert_eq!(draws["share"].len(), 70_000);
        let polls = draws.contains_key("weight");
        assert_eq!(polls, stem == "05-polls");
        let weight: Vec<f64> = draws
            .get("weight")
            .cloned()
            .unwrap_or_else(|| vec![1.0; 70_000]);
        let total: f64 = weight.iter().sum();
        let mean = |column: &[f64]| -> f64 {
            column.iter().zip(&weight).map(|(x, w)| x * w).sum::<f64>() / total
        };
        // The first finalist's wins: the count without polls, the weighted share with them (the
        // reported probability is the conditional one; the count is kept beside it).
        let won: Vec<f64> = draws["winner"]
            .iter()
            .map(|&w| f64::from(u8::from(w == 1.0)))
            .collect();
        let counted = &summary["win_probability_count"];
        let p = if counted.is_null() {
            &summary["win_probability"]
        } else {
            counted
        }[finalists[0]]
            .as_f64()
            .unwrap();
        if polls {
            assert!((mean(&won) - p).abs() < 1e-9, "{} vs {p}", mean(&won));
        } else {
            let count = won.iter().sum::<f64>();
            assert_eq!(count, (p * 70_000.0).round(), "{p}");
        }
        let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-12);
        assert!(
            rel(
                mean(&draws["share"]),
                summary["share"]["mean"].as_f64().unwrap()
            ) < 1e-9
        );
        assert!(
            rel(
                mean(&draws["turnout"]),
                summary["turnout"]["mean"].as_f64().unwrap()
            ) < 1e-9
        );
        // Each flow's mean votes: the source's votes times its rate, averaged (rates are single
        // precision: seven digits).
        for flow in summary["flows"].as_array().unwrap() {
            let (from, to) = (flow["from"].as_str().unwrap(), flow["to"].as_str().unwrap());
            let to = if to == "abstain" { "stayed home" } else { to };
            let Some(rate) = draws.get(&format!("{from} → {to}")) else {
                continue;
            };
            let got = mean(rate);
            let want = flow["mean_share"].as_f64().unwrap();
            assert!((got - want).abs() < 1e-6, "{from} → {to}: {got} vs {want}");
        }
    }
}

#[test]
fn saved_draws_are_the_same_file_on_one_thread_as_on_two() {
    let dir = tempfile::tempdir().unwrap();
    let file = |threads: &str| {
        let out = dir.path().join(threads);
        run_ok(
            runoff()
                .arg("run")
                .arg(scenarios_dir().join("05-polls.toml"))
                .args([
                    "--draws",
                    "140000",
                    "--save-draws",
                    "--no-charts",
                    "--quiet",
                ])
                .args(["--threads", threads, "--out"])
                .arg(&out),
        );
        std::fs::read(out.join("05-polls/draws.parquet")).unwrap()
    };
    assert!(file("1") == file("2"));
}
