//! Text in a terminal: the columns a name takes (CJK two, accents none), names cut with an
//! ellipsis, row labels in their name and word parts, and aligned columns of cells.

/// Columns `text` takes in a terminal: two for each CJK character, none for combining marks.
pub fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// Most terminal columns a name takes as a row's label in a table; a longer one is cut with an
/// ellipsis (the files keep it whole).
pub const NAME_COLS: usize = 40;

/// `text` cut to at most `max` terminal columns, its end replaced by an ellipsis when it is cut.
pub fn clip(text: &str, max: usize) -> String {
    if display_width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

/// A row label ("Name → finalist", "Name: certainty", or a bare name) in pieces, each marked
/// `true` where it is a name that may be cut and `false` where it is the label's own words.
pub fn label_parts(label: &str) -> Vec<(&str, bool)> {
    if let Some(i) = label.rfind(" → ") {
        let to = i + " → ".len();
        vec![
            (&label[..i], true),
            (&label[i..to], false),
            (&label[to..], true),
        ]
    } else if let Some(i) = label.rfind(": ") {
        vec![(&label[..i], true), (&label[i..], false)]
    } else {
        vec![(label, true)]
    }
}

/// A row label cut in its names to `NAME_COLS` each (`label_parts`).
pub fn clip_label(label: &str) -> String {
    label_parts(label)
        .into_iter()
        .map(|(piece, name)| {
            if name {
                clip(piece, NAME_COLS)
            } else {
                piece.to_string()
            }
        })
        .collect()
}

/// Text that pads to a `{:<w$}` or `{:>w$}` width by the columns it takes in a terminal, not by
/// its characters, so tables of CJK names stay aligned.
pub struct Wide<'a>(pub &'a str);

impl std::fmt::Display for Wide<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pad = f.width().unwrap_or(0).saturating_sub(display_width(self.0));
        let (before, after) = match f.align() {
            Some(std::fmt::Alignment::Right) => (pad, 0),
            Some(std::fmt::Alignment::Center) => (pad / 2, pad - pad / 2),
            _ => (0, pad),
        };
        write!(f, "{}{}{}", " ".repeat(before), self.0, " ".repeat(after))
    }
}

/// Rows of cells as terminal columns: two spaces before each row and between columns, every
/// column as wide as its widest cell, the first left-aligned when `label_first`, the rest right.
pub fn columns(rows: &[Vec<String>], label_first: bool) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| display_width(cell))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(" ");
        for (c, (cell, &w)) in row.iter().zip(&widths).enumerate() {
            line.push(' ');
            if c == 0 && label_first {
                line.push_str(&format!("{:<w$}", Wide(cell)));
            } else {
                line.push_str(&format!("{:>w$}", Wide(cell)));
            }
            line.push(' ');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipped_names_fit_their_columns() {
        assert_eq!(clip("Tommy Tuberville", 40), "Tommy Tuberville");
        assert_eq!(clip("Tommy Tuberville", 8), "Tommy T…");
        // CJK characters take two columns each.
        assert_eq!(clip("東京都知事選挙", 5), "東京…");
        assert_eq!(display_width(&clip("東京都知事選挙", 6)), 5);
    }
}
