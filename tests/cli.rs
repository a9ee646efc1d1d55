//! The one integration-test binary (one link instead of many): engine statistics, the CLI, and bad inputs.

#[path = "suite/common.rs"]
mod common;

#[path = "suite/backtest.rs"]
mod backtest;
#[path = "suite/bad_inputs.rs"]
mod bad_inputs;
#[path = "suite/charts.rs"]
mod charts;
#[path = "suite/extremes.rs"]
mod extremes;
#[path = "suite/fit.rs"]
mod fit;
#[path = "suite/properties.rs"]
mod properties;
#[path = "suite/run_command.rs"]
mod run_command;
#[path = "suite/sensitivity.rs"]
mod sensitivity;
#[path = "suite/statistics.rs"]
mod statistics;
