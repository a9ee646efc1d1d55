//! Constrained ecological regression: rows on the simplex, fitted by accelerated projected gradient (FISTA; Beck & Teboulle 2009).
//!
//! Model: for unit u with first-round shares p_ui (of its first-round total), the runoff shares
//! s_uk = Σ_i p_ui β_ik for k in {A, B}, with every row β_i = (to A, to B, stays home) on the
//! simplex. Objective: Σ_u w_u Σ_k (s_uk − Σ_i p_ui β_ik)², w_u the unit's first-round total
//! (Goodman 1953 regression with the logical bounds imposed).

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
            let t_next = (1.0 + (1.0 + 4.0 * t * t).sqrt()) / 2.0;
            let momentum = (t - 1.0) / t_next;
            for i in 0..k {
                for c in 0..3 {
                    y[i][c] = next[i][c] + momentum * (next[i][c] - beta[i][c]);
                }
            }
            beta = next;
            t = t_next;
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
    fn noiseless_units_recover_the_rows_exactly() {
        let truth = [[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.3, 0.4, 0.3]];
        let units: Vec<(f64, Vec<f64>, [f64; 2])> = (0..40)
            .map(|u| {
                let a = 0.2 + 0.5 * ((u * 7 % 13) as f64 / 13.0);
                let b = 0.1 + 0.4 * ((u * 5 % 11) as f64 / 11.0);
                let p = vec![a / (a + b + 0.3), b / (a + b + 0.3), 0.3 / (a + b + 0.3)];
                let s = [0, 1].map(|k| (0..3).map(|i| p[i] * truth[i][k]).sum());
                (100.0 + u as f64, p, s)
            })
            .collect();
        let normal = Normal::new(3, units.iter().map(|(w, p, s)| (*w, p.as_slice(), *s)));
        let beta = normal.solve(20_000);
        for i in 0..3 {
            for c in 0..3 {
                assert!(
                    (beta[i][c] - truth[i][c]).abs() < 1e-3,
                    "row {i}: {:?}",
                    beta[i]
                );
            }
        }
    }
}
