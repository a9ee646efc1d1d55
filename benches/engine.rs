//! Engine throughput on the bundled Alabama baseline: draws per second on one thread and on all,
//! and the floor it is compared with: the bare gamma variates every draw needs.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::distr::Distribution;
use runoff::engine::sampler::{GammaSampler, Model};
use runoff::engine::{self, rng};
use runoff::scenario;
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;

const DRAWS: u64 = 1 << 20;

fn baseline() -> scenario::Scenario {
    scenario::load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/01-baseline.toml"))
        .expect("bundled scenario")
}

fn engine_throughput(c: &mut Criterion) {
    let s = baseline();
    let model = Model::new(&s);
    let mut group = c.benchmark_group("alabama-baseline");
    group.throughput(Throughput::Elements(DRAWS));
    group.sample_size(10);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        group.bench_function(format!("draws/{threads}-threads"), |b| {
            b.iter(|| {
                pool.install(|| {
                    engine::simulate(&model, DRAWS, 1, None, &|_| {}, &AtomicBool::new(false))
                })
            })
        });
    }
    // The floor: only the gamma variates of every Dirichlet row, one thread, no bookkeeping.
    let shapes: Vec<f64> = s
        .candidates
        .iter()
        .flat_map(|c| {
            c.transfer
                .shares
                .iter()
                .filter(|&&m| m > 0.0)
                .map(move |&m| m * c.transfer.certainty)
        })
        .collect();
    let gammas: Vec<GammaSampler> = shapes.iter().map(|&a| GammaSampler::new(a)).collect();
    group.bench_function("bare-gamma-variates/1-thread", |b| {
        b.iter(|| {
            let mut rng = rng::SeedKey::new(1).stream(0, 0);
            let mut sum = 0.0;
            for _ in 0..DRAWS {
                for g in &gammas {
                    sum += g.sample(&mut rng);
                }
            }
            black_box(sum)
        })
    });
    // The two building blocks of a gamma variate, for the breakdown in docs/performance.md.
    group.bench_function("standard-normals-x21/1-thread", |b| {
        b.iter(|| {
            let mut rng = rng::SeedKey::new(1).stream(0, 0);
            let mut sum = 0.0;
            for _ in 0..DRAWS {
                for _ in 0..gammas.len() {
                    let z: f64 = rand_distr::StandardNormal.sample(&mut rng);
                    sum += z;
                }
            }
            black_box(sum)
        })
    });
    group.bench_function("uniforms-x21/1-thread", |b| {
        b.iter(|| {
            let mut rng = rng::SeedKey::new(1).stream(0, 0);
            let mut sum = 0.0;
            for _ in 0..DRAWS {
                for _ in 0..gammas.len() {
                    sum += rng::open01(&mut rng);
                }
            }
            black_box(sum)
        })
    });
    group.finish();
}

criterion_group!(benches, engine_throughput);
criterion_main!(benches);
