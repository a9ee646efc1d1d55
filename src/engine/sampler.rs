//! The contract's model sampled a block of draws at a time: Dirichlet rows with structural zeros, voter noise, new voters, swing.
//!
//! Gamma variates by Marsaglia & Tsang (2000), "A simple method for generating gamma variables",
//! with per-row constants precomputed; shapes below 1 use the boost Gamma(a) = Gamma(a+1)·U^(1/a)
//! in log space, so that a row with a tiny certainty never underflows to 0/0.

use super::rng::{DrawKey, DrawRng, SeedKey, open01, stream_states};
use super::simd::{Kernel, gamma_block};
use super::tally::Tally;
use crate::polls::Evidence;
use crate::scenario::{A, ABSTAIN, B, Scenario, SwingDistribution};
use rand::distr::Distribution;
use rand_distr::{Binomial, StandardNormal, StudentT};

/// A Gamma(shape, 1) sampler with its Marsaglia–Tsang constants.
#[derive(Debug, Clone, Copy)]
pub struct GammaSampler {
    d: f64,
    c: f64,
    /// 1/shape when shape < 1 (boosted), else 0.
    inv_shape: f64,
}

impl GammaSampler {
    /// A sampler for Gamma(shape, 1); `shape` must be finite and > 0.
    pub fn new(shape: f64) -> Self {
        let (boosted, inv_shape) = if shape < 1.0 {
            (shape + 1.0, 1.0 / shape)
        } else {
            (shape, 0.0)
        };
        let d = boosted - 1.0 / 3.0;
        GammaSampler {
            d,
            c: 1.0 / (9.0 * d).sqrt(),
            inv_shape,
        }
    }

    /// Whether draws must be made in log space.
    pub fn is_small(&self) -> bool {
        self.inv_shape > 0.0
    }

    /// Marsaglia–Tsang's d = shape − 1/3 (of the boosted shape when small).
    pub fn d(&self) -> f64 {
        self.d
    }

    /// Marsaglia–Tsang's c = 1/√(9d).
    pub fn c(&self) -> f64 {
        self.c
    }

    /// Marsaglia–Tsang for shape >= 1 (the boosted shape when small).
    #[inline(always)]
    pub fn sample_large(&self, rng: &mut DrawRng) -> f64 {
        loop {
            let x: f64 = StandardNormal.sample(rng);
            let v = 1.0 + self.c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = open01(rng);
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + self.d * (1.0 - v + v.ln()) {
                return self.d * v;
            }
        }
    }

    /// A Gamma(shape, 1) variate (may underflow to 0 for tiny shapes; see `sample_ln`).
    #[inline(always)]
    pub fn sample(&self, rng: &mut DrawRng) -> f64 {
        let g = self.sample_large(rng);
        if self.is_small() {
            g * open01(rng).powf(self.inv_shape)
        } else {
            g
        }
    }

    /// The natural log of a Gamma(shape, 1) variate: finite for any shape above about 1e-308, and
    /// −∞ below, where ln U / shape overflows (see `sample_ln_parts`).
    #[inline(always)]
    pub fn sample_ln(&self, rng: &mut DrawRng) -> f64 {
        self.ln_from_parts(self.sample_ln_parts(rng))
    }

    /// ln Gamma(shape) from the parts `sample_ln_parts` draws.
    #[inline(always)]
    pub fn ln_from_parts(&self, (ln_g, ln_u): (f64, f64)) -> f64 {
        if self.is_small() {
            ln_g + ln_u * self.inv_shape
        } else {
            ln_g
        }
    }

    /// ln G and ln U of the boost ln Gamma(shape) = ln G + ln U / shape, with G ~ Gamma(shape + 1)
    /// (ln U is 0 for a shape of 1 or more, which needs no boost).
    #[inline(always)]
    pub fn sample_ln_parts(&self, rng: &mut DrawRng) -> (f64, f64) {
        let ln_g = self.sample_large(rng).ln();
        if self.is_small() {
            (ln_g, open01(rng).ln())
        } else {
            (ln_g, 0.0)
        }
    }
}

/// A point on the simplex `[to A, to B, abstain]` drawn each draw.
#[derive(Debug, Clone)]
pub enum SimplexSampler {
    /// One non-zero share: the row is the same in every draw.
    Fixed([f64; 3]),
    /// Dirichlet over the non-zero components `index[..len]`.
    Dirichlet {
        /// Which of the three components are live.
        index: [usize; 3],
        /// How many are live (2 or 3).
        len: usize,
        /// One gamma sampler per live component.
        gammas: [GammaSampler; 3],
        /// Any shape below 1: normalise in log space.
        log_space: bool,
        /// The live components' means, for a row whose every log underflows (`sample`).
        means: [f64; 3],
    },
}

impl SimplexSampler {
    /// A Dirichlet(certainty · means) sampler with structural zeros; `means` sum to 1.
    pub fn new(means: &[f64], certainty: f64) -> Self {
        let mut index = [0; 3];
        let mut len = 0;
        for (k, &m) in means.iter().enumerate() {
            if m > 0.0 {
                index[len] = k;
                len += 1;
            }
        }
        if len <= 1 {
            let mut fixed = [0.0; 3];
            fixed[index[0]] = 1.0;
            return SimplexSampler::Fixed(fixed);
        }
        let mut gammas = [GammaSampler::new(1.0); 3];
        let mut live_means = [0.0; 3];
        for j in 0..len {
            gammas[j] = GammaSampler::new(certainty * means[index[j]]);
            live_means[j] = means[index[j]];
        }
        let log_space = gammas[..len].iter().any(|g| g.is_small());
        SimplexSampler::Dirichlet {
            index,
            len,
            gammas,
            log_space,
            means: live_means,
        }
    }

    /// One draw.
    #[inline(always)]
    pub fn sample(&self, rng: &mut DrawRng) -> [f64; 3] {
        match self {
            SimplexSampler::Fixed(p) => *p,
            SimplexSampler::Dirichlet {
                index,
                len,
                gammas,
                log_space,
                means,
            } => {
                let mut g = [0.0; 3];
                if *log_space {
                    let mut top = f64::NEG_INFINITY;
                    let mut ln_u = [0.0; 3];
                    for j in 0..*len {
                        let parts = gammas[j].sample_ln_parts(rng);
                        g[j] = gammas[j].ln_from_parts(parts);
                        ln_u[j] = parts.1;
                        top = top.max(g[j]);
                    }
                    if top == f64::NEG_INFINITY {
                        // A certainty below about 1e-308: every ln U / shape overflowed. Such a
                        // row is a vertex, the component with the largest ln U / mean (each
                        // −ln U / mean is exponential with rate mean, so component j comes with
                        // probability its mean, the limit of Dirichlet(κ·means) as κ → 0).
                        let vertex = (0..*len)
                            .max_by(|&i, &j| (ln_u[i] / means[i]).total_cmp(&(ln_u[j] / means[j])))
                            .unwrap_or(0);
                        for (j, v) in g.iter_mut().take(*len).enumerate() {
                            *v = if j == vertex { 1.0 } else { 0.0 };
                        }
                    } else {
                        for v in g.iter_mut().take(*len) {
                            *v = (*v - top).exp();
                        }
                    }
                } else {
                    for j in 0..*len {
                        g[j] = gammas[j].sample(rng);
                    }
                }
                let scale = 1.0 / g[..*len].iter().sum::<f64>();
                let mut p = [0.0; 3];
                for j in 0..*len {
                    p[index[j]] = g[j] * scale;
                }
                p
            }
        }
    }
}

impl SimplexSampler {
    /// One draw per stream of `states` (advanced past what they used) into the columns `rows`
    /// (`rows[k][d]`: share to component k in lane d); `gammas` is scratch of the same length.
    /// Lane by lane, exactly what `sample` gives.
    pub fn sample_block(
        &self,
        kernel: Kernel,
        states: &mut [u64],
        gammas: &mut [Vec<f64>; 3],
        rows: &mut [Vec<f64>; 3],
    ) {
        let n = states.len();
        match self {
            SimplexSampler::Fixed(p) => {
                for (column, &share) in rows.iter_mut().zip(p) {
                    column[..n].fill(share);
                }
            }
            SimplexSampler::Dirichlet {
                log_space: true, ..
            } => {
                // Rows with a shape below 1 are rare and need logarithms: one lane at a time.
                for (d, state) in states.iter_mut().enumerate() {
                    let mut rng = DrawRng::from_state(*state);
                    let p = self.sample(&mut rng);
                    *state = rng.state();
                    for (column, share) in rows.iter_mut().zip(p) {
                        column[d] = share;
                    }
                }
            }
            SimplexSampler::Dirichlet {
                index,
                len,
                gammas: samplers,
                ..
            } => {
                for j in 0..*len {
                    gamma_block(kernel, &samplers[j], states, &mut gammas[j][..n]);
                }
                // Normalise in place with the sum in `sample`'s order ((−0 + g₀) + g₁) + g₂ is
                // (g₀ + g₁) + g₂ for g₀ ≥ 0), so results are bit-identical; then move the columns.
                let [g0, g1, g2] = gammas;
                let (g0, g1, g2) = (&mut g0[..n], &mut g1[..n], &mut g2[..n]);
                if *len == 3 {
                    for ((a, b), c) in g0.iter_mut().zip(g1.iter_mut()).zip(g2.iter_mut()) {
                        let scale = 1.0 / (*a + *b + *c);
                        (*a, *b, *c) = (*a * scale, *b * scale, *c * scale);
                    }
                } else {
                    for (a, b) in g0.iter_mut().zip(g1.iter_mut()) {
                        let scale = 1.0 / (*a + *b);
                        (*a, *b) = (*a * scale, *b * scale);
                    }
                    // The structural zero.
                    let zero = (0..3).find(|k| !index[..2].contains(k)).unwrap_or(ABSTAIN);
                    rows[zero][..n].fill(0.0);
                }
                for j in 0..*len {
                    std::mem::swap(&mut rows[index[j]], &mut gammas[j]);
                }
            }
        }
    }
}

/// Draws per block: each source's rows are sampled for a whole block, eight streams at a time
/// where the CPU allows, then the block's draws are finished and counted in draw order.
pub const BLOCK_DRAWS: usize = 256;

/// Reusable buffers for one block of draws, so the hot loop never allocates.
#[derive(Debug, Clone)]
pub struct Block {
    keys: Vec<DrawKey>,
    states: Vec<u64>,
    gammas: [Vec<f64>; 3],
    rows: [Vec<f64>; 3],
    to_a: Vec<f64>,
    to_b: Vec<f64>,
    outcomes: Vec<Outcome>,
    /// The block's votes from every flow source to A and to B, a column of draws each
    /// (`BLOCK_DRAWS` apart), kept until the draws' winners are known.
    votes: Vec<f64>,
}

impl Default for Block {
    fn default() -> Self {
        let column = || vec![0.0; BLOCK_DRAWS];
        Block {
            keys: vec![SeedKey::new(0).draw(0); BLOCK_DRAWS],
            states: vec![0; BLOCK_DRAWS],
            gammas: [column(), column(), column()],
            rows: [column(), column(), column()],
            to_a: column(),
            to_b: column(),
            outcomes: vec![Outcome::default(); BLOCK_DRAWS],
            votes: Vec::new(),
        }
    }
}

/// One first-round candidate's voters, ready to sample.
#[derive(Debug, Clone)]
pub struct Source {
    votes: f64,
    voters: u64,
    row: SimplexSampler,
}

/// The swing's shock, ready to sample.
#[derive(Debug, Clone)]
enum Shock {
    Off,
    Normal(f64),
    StudentT(f64, StudentT<f64>),
}

/// The scenario compiled for sampling: contiguous rows, constants precomputed.
#[derive(Debug, Clone)]
pub struct Model {
    sources: Vec<Source>,
    first_round_total: f64,
    new_voters: Option<(f64, f64, SimplexSampler)>,
    shock: Shock,
    voter_noise: bool,
    recount_margin: Option<f64>,
    /// The polls' likelihood of the share, which weights every draw; none without polls.
    evidence: Option<Evidence>,
    /// The swing's scale and distribution, when the scenario has one: the conditional win
    /// probability integrates it out in closed form.
    swing: Option<(f64, SwingDistribution)>,
    /// The expected runoff votes of the first and second finalist, as ratios of the first-round
    /// total: known in closed form, they are the conditional estimate's control variates.
    expected_votes: [f64; 2],
    /// Upper end of the turnout ratio's histogram range.
    pub turnout_ratio_max: f64,
}

/// What one draw produced (flows are added to the tally directly).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Outcome {
    /// First finalist's two-party share after the swing.
    pub share: f64,
    /// The share before the swing (equal to `share` without one).
    pub pre_swing: f64,
    /// Runoff turnout in votes.
    pub turnout: f64,
    /// First finalist's margin in votes, (2s − 1)·T.
    pub margin: f64,
}

/// E[A] and E[B] over the first-round total: each source's voters (whole voters with voter noise)
/// times its row's mean shares, and the new voters' mean size (a normal truncated at 0) times
/// their split.
fn expected_votes(scenario: &Scenario) -> [f64; 2] {
    let total = scenario.first_round_total();
    let mut sums = [0.0; 2];
    for c in &scenario.candidates {
        let v = if scenario.simulation.voter_noise {
            c.votes.round()
        } else {
            c.votes
        };
        for (k, sum) in sums.iter_mut().enumerate() {
            *sum += v * c.transfer.shares[k];
        }
    }
    let nv = &scenario.new_voters;
    if nv.enabled() {
        let (m, sd) = (nv.share, nv.sd);
        let size = if sd > 0.0 {
            use statrs::distribution::{Continuous, ContinuousCDF, Normal};
            let z = Normal::standard();
            m * z.cdf(m / sd) + sd * z.pdf(m / sd)
        } else {
            m.max(0.0)
        };
        for (k, sum) in sums.iter_mut().enumerate() {
            *sum += size * total * nv.split[k];
        }
    }
    sums.map(|x| x / total)
}

impl Model {
    /// Compile a validated scenario.
    pub fn new(scenario: &Scenario) -> Self {
        let sources = scenario
            .candidates
            .iter()
            .map(|c| Source {
                votes: c.votes,
                voters: c.votes.round().min(u64::MAX as f64) as u64,
                row: SimplexSampler::new(&c.transfer.shares, c.transfer.certainty),
            })
            .collect();
        let nv = &scenario.new_voters;
        let new_voters = nv.enabled().then(|| {
            (
                nv.share,
                nv.sd,
                SimplexSampler::new(&[nv.split[0], nv.split[1], 0.0], nv.certainty),
            )
        });
        let shock = match (scenario.swing.sd > 0.0, scenario.swing.distribution) {
            (false, _) => Shock::Off,
            (true, SwingDistribution::Normal) => Shock::Normal(scenario.swing.sd),
            // rand_distr refuses the one df whose half underflows to 0 (5e-324). Any df below
            // about 1e-300 draws ±∞ every time (its chi-square variate is 0), so the smallest
            // normal df draws exactly the same. Only an infinite df (refused by validation) is
            // left to fail: its limit is the normal.
            (true, SwingDistribution::StudentT { df }) => {
                match StudentT::new(df.max(f64::MIN_POSITIVE)) {
                    Ok(t) => Shock::StudentT(scenario.swing.sd, t),
                    Err(_) => Shock::Normal(scenario.swing.sd),
                }
            }
        };
        // New voters beyond ten sds above their mean land in the overflow count; quantiles stay exact to the max.
        let turnout_ratio_max = 1.0
            + if nv.enabled() {
                nv.share + 10.0 * nv.sd
            } else {
                0.0
            };
        Model {
            sources,
            first_round_total: scenario.first_round_total(),
            new_voters,
            shock,
            voter_noise: scenario.simulation.voter_noise,
            recount_margin: scenario.report.recount_margin,
            evidence: Evidence::of(&scenario.polls),
            swing: (scenario.swing.sd > 0.0)
                .then_some((scenario.swing.sd, scenario.swing.distribution)),
            expected_votes: expected_votes(scenario),
            turnout_ratio_max,
        }
    }

    /// The expected votes of the two finalists as ratios of the first-round total.
    pub fn expected_votes(&self) -> [f64; 2] {
        self.expected_votes
    }

    /// The swing's scale and distribution, when the scenario has one.
    pub fn swing(&self) -> Option<(f64, SwingDistribution)> {
        self.swing
    }

    /// The polls' likelihood of the share, when the scenario has polls.
    pub fn evidence(&self) -> Option<Evidence> {
        self.evidence
    }

    /// Whether a swing moves the share after the transfers.
    pub fn has_swing(&self) -> bool {
        !matches!(self.shock, Shock::Off)
    }

    /// Number of flow sources: every candidate, plus the new voters.
    pub fn flow_sources(&self) -> usize {
        self.sources.len() + 1
    }

    /// Each candidate's voters as a draw counts them: its votes, or with voter noise its whole
    /// voters (the multinomial's count), which a draw splits between A, B and abstention.
    pub fn source_totals(&self) -> Vec<f64> {
        self.sources
            .iter()
            .map(|s| {
                if self.voter_noise {
                    s.voters as f64
                } else {
                    s.votes
                }
            })
            .collect()
    }

    /// Total first-round votes.
    pub fn first_round_total(&self) -> f64 {
        self.first_round_total
    }

    /// The recount margin asked for, if any.
    pub fn recount_margin(&self) -> Option<f64> {
        self.recount_margin
    }

    /// Draws `first .. first + n` (n ≤ BLOCK_DRAWS) under `key`, counted into `tally` in draw order.
    /// Source `i` uses stream `(draw, i)`, the new voters `(draw, n)`, the swing `(draw, n + 1)`;
    /// every draw's numbers are those of `draw` (the one-draw definition), for either kernel.
    pub fn draw_block(
        &self,
        key: SeedKey,
        first: u64,
        n: usize,
        kernel: Kernel,
        block: &mut Block,
        tally: &mut Tally,
    ) {
        let Block {
            keys,
            states,
            gammas,
            rows,
            to_a,
            to_b,
            outcomes,
            votes,
        } = block;
        // Sized on the first block of a chunk; the same model's later blocks reuse it.
        let columns = 2 * self.flow_sources();
        votes.resize(columns * BLOCK_DRAWS, 0.0);
        let votes = votes.as_mut_slice();
        key.draws(kernel, first, &mut keys[..n]);
        to_a[..n].fill(0.0);
        to_b[..n].fill(0.0);
        let flows = tally.flows_mut();
        for (i, src) in self.sources.iter().enumerate() {
            stream_states(kernel, &keys[..n], i as u64, &mut states[..n]);
            src.row.sample_block(kernel, &mut states[..n], gammas, rows);
            // The flow sums are carried in registers but added in draw order, as in `draw`.
            let mut sums = [flows[3 * i], flows[3 * i + 1], flows[3 * i + 2]];
            if self.voter_noise {
                for d in 0..n {
                    let p = [rows[A][d], rows[B][d], rows[ABSTAIN][d]];
                    let mut rng = DrawRng::from_state(states[d]);
                    let (va, vb, vh) = multinomial(&mut rng, src.voters, &p);
                    add_votes(&mut sums, [va, vb, vh], &mut to_a[d], &mut to_b[d]);
                    votes[2 * i * BLOCK_DRAWS + d] = va;
                    votes[(2 * i + 1) * BLOCK_DRAWS + d] = vb;
                }
            } else {
                let (ra, rb, rh) = (&rows[A][..n], &rows[B][..n], &rows[ABSTAIN][..n]);
                let (ta, tb) = (&mut to_a[..n], &mut to_b[..n]);
                let (va, rest) = votes[2 * i * BLOCK_DRAWS..].split_at_mut(BLOCK_DRAWS);
                let vb = &mut rest[..BLOCK_DRAWS];
                for d in 0..n {
                    let v = [src.votes * ra[d], src.votes * rb[d], src.votes * rh[d]];
                    add_votes(&mut sums, v, &mut ta[d], &mut tb[d]);
                    (va[d], vb[d]) = (v[0], v[1]);
                }
            }
            flows[3 * i..3 * i + 3].copy_from_slice(&sums);
        }
        // Without new voters their columns keep the zeros they were made with.
        let new_column = self.new_voters.is_some().then_some(columns - 2);
        for d in 0..n {
            let mut new_votes = [0.0; 2];
            outcomes[d] = self.finish(keys[d], to_a[d], to_b[d], tally.flows_mut(), &mut new_votes);
            if let Some(c) = new_column {
                for (k, v) in new_votes.into_iter().enumerate() {
                    votes[(c + k) * BLOCK_DRAWS + d] = v;
                }
            }
        }
        tally.add_won_block(kernel, &outcomes[..n], votes);
        tally.record_block(&outcomes[..n], self.first_round_total, self.recount_margin);
    }

    /// Copy the block just drawn (its first `n` draws) into `draws`, with the polls' `weights`
    /// (empty without polls).
    pub fn record_block(&self, block: &Block, n: usize, weights: &[f64], draws: &mut super::Draws) {
        let columns = 2 * self.flow_sources();
        let column = |c: usize| &block.votes[c * BLOCK_DRAWS..c * BLOCK_DRAWS + n];
        for o in &block.outcomes[..n] {
            draws.share.push(o.share);
            draws.margin.push(o.margin);
            draws.turnout.push(o.turnout);
            draws.swing.push(o.share - o.pre_swing);
        }
        draws
            .weight
            .extend_from_slice(&weights[..weights.len().min(n)]);
        for (i, src) in self.sources.iter().enumerate() {
            // Shares of the voters the draw counted: whole voters with voter noise.
            let size = if self.voter_noise {
                src.voters as f64
            } else {
                src.votes
            };
            let [to_a, to_b, home] = &mut draws.rates[i];
            for (va, vb) in column(2 * i).iter().zip(column(2 * i + 1)) {
                let (a, b) = if size > 0.0 {
                    (va / size, vb / size)
                } else {
                    (0.0, 0.0)
                };
                to_a.push(a as f32);
                to_b.push(b as f32);
                home.push(if size > 0.0 {
                    (1.0 - a - b).max(0.0) as f32
                } else {
                    0.0
                });
            }
        }
        let (na, nb) = (column(columns - 2), column(columns - 1));
        draws
            .new_voters
            .extend(na.iter().zip(nb).map(|(a, b)| a + b));
        if self.new_voters.is_some() {
            let [to_a, to_b, home] = &mut draws.rates[self.sources.len()];
            for (a, b) in na.iter().zip(nb) {
                let n = a + b;
                to_a.push(if n > 0.0 { (a / n) as f32 } else { 0.0 });
                to_b.push(if n > 0.0 { (b / n) as f32 } else { 0.0 });
                home.push(0.0);
            }
        }
    }

    /// Whether polls weigh the draws.
    pub fn has_polls(&self) -> bool {
        self.evidence.is_some()
    }

    /// Flow sources whose rates `record_block` writes: the candidates, then the new voters when
    /// the scenario has them.
    pub fn rate_sources(&self) -> usize {
        self.sources.len() + usize::from(self.new_voters.is_some())
    }

    /// Draw number `draw` under `key` on its own: the definition `draw_block` must reproduce.
    #[cfg(test)]
    pub fn draw(&self, key: SeedKey, draw: u64, tally: &mut Tally) -> Outcome {
        let flows = tally.flows_mut();
        let (mut a, mut b) = (0.0, 0.0);
        let key = key.draw(draw);
        let mut votes = vec![0.0; 2 * self.flow_sources()];
        for (i, src) in self.sources.iter().enumerate() {
            let rng = &mut key.stream(i as u64);
            let p = src.row.sample(rng);
            let (va, vb, vh) = self.votes(src, &p, rng);
            flows[3 * i] += va;
            flows[3 * i + 1] += vb;
            flows[3 * i + 2] += vh;
            votes[2 * i..2 * i + 2].copy_from_slice(&[va, vb]);
            a += va;
            b += vb;
        }
        let k = votes.len() - 2;
        let outcome = self.finish(key, a, b, flows, &mut votes[k..]);
        tally.add_won(&outcome, &votes);
        outcome
    }

    /// A source's votes to A, B and abstention given its row `p` (voter noise from `rng`).
    #[cfg(test)]
    fn votes(&self, src: &Source, p: &[f64; 3], rng: &mut DrawRng) -> (f64, f64, f64) {
        if self.voter_noise {
            multinomial(rng, src.voters, p)
        } else {
            (src.votes * p[A], src.votes * p[B], src.votes * p[ABSTAIN])
        }
    }

    /// The rest of a draw once the sources' votes `a`, `b` are in: new voters (their votes to A and
    /// to B also written to `new_votes`, which is left as it is without them), then the swing.
    #[inline(always)]
    fn finish(
        &self,
        key: DrawKey,
        mut a: f64,
        mut b: f64,
        flows: &mut [f64],
        new_votes: &mut [f64],
    ) -> Outcome {
        let n = self.sources.len() as u64;
        if let Some((share, sd, split)) = &self.new_voters {
            let rng = &mut key.stream(n);
            let size = if *sd > 0.0 {
                let z: f64 = StandardNormal.sample(rng);
                (share + sd * z).max(0.0)
            } else {
                *share
            };
            let n = size * self.first_round_total;
            let q = split.sample(rng);
            let k = 3 * self.sources.len();
            flows[k] += n * q[A];
            flows[k + 1] += n * q[B];
            new_votes.copy_from_slice(&[n * q[A], n * q[B]]);
            a += n * q[A];
            b += n * q[B];
        }
        let turnout = a + b;
        let share = if turnout > 0.0 { a / turnout } else { 0.5 };
        let rng = &mut key.stream(n + 1);
        match &self.shock {
            Shock::Off => Outcome {
                share,
                pre_swing: share,
                turnout,
                margin: a - b,
            },
            Shock::Normal(sd) => {
                let z: f64 = StandardNormal.sample(rng);
                swung(share, sd * z, turnout)
            }
            Shock::StudentT(sd, t) => swung(share, sd * t.sample(rng), turnout),
        }
    }
}

/// Add one draw's votes from a source to its flow sums and to the draw's totals for A and B.
#[inline(always)]
fn add_votes(sums: &mut [f64; 3], votes: [f64; 3], to_a: &mut f64, to_b: &mut f64) {
    for (sum, v) in sums.iter_mut().zip(votes) {
        *sum += v;
    }
    *to_a += votes[A];
    *to_b += votes[B];
}

/// The outcome after a swing: the share moves and is clamped to [0, 1]; turnout does not change.
#[inline(always)]
fn swung(pre_swing: f64, shift: f64, turnout: f64) -> Outcome {
    let share = (pre_swing + shift).clamp(0.0, 1.0);
    Outcome {
        share,
        pre_swing,
        turnout,
        margin: (2.0 * share - 1.0) * turnout,
    }
}

/// A multinomial draw of `n` voters over `[A, B, abstain]` with probabilities `p`, as two binomials.
#[inline]
fn multinomial(rng: &mut DrawRng, n: u64, p: &[f64; 3]) -> (f64, f64, f64) {
    let to_a = binomial(rng, n, p[A]);
    let rest = n - to_a;
    let pb = if p[A] < 1.0 {
        (p[B] / (1.0 - p[A])).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let to_b = binomial(rng, rest, pb);
    (to_a as f64, to_b as f64, (rest - to_b) as f64)
}

#[inline]
fn binomial(rng: &mut DrawRng, n: u64, p: f64) -> u64 {
    match Binomial::new(n, p.clamp(0.0, 1.0)) {
        Ok(dist) => dist.sample(rng),
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::rng::SeedKey;

    fn long_stream(seed: u64, part: u64) -> DrawRng {
        SeedKey::new(seed).stream(0, part)
    }
    use super::*;
    use statrs::distribution::{Beta, ContinuousCDF, Gamma};

    /// Kolmogorov–Smirnov statistic of `xs` against `cdf`.
    fn ks(mut xs: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
        xs.sort_by(f64::total_cmp);
        let n = xs.len() as f64;
        xs.iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = cdf(x);
                (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
            })
            .fold(0.0, f64::max)
    }

    /// The 5% critical value of the one-sample KS statistic, 1.36/sqrt(n); rand_distr uses 1.95/sqrt(n) (0.1%).
    fn ks_bound(n: usize) -> f64 {
        1.95 / (n as f64).sqrt()
    }

    #[test]
    fn gamma_variates_follow_the_gamma_cdf_for_small_and_large_shapes() {
        for &shape in &[0.05, 0.5, 1.0, 3.7, 250.0] {
            let g = GammaSampler::new(shape);
            let mut rng = long_stream(11, 3);
            let n = 20_000;
            let xs: Vec<f64> = (0..n).map(|_| g.sample_ln(&mut rng).exp()).collect();
            let dist = Gamma::new(shape, 1.0).unwrap();
            let d = ks(xs, |x| dist.cdf(x));
            assert!(d < ks_bound(n), "shape {shape}: KS {d}");
        }
    }

    #[test]
    fn dirichlet_marginals_follow_their_beta_distributions() {
        let means = [0.45, 0.35, 0.2];
        let kappa = 40.0;
        let s = SimplexSampler::new(&means, kappa);
        let mut rng = long_stream(5, 0);
        let n = 50_000;
        let draws: Vec<[f64; 3]> = (0..n).map(|_| s.sample(&mut rng)).collect();
        for (k, &m) in means.iter().enumerate() {
            let beta = Beta::new(kappa * m, kappa * (1.0 - m)).unwrap();
            let d = ks(draws.iter().map(|p| p[k]).collect(), |x| beta.cdf(x));
            assert!(d < ks_bound(n), "component {k}: KS {d}");
        }
    }

    #[test]
    fn block_draws_are_the_one_draw_definition_for_either_kernel() {
        // Every part of the model: a fixed row, a structural zero, a row below certainty 1
        // (log space), voter noise, new voters and a Student-t swing; then the same without noise.
        let text = r#"
            finalists = ["L", "R"]
            [first_round]
            L = 40000
            R = 38000
            C = 15000
            F = 4000
            M = 900
            [transfers.L]
            L = 0.8
            R = 0.05
            certainty = 80
            [transfers.R]
            R = 0.82
            L = 0.0
            certainty = 60
            [transfers.F]
            L = 0.2
            R = 0.3
            certainty = 0.5
            [transfers.M]
            L = 1.0
            certainty = 10
            [default_transfer]
            L = 0.35
            R = 0.4
            certainty = 3
            [new_voters]
            share = 0.03
            sd = 0.02
            L = 0.55
            R = 0.45
            certainty = 10
            [swing]
            sd = 0.02
            distribution = "student-t"
            df = 3
            [simulation]
            voter_noise = NOISE
        "#;
        for noise in ["true", "false"] {
            let path = std::path::Path::new("block.toml");
            let scenario = crate::scenario::parse_str(&text.replace("NOISE", noise), path)
                .expect("valid scenario");
            let model = Model::new(&scenario);
            let key = SeedKey::new(42);
            let (first, n) = (1_000_000, 3 * BLOCK_DRAWS as u64 + 5);
            let mut one_by_one = Tally::new(&model);
            for draw in first..first + n {
                let o = model.draw(key, draw, &mut one_by_one);
                let (total, recount) = (model.first_round_total(), model.recount_margin());
                one_by_one.record_block(std::slice::from_ref(&o), total, recount);
            }
            for kernel in Kernel::supported() {
                let (mut tally, mut block) = (Tally::new(&model), Block::default());
                let mut done = 0;
                while done < n {
                    let size = (n - done).min(BLOCK_DRAWS as u64);
                    model.draw_block(
                        key,
                        first + done,
                        size as usize,
                        kernel,
                        &mut block,
                        &mut tally,
                    );
                    done += size;
                }
                assert!(
                    tally.without_won() == one_by_one.without_won(),
                    "noise {noise}, {kernel:?}"
                );
                for k in 0..2 {
                    let (block, one) = (tally.won_by(k), one_by_one.won_by(k));
                    let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * x.abs().max(1.0);
                    assert!(block.draws == one.draws && block.draws > 0);
                    assert!(close(block.swing, one.swing) && close(block.turnout, one.turnout));
                    for (x, y) in block.flows.iter().flatten().zip(one.flows.iter().flatten()) {
                        assert!(close(*x, *y), "finalist {k}: {x} against {y}");
                    }
                }
            }
        }
    }

    #[test]
    fn structural_zeros_stay_zero_and_rows_sum_to_one() {
        let s = SimplexSampler::new(&[0.3, 0.7, 0.0], 10.0);
        let mut rng = long_stream(1, 0);
        for _ in 0..10_000 {
            let p = s.sample(&mut rng);
            assert_eq!(p[2], 0.0);
            assert!((p[0] + p[1] - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn tiny_certainty_gives_vertices_with_the_mean_as_probability() {
        // 1e-6, and certainties whose shapes are subnormal, so that ln U / shape overflows.
        for certainty in [1e-6, 1e-309, 1e-320, 5e-324] {
            for means in [[0.3, 0.7, 0.0], [0.3, 0.5, 0.2]] {
                let s = SimplexSampler::new(&means, certainty);
                let mut rng = long_stream(2, 0);
                let n = 20_000;
                let mut sums = [0.0; 3];
                for _ in 0..n {
                    let p = s.sample(&mut rng);
                    assert!(p.iter().all(|v| v.is_finite()), "{certainty}: {p:?}");
                    assert!(
                        (p.iter().sum::<f64>() - 1.0).abs() < 1e-9,
                        "{certainty}: {p:?}"
                    );
                    for k in 0..3 {
                        sums[k] += p[k];
                    }
                }
                for k in 0..3 {
                    let (mean, m) = (sums[k] / n as f64, means[k]);
                    let se = (m * (1.0 - m) / n as f64).sqrt();
                    assert!(
                        (mean - m).abs() <= 4.0 * se,
                        "{certainty} {means:?}: {k} {mean}"
                    );
                }
            }
        }
    }
}
