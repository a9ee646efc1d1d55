//! Every chart against a stored reference, pixel for pixel: the bundled baseline's five charts, the
//! polls scenario's share and polls charts, the batch's two, a one- and a two-key sweep, the tornado with its break-even and match-actual
//! charts, the backtest's reliability and PIT charts, and fit's chart. "Charts unchanged" is checked
//! here, not claimed. A change meant to alter a chart updates the references with
//! `RUNOFF_UPDATE_SNAPSHOTS=1 cargo test --test cli snapshots` (then look at every changed PNG in
//! `tests/snapshots/` before committing it).

use crate::common::*;
use std::path::{Path, PathBuf};

/// Where the references live.
fn references() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Whether this run writes the references instead of checking them.
fn updating() -> bool {
    std::env::var_os("RUNOFF_UPDATE_SNAPSHOTS").is_some_and(|v| v == "1")
}

/// The decoded pixels of a PNG file.
fn pixels(path: &Path) -> image::RgbImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8()
}

/// Check (or, when updating, store) the chart `made` as the reference `name`; a mismatch leaves
/// the new chart beside the reference as `name.new.png` and says how many pixels differ.
fn compare(made: &Path, name: &str, failures: &mut Vec<String>) {
    let reference = references().join(format!("{name}.png"));
    if updating() {
        std::fs::copy(made, &reference).unwrap();
        return;
    }
    if !reference.exists() {
        failures.push(format!(
            "{name}: no reference (make one with RUNOFF_UPDATE_SNAPSHOTS=1 cargo test --test cli snapshots)"
        ));
        return;
    }
    let (want, got) = (pixels(&reference), pixels(made));
    let differ = if want.dimensions() != got.dimensions() {
        format!(
            "size {:?}, reference {:?}",
            got.dimensions(),
            want.dimensions()
        )
    } else {
        let n = want
            .pixels()
            .zip(got.pixels())
            .filter(|(a, b)| a != b)
            .count();
        if n == 0 {
            return;
        }
        format!("{n} pixels differ")
    };
    let beside = references().join(format!("{name}.new.png"));
    std::fs::copy(made, &beside).unwrap();
    failures.push(format!(
        "{name}: {differ} (the new chart is {})",
        beside.display()
    ));
}

#[test]
fn every_chart_matches_its_stored_reference() {
    let dir = tempfile::tempdir().unwrap();
    let out = |sub: &str| dir.path().join(sub);
    let scenarios = scenarios_dir().display().to_string();
    let [baseline, hindsight] =
        ["01-baseline", "04-hindsight"].map(|f| format!("{scenarios}/{f}.toml"));
    let data = |f: &str| format!("{}/data/{f}", env!("CARGO_MANIFEST_DIR"));
    let at = |sub: &str| out(sub).display().to_string();
    let byrne = "transfers.\"Bradley Byrne\".\"Jeff Sessions\"";
    // Election night: Mississippi 2014's runoff rows of its first 30 counties as the feed.
    let table = std::fs::read_to_string(data("runoffs_county_dev.csv")).unwrap();
    let mut feed = String::from("race_id,round,county,candidate,votes\n");
    let mut counties = Vec::new();
    for line in table.lines().filter(|l| l.starts_with("MS-2014-SEN-R,2,")) {
        let county = line.split(',').nth(2).unwrap().to_string();
        if !counties.contains(&county) {
            counties.push(county.clone());
        }
        if counties.len() <= 30 && counties.last() == Some(&county) {
            feed += &line.split(',').take(5).collect::<Vec<_>>().join(",");
            feed.push('\n');
        }
    }
    std::fs::write(out("feed.csv"), feed).unwrap();
    let commands: [Vec<String>; 8] = [
        vec![
            "run".into(),
            scenarios,
            "--draws".into(),
            "20000".into(),
            "--out".into(),
            at("run"),
        ],
        vec![
            "sweep".into(),
            baseline.clone(),
            "--vary".into(),
            format!("{byrne}=0.2..0.6:9"),
            "--draws".into(),
            "10000".into(),
            "--out".into(),
            at("sweep1"),
        ],
        vec![
            "sweep".into(),
            baseline,
            "--vary".into(),
            format!("{byrne}=0.2..0.6:5"),
            "--vary".into(),
            "swing.sd=0.01..0.05:3".into(),
            "--draws".into(),
            "5000".into(),
            "--out".into(),
            at("sweep2"),
        ],
        vec![
            "tornado".into(),
            hindsight,
            "--break-even".into(),
            "--match-actual".into(),
            "--draws".into(),
            "5000".into(),
            "--out".into(),
            at("tornado"),
        ],
        vec![
            "backtest".into(),
            data("runoffs_dev.csv"),
            "--draws".into(),
            "2000".into(),
            "--out".into(),
            at("backtest"),
        ],
        vec![
            "fit".into(),
            data("runoffs_county_dev.csv"),
            "--race".into(),
            "MS-2014-SEN-R".into(),
            "--out".into(),
            at("fit"),
        ],
        vec![
            "live".into(),
            data("runoffs_county_dev.csv"),
            "--race".into(),
            "MS-2014-SEN-R".into(),
            "--returns".into(),
            at("feed.csv"),
            "--draws".into(),
            "20000".into(),
            "--out".into(),
            at("live"),
        ],
        vec![
            "replay".into(),
            data("runoffs_county_dev.csv"),
            "--race".into(),
            "MS-2014-SEN-R".into(),
            "--steps".into(),
            "8".into(),
            "--draws".into(),
            "5000".into(),
            "--out".into(),
            at("replay"),
        ],
    ];
    for args in commands {
        run_ok(runoff().args(&args).args(["--threads", "2", "--quiet"]));
    }
    let charts = [
        ("run/01-baseline/share", "baseline-share"),
        ("run/01-baseline/flows", "baseline-flows"),
        ("run/01-baseline/sankey", "baseline-sankey"),
        ("run/01-baseline/turnout", "baseline-turnout"),
        ("run/01-baseline/wins", "baseline-wins"),
        ("run/05-polls/share", "polls-share"),
        ("run/05-polls/polls", "polls-by-date"),
        ("run/win_probability", "batch-win-probability"),
        ("run/share_by_scenario", "batch-share-by-scenario"),
        ("sweep1/sweep", "sweep-one-key"),
        ("sweep2/sweep", "sweep-two-keys"),
        ("tornado/tornado", "tornado"),
        ("tornado/break-even", "tornado-break-even"),
        ("tornado/match-actual", "tornado-match-actual"),
        ("backtest/reliability", "backtest-reliability"),
        ("backtest/pit", "backtest-pit"),
        ("fit/fit", "fit"),
        ("live/live", "live"),
        ("replay/replay", "replay"),
    ];
    let mut failures = Vec::new();
    for (made, name) in charts {
        compare(&out(&format!("{made}.png")), name, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "charts changed:\n{}",
        failures.join("\n")
    );
}
