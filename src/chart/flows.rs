//! flows.png: where each source's voters go (expected shares with 90% intervals), and each finalist's runoff vote built up from its sources.

use super::*;
use crate::format::{finalist_short, short_labels, tick_decimals, tick_votes, votes_with_decimals};
use crate::scenario::{A, ABSTAIN, B};
use crate::summary::{NEW_VOTERS_ROW, SourceAssumption, Summary};

/// The flows chart of one scenario.
pub struct FlowsChart<'a>(pub &'a Summary);

/// Pixel height per source row.
const ROW_PX: u32 = 40;

/// Most source rows drawn: beyond this the largest groups are shown and the chart says how many
/// are left out (summary.json has them all), so that the picture stays one a person can read.
pub const MAX_ROWS: usize = 40;

impl FlowsChart<'_> {
    /// Height grows with the number of rows drawn so that they never overlap: max(800, 230 + 40·rows).
    pub fn height(sources: usize) -> u32 {
        HEIGHT.max(230 + ROW_PX * sources.min(MAX_ROWS) as u32)
    }
}

/// The sources drawn as rows: all of them, or the [`MAX_ROWS`] with the most votes, in their order.
fn shown(s: &Summary) -> Vec<&SourceAssumption> {
    if s.sources.len() <= MAX_ROWS {
        return s.sources.iter().collect();
    }
    let mut by_votes: Vec<usize> = (0..s.sources.len()).collect();
    by_votes.sort_by(|&i, &j| s.sources[j].votes.total_cmp(&s.sources[i].votes));
    let mut keep: Vec<usize> = by_votes[..MAX_ROWS].to_vec();
    keep.sort_unstable();
    keep.into_iter().map(|i| &s.sources[i]).collect()
}

impl Chart for FlowsChart<'_> {
    const NAME: &'static str = "flows";

    fn size(&self) -> (u32, u32) {
        (WIDTH, Self::height(self.0.sources.len()))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let s = self.0;
        let subtitle = "Left: where each group of voters goes (expected share; whiskers: 90% interval of the boundary). Right: each finalist's mean runoff vote by source.";
        let area = header(root, &s.scenario, subtitle)?;
        let (w, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(w * 62 / 100);
        draw_rows(root, &left, s)?;
        draw_totals(root, &right, s)?;
        Ok(())
    }
}

/// One stacked bar per source: to the first finalist, to the second, stays home.
fn draw_rows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    s: &Summary,
) -> anyhow::Result<()> {
    let rows = shown(s);
    let n = rows.len();
    let label = label_style();
    let decimals = s.vote_decimals();
    let names: Vec<String> = rows
        .iter()
        .map(|src| {
            // New voters are an expected number, rounded; candidates' counts are as written.
            let count = if src.row == NEW_VOTERS_ROW {
                format!("~{}", crate::format::votes_to(src.votes, decimals))
            } else {
                crate::format::votes_as_written(src.votes)
            };
            format!("{} ({count})", src.name)
        })
        .collect();
    let (w, _) = area.dim_in_pixel();
    let max_label = w * 40 / 100;
    let mut label_px = 0;
    let mut fitted = Vec::new();
    for name in &names {
        let t = fit_text(root, name, &label, max_label)?;
        label_px = label_px.max(text_width(root, &t, &label)?);
        fitted.push(t);
    }
    let mut chart = ChartBuilder::on(area)
        .margin_left(16)
        .margin_right(24)
        .margin_top(34)
        .x_label_area_size(50)
        .y_label_area_size(label_px + 16)
        .build_cartesian_2d(0.0..1.0, 0.0..n.max(1) as f64)
        .drawn()?;
    house_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&|x| format!("{:.0}%", 100.0 * x))
        .x_desc(if n < s.sources.len() {
            let left_out = s.sources.len() - n;
            let votes: f64 = s.sources.iter().map(|x| x.votes).sum::<f64>()
                - rows.iter().map(|x| x.votes).sum::<f64>();
            format!(
                "share of the group's first-round voters ({n} largest groups shown; {left_out} \
                 more with {} in summary.json)",
                crate::format::votes_with_noun(votes, decimals)
            )
        } else {
            "share of the group's first-round voters".to_string()
        })
        .draw()
        .drawn()?;

    // Legend above the bars.
    let [a, b] = &s.finalists;
    let legend = [
        (format!("to {a}"), FIRST),
        (format!("to {b}"), SECOND),
        ("stays home".to_string(), HOME),
    ];
    let (x0, y0) = chart.backend_coord(&(0.0, n as f64));
    let mut x = x0;
    for (text, colour) in &legend {
        let text = fit_text(root, text, &label, 260)?;
        root.draw(&Rectangle::new(
            [(x, y0 - 28), (x + 16, y0 - 12)],
            colour.filled(),
        ))
        .drawn()?;
        root.draw_text(&text, &label, (x + 22, y0 - 29)).drawn()?;
        x += 22 + text_width(root, &text, &label)? as i32 + 24;
    }

    for (i, src) in rows.iter().enumerate() {
        let yc = n as f64 - i as f64 - 0.5;
        // The bar sits in the upper part of the row, its 90% whiskers just below it.
        let (y_lo, y_hi) = (yc - 0.06, yc + 0.34);
        let y_whisker = yc - 0.2;
        let m = src.expected;
        let bounds = [0.0, m[A], m[A] + m[B], 1.0];
        for (k, colour) in [FIRST, SECOND, HOME].into_iter().enumerate() {
            if bounds[k + 1] > bounds[k] {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(bounds[k], y_lo), (bounds[k + 1], y_hi)],
                        colour.filled(),
                    )))
                    .drawn()?;
                let text = format!("{:.0}%", 100.0 * m[k]);
                let (px0, py) = chart.backend_coord(&(bounds[k], (y_lo + y_hi) / 2.0));
                let (px1, _) = chart.backend_coord(&(bounds[k + 1], y_lo));
                let ink = if k == 2 { INK } else { WHITE };
                let style = (FONT, LABEL_PX - 1).into_font().color(&ink);
                let tw = text_width(root, &text, &style)? as i32;
                if px1 - px0 > tw + 10 {
                    root.draw_text(
                        &text,
                        &style,
                        ((px0 + px1 - tw) / 2, py - (LABEL_PX as i32) / 2),
                    )
                    .drawn()?;
                }
            }
        }
        // Whiskers: the A/B boundary moves with A's share, the B/home boundary with the home share.
        // Each whisker takes the colour of the segment whose share it bounds.
        let whiskers = [
            (
                src.interval90[A],
                m[A] > 0.0 && m[A] < 1.0,
                RGBColor(0, 70, 110),
            ),
            (
                [
                    1.0 - src.interval90[ABSTAIN][1],
                    1.0 - src.interval90[ABSTAIN][0],
                ],
                m[ABSTAIN] > 0.0 && m[ABSTAIN] < 1.0,
                RGBColor(90, 90, 90),
            ),
        ];
        for ([lo, hi], show, colour) in whiskers {
            if !show {
                continue;
            }
            let style = colour.stroke_width(2);
            chart
                .draw_series([
                    PathElement::new(vec![(lo, y_whisker), (hi, y_whisker)], style),
                    PathElement::new(vec![(lo, y_whisker - 0.08), (lo, y_whisker + 0.08)], style),
                    PathElement::new(vec![(hi, y_whisker - 0.08), (hi, y_whisker + 0.08)], style),
                ])
                .drawn()?;
        }
        let (px, py) = chart.backend_coord(&(0.0, (y_lo + y_hi) / 2.0));
        let tw = text_width(root, &fitted[i], &label)? as i32;
        root.draw_text(&fitted[i], &label, (px - tw - 10, py - LABEL_PX as i32 / 2))
            .drawn()?;
    }
    Ok(())
}

/// Two stacked columns: each finalist's mean runoff vote, one segment per source.
fn draw_totals<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    s: &Summary,
) -> anyhow::Result<()> {
    let columns: Vec<Vec<(String, f64)>> = (0..2).map(|k| s.votes_by_source(k)).collect();
    let totals: Vec<f64> = columns
        .iter()
        .map(|c| c.iter().map(|(_, v)| v).sum())
        .collect();
    let top = totals.iter().cloned().fold(0.0, f64::max).max(1.0) * 1.12;
    let mut chart = ChartBuilder::on(area)
        .margin_left(10)
        .margin_right(30)
        .margin_top(34)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..2.0, 0.0..top)
        .drawn()?;
    let names = [
        finalist_short(&s.finalists, 0),
        finalist_short(&s.finalists, 1),
    ];
    // A runoff of a few votes (shares written as counts) needs decimals to tell its ticks apart,
    // and its segments as many as the terminal gives its flows.
    let decimals = tick_decimals(top, 10);
    let precise = decimals.max(s.vote_decimals());
    let amount = |v: f64| votes_with_decimals(v, false, precise);
    let step = axis_step(0.0, top, 10);
    house_mesh(&mut chart.configure_mesh())
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(10)
        .y_label_formatter(&|v| tick_votes(*v, false, step))
        .y_desc("mean runoff votes")
        .draw()
        .drawn()?;
    let label = (FONT, LABEL_PX - 2).into_font();
    let sources: Vec<String> = s.sources.iter().map(|x| x.name.clone()).collect();
    let labels = short_labels(&sources);
    for (k, column) in columns.iter().enumerate() {
        let colour = finalist_colour(k);
        let (x0, x1) = (k as f64 + 0.18, k as f64 + 0.82);
        let mut base = 0.0;
        for (j, (source, votes)) in column.iter().enumerate() {
            if *votes <= 0.0 {
                continue;
            }
            // Alternate shades of the finalist's colour so neighbouring sources stay apart.
            let light = j % 2 == 1;
            let shade = if light {
                colour.mix(0.55)
            } else {
                colour.mix(1.0)
            };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x0, base), (x1, base + votes)],
                    shade.filled(),
                )))
                .drawn()?;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x0, base), (x1, base + votes)],
                    WHITE.stroke_width(1),
                )))
                .drawn()?;
            let (px0, py_top) = chart.backend_coord(&(x0, base + votes));
            let (px1, py_bottom) = chart.backend_coord(&(x1, base));
            // Candidates by their short labels; the new voters in full.
            let who = match s.sources.iter().position(|x| &x.name == source) {
                Some(i) if s.sources[i].row != NEW_VOTERS_ROW => labels[i].as_str(),
                _ => source.as_str(),
            };
            let text = format!("{who} {}", amount(*votes));
            let style = label.clone().color(if light { &INK } else { &WHITE });
            let text = fit_text(root, &text, &style, (px1 - px0 - 8).max(0) as u32)?;
            if py_bottom - py_top >= LABEL_PX as i32 + 2 && text.chars().count() > 2 {
                let tw = text_width(root, &text, &style)? as i32;
                root.draw_text(
                    &text,
                    &style,
                    (
                        (px0 + px1 - tw) / 2,
                        (py_top + py_bottom) / 2 - (LABEL_PX as i32 - 2) / 2,
                    ),
                )
                .drawn()?;
            }
            base += votes;
        }
        let style = (FONT, LABEL_PX + 1, FontStyle::Bold)
            .into_font()
            .color(&colour);
        let total = crate::format::votes_to(totals[k], precise);
        let (px_mid, py) = chart.backend_coord(&(k as f64 + 0.5, totals[k]));
        let tw = text_width(root, &total, &style)? as i32;
        root.draw_text(&total, &style, (px_mid - tw / 2, py - LABEL_PX as i32 - 8))
            .drawn()?;
        let (px_left, py_axis) = chart.backend_coord(&(k as f64 + 0.02, 0.0));
        let (px_right, _) = chart.backend_coord(&(k as f64 + 0.98, 0.0));
        let name = fit_text(root, &names[k], &style, (px_right - px_left) as u32)?;
        let nw = text_width(root, &name, &style)? as i32;
        root.draw_text(&name, &style, (px_mid - nw / 2, py_axis + 10))
            .drawn()?;
    }
    Ok(())
}
