//! The parallel Monte Carlo driver: fixed-size chunks with their own streams, drawn by one worker
//! per rayon thread and merged in chunk order.
//!
//! What belongs here: everything per draw (the sampler, the random streams, the SIMD gamma
//! kernels) and the accumulators that merge exactly (`tally`). Nothing here formats or writes; the
//! sampler and the SIMD kernels call each other, the one cycle the house allows inside a room.

pub mod draws;
pub mod rng;
pub mod sampler;
pub mod simd;
pub mod tally;

pub use draws::Draws;
pub use sampler::Model;
pub use tally::{Bins, Estimator, Histogram, Posterior, Tally, WinEstimate};

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Draws per chunk: the unit of parallel work and of the in-order merge of float sums.
pub const CHUNK_DRAWS: u64 = 1 << 16;

/// At most this many chunks ahead of the next one to merge, however many threads: their tallies
/// (about 1.3 MB each, mostly never touched) are all a run holds besides the total.
const MAX_AHEAD_CHUNKS: u64 = 32;

pub use crate::error::Interrupted;

/// Run `draws` draws of `model` under `seed` on the current rayon pool.
///
/// Results are bit-identical for any number of threads: every draw's random numbers depend only on
/// (seed, draw, source), and chunk tallies are merged in chunk order. `progress` is told the draws
/// merged so far; `stop` is checked before each chunk. With `precision`, the run ends at the first
/// chunk boundary where the 95% interval of both reported win probabilities is narrower than
/// ±precision: a
/// boundary that does not depend on the threads, so neither does the result.
pub fn simulate(
    model: &Model,
    draws: u64,
    seed: u64,
    precision: Option<f64>,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> Result<Tally, Interrupted> {
    simulate_saving(model, draws, seed, precision, progress, stop, None).map_err(|e| {
        // Without a sink nothing but an interruption can fail.
        e.downcast::<Interrupted>().unwrap_or(Interrupted)
    })
}

/// Where `simulate_saving` sends every chunk's draws, in draw order (only chunks the tally keeps).
/// The sink may take the columns' contents (the chunk's buffers are cleared before reuse).
pub type DrawSink<'a> = &'a (dyn Fn(&mut Draws) -> anyhow::Result<()> + Sync);

/// [`simulate`], sending each merged chunk's draws to `sink` in draw order; a sink's error ends
/// the run with it.
pub fn simulate_saving(
    model: &Model,
    draws: u64,
    seed: u64,
    precision: Option<f64>,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
    sink: Option<DrawSink>,
) -> anyhow::Result<Tally> {
    let chunks = draws.div_ceil(CHUNK_DRAWS);
    if chunks == 0 {
        return Ok(Tally::new(model));
    }
    if stop.load(Ordering::Relaxed) {
        return Err(Interrupted.into());
    }
    let threads = rayon::current_num_threads() as u64;
    // Far enough ahead that no thread waits for a slower one's chunk; near enough to bound memory
    // (a chunk's saved draws are some 10 MB, so fewer wait when they are kept).
    let ahead = if sink.is_some() {
        threads + 1
    } else {
        (4 * threads).min(MAX_AHEAD_CHUNKS)
    };
    let run = Run {
        sink,
        failed: Mutex::new(None),
        model,
        draws,
        seed,
        precision,
        chunks,
        ahead,
        claimed: AtomicU64::new(0),
        merged: AtomicU64::new(0),
        done: AtomicBool::new(false),
        merge: Mutex::new(Merge {
            total: Tally::new(model),
            pending: BTreeMap::new(),
            spare: Vec::new(),
        }),
    };
    // One worker per thread, each drawing chunk after chunk: no thread waits at a wave's end for
    // the slowest chunk (that cost 5–10% on two threads).
    rayon::scope(|s| {
        for _ in 0..threads {
            s.spawn(|_| run.work(progress, stop));
        }
    });
    if let Some(e) = run.failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    let done = run.done.load(Ordering::Acquire);
    let merge = run.merge.into_inner().unwrap_or_else(|e| e.into_inner());
    if done {
        Ok(merge.total)
    } else {
        Err(Interrupted.into())
    }
}

/// The state a run's workers share.
struct Run<'a> {
    /// Where the draws go, when they are saved.
    sink: Option<DrawSink<'a>>,
    /// The sink's error, which ends the run.
    failed: Mutex<Option<anyhow::Error>>,
    model: &'a Model,
    draws: u64,
    seed: u64,
    precision: Option<f64>,
    chunks: u64,
    /// A chunk is drawn only while it is fewer than this many chunks past `merged`.
    ahead: u64,
    /// Chunks handed out to workers so far.
    claimed: AtomicU64,
    /// Chunks merged into the total (always a prefix, in chunk order).
    merged: AtomicU64,
    /// Every chunk is merged, or the total is precise enough: nothing more is drawn.
    done: AtomicBool,
    merge: Mutex<Merge>,
}

/// The total and the chunk tallies waiting for their turn to be merged.
struct Merge {
    total: Tally,
    /// Finished chunks past the next one to merge, by chunk number, with their draws when saved.
    pending: BTreeMap<u64, (Tally, Option<Draws>)>,
    /// Tallies (and draws) to reuse: allocating 1.3 MB per chunk cost page faults and unmapping.
    spare: Vec<(Tally, Option<Draws>)>,
}

impl Run<'_> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Merge> {
        self.merge.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Draw chunks until there are none left, the run is precise enough or `stop` is set; merge
    /// every chunk that can be merged in order after each one.
    fn work(&self, progress: &(dyn Fn(u64) + Sync), stop: &AtomicBool) {
        loop {
            if stop.load(Ordering::Relaxed) || self.done.load(Ordering::Relaxed) {
                return;
            }
            let chunk = self.claimed.fetch_add(1, Ordering::Relaxed);
            if chunk >= self.chunks {
                return;
            }
            // Every earlier chunk is claimed by a worker drawing it without waiting, so this ends.
            while chunk >= self.merged.load(Ordering::Acquire) + self.ahead {
                if stop.load(Ordering::Relaxed) || self.done.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::yield_now();
            }
            let (mut tally, mut saved) =
                self.lock().spare.pop().unwrap_or_else(|| {
                    (Tally::new(self.model), self.sink.map(|_| Draws::default()))
                });
            let n = CHUNK_DRAWS.min(self.draws - chunk * CHUNK_DRAWS);
            run_chunk_saving(self.model, self.seed, chunk, n, &mut tally, saved.as_mut());
            let mut merge = self.lock();
            let Merge {
                total,
                pending,
                spare,
            } = &mut *merge;
            pending.insert(chunk, (tally, saved));
            let mut next = self.merged.load(Ordering::Relaxed);
            while let Some((t, mut d)) = pending.remove(&next) {
                // After the chunk that made the run precise, later chunks are set aside unmerged.
                if !self.done.load(Ordering::Relaxed) {
                    total.merge(&t);
                    // The draws go out in chunk order, under the lock, as the tally takes them.
                    if let (Some(sink), Some(d)) = (self.sink, &mut d)
                        && let Err(e) = sink(d)
                    {
                        *self.failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                        self.done.store(true, Ordering::Release);
                    }
                    next += 1;
                    let precise = self.precision.is_some_and(|p| precise_enough(total, p));
                    if precise || next == self.chunks {
                        self.done.store(true, Ordering::Release);
                    }
                }
                spare.push((t, d));
            }
            self.merged.store(next, Ordering::Release);
            progress(total.draws);
        }
    }
}

/// Whether both win probabilities' 95% intervals, as reported ([`Tally::win_interval95`]: the
/// conditional estimate's where a swing is drawn, else the count's), are narrower than ±`precision`.
pub fn precise_enough(t: &Tally, precision: f64) -> bool {
    t.win_estimate()
        .interval95
        .iter()
        .all(|[lo, hi]| (hi - lo) / 2.0 < precision)
}

/// One chunk: draws `chunk · CHUNK_DRAWS ..` (`n` of them) under `seed`, block by block, counted
/// into `tally` (cleared first).
pub fn run_chunk(model: &Model, seed: u64, chunk: u64, n: u64, tally: &mut Tally) {
    run_chunk_saving(model, seed, chunk, n, tally, None);
}

/// [`run_chunk`], copying every draw into `saved` (cleared first) when given.
fn run_chunk_saving(
    model: &Model,
    seed: u64,
    chunk: u64,
    n: u64,
    tally: &mut Tally,
    mut saved: Option<&mut Draws>,
) {
    let key = rng::SeedKey::new(seed);
    let kernel = simd::Kernel::detect();
    tally.clear();
    if let Some(d) = saved.as_deref_mut() {
        d.clear(model.rate_sources());
    }
    let mut block = sampler::Block::default();
    let first = chunk * CHUNK_DRAWS;
    let mut done = 0;
    while done < n {
        let size = (n - done).min(sampler::BLOCK_DRAWS as u64);
        model.draw_block(key, first + done, size as usize, kernel, &mut block, tally);
        if let Some(d) = saved.as_deref_mut() {
            model.record_block(&block, size as usize, tally.block_weights(), d);
        }
        done += size;
    }
}
