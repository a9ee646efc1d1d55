//! The command line, as clap derive definitions only; help text comes from these doc comments.
//!
//! What belongs here: a subcommand's arguments, their defaults and help. What they do belongs in
//! `command/`; checks that need more than clap's parser (a file's contents) happen there too.

use crate::chart::ChartFormat;
use crate::export::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Simulate runoff elections: who wins, how likely, and where the votes come from.
///
/// A scenario file (TOML) gives the first-round votes, the two finalists, and where each
/// first-round candidate's voters go in the runoff, with how sure we are. See
/// docs/scenario-format.md.
#[derive(Debug, Parser)]
#[command(name = "runoff", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenarios and write summary.json, summary.csv and charts.
    Run(RunArgs),
    /// Validate scenarios and print the resolved model, without simulating.
    Check(CheckArgs),
    /// Vary one or two assumptions over a range: win probability, break-even values, sweep.png.
    Sweep(SweepArgs),
    /// Move each assumption down and up and rank them by their effect on the win probability.
    Tornado(TornadoArgs),
    /// Write a scenario from the default prior, for a first round alone.
    New(NewArgs),
    /// Score the default prior against real runoffs: Brier, log loss, coverage, PIT, reliability.
    Backtest(BacktestArgs),
    /// Estimate transfer rates from county or precinct results of both rounds and write a scenario.
    Fit(FitArgs),
    /// Election night: project the runoff from the units counted so far (live.json, live.png).
    Live(LiveArgs),
    /// Rehearse a past election night, counting a race's units in an order (replay.csv, replay.png).
    Replay(ReplayArgs),
}

/// Options of `live` and `replay`: the race and the prior.
#[derive(Debug, Args)]
pub struct NightArgs {
    /// A long table race_id,round,<county|precinct|…>,candidate,votes with the race's round 1 by
    /// unit (a replay also reads its round 2; `live` reads round 1 only).
    #[arg(value_name = "DATA.csv")]
    pub data: PathBuf,

    /// The race (may be left out when the table holds one race).
    #[arg(long, value_name = "ID")]
    pub race: Option<String>,

    /// The prior: a scenario of this runoff, naming every round-1 candidate of the table
    /// [default: the default prior from the race's round 1, docs/default-prior.md].
    #[arg(long, value_name = "S.toml")]
    pub scenario: Option<PathBuf>,

    /// Draws per projection.
    #[arg(long, allow_negative_numbers = true, value_name = "N", default_value_t = crate::live::DEFAULT_DRAWS, value_parser = parse_draws)]
    pub draws: u64,

    /// Seed of the draws (and of a random counting order).
    #[arg(long, allow_negative_numbers = true, value_name = "S", default_value_t = 1, value_parser = parse_seed)]
    pub seed: u64,

    /// Worker threads [default: all cores]. Results are identical for any value.
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<u64>,

    /// No progress lines.
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub charts: ChartArgs,
}

/// `runoff live`.
#[derive(Debug, Args)]
pub struct LiveArgs {
    #[command(flatten)]
    pub night: NightArgs,

    /// The runoff votes of the units counted so far: the same columns as DATA.csv (race_id and
    /// round optional), one row per unit and finalist, and an optional `reporting` column with
    /// the fraction of a unit counted (a unit listed is complete without it). Without it, nothing
    /// is counted: the prior's forecast.
    #[arg(long, value_name = "COUNTED.csv")]
    pub returns: Option<PathBuf>,

    /// Folder for live.json and live.png [default: output/live-<race>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `runoff replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    #[command(flatten)]
    pub night: NightArgs,

    /// The order the units are counted in.
    #[arg(long, value_enum, default_value_t = crate::live::replay::Order::Random)]
    pub order: crate::live::replay::Order,

    /// Steps from nothing counted (step 0) to every unit (step K).
    #[arg(long, value_name = "K", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub steps: u64,

    /// Folder for replay.csv and replay.png [default: output/replay-<race>-<order>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Options of every command that simulates.
#[derive(Debug, Args)]
pub struct SimulationArgs {
    /// Number of Monte Carlo draws per scenario or point (overrides [simulation].draws).
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = parse_draws)]
    pub draws: Option<u64>,

    /// Seed of the random streams (overrides [simulation].seed).
    #[arg(long, allow_negative_numbers = true, value_name = "S", value_parser = parse_seed)]
    pub seed: Option<u64>,

    /// Worker threads [default: all cores]. Results are identical for any value.
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<u64>,

    /// No progress bar (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of every command that draws charts.
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,

    /// Image format of the charts.
    #[arg(long, value_enum, default_value_t = ChartFormat::Png)]
    pub chart_format: ChartFormat,
}

impl ChartArgs {
    /// The chart format, or `None` with `--no-charts`.
    pub fn format(&self) -> Option<ChartFormat> {
        (!self.no_charts).then_some(self.chart_format)
    }
}

/// `runoff run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files, or directories whose *.toml files are all run (sorted by name); `-` reads one from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub simulation: SimulationArgs,

    /// Folder for the results: OUT/<scenario file stem>/summary.json, charts, and OUT/summary.csv.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Stop each scenario once the 95% interval of the win probability is narrower than ±P
    /// (e.g. 0.001 for ±0.1 points), checked every 65,536 draws; --draws (default 10^9) caps the run.
    #[arg(long, allow_negative_numbers = true, value_name = "P", value_parser = parse_precision)]
    pub precision: Option<f64>,

    /// Also write OUT/<stem>/draws.parquet: one row per draw (share, margin, turnout, winner,
    /// swing, new voters, every flow's rate, and with polls each draw's weight); docs/draws.md.
    #[arg(long)]
    pub save_draws: bool,

    #[command(flatten)]
    pub charts: ChartArgs,
}

/// Most draws a run may take: 10^18 would take millennia at ten million draws a second.
const MAX_DRAWS: f64 = 1e18;

/// A number of draws as people write it: 1000000, 1e6, 1_000_000 or 1,000,000; at least 1.
fn parse_draws(text: &str) -> Result<u64, String> {
    let plain = text.trim().replace('_', "");
    // 1e6, 2.5e6 or 1,000,000: a number, read as the results tables read counts.
    let number = crate::format::parse_number(&plain);
    if number.is_some_and(|v| v.fract() == 0.0 && v > MAX_DRAWS) {
        return Err(format!(
            "`{text}` draws is too many: at most 1e18 (a billion draws take a few minutes; \
             --precision P stops as soon as the answer is that precise)"
        ));
    }
    let value = plain
        .parse::<u64>()
        .ok()
        .or_else(|| {
            let v = number?;
            (v.fract() == 0.0 && (1.0..=MAX_DRAWS).contains(&v)).then_some(v as u64)
        })
        .filter(|n| *n >= 1 && *n as f64 <= MAX_DRAWS);
    value.ok_or_else(|| {
        format!("`{text}` is not a whole number of draws of at least 1 (e.g. 1000000 or 1e6)")
    })
}

/// A seed: a whole number from 0 to 2^64 − 1, digits optionally grouped (2_020 or 2,020).
fn parse_seed(text: &str) -> Result<u64, String> {
    parse_whole(text, 0, u64::MAX, "a seed").map_err(|e| format!("{e} (e.g. 2020)"))
}

/// A whole number from `lo` to `hi`, digits optionally grouped; `what` names it in the message.
fn parse_whole(text: &str, lo: u64, hi: u64, what: &str) -> Result<u64, String> {
    text.trim()
        .replace(['_', ','], "")
        .parse::<u64>()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or_else(|| format!("`{text}` is not {what}; give a whole number from {lo} to {hi}"))
}

/// Worker threads: 1 to 1024.
fn parse_threads(text: &str) -> Result<u64, String> {
    parse_whole(text, 1, 1024, "a number of threads")
}

/// Hold-out splits: 1 to 10,000.
fn parse_fit_method(text: &str) -> Result<crate::fit::Method, String> {
    match text {
        "bayes" => Ok(crate::fit::Method::Bayes),
        "regression" => Ok(crate::fit::Method::Regression),
        _ => Err(format!(
            "\"{text}\" is not a method: use bayes (the default) or regression"
        )),
    }
}

fn parse_holdout(text: &str) -> Result<u64, String> {
    parse_whole(text, 1, 10_000, "a number of hold-out splits")
}

/// A share written as a number (its range is checked by the command that takes it).
fn parse_share(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| format!("`{text}` is not a share; give a number such as 0.1 for 10 points"))
}

/// A backtest's draws per race and configuration: at least 1,000, written as [`parse_draws`] reads.
fn parse_backtest_draws(text: &str) -> Result<u64, String> {
    match parse_draws(text)? {
        n if n >= 1000 => Ok(n),
        n => Err(format!(
            "{n} draws are too few to score a race; give at least 1000"
        )),
    }
}

/// A precision: a number in (0, 0.5).
fn parse_precision(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 0.5 => Ok(p),
        _ => Err(format!(
            "`{text}` is not a precision between 0 and 0.5 (e.g. 0.001 for ±0.1 points)"
        )),
    }
}

/// `runoff sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario file (`-`: standard input).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,

    /// KEY=FROM..TO[:STEPS]: a scenario key (TOML dotted path, e.g. transfers."Bradley Byrne"."Jeff Sessions",
    /// swing.sd, new_voters.share, first_round."Roy Moore") and its range; STEPS defaults to 11. Give one or two.
    #[arg(long = "vary", required = true, value_name = "KEY=FROM..TO[:STEPS]")]
    pub vary: Vec<String>,

    /// When a share is varied, which share of its row takes up the change: `abstain` or a finalist's name
    /// [default: the row's other shares, in proportion].
    #[arg(long, value_name = "NAME")]
    pub absorb: Option<String>,

    #[command(flatten)]
    pub simulation: SimulationArgs,

    /// Folder for sweep.csv, sweep.json and sweep.png [default: output/sweep-<scenario file stem>-<keys swept>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub charts: ChartArgs,
}

/// `runoff tornado`.
#[derive(Debug, Args)]
pub struct TornadoArgs {
    /// The scenario file (`-`: standard input).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,

    /// How far every expected share moves down and up, the same for all (0.10: ten points).
    /// Without it, each share moves by its own standard deviation under its row's certainty, so
    /// that a share held with confidence moves little and a vague one much. Certainties and
    /// swing.sd are halved and doubled either way.
    #[arg(long, allow_negative_numbers = true, value_name = "SHARE", value_parser = parse_share)]
    pub step: Option<f64>,

    /// Also find, for each share alone (the rest held), the value at which the first finalist's
    /// win probability reaches 50%: what would have to be true for the race to turn. About 14
    /// more evaluations per share.
    #[arg(long)]
    pub break_even: bool,

    /// With the runoff's result in the scenario (`[actual]`): also find, for each share alone (the
    /// rest held), the value that would have made the actual share, and the actual turnout, the
    /// median of the draws: which assumption, if it alone was wrong, explains the result. About 28
    /// more evaluations per share.
    #[arg(long)]
    pub match_actual: bool,

    #[command(flatten)]
    pub simulation: SimulationArgs,

    /// Folder for tornado.csv, tornado.json and tornado.png [default: output/tornado-<scenario file stem>[-break-even][-match-actual]].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub charts: ChartArgs,
}

/// `runoff check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files, or directories whose *.toml files are all checked; `-` reads one from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `runoff new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// A long table (race_id,round,candidate,votes,…) holding the race named by --race.
    #[arg(value_name = "DATA.csv", conflicts_with = "first_round")]
    pub data: Option<PathBuf>,

    /// The race in DATA.csv (may be left out when the table holds one race); its runoff
    /// candidates (round 2) are the finalists, else its top two.
    #[arg(long, value_name = "ID", conflicts_with = "first_round")]
    pub race: Option<String>,

    /// A first round as a `candidate,votes` table; its top two are the finalists unless --finalists says otherwise.
    #[arg(long, value_name = "FILE.csv")]
    pub first_round: Option<PathBuf>,

    /// The two finalists, comma-separated, first finalist first: --finalists "A,B".
    #[arg(long, value_name = "A,B")]
    pub finalists: Option<String>,

    /// The scenario's `name` (its title in tables and charts), and with --out its file's name
    /// [default: the race's id, or the --first-round file's stem].
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,

    /// Folder to write the scenario into, as <name>.toml [default: print it on stdout].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The kind of election, which sets the expected runoff turnout: primary (a US party
    /// primary's runoff), general (a general-election or all-party "jungle" runoff) or national (a
    /// national two-round election) [default: the table's `kind` column, or told from its party
    /// and office columns].
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,

    /// What heads the runoff ballot: top (a president, governor or U.S. senator in a runoff that
    /// day), second (a lieutenant governor or attorney general), lower (no such office)
    /// [default: the table's `ballot` column, or told from the offices of its races].
    #[arg(long, value_name = "WHAT")]
    pub ballot: Option<String>,
}

/// `runoff backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// A long table with both rounds of every race (race_id,round,candidate,votes[,pct]).
    #[arg(value_name = "DATA.csv")]
    pub data: PathBuf,

    /// Folder for backtest.csv, backtest.json, reliability.png and pit.png.
    #[arg(long, value_name = "DIR", default_value = "output/backtest")]
    pub out: PathBuf,

    /// Draws per race and tuning configuration.
    #[arg(long, allow_negative_numbers = true, value_name = "N", default_value_t = 50_000, value_parser = parse_backtest_draws)]
    pub draws: u64,

    /// Seed.
    #[arg(long, allow_negative_numbers = true, value_name = "S", default_value_t = 1, value_parser = parse_seed)]
    pub seed: u64,

    /// The out-of-time check: the prior tuned on the races before this year, scored on this
    /// year's and later (years from a `year` column, or the race id).
    #[arg(long, value_name = "YEAR", default_value_t = crate::backtest::SPLIT_YEAR, value_parser = clap::value_parser!(i32).range(1800..=2200))]
    pub split_year: i32,

    /// Leave out the races that cannot be scored (a runoff not held, without votes, or tied; a
    /// first round missing a count),
    /// naming each on the terminal, instead of refusing the table.
    #[arg(long)]
    pub skip_unscorable: bool,

    /// Worker threads [default: all cores].
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<u64>,

    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub charts: ChartArgs,
}

/// `runoff fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// A long table race_id,round,<county|precinct|…>,candidate,votes with both rounds by unit (county and precinct columns together make one unit).
    #[arg(value_name = "DATA.csv")]
    pub data: PathBuf,

    /// The race to fit (may be left out when the table holds one race).
    #[arg(long, value_name = "ID")]
    pub race: Option<String>,

    /// Folder for <race>.toml, fit.json and fit.png [default: output/fit-<race>]. (`--dir`, its
    /// old name, still works.)
    #[arg(long, alias = "dir", value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Pool non-finalists under this share of the first round into "Other" (their rows are not identifiable).
    #[arg(long, allow_negative_numbers = true, value_name = "SHARE", default_value_t = crate::fit::DEFAULT_POOL_BELOW, value_parser = parse_share)]
    pub pool_below: f64,

    /// How to estimate the rows: `bayes`, a Bayesian model whose units' rates vary around the
    /// race-wide rows, with posterior intervals (docs/fit.md); or `regression`, the constrained
    /// ecological regression with a bootstrap over units.
    #[arg(long, value_name = "METHOD", default_value = "bayes", value_parser = parse_fit_method)]
    pub method: crate::fit::Method,

    /// A scenario whose transfer rows (shares and certainty) are the priors of the Bayesian fit:
    /// rows from surveys, a past race or a pundit. A share of 0 in it is a structural zero.
    #[arg(long, value_name = "SCENARIO.toml")]
    pub prior: Option<PathBuf>,

    /// Seed of the sampler, the bootstrap and the hold-out splits.
    #[arg(long, allow_negative_numbers = true, value_name = "S", default_value_t = 1, value_parser = parse_seed)]
    pub seed: u64,

    /// Also run the out-of-sample check: fit on N random halves of the units, predict the other
    /// halves (N from 1 to 10,000).
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = parse_holdout)]
    pub holdout: Option<u64>,

    /// Worker threads [default: all cores]. Results are identical for any value.
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<u64>,

    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub charts: ChartArgs,
}

#[cfg(test)]
mod tests {
    use super::parse_draws;

    #[test]
    fn draws_are_read_as_people_write_them() {
        for text in ["1000000", "1e6", "1_000_000", "1,000,000", "1.5e6"] {
            let want = if text == "1.5e6" {
                1_500_000
            } else {
                1_000_000
            };
            assert_eq!(parse_draws(text), Ok(want), "{text}");
        }
        for text in ["0", "-5", "1.5", "1,0", "1e30", "many", ""] {
            assert!(parse_draws(text).is_err(), "{text}");
        }
    }

    #[test]
    fn too_many_draws_are_called_too_many_not_fractional() {
        for text in ["1e19", "1e30", "99999999999999999999"] {
            let said = parse_draws(text).unwrap_err();
            assert!(said.contains("is too many: at most 1e18"), "{text}: {said}");
        }
        assert!(
            parse_draws("1.5")
                .unwrap_err()
                .contains("not a whole number")
        );
        assert_eq!(parse_draws("1e18"), Ok(1_000_000_000_000_000_000));
    }
}
