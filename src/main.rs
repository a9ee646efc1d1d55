//! The `runoff` binary: parse the command line, run it, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = runoff::cli::Cli::parse();
    // The first Ctrl-C stops the engine before its next chunk and lets the run clean up; a second one exits at once.
    let _ = ctrlc::set_handler(|| {
        if runoff::STOP.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(i32::from(runoff::exit::INTERRUPTED));
        }
    });
    match runoff::run(cli) {
        Ok(()) => ExitCode::from(runoff::exit::OK),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(runoff::exit_code(
                &err,
                runoff::STOP.load(std::sync::atomic::Ordering::Relaxed),
            ))
        }
    }
}
