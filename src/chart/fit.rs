//! fit.png: the estimated transfer rows with their 90% intervals (posterior or bootstrap), the
//! `--prior` rows and the flags of rows the units cannot tell, and each unit's fitted against
//! actual runoff share.

use super::*;
use crate::fit::{Fit, Method};
use crate::format::{finalist_short, tick_decimals};

/// The fit chart.
pub struct FitChart<'a>(pub &'a Fit);

impl FitChart<'_> {
    /// Height grows with the rows: max(800, 260 + 60·rows).
    pub fn height(rows: usize) -> u32 {
        HEIGHT.max(260 + 60 * rows as u32)
    }
}

impl Chart for FitChart<'_> {
    const NAME: &'static str = "fit";

    fn size(&self) -> (u32, u32) {
        (WIDTH, Self::height(self.0.rows.len()))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let f = self.0;
        let [a, b] = &f.finalists;
        let title = format!(
            "{}: transfer rates fitted from {} units",
            f.race,
            crate::format::votes(f.units as f64)
        );
        let given = f.rows.iter().any(|r| r.prior_given);
        let left_key = match f.method {
            Method::Bayes if given => {
                "dot: posterior mean, bar: 90% posterior interval, ring: --prior's share"
            }
            Method::Bayes => "dot: posterior mean, bar: 90% posterior interval",
            Method::Regression => "dot: estimate, bar: 90% bootstrap interval",
        };
        let subtitle = format!(
            "Left: where each first-round group went ({left_key}). Right: {}'s runoff share by \
             unit, fitted vs actual.",
            finalist_short(&f.finalists, 0)
        );
        let area = header(root, &title, &subtitle)?;
        let (w, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(w * 58 / 100);
        let label = label_style();
        let n = f.rows.len().max(1);
        let mut label_px = 0;
        let mut names = Vec::new();
        for r in &f.rows {
            let name = fit_text(root, &r.candidate, &label, w * 20 / 100)?;
            label_px = label_px.max(text_width(root, &name, &label)?);
            let words: Vec<&str> = r.flags.iter().map(|f| f.word()).collect();
            let words = format!("({})", words.join(", "));
            label_px = label_px.max(text_width(root, &words, &label)?);
            names.push(name);
        }
        let mut chart = ChartBuilder::on(&left)
            .margin_left(16)
            .margin_right(24)
            .margin_top(34)
            .x_label_area_size(50)
            .y_label_area_size(label_px + 16)
            .build_cartesian_2d(0.0..1.0, 0.0..n as f64)
            .drawn()?;
        house_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&|x| format!("{:.0}%", 100.0 * x))
            .x_desc("share of the group's first-round voters")
            .draw()
            .drawn()?;
        let colours = [FIRST, SECOND, HOME];
        let offsets = [0.22, 0.0, -0.22];
        let (x0, y0) = chart.backend_coord(&(0.0, n as f64));
        let mut x = x0;
        for (k, text) in [
            format!("to {a}"),
            format!("to {b}"),
            "stayed home".to_string(),
        ]
        .iter()
        .enumerate()
        {
            let text = fit_text(root, text, &label, 240)?;
            root.draw(&Circle::new((x + 8, y0 - 20), 6, colours[k].filled()))
                .drawn()?;
            root.draw_text(&text, &label, (x + 20, y0 - 29)).drawn()?;
            x += 20 + text_width(root, &text, &label)? as i32 + 24;
        }
        for (i, r) in f.rows.iter().enumerate() {
            let yc = n as f64 - i as f64 - 0.5;
            for k in 0..3 {
                let y = yc + offsets[k];
                if let (true, Some(prior)) = (r.prior_given, r.prior) {
                    chart
                        .draw_series(std::iter::once(Circle::new(
                            (prior.shares[k], y),
                            9,
                            colours[k].stroke_width(2),
                        )))
                        .drawn()?;
                }
                let [lo, hi] = r.interval90[k];
                chart
                    .draw_series([
                        PathElement::new(vec![(lo, y), (hi, y)], colours[k].stroke_width(3)),
                        PathElement::new(
                            vec![(lo, y - 0.06), (lo, y + 0.06)],
                            colours[k].stroke_width(2),
                        ),
                        PathElement::new(
                            vec![(hi, y - 0.06), (hi, y + 0.06)],
                            colours[k].stroke_width(2),
                        ),
                    ])
                    .drawn()?;
                chart
                    .draw_series(std::iter::once(Circle::new(
                        (r.shares[k], y),
                        6,
                        colours[k].filled(),
                    )))
                    .drawn()?;
            }
            let (px, py) = chart.backend_coord(&(0.0, yc));
            let tw = text_width(root, &names[i], &label)? as i32;
            // A flagged row says so under its name, in the words of the table.
            let flags: Vec<&str> = r.flags.iter().map(|f| f.word()).collect();
            let name_y = if flags.is_empty() {
                py - LABEL_PX as i32 / 2
            } else {
                py - LABEL_PX as i32
            };
            root.draw_text(&names[i], &label, (px - tw - 10, name_y))
                .drawn()?;
            if !flags.is_empty() {
                let words = format!("({})", flags.join(", "));
                let style = label.color(&MUTED);
                let ww = text_width(root, &words, &style)? as i32;
                root.draw_text(&words, &style, (px - ww - 10, name_y + LABEL_PX as i32 + 2))
                    .drawn()?;
            }
        }

        let shares: Vec<f64> = f.by_unit.iter().flat_map(|u| [u.2, u.3]).collect();
        let lo = shares.iter().cloned().fold(1.0, f64::min).max(0.0);
        let hi = shares.iter().cloned().fold(0.0, f64::max).min(1.0);
        let pad = ((hi - lo) * 0.05).max(0.01);
        let (lo, hi) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
        let mut scatter = ChartBuilder::on(&right)
            .margin_left(10)
            .margin_right(30)
            .margin_top(34)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(lo..hi, lo..hi)
            .drawn()?;
        // Along the plot's sides, with some air: a long name is cut, not the words around it.
        let a = finalist_short(&f.finalists, 0);
        let (plot_w, plot_h) = scatter.plotting_area().dim_in_pixel();
        let desc = |what: &'static str, room: u32| {
            fit_parts(
                root,
                &[(what, false), (&a, true), (" share", false)],
                &label_style(),
                room.saturating_sub(40),
            )
        };
        let (x_desc, y_desc) = (desc("fitted ", plot_w)?, desc("actual ", plot_h)?);
        // Units that all ran close give an axis a few points wide: ticks of 0.5, not two "55%".
        let decimals = tick_decimals(100.0 * (hi - lo), 10);
        house_mesh(&mut scatter.configure_mesh())
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&|x| format!("{x:.decimals$}%", x = 100.0 * x))
            .y_label_formatter(&|y| format!("{y:.decimals$}%", y = 100.0 * y))
            .draw()
            .drawn()?;
        scatter
            .draw_series(DashedLineSeries::new(
                vec![(lo, lo), (hi, hi)],
                8,
                6,
                MUTED.stroke_width(2),
            ))
            .drawn()?;
        let biggest = f.by_unit.iter().map(|u| u.1).fold(1.0, f64::max);
        scatter
            .draw_series(f.by_unit.iter().map(|u| {
                Circle::new(
                    (u.2, u.3),
                    2 + (10.0 * (u.1 / biggest).sqrt()) as i32,
                    FIRST.mix(0.55).filled(),
                )
            }))
            .drawn()?;
        let note = format!(
            "dot size: runoff turnout · mean error {:.1} pts",
            100.0 * f.unit_share_mae
        );
        let (px, py) = scatter.backend_coord(&(lo, hi));
        root.draw_text(&note, &label, (px + 8, py + 6)).drawn()?;
        Ok(())
    }
}
