//! wins.png: what the less likely finalist's wins look like, as the flows' mean shares over the draws it wins set against all draws.

use super::*;
use crate::format::{finalist_short, pct, win_pct};
use crate::summary::Summary;

/// The what-a-win-looks-like chart of one scenario.
pub struct WinsChart<'a>(pub &'a Summary);

/// Pixel height per flow.
const ROW_PX: u32 = 52;

/// Most flows drawn: those that differ most; summary.json has them all.
pub const MAX_ROWS: usize = 10;

/// A flow whose mean share moves less than this (a fifth of a point) is not drawn: it would be
/// two dots on top of each other.
const MIN_SHIFT: f64 = 0.002;

impl WinsChart<'_> {
    /// Height grows with the flows drawn: max(600, 240 + 52·rows), up to [`MAX_ROWS`] rows.
    pub fn height(rows: usize) -> u32 {
        600u32.max(240 + ROW_PX * rows.min(MAX_ROWS) as u32)
    }

    /// The flows drawn: `(label, share over the wins, share over all draws)`, largest change in
    /// votes first.
    fn rows(&self) -> Vec<(String, f64, f64)> {
        let s = self.0;
        s.flows_when_won(s.less_likely())
            .into_iter()
            .filter(|(won, all)| (won.mean_share - all.mean_share).abs() >= MIN_SHIFT)
            .take(MAX_ROWS)
            .map(|(won, all)| (won.route(), won.mean_share, all.mean_share))
            .collect()
    }
}

impl Chart for WinsChart<'_> {
    const NAME: &'static str = "wins";

    fn size(&self) -> (u32, u32) {
        (WIDTH, Self::height(self.rows().len()))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let s = self.0;
        let k = s.less_likely();
        let name = &s.finalists[k];
        let short = finalist_short(&s.finalists, k);
        let colour = finalist_colour(k);
        let wins = s.when_wins.get(name);
        let draws = wins.map_or(0, |w| w.draws);
        let label = label_style();
        if draws == 0 {
            let why = if s.ties == s.draws {
                "Every draw is a tie, so no draw shows what a win would take".to_string()
            } else {
                format!(
                    "{name} won none of the {} draws",
                    crate::format::votes(s.draws as f64)
                )
            };
            let subtitle = format!(
                "When {short} wins: no draw to show; a win needs other assumptions (runoff sweep, runoff tornado)"
            );
            let area = header(root, &s.scenario, &subtitle)?;
            let (w, h) = area.dim_in_pixel();
            let big = (FONT, TITLE_PX).into_font().color(&colour);
            let tw = text_width(root, &why, &big)? as i32;
            area.draw_text(&why, &big, ((w as i32 - tw) / 2, h as i32 / 3))
                .drawn()?;
            return Ok(());
        }
        let share = draws as f64 / s.draws as f64;
        let swing_text = s.swing_toward(k).map_or(String::new(), |[x, _]| {
            format!("; late swing {:+.1} pts toward {short}", 100.0 * x)
        });
        // The scenario is the title, as on every chart of a batch; what the chart shows comes
        // next, with the swing when it fits there (else under the axis).
        let subtitle = format!(
            "When {short} wins ({} of draws): mean shares in those draws (dot) and over all draws (ring)",
            win_pct(share)
        );
        let sub_style = (FONT, SUBTITLE_PX).into_font().color(&MUTED);
        let with_swing = format!("{subtitle}{swing_text}");
        let (image_w, _) = root.dim_in_pixel();
        let (subtitle, axis_note) =
            if text_width(root, &with_swing, &sub_style)? <= image_w.saturating_sub(40) {
                (with_swing, String::new())
            } else {
                (subtitle, swing_text.replacen(';', " ·", 1))
            };
        let area = header(root, &s.scenario, &subtitle)?;
        let rows = self.rows();
        let n = rows.len().max(1);
        let (w, _) = area.dim_in_pixel();
        let texts = rows.iter().map(|(text, ..)| text.as_str());
        let (labels, label_px) = fit_row_labels(root, texts, &label, w * 38 / 100)?;
        let mut chart = row_plot(&area, 0.0..1.0, n, label_px, 50)?;
        house_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(format!(
                "share of the group's first-round voters (the {} flows that move most){axis_note}",
                rows.len()
            ))
            .x_label_formatter(&|x| format!("{:.0}%", 100.0 * x))
            .draw()
            .drawn()?;
        if rows.is_empty() {
            let note = "no group's mean share moves in these draws";
            let (x, y) = chart.backend_coord(&(0.02, 0.5));
            root.draw_text(note, &label.color(&MUTED), (x, y)).drawn()?;
        }
        let small = (FONT, LABEL_PX - 1).into_font().color(&MUTED);
        let value = (FONT, LABEL_PX - 1, FontStyle::Bold)
            .into_font()
            .color(&colour);
        for (i, (_, won, all)) in rows.iter().enumerate() {
            let y = n as f64 - i as f64 - 0.5;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(*all, y), (*won, y)],
                    colour.mix(0.6).stroke_width(4),
                )))
                .drawn()?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (*all, y),
                    7,
                    MUTED.stroke_width(2),
                )))
                .drawn()?;
            chart
                .draw_series(std::iter::once(Circle::new((*won, y), 8, colour.filled())))
                .drawn()?;
            // Each value beyond its own dot, away from the other one; where that side has no room
            // (a dot near an end of the axis), above the line on the inner side of its dot.
            let (won_px, py) = chart.backend_coord(&(*won, y));
            let (all_px, _) = chart.backend_coord(&(*all, y));
            let (left_px, _) = chart.backend_coord(&(0.0, y));
            let (image_w, _) = root.dim_in_pixel();
            let text_y = py - (LABEL_PX as i32) / 2;
            let above = text_y - 22;
            let won_text = (pct(*won), &value);
            let all_text = (pct(*all), &small);
            let ((lo_px, lo), (hi_px, hi)) = if won < all {
                ((won_px, won_text), (all_px, all_text))
            } else {
                ((all_px, all_text), (won_px, won_text))
            };
            let lo_w = text_width(root, &lo.0, lo.1)? as i32;
            let hi_w = text_width(root, &hi.0, hi.1)? as i32;
            let lo_at = if lo_px - lo_w - 14 >= left_px {
                (lo_px - lo_w - 14, text_y)
            } else {
                (lo_px + 10, above)
            };
            let hi_at = if hi_px + 14 + hi_w <= image_w as i32 - 4 {
                (hi_px + 14, text_y)
            } else {
                (hi_px - hi_w - 10, above)
            };
            root.draw_text(&lo.0, lo.1, lo_at).drawn()?;
            root.draw_text(&hi.0, hi.1, hi_at).drawn()?;
            row_label(root, &labels[i], &label, left_px, py)?;
        }
        Ok(())
    }
}
