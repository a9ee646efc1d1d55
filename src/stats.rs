//! Small pieces of statistics the reports need: Wilson score intervals (Wilson 1927) and
//! Beta-marginal intervals of a Dirichlet row.
//!
//! What belongs here: a closed-form statistic used by more than one room (the summary, `check`,
//! the sweeps), with its source. Sampling belongs in `engine/`; scores of forecasts in `backtest/`.

use crate::scenario::SwingDistribution;
use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::function::beta::inv_beta_reg;

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for a proportion `k / n` at normal quantile `z`; well defined at 0 and n.
pub fn wilson_interval(k: u64, n: u64, z: f64) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    // At k = 0 and k = n the interval's outer end is exactly 0 or 1; rounding must not move it.
    let lo = if k == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if k as f64 == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    [lo, hi]
}

/// Monte Carlo standard error of a proportion.
pub fn proportion_se(p: f64, n: u64) -> f64 {
    if n == 0 {
        f64::NAN
    } else {
        (p * (1.0 - p) / n as f64).sqrt()
    }
}

/// P(s + sd·Z > 0.5) for a pre-swing share `s`: the win probability given the transfers.
pub fn swing_win_probability(s: f64, sd: f64, distribution: SwingDistribution) -> f64 {
    let z = (s - 0.5) / sd;
    match distribution {
        SwingDistribution::Normal => {
            0.5 * statrs::function::erf::erfc(-z / std::f64::consts::SQRT_2)
        }
        // As the engine draws it (`Model::new`): a df of 5e-324, whose half is 0, as the smallest
        // normal df, since both put all but a vanishing part of the mass at ±∞.
        SwingDistribution::StudentT { df } => {
            match StudentsT::new(0.0, 1.0, df.max(f64::MIN_POSITIVE)) {
                Ok(t) => t.cdf(z),
                Err(_) => f64::NAN,
            }
        }
    }
}

/// The central `level` interval of one share of a Dirichlet(kappa·m) row: its marginal is
/// Beta(kappa·m, kappa·(1 − m)), also with structural zeros elsewhere in the row.
pub fn share_interval(mean: f64, kappa: f64, level: f64) -> [f64; 2] {
    if mean <= 0.0 || mean >= 1.0 {
        return [mean, mean];
    }
    let tail = (1.0 - level) / 2.0;
    let (a, b) = (kappa * mean, kappa * (1.0 - mean));
    if a.min(b) < 1e-3 {
        // The Beta puts nearly all its mass on the two ends: the limit is Bernoulli(mean).
        let lo = if 1.0 - mean > tail { 0.0 } else { 1.0 };
        let hi = if mean > tail { 1.0 } else { 0.0 };
        return [lo, hi];
    }
    if a.min(b) > 1e6 {
        // Normal limit; the incomplete-beta inversion is slow and no more accurate here.
        let sd = (mean * (1.0 - mean) / (kappa + 1.0)).sqrt();
        let z = statrs::function::erf::erfc_inv(2.0 * tail) * std::f64::consts::SQRT_2;
        return [(mean - z * sd).max(0.0), (mean + z * sd).min(1.0)];
    }
    if a.max(b) > GAMMA_LIMIT {
        // One parameter is huge, the other not: the incomplete-beta inversion never converges
        // here (it looped for ever at 1e4 and 1e9). With L the huge one, Beta(S, L) is S's gamma
        // variate over L to within 1/√L of itself.
        let (small, large) = (a.min(b), a.max(b));
        let x = |p: f64| {
            let g = gamma_quantile(small, p);
            g / (g + large)
        };
        return if a < b {
            [x(tail), x(1.0 - tail)]
        } else {
            [1.0 - x(1.0 - tail), 1.0 - x(tail)]
        };
    }
    [inv_beta_reg(a, b, tail), inv_beta_reg(a, b, 1.0 - tail)]
}

/// Above this a Beta parameter is taken as infinite beside the other (see [`share_interval`]).
const GAMMA_LIMIT: f64 = 1e5;

/// The `p` quantile of Gamma(`shape`, 1), by bisection on its CDF: slow but sure, for any shape
/// the reports meet (10⁻³ to 10⁶).
fn gamma_quantile(shape: f64, p: f64) -> f64 {
    let cdf = |x: f64| statrs::function::gamma::gamma_lr(shape, x);
    let mut hi = shape + 10.0 * shape.sqrt() + 10.0;
    while cdf(hi) < p {
        hi *= 2.0;
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if cdf(mid) < p {
            lo = mid
        } else {
            hi = mid
        }
        if hi - lo <= hi * 1e-12 {
            break;
        }
    }
    (lo + hi) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn wilson_matches_a_hand_computed_case() {
        // 20 of 100 at z = 1.96: centre 0.2145, half-width 0.0795 (Agresti & Coull 1998, table 1 style check).
        let [lo, hi] = wilson_interval(20, 100, Z95);
        assert_abs_diff_eq!(lo, 0.1334, epsilon = 1e-3);
        assert_abs_diff_eq!(hi, 0.2888, epsilon = 1e-3);
        assert_eq!(wilson_interval(0, 10, Z95)[0], 0.0);
        assert_eq!(wilson_interval(10, 10, Z95)[1], 1.0);
    }

    #[test]
    fn share_intervals_match_beta_quantiles_and_their_limits() {
        // Beta(3, 7): 5% and 95% quantiles 0.0977 and 0.5504.
        let [lo, hi] = share_interval(0.3, 10.0, 0.9);
        assert_abs_diff_eq!(lo, 0.0977, epsilon = 1e-3);
        assert_abs_diff_eq!(hi, 0.5504, epsilon = 1e-3);
        assert_eq!(share_interval(0.0, 10.0, 0.9), [0.0, 0.0]);
        assert_eq!(share_interval(0.3, 1e-6, 0.9), [0.0, 1.0]);
        let [lo, hi] = share_interval(0.3, 1e9, 0.9);
        assert!(lo < 0.3 && hi > 0.3 && hi - lo < 1e-4);
    }

    #[test]
    fn a_huge_certainty_on_a_small_share_gives_its_interval_at_once() {
        // Beta(10⁴, 10⁹ − 10⁴) made the incomplete-beta inversion loop for ever; the gamma limit
        // gives its 90% interval, 10⁻⁵ ± 1.645·√10⁴ / 10⁹.
        let [lo, hi] = share_interval(1e-5, 1e9, 0.9);
        let sd = 1e-7;
        assert_abs_diff_eq!(lo, 1e-5 - 1.645 * sd, epsilon = 0.01 * sd);
        assert_abs_diff_eq!(hi, 1e-5 + 1.645 * sd, epsilon = 0.01 * sd);
        // Just past the limit it agrees with the inversion, which still converges there.
        let (a, b) = (50.0, 2e5);
        let m = a / (a + b);
        let [lo, hi] = share_interval(m, a + b, 0.9);
        let exact = [inv_beta_reg(a, b, 0.05), inv_beta_reg(a, b, 0.95)];
        assert_abs_diff_eq!(lo, exact[0], epsilon = 1e-3 * exact[0]);
        assert_abs_diff_eq!(hi, exact[1], epsilon = 1e-3 * exact[1]);
        // The large share of the same row is the mirror image.
        let [lo_b, hi_b] = share_interval(1.0 - m, a + b, 0.9);
        assert_abs_diff_eq!(lo_b, 1.0 - hi, epsilon = 1e-12);
        assert_abs_diff_eq!(hi_b, 1.0 - lo, epsilon = 1e-12);
        // Tiny shapes beside a huge one, all the way down to the Bernoulli limit.
        for m in [1e-8, 1e-10, 1e-11] {
            let [lo, hi] = share_interval(m, 1e7, 0.9);
            assert!(
                lo >= 0.0 && lo <= m && hi >= lo && hi < 1e-6,
                "{m}: {lo} {hi}"
            );
        }
    }
}
