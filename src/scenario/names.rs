//! Candidate names as people type them: a short form for tight labels, and finding the name meant.

/// A short form of a name for tight labels: the last word ("Tommy Tuberville" → "Tuberville"),
/// skipping party tags, suffixes and nicknames in double quotes ("Kathleen Babineaux Blanco (D)"
/// → "Blanco", "J. E. Jumonville, Jr." → "Jumonville", "Tip O'Neill \"The Boss\"" → "O'Neill").
pub fn short_name(name: &str) -> &str {
    let is_tag = |w: &str| {
        let w = w.trim_end_matches([',', '.']);
        w.starts_with('(') || ["Jr", "Sr", "II", "III", "IV"].contains(&w)
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    // Which words stand inside double quotes: a nickname, which may have several words.
    let mut open = false;
    let quoted: Vec<bool> = words
        .iter()
        .map(|w| {
            let w = w.trim_end_matches([',', '.']);
            let opens = !open && w.starts_with(['"', '\u{201c}']);
            open |= opens;
            let inside = open;
            if open && w.ends_with(['"', '\u{201d}']) && !(opens && w.chars().count() == 1) {
                open = false;
            }
            inside
        })
        .collect();
    let kept = |i: &usize| !quoted[*i] && !is_tag(words[*i]);
    let Some(last) = (0..words.len()).rev().find(kept) else {
        return words.last().copied().unwrap_or(name).trim_end_matches(',');
    };
    // A bare number is no one's name: it keeps the word before it ("Cand 1", "District 9").
    let first = match (0..last).rev().find(kept) {
        Some(before) if !words[last].chars().any(char::is_alphabetic) => before,
        _ => last,
    };
    // The words are slices of `name`: from the start of the first to the end of the last.
    let start = words[first].as_ptr() as usize - name.as_ptr() as usize;
    let end = words[last].as_ptr() as usize - name.as_ptr() as usize + words[last].len();
    name[start..end].trim_end_matches(',')
}

/// Names quoted and listed for a message: `"A"`, `"A" and "B"`, `"A", "B" and "C"` (empty for none).
pub fn quoted_list<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names
        .iter()
        .map(|n| format!("\"{}\"", n.as_ref()))
        .collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A name in lower case with single spaces: two names that fold alike ("JOHN  SMITH", "John
/// Smith") are one candidate written twice.
pub fn fold_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The name in `names` that `written` means: itself when written exactly; else the only name that
/// matches ignoring case, or the only one whose short name does ("tuberville" → "Tommy
/// Tuberville"). The flag says the match was not exact, for the caller to say so.
pub fn find_name<'a>(names: &[&'a str], written: &str) -> Option<(&'a str, bool)> {
    if let Some(exact) = names.iter().copied().find(|n| *n == written) {
        return Some((exact, false));
    }
    let only = |pick: &dyn Fn(&str) -> bool| {
        let mut matches = names.iter().copied().filter(|n| pick(n));
        match (matches.next(), matches.next()) {
            (Some(n), None) => Some((n, true)),
            _ => None,
        }
    };
    only(&|n| n.eq_ignore_ascii_case(written))
        .or_else(|| only(&|n| short_name(n).eq_ignore_ascii_case(written)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_found_exactly_then_by_case_then_by_last_name() {
        let names = [
            "Tommy Tuberville",
            "Jeff Sessions",
            "John Smith",
            "Jane Smith",
        ];
        assert_eq!(
            find_name(&names, "Jeff Sessions"),
            Some(("Jeff Sessions", false))
        );
        assert_eq!(
            find_name(&names, "jeff sessions"),
            Some(("Jeff Sessions", true))
        );
        assert_eq!(
            find_name(&names, "TUBERVILLE"),
            Some(("Tommy Tuberville", true))
        );
        // Two Smiths: the last name alone does not say which.
        assert_eq!(find_name(&names, "Smith"), None);
        assert_eq!(find_name(&names, "Tuber"), None);
    }
}
