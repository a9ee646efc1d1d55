//! Random streams keyed by (seed, draw, source): SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable
//! pseudorandom number generators"), started at a hash of the three.
//!
//! Keying by draw makes every result independent of threads and chunking; keying by source gives
//! common random numbers: changing one source's assumptions (a sweep, a tornado) leaves every other
//! source's draws exactly as they were, and moves that source's draws smoothly.

use super::simd::{Kernel, mix_block};
use core::convert::Infallible;
use rand::{Rng, TryRng};

/// Recorded in every summary so that a reader knows exactly how the numbers were made.
pub const RNG_NAME: &str =
    "SplitMix64, one stream per (seed, draw, source), started at SplitMix64 hashes of the three";

/// SplitMix64's increment: output k of a stream started at `s` is `mix64(s + k·GOLDEN_GAMMA)`.
pub(crate) const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function (a strong 64-bit mixer).
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator every draw uses: a SplitMix64 stream.
#[derive(Debug, Clone)]
pub struct DrawRng {
    state: u64,
}

impl DrawRng {
    /// The stream whose next output is `mix64(state + GOLDEN_GAMMA)`.
    #[inline(always)]
    pub fn from_state(state: u64) -> Self {
        DrawRng { state }
    }

    /// Where the stream is: what `from_state` takes to carry on from here.
    #[inline(always)]
    pub fn state(&self) -> u64 {
        self.state
    }
}

/// Stream keys of one seed, computed once per run.
#[derive(Debug, Clone, Copy)]
pub struct SeedKey(u64);

impl SeedKey {
    /// The key of `seed`.
    pub fn new(seed: u64) -> Self {
        SeedKey(mix64(seed.wrapping_add(GOLDEN_GAMMA)) ^ 0x5851_F42D_4C95_7F2D)
    }

    /// The key of draw `draw`, from which each source's stream is started.
    #[inline(always)]
    pub fn draw(self, draw: u64) -> DrawKey {
        DrawKey(mix64(self.draw_word(draw)))
    }

    /// The keys of draws `first ..` into `out` (as `draw` gives them), with `kernel`.
    pub fn draws(self, kernel: Kernel, first: u64, out: &mut [DrawKey]) {
        for (d, key) in out.iter_mut().enumerate() {
            key.0 = self.draw_word(first + d as u64);
        }
        mix_block(kernel, DrawKey::words(out));
    }

    /// What is hashed into the key of draw `draw`.
    #[inline(always)]
    fn draw_word(self, draw: u64) -> u64 {
        self.0 ^ draw.wrapping_mul(GOLDEN_GAMMA)
    }

    /// The stream of source `source` in draw `draw`.
    #[inline(always)]
    pub fn stream(self, draw: u64, source: u64) -> DrawRng {
        self.draw(draw).stream(source)
    }
}

/// The starting states of source `source`'s streams in draws `keys` (as `DrawKey::stream_state`).
pub fn stream_states(kernel: Kernel, keys: &[DrawKey], source: u64, out: &mut [u64]) {
    for (state, key) in out.iter_mut().zip(keys) {
        *state = key.0 ^ source_salt(source);
    }
    mix_block(kernel, out);
}

/// What a draw key is combined with to start source `source`'s stream.
#[inline(always)]
fn source_salt(source: u64) -> u64 {
    source.wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03)
}

/// Stream keys of one draw.
#[derive(Debug, Clone, Copy)]
#[repr(transparent)]
pub struct DrawKey(u64);

impl DrawKey {
    /// The keys as their words, to hash in place.
    fn words(keys: &mut [DrawKey]) -> &mut [u64] {
        // SAFETY: DrawKey is `repr(transparent)` over u64, so the slices have the same layout.
        unsafe { core::slice::from_raw_parts_mut(keys.as_mut_ptr() as *mut u64, keys.len()) }
    }

    /// The stream of source `source` in this draw.
    #[inline(always)]
    pub fn stream(self, source: u64) -> DrawRng {
        DrawRng::from_state(self.stream_state(source))
    }

    /// The starting state of source `source`'s stream in this draw.
    #[inline(always)]
    pub fn stream_state(self, source: u64) -> u64 {
        mix64(self.0 ^ source_salt(source))
    }
}

impl TryRng for DrawRng {
    type Error = Infallible;

    #[inline(always)]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next_u64() >> 32) as u32)
    }

    #[inline(always)]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        Ok(mix64(self.state))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// A uniform variate on the open interval (0, 1): 53 random bits, centred in their cell.
#[inline(always)]
pub fn open01<R: Rng>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_draw_source_and_seed_and_repeat_exactly() {
        let first = |seed, draw, source| SeedKey::new(seed).stream(draw, source).next_u64();
        assert_eq!(first(1, 0, 0), first(1, 0, 0));
        assert_ne!(first(1, 0, 0), first(1, 1, 0));
        assert_ne!(first(1, 0, 0), first(1, 0, 1));
        assert_ne!(first(1, 0, 0), first(2, 0, 0));
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Reference values of SplitMix64 seeded with 1234567 (Vigna's splitmix64.c).
        let mut rng = DrawRng { state: 1234567 };
        assert_eq!(rng.next_u64(), 6457827717110365317);
        assert_eq!(rng.next_u64(), 3203168211198807973);
    }

    #[test]
    fn open01_never_returns_an_endpoint() {
        let mut rng = SeedKey::new(7).stream(0, 0);
        for _ in 0..100_000 {
            let u = open01(&mut rng);
            assert!(u > 0.0 && u < 1.0);
        }
    }

    #[test]
    fn first_outputs_of_neighbouring_streams_look_uniform() {
        // Mean and lag-1 correlation of the first output across 100,000 consecutive draws.
        let key = SeedKey::new(3);
        let n = 100_000;
        let xs: Vec<f64> = (0..n).map(|d| open01(&mut key.stream(d, 0))).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let cov = xs
            .windows(2)
            .map(|w| (w[0] - 0.5) * (w[1] - 0.5))
            .sum::<f64>()
            / (n - 1) as f64;
        assert!((mean - 0.5).abs() < 4.0 * (1.0 / 12.0 / n as f64).sqrt());
        assert!(cov.abs() < 4.0 / 12.0 / (n as f64).sqrt());
    }
}
