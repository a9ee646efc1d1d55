//! Polls as evidence: the polls' combined likelihood of the first finalist's two-party share, the
//! weight it gives each draw, and, for a normal swing, the weight and win probability with the
//! swing integrated out in closed form.
//!
//! What belongs here: the maths of SCENARIO-FORMAT.md's "Polls" (docs/polls.md), used by the
//! engine (weights per draw), the summary (the conditional estimate) and the outputs (the combined
//! share). Reading and checking `[[polls]]` belongs in `scenario/`.
//!
//! Model. Poll i reports y_i = a_i / (a_i + b_i); its error y_i − s is shared + own_i with shared
//! ~ N(0, τ_s²) common to all polls and own_i ~ N(0, v_i), v_i = y_i(1 − y_i)/(n_i(a_i + b_i)) +
//! τ_e². The covariance is Σ = D + τ_s² 11ᵀ (D = diag v), so by Sherman–Morrison, with
//! P = Σ 1/v_i: 1ᵀΣ⁻¹1 = P / (1 + τ_s² P) and 1ᵀΣ⁻¹y = (Σ y_i/v_i) / (1 + τ_s² P). The likelihood
//! of s is then N(s; μ, σ²) with μ = Σ (y_i/v_i) / P, the precision-weighted mean, and
//! σ² = 1/P + τ_s².

use crate::scenario::Polls;
use statrs::distribution::{ContinuousCDF, Normal};

/// The polls' combined likelihood of the share s: N(s; `share`, `sd`²).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// μ: the share the polls point to.
    pub share: f64,
    /// σ: how far from it the share may be, sampling and poll errors together.
    pub sd: f64,
}

/// Below this many effective draws ((Σw)²/Σw²) the weighted answer rests on too few draws: the
/// polls contradict the scenario (docs/polls.md).
pub const EFFECTIVE_DRAWS_FLOOR: f64 = 1000.0;

impl Evidence {
    /// The polls' evidence, or `None` without polls.
    pub fn of(polls: &Polls) -> Option<Evidence> {
        if polls.list.is_empty() {
            return None;
        }
        let each = polls.error.each * polls.error.each;
        let shared = polls.error.shared * polls.error.shared;
        let own: Vec<(f64, f64)> = polls
            .list
            .iter()
            .map(|p| (p.decided_share(), p.sampling_variance() + each))
            .collect();
        // A poll with no own variance (a decided share of 0 or 1, `each` 0) pins μ to its share;
        // validation has made sure `shared` is then above 0.
        let exact: Vec<f64> = own
            .iter()
            .filter(|(_, v)| *v == 0.0)
            .map(|(y, _)| *y)
            .collect();
        if !exact.is_empty() {
            return Some(Evidence {
                share: exact.iter().sum::<f64>() / exact.len() as f64,
                sd: shared.sqrt(),
            });
        }
        let precision: f64 = own.iter().map(|(_, v)| 1.0 / v).sum();
        let share = own.iter().map(|(y, v)| y / v).sum::<f64>() / precision;
        Some(Evidence {
            share,
            sd: (1.0 / precision + shared).sqrt(),
        })
    }

    /// The weight of a draw whose final share is `s`: exp(−(s − μ)² / 2σ²), at most 1.
    #[inline(always)]
    pub fn weight(&self, s: f64) -> f64 {
        let z = (s - self.share) / self.sd;
        (-0.5 * z * z).exp()
    }

    /// For a draw whose share before a normal swing of sd `tau` is `s0`: the weight with the swing
    /// integrated out, E_Z[w(s0 + τZ)], and that times the probability the first finalist wins,
    /// E_Z[w(s0 + τZ) 1{s0 + τZ > 1/2}]. Both are Gaussian integrals: the weight is
    /// σ/√(σ² + τ²) · exp(−(s0 − μ)² / 2(σ² + τ²)), and given s0 and the polls the final share is
    /// normal with mean (s0 σ² + μ τ²)/(σ² + τ²) and variance σ²τ²/(σ² + τ²). The clamp of the share
    /// to [0, 1] is left out (it moves only draws beyond 0 or 1, which no poll near the race
    /// weighs).
    pub fn integrated(&self, s0: f64, tau: f64) -> (f64, f64) {
        let (var, tau2) = (self.sd * self.sd, tau * tau);
        let total = var + tau2;
        let d = s0 - self.share;
        let weight = (var / total).sqrt() * (-0.5 * d * d / total).exp();
        let mean = (s0 * var + self.share * tau2) / total;
        let sd = (var * tau2 / total).sqrt();
        let win = if sd > 0.0 {
            Normal::standard().cdf((mean - 0.5) / sd)
        } else if mean > 0.5 {
            1.0
        } else {
            0.0
        };
        (weight, weight * win)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Poll, PollError};

    fn poll(n: f64, a: f64, b: f64) -> Poll {
        Poll {
            pollster: None,
            end_date: None,
            n,
            shares: [a, b],
        }
    }

    #[test]
    fn the_combined_likelihood_is_the_generalised_least_squares_one() {
        // Against the covariance written out and inverted (as the NumPy peer does).
        let polls = Polls {
            list: vec![
                poll(600.0, 0.55, 0.32),
                poll(400.0, 0.47, 0.41),
                poll(1200.0, 0.5, 0.4),
            ],
            error: PollError {
                shared: 0.04,
                each: 0.02,
            },
        };
        let e = Evidence::of(&polls).unwrap();
        let y: Vec<f64> = polls.list.iter().map(Poll::decided_share).collect();
        let v: Vec<f64> = polls
            .list
            .iter()
            .map(|p| p.sampling_variance() + 0.0004)
            .collect();
        // Σ = diag(v) + 0.0016·11ᵀ, inverted by Gauss–Jordan.
        let k = y.len();
        let mut m: Vec<Vec<f64>> = (0..k)
            .map(|i| {
                let mut row: Vec<f64> = (0..k)
                    .map(|j| 0.0016 + if i == j { v[i] } else { 0.0 })
                    .collect();
                row.extend((0..k).map(|j| f64::from(u8::from(i == j))));
                row
            })
            .collect();
        for c in 0..k {
            let pivot = m[c][c];
            m[c].iter_mut().for_each(|x| *x /= pivot);
            for r in 0..k {
                if r != c {
                    let f = m[r][c];
                    let pivot_row = m[c].clone();
                    m[r].iter_mut()
                        .zip(&pivot_row)
                        .for_each(|(x, p)| *x -= f * p);
                }
            }
        }
        let inv = |i: usize, j: usize| m[i][k + j];
        let one_inv_one: f64 = (0..k)
            .flat_map(|i| (0..k).map(move |j| (i, j)))
            .map(|(i, j)| inv(i, j))
            .sum();
        let one_inv_y: f64 = (0..k)
            .flat_map(|i| (0..k).map(move |j| (i, j)))
            .map(|(i, j)| inv(i, j) * y[j])
            .sum();
        assert!((e.share - one_inv_y / one_inv_one).abs() < 1e-12, "{e:?}");
        assert!((e.sd - one_inv_one.powf(-0.5)).abs() < 1e-12, "{e:?}");
    }

    #[test]
    fn the_integrated_weight_is_the_weight_averaged_over_the_swing() {
        let e = Evidence {
            share: 0.58,
            sd: 0.03,
        };
        let (s0, tau) = (0.53, 0.04);
        // Midpoint rule over z in [-10, 10].
        let steps = 200_000;
        let (mut w, mut wa) = (0.0, 0.0);
        for i in 0..steps {
            let z = -10.0 + 20.0 * (i as f64 + 0.5) / steps as f64;
            let phi = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
            let s = s0 + tau * z;
            let dz = 20.0 / steps as f64;
            w += e.weight(s) * phi * dz;
            if s > 0.5 {
                wa += e.weight(s) * phi * dz;
            }
        }
        let (weight, win) = e.integrated(s0, tau);
        assert!((weight - w).abs() < 1e-9, "{weight} {w}");
        assert!((win - wa).abs() < 1e-9, "{win} {wa}");
    }
}
