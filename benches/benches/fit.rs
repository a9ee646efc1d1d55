//! `runoff fit`'s speed (issue #53): the Bayesian fit of Texas 2012's Senate runoff by county (249
//! units paired, 254 counties) and of a synthetic race of 5,000 precincts and 6 candidates, with
//! the regression on the counties for comparison.

use criterion::{Criterion, criterion_group, criterion_main};
use runoff::fit::{self, Method, Options, Priors};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// SplitMix64: a few lines of deterministic noise, so the bench needs no data file of its own.
fn noise(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// 5,000 precincts of 6 candidates whose voters' rates move with the precinct's mix (the
/// contextual effects the Bayesian fit models), as a results table.
fn precincts(path: &Path) {
    let mut state = 53;
    let rows: [[f64; 3]; 6] = [
        [0.9, 0.02, 0.08],
        [0.03, 0.9, 0.07],
        [0.5, 0.2, 0.3],
        [0.2, 0.5, 0.3],
        [0.35, 0.35, 0.3],
        [0.1, 0.3, 0.6],
    ];
    let mut text = String::from("race_id,round,precinct,candidate,votes\n");
    for p in 0..5000 {
        let weights: Vec<f64> = (0..6)
            .map(|i| (0.2 + noise(&mut state)) / (1 + i) as f64)
            .collect();
        let size = 200.0 + 1500.0 * noise(&mut state);
        let total: f64 = weights.iter().sum();
        let first: Vec<f64> = weights.iter().map(|w| (size * w / total).round()).collect();
        let lead = first[0] / size - 0.3;
        let mut runoff = [0.0; 2];
        for (i, votes) in first.iter().enumerate() {
            let _ = writeln!(text, "X,1,P{p},C{i},{votes}");
            let to_a = (rows[i][0] + 0.4 * lead + 0.05 * (noise(&mut state) - 0.5)).clamp(0.0, 1.0);
            let to_b = (rows[i][1] - 0.2 * lead).clamp(0.0, 1.0 - to_a);
            runoff[0] += votes * to_a;
            runoff[1] += votes * to_b;
        }
        let _ = writeln!(text, "X,2,P{p},C0,{}", runoff[0].round());
        let _ = writeln!(text, "X,2,P{p},C1,{}", runoff[1].round());
    }
    std::fs::write(path, text).expect("a temporary table");
}

fn fits(c: &mut Criterion) {
    let mut group = c.benchmark_group("fit");
    group.sample_size(10);
    let stop = AtomicBool::new(false);
    let table = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/runoffs_county_dev.csv");
    let tx = fit::load(&table, Some("TX-2012-SEN-R"), fit::DEFAULT_POOL_BELOW).expect("dev race");
    let path = std::env::temp_dir().join(format!("runoff-bench-{}.csv", std::process::id()));
    precincts(&path);
    let big = fit::load(&path, Some("X"), fit::DEFAULT_POOL_BELOW).expect("synthetic race");
    let _ = std::fs::remove_file(&path);
    for (name, data, method) in [
        ("bayes TX-2012 by county", &tx, Method::Bayes),
        ("regression TX-2012 by county", &tx, Method::Regression),
        ("bayes 5,000 precincts, 6 candidates", &big, Method::Bayes),
    ] {
        let priors = Priors::uniform(data.candidates.len());
        group.bench_function(name, |b| {
            b.iter(|| {
                let options = Options {
                    method,
                    priors: &priors,
                    seed: 1,
                };
                black_box(fit::fit(data, options, &|_, _| {}, &stop).expect("a fit"))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, fits);
criterion_main!(benches);
