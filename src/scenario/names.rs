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

/// The accented Latin letters, by their last accent (a combining mark): each letter written as one
/// character and, at the same place, the letter that accent stands on, itself accented for a letter
/// with two (ế is ê and an acute; ê is e and a circumflex). That pair is the letter's canonical
/// decomposition in Unicode; the table is Python's `unicodedata.decomposition` over Latin-1,
/// Latin Extended-A and -B and Latin Extended Additional (U+00C0–U+024F, U+1E00–U+1EFF), a mark
/// on more than one row when its letters are many.
const ACCENTED: [(char, &str, &str); 34] = [
    (
        '\u{300}',
        "ÀÈÌÒÙàèìòùǛǜǸǹḔḕṐṑẀẁẦầẰằ",
        "AEIOUaeiouÜüNnĒēŌōWwÂâĂă",
    ),
    ('\u{300}', "ỀềỒồỜờỪừỲỳ", "ÊêÔôƠơƯưYy"),
    (
        '\u{301}',
        "ÁÉÍÓÚÝáéíóúýĆćĹĺŃńŔŕŚśŹź",
        "AEIOUYaeiouyCcLlNnRrSsZz",
    ),
    (
        '\u{301}',
        "ǗǘǴǵǺǻǼǽǾǿḈḉḖḗḮḯḰḱḾḿṌṍṒṓ",
        "ÜüGgÅåÆæØøÇçĒēÏïKkMmÕõŌō",
    ),
    ('\u{301}', "ṔṕṸṹẂẃẤấẮắẾếỐốỚớỨứ", "PpŨũWwÂâĂăÊêÔôƠơƯư"),
    (
        '\u{302}',
        "ÂÊÎÔÛâêîôûĈĉĜĝĤĥĴĵŜŝŴŵŶŷ",
        "AEIOUaeiouCcGgHhJjSsWwYy",
    ),
    ('\u{302}', "ẐẑẬậỆệỘộ", "ZzẠạẸẹỌọ"),
    (
        '\u{303}',
        "ÃÑÕãñõĨĩŨũṼṽẪẫẴẵẼẽỄễỖỗỠỡ",
        "ANOanoIiUuVvÂâĂăEeÊêÔôƠơ",
    ),
    ('\u{303}', "ỮữỸỹ", "ƯưYy"),
    (
        '\u{304}',
        "ĀāĒēĪīŌōŪūǕǖǞǟǠǡǢǣǬǭȪȫȬȭ",
        "AaEeIiOoUuÜüÄäȦȧÆæǪǫÖöÕõ",
    ),
    ('\u{304}', "ȰȱȲȳḠḡḸḹṜṝ", "ȮȯYyGgḶḷṚṛ"),
    ('\u{306}', "ĂăĔĕĞğĬĭŎŏŬŭḜḝẶặ", "AaEeGgIiOoUuȨȩẠạ"),
    (
        '\u{307}',
        "ĊċĖėĠġİŻżȦȧȮȯḂḃḊḋḞḟḢḣṀṁṄ",
        "CcEeGgIZzAaOoBbDdFfHhMmN",
    ),
    (
        '\u{307}',
        "ṅṖṗṘṙṠṡṤṥṦṧṨṩṪṫẆẇẊẋẎẏẛ",
        "nPpRrSsŚśŠšṢṣTtWwXxYyſ",
    ),
    (
        '\u{308}',
        "ÄËÏÖÜäëïöüÿŸḦḧṎṏṺṻẄẅẌẍẗ",
        "AEIOUaeiouyYHhÕõŪūWwXxt",
    ),
    (
        '\u{309}',
        "ẢảẨẩẲẳẺẻỂểỈỉỎỏỔổỞởỦủỬửỶỷ",
        "AaÂâĂăEeÊêIiOoÔôƠơUuƯưYy",
    ),
    ('\u{30A}', "ÅåŮůẘẙ", "AaUuwy"),
    ('\u{30B}', "ŐőŰű", "OoUu"),
    (
        '\u{30C}',
        "ČčĎďĚěĽľŇňŘřŠšŤťŽžǍǎǏǐǑǒ",
        "CcDdEeLlNnRrSsTtZzAaIiOo",
    ),
    ('\u{30C}', "ǓǔǙǚǦǧǨǩǮǯǰȞȟ", "UuÜüGgKkƷʒjHh"),
    ('\u{30F}', "ȀȁȄȅȈȉȌȍȐȑȔȕ", "AaEeIiOoRrUu"),
    ('\u{311}', "ȂȃȆȇȊȋȎȏȒȓȖȗ", "AaEeIiOoRrUu"),
    ('\u{31B}', "ƠơƯư", "OoUu"),
    (
        '\u{323}',
        "ḄḅḌḍḤḥḲḳḶḷṂṃṆṇṚṛṢṣṬṭṾṿẈẉ",
        "BbDdHhKkLlMmNnRrSsTtVvWw",
    ),
    ('\u{323}', "ẒẓẠạẸẹỊịỌọỢợỤụỰựỴỵ", "ZzAaEeIiOoƠơUuƯưYy"),
    ('\u{324}', "Ṳṳ", "Uu"),
    ('\u{325}', "Ḁḁ", "Aa"),
    ('\u{326}', "ȘșȚț", "SsTt"),
    (
        '\u{327}',
        "ÇçĢģĶķĻļŅņŖŗŞşŢţȨȩḐḑḨḩ",
        "CcGgKkLlNnRrSsTtEeDdHh",
    ),
    ('\u{328}', "ĄąĘęĮįŲųǪǫ", "AaEeIiUuOo"),
    ('\u{32D}', "ḒḓḘḙḼḽṊṋṰṱṶṷ", "DdEeLlNnTtUu"),
    ('\u{32E}', "Ḫḫ", "Hh"),
    ('\u{330}', "ḚḛḬḭṴṵ", "EeIiUu"),
    ('\u{331}', "ḆḇḎḏḴḵḺḻṈṉṞṟṮṯẔẕẖ", "BbDdKkLlNnRrTtZzh"),
];

/// `name` with each letter of [`ACCENTED`] written as its letter and accents, as Unicode's NFD
/// writes it, so that a name typed with "é" and the same name pasted from a source that writes
/// "e" and U+0301 compare equal, and "ễ" likewise with "e", U+0302 and U+0303.
fn decomposed(name: &str) -> String {
    if name.is_ascii() {
        return name.to_string();
    }
    let mut chars = Vec::with_capacity(name.len() + 8);
    for c in name.chars() {
        push_decomposed(&mut chars, c);
    }
    put_in_canonical_order(&mut chars);
    chars.into_iter().collect()
}

/// Each run of accents in Unicode's canonical order: by combining class, marks of one class in the
/// order written. Marks of different classes sit on different sides of a letter, so either order is
/// one letter: Vietnamese "ệ" is "e", a dot below and a circumflex, and the Windows Vietnamese
/// keyboard types it as "ê" and then a dot below.
fn put_in_canonical_order(chars: &mut [char]) {
    for run in chars.split_mut(|c| combining_class(*c) == 0) {
        // A stable sort: marks of one class (a circumflex and an acute) keep their order, which
        // tells two letters apart (ế, an acute over a circumflex, against the two stacked the
        // other way).
        run.sort_by_key(|c| combining_class(*c));
    }
}

/// Unicode's canonical combining class of the Combining Diacritical Marks (U+0300–U+036F), the
/// block of every accent in [`ACCENTED`] (from Python's `unicodedata.combining`); 0 for every
/// other character, which no mark is moved past.
fn combining_class(c: char) -> u8 {
    match c {
        '\u{334}'..='\u{338}' => 1,
        '\u{321}'..='\u{322}' | '\u{327}'..='\u{328}' => 202,
        '\u{31b}' => 216,
        '\u{316}'..='\u{319}'
        | '\u{31c}'..='\u{320}'
        | '\u{323}'..='\u{326}'
        | '\u{329}'..='\u{333}'
        | '\u{339}'..='\u{33c}'
        | '\u{347}'..='\u{349}'
        | '\u{34d}'..='\u{34e}'
        | '\u{353}'..='\u{356}'
        | '\u{359}'..='\u{35a}' => 220,
        '\u{315}' | '\u{31a}' | '\u{358}' => 232,
        '\u{35c}' | '\u{35f}' | '\u{362}' => 233,
        '\u{35d}'..='\u{35e}' | '\u{360}'..='\u{361}' => 234,
        '\u{345}' => 240,
        '\u{34f}' => 0,
        '\u{300}'..='\u{36f}' => 230,
        _ => 0,
    }
}

/// `c` onto `out` as its letter and accents.
fn push_decomposed(out: &mut Vec<char>, c: char) {
    // Only the table's blocks are searched, so other scripts cost nothing.
    let latin = matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}');
    let parts = ACCENTED
        .iter()
        .filter(|_| latin)
        .find_map(|(mark, letters, bases)| {
            let i = letters.chars().position(|l| l == c)?;
            Some((bases.chars().nth(i)?, *mark))
        });
    match parts {
        Some((base, mark)) => {
            push_decomposed(out, base);
            out.push(mark);
        }
        None => out.push(c),
    }
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
    fn a_name_folds_alike_whichever_way_its_accents_are_encoded() {
        // Each letter of the table is its letter and accent: the pairs line up, and every letter
        // comes apart into a letter without accents (ASCII, or one of the few that NFD keeps
        // whole: Æ, Ø, long s, ezh) and combining marks, each letter once.
        let mut seen = std::collections::HashSet::new();
        for (mark, letters, bases) in ACCENTED {
            assert_eq!(letters.chars().count(), bases.chars().count(), "{mark:?}");
            for (letter, base) in letters.chars().zip(bases.chars()) {
                assert!(seen.insert(letter), "{letter} twice");
                let parts = decomposed(&letter.to_string());
                assert_eq!(parts, format!("{}{mark}", decomposed(&base.to_string())));
                let mut parts = parts.chars();
                let root = parts.next().unwrap();
                assert!(
                    root.is_ascii_alphabetic() || "ÆØæøſƷʒ".contains(root),
                    "{letter}"
                );
                assert!(
                    parts.all(|m| ('\u{300}'..='\u{36f}').contains(&m)),
                    "{letter}"
                );
            }
        }
        assert_eq!(seen.len(), 497);
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
