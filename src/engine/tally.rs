//! Streaming accumulators: counts, sums and fine fixed-range histograms that merge exactly, so memory never grows with draws.

use super::sampler::{BLOCK_DRAWS as BLOCK, Model, Outcome};
use super::simd::{Kernel, masked_sums};
use crate::polls::Evidence;
use crate::scenario::SwingDistribution;
use crate::stats::swing_win_probability;
use serde::{Deserialize, Serialize};

/// Bins of the share histogram on [0, 1]: 3.1e-5 wide, far inside the 0.0005 quantile accuracy asked for.
pub const SHARE_BINS: usize = 1 << 15;
/// Bins of the turnout-ratio histogram on [0, turnout_ratio_max].
pub const TURNOUT_BINS: usize = 1 << 15;
/// Bins of the margin-ratio histogram on [−turnout_ratio_max, turnout_ratio_max].
pub const MARGIN_BINS: usize = 1 << 16;

/// A fixed-range histogram with exact count, min, max and a running sum; each value may carry a
/// weight (the polls' likelihood of a draw), and every statistic is then the weighted one. Bins
/// hold weights as f64: without weights every bin holds a whole number far below 2^53, so counts,
/// sums and quantiles are exact, as with integer counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    lo: f64,
    hi: f64,
    scale: f64,
    counts: Vec<f64>,
    below: f64,
    above: f64,
    n: u64,
    mass: f64,
    min: f64,
    max: f64,
    sum: f64,
}

/// The smallest width of 1, 2, 2.5 or 5 times a power of ten that is at least `x`.
fn round_width(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|k| k * power)
        .find(|w| *w >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * power)
}

/// A histogram coarse enough to draw: `counts[i]` values in `[lo + i·width, lo + (i+1)·width)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bins {
    /// Left edge of the first bin.
    pub lo: f64,
    /// Width of every bin.
    pub width: f64,
    /// Draws in each bin (their weights, with polls). Written as whole numbers when they are.
    #[serde(serialize_with = "whole_where_whole")]
    pub counts: Vec<f64>,
}

/// Bin counts as JSON numbers: whole ones without a fraction (`12`, not `12.0`).
fn whole_where_whole<S: serde::Serializer>(counts: &[f64], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(counts.len()))?;
    for &c in counts {
        if c.fract() == 0.0 && c.abs() < 9.0e15 {
            seq.serialize_element(&(c as i64))?;
        } else {
            seq.serialize_element(&c)?;
        }
    }
    seq.end()
}

impl Histogram {
    /// An empty histogram of `bins` equal bins over `[lo, hi]`.
    pub fn new(lo: f64, hi: f64, bins: usize) -> Self {
        Histogram {
            lo,
            hi,
            scale: bins as f64 / (hi - lo),
            counts: vec![0.0; bins],
            below: 0.0,
            above: 0.0,
            n: 0,
            mass: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            sum: 0.0,
        }
    }

    /// The bins that can be non-zero: those between the bins of the min and the max (binning is
    /// monotone), so merging and clearing a chunk's histogram skip the empty tails.
    fn touched(&self) -> std::ops::Range<usize> {
        if self.n == 0 {
            return 0..0;
        }
        let last = self.counts.len() - 1;
        let bin =
            |x: f64| (((x.clamp(self.lo, self.hi) - self.lo) * self.scale) as usize).min(last);
        bin(self.min)..bin(self.max) + 1
    }

    /// Forget every value, keeping the range and the memory.
    pub fn clear(&mut self) {
        let touched = self.touched();
        self.counts[touched].fill(0.0);
        (self.below, self.above, self.n, self.mass) = (0.0, 0.0, 0, 0.0);
        (self.min, self.max, self.sum) = (f64::INFINITY, f64::NEG_INFINITY, 0.0);
    }

    /// Count one value.
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        self.add_weighted(x, 1.0);
    }

    /// Count one value with weight `w` (>= 0).
    #[inline(always)]
    pub fn add_weighted(&mut self, x: f64, w: f64) {
        self.n += 1;
        self.mass += w;
        self.sum += w * x;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        if x < self.lo {
            self.below += w;
        } else if x > self.hi {
            self.above += w;
        } else {
            let last = self.counts.len() - 1;
            let i = ((x - self.lo) * self.scale) as usize;
            self.counts[i.min(last)] += w;
        }
    }

    /// Count values in order.
    #[inline(always)]
    pub fn add_all(&mut self, values: impl Iterator<Item = f64>) {
        for x in values {
            self.add(x);
        }
    }

    /// Add another histogram of the same range (counts exactly; sums in the caller's fixed order).
    pub fn merge(&mut self, other: &Histogram) {
        let touched = other.touched();
        for (a, b) in self.counts[touched.clone()]
            .iter_mut()
            .zip(&other.counts[touched])
        {
            *a += b;
        }
        self.below += other.below;
        self.above += other.above;
        self.n += other.n;
        self.mass += other.mass;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of values counted.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The values' total weight (their number, without weights).
    pub fn mass(&self) -> f64 {
        self.mass
    }

    /// Mean of the values, kept within [min, max] against rounding.
    pub fn mean(&self) -> f64 {
        if self.n == 0 || self.mass <= 0.0 {
            return f64::NAN;
        }
        (self.sum / self.mass).clamp(self.min, self.max)
    }

    /// The q-quantile, linear within its bin and clamped to the exact [min, max]
    /// (so a constant quantity is reported exactly).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        if self.min == self.max {
            return self.min;
        }
        let target = q.clamp(0.0, 1.0) * self.mass;
        let mut cum = self.below;
        if target <= cum {
            return self.min;
        }
        let width = 1.0 / self.scale;
        for (i, &c) in self.counts.iter().enumerate() {
            if c == 0.0 {
                continue;
            }
            let next = cum + c;
            if target <= next {
                let frac = (target - cum) / c;
                let x = self.lo + (i as f64 + frac) * width;
                return x.clamp(self.min, self.max);
            }
            cum = next;
        }
        self.max
    }

    /// Bin `i`'s value: its centre, kept within [min, max] (exactly the value, when all are one).
    fn centre(&self, i: usize) -> f64 {
        if self.min == self.max {
            self.min
        } else {
            (self.lo + (i as f64 + 0.5) * (1.0 / self.scale)).clamp(self.min, self.max)
        }
    }

    /// Every value as `(x, weight)`, each taken at its bin's centre (within the exact [min, max]), the
    /// tails at the extremes: what sums over the values see, to a bin's width.
    pub fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        let tails = [(self.min, self.below), (self.max, self.above)];
        let bins = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0.0)
            .map(move |(i, &c)| (self.centre(i), c));
        tails.into_iter().filter(|(_, c)| *c > 0.0).chain(bins)
    }

    /// Mean and standard error of `f(x)` over the values, with each value taken at its bin's centre
    /// (exactly, when every value is the same). The centring error is of order width² · f''.
    pub fn expectation(&self, f: impl Fn(f64) -> f64) -> (f64, f64) {
        if self.n == 0 {
            return (f64::NAN, f64::NAN);
        }
        if self.min == self.max {
            return (f(self.min), 0.0);
        }
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for (x, count) in self.points() {
            let y = f(x);
            sum += count * y;
            sum_sq += count * y * y;
        }
        let n = self.mass;
        let mean = sum / n;
        let var = (sum_sq / n - mean * mean).max(0.0);
        (mean, (var / n).sqrt())
    }

    /// Continuous ranked probability score of the observation `y` against these values:
    /// ∫ (F(x) − 1{x ≥ y})² dx over the histogram's range, with F taken at bin centres
    /// (Matheson & Winkler 1976; Gneiting & Raftery 2007). Lower is better.
    pub fn crps(&self, y: f64) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let width = 1.0 / self.scale;
        let n = self.mass;
        let mut cum = self.below;
        let mut total = 0.0;
        for (i, &c) in self.counts.iter().enumerate() {
            let centre = self.lo + (i as f64 + 0.5) * width;
            let f = (cum + c / 2.0) / n;
            let step = if centre >= y { 1.0 } else { 0.0 };
            total += (f - step) * (f - step) * width;
            cum += c;
        }
        total
    }

    /// Fraction of values at or below `x` (to the resolution of a fine bin).
    pub fn cdf(&self, x: f64) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        if x < self.lo {
            return if x >= self.min {
                self.below / self.mass
            } else {
                0.0
            };
        }
        let edge = (((x - self.lo) * self.scale) as usize).min(self.counts.len());
        let inside: f64 = self.counts[..edge].iter().sum();
        ((self.below + inside) / self.mass).min(1.0)
    }

    /// About `target` bins over the central 99.9% of the values, in units of `per_unit` (the
    /// value times it: 1 for a share, the first round's total for votes), each a round width (1,
    /// 2, 2.5 or 5 times a power of ten: 0.2 points, 1,000 votes, not 0.22 points or 1,007 votes)
    /// starting at a multiple of it. A fine bin split between two bars gives each the part of its
    /// count its width covers, as if spread evenly within it: fine bins are 1/32,768 of the range,
    /// far below a bar's width.
    pub fn coarse(&self, target: usize, per_unit: f64) -> Bins {
        let width = 1.0 / self.scale;
        if self.n == 0 || self.min == self.max || self.max - self.min < width {
            // Everything in one fine bin: one bar around it.
            let centre = if self.n == 0 { 0.0 } else { self.min };
            return Bins {
                lo: (centre - width / 2.0) * per_unit,
                width: width * per_unit,
                counts: vec![self.mass],
            };
        }
        let lo_x = self.quantile(0.0005).max(self.lo);
        let hi_x = self.quantile(0.9995).min(self.hi);
        let bar =
            round_width(((hi_x - lo_x) * per_unit / target.max(1) as f64).max(width * per_unit));
        let first = (lo_x * per_unit / bar).floor();
        let bars = (((hi_x * per_unit - first * bar) / bar).floor() as usize + 1).max(1);
        // The mass below `x` (in the histogram's units), fine bins cut where x falls.
        let mut cumulative = Vec::with_capacity(self.counts.len() + 1);
        cumulative.push(0.0);
        for &c in &self.counts {
            cumulative.push(cumulative[cumulative.len() - 1] + c);
        }
        let below = |x: f64| {
            let at = ((x - self.lo) * self.scale).clamp(0.0, self.counts.len() as f64);
            let i = (at as usize).min(self.counts.len() - 1);
            cumulative[i] + (at - i as f64) * self.counts[i]
        };
        let counts = (0..bars)
            .map(|k| {
                let a = (first + k as f64) * bar / per_unit;
                let b = (first + k as f64 + 1.0) * bar / per_unit;
                (below(b) - below(a)).max(0.0)
            })
            .collect();
        Bins {
            lo: first * bar,
            width: bar,
            counts,
        }
    }

    /// [`Self::coarse`] for values that are whole numbers once multiplied by `per_unit` (votes
    /// counted voter by voter), in those units: every bar holds the same number of the whole
    /// numbers the values take, centred on them, where bars of fine bins would hold n and n + 1 of
    /// them in turn (a comb on the chart). Where the values step by g (a margin A − B on a fixed
    /// turnout moves by 2), bars hold multiples of g. None when the fine bins are too wide to tell
    /// whole numbers apart, a value is not whole, or a value fell outside the range.
    pub fn coarse_whole(&self, target: usize, per_unit: f64) -> Option<Bins> {
        let fine = per_unit / self.scale;
        if self.n == 0 || self.min == self.max || self.below + self.above > 0.0 || fine >= 0.5 {
            return None;
        }
        let whole = |x: f64| {
            let v = x * per_unit;
            ((v - v.round()).abs() <= 1e-6).then_some(v.round() as i64)
        };
        // The extremes are kept exactly, so both must be whole; the bins below are checked only
        // to within a fine bin.
        let first = whole(self.min)?;
        whole(self.max)?;
        // Each fine bin holds at most one whole number: the one nearest its centre.
        let mut values: Vec<(i64, f64)> = Vec::new();
        for (i, &c) in self.counts.iter().enumerate().filter(|(_, c)| **c > 0.0) {
            let centre = (self.lo + (i as f64 + 0.5) / self.scale) * per_unit;
            let k = centre.round();
            if (centre - k).abs() > fine {
                return None;
            }
            match values.last_mut() {
                Some((last, count)) if *last == k as i64 => *count += c,
                _ => values.push((k as i64, c)),
            }
        }
        let step = values
            .iter()
            .fold(0, |g, &(k, _)| gcd(g, (k - first).unsigned_abs()))
            .max(1) as i64;
        // The central 99.9% of the values, as `coarse` keeps.
        let at = |q: f64| {
            let mut cum = 0.0;
            values
                .iter()
                .find(|&&(_, c)| {
                    cum += c;
                    cum >= q * self.mass
                })
                .map_or(values[values.len() - 1].0, |&(k, _)| k)
        };
        let (lo, hi) = (at(0.0005), at(0.9995));
        let points = ((hi - lo) / step) as u64 + 1;
        let per_bar = points.div_ceil(target.max(1) as u64);
        let bars = points.div_ceil(per_bar);
        let mut counts = vec![0.0; bars as usize];
        for &(k, c) in values.iter().filter(|&&(k, _)| k >= lo) {
            let bar = ((k - lo) / step) as u64 / per_bar;
            if bar < bars {
                counts[bar as usize] += c;
            }
        }
        Some(Bins {
            lo: lo as f64 - step as f64 / 2.0,
            width: (step as u64 * per_bar) as f64,
            counts,
        })
    }
}

/// Greatest common divisor (gcd(0, b) = b).
fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Everything a run accumulates, for one chunk or merged over many.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// Draws counted.
    pub draws: u64,
    /// Draws won by the first and by the second finalist.
    pub wins: [u64; 2],
    /// Draws with a share of exactly 0.5.
    pub ties: u64,
    /// Draws with |2s − 1| within the recount margin.
    pub recounts: u64,
    /// First finalist's two-party share.
    pub share: Histogram,
    /// First finalist's two-party share before the swing: conditioning on it gives the
    /// lower-variance win probability (the swing's CDF is then evaluated exactly).
    /// Only kept when the model has a swing (without one it would equal `share`).
    pub pre_swing: Option<Histogram>,
    /// Turnout as a ratio of the first-round total.
    pub turnout_ratio: Histogram,
    /// Margin in votes as a ratio of the first-round total.
    pub margin_ratio: Histogram,
    /// Sum over draws of the votes from each source to A, B and abstention (3 per source).
    flows: Vec<f64>,
    /// For the draws the first finalist won, and those the second won: sums of each source's votes
    /// to A and to B (2 per source; abstention is the rest of the source, see `source_totals`),
    /// then of the swing's shift of the first finalist's share, then of the turnout. What a
    /// finalist's wins look like ("what would have to happen") is their mean.
    won: [Vec<f64>; 2],
    /// Each candidate's voters as the draws count them (votes, or whole voters with voter noise):
    /// A + B + abstention, so abstention need not be summed.
    source_totals: Vec<f64>,
    /// With polls: the same figures weighted by the polls' likelihood of each draw's share. The
    /// sums by winner above (`won`) are then weighted too: a finalist's wins are the posterior's.
    pub posterior: Option<Posterior>,
    /// The weights of the block being counted, from `add_won_block` to `record_block`.
    block_weights: Vec<f64>,
    /// The model's swing, which the conditional win probability integrates out.
    swing: Option<(f64, SwingDistribution)>,
    /// With a swing and no polls: the sums the conditional estimate's control variates need.
    controls: Option<Controls>,
}

/// The finalists' votes a = A/T₁ and b = B/T₁ of every draw, binned by its share before the swing:
/// their expectations are known, so the conditional estimate f(s₀) can be corrected by its
/// regression on them, f − β·(x̄ − E x), which removes the part of its Monte Carlo error the
/// votes explain (control variates; Glasserman 2004, ch. 4.1).
#[derive(Debug, Clone, PartialEq)]
struct Controls {
    /// E[a], E[b].
    means: [f64; 2],
    /// Σa and Σb by bin of the share before the swing (the same bins as `pre_swing`).
    by_share: [Histogram; 2],
    /// Σa², Σab, Σb².
    squares: [f64; 3],
}

/// Fewer draws than this estimate the regression too roughly: the plain conditional mean is kept.
const CONTROL_MIN_DRAWS: u64 = 1000;

impl Controls {
    fn clear(&mut self) {
        for h in &mut self.by_share {
            h.clear();
        }
        self.squares = [0.0; 3];
    }

    fn merge(&mut self, other: &Controls) {
        for (a, b) in self.by_share.iter_mut().zip(&other.by_share) {
            a.merge(b);
        }
        for (a, b) in self.squares.iter_mut().zip(other.squares) {
            *a += b;
        }
    }

    /// The controlled mean of f over the draws binned in `pre`, and its standard error.
    fn estimate(&self, pre: &Histogram, f: impl Fn(f64) -> f64) -> (f64, f64) {
        let n = pre.mass;
        let (mut sf, mut sff, mut sfa, mut sfb) = (0.0, 0.0, 0.0, 0.0);
        for i in pre.touched() {
            let c = pre.counts[i];
            if c == 0.0 {
                continue;
            }
            let y = f(pre.centre(i));
            sf += c * y;
            sff += c * y * y;
            sfa += y * self.by_share[0].counts[i];
            sfb += y * self.by_share[1].counts[i];
        }
        let mean = sf / n;
        let var_f = (sff / n - mean * mean).max(0.0);
        let [xa, xb] = [self.by_share[0].mass / n, self.by_share[1].mass / n];
        let [saa, sab, sbb] = self.squares.map(|s| s / n);
        let (caa, cab, cbb) = (saa - xa * xa, sab - xa * xb, sbb - xb * xb);
        let (cfa, cfb) = (sfa / n - mean * xa, sfb / n - mean * xb);
        let det = caa * cbb - cab * cab;
        // Votes that hardly vary, or move together, control nothing (or one thing).
        let scale = (caa + cbb).max(f64::MIN_POSITIVE);
        let (beta, explained) = if det > 1e-9 * scale * scale {
            let ba = (cbb * cfa - cab * cfb) / det;
            let bb = (caa * cfb - cab * cfa) / det;
            ([ba, bb], ba * cfa + bb * cfb)
        } else if caa >= cbb && caa > 0.0 {
            ([cfa / caa, 0.0], cfa * cfa / caa)
        } else if cbb > 0.0 {
            ([0.0, cfb / cbb], cfb * cfb / cbb)
        } else {
            ([0.0, 0.0], 0.0)
        };
        let p = mean - beta[0] * (xa - self.means[0]) - beta[1] * (xb - self.means[1]);
        let residual = (var_f - explained).max(0.0);
        (p.clamp(0.0, 1.0), (residual / n).sqrt())
    }
}

/// Both finalists' reported win probabilities, standard errors and 95% intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WinEstimate {
    pub p: [f64; 2],
    pub se: [f64; 2],
    pub interval95: [[f64; 2]; 2],
}

/// How a win probability is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Estimator {
    /// The swing integrated out given each draw's share before it (the swing's CDF, or with polls
    /// its Gaussian integrals), averaged over the draws: the same expectation as the count, with
    /// several times less Monte Carlo variance.
    Conditional,
    /// The share of draws won (weighted by the polls with polls): where no swing is drawn.
    #[default]
    Count,
}

/// With polls: the first finalist's win probability with the swing integrated out
/// ([`Evidence::integrated`]), Σ f(s0) / Σ g(s0) over the draws' shares before the swing
/// (`pre_swing`, unweighted), and the ratio estimator's standard error √(Σ (f − p g)²) / Σ g. A
/// Student-t swing is a normal one whose variance is scaled by 1/W, W ~ Gamma(df/2, rate df/2):
/// its integrals are averaged over `T_NODES` equal-probability values of W.
fn polled_conditional(
    pre_swing: &Histogram,
    evidence: &Evidence,
    sd: f64,
    distribution: SwingDistribution,
) -> (f64, f64) {
    // (scale, weight) pairs of the swing as a mixture of normals.
    let scales: Vec<(f64, f64)> = match distribution {
        SwingDistribution::Normal => vec![(sd, 1.0)],
        SwingDistribution::StudentT { df } => t_scales(sd, df),
    };
    let integrated = |x: f64| {
        let (mut w, mut win) = (0.0, 0.0);
        for &(tau, mass) in &scales {
            let (a, b) = evidence.integrated(x, tau);
            w += mass * a;
            win += mass * b;
        }
        (w, win)
    };
    let (mut f, mut g, mut ff, mut fg, mut gg) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (x, c) in pre_swing.points() {
        let (weight, win) = integrated(x);
        f += c * win;
        g += c * weight;
        ff += c * win * win;
        fg += c * win * weight;
        gg += c * weight * weight;
    }
    let p = f / g;
    let se = ((ff - 2.0 * p * fg + p * p * gg).max(0.0)).sqrt() / g;
    (p, se)
}

/// Nodes of the Student-t swing's mixing distribution, on a log scale.
const T_NODES: usize = 96;

/// A Student-t(df) swing of scale `sd` as a mixture of normals: Z = N / √W, W ~ Gamma(df/2, rate
/// df/2), so the swing is normal with sd/√W. The mixture is integrated by the trapezoid rule over
/// v = ln W (a smooth, one-humped density) between W's 1e-12 and 1 − 1e-12 quantiles: nodes equally
/// spaced in v reach the tiny W (the wide swings) that carry a far poll's weight, which nodes
/// equally spaced in probability miss. Returns (scale, weight) pairs, weights summing to 1.
fn t_scales(sd: f64, df: f64) -> Vec<(f64, f64)> {
    use statrs::distribution::{Continuous, ContinuousCDF, Gamma};
    let df = df.max(f64::MIN_POSITIVE);
    let Ok(w) = Gamma::new(df / 2.0, df / 2.0) else {
        return vec![(sd, 1.0)];
    };
    let ends = [1e-12, 1.0 - 1e-12].map(|q| w.inverse_cdf(q).max(f64::MIN_POSITIVE).ln());
    if !(ends[0].is_finite() && ends[1].is_finite()) || ends[1] <= ends[0] {
        return vec![(sd, 1.0)];
    }
    let step = (ends[1] - ends[0]) / (T_NODES - 1) as f64;
    let mut nodes: Vec<(f64, f64)> = (0..T_NODES)
        .map(|j| {
            let v = ends[0] + j as f64 * step;
            let wv = v.exp();
            // The density of v = ln W is W · f(W); the trapezoid halves the end nodes.
            let end = if j == 0 || j == T_NODES - 1 { 0.5 } else { 1.0 };
            (sd / wv.sqrt(), end * wv * w.pdf(wv))
        })
        .filter(|(tau, mass)| tau.is_finite() && mass.is_finite() && *mass > 0.0)
        .collect();
    let total: f64 = nodes.iter().map(|(_, m)| m).sum();
    if total.is_nan() || total <= 0.0 {
        return vec![(sd, 1.0)];
    }
    for (_, m) in &mut nodes {
        *m /= total;
    }
    nodes
}

/// What a run with polls counts beside the prior's counts: each draw weighted by w, the polls'
/// likelihood of its final share (SCENARIO-FORMAT.md, "Polls").
#[derive(Debug, Clone, PartialEq)]
pub struct Posterior {
    /// The polls' combined likelihood.
    pub evidence: Evidence,
    /// Σw.
    pub mass: f64,
    /// Σw², for the effective draws (Σw)²/Σw² and the standard errors.
    pub mass_sq: f64,
    /// Σw over the draws each finalist won.
    pub wins: [f64; 2],
    /// Σw² over the draws each finalist won.
    pub wins_sq: [f64; 2],
    /// Σw over tied draws.
    pub ties: f64,
    /// Σw over draws within the recount margin.
    pub recounts: f64,
    /// The first finalist's share, weighted.
    pub share: Histogram,
    /// Turnout as a ratio of the first round, weighted.
    pub turnout_ratio: Histogram,
    /// Margin as a ratio of the first round, weighted.
    pub margin_ratio: Histogram,
    /// Σw·x over tied draws of each column the sums by winner keep: the weighted flows over all
    /// draws are both finalists' sums and these.
    tie_sums: Vec<f64>,
}

impl Posterior {
    fn new(evidence: Evidence, t: f64, columns: usize) -> Self {
        Posterior {
            evidence,
            mass: 0.0,
            mass_sq: 0.0,
            wins: [0.0; 2],
            wins_sq: [0.0; 2],
            ties: 0.0,
            recounts: 0.0,
            share: Histogram::new(0.0, 1.0, SHARE_BINS),
            turnout_ratio: Histogram::new(0.0, t, TURNOUT_BINS),
            margin_ratio: Histogram::new(-t, t, MARGIN_BINS),
            tie_sums: vec![0.0; columns],
        }
    }

    fn clear(&mut self) {
        (self.mass, self.mass_sq, self.ties, self.recounts) = (0.0, 0.0, 0.0, 0.0);
        (self.wins, self.wins_sq) = ([0.0; 2], [0.0; 2]);
        self.share.clear();
        self.turnout_ratio.clear();
        self.margin_ratio.clear();
        self.tie_sums.fill(0.0);
    }

    fn merge(&mut self, other: &Posterior) {
        self.mass += other.mass;
        self.mass_sq += other.mass_sq;
        for k in 0..2 {
            self.wins[k] += other.wins[k];
            self.wins_sq[k] += other.wins_sq[k];
        }
        self.ties += other.ties;
        self.recounts += other.recounts;
        self.share.merge(&other.share);
        self.turnout_ratio.merge(&other.turnout_ratio);
        self.margin_ratio.merge(&other.margin_ratio);
        for (a, b) in self.tie_sums.iter_mut().zip(&other.tie_sums) {
            *a += b;
        }
    }

    /// The effective number of draws, (Σw)² / Σw².
    pub fn effective_draws(&self) -> f64 {
        if self.mass_sq > 0.0 {
            self.mass * self.mass / self.mass_sq
        } else {
            0.0
        }
    }

    /// Finalist `k`'s weighted win probability Σw·1{k wins} / Σw.
    pub fn win_probability(&self, k: usize) -> f64 {
        self.wins[k] / self.mass
    }

    /// Its self-normalised importance-sampling standard error, √(Σw²(I − p)²) / Σw, where
    /// Σw²(I − p)² = (1 − 2p)·Σw²I + p²·Σw² since I² = I.
    pub fn win_probability_se(&self, k: usize) -> f64 {
        let p = self.win_probability(k);
        (((1.0 - 2.0 * p) * self.wins_sq[k] + p * p * self.mass_sq).max(0.0)).sqrt() / self.mass
    }
}

/// The sums a [`Tally`] keeps for the draws one finalist won, as means.
#[derive(Debug, Clone, PartialEq)]
pub struct WonDraws {
    /// Draws won.
    pub draws: u64,
    /// Mean votes from each flow source to `[A, B, abstain]`.
    pub flows: Vec<[f64; 3]>,
    /// Mean shift of the first finalist's share by the swing.
    pub swing: f64,
    /// Mean turnout in votes.
    pub turnout: f64,
}

impl Tally {
    /// An empty tally shaped for `model`.
    pub fn new(model: &Model) -> Self {
        let t = model.turnout_ratio_max;
        Tally {
            draws: 0,
            wins: [0; 2],
            ties: 0,
            recounts: 0,
            share: Histogram::new(0.0, 1.0, SHARE_BINS),
            pre_swing: model
                .has_swing()
                .then(|| Histogram::new(0.0, 1.0, SHARE_BINS)),
            turnout_ratio: Histogram::new(0.0, t, TURNOUT_BINS),
            margin_ratio: Histogram::new(-t, t, MARGIN_BINS),
            flows: vec![0.0; 3 * model.flow_sources()],
            won: [(); 2].map(|_| vec![0.0; 2 * model.flow_sources() + 2]),
            source_totals: model.source_totals(),
            posterior: model
                .evidence()
                .map(|e| Posterior::new(e, t, 2 * model.flow_sources() + 2)),
            block_weights: Vec::new(),
            swing: model.swing(),
            controls: (model.has_swing() && model.evidence().is_none()).then(|| Controls {
                means: model.expected_votes(),
                by_share: [(); 2].map(|_| Histogram::new(0.0, 1.0, SHARE_BINS)),
                squares: [0.0; 3],
            }),
        }
    }

    /// Forget every draw, keeping the shape and the memory.
    pub fn clear(&mut self) {
        (self.draws, self.wins, self.ties, self.recounts) = (0, [0; 2], 0, 0);
        self.share.clear();
        if let Some(h) = &mut self.pre_swing {
            h.clear();
        }
        self.turnout_ratio.clear();
        self.margin_ratio.clear();
        self.flows.fill(0.0);
        for sums in &mut self.won {
            sums.fill(0.0);
        }
        if let Some(p) = &mut self.posterior {
            p.clear();
        }
        if let Some(c) = &mut self.controls {
            c.clear();
        }
    }

    /// How [`Tally::win_probability`] is estimated: conditionally on each draw's share before the
    /// swing wherever a swing is drawn, else by counting.
    pub fn estimator(&self) -> Estimator {
        match (&self.pre_swing, self.swing) {
            (Some(_), Some(_)) => Estimator::Conditional,
            _ => Estimator::Count,
        }
    }

    /// The first finalist's conditional win probability and its standard error, when a swing is
    /// drawn.
    pub fn conditional(&self) -> Option<(f64, f64)> {
        let (pre, (sd, distribution)) = (self.pre_swing.as_ref()?, self.swing?);
        if pre.count() == 0 {
            return None;
        }
        let f = |s: f64| swing_win_probability(s, sd, distribution);
        Some(match (&self.posterior, &self.controls) {
            (None, Some(c)) if self.draws >= CONTROL_MIN_DRAWS => c.estimate(pre, f),
            (None, _) => pre.expectation(f),
            (Some(p), _) => polled_conditional(pre, &p.evidence, sd, distribution),
        })
    }

    /// Both finalists' win probabilities as reported, with their standard errors and 95%
    /// intervals, from one pass over the draws' shares: the conditional estimate where a swing is
    /// drawn (a tie then has probability 0; the interval is the estimate ± 1.96 standard errors),
    /// else the share of draws each won (weighted by the polls with polls).
    pub fn win_estimate(&self) -> WinEstimate {
        use crate::stats::Z95;
        match self.conditional() {
            Some((p, se)) => {
                let p = [p, 1.0 - p];
                WinEstimate {
                    p,
                    se: [se; 2],
                    interval95: p.map(|p| [(p - Z95 * se).max(0.0), (p + Z95 * se).min(1.0)]),
                }
            }
            None => WinEstimate {
                p: [0, 1].map(|k| self.win_probability_count(k)),
                se: [0, 1].map(|k| self.win_probability_count_se(k)),
                interval95: [0, 1].map(|k| self.win_interval95_count(k)),
            },
        }
    }

    /// Finalist `k`'s win probability as reported ([`Tally::win_estimate`]).
    pub fn win_probability(&self, k: usize) -> f64 {
        self.win_estimate().p[k]
    }

    /// The Monte Carlo standard error of [`Tally::win_probability`].
    pub fn win_probability_se(&self, k: usize) -> f64 {
        self.win_estimate().se[k]
    }

    /// A 95% interval of [`Tally::win_probability`].
    pub fn win_interval95(&self, k: usize) -> [f64; 2] {
        self.win_estimate().interval95[k]
    }

    /// Finalist `k`'s share of the draws won, weighted by the polls with polls: the plain count,
    /// kept beside the conditional estimate as a check.
    pub fn win_probability_count(&self, k: usize) -> f64 {
        match &self.posterior {
            Some(p) => p.win_probability(k),
            None => self.wins[k] as f64 / self.draws as f64,
        }
    }

    /// The count's standard error: binomial, or with polls the self-normalised importance-sampling one.
    pub fn win_probability_count_se(&self, k: usize) -> f64 {
        match &self.posterior {
            Some(p) => p.win_probability_se(k),
            None => crate::stats::proportion_se(self.win_probability_count(k), self.draws),
        }
    }

    /// A 95% interval of the count: Wilson's (exact at 0 and 1) without polls; with polls the
    /// estimate ± 1.96 standard errors, kept within [0, 1].
    pub fn win_interval95_count(&self, k: usize) -> [f64; 2] {
        use crate::stats::{Z95, wilson_interval};
        match &self.posterior {
            Some(_) => {
                let (p, se) = (
                    self.win_probability_count(k),
                    self.win_probability_count_se(k),
                );
                [(p - Z95 * se).max(0.0), (p + Z95 * se).min(1.0)]
            }
            None => wilson_interval(self.wins[k], self.draws, Z95),
        }
    }

    /// The swing's mean shift of the first finalist's share (weighted with polls; 0 without a swing).
    pub fn swing_mean(&self) -> f64 {
        let Some(pre) = &self.pre_swing else {
            return 0.0;
        };
        match &self.posterior {
            Some(p) => {
                let j = self.won[0].len() - 2;
                (self.won[0][j] + self.won[1][j] + p.tie_sums[j]) / p.mass
            }
            None => self.share.mean() - pre.mean(),
        }
    }

    /// The draws the answer rests on: all of them, or with polls the effective draws (Σw)²/Σw².
    pub fn effective_draws(&self) -> f64 {
        self.posterior
            .as_ref()
            .map_or(self.draws as f64, Posterior::effective_draws)
    }

    /// The probability of a tie (weighted with polls).
    pub fn tie_probability(&self) -> f64 {
        match &self.posterior {
            Some(p) => p.ties / p.mass,
            None => self.ties as f64 / self.draws as f64,
        }
    }

    /// The probability of a margin within the recount margin (weighted with polls).
    pub fn recount_probability(&self) -> f64 {
        match &self.posterior {
            Some(p) => p.recounts / p.mass,
            None => self.recounts as f64 / self.draws as f64,
        }
    }

    /// The first finalist's share as reported: weighted by the polls with polls.
    pub fn share_histogram(&self) -> &Histogram {
        self.posterior.as_ref().map_or(&self.share, |p| &p.share)
    }

    /// The turnout ratio as reported (weighted with polls).
    pub fn turnout_histogram(&self) -> &Histogram {
        self.posterior
            .as_ref()
            .map_or(&self.turnout_ratio, |p| &p.turnout_ratio)
    }

    /// The margin ratio as reported (weighted with polls).
    pub fn margin_histogram(&self) -> &Histogram {
        self.posterior
            .as_ref()
            .map_or(&self.margin_ratio, |p| &p.margin_ratio)
    }

    /// The flow sums, for the sampler to add to.
    #[inline(always)]
    pub fn flows_mut(&mut self) -> &mut [f64] {
        &mut self.flows
    }

    /// Mean votes from source `i` to `[A, B, abstain]` (weighted by the polls, with polls).
    pub fn mean_flow(&self, i: usize) -> [f64; 3] {
        if let Some(p) = &self.posterior {
            let sum = |j: usize| self.won[0][j] + self.won[1][j] + p.tie_sums[j];
            let (a, b) = (sum(2 * i) / p.mass, sum(2 * i + 1) / p.mass);
            // New voters (the last source, with no total) never abstain.
            let total = self.source_totals.get(i).copied();
            return [a, b, total.map_or(0.0, |t| (t - a - b).max(0.0))];
        }
        let n = self.draws.max(1) as f64;
        [
            self.flows[3 * i] / n,
            self.flows[3 * i + 1] / n,
            self.flows[3 * i + 2] / n,
        ]
    }

    /// With polls, the weights of the block last counted (empty without polls).
    pub fn block_weights(&self) -> &[f64] {
        &self.block_weights
    }

    /// Add a block's votes (`votes`: a column of the block's draws for each source's votes to A and
    /// to B, `BLOCK_DRAWS` apart) to the sums of the finalist who won each draw, with the swing's
    /// shift and the turnout.
    /// With polls, each draw's sums are weighted by the polls' likelihood of its share (and the
    /// weights are kept for [`Tally::record_block`]).
    pub fn add_won_block(&mut self, kernel: Kernel, outcomes: &[Outcome], votes: &[f64]) {
        let n = outcomes.len();
        let mut column = [[0.0; BLOCK]; 4];
        let evidence = self.posterior.as_ref().map(|p| p.evidence);
        self.block_weights.clear();
        let mut tied = false;
        for (d, o) in outcomes.iter().enumerate() {
            let w = evidence.map_or(1.0, |e| e.weight(o.share));
            if evidence.is_some() {
                self.block_weights.push(w);
            }
            tied |= o.share == 0.5;
            // Weights of w or 0 rather than a branch: who wins a draw is not predictable.
            column[0][d] = w * f64::from(u8::from(o.share > 0.5));
            column[1][d] = w * f64::from(u8::from(o.share < 0.5));
            column[2][d] = o.share - o.pre_swing;
            column[3][d] = o.turnout;
        }
        let [a, b, swing, turnout] = &column;
        let (a, b) = (&a[..n], &b[..n]);
        let m = self.won[0].len() - 2;
        let flows = (0..m).map(|j| &votes[j * BLOCK..j * BLOCK + n]);
        let columns = || flows.clone().chain([&swing[..n], &turnout[..n]]);
        for (j, x) in columns().enumerate() {
            let [to_a, to_b] = masked_sums(kernel, x, a, b);
            self.won[0][j] += to_a;
            self.won[1][j] += to_b;
        }
        // The weighted flows over all draws need the tied draws too, which neither finalist won.
        if let (Some(p), true) = (&mut self.posterior, tied) {
            for (j, x) in columns().enumerate() {
                for d in 0..n {
                    if outcomes[d].share == 0.5 {
                        p.tie_sums[j] += self.block_weights[d] * x[d];
                    }
                }
            }
        }
    }

    /// One draw's share of [`Tally::add_won_block`], added draw by draw: the one-draw definition
    /// it is tested against (the same sums, added in another order).
    #[cfg(test)]
    pub fn add_won(&mut self, o: &Outcome, votes: &[f64]) {
        let k = usize::from(o.share < 0.5);
        if o.share == 0.5 {
            return;
        }
        let extra = [o.share - o.pre_swing, o.turnout];
        for (sum, v) in self.won[k].iter_mut().zip(votes.iter().chain(&extra)) {
            *sum += v;
        }
    }

    /// The tally without its sums by winner, which the block and one-draw paths add in different
    /// orders (so they agree to rounding, not to the bit).
    #[cfg(test)]
    pub fn without_won(&self) -> Tally {
        let mut t = self.clone();
        for sums in &mut t.won {
            sums.fill(0.0);
        }
        t
    }

    /// The means over the draws finalist `k` (0 or 1) won (weighted by the polls, with polls).
    pub fn won_by(&self, k: usize) -> WonDraws {
        let sums = &self.won[k];
        // With polls the means are over the wins' weight; wins that all weigh 0 are no wins.
        let (draws, n) = match &self.posterior {
            Some(p) if p.wins[k] > 0.0 => (self.wins[k], p.wins[k]),
            Some(_) => (0, 1.0),
            None => (self.wins[k], self.wins[k].max(1) as f64),
        };
        let m = sums.len() - 2;
        // New voters (the last source, with no total) never abstain.
        let total = |i: usize| self.source_totals.get(i).copied();
        WonDraws {
            draws,
            flows: sums[..m]
                .chunks_exact(2)
                .enumerate()
                .map(|(i, f)| {
                    let (a, b) = (f[0] / n, f[1] / n);
                    [a, b, total(i).map_or(0.0, |t| (t - a - b).max(0.0))]
                })
                .collect(),
            swing: sums[m] / n,
            turnout: sums[m + 1] / n,
        }
    }

    /// Count a block of draws' outcomes, in draw order.
    ///
    /// One histogram at a time: each one's running sum is still added in draw order (so results are
    /// the same as counting draw by draw), and its scattered bin increments overlap in the CPU
    /// instead of waiting behind the other histograms' cache misses.
    pub fn record_block(
        &mut self,
        outcomes: &[Outcome],
        first_round_total: f64,
        recount_margin: Option<f64>,
    ) {
        for o in outcomes {
            self.draws += 1;
            if o.share > 0.5 {
                self.wins[0] += 1;
            } else if o.share < 0.5 {
                self.wins[1] += 1;
            } else {
                self.ties += 1;
            }
            if recount_margin.is_some_and(|m| (2.0 * o.share - 1.0).abs() <= m) {
                self.recounts += 1;
            }
        }
        self.share.add_all(outcomes.iter().map(|o| o.share));
        if let Some(h) = &mut self.pre_swing {
            h.add_all(outcomes.iter().map(|o| o.pre_swing));
        }
        if let Some(c) = &mut self.controls {
            for o in outcomes {
                // The swing leaves the turnout as it is: A = s₀T, B = (1 − s₀)T.
                let t = o.turnout / first_round_total;
                let (a, b) = (o.pre_swing * t, (1.0 - o.pre_swing) * t);
                c.by_share[0].add_weighted(o.pre_swing, a);
                c.by_share[1].add_weighted(o.pre_swing, b);
                c.squares[0] += a * a;
                c.squares[1] += a * b;
                c.squares[2] += b * b;
            }
        }
        self.turnout_ratio
            .add_all(outcomes.iter().map(|o| o.turnout / first_round_total));
        self.margin_ratio
            .add_all(outcomes.iter().map(|o| o.margin / first_round_total));
        if let Some(p) = &mut self.posterior {
            for (o, &w) in outcomes.iter().zip(&self.block_weights) {
                p.mass += w;
                p.mass_sq += w * w;
                if o.share > 0.5 {
                    p.wins[0] += w;
                    p.wins_sq[0] += w * w;
                } else if o.share < 0.5 {
                    p.wins[1] += w;
                    p.wins_sq[1] += w * w;
                } else {
                    p.ties += w;
                }
                if recount_margin.is_some_and(|m| (2.0 * o.share - 1.0).abs() <= m) {
                    p.recounts += w;
                }
                p.share.add_weighted(o.share, w);
                p.turnout_ratio
                    .add_weighted(o.turnout / first_round_total, w);
                p.margin_ratio.add_weighted(o.margin / first_round_total, w);
            }
        }
    }

    /// Add a later chunk's tally. Call in chunk order: float sums are order-sensitive.
    pub fn merge(&mut self, other: &Tally) {
        self.draws += other.draws;
        self.wins[0] += other.wins[0];
        self.wins[1] += other.wins[1];
        self.ties += other.ties;
        self.recounts += other.recounts;
        self.share.merge(&other.share);
        if let (Some(a), Some(b)) = (&mut self.pre_swing, &other.pre_swing) {
            a.merge(b);
        }
        self.turnout_ratio.merge(&other.turnout_ratio);
        self.margin_ratio.merge(&other.margin_ratio);
        for (a, b) in self.flows.iter_mut().zip(&other.flows) {
            *a += b;
        }
        for (mine, theirs) in self.won.iter_mut().zip(&other.won) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
        if let (Some(a), Some(b)) = (&mut self.posterior, &other.posterior) {
            a.merge(b);
        }
        if let (Some(a), Some(b)) = (&mut self.controls, &other.controls) {
            a.merge(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_a_uniform_grid_are_accurate_to_a_bin() {
        let mut h = Histogram::new(0.0, 1.0, SHARE_BINS);
        let n = 100_001;
        for i in 0..n {
            h.add(i as f64 / (n - 1) as f64);
        }
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            assert!((h.quantile(q) - q).abs() < 1e-4, "q {q}: {}", h.quantile(q));
        }
    }

    #[test]
    fn a_constant_is_reported_exactly() {
        let mut h = Histogram::new(-2.0, 2.0, MARGIN_BINS);
        for _ in 0..10 {
            h.add(0.123456789);
        }
        assert_eq!(h.quantile(0.05), 0.123456789);
        assert_eq!(h.mean(), 0.123456789);
        assert_eq!(h.coarse(100, 1.0).counts, vec![10.0]);
    }

    #[test]
    fn bars_have_round_widths_that_start_on_a_multiple_and_keep_every_count() {
        // Issue #47: bars 0.22 points or 1,007 votes wide. A spread over 0.4123..0.6789 of 950,000
        // voters: about 120 bars of a round width, on multiples of it, holding the central 99.9%.
        let mut h = Histogram::new(0.0, 1.0, SHARE_BINS);
        let n = 200_000;
        for i in 0..n {
            h.add(0.4123 + 0.2666 * i as f64 / n as f64);
        }
        for per_unit in [1.0, 950_000.0] {
            let bins = h.coarse(120, per_unit);
            let mantissa = bins.width / 10f64.powf(bins.width.log10().floor());
            assert!(
                [1.0, 2.0, 2.5, 5.0]
                    .iter()
                    .any(|m| (mantissa - m).abs() < 1e-9),
                "{}",
                bins.width
            );
            let starts = bins.lo / bins.width;
            assert!(
                (starts - starts.round()).abs() < 1e-6,
                "{} {}",
                bins.lo,
                bins.width
            );
            assert!(
                (60..=130).contains(&bins.counts.len()),
                "{}",
                bins.counts.len()
            );
            let kept: f64 = bins.counts.iter().sum();
            assert!((kept / n as f64 - 1.0).abs() < 0.002, "{kept}");
        }
    }

    #[test]
    fn whole_numbers_fill_every_bar_alike_and_their_step_is_found() {
        // 950 voters: fine bins of 0.03 votes. A flat spread over 700..=900 voters gives bars of
        // fine bins holding alternately n and n + 1 whole numbers; whole-number bars are even.
        let total = 950.0;
        let mut h = Histogram::new(0.0, 1.0, TURNOUT_BINS);
        for _ in 0..20 {
            (700..=900).for_each(|v| h.add(v as f64 / total));
        }
        let bins = h.coarse_whole(120, total).unwrap();
        assert_eq!((bins.lo, bins.width), (699.5, 2.0));
        assert_eq!(bins.counts.iter().sum::<f64>(), h.count() as f64);
        assert!(
            bins.counts[..bins.counts.len() - 1]
                .iter()
                .all(|&c| c == 40.0)
        );
        let comb = h.coarse(120, total);
        let least = comb.counts.iter().copied().fold(f64::INFINITY, f64::min);
        let most = comb.counts.iter().copied().fold(0.0, f64::max);
        assert!(
            least < most,
            "the fine-bin bars were even too: {:?}",
            comb.counts
        );

        // A margin A − B on a fixed turnout of 200 moves by 2: bars hold multiples of 2.
        let mut m = Histogram::new(-1.0, 1.0, MARGIN_BINS);
        for v in (-60..=60).step_by(2) {
            m.add(v as f64 / 200.0);
        }
        let bins = m.coarse_whole(120, 200.0).unwrap();
        assert_eq!((bins.lo, bins.width), (-61.0, 2.0));
        assert!(bins.counts.iter().all(|&c| c == 1.0));

        // Values that are not whole, and fine bins too wide to tell whole numbers apart.
        let mut half = Histogram::new(0.0, 1.0, TURNOUT_BINS);
        (0..100).for_each(|v| half.add((v as f64 + 0.5) / total));
        assert_eq!(half.coarse_whole(120, total), None);
        assert_eq!(h.coarse_whole(120, 1e6), None);
    }

    #[test]
    fn merging_equals_counting_everything_in_one() {
        let mut one = Histogram::new(0.0, 1.0, 64);
        let (mut left, mut right) = (Histogram::new(0.0, 1.0, 64), Histogram::new(0.0, 1.0, 64));
        for i in 0..1000 {
            let x = (i as f64 * 0.618).fract();
            one.add(x);
            if i < 400 { left.add(x) } else { right.add(x) }
        }
        left.merge(&right);
        assert_eq!(left.counts, one.counts);
        assert_eq!((left.min, left.max, left.n), (one.min, one.max, one.n));
    }

    #[test]
    fn crps_of_a_point_mass_is_the_distance_to_it() {
        // All mass at 0.3: CRPS(y) = |y − 0.3|.
        let mut h = Histogram::new(0.0, 1.0, 10_000);
        for _ in 0..100 {
            h.add(0.30005);
        }
        assert!((h.crps(0.7) - 0.4).abs() < 1e-3, "{}", h.crps(0.7));
        assert!(h.crps(0.30005) < 1e-3);
    }

    #[test]
    fn a_cleared_histogram_is_a_new_one() {
        let mut h = Histogram::new(-1.0, 2.0, 100);
        for x in [-3.0, 0.5, 0.7, 9.0] {
            h.add(x);
        }
        h.clear();
        assert_eq!(h, Histogram::new(-1.0, 2.0, 100));
        // Values at both ends of the range and beyond it: merging must keep every bin.
        let mut edges = Histogram::new(-1.0, 2.0, 100);
        for x in [-1.0, -0.99, 1.99, 2.0, 5.0, -7.0] {
            edges.add(x);
        }
        let mut total = Histogram::new(-1.0, 2.0, 100);
        total.merge(&edges);
        assert_eq!(total, edges);
    }

    #[test]
    fn values_outside_the_range_are_kept_in_the_tails() {
        let mut h = Histogram::new(0.0, 1.0, 10);
        h.add(-1.0);
        h.add(0.5);
        h.add(3.0);
        assert_eq!(h.quantile(0.0), -1.0);
        assert_eq!(h.quantile(1.0), 3.0);
        assert_eq!(h.count(), 3);
    }
}
