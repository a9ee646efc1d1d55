//! Where results leave the process: atomic file writes and the progress bar.

mod atomic;
mod progress;

pub use atomic::{AtomicDir, check_output_folder, write_atomic};
pub use progress::Progress;
