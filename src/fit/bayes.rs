//! The Bayesian fit, `runoff fit`'s default: race-wide transfer rows with posterior intervals that
//! stay honest where the units cannot tell the rows apart.
//!
//! What belongs here: the model, the choice of its two scales, the sampler and the summaries of
//! its draws; the rows' prior comes in from `fit` (`--prior` or the uniform default), and what
//! the table, the chart and the written scenario make of the posterior stays in `fit`, `export`
//! and `chart`.
//!
//! Model (docs/fit.md). For unit u with first-round shares s_ui and runoff votes y_uc of each
//! finalist c as a share of the unit's first-round total,
//!
//!   y_uc = Σ_i s_ui β_uic + e_uc,   β_uic = B_ic + Σ_j Γ_ijc (s_uj − m_ij),
//!
//! so a group's rates may move with the unit's composition (contextual effects, the case where
//! ecological regression goes wrong), and m_ij, the mean share of candidate j where group i's
//! voters live, makes B_i exactly group i's vote-weighted rate over the units: the race-wide row
//! a scenario needs. Γ ~ N(0, τ²) and e_uc ~ N(0, λ_c (σ² + ¼/N_u)): heterogeneity σ² that does
//! not shrink with the unit's size, plus the binomial noise of its N_u voters. The linear part of
//! Γ's effect is the same as a change of B, so the data bound B only as far as Γ's scale allows:
//! τ and λ_c are chosen by their marginal likelihood (empirical Bayes), which sees how far the
//! units' results bend with their composition. Each row B_i has a Dirichlet prior and lives on
//! the simplex; its posterior is sampled by adaptive random-walk Metropolis on the exact
//! Gaussian likelihood of B (Γ integrated out), so rows at a bound get intervals, not a corner.

use super::{Unit, unit_targets};
use nalgebra::{DMatrix, DVector};
use rand::RngExt;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};

/// Certainty of the default prior of a row: Dirichlet(1, 1, 1), every row on the simplex equally
/// likely before the data.
pub const UNIFORM_CERTAINTY: f64 = 3.0;
/// Scales of the contextual effects tried (a shift of a group's rates per unit of a candidate's
/// share): from none to a shift of 50 points across the full range of a share.
const CONTEXT_SCALES: [f64; 11] = [
    0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5,
];
/// The scale given to the contextual effects the units cannot show, as a multiple of the one
/// measured on those they can. Only the part of Γ symmetric between two groups bends the units'
/// results; its antisymmetric part moves the rows without a trace, and its prior is all that
/// bounds them. The measured τ is the root mean square over all k² effects, while real effects are
/// few and large and sit where a group's voters live, so the unseen part gets more room. On
/// synthetic races with contextual effects of strength 0.25 to 1 (`tests/suite/fit.rs`), the
/// written rows' 90% intervals held the true rates in 41–85% of cells at 1, 95–100% at 1.5; 2
/// over-covers (98%) where there are no effects at all.
const UNSEEN_WIDENING: f64 = 1.5;
/// How closely the rows must reproduce each finalist's runoff vote over the units, as a share
/// of the first round: a tenth of a point.
const AGGREGATE_SD: f64 = 0.001;
/// The contextual scale of the pilot fit that measures the units' variances.
const PILOT_SCALE: f64 = 0.05;
/// The binomial variance of a share, p(1 − p), at its least over the shares a runoff sees: the
/// least b of a unit's variance a + b/N.
const BINOMIAL_AT_LEAST: f64 = 0.1;
/// The least variance a of a unit's share that does not shrink with its size (a 0.1-point sd).
const SPREAD_AT_LEAST: f64 = 1e-6;

/// Posterior draws kept, and Metropolis steps per kept draw.
const DRAWS: usize = 4000;
const THIN: usize = 20;
/// Adaptive burn-in: stages, and steps per stage.
const BURN_STAGES: usize = 8;
const BURN_STEPS: usize = 2500;
/// A weak Gaussian prior (sd 1 around ⅓) on B in the Gaussian step, so that a row with no votes in
/// any unit leaves the system solvable; the Dirichlet prior is the one that counts.
const WEAK_SD: f64 = 1.0;

/// A row's prior: Dirichlet(certainty · shares). A share of exactly 0 is a structural zero: the
/// row never sends voters there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RowPrior {
    /// Prior mean `[to A, to B, stays home]`.
    pub shares: [f64; 3],
    /// Dirichlet concentration.
    pub certainty: f64,
}

impl RowPrior {
    /// Dirichlet(1, 1, 1).
    pub fn uniform() -> Self {
        RowPrior {
            shares: [1.0 / 3.0; 3],
            certainty: UNIFORM_CERTAINTY,
        }
    }

    /// The prior's sd of share `c`.
    pub fn sd(&self, c: usize) -> f64 {
        let m = self.shares[c];
        (m * (1.0 - m) / (self.certainty + 1.0)).sqrt()
    }

    /// The cells the row may send voters to.
    fn free(&self) -> Vec<usize> {
        (0..3).filter(|&c| self.shares[c] > 0.0).collect()
    }
}

/// The posterior of the rows, and what predicts a unit from it.
#[derive(Debug, Clone)]
pub struct Posterior {
    /// Posterior mean of each row `[to A, to B, stays home]`.
    pub mean: Vec<[f64; 3]>,
    /// Posterior sd of each share.
    pub sd: Vec<[f64; 3]>,
    /// 5% and 95% posterior quantiles of each share.
    pub interval90: Vec<[[f64; 2]; 3]>,
    /// Correlation over the draws between row i's and row j's share to finalist c:
    /// `correlation[c][i * k + j]`.
    pub correlation: [Vec<f64>; 2],
    /// The contextual effects' scale τ chosen by the marginal likelihood.
    pub contextual_sd: f64,
    /// The sd of a unit's share not explained by the model, for a large unit (√(λ σ²), mean of
    /// the two finalists).
    pub unit_sd: f64,
    /// Metropolis acceptance rate after burn-in.
    pub acceptance: f64,
    /// Coefficients that predict a unit: the rows' posterior mean, then Γ's mean given them.
    coefficients: [DVector<f64>; 2],
    centres: Vec<f64>,
}

impl Posterior {
    /// The unit's predicted runoff votes of each finalist, as shares of its first-round total.
    pub fn unit_shares(&self, u: &Unit) -> [f64; 2] {
        let x = features(&u.first, &self.centres);
        [0, 1].map(|c| x.dot(&self.coefficients[c]).max(0.0))
    }
}

/// The mean share of candidate j in the units where row i's voters live, `m[i * k + j]`.
fn centres(units: &[&Unit], k: usize) -> Vec<f64> {
    let mut m = vec![0.0; k * k];
    let mut weight = vec![0.0; k];
    for u in units {
        let n: f64 = u.first.iter().sum();
        for i in 0..k {
            weight[i] += u.first[i];
            for j in 0..k {
                m[i * k + j] += u.first[i] * u.first[j] / n;
            }
        }
    }
    for i in 0..k {
        for j in 0..k {
            m[i * k + j] = if weight[i] > 0.0 {
                m[i * k + j] / weight[i]
            } else {
                0.0
            };
        }
    }
    m
}

/// A unit's regressors: its first-round shares, then each share times another's distance from
/// its centre.
fn features(first: &[f64], centres: &[f64]) -> DVector<f64> {
    let k = first.len();
    let n: f64 = first.iter().sum();
    let s: Vec<f64> = first.iter().map(|v| v / n).collect();
    let mut x = DVector::zeros(k + k * k);
    for i in 0..k {
        x[i] = s[i];
        for j in 0..k {
            x[k + i * k + j] = s[i] * (s[j] - centres[i * k + j]);
        }
    }
    x
}

/// Weighted sufficient statistics of the two regressions (one per finalist).
struct Normal {
    k: usize,
    gram: DMatrix<f64>,
    rhs: [DVector<f64>; 2],
    yy: [f64; 2],
    n: f64,
    /// The least λ: no unit's variance λ / w below the floors SPREAD_AT_LEAST + BINOMIAL_AT_LEAST / N.
    /// Without it a table the rows fit exactly (a handful of units, or made-up numbers) drives λ,
    /// and every interval with it, to zero: false certainty from a perfect fit.
    least_lambda: f64,
}

impl Normal {
    fn new(
        xs: &[DVector<f64>],
        ys: &[[f64; 2]],
        weights: &[f64],
        first_totals: &[f64],
        k: usize,
    ) -> Normal {
        let d = k + k * k;
        let mut gram = DMatrix::zeros(d, d);
        let mut rhs = [DVector::zeros(d), DVector::zeros(d)];
        let mut yy = [0.0; 2];
        for ((x, y), &w) in xs.iter().zip(ys).zip(weights) {
            gram.syger(w, x, x, 1.0);
            for c in 0..2 {
                rhs[c].axpy(w * y[c], x, 1.0);
                yy[c] += w * y[c] * y[c];
            }
        }
        gram.fill_upper_triangle_with_lower_triangle();
        let least_lambda = weights
            .iter()
            .zip(first_totals)
            .map(|(w, n)| w * (SPREAD_AT_LEAST + BINOMIAL_AT_LEAST / n.max(1.0)))
            .fold(0.0, f64::max);
        Normal {
            k,
            gram,
            rhs,
            yy,
            n: xs.len() as f64,
            least_lambda,
        }
    }

    /// The prior precisions and means of (B, Γ) at contextual scale τ.
    fn prior(&self, tau: f64) -> (DVector<f64>, DVector<f64>) {
        let (k, d) = (self.k, self.gram.nrows());
        let precision = DVector::from_fn(d, |j, _| {
            if j < k {
                1.0 / (WEAK_SD * WEAK_SD)
            } else {
                1.0 / (tau * tau)
            }
        });
        let mean = DVector::from_fn(d, |j, _| if j < k { 1.0 / 3.0 } else { 0.0 });
        (precision, mean)
    }

    /// Column c's posterior at (λ, τ): precision matrix's Cholesky factor and mean, with the log
    /// marginal likelihood (up to terms that depend on neither).
    fn column(
        &self,
        c: usize,
        lambda: f64,
        tau: f64,
    ) -> Option<(nalgebra::Cholesky<f64, nalgebra::Dyn>, DVector<f64>, f64)> {
        let (precision, mean) = self.prior(tau);
        let mut a = &self.gram / lambda;
        for j in 0..precision.len() {
            a[(j, j)] += precision[j];
        }
        let chol = a.cholesky()?;
        let b = &self.rhs[c] / lambda + precision.component_mul(&mean);
        let theta = chol.solve(&b);
        let fit = self.yy[c] - 2.0 * theta.dot(&self.rhs[c]) + theta.dot(&(&self.gram * &theta));
        let off = &theta - &mean;
        let penalty = off.component_mul(&precision).dot(&off);
        let log_det: f64 = chol.l().diagonal().iter().map(|x| 2.0 * x.ln()).sum();
        let log_prior: f64 = precision.iter().map(|p| p.ln()).sum();
        let lml = -0.5 * self.n * lambda.ln() + 0.5 * log_prior
            - 0.5 * log_det
            - 0.5 * (fit / lambda + penalty);
        Some((chol, theta, lml))
    }

    /// The λ of column c that maximises the marginal likelihood at τ (golden section on log λ).
    fn best_lambda(&self, c: usize, tau: f64) -> (f64, f64) {
        let score = |log_lambda: f64| {
            self.column(c, log_lambda.exp(), tau)
                .map_or(f64::NEG_INFINITY, |(_, _, l)| l)
        };
        let golden = (5f64.sqrt() - 1.0) / 2.0;
        let lo_bound = self.least_lambda.max(1e-13).ln();
        let (mut lo, mut hi) = (lo_bound, lo_bound.max(-30.0) + 33.0);
        let mut x1 = hi - golden * (hi - lo);
        let mut x2 = lo + golden * (hi - lo);
        let (mut f1, mut f2) = (score(x1), score(x2));
        for _ in 0..60 {
            if f1 >= f2 {
                hi = x2;
                x2 = x1;
                f2 = f1;
                x1 = hi - golden * (hi - lo);
                f1 = score(x1);
            } else {
                lo = x1;
                x1 = x2;
                f1 = f2;
                x2 = lo + golden * (hi - lo);
                f2 = score(x2);
            }
        }
        let x = (lo + hi) / 2.0;
        (x.exp(), score(x))
    }
}

/// The Gaussian posterior of (B, Γ) per finalist, at the scales the marginal likelihood prefers.
struct Gaussian {
    /// B's marginal mean, covariance and precision per column, at the widened scale.
    mean: [DVector<f64>; 2],
    covariance: [DMatrix<f64>; 2],
    precision: [DMatrix<f64>; 2],
    /// The posterior mean of (B, Γ) per column at the measured scale, which predicts the units.
    predict: [DVector<f64>; 2],
    /// The measured contextual scale τ.
    tau: f64,
    unit_sd: f64,
}

fn gaussian(xs: &[DVector<f64>], ys: &[[f64; 2]], first_totals: &[f64], k: usize) -> Gaussian {
    // A pilot weighted by size (as the regression weighs) gives residuals whose squares measure
    // each unit's variance as a + b/N: a, what does not shrink with the unit's size; b/N, the
    // binomial noise of its voters and the precincts' own variation averaged within it.
    let mean_n = first_totals.iter().sum::<f64>() / first_totals.len() as f64;
    let pilot_weights: Vec<f64> = first_totals.iter().map(|n| n / mean_n).collect();
    let pilot = Normal::new(xs, ys, &pilot_weights, first_totals, k);
    let mut squares = vec![0.0; xs.len()];
    for c in 0..2 {
        let lambda = pilot.best_lambda(c, PILOT_SCALE).0;
        if let Some((_, theta, _)) = pilot.column(c, lambda, PILOT_SCALE) {
            for ((sq, x), y) in squares.iter_mut().zip(xs).zip(ys) {
                *sq += 0.5 * (y[c] - x.dot(&theta)).powi(2);
            }
        }
    }
    let inverse: Vec<f64> = first_totals.iter().map(|n| 1.0 / n.max(1.0)).collect();
    let [a, b] = variance_line(&squares, &inverse);
    let weights: Vec<f64> = inverse.iter().map(|i| 1.0 / (a + b * i)).collect();
    let scale = weights.iter().sum::<f64>() / weights.len() as f64;
    let weights: Vec<f64> = weights.iter().map(|w| w / scale).collect();
    let normal = Normal::new(xs, ys, &weights, first_totals, k);
    let (tau, lambdas) = CONTEXT_SCALES
        .iter()
        .map(|&tau| {
            let (l0, s0) = normal.best_lambda(0, tau);
            let (l1, s1) = normal.best_lambda(1, tau);
            (tau, [l0, l1], s0 + s1)
        })
        .max_by(|a, b| a.2.total_cmp(&b.2))
        .map(|(tau, l, _)| (tau, l))
        .expect("a non-empty grid");
    let widened = UNSEEN_WIDENING * tau;
    // Each group's share of the first round, and each finalist's runoff vote as a share of it.
    let grand: f64 = first_totals.iter().sum();
    let votes = DVector::from_fn(k, |i, _| {
        xs.iter()
            .zip(first_totals)
            .map(|(x, n)| n * x[i])
            .sum::<f64>()
            / grand
    });
    let totals = [0, 1].map(|c| {
        ys.iter()
            .zip(first_totals)
            .map(|(y, n)| n * y[c])
            .sum::<f64>()
            / grand
    });
    let mut out = Gaussian {
        mean: [DVector::zeros(k), DVector::zeros(k)],
        covariance: [DMatrix::zeros(k, k), DMatrix::zeros(k, k)],
        precision: [DMatrix::zeros(k, k), DMatrix::zeros(k, k)],
        predict: [DVector::zeros(k), DVector::zeros(k)],
        tau,
        unit_sd: 0.0,
    };
    let solved = |c: usize, lambda: f64, tau: f64| {
        normal
            .column(c, lambda, tau)
            .expect("a positive definite system: the prior's precision is on the diagonal")
    };
    for c in 0..2 {
        out.predict[c] = solved(c, lambdas[c], tau).1;
        out.unit_sd += 0.5 * (lambdas[c] * a / scale).sqrt();
        let (chol, theta, _) = solved(c, normal.best_lambda(c, widened).0, widened);
        let covariance = chol.inverse().view((0, 0), (k, k)).into_owned();
        // The race's own total is exact: group i's rate B_i is its voters' rate over the units,
        // so Σ_i X_i B_ic is finalist c's runoff vote. Condition on it (a Kalman update with
        // an sd of AGGREGATE_SD of the first round) so the rows add up to the result.
        let gain =
            &covariance * &votes / (votes.dot(&(&covariance * &votes)) + AGGREGATE_SD.powi(2));
        let mean = theta.rows(0, k).into_owned();
        let mean = &mean + &gain * (totals[c] - votes.dot(&mean));
        let covariance = &covariance - &gain * (votes.transpose() * &covariance);
        let covariance = (&covariance + covariance.transpose()) / 2.0;
        out.precision[c] = covariance
            .clone()
            .cholesky()
            .map(|ch| ch.inverse())
            .unwrap_or_else(|| DMatrix::identity(k, k) * 1e12);
        out.mean[c] = mean;
        out.covariance[c] = covariance;
    }
    out
}

/// The variance a + b·x (x = 1/N) under which the residuals `squares` (squared, mean of the two
/// finalists') are likeliest as Gaussian noise, searched on a log grid with a and b at their floors.
fn variance_line(squares: &[f64], x: &[f64]) -> [f64; 2] {
    let log_likelihood = |a: f64, b: f64| -> f64 {
        squares
            .iter()
            .zip(x)
            .map(|(sq, x)| {
                let v = a + b * x;
                -0.5 * (v.ln() + sq / v)
            })
            .sum()
    };
    let grid = |lo: f64, hi: f64| -> Vec<f64> {
        (0..=VARIANCE_GRID)
            .map(|g| (lo.ln() + (hi / lo).ln() * g as f64 / VARIANCE_GRID as f64).exp())
            .collect()
    };
    let (spreads, binomials) = (grid(SPREAD_AT_LEAST, 0.1), grid(BINOMIAL_AT_LEAST, 1e4));
    let mut best = ([SPREAD_AT_LEAST, BINOMIAL_AT_LEAST], f64::NEG_INFINITY);
    for &a in &spreads {
        for &b in &binomials {
            let l = log_likelihood(a, b);
            if l > best.1 {
                best = ([a, b], l);
            }
        }
    }
    best.0
}

/// Points of each side of the variance's grid.
const VARIANCE_GRID: usize = 40;

/// The density the sampler walks: B's Gaussian likelihood times each row's Dirichlet prior, on
/// the simplex. Coordinates: each row's free shares but its last, which is the rest.
struct Target<'a> {
    gaussian: &'a Gaussian,
    priors: &'a [RowPrior],
    free: Vec<Vec<usize>>,
}

impl Target<'_> {
    fn dimension(&self) -> usize {
        self.free.iter().map(|f| f.len().saturating_sub(1)).sum()
    }

    fn rows(&self, coords: &[f64]) -> Option<Vec<[f64; 3]>> {
        let mut rows = Vec::with_capacity(self.free.len());
        let mut at = 0;
        for free in &self.free {
            let mut row = [0.0; 3];
            let mut rest = 1.0;
            for &c in &free[..free.len() - 1] {
                row[c] = coords[at];
                rest -= coords[at];
                at += 1;
            }
            row[free[free.len() - 1]] = rest;
            if free.iter().any(|&c| row[c] <= 0.0) {
                return None;
            }
            rows.push(row);
        }
        Some(rows)
    }

    fn coords(&self, rows: &[[f64; 3]]) -> Vec<f64> {
        self.free
            .iter()
            .zip(rows)
            .flat_map(|(free, row)| free[..free.len() - 1].iter().map(move |&c| row[c]))
            .collect()
    }

    fn log_density(&self, coords: &[f64]) -> f64 {
        let Some(rows) = self.rows(coords) else {
            return f64::NEG_INFINITY;
        };
        let k = rows.len();
        let mut log = 0.0;
        for (c, (mean, precision)) in self
            .gaussian
            .mean
            .iter()
            .zip(&self.gaussian.precision)
            .enumerate()
        {
            let diff = DVector::from_fn(k, |i, _| rows[i][c] - mean[i]);
            log -= 0.5 * diff.dot(&(precision * &diff));
        }
        for ((row, prior), free) in rows.iter().zip(self.priors).zip(&self.free) {
            for &c in free {
                log += (prior.certainty * prior.shares[c] - 1.0) * row[c].ln();
            }
        }
        log
    }
}

/// The posterior of the rows on `units` (k candidates, finalists first) under `priors`, sampled
/// from `seed`'s stream.
pub fn posterior(units: &[&Unit], priors: &[RowPrior], seed: u64) -> Posterior {
    let k = priors.len();
    let centres = centres(units, k);
    let xs: Vec<DVector<f64>> = units.iter().map(|u| features(&u.first, &centres)).collect();
    let (totals, ys): (Vec<f64>, Vec<[f64; 2]>) = units
        .iter()
        .map(|u| {
            let (x, s, _) = unit_targets(u);
            (x, s)
        })
        .unzip();
    let gaussian = gaussian(&xs, &ys, &totals, k);
    let target = Target {
        gaussian: &gaussian,
        priors,
        free: priors.iter().map(RowPrior::free).collect(),
    };
    let draws = sample(&target, seed);
    let n = draws.len() as f64;
    let mut mean = vec![[0.0; 3]; k];
    let mut sd = vec![[0.0; 3]; k];
    let mut interval90 = vec![[[0.0; 2]; 3]; k];
    for i in 0..k {
        for c in 0..3 {
            let mut xs: Vec<f64> = draws.iter().map(|d| d[i][c]).collect();
            let m = xs.iter().sum::<f64>() / n;
            mean[i][c] = m;
            sd[i][c] =
                (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
            xs.sort_by(f64::total_cmp);
            interval90[i][c] = [quantile(&xs, 0.05), quantile(&xs, 0.95)];
        }
    }
    let correlation = [0, 1].map(|c| {
        let mut r = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..k {
                let cov = draws
                    .iter()
                    .map(|d| (d[i][c] - mean[i][c]) * (d[j][c] - mean[j][c]))
                    .sum::<f64>()
                    / (n - 1.0).max(1.0);
                let s = sd[i][c] * sd[j][c];
                r[i * k + j] = if s > 0.0 { cov / s } else { 0.0 };
            }
        }
        r
    });
    Posterior {
        mean,
        sd,
        interval90,
        correlation,
        contextual_sd: gaussian.tau,
        unit_sd: gaussian.unit_sd,
        acceptance: draws.acceptance,
        coefficients: gaussian.predict.clone(),
        centres,
    }
}

/// The kept draws, with the acceptance rate after burn-in.
struct Draws {
    rows: Vec<Vec<[f64; 3]>>,
    acceptance: f64,
}

impl std::ops::Deref for Draws {
    type Target = Vec<Vec<[f64; 3]>>;
    fn deref(&self) -> &Self::Target {
        &self.rows
    }
}

/// Adaptive random-walk Metropolis (Haario, Saksman & Tamminen 2001, adapted in stages during the
/// burn-in only, so the kept chain is a plain Metropolis chain).
fn sample(target: &Target, seed: u64) -> Draws {
    let k = target.priors.len();
    let dim = target.dimension();
    // Start inside the simplex: the Gaussian's mean on it, a fifth of the way to the prior mean.
    let start: Vec<[f64; 3]> = (0..k)
        .map(|i| {
            let prior = target.priors[i];
            let mu = [
                target.gaussian.mean[0][i],
                target.gaussian.mean[1][i],
                1.0 - target.gaussian.mean[0][i] - target.gaussian.mean[1][i],
            ];
            let mut on = super::solver::project_simplex(mu);
            for (share, m) in on.iter_mut().zip(prior.shares) {
                if m == 0.0 {
                    *share = 0.0;
                }
            }
            let total: f64 = on.iter().sum();
            [0, 1, 2].map(|c| {
                let p = if total > 0.0 {
                    on[c] / total
                } else {
                    prior.shares[c]
                };
                0.8 * p + 0.2 * prior.shares[c]
            })
        })
        .collect();
    let mut x = target.coords(&start);
    if dim == 0 {
        return Draws {
            rows: vec![start; DRAWS],
            acceptance: 1.0,
        };
    }
    // The first proposal: the Gaussian's own spread, where it is on the scale of the simplex.
    let mut variance = Vec::with_capacity(dim);
    for (i, free) in target.free.iter().enumerate() {
        for &c in &free[..free.len().saturating_sub(1)] {
            let v = match c {
                0 | 1 => target.gaussian.covariance[c][(i, i)],
                _ => target.gaussian.covariance[0][(i, i)] + target.gaussian.covariance[1][(i, i)],
            };
            variance.push(v.clamp(1e-8, 0.01));
        }
    }
    let scale = 2.38 * 2.38 / dim as f64;
    let mut chol = DMatrix::from_diagonal(&DVector::from_iterator(
        dim,
        variance.iter().map(|v| (scale * v).sqrt()),
    ));
    let mut rng = crate::engine::rng::SeedKey::new(seed).stream(0, 1);
    let mut log_p = target.log_density(&x);
    let mut step = |x: &mut Vec<f64>, log_p: &mut f64, chol: &DMatrix<f64>| -> bool {
        let z = DVector::from_fn(dim, |_, _| rng.sample::<f64, _>(StandardNormal));
        let proposal: Vec<f64> = x
            .iter()
            .zip((chol * z).iter())
            .map(|(a, b)| a + b)
            .collect();
        let next = target.log_density(&proposal);
        if next - *log_p >= rng.random::<f64>().ln() {
            *x = proposal;
            *log_p = next;
            true
        } else {
            false
        }
    };
    for _ in 0..BURN_STAGES {
        let mut seen = Vec::with_capacity(BURN_STEPS);
        let mut accepted = 0;
        for _ in 0..BURN_STEPS {
            accepted += usize::from(step(&mut x, &mut log_p, &chol));
            seen.push(x.clone());
        }
        let n = seen.len() as f64;
        let mean: Vec<f64> = (0..dim)
            .map(|a| seen.iter().map(|s| s[a]).sum::<f64>() / n)
            .collect();
        let mut cov = DMatrix::from_fn(dim, dim, |a, b| {
            seen.iter()
                .map(|s| (s[a] - mean[a]) * (s[b] - mean[b]))
                .sum::<f64>()
                / (n - 1.0)
        });
        let rate = accepted as f64 / n;
        if rate < 0.02 {
            // Too few moves to learn a shape from: take smaller steps of the same shape.
            chol *= 0.3;
            continue;
        }
        cov *= scale;
        for a in 0..dim {
            cov[(a, a)] += 1e-12;
        }
        if let Some(c) = cov.cholesky() {
            chol = c.l();
        }
    }
    let mut rows = Vec::with_capacity(DRAWS);
    let mut accepted = 0;
    for _ in 0..DRAWS {
        for _ in 0..THIN {
            accepted += usize::from(step(&mut x, &mut log_p, &chol));
        }
        rows.push(
            target
                .rows(&x)
                .expect("the chain stays where the density is positive"),
        );
    }
    Draws {
        rows,
        acceptance: accepted as f64 / (DRAWS * THIN) as f64,
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// How far a written row's interval may fall short of the posterior's at either end: a tenth of a
/// point is what the table shows, and without slack a share near 0, whose posterior 5% quantile
/// is a hundredth of a point, would force the row's certainty to its floor.
const COVER_SLACK: f64 = 0.0025;

/// The largest certainty (in [1, 5000]) at which a Dirichlet row with mean `shares` has every
/// share's 90% Beta interval holding the posterior's `interval90`: `runoff run` on the written
/// row then draws at least the spread the fit found.
pub fn covering_certainty(shares: [f64; 3], interval90: [[f64; 2]; 3]) -> f64 {
    // How far the row's intervals fall short of the posterior's, at the worst end (≤ 0: they
    // hold it). Not monotone in the certainty: a share near 0 has a longer upper tail at a
    // moderate certainty than at a tiny one, whose mass sits on 0.
    let shortfall = |kappa: f64| {
        (0..3)
            .filter(|&c| shares[c] > 0.0 && shares[c] < 1.0)
            .map(|c| {
                let [lo, hi] = crate::stats::share_interval(shares[c], kappa, 0.90);
                let [want_lo, want_hi] = interval90[c];
                (lo - want_lo).max(want_hi - hi) - COVER_SLACK
            })
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let (least, most) = (CERTAINTY_RANGE[0].ln(), CERTAINTY_RANGE[1].ln());
    let grid: Vec<f64> = (0..=GRID)
        .map(|g| (least + (most - least) * g as f64 / GRID as f64).exp())
        .collect();
    let Some(at) = grid.iter().rposition(|&kappa| shortfall(kappa) <= 0.0) else {
        // Nothing holds it: the certainty that comes closest.
        return grid
            .iter()
            .copied()
            .min_by(|a, b| shortfall(*a).total_cmp(&shortfall(*b)))
            .unwrap_or(CERTAINTY_RANGE[0]);
    };
    if at == GRID {
        return CERTAINTY_RANGE[1];
    }
    // Between the last grid point that holds it and the next, which does not.
    let (mut lo, mut hi) = (grid[at].ln(), grid[at + 1].ln());
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        if shortfall(mid.exp()) <= 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo.exp()
}

/// The certainties a written row may have, and the grid they are searched on.
const CERTAINTY_RANGE: [f64; 2] = [1.0, 5000.0];
const GRID: usize = 120;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_certainty_holds_the_posterior_interval_even_for_a_share_near_zero() {
        // A share of 0.7% whose posterior reaches 1.7%: a tiny certainty puts its mass on 0 and
        // its interval below 0.1%, so the largest certainty that holds every share is moderate.
        let shares = [0.926, 0.067, 0.007];
        let posterior = [[0.838, 0.980], [0.014, 0.156], [0.0001, 0.017]];
        let kappa = covering_certainty(shares, posterior);
        assert!((10.0..100.0).contains(&kappa), "{kappa}");
        for c in 0..3 {
            let [lo, hi] = crate::stats::share_interval(shares[c], kappa, 0.90);
            assert!(lo <= posterior[c][0] + COVER_SLACK && hi >= posterior[c][1] - COVER_SLACK);
        }
        // A tight posterior gets a high certainty, capped.
        let tight = [[0.49, 0.51], [0.29, 0.31], [0.19, 0.21]];
        assert!(covering_certainty([0.5, 0.3, 0.2], tight) > 1000.0);
    }
}
