//! Streaming accumulators: counts, sums and fine fixed-range histograms that merge exactly, so memory never grows with draws.

use super::sampler::{BLOCK_DRAWS as BLOCK, Model, Outcome};
use super::simd::{Kernel, masked_sums};
use serde::{Deserialize, Serialize};

/// Bins of the share histogram on [0, 1]: 3.1e-5 wide, far inside the 0.0005 quantile accuracy asked for.
pub const SHARE_BINS: usize = 1 << 15;
/// Bins of the turnout-ratio histogram on [0, turnout_ratio_max].
pub const TURNOUT_BINS: usize = 1 << 15;
/// Bins of the margin-ratio histogram on [−turnout_ratio_max, turnout_ratio_max].
pub const MARGIN_BINS: usize = 1 << 16;

/// A fixed-range histogram with exact count, min, max and a running sum.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    lo: f64,
    hi: f64,
    scale: f64,
    counts: Vec<u64>,
    below: u64,
    above: u64,
    n: u64,
    min: f64,
    max: f64,
    sum: f64,
}

/// A histogram coarse enough to draw: `counts[i]` values in `[lo + i·width, lo + (i+1)·width)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bins {
    /// Left edge of the first bin.
    pub lo: f64,
    /// Width of every bin.
    pub width: f64,
    /// Number of draws in each bin.
    pub counts: Vec<u64>,
}

impl Histogram {
    /// An empty histogram of `bins` equal bins over `[lo, hi]`.
    pub fn new(lo: f64, hi: f64, bins: usize) -> Self {
        Histogram {
            lo,
            hi,
            scale: bins as f64 / (hi - lo),
            counts: vec![0; bins],
            below: 0,
            above: 0,
            n: 0,
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
        self.counts[touched].fill(0);
        (self.below, self.above, self.n) = (0, 0, 0);
        (self.min, self.max, self.sum) = (f64::INFINITY, f64::NEG_INFINITY, 0.0);
    }

    /// Count one value.
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        if x < self.lo {
            self.below += 1;
        } else if x > self.hi {
            self.above += 1;
        } else {
            let last = self.counts.len() - 1;
            let i = ((x - self.lo) * self.scale) as usize;
            self.counts[i.min(last)] += 1;
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
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of values counted.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Mean of the values, kept within [min, max] against rounding.
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        (self.sum / self.n as f64).clamp(self.min, self.max)
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
        let target = q.clamp(0.0, 1.0) * self.n as f64;
        let mut cum = self.below as f64;
        if target <= cum {
            return self.min;
        }
        let width = 1.0 / self.scale;
        for (i, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let next = cum + c as f64;
            if target <= next {
                let frac = (target - cum) / c as f64;
                let x = self.lo + (i as f64 + frac) * width;
                return x.clamp(self.min, self.max);
            }
            cum = next;
        }
        self.max
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
        let width = 1.0 / self.scale;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        let mut add = |x: f64, count: u64| {
            let y = f(x.clamp(self.min, self.max));
            sum += count as f64 * y;
            sum_sq += count as f64 * y * y;
        };
        add(self.min, self.below);
        add(self.max, self.above);
        for (i, &c) in self.counts.iter().enumerate() {
            if c > 0 {
                add(self.lo + (i as f64 + 0.5) * width, c);
            }
        }
        let n = self.n as f64;
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
        let n = self.n as f64;
        let mut cum = self.below as f64;
        let mut total = 0.0;
        for (i, &c) in self.counts.iter().enumerate() {
            let centre = self.lo + (i as f64 + 0.5) * width;
            let f = (cum + c as f64 / 2.0) / n;
            let step = if centre >= y { 1.0 } else { 0.0 };
            total += (f - step) * (f - step) * width;
            cum += c as f64;
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
                self.below as f64 / self.n as f64
            } else {
                0.0
            };
        }
        let edge = (((x - self.lo) * self.scale) as usize).min(self.counts.len());
        let inside: u64 = self.counts[..edge].iter().sum();
        ((self.below + inside) as f64 / self.n as f64).min(1.0)
    }

    /// About `target` bins over the central 99.9% of the values, merged from the fine bins.
    pub fn coarse(&self, target: usize) -> Bins {
        let width = 1.0 / self.scale;
        if self.n == 0 || self.min == self.max || self.max - self.min < width {
            // Everything in one fine bin: one bar around it.
            let centre = if self.n == 0 { 0.0 } else { self.min };
            return Bins {
                lo: centre - width / 2.0,
                width,
                counts: vec![self.n],
            };
        }
        let lo_x = self.quantile(0.0005).max(self.lo);
        let hi_x = self.quantile(0.9995).min(self.hi);
        let to_bin = |x: f64| (((x - self.lo) * self.scale) as usize).min(self.counts.len() - 1);
        let (first, last) = (to_bin(lo_x), to_bin(hi_x));
        let group = ((last - first + 1).div_ceil(target.max(1))).max(1);
        let mut counts = Vec::with_capacity(target + 1);
        let mut i = first;
        while i <= last {
            let end = (i + group).min(self.counts.len());
            counts.push(self.counts[i..end].iter().sum());
            i = end;
        }
        Bins {
            lo: self.lo + first as f64 * width,
            width: width * group as f64,
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
        if self.n == 0 || self.min == self.max || self.below + self.above > 0 || fine >= 0.5 {
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
        let mut values: Vec<(i64, u64)> = Vec::new();
        for (i, &c) in self.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
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
            let mut cum = 0;
            values
                .iter()
                .find(|&&(_, c)| {
                    cum += c;
                    cum as f64 >= q * self.n as f64
                })
                .map_or(values[values.len() - 1].0, |&(k, _)| k)
        };
        let (lo, hi) = (at(0.0005), at(0.9995));
        let points = ((hi - lo) / step) as u64 + 1;
        let per_bar = points.div_ceil(target.max(1) as u64);
        let bars = points.div_ceil(per_bar);
        let mut counts = vec![0; bars as usize];
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
    }

    /// The flow sums, for the sampler to add to.
    #[inline(always)]
    pub fn flows_mut(&mut self) -> &mut [f64] {
        &mut self.flows
    }

    /// Mean votes from source `i` to `[A, B, abstain]`.
    pub fn mean_flow(&self, i: usize) -> [f64; 3] {
        let n = self.draws.max(1) as f64;
        [
            self.flows[3 * i] / n,
            self.flows[3 * i + 1] / n,
            self.flows[3 * i + 2] / n,
        ]
    }

    /// Add a block's votes (`votes`: a column of the block's draws for each source's votes to A and
    /// to B, `BLOCK_DRAWS` apart) to the sums of the finalist who won each draw, with the swing's
    /// shift and the turnout.
    pub fn add_won_block(&mut self, kernel: Kernel, outcomes: &[Outcome], votes: &[f64]) {
        let n = outcomes.len();
        let mut column = [[0.0; BLOCK]; 4];
        for (d, o) in outcomes.iter().enumerate() {
            // Weights of 1 or 0 rather than a branch: who wins a draw is not predictable.
            column[0][d] = f64::from(u8::from(o.share > 0.5));
            column[1][d] = f64::from(u8::from(o.share < 0.5));
            column[2][d] = o.share - o.pre_swing;
            column[3][d] = o.turnout;
        }
        let [a, b, swing, turnout] = &column;
        let (a, b) = (&a[..n], &b[..n]);
        let m = self.won[0].len() - 2;
        let flows = (0..m).map(|j| &votes[j * BLOCK..j * BLOCK + n]);
        for (j, x) in flows.chain([&swing[..n], &turnout[..n]]).enumerate() {
            let [to_a, to_b] = masked_sums(kernel, x, a, b);
            self.won[0][j] += to_a;
            self.won[1][j] += to_b;
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

    /// The means over the draws finalist `k` (0 or 1) won.
    pub fn won_by(&self, k: usize) -> WonDraws {
        let sums = &self.won[k];
        let draws = self.wins[k];
        let n = draws.max(1) as f64;
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
        self.turnout_ratio
            .add_all(outcomes.iter().map(|o| o.turnout / first_round_total));
        self.margin_ratio
            .add_all(outcomes.iter().map(|o| o.margin / first_round_total));
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
        assert_eq!(h.coarse(100).counts, vec![10]);
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
        assert_eq!(bins.counts.iter().sum::<u64>(), h.count());
        assert!(
            bins.counts[..bins.counts.len() - 1]
                .iter()
                .all(|&c| c == 40)
        );
        let comb = h.coarse(120);
        let (least, most) = (comb.counts.iter().min(), comb.counts.iter().max());
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
        assert!(bins.counts.iter().all(|&c| c == 1));

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
