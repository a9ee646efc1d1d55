//! sweep.png: the first finalist's win probability along one varied key (with its band, the 50% line and the break-even), or a heatmap over two keys with the 50% contour.

use super::*;
use crate::format::{tick_decimals, tick_votes};
use crate::sweep::{KeyUnit, SweepResult};

/// The chart of a sweep.
pub struct SweepChart<'a>(pub &'a SweepResult);

/// Diverging colour for a probability: the second finalist's colour at 0, white at 0.5, the first's at 1.
pub fn probability_colour(p: f64) -> RGBColor {
    let (c, t) = if p >= 0.5 {
        (FIRST, (p - 0.5) * 2.0)
    } else {
        (SECOND, (0.5 - p) * 2.0)
    };
    let mix = |a: u8| (255.0 + (a as f64 - 255.0) * t.clamp(0.0, 1.0)).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// Tick label for a key's values on an axis from `lo` to `hi`: percentages for shares, plain
/// numbers otherwise, with the digits that tell the ticks apart.
fn value_label(key: &str, x: f64, (lo, hi): (f64, f64)) -> String {
    let share_like = KeyUnit::of(key) == KeyUnit::Share;
    let span = (hi - lo).abs();
    let size = lo.abs().max(hi.abs());
    if share_like {
        format!("{:.*}%", tick_decimals(100.0 * span, 10), 100.0 * x)
    } else if size >= 1e4 && span >= 0.2 * size {
        tick_votes(x, false, axis_step(lo.min(hi), lo.max(hi), DEFAULT_LABELS))
    } else if size >= 1e4 {
        // Ticks close together relative to their size: every digit (1,202,000), not 1.20M.
        crate::format::votes(x)
    } else {
        crate::format::trimmed(x, tick_decimals(span, 10).max(3))
    }
}

/// An axis's description: the key in words, then the key as typed (`--vary` takes it), the key
/// cut first where the two do not fit.
fn axis_desc<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &SweepResult,
    i: usize,
    max_px: u32,
) -> anyhow::Result<String> {
    // Where a varied share's room comes from moves the curve: the first axis says which rule.
    let rule = match r.room_rule() {
        Some(rule) if i == 0 => format!(" ({rule})"),
        _ => String::new(),
    };
    match r.key_words.get(i) {
        Some(words) => fit_parts(
            root,
            &[
                (words, false),
                ("  ·  ", false),
                (&r.keys[i], true),
                (&rule, false),
            ],
            &label_style(),
            max_px,
        ),
        None => fit_key(root, &r.keys[i], &label_style(), max_px),
    }
}

impl Chart for SweepChart<'_> {
    const NAME: &'static str = "sweep";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let r = self.0;
        let a = r.label(0);
        let subtitle = format!(
            "{}'s chance of winning as the assumption{} below change{} · {} draws per point, the same random numbers at every point",
            a,
            if r.keys.len() > 1 { "s" } else { "" },
            if r.keys.len() > 1 { "" } else { "s" },
            crate::format::votes(r.draws as f64)
        );
        let area = header(root, &r.scenario, &subtitle)?;
        if r.keys.len() == 1 {
            line(root, &area, r)
        } else {
            heatmap(root, &area, r)
        }
    }
}

fn line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    r: &SweepResult,
) -> anyhow::Result<()> {
    let key = &r.keys[0];
    let xs: Vec<f64> = r.points.iter().map(|p| p.values[0]).collect();
    let (x0, x1) = (
        xs.iter().cloned().fold(f64::INFINITY, f64::min),
        xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
    );
    let mut chart = ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(50)
        .margin_bottom(10)
        .x_label_area_size(60)
        .y_label_area_size(80)
        .build_cartesian_2d(x0..x1, 0.0..1.0)
        .drawn()?;
    let fmt = |x: &f64| value_label(key, *x, (x0, x1));
    // Under the plot, with some air.
    let plot_w = chart.plotting_area().dim_in_pixel().0;
    let x_desc = axis_desc(root, r, 0, plot_w.saturating_sub(40))?;
    house_mesh(&mut chart.configure_mesh())
        .x_desc(x_desc)
        .y_desc("probability")
        .x_label_formatter(&fmt)
        .y_label_formatter(&|y| format!("{:.0}%", 100.0 * y))
        .draw()
        .drawn()?;
    let band: Vec<(f64, f64)> = r
        .points
        .iter()
        .map(|p| (p.values[0], p.win_ci95[0][1]))
        .chain(
            r.points
                .iter()
                .rev()
                .map(|p| (p.values[0], p.win_ci95[0][0])),
        )
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(
            band,
            FIRST.mix(0.25).filled(),
        )))
        .drawn()?;
    // The band's edges as thin lines, so that a narrow band still shows where it is.
    for edge in [0, 1] {
        chart
            .draw_series(LineSeries::new(
                r.points.iter().map(|p| (p.values[0], p.win_ci95[0][edge])),
                FIRST.mix(0.6).stroke_width(1),
            ))
            .drawn()?;
    }
    chart
        .draw_series(DashedLineSeries::new(
            vec![(x0, 0.5), (x1, 0.5)],
            8,
            6,
            INK.stroke_width(2),
        ))
        .drawn()?;
    // The scenario as written: where the sweep moves from.
    if let Some(&base) = r.base_values.first().filter(|b| (x0..=x1).contains(*b)) {
        chart
            .draw_series(DashedLineSeries::new(
                vec![(base, 0.0), (base, 1.0)],
                4,
                4,
                MUTED.stroke_width(2),
            ))
            .drawn()?;
        let value = if KeyUnit::of(key) == KeyUnit::Share {
            value_label_precise(key, base)
        } else {
            crate::sweep::key_value(key, base)
        };
        let text = format!("scenario: {value}");
        let style = (FONT, LABEL_PX - 2).into_font().color(&MUTED);
        let tw = text_width(root, &text, &style)? as i32;
        let (px, py) = chart.backend_coord(&(base, 1.0));
        let (xr, _) = chart.plotting_area().get_pixel_range();
        let x = if px + 8 + tw < xr.end {
            px + 8
        } else {
            px - 8 - tw
        };
        root.draw_text(&text, &style, (x, py + 4)).drawn()?;
    }
    let widest = r
        .points
        .iter()
        .map(|p| (p.win_ci95[0][1] - p.win_ci95[0][0]) / 2.0)
        .fold(0.0, f64::max);
    let share_label = format!("median two-party share of {}", r.label(0));
    let win_label = format!(
        "P({} wins), band: 95% interval (at most ± {} pts)",
        r.label(0),
        crate::format::trimmed(100.0 * widest, 2)
    );
    chart
        .draw_series(LineSeries::new(
            r.points.iter().map(|p| (p.values[0], p.share_p50)),
            MUTED.stroke_width(2),
        ))
        .drawn()?
        .label(share_label.as_str())
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], MUTED.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            r.points.iter().map(|p| (p.values[0], p.win[0])),
            FIRST.stroke_width(3),
        ))
        .drawn()?
        .label(win_label.as_str())
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], FIRST.stroke_width(3)));
    chart
        .draw_series(
            r.points
                .iter()
                .map(|p| Circle::new((p.values[0], p.win[0]), 4, FIRST.filled())),
        )
        .drawn()?;
    let starts_high = r.points.first().is_some_and(|p| p.win[0] > 0.5);
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let legend_font = label_style();

    // The break-even label: on the break-even line, right of it where it fits, at the end of the
    // line the curve leaves free on that side (low where the curve is high, high where it is low).
    let style = (FONT, LABEL_PX + 1, FontStyle::Bold)
        .into_font()
        .color(&SECOND);
    let mut label = None;
    if let Some((x, be)) = r
        .break_even_win
        .as_ref()
        .and_then(|be| be.value.map(|x| (x, be)))
    {
        let text = format!(
            "break-even {} ± {}",
            value_label_precise(key, x),
            be.se
                .map(|s| value_label_precise(key, 1.96 * s).replace('%', " pts"))
                .unwrap_or_default()
        );
        let w = text_width(root, &text, &style)? as i32;
        let (px, _) = chart.backend_coord(&(x, 0.5));
        let right = px + 12 + w < xr.end;
        // Right of a falling curve, or left of a rising one, the curve is below 50%.
        let y = if right == starts_high { 0.94 } else { 0.06 };
        let (_, py) = chart.backend_coord(&(x, y));
        let tx = if right { px + 12 } else { px - 12 - w };
        label = Some((x, text, tx, py, w, px));
    }

    // The legend goes in the corner of the plot that the curves, the break-even line and its
    // label leave freest; first choice, the left corner the curve leaves free.
    let legend_w = text_width(root, &share_label, &legend_font)?.max(text_width(
        root,
        &win_label,
        &legend_font,
    )?) as i32
        + 50;
    let legend_h = (5 * LABEL_PX / 2) as i32 + 20;
    let mut samples = Vec::new();
    for series in [
        r.points
            .iter()
            .map(|p| (p.values[0], p.win[0]))
            .collect::<Vec<_>>(),
        r.points
            .iter()
            .map(|p| (p.values[0], p.share_p50))
            .collect(),
    ] {
        for pair in series.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            for k in 0..=16 {
                let t = k as f64 / 16.0;
                samples.push(chart.backend_coord(&(x0 + t * (x1 - x0), y0 + t * (y1 - y0))));
            }
        }
    }
    use SeriesLabelPosition::*;
    let corners = if starts_high {
        [LowerLeft, UpperRight, UpperLeft, LowerRight]
    } else {
        [UpperLeft, LowerRight, LowerLeft, UpperRight]
    };
    let crowding = |corner: &SeriesLabelPosition| {
        let left = matches!(corner, UpperLeft | LowerLeft);
        let upper = matches!(corner, UpperLeft | UpperRight);
        let x0 = if left {
            xr.start + 5
        } else {
            xr.end - 5 - legend_w
        };
        let y0 = if upper {
            yr.start + 5
        } else {
            yr.end - 5 - legend_h
        };
        let (x1, y1) = (x0 + legend_w, y0 + legend_h);
        let inside =
            |(x, y): &(i32, i32)| (x0 - 6..=x1 + 6).contains(x) && (y0 - 6..=y1 + 6).contains(y);
        let mut score = samples.iter().filter(|p| inside(p)).count();
        if let Some((_, _, tx, py, w, px)) = &label {
            if (x0..=x1).contains(px) {
                score += 40;
            }
            let overlaps = *tx < x1 && tx + w > x0 && *py < y1 && py + LABEL_PX as i32 + 6 > y0;
            if overlaps {
                score += 1000;
            }
        }
        score
    };
    let corner = corners
        .into_iter()
        .min_by_key(crowding)
        .unwrap_or(LowerLeft);
    chart
        .configure_series_labels()
        .position(corner)
        .background_style(WHITE.mix(0.9))
        .border_style(GRID)
        .label_font(legend_font)
        .draw()
        .drawn()?;
    if let Some((x, text, tx, py, w, _)) = label {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, 0.0), (x, 1.0)],
                SECOND.stroke_width(2),
            )))
            .drawn()?;
        chart
            .draw_series(std::iter::once(Circle::new((x, 0.5), 7, SECOND.filled())))
            .drawn()?;
        root.draw(&Rectangle::new(
            [(tx - 4, py - 4), (tx + w + 4, py + LABEL_PX as i32 + 6)],
            WHITE.mix(0.9).filled(),
        ))
        .drawn()?;
        root.draw_text(&text, &style, (tx, py)).drawn()?;
    }
    Ok(())
}

/// A value with more digits than a tick label: 45.53%, or 0.012.
fn value_label_precise(key: &str, x: f64) -> String {
    if KeyUnit::of(key) == KeyUnit::Share {
        format!("{:.2}%", 100.0 * x)
    } else {
        format!("{x:.3}")
    }
}

fn heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    r: &SweepResult,
) -> anyhow::Result<()> {
    let (kx, ky) = (&r.keys[0], &r.keys[1]);
    let mut xs: Vec<f64> = r.points.iter().map(|p| p.values[0]).collect();
    xs.dedup();
    let ny = r.points.len() / xs.len().max(1);
    let ys: Vec<f64> = r.points[..ny].iter().map(|p| p.values[1]).collect();
    // Cell edges halfway between grid values.
    let edges = |v: &[f64]| -> Vec<f64> {
        let mut e = vec![v[0] - (v[1] - v[0]) / 2.0];
        e.extend(v.windows(2).map(|w| (w[0] + w[1]) / 2.0));
        e.push(v[v.len() - 1] + (v[v.len() - 1] - v[v.len() - 2]) / 2.0);
        e
    };
    let (ex, ey) = (edges(&xs), edges(&ys));
    let (w, _) = area.dim_in_pixel();
    let (plot, legend) = area.split_horizontally(w - 150);
    let mut chart = ChartBuilder::on(&plot)
        .margin_left(20)
        .margin_right(20)
        .margin_bottom(10)
        .x_label_area_size(60)
        .y_label_area_size(90)
        .build_cartesian_2d(
            ex[0].min(ex[ex.len() - 1])..ex[0].max(ex[ex.len() - 1]),
            ey[0].min(ey[ey.len() - 1])..ey[0].max(ey[ey.len() - 1]),
        )
        .drawn()?;
    let (x_span, y_span) = ((ex[0], ex[ex.len() - 1]), (ey[0], ey[ey.len() - 1]));
    // The outer half cells reach past the swept values (to -50k votes, say): no labels there.
    let swept = |v: &[f64], x: f64| {
        let (lo, hi) = (v[0].min(v[v.len() - 1]), v[0].max(v[v.len() - 1]));
        let slack = 1e-9 * (hi - lo);
        (lo - slack..=hi + slack).contains(&x)
    };
    // A tick between two cells would read as a cell's value: where three or more ticks (or every
    // cell of a narrower axis) fall on swept values, cell centres, only those are labelled; else
    // the axis reads as a scale (swing.sd 0..0.1:4 has cells at 3.3% and 6.7%, ticks at 2%).
    let on_value = |v: &[f64], x: f64| {
        let slack = 1e-9 * (v[0] - v[v.len() - 1]).abs();
        v.iter().any(|c| (c - x).abs() <= slack)
    };
    let centred = |v: &[f64], (a, b): (f64, f64)| {
        axis_ticks(a.min(b), a.max(b), DEFAULT_LABELS)
            .into_iter()
            .filter(|t| on_value(v, *t))
            .count()
            >= v.len().min(3)
    };
    let (x_centred, y_centred) = (centred(&xs, x_span), centred(&ys, y_span));
    let tick = |key: &str, values: &[f64], span, centred: bool, v: f64| {
        if swept(values, v) && (!centred || on_value(values, v)) {
            value_label(key, v, span)
        } else {
            String::new()
        }
    };
    let fx = |x: &f64| tick(kx, &xs, x_span, x_centred, *x);
    let fy = |y: &f64| tick(ky, &ys, y_span, y_centred, *y);
    // Along the plot's sides, with some air.
    let (plot_w, plot_h) = chart.plotting_area().dim_in_pixel();
    let x_desc = axis_desc(root, r, 0, plot_w.saturating_sub(40))?;
    let y_desc = axis_desc(root, r, 1, plot_h.saturating_sub(40))?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&fx)
        .y_label_formatter(&fy)
        .label_style(label_style())
        .axis_desc_style(label_style())
        .draw()
        .drawn()?;
    chart
        .draw_series(r.points.iter().enumerate().map(|(i, p)| {
            let (ix, iy) = (i / ny, i % ny);
            Rectangle::new(
                [(ex[ix], ey[iy]), (ex[ix + 1], ey[iy + 1])],
                probability_colour(p.win[0]).filled(),
            )
        }))
        .drawn()?;
    // The 50% contour by marching squares over the grid of cell centres.
    let value = |ix: usize, iy: usize| r.points[ix * ny + iy].win[0] - 0.5;
    let mut segments = Vec::new();
    for ix in 0..xs.len().saturating_sub(1) {
        for iy in 0..ny.saturating_sub(1) {
            let corners = [(ix, iy), (ix + 1, iy), (ix + 1, iy + 1), (ix, iy + 1)];
            let mut cuts = Vec::new();
            for k in 0..4 {
                let (p, q) = (corners[k], corners[(k + 1) % 4]);
                let (vp, vq) = (value(p.0, p.1), value(q.0, q.1));
                if (vp < 0.0) != (vq < 0.0) {
                    let t = vp / (vp - vq);
                    cuts.push((
                        xs[p.0] + t * (xs[q.0] - xs[p.0]),
                        ys[p.1] + t * (ys[q.1] - ys[p.1]),
                    ));
                }
            }
            for pair in cuts.chunks(2) {
                if let [a, b] = pair {
                    segments.push(PathElement::new(vec![*a, *b], INK.stroke_width(3)));
                }
            }
        }
    }
    chart.draw_series(segments).drawn()?;
    // The scenario as written, where it falls on the grid: a ring.
    let inside = |v: f64, (a, b): (f64, f64)| (a.min(b)..=a.max(b)).contains(&v);
    let base = match r.base_values[..] {
        [bx, by] if inside(bx, x_span) && inside(by, y_span) => Some((bx, by)),
        _ => None,
    };
    if let Some(at) = base {
        chart
            .draw_series([
                Circle::new(at, 11, WHITE.stroke_width(5)),
                Circle::new(at, 11, INK.stroke_width(2)),
            ])
            .drawn()?;
    }
    // Colour bar.
    let label = label_style();
    let (lw, lh) = legend.dim_in_pixel();
    let (top, bottom) = (20i32, lh as i32 - 90);
    let x = 20;
    for i in 0..(bottom - top) {
        let p = 1.0 - i as f64 / (bottom - top) as f64;
        legend
            .draw(&Rectangle::new(
                [(x, top + i), (x + 28, top + i + 1)],
                probability_colour(p).filled(),
            ))
            .drawn()?;
    }
    for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let y = top + ((1.0 - p) * (bottom - top) as f64) as i32;
        legend
            .draw_text(&format!("{:.0}%", 100.0 * p), &label, (x + 36, y - 8))
            .drawn()?;
    }
    let caption = fit_text(
        root,
        &format!("P({} wins)", r.label(0)),
        &label,
        lw.saturating_sub(10),
    )?;
    legend
        .draw_text(&caption, &label, (6, bottom + 16))
        .drawn()?;
    legend
        .draw_text("line: 50%", &label, (6, bottom + 38))
        .drawn()?;
    if base.is_some() {
        legend
            .draw_text("ring: scenario", &label, (6, bottom + 60))
            .drawn()?;
    }
    Ok(())
}
