//! The AVX-512 kernels: eight lanes per instruction, with 64-bit vector multiplies and mask registers.

use super::super::rng::GOLDEN_GAMMA;
use super::{GammaSampler, LANES, ZIG_NORM_X, scalar};
use core::arch::x86_64::*;

/// `masked_sums`, vectorised by the compiler (no fused multiply-adds: Rust does not contract).
///
/// # Safety
/// The CPU must support AVX-512 F and DQ.
#[target_feature(enable = "avx512f,avx512dq")]
pub unsafe fn masked_sums(x: &[f64], a: &[f64], b: &[f64]) -> [f64; 2] {
    let n = x.len().min(a.len()).min(b.len());
    let whole = n / LANES * LANES;
    let (mut to_a, mut to_b) = (_mm512_setzero_pd(), _mm512_setzero_pd());
    for i in (0..whole).step_by(LANES) {
        // SAFETY: i + 8 ≤ whole ≤ the length of each slice.
        let (xv, av, bv) = unsafe {
            (
                _mm512_loadu_pd(x.as_ptr().add(i)),
                _mm512_loadu_pd(a.as_ptr().add(i)),
                _mm512_loadu_pd(b.as_ptr().add(i)),
            )
        };
        to_a = _mm512_add_pd(to_a, _mm512_mul_pd(xv, av));
        to_b = _mm512_add_pd(to_b, _mm512_mul_pd(xv, bv));
    }
    let mut lanes = [[0.0; LANES]; 2];
    // SAFETY: each array holds 8 doubles.
    unsafe {
        _mm512_storeu_pd(lanes[0].as_mut_ptr(), to_a);
        _mm512_storeu_pd(lanes[1].as_mut_ptr(), to_b);
    }
    super::finish_lanes(lanes, &x[whole..n], &a[whole..n], &b[whole..n])
}

/// `mix_block` with 64-bit vector multiplies (the loop is vectorised by the compiler).
///
/// # Safety
/// The CPU must support AVX-512 F and DQ.
#[target_feature(enable = "avx512f,avx512dq")]
pub unsafe fn mix_all(words: &mut [u64]) {
    words.iter_mut().for_each(|w| *w = super::mix64(*w));
}

/// The SplitMix64 output function on eight lanes.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn mix64(z: __m512i) -> __m512i {
    let z = _mm512_xor_si512(z, _mm512_srli_epi64::<30>(z));
    let z = _mm512_mullo_epi64(z, _mm512_set1_epi64(0xBF58_476D_1CE4_E5B9_u64 as i64));
    let z = _mm512_xor_si512(z, _mm512_srli_epi64::<27>(z));
    let z = _mm512_mullo_epi64(z, _mm512_set1_epi64(0x94D0_49BB_1331_11EB_u64 as i64));
    _mm512_xor_si512(z, _mm512_srli_epi64::<31>(z))
}

/// Natural logarithm of eight positive normal doubles, within 1 ulp (fdlibm's `e_log.c`:
/// x = 2^k·m with √½ ≤ m < √2, f = m − 1, s = f/(2 + f), a degree-14 polynomial in s).
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn ln(x: __m512d) -> __m512d {
    let bits = _mm512_castpd_si512(x);
    let k = _mm512_sub_epi64(_mm512_srli_epi64::<52>(bits), _mm512_set1_epi64(1023));
    let mantissa = _mm512_and_si512(bits, _mm512_set1_epi64(((1u64 << 52) - 1) as i64));
    let m = _mm512_castsi512_pd(_mm512_or_si512(
        mantissa,
        _mm512_set1_epi64((1023u64 << 52) as i64),
    ));
    let big = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(m, _mm512_set1_pd(core::f64::consts::SQRT_2));
    let m = _mm512_mask_mul_pd(m, big, m, _mm512_set1_pd(0.5));
    let k = _mm512_mask_add_epi64(k, big, k, _mm512_set1_epi64(1));
    let k = _mm512_cvtepi64_pd(k);
    let f = _mm512_sub_pd(m, _mm512_set1_pd(1.0));
    let s = _mm512_div_pd(f, _mm512_add_pd(_mm512_set1_pd(2.0), f));
    let z = _mm512_mul_pd(s, s);
    let w = _mm512_mul_pd(z, z);
    let c = |i: usize| _mm512_set1_pd(super::LN_POLY[i]);
    let t1 = _mm512_mul_pd(
        w,
        _mm512_add_pd(
            c(1),
            _mm512_mul_pd(w, _mm512_add_pd(c(3), _mm512_mul_pd(w, c(5)))),
        ),
    );
    let t2 = _mm512_mul_pd(
        z,
        _mm512_add_pd(
            c(0),
            _mm512_mul_pd(
                w,
                _mm512_add_pd(
                    c(2),
                    _mm512_mul_pd(w, _mm512_add_pd(c(4), _mm512_mul_pd(w, c(6)))),
                ),
            ),
        ),
    );
    let r = _mm512_add_pd(t2, t1);
    let hfsq = _mm512_mul_pd(_mm512_mul_pd(_mm512_set1_pd(0.5), f), f);
    let tail = _mm512_add_pd(
        _mm512_mul_pd(s, _mm512_add_pd(hfsq, r)),
        _mm512_mul_pd(k, _mm512_set1_pd(super::LN2_LO)),
    );
    let low = _mm512_sub_pd(_mm512_sub_pd(hfsq, tail), f);
    _mm512_sub_pd(_mm512_mul_pd(k, _mm512_set1_pd(super::LN2_HI)), low)
}

/// Whole groups of eight lanes; returns how many lanes were done (the rest is the caller's).
///
/// # Safety
/// The CPU must support AVX-512 F and DQ.
#[target_feature(enable = "avx512f,avx512dq")]
pub unsafe fn gamma_lanes(g: &GammaSampler, states: &mut [u64], out: &mut [f64]) -> usize {
    let lanes = states.len().min(out.len()) / 8 * 8;
    let gamma = _mm512_set1_epi64(GOLDEN_GAMMA as i64);
    // rand's `into_float_with_exponent(1)`: 52 random bits as a float in [2, 4).
    let exponent_one = _mm512_set1_epi64(((1023_u64 + 1) << 52) as i64);
    let low_byte = _mm512_set1_epi64(0xff);
    let one = _mm512_set1_pd(1.0);
    let three = _mm512_set1_pd(3.0);
    let half = _mm512_set1_pd(0.5);
    let ulp53 = _mm512_set1_pd(1.0 / (1u64 << 53) as f64);
    let squeeze = _mm512_set1_pd(0.0331);
    let tiny = _mm512_set1_pd(1e-300);
    // Our logarithm and the scalar code's (libm) are each within 1 ulp: decisions closer than
    // 16 ulps of the terms involved are left to the scalar code.
    let slack = _mm512_set1_pd(f64::EPSILON * 16.0);
    let (c, d) = (_mm512_set1_pd(g.c()), _mm512_set1_pd(g.d()));
    let (minus_three_quarters, three_fifths) = (_mm512_set1_pd(-0.75), _mm512_set1_pd(0.6));
    let thirty_d = _mm512_set1_pd(30.0 * g.d());
    let rounding = _mm512_set1_pd(1e-14);
    let table = ZIG_NORM_X.as_ptr();
    for k in (0..lanes).step_by(8) {
        // SAFETY: k + 8 <= lanes <= both lengths; the gathers read entries 0..=256 of 257.
        let mut state = unsafe { _mm512_loadu_epi64(states.as_ptr().add(k) as *const i64) };
        let mut result = _mm512_setzero_pd();
        // Lanes still trying, and lanes to replay on the scalar code from their current state.
        let (mut trying, mut replay): (__mmask8, __mmask8) = (0xff, 0);
        while trying != 0 {
            let s1 = _mm512_add_epi64(state, gamma);
            let s2 = _mm512_add_epi64(s1, gamma);
            // The ziggurat's first try (rand_distr's `ziggurat`, symmetric).
            let bits = mix64(s1);
            let layer = _mm512_and_si512(bits, low_byte);
            // SAFETY: layer <= 255, so both reads are inside the 257-entry table.
            let (x_i, x_next) = unsafe {
                (
                    _mm512_i64gather_pd::<8>(layer, table),
                    _mm512_i64gather_pd::<8>(layer, table.add(1)),
                )
            };
            let u = _mm512_or_si512(_mm512_srli_epi64::<12>(bits), exponent_one);
            let x = _mm512_mul_pd(_mm512_sub_pd(_mm512_castsi512_pd(u), three), x_i);
            let inside = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_abs_pd(x), x_next);
            // Marsaglia–Tsang, in the scalar code's order of operations.
            let v = _mm512_add_pd(one, _mm512_mul_pd(c, x));
            let usable = inside & _mm512_cmp_pd_mask::<_CMP_GT_OQ>(v, tiny);
            let v = _mm512_mul_pd(_mm512_mul_pd(v, v), v);
            let raw = _mm512_cvtepu64_pd(_mm512_srli_epi64::<11>(mix64(s2)));
            let unif = _mm512_mul_pd(_mm512_add_pd(raw, half), ulp53);
            let x2 = _mm512_mul_pd(x, x);
            let bound = _mm512_sub_pd(one, _mm512_mul_pd(_mm512_mul_pd(squeeze, x2), x2));
            let mut accept = usable & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(unif, bound);
            // A second, much tighter squeeze (derived in docs/performance.md): with y = cx,
            // |y| ≤ ½ and t = 1 − u, ln u ≤ −(t + t²/2) and the right-hand side is at least
            // d·y⁴(−¾ + ⅗y − y²); `slack` covers the scalar code's rounding of both sides.
            let y = _mm512_mul_pd(c, x);
            let small = _mm512_cmp_pd_mask::<_CMP_LE_OQ>(_mm512_abs_pd(y), half);
            let y2 = _mm512_mul_pd(y, y);
            let series = _mm512_sub_pd(
                _mm512_add_pd(minus_three_quarters, _mm512_mul_pd(three_fifths, y)),
                y2,
            );
            let floor = _mm512_mul_pd(d, _mm512_mul_pd(_mm512_mul_pd(y2, y2), series));
            let t = _mm512_sub_pd(one, unif);
            let ceiling = _mm512_sub_pd(
                _mm512_setzero_pd(),
                _mm512_add_pd(t, _mm512_mul_pd(_mm512_mul_pd(half, t), t)),
            );
            let error = _mm512_mul_pd(
                rounding,
                _mm512_add_pd(
                    _mm512_add_pd(x2, _mm512_abs_pd(ceiling)),
                    _mm512_mul_pd(thirty_d, _mm512_abs_pd(y)),
                ),
            );
            let clear = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_add_pd(ceiling, error), floor);
            accept |= usable & small & clear;
            let mut reject = 0;
            let undecided = trying & usable & !accept;
            if undecided != 0 {
                // ln u < x²/2 + d(1 − v + ln v), decided only where it is clear.
                let (ln_u, ln_v) = (ln(unif), ln(v));
                let inner = _mm512_add_pd(_mm512_sub_pd(one, v), ln_v);
                let rhs = _mm512_add_pd(_mm512_mul_pd(half, x2), _mm512_mul_pd(d, inner));
                let scale = _mm512_add_pd(
                    _mm512_add_pd(_mm512_abs_pd(ln_u), _mm512_abs_pd(rhs)),
                    _mm512_add_pd(
                        _mm512_mul_pd(half, x2),
                        _mm512_mul_pd(
                            d,
                            _mm512_add_pd(
                                _mm512_abs_pd(_mm512_sub_pd(one, v)),
                                _mm512_abs_pd(ln_v),
                            ),
                        ),
                    ),
                );
                let margin = _mm512_mul_pd(slack, scale);
                accept |=
                    undecided & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(ln_u, _mm512_sub_pd(rhs, margin));
                reject =
                    undecided & _mm512_cmp_pd_mask::<_CMP_GT_OQ>(ln_u, _mm512_add_pd(rhs, margin));
            }
            let accept = trying & accept;
            result = _mm512_mask_mul_pd(result, accept, d, v);
            state = _mm512_mask_mov_epi64(state, accept | reject, s2);
            replay |= trying & !(accept | reject);
            trying &= reject;
        }
        // SAFETY: as above.
        unsafe {
            _mm512_storeu_pd(out.as_mut_ptr().add(k), result);
            _mm512_storeu_epi64(states.as_mut_ptr().add(k) as *mut i64, state);
        }
        while replay != 0 {
            let lane = k + replay.trailing_zeros() as usize;
            out[lane] = scalar(g, &mut states[lane]);
            replay &= replay - 1;
        }
    }
    lanes
}
