//! tornado.png: which assumption moves the first finalist's win probability most, each moved to a low and a high value.

use super::*;
use crate::format::{tick_decimals, win_pct};
use crate::sweep::KeyUnit;
use crate::sweep::tornado::TornadoResult;

/// The tornado chart.
pub struct TornadoChart<'a>(pub &'a TornadoResult);

/// Pixel height per assumption.
const ROW_PX: u32 = 44;

/// Most assumptions drawn: the ranking's top; tornado.csv and the terminal have them all.
pub const MAX_ROWS: usize = 40;

impl TornadoChart<'_> {
    /// Height grows with the assumptions drawn: max(600, 220 + 44·bars), up to [`MAX_ROWS`] bars.
    pub fn height(bars: usize) -> u32 {
        600u32.max(220 + ROW_PX * bars.min(MAX_ROWS) as u32)
    }
}

/// A moved value as its bar's end reads it: a share or sd in percent to a tenth of a point where it
/// has one (a swing sd of 0.015 is "1.5%", not "2%"), a certainty as written.
fn value_text(key: &str, v: f64) -> String {
    match KeyUnit::of(key) {
        KeyUnit::Concentration => crate::format::trimmed(v, 3),
        _ => format!("{}%", crate::format::trimmed(100.0 * v, 1)),
    }
}

impl Chart for TornadoChart<'_> {
    const NAME: &'static str = "tornado";

    fn size(&self) -> (u32, u32) {
        (WIDTH, Self::height(self.0.bars.len()))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let t = self.0;
        // Ranked by effect, largest first: the chart shows the top.
        let bars = &t.bars[..t.bars.len().min(MAX_ROWS)];
        let a = t.label(0);
        let subtitle = format!(
            "Change in {a}'s chance of winning ({}) when one assumption moves: {}, certainties and swing halved / doubled",
            win_pct(t.base),
            t.step_words()
        );
        let area = header(root, &t.scenario, &subtitle)?;
        let n = bars.len().max(1);
        let label = label_style();
        let (w, _) = area.dim_in_pixel();
        let texts = bars.iter().map(|b| b.label.as_str());
        let (labels, label_px) = fit_row_labels(root, texts, &label, w * 35 / 100)?;
        let lo = bars.iter().flat_map(|b| b.win).fold(t.base, f64::min);
        let hi = bars.iter().flat_map(|b| b.win).fold(t.base, f64::max);
        let pad = ((hi - lo) * 0.15).max(0.02);
        let (x0, x1) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
        let decimals = tick_decimals(100.0 * (x1 - x0), 10);
        let x_end = if bars.len() < t.bars.len() {
            format!(
                " wins (the {} largest effects of {}; all are in tornado.csv)",
                bars.len(),
                t.bars.len()
            )
        } else {
            " wins".to_string()
        };
        // Under the plot: the image less the labels and margins, and some air.
        let x_desc = fit_parts(
            root,
            &[
                ("probability that ", false),
                (&t.finalists[0], true),
                (&x_end, false),
            ],
            &label,
            w.saturating_sub(label_px + 20 + 56 + 40),
        )?;
        let mut chart = row_plot(&area, x0..x1, n, label_px, 40)?;
        house_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(x_desc)
            .x_label_formatter(&|x| format!("{:.*}%", decimals, 100.0 * x))
            .draw()
            .drawn()?;
        let small = (FONT, LABEL_PX - 2).into_font().color(&MUTED);
        // The bars' labels, drawn after the base and 50% lines: (text, style, x, y, width, whether
        // it stands on the plot's white, where a white box pauses the dashed line behind it).
        let mut notes = Vec::with_capacity(2 * bars.len());
        for (i, b) in bars.iter().enumerate() {
            let y = n as f64 - i as f64 - 0.5;
            for (j, &p) in b.win.iter().enumerate() {
                let colour = if p >= t.base { FIRST } else { SECOND };
                let (l, r) = if p < t.base { (p, t.base) } else { (t.base, p) };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(l, y - 0.32), (r, y + 0.32)],
                        colour.mix(if j == 0 { 0.55 } else { 1.0 }).filled(),
                    )))
                    .drawn()?;
            }
            let (left, py) = chart.backend_coord(&(x0, y));
            let (right, _) = chart.backend_coord(&(x1, y));
            let (base_px, _) = chart.backend_coord(&(t.base, y));
            let text_y = py - (LABEL_PX as i32 - 2) / 2;
            let texts = [0, 1].map(|j| {
                format!(
                    "{} {}",
                    if j == 0 { "low" } else { "high" },
                    value_text(&b.key, b.values[j])
                )
            });
            // Which side of the base each end lies on: +1, -1, or 0 for no change.
            let side = b.win.map(|p| {
                if (p - t.base).abs() < 1e-12 {
                    0
                } else if p > t.base {
                    1
                } else {
                    -1
                }
            });
            let up = side.map(|s| s > 0);
            // A label `tw` wide beside `px`: to its right (`rightward`) or left; whether the plot
            // has room for it; and its style inside bar j's end (ink on the light bar, white on
            // the dark one).
            let beside = |px: i32, tw: i32, rightward: bool| {
                if rightward { px + 6 } else { px - tw - 6 }
            };
            let fits = |x: i32, tw: i32| x >= left && x + tw <= right + 30;
            let on_bar = |j: usize| small.color(if j == 0 { &INK } else { &WHITE });
            if side[0] * side[1] < 0 {
                // One bar each side of the base: each label beyond its own bar's end.
                for (j, &p) in b.win.iter().enumerate() {
                    let tw = text_width(root, &texts[j], &small)? as i32;
                    let (px, _) = chart.backend_coord(&(p, y));
                    let outside = beside(px, tw, up[j]);
                    // A bar that reaches the edge of the plot carries its label inside its end.
                    let (tx, style, open) = if fits(outside, tw) {
                        (outside, small.clone(), true)
                    } else {
                        (beside(px, tw, !up[j]), on_bar(j), false)
                    };
                    notes.push((texts[j].clone(), style, tx, text_y, tw, open));
                }
            } else {
                // Both ends on one side (or no effect at all): one label, beyond the longer bar,
                // or on the empty side of the base line when that bar reaches the edge.
                let flat = side == [0, 0];
                let text = format!(
                    "{}{} · {}",
                    if flat { "no effect: " } else { "" },
                    texts[0],
                    texts[1]
                );
                let tw = text_width(root, &text, &small)? as i32;
                let far = usize::from((b.win[0] - t.base).abs() < (b.win[1] - t.base).abs());
                let (px, _) = chart.backend_coord(&(b.win[far], y));
                let go_right = if flat {
                    base_px + 6 + tw <= right
                } else {
                    b.win[far] > t.base
                };
                let outside = beside(px, tw, go_right);
                let beyond_base = beside(base_px, tw, !go_right);
                let (tx, style, open) = if fits(outside, tw) {
                    (outside, small.clone(), true)
                } else if fits(beyond_base, tw) {
                    (beyond_base, small.clone(), true)
                } else {
                    // A bar across the whole plot from a base at its edge: inside the bar's end.
                    (beside(px, tw, !go_right), on_bar(far), false)
                };
                notes.push((text, style, tx, text_y, tw, open));
            }
            row_label(root, &labels[i], &label, left, py)?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(t.base, 0.0), (t.base, n as f64)],
                INK.stroke_width(2),
            )))
            .drawn()?;
        if x0 < 0.5 && x1 > 0.5 {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(0.5, 0.0), (0.5, n as f64)],
                    8,
                    6,
                    MUTED.stroke_width(2),
                ))
                .drawn()?;
        }
        for (text, style, x, y, tw, open) in &notes {
            if *open {
                root.draw(&Rectangle::new(
                    [(x - 3, y - 1), (x + tw + 3, y + LABEL_PX as i32 - 1)],
                    WHITE.filled(),
                ))
                .drawn()?;
            }
            root.draw_text(text, style, (*x, *y)).drawn()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::value_text;

    #[test]
    fn a_half_point_is_not_rounded_away() {
        assert_eq!(value_text("swing.sd", 0.015), "1.5%");
        assert_eq!(value_text("swing.sd", 0.06), "6%");
        assert_eq!(value_text("transfers.\"A\".\"B\"", 0.85), "85%");
        assert_eq!(value_text("transfers.\"A\".certainty", 12.5), "12.5");
    }
}
