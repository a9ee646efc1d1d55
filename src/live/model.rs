//! The unit-level model and its update on the units counted (docs/election-night.md).
//!
//! Per draw, every round-1 candidate's voters go to the finalists at race-wide rates drawn from
//! the prior (its Dirichlet rows, as the engine draws them), new voters come in proportion to a
//! unit's round-1 vote, and the late swing moves the two-party share. A unit's runoff votes, as
//! fractions of its round-1 vote, are its mix times the rates, plus a residual of its own. The
//! counted units update the rates: the draws are moved by the ensemble Kalman update (exact for a
//! linear-Gaussian model, and with nothing counted the prior draws themselves), with the residual
//! spread learned from the counted units (shrunk toward a prior value, with a floor). The units not
//! counted are predicted from their own mix, with their residuals and a common shift: the swing
//! still to come, and a shift of the uncounted against the counted, since counting order is not
//! random. Counted votes are never uncertain.

use super::{Race, Returns};
use crate::engine::rng::SeedKey;
use crate::scenario::{A, B, Scenario, SwingDistribution};
use indexmap::IndexMap;
use rand_distr::{Distribution, Gamma, StandardNormal, StudentT};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Prior residual sd of a unit's runoff votes as a fraction of its round-1 vote, and its weight in
/// units: the first counted units say little about the spread, so it starts here.
const RESIDUAL_SD_PRIOR: (f64, f64) = (0.04, 20.0);

/// Least residual sd, whatever the counted units say.
const RESIDUAL_SD_FLOOR: f64 = 0.01;

/// Prior sd of how a unit's runoff fractions change with the log of its size (per finalist): where
/// cities and the countryside vote differently and are counted at different times, the counted
/// units show it, and the units still out are predicted from their own size as well as their mix.
const SIZE_SD: f64 = 0.03;

/// Sd of the shift of the uncounted units' two-party share against the counted units' at half the
/// vote counted (it grows from 0 with nothing counted, and falls back to 0 with everything): the
/// units counted early are not like the late ones (docs/election-night.md, calibration).
pub const ORDER_SHIFT_SD: f64 = 0.01;

/// Quantiles 2.5, 10, 50, 90 and 97.5%.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantiles5 {
    pub p025: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub p975: f64,
}

impl Quantiles5 {
    fn of(values: &mut [f64]) -> Self {
        values.sort_unstable_by(f64::total_cmp);
        // Linear between the order statistics around p·(n − 1).
        let q = |p: f64| {
            let at = p * (values.len() - 1) as f64;
            let (i, t) = (at.floor() as usize, at.fract());
            let next = values[(i + 1).min(values.len() - 1)];
            values[i] + t * (next - values[i])
        };
        Quantiles5 {
            p025: q(0.025),
            p10: q(0.10),
            p50: q(0.50),
            p90: q(0.90),
            p975: q(0.975),
        }
    }
}

/// Where the race stands, given what is counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// The race.
    pub race: String,
    /// The prior: the scenario's name, or "default prior".
    pub prior: String,
    /// First finalist first.
    pub finalists: [String; 2],
    /// Units with votes counted (completely or in part).
    pub units_reported: usize,
    /// Units of round 1.
    pub units_total: usize,
    /// The counted part of the round-one vote (a unit counted in part by its `reporting`).
    pub reported_fraction: f64,
    /// Each finalist's counted votes.
    pub counted: IndexMap<String, f64>,
    /// The mean over draws of the two-party vote still to count.
    pub expected_outstanding: f64,
    /// Each finalist's win probability.
    pub win_probability: IndexMap<String, f64>,
    /// The first finalist's two-party share of the final runoff vote.
    pub share: Quantiles5,
    /// The first finalist's margin in votes.
    pub margin: Quantiles5,
    /// The runoff's two-party vote.
    pub turnout: Quantiles5,
    /// For each finalist, the share of the expected outstanding two-party vote it needs to win
    /// (above 1: out of reach; below 0: won whatever is left); `None` with nothing left to count.
    pub hurdle: IndexMap<String, Option<f64>>,
    /// The residual sd of a unit's runoff fractions used (learned from the counted units).
    pub residual_sd: f64,
    /// Draws and seed.
    pub draws: u64,
    pub seed: u64,
}

impl Projection {
    /// What finalist `f` needs of the vote still out, in words (the table and live.png say it).
    pub fn hurdle_words(&self, f: &str) -> String {
        match self.hurdle.get(f).copied().flatten() {
            None => format!("{f}: nothing left to count"),
            Some(h) if h > 1.0 => format!(
                "{f} needs {} of the expected vote still out: out of reach",
                crate::format::pct(h)
            ),
            Some(h) if h <= 0.0 => format!("{f} has won whatever is left"),
            Some(h) => format!(
                "{f} needs {} of the expected vote still out",
                crate::format::pct(h)
            ),
        }
    }
}

/// The prior, per draw: `2m + 4` numbers (each round-1 candidate's rates to A and to B, the new
/// voters to A and to B as fractions of round 1, and the size slopes for A and B) and the swing.
struct Prior {
    dim: usize,
    theta: Vec<f64>,
    swing: Vec<f64>,
}

/// Draw the prior `draws` times: one stream per draw, so the draws are the same on any number of
/// threads.
fn draw_prior(race: &Race, s: &Scenario, draws: u64, seed: u64) -> Prior {
    let m = race.candidates.len();
    let dim = 2 * m + 4;
    let rows: Vec<&crate::scenario::TransferRow> = race
        .candidates
        .iter()
        .map(|c| {
            &s.candidates
                .iter()
                .find(|x| &x.name == c)
                .expect("prior() checked every candidate")
                .transfer
        })
        .collect();
    let gammas: Vec<[Option<Gamma<f64>>; 3]> = rows
        .iter()
        .map(|r| {
            r.shares.map(|share| {
                let shape = share * r.certainty;
                (shape > 0.0 && shape.is_finite())
                    .then(|| Gamma::new(shape, 1.0).ok())
                    .flatten()
            })
        })
        .collect();
    let nv = &s.new_voters;
    let split = (nv.enabled() && nv.certainty.is_finite()).then(|| {
        [nv.split[A] * nv.certainty, nv.split[B] * nv.certainty]
            .map(|shape| (shape > 0.0).then(|| Gamma::new(shape, 1.0).ok()).flatten())
    });
    let student = match s.swing.distribution {
        SwingDistribution::StudentT { df } => StudentT::new(df).ok(),
        SwingDistribution::Normal => None,
    };
    let key = SeedKey::new(seed);
    let mut theta = vec![0.0; dim * draws as usize];
    let mut swing = vec![0.0; draws as usize];
    theta
        .par_chunks_mut(dim)
        .zip(swing.par_iter_mut())
        .enumerate()
        .for_each(|(d, (t, sw))| {
            let mut rng = key.stream(d as u64, 0);
            for (j, (row, gs)) in rows.iter().zip(&gammas).enumerate() {
                let mut x = [0.0; 3];
                for k in 0..3 {
                    x[k] = match &gs[k] {
                        Some(g) => g.sample(&mut rng),
                        None => 0.0,
                    };
                }
                let sum: f64 = x.iter().sum();
                // A row held with certainty (or whose draws all underflow) is its mean.
                let p = if sum > 0.0 && row.certainty.is_finite() {
                    x.map(|v| v / sum)
                } else {
                    row.shares
                };
                t[2 * j] = p[A];
                t[2 * j + 1] = p[B];
            }
            if nv.enabled() {
                // Normal(share, sd) truncated at 0, as the engine draws it.
                let size = loop {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    let v = nv.share + nv.sd * z;
                    if v >= 0.0 || nv.sd == 0.0 {
                        break v.max(0.0);
                    }
                };
                let to_a = match &split {
                    Some([Some(ga), Some(gb)]) => {
                        let (a, b) = (ga.sample(&mut rng), gb.sample(&mut rng));
                        if a + b > 0.0 {
                            a / (a + b)
                        } else {
                            nv.split[A]
                        }
                    }
                    _ => nv.split[A],
                };
                t[2 * m] = size * to_a;
                t[2 * m + 1] = size * (1.0 - to_a);
            }
            for k in [A, B] {
                let z: f64 = StandardNormal.sample(&mut rng);
                t[2 * m + 2 + k] = SIZE_SD * z;
            }
            *sw = if s.swing.sd > 0.0 {
                let z: f64 = match &student {
                    Some(t) => t.sample(&mut rng),
                    None => StandardNormal.sample(&mut rng),
                };
                s.swing.sd * z
            } else {
                0.0
            };
        });
    Prior { dim, theta, swing }
}

/// Lower-triangular `L` with `L Lᵀ = a` for a symmetric positive semi-definite `a` (row-major,
/// `n × n`); a pivot at or below `tol` (a direction with no variance) gives a zero column.
fn cholesky_psd(a: &[f64], n: usize) -> Vec<f64> {
    let scale = (0..n).map(|i| a[i * n + i].abs()).fold(0.0, f64::max);
    let tol = 1e-13 * scale.max(f64::MIN_POSITIVE);
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let d = a[j * n + j] - (0..j).map(|k| l[j * n + k] * l[j * n + k]).sum::<f64>();
        if d <= tol {
            continue;
        }
        let djj = d.sqrt();
        l[j * n + j] = djj;
        for i in j + 1..n {
            let s = a[i * n + j] - (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum::<f64>();
            l[i * n + j] = s / djj;
        }
    }
    l
}

/// `x` with `a x = b` for a symmetric positive definite `a` (`n × n`), by its Cholesky factor.
fn solve_spd(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let l = cholesky_psd(a, n);
    let mut y = b.to_vec();
    for i in 0..n {
        let s = y[i] - (0..i).map(|k| l[i * n + k] * y[k]).sum::<f64>();
        y[i] = if l[i * n + i] > 0.0 {
            s / l[i * n + i]
        } else {
            0.0
        };
    }
    for i in (0..n).rev() {
        let s = y[i] - (i + 1..n).map(|k| l[k * n + i] * y[k]).sum::<f64>();
        y[i] = if l[i * n + i] > 0.0 {
            s / l[i * n + i]
        } else {
            0.0
        };
    }
    y
}

/// `a · b` for row-major `n × n` matrices.
fn matmul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut c = vec![0.0; n * n];
    for i in 0..n {
        for k in 0..n {
            let x = a[i * n + k];
            if x != 0.0 {
                for j in 0..n {
                    c[i * n + j] += x * b[k * n + j];
                }
            }
        }
    }
    c
}

fn transpose(a: &[f64], n: usize) -> Vec<f64> {
    let mut t = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            t[j * n + i] = a[i * n + j];
        }
    }
    t
}

/// Each unit's size feature: the log of its round-1 vote less the vote-weighted mean of the logs, so
/// that the slopes add nothing to the race's total with nothing counted.
fn size_features(race: &Race) -> Vec<f64> {
    let total = race.total();
    let centre = race
        .units
        .iter()
        .map(|u| u.total * u.total.ln())
        .sum::<f64>()
        / total;
    race.units.iter().map(|u| u.total.ln() - centre).collect()
}

/// The counted units' information about the rates: `G = Xᵀ R⁻¹ X` and `g = Xᵀ R⁻¹ y` for residual
/// sd `sd`, each unit's residual variance `sd² · T̄ / T` (a large unit's fractions vary less).
fn information(race: &Race, returns: &Returns, dim: usize, sd: f64) -> (Vec<f64>, Vec<f64>) {
    let m = race.candidates.len();
    let mean_size = race.total() / race.units.len().max(1) as f64;
    let mut g_mat = vec![0.0; dim * dim];
    let mut g_vec = vec![0.0; dim];
    let size = size_features(race);
    for (i, c) in returns.complete() {
        let u = &race.units[i];
        let w = u.total / (sd * sd * mean_size);
        for k in [A, B] {
            // x: the unit's round-1 mix on its candidates' rates to k, and 1 on the new voters to k.
            let mut idx: Vec<(usize, f64)> = (0..m)
                .filter(|&j| u.first[j] > 0.0)
                .map(|j| (2 * j + k, u.first[j] / u.total))
                .collect();
            idx.push((2 * m + k, 1.0));
            idx.push((2 * m + 2 + k, size[i]));
            let y = c[k] / u.total;
            for &(p, xp) in &idx {
                g_vec[p] += w * xp * y;
                for &(q, xq) in &idx {
                    g_mat[p * dim + q] += w * xp * xq;
                }
            }
        }
    }
    (g_mat, g_vec)
}

/// The fitted fractions' residuals `(weight, residual)` of the complete units under rates `theta`.
fn residuals(race: &Race, returns: &Returns, theta: &[f64]) -> Vec<(f64, f64)> {
    let m = race.candidates.len();
    let mean_size = race.total() / race.units.len().max(1) as f64;
    let mut out = Vec::new();
    let size = size_features(race);
    for (i, c) in returns.complete() {
        let u = &race.units[i];
        for k in [A, B] {
            let fit: f64 = (0..m)
                .map(|j| u.first[j] / u.total * theta[2 * j + k])
                .sum::<f64>()
                + theta[2 * m + k]
                + size[i] * theta[2 * m + 2 + k];
            out.push((u.total / mean_size, c[k] / u.total - fit));
        }
    }
    out
}

/// The update of the prior draws on `(G, g)`: `θ ↦ M θ + c − N z` with `z` standard normal, where
/// `M = I − K X`, `c = K y` and `N Nᵀ = K R Kᵀ`, written with a square root `L` of the prior
/// covariance `P` so that only `dim × dim` systems are solved: `K X = L S⁻¹ Lᵀ G`, `K y = L S⁻¹ Lᵀ
/// g`, `S = I + Lᵀ G L`.
struct Update {
    m: Vec<f64>,
    c: Vec<f64>,
    n: Vec<f64>,
}

/// The prior draws' mean and a square root `L` of their covariance (`L Lᵀ = P`), computed once
/// per projection: both updates of it (with the prior residual sd, then the learned one) use them.
struct Moments {
    mean: Vec<f64>,
    root: Vec<f64>,
}

fn moments(prior: &Prior) -> Moments {
    let d = prior.dim;
    let draws = prior.swing.len();
    let mut mean = vec![0.0; d];
    for t in prior.theta.chunks(d) {
        for (m, x) in mean.iter_mut().zip(t) {
            *m += x;
        }
    }
    mean.iter_mut().for_each(|m| *m /= draws as f64);
    let mut p = vec![0.0; d * d];
    for t in prior.theta.chunks(d) {
        for i in 0..d {
            let xi = t[i] - mean[i];
            if xi != 0.0 {
                for j in 0..d {
                    p[i * d + j] += xi * (t[j] - mean[j]);
                }
            }
        }
    }
    p.iter_mut().for_each(|x| *x /= (draws.max(2) - 1) as f64);
    Moments {
        root: cholesky_psd(&p, d),
        mean,
    }
}

fn update(moments: &Moments, d: usize, g_mat: &[f64], g_vec: &[f64]) -> Update {
    let l = &moments.root;
    let lt = transpose(l, d);
    // S = I + Lᵀ G L, and A = L S⁻¹ Lᵀ column by column.
    let mut s = matmul(&matmul(&lt, g_mat, d), l, d);
    for i in 0..d {
        s[i * d + i] += 1.0;
    }
    let mut s_inv_lt = vec![0.0; d * d];
    for j in 0..d {
        let col: Vec<f64> = (0..d).map(|i| lt[i * d + j]).collect();
        let x = solve_spd(&s, &col, d);
        for i in 0..d {
            s_inv_lt[i * d + j] = x[i];
        }
    }
    let a = matmul(l, &s_inv_lt, d);
    let kx = matmul(&a, g_mat, d);
    let mut m = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..d {
            m[i * d + j] = f64::from(u8::from(i == j)) - kx[i * d + j];
        }
    }
    let c: Vec<f64> = (0..d)
        .map(|i| (0..d).map(|j| a[i * d + j] * g_vec[j]).sum())
        .collect();
    // K e with e ~ N(0, R): Xᵀ R⁻¹ e ~ N(0, G), so K e = A ζ with ζ = chol(G) z.
    let n = matmul(&a, &cholesky_psd(g_mat, d), d);
    Update { m, c, n }
}

/// Project the final result from `returns` with `prior` (the scenario or the default prior).
pub fn project(
    race: &Race,
    prior_scenario: &Scenario,
    prior_name: &str,
    finalists: &[String; 2],
    returns: &Returns,
    draws: u64,
    seed: u64,
) -> Projection {
    let prior = draw_prior(race, prior_scenario, draws.max(2), seed);
    let d = prior.dim;
    let m = race.candidates.len();
    let total = race.total();

    // The residual spread: the prior value, then the counted units' residuals under the posterior
    // mean with it, shrunk toward the prior by its weight.
    let (sd0, weight0) = RESIDUAL_SD_PRIOR;
    let complete = returns.complete().count();
    let mut sd = sd0;
    let moments = (complete > 0).then(|| moments(&prior));
    if let Some(moments) = &moments {
        let (g_mat, g_vec) = information(race, returns, d, sd0);
        let up = update(moments, d, &g_mat, &g_vec);
        // The update is linear, so the posterior mean is the updated prior mean.
        let mean: Vec<f64> = (0..d)
            .map(|i| {
                (0..d)
                    .map(|j| up.m[i * d + j] * moments.mean[j])
                    .sum::<f64>()
                    + up.c[i]
            })
            .collect();
        let r = residuals(race, returns, &mean);
        let n = r.len() as f64;
        let ms = r.iter().map(|(w, e)| w * e * e).sum::<f64>() / n.max(1.0);
        sd = ((weight0 * sd0 * sd0 + n * ms) / (weight0 + n))
            .sqrt()
            .max(RESIDUAL_SD_FLOOR);
    }
    let up = moments.as_ref().map(|moments| {
        let (g_mat, g_vec) = information(race, returns, d, sd);
        update(moments, d, &g_mat, &g_vec)
    });

    // What is still to count: each candidate's round-1 votes in the units not counted (and the
    // uncounted part of those counted in part).
    let mut outstanding = vec![0.0; m];
    let mut outstanding_total = 0.0;
    let mut outstanding_size = 0.0;
    let size = size_features(race);
    for (i, u) in race.units.iter().enumerate() {
        let left = 1.0 - returns.fraction(i);
        if left > 0.0 {
            for (o, v) in outstanding.iter_mut().zip(&u.first) {
                *o += left * v;
            }
            outstanding_total += left * u.total;
            outstanding_size += left * u.total * size[i];
        }
    }
    let counted = returns.counted_votes();
    let reported = 1.0 - outstanding_total / total;
    let mean_size = total / race.units.len().max(1) as f64;
    // The race-wide rates are the units' rates averaged by their votes, so the units' residual
    // votes add up to nothing over the race: given that, those of the uncounted units sum to a
    // spread of sd² · T̄ · S · C / T (S still out, C counted), none with nothing counted or all.
    let residual = sd
        * (mean_size * outstanding_total * (total - outstanding_total) / total)
            .max(0.0)
            .sqrt();
    // The swing is common to every unit, so the counted units reveal it: what is left of it is
    // its sd after `n` units with residual sd `sd` (a normal mean's posterior). The order shift
    // grows from nothing counted to half and fades again.
    let tau = prior_scenario.swing.sd;
    let swing_scale = if tau > 0.0 {
        1.0 / (1.0 + complete as f64 * tau * tau / (sd * sd)).sqrt()
    } else {
        1.0
    };
    let order_sd = ORDER_SHIFT_SD * 2.0 * (reported * (1.0 - reported)).max(0.0).sqrt();

    let key = SeedKey::new(seed ^ 0x9E37_79B9_7F4A_7C15);
    let results: Vec<[f64; 3]> = prior
        .theta
        .par_chunks(d)
        .zip(prior.swing.par_iter())
        .enumerate()
        .map(|(i, (t, swing))| {
            let mut rng = key.stream(i as u64, 1);
            let mut normal = || -> f64 { StandardNormal.sample(&mut rng) };
            let mut theta = t.to_vec();
            if let Some(up) = &up {
                let z: Vec<f64> = (0..d).map(|_| normal()).collect();
                for (k, th) in theta.iter_mut().enumerate() {
                    *th = (0..d)
                        .map(|j| up.m[k * d + j] * t[j] - up.n[k * d + j] * z[j])
                        .sum::<f64>()
                        + up.c[k];
                }
            }
            // Rates stay rates: each in [0, 1], the two of a row at most 1, new voters at least 0.
            for j in 0..m {
                let (a, b) = (
                    theta[2 * j].clamp(0.0, 1.0),
                    theta[2 * j + 1].clamp(0.0, 1.0),
                );
                let over = (a + b).max(1.0);
                theta[2 * j] = a / over;
                theta[2 * j + 1] = b / over;
            }
            theta[2 * m] = theta[2 * m].max(0.0);
            theta[2 * m + 1] = theta[2 * m + 1].max(0.0);
            let mut votes = [0.0; 2];
            for k in [A, B] {
                let expected: f64 = (0..m)
                    .map(|j| outstanding[j] * theta[2 * j + k])
                    .sum::<f64>()
                    + outstanding_total * theta[2 * m + k]
                    + outstanding_size * theta[2 * m + 2 + k];
                votes[k] = (expected + residual * normal()).max(0.0);
            }
            let left = votes[A] + votes[B];
            if left > 0.0 {
                let share =
                    (votes[A] / left + swing * swing_scale + order_sd * normal()).clamp(0.0, 1.0);
                votes = [left * share, left * (1.0 - share)];
            }
            let (a, b) = (counted[A] + votes[A], counted[B] + votes[B]);
            let share = if a + b > 0.0 { a / (a + b) } else { 0.5 };
            [share, a - b, a + b]
        })
        .collect();
    let n = results.len() as f64;
    let wins = results
        .iter()
        .map(|r| {
            if r[0] > 0.5 {
                1.0
            } else if r[0] == 0.5 {
                0.5
            } else {
                0.0
            }
        })
        .sum::<f64>()
        / n;
    let expected_outstanding =
        results.iter().map(|r| r[2]).sum::<f64>() / n - counted[A] - counted[B];
    let column = |k: usize| -> Vec<f64> { results.iter().map(|r| r[k]).collect() };
    let hurdle = |k: usize| {
        (expected_outstanding > 0.0).then(|| {
            let all = counted[A] + counted[B] + expected_outstanding;
            (all / 2.0 - counted[k]) / expected_outstanding
        })
    };
    Projection {
        race: race.id.clone(),
        prior: prior_name.to_string(),
        finalists: finalists.clone(),
        units_reported: returns.units_reported(),
        units_total: race.units.len(),
        reported_fraction: reported,
        counted: IndexMap::from([
            (finalists[A].clone(), counted[A]),
            (finalists[B].clone(), counted[B]),
        ]),
        expected_outstanding,
        win_probability: IndexMap::from([
            (finalists[A].clone(), wins),
            (finalists[B].clone(), 1.0 - wins),
        ]),
        share: Quantiles5::of(&mut column(0)),
        margin: Quantiles5::of(&mut column(1)),
        turnout: Quantiles5::of(&mut column(2)),
        hurdle: IndexMap::from([
            (finalists[A].clone(), hurdle(A)),
            (finalists[B].clone(), hurdle(B)),
        ]),
        residual_sd: sd,
        draws: results.len() as u64,
        seed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_square_root_and_the_solve_invert_a_covariance() {
        let a = [4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let l = cholesky_psd(&a, 3);
        let back = matmul(&l, &transpose(&l, 3), 3);
        for (x, y) in back.iter().zip(&a) {
            assert!((x - y).abs() < 1e-12);
        }
        let x = solve_spd(&a, &[1.0, 2.0, 3.0], 3);
        for i in 0..3 {
            let ax: f64 = (0..3).map(|j| a[i * 3 + j] * x[j]).sum();
            assert!((ax - [1.0, 2.0, 3.0][i]).abs() < 1e-12);
        }
        // A direction with no variance is a zero column, not a NaN.
        let singular = [1.0, 1.0, 1.0, 1.0];
        let l = cholesky_psd(&singular, 2);
        assert!(l.iter().all(|x| x.is_finite()));
        assert_eq!(matmul(&l, &transpose(&l, 2), 2), singular.to_vec());
    }
}
