//! wins.png: what the less likely finalist's wins look like, as the flows' mean shares over the draws it wins set against all draws.

use super::*;
use crate::format::{pct, win_pct};
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
        let short = s.label(k);
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
            "When {short} wins ({} of draws): how much each group's mean share differs from all draws",
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
        // The shifts are a few points: drawn on a 0–100% axis they were dots on top of each other,
        // so the axis is the shift itself, with room beyond the longest bar for its values.
        let shifts: Vec<f64> = rows.iter().map(|(_, won, all)| won - all).collect();
        let lo = shifts.iter().copied().fold(0.0, f64::min);
        let hi = shifts.iter().copied().fold(0.0, f64::max);
        let span = (hi - lo).max(0.01);
        let x0 = if lo < 0.0 {
            lo - 0.75 * span
        } else {
            -0.04 * span
        };
        let x1 = if hi > 0.0 {
            hi + 0.75 * span
        } else {
            0.04 * span
        };
        let mut chart = row_plot(&area, x0..x1, n, label_px, 30)?;
        let d = crate::format::tick_decimals(100.0 * (x1 - x0), 8);
        house_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(format!(
                "change in the share of the group's first-round voters, in points, from all draws \
                 to {short}'s wins (the {} flows that move most){axis_note}",
                rows.len()
            ))
            .x_label_formatter(&|x| crate::format::signed_points(*x, d))
            .draw()
            .drawn()?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, n as f64)],
                INK.stroke_width(1),
            )))
            .drawn()?;
        if rows.is_empty() {
            let note = "no group's mean share moves in these draws";
            let (x, y) = chart.backend_coord(&(x0 + 0.02 * (x1 - x0), 0.5));
            root.draw_text(note, &label.color(&MUTED), (x, y)).drawn()?;
        }
        let small = (FONT, LABEL_PX - 1).into_font().color(&MUTED);
        let value = (FONT, LABEL_PX - 1, FontStyle::Bold)
            .into_font()
            .color(&colour);
        let (left_px, _) = chart.backend_coord(&(x0, 0.0));
        for (i, ((_, won, all), shift)) in rows.iter().zip(&shifts).enumerate() {
            let y = n as f64 - i as f64 - 0.5;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - 0.28), (*shift, y + 0.28)],
                    colour.mix(0.8).filled(),
                )))
                .drawn()?;
            // The shift in bold beyond the bar's end, then the two shares it is the difference of.
            let (end_px, py) = chart.backend_coord(&(*shift, y));
            let text_y = py - (LABEL_PX as i32) / 2;
            let head = crate::format::signed_points(*shift, 1) + " pts";
            let tail = format!("  {} → {}", pct(*all), pct(*won));
            let (head_w, tail_w) = (
                text_width(root, &head, &value)? as i32,
                text_width(root, &tail, &small)? as i32,
            );
            let x = if *shift >= 0.0 {
                end_px + 10
            } else {
                end_px - 10 - head_w - tail_w
            };
            root.draw_text(&head, &value, (x, text_y)).drawn()?;
            root.draw_text(&tail, &small, (x + head_w, text_y))
                .drawn()?;
            row_label(root, &labels[i], &label, left_px, py)?;
        }
        Ok(())
    }
}
