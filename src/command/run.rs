//! `runoff run`: load every scenario, simulate the valid ones, write their results and charts, report the bad ones.

use super::{BadInput, print_stdout};
use crate::chart::{self, ChartFormat};
use crate::cli::RunArgs;
use crate::engine::{self, Model};
use crate::export::{self, Format};
use crate::output::{AtomicDir, Progress, write_atomic};
use crate::scenario::{self, Scenario};
use crate::summary::Summary;
use anyhow::Context;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

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
    /// Write each scenario's draws as draws.parquet.
    pub save_draws: bool,
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
            save_draws: a.save_draws,
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

    if let (Some(p), false) = (config.precision, scenarios.is_empty()) {
        say_if_out_of_reach(p, config.draws.unwrap_or(PRECISION_DRAW_CAP));
    }
    let pool = super::thread_pool(config.threads)?;
    let batch = BatchProgress::new(&scenarios, config);
    // Scenarios run side by side as well as each on every thread: a scenario of a chunk or two
    // draws on one thread, and its charts are drawn on one, which alone would leave threads idle.
    // Each scenario is its own simulation, so the order of work changes no result.
    let summaries = pool.install(|| {
        scenarios
            .par_iter()
            .enumerate()
            .map(|(i, s)| {
                // With --save-draws the folder is staged first, for the draws to stream into;
                // otherwise only once there is something to write, so that a refused scenario
                // leaves no folder behind.
                let folder = config.out.join(s.stem());
                let staged = config
                    .save_draws
                    .then(|| AtomicDir::new(&folder))
                    .transpose()?;
                let progress = |done| batch.set(i, done);
                let summary = match &staged {
                    Some(dir) => simulate_saving(s, config, &progress, stop, dir)?,
                    None => simulate(s, config, &progress, stop)?,
                };
                let dir = match staged {
                    Some(dir) => dir,
                    None => AtomicDir::new(&folder)?,
                };
                write_scenario(&summary, config, dir)?;
                batch.finished();
                Ok(summary)
            })
            .collect::<anyhow::Result<Vec<_>>>()
    });
    batch.finish();
    let summaries = summaries?;
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

/// A note when `--precision` may need more draws than `cap`: a close race (p = 1/2) needs
/// about z²/(4P²) for a 95% interval of ±P, and one decided in every draw about z²/(2P).
fn say_if_out_of_reach(precision: f64, cap: u64) {
    let z2 = crate::stats::Z95 * crate::stats::Z95;
    let close = z2 / (4.0 * precision * precision);
    if close <= cap as f64 {
        return;
    }
    let certain = z2 / (2.0 * precision);
    let needs = if close < 1e15 {
        format!("about {}", crate::format::votes(close.round()))
    } else {
        "over 1e15".to_string()
    };
    let how = if certain > cap as f64 {
        "no race can reach it"
    } else {
        "only a race far from close can reach it"
    };
    eprintln!(
        "note: --precision {} needs {needs} draws for a close race, more than the cap of {}: \
         {how}, and a run stops at the cap (raise --draws or the precision)",
        crate::format::readable(precision),
        crate::format::votes(cap as f64)
    );
}

/// The draws a scenario is run for: `--draws`, else the precision cap, else the file's.
fn draws_of(s: &Scenario, config: &RunConfig) -> u64 {
    // With a precision target, the draws are a cap: the file's draws are a default, not a goal.
    match (config.draws, config.precision) {
        (Some(d), _) => d,
        (None, Some(_)) => PRECISION_DRAW_CAP,
        (None, None) => s.simulation.draws,
    }
}

/// Simulate one scenario on the current thread pool, telling `progress` the draws made so far.
pub fn simulate(
    s: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> anyhow::Result<Summary> {
    simulate_with(s, config, progress, stop, None)
}

/// [`simulate`], handing the draws to `sink` when given.
fn simulate_with(
    s: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
    sink: Option<engine::DrawSink>,
) -> anyhow::Result<Summary> {
    let seed = config.seed.unwrap_or(s.simulation.seed);
    let tally = engine::simulate_saving(
        &Model::new(s),
        draws_of(s, config),
        seed,
        config.precision,
        progress,
        stop,
        sink,
    )?;
    summarise(s, config, &tally, seed)
}

/// [`simulate`], streaming the draws into `dir`'s draws.parquet (`--save-draws`).
fn simulate_saving(
    s: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
    dir: &AtomicDir,
) -> anyhow::Result<Summary> {
    let model = Model::new(s);
    let path = dir.path("draws.parquet");
    let file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let writer = std::sync::Mutex::new(export::draws::DrawsWriter::new(
        std::io::BufWriter::new(file),
        s,
        &model,
    )?);
    let sink = |d: &mut engine::Draws| -> anyhow::Result<()> {
        writer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .write(d)
            .with_context(|| format!("cannot write {}", path.display()))
    };
    let summary = simulate_with(s, config, progress, stop, Some(&sink))?;
    writer
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .finish()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(summary)
}

/// The summary of a finished tally, refusing one the polls left without a draw.
fn summarise(
    s: &Scenario,
    config: &RunConfig,
    tally: &engine::Tally,
    seed: u64,
) -> anyhow::Result<Summary> {
    if let Some(p) = tally
        .posterior
        .as_ref()
        .filter(|p| p.mass <= 0.0 || p.mass.is_nan())
    {
        return Err(BadInput(format!(
            "{}: the polls leave no draw standing: they put {}'s share of the decided at {} (sd {} points), \
             and every one of the {} draws is so far from it that its weight is 0 (fix: widen the \
             scenario where it is unsure, with lower certainties or a larger swing sd; check the \
             polls and [poll_error])",
            s.file.display(),
            s.finalists[0],
            crate::format::pct(p.evidence.share),
            crate::format::trimmed(100.0 * p.evidence.sd, 3),
            crate::format::votes(tally.draws as f64)
        ))
        .into());
    }
    let mut summary = Summary::new(s, tally, seed);
    summary.precision = config.precision;
    summary.precision_reached = config.precision.map(|p| engine::precise_enough(tally, p));
    Ok(summary)
}

/// One bar for a batch: its draws, or with a precision target (where the draws a scenario takes
/// are known only at its end) its scenarios; a lone scenario's bar bears its name.
struct BatchProgress {
    bar: Progress,
    /// Per scenario, the draws last reported.
    done: Vec<AtomicU64>,
    total: AtomicU64,
    by_scenario: bool,
}

impl BatchProgress {
    fn new(scenarios: &[Scenario], config: &RunConfig) -> Self {
        let by_scenario = config.precision.is_some() && scenarios.len() > 1;
        let bar = match scenarios {
            [s] => Progress::new(&s.name, draws_of(s, config), "draws", config.quiet),
            _ if by_scenario => Progress::new(
                &format!("{} scenarios", scenarios.len()),
                scenarios.len() as u64,
                "scenarios",
                config.quiet,
            ),
            _ => Progress::new(
                &format!("{} scenarios", scenarios.len()),
                // Saturating: `--draws` near 2⁶⁴ on a batch would overflow a plain sum.
                scenarios
                    .iter()
                    .fold(0u64, |n, s| n.saturating_add(draws_of(s, config))),
                "draws",
                config.quiet,
            ),
        };
        BatchProgress {
            bar,
            done: scenarios.iter().map(|_| AtomicU64::new(0)).collect(),
            total: AtomicU64::new(0),
            by_scenario,
        }
    }

    /// Scenario `i` has made `draws` draws.
    fn set(&self, i: usize, draws: u64) {
        if !self.by_scenario {
            let before = self.done[i].swap(draws, Ordering::Relaxed);
            let total = self.total.fetch_add(draws - before, Ordering::Relaxed);
            self.bar.set(total + draws - before);
        }
    }

    /// Scenario `i` is simulated and written.
    fn finished(&self) {
        if self.by_scenario {
            self.bar.set(self.total.fetch_add(1, Ordering::Relaxed) + 1);
        }
    }

    fn finish(&self) {
        self.bar.finish();
    }
}

/// Write OUT/<stem>/summary.json and the charts into the staged `dir`, all or nothing.
fn write_scenario(summary: &Summary, config: &RunConfig, dir: AtomicDir) -> anyhow::Result<()> {
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
