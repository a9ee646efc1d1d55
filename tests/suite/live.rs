//! `live` and `replay`: the prior's forecast with nothing counted, the result with everything
//! counted, replay.csv's columns, and the messy feeds a newsroom's CSV brings.

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A race of 12 counties, candidates A, B (the finalists) and C, with both rounds: A's share
/// of the runoff grows with a county's C voters.
fn race_table(dir: &Path) -> PathBuf {
    let mut text = String::from("race_id,round,county,candidate,votes\n");
    for i in 0..12 {
        let (a, b, c) = (1000 + 150 * i, 1400 - 60 * i, 300 + 80 * (i % 5));
        text += &format!("X,1,C{i},A,{a}\nX,1,C{i},B,{b}\nX,1,C{i},C,{c}\n");
        let (ra, rb) = (
            (0.8 * a as f64 + 0.5 * c as f64).round(),
            (0.8 * b as f64 + 0.3 * c as f64).round(),
        );
        text += &format!("X,2,C{i},A,{ra}\nX,2,C{i},B,{rb}\n");
    }
    let path = dir.join("race.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The runoff rows of the first `n` counties of [`race_table`], as a returns feed.
fn counted(dir: &Path, n: usize, extra: &str) -> PathBuf {
    let table = std::fs::read_to_string(dir.join("race.csv")).unwrap();
    let mut text = String::from("race_id,round,county,candidate,votes\n");
    for line in table.lines().filter(|l| l.starts_with("X,2,")) {
        let unit: usize = line.split(',').nth(2).unwrap()[1..].parse().unwrap();
        if unit < n {
            text += line;
            text.push('\n');
        }
    }
    text += extra;
    let path = dir.join(format!("counted-{n}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

fn live_json(dir: &Path, args: &[&std::ffi::OsStr]) -> Value {
    let out = dir.join("live-out");
    let _ = std::fs::remove_dir_all(&out);
    run_ok(
        runoff()
            .arg("live")
            .args(args)
            .args(["--quiet", "--no-charts", "--out"])
            .arg(&out),
    );
    serde_json::from_slice(&std::fs::read(out.join("live.json")).unwrap()).unwrap()
}

#[test]
fn with_nothing_counted_live_gives_the_scenarios_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let table = race_table(dir.path());
    // The scenario's first round is the table's, summed over the counties.
    let (mut a, mut b, mut c) = (0, 0, 0);
    for i in 0..12 {
        a += 1000 + 150 * i;
        b += 1400 - 60 * i;
        c += 300 + 80 * (i % 5);
    }
    let scenario = dir.path().join("s.toml");
    std::fs::write(
        &scenario,
        format!(
            "finalists = [\"A\", \"B\"]\n[first_round]\nA = {a}\nB = {b}\nC = {c}\n\
             [transfers.A]\nA = 0.7\nB = 0.05\ncertainty = 80\n\
             [transfers.B]\nB = 0.95\nA = 0.01\ncertainty = 80\n\
             [transfers.C]\nA = 0.3\nB = 0.55\ncertainty = 20\n[swing]\nsd = 0.02\n"
        ),
    )
    .unwrap();
    let live = live_json(
        dir.path(),
        &[
            table.as_os_str(),
            "--scenario".as_ref(),
            scenario.as_os_str(),
            "--draws".as_ref(),
            "200000".as_ref(),
        ],
    );
    assert_eq!(live["units_reported"], 0);
    assert_eq!(live["reported_fraction"], 0.0);
    let run = run_file(&scenario, 200_000, dir.path());
    let _ = run;
    let summary: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/s/summary.json")).unwrap())
            .unwrap();
    let p_run = summary["win_probability"]["A"].as_f64().unwrap();
    let p_live = live["win_probability"]["A"].as_f64().unwrap();
    // Two estimates of the same probability, 200,000 draws each; the unit model adds each
    // county's residual, a small spread on the total (docs/election-night.md).
    let se = (p_run * (1.0 - p_run) / 200_000.0).sqrt();
    assert!(
        (p_run - p_live).abs() < 6.0 * se + 0.01,
        "run {p_run}, live {p_live}"
    );
    let (m_run, m_live) = (
        summary["share"]["p50"].as_f64().unwrap(),
        live["share"]["p50"].as_f64().unwrap(),
    );
    assert!((m_run - m_live).abs() < 0.002, "run {m_run}, live {m_live}");
    let (w_run, w_live) = (
        summary["share"]["p95"].as_f64().unwrap() - summary["share"]["p05"].as_f64().unwrap(),
        live["share"]["p975"].as_f64().unwrap() - live["share"]["p025"].as_f64().unwrap(),
    );
    // A 90% interval against a 95% one: the ratio of their normal widths, 1.645 / 1.96, give or take.
    let ratio = w_run / w_live;
    assert!(
        (0.75..0.95).contains(&ratio),
        "90% width {w_run}, 95% width {w_live}"
    );
}

#[test]
fn with_every_unit_counted_the_projection_is_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let table = race_table(dir.path());
    let all = counted(dir.path(), 12, "");
    let live = live_json(
        dir.path(),
        &[table.as_os_str(), "--returns".as_ref(), all.as_os_str()],
    );
    let (a, b) = (
        live["counted"]["A"].as_f64().unwrap(),
        live["counted"]["B"].as_f64().unwrap(),
    );
    let result = a / (a + b);
    for q in ["p025", "p10", "p50", "p90", "p975"] {
        assert_eq!(live["share"][q].as_f64().unwrap(), result, "{q}");
        assert_eq!(live["margin"][q].as_f64().unwrap(), a - b, "{q}");
    }
    let p = live["win_probability"]["A"].as_f64().unwrap();
    assert_eq!(p, if result > 0.5 { 1.0 } else { 0.0 });
    assert_eq!(live["reported_fraction"], 1.0);
    assert!(live["hurdle"]["A"].is_null());
    for key in [
        "finalists",
        "units_reported",
        "units_total",
        "turnout",
        "hurdle",
    ] {
        assert!(!live[key].is_null() || key == "hurdle", "{key}");
    }
    // Half counted: a hurdle for each finalist, the two adding up to 1.
    let half = counted(dir.path(), 6, "");
    let live = live_json(
        dir.path(),
        &[table.as_os_str(), "--returns".as_ref(), half.as_os_str()],
    );
    let (ha, hb) = (
        live["hurdle"]["A"].as_f64().unwrap(),
        live["hurdle"]["B"].as_f64().unwrap(),
    );
    assert!((ha + hb - 1.0).abs() < 1e-9, "{ha} {hb}");
    assert_eq!(live["units_reported"], 6);
}

#[test]
fn a_replay_writes_its_columns_and_ends_on_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let table = race_table(dir.path());
    let out = dir.path().join("replay");
    run_ok(
        runoff()
            .arg("replay")
            .arg(&table)
            .args([
                "--steps",
                "4",
                "--order",
                "largest-first",
                "--draws",
                "20000",
                "--quiet",
                "--out",
            ])
            .arg(&out),
    );
    let csv = std::fs::read_to_string(out.join("replay.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "step,units_reported,units_total,reported_fraction,win_probability,share_p025,share_p10,share_p50,share_p90,share_p975,final_share"
    );
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!((rows[0][0], rows[0][1], rows[0][3]), (0.0, 0.0, 0.0));
    let last = &rows[4];
    assert_eq!((last[1], last[2], last[3]), (12.0, 12.0, 1.0));
    for q in 5..10 {
        assert!((last[q] - last[10]).abs() < 1e-6, "{last:?}");
    }
    assert!(last[4] == 0.0 || last[4] == 1.0);
    assert!(rows.iter().all(|r| r[10] == last[10]));
    assert!(out.join("replay.png").exists());
}

#[test]
fn a_messy_feed_is_refused_with_the_unit_the_line_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let table = race_table(dir.path());
    let refused = |extra: &str, fragment: &str| {
        let feed = counted(dir.path(), 3, extra);
        assert_refused(
            &[
                "live".as_ref(),
                table.as_os_str(),
                "--returns".as_ref(),
                feed.as_os_str(),
                "--out".as_ref(),
                dir.path().join("never").as_os_str(),
            ],
            fragment,
        );
        assert!(!dir.path().join("never").exists());
    };
    refused(
        "X,2,C99,A,10\nX,2,C99,B,10\n",
        "line 8: county \"C99\" is not in round 1 of race X",
    );
    refused("X,2,C11x,A,10\n", "did you mean \"C11\"?");
    refused(
        "X,2,C5,A,1000\n",
        "county C5 has a count for \"A\" but none for \"B\"",
    );
    refused(
        "X,2,C5,A,100000\nX,2,C5,B,10\n",
        "more than 2 times its 3,150 round-one voters",
    );
    refused(
        "X,2,C5,A,ten\nX,2,C5,B,10\n",
        "line 8: county C5, \"A\": votes `ten` is not a count",
    );
    refused("X,2,C5,Cc,10\n", "the returns name 3 candidates");
    // A unit listed twice takes its latest row, and the tool says so, the count going down too.
    let feed = counted(dir.path(), 3, "X,2,C0,A,900\n");
    let out = run_ok(
        runoff()
            .arg("live")
            .arg(&table)
            .arg("--returns")
            .arg(&feed)
            .args(["--quiet", "--no-charts", "--out"])
            .arg(dir.path().join("twice")),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("county C0, \"A\": listed on lines 2 and 8 (its count went down from 950 to 900); the latest row, line 8, is used"),
        "{stderr}"
    );
    // A reporting fraction outside (0, 1] is refused; a unit counted in part is projected for the rest.
    let partial = dir.path().join("partial.csv");
    std::fs::write(
        &partial,
        "county,candidate,votes,reporting\nC0,A,400,0.5\nC0,B,600,0.5\nC1,A,800,\nC1,B,1200,\n",
    )
    .unwrap();
    let live = live_json(
        dir.path(),
        &[table.as_os_str(), "--returns".as_ref(), partial.as_os_str()],
    );
    assert_eq!(live["units_reported"], 2);
    let f = live["reported_fraction"].as_f64().unwrap();
    assert!(f > 0.0 && f < 2.0 / 12.0, "{f}");
    std::fs::write(
        &partial,
        "county,candidate,votes,reporting\nC0,A,400,1.5\nC0,B,600,1.5\n",
    )
    .unwrap();
    assert_refused(
        &[
            "live".as_ref(),
            table.as_os_str(),
            "--returns".as_ref(),
            partial.as_os_str(),
        ],
        "reporting `1.5` is not a fraction above 0 and at most 1",
    );
}

#[test]
fn a_projection_is_the_same_on_one_thread_as_on_two() {
    let dir = tempfile::tempdir().unwrap();
    let table = race_table(dir.path());
    let half = counted(dir.path(), 6, "");
    let on = |threads: &str| {
        let out = dir.path().join(threads);
        run_ok(
            runoff()
                .arg("live")
                .arg(&table)
                .arg("--returns")
                .arg(&half)
                .args([
                    "--threads",
                    threads,
                    "--draws",
                    "20000",
                    "--quiet",
                    "--no-charts",
                    "--out",
                ])
                .arg(&out),
        );
        std::fs::read(out.join("live.json")).unwrap()
    };
    assert_eq!(on("1"), on("2"));
}
