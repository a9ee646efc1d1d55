//! Candidate names as people type them: a short form for tight labels (tables, charts, tornado
//! rows), one folded form to compare names by (case, spaces and accent encoding aside), and
//! finding the name meant ("did you mean …?").

use indexmap::IndexMap;
use unicode_normalization::UnicodeNormalization;

/// Words that belong to the surname they stand before ("Marine Le Pen" → "Le Pen", "Charles de
/// Gaulle" → "de Gaulle", "Ludwig van der Waals" → "van der Waals"), compared in lower case.
/// Sorted, for a binary search.
const SURNAME_PARTICLES: [&str; 30] = [
    "al", "bin", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du",
    "el", "ibn", "la", "le", "les", "lo", "mac", "mc", "saint", "st", "st.", "ten", "ter", "van",
    "von", "y",
];

/// Whether `word` is a surname particle (see [`SURNAME_PARTICLES`]).
fn is_particle(word: &str) -> bool {
    let w = word.to_lowercase();
    SURNAME_PARTICLES.binary_search(&w.as_str()).is_ok()
}

/// A short form of a name for tight labels: the surname, taken as the last word with the particles
/// before it ("Tommy Tuberville" → "Tuberville", "Marine Le Pen" → "Le Pen"), skipping party tags,
/// suffixes and nicknames in double quotes ("Kathleen Babineaux Blanco (D)" → "Blanco", "J. E.
/// Jumonville, Jr." → "Jumonville", "Tip O'Neill \"The Boss\"" → "O'Neill").
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
    let mut first = match (0..last).rev().find(kept) {
        Some(before) if !words[last].chars().any(char::is_alphabetic) => before,
        _ => last,
    };
    // The particles before a surname are part of it ("Le Pen"), but never the first word of the
    // name, which is a given name ("Van Morrison").
    while first > 1 && kept(&(first - 1)) && is_particle(words[first - 1]) {
        first -= 1;
    }
    // The words are slices of `name`: from the start of the first to the end of the last.
    let start = words[first].as_ptr() as usize - name.as_ptr() as usize;
    let end = words[last].as_ptr() as usize - name.as_ptr() as usize + words[last].len();
    name[start..end].trim_end_matches(',')
}

/// Longest name (in characters) that a label keeps whole: "Marine Le Pen" (13) becomes "Le Pen",
/// "Ann Lee" stays "Ann Lee".
pub const SHORT_ENOUGH: usize = 12;

/// The short name of finalist `k`, or its full name when the two short names would be the same.
/// The two are shortened alike: when either name is long, both are ("McDaniel" and "Cochran", not
/// "McDaniel" and "Thad Cochran").
pub fn finalist_short(finalists: &[String; 2], k: usize) -> String {
    let whole_if_short = !finalists.iter().any(|f| f.chars().count() > SHORT_ENOUGH);
    labels(finalists, whole_if_short).swap_remove(k)
}

/// The label of finalist `k`: its display name when the scenario gives one (`[display_names]`),
/// else [`finalist_short`].
pub fn finalist_label(
    finalists: &[String; 2],
    display_names: &IndexMap<String, String>,
    k: usize,
) -> String {
    display_names
        .get(&finalists[k])
        .cloned()
        .unwrap_or_else(|| finalist_short(finalists, k))
}

/// [`short_labels`], with the scenario's display names in place of the short forms it gives.
pub fn labels_with(names: &[String], display_names: &IndexMap<String, String>) -> Vec<String> {
    names
        .iter()
        .zip(short_labels(names))
        .map(|(n, short)| display_names.get(n).cloned().unwrap_or(short))
        .collect()
}

/// Short labels that still tell every name apart: the short name where it is unique; where several
/// names share it ("John Smith", "Jane Smith"), the full name, or, for a name too long for a
/// tight label, the words that differ from the others that share it ("Write-ins of Precinct 12" and
/// "Write-ins of Precinct 13" → "Precinct 12", "Precinct 13": a bare number keeps the word before it).
pub fn short_labels(names: &[String]) -> Vec<String> {
    labels(names, true)
}

/// [`short_labels`], keeping a name of at most [`SHORT_ENOUGH`] characters whole when
/// `whole_if_short`.
fn labels(names: &[String], whole_if_short: bool) -> Vec<String> {
    const LONG: usize = 16;
    // A name this short is its own label: "Bo Chan" needs no shortening to "Chan".
    let shorts: Vec<&str> = names
        .iter()
        .map(|n| {
            if whole_if_short && n.chars().count() <= SHORT_ENOUGH {
                n.as_str()
            } else {
                short_name(n)
            }
        })
        .collect();
    names
        .iter()
        .zip(&shorts)
        .map(|(name, short)| {
            let twins: Vec<Vec<&str>> = names
                .iter()
                .zip(&shorts)
                .filter(|(_, s)| *s == short)
                .map(|(n, _)| n.split_whitespace().collect())
                .collect();
            if twins.len() < 2 {
                return short.to_string();
            }
            if name.chars().count() <= LONG {
                return name.clone();
            }
            // Drop the leading and trailing words every twin has in common.
            let words: Vec<&str> = name.split_whitespace().collect();
            fn from_end<'a>(t: &[&'a str], i: usize) -> Option<&'a str> {
                t.len().checked_sub(i + 1).map(|j| t[j])
            }
            let head = (0..words.len())
                .take_while(|&i| twins.iter().all(|t| t.get(i) == words.get(i)))
                .count();
            let tail = (0..words.len())
                .take_while(|&i| twins.iter().all(|t| from_end(t, i) == from_end(&words, i)))
                .count();
            // A bare number ("12") keeps the word before it ("Precinct 12").
            let numeric = |w: &str| w.chars().all(|c| !c.is_alphabetic());
            let end = words.len().saturating_sub(tail);
            let start = match words.get(head) {
                Some(w) if head > 0 && head + 1 == end && numeric(w) => head - 1,
                _ => head,
            };
            match words.get(start..end) {
                Some(core) if !core.is_empty() => core.join(" "),
                _ => name.clone(),
            }
        })
        .collect()
}

/// A poll as a label names it: its pollster and last day in the field, as far as they are known
/// ("Cygnal 2020-05-10"); empty when neither is.
pub fn poll_label(pollster: Option<&str>, end_date: Option<&str>) -> String {
    [pollster, end_date]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
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

/// A name in lower case with single spaces and its accents decomposed: two names that fold alike
/// ("JOHN  SMITH", "John Smith"; "José" with "é" as one character or as "e" and an accent) are one
/// candidate written twice.
pub fn fold_name(name: &str) -> String {
    lower_single_spaced(&decomposed(name))
}

/// Whether two names that fold alike differ in how an accent is encoded rather than only in case
/// or spaces.
fn accent_encoded_otherwise(a: &str, b: &str) -> bool {
    lower_single_spaced(a) != lower_single_spaced(b)
}

/// For two names that fold alike but differ in how an accent is encoded, both written out
/// (`"Jose\u0301" and "Jos\u00E9" written out`), since they print alike; `None` when they
/// differ only in case or spaces.
pub fn accents_written_out(a: &str, b: &str) -> Option<String> {
    accent_encoded_otherwise(a, b).then(|| {
        format!(
            "\"{}\" and \"{}\" written out",
            written_out(a),
            written_out(b)
        )
    })
}

/// A name in lower case with single spaces.
fn lower_single_spaced(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `name` in Unicode's canonical decomposition (NFD, by the `unicode-normalization` crate): every
/// accented letter as its letter and accents, the accents in canonical order, so that a name typed
/// with "é" and the same name pasted from a source that writes "e" and U+0301 compare equal, and
/// "ệ" typed as "ê" and a dot below (as the Windows Vietnamese keyboard types it) likewise.
fn decomposed(name: &str) -> String {
    if name.is_ascii() {
        return name.to_string();
    }
    name.nfd().collect()
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

/// "did you mean …?" when a known name is close to what was written.
pub fn suggestion(written: &str, known: &[&str], otherwise: &str) -> String {
    let lower = written.to_lowercase();
    // Close, and not every character replaced ("X" is no suggestion for "Ac").
    let close = |k: &str| {
        let d = edit_distance(&lower, &k.to_lowercase());
        let (w, k) = (written.chars().count(), k.chars().count());
        (d <= (w / 3).max(2) && d < w.max(k)).then_some(d)
    };
    if let Some((_, k)) = known
        .iter()
        .filter_map(|k| close(k).map(|d| (d, *k)))
        .min_by_key(|(d, _)| *d)
    {
        return format!("did you mean \"{k}\"?{}", look_alike(written, k));
    }
    // A last name alone ("Sessions" for "Jeff Sessions"), or misspelt ("Sesions"), when one
    // candidate has it.
    let by_last_name = || {
        let mut close_to = known
            .iter()
            .filter(|k| short_name(k) != **k && close(short_name(k)).is_some());
        match (close_to.next(), close_to.next()) {
            (Some(k), None) => Some(*k),
            _ => None,
        }
    };
    match find_name(known, written)
        .map(|(k, _)| k)
        .or_else(by_last_name)
    {
        Some(k) => format!("did you mean \"{k}\"?"),
        None => otherwise.to_string(),
    }
}

/// [`suggestion`] in parentheses after a message, or nothing when no known name is close.
pub fn suggested(written: &str, known: &[&str]) -> String {
    match suggestion(written, known, "") {
        hint if hint.is_empty() => hint,
        hint => format!(" ({hint})"),
    }
}

/// Where `written` and the name it was taken for differ in characters that print alike ("é" as
/// one character or as "e" and an accent, a no-break space), both with \u escapes (as TOML, JSON
/// and most languages write them): otherwise "did you mean "José"?" would answer "José" with
/// itself.
fn look_alike(written: &str, name: &str) -> String {
    let (a, b): (Vec<char>, Vec<char>) = (written.chars().collect(), name.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let differ = a[prefix..a.len() - suffix]
        .iter()
        .chain(&b[prefix..b.len() - suffix])
        .any(|c| hard_to_see(*c));
    if !differ || written.to_lowercase() == name.to_lowercase() {
        return String::new();
    }
    format!(
        " The two look alike but are different characters, written out \"{}\" and \"{}\"; \
         retype one so that both match",
        written_out(written),
        written_out(name)
    )
}

/// A name with every character beyond printable ASCII as a \u escape (as TOML, JSON and most
/// languages write them), so that two names that print alike can be told apart.
fn written_out(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '"' | '\\' => format!("\\{c}"),
            c if c.is_ascii_graphic() || c == ' ' => c.to_string(),
            c if (c as u32) <= 0xFFFF => format!("\\u{:04X}", c as u32),
            c => format!("\\U{:08X}", c as u32),
        })
        .collect()
}

/// A character that prints as nothing, as a space, or onto the one before it: a combining
/// accent, a no-break or other non-ASCII space, a zero-width or direction mark, a control.
fn hard_to_see(c: char) -> bool {
    (c.is_whitespace() && c != ' ')
        || c.is_control()
        || matches!(c as u32,
            0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
            | 0xFE20..=0xFE2F | 0x00AD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064
            | 0xFEFF)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_last_words() {
        assert_eq!(short_name("Tommy Tuberville"), "Tuberville");
        // Surname particles stay with the surname; a first word is a given name, not a particle.
        assert_eq!(short_name("Marine Le Pen"), "Le Pen");
        assert_eq!(short_name("Charles de Gaulle"), "de Gaulle");
        assert_eq!(short_name("Ludwig van der Waals"), "van der Waals");
        assert_eq!(short_name("Ursula von der Leyen (CDU)"), "von der Leyen");
        assert_eq!(short_name("Van Morrison"), "Morrison");
        let french = ["Emmanuel Macron".to_string(), "Marine Le Pen".to_string()];
        assert_eq!(short_labels(&french), ["Macron", "Le Pen"]);
        // A short name is its own label.
        let short = ["Ann Lee".to_string(), "Bo Chan".to_string()];
        assert_eq!(short_labels(&short), ["Ann Lee", "Bo Chan"]);
        assert_eq!(finalist_short(&short, 1), "Bo Chan");
        // Two finalists are shortened alike.
        let ms = ["Chris McDaniel".to_string(), "Thad Cochran".to_string()];
        assert_eq!(finalist_short(&ms, 1), "Cochran");
        assert_eq!(short_name("Cher"), "Cher");
        assert_eq!(short_name("Kathleen Babineaux Blanco (D)"), "Blanco");
        assert_eq!(short_name("J. E. Jumonville, Jr. (D)"), "Jumonville");
        let twins = ["John Smith".to_string(), "Jane Smith".to_string()];
        assert_eq!(finalist_short(&twins, 1), "Jane Smith");
        assert_eq!(short_name("(R)"), "(R)");
        assert_eq!(short_name("O'Neil \"Ace\""), "O'Neil");
        assert_eq!(short_name("Jim \"Big Jim\" Folsom"), "Folsom");
        assert_eq!(
            short_name("Tip O'Neill \u{201c}The Boss\u{201d} (D)"),
            "O'Neill"
        );
        assert_eq!(short_name("\"Bobby\" Jindal (R)"), "Jindal");
        assert_eq!(short_name("\"Ace\""), "\"Ace\"");
        // A bare number keeps the word before it.
        assert_eq!(short_name("Cand 1"), "Cand 1");
        assert_eq!(short_name("Candidate No. 12 (R)"), "No. 12");
        assert_eq!(short_name("7"), "7");
        let many: Vec<String> = [
            "Tommy Tuberville",
            "Candidate Number 3 With A Long Name",
            "Candidate Number 12 With A Long Name",
            "Ann Lee",
            "Bo Lee",
        ]
        .iter()
        .map(|n| n.to_string())
        .collect();
        assert_eq!(
            short_labels(&many),
            ["Tuberville", "Number 3", "Number 12", "Ann Lee", "Bo Lee"]
        );
    }

    #[test]
    fn a_name_folds_alike_whichever_way_its_accents_are_encoded() {
        for (composed, decomposed_form) in [
            ("Jos\u{e9} Ruiz", "Jose\u{301} Ruiz"),
            ("Fran\u{e7}ois Hollande", "Franc\u{327}ois Hollande"),
            (
                "Klaus Iohannis \u{218}tef\u{103}nescu",
                "Klaus Iohannis S\u{326}tefa\u{306}nescu",
            ),
            ("Andrej Babi\u{161}", "Andrej Babis\u{30c}"),
            ("\u{17d}ELJKO", "Z\u{30c}eljko"),
            // Letters with two accents; each NFD form is Python's unicodedata.normalize("NFD").
            (
                "Nguy\u{1ec5}n T\u{1ea5}n D\u{169}ng",
                "Nguye\u{302}\u{303}n Ta\u{302}\u{301}n Du\u{303}ng",
            ),
            (
                "Tr\u{1ea7}n H\u{1eef}u Th\u{1ebf}",
                "Tra\u{302}\u{300}n Hu\u{31b}\u{303}u The\u{302}\u{301}",
            ),
            ("L\u{1da} B\u{ec}ng", "Lu\u{308}\u{30c} Bi\u{300}ng"),
            (
                "\u{1e62}\u{1ecd}\u{300}l\u{e1} \u{1ecc}d\u{1eb9}\u{301}",
                "S\u{323}o\u{323}\u{300}la\u{301} O\u{323}de\u{323}\u{301}",
            ),
        ] {
            assert_eq!(
                fold_name(composed),
                fold_name(decomposed_form),
                "{composed}"
            );
            assert!(accent_encoded_otherwise(composed, decomposed_form));
        }
        // A name folds as before otherwise; another accent, or none, is another name.
        assert_eq!(fold_name("JOHN  SMITH"), "john smith");
        assert!(!accent_encoded_otherwise("JOHN  SMITH", "John Smith"));
        assert_ne!(fold_name("Jos\u{e9}"), fold_name("Jose"));
        assert_ne!(fold_name("Jos\u{e9}"), fold_name("Jos\u{e8}"));
        // Two accents in the other order are another letter: ế is a circumflex, then an acute.
        assert_ne!(fold_name("Th\u{1ebf}"), fold_name("The\u{301}\u{302}"));
        // But a mark below and a mark above are one letter in either order: ệ typed as ê and a dot
        // below (as the Windows Vietnamese keyboard types it), or as e, a circumflex and a dot.
        for typed in ["H\u{ea}\u{323}", "He\u{302}\u{323}", "He\u{323}\u{302}"] {
            assert_eq!(fold_name(typed), fold_name("H\u{1ec7}"), "{typed:?}");
            assert!(accent_encoded_otherwise(typed, "H\u{1ec7}"));
        }
        // A horn and a dot below (ợ), a cedilla and an acute (ḉ), a tilde over a dot below.
        assert_eq!(fold_name("o\u{323}\u{31b}"), fold_name("\u{1ee3}"));
        assert_eq!(fold_name("\u{e7}\u{301}"), fold_name("c\u{301}\u{327}"));
        assert_eq!(fold_name("\u{1e3d}\u{303}"), fold_name("l\u{303}\u{32d}"));
        assert_ne!(fold_name("e\u{302}x\u{323}"), fold_name("e\u{323}x\u{302}"));
        assert_eq!(written_out("Jos\u{e9} \"R\""), "Jos\\u00E9 \\\"R\\\"");
    }

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

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn names_that_print_alike_are_written_out() {
        // "é" as one character against "e" and a combining accent; a no-break space; a
        // zero-width space: each pair prints alike, so the suggestion spells both out.
        for (written, name, spelled) in [
            (
                "Jose\u{301}",
                "Jos\u{e9}",
                "\"Jose\\u0301\" and \"Jos\\u00E9\"",
            ),
            (
                "Ann\u{a0}Lee",
                "Ann Lee",
                "\"Ann\\u00A0Lee\" and \"Ann Lee\"",
            ),
            ("A\u{200b}B", "AB", "\"A\\u200BB\" and \"AB\""),
        ] {
            let text = suggestion(written, &[name, "Other"], "none");
            assert!(
                text.starts_with(&format!("did you mean \"{name}\"? The two look alike"))
                    && text.contains(spelled),
                "{text}"
            );
        }
        // A difference one can see is only suggested: a missing accent, a case, a letter.
        for (written, name) in [
            ("Jose", "Jos\u{e9}"),
            ("ann lee", "Ann Lee"),
            ("Ann Le", "Ann Lee"),
        ] {
            assert_eq!(
                suggestion(written, &[name], "none"),
                format!("did you mean \"{name}\"?")
            );
        }
    }

    #[test]
    fn a_last_name_alone_is_suggested_even_misspelt_when_one_candidate_has_it() {
        let known = ["Tommy Tuberville", "Jeff Sessions", "abstain"];
        for written in ["Sessions", "sessions", "Sesions", "Sessionz", "Tubervile"] {
            let want = if written.starts_with('T') {
                known[0]
            } else {
                known[1]
            };
            assert_eq!(
                suggestion(written, &known, "none"),
                format!("did you mean \"{want}\"?"),
                "{written}"
            );
        }
        // Nothing close, or close to two candidates' last names alike.
        assert_eq!(suggestion("Byrne", &known, "none"), "none");
        assert_eq!(suggestion("Lea", &["Ann Lee", "Bo Lei"], "none"), "none");
    }
}
