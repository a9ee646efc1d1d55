//! Numeric extremes give finite, documented results (docs/reliability.md lists each outcome).

use crate::common::*;
use runoff::summary::Summary;

/// Every reported number is finite and every probability is in [0, 1].
fn assert_finite(s: &Summary, what: &str) {
    let json = serde_json::to_value(s).unwrap();
    fn walk(v: &serde_json::Value, path: &str, what: &str) {
        match v {
            serde_json::Value::Number(n) => assert!(
                n.as_f64().is_some_and(f64::is_finite),
                "{what}: {path} = {n}"
            ),
            serde_json::Value::Null => panic!("{what}: {path} is null (NaN or infinity)"),
            serde_json::Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| walk(x, &format!("{path}[{i}]"), what)),
            serde_json::Value::Object(o) => o
                .iter()
                .for_each(|(k, x)| walk(x, &format!("{path}.{k}"), what)),
            _ => {}
        }
    }
    walk(&json, "", what);
    for p in s.win_probability.values() {
        assert!((0.0..=1.0).contains(p), "{what}: {p}");
    }
    let total: f64 = s.win_probability.values().sum::<f64>() + s.tie_probability;
    assert!(
        (total - 1.0).abs() < 1e-12,
        "{what}: probabilities sum to {total}"
    );
}

#[test]
fn a_certainty_of_one_millionth_puts_every_draw_on_a_corner() {
    // Documented: each group goes wholly to A (30%) or B (70%): A wins iff C goes to A.
    let s = simulate(&scenario(&closed_form(0.3, 1e-6)), 200_000, 1);
    assert_finite(&s, "certainty 1e-6");
    let se = (0.3f64 * 0.7 / 200_000.0).sqrt();
    assert!(
        (s.win_probability["A"] - 0.3).abs() < 4.0 * se,
        "{}",
        s.win_probability["A"]
    );
}

#[test]
fn a_certainty_of_a_billion_is_deterministic_to_the_eye() {
    // Documented: the row is its mean to ~1e-5; p = 0.3 < 0.4 so B wins every draw.
    let s = simulate(&scenario(&closed_form(0.3, 1e9)), 100_000, 1);
    assert_finite(&s, "certainty 1e9");
    assert_eq!(s.win_probability["B"], 1.0);
    assert!((s.share.p50 - (110.0 + 15.0) / 260.0).abs() < 1e-4);
}

#[test]
fn a_certainty_of_a_billion_on_a_tiny_share_is_checked_and_run_at_once() {
    // Its 90% interval (a Beta of 10⁴ and 10⁹) once made `check` and `run` hang for ever.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tiny.toml");
    let src = closed_form(0.3, 1e9).replace("A = 0.3\nB = 0.7", "A = 0.00001\nB = 0.5");
    assert!(src.contains("A = 0.00001"), "{src}");
    std::fs::write(&file, src).unwrap();
    let checked = run_ok(runoff().arg("check").arg(&file));
    assert!(String::from_utf8_lossy(&checked.stdout).contains("certainty"));
    run_ok(
        runoff()
            .arg("run")
            .arg(&file)
            .args(["--draws", "1000", "--quiet", "--no-charts", "--out"])
            .arg(dir.path().join("o")),
    );
}

#[test]
fn a_finalist_with_no_first_round_votes_still_runs() {
    let src = closed_form(0.3, 10.0).replace("B = 100\nC = 50", "B = 0\nC = 50");
    let s = simulate(&scenario(&src), 50_000, 1);
    assert_finite(&s, "zero-vote finalist");
    assert_eq!(s.win_probability["A"], 1.0);
}

#[test]
fn a_trillion_votes_with_voter_noise_stay_finite() {
    let src = closed_form(0.3, 10.0).replace(
        "A = 110\nB = 100\nC = 50",
        "A = 1.1e12\nB = 1.0e12\nC = 5e11",
    ) + "[simulation]\nvoter_noise = true\n";
    let s = simulate(&scenario(&src), 20_000, 1);
    assert_finite(&s, "1e12 votes");
    let truth = 0.231787;
    assert!(
        (s.win_probability["A"] - truth).abs() < 4.0 * (truth * (1.0 - truth) / 20_000.0f64).sqrt()
    );
}

#[test]
fn five_hundred_candidates_run_and_draw() {
    let mut src = String::from("finalists = [\"C0\", \"C1\"]\n[first_round]\n");
    for i in 0..500 {
        src += &format!("C{i} = {}\n", 1000 + (i * 7919) % 5000);
    }
    src += "[transfers.C0]\nC0 = 0.9\n[transfers.C1]\nC1 = 0.9\n[default_transfer]\nC0 = 0.4\nC1 = 0.4\ncertainty = 20\n";
    let s = simulate(&scenario(&src), 20_000, 1);
    assert_finite(&s, "500 candidates");
    assert_eq!(s.sources.len(), 500);
    let png = runoff::chart::render(
        &runoff::chart::FlowsChart(&s),
        runoff::chart::ChartFormat::Png,
    )
    .unwrap();
    assert!(!png.is_empty());
}

#[test]
fn names_with_quotes_dots_emoji_and_right_to_left_text_round_trip() {
    let names = [
        "O'Brien \"The Rock\"",
        "Dr. J. R. R. Smith",
        "🗳️ Vote Bot",
        "بنيامين نتنياهو",
    ];
    let esc = |n: &str| n.replace('\\', "\\\\").replace('"', "\\\"");
    let mut src = format!(
        "finalists = [\"{}\", \"{}\"]\n[first_round]\n",
        esc(names[0]),
        esc(names[1])
    );
    for (i, n) in names.iter().enumerate() {
        src += &format!("\"{}\" = {}\n", esc(n), 100 + i);
    }
    src += &format!("[transfers.\"{0}\"]\n\"{0}\" = 1\n", esc(names[0]));
    src += &format!("[transfers.\"{0}\"]\n\"{0}\" = 1\n", esc(names[1]));
    src += &format!(
        "[default_transfer]\n\"{}\" = 0.5\n\"{}\" = 0.5\n",
        esc(names[0]),
        esc(names[1])
    );
    let s = simulate(&scenario(&src), 10_000, 1);
    assert_finite(&s, "unusual names");
    assert_eq!(s.finalists[0], names[0]);
    assert!(s.flows.iter().any(|f| f.from == names[3]));
    for chart in [
        runoff::chart::ChartFormat::Png,
        runoff::chart::ChartFormat::Svg,
    ] {
        assert!(
            !runoff::chart::render(&runoff::chart::ShareChart(&s), chart)
                .unwrap()
                .is_empty()
        );
        assert!(
            !runoff::chart::render(&runoff::chart::FlowsChart(&s), chart)
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn when_nobody_votes_every_draw_is_a_tie() {
    let src = r#"
finalists = ["A", "B"]
[first_round]
A = 10
B = 10
[transfers.A]
abstain = 1
[transfers.B]
abstain = 1
"#;
    let s = simulate(&scenario(src), 10_000, 1);
    assert_finite(&s, "no turnout");
    assert_eq!(s.ties, 10_000);
    assert_eq!(s.share.p50, 0.5);
    assert_eq!(s.turnout.votes.p95, 0.0);
    let png = runoff::chart::render(
        &runoff::chart::TurnoutChart(&s),
        runoff::chart::ChartFormat::Png,
    )
    .unwrap();
    assert!(!png.is_empty());
}

#[test]
fn certainties_down_to_the_smallest_float_still_put_draws_on_corners() {
    // Below about 1e-308 a shape's ln U / shape overflows for every component: the row is then
    // the corner with the largest ln U / mean, which is the κ → 0 limit, not 0/0.
    let draws = 100_000;
    let se = (0.3f64 * 0.7 / draws as f64).sqrt();
    for kappa in [1e-309, 1e-320, 5e-324] {
        let s = simulate(&scenario(&closed_form(0.3, kappa)), draws, 4);
        assert_finite(&s, &format!("certainty {kappa:e}"));
        let p = s.win_probability["A"];
        assert!((p - 0.3).abs() < 4.0 * se, "certainty {kappa:e}: {p}");
    }
}

#[test]
fn a_swing_of_any_size_and_any_df_stays_finite() {
    // A swing far beyond the share's range puts every draw at 0 or 1 with its sign: a coin toss.
    // A df of 5e-324 (whose half underflows to 0) is drawn as the smallest normal df: the same ±∞.
    let draws = 100_000;
    for (sd, df) in [
        (1e300, None),
        (f64::MAX, None),
        (0.05, Some(5e-324)),
        (f64::MAX, Some(5e-324)),
        (1e300, Some(1e-300)),
        (1e300, Some(1e300)),
    ] {
        let swing = match df {
            None => format!("[swing]\nsd = {sd:e}\n"),
            Some(df) => {
                format!("[swing]\nsd = {sd:e}\ndistribution = \"student-t\"\ndf = {df:e}\n")
            }
        };
        let s = simulate(&scenario(&(closed_form(0.3, 10.0) + &swing)), draws, 5);
        let what = format!("sd {sd:e}, df {df:?}");
        assert_finite(&s, &what);
        let p = s.win_probability_count.as_ref().unwrap()["A"];
        let conditional = s.win_probability["A"];
        assert!((0.0..=1.0).contains(&conditional), "{what}: {conditional}");
        if sd >= 1e300 || df.is_some_and(|d| d < 1e-300) {
            let se = (0.25 / draws as f64).sqrt();
            assert!((p - 0.5).abs() < 4.0 * se, "{what}: {p}");
            assert!(
                (conditional - 0.5).abs() < 4.0 * se,
                "{what}: {conditional}"
            );
        }
    }
}
