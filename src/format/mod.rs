//! The ground floor for everything people read: numbers, percentages, vote counts and signs
//! (`numbers`), numbers as files write them (`written`), candidates' names, short names and
//! suggestions (`names`), and text in terminal columns (`text`).
//!
//! What belongs here: a pure function from a value to the text a reader sees, or from the text a
//! user wrote to a value, used by more than one room (the tables in `export/`, the charts in
//! `chart/`, the messages of `scenario/` and `results/`, the rows of `sweep/`). It imports nothing
//! of the project, so every room can use it; a helper that needs a `Summary` or a `Scenario` is a
//! method of that type, calling in here. Modelled on criterion's `src/format.rs` and hyperfine's
//! `src/util/units.rs`.

mod names;
mod numbers;
mod text;
mod written;

pub use names::*;
pub use numbers::*;
pub use text::*;
pub use written::*;
