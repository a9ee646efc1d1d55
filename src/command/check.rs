//! `runoff check`: validate scenarios and show the model as the engine will see it.

use super::{BadInput, print_stdout};
use crate::cli::CheckArgs;
use crate::scenario::{self};

/// Check every scenario; print each resolved model; exit 2 if any is invalid.
pub fn check(args: &CheckArgs) -> anyhow::Result<()> {
    let files = scenario::expand_paths(&args.paths)?;
    let mut bad = 0;
    for file in &files {
        match scenario::load_file(file) {
            Ok(s) => print_stdout(crate::export::check::describe(&s).as_bytes())?,
            Err(e) => {
                eprintln!("error: {e}");
                bad += 1;
            }
        }
    }
    if bad > 0 {
        return Err(BadInput(format!(
            "{bad} of {} scenario files are invalid",
            files.len()
        ))
        .into());
    }
    Ok(())
}
