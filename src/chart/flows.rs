//! flows.png: where each source's voters go (expected shares with 90% intervals), and each finalist's runoff vote built up from its sources.

use super::*;
use crate::format::{labels_with, tick_decimals, tick_votes, votes_with_decimals};
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
        let (left, right) = area.split_horizontally(w * 58 / 100);
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
        // Two whiskers that overlap (a finalist's own row: both boundaries near the right end)
        // each get a line of their own, the first boundary's above the second's.
        let overlap = whiskers.iter().all(|w| w.1)
            && whiskers[0].0[1] >= whiskers[1].0[0]
            && whiskers[1].0[1] >= whiskers[0].0[0];
        for (j, ([lo, hi], show, colour)) in whiskers.into_iter().enumerate() {
            if !show {
                continue;
            }
            let y_whisker = match (overlap, j) {
                (false, _) => y_whisker,
                (true, 0) => yc - 0.15,
                (true, _) => yc - 0.33,
            };
            let style = colour.stroke_width(2);
            chart
                .draw_series([
                    PathElement::new(vec![(lo, y_whisker), (hi, y_whisker)], style),
                    PathElement::new(vec![(lo, y_whisker - 0.07), (lo, y_whisker + 0.07)], style),
                    PathElement::new(vec![(hi, y_whisker - 0.07), (hi, y_whisker + 0.07)], style),
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

/// Where a finalist's runoff votes come from, each kind in its own shade of the finalist's colour
/// (the legend under the columns says which): its own voters darkest, the eliminated candidates'
/// voters lighter, the other finalist's defectors and new voters lightest.
#[derive(Clone, Copy, PartialEq)]
enum Origin {
    Own,
    Eliminated,
    Other,
}

impl Origin {
    fn shade(self) -> f64 {
        match self {
            Self::Own => 1.0,
            Self::Eliminated => 0.6,
            Self::Other => 0.3,
        }
    }

    /// The text on the shade: white on the dark ones.
    fn ink(self) -> RGBColor {
        if self == Self::Own { WHITE } else { INK }
    }
}

/// One segment of a column: who, how many votes, and which kind of source.
struct Segment {
    label: String,
    votes: f64,
    origin: Origin,
}

/// Finalist `k`'s column, bottom up: its own voters, the eliminated candidates' in the table's
/// order, the other finalist's, the new voters.
fn segments(s: &Summary, k: usize) -> Vec<Segment> {
    let labels = labels_with(
        &s.sources.iter().map(|x| x.name.clone()).collect::<Vec<_>>(),
        &s.display_names,
    );
    let mut out: Vec<Segment> = s
        .votes_by_source(k)
        .into_iter()
        .filter(|(_, votes)| *votes > 0.0)
        .map(|(source, votes)| {
            let i = s.sources.iter().position(|x| x.name == source);
            let new_voters = i.is_none_or(|i| s.sources[i].row == NEW_VOTERS_ROW);
            let origin = if source == s.finalists[k] {
                Origin::Own
            } else if source == s.finalists[1 - k] || new_voters {
                Origin::Other
            } else {
                Origin::Eliminated
            };
            // Candidates by their short labels; the new voters in full.
            let label = match i {
                Some(i) if !new_voters => labels[i].clone(),
                _ => source,
            };
            Segment {
                label,
                votes,
                origin,
            }
        })
        .collect();
    let rank = |o: Origin| match o {
        Origin::Own => 0,
        Origin::Eliminated => 1,
        Origin::Other => 2,
    };
    out.sort_by_key(|x| rank(x.origin));
    out
}

/// Two stacked columns: each finalist's mean runoff vote, one segment per source; a segment too
/// thin for its label is labelled beside the column, on a leader line.
fn draw_totals<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    s: &Summary,
) -> anyhow::Result<()> {
    let columns: Vec<Vec<Segment>> = (0..2).map(|k| segments(s, k)).collect();
    let totals: Vec<f64> = columns
        .iter()
        .map(|c| c.iter().map(|x| x.votes).sum())
        .collect();
    let top = totals.iter().cloned().fold(0.0, f64::max).max(1.0) * 1.12;
    let (w, h) = area.dim_in_pixel();
    let (plot, key) = area.split_vertically(h.saturating_sub(64));
    let mut chart = ChartBuilder::on(&plot)
        .margin_left(10)
        .margin_right(16)
        .margin_top(34)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..2.0, 0.0..top)
        .drawn()?;
    let names = [s.label(0), s.label(1)];
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
    let line_px = LABEL_PX as i32 + 1;
    for (k, column) in columns.iter().enumerate() {
        let colour = finalist_colour(k);
        // The column on the left of its half, the labels of thin segments on the right.
        let (x0, x1) = (k as f64 + 0.04, k as f64 + 0.52);
        let (_, py_zero) = chart.backend_coord(&(x0, 0.0));
        let (side_x, _) = chart.backend_coord(&(x1, 0.0));
        let (side_end, _) = chart.backend_coord(&(k as f64 + 1.0, 0.0));
        let side_w = (side_end - side_x - 14).max(0) as u32;
        let mut base = 0.0;
        let mut beside: Vec<(i32, String)> = Vec::new();
        for seg in column {
            let shade = colour.mix(seg.origin.shade());
            chart
                .draw_series([
                    Rectangle::new([(x0, base), (x1, base + seg.votes)], shade.filled()),
                    Rectangle::new([(x0, base), (x1, base + seg.votes)], WHITE.stroke_width(1)),
                ])
                .drawn()?;
            let (px0, py_top) = chart.backend_coord(&(x0, base + seg.votes));
            let (px1, py_bottom) = chart.backend_coord(&(x1, base));
            let text = format!("{} {}", seg.label, amount(seg.votes));
            let style = label.clone().color(&seg.origin.ink());
            let inside = fit_text(root, &text, &style, (px1 - px0 - 8).max(0) as u32)?;
            if py_bottom - py_top >= LABEL_PX as i32 + 2 && inside.chars().count() > 2 {
                let tw = text_width(root, &inside, &style)? as i32;
                root.draw_text(
                    &inside,
                    &style,
                    (
                        (px0 + px1 - tw) / 2,
                        (py_top + py_bottom) / 2 - (LABEL_PX as i32 - 2) / 2,
                    ),
                )
                .drawn()?;
            } else {
                beside.push(((py_top + py_bottom) / 2, text));
            }
            base += seg.votes;
        }
        // Beside the column, top down, each label as near its segment as the ones above allow;
        // those that would run below the axis are summed into one line.
        beside.reverse();
        let mut y_prev = i32::MIN / 2;
        let side_style = label.clone().color(&INK);
        for (i, (y_seg, text)) in beside.iter().enumerate() {
            let y = (*y_seg).max(y_prev + line_px);
            let rest = beside.len() - i;
            if y + line_px / 2 > py_zero - 2 && rest > 1 {
                let note = format!("+{rest} more (summary.json)");
                let note = fit_text(root, &note, &side_style, side_w)?;
                root.draw_text(&note, &side_style, (side_x + 12, y - line_px / 2))
                    .drawn()?;
                break;
            }
            root.draw(&PathElement::new(
                vec![(side_x + 1, *y_seg), (side_x + 10, y)],
                MUTED.stroke_width(1),
            ))
            .drawn()?;
            let text = fit_text(root, text, &side_style, side_w)?;
            root.draw_text(&text, &side_style, (side_x + 12, y - line_px / 2))
                .drawn()?;
            y_prev = y;
        }
        let style = (FONT, LABEL_PX + 1, FontStyle::Bold)
            .into_font()
            .color(&colour);
        let total = crate::format::votes_to(totals[k], precise);
        let (px_mid, py) = chart.backend_coord(&((x0 + x1) / 2.0, totals[k]));
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
    // What the shades mean, under the columns, in grey (both finalists' colours use them).
    let small = (FONT, LABEL_PX - 2).into_font().color(&INK);
    let mut x = 80;
    let mut y = 8;
    for (origin, text) in [
        (Origin::Own, "the finalist's own voters"),
        (Origin::Eliminated, "eliminated candidates' voters"),
        (Origin::Other, "the other finalist's voters, new voters"),
    ] {
        let text = fit_text(root, text, &small, (w as i32 - 110).max(0) as u32)?;
        let tw = text_width(root, &text, &small)? as i32;
        if x > 80 && x + 19 + tw > w as i32 - 10 {
            (x, y) = (80, y + LABEL_PX as i32 + 8);
        }
        key.draw(&Rectangle::new(
            [(x, y + 1), (x + 14, y + 15)],
            MUTED.mix(origin.shade()).filled(),
        ))
        .drawn()?;
        key.draw_text(&text, &small, (x + 19, y)).drawn()?;
        x += 19 + tw + 16;
    }
    Ok(())
}
