//! The progress bar: on stderr, only when it is a terminal, not with `--quiet`, and only once a run takes more than a moment.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Runs shorter than this show no bar: a bar that flashes by is noise.
const SHOW_AFTER: Duration = Duration::from_millis(500);

/// Progress of a run, counted in draws, points, moves or scenarios.
pub struct Progress {
    bar: Option<(ProgressBar, Instant)>,
}

impl Progress {
    /// A bar for `total` `unit`s (e.g. "draws") of `label`, never shown unless stderr is a terminal
    /// and `quiet` is off.
    pub fn new(label: &str, total: u64, unit: &str, quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(&format!(
            "{{prefix:.bold}} [{{bar:30}}] {{percent:>3}}% {{human_pos}}/{{human_len}} {unit}, {{eta}} left"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(label.chars().take(40).collect::<String>());
        Progress {
            bar: Some((bar, Instant::now())),
        }
    }

    /// Units done so far.
    pub fn set(&self, done: u64) {
        if let Some((bar, start)) = &self.bar {
            if bar.is_hidden() && start.elapsed() > SHOW_AFTER {
                bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
            }
            bar.set_position(done);
        }
    }

    /// `done` of `total` (for work whose size is known only once it starts).
    pub fn set_of(&self, done: u64, total: u64) {
        if let Some((bar, _)) = &self.bar {
            bar.set_length(total);
        }
        self.set(done);
    }

    /// Remove the bar.
    pub fn finish(&self) {
        if let Some((bar, _)) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
