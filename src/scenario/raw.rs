//! The scenario file as TOML gives it: serde structs with spans, nothing checked yet.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

/// A table of names to numbers (`[first_round]`, a transfer row, `[new_voters]`),
/// kept in file order with the position of every key and value.
pub type NumberTable = IndexMap<Spanned<String>, Spanned<f64>>;

/// The whole file, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub finalists: Option<Spanned<Vec<Spanned<String>>>>,
    pub first_round: Option<Spanned<NumberTable>>,
    pub transfers: Option<Spanned<IndexMap<Spanned<String>, Spanned<NumberTable>>>>,
    pub default_transfer: Option<Spanned<NumberTable>>,
    pub new_voters: Option<Spanned<NumberTable>>,
    pub swing: Option<Spanned<RawSwing>>,
    pub simulation: Option<Spanned<RawSimulation>>,
    pub report: Option<Spanned<RawReport>>,
    pub actual: Option<Spanned<NumberTable>>,
    pub polls: Option<Spanned<Vec<Spanned<RawPoll>>>>,
    pub poll_error: Option<Spanned<RawPollError>>,
    pub display_names: Option<Spanned<IndexMap<Spanned<String>, Spanned<String>>>>,
}

/// One `[[polls]]` table as written: the finalists' shares beside `pollster`, `end_date` and `n`,
/// each value as TOML gives it (text, a date or a number), checked by `polls::check_polls`.
pub type RawPoll = IndexMap<Spanned<String>, Spanned<toml::Value>>;

/// `[poll_error]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPollError {
    pub shared: Option<Spanned<f64>>,
    pub each: Option<Spanned<f64>>,
}

/// `[swing]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSwing {
    pub sd: Option<Spanned<f64>>,
    pub distribution: Option<Spanned<String>>,
    pub df: Option<Spanned<f64>>,
}

/// `[simulation]` as written. Integers are read signed so that a negative
/// value gets our own message rather than a serde type error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub draws: Option<Spanned<i64>>,
    pub seed: Option<Spanned<i64>>,
    pub voter_noise: Option<Spanned<bool>>,
}

/// `[report]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub recount_margin: Option<Spanned<f64>>,
}
