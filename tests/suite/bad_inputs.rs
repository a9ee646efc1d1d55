//! Every malformed file in tests/fixtures/bad is refused with exit code 2, a message that names the file and says what is wrong, and no output.

use crate::common::runoff;
use std::path::Path;

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

/// Run one bad file, check exit code, message fragment and that nothing was written.
fn check_refused(file: &Path, code: i32, fragment: &str) {
    let out = tempfile::tempdir().unwrap();
    let result = runoff()
        .arg("run")
        .arg(file)
        .arg("--draws")
        .arg("1000")
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    let name = file.file_name().unwrap().to_string_lossy();
    assert_eq!(result.status.code(), Some(code), "{name}: {stderr}");
    assert!(
        stderr.contains(fragment),
        "{name}: expected «{fragment}» in:\n{stderr}"
    );
    assert!(
        stderr.contains(&*name),
        "{name}: the message does not name the file:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert!(result.stdout.is_empty(), "{name}: printed results");
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "{name}: wrote output"
    );
}

#[test]
fn every_malformed_file_is_refused_with_its_message_and_no_output() {
    let manifest = std::fs::read_to_string(fixtures().join("expected.tsv")).unwrap();
    let mut checked = 0;
    for line in manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "bad manifest line: {line}");
        check_refused(&fixtures().join(cols[0]), cols[1].parse().unwrap(), cols[2]);
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} malformed files");
}

#[test]
fn a_ten_megabyte_file_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("huge.toml");
    let line = "# padding padding padding padding padding padding padding padding padding\n";
    std::fs::write(&big, line.repeat(10 * 1024 * 1024 / line.len() + 1)).unwrap();
    check_refused(&big, 2, "scenario files are at most");
}

#[test]
fn a_scenario_error_reports_line_and_column() {
    let result = runoff()
        .arg("check")
        .arg(fixtures().join("shares-do-not-sum.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("shares-do-not-sum.toml:16:1"), "{stderr}");
    assert!(stderr.contains("fix:"), "{stderr}");
}

#[test]
fn a_batch_runs_the_valid_scenarios_and_exits_2_for_the_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let good = crate::common::closed_form(0.3, 10.0);
    std::fs::write(dir.path().join("a-good.toml"), &good).unwrap();
    std::fs::write(
        dir.path().join("b-bad.toml"),
        good.replace("certainty = 10", "certainty = 0"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = runoff()
        .args(["run", "--draws", "2000", "--no-charts", "--out"])
        .arg(&out)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    assert!(out.join("a-good/summary.json").exists());
    assert!(!out.join("b-bad").exists());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("b-bad.toml") && stderr.contains("certainty is 0"),
        "{stderr}"
    );
}

#[test]
fn a_scenario_name_on_several_lines_titles_on_one() {
    let src = format!(
        "name = \"Line one\\nLine\\ttwo  \\u0007\"\n{}",
        crate::common::closed_form(0.5, 20.0)
    );
    assert_eq!(crate::common::scenario(&src).name, "Line one Line two");
}
