//! share.png: the distribution of the first finalist's two-party share, each side in its finalist's colour, the win probabilities large.

use super::*;
use crate::format::{actual_label, bin_points, pct, tick_decimals, win_pct};
use crate::summary::Summary;

/// The share chart of one scenario.
pub struct ShareChart<'a>(pub &'a Summary);

impl Chart for ShareChart<'_> {
    const NAME: &'static str = "share";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let s = self.0;
        let [a, b] = &s.finalists;
        let polls = s.polls.as_ref();
        let weighted = polls.map_or(String::new(), |p| {
            format!(
                " · weighted by {} poll{} (grey line: the scenario alone)",
                p.count,
                if p.count == 1 { "" } else { "s" }
            )
        });
        let subtitle = format!(
            "'s share of the two-party runoff vote · {} · seed {}{weighted}",
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
        // With polls: the scenario's own distribution (the prior) as a line over the weighted bars,
        // in the same units (percent of draws per bar of `bins`), and each poll's interval.
        let prior = s.distributions.prior_share.as_ref().map(|p| {
            let scale = bins.width / p.width;
            let heights: Vec<f64> = percent_per_bin(p).iter().map(|h| h * scale).collect();
            (p, heights)
        });
        let poll_rows = polls.map_or(&[][..], |p| &p.polls[..]);
        let (view_lo, view_hi) = {
            // The 50% line, and the actual result wherever it fell, are always in view; so are
            // the scenario alone and the polls, with polls.
            let actual = s.actual.as_ref().map_or(0.5, |a| a.share);
            let (mut lo, mut hi) = (data_lo.min(0.5).min(actual), data_hi.max(0.5).max(actual));
            if let Some((p, _)) = &prior {
                lo = lo.min(p.lo);
                hi = hi.max(p.lo + p.width * p.counts.len() as f64);
            }
            for row in poll_rows {
                lo = lo.min(row.interval95[0]);
                hi = hi.max(row.interval95[1]);
            }
            let pad = (0.08 * (hi - lo)).max(0.02);
            ((lo - pad).max(0.0), (hi + pad).min(1.0))
        };
        let min_width = (view_hi - view_lo) / 150.0;
        let heights = percent_per_bin(bins);
        let tallest = heights
            .iter()
            .chain(prior.iter().flat_map(|(_, h)| h))
            .cloned()
            .fold(0.0, f64::max);
        let y_max = tallest.max(1e-9) * 1.45;
        // Below the bars, a strip for the polls: one row each.
        let strip = if poll_rows.is_empty() {
            0.0
        } else {
            y_max * (0.08 * poll_rows.len() as f64).clamp(0.16, 0.5)
        };

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
            // Room below the axis's description for the footnote on simulation noise.
            .margin_bottom(30)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(view_lo..view_hi, -strip..y_max)
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
            .y_label_formatter(&|y| {
                if *y < 0.0 {
                    String::new()
                } else {
                    format!("{y:.1}")
                }
            })
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
        let bars = coloured_bars(
            bins,
            &heights,
            min_width,
            (0.5, s.ties_in(bins)),
            [SECOND, FIRST],
        );
        chart.draw_series(bars).drawn()?;
        if let Some((p, h)) = &prior {
            let mut outline = vec![(p.lo, 0.0)];
            for (i, &y) in h.iter().enumerate() {
                let x0 = p.lo + i as f64 * p.width;
                outline.extend([(x0, y), (x0 + p.width, y)]);
            }
            outline.push((p.lo + p.width * h.len() as f64, 0.0));
            chart
                .draw_series(std::iter::once(PathElement::new(
                    outline,
                    MUTED.stroke_width(3),
                )))
                .drawn()?;
        }
        draw_polls(&mut chart, root, poll_rows, strip)?;

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

        // Each finalist's chance of winning, large, on its own side of the 50% line: what the
        // forecast says. The simulation's own error is small print at the foot, in words.
        let (x50, _) = pixel(0.5, 0.0);
        let (_, y_big) = pixel(0.0, y_max);
        let big = (FONT, BIG_PX, FontStyle::Bold).into_font();
        let small = (FONT, LABEL_PX + 2).into_font();
        let favourite = s.less_likely() == 1;
        let mut blocks = Vec::new();
        for (k, name) in [a, b].into_iter().enumerate() {
            let colour = finalist_colour(k);
            let head = format!("{} {}", s.label(k), win_pct(s.win_probability[name]));
            let tail = if (k == 0) == favourite {
                "chance to win: favoured"
            } else {
                "chance to win"
            };
            let big_style = big.clone().color(&colour);
            let small_style = small.clone().color(&colour);
            let w = text_width(root, &head, &big_style)?.max(text_width(root, tail, &small_style)?)
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
        // The simulation noise, as the table gives it: the 95% interval of the first finalist's
        // chance, with the table's decimals.
        let d = s.win_decimals();
        let [lo, hi] = s.win_probability_ci95[a];
        let noise = format!(
            "simulation noise: {}'s chance is within {} – {} (95%, {})",
            s.label(0),
            crate::format::pct_to(lo, d),
            crate::format::pct_to(hi, d),
            crate::format::draws(s.draws)
        );
        let foot = (FONT, LABEL_PX - 3).into_font().color(&MUTED);
        let (w, h) = root.dim_in_pixel();
        let nw = text_width(root, &noise, &foot)? as i32;
        root.draw_text(&noise, &foot, (w as i32 - nw - 12, h as i32 - 20))
            .drawn()?;
        Ok(())
    }
}

/// The polls in the strip below the bars: each poll's decided share (a dot) and its 95% interval
/// from its own error (a whisker), one row each, labelled with its pollster and end date where
/// the rows leave room.
fn draw_polls<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    root: &DrawingArea<DB, Shift>,
    polls: &[crate::summary::PollRow],
    strip: f64,
) -> anyhow::Result<()> {
    if polls.is_empty() {
        return Ok(());
    }
    let step = strip / (polls.len() as f64 + 1.0);
    let style = (FONT, LABEL_PX - 3).into_font().color(&INK);
    // The strip is the polls' own: no grid lines of the bars' axis cross it.
    let (x_lo, x_hi) = (chart.x_range().start, chart.x_range().end);
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(x_lo, -strip), (x_hi, 0.0)],
            WHITE.filled(),
        )))
        .drawn()?;
    let right_edge = chart.plotting_area().get_pixel_range().0.end;
    let labelled = polls.len() <= 12;
    for (i, poll) in polls.iter().enumerate() {
        let y = -step * (i as f64 + 1.0);
        let [lo, hi] = poll.interval95;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(lo, y), (hi, y)],
                INK.stroke_width(2),
            )))
            .drawn()?;
        chart
            .draw_series(std::iter::once(Circle::new(
                (poll.decided_share, y),
                5,
                INK.filled(),
            )))
            .drawn()?;
        if labelled {
            let text =
                crate::format::poll_label(poll.pollster.as_deref(), poll.end_date.as_deref());
            let text = if text.is_empty() {
                format!("poll {}", i + 1)
            } else {
                text
            };
            // Right of the whisker, or left of it where the plot ends first.
            let w = text_width(root, &text, &style)? as i32;
            let (x_right, y_px) = chart.backend_coord(&(hi, y));
            let (x_left, _) = chart.backend_coord(&(lo, y));
            let x = if x_right + 8 + w <= right_edge {
                x_right + 8
            } else {
                x_left - 8 - w
            };
            root.draw_text(&text, &style, (x, y_px - (LABEL_PX as i32 - 3) / 2))
                .drawn()?;
        }
    }
    let (x, y) = chart.backend_coord(&(chart.x_range().start, -strip / 2.0));
    let head = (FONT, LABEL_PX).into_font().color(&MUTED);
    root.draw_text("polls (95%)", &head, (x - 76, y - LABEL_PX as i32 / 2))
        .drawn()
}
