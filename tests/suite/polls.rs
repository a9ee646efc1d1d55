//! Polls as evidence: the weighted answer against closed forms (a normal prior share updated by a
//! normal poll likelihood), the effective draws and the warning when polls contradict the
//! scenario, a poll of endless size, and polls carried through sweeps and the CLI's outputs.

use crate::common::*;
use runoff::polls::Evidence;
use statrs::distribution::{ContinuousCDF, Normal};

/// Deterministic transfers (every row one share) giving the first finalist a share of exactly
/// `s0` before a normal swing of `tau`: the prior share is N(s0, τ²) (clamped to [0, 1], which
/// these scenarios never reach), and `polls` (TOML) weigh it.
fn normal_prior(s0: f64, tau: f64, polls: &str) -> String {
    let a = (1000.0 * s0).round();
    format!(
        r#"
finalists = ["A", "B"]
[first_round]
A = {a}
B = {b}
[transfers.A]
A = 1
[transfers.B]
B = 1
[swing]
sd = {tau}
{polls}
"#,
        b = 1000.0 - a
    )
}

/// The closed form: with a prior N(s0, τ²) and the polls' likelihood N(μ, σ²), the share is
/// N((s0σ² + μτ²)/(σ² + τ²), σ²τ²/(σ² + τ²)), and P(A wins) = Φ((mean − 1/2)/sd).
fn posterior_win(s0: f64, tau: f64, e: Evidence) -> f64 {
    let (v, t) = (e.sd * e.sd, tau * tau);
    let mean = (s0 * v + e.share * t) / (v + t);
    let sd = (v * t / (v + t)).sqrt();
    Normal::standard().cdf((mean - 0.5) / sd)
}

#[test]
fn the_weighted_win_probability_matches_the_conjugate_closed_form() {
    let cases = [
        // s0, tau, polls
        (0.52, 0.04, "[[polls]]\nn = 600\nA = 0.47\nB = 0.43\n"),
        (
            0.48,
            0.05,
            "[[polls]]\nn = 800\nA = 0.52\nB = 0.40\n[[polls]]\nn = 400\nA = 0.50\nB = 0.44\n[poll_error]\nshared = 0.03\neach = 0.01\n",
        ),
        (
            0.55,
            0.03,
            "[[polls]]\nn = 1500\nA = 0.46\nB = 0.49\n[poll_error]\nshared = 0\neach = 0\n",
        ),
        (
            0.50,
            0.06,
            "[[polls]]\nn = 300\nA = 0.40\nB = 0.45\n[[polls]]\nn = 500\nA = 0.44\nB = 0.46\n[[polls]]\nn = 900\nA = 0.45\nB = 0.47\n",
        ),
    ];
    for (i, (s0, tau, polls)) in cases.into_iter().enumerate() {
        let sc = scenario(&normal_prior(s0, tau, polls));
        let e = Evidence::of(&sc.polls).unwrap();
        let exact = posterior_win(s0, tau, e);
        let s = simulate(&sc, 400_000, 11 + i as u64);
        let p = s.win_probability["A"];
        let se = s.win_probability_se["A"];
        assert!(
            (p - exact).abs() <= 4.0 * se + 1e-9,
            "case {i}: weighted {p} ± {se}, closed form {exact}"
        );
        // The swing integrated out against the polls is the closed form itself here (the share
        // before the swing is the same in every draw).
        let conditional = s.win_probability["A"];
        assert!(
            (conditional - exact).abs() < 1e-6,
            "case {i}: conditional {conditional}, closed form {exact}"
        );
        // Without the polls, the same draws give the prior's own probability.
        let prior = s.prior_win_probability.as_ref().unwrap()["A"];
        let prior_exact = Normal::standard().cdf((s0 - 0.5) / tau);
        let prior_se = (prior_exact * (1.0 - prior_exact) / 400_000.0).sqrt();
        assert!((prior - prior_exact).abs() < 4.0 * prior_se, "case {i}");
        let polls = s.polls.as_ref().unwrap();
        assert!((polls.combined_share - e.share).abs() < 1e-12);
        assert!(polls.effective_draws > 0.0 && polls.effective_draws <= 400_000.0);
    }
}

#[test]
fn the_weighted_share_is_the_conjugate_normal() {
    let sc = scenario(&normal_prior(
        0.50,
        0.05,
        "[[polls]]\nn = 600\nA = 0.50\nB = 0.40\n",
    ));
    let e = Evidence::of(&sc.polls).unwrap();
    let (v, t) = (e.sd * e.sd, 0.05f64 * 0.05);
    let mean = (0.5 * v + e.share * t) / (v + t);
    let sd = (v * t / (v + t)).sqrt();
    let s = simulate(&sc, 400_000, 3);
    // A quantile's standard error is about sd·√(q(1−q)/n_eff)/φ(z_q): within a tenth of a point here.
    assert!((s.share.p50 - mean).abs() < 0.001, "{} {mean}", s.share.p50);
    let p95 = mean + 1.644_853_6 * sd;
    assert!((s.share.p95 - p95).abs() < 0.002, "{} {p95}", s.share.p95);
}

#[test]
fn a_poll_of_endless_size_without_error_pins_the_share() {
    let sc = scenario(&normal_prior(
        0.50,
        0.10,
        "[[polls]]\nn = 1e9\nA = 0.55\nB = 0.45\n[poll_error]\nshared = 0\neach = 0\n",
    ));
    let s = simulate(&sc, 1_000_000, 5);
    assert!((s.share.p50 - 0.55).abs() < 2e-4, "{}", s.share.p50);
    assert!(s.share.p95 - s.share.p05 < 1e-3, "{:?}", s.share);
    assert!(s.win_probability["A"] > 0.999);
}

#[test]
fn polls_far_from_the_scenario_leave_few_effective_draws_and_a_warning() {
    // A scenario sure of 40%, polls at 65% with no error to spare: few draws come near.
    let file = normal_prior(
        0.40,
        0.02,
        "[[polls]]\nn = 5000\nA = 0.65\nB = 0.35\n[poll_error]\nshared = 0.005\neach = 0\n",
    );
    let s = simulate(&scenario(&file), 200_000, 2);
    let polls = s.polls.as_ref().unwrap();
    assert!(
        polls.effective_draws < polls.effective_draws_floor,
        "{}",
        polls.effective_draws
    );
    // And the table says so, with what to do.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.toml");
    std::fs::write(&path, &file).unwrap();
    let out = run_ok(
        runoff()
            .arg("run")
            .arg(&path)
            .args(["--draws", "200000", "--no-charts", "--quiet", "--out"])
            .arg(dir.path().join("out")),
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("warning: the polls contradict this scenario")
            && table.contains("fix: widen the scenario"),
        "{table}"
    );
    // Close polls leave most draws and say nothing.
    let near = simulate(
        &scenario(&normal_prior(
            0.52,
            0.04,
            "[[polls]]\nn = 600\nA = 0.47\nB = 0.43\n",
        )),
        200_000,
        2,
    );
    assert!(near.polls.unwrap().effective_draws > 100_000.0);
}

#[test]
fn the_bundled_polls_scenario_writes_the_polls_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(
        runoff()
            .arg("run")
            .arg(scenarios_dir().join("05-polls.toml"))
            .args(["--draws", "100000", "--quiet", "--out"])
            .arg(dir.path()),
    );
    let folder = dir.path().join("05-polls");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("summary.json")).unwrap()).unwrap();
    let polls = &json["polls"];
    assert_eq!(polls["count"], 5);
    assert_eq!(polls["polls"].as_array().unwrap().len(), 5);
    let prior = json["prior_win_probability"]["Tommy Tuberville"]
        .as_f64()
        .unwrap();
    let posterior = json["win_probability"]["Tommy Tuberville"]
        .as_f64()
        .unwrap();
    // The polls had Tuberville well ahead: they raise his chance over the baseline's.
    assert!(posterior > prior + 0.1, "{prior} → {posterior}");
    // Four of the five polls have dates: polls.png is drawn, and share.png with the prior.
    for chart in ["polls.png", "share.png"] {
        let img = image::open(folder.join(chart)).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (1400, 800), "{chart}");
    }
    // A scenario without polls draws no polls.png and writes no polls block.
    run_ok(
        runoff()
            .arg("run")
            .arg(scenarios_dir().join("01-baseline.toml"))
            .args(["--draws", "20000", "--quiet", "--out"])
            .arg(dir.path()),
    );
    let base = dir.path().join("01-baseline");
    assert!(!base.join("polls.png").exists());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(base.join("summary.json")).unwrap()).unwrap();
    assert!(json.get("polls").is_none() && json.get("prior_win_probability").is_none());
}

#[test]
fn a_sweep_of_a_scenario_with_polls_is_weighted() {
    // Sweeping the swing of a polled scenario: each point's probability is the weighted one,
    // the same as `run` gives for that point's scenario.
    let file = normal_prior(0.50, 0.04, "[[polls]]\nn = 600\nA = 0.50\nB = 0.40\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("polled.toml");
    std::fs::write(&path, &file).unwrap();
    run_ok(
        runoff()
            .arg("sweep")
            .arg(&path)
            .args([
                "--vary",
                "swing.sd=0.04..0.06:3",
                "--draws",
                "100000",
                "--quiet",
                "--out",
            ])
            .arg(dir.path().join("sweep")),
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("sweep/sweep.json")).unwrap())
            .unwrap();
    let first = &json["points"][0];
    let p = first["win"][0].as_f64().unwrap();
    let s = simulate(&scenario(&file), 100_000, 1);
    let e = Evidence::of(&scenario(&file).polls).unwrap();
    let exact = posterior_win(0.50, 0.04, e);
    assert!(
        (p - exact).abs() <= 4.0 * s.win_probability_se["A"] + 1e-12,
        "{p} {exact}"
    );
    assert!((p - s.prior_win_probability.unwrap()["A"]).abs() > 0.1);
}

#[test]
fn polls_that_leave_no_draw_standing_are_refused_with_the_fix() {
    // The scenario is certain of 30%; a poll of a million with no other error says 70%: every
    // draw's weight underflows to 0, and there is no answer to give.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.toml");
    std::fs::write(
        &path,
        normal_prior(
            0.30,
            0.0,
            "[[polls]]\nn = 1000000\nA = 0.7\nB = 0.3\n[poll_error]\nshared = 0\neach = 0\n",
        ),
    )
    .unwrap();
    let out = runoff()
        .arg("run")
        .arg(&path)
        .args(["--draws", "1000", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("zero.toml: the polls leave no draw standing") && stderr.contains("fix:"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_closed_form_estimate_agrees_with_the_weighted_count() {
    // On the bundled polls scenario (random transfers, a normal swing): the swing integrated out
    // against the polls and the plain weighted count estimate the same probability.
    let s = simulate(
        &runoff::scenario::load_file(&scenarios_dir().join("05-polls.toml")).unwrap(),
        300_000,
        4,
    );
    let a = &s.finalists[0];
    let (count, count_se) = (
        s.win_probability_count.as_ref().unwrap()[a],
        s.win_probability_count_se.unwrap(),
    );
    let (conditional, conditional_se) = (s.win_probability[a], s.win_probability_se[a]);
    let z = (count - conditional) / count_se.hypot(conditional_se);
    assert!(
        z.abs() < 4.0,
        "count {count} ± {count_se}, conditional {conditional} ± {conditional_se}"
    );
    // And it is the more precise of the two.
    assert!(conditional_se < count_se, "{conditional_se} {count_se}");
}
