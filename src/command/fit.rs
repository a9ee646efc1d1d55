//! `runoff fit`: estimate a race's transfer rows from its units, write the scenario, fit.json and fit.png, print the estimates.

use super::{BadInput, print_stdout, thread_pool};
use crate::chart::{self, FitChart};
use crate::cli::FitArgs;
use crate::export;
use crate::fit;
use crate::output::{AtomicDir, Progress, write_atomic};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// `runoff fit`.
pub fn fit(args: &FitArgs, stop: &AtomicBool) -> anyhow::Result<()> {
    if !(0.0..0.5).contains(&args.pool_below) {
        return Err(BadInput(format!(
            "--pool-below {}: the share must be at least 0 and below 0.5 (e.g. 0.02 pools the \
             candidates under 2% of the first round; 0 pools none)",
            args.pool_below
        ))
        .into());
    }
    let data = fit::load(&args.data, args.race.as_deref(), args.pool_below)?;
    super::note_race_taken(args.race.as_deref(), &data.race);
    if let Some(why) = crate::scenario::unwritable_name(
        data.candidates.iter().map(String::as_str),
        &data.finalists,
    ) {
        return Err(BadInput(why).into());
    }
    let priors = match (&args.prior, args.method) {
        (Some(_), fit::Method::Regression) => {
            return Err(BadInput(
                "--prior: the regression takes no prior (fix: leave out --method regression, \
                 or --prior)"
                    .to_string(),
            )
            .into());
        }
        (Some(path), _) => fit::priors_from(path, &data)?,
        (None, _) => fit::Priors::uniform(data.candidates.len()),
    };
    if args.method == fit::Method::Regression {
        fit::regression_identifies(&data, &args.data)?;
    }
    let options = fit::Options {
        method: args.method,
        priors: &priors,
        seed: args.seed,
    };
    let race_name = crate::output::file_name(&data.race);
    let race_file = format!("{race_name}.toml");
    let dir_path = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("fit-{race_name}")));
    // Outputs that cannot be written are refused before the work, not after it.
    crate::output::check_output_folder(&dir_path)?;
    // One bar for the fit and the hold-out's: where the units' mixes barely differ, the
    // regression's 200 resamples take seconds (docs/fit.md), and each half is a fit.
    let splits = args.holdout.map(|n| n as usize);
    let first = match args.method {
        fit::Method::Bayes => 1,
        fit::Method::Regression => fit::BOOTSTRAP,
    };
    let progress = Progress::new(
        &format!("fit {}", data.race),
        (first + splits.unwrap_or(0)) as u64,
        "fits",
        args.quiet,
    );
    let pool = thread_pool(args.threads.map(|t| t as usize))?;
    let fitted = pool.install(|| -> Result<_, crate::engine::Interrupted> {
        let result = fit::fit(&data, options, &|done, _| progress.set(done as u64), stop)?;
        // The out-of-sample check runs before anything is written, so that Ctrl-C during it
        // leaves no folder behind.
        let holdout = splits
            .map(|splits| {
                fit::holdout(
                    &data,
                    splits,
                    options,
                    &|done, _| progress.set((first + done) as u64),
                    stop,
                )
            })
            .transpose()?;
        Ok((result, holdout))
    });
    progress.finish();
    let (result, holdout) = fitted?;
    let text = fit::scenario_toml(&result, &data, &args.data);
    // The file we write must be one `runoff run` accepts.
    crate::scenario::parse_str(&text, Path::new("fitted.toml"))
        .map_err(|e| anyhow::anyhow!("the fitted scenario is invalid (a bug): {e}"))?;
    let dir = AtomicDir::new(&dir_path)?;
    write_atomic(&dir.path(&race_file), text.as_bytes())?;
    let mut json = serde_json::to_vec_pretty(&result)?;
    json.push(b'\n');
    write_atomic(&dir.path("fit.json"), &json)?;
    if let Some(format) = args.charts.format() {
        write_atomic(
            &dir.path(&format!("fit.{}", format.extension())),
            &chart::render(&FitChart(&result), format)?,
        )?;
    }
    dir.commit()?;
    let mut table = export::fit::fit_table(&result, &data);
    if let Some(h) = &holdout {
        let _ = writeln!(table, "  {}", export::fit::holdout_line(h, &result, &data));
    }
    let _ = writeln!(
        table,
        "  wrote {} (the scenario: {})",
        dir_path.display(),
        dir_path.join(&race_file).display()
    );
    print_stdout(table.as_bytes())
}
