//! `runoff run`: load every scenario, simulate the valid ones, write their results and charts, report the bad ones.

use super::{BadInput, print_stdout};
use crate::chart::{self, ChartFormat};
use crate::cli::RunArgs;
use crate::engine::{self, Interrupted, Model};
use crate::export::{self, Format};
use crate::output::{AtomicDir, Progress, write_atomic};
use crate::scenario::{self, Scenario};
use crate::summary::Summary;
use anyhow::Context;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

/// Most draws a `--precision` run makes when `--draws` does not cap it.
pub const PRECISION_DRAW_CAP: u64 = 1_000_000_000;

/// What a run needs, resolved from the command line.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Overrides `[simulation].draws`.
    pub draws: Option<u64>,
    /// Overrides `[simulation].seed`.
    pub seed: Option<u64>,
    /// Worker threads; `None` means all cores.
    pub threads: Option<usize>,
    /// Output folder.
    pub out: PathBuf,
    /// No progress bar.
    pub quiet: bool,
    /// What goes to stdout.
    pub format: Format,
    /// Chart format, or `None` for no charts.
    pub charts: Option<ChartFormat>,
    /// Stop once the 95% interval of the win probability is narrower than ±this.
    pub precision: Option<f64>,
}

impl From<&RunArgs> for RunConfig {
    fn from(a: &RunArgs) -> Self {
        RunConfig {
            draws: a.simulation.draws,
            seed: a.simulation.seed,
            threads: a.simulation.threads.map(|t| t as usize),
            out: a.out.clone(),
            quiet: a.simulation.quiet,
            format: a.format,
            charts: a.charts.format(),
            precision: a.precision,
        }
    }
}

/// Run every scenario named by `paths`; the valid ones run even when others are bad (then exit 2).
pub fn run(paths: &[PathBuf], config: &RunConfig, stop: &AtomicBool) -> anyhow::Result<()> {
    let files = scenario::expand_paths(paths)?;
    let mut scenarios = Vec::new();
    let mut bad = 0;
    for file in &files {
        match scenario::load_file(file) {
            Ok(s) => {
                super::say_without_effect(&s);
                scenarios.push(s)
            }
            Err(e) => {
                eprintln!("error: {e}");
                bad += 1;
            }
        }
    }
    check_distinct_stems(&scenarios)?;
    if !scenarios.is_empty() {
        crate::output::check_output_folder(&config.out)?;
        // Every scenario's folder, before the first is simulated: a batch does not stop half-way
        // at a file standing where a later folder belongs.
        for s in &scenarios {
            crate::output::check_output_folder(&config.out.join(s.stem()))?;
        }
    }

    let pool = super::thread_pool(config.threads)?;
    let mut summaries = Vec::new();
    for s in &scenarios {
        let summary = pool.install(|| simulate(s, config, stop))?;
        write_scenario(s, &summary, config)?;
        summaries.push(summary);
    }
    if !summaries.is_empty() {
        std::fs::create_dir_all(&config.out)
            .with_context(|| format!("cannot create the output folder {}", config.out.display()))?;
        write_atomic(
            &config.out.join("summary.csv"),
            &export::summary_csv(&summaries)?,
        )?;
        if let Some(format) = config.charts {
            chart::write_batch_charts(&summaries, &config.out, format)?;
        }
        print_stdout(&export::render(config.format, &summaries)?)?;
    }
    if bad > 0 {
        return Err(BadInput(format!(
            "{bad} of {} scenario files are invalid and were not run{}",
            files.len(),
            if summaries.is_empty() {
                ""
            } else {
                "; the others were"
            }
        ))
        .into());
    }
    Ok(())
}

/// Simulate one scenario on the current thread pool.
pub fn simulate(s: &Scenario, config: &RunConfig, stop: &AtomicBool) -> anyhow::Result<Summary> {
    // With a precision target, the draws are a cap: the file's draws are a default, not a goal.
    let draws = match (config.draws, config.precision) {
        (Some(d), _) => d,
        (None, Some(_)) => PRECISION_DRAW_CAP,
        (None, None) => s.simulation.draws,
    };
    let seed = config.seed.unwrap_or(s.simulation.seed);
    let model = Model::new(s);
    let progress = Progress::new(&s.name, draws, config.quiet);
    let tally = engine::simulate(
        &model,
        draws,
        seed,
        config.precision,
        &|done| progress.set(done),
        stop,
    );
    progress.finish();
    let tally = tally.map_err(|Interrupted| Interrupted)?;
    let mut summary = Summary::new(s, &tally, seed);
    summary.precision = config.precision;
    summary.precision_reached = config.precision.map(|p| engine::precise_enough(&tally, p));
    Ok(summary)
}

/// Write OUT/<stem>/summary.json and the charts, all or nothing.
fn write_scenario(s: &Scenario, summary: &Summary, config: &RunConfig) -> anyhow::Result<()> {
    let dir = AtomicDir::new(&config.out.join(s.stem()))?;
    write_atomic(&dir.path("summary.json"), &export::summary_json(summary)?)?;
    if let Some(format) = config.charts {
        chart::write_scenario_charts(summary, &dir, format)?;
    }
    dir.commit()
}

/// Two scenario files with the same stem would write to the same folder (in any case, since macOS
/// and Windows file systems do not tell `Baseline` from `baseline`).
fn check_distinct_stems(scenarios: &[Scenario]) -> anyhow::Result<()> {
    let mut seen: HashMap<String, &Scenario> = HashMap::new();
    for s in scenarios {
        if let Some(other) = seen.insert(s.stem().to_lowercase(), s) {
            return Err(BadInput(format!(
                "{} and {} would both write to the folder `{}`; rename one of the files",
                other.file.display(),
                s.file.display(),
                s.stem()
            ))
            .into());
        }
    }
    Ok(())
}
