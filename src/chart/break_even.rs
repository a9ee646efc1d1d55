//! break-even.png (`tornado --break-even`): how far each share alone would have to move for the race to be 50/50.

use super::*;
use crate::format::{pct, win_pct};
use crate::sweep::tornado::{TornadoBar, TornadoResult};

/// The break-even chart: the tornado's shares that were searched, in the tornado's order.
pub struct BreakEvenChart<'a>(pub &'a TornadoResult);

impl Chart for BreakEvenChart<'_> {
    const NAME: &'static str = "break-even";

    fn size(&self) -> (u32, u32) {
        let (bars, _) = searched_bars(self.0, |b| b.break_even.as_ref());
        (WIDTH, TornadoChart::height(bars.len()))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let t = self.0;
        let (bars, searched) = searched_bars(t, |b| b.break_even.as_ref());
        let a = t.label(0);
        // Reaching 50% helps the finalist behind: the bars take that finalist's colour.
        let colour = if t.base >= 0.5 { SECOND } else { FIRST };
        let subtitle = format!(
            "Each share alone, its row's other shares making room in proportion: from its value (dot) to where {a}'s chance of winning, now {}, is 50%",
            win_pct(t.base)
        );
        let area = header(root, &t.scenario, &subtitle)?;
        let n = bars.len().max(1);
        let label = label_style();
        let (mut chart, labels) = searched_share_plot(root, &area, &bars, searched)?;
        let small = (FONT, LABEL_PX - 2).into_font().color(&MUTED);
        let (left, _) = chart.backend_coord(&(0.0, 0.0));
        let (right, _) = chart.backend_coord(&(chart.x_range().end, 0.0));
        for (i, (b, found)) in bars.iter().enumerate() {
            let y = n as f64 - i as f64 - 0.5;
            let (now_px, py) = chart.backend_coord(&(b.base_value, y));
            let text_y = py - (LABEL_PX as i32 - 2) / 2;
            let (end, text, style, arrow) = match found.value {
                Some(v) => (
                    v,
                    format!("{} → {}", pct(b.base_value), pct(v)),
                    small.color(&INK),
                    colour.stroke_width(8),
                ),
                None => {
                    let [x, p] = found.nearest.unwrap_or([b.base_value, t.base]);
                    let text = if x == b.base_value {
                        format!("never: no value of the share brings {a} nearer 50%")
                    } else {
                        format!("never: {a} still {} at {}", win_pct(p), pct(x))
                    };
                    (x, text, small.clone(), HOME.stroke_width(3))
                }
            };
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(b.base_value, y), (end, y)],
                    arrow,
                )))
                .drawn()?;
            if found.value.is_some() {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(end, y - 0.3), (end, y + 0.3)],
                        colour.stroke_width(3),
                    )))
                    .drawn()?;
            }
            chart
                .draw_series(std::iter::once(Circle::new(
                    (b.base_value, y),
                    6,
                    INK.filled(),
                )))
                .drawn()?;
            // The text beyond the end the share moves to, else before the other end; where
            // neither fits in the plot, above the segment, which is then long.
            let (end_px, _) = chart.backend_coord(&(end, y));
            let tw = text_width(root, &text, &small)? as i32;
            let (far, near) = (end_px.max(now_px), end_px.min(now_px));
            let after = (far + 12 + tw <= right + 30).then_some(far + 12);
            let before = (near - 12 - tw >= left + 4).then_some(near - 12 - tw);
            let beside = if end >= b.base_value {
                after.or(before)
            } else {
                before.or(after)
            };
            let (tx, ty) = match beside {
                Some(tx) => (tx, text_y),
                None => ((near + 12).max(left + 4), text_y - LABEL_PX as i32),
            };
            root.draw_text(&text, &style, (tx, ty)).drawn()?;
            row_label(root, &labels[i], &label, left, py)?;
        }
        Ok(())
    }
}

/// The bars of break-even.png or match-actual.png, each with what `search` found for it: those
/// searched, at most the tornado's [`MAX_TORNADO_ROWS`]; and how many were searched in all.
pub(super) fn searched_bars<'t, T>(
    t: &'t TornadoResult,
    search: impl Fn(&'t TornadoBar) -> Option<&'t T>,
) -> (Vec<(&'t TornadoBar, &'t T)>, usize) {
    let all: Vec<_> = t
        .bars
        .iter()
        .filter_map(|b| search(b).map(|f| (b, f)))
        .collect();
    let searched = all.len();
    (all.into_iter().take(MAX_TORNADO_ROWS).collect(), searched)
}

/// The plot of break-even.png and match-actual.png, and its row labels: one row per searched share
/// (`bars`, of `searched`), the share's value across from 0 to 1 (or to the largest value assumed).
pub(super) fn searched_share_plot<'a, DB: DrawingBackend, T>(
    root: &DrawingArea<DB, Shift>,
    area: &'a DrawingArea<DB, Shift>,
    bars: &[(&TornadoBar, &T)],
    searched: usize,
) -> anyhow::Result<(RowPlot<'a, DB>, Vec<String>)> {
    let label = label_style();
    let (w, _) = area.dim_in_pixel();
    let texts = bars.iter().map(|(b, _)| b.label.as_str());
    let (labels, label_px) = fit_row_labels(root, texts, &label, w * 35 / 100)?;
    let x_desc = if bars.len() < searched {
        format!(
            "value of the share (the {} largest effects of {searched}; all are in tornado.csv)",
            bars.len()
        )
    } else if bars.iter().any(|(b, _)| b.key == "new_voters.share") {
        "value of the share (new voters: their number as a share of round one's voters)".to_string()
    } else {
        "value of the share".to_string()
    };
    let top = bars.iter().map(|(b, _)| b.base_value).fold(1.0, f64::max);
    let mut chart = row_plot(area, 0.0..top, bars.len().max(1), label_px, 40)?;
    house_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .y_labels(0)
        .x_desc(x_desc)
        .x_label_formatter(&|x| format!("{:.0}%", 100.0 * x))
        .draw()
        .drawn()?;
    Ok((chart, labels))
}
