//! The engine against closed forms and symmetries, with tolerances from the Monte Carlo standard error.

use crate::common::*;
use statrs::distribution::{
    Beta, Binomial, ContinuousCDF, Discrete, DiscreteCDF, Normal, StudentsT,
};

/// |estimate − truth| < 4 SE, with SE from the truth (binomial proportion).
fn assert_within_4se(estimate: f64, truth: f64, draws: u64, what: &str) {
    let se = (truth * (1.0 - truth) / draws as f64).sqrt().max(1e-12);
    assert!(
        (estimate - truth).abs() < 4.0 * se,
        "{what}: {estimate} vs {truth} (4 SE = {})",
        4.0 * se
    );
}

#[test]
fn closed_form_win_probability_is_p_beta_above_0_4() {
    // A wins iff 110 + 50p > 100 + 50(1 − p), i.e. p > 0.4, with p ~ Beta(3, 7).
    let truth = 1.0 - Beta::new(3.0, 7.0).unwrap().cdf(0.4);
    assert!((truth - 0.231787).abs() < 1e-6, "closed form {truth}");
    let draws = 1_000_000;
    let s = simulate(&scenario(&closed_form(0.3, 10.0)), draws, 1);
    assert_within_4se(s.win_probability["A"], truth, draws, "P(A wins)");
    assert_eq!(s.ties, 0);
}

#[test]
fn closed_form_share_quantiles_match_beta_quantiles() {
    // s = (110 + 50p) / 260 is monotone in p, so its quantiles are Beta(3, 7)'s, mapped.
    let beta = Beta::new(3.0, 7.0).unwrap();
    let s = simulate(&scenario(&closed_form(0.3, 10.0)), 1_000_000, 3);
    for (q, got) in [(0.05, s.share.p05), (0.5, s.share.p50), (0.95, s.share.p95)] {
        let truth = (110.0 + 50.0 * beta.inverse_cdf(q)) / 260.0;
        // 0.0005 accuracy asked of the histogram, plus the sampling error of a quantile at 10^6 draws.
        assert!(
            (got - truth).abs() < 0.0005 + 0.0004,
            "q{q}: {got} vs {truth}"
        );
    }
    let mean_flow = s
        .flows
        .iter()
        .find(|f| f.from == "C" && f.to == "A")
        .unwrap()
        .mean_votes;
    // Var(50p) = 2500 · 0.3·0.7/11; SE of the mean at 10^6 draws.
    let se = (2500.0f64 * 0.21 / 11.0 / 1e6).sqrt();
    assert!(
        (mean_flow - 15.0).abs() < 4.0 * se,
        "mean flow C→A {mean_flow}"
    );
}

#[test]
fn swapping_the_finalists_swaps_the_probabilities() {
    let draws = 400_000;
    let forward = scenario(&closed_form(0.3, 10.0));
    let swapped = scenario(
        &closed_form(0.3, 10.0).replace(r#"finalists = ["A", "B"]"#, r#"finalists = ["B", "A"]"#),
    );
    let f = simulate(&forward, draws, 11);
    let b = simulate(&swapped, draws, 12);
    let (pa, pb) = (f.win_probability["A"], b.win_probability["A"]);
    let se = (f.win_probability_se["A"].powi(2) + b.win_probability_se["A"].powi(2)).sqrt();
    assert!(
        (pa - pb).abs() < 4.0 * se,
        "A: {pa} forward vs {pb} swapped"
    );
    assert_eq!(b.finalists, ["B".to_string(), "A".to_string()]);
    assert!((f.share.p50 - (1.0 - b.share.p50)).abs() < 0.002);
}

#[test]
fn one_hot_rows_give_exact_probabilities_and_margins() {
    let src = closed_form(1.0, 10.0);
    let s = simulate(&scenario(&src), 100_000, 1);
    assert_eq!(s.win_probability["A"], 1.0);
    assert_eq!(s.win_probability["B"], 0.0);
    assert_eq!(s.win_probability_se["A"], 0.0);
    assert_eq!(s.margin_votes.p50, 60.0);
    assert_eq!(s.margin_votes.p05, 60.0);
    assert_eq!(s.turnout.votes.p95, 260.0);
    assert_eq!(s.share.mean, 160.0 / 260.0);
}

#[test]
fn an_exact_tie_is_counted_as_a_tie() {
    let src = r#"
finalists = ["A", "B"]
[first_round]
A = 100
B = 100
C = 7
[transfers.A]
A = 1
[transfers.B]
B = 1
[transfers.C]
abstain = 1
"#;
    let s = simulate(&scenario(src), 10_000, 1);
    assert_eq!(s.ties, 10_000);
    assert_eq!(s.tie_probability, 1.0);
    assert_eq!(s.win_probability["A"], 0.0);
    assert_eq!(s.win_probability["B"], 0.0);
    assert_eq!(s.margin_votes.p50, 0.0);
}

/// Deterministic rows give A a share of 0.55; a swing of sd 0.05 then wins with P(Z > −1).
fn swing_scenario(distribution: &str) -> String {
    format!(
        r#"
finalists = ["A", "B"]
[first_round]
A = 55
B = 45
[transfers.A]
A = 1
[transfers.B]
B = 1
[swing]
sd = 0.05
distribution = "{distribution}"
df = 3
"#
    )
}

#[test]
fn a_normal_swing_wins_with_the_normal_cdf() {
    let draws = 400_000;
    let s = simulate(&scenario(&swing_scenario("normal")), draws, 5);
    let truth = Normal::new(0.0, 1.0).unwrap().cdf(1.0);
    assert_within_4se(s.win_probability["A"], truth, draws, "normal swing");
}

#[test]
fn a_student_t_swing_wins_with_the_t_cdf() {
    let draws = 400_000;
    let s = simulate(&scenario(&swing_scenario("student-t")), draws, 6);
    let truth = StudentsT::new(0.0, 1.0, 3.0).unwrap().cdf(1.0);
    assert_within_4se(s.win_probability["A"], truth, draws, "student-t swing");
}

/// 1,001 voters each pick A or B with probability 1/2 (certainty so high the row is fixed); one
/// more voter is a loyal A: A wins iff X >= 501 of the 1,001, ties iff X = 500.
const COIN_FLIPPERS: &str = r#"
finalists = ["A", "B"]
[first_round]
A = 1
B = 0
C = 1001
[transfers.A]
A = 1
[transfers.B]
B = 1
[transfers.C]
A = 0.5
B = 0.5
certainty = 1e12
[simulation]
voter_noise = true
"#;

#[test]
fn voter_noise_is_a_binomial_count_of_voters() {
    let draws = 200_000;
    let s = simulate(&scenario(COIN_FLIPPERS), draws, 9);
    let bin = Binomial::new(0.5, 1001).unwrap();
    assert_within_4se(
        s.win_probability["A"],
        1.0 - bin.cdf(500),
        draws,
        "voter noise: A wins",
    );
    assert_within_4se(s.tie_probability, bin.pmf(500), draws, "voter noise: tie");
}

#[test]
fn whole_voters_are_drawn_in_bars_of_whole_votes_that_follow_their_counts() {
    // The margin A − B = 2X − 1000 moves by 2 votes. Bars of fine bins would hold n and n + 1 of
    // its values in turn; here every bar holds the same number, and its share of the draws is
    // the binomial mass of those values.
    let draws = 200_000;
    let s = simulate(&scenario(COIN_FLIPPERS), draws, 9);
    let bars = &s.distributions.margin_votes;
    let step = bars.width as i64;
    assert_eq!(bars.width, step as f64);
    assert_eq!(step % 2, 0, "bars of {step} votes");
    let bin = Binomial::new(0.5, 1001).unwrap();
    for (i, &count) in bars.counts.iter().enumerate() {
        // The margins m in the bar, and the X = (m + 1000) / 2 that make them.
        let first = bars.lo + 1.0 + i as f64 * bars.width;
        assert_eq!(
            first.rem_euclid(2.0),
            0.0,
            "bar {i} starts at margin {first}"
        );
        let mass: f64 = (0..step / 2)
            .map(|j| bin.pmf(((first as i64 + 2 * j + 1000) / 2) as u64))
            .sum();
        assert_within_4se(count / draws as f64, mass, draws, "a bar of margins");
    }
    // The turnout is 1,002 in every draw: one bar around it.
    assert_eq!(s.distributions.turnout_votes.counts, vec![draws as f64]);
}

/// Loyal finalists' voters and 10% new voters (sd 2%) who split 30/70.
const NEW_VOTERS: &str = r#"
finalists = ["A", "B"]
[first_round]
A = 600
B = 400
[transfers.A]
A = 1
[transfers.B]
B = 1
[new_voters]
share = 0.1
sd = 0.02
A = 0.3
B = 0.7
certainty = 20
"#;

#[test]
fn new_voters_add_their_mean_size_and_split() {
    let draws = 200_000;
    let s = simulate(&scenario(NEW_VOTERS), draws, 4);
    // Truncation at 0 is 5 sds away: the mean size is 100 votes; 30 of them to A on average.
    let to_a = s
        .flows
        .iter()
        .find(|f| f.from == "New voters" && f.to == "A")
        .unwrap()
        .mean_votes;
    assert!(
        (s.turnout.votes.mean - 1100.0).abs() < 4.0 * 20.0 / (draws as f64).sqrt(),
        "turnout {}",
        s.turnout.votes.mean
    );
    assert!((to_a - 30.0).abs() < 0.5, "to A {to_a}");
}

#[test]
fn a_candidate_called_new_voters_keeps_its_flows_apart_from_the_new_voters() {
    let src = NEW_VOTERS.replace("B = 400\n", "B = 400\n\"New voters\" = 200\n")
        + "[transfers.\"New voters\"]\nA = 0.5\nB = 0.5\n";
    let draws = 200_000;
    let s = simulate(&scenario(&src), draws, 4);
    let names: Vec<&str> = s.sources.iter().map(|x| x.name.as_str()).collect();
    let new_voters = "New voters (not in round one)";
    assert_eq!(names, ["A", "B", "New voters", new_voters]);
    let to_a = |from: &str| {
        let found = s.flows.iter().find(|f| f.from == from && f.to == "A");
        found.unwrap().mean_votes
    };
    // Per draw, each flow's sd is under 15 votes (200 · sd of Beta(25, 25); 120 new voters of sd
    // 24 split by Beta(6, 14)): 4 standard errors of the mean.
    let tolerance = 4.0 * 15.0 / (draws as f64).sqrt();
    assert!((to_a("New voters") - 100.0).abs() < tolerance, "{s:?}");
    assert!((to_a(new_voters) - 36.0).abs() < tolerance, "{s:?}");
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let sc = scenario(&closed_form(0.3, 10.0));
    let run_on = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| simulate(&sc, 300_000, 77))
    };
    assert_eq!(run_on(1), run_on(3));
}

#[test]
fn the_conditional_estimator_is_exact_when_only_the_swing_is_random() {
    let s = simulate(&scenario(&swing_scenario("normal")), 10_000, 5);
    let truth = Normal::new(0.0, 1.0).unwrap().cdf(1.0);
    let p = s.win_probability["A"];
    assert!((p - truth).abs() < 1e-12, "{p} vs {truth}");
    assert_eq!(s.win_probability_se["A"], 0.0);
    let t = simulate(&scenario(&swing_scenario("student-t")), 10_000, 5);
    let truth_t = StudentsT::new(0.0, 1.0, 3.0).unwrap().cdf(1.0);
    assert!((t.win_probability["A"] - truth_t).abs() < 1e-12);
}

#[test]
fn both_estimators_agree_and_the_conditional_one_has_the_smaller_error() {
    // Random transfers and a normal swing: the two estimators of the same probability must agree
    // within 4 combined standard errors (they are positively correlated, so this is conservative).
    let src = closed_form(0.3, 10.0) + "[swing]\nsd = 0.04\n";
    let s = simulate(&scenario(&src), 400_000, 21);
    // The reported probability is the conditional one; the count is kept beside it.
    let (p, se) = (
        s.win_probability_count.as_ref().unwrap()["A"],
        s.win_probability_count_se.unwrap(),
    );
    let (pc, sec) = (s.win_probability["A"], s.win_probability_se["A"]);
    assert_eq!(s.estimator, runoff::engine::Estimator::Conditional);
    assert!(
        (p - pc).abs() < 4.0 * (se * se + sec * sec).sqrt(),
        "{p} vs {pc}"
    );
    assert!(sec < se, "conditional SE {sec} not below {se}");
    let no_swing = simulate(&scenario(&closed_form(0.3, 10.0)), 1000, 1);
    assert!(no_swing.win_probability_count.is_none());
    assert_eq!(no_swing.estimator, runoff::engine::Estimator::Count);
}

#[test]
fn a_precision_target_stops_at_a_chunk_boundary_independent_of_threads() {
    use runoff::engine::{self, CHUNK_DRAWS, Model};
    use std::sync::atomic::AtomicBool;
    let sc = scenario(&closed_form(0.3, 10.0));
    let model = Model::new(&sc);
    let run_on = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            engine::simulate(
                &model,
                100_000_000,
                1,
                Some(0.002),
                &|_| {},
                &AtomicBool::new(false),
            )
            .unwrap()
        })
    };
    let (one, three) = (run_on(1), run_on(3));
    assert_eq!(one, three);
    assert_eq!(one.draws % CHUNK_DRAWS, 0);
    let [lo, hi] = runoff::stats::wilson_interval(one.wins[0], one.draws, runoff::stats::Z95);
    assert!((hi - lo) / 2.0 < 0.002);
    // One chunk fewer would not have been precise enough: p(1−p)·1.96²/0.002² ≈ 171,000 draws.
    assert!(one.draws < 300_000 && one.draws > 100_000, "{}", one.draws);
}

#[test]
fn runs_inside_parallel_work_on_more_threads_than_cores_equal_a_run_on_one_thread() {
    // The way backtest and sweeps call the engine: many runs at once from rayon's own threads,
    // each run handing its chunks to every thread. Each must end (no worker waits on a chunk that
    // nobody draws) and equal the same run on one thread.
    use rayon::prelude::*;
    use runoff::engine::{self, CHUNK_DRAWS, Model};
    use std::sync::atomic::AtomicBool;
    let sc = scenario(&(closed_form(0.3, 10.0) + "[swing]\nsd = 0.02\n"));
    let model = Model::new(&sc);
    let draws = 40 * CHUNK_DRAWS + 123;
    let run = || engine::simulate(&model, draws, 9, None, &|_| {}, &AtomicBool::new(false));
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    };
    let alone = pool(1).install(run).unwrap();
    assert_eq!(alone.draws, draws);
    let together: Vec<_> = pool(7).install(|| (0..6).into_par_iter().map(|_| run()).collect());
    for t in together {
        assert_eq!(t.unwrap(), alone);
    }
}

#[test]
fn a_stop_ends_the_run_as_interrupted_before_every_draw_is_made() {
    use runoff::engine::{self, CHUNK_DRAWS, Interrupted, Model};
    use std::sync::atomic::{AtomicBool, Ordering};
    let model = Model::new(&scenario(&closed_form(0.3, 10.0)));
    let stop = AtomicBool::new(false);
    // Stop once a few chunks are merged, as Ctrl-C does from another thread.
    let progress = |done: u64| {
        if done >= 3 * CHUNK_DRAWS {
            stop.store(true, Ordering::Relaxed);
        }
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let run = pool.install(|| engine::simulate(&model, 1 << 40, 1, None, &progress, &stop));
    assert_eq!(run, Err(Interrupted));
    let stopped = AtomicBool::new(true);
    let before = engine::simulate(&model, 1000, 1, None, &|_| {}, &stopped);
    assert_eq!(before, Err(Interrupted));
}

/// Mean and sd of p ~ Beta(a, b) given p > x (`above`) or p < x, from the incomplete beta
/// function: E[pᵏ; p > x] = B(a + k, b)/B(a, b) · P(Beta(a + k, b) > x).
fn truncated_beta(a: f64, b: f64, x: f64, above: bool) -> (f64, f64) {
    let tail = |shape: f64| {
        let below = Beta::new(shape, b).unwrap().cdf(x);
        if above { 1.0 - below } else { below }
    };
    let p = tail(a);
    let m1 = a / (a + b) * tail(a + 1.0) / p;
    let m2 = a * (a + 1.0) / ((a + b) * (a + b + 1.0)) * tail(a + 2.0) / p;
    (m1, (m2 - m1 * m1).sqrt())
}

#[test]
fn what_each_finalists_wins_look_like_matches_the_truncated_beta() {
    // A wins iff C's share to A, p ~ Beta(3, 7), is above 0.4: over A's wins, C's mean share to A
    // is E[p | p > 0.4]; over B's, E[p | p < 0.4]. Tolerance: 4 SE of a mean of that many draws.
    let draws = 1_000_000;
    let s = simulate(&scenario(&closed_form(0.3, 10.0)), draws, 11);
    for (finalist, above) in [("A", true), ("B", false)] {
        let wins = &s.when_wins[finalist];
        let (mean, sd) = truncated_beta(3.0, 7.0, 0.4, above);
        let c_to_a = wins
            .flows
            .iter()
            .find(|f| f.from == "C" && f.to == "A")
            .unwrap();
        let se = sd / (wins.draws as f64).sqrt();
        assert!(
            (c_to_a.mean_share - mean).abs() < 4.0 * se,
            "{finalist}: {} vs {mean} (4 SE = {})",
            c_to_a.mean_share,
            4.0 * se
        );
        assert_eq!(wins.swing_mean, Some(0.0), "no swing");
    }
    // The two sets of draws make up all of them: their flows average back to the overall ones.
    let (a, b) = (&s.when_wins["A"], &s.when_wins["B"]);
    assert_eq!(a.draws + b.draws, draws);
    for (i, all) in s.flows.iter().enumerate() {
        let mixed = (a.draws as f64 * a.flows[i].mean_votes
            + b.draws as f64 * b.flows[i].mean_votes)
            / draws as f64;
        assert!((mixed - all.mean_votes).abs() < 1e-9 * all.mean_votes.max(1.0));
    }
}

#[test]
fn the_swing_over_a_finalists_wins_is_the_truncated_normal_mean() {
    // A's share is 0.55 before a N(0, 0.05²) swing, so A wins iff Z > −1: over A's wins the
    // swing's mean is 0.05·φ(1)/Φ(1), over B's −0.05·φ(1)/(1 − Φ(1)).
    let draws = 400_000;
    let s = simulate(&scenario(&swing_scenario("normal")), draws, 12);
    let z = Normal::new(0.0, 1.0).unwrap();
    let (phi, cdf) = (
        (-0.5f64).exp() / (2.0 * std::f64::consts::PI).sqrt(),
        z.cdf(1.0),
    );
    for (finalist, truth, p) in [
        ("A", 0.05 * phi / cdf, cdf),
        ("B", -0.05 * phi / (1.0 - cdf), 1.0 - cdf),
    ] {
        let wins = &s.when_wins[finalist];
        // The truncated normal's sd is below the normal's: 0.05 bounds it.
        let se = 0.05 / (p * draws as f64).sqrt();
        let got = wins.swing_mean.unwrap();
        assert!(
            (got - truth).abs() < 4.0 * se,
            "{finalist}: {got} vs {truth}"
        );
        assert!((wins.turnout_mean.unwrap() - 100.0).abs() < 1e-9);
    }
    assert!(s.swing_mean.abs() < 4.0 * 0.05 / (draws as f64).sqrt());
}

#[test]
fn a_finalist_who_wins_no_draw_has_no_means() {
    let s = simulate(&scenario(&closed_form(1.0, 10.0)), 10_000, 3);
    let b = &s.when_wins["B"];
    assert_eq!(b.draws, 0);
    assert!(b.flows.is_empty() && b.swing_mean.is_none() && b.turnout_mean.is_none());
    assert_eq!(s.when_wins["A"].flows, s.flows);
}

#[test]
fn with_voter_noise_the_wins_flows_still_add_up_to_every_voter() {
    // Abstention over a finalist's wins is each source's voters less its votes to A and B: with
    // voter noise, the whole voters that the multinomial splits.
    let src = format!(
        "{}\n[simulation]\nvoter_noise = true\n",
        closed_form(0.3, 10.0)
    )
    .replace("C = 50", "C = 50.4")
    .replace("[transfers.C]", "[transfers.C]\nabstain = 0.2")
    .replace("B = 0.7", "B = 0.5");
    let draws = 200_000;
    let s = simulate(&scenario(&src), draws, 21);
    let (a, b) = (&s.when_wins["A"], &s.when_wins["B"]);
    assert!(a.draws > 1000 && b.draws > 1000, "{} {}", a.draws, b.draws);
    for wins in [a, b] {
        let c: Vec<f64> = wins.flows[6..9].iter().map(|f| f.mean_votes).collect();
        // C's 50.4 votes are 50 whole voters.
        assert!((c.iter().sum::<f64>() - 50.0).abs() < 1e-9, "{c:?}");
    }
    let ties = s.ties;
    for (i, all) in s.flows.iter().enumerate() {
        let mixed = a.draws as f64 * a.flows[i].mean_votes + b.draws as f64 * b.flows[i].mean_votes;
        // Ties (an even split of whole voters) belong to neither; bound what they can hold.
        let gap = (mixed - draws as f64 * all.mean_votes).abs();
        assert!(
            gap <= ties as f64 * 110.0 + 1e-6 * draws as f64,
            "{}: {gap}",
            all.to
        );
    }
}

#[test]
fn where_the_actual_result_fell_is_the_closed_form_cdf() {
    // s = (110 + 50p) / 260 and the margin 100p − 40 with p ~ Beta(3, 7); the turnout is always 260.
    // An actual 130 to 120 is a share of 0.52 (p = 0.504) and a margin of 10 (p = 0.5).
    let src = closed_form(0.3, 10.0) + "[actual]\nA = 130\nB = 120\n";
    let draws = 1_000_000;
    let s = simulate(&scenario(&src), draws, 5);
    let actual = s.actual.expect("[actual] is reported");
    let beta = Beta::new(3.0, 7.0).unwrap();
    assert_eq!(actual.winner.as_deref(), Some("A"));
    assert_eq!(actual.outcome_probability, s.win_probability["A"]);
    assert!((actual.share - 0.52).abs() < 1e-12);
    assert_eq!((actual.margin_votes, actual.turnout_votes), (10.0, 250.0));
    // A percentile counts the draws below the value's histogram bin: the bin (3e-5 of share, at a
    // density under 5) adds at most 2e-4 to the binomial error.
    for (got, p, what) in [
        (actual.share_percentile, 0.504, "share"),
        (actual.margin_percentile, 0.5, "margin"),
    ] {
        let truth = beta.cdf(p);
        let se = (truth * (1.0 - truth) / draws as f64).sqrt();
        assert!(
            (got - truth).abs() < 4.0 * se + 2e-4,
            "{what} percentile {got} vs {truth}"
        );
    }
    // Below every draw: no draw's turnout is under 260.
    assert_eq!(actual.turnout_percentile, 0.0);
    let p_a = s.win_probability["A"];
    assert_eq!(actual.brier, Some((1.0 - p_a) * (1.0 - p_a)));
    // CRPS = ∫ (F(x) − 1{x ≥ 0.52})² dx with F the share's CDF, by the midpoint rule.
    let cdf = |x: f64| beta.cdf(((260.0 * x - 110.0) / 50.0).clamp(0.0, 1.0));
    let steps = 100_000;
    let crps: f64 = (0..steps)
        .map(|i| {
            let x = (i as f64 + 0.5) / steps as f64;
            let step = if x >= 0.52 { 1.0 } else { 0.0 };
            (cdf(x) - step).powi(2) / steps as f64
        })
        .sum();
    assert!(
        (actual.share_crps - crps).abs() < 2e-4,
        "CRPS {} vs {crps}",
        actual.share_crps
    );

    // A tie is scored with the tie probability, which is 0 here.
    let tie = simulate(
        &scenario(&(closed_form(0.3, 10.0) + "[actual]\nA = 5\nB = 5\n")),
        1000,
        5,
    );
    let tie = tie.actual.unwrap();
    assert_eq!((tie.winner, tie.outcome_probability), (None, 0.0));
    assert_eq!(tie.brier, None);
}

#[test]
fn the_reported_estimate_agrees_with_the_count_on_bundled_and_random_scenarios() {
    // The conditional estimate (reported) and the plain count (kept as a check) estimate the same
    // probability: within 4 combined standard errors (conservative: they are positively
    // correlated), with a normal or Student-t swing, with and without polls.
    let check = |s: &runoff::summary::Summary, what: &str| {
        let a = &s.finalists[0];
        let (p, se) = (s.win_probability[a], s.win_probability_se[a]);
        let count = s.win_probability_count.as_ref().expect(what)[a];
        // A count of every draw (or none) has a binomial error of 0, but resolves nothing finer
        // than one draw in N.
        let count_se = s.win_probability_count_se.expect(what);
        let resolved = count_se.max(1.0 / s.draws as f64);
        assert!(
            (p - count).abs() <= 4.0 * se.hypot(resolved),
            "{what}: conditional {p} ± {se}, count {count} ± {count_se}"
        );
        assert!(se <= resolved * 1.05, "{what}: {se} vs {count_se}");
    };
    for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
        let path = entry.unwrap().path();
        let sc = runoff::scenario::load_file(&path).unwrap();
        if sc.swing.sd > 0.0 {
            check(&simulate(&sc, 200_000, 3), &path.display().to_string());
        }
    }
    // Random scenarios from a fixed stream (xorshift), so a failure is reproducible.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for case in 0..24 {
        let k = 2 + (uniform() * 5.0) as usize;
        let names: Vec<String> = (0..k).map(|i| format!("C{i}")).collect();
        let mut src = "finalists = [\"C0\", \"C1\"]\n[first_round]\n".to_string();
        for n in &names {
            src += &format!("{n} = {}\n", (1000.0 + uniform() * 99_000.0).round());
        }
        for n in &names {
            let a = 0.05 + 0.6 * uniform();
            let b = (1.0 - a) * uniform();
            src += &format!(
                "[transfers.{n}]\nC0 = {a:.4}\nC1 = {b:.4}\ncertainty = {:.2}\n",
                2.0 + 200.0 * uniform()
            );
        }
        let sd = [0.005, 0.02, 0.05][case % 3];
        src += &match case % 4 {
            0 | 1 => format!("[swing]\nsd = {sd}\n"),
            _ => format!(
                "[swing]\nsd = {sd}\ndistribution = \"student-t\"\ndf = {}\n",
                [1.5, 3.0, 10.0][case % 3]
            ),
        };
        if case % 2 == 1 {
            for _ in 0..1 + case % 3 {
                let a = 0.3 + 0.3 * uniform();
                src += &format!(
                    "[[polls]]\nn = {}\nC0 = {a:.3}\nC1 = {:.3}\n",
                    (300.0 + 1200.0 * uniform()).round(),
                    (1.0 - a) * (0.8 + 0.2 * uniform())
                );
            }
        }
        let sc = scenario(&src);
        check(
            &simulate(&sc, 200_000, 7 + case as u64),
            &format!("case {case}:\n{src}"),
        );
    }
}
