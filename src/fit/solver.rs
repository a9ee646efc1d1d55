//! Constrained ecological regression: rows on the simplex, fitted by accelerated projected gradient (FISTA; Beck & Teboulle 2009).
//!
//! Model: for unit u with first-round shares p_ui (of its first-round total), the runoff shares
//! s_uk = Σ_i p_ui β_ik for k in {A, B}, with every row β_i = (to A, to B, stays home) on the
//! simplex. Objective: Σ_u w_u Σ_k (s_uk − Σ_i p_ui β_ik)², w_u the unit's first-round total
//! (Goodman 1953 regression with the logical bounds imposed).

/// The iterations stop once no share moves by more than this.
const CONVERGED: f64 = 1e-13;

/// Sufficient statistics of one weighted regression: G = PᵀWP and c_k = PᵀW s_k.
#[derive(Debug, Clone)]
pub struct Normal {
    gram: Vec<f64>,
    rhs: [Vec<f64>; 2],
    k: usize,
}

impl Normal {
    /// Accumulate units `(weight, first-round shares p_u·, runoff shares [s_uA, s_uB])`.
    pub fn new<'a>(k: usize, units: impl Iterator<Item = (f64, &'a [f64], [f64; 2])>) -> Self {
        let mut gram = vec![0.0; k * k];
        let mut rhs = [vec![0.0; k], vec![0.0; k]];
        for (w, p, s) in units {
            for i in 0..k {
                for j in 0..k {
                    gram[i * k + j] += w * p[i] * p[j];
                }
                rhs[0][i] += w * p[i] * s[0];
                rhs[1][i] += w * p[i] * s[1];
            }
        }
        Normal { gram, rhs, k }
    }

    /// Largest eigenvalue of G by power iteration: the gradient's Lipschitz constant is 2·λ.
    fn lambda_max(&self) -> f64 {
        let k = self.k;
        let mut v = vec![1.0 / (k as f64).sqrt(); k];
        let mut lambda = 0.0;
        for _ in 0..200 {
            let w: Vec<f64> = (0..k)
                .map(|i| (0..k).map(|j| self.gram[i * k + j] * v[j]).sum())
                .collect();
            let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm == 0.0 {
                return 0.0;
            }
            lambda = norm;
            v = w.iter().map(|x| x / norm).collect();
        }
        lambda
    }

    /// The first row whose first-round share is, across the units, a fixed linear combination of
    /// the earlier rows' shares but for a 1 − R² under `tolerance`: the regression cannot tell
    /// such rows apart, and its answer for them would depend on where it started. The squared
    /// pivots of the Cholesky factor of G scaled to a unit diagonal are exactly these 1 − R² (0
    /// for a row with no votes in any unit).
    pub fn dependent_row(&self, tolerance: f64) -> Option<usize> {
        let k = self.k;
        let scale: Vec<f64> = (0..k).map(|i| self.gram[i * k + i].sqrt()).collect();
        let mut l = vec![0.0; k * k];
        for i in 0..k {
            if scale[i] <= 0.0 {
                return Some(i);
            }
            for j in 0..=i {
                let scaled = self.gram[i * k + j] / (scale[i] * scale[j]);
                let rest = scaled - (0..j).map(|m| l[i * k + m] * l[j * k + m]).sum::<f64>();
                if i == j {
                    if rest < tolerance {
                        return Some(i);
                    }
                    l[i * k + i] = rest.sqrt();
                } else {
                    l[i * k + j] = rest / l[j * k + j];
                }
            }
        }
        None
    }

    /// The constrained least-squares rows, `[to A, to B, stays home]` per first-round candidate.
    pub fn solve(&self, iterations: usize) -> Vec<[f64; 3]> {
        let k = self.k;
        let lipschitz = 2.0 * self.lambda_max();
        if lipschitz <= 0.0 {
            return vec![[1.0 / 3.0; 3]; k];
        }
        let step = 1.0 / lipschitz;
        let mut beta = vec![[1.0 / 3.0; 3]; k];
        let mut y = beta.clone();
        let mut t = 1.0f64;
        for _ in 0..iterations {
            let mut next = y.clone();
            for (c, rhs) in self.rhs.iter().enumerate() {
                for i in 0..k {
                    let g: f64 =
                        (0..k).map(|j| self.gram[i * k + j] * y[j][c]).sum::<f64>() - rhs[i];
                    next[i][c] = y[i][c] - step * 2.0 * g;
                }
            }
            for row in &mut next {
                *row = project_simplex(*row);
            }
            let mut uphill = 0.0;
            let mut moved = 0.0f64;
            for i in 0..k {
                for c in 0..3 {
                    uphill += (y[i][c] - next[i][c]) * (next[i][c] - beta[i][c]);
                    moved = moved.max((next[i][c] - beta[i][c]).abs());
                }
            }
            if uphill > 0.0 {
                // Adaptive restart (O'Donoghue & Candès 2015): the momentum points uphill, so drop
                // it; this keeps the convergence linear when the rows are nearly collinear.
                t = 1.0;
                y.clone_from(&next);
            } else {
                let t_next = (1.0 + (1.0 + 4.0 * t * t).sqrt()) / 2.0;
                let momentum = (t - 1.0) / t_next;
                for i in 0..k {
                    for c in 0..3 {
                        y[i][c] = next[i][c] + momentum * (next[i][c] - beta[i][c]);
                    }
                }
                t = t_next;
            }
            beta = next;
            if moved < CONVERGED {
                break;
            }
        }
        beta
    }
}

/// Euclidean projection onto {x ≥ 0, Σx = 1} (Held, Wolfe & Crowder 1974; sort-based).
pub fn project_simplex(v: [f64; 3]) -> [f64; 3] {
    let mut u = v;
    u.sort_by(|a, b| b.total_cmp(a));
    let mut cumulative = 0.0;
    let mut theta = 0.0;
    for (j, &x) in u.iter().enumerate() {
        cumulative += x;
        let candidate = (cumulative - 1.0) / (j + 1) as f64;
        if x - candidate > 0.0 {
            theta = candidate;
        }
    }
    v.map(|x| (x - theta).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_lands_on_the_simplex_and_fixes_its_points() {
        let p = project_simplex([0.5, 0.8, -0.2]);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12 && p.iter().all(|&x| x >= 0.0));
        assert_eq!(project_simplex([0.2, 0.3, 0.5]), [0.2, 0.3, 0.5]);
        assert_eq!(project_simplex([5.0, 0.0, 0.0]), [1.0, 0.0, 0.0]);
    }

    #[test]
    fn a_row_fixed_by_the_others_in_every_unit_is_found_by_its_one_minus_r_squared() {
        let normal = |units: &[[f64; 3]]| {
            Normal::new(3, units.iter().map(|p| (1.0, p.as_slice(), [0.0; 2])))
        };
        let varied = [
            [0.5, 0.2, 0.3],
            [0.2, 0.5, 0.3],
            [0.3, 0.3, 0.4],
            [0.1, 0.6, 0.3],
        ];
        assert_eq!(normal(&varied).dependent_row(1e-9), None);
        // One mix in every unit: the second row is a multiple of the first.
        assert_eq!(normal(&[[0.5, 0.3, 0.2]; 4]).dependent_row(1e-9), Some(1));
        // No votes for the third row anywhere.
        let none = [[0.5, 0.5, 0.0], [0.3, 0.7, 0.0], [0.6, 0.4, 0.0]];
        assert_eq!(normal(&none).dependent_row(1e-9), Some(2));
        // Two units and three rows: the third cannot be independent of the first two.
        let two = [[0.5, 0.2, 0.3], [0.2, 0.5, 0.3]];
        assert_eq!(normal(&two).dependent_row(1e-9), Some(2));
        // The pivot is 1 − R² of the row on the earlier ones: for two rows, 1 − cos² = 0.5 here.
        let pair = [[1.0, 0.0], [1.0, 1.0]];
        let n = Normal::new(2, pair.iter().map(|p| (1.0, p.as_slice(), [0.0; 2])));
        assert_eq!(n.dependent_row(0.51), Some(1));
        assert_eq!(n.dependent_row(0.49), None);
    }

    /// 40 units with first-round shares `mix(u)` whose runoff follows `truth` exactly.
    fn noiseless_units(truth: &[[f64; 3]; 3], mix: impl Fn(usize) -> [f64; 3]) -> Normal {
        let units: Vec<(f64, [f64; 3], [f64; 2])> = (0..40)
            .map(|u| {
                let p = mix(u);
                let s = [0, 1].map(|k| (0..3).map(|i| p[i] * truth[i][k]).sum());
                (100.0 + u as f64, p, s)
            })
            .collect();
        Normal::new(3, units.iter().map(|(w, p, s)| (*w, p.as_slice(), *s)))
    }

    fn assert_rows_near(beta: &[[f64; 3]], truth: &[[f64; 3]; 3]) {
        for (row, want) in beta.iter().zip(truth) {
            for (got, want) in row.iter().zip(want) {
                assert!((got - want).abs() < 1e-3, "{row:?}, not {want:?}");
            }
        }
    }

    #[test]
    fn units_whose_mixes_barely_differ_still_give_the_rows() {
        // Every unit within ±0.1 point of one mix: 1 − R² of about 5e-6 (refused under 1e-8), a
        // valley the fixed 3,000 iterations once stopped short in, 20 points off.
        let truth = [[0.9, 0.0, 0.1], [0.0, 0.9, 0.1], [0.5, 0.3, 0.2]];
        let normal = noiseless_units(&truth, |u| {
            let wobble = |m: usize| 0.001 * (((u * m) % 7) as f64 / 3.0 - 1.0);
            let (a, b) = (0.4 + wobble(3), 0.35 + wobble(5));
            [a, b, 1.0 - a - b]
        });
        assert_eq!(normal.dependent_row(1e-8), None);
        assert!(normal.dependent_row(1e-4).is_some());
        assert_rows_near(&normal.solve(1_000_000), &truth);
    }

    #[test]
    fn noiseless_units_recover_the_rows_exactly() {
        let truth = [[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.3, 0.4, 0.3]];
        let normal = noiseless_units(&truth, |u| {
            let a = 0.2 + 0.5 * ((u * 7 % 13) as f64 / 13.0);
            let b = 0.1 + 0.4 * ((u * 5 % 11) as f64 / 11.0);
            [a, b, 0.3].map(|x| x / (a + b + 0.3))
        });
        assert_rows_near(&normal.solve(20_000), &truth);
    }
}
