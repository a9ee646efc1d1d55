//! share.png: the distribution of the first finalist's two-party share, each side in its finalist's colour, the win probabilities large.

use super::*;
use crate::format::{actual_label, bin_points, finalist_short, pct, tick_decimals, win_pct};
use crate::summary::Summary;

/// The share chart of one scenario.
pub struct ShareChart<'a>(pub &'a Summary);

impl Chart for ShareChart<'_> {
    const NAME: &'static str = "share";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let s = self.0;
        let [a, b] = &s.finalists;
        let subtitle = format!(
            "'s share of the two-party runoff vote · {} · seed {}",
            crate::format::draws(s.draws),
            s.seed
        );
        let area = header_parts(
            root,
            &[(&s.scenario, true)],
            &[(a, true), (&subtitle, false)],
        )?;
        let bins = &s.distributions.share;
        let data_lo = bins.lo;
        let data_hi = bins.lo + bins.width * bins.counts.len() as f64;
        let (view_lo, view_hi) = {
            // The 50% line, and the actual result wherever it fell, are always in view.
            let actual = s.actual.as_ref().map_or(0.5, |a| a.share);
            let lo = data_lo.min(0.5).min(actual);
            let hi = data_hi.max(0.5).max(actual);
            let pad = (0.08 * (hi - lo)).max(0.02);
            ((lo - pad).max(0.0), (hi + pad).min(1.0))
        };
        let min_width = (view_hi - view_lo) / 150.0;
        let heights = percent_per_bin(bins);
        let y_max = heights.iter().cloned().fold(0.0, f64::max).max(1e-9) * 1.45;

        let decimals = tick_decimals(100.0 * (view_hi - view_lo), 10);
        // Under the plot: the image less the y labels (80) and the margins (60), and some air.
        let plot_px = area.dim_in_pixel().0.saturating_sub(180);
        let x_desc = fit_parts(
            root,
            &[(a, true), ("'s two-party share", false)],
            &label_style(),
            plot_px,
        )?;
        let mut chart = ChartBuilder::on(&area)
            .margin_left(20)
            .margin_right(40)
            .margin_bottom(10)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(view_lo..view_hi, 0.0..y_max)
            .drawn()?;
        let bin_label = if bins.counts.len() > 1 {
            format!(
                "% of draws per {}-point bin",
                bin_points(100.0 * bins.width)
            )
        } else {
            "% of draws".to_string()
        };
        house_mesh(&mut chart.configure_mesh())
            .disable_x_mesh()
            .x_desc(x_desc)
            .y_desc(bin_label)
            .x_label_formatter(&|x| format!("{:.*}%", decimals, 100.0 * x))
            .y_label_formatter(&|y| format!("{y:.1}"))
            .draw()
            .drawn()?;

        // The central 90% of draws, behind the bars.
        let band = RGBColor(120, 120, 120).mix(0.12);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(s.share.p05, 0.0), (s.share.p95, y_max * 0.74)],
                band.filled(),
            )))
            .drawn()?;

        // Each side of 50% in its finalist's colour.
        let bars = coloured_bars(bins, &heights, min_width, (0.5, s.ties as f64), [SECOND, FIRST]);
        chart.draw_series(bars).drawn()?;

        let line = |x: f64, colour: RGBColor, width: u32| {
            PathElement::new(
                vec![(x, 0.0), (x, y_max * 0.74)],
                colour.stroke_width(width),
            )
        };
        chart
            .draw_series(std::iter::once(line(0.5, INK, 2)))
            .drawn()?;
        chart
            .draw_series(std::iter::once(line(s.share.p50, RGBColor(0, 0, 0), 3)))
            .drawn()?;
        if let Some(actual) = &s.actual {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(actual.share, 0.0), (actual.share, y_max * 0.74)],
                    10,
                    5,
                    ACTUAL.stroke_width(3),
                ))
                .drawn()?;
        }

        // Annotations in pixels, kept inside the plot whatever the data range.
        let label = label_style();
        let (px_lo, px_hi) = {
            let (xr, _) = chart.plotting_area().get_pixel_range();
            (xr.start, xr.end)
        };
        let pixel = |x: f64, y: f64| chart.backend_coord(&(x, y));
        let place = |text: &str, x: i32, right_aligned: bool| -> anyhow::Result<i32> {
            let w = text_width(root, text, &label)? as i32;
            let x = if right_aligned { x - w } else { x };
            Ok(x.clamp(px_lo + 4, (px_hi - w - 4).max(px_lo + 4)))
        };
        let (x_med, y_top) = pixel(s.share.p50, y_max * 0.74);
        let median_text = format!("median {}", pct(s.share.p50));
        let right_of_median = s.share.p50 >= 0.5;
        let mx = place(
            &median_text,
            if right_of_median {
                x_med + 6
            } else {
                x_med - 6
            },
            !right_of_median,
        )?;
        root.draw_text(&median_text, &label, (mx, y_top - LABEL_PX as i32 - 2))
            .drawn()?;
        // Ties win for neither finalist, so they are said here too.
        let ties = match s.tie_probability {
            0.0 => String::new(),
            p if p < 0.0005 => " · ties < 0.1%".to_string(),
            p => format!(" · ties {}", pct(p)),
        };
        let band_text = format!(
            "90% of draws: {} – {}{ties}",
            pct(s.share.p05),
            pct(s.share.p95)
        );
        // `text` centred over share `x`, kept inside the plot, with its top at `y` pixels.
        let centred = |text: &str, style: &TextStyle, x: f64, y: i32| -> anyhow::Result<()> {
            let (px, _) = pixel(x, 0.0);
            let tx = place(text, px - text_width(root, text, style)? as i32 / 2, false)?;
            root.draw_text(text, style, (tx, y)).drawn()
        };
        let band_x = (s.share.p05 + s.share.p95) / 2.0;
        centred(&band_text, &label, band_x, y_top - 2 * LABEL_PX as i32 - 8)?;
        // The actual result a row above, over its line.
        if let Some(actual) = &s.actual {
            let text = actual_label(&pct(actual.share), actual.share_percentile);
            let style = label.clone().color(&ACTUAL);
            centred(
                &text,
                &style,
                actual.share,
                y_top - 3 * LABEL_PX as i32 - 14,
            )?;
        }

        // Each finalist's win probability, large, on its own side of the 50% line.
        let (x50, _) = pixel(0.5, 0.0);
        let (_, y_big) = pixel(0.0, y_max);
        let big = (FONT, BIG_PX, FontStyle::Bold).into_font();
        let small = (FONT, LABEL_PX + 2).into_font();
        let mut blocks = Vec::new();
        for (k, name) in [a, b].into_iter().enumerate() {
            let colour = finalist_colour(k);
            let head = format!(
                "{} {}",
                finalist_short(&s.finalists, k),
                win_pct(s.win_probability[name])
            );
            let tail = format!(
                "wins; ± {:.2} pts (95% MC error)",
                100.0 * 1.96 * s.win_probability_se[name]
            );
            let big_style = big.clone().color(&colour);
            let small_style = small.clone().color(&colour);
            let w = text_width(root, &head, &big_style)?.max(text_width(root, &tail, &small_style)?)
                as i32;
            blocks.push((head, tail, big_style, small_style, w));
        }
        let (wa, wb) = (blocks[0].4, blocks[1].4);
        // Next to the 50% line when each side has room; otherwise at the two edges of the plot.
        let fits = x50 + 16 + wa <= px_hi - 4 && x50 - 16 - wb >= px_lo + 4;
        let xs = if fits {
            [x50 + 16, x50 - 16 - wb]
        } else {
            [px_hi - 8 - wa, px_lo + 8]
        };
        let overlap = xs[1] + wb + 12 > xs[0];
        for (k, (head, tail, big_style, small_style, _)) in blocks.iter().enumerate() {
            let y = y_big
                + 14
                + if overlap && k == 1 {
                    BIG_PX as i32 + 34
                } else {
                    0
                };
            root.draw_text(head, big_style, (xs[k], y)).drawn()?;
            root.draw_text(tail, small_style, (xs[k], y + BIG_PX as i32 + 4))
                .drawn()?;
        }
        Ok(())
    }
}
