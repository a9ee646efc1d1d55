//! Engine throughput on the bundled Alabama baseline: draws per second on one thread and on all,
//! and the floor it is compared with: the bare gamma variates every draw needs, with every kernel the CPU has.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use runoff::engine::sampler::{BLOCK_DRAWS, GammaSampler, Model};
use runoff::engine::simd::Kernel;
use runoff::engine::{self, rng, simd};
use runoff::scenario;
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;

const DRAWS: u64 = 1 << 20;

fn baseline() -> scenario::Scenario {
    scenario::load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/01-baseline.toml"))
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
    // The floor: only the gamma variates of every Dirichlet row and the streams they come from,
    // drawn as the engine draws them (a block of streams per row), with no bookkeeping at all.
    let rows: Vec<Vec<GammaSampler>> = s
        .candidates
        .iter()
        .map(|c| {
            let shares = c.transfer.shares.iter().filter(|&&m| m > 0.0);
            shares
                .map(|&m| GammaSampler::new(m * c.transfer.certainty))
                .collect()
        })
        .collect();
    // Every kernel the CPU has (the vector ones and the scalar one).
    for kernel in Kernel::supported() {
        group.bench_function(format!("bare-gamma-variates-{kernel:?}/1-thread"), |b| {
            let key = rng::SeedKey::new(1);
            let mut keys = vec![key.draw(0); BLOCK_DRAWS];
            let mut states = vec![0u64; BLOCK_DRAWS];
            let mut out = vec![0.0; BLOCK_DRAWS];
            b.iter(|| {
                let mut sum = 0.0;
                for block in 0..DRAWS / BLOCK_DRAWS as u64 {
                    key.draws(kernel, block * BLOCK_DRAWS as u64, &mut keys);
                    for (i, row) in rows.iter().enumerate() {
                        rng::stream_states(kernel, &keys, i as u64, &mut states);
                        for g in row {
                            simd::gamma_block(kernel, g, &mut states, &mut out);
                            sum += out[0];
                        }
                    }
                }
                black_box(sum)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, engine_throughput);
criterion_main!(benches);
