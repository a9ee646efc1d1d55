//! Election night's speed (issue #49): one `live` update of Texas 2012's 254 counties with half of
//! them counted, and a 20-step replay of Georgia 2010's 159, both at the default draws.

use criterion::{Criterion, criterion_group, criterion_main};
use runoff::live::{self, Returns, replay};
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn race(id: &str) -> (live::Race, runoff::scenario::Scenario, [String; 2]) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/runoffs_county_dev.csv");
    let race = live::load_race(&data, Some(id)).expect("dev race");
    let finalists = live::finalists(&race, &race.runoff_candidates, None).expect("two finalists");
    let prior = live::prior(&race, &finalists, None).expect("default prior");
    (race, prior, finalists)
}

fn night(c: &mut Criterion) {
    let mut group = c.benchmark_group("election-night");
    group.sample_size(10);
    let (tx, tx_prior, tx_finalists) = race("TX-2012-SEN-R");
    let mut returns = Returns::none(tx.units.len());
    for i in (0..tx.units.len()).step_by(2) {
        if let Some(votes) = &tx.runoff[i] {
            let k = |f: &String| tx.runoff_candidates.iter().position(|c| c == f).unwrap();
            returns.count(i, [votes[k(&tx_finalists[0])], votes[k(&tx_finalists[1])]]);
        }
    }
    group.bench_function("live TX-2012 254 counties, half counted", |b| {
        b.iter(|| {
            black_box(live::project(
                &tx,
                &tx_prior,
                "default prior",
                &tx_finalists,
                &returns,
                live::DEFAULT_DRAWS,
                1,
            ))
        })
    });
    let (ga, ga_prior, ga_finalists) = race("GA-2010-GOV-R");
    let stop = AtomicBool::new(false);
    group.bench_function("replay GA-2010 159 counties, 20 steps", |b| {
        b.iter(|| {
            black_box(
                replay::replay(
                    &ga,
                    &ga_prior,
                    "default prior",
                    &ga_finalists,
                    replay::Order::Random,
                    20,
                    live::DEFAULT_DRAWS,
                    1,
                    &|_, _| {},
                    &stop,
                )
                .expect("replay"),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, night);
criterion_main!(benches);
