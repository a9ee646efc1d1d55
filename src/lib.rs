//! `runoff`: Monte Carlo simulation of runoff elections. Scenario → model → engine → summary →
//! exports and charts.
//!
//! The library is everything testable without the binary: each top-level module is one room of
//! docs/architecture.md, imported only by the rooms above it (`format` and `error` at the ground,
//! `command` on top), so `ls src` is the map. This file only names the rooms and dispatches a
//! parsed command line to `command`.

pub mod backtest;
pub mod chart;
pub mod cli;
pub mod command;
pub mod engine;
pub mod error;
pub mod export;
pub mod fit;
pub mod format;
pub mod live;
pub mod output;
pub mod polls;
pub mod results;
pub mod scenario;
pub mod stats;
pub mod summary;
pub mod sweep;

use std::sync::atomic::AtomicBool;

/// Set by Ctrl-C: the engine stops before its next chunk and nothing partial is written.
pub static STOP: AtomicBool = AtomicBool::new(false);

pub use error::{exit, exit_code};

/// Run the parsed command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<()> {
    match &cli.command {
        cli::Command::Run(args) => command::run::run(&args.paths, &(args.into()), &STOP),
        cli::Command::Check(args) => command::check::check(args),
        cli::Command::Sweep(args) => command::sweep::sweep(args, &STOP),
        cli::Command::Tornado(args) => command::sweep::tornado(args, &STOP),
        cli::Command::New(args) => command::backtest::new(args),
        cli::Command::Backtest(args) => command::backtest::backtest(args, &STOP),
        cli::Command::Fit(args) => command::fit::fit(args, &STOP),
        cli::Command::Live(args) => command::live::live(args),
        cli::Command::Replay(args) => command::live::replay(args, &STOP),
    }
}
