//! Scenario files: TOML → raw serde structs → `validate` → a [`Scenario`] with every default resolved.
//!
//! What belongs here: the scenario format of docs/scenario-format.md: reading it, every rule a
//! valid file keeps (each broken one a [`Problem`] with its key, line, column and fix), notes on
//! keys that change nothing, and the resolved model the engine samples. Nothing here simulates.

mod error;
mod load;
mod notes;
mod parse_error;
mod polls;
mod raw;
mod validate;

pub use error::{Problem, ScenarioError, key_segment};
pub use load::{expand_paths, load_file, parse_str};
pub use validate::{MAX_NEW_VOTERS, MAX_VOTES, RESERVED_FINALIST_NAMES, unwritable_name};

use indexmap::IndexMap;
use std::path::PathBuf;

/// Index of the first finalist (`finalists[0]`) in every `[A, B, abstain]` array.
pub const A: usize = 0;
/// Index of the second finalist.
pub const B: usize = 1;
/// Index of abstention (stayed home).
pub const ABSTAIN: usize = 2;

/// Default Dirichlet concentration wherever `certainty` may appear.
pub const DEFAULT_CERTAINTY: f64 = 50.0;
/// Default number of draws.
pub const DEFAULT_DRAWS: u64 = 1_000_000;
/// Default seed.
pub const DEFAULT_SEED: u64 = 1;
/// Default degrees of freedom of a Student-t swing.
pub const DEFAULT_SWING_DF: f64 = 5.0;
/// How far a row's shares may miss summing to 1.
pub const SUM_TOLERANCE: f64 = 1e-6;

/// A validated scenario: nothing optional left to resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Display name (`name`, or the file stem).
    pub name: String,
    /// Free text from the file, empty when absent.
    pub description: String,
    /// Where it was read from.
    pub file: PathBuf,
    /// The two finalists, first finalist first.
    pub finalists: [String; 2],
    /// Every first-round candidate in file order, each with its transfer row.
    pub candidates: Vec<Candidate>,
    /// New voters; `share == 0 && sd == 0` when the table is absent.
    pub new_voters: NewVoters,
    /// The race-wide swing; `sd == 0` when absent.
    pub swing: Swing,
    /// Draws, seed, voter noise.
    pub simulation: Simulation,
    /// Optional extra reports.
    pub report: Report,
    /// Polls of the runoff (`[[polls]]`) and their errors (`[poll_error]`); none when absent.
    pub polls: Polls,
    /// `[display_names]`: the label tables and charts give a candidate in place of the short form
    /// of its name ("Le Pen" for "Marine Le Pen"); empty when absent.
    pub display_names: IndexMap<String, String>,
    /// Keys the file gives that change nothing (a `df` for a normal swing, a certainty on a row
    /// that is the same in every draw, …), each said with where and why; `check` and `run` show
    /// them, and they are never errors.
    pub without_effect: Vec<String>,
}

/// One first-round candidate and where its voters go.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Name as in `[first_round]`.
    pub name: String,
    /// First-round votes (finite, >= 0).
    pub votes: f64,
    /// Where these voters go in the runoff.
    pub transfer: TransferRow,
}

/// Expected shares `[to A, to B, abstain]` and their Dirichlet concentration.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferRow {
    /// Expected shares, summing to 1.
    pub shares: [f64; 3],
    /// Dirichlet concentration kappa > 0.
    pub certainty: f64,
    /// Where the row came from, for `runoff check`.
    pub origin: RowOrigin,
    /// True when `abstain` was not written and was derived as 1 − the finalist shares.
    pub abstain_defaulted: bool,
    /// True when `certainty` was not written and took its default.
    pub certainty_defaulted: bool,
}

/// Whether a transfer row was the candidate's own or `[default_transfer]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOrigin {
    /// `[transfers."Name"]`.
    Own,
    /// `[default_transfer]`.
    Default,
}

/// Runoff voters who did not vote in round one.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVoters {
    /// Mean size as a fraction of the round-one total.
    pub share: f64,
    /// Standard deviation of that size (Normal, truncated at 0).
    pub sd: f64,
    /// Expected split `[to A, to B]`, summing to 1.
    pub split: [f64; 2],
    /// Dirichlet concentration of the split.
    pub certainty: f64,
}

impl NewVoters {
    /// No new voters: the model part is off.
    pub fn none() -> Self {
        NewVoters {
            share: 0.0,
            sd: 0.0,
            split: [0.5, 0.5],
            certainty: DEFAULT_CERTAINTY,
        }
    }

    /// Whether any new voters can appear.
    pub fn enabled(&self) -> bool {
        self.share > 0.0 || self.sd > 0.0
    }
}

/// A race-wide late shift in the first finalist's two-party share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Swing {
    /// Scale in share units; 0 turns the swing off.
    pub sd: f64,
    /// Shape of the shock.
    pub distribution: SwingDistribution,
}

/// The distribution of the standardised swing Z.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SwingDistribution {
    /// Standard normal.
    Normal,
    /// Student-t with `df` degrees of freedom (not rescaled to unit variance, as the contract says).
    StudentT {
        /// Degrees of freedom (> 0).
        df: f64,
    },
}

impl SwingDistribution {
    /// The name used in scenario files.
    pub fn label(&self) -> String {
        match self {
            SwingDistribution::Normal => "normal".to_string(),
            SwingDistribution::StudentT { df } => {
                format!("student-t (df {})", crate::format::readable(*df))
            }
        }
    }
}

/// `[simulation]`, with command-line overrides applied later by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Simulation {
    /// Number of Monte Carlo draws (>= 1).
    pub draws: u64,
    /// Seed of the random streams.
    pub seed: u64,
    /// Sample individual voters around the drawn rates.
    pub voter_noise: bool,
}

/// `[report]`, and `[actual]`: what to report beside the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Report {
    /// Also report P(|margin| <= this share of the runoff vote).
    pub recount_margin: Option<f64>,
    /// The runoff's actual result, once known: each finalist's votes, `[A, B]`; the run says
    /// where it fell among the draws.
    pub actual: Option<[f64; 2]>,
}

/// Polls of the runoff: evidence that weights every draw by how likely the polls are given its share.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Polls {
    /// Each `[[polls]]` table, in file order.
    pub list: Vec<Poll>,
    /// `[poll_error]`, with its defaults.
    pub error: PollError,
}

/// One poll of the runoff question.
#[derive(Debug, Clone, PartialEq)]
pub struct Poll {
    /// Who ran it, when the file says.
    pub pollster: Option<String>,
    /// Its last day in the field (`YYYY-MM-DD`), when the file says.
    pub end_date: Option<String>,
    /// Respondents asked the runoff question (> 0).
    pub n: f64,
    /// The share of those respondents for each finalist, `[A, B]` (the rest undecided or other).
    pub shares: [f64; 2],
}

impl Poll {
    /// The first finalist's share of the decided respondents, `y = a / (a + b)`.
    pub fn decided_share(&self) -> f64 {
        self.shares[A] / (self.shares[A] + self.shares[B])
    }

    /// Its sampling variance, `y (1 − y) / (n (a + b))`: the decided respondents are `n (a + b)`.
    pub fn sampling_variance(&self) -> f64 {
        let y = self.decided_share();
        y * (1.0 - y) / (self.n * (self.shares[A] + self.shares[B]))
    }
}

/// The polls' errors beyond sampling, in share units (`[poll_error]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollError {
    /// Sd of the error common to all polls (the race's polling miss).
    pub shared: f64,
    /// Sd of each poll's own error (house effect, design).
    pub each: f64,
}

/// Default `[poll_error].shared`: see docs/polls.md for the evidence.
pub const DEFAULT_POLL_ERROR_SHARED: f64 = 0.04;
/// Default `[poll_error].each`.
pub const DEFAULT_POLL_ERROR_EACH: f64 = 0.02;

impl Default for PollError {
    fn default() -> Self {
        PollError {
            shared: DEFAULT_POLL_ERROR_SHARED,
            each: DEFAULT_POLL_ERROR_EACH,
        }
    }
}

/// The `[actual]` table of a runoff that ended `votes` (the finalists' in order), as a file writes it.
pub fn actual_toml(finalists: &[String; 2], votes: [f64; 2]) -> String {
    let mut t = "[actual]\n".to_string();
    for (f, v) in finalists.iter().zip(votes) {
        t.push_str(&format!("{} = {v}\n", key_segment(f)));
    }
    t
}

impl Scenario {
    /// The label tables and charts give finalist `k`: its display name, or a short form of its name.
    pub fn label(&self, k: usize) -> String {
        crate::format::finalist_label(&self.finalists, &self.display_names, k)
    }

    /// Total first-round votes.
    pub fn first_round_total(&self) -> f64 {
        self.candidates.iter().map(|c| c.votes).sum()
    }

    /// Decimals for this scenario's vote counts, as [`crate::format::first_round_decimals`] gives
    /// them, for tables that carry no summary (a sweep's).
    pub fn vote_decimals(&self) -> usize {
        crate::format::first_round_decimals(
            self.candidates.iter().map(|c| c.votes),
            self.first_round_total(),
        )
    }

    /// The file stem used for the output folder.
    pub fn stem(&self) -> String {
        // A scenario piped in has no file name of its own: with a `name`, its folder is named
        // after it, so that runs of different scenarios from standard input keep their own.
        if self.file == std::path::Path::new(load::STDIN_NAME) && self.name != load::STDIN_NAME {
            return crate::output::file_name(&self.name);
        }
        self.file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.name.clone())
    }
}
