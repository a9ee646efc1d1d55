//! Fuzz the scenario loader and validator: any bytes, as a file's text, must give a scenario or a
//! clear error, never a panic; a valid scenario must also simulate a few draws without one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(scenario) = runoff::scenario::parse_str(text, Path::new("fuzz.toml")) {
        let model = runoff::engine::Model::new(&scenario);
        let mut tally = runoff::engine::Tally::new(&model);
        runoff::engine::run_chunk(&model, 1, 0, 300, &mut tally);
        let _ = runoff::summary::Summary::new(&scenario, &tally, 1);
    }
});
