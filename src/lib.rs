//! `runoff`: Monte Carlo simulation of runoff elections. Scenario → model → engine → summary → exports and charts.

pub mod backtest;
pub mod chart;
pub mod cli;
pub mod command;
pub mod engine;
pub mod export;
pub mod fit;
pub mod output;
pub mod results;
pub mod scenario;
pub mod stats;
pub mod summary;
pub mod sweep;

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by Ctrl-C: the engine stops before its next chunk and nothing partial is written.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Process exit codes.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// A runtime failure (I/O, an unwritable output folder).
    pub const FAILURE: u8 = 1;
    /// Bad input or usage.
    pub const BAD_INPUT: u8 = 2;
    /// Interrupted by Ctrl-C.
    pub const INTERRUPTED: u8 = 130;
}

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
    }
}

/// The exit code for an error: 2 for bad input, 130 for an interrupt, 1 otherwise.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let bad_input = err
        .chain()
        .any(|e| e.is::<scenario::ScenarioError>() || e.is::<command::BadInput>());
    if bad_input {
        exit::BAD_INPUT
    } else if err.chain().any(|e| e.is::<engine::Interrupted>()) || STOP.load(Ordering::Relaxed) {
        exit::INTERRUPTED
    } else {
        exit::FAILURE
    }
}
