//! The one [`Summary`] of a run: every export and chart reads it, and `summary.json` is it, serialised.
//!
//! What belongs here: a figure about one scenario's run that an output shows (a field, with its
//! meaning), computed once from the engine's tally. How it is written belongs in `export/` or
//! `chart/`, never here.

use crate::engine::rng::RNG_NAME;
use crate::engine::{Bins, Estimator, Histogram, Posterior, Tally};
use crate::polls::EFFECTIVE_DRAWS_FLOOR;
use crate::scenario::{A, ABSTAIN, B, RowOrigin, Scenario};
use crate::stats::{Z95, share_interval};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Label of the abstention destination in flows.
pub const ABSTAIN_LABEL: &str = "abstain";
/// Label of the new-voter source in flows (see [`new_voters_label`]).
pub const NEW_VOTERS_LABEL: &str = "New voters";
/// [`SourceAssumption::row`] of the new voters: a candidate may bear their label, never their row.
pub const NEW_VOTERS_ROW: &str = "new_voters";
/// Bars in the coarse distributions kept for charts.
const CHART_BINS: usize = 120;

/// Mean and quantiles of one simulated quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantiles {
    /// Mean over draws.
    pub mean: f64,
    /// 5th percentile.
    pub p05: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Quantiles {
    fn of(h: &Histogram, scale: f64) -> Self {
        Quantiles {
            mean: h.mean() * scale,
            p05: h.quantile(0.05) * scale,
            p25: h.quantile(0.25) * scale,
            p50: h.quantile(0.50) * scale,
            p75: h.quantile(0.75) * scale,
            p95: h.quantile(0.95) * scale,
        }
    }
}

/// Runoff turnout in votes, and its mean as a ratio of the first round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turnout {
    /// Quantiles in votes.
    #[serde(flatten)]
    pub votes: Quantiles,
    /// Mean runoff turnout over the first-round total.
    pub ratio_to_first_round: f64,
    /// The first-round total.
    pub first_round_total: f64,
}

/// Mean votes from one source to one destination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// A first-round candidate, or the new voters ([`new_voters_label`]).
    pub from: String,
    /// A finalist, or "abstain".
    pub to: String,
    /// Mean votes over draws.
    pub mean_votes: f64,
    /// `mean_votes` over the source's votes.
    pub mean_share: f64,
}

impl Flow {
    /// "Bradley Byrne → Jeff Sessions", or "… → stayed home" for abstention.
    pub fn route(&self) -> String {
        let to = if self.to == ABSTAIN_LABEL {
            "stayed home"
        } else {
            self.to.as_str()
        };
        format!("{} → {to}", self.from)
    }
}

/// What one finalist's wins look like: means over the draws it won. Set beside the means over all
/// draws, they say what would have to happen for it to win.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wins {
    /// Draws the finalist won.
    pub draws: u64,
    /// Mean flows over those draws (none when it won no draw).
    pub flows: Vec<Flow>,
    /// Mean shift of the first finalist's share by the late swing over those draws (left out when
    /// it won no draw; 0 without a swing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swing_mean: Option<f64>,
    /// Mean runoff turnout in votes over those draws (left out when it won no draw).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnout_mean: Option<f64>,
}

/// The runoff's actual result (`[actual]`), and where it fell among the draws: a scenario written
/// before the runoff, scored after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actual {
    /// Each finalist's runoff votes.
    pub votes: IndexMap<String, f64>,
    /// The finalist who won; none for an exact tie.
    pub winner: Option<String>,
    /// The probability the scenario gave that outcome (the tie probability for a tie).
    pub outcome_probability: f64,
    /// The first finalist's two-party share.
    pub share: f64,
    /// The first finalist's margin in votes.
    pub margin_votes: f64,
    /// Runoff turnout: the two finalists' votes.
    pub turnout_votes: f64,
    /// Turnout over the first-round total.
    pub turnout_ratio_to_first_round: f64,
    /// Fraction of draws below the actual share (its percentile over 100): near 0 or 1, the
    /// result lay in a tail of what the scenario expected.
    pub share_percentile: f64,
    /// The same for the margin in votes.
    pub margin_percentile: f64,
    /// The same for the turnout.
    pub turnout_percentile: f64,
    /// Brier score of the win probabilities, (1 − the winner's probability)², as `runoff backtest`
    /// scores the default prior; none for a tie.
    pub brier: Option<f64>,
    /// Continuous ranked probability score of the share distribution against the actual share
    /// (in share units; 0 for a forecast certain of it), as `runoff backtest` scores it.
    pub share_crps: f64,
}

impl Actual {
    /// The fractions of `tally`'s draws below the actual share, margin and turnout of the runoff
    /// `[a, b]`, for a first round of `total` votes.
    pub(crate) fn below(tally: &Tally, total: f64, [a, b]: [f64; 2]) -> [f64; 3] {
        [
            tally.share_histogram().cdf(a / (a + b)),
            tally.margin_histogram().cdf((a - b) / total),
            tally.turnout_histogram().cdf((a + b) / total),
        ]
    }

    fn of(scenario: &Scenario, tally: &Tally, [a, b]: [f64; 2]) -> Self {
        let total = scenario.first_round_total();
        let turnout = a + b;
        let share = a / turnout;
        let (winner, outcome_probability) = if a > b {
            (Some(0), tally.win_probability(0))
        } else if b > a {
            (Some(1), tally.win_probability(1))
        } else {
            (None, tally.tie_probability())
        };
        let [fa, fb] = &scenario.finalists;
        let [share_percentile, margin_percentile, turnout_percentile] =
            Self::below(tally, total, [a, b]);
        Actual {
            votes: IndexMap::from([(fa.clone(), a), (fb.clone(), b)]),
            winner: winner.map(|k| scenario.finalists[k].clone()),
            outcome_probability,
            share,
            margin_votes: a - b,
            turnout_votes: turnout,
            turnout_ratio_to_first_round: turnout / total,
            share_percentile,
            margin_percentile,
            turnout_percentile,
            brier: winner.map(|_| (1.0 - outcome_probability).powi(2)),
            share_crps: tally.share_histogram().crps(share),
        }
    }
}

/// A source's assumption as resolved from the scenario, with the 90% interval its certainty implies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceAssumption {
    /// A first-round candidate, or the new voters ([`new_voters_label`]).
    pub name: String,
    /// First-round votes (mean size for new voters).
    pub votes: f64,
    /// Expected shares to `[A, B, abstain]`.
    pub expected: [f64; 3],
    /// 90% interval of each share.
    pub interval90: [[f64; 2]; 3],
    /// Dirichlet concentration.
    pub certainty: f64,
    /// "transfers", "default_transfer" or "new_voters".
    pub row: String,
}

/// Coarse distributions for the charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distributions {
    /// First finalist's two-party share.
    pub share: Bins,
    /// Turnout in votes.
    pub turnout_votes: Bins,
    /// Margin in votes.
    pub margin_votes: Bins,
    /// With polls: the first finalist's share before the polls weigh the draws (the scenario alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_share: Option<Bins>,
}

/// What the polls say and how far they moved the answer (`[[polls]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollsSummary {
    /// Number of polls.
    pub count: usize,
    /// μ: the first finalist's two-party share the polls point to, combined.
    pub combined_share: f64,
    /// σ: the sd of their combined likelihood, sampling and poll errors together.
    pub combined_sd: f64,
    /// (Σw)² / Σw²: how many equally weighted draws the weighted ones are worth.
    pub effective_draws: f64,
    /// Below this many effective draws the answer is flagged: the polls contradict the scenario.
    pub effective_draws_floor: f64,
    /// `[poll_error]` as used: `[shared, each]`.
    pub poll_error: [f64; 2],
    /// The first finalist's share from the scenario alone, before the polls.
    pub prior_share: Quantiles,
    /// Each poll, in file order.
    pub polls: Vec<PollRow>,
}

/// One poll as the outputs show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollRow {
    /// Who ran it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pollster: Option<String>,
    /// Its last day in the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// Respondents.
    pub n: f64,
    /// Each finalist's share of the respondents.
    pub shares: IndexMap<String, f64>,
    /// The first finalist's share of the decided respondents, y = a / (a + b).
    pub decided_share: f64,
    /// y ± 1.96 times its own error (sampling and `each`); the shared error moves every poll alike.
    pub interval95: [f64; 2],
}

/// Everything reported for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// The scenario file as given.
    pub file: String,
    /// The scenario's description.
    pub description: String,
    /// `[first finalist, second finalist]`.
    pub finalists: [String; 2],
    /// Draws made.
    pub draws: u64,
    /// Seed used.
    pub seed: u64,
    /// The generator and how streams are derived.
    pub rng: String,
    /// `runoff` version.
    pub version: String,
    /// Each finalist's win probability, by `estimator`.
    pub win_probability: IndexMap<String, f64>,
    /// Its Monte Carlo standard error.
    pub win_probability_se: IndexMap<String, f64>,
    /// Its 95% interval (the estimate ± 1.96 se for the conditional estimate; Wilson's for a count
    /// without polls).
    pub win_probability_ci95: IndexMap<String, [f64; 2]>,
    /// How `win_probability` was estimated: "conditional" (with a swing: the mean over draws of
    /// the swing's exact chance of a win given the share before it, with polls their weighted
    /// ratio; the same expectation as the count, several times less variance) or "count" (the
    /// share of draws won; no swing).
    #[serde(default)]
    pub estimator: Estimator,
    /// With the conditional estimate: the plain count of draws won (weighted with polls), kept as
    /// a check on it; the two agree within their standard errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub win_probability_count: Option<IndexMap<String, f64>>,
    /// Its Monte Carlo standard error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub win_probability_count_se: Option<f64>,
    /// With `--precision P`: the run stopped at the first chunk where the 95% interval of the
    /// win probability was narrower than ±P (or at the draw cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<f64>,
    /// With `--precision P`: whether the target was met (false: the run stopped at the draw cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision_reached: Option<bool>,
    /// Draws that ended in an exact tie.
    pub ties: u64,
    /// `ties / draws`.
    pub tie_probability: f64,
    /// The first finalist's two-party share.
    pub share: Quantiles,
    /// The first finalist's margin in votes, (2s − 1)·T.
    pub margin_votes: Quantiles,
    /// Runoff turnout.
    pub turnout: Turnout,
    /// Mean flows from every source to every destination.
    pub flows: Vec<Flow>,
    /// Mean shift of the first finalist's share by the late swing over all draws (0 without one).
    pub swing_mean: f64,
    /// For each finalist, the means over the draws it won.
    pub when_wins: IndexMap<String, Wins>,
    /// P(|margin| <= recount margin · turnout), when `[report].recount_margin` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recount_probability: Option<f64>,
    /// The recount margin asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recount_margin: Option<f64>,
    /// The runoff's actual result and where it fell among the draws, when `[actual]` gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<Actual>,
    /// With polls: each finalist's win probability from the scenario alone, before the polls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_win_probability: Option<IndexMap<String, f64>>,
    /// With polls: what they say, and how many draws the weighted answer rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polls: Option<PollsSummary>,
    /// `[display_names]`: the labels the scenario gives candidates in tables and charts.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub display_names: IndexMap<String, String>,
    /// The assumptions per source, as resolved.
    pub sources: Vec<SourceAssumption>,
    /// Coarse histograms for charts.
    pub distributions: Distributions,
}

/// The polls' part of a summary.
fn polls_summary(scenario: &Scenario, tally: &Tally, posterior: &Posterior) -> PollsSummary {
    let e = &posterior.evidence;
    let err = &scenario.polls.error;
    let [fa, fb] = &scenario.finalists;
    PollsSummary {
        count: scenario.polls.list.len(),
        combined_share: e.share,
        combined_sd: e.sd,
        effective_draws: posterior.effective_draws(),
        effective_draws_floor: EFFECTIVE_DRAWS_FLOOR,
        poll_error: [err.shared, err.each],
        prior_share: Quantiles::of(&tally.share, 1.0),
        polls: scenario
            .polls
            .list
            .iter()
            .map(|p| {
                let y = p.decided_share();
                let half = Z95 * (p.sampling_variance() + err.each * err.each).sqrt();
                PollRow {
                    pollster: p.pollster.clone(),
                    end_date: p.end_date.clone(),
                    n: p.n,
                    shares: IndexMap::from([(fa.clone(), p.shares[A]), (fb.clone(), p.shares[B])]),
                    decided_share: y,
                    interval95: [(y - half).max(0.0), (y + half).min(1.0)],
                }
            })
            .collect(),
    }
}

/// The new voters' name in flows and sources: "New voters", unless a first-round candidate is
/// called that, since flows are told apart by their source's name.
pub fn new_voters_label(scenario: &Scenario) -> String {
    let mut label = NEW_VOTERS_LABEL.to_string();
    while scenario.candidates.iter().any(|c| c.name == label) {
        label.push_str(" (not in round one)");
    }
    label
}

/// Mean flows from every source (the candidates, then the new voters when there are any) to
/// `destinations`, from `mean(i)`: source i's mean votes to `[A, B, abstain]`.
fn flows_of(
    scenario: &Scenario,
    destinations: &[String; 3],
    mean: &dyn Fn(usize) -> [f64; 3],
) -> Vec<Flow> {
    let mut flows = Vec::new();
    for (i, c) in scenario.candidates.iter().enumerate() {
        let mean = mean(i);
        for k in [A, B, ABSTAIN] {
            flows.push(Flow {
                from: c.name.clone(),
                to: destinations[k].clone(),
                mean_votes: mean[k],
                mean_share: if c.votes > 0.0 {
                    mean[k] / c.votes
                } else {
                    c.transfer.shares[k]
                },
            });
        }
    }
    let nv = &scenario.new_voters;
    if nv.enabled() {
        let mean = mean(scenario.candidates.len());
        let size = mean[A] + mean[B];
        for k in [A, B] {
            flows.push(Flow {
                from: new_voters_label(scenario),
                to: destinations[k].clone(),
                mean_votes: mean[k],
                mean_share: if size > 0.0 {
                    mean[k] / size
                } else {
                    nv.split[k]
                },
            });
        }
    }
    flows
}

impl Summary {
    /// The label tables and charts give finalist `k`: its display name, or a short form of its name.
    pub fn label(&self, k: usize) -> String {
        crate::format::finalist_label(&self.finalists, &self.display_names, k)
    }

    /// Decimals for this scenario's vote counts (margin, turnout, flows), as
    /// [`crate::format::first_round_decimals`] gives them from its first round.
    pub fn vote_decimals(&self) -> usize {
        crate::format::first_round_decimals(
            self.sources
                .iter()
                .filter(|x| x.row != NEW_VOTERS_ROW)
                .map(|x| x.votes),
            self.turnout.first_round_total,
        )
    }

    /// Summarise a finished tally of `scenario` (with the draws and seed actually used).
    pub fn new(scenario: &Scenario, tally: &Tally, seed: u64) -> Self {
        let n = tally.draws;
        let total = scenario.first_round_total();
        let [fa, fb] = scenario.finalists.clone();
        let estimate = tally.win_estimate();
        let [pa, pb] = estimate.p;
        let by_finalist = |a: f64, b: f64| IndexMap::from([(fa.clone(), a), (fb.clone(), b)]);
        let mut ci = IndexMap::new();
        ci.insert(fa.clone(), estimate.interval95[0]);
        ci.insert(fb.clone(), estimate.interval95[1]);

        let destinations = [fa.clone(), fb.clone(), ABSTAIN_LABEL.to_string()];
        let flows = flows_of(scenario, &destinations, &|i| tally.mean_flow(i));
        let mut sources = Vec::new();
        for c in &scenario.candidates {
            let t = &c.transfer;
            sources.push(SourceAssumption {
                name: c.name.clone(),
                votes: c.votes,
                expected: t.shares,
                interval90: t.shares.map(|m| share_interval(m, t.certainty, 0.9)),
                certainty: t.certainty,
                row: match t.origin {
                    RowOrigin::Own => "transfers",
                    RowOrigin::Default => "default_transfer",
                }
                .to_string(),
            });
        }
        let when_wins = [0, 1]
            .into_iter()
            .map(|k| {
                let won = tally.won_by(k);
                let any = won.draws > 0;
                let wins = Wins {
                    draws: won.draws,
                    flows: if any {
                        flows_of(scenario, &destinations, &|i| won.flows[i])
                    } else {
                        Vec::new()
                    },
                    swing_mean: any.then_some(won.swing),
                    turnout_mean: any.then_some(won.turnout),
                };
                (scenario.finalists[k].clone(), wins)
            })
            .collect();
        let nv = &scenario.new_voters;
        if nv.enabled() {
            let mean = tally.mean_flow(scenario.candidates.len());
            let size = mean[A] + mean[B];
            let expected = [nv.split[0], nv.split[1], 0.0];
            sources.push(SourceAssumption {
                name: new_voters_label(scenario),
                votes: size,
                expected,
                interval90: expected.map(|m| share_interval(m, nv.certainty, 0.9)),
                certainty: nv.certainty,
                row: NEW_VOTERS_ROW.to_string(),
            });
        }

        let estimator = tally.estimator();
        let counted = (estimator == Estimator::Conditional).then(|| {
            let (a, b) = (
                tally.win_probability_count(0),
                tally.win_probability_count(1),
            );
            (by_finalist(a, b), tally.win_probability_count_se(0))
        });
        let turnout = Quantiles::of(tally.turnout_histogram(), total);
        // With voter noise and no new voters the turnout is a whole number of voters, and so,
        // without a swing, is the margin A − B: their bars then each hold as many of the values.
        let whole_turnout = scenario.simulation.voter_noise && !scenario.new_voters.enabled();
        let coarse_votes = |h: &Histogram, whole: bool| {
            let lattice = whole.then(|| h.coarse_whole(CHART_BINS, total)).flatten();
            lattice.unwrap_or_else(|| h.coarse(CHART_BINS, total))
        };
        Summary {
            scenario: scenario.name.clone(),
            file: scenario.file.display().to_string(),
            description: scenario.description.clone(),
            finalists: [fa.clone(), fb.clone()],
            draws: n,
            seed,
            rng: RNG_NAME.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            win_probability: by_finalist(pa, pb),
            win_probability_se: by_finalist(estimate.se[0], estimate.se[1]),
            win_probability_ci95: ci,
            estimator,
            win_probability_count: counted.as_ref().map(|(p, _)| p.clone()),
            win_probability_count_se: counted.map(|(_, se)| se),
            precision: None,
            precision_reached: None,
            ties: tally.ties,
            tie_probability: tally.tie_probability(),
            share: Quantiles::of(tally.share_histogram(), 1.0),
            margin_votes: Quantiles::of(tally.margin_histogram(), total),
            turnout: Turnout {
                ratio_to_first_round: turnout.mean / total,
                votes: turnout,
                first_round_total: total,
            },
            flows,
            swing_mean: tally.swing_mean(),
            when_wins,
            recount_probability: scenario
                .report
                .recount_margin
                .map(|_| tally.recount_probability()),
            recount_margin: scenario.report.recount_margin,
            actual: scenario
                .report
                .actual
                .map(|votes| Actual::of(scenario, tally, votes)),
            prior_win_probability: tally.posterior.as_ref().map(|_| {
                let p = |k: usize| tally.wins[k] as f64 / n as f64;
                by_finalist(p(0), p(1))
            }),
            polls: tally
                .posterior
                .as_ref()
                .map(|p| polls_summary(scenario, tally, p)),
            display_names: scenario.display_names.clone(),
            sources,
            distributions: Distributions {
                share: tally.share_histogram().coarse(CHART_BINS, 1.0),
                turnout_votes: coarse_votes(tally.turnout_histogram(), whole_turnout),
                margin_votes: coarse_votes(
                    tally.margin_histogram(),
                    whole_turnout && scenario.swing.sd == 0.0,
                ),
                prior_share: tally
                    .posterior
                    .as_ref()
                    .map(|_| tally.share.coarse(CHART_BINS, 1.0)),
            },
        }
    }

    /// Decimals of the win probabilities wherever they are shown: one, or as many as the narrower
    /// 95% interval needs for its two ends to differ, so that ten million draws do not read "95% CI 1.7% – 1.7%". A finalist who won every
    /// draw or none is left out: its interval hugs 0 or 100% at any number of decimals.
    pub fn win_decimals(&self) -> usize {
        let s = self;
        let half_width = s
            .win_probability_ci95
            .iter()
            .filter(|(f, _)| s.win_probability[*f] > 0.0 && s.win_probability[*f] < 1.0)
            .map(|(_, [lo, hi])| 50.0 * (hi - lo))
            .fold(f64::INFINITY, f64::min);
        let for_interval = if half_width >= 0.05 {
            1
        } else if half_width >= 0.005 {
            2
        } else {
            3
        };
        // And enough that a finalist short of certain does not read 100.0% (or 0.0%).
        for_interval.max(crate::format::pct_decimals(
            s.win_probability.values().copied(),
        ))
    }

    /// The tied draws in the units of `bins` (a histogram of this summary): their count, or with
    /// polls their weight, the tie probability of what `bins` holds.
    pub fn ties_in(&self, bins: &Bins) -> f64 {
        if self.polls.is_some() {
            self.tie_probability * bins.counts.iter().sum::<f64>()
        } else {
            self.ties as f64
        }
    }

    /// The finalist less likely to win (the second when both are as likely): "the other side",
    /// whose wins say what would have to happen.
    pub fn less_likely(&self) -> usize {
        let p = |k: usize| self.win_probability[&self.finalists[k]];
        usize::from(p(1) <= p(0))
    }

    /// The flows over the draws finalist `k` won, each with the same flow over all draws, those
    /// that differ most in mean votes first (ties in source order); none when it won no draw.
    pub fn flows_when_won(&self, k: usize) -> Vec<(&Flow, &Flow)> {
        let Some(wins) = self.when_wins.get(&self.finalists[k]) else {
            return Vec::new();
        };
        let mut pairs: Vec<(&Flow, &Flow)> = wins.flows.iter().zip(&self.flows).collect();
        let gap = |(won, all): &(&Flow, &Flow)| (won.mean_votes - all.mean_votes).abs();
        pairs.sort_by(|x, y| gap(y).total_cmp(&gap(x)));
        pairs
    }

    /// The late swing's mean shift toward finalist `k`, `[over the draws k won, over all draws]`;
    /// none without a swing (the scenario's, which the conditional estimate exists for) or when k
    /// won no draw.
    pub fn swing_toward(&self, k: usize) -> Option<[f64; 2]> {
        if self.estimator != Estimator::Conditional {
            return None;
        }
        let won = self.when_wins.get(&self.finalists[k])?.swing_mean?;
        // The swing moves the first finalist's share; toward the second is the other way.
        let sign = if k == 0 { 1.0 } else { -1.0 };
        Some([sign * won, sign * self.swing_mean])
    }

    /// Source `from`'s mean votes to `[first finalist, second, home]` (0 where it has no flow).
    pub fn votes_from(&self, from: &str) -> [f64; 3] {
        let to = [
            self.finalists[0].as_str(),
            self.finalists[1].as_str(),
            ABSTAIN_LABEL,
        ];
        to.map(|to| {
            self.flows
                .iter()
                .filter(|f| f.from == from && f.to == to)
                .map(|f| f.mean_votes)
                .sum()
        })
    }

    /// Total mean runoff votes for finalist `k` (0 or 1) by source, in source order.
    pub fn votes_by_source(&self, k: usize) -> Vec<(String, f64)> {
        let to = &self.finalists[k];
        self.flows
            .iter()
            .filter(|f| &f.to == to)
            .map(|f| (f.from.clone(), f.mean_votes))
            .collect()
    }
}
