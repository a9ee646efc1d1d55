//! Where results leave the process: atomic file writes and the progress bar.
//!
//! What belongs here: how bytes reach the disk whole or not at all (a staged folder moved into
//! place), and what the terminal shows while work runs. What the bytes are belongs in `export/`
//! and `chart/`.

mod atomic;
mod progress;

pub use atomic::{AtomicDir, check_output_folder, write_atomic};
pub use progress::Progress;

/// A race id or other name as one file or folder name: characters other than letters, digits, `-`,
/// `_` and `.` become `-` (a `/` would make a folder, a `:` is refused by Windows), and it never
/// starts with a dot (a hidden file).
pub fn file_name(name: &str) -> String {
    let safe: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    match safe.trim_start_matches('.') {
        "" => "race".to_string(),
        rest => rest.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn names_become_one_plain_file_name() {
        assert_eq!(file_name("MS-2014-SEN-R"), "MS-2014-SEN-R");
        assert_eq!(file_name("MS/2014:SEN R"), "MS-2014-SEN-R");
        assert_eq!(file_name("../x"), "-x");
        assert_eq!(file_name("..."), "race");
        assert_eq!(file_name("São Paulo 2024"), "São-Paulo-2024");
    }
}
