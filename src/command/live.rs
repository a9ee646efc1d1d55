//! `runoff live` and `runoff replay`: election night (docs/election-night.md).

use super::{BadInput, note_race_taken, print_stdout, thread_pool};
use crate::chart::{self, LiveChart, ReplayChart};
use crate::cli::{LiveArgs, NightArgs, ReplayArgs};
use crate::export;
use crate::live::{self, Race, Returns, replay};
use crate::output::{AtomicDir, Progress, check_output_folder, file_name, write_atomic};
use crate::scenario::{self, Scenario};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// The race, the scenario when given, and the prior's name.
fn race_and_scenario(night: &NightArgs) -> anyhow::Result<(Race, Option<Scenario>, String)> {
    let race = live::load_race(&night.data, night.race.as_deref())?;
    note_race_taken(night.race.as_deref(), &race.id);
    for what in &race.set_aside {
        eprintln!("note: {}: race {}: {what}", night.data.display(), race.id);
    }
    let scenario = night
        .scenario
        .as_ref()
        .map(|p| scenario::load_file(p))
        .transpose()?;
    let prior_name = scenario
        .as_ref()
        .map_or_else(|| "default prior".to_string(), |s| s.name.clone());
    Ok((race, scenario, prior_name))
}

/// `--out`, or `output/<what>-<race>[-<part>]`.
fn out_dir(out: &Option<PathBuf>, what: &str, race: &Race, part: Option<&str>) -> PathBuf {
    out.clone().unwrap_or_else(|| {
        let mut name = format!("{what}-{}", file_name(&race.id));
        if let Some(part) = part {
            name.push('-');
            name.push_str(part);
        }
        Path::new("output").join(name)
    })
}

/// `runoff live`.
pub fn live(args: &LiveArgs) -> anyhow::Result<()> {
    let night = &args.night;
    let (race, scenario, prior_name) = race_and_scenario(night)?;
    let (returns, finalists) = match &args.returns {
        Some(path) => {
            let (returns, f) =
                live::returns::read(path, &race, scenario.as_ref().map(|s| &s.finalists))?;
            for note in &returns.notes {
                eprintln!("note: {}: {note}", path.display());
            }
            (returns, [f[0].clone(), f[1].clone()])
        }
        None => match &scenario {
            Some(s) => (Returns::none(race.units.len()), s.finalists.clone()),
            None => {
                return Err(BadInput(format!(
                    "{}: nothing counted and no scenario: the finalists are unknown (fix: give \
                     --returns COUNTED.csv, or --scenario S.toml for the prior's forecast)",
                    night.data.display()
                ))
                .into());
            }
        },
    };
    let prior = live::prior(&race, &finalists, scenario)?;
    let dir = out_dir(&args.out, "live", &race, None);
    check_output_folder(&dir)?;
    let pool = thread_pool(night.threads.map(|t| t as usize))?;
    let projection = pool.install(|| {
        live::project(
            &race,
            &prior,
            &prior_name,
            &finalists,
            &returns,
            night.draws,
            night.seed,
        )
    });
    let staged = AtomicDir::new(&dir)?;
    let mut json = serde_json::to_vec_pretty(&projection)?;
    json.push(b'\n');
    write_atomic(&staged.path("live.json"), &json)?;
    if let Some(format) = night.charts.format() {
        write_atomic(
            &staged.path(&format!("live.{}", format.extension())),
            &chart::render(&LiveChart(&projection), format)?,
        )?;
    }
    staged.commit()?;
    print_stdout(export::live::live_table(&projection, &dir).as_bytes())
}

/// `runoff replay`.
pub fn replay(args: &ReplayArgs, stop: &AtomicBool) -> anyhow::Result<()> {
    let night = &args.night;
    let (race, scenario, prior_name) = race_and_scenario(night)?;
    if race.runoff_candidates.is_empty() {
        return Err(BadInput(format!(
            "{}: race {} has no round-2 rows: a replay counts the runoff's units (fix: a table with \
             both rounds by {})",
            night.data.display(),
            race.id,
            race.unit_column
        ))
        .into());
    }
    let finalists = live::finalists(&race, &race.runoff_candidates, scenario.as_ref())?;
    for f in &finalists {
        if !race.runoff_candidates.contains(f) {
            return Err(BadInput(format!(
                "{}: race {}'s runoff rows name {}, not \"{f}\" (fix: a scenario of this runoff)",
                night.data.display(),
                race.id,
                crate::format::quoted_list(&race.runoff_candidates)
            ))
            .into());
        }
    }
    if !race.runoff_only.is_empty() {
        eprintln!(
            "note: {}: {} runoff {} not in round 1 and cannot be projected: {}",
            night.data.display(),
            race.runoff_only.len(),
            if race.runoff_only.len() == 1 {
                "unit is"
            } else {
                "units are"
            },
            crate::format::quoted_list(&race.runoff_only)
        );
    }
    let prior = live::prior(&race, &finalists, scenario)?;
    let dir = out_dir(&args.out, "replay", &race, Some(args.order.name()));
    check_output_folder(&dir)?;
    let progress = Progress::new(
        &format!("replay {}", race.id),
        args.steps + 1,
        "steps",
        night.quiet,
    );
    let pool = thread_pool(night.threads.map(|t| t as usize))?;
    let result = pool.install(|| {
        replay::replay(
            &race,
            &prior,
            &prior_name,
            &finalists,
            args.order,
            args.steps as usize,
            night.draws,
            night.seed,
            &|done, _| progress.set(done as u64),
            stop,
        )
    });
    progress.finish();
    let result = result?;
    let staged = AtomicDir::new(&dir)?;
    write_atomic(
        &staged.path("replay.csv"),
        export::live::replay_csv(&result).as_bytes(),
    )?;
    if let Some(format) = night.charts.format() {
        write_atomic(
            &staged.path(&format!("replay.{}", format.extension())),
            &chart::render(&ReplayChart(&result), format)?,
        )?;
    }
    staged.commit()?;
    print_stdout(export::live::replay_table(&result, &dir).as_bytes())
}
