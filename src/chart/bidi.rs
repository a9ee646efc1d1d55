//! Right-to-left names in PNG charts: the font draws glyphs left to right as stored, so Hebrew and
//! Arabic text is put in visual order (and Arabic letters in their joined forms) first, by the
//! `unicode-bidi` and `ar-reshaper` crates; this module holds only the charts' two choices on top
//! of them (see [`visual_order`]).

use ar_reshaper::ArabicReshaper;
use ar_reshaper::config::ReshaperConfig;
use ar_reshaper::prelude::LigatureNames;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use std::borrow::Cow;
use unicode_bidi::{BidiClass, BidiInfo, Level, bidi_class};

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

/// Whether `c` is a right-to-left letter (Hebrew, Arabic and the other right-to-left scripts).
fn right_to_left(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// Whether `c` is a strong letter of either direction.
fn strong(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::L | BidiClass::R | BidiClass::AL)
}

/// The start of a number (European or Arabic-Indic digits).
fn digit(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::EN | BidiClass::AN)
}

/// Left-to-right mark: a strong left-to-right character that draws nothing.
const LRM: char = '\u{200e}';

/// `text` as it must be drawn left to right: Arabic letters joined (the `ar-reshaper` crate), then
/// Unicode's bidirectional algorithm for a left-to-right paragraph (the `unicode-bidi` crate), with
/// two choices of the charts' own, since their labels put names beside numbers and arrows:
/// - a number after a right-to-left name and before no other right-to-left letter stays after the
///   name ("Name 69.0%" reads as if the name were isolated), where the algorithm would pull it into
///   the name's run and draw it first;
/// - the charts' separators between two names ("A → B", "A · B") keep the names apart, each in its
///   own run, where the algorithm would reverse the whole "A → B" when both names are right to left.
///
/// Text without right-to-left letters is returned as it is.
pub fn visual_order(text: &str) -> Cow<'_, str> {
    if !text.chars().any(right_to_left) {
        return Cow::Borrowed(text);
    }
    let shaped = shape_arabic(text);
    let mut out = String::with_capacity(shaped.len());
    let mut piece = String::new();
    for c in shaped.chars() {
        if matches!(c, '→' | '←' | '·') {
            out.push_str(&piece_in_visual_order(&piece));
            out.push(c);
            piece.clear();
        } else {
            piece.push(c);
        }
    }
    out.push_str(&piece_in_visual_order(&piece));
    Cow::Owned(out)
}

/// One piece of a label (between the charts' separators) in visual order.
fn piece_in_visual_order(piece: &str) -> String {
    if !piece.chars().any(right_to_left) {
        return piece.to_string();
    }
    // A left-to-right mark before each number that follows a right-to-left letter and precedes none
    // keeps that number out of the letter's run.
    let chars: Vec<char> = piece.chars().collect();
    let mut marked = String::with_capacity(piece.len() + 6);
    for (i, &c) in chars.iter().enumerate() {
        let starts_number = digit(c) && (i == 0 || !digit(chars[i - 1]));
        if starts_number {
            let before = chars[..i].iter().rev().find(|c| strong(**c));
            let after = chars[i..].iter().find(|c| strong(**c));
            if before.is_some_and(|c| right_to_left(*c))
                && !after.is_some_and(|c| right_to_left(*c))
            {
                marked.push(LRM);
            }
        }
        marked.push(c);
    }
    let info = BidiInfo::new(&marked, Some(Level::ltr()));
    let mut out = String::with_capacity(marked.len());
    for paragraph in &info.paragraphs {
        let (levels, runs) = info.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let text = &marked[run.clone()];
            if levels[run.start].is_rtl() {
                // Brackets in a right-to-left run face the other way (rule L4).
                out.extend(text.chars().rev().map(mirrored));
            } else {
                out.push_str(text);
            }
        }
    }
    out.retain(|c| c != LRM);
    out
}

/// The mirrored glyph of a paired punctuation mark (Unicode's Bidi_Mirroring_Glyph, for the marks a
/// name or label may hold).
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

/// Arabic (and Persian, Urdu) letters in the forms their neighbours call for (isolated, final,
/// initial, medial, from Unicode's presentation forms, which the bundled font has), with lam–alef as
/// its ligature; marks kept as written.
fn shape_arabic(text: &str) -> String {
    static RESHAPER: std::sync::OnceLock<ArabicReshaper> = std::sync::OnceLock::new();
    RESHAPER
        .get_or_init(|| {
            let mut config = ReshaperConfig {
                delete_harakat: false,
                ..Default::default()
            };
            // The bundled font has no glyph for the one-character Allah ligature.
            config.update_ligature(LigatureNames::ARABIC_LIGATURE_ALLAH, false);
            ArabicReshaper::new(config)
        })
        .reshape(text)
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
        let shaped = shape_arabic("سلمان");
        assert_eq!(shaped, "\u{FEB3}\u{FEE0}\u{FEE4}\u{FE8E}\u{FEE5}");
        assert_eq!(
            visual_order("سلمان"),
            "\u{FEE5}\u{FE8E}\u{FEE4}\u{FEE0}\u{FEB3}"
        );
        // Lam–alef is one glyph (here joined to the seen before it); the meem after an alef
        // stands alone.
        let shaped = shape_arabic("سلام");
        assert_eq!(shaped, "\u{FEB3}\u{FEFC}\u{FEE1}");
        // Persian letters join too (the hand-written table before the crate knew only U+0621–U+064A
        // and left پ unjoined): peh initial, dal final, reh alone.
        assert_eq!(shape_arabic("پدر"), "\u{FB58}\u{FEAA}\u{FEAD}");
        // Arabic-Indic digits keep their order.
        assert_eq!(visual_order("ب ١٢٣ ت"), "\u{FE95} ١٢٣ \u{FE8F}");
    }
}
