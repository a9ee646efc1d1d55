//! The parallel Monte Carlo driver: fixed-size chunks with their own streams, run by rayon in waves and merged in chunk order.

pub mod rng;
pub mod sampler;
pub mod simd;
pub mod tally;

pub use sampler::Model;
pub use tally::{Bins, Histogram, Tally};

use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Draws per chunk: the unit of parallel work and of the in-order merge of float sums.
pub const CHUNK_DRAWS: u64 = 1 << 16;

/// At most this many chunks per wave, however many threads; two waves' tallies (about 1.3 MB
/// each, mostly never touched) are held at once.
const MAX_WAVE_CHUNKS: u64 = 32;

/// The run was stopped (Ctrl-C) before all draws were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted (Ctrl-C): the work in progress wrote nothing; results written before it stay")]
pub struct Interrupted;

/// Run `draws` draws of `model` under `seed` on the current rayon pool.
///
/// Results are bit-identical for any number of threads: every draw's random numbers depend only on
/// (seed, draw, source), and chunk tallies are merged in chunk order. `progress` is told the draws
/// done after each wave; `stop` is checked between waves. With `precision`, the run ends at the first
/// chunk boundary where the 95% interval of both win probabilities is narrower than ±precision: a
/// boundary that does not depend on the threads, so neither does the result.
pub fn simulate(
    model: &Model,
    draws: u64,
    seed: u64,
    precision: Option<f64>,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> Result<Tally, Interrupted> {
    let chunks = draws.div_ceil(CHUNK_DRAWS);
    // Enough chunks in flight to keep every thread busy while bounding memory to a few per thread.
    let wave = (4 * rayon::current_num_threads() as u64).min(MAX_WAVE_CHUNKS);
    let mut total = Tally::new(model);
    if chunks == 0 {
        return Ok(total);
    }
    // Two sets of chunk tallies, allocated once: one wave is merged while the next is drawn, so
    // no thread waits for the merge (allocating 1.3 MB per chunk cost page faults and unmapping).
    let buffers = || -> Vec<Tally> { (0..wave.min(chunks)).map(|_| Tally::new(model)).collect() };
    let (mut ready, mut drawing) = (buffers(), buffers());
    let draw_wave = |start: u64, tallies: &mut [Tally]| {
        let end = (start + wave).min(chunks);
        let tallies = &mut tallies[..(end - start) as usize];
        tallies.par_iter_mut().enumerate().for_each(|(k, tally)| {
            let chunk = start + k as u64;
            run_chunk(
                model,
                seed,
                chunk,
                CHUNK_DRAWS.min(draws - chunk * CHUNK_DRAWS),
                tally,
            );
        });
    };
    if stop.load(Ordering::Relaxed) {
        return Err(Interrupted);
    }
    draw_wave(0, &mut ready);
    let mut start = 0;
    loop {
        let end = (start + wave).min(chunks);
        let more = end < chunks && !stop.load(Ordering::Relaxed);
        let wave_tallies = &ready[..(end - start) as usize];
        let (_, precise) = rayon::join(
            || {
                if more {
                    draw_wave(end, &mut drawing);
                }
            },
            || merge_in_order(&mut total, wave_tallies, precision),
        );
        progress(total.draws);
        if precise || end == chunks {
            return Ok(total);
        }
        if !more {
            return Err(Interrupted);
        }
        std::mem::swap(&mut ready, &mut drawing);
        start = end;
    }
}

/// Merge a wave's tallies into `total` in chunk order; with `precision`, stop after the first chunk
/// that makes the run precise enough and say so.
fn merge_in_order(total: &mut Tally, tallies: &[Tally], precision: Option<f64>) -> bool {
    for t in tallies {
        total.merge(t);
        if precision.is_some_and(|p| precise_enough(total, p)) {
            return true;
        }
    }
    false
}

/// Whether both win probabilities' 95% Wilson intervals are narrower than ±`precision`.
pub fn precise_enough(t: &Tally, precision: f64) -> bool {
    t.wins.iter().all(|&k| {
        let [lo, hi] = crate::stats::wilson_interval(k, t.draws, crate::stats::Z95);
        (hi - lo) / 2.0 < precision
    })
}

/// One chunk: draws `chunk · CHUNK_DRAWS ..` (`n` of them) under `seed`, block by block, counted
/// into `tally` (cleared first).
pub fn run_chunk(model: &Model, seed: u64, chunk: u64, n: u64, tally: &mut Tally) {
    let key = rng::SeedKey::new(seed);
    let kernel = simd::Kernel::detect();
    tally.clear();
    let mut block = sampler::Block::default();
    let first = chunk * CHUNK_DRAWS;
    let mut done = 0;
    while done < n {
        let size = (n - done).min(sampler::BLOCK_DRAWS as u64);
        model.draw_block(key, first + done, size as usize, kernel, &mut block, tally);
        done += size;
    }
}
