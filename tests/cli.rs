//! The one integration-test binary (one link instead of many): engine statistics, the CLI, and bad inputs.
//! A new test goes in the module below whose line names what it checks; a test of one function's
//! detail goes beside the function in `src/` instead.

// Helpers every module uses: scenarios in a string, simulating, running the binary, refusals.
#[path = "suite/common.rs"]
mod common;

// `new` and `backtest`: scenarios from the default prior, the scores, malformed results tables.
#[path = "suite/backtest.rs"]
mod backtest;
// Every file in tests/fixtures/bad: exit 2, a message naming file, key and fix, nothing written.
#[path = "suite/bad_inputs.rs"]
mod bad_inputs;
// Every chart renders (documented size, not blank, finalists' colours; SVG parses), edge cases too.
#[path = "suite/charts.rs"]
mod charts;
// Numeric extremes (tiny and huge counts and certainties) give finite, documented results.
#[path = "suite/extremes.rs"]
mod extremes;
// `fit`: recovery of known transfers from synthetic units, coverage, real races, malformed data.
#[path = "suite/fit.rs"]
mod fit;
// `live` and `replay`: the prior with nothing counted, the result with all, replay.csv, messy feeds.
#[path = "suite/live.rs"]
mod live;
// Polls as evidence: conjugate closed forms, effective draws, polls through run, sweep and charts.
#[path = "suite/polls.rs"]
mod polls;
// Property tests: random valid scenarios simulate to finite numbers; no text panics the loader.
#[path = "suite/properties.rs"]
mod properties;
// `run` and `check` as a user runs them: files written, formats, reproducibility, exit codes.
#[path = "suite/run_command.rs"]
mod run_command;
// `sweep` and `tornado`: closed-form sweeps, common random numbers, break-evens, bad keys.
#[path = "suite/sensitivity.rs"]
mod sensitivity;
// Every chart pixel for pixel against tests/snapshots (RUNOFF_UPDATE_SNAPSHOTS=1 updates them).
#[path = "suite/snapshots.rs"]
mod snapshots;
// The engine against closed forms and symmetries, tolerances from the Monte Carlo standard error.
#[path = "suite/statistics.rs"]
mod statistics;
