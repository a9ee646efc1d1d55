//! The command line, as clap derive definitions only; help text comes from these doc comments.

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
}

/// `runoff run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files, or directories whose *.toml files are all run (sorted by name).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Number of Monte Carlo draws per scenario (overrides [simulation].draws).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub draws: Option<u64>,

    /// Seed of the random streams (overrides [simulation].seed).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,

    /// Worker threads [default: all cores]. Results are identical for any value.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..1025))]
    pub threads: Option<u64>,

    /// Folder for the results: OUT/<scenario file stem>/summary.json, charts, and OUT/summary.csv.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// No progress bar and no notes on stderr (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,

    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Do not draw charts.
    #[arg(long)]
    pub no_charts: bool,

    /// Image format of the charts.
    #[arg(long, value_enum, default_value_t = ChartFormat::Png)]
    pub chart_format: ChartFormat,
}

/// `runoff check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files, or directories whose *.toml files are all checked.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}
