//! `runoff sweep` and `runoff tornado`: load one scenario, vary its assumptions, write CSV, JSON and a chart, print the answer.

use super::{BadInput, print_stdout, thread_pool};
use crate::chart::{self, BreakEvenChart, Chart, MatchActualChart, SweepChart, TornadoChart};
use crate::cli::{ChartArgs, SweepArgs, TornadoArgs};
use crate::export;
use crate::output::{AtomicDir, Progress, check_output_folder, write_atomic};
use crate::scenario::{self, Scenario};
use crate::sweep::tornado::Searches;
use crate::sweep::{self, Absorb, SweepPlan, Variation};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// `runoff sweep`.
pub fn sweep(args: &SweepArgs, stop: &AtomicBool) -> anyhow::Result<()> {
    let s = scenario::load_file(&args.scenario)?;
    super::say_without_effect(&s);
    let variations = args
        .vary
        .iter()
        .map(|v| Variation::parse(v, &s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(BadInput)?;
    // Each sweep its own folder, named by what it varies: a sweep of two keys does not replace
    // the sweep of one.
    let keys: Vec<&str> = variations.iter().map(|v| v.key.path.as_str()).collect();
    let dir = out_dir(&args.out, "sweep", &s, &keys);
    check_output_folder(&dir)?;
    let plan = SweepPlan {
        variations,
        absorb: args
            .absorb
            .clone()
            .map(Absorb::Named)
            .unwrap_or(Absorb::Proportional),
        draws: args.simulation.draws.unwrap_or(s.simulation.draws),
        seed: args.simulation.seed.unwrap_or(s.simulation.seed),
    };
    plan.check(&s).map_err(BadInput)?;
    let points: usize = plan.variations.iter().map(|v| v.steps).product();
    let progress = Progress::new(
        &format!("sweep {}", s.name),
        points as u64,
        "points",
        args.simulation.quiet,
    );
    let pool = thread_pool(args.simulation.threads.map(|t| t as usize))?;
    let result = pool.install(|| sweep::run(&s, &plan, &|done, _| progress.set(done as u64), stop));
    progress.finish();
    let result = result?;
    write_outputs(
        &dir,
        "sweep",
        export::sweep::sweep_csv(&result)?,
        serde_json::to_vec_pretty(&result)?,
        &args.charts,
        |f| {
            Ok(vec![(
                SweepChart::NAME,
                chart::render(&SweepChart(&result), f)?,
            )])
        },
    )?;
    print_stdout(export::sweep::sweep_table(&result, &dir, s.vote_decimals()).as_bytes())
}

/// `runoff tornado`.
pub fn tornado(args: &TornadoArgs, stop: &AtomicBool) -> anyhow::Result<()> {
    if let Some(step) = args.step.filter(|s| !(*s > 0.0 && *s < 1.0)) {
        return Err(BadInput(format!(
            "--step {step} must be above 0 and below 1 (e.g. 0.10 for ten points)"
        ))
        .into());
    }
    let s = scenario::load_file(&args.scenario)?;
    if args.match_actual && s.report.actual.is_none() {
        return Err(BadInput(format!(
            "{}: --match-actual needs the runoff's result: add an [actual] table with each \
             finalist's runoff votes (docs/scenario-format.md), or leave the flag out",
            s.file.display()
        ))
        .into());
    }
    super::say_without_effect(&s);
    // Each kind of tornado its own folder: --break-even, then --match-actual, keeps both.
    let searches: Vec<&str> = [
        (args.break_even, "break-even"),
        (args.match_actual, "match-actual"),
    ]
    .into_iter()
    .filter_map(|(asked, name)| asked.then_some(name))
    .collect();
    let dir = out_dir(&args.out, "tornado", &s, &searches);
    check_output_folder(&dir)?;
    let draws = args.simulation.draws.unwrap_or(s.simulation.draws);
    let seed = args.simulation.seed.unwrap_or(s.simulation.seed);
    let progress = Progress::new(
        &format!("tornado {}", s.name),
        1,
        "moves",
        args.simulation.quiet,
    );
    let pool = thread_pool(args.simulation.threads.map(|t| t as usize))?;
    let result = pool.install(|| {
        sweep::tornado::run(
            &s,
            args.step,
            draws,
            seed,
            Searches {
                break_even: args.break_even,
                match_actual: args.match_actual,
            },
            &|done, total| progress.set_of(done as u64, total as u64),
            stop,
        )
    });
    progress.finish();
    let result = result?;
    write_outputs(
        &dir,
        "tornado",
        export::sweep::tornado_csv(&result)?,
        serde_json::to_vec_pretty(&result)?,
        &args.charts,
        |f| {
            let mut charts = vec![(
                TornadoChart::NAME,
                chart::render(&TornadoChart(&result), f)?,
            )];
            if args.break_even {
                let chart = BreakEvenChart(&result);
                charts.push((BreakEvenChart::NAME, chart::render(&chart, f)?));
            }
            // --match-actual is refused without the actual result, so it is there.
            if let (true, Some(actual)) = (args.match_actual, s.report.actual) {
                let chart = MatchActualChart {
                    tornado: &result,
                    actual,
                };
                charts.push((MatchActualChart::NAME, chart::render(&chart, f)?));
            }
            Ok(charts)
        },
    )?;
    print_stdout(export::sweep::tornado_table(&result, &dir, s.report.actual).as_bytes())
}

/// `--out`, or `output/<what>-<stem>[-<part>…]`: the parts (the keys swept, the searches asked
/// for) make each product's folder its own, so that one run does not replace another's files.
fn out_dir(out: &Option<PathBuf>, what: &str, s: &Scenario, parts: &[&str]) -> PathBuf {
    out.clone().unwrap_or_else(|| {
        let mut name = format!("{what}-{}", s.stem());
        for part in parts {
            name.push('-');
            name.push_str(&crate::output::file_name(&part.replace('"', "")));
        }
        Path::new("output").join(name)
    })
}

/// CSV, JSON and the chart into `dir`, all or nothing.
fn write_outputs(
    dir: &Path,
    name: &str,
    csv: Vec<u8>,
    mut json: Vec<u8>,
    charts: &ChartArgs,
    render: impl Fn(chart::ChartFormat) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>>,
) -> anyhow::Result<()> {
    let staged = AtomicDir::new(dir)?;
    json.push(b'\n');
    write_atomic(&staged.path(&format!("{name}.csv")), &csv)?;
    write_atomic(&staged.path(&format!("{name}.json")), &json)?;
    if let Some(format) = charts.format() {
        for (chart, bytes) in render(format)? {
            write_atomic(
                &staged.path(&format!("{chart}.{}", format.extension())),
                &bytes,
            )?;
        }
    }
    staged.commit()
}
