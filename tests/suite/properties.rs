//! Property tests: structurally valid but extreme scenarios always simulate to finite numbers, and no text makes the loader panic.

use crate::common::*;
use proptest::prelude::*;
use std::path::Path;

/// A share vector on the simplex with some exact zeros.
fn simplex() -> impl Strategy<Value = [f64; 3]> {
    (0.0f64..1.0, 0.0f64..1.0, 0.0f64..1.0, 0u8..8).prop_map(|(a, b, c, zeros)| {
        let mut v = [a, b, c];
        for (k, x) in v.iter_mut().enumerate() {
            if zeros & (1 << k) != 0 {
                *x = 0.0;
            }
        }
        if v.iter().sum::<f64>() == 0.0 {
            v[2] = 1.0;
        }
        let t: f64 = v.iter().sum();
        v.map(|x| x / t)
    })
}

fn certainty() -> impl Strategy<Value = f64> {
    (-6.0f64..9.0).prop_map(|e| 10f64.powf(e))
}

fn votes() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        0.0f64..1e4,
        (0.0f64..12.0).prop_map(|e| 10f64.powf(e).round())
    ]
}

prop_compose! {
    fn extreme_scenario()(
        rows in prop::collection::vec((votes(), simplex(), certainty()), 2..25),
        new_share in prop_oneof![Just(0.0), 0.0f64..2.0],
        new_sd in 0.0f64..1.0,
        split in 0.0f64..1.0,
        swing_sd in prop_oneof![Just(0.0), 0.0f64..1.0],
        t in any::<bool>(),
        df in 0.01f64..100.0,
        noise in any::<bool>(),
    ) -> String {
        let mut src = String::from("finalists = [\"C0\", \"C1\"]\n[first_round]\n");
        for (i, (v, _, _)) in rows.iter().enumerate() {
            // The first-round total must be positive: the first candidate always has a vote.
            src += &format!("C{i} = {:?}\n", if i == 0 { v.max(1.0) } else { *v });
        }
        for (i, (_, m, k)) in rows.iter().enumerate() {
            src += &format!("[transfers.C{i}]\nC0 = {:?}\nC1 = {:?}\nabstain = {:?}\ncertainty = {:?}\n", m[0], m[1], m[2], k);
        }
        src += &format!("[new_voters]\nshare = {new_share:?}\nsd = {new_sd:?}\nC0 = {split:?}\nC1 = {:?}\n", 1.0 - split);
        src += &format!("[swing]\nsd = {swing_sd:?}\ndistribution = \"{}\"\ndf = {df:?}\n", if t { "student-t" } else { "normal" });
        src += &format!("[simulation]\nvoter_noise = {noise}\n");
        src
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn extreme_but_valid_scenarios_give_finite_results(src in extreme_scenario()) {
        let s = runoff::scenario::parse_str(&src, Path::new("p.toml")).map_err(|e| TestCaseError::fail(format!("{e}\n{src}")))?;
        let summary = simulate(&s, 3000, 1);
        let p: f64 = summary.win_probability.values().sum::<f64>() + summary.tie_probability;
        prop_assert!((p - 1.0).abs() < 1e-12);
        for q in [&summary.share, &summary.margin_votes, &summary.turnout.votes] {
            for x in [q.mean, q.p05, q.p25, q.p50, q.p75, q.p95] {
                prop_assert!(x.is_finite(), "{x} in\n{src}");
            }
            prop_assert!(q.p05 <= q.p50 && q.p50 <= q.p95);
        }
        prop_assert!(summary.share.p05 >= 0.0 && summary.share.p95 <= 1.0);
        prop_assert!(summary.flows.iter().all(|f| f.mean_votes.is_finite() && f.mean_share.is_finite()));
    }

    #[test]
    fn no_text_makes_the_loader_panic(src in "\\PC{0,400}") {
        let _ = runoff::scenario::parse_str(&src, Path::new("p.toml"));
    }

    #[test]
    fn mutated_valid_files_never_panic(cut in 0usize..400, insert in "[\\[\\]=\"0-9a-z.,\\n -]{0,12}") {
        let base = closed_form(0.3, 10.0);
        let at = cut.min(base.len());
        let at = (0..=at).rev().find(|&i| base.is_char_boundary(i)).unwrap_or(0);
        let src = format!("{}{}{}", &base[..at], insert, &base[at..]);
        let _ = runoff::scenario::parse_str(&src, Path::new("p.toml"));
    }
}
