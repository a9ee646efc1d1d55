//! win_probability.png: the batch at a glance, each scenario's first-finalist win probability with its 95% interval, in file order.

use super::*;
use crate::format::win_pct;
use crate::summary::Summary;

/// The batch chart.
pub struct WinProbabilityChart<'a>(pub &'a [Summary]);

/// Pixel height per scenario row.
const ROW_PX: u32 = 56;

/// Most scenarios drawn: a larger batch draws its first ones and says so (summary.csv has all).
pub const MAX_ROWS: usize = 100;

impl WinProbabilityChart<'_> {
    /// Height grows with the batch: 240 + 56·scenarios, up to [`MAX_ROWS`] of them.
    pub fn height(scenarios: usize) -> u32 {
        240 + ROW_PX * scenarios.clamp(1, MAX_ROWS) as u32
    }
}

impl Chart for WinProbabilityChart<'_> {
    const NAME: &'static str = "win_probability";

    fn size(&self) -> (u32, u32) {
        (WIDTH, Self::height(self.0.len()))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let layout = BatchLayout {
            title_end: "chance of winning, by scenario",
            subtitle: "dot = win probability, bar = 95% interval (Monte Carlo)",
            x_desc: ("probability that ", " wins"),
            x_desc_generic: "probability that the first finalist wins",
            x_range: 0.0..1.0,
        };
        draw_batch(root, self.0, &layout, |chart, s, y| {
            let a = &s.finalists[0];
            let p = s.win_probability[a];
            let [lo, hi] = s.win_probability_ci95[a];
            let colour = if p >= 0.5 { FIRST } else { SECOND };
            chart
                .draw_series([
                    PathElement::new(vec![(lo, y), (hi, y)], colour.stroke_width(4)),
                    PathElement::new(vec![(lo, y - 0.15), (lo, y + 0.15)], colour.stroke_width(2)),
                    PathElement::new(vec![(hi, y - 0.15), (hi, y + 0.15)], colour.stroke_width(2)),
                ])
                .drawn()?;
            chart
                .draw_series(std::iter::once(Circle::new((p, y), 8, colour.filled())))
                .drawn()?;
            value_above(root, chart, &win_pct(p), (p, y), colour, false)
        })
    }
}

/// What a batch chart says around its rows.
pub(super) struct BatchLayout<'t> {
    /// The title after "A vs B: A's " (or "The first finalist's ").
    pub title_end: &'t str,
    /// The subtitle before "; at least N draws each".
    pub subtitle: &'t str,
    /// The x axis around the first finalist's name.
    pub x_desc: (&'t str, &'t str),
    /// The x axis when the scenarios have different finalists.
    pub x_desc_generic: &'t str,
    /// The x axis's range (0 to 1 for probabilities).
    pub x_range: std::ops::Range<f64>,
}

/// The chart of one row per scenario on an axis of `layout.x_range` with a dashed 50% line, each row labelled
/// with the scenario's name and its finalists, and marked by `mark` at height `y`.
pub(super) fn draw_batch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    all: &[Summary],
    layout: &BatchLayout,
    mark: impl Fn(&mut RowPlot<'_, DB>, &Summary, f64) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let summaries = &all[..all.len().min(MAX_ROWS)];
    let n = summaries.len().max(1);
    let same_finalists = summaries
        .windows(2)
        .all(|w| w[0].finalists == w[1].finalists);
    let first = summaries.first().map(|s| s.finalists.clone());
    let title_end = match &first {
        Some(_) => format!(": {}'s {}", summaries[0].label(0), layout.title_end),
        None => String::new(),
    };
    let generic = format!("The first finalist's {}", layout.title_end);
    let title: Vec<(&str, bool)> = match (&first, same_finalists) {
        (Some([a, b]), true) => {
            vec![(a, true), (" vs ", false), (b, true), (&title_end, false)]
        }
        _ => vec![(&generic, false)],
    };
    let draws = summaries.iter().map(|s| s.draws).min().unwrap_or(0);
    let subtitle = format!(
        "{}; at least {} draws each{}",
        layout.subtitle,
        crate::format::votes(draws as f64),
        if all.len() > summaries.len() {
            format!(
                "; the first {} of {} scenarios (all are in summary.csv)",
                summaries.len(),
                all.len()
            )
        } else {
            String::new()
        }
    );
    let area = header_parts(root, &title, &[(&subtitle, true)])?;
    let label = (FONT, LABEL_PX + 1).into_font().color(&INK);
    let small = (FONT, LABEL_PX - 1).into_font().color(&MUTED);
    let (w, _) = area.dim_in_pixel();
    let max_label = w * 42 / 100;
    let mut names = Vec::new();
    let mut label_px = 0;
    for s in summaries {
        let name = fit_text(root, &s.scenario, &label, max_label)?;
        let [a, b] = &s.finalists;
        let detail = fit_parts(
            root,
            &[(a, true), (" vs ", false), (b, true)],
            &small,
            max_label,
        )?;
        label_px = label_px
            .max(text_width(root, &name, &label)?)
            .max(text_width(root, &detail, &small)?);
        names.push((name, detail));
    }
    let mut chart = row_plot(&area, layout.x_range.clone(), n, label_px, 50)?;
    // Under the plot: the image less the labels and margins, and some air.
    let plot_px = w.saturating_sub(label_px + 20 + 66 + 40);
    let x_desc = match (&first, same_finalists) {
        (Some([a, _]), true) => fit_parts(
            root,
            &[
                (layout.x_desc.0, false),
                (a, true),
                (layout.x_desc.1, false),
            ],
            &label_style(),
            plot_px,
        )?,
        _ => layout.x_desc_generic.to_string(),
    };
    house_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(11)
        .x_label_formatter(&|x| format!("{:.0}%", 100.0 * x))
        .x_desc(x_desc)
        .draw()
        .drawn()?;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(0.5, 0.0), (0.5, n as f64)],
            8,
            6,
            INK.stroke_width(2),
        ))
        .drawn()?;
    for (i, s) in summaries.iter().enumerate() {
        let y = n as f64 - i as f64 - 0.5;
        mark(&mut chart, s, y)?;
        let (lx, py) = chart.backend_coord(&(layout.x_range.start, y));
        let (name, detail) = &names[i];
        let nw = text_width(root, name, &label)? as i32;
        let dw = text_width(root, detail, &small)? as i32;
        root.draw_text(name, &label, (lx - nw - 12, py - LABEL_PX as i32))
            .drawn()?;
        root.draw_text(detail, &small, (lx - dw - 12, py + 3))
            .drawn()?;
    }
    Ok(())
}

/// `text` in bold `colour` above `at`: right of it (left with `leftward`), unless that runs off
/// the plot.
pub(super) fn value_above<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &RowPlot<'_, DB>,
    text: &str,
    at: (f64, f64),
    colour: RGBColor,
    leftward: bool,
) -> anyhow::Result<()> {
    let (px, py) = chart.backend_coord(&at);
    let value_style = (FONT, LABEL_PX + 1, FontStyle::Bold)
        .into_font()
        .color(&colour);
    let vw = text_width(root, text, &value_style)? as i32;
    let x_range = chart.plotting_area().get_pixel_range().0;
    let (right, left) = (px + 16, px - 16 - vw);
    let vx = if leftward && left > x_range.start || right + vw >= x_range.end {
        left
    } else {
        right
    };
    root.draw_text(text, &value_style, (vx, py - LABEL_PX as i32 - 8))
        .drawn()
}
