//! Right-to-left names in PNG charts: the font draws glyphs left to right as stored, so Hebrew and Arabic text is put in visual order (and Arabic letters in their joined forms) first.

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use std::borrow::Cow;

/// A backend that draws and measures every text in visual order. SVG needs none of this: the
/// viewer lays out the text itself.
pub struct VisualOrder<B>(pub B);

type Drawn<B> = Result<(), DrawingErrorKind<<B as DrawingBackend>::ErrorType>>;

impl<B: DrawingBackend> DrawingBackend for VisualOrder<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Drawn<B> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Drawn<B> {
        self.0.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn<B> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn<B> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn<B> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn<B> {
        self.0.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn<B> {
        self.0.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn<B> {
        self.0.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn<B> {
        self.0.draw_text(&visual_order(text), style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.0.estimate_text_size(&visual_order(text), style)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Drawn<B> {
        self.0.blit_bitmap(pos, size, src)
    }
}

/// Bidirectional character types (Unicode's, the few this needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Left-to-right letters.
    L,
    /// Hebrew and other right-to-left letters.
    R,
    /// Arabic letters.
    Al,
    /// European digits.
    En,
    /// Arabic-Indic digits.
    An,
    /// Number separators: `+ -` (ES) and `, . : /` (CS).
    Sep,
    /// Number terminators such as `%` and currency signs.
    Et,
    /// Marks that take the type of the letter they sit on.
    Nsm,
    /// Everything else: spaces and punctuation.
    On,
}

fn class(c: char) -> Class {
    match c as u32 {
        0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5 | 0x05C7 => Class::Nsm,
        0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x06E7..=0x06E8 => {
            Class::Nsm
        }
        0x0660..=0x0669 | 0x066B..=0x066C => Class::An,
        0x06F0..=0x06F9 => Class::En,
        0x0590..=0x05FF | 0x07C0..=0x085F | 0xFB1D..=0xFB4F => Class::R,
        0x0600..=0x07BF | 0x0860..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Class::Al,
        _ if c.is_ascii_digit() => Class::En,
        _ if matches!(c, '+' | '-' | ',' | '.' | ':' | '/' | '\u{a0}') => Class::Sep,
        _ if matches!(c, '%' | '‰' | '$' | '#' | '°' | '±' | '€' | '£' | '¥' | '¢') => {
            Class::Et
        }
        _ if c.is_alphabetic() => Class::L,
        _ if c.is_numeric() => Class::L,
        _ => Class::On,
    }
}

/// `text` as it must be drawn left to right: right-to-left runs reversed, numbers within them kept
/// left to right, Arabic letters joined. Unicode's bidirectional algorithm for a left-to-right
/// paragraph without explicit embeddings (rules W1–W6, N0, L2 and L4), except that a number
/// joins a right-to-left run only between two of its letters (see below). Text without
/// right-to-left letters is returned as it is.
pub fn visual_order(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| matches!(class(c), Class::R | Class::Al))
    {
        return Cow::Borrowed(text);
    }
    let chars = shape_arabic(text);
    let mut types: Vec<Class> = chars.iter().map(|&c| class(c)).collect();
    let n = types.len();
    // W1: a mark takes its base's type.
    for i in 0..n {
        if types[i] == Class::Nsm {
            types[i] = if i == 0 { Class::On } else { types[i - 1] };
        }
    }
    // W2, W3: digits after Arabic letters are Arabic numbers; Arabic letters are right-to-left.
    let mut last_strong = Class::L;
    for t in &mut types {
        match *t {
            Class::L | Class::R | Class::Al => last_strong = *t,
            Class::En if last_strong == Class::Al => *t = Class::An,
            _ => {}
        }
        if *t == Class::Al {
            *t = Class::R;
        }
    }
    // W4: one separator between two numbers of a kind joins them.
    for i in 1..n.saturating_sub(1) {
        if types[i] == Class::Sep
            && types[i - 1] == types[i + 1]
            && matches!(types[i - 1], Class::En | Class::An)
        {
            types[i] = types[i - 1];
        }
    }
    // W5: terminators next to European digits are digits.
    for i in 0..n {
        if types[i] == Class::Et {
            let mut j = i;
            while j < n && types[j] == Class::Et {
                j += 1;
            }
            let touches = (i > 0 && types[i - 1] == Class::En) || (j < n && types[j] == Class::En);
            for t in &mut types[i..j] {
                *t = if touches { Class::En } else { Class::On };
            }
        }
    }
    // W6: leftover separators are neutral.
    for t in &mut types {
        if *t == Class::Sep {
            *t = Class::On;
        }
    }
    let letter = |t: Class| matches!(t, Class::L | Class::R).then_some(t);
    // N0: a pair of brackets around right-to-left letters, after right-to-left text, is right to
    // left (a pair around left-to-right letters is left to right).
    let mut open: Vec<usize> = Vec::new();
    for i in 0..n {
        match chars[i] {
            '(' | '[' | '{' => open.push(i),
            ')' | ']' | '}' => {
                let Some(k) = open.iter().rposition(|&j| mirrored(chars[j]) == chars[i]) else {
                    continue;
                };
                let start = open[k];
                open.truncate(k);
                let inside = |want| types[start + 1..i].contains(&want);
                let before = types[..start].iter().rev().find_map(|&t| letter(t));
                let side = if inside(Class::L) {
                    Some(Class::L)
                } else if inside(Class::R) {
                    Some(before.unwrap_or(Class::L))
                } else {
                    None
                };
                if let Some(side) = side {
                    (types[start], types[i]) = (side, side);
                }
            }
            _ => {}
        }
    }
    // N1, N2, I1, set apart: what lies between two right-to-left letters (spaces, punctuation,
    // numbers) is part of their run, numbers still read left to right (level 2); anything else
    // between letters, and at either end, is left to right. Unlike Unicode's N1, a number is not
    // pulled into the run of a name it merely follows: our labels put numbers after names ("Name
    // 31.0%"), which read as if each name were isolated.
    let mut levels = vec![0u8; n];
    let mut i = 0;
    while i < n {
        if let Some(t) = letter(types[i]) {
            levels[i] = u8::from(t == Class::R);
            i += 1;
            continue;
        }
        let start = i;
        while i < n && letter(types[i]).is_none() {
            i += 1;
        }
        let before = start.checked_sub(1).and_then(|k| letter(types[k]));
        let after = types.get(i).and_then(|&t| letter(t));
        // The charts' own separators between two names ("A → B", "A · B") keep the names apart.
        let separated = chars[start..i].iter().any(|c| matches!(c, '→' | '←' | '·'));
        if before == Some(Class::R) && after == Some(Class::R) && !separated {
            for k in start..i {
                levels[k] = if matches!(types[k], Class::En | Class::An) {
                    2
                } else {
                    1
                };
            }
        }
    }
    // L2: reverse every run at level 2 or above, then every run at level 1 or above.
    let mut order: Vec<usize> = (0..n).collect();
    for level in [2, 1] {
        let mut i = 0;
        while i < n {
            if levels[order[i]] < level {
                i += 1;
                continue;
            }
            let start = i;
            while i < n && levels[order[i]] >= level {
                i += 1;
            }
            order[start..i].reverse();
        }
    }
    // L4: brackets in right-to-left runs face the other way.
    let out = order.iter().map(|&k| {
        if levels[k] % 2 == 1 {
            mirrored(chars[k])
        } else {
            chars[k]
        }
    });
    Cow::Owned(out.collect())
}

fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        _ => c,
    }
}

/// Arabic letters in the forms their neighbours call for (isolated, final, initial, medial, from
/// Unicode's presentation forms, which the bundled font has), with lam–alef as its ligature.
fn shape_arabic(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().collect();
    let transparent = |c: char| class(c) == Class::Nsm;
    // The nearest letter before and after position i, skipping marks.
    let neighbour = |i: usize, step: isize| -> Option<char> {
        let mut j = i as isize + step;
        while j >= 0 && (j as usize) < chars.len() {
            let c = chars[j as usize];
            if !transparent(c) {
                return Some(c);
            }
            j += step;
        }
        None
    };
    let joins_forward =
        |c: Option<char>| c.is_some_and(|c| c == '\u{640}' || forms(c).is_some_and(|f| f.dual));
    let joins_backward = |c: Option<char>| c.is_some_and(|c| c == '\u{640}' || forms(c).is_some());
    let mut out = Vec::with_capacity(chars.len());
    let mut skip = None;
    for (i, &c) in chars.iter().enumerate() {
        if skip == Some(i) {
            continue;
        }
        let Some(f) = forms(c) else {
            out.push(c);
            continue;
        };
        let from_before = joins_forward(neighbour(i, -1));
        // Lam followed by an alef: one ligature glyph.
        if c == '\u{644}' {
            let next = (i + 1..chars.len()).find(|&j| !transparent(chars[j]));
            if let Some((j, lig)) = next.and_then(|j| lam_alef(chars[j]).map(|l| (j, l))) {
                out.push(char::from_u32(lig + u32::from(from_before)).unwrap_or(c));
                skip = Some(j);
                continue;
            }
        }
        let to_after = f.dual && joins_backward(neighbour(i, 1));
        let offset = match (from_before, to_after) {
            (false, false) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (true, true) => 3,
        };
        out.push(char::from_u32(f.isolated + offset).unwrap_or(c));
    }
    out
}

/// An Arabic letter's presentation forms: `isolated`, then final, initial and medial (the last
/// two only for letters that join on both sides).
struct Forms {
    isolated: u32,
    dual: bool,
}

fn forms(c: char) -> Option<Forms> {
    // Letters U+0621..U+064A in order: the first of their forms in U+FE80.., and whether they join
    // on both sides; 0 for the letters that never join (hamza, drawn as it is) and the gap.
    const TABLE: [(u32, bool); 42] = [
        (0, false),
        (0xFE81, false),
        (0xFE83, false),
        (0xFE85, false),
        (0xFE87, false),
        (0xFE89, true),
        (0xFE8D, false),
        (0xFE8F, true),
        (0xFE93, false),
        (0xFE95, true),
        (0xFE99, true),
        (0xFE9D, true),
        (0xFEA1, true),
        (0xFEA5, true),
        (0xFEA9, false),
        (0xFEAB, false),
        (0xFEAD, false),
        (0xFEAF, false),
        (0xFEB1, true),
        (0xFEB5, true),
        (0xFEB9, true),
        (0xFEBD, true),
        (0xFEC1, true),
        (0xFEC5, true),
        (0xFEC9, true),
        (0xFECD, true),
        (0, false),
        (0, false),
        (0, false),
        (0, false),
        (0, false),
        (0, false),
        (0xFED1, true),
        (0xFED5, true),
        (0xFED9, true),
        (0xFEDD, true),
        (0xFEE1, true),
        (0xFEE5, true),
        (0xFEE9, true),
        (0xFEED, false),
        (0xFEEF, false),
        (0xFEF1, true),
    ];
    let k = (c as u32).checked_sub(0x621)? as usize;
    match *TABLE.get(k)? {
        (0, _) => None,
        (isolated, dual) => Some(Forms { isolated, dual }),
    }
}

/// The isolated form of lam followed by this alef, if it is one (the final form follows it).
fn lam_alef(c: char) -> Option<u32> {
    match c {
        '\u{622}' => Some(0xFEF5),
        '\u{623}' => Some(0xFEF7),
        '\u{625}' => Some(0xFEF9),
        '\u{627}' => Some(0xFEFB),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_right_to_left_letters_is_untouched() {
        for t in [
            "Tommy Tuberville 73.6%",
            "Zoé Ørsted (R) – 1,234",
            "李明 vs 王芳",
            "",
        ] {
            assert!(matches!(visual_order(t), Cow::Borrowed(s) if s == t));
        }
    }

    #[test]
    fn hebrew_runs_are_reversed_inside_left_to_right_text() {
        assert_eq!(visual_order("שלום"), "םולש");
        // Two Hebrew words and the space between them are one run; the English stays in place.
        assert_eq!(
            visual_order("בנימין נתניהו's share"),
            "והינתנ ןימינב's share"
        );
        // A number after a name stays after it, as in the charts' "Name 69.0%" labels; a number
        // between two words of a name is in its run, still read left to right.
        assert_eq!(visual_order("נתניהו 69.0%"), "והינתנ 69.0%");
        assert_eq!(visual_order("רשימה 12,5 לאומית"), "תימואל 12,5 המישר");
        assert_eq!(visual_order("A: אב (גד)"), "A: (דג) בא");
        assert_eq!(visual_order("אב (R)"), "בא (R)");
        // Two names on either side of an arrow are two runs, in the arrow's order.
        assert_eq!(visual_order("אב → גד"), "בא → דג");
    }

    #[test]
    fn arabic_letters_are_joined_then_reversed() {
        // سلمان: seen, lam, meem, alef, noon. Seen initial, lam medial, meem medial, alef final
        // (alef joins only backwards), noon isolated.
        let shaped: String = shape_arabic("سلمان").into_iter().collect();
        assert_eq!(shaped, "\u{FEB3}\u{FEE0}\u{FEE4}\u{FE8E}\u{FEE5}");
        assert_eq!(
            visual_order("سلمان"),
            "\u{FEE5}\u{FE8E}\u{FEE4}\u{FEE0}\u{FEB3}"
        );
        // Lam–alef is one glyph (here joined to the seen before it); the meem after an alef
        // stands alone.
        let shaped: String = shape_arabic("سلام").into_iter().collect();
        assert_eq!(shaped, "\u{FEB3}\u{FEFC}\u{FEE1}");
        // Arabic-Indic digits keep their order.
        assert_eq!(visual_order("ب ١٢٣ ت"), "\u{FE95} ١٢٣ \u{FE8F}");
    }
}
