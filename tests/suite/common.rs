//! Helpers shared by the integration tests.

#![allow(dead_code)]

use runoff::engine::{self, Model};
use runoff::scenario::{Scenario, parse_str};
use runoff::summary::Summary;
use runoff::sweep::tornado::{self, Searches, TornadoResult};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// The closed-form scenario: A=110 and B=100 loyal; C=50 splits A m / B 1−m with certainty kappa.
pub fn closed_form(m: f64, kappa: f64) -> String {
    format!(
        r#"
finalists = ["A", "B"]
[first_round]
A = 110
B = 100
C = 50
[transfers.A]
A = 1.0
[transfers.B]
B = 1.0
[transfers.C]
A = {m}
B = {b}
certainty = {kappa}
"#,
        b = 1.0 - m
    )
}

/// [`closed_form`] with its first round written as percentages (42.3, 38.5, 19.2), not counts.
pub fn closed_form_in_percentages(m: f64, kappa: f64) -> String {
    let pct =
        closed_form(m, kappa).replace("A = 110\nB = 100\nC = 50", "A = 42.3\nB = 38.5\nC = 19.2");
    assert!(
        pct.contains("A = 42.3"),
        "closed_form's first round changed"
    );
    pct
}

/// Parse scenario text, panicking with the error (tests only).
pub fn scenario(src: &str) -> Scenario {
    parse_str(src, Path::new("test.toml")).unwrap_or_else(|e| panic!("{e}"))
}

/// Simulate on the global pool and summarise.
pub fn simulate(s: &Scenario, draws: u64, seed: u64) -> Summary {
    let model = Model::new(s);
    let tally = engine::simulate(&model, draws, seed, None, &|_| {}, &AtomicBool::new(false))
        .expect("not interrupted");
    Summary::new(s, &tally, seed)
}

/// The tornado of `s` (moves of 0.1) at `draws` draws per evaluation, with the searches asked for.
pub fn tornado_of(s: &Scenario, draws: u64, seed: u64, searches: Searches) -> TornadoResult {
    tornado::run(
        s,
        Some(0.1),
        draws,
        seed,
        searches,
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .expect("not interrupted")
}

/// The `runoff` binary.
pub fn runoff() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("runoff").expect("binary built")
}

/// The bundled scenarios folder.
pub fn scenarios_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Run `runoff` with `args` and check that it refuses them: exit code 2 and `fragment` on stderr.
pub fn assert_refused<S: AsRef<std::ffi::OsStr>>(args: &[S], fragment: &str) {
    let result = runoff().args(args).output().expect("runoff runs");
    let stderr = String::from_utf8_lossy(&result.stderr);
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    assert_eq!(result.status.code(), Some(2), "{shown:?}: {stderr}");
    assert!(
        stderr.contains(fragment),
        "{shown:?}: expected «{fragment}» in {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{shown:?}: {stderr}");
}

/// Run a prepared `runoff` command and check that it succeeds, showing its stderr if not.
pub fn run_ok(command: &mut assert_cmd::Command) -> std::process::Output {
    let result = command.output().expect("runoff runs");
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    result
}

/// `runoff run FILE` at `draws` draws, quietly and without charts, into `dir/o`; it must succeed.
pub fn run_file(file: &std::path::Path, draws: u64, dir: &std::path::Path) -> std::process::Output {
    run_ok(
        runoff()
            .arg("run")
            .arg(file)
            .args([
                "--draws",
                &draws.to_string(),
                "--no-charts",
                "--quiet",
                "--out",
            ])
            .arg(dir.join("o")),
    )
}

/// Run `runoff ARGS`, send it Ctrl-C (SIGINT) after 1.5 s, and return what it printed and its exit
/// status; the command must last longer than that.
pub fn interrupted<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> std::process::Output {
    use std::process::{Command, Stdio};
    let child = Command::new(assert_cmd::cargo::cargo_bin!("runoff"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success(), "the command ended before Ctrl-C");
    child.wait_with_output().unwrap()
}
