//! What is wrong with a scenario file: each problem names the file, the key, the line and column, and the fix.

pub use crate::error::{Problem, ScenarioError};

/// 1-based line and column of a byte offset in `source` (columns count characters).
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Whether a TOML key may stand without quotes: A–Z, a–z, 0–9, - and _ only.
pub(super) fn is_bare(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A TOML key as it must be written in a dotted path: bare when it can be, quoted otherwise.
pub fn key_segment(name: &str) -> String {
    if is_bare(name) {
        name.to_string()
    } else {
        // TOML's escapes, so the key can be pasted back into a file.
        let mut escaped = String::new();
        for c in name.chars() {
            match c {
                '\\' => escaped.push_str("\\\\"),
                '"' => escaped.push_str("\\\""),
                '\n' => escaped.push_str("\\n"),
                '\t' => escaped.push_str("\\t"),
                '\r' => escaped.push_str("\\r"),
                c if c.is_control() => escaped.push_str(&format!("\\u{:04X}", c as u32)),
                c => escaped.push(c),
            }
        }
        format!("\"{escaped}\"")
    }
}

/// The tables each scenario setting may be written in ("" is the top of the file, above every
/// `[table]` header).
const SETTING_TABLES: [(&str, &[&str]); 11] = [
    ("name", &[""]),
    ("description", &[""]),
    ("finalists", &[""]),
    ("sd", &["swing", "new_voters"]),
    ("distribution", &["swing"]),
    ("df", &["swing"]),
    ("draws", &["simulation"]),
    ("seed", &["simulation"]),
    ("voter_noise", &["simulation"]),
    ("recount_margin", &["report"]),
    ("share", &["new_voters"]),
];

/// Where a scenario setting written in `table` belongs, when it is not there: TOML puts a key in
/// the last `[table]` above it, so `seed = 7` added at the end of a file lands in `[actual]` and
/// `draws = 100000` after `[first_round]` reads as a candidate. `Some("")` is the top of the file.
pub(super) fn setting_home(table: &str, key: &str) -> Option<&'static str> {
    let (_, homes) = SETTING_TABLES.iter().find(|(k, _)| *k == key)?;
    (!homes.contains(&table)).then_some(homes[0])
}

/// A setting's home as a message names it: "a [simulation] key" or "a top-level key".
pub(super) fn setting_kind(home: &str) -> String {
    if home.is_empty() {
        "a top-level key".to_string()
    } else {
        format!("a [{home}] key")
    }
}

/// How to move a setting to its home; `what` names it ("it", or the key in backquotes).
pub(super) fn move_setting(what: &str, home: &str) -> String {
    let place = if home.is_empty() {
        "to the top of the file, above the first [table] header".to_string()
    } else {
        format!("under a [{home}] header")
    };
    format!("move {what} {place}; TOML puts a key in the last [table] above it")
}

/// The fix for a setting written under the wrong `[table]` header, naming the setting.
pub(super) fn misplaced_fix(key: &str, home: &str) -> String {
    move_setting(&format!("`{key}`"), home)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 9), (2, 4));
    }

    #[test]
    fn key_segments_quote_only_when_needed() {
        assert_eq!(key_segment("abstain"), "abstain");
        assert_eq!(key_segment("Roy Moore"), "\"Roy Moore\"");
        assert_eq!(key_segment("a\"b"), "\"a\\\"b\"");
        // Control characters as TOML escapes: the key reads back as the same name.
        assert_eq!(key_segment("A\nB\t\u{7}"), "\"A\\nB\\t\\u0007\"");
        let toml = format!("{} = 1", key_segment("A\nB\t\u{7}"));
        let table: toml::Table = toml.parse().unwrap();
        assert!(table.contains_key("A\nB\t\u{7}"));
    }
}
