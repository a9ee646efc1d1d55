//! The `runoff` binary: parse the command line, run it, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = runoff::cli::Cli::parse();
    match runoff::run(cli) {
        Ok(()) => ExitCode::from(runoff::exit::OK),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(runoff::exit_code(&err))
        }
    }
}
