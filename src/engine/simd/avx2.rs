//! The AVX2 kernels: four lanes per instruction, for the many x86-64 CPUs without AVX-512.
//!
//! The same first try as the AVX-512 kernel, operation for operation. What AVX2 lacks is built
//! from what it has, exactly: a 64-bit multiply from three 32×32-bit ones, the 53-bit integer to
//! double conversion and the logarithm's exponent from the bits of 2⁵² and 2⁸⁴, and masks from
//! comparisons (vector lanes of all ones) and their sign bits (`movemask`).

use super::super::rng::GOLDEN_GAMMA;
use super::{GammaSampler, ZIG_NORM_X, scalar};
use core::arch::x86_64::*;

/// `masked_sums`, its eight partial sums vectorised by the compiler (the same multiplications and
/// additions in the same order, so the same result).
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub unsafe fn masked_sums(x: &[f64], a: &[f64], b: &[f64]) -> [f64; 2] {
    super::masked_sums_in_lanes(x, a, b)
}

/// `z · k` modulo 2⁶⁴ on four lanes: low·low + 2³²·(high·low + low·high).
#[inline]
#[target_feature(enable = "avx2")]
fn mul64(z: __m256i, k: u64) -> __m256i {
    let k_low = _mm256_set1_epi64x((k & 0xffff_ffff) as i64);
    let k_high = _mm256_set1_epi64x((k >> 32) as i64);
    let low = _mm256_mul_epu32(z, k_low);
    let cross = _mm256_add_epi64(
        _mm256_mul_epu32(_mm256_srli_epi64::<32>(z), k_low),
        _mm256_mul_epu32(z, k_high),
    );
    _mm256_add_epi64(low, _mm256_slli_epi64::<32>(cross))
}

/// The SplitMix64 output function on four lanes.
#[inline]
#[target_feature(enable = "avx2")]
fn mix64(z: __m256i) -> __m256i {
    let z = _mm256_xor_si256(z, _mm256_srli_epi64::<30>(z));
    let z = mul64(z, 0xBF58_476D_1CE4_E5B9);
    let z = _mm256_xor_si256(z, _mm256_srli_epi64::<27>(z));
    let z = mul64(z, 0x94D0_49BB_1331_11EB);
    _mm256_xor_si256(z, _mm256_srli_epi64::<31>(z))
}

/// Integers below 2⁵³ as doubles, exactly: the high 21 bits as a multiple of 2³² (in the mantissa
/// of 2⁸⁴) plus the low 32 (in the mantissa of 2⁵²); both parts and their sum are exact.
#[inline]
#[target_feature(enable = "avx2")]
fn u53_to_f64(n: __m256i) -> __m256d {
    let low = _mm256_or_si256(
        _mm256_and_si256(n, _mm256_set1_epi64x(0xffff_ffff)),
        _mm256_set1_epi64x(0x4330_0000_0000_0000),
    );
    let high = _mm256_or_si256(
        _mm256_srli_epi64::<32>(n),
        _mm256_set1_epi64x(0x4530_0000_0000_0000),
    );
    let high = _mm256_sub_pd(
        _mm256_castsi256_pd(high),
        _mm256_set1_pd(19_342_813_113_834_066_795_298_816.0), // 2⁸⁴
    );
    let low = _mm256_sub_pd(
        _mm256_castsi256_pd(low),
        _mm256_set1_pd(4_503_599_627_370_496.0), // 2⁵²
    );
    _mm256_add_pd(high, low)
}

#[inline]
#[target_feature(enable = "avx2")]
fn abs(x: __m256d) -> __m256d {
    _mm256_andnot_pd(_mm256_set1_pd(-0.0), x)
}

/// The lanes where `a < b` (or the comparison `OP`), as bits 0–3.
#[inline]
#[target_feature(enable = "avx2")]
fn mask<const OP: i32>(a: __m256d, b: __m256d) -> i32 {
    _mm256_movemask_pd(_mm256_cmp_pd::<OP>(a, b))
}

/// Bits 0–3 as lanes of all ones or all zeros.
#[inline]
#[target_feature(enable = "avx2")]
fn lanes_of(bits: i32) -> __m256i {
    let lane_bits = _mm256_set_epi64x(8, 4, 2, 1);
    let picked = _mm256_and_si256(_mm256_set1_epi64x(i64::from(bits)), lane_bits);
    _mm256_cmpeq_epi64(picked, lane_bits)
}

/// Natural logarithm of four positive normal doubles, within 1 ulp: the AVX-512 kernel's fdlibm
/// `e_log.c`, operation for operation.
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn ln(x: __m256d) -> __m256d {
    let bits = _mm256_castpd_si256(x);
    // The biased exponent (0–2047) as a double, from the mantissa of 2⁵².
    let biased = _mm256_or_si256(
        _mm256_srli_epi64::<52>(bits),
        _mm256_set1_epi64x(0x4330_0000_0000_0000),
    );
    let biased = _mm256_sub_pd(
        _mm256_castsi256_pd(biased),
        _mm256_set1_pd(4_503_599_627_370_496.0),
    );
    let k = _mm256_sub_pd(biased, _mm256_set1_pd(1023.0));
    let mantissa = _mm256_and_si256(bits, _mm256_set1_epi64x(((1u64 << 52) - 1) as i64));
    let m = _mm256_castsi256_pd(_mm256_or_si256(
        mantissa,
        _mm256_set1_epi64x((1023u64 << 52) as i64),
    ));
    let big = _mm256_cmp_pd::<_CMP_GT_OQ>(m, _mm256_set1_pd(core::f64::consts::SQRT_2));
    let m = _mm256_blendv_pd(m, _mm256_mul_pd(m, _mm256_set1_pd(0.5)), big);
    let k = _mm256_blendv_pd(k, _mm256_add_pd(k, _mm256_set1_pd(1.0)), big);
    let f = _mm256_sub_pd(m, _mm256_set1_pd(1.0));
    let s = _mm256_div_pd(f, _mm256_add_pd(_mm256_set1_pd(2.0), f));
    let z = _mm256_mul_pd(s, s);
    let w = _mm256_mul_pd(z, z);
    let c = |i: usize| _mm256_set1_pd(super::LN_POLY[i]);
    let t1 = _mm256_mul_pd(
        w,
        _mm256_add_pd(
            c(1),
            _mm256_mul_pd(w, _mm256_add_pd(c(3), _mm256_mul_pd(w, c(5)))),
        ),
    );
    let t2 = _mm256_mul_pd(
        z,
        _mm256_add_pd(
            c(0),
            _mm256_mul_pd(
                w,
                _mm256_add_pd(
                    c(2),
                    _mm256_mul_pd(w, _mm256_add_pd(c(4), _mm256_mul_pd(w, c(6)))),
                ),
            ),
        ),
    );
    let r = _mm256_add_pd(t2, t1);
    let hfsq = _mm256_mul_pd(_mm256_mul_pd(_mm256_set1_pd(0.5), f), f);
    let tail = _mm256_add_pd(
        _mm256_mul_pd(s, _mm256_add_pd(hfsq, r)),
        _mm256_mul_pd(k, _mm256_set1_pd(super::LN2_LO)),
    );
    let low = _mm256_sub_pd(_mm256_sub_pd(hfsq, tail), f);
    _mm256_sub_pd(_mm256_mul_pd(k, _mm256_set1_pd(super::LN2_HI)), low)
}

/// Whole groups of four lanes; returns how many lanes were done (the rest is the caller's).
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub unsafe fn gamma_lanes(g: &GammaSampler, states: &mut [u64], out: &mut [f64]) -> usize {
    let lanes = states.len().min(out.len()) / 4 * 4;
    let gamma = _mm256_set1_epi64x(GOLDEN_GAMMA as i64);
    // rand's `into_float_with_exponent(1)`: 52 random bits as a float in [2, 4).
    let exponent_one = _mm256_set1_epi64x(((1023_u64 + 1) << 52) as i64);
    let low_byte = _mm256_set1_epi64x(0xff);
    let one = _mm256_set1_pd(1.0);
    let three = _mm256_set1_pd(3.0);
    let half = _mm256_set1_pd(0.5);
    let ulp53 = _mm256_set1_pd(1.0 / (1u64 << 53) as f64);
    let squeeze = _mm256_set1_pd(0.0331);
    let tiny = _mm256_set1_pd(1e-300);
    // As in the AVX-512 kernel: decisions closer than 16 ulps go to the scalar code.
    let slack = _mm256_set1_pd(f64::EPSILON * 16.0);
    let (c, d) = (_mm256_set1_pd(g.c()), _mm256_set1_pd(g.d()));
    let (minus_three_quarters, three_fifths) = (_mm256_set1_pd(-0.75), _mm256_set1_pd(0.6));
    let thirty_d = _mm256_set1_pd(30.0 * g.d());
    let rounding = _mm256_set1_pd(1e-14);
    for k in (0..lanes).step_by(4) {
        // SAFETY: k + 4 <= lanes <= both lengths.
        let mut state = unsafe { _mm256_loadu_si256(states.as_ptr().add(k) as *const __m256i) };
        let mut result = _mm256_setzero_pd();
        // Lanes still trying, and lanes to replay on the scalar code from their current state.
        let (mut trying, mut replay) = (0b1111, 0);
        while trying != 0 {
            let s1 = _mm256_add_epi64(state, gamma);
            let s2 = _mm256_add_epi64(s1, gamma);
            // The ziggurat's first try (rand_distr's `ziggurat`, symmetric).
            let bits = mix64(s1);
            let layer = _mm256_and_si256(bits, low_byte);
            // Four scalar loads per column: faster than AVX2's gathers (docs/performance.md).
            let mut at = [0u64; 4];
            // SAFETY: `at` holds four u64.
            unsafe { _mm256_storeu_si256(at.as_mut_ptr() as *mut __m256i, layer) };
            // (`& 0xff` again lets the compiler see that every index is inside the table.)
            let [l0, l1, l2, l3] = at.map(|i| i as usize & 0xff);
            let x = |l: usize| ZIG_NORM_X[l];
            let (x_i, x_next) = (
                _mm256_set_pd(x(l3), x(l2), x(l1), x(l0)),
                _mm256_set_pd(x(l3 + 1), x(l2 + 1), x(l1 + 1), x(l0 + 1)),
            );
            let u = _mm256_or_si256(_mm256_srli_epi64::<12>(bits), exponent_one);
            let x = _mm256_mul_pd(_mm256_sub_pd(_mm256_castsi256_pd(u), three), x_i);
            let inside = mask::<_CMP_LT_OQ>(abs(x), x_next);
            // Marsaglia–Tsang, in the scalar code's order of operations.
            let v = _mm256_add_pd(one, _mm256_mul_pd(c, x));
            let usable = inside & mask::<_CMP_GT_OQ>(v, tiny);
            let v = _mm256_mul_pd(_mm256_mul_pd(v, v), v);
            let raw = u53_to_f64(_mm256_srli_epi64::<11>(mix64(s2)));
            let unif = _mm256_mul_pd(_mm256_add_pd(raw, half), ulp53);
            let x2 = _mm256_mul_pd(x, x);
            let bound = _mm256_sub_pd(one, _mm256_mul_pd(_mm256_mul_pd(squeeze, x2), x2));
            let mut accept = usable & mask::<_CMP_LT_OQ>(unif, bound);
            // The second squeeze of docs/performance.md, as in the AVX-512 kernel.
            let y = _mm256_mul_pd(c, x);
            let small = mask::<_CMP_LE_OQ>(abs(y), half);
            let y2 = _mm256_mul_pd(y, y);
            let series = _mm256_sub_pd(
                _mm256_add_pd(minus_three_quarters, _mm256_mul_pd(three_fifths, y)),
                y2,
            );
            let floor = _mm256_mul_pd(d, _mm256_mul_pd(_mm256_mul_pd(y2, y2), series));
            let t = _mm256_sub_pd(one, unif);
            let ceiling = _mm256_sub_pd(
                _mm256_setzero_pd(),
                _mm256_add_pd(t, _mm256_mul_pd(_mm256_mul_pd(half, t), t)),
            );
            let error = _mm256_mul_pd(
                rounding,
                _mm256_add_pd(
                    _mm256_add_pd(x2, abs(ceiling)),
                    _mm256_mul_pd(thirty_d, abs(y)),
                ),
            );
            let clear = mask::<_CMP_LT_OQ>(_mm256_add_pd(ceiling, error), floor);
            accept |= usable & small & clear;
            let mut reject = 0;
            let undecided = trying & usable & !accept;
            if undecided != 0 {
                // ln u < x²/2 + d(1 − v + ln v), decided only where it is clear.
                let (ln_u, ln_v) = (ln(unif), ln(v));
                let inner = _mm256_add_pd(_mm256_sub_pd(one, v), ln_v);
                let rhs = _mm256_add_pd(_mm256_mul_pd(half, x2), _mm256_mul_pd(d, inner));
                let scale = _mm256_add_pd(
                    _mm256_add_pd(abs(ln_u), abs(rhs)),
                    _mm256_add_pd(
                        _mm256_mul_pd(half, x2),
                        _mm256_mul_pd(d, _mm256_add_pd(abs(_mm256_sub_pd(one, v)), abs(ln_v))),
                    ),
                );
                let margin = _mm256_mul_pd(slack, scale);
                accept |= undecided & mask::<_CMP_LT_OQ>(ln_u, _mm256_sub_pd(rhs, margin));
                reject = undecided & mask::<_CMP_GT_OQ>(ln_u, _mm256_add_pd(rhs, margin));
            }
            let accept = trying & accept;
            let keep = _mm256_castsi256_pd(lanes_of(accept));
            result = _mm256_blendv_pd(result, _mm256_mul_pd(d, v), keep);
            state = _mm256_blendv_epi8(state, s2, lanes_of(accept | reject));
            replay |= trying & !(accept | reject);
            trying &= reject;
        }
        // SAFETY: as above.
        unsafe {
            _mm256_storeu_pd(out.as_mut_ptr().add(k), result);
            _mm256_storeu_si256(states.as_mut_ptr().add(k) as *mut __m256i, state);
        }
        while replay != 0 {
            let lane = k + replay.trailing_zeros() as usize;
            out[lane] = scalar(g, &mut states[lane]);
            replay &= replay - 1;
        }
    }
    lanes
}
