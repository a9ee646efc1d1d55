//! Sweeps and the tornado: the closed-form sweep, common random numbers, break-even values, and bad keys and ranges.

use crate::common::*;
use runoff::sweep::tornado::Searches;
use runoff::sweep::{self, Absorb, SweepPlan, Variation};
use statrs::distribution::{Beta, ContinuousCDF};
use std::sync::atomic::AtomicBool;

/// P(A wins) on the closed-form scenario with C splitting A m / B 1−m at certainty 10.
fn truth(m: f64) -> f64 {
    1.0 - Beta::new(10.0 * m, 10.0 * (1.0 - m)).unwrap().cdf(0.4)
}

/// The m where the median of Beta(10m, 10(1−m)) is `x`, by bisection on the exact CDF.
fn median_at(x: f64) -> f64 {
    let (mut lo, mut hi) = (0.01, 0.99);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        let below = Beta::new(10.0 * mid, 10.0 * (1.0 - mid)).unwrap().cdf(x);
        if below > 0.5 { lo = mid } else { hi = mid }
    }
    (lo + hi) / 2.0
}

/// The m where P(A wins) is 50% on the closed form: p's median at 0.4.
fn exact_break_even() -> f64 {
    median_at(0.4)
}

/// Sweep one key of the closed-form scenario.
fn sweep_closed_form(vary: &str, draws: u64, seed: u64) -> sweep::SweepResult {
    let s = scenario(&closed_form(0.3, 10.0));
    let plan = SweepPlan {
        variations: vec![Variation::parse(vary, &s).unwrap()],
        absorb: Absorb::Proportional,
        draws,
        seed,
    };
    sweep::run(&s, &plan, &|_, _| {}, &AtomicBool::new(false)).unwrap()
}

#[test]
fn a_sweep_of_the_closed_form_matches_the_beta_curve_and_finds_the_break_even() {
    let r = sweep_closed_form("transfers.C.A=0.2..0.6:21", 400_000, 1);
    assert_eq!(r.points.len(), 21);
    for p in &r.points {
        let m = p.values[0];
        let t = truth(m);
        let se = (t * (1.0 - t) / 400_000.0).sqrt();
        assert!(
            (p.win[0] - t).abs() < 4.0 * se + 1e-12,
            "m = {m}: {} vs {t}",
            p.win[0]
        );
    }
    assert!(
        r.points.windows(2).all(|w| w[1].win[0] > w[0].win[0]),
        "not monotone increasing"
    );
    let be = r.break_even_win.unwrap();
    let exact = exact_break_even();
    let value = be.value.unwrap();
    assert!(
        (value - exact).abs() < 0.005,
        "break-even {value} vs exact {exact}"
    );
    assert!(be.se.unwrap() < 0.002);
    // The median share crosses 50% where 110 + 50·median(p) = 130: median(p) = 0.4, the same m.
    assert!((r.break_even_share.unwrap().value.unwrap() - exact).abs() < 0.005);
}

#[test]
fn common_random_numbers_make_neighbouring_points_share_their_draws() {
    // A change too small to matter moves the estimate by far less than its Monte Carlo error.
    let r = sweep_closed_form("transfers.C.A=0.3..0.3001:2", 100_000, 3);
    let diff = (r.points[1].win[0] - r.points[0].win[0]).abs();
    assert!(
        diff < 0.2 * r.points[0].win_se,
        "points differ by {diff}: streams are not shared"
    );
}

#[test]
fn a_sweep_that_never_crosses_says_so() {
    let r = sweep_closed_form("transfers.C.certainty=5..50:4", 20_000, 1);
    assert_eq!(
        r.break_even_win.unwrap().describe("transfers.C.certainty"),
        "never crosses in this range"
    );
}

#[test]
fn a_sweep_of_a_vote_count_prints_whole_votes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cf.toml");
    // A wins while 110 + 0.3·C > 100 + 0.7·C, so the break-even is 25 of C's votes.
    std::fs::write(&path, closed_form(0.3, 1000.0) + "[swing]\nsd = 0.01\n").unwrap();
    let table_of = |vary: &str| {
        let result = run_ok(
            runoff()
                .arg("sweep")
                .arg(&path)
                .args(["--vary", vary, "--draws", "5000", "--quiet", "--no-charts"])
                .arg("--out")
                .arg(dir.path().join("out")),
        );
        String::from_utf8_lossy(&result.stdout).into_owned()
    };
    let table = table_of("first_round.C=0..30000:4");
    assert!(
        table.lines().any(|l| l.trim_start().starts_with("10,000 ")) && !table.contains(".0000"),
        "{table}"
    );
    let table = table_of("first_round.C=0..100:5");
    assert!(table.contains("first_round.C = 2"), "{table}");
    assert!(!table.contains(".0000"), "{table}");
}

#[test]
fn a_two_key_sweep_writes_its_grid_and_contour() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cf.toml");
    std::fs::write(&path, closed_form(0.3, 10.0) + "[swing]\nsd = 0.02\n").unwrap();
    let out = dir.path().join("out");
    let result = runoff()
        .arg("sweep")
        .arg(&path)
        .args([
            "--vary",
            "transfers.C.A=0.2..0.6:5",
            "--vary",
            "swing.sd=0.01..0.05:3",
            "--draws",
            "20000",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 15);
    assert!(csv.starts_with("transfers.C.A,swing.sd,win_A"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("sweep.json")).unwrap()).unwrap();
    assert_eq!(json["contour"].as_array().unwrap().len(), 5);
    let png = image::open(out.join("sweep.png")).unwrap();
    assert_eq!((png.width(), png.height()), (1400, 800));
    // Two keys that end in the same name are headed by their whole keys.
    let result = run_ok(
        runoff()
            .arg("sweep")
            .arg(&path)
            .args([
                "--vary",
                "transfers.C.A=0.2..0.6:2",
                "--vary",
                "transfers.B.A=0..0.1:2",
            ])
            .args(["--draws", "2000", "--quiet", "--no-charts", "--out"])
            .arg(&out),
    );
    let table = String::from_utf8_lossy(&result.stdout);
    assert!(
        table.contains("  transfers.C.A  transfers.B.A   P(A)"),
        "{table}"
    );
}

#[test]
fn a_two_key_sweep_labels_its_cells_not_the_edges_between_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    run_ok(
        runoff()
            .arg("sweep")
            .arg(scenarios_dir().join("01-baseline.toml"))
            .args([
                "--vary",
                "first_round.\"Roy Moore\"=0..2000000:5",
                "--vary",
                "transfers.\"Bradley Byrne\".\"Jeff Sessions\"=0..0.8:5",
                "--chart-format",
                "svg",
                "--draws",
                "2000",
                "--quiet",
                "--out",
            ])
            .arg(&out),
    );
    let svg = std::fs::read_to_string(out.join("sweep.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    // Each axis names its five swept values, votes in the unit and decimals their step needs,
    // and nothing between two cells (10%, 250k).
    for label in [
        "0", "500k", "1.0M", "1.5M", "2.0M", "0%", "20%", "40%", "60%", "80%",
    ] {
        assert!(texts.contains(&label), "{label} not in {texts:?}");
    }
    for label in ["10%", "30%", "250k", "1.00M", "2.00M"] {
        assert!(!texts.contains(&label), "{label} in {texts:?}");
    }
}

#[test]
fn the_tornado_ranks_assumptions_by_impact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t");
    run_ok(
        runoff()
            .arg("tornado")
            .arg(scenarios_dir().join("01-baseline.toml"))
            .args(["--draws", "20000", "--quiet", "--out"])
            .arg(&out),
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("tornado.json")).unwrap()).unwrap();
    let impacts: Vec<f64> = json["bars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["impact"].as_f64().unwrap())
        .collect();
    assert!(impacts.len() >= 10);
    assert!(impacts.windows(2).all(|w| w[0] >= w[1]));
    assert!(out.join("tornado.csv").exists() && out.join("tornado.png").exists());
}

#[test]
fn break_evens_searched_alone_are_exact_on_the_closed_form_and_agree_with_the_sweep() {
    let s = scenario(&closed_form(0.3, 10.0));
    let (draws, seed) = (200_000, 5);
    let searches = Searches {
        break_even: true,
        ..Searches::default()
    };
    let t = tornado_of(&s, draws, seed, searches);
    let searched = |key: &str| {
        let bar = t.bars.iter().find(|b| b.key == key).unwrap();
        bar.break_even
            .clone()
            .unwrap_or_else(|| panic!("{key}: no break-even searched"))
    };
    let exact = exact_break_even();
    // P(A) rises with C's share to A; with C's share to B it falls, A taking the rest (1 − x).
    for (key, want) in [("transfers.C.A", exact), ("transfers.C.B", 1.0 - exact)] {
        let f = searched(key);
        let (value, se) = (f.value.unwrap(), f.se.unwrap());
        // The error of the crossing, plus the interpolation inside the last bracket (1/4096 wide).
        assert!(
            (value - want).abs() < 4.0 * se + 0.0005,
            "{key}: {value} ± {se} vs exact {want}"
        );
        assert!(se > 0.0 && se < 0.003, "{key}: se {se}");
        assert_eq!(f.range, [0.0, 1.0]);
    }
    // Common random numbers: the sweep of the same key, seed and draws finds the same crossing.
    let swept = sweep_closed_form("transfers.C.A=0.2..0.6:21", draws, seed)
        .break_even_win
        .unwrap()
        .value
        .unwrap();
    let alone = searched("transfers.C.A").value.unwrap();
    assert!(
        (swept - alone).abs() < 0.001,
        "sweep {swept}, searched alone {alone}"
    );
    // A's own voters defecting to B only lower P(A) further: never, nearest where it stands now.
    let never = searched("transfers.A.B");
    assert_eq!(never.value, None);
    let [x, p] = never.nearest.unwrap();
    assert_eq!(x, 0.0);
    assert!((p - t.base).abs() < 1e-12, "{p} vs {}", t.base);
    // Certainties are not searched: they move P towards 50%, not past it.
    let certainty = t
        .bars
        .iter()
        .find(|b| b.key == "transfers.C.certainty")
        .unwrap();
    assert!(certainty.break_even.is_none());
}

#[test]
fn values_that_match_the_actual_result_are_exact_on_the_closed_form() {
    // An actual 130 to 120 is a share of 0.52, the median of s = (110 + 50p) / 260 when p's median
    // is 0.504: C's share to A must be the m whose Beta(10m, 10(1 − m)) has that median.
    let s = scenario(&(closed_form(0.3, 10.0) + "[actual]\nA = 130\nB = 120\n"));
    let searches = Searches {
        match_actual: true,
        ..Searches::default()
    };
    let t = tornado_of(&s, 200_000, 9, searches);
    let exact = median_at(0.504);
    let matched = |key: &str| {
        let bar = t.bars.iter().find(|b| b.key == key).unwrap();
        assert!(bar.break_even.is_none(), "{key}: break-even not asked for");
        bar.match_actual
            .clone()
            .unwrap_or_else(|| panic!("{key}: not searched"))
    };
    for (key, want) in [("transfers.C.A", exact), ("transfers.C.B", 1.0 - exact)] {
        let m = matched(key);
        let (value, se) = (m.share.value.unwrap(), m.share.se.unwrap());
        assert!(
            (value - want).abs() < 4.0 * se + 0.0005,
            "{key}: {value} ± {se} vs exact {want}"
        );
        assert!(se > 0.0 && se < 0.003, "{key}: se {se}");
        // Nobody stays home here: every draw's turnout is 260, above the actual 250, whatever C does.
        assert_eq!(m.turnout.value, None);
        assert_eq!(m.turnout.nearest.unwrap()[1], 1.0);
    }
    let certainty = t
        .bars
        .iter()
        .find(|b| b.key == "transfers.C.certainty")
        .unwrap();
    assert!(certainty.match_actual.is_none());

    // Without [actual] the flag is refused, naming the table to add.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-actual.toml");
    std::fs::write(&file, closed_form(0.3, 10.0)).unwrap();
    let refused = runoff()
        .args([
            "tornado",
            "--match-actual",
            "--draws",
            "1000",
            "--quiet",
            "--out",
        ])
        .arg(dir.path().join("o"))
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(
            "no-actual.toml: --match-actual needs the runoff's result: add an [actual] table"
        ),
        "{stderr}"
    );
    assert!(!dir.path().join("o").exists());
}

#[test]
fn tornado_break_evens_are_written_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = scenarios_dir().join("01-baseline.toml");
    let tornado = |out: &std::path::Path, search: bool| {
        let mut cmd = runoff();
        cmd.arg("tornado")
            .arg(&baseline)
            .args(["--draws", "20000", "--quiet", "--out"])
            .arg(out);
        cmd.arg(if search {
            "--break-even"
        } else {
            "--no-charts"
        });
        String::from_utf8_lossy(&run_ok(&mut cmd).stdout).into_owned()
    };
    let (plain, searched) = (dir.path().join("plain"), dir.path().join("searched"));
    let plain_table = tornado(&plain, false);
    let table = tornado(&searched, true);
    assert!(!plain_table.contains("50% at"), "{plain_table}");
    assert!(
        table.contains("what alone would bring P(Tuberville wins) to 50%, the rest held:"),
        "{table}"
    );
    assert!(
        table.contains("never  (from 0.0000 to 1.0000; nearest: "),
        "{table}"
    );
    // Every row of the tornado is as it was; the break-evens come after.
    assert!(
        table.starts_with(plain_table.trim_end_matches(|c| c != '%')),
        "{table}"
    );
    let read = |d: &std::path::Path, f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    assert!(!read(&plain, "tornado.json").contains("\"break_even\""));
    assert!(!plain.join("break-even.png").exists());
    assert!(searched.join("break-even.png").exists() && searched.join("tornado.png").exists());
    assert!(
        read(&plain, "tornado.csv")
            .lines()
            .next()
            .unwrap()
            .ends_with(",impact")
    );
    assert!(
        read(&searched, "tornado.csv")
            .lines()
            .next()
            .unwrap()
            .ends_with(",impact,break_even,break_even_se")
    );
    let json: serde_json::Value = serde_json::from_str(&read(&searched, "tornado.json")).unwrap();
    for bar in json["bars"].as_array().unwrap() {
        let key = bar["key"].as_str().unwrap();
        let is_share = !(key.ends_with(".certainty") || key.starts_with("swing."));
        assert_eq!(bar.get("break_even").is_some(), is_share, "{key}");
    }
    let byrne = json["bars"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"] == r#"transfers."Bradley Byrne"."Jeff Sessions""#)
        .unwrap();
    let at = byrne["break_even"]["value"].as_f64().unwrap();
    // The README's break-even (0.4553 at 10^6 draws), within this run's error.
    assert!((at - 0.4553).abs() < 0.01, "{at}");
}

#[test]
fn a_tornado_of_a_decided_race_shows_what_is_short_of_certain_and_says_it_is_decided() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t");
    let result = run_ok(
        runoff()
            .arg("tornado")
            .arg(scenarios_dir().join("04-hindsight.toml"))
            .args(["--draws", "20000", "--quiet", "--no-charts", "--out"])
            .arg(&out),
    );
    let table = String::from_utf8_lossy(&result.stdout);
    assert!(
        table.contains(
            "note: Tuberville is all but certain to win (P >99.999%), and no single assumption"
        ),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("tornado.json")).unwrap()).unwrap();
    let wins: Vec<f64> = json["bars"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["win"].as_array().unwrap().clone())
        .map(|p| p.as_f64().unwrap())
        .collect();
    // Some moves cost Tuberville a little: none reads 100% unless it is; a cost that shows reads
    // 99.9xx%, the rest >99.999%.
    assert!(wins.iter().any(|&p| p < 1.0), "{wins:?}");
    for p in wins.into_iter().filter(|&p| p < 0.99999) {
        assert!(
            table.contains(&format!("{:.3}%", 100.0 * p)),
            "{p}: {table}"
        );
    }
}

#[test]
fn bad_keys_and_ranges_exit_2_with_a_clear_message() {
    let baseline = scenarios_dir().join("01-baseline.toml");
    let cases = [
        (
            "transfers.Nobody.certainty=1..2",
            "is not a first-round candidate",
        ),
        (
            // A misspelling is not a finalist (a unique last name would be: "Sessions").
            "transfers.\"Roy Moore\".Sesions=0..1",
            "is not \"Tommy Tuberville\", \"Jeff Sessions\"",
        ),
        ("simulation.draws=1..2", "is not a key that can be varied"),
        ("swing.sd=a..b", "is not a finite number"),
        // Past f64's range (parsed as infinity): named as what it is, not as text.
        ("swing.sd=0..1e400", "`1e400` is not a finite number"),
        ("swing.sd=0.1", "FROM..TO"),
        (
            "transfers.\"Roy Moore\".certainty=-1..10",
            "must be greater than 0",
        ),
        (
            "transfers.\"Roy Moore\".\"Jeff Sessions\"=0.5..1.5",
            "between 0 and 1",
        ),
        // A key the scenario lacks names the file to mend.
        (
            "new_voters.share=0..0.1",
            "01-baseline.toml has no [new_voters] (fix: add the table",
        ),
        (
            "swing.df=2..10",
            "01-baseline.toml is not student-t, so it has no df (fix: set swing.distribution",
        ),
        (
            "swing.sd=-0.1..0.1",
            "`swing.sd` = -0.1: must be at least 0",
        ),
        (
            "swing.sd=0..0.1:-3",
            "STEPS `-3` is not a whole number from 2 to 1001",
        ),
        (
            "transfers.Bradley Byrne.Jeff Sessions=0.2..0.6",
            "a name with spaces must be in double quotes (fix: write \
             transfers.\"Bradley Byrne\".\"Jeff Sessions\", with the whole --vary in single quotes",
        ),
    ];
    let baseline = baseline.to_string_lossy().into_owned();
    for (vary, fragment) in cases {
        assert_refused(
            &[
                "sweep",
                &baseline,
                "--vary",
                vary,
                "--draws",
                "1000",
                "--no-charts",
                "--out",
                "/nonexistent/never",
            ],
            fragment,
        );
    }
    // The same key twice, however it is written.
    assert_refused(
        &[
            "sweep",
            &baseline,
            "--vary",
            "swing.sd=0..0.05:3",
            "--vary",
            "swing.sd=0.01..0.02:3",
            "--no-charts",
            "--out",
            "/nonexistent/never",
        ],
        "both --vary name `swing.sd`; vary two different assumptions",
    );
    // An absorbing share that would leave [0, 1] names the valid range.
    assert_refused(
        &[
            "sweep",
            &baseline,
            "--vary",
            "transfers.\"Roy Moore\".\"Jeff Sessions\"=0.1..0.9",
            "--absorb",
            "abstain",
            "--draws",
            "1000",
            "--no-charts",
        ],
        "keep the range within 0.0000..0.5500",
    );
    // An --absorb that names no share of the row says which names it takes, not a range fix.
    assert_refused(
        &[
            "sweep",
            &baseline,
            "--vary",
            "transfers.\"Roy Moore\".\"Jeff Sessions\"=0.1..0.2",
            "--absorb",
            "Nobody",
            "--draws",
            "1000",
            "--no-charts",
        ],
        "(fix: write --absorb abstain, --absorb \"Tommy Tuberville\" or --absorb \"Jeff Sessions\")",
    );
    // --absorb with no share varied says what to drop.
    assert_refused(
        &[
            "sweep",
            &baseline,
            "--vary",
            "swing.sd=0..0.1",
            "--absorb",
            "abstain",
            "--draws",
            "1000",
            "--no-charts",
        ],
        "--absorb applies only when a transfer share is varied, and `swing.sd` is not one (fix: \
         leave out --absorb)",
    );
    for step in ["0", "1", "nan"] {
        assert_refused(
            &["tornado", &baseline, "--step", step, "--no-charts"],
            "must be above 0 and below 1 (e.g. 0.10 for ten points)",
        );
    }
}

#[test]
fn tornado_matches_to_the_actual_result_are_written_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("matched");
    let made = run_ok(
        runoff()
            .arg("tornado")
            .arg(scenarios_dir().join("01-baseline.toml"))
            .args(["--match-actual", "--draws", "20000", "--quiet", "--out"])
            .arg(&out),
    );
    for (chart, written) in [
        ("tornado.png", true),
        ("match-actual.png", true),
        ("break-even.png", false),
    ] {
        assert_eq!(out.join(chart).exists(), written, "{chart}");
    }
    let table = String::from_utf8_lossy(&made.stdout);
    assert!(
        table.contains("what alone would have made the actual result the median of the draws")
            && table.contains("Tuberville 60.7%")
            && table.contains("turnout 549,721"),
        "{table}"
    );
    assert!(!table.contains("50% at"), "{table}");
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    assert!(
        read("tornado.csv")
            .lines()
            .next()
            .unwrap()
            .ends_with(",impact,match_share,match_share_se,match_turnout,match_turnout_se")
    );
    let json: serde_json::Value = serde_json::from_str(&read("tornado.json")).unwrap();
    let mut found = 0;
    for bar in json["bars"].as_array().unwrap() {
        let key = bar["key"].as_str().unwrap();
        let is_share = !(key.ends_with(".certainty") || key.starts_with("swing."));
        assert_eq!(bar.get("match_actual").is_some(), is_share, "{key}");
        assert!(bar.get("break_even").is_none());
        found += usize::from(!bar["match_actual"]["share"]["value"].is_null());
    }
    // Byrne → Sessions, Byrne → Tuberville, and Sessions's own row each reach the actual share.
    assert!(found >= 3, "{found}");
}

#[test]
fn a_sweep_and_a_tornado_of_a_first_round_in_percentages_read_tenths_of_a_vote() {
    // The median turnout of a first round written as percentages is about 100 "votes": whole
    // votes would hide its changes, and the actual turnout must read as written.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pct.toml");
    let pct = closed_form_in_percentages(0.5, 10.0)
        .replace("B = 1.0\n[transfers.C]", "B = 0.9\n[transfers.C]")
        + "[actual]\nA = 46.53\nB = 30.08\n";
    std::fs::write(&path, pct).unwrap();
    let stdout = |args: &[&str]| {
        let made = run_ok(
            runoff()
                .args(args)
                .arg(&path)
                .args(["--draws", "5000", "--quiet", "--no-charts", "--out"])
                .arg(dir.path().join(args[0])),
        );
        String::from_utf8_lossy(&made.stdout).into_owned()
    };
    let table = stdout(&["sweep", "--vary", "transfers.C.A=0.4..0.6:3"]);
    let turnouts: Vec<&str> = table
        .lines()
        .filter(|l| l.trim_start().starts_with("0.")) // the points' rows
        .filter_map(|l| l.split_whitespace().last())
        .collect();
    assert_eq!(turnouts.len(), 3, "{table}");
    for t in turnouts {
        let tenth = t.rsplit_once('.').map(|(_, d)| d.len());
        assert_eq!(tenth, Some(1), "{t} in\n{table}");
    }
    let table = stdout(&["tornado", "--match-actual"]);
    assert!(table.contains("turnout 76.61"), "{table}");
}

#[test]
fn a_misspelt_name_in_a_swept_key_gets_a_suggestion() {
    let baseline = scenarios_dir().join("01-baseline.toml");
    let baseline = baseline.to_str().unwrap();
    assert_refused(
        &[
            "sweep",
            baseline,
            "--vary",
            "transfers.\"Brad Byrne\".\"Jeff Sessions\"=0.2..0.6:3",
        ],
        "\"Brad Byrne\" is not a first-round candidate (did you mean \"Bradley Byrne\"?)",
    );
    assert_refused(
        &[
            "sweep",
            baseline,
            "--vary",
            "transfers.\"Bradley Byrne\".\"Jeff Sesions\"=0.2..0.6:3",
        ],
        "abstain or certainty (did you mean \"Jeff Sessions\"?)",
    );
}

#[test]
fn each_sweep_and_tornado_keeps_its_own_folder() {
    // Without --out: a tornado with --break-even, then one with --match-actual, then sweeps of one
    // and two keys; each earlier product is still there after the later ones.
    let dir = tempfile::tempdir().unwrap();
    let hindsight = scenarios_dir().join("04-hindsight.toml");
    let byrne = "transfers.\"Bradley Byrne\".\"Jeff Sessions\"=0.2..0.6:3";
    let runs: [&[&str]; 4] = [
        &["tornado", "--break-even"],
        &["tornado", "--match-actual"],
        &["sweep", "--vary", byrne],
        &["sweep", "--vary", byrne, "--vary", "swing.sd=0.01..0.03:2"],
    ];
    for args in runs {
        run_ok(
            runoff()
                .current_dir(dir.path())
                .arg(args[0])
                .arg(&hindsight)
                .args(&args[1..])
                .args(["--draws", "2000", "--quiet", "--no-charts"]),
        );
    }
    let out = dir.path().join("output");
    for file in [
        "tornado-04-hindsight-break-even/tornado.json",
        "tornado-04-hindsight-match-actual/tornado.json",
        "sweep-04-hindsight-transfers.Bradley-Byrne.Jeff-Sessions/sweep.csv",
        "sweep-04-hindsight-transfers.Bradley-Byrne.Jeff-Sessions-swing.sd/sweep.csv",
    ] {
        assert!(out.join(file).is_file(), "{file} is gone");
    }
}

#[test]
fn a_share_break_even_says_the_rule_that_made_room() {
    let baseline = scenarios_dir().join("01-baseline.toml");
    let dir = tempfile::tempdir().unwrap();
    let byrne = "transfers.\"Bradley Byrne\".\"Jeff Sessions\"=0.2..0.6:5";
    for (absorb, said) in [
        (None, "the row's other shares make room in proportion"),
        (
            Some("abstain"),
            "the room comes from `abstain` alone (--absorb)",
        ),
    ] {
        let mut cmd = runoff();
        cmd.arg("sweep")
            .arg(&baseline)
            .args([
                "--vary",
                byrne,
                "--draws",
                "5000",
                "--quiet",
                "--no-charts",
                "--out",
            ])
            .arg(dir.path());
        if let Some(a) = absorb {
            cmd.args(["--absorb", a]);
        }
        let table = String::from_utf8(run_ok(&mut cmd).stdout).unwrap();
        assert!(table.contains(said), "{table}");
    }
}
