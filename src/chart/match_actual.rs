//! match-actual.png (`tornado --match-actual`): the value each share alone would have needed for the actual result to be the median draw, of its share and of its turnout.

use super::break_even::{searched_bars, searched_share_plot};
use super::*;
use crate::format::pct;
use crate::sweep::break_even::SearchedBreakEven;
use crate::sweep::tornado::TornadoResult;

/// The match-actual chart: the tornado's shares that were searched, in the tornado's order, and
/// the actual result (each finalist's runoff votes).
pub struct MatchActualChart<'a> {
    pub tornado: &'a TornadoResult,
    pub actual: [f64; 2],
}

/// The mark of the value that matches the actual share (the actual result's colour), and of the
/// value that matches the actual turnout (the colour of staying home, which turnout is about).
const SHARE_MARK: RGBColor = ACTUAL;
const TURNOUT_MARK: RGBColor = RGBColor(110, 110, 110);

impl Chart for MatchActualChart<'_> {
    const NAME: &'static str = "match-actual";

    fn size(&self) -> (u32, u32) {
        let (bars, _) = searched_bars(self.tornado, |b| b.match_actual.as_ref());
        (WIDTH, TornadoChart::height(bars.len()) + 50)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let t = self.tornado;
        let (bars, searched) = searched_bars(t, |b| b.match_actual.as_ref());
        let [va, vb] = self.actual;
        let a = t.label(0);
        let share_text = format!("{a}'s actual {}", pct(va / (va + vb)));
        let turnout_text = format!(
            "the actual turnout ({})",
            crate::format::votes_as_written(va + vb)
        );
        let subtitle = format!(
            "Each share alone, its row's other shares making room in proportion: from its value (dot) to where {share_text}, or {turnout_text}, is the median draw"
        );
        let area = header(root, &t.scenario, &subtitle)?;
        let (area, key_area) = area.split_vertically(area.dim_in_pixel().1 - 50);
        let n = bars.len().max(1);
        let label = label_style();
        let (mut chart, labels) = searched_share_plot(root, &area, &bars, searched)?;
        let small = (FONT, LABEL_PX - 2).into_font();
        let (left, _) = chart.backend_coord(&(0.0, 0.0));
        let (right, _) = chart.backend_coord(&(chart.x_range().end, 0.0));
        for (i, (b, m)) in bars.iter().enumerate() {
            let y = n as f64 - i as f64 - 0.5;
            let (now_px, py) = chart.backend_coord(&(b.base_value, y));
            // The share's value above the row's middle, the turnout's below, so that two values
            // close together keep both their lines and their labels apart.
            let marks = [
                (&m.share, SHARE_MARK, 0.17, "share"),
                (&m.turnout, TURNOUT_MARK, -0.17, "turnout"),
            ];
            let mut never = Vec::new();
            for (found, colour, dy, what) in marks {
                let Some(v) = found.value else {
                    never.push(what);
                    continue;
                };
                let row = y + dy;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(b.base_value, row), (v, row)],
                        colour.stroke_width(5),
                    )))
                    .drawn()?;
                let (vx, vy) = chart.backend_coord(&(v, row));
                root.draw(&Rectangle::new(
                    [(vx - 6, vy - 6), (vx + 6, vy + 6)],
                    colour.filled(),
                ))
                .drawn()?;
                let text = value_label(found, v);
                let style = small.clone().color(&colour);
                let tw = text_width(root, &text, &style)? as i32;
                // Beyond the end the share moves to; where that is outside the plot, over the
                // mark (the share's) or under it (the turnout's), away from the other line.
                let beyond = if v >= b.base_value {
                    (vx + 12 + tw <= right + 30).then_some(vx + 12)
                } else {
                    (vx - 12 - tw >= left + 4).then_some(vx - 12 - tw)
                };
                let (tx, ty) = match beyond {
                    Some(tx) => (tx, vy - (LABEL_PX as i32 - 2) / 2),
                    None if dy > 0.0 => ((vx - tw / 2).max(left + 4), vy - 8 - LABEL_PX as i32),
                    None => ((vx - tw / 2).max(left + 4), vy + 8),
                };
                root.draw_text(&text, &style, (tx, ty)).drawn()?;
            }
            chart
                .draw_series(std::iter::once(Circle::new(
                    (b.base_value, y),
                    6,
                    INK.filled(),
                )))
                .drawn()?;
            if !never.is_empty() {
                let text = if never.len() == 2 {
                    "never, for the share or the turnout".to_string()
                } else {
                    format!("{}: never", never[0])
                };
                let style = small.clone().color(&MUTED);
                let tw = text_width(root, &text, &style)? as i32;
                let tx = if now_px + 14 + tw <= right + 30 {
                    now_px + 14
                } else {
                    now_px - 14 - tw
                };
                let ty = py - (LABEL_PX as i32 - 2) / 2;
                // Below the row's middle when the share's mark is above it, and the reverse.
                let ty = match never[..] {
                    ["turnout"] => ty + 10,
                    ["share"] => ty - 10,
                    _ => ty,
                };
                root.draw_text(&text, &style, (tx, ty)).drawn()?;
            }
            row_label(root, &labels[i], &label, left, py)?;
        }
        draw_key(root, &key_area, &share_text, &turnout_text)
    }
}

/// "53.9% ± 0.1": the value and its 95% margin, in points of the share.
fn value_label(found: &SearchedBreakEven, v: f64) -> String {
    match found.se {
        Some(se) => {
            // Points of the share; two decimals where one would read ± 0.0.
            let margin = 100.0 * crate::stats::Z95 * se;
            let decimals = if margin < 0.05 { 2 } else { 1 };
            format!("{} ± {margin:.decimals$}", pct(v))
        }
        None => pct(v),
    }
}

/// The key under the plot: what the dot and each mark mean.
fn draw_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    share_text: &str,
    turnout_text: &str,
) -> anyhow::Result<()> {
    let style = label_style();
    let (x0, y0) = area.get_base_pixel();
    let (width, _) = area.dim_in_pixel();
    let long = [
        format!("the value that makes {share_text} the median"),
        format!("the value that makes {turnout_text} the median"),
    ];
    let short = ["matches the actual share", "matches the actual turnout"].map(String::from);
    let entries = |texts: [String; 2]| {
        [
            (INK, "assumed now".to_string()),
            (SHARE_MARK, texts[0].clone()),
            (TURNOUT_MARK, texts[1].clone()),
        ]
    };
    let mut total = 0;
    for (_, text) in entries(long.clone()) {
        total += 40 + text_width(root, &text, &style)?;
    }
    let entries = entries(if total + 30 <= width { long } else { short });
    let y = y0 + 24;
    let mut x = x0 + 30;
    for (i, (colour, text)) in entries.iter().enumerate() {
        if i == 0 {
            root.draw(&Circle::new((x, y), 6, colour.filled()))
                .drawn()?;
        } else {
            root.draw(&Rectangle::new(
                [(x - 6, y - 6), (x + 6, y + 6)],
                colour.filled(),
            ))
            .drawn()?;
        }
        root.draw_text(text, &style, (x + 12, y - LABEL_PX as i32 / 2))
            .drawn()?;
        x += 40 + text_width(root, text, &style)? as i32;
    }
    Ok(())
}
