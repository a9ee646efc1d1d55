//! `runoff fit`: recovery of a known transfer matrix from synthetic units, interval coverage, real races, malformed data.

use crate::common::*;
use runoff::engine::rng::SeedKey;
use runoff::engine::sampler::SimplexSampler;
use runoff::fit::{self, Unit, UnitData};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// The true rows `[to A, to B, stays home]` of four sources.
const TRUTH: [[f64; 3]; 4] = [
    [0.85, 0.05, 0.10],
    [0.05, 0.80, 0.15],
    [0.40, 0.30, 0.30],
    [0.20, 0.50, 0.30],
];

/// 200 units with varied compositions; each unit's rows are drawn around the truth (Dirichlet,
/// concentration 300): unit-level heterogeneity, as in real data.
fn synthetic(seed: u64) -> UnitData {
    let key = SeedKey::new(seed);
    let composition = SimplexSampler::new(&[0.4, 0.3, 0.3], 4.0);
    let rows: Vec<SimplexSampler> = TRUTH
        .iter()
        .map(|t| SimplexSampler::new(t, 300.0))
        .collect();
    let units = (0..200u64)
        .map(|u| {
            let mut rng = key.stream(u, 0);
            let size = 2000.0 + 30_000.0 * runoff::engine::rng::open01(&mut rng);
            let c = composition.sample(&mut rng);
            // Four sources: A, B, and the third share split between C and D unevenly by unit.
            let split = runoff::engine::rng::open01(&mut rng);
            let first = vec![
                size * c[0],
                size * c[1],
                size * c[2] * split,
                size * c[2] * (1.0 - split),
            ];
            let mut runoff = [0.0; 2];
            for (i, x) in first.iter().enumerate() {
                let p = rows[i].sample(&mut key.stream(u, 1 + i as u64));
                runoff[0] += x * p[0];
                runoff[1] += x * p[1];
            }
            Unit {
                name: format!("U{u}"),
                first,
                runoff,
            }
        })
        .collect::<Vec<_>>();
    let statewide = (0..4)
        .map(|i| units.iter().map(|u: &Unit| u.first[i]).sum())
        .collect();
    UnitData {
        race: "SYNTH".into(),
        unit_column: "county".into(),
        finalists: ["A".into(), "B".into()],
        candidates: vec!["A".into(), "B".into(), "C".into(), "D".into()],
        pooled: vec![],
        statewide,
        statewide_runoff: [0, 1].map(|k| units.iter().map(|u| u.runoff[k]).sum()),
        units,
        only_first: vec![],
        only_runoff: vec![],
        empty: vec![],
        respelled: vec![],
        set_aside: vec![],
    }
}

/// A fit of `data` by `method` with the uniform prior.
fn fit_by(data: &UnitData, method: fit::Method, seed: u64) -> fit::Fit {
    let priors = fit::Priors::uniform(data.candidates.len());
    let options = fit::Options {
        method,
        priors: &priors,
        seed,
    };
    fit::fit(data, options, &|_, _| {}, &AtomicBool::new(false)).unwrap()
}

#[test]
fn a_known_transfer_matrix_is_recovered_within_four_points() {
    for method in [fit::Method::Bayes, fit::Method::Regression] {
        let f = fit_by(&synthetic(1), method, 1);
        for (row, truth) in f.rows.iter().zip(TRUTH) {
            for c in 0..3 {
                assert!(
                    (row.shares[c] - truth[c]).abs() < 0.04,
                    "{method:?} {}: {:?} vs {truth:?}",
                    row.candidate,
                    row.shares
                );
            }
        }
        assert!(f.unit_share_mae < 0.02);
    }
}

/// 200 units whose groups' rates move with the unit's composition (contextual effects: the
/// ecological fallacy's case, where the groups' aggregate pattern is not their voters'), each unit's
/// rows then drawn around its own rates (Dirichlet, concentration 300). Returns the data and the
/// true race-wide rows: each group's rates over the units, weighted by its votes.
fn contextual(seed: u64, strength: f64, drivers: [usize; 2]) -> (UnitData, Vec<[f64; 3]>) {
    let mut data = synthetic(seed);
    let key = SeedKey::new(seed ^ 0x5eed);
    let shares: Vec<Vec<f64>> = data
        .units
        .iter()
        .map(|u| {
            let n: f64 = u.first.iter().sum();
            u.first.iter().map(|v| v / n).collect()
        })
        .collect();
    let mean = |j: usize| shares.iter().map(|s| s[j]).sum::<f64>() / shares.len() as f64;
    let (mean_a, mean_b) = (mean(drivers[0]), mean(drivers[1]));
    let mut sums = [[0.0; 3]; 4];
    for (u, unit) in data.units.iter_mut().enumerate() {
        let (da, db) = (
            shares[u][drivers[0]] - mean_a,
            shares[u][drivers[1]] - mean_b,
        );
        // With drivers [0, 1]: C's voters lean to A where A is strong, D's to B where B is
        // strong, and each finalist keeps more of its voters where it is strong; with [2, 3],
        // the same shifts follow C's and D's strength instead.
        let shifts = [
            [da, 0.0, -da],
            [0.0, db, -db],
            [da, -da, 0.0],
            [-db, db, 0.0],
        ];
        let mut runoff = [0.0; 2];
        for i in 0..4 {
            let centre: Vec<f64> = (0..3)
                .map(|c| TRUTH[i][c] + strength * shifts[i][c])
                .collect();
            let centre = runoff::fit::solver::project_simplex([centre[0], centre[1], centre[2]])
                .map(|x| x.max(0.002));
            let total: f64 = centre.iter().sum();
            let centre = centre.map(|x| x / total);
            let p = SimplexSampler::new(&centre, 300.0).sample(&mut key.stream(u as u64, i as u64));
            runoff[0] += unit.first[i] * p[0];
            runoff[1] += unit.first[i] * p[1];
            for c in 0..3 {
                sums[i][c] += unit.first[i] * p[c];
            }
        }
        unit.runoff = runoff;
    }
    data.statewide_runoff = [0, 1].map(|k| data.units.iter().map(|u| u.runoff[k]).sum());
    let truth = (0..4)
        .map(|i| sums[i].map(|x| x / data.statewide[i]))
        .collect();
    (data, truth)
}

#[test]
fn written_rows_cover_the_true_rates_where_rates_move_with_the_units_composition() {
    // Issue #53: a bootstrap of the regression cannot widen a corner, and contextual effects bias
    // it; the written scenario's rows (their Beta marginals at the written certainty) must hold
    // the true race-wide rates in at least 80% of cells, with no interval of zero width.
    let cases = [
        ([0, 1], fit::Method::Bayes),
        ([0, 1], fit::Method::Regression),
        ([2, 3], fit::Method::Bayes),
    ];
    for strength in [0.0, 0.5, 1.0] {
        for (drivers, method) in cases {
            let (mut covered, mut total, mut width) = (0, 0, 0.0);
            for seed in 0..20 {
                let (data, truth) = contextual(200 + seed, strength, drivers);
                let f = fit_by(&data, method, seed);
                for (row, truth) in f.rows.iter().zip(&truth) {
                    let written = row.written();
                    for c in 0..3 {
                        let [lo, hi] =
                            runoff::stats::share_interval(written[c], row.certainty, 0.90);
                        covered += usize::from(lo <= truth[c] && truth[c] <= hi);
                        total += 1;
                        width += hi - lo;
                        if method == fit::Method::Bayes {
                            assert!(
                                hi - lo > 0.005,
                                "{}: {written:?} at {}",
                                row.candidate,
                                row.certainty
                            );
                        }
                    }
                }
            }
            let rate = covered as f64 / total as f64;
            eprintln!(
                "contextual {strength} by {drivers:?} {method:?}: covered {rate:.3}, mean width {:.3}",
                width / total as f64
            );
            match method {
                // Measured: 0.99, 0.95, 1.00 by the finalists' strength; 0.99, 1.00, 0.94 by the
                // others' (240 cells each).
                fit::Method::Bayes => assert!(rate >= 0.85, "{strength}: {rate}"),
                // The regression's bootstrap: 0.96 without contextual effects, 0.02 and 0.08 with.
                fit::Method::Regression => assert!(strength > 0.0 || rate >= 0.85),
            }
        }
    }
}

#[test]
fn ninety_percent_intervals_cover_the_truth_at_about_the_nominal_rate() {
    // 12 entries × 20 synthetic data sets.
    let (mut covered, mut total) = (0, 0);
    for seed in 0..20 {
        let f = fit_by(&synthetic(100 + seed), fit::Method::Bayes, seed);
        for (row, truth) in f.rows.iter().zip(TRUTH) {
            for ([lo, hi], t) in row.interval90.iter().zip(truth) {
                covered += usize::from(*lo <= t && t <= *hi);
                total += 1;
            }
        }
    }
    let rate = covered as f64 / total as f64;
    eprintln!("synthetic 90% interval coverage: {rate:.3} ({covered} of {total})");
    // Binomial sd of the rate at 240 entries is 0.019 (entries are correlated, so allow more).
    assert!((0.80..=0.98).contains(&rate), "coverage {rate}");
}

/// `runoff fit` of one race of the bundled county table, without charts, into `dir`: the
/// scenario it wrote.
fn fit_dev_race(race: &str, dir: &Path) -> std::path::PathBuf {
    fit_dev_race_with(race, &[], dir)
}

/// [`fit_dev_race`] with more arguments to `fit`.
fn fit_dev_race_with(race: &str, args: &[&str], dir: &Path) -> std::path::PathBuf {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/runoffs_county_dev.csv");
    run_ok(
        runoff()
            .arg("fit")
            .arg(&data)
            .args(["--race", race, "--no-charts", "--out"])
            .arg(dir.join("fit"))
            .args(args),
    );
    dir.join("fit").join(format!("{race}.toml"))
}

#[test]
fn a_fit_writes_the_same_files_on_one_thread_as_on_two() {
    // The bootstrap's resamples and the hold-out's halves are fitted on every thread; they are
    // drawn in turn from one stream, so the files cannot depend on the threads.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/runoffs_county_dev.csv");
    let dir = tempfile::tempdir().unwrap();
    let fit_on = |threads: &str| {
        let out = dir.path().join(threads);
        let printed = run_ok(
            runoff()
                .arg("fit")
                .arg(&data)
                .args([
                    "--race",
                    "TX-2012-SEN-R",
                    "--holdout",
                    "20",
                    "--threads",
                    threads,
                ])
                .arg("--out")
                .arg(&out),
        );
        let read = |name: &str| std::fs::read(out.join(name)).unwrap();
        let printed = String::from_utf8(printed.stdout).unwrap();
        (
            [
                read("TX-2012-SEN-R.toml"),
                read("fit.json"),
                read("fit.png"),
            ],
            printed.replace(&out.display().to_string(), "OUT"),
        )
    };
    let (one, two) = (fit_on("1"), fit_on("2"));
    assert!(one.0 == two.0, "the files differ between 1 and 2 threads");
    assert_eq!(one.1, two.1);
    assert!(
        one.1.contains("out of sample (20 random halves"),
        "{}",
        one.1
    );
}

#[test]
fn the_bootstrap_reports_each_resample_as_it_is_fitted() {
    let seen = std::sync::Mutex::new(Vec::new());
    let priors = fit::Priors::uniform(4);
    let options = fit::Options {
        method: fit::Method::Regression,
        priors: &priors,
        seed: 1,
    };
    fit::fit(
        &synthetic(1),
        options,
        &|done, total| seen.lock().unwrap().push((done, total)),
        &AtomicBool::new(false),
    )
    .unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable();
    let want: Vec<_> = (1..=fit::BOOTSTRAP).map(|d| (d, fit::BOOTSTRAP)).collect();
    assert_eq!(seen, want);
}

#[test]
fn a_fitted_real_race_reproduces_its_statewide_runoff_share_within_two_points() {
    let dir = tempfile::tempdir().unwrap();
    let out = fit_dev_race("GA-2010-GOV-R", dir.path());
    let run = runoff()
        .arg("run")
        .arg(&out)
        .args([
            "--draws",
            "100000",
            "--quiet",
            "--no-charts",
            "--format",
            "json",
            "--out",
        ])
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let share = json[0]["share"]["p50"].as_f64().unwrap();
    // Handel 288,516 of 579,551.
    assert!((share - 288_516.0 / 579_551.0).abs() < 0.02, "{share}");
    // The fitted file carries the runoff it was fitted to, so the run scores it.
    let actual = &json[0]["actual"];
    assert_eq!(actual["turnout_votes"], 579_551.0);
    assert!((actual["share"].as_f64().unwrap() - 288_516.0 / 579_551.0).abs() < 1e-12);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("# Method: Bayesian ecological inference"));
}

#[test]
fn a_fitted_file_runs_without_notes_even_where_a_row_is_fixed() {
    // MS-2014-SEN-R by regression: Cochran's own voters all come back (100%, with no bootstrap
    // spread). A certainty on that row would change nothing, and `run` would say so of a file
    // `fit` wrote.
    let dir = tempfile::tempdir().unwrap();
    let out = fit_dev_race_with("MS-2014-SEN-R", &["--method", "regression"], dir.path());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains(
            "\"Thad Cochran\" = 1.0000   # 90% 100.0–100.0%\nabstain = 0.0000   # 90% 0.0–0.0%\n\
             # no certainty: one share is 1, so the row is the same in every draw\n"
        ),
        "{text}"
    );
    // The corner is flagged, with the way out.
    assert!(text.contains("# at a corner with no spread"), "{text}");
    let ran = run_file(&out, 1000, dir.path());
    let stderr = String::from_utf8(ran.stderr).unwrap();
    assert!(!stderr.contains("note:"), "{stderr}");
}

#[test]
fn finalists_rows_the_units_cannot_tell_apart_are_flagged_not_pinned() {
    // Issue #53: the regression pinned Cochran's retention at 100% [100–100]. Where the two
    // finalists' rows trade off, the Bayesian fit gives them intervals and says what would
    // separate them; pooling a finalist is not on offer.
    let dir = tempfile::tempdir().unwrap();
    let out = fit_dev_race("MS-2014-SEN-R", dir.path());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        !text.contains("100.0–100.0%") && !text.contains("0.0–0.0%"),
        "{text}"
    );
    let flag = "# cannot be told from \"Chris McDaniel\" (their shares trade off, correlation";
    assert!(text.contains(flag), "{text}");
    assert!(
        text.contains("give one's row in --prior (a survey"),
        "{text}"
    );
    assert!(!text.contains("pool the two"), "{text}");
    let ran = run_file(&out, 1000, dir.path());
    let stderr = String::from_utf8(ran.stderr).unwrap();
    assert!(
        ran.status.success() && !stderr.contains("note:"),
        "{stderr}"
    );
}

#[test]
fn unpaired_units_are_reported() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/runoffs_county_dev.csv");
    let d = fit::load(&data, Some("TX-2014-LTGOV-R"), fit::DEFAULT_POOL_BELOW).unwrap();
    assert_eq!(d.only_runoff.len(), 8);
    assert!(d.only_runoff.contains(&"ZAPATA".to_string()));
    // The terminal lists them as names, the first ten of a longer list.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unpaired.csv");
    let lone: String = (0..12).map(|i| format!("X,1,Z{i},A,5\n")).collect();
    std::fs::write(&path, twelve_counties(&lone)).unwrap();
    let printed = fit_stdout(&path, dir.path());
    assert!(
        printed.contains(
            "not paired, left out of the regression: 12 with round 1 only [\"Z0\", \"Z1\", \"Z10\""
        ) && printed.contains(", … and 2 more, in fit.json]; 0 with the runoff only []"),
        "{printed}"
    );
}

#[test]
fn units_spelt_differently_in_the_two_rounds_are_paired_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spelt.csv");
    let names = [
        ("DeSoto", "DESOTO"),
        ("St. Clair", "St Clair"),
        ("Adams County", "Adams"),
    ];
    let text = twelve_counties_as(
        &|i| match names.get(i) {
            Some((one, two)) => (one.to_string(), two.to_string()),
            None => (format!("C{i}"), format!("C{i}")),
        },
        "",
    );
    std::fs::write(&path, text).unwrap();
    let d = fit::load(&path, Some("X"), 0.0).unwrap();
    assert_eq!(d.units.len(), 12);
    assert!(d.only_first.is_empty() && d.only_runoff.is_empty(), "{d:?}");
    assert_eq!(
        d.respelled,
        [
            ("Adams County".to_string(), "Adams".to_string()),
            ("DeSoto".to_string(), "DESOTO".to_string()),
            ("St. Clair".to_string(), "St Clair".to_string()),
        ]
    );
    let out = run_ok(
        runoff()
            .arg("fit")
            .arg(&path)
            .args(["--race", "X", "--no-charts", "--out"])
            .arg(dir.path().join("o")),
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains("paired despite spelling (case, dots, spaces, \"County\"): 3"),
        "{printed}"
    );
}

#[test]
fn malformed_unit_data_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("race_id,round,candidate,votes\nX,1,A,5\n", "no unit column"),
        (
            "race_id,round,county,candidate\nX,1,C1,A\n",
            "no `votes` column",
        ),
        (
            "race_id,round,county,candidate,votes\nX,1,C1,A,-3\n",
            "is not a number between 0 and 1e15",
        ),
        (
            "race_id,round,county,candidate,votes\nX,1,C1,A,x\n",
            "is not a number between 0 and 1e15",
        ),
        (
            "race_id,round,county,candidate,votes\nY,1,C1,A,5\n",
            "no race `X` (races: Y)",
        ),
        (
            "race_id,round,county,candidate,votes\nX,1,C1,A,5\nX,1,C1,B,5\nX,2,C1,A,5\nX,2,C1,Z,5\n",
            "finalist \"Z\" is missing from round 1",
        ),
        (
            "race_id,round,county,candidate,votes\nX,1,C1,A,5\nX,1,C1,B,4\nX,2,C1,A,5\nX,2,C1,B,5\n",
            "race X: only 1 unit has both rounds; a fit needs at least 3 (fix: a table of more \
             units",
        ),
        // Two spellings in one round could be two places.
        (
            "race_id,round,county,candidate,votes\nX,1,Adams,A,5\nX,1,ADAMS,B,5\n",
            "race X, round 1: county \"Adams\" and \"ADAMS\" would be paired as one place",
        ),
    ];
    // Found by mutating a real table: a blank candidate or a county with a control character
    // reached the fitted scenario, which then failed its own check ("a bug", exit 1).
    let twelve = twelve_counties("");
    let cases = cases.into_iter().map(|(t, f)| (t.to_string(), f)).chain([
        (
            twelve.replacen("X,1,C3,B,", "X,1,C3, ,", 1),
            "line 18: the candidate is empty; give every row its candidate",
        ),
        (
            twelve.replacen("X,1,C3,B,", "X,1,C\u{0}3,B,", 1),
            "line 18: the county \"C\\03\" holds a line break, tab or other control character",
        ),
    ]);
    // A candidate named like a setting could not be written in [first_round].
    let cases = cases.chain([(
        twelve.replace(",C,", ",draws,"),
        "candidate \"draws\": a scenario file uses that key for a setting",
    )]);
    for (i, (text, fragment)) in cases.enumerate() {
        let path = dir.path().join(format!("bad{i}.csv"));
        std::fs::write(&path, text).unwrap();
        let out = dir.path().join("o");
        let args: [&std::ffi::OsStr; 7] = [
            "fit".as_ref(),
            path.as_os_str(),
            "--race".as_ref(),
            "X".as_ref(),
            "--no-charts".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ];
        assert_refused(&args, fragment);
    }
    // Rows the regression cannot tell apart, which it would have answered with its starting point
    // and a bootstrap of no spread (certainty 5000): every county with one mix of candidates, and
    // a candidate whose votes are all in a county without runoff results. The Bayesian fit answers
    // them with the prior and a flag (`rows_the_units_cannot_tell_apart_stay_at_their_prior`).
    let regression_cases = [
        (
            same_mix(),
            "race X: in all 12 units of both rounds, \"B\"'s first-round share is a fixed linear \
             combination of the shares of \"A\" (as when every unit has the same mix",
        ),
        (
            twelve.replace(",C,", ",D,") + "X,1,Far,C,900\nX,1,Far,A,5\n",
            "race X: \"C\" has no first-round votes in any of the 12 units of both rounds, so the \
             regression has nothing to estimate its voters' runoff from",
        ),
    ];
    for (i, (text, fragment)) in regression_cases.into_iter().enumerate() {
        let path = dir.path().join(format!("regression{i}.csv"));
        std::fs::write(&path, text).unwrap();
        let out = dir.path().join("o");
        let args: [&std::ffi::OsStr; 9] = [
            "fit".as_ref(),
            path.as_os_str(),
            "--race".as_ref(),
            "X".as_ref(),
            "--method".as_ref(),
            "regression".as_ref(),
            "--no-charts".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ];
        assert_refused(&args, fragment);
    }
    // A scenario given for the table says which command reads it.
    let scenario = scenarios_dir().join("01-baseline.toml");
    let args: [&std::ffi::OsStr; 2] = ["fit".as_ref(), scenario.as_os_str()];
    assert_refused(
        &args,
        "01-baseline.toml: is a scenario (.toml), not a results table (fix: run it with `runoff run",
    );
}

#[test]
fn an_out_that_names_a_file_is_refused_before_anything_is_written() {
    // Issue #47: --out meant a folder for run, sweep and tornado but a file for fit and new. It is
    // a folder for every command now; a path that reads as a file says so, and `--dir`, fit's old
    // name for it, still works.
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("x.csv");
    std::fs::write(&table, twelve_counties("")).unwrap();
    let file = dir.path().join("fit").join("x.toml");
    assert_refused(
        &[
            "fit".as_ref(),
            table.as_os_str(),
            "--out".as_ref(),
            file.as_os_str(),
        ],
        "that names a .toml file, but --out is always the folder a command writes into",
    );
    assert!(!dir.path().join("fit").exists());
    // Folders that do not exist yet are made.
    let out = dir.path().join("new").join("folder");
    run_ok(
        runoff()
            .arg("fit")
            .arg(&table)
            .arg("--no-charts")
            .arg("--dir")
            .arg(&out),
    );
    assert!(out.join("X.toml").exists() && out.join("fit.json").exists());
}

#[test]
fn ctrl_c_during_a_fit_exits_130_and_writes_nothing() {
    // Found by use: `fit` went on to the end and wrote its files, exit 0. 20,000 counties and
    // 10,000 hold-out splits take about 18 s of one core's time (release build), far longer
    // than the 1.5 s before Ctrl-C on any number of cores.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("race_id,round,county,candidate,votes\n");
    for i in 0..20_000 {
        let v = 100 + i % 97;
        text += &format!(
            "X,1,C{i},A,{v}\nX,1,C{i},B,{}\nX,1,C{i},C,{}\nX,1,C{i},D,{}\n\
             X,2,C{i},A,{}\nX,2,C{i},B,{}\n",
            90 + i % 53,
            40 + i % 31,
            20 + i % 17,
            v + 15 + i % 11,
            80 + i % 41
        );
    }
    let table = dir.path().join("big.csv");
    std::fs::write(&table, text).unwrap();
    let out = dir.path().join("fit");
    let result = interrupted(&[
        "fit".as_ref(),
        table.as_os_str(),
        "--holdout".as_ref(),
        "10000".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted (Ctrl-C)"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn the_out_of_sample_check_counts_only_the_halves_it_could_fit() {
    // Found by use: halves too small to fit were skipped but still counted, so 5 counties gave
    // "fit 0.00 pts vs naive baseline 0.00 pts; fit better in 0 of 50".
    let dir = tempfile::tempdir().unwrap();
    let holdout = |table: &str, splits: &str, method: &str| {
        let path = dir.path().join("t.csv");
        std::fs::write(&path, table).unwrap();
        let out = run_ok(
            runoff()
                .arg("fit")
                .arg(&path)
                .args([
                    "--no-charts",
                    "--method",
                    method,
                    "--holdout",
                    splits,
                    "--out",
                ])
                .arg(dir.path().join("o")),
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let twelve = twelve_counties("");
    let five: String = twelve
        .lines()
        .filter(|l| !(5..12).any(|i| l.contains(&format!(",C{i},"))))
        .map(|l| format!("{l}\n"))
        .collect();
    let printed = holdout(&five, "3", "regression");
    assert!(
        printed.contains(
            "out of sample: none of the 3 random halves of the units could be fitted: fewer than \
             the 5 units (of 5) that 3 rows need"
        ),
        "{printed}"
    );
    // The Bayesian fit needs 3 units whatever the rows, and a unit left to hold out.
    let printed = holdout(&five, "40", "bayes");
    assert!(
        printed.contains("more had fewer than the 3 units (of 5) a fit needs, or none left"),
        "{printed}"
    );
    let printed = holdout(&twelve, "50", "regression");
    let line = printed
        .lines()
        .find(|l| l.contains("out of sample"))
        .unwrap();
    let used: usize = line
        .split("out of sample (")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        used < 50
            && line.contains(&format!(
                "{} more had fewer than the 5 units (of 12)",
                50 - used
            ))
            && line.ends_with(&format!(" of {used}")),
        "{line}"
    );
}

/// What `runoff fit TABLE` prints, its outputs written under `dir`/o.
fn fit_stdout(table: &Path, dir: &Path) -> String {
    let out = run_ok(
        runoff()
            .arg("fit")
            .arg(table)
            .args(["--no-charts", "--out"])
            .arg(dir.join("o")),
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A 12-county race X: A, B and C in round 1, A and B in the runoff; with `extra` rows after it.
/// Twelve counties with one mix of candidates, at twelve sizes: no unit tells the rows apart.
fn same_mix() -> String {
    let mut text = String::from("race_id,round,county,candidate,votes\n");
    for i in 1..=12 {
        text += &format!(
            "X,1,C{i},A,{}\nX,1,C{i},B,{}\nX,1,C{i},C,{}\nX,2,C{i},A,{}\nX,2,C{i},B,{}\n",
            100 * i,
            90 * i,
            40 * i,
            110 * i + i % 3,
            85 * i
        );
    }
    text
}

fn twelve_counties(extra: &str) -> String {
    twelve_counties_as(&|i| (format!("C{i}"), format!("C{i}")), extra)
}

/// [`twelve_counties`] with county `i` spelt `name(i)`: (in round 1, in the runoff).
fn twelve_counties_as(name: &dyn Fn(usize) -> (String, String), extra: &str) -> String {
    let mut text = String::from("race_id,round,county,candidate,votes\n");
    for i in 0..12 {
        let (one, two) = name(i);
        let v = 100 + 17 * i;
        text += &format!(
            "X,1,{one},A,{v}\nX,1,{one},B,{}\nX,1,{one},C,{}\n",
            90 + 5 * i,
            // Not affine in i like A and B, or every county's mix would lie on one line and the
            // three rows could not be told apart (refused since).
            40 + 3 * i + 4 * (i % 3)
        );
        text += &format!("X,2,{two},A,{}\nX,2,{two},B,{}\n", v + 15, 80 + 9 * i);
    }
    text + extra
}

#[test]
fn totals_rows_and_over_votes_are_left_out_of_the_fit_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.csv");
    std::fs::write(&clean, twelve_counties("")).unwrap();
    let want = fit::load(&clean, Some("X"), 0.0).unwrap();
    // Sums of the 12 counties: A 100·12 + 17·66, B 90·12 + 5·66, C 40·12 + 3·66 + 4·12, runoff
    // A + 15·12 and B 80·12 + 9·66.
    let totals =
        "X,1,Total,A,2322\nX,1,Total,B,1410\nX,1,Total,C,726\nX,2,Total,A,2502\nX,2,Total,B,1554\n";
    let over = "X,1,C0,Over Votes,3\nX,2,C0,Over Votes,1\nX,2,C1,UNDER VOTES,9\n";
    let path = dir.path().join("with-totals.csv");
    std::fs::write(&path, twelve_counties(&format!("{totals}{over}"))).unwrap();
    let got = fit::load(&path, Some("X"), 0.0).unwrap();
    assert_eq!(got.units, want.units);
    assert_eq!(got.statewide, want.statewide);
    assert_eq!(
        got.set_aside,
        [
            "left out \"Over Votes\" (2 rows): it counts no candidate",
            "left out \"UNDER VOTES\" (1 row): it counts no candidate",
            "round 1: left out county \"Total\" (3 rows): its votes are the sum of the other 12",
            "round 2: left out county \"Total\" (2 rows): its votes are the sum of the other 12",
        ]
    );
    // Whatever its name, a unit that is the sum of all the others is a totals row.
    let renamed = dir.path().join("renamed.csv");
    std::fs::write(
        &renamed,
        twelve_counties(&totals.replace("Total", "Statewide results")),
    )
    .unwrap();
    assert_eq!(
        fit::load(&renamed, Some("X"), 0.0).unwrap().units,
        want.units
    );
    // The terminal and fit.json say it, and --race may be left out of a table of one race.
    let printed = fit_stdout(&path, dir.path());
    assert!(
        printed.contains("round 1: left out county \"Total\" (3 rows)"),
        "{printed}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/fit.json")).unwrap()).unwrap();
    assert_eq!(json["set_aside"].as_array().map(Vec::len), Some(4));
    assert!(dir.path().join("o/X.toml").is_file());
    // No hold-out splits is not one split.
    let args: [&std::ffi::OsStr; 4] = [
        "fit".as_ref(),
        path.as_os_str(),
        "--holdout".as_ref(),
        "0".as_ref(),
    ];
    assert_refused(
        &args,
        "`0` is not a number of hold-out splits; give a whole number from 1 to 10000",
    );
    // 0.5 is outside the range the message gives.
    let args: [&std::ffi::OsStr; 3] = [
        "fit".as_ref(),
        path.as_os_str(),
        "--pool-below=0.5".as_ref(),
    ];
    assert_refused(
        &args,
        "--pool-below 0.5: the share must be at least 0 and below 0.5",
    );
    // A row named as a total that is not the sum cannot be told from a place.
    let wrong = dir.path().join("wrong.csv");
    std::fs::write(&wrong, twelve_counties(&totals.replace("2322", "2300"))).unwrap();
    let args: [&std::ffi::OsStr; 2] = ["fit".as_ref(), wrong.as_os_str()];
    assert_refused(
        &args,
        "race X, round 1: county \"Total\" reads as a totals row, but it does not add up to the \
         other 12 (\"A\": 2300 against 2322); remove the totals rows, or name the place",
    );
}

#[test]
fn precincts_named_alike_in_each_county_are_told_apart_and_county_totals_left_out() {
    // Found with a precinct table that also names each precinct's county, as precinct results
    // are published: precinct names repeat from county to county ("P0" in K0, K1 and K2), and
    // such a table was refused as having a second row for a candidate in a county.
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.csv");
    std::fs::write(&clean, twelve_counties("")).unwrap();
    // County Ci becomes precinct P(i mod 4) of county K(i div 4).
    let mut nested = String::from("race_id,round,county,precinct,candidate,votes\n");
    let mut sums = std::collections::BTreeMap::<(String, String, String), u64>::new();
    for line in twelve_counties("").lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let i: usize = f[2][1..].parse().unwrap();
        let (county, precinct) = (format!("K{}", i / 4), format!("P{}", i % 4));
        nested += &format!("X,{},{county},{precinct},{},{}\n", f[1], f[3], f[4]);
        *sums
            .entry((f[1].to_string(), county, f[3].to_string()))
            .or_default() += f[4].parse::<u64>().unwrap();
    }
    // Each county's totals row, among the precincts; and the race's, in a county of its own.
    for ((round, county, candidate), v) in &sums {
        nested += &format!("X,{round},{county},County Total,{candidate},{v}\n");
    }
    nested += "X,1,Statewide,Total,A,2322\nX,1,Statewide,Total,B,1410\nX,1,Statewide,Total,C,726\n\
               X,2,Statewide,Total,A,2502\nX,2,Statewide,Total,B,1554\n";
    let path = dir.path().join("precincts.csv");
    std::fs::write(&path, nested).unwrap();
    let want = fit::load(&clean, Some("X"), 0.0).unwrap();
    let got = fit::load(&path, Some("X"), 0.0).unwrap();
    assert_eq!(got.unit_column, "county/precinct");
    let counts = |d: &UnitData| {
        let mut v: Vec<String> = d
            .units
            .iter()
            .map(|u| format!("{:?} {:?}", u.first, u.runoff))
            .collect();
        v.sort();
        v
    };
    assert_eq!(counts(&got), counts(&want));
    assert_eq!(got.statewide, want.statewide);
    assert!(got.units.iter().any(|u| u.name == "K2 / P3"));
    assert_eq!(got.set_aside.len(), 8, "{:?}", got.set_aside);
    assert_eq!(
        got.set_aside[0],
        "round 1: left out county/precinct \"K0 / County Total\" (3 rows): its votes are the sum \
         of the other 4 of K0"
    );
    assert_eq!(
        got.set_aside[3],
        "round 1: left out county/precinct \"Statewide / Total\" (3 rows): its votes are the sum \
         of the other 12"
    );
    // Found by review: a precinct named with the join itself ("Ward 1 / P0") was taken for a
    // precinct of county "K0 / Ward 1", so K0's totals row added up to no precinct and the table
    // was refused.
    let slashed = dir.path().join("slashed.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&slashed, text.replace(",P", ",Ward 1 / P")).unwrap();
    let got = fit::load(&slashed, Some("X"), 0.0).unwrap();
    assert_eq!(counts(&got), counts(&want));
    assert!(got.units.iter().any(|u| u.name == "K2 / Ward 1 / P3"));
    assert_eq!(got.set_aside.len(), 8, "{:?}", got.set_aside);
    // Without the precinct column, the rows of a county are refused as repeated, and the fix
    // says which column is missing.
    let flat = dir.path().join("flat.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let without: String = text
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split(',').collect();
            f.remove(3);
            f.join(",") + "\n"
        })
        .collect();
    std::fs::write(&flat, without).unwrap();
    let args: [&std::ffi::OsStr; 2] = ["fit".as_ref(), flat.as_os_str()];
    assert_refused(
        &args,
        "remove one, or add a precinct column if each row is a part of the county",
    );
}

#[test]
fn a_candidate_without_a_first_round_vote_is_left_out_and_said() {
    // Found by a table listing a name on the ballot that no one voted for: pooled alone into
    // "Other", or kept with --pool-below 0, it made a row of nothing and the fit was refused.
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.csv");
    std::fs::write(&clean, twelve_counties("")).unwrap();
    let zeros: String = (0..12).map(|i| format!("X,1,C{i},D,0\n")).collect();
    let path = dir.path().join("with-d.csv");
    std::fs::write(&path, twelve_counties(&zeros)).unwrap();
    for pool_below in [0.0, 0.02] {
        let want = fit::load(&clean, Some("X"), pool_below).unwrap();
        let got = fit::load(&path, Some("X"), pool_below).unwrap();
        assert_eq!(got.candidates, want.candidates);
        assert_eq!(got.units, want.units);
        assert_eq!(
            got.set_aside,
            ["left out, no first-round votes in any unit: \"D\""]
        );
    }
}

#[test]
fn a_candidate_called_other_keeps_its_row_beside_the_pooled_one() {
    let dir = tempfile::tempdir().unwrap();
    let extra: String = (0..12)
        .map(|i| {
            format!(
                "X,1,C{i},Other,{}\nX,1,C{i},Tiny,{}\n",
                30 + i + 5 * (i % 4),
                1 + i % 2
            )
        })
        .collect();
    let path = dir.path().join("other.csv");
    std::fs::write(&path, twelve_counties(&extra)).unwrap();
    let made = run_ok(
        runoff()
            .arg("fit")
            .arg(&path)
            .args(["--no-charts", "--out"])
            .arg(dir.path().join("o")),
    );
    let out = dir.path().join("o").join("X.toml");
    let printed = String::from_utf8(made.stdout).unwrap();
    assert!(
        printed.contains("pooled into \"Other (pooled)\": Tiny"),
        "{printed}"
    );
    let s = runoff::scenario::load_file(&out).unwrap();
    let names: Vec<&str> = s.candidates.iter().map(|c| c.name.as_str()).collect();
    assert!(
        names.contains(&"Other") && names.contains(&"Other (pooled)"),
        "{names:?}"
    );
}

/// A survey-like prior for [`same_mix`]: A's voters never go to B (a structural zero), C's row
/// held by 200 respondents' worth of certainty.
const SURVEY_PRIOR: &str = r#"name = "survey"
finalists = ["A", "B"]
[first_round]
A = 100
B = 90
C = 40
[transfers.A]
A = 0.95
B = 0.0
abstain = 0.05
certainty = 100
[transfers.B]
A = 0.1
B = 0.85
abstain = 0.05
certainty = 3
[transfers.C]
A = 0.2
B = 0.5
abstain = 0.3
certainty = 200
"#;

/// Row `name`'s written shares and 90% intervals (None for a structural zero) in a fitted file.
fn written_row(text: &str, name: &str) -> Vec<(f64, Option<[f64; 2]>)> {
    let head = format!("[transfers.{name}]\n");
    let at = text
        .find(&head)
        .unwrap_or_else(|| panic!("{head} in {text}"))
        + head.len();
    text[at..]
        .lines()
        .take(3)
        .map(|line| {
            let (value, comment) = line.split_once('#').unwrap();
            let share: f64 = value.split('=').nth(1).unwrap().trim().parse().unwrap();
            let interval = comment.trim().strip_prefix("90% ").map(|iv| {
                let (lo, hi) = iv.trim_end_matches('%').split_once('–').unwrap();
                [
                    lo.parse::<f64>().unwrap() / 100.0,
                    hi.parse::<f64>().unwrap() / 100.0,
                ]
            });
            (share, interval)
        })
        .collect()
}

#[test]
fn rows_the_units_cannot_tell_apart_stay_at_their_prior() {
    // Issue #53: every county with one mix of candidates tells nothing about the rows but their
    // total. The regression refused it (`malformed_unit_data_exits_2`); the Bayesian fit leaves
    // each row near its prior with the prior's width, flags it, and says how far the data moved it.
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("same.csv");
    std::fs::write(&table, same_mix()).unwrap();
    let fit_with = |extra: &[&str], name: &str| {
        let out = dir.path().join(name);
        let printed = run_ok(
            runoff()
                .arg("fit")
                .arg(&table)
                .args(["--no-charts", "--out"])
                .arg(&out)
                .args(extra),
        );
        let text = std::fs::read_to_string(out.join("X.toml")).unwrap();
        (
            String::from_utf8(printed.stdout).unwrap(),
            text,
            out.join("X.toml"),
        )
    };
    // Uniform priors: wide rows, none at a corner, each flagged with what to do.
    let (printed, text, _) = fit_with(&[], "uniform");
    for name in ["A", "B", "C"] {
        for (share, interval) in written_row(&text, name) {
            let [lo, hi] = interval.unwrap();
            assert!(
                hi - lo > 0.2 && share > 0.0 && share < 1.0,
                "{name}: {text}"
            );
        }
    }
    assert!(printed.contains("C: weakly identified"), "{printed}");
    assert!(text.contains("# weakly identified"), "{text}");
    // The survey's rows: C stays within a point or two of its prior, its interval about the
    // prior's own (Beta(40, 160) for the share to A: 90% 15.5–24.8%), and A's zero stays zero.
    let prior = dir.path().join("survey.toml");
    std::fs::write(&prior, SURVEY_PRIOR).unwrap();
    let (printed, text, written) = fit_with(&["--prior", prior.to_str().unwrap()], "p");
    let c = written_row(&text, "C");
    for ((share, interval), want) in c.iter().zip([0.2, 0.5, 0.3]) {
        let [lo, hi] = interval.unwrap();
        assert!((share - want).abs() < 0.02, "{text}");
        assert!(hi - lo > 0.06 && hi - lo < 0.18, "{text}");
    }
    let a = written_row(&text, "A");
    assert_eq!(a[1], (0.0, None), "{text}");
    assert!(
        text.contains("\"B\" = 0.0000   # structural zero: the prior's"),
        "{text}"
    );
    assert!(
        text.contains("# prior (given): 20.0% / 50.0% / 30.0% at certainty 200; the data moved it"),
        "{text}"
    );
    // The table shows each given prior under its row, and how far the data moved it.
    assert!(printed.contains("priors from"), "{printed}");
    let prior_line = printed
        .lines()
        .filter(|l| l.trim_start().starts_with("prior "))
        .count();
    assert_eq!(prior_line, 3, "{printed}");
    assert!(printed.contains(" pts "), "{printed}");
    // And it runs as it is.
    let ran = run_file(&written, 1000, dir.path());
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
}

#[test]
fn a_prior_that_does_not_fit_the_data_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("twelve.csv");
    std::fs::write(&table, twelve_counties("")).unwrap();
    let cases = [
        (
            SURVEY_PRIOR
                .replace("\"B\"]", "\"Q\"]")
                .replace("B = ", "Q = ")
                .replace("[transfers.B]", "[transfers.Q]"),
            vec![],
            "its finalists are \"A\" and \"Q\" but the data's are \"A\" and \"B\"",
        ),
        (
            SURVEY_PRIOR.replace("C = 40", "C = 40\nD = 3") + "[transfers.D]\nA = 0.5\nB = 0.5\n",
            vec![],
            "\"D\" has a row in the prior but is not a first-round candidate of the data",
        ),
        (
            SURVEY_PRIOR.to_string(),
            vec!["--method", "regression"],
            "--prior: the regression takes no prior (fix: leave out --method regression",
        ),
    ];
    for (i, (prior, extra, fragment)) in cases.into_iter().enumerate() {
        let path = dir.path().join(format!("prior{i}.toml"));
        std::fs::write(&path, prior).unwrap();
        let out = dir.path().join("o");
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "fit".as_ref(),
            table.as_os_str(),
            "--no-charts".as_ref(),
            "--prior".as_ref(),
            path.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        assert_refused(&args, fragment);
        assert!(!out.exists());
    }
}
