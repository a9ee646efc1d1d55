//! Progress on stderr, not with `--quiet`, and only once a run takes more than a moment: a bar in a
//! terminal; where stderr is a pipe or a file (a log, CI), a plain line at each quarter of the work.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Runs shorter than this show no bar: a bar that flashes by is noise.
const SHOW_AFTER: Duration = Duration::from_millis(500);

/// Progress of a run, counted in draws, points, moves or scenarios.
pub struct Progress {
    bar: Option<(ProgressBar, Instant)>,
    lines: Option<Lines>,
}

/// Progress told in lines, for a stderr that is not a terminal.
struct Lines {
    label: String,
    unit: String,
    start: Instant,
    total: AtomicU64,
    /// The last quarter of the work told (0 to 4).
    told: AtomicU64,
}

impl Lines {
    fn set(&self, done: u64) {
        let total = self.total.load(Ordering::Relaxed).max(1);
        let quarter = (4 * done.min(total) / total).min(4);
        if self.start.elapsed() <= SHOW_AFTER || quarter == 0 {
            return;
        }
        // Only the thread that moves the quarter on says it, once.
        let told = self.told.fetch_max(quarter, Ordering::Relaxed);
        if told < quarter {
            eprintln!(
                "{}: {}% ({done} of {total} {}) after {:.1} s",
                self.label,
                25 * quarter,
                self.unit,
                self.start.elapsed().as_secs_f64()
            );
        }
    }
}

impl Progress {
    /// Progress of `total` `unit`s (e.g. "draws") of `label`: a bar when stderr is a terminal,
    /// lines when it is not, nothing when `quiet` is on.
    pub fn new(label: &str, total: u64, unit: &str, quiet: bool) -> Self {
        if quiet {
            return Progress {
                bar: None,
                lines: None,
            };
        }
        if !std::io::stderr().is_terminal() {
            return Progress {
                bar: None,
                lines: Some(Lines {
                    label: label.chars().take(60).collect(),
                    unit: unit.to_string(),
                    start: Instant::now(),
                    total: AtomicU64::new(total),
                    told: AtomicU64::new(0),
                }),
            };
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
            lines: None,
        }
    }

    /// Units done so far.
    pub fn set(&self, done: u64) {
        if let Some(lines) = &self.lines {
            lines.set(done);
        }
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
        if let Some(lines) = &self.lines {
            lines.total.store(total, Ordering::Relaxed);
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
