//! turnout.png: runoff turnout against the first-round total, and the margin in votes, each as a distribution over draws.

use super::*;
use crate::engine::Bins;
use crate::format::{actual_label, bin_votes, full_votes, pct, tick_votes};
use crate::summary::{Quantiles, Summary};

/// The turnout-and-margin chart of one scenario.
pub struct TurnoutChart<'a>(pub &'a Summary);

impl Chart for TurnoutChart<'_> {
    const NAME: &'static str = "turnout";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let s = self.0;
        let t = &s.turnout;
        let decimals = s.vote_decimals();
        let subtitle = format!(
            "Runoff turnout: median {}, {} of the first round's {} · margin: {}'s lead in votes",
            crate::format::votes_with_noun(t.votes.p50, decimals),
            pct(t.votes.p50 / t.first_round_total),
            crate::format::votes_to(t.first_round_total, decimals),
            s.finalists[0]
        );
        let area = header(root, &s.scenario, &subtitle)?;
        let (w, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(w / 2);
        let first_round = t.first_round_total;
        panel(
            root,
            &left,
            &s.distributions.turnout_votes,
            &t.votes,
            Panel {
                x_desc: "runoff turnout (votes)".to_string(),
                reference: Some((
                    first_round,
                    format!("first round {}", full_votes(first_round, false, decimals)),
                )),
                colours: [RGBColor(0, 158, 115); 2],
                ties: 0.0,
                signed: false,
                decimals,
                actual: s.actual.as_ref().map(|a| {
                    let text = full_votes(a.turnout_votes, false, decimals);
                    (a.turnout_votes, actual_label(&text, a.turnout_percentile))
                }),
            },
        )?;
        panel(
            root,
            &right,
            &s.distributions.margin_votes,
            &s.margin_votes,
            Panel {
                x_desc: format!(
                    "margin in votes (> 0: {} ahead; < 0: {} ahead)",
                    s.label(0),
                    s.label(1)
                ),
                reference: Some((0.0, "tie".to_string())),
                colours: [SECOND, FIRST],
                ties: s.ties_in(&s.distributions.margin_votes),
                signed: true,
                decimals,
                actual: s.actual.as_ref().map(|a| {
                    let text = full_votes(a.margin_votes, true, decimals);
                    (a.margin_votes, actual_label(&text, a.margin_percentile))
                }),
            },
        )
    }
}

/// How one histogram panel is labelled and coloured.
struct Panel {
    x_desc: String,
    reference: Option<(f64, String)>,
    /// The bars' colours below and above 0 (see [`coloured_bars`]).
    colours: [RGBColor; 2],
    /// Draws with a margin of exactly 0, in the units of the bars (weights with polls).
    ties: f64,
    signed: bool,
    /// Of the annotations' vote counts, as [`crate::summary::Summary::vote_decimals`] gives them.
    decimals: usize,
    /// The runoff's actual value and its label, when the scenario gives it.
    actual: Option<(f64, String)>,
}

/// A histogram with its median, 90% band and a reference line.
fn panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    bins: &Bins,
    q: &Quantiles,
    p: Panel,
) -> anyhow::Result<()> {
    let heights = percent_per_bin(bins);
    let data_lo = bins.lo;
    let data_hi = bins.lo + bins.width * bins.counts.len() as f64;
    let (mut lo, mut hi) = (data_lo, data_hi);
    for (r, _) in p.reference.iter().chain(&p.actual) {
        lo = lo.min(*r);
        hi = hi.max(*r);
    }
    let pad = (0.06 * (hi - lo))
        .max(1.0)
        .max(0.02 * hi.abs().max(lo.abs()));
    let (lo, hi) = (lo - pad, hi + pad);
    let min_width = (hi - lo) / 120.0;
    let y_max = heights.iter().cloned().fold(0.0, f64::max).max(1e-9) * 1.3;
    let mut chart = ChartBuilder::on(area)
        .margin_left(16)
        .margin_right(36)
        .margin_top(10)
        .margin_bottom(10)
        .x_label_area_size(60)
        .y_label_area_size(70)
        .build_cartesian_2d(lo..hi, 0.0..y_max)
        .drawn()?;
    let signed = p.signed;
    let step = axis_step(lo, hi, 6);
    house_mesh(&mut chart.configure_mesh())
        .disable_x_mesh()
        .x_labels(6)
        .x_label_formatter(&|x| tick_votes(*x, signed, step))
        .y_label_formatter(&|y| format!("{y:.1}"))
        .x_desc(p.x_desc.as_str())
        .y_desc(if bins.counts.len() > 1 {
            format!("% of draws per {}-vote bin", bin_votes(bins.width))
        } else {
            "% of draws".to_string()
        })
        .draw()
        .drawn()?;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(q.p05, 0.0), (q.p95, y_max * 0.8)],
            RGBColor(120, 120, 120).mix(0.12).filled(),
        )))
        .drawn()?;
    let bars = coloured_bars(bins, &heights, min_width, (0.0, p.ties), p.colours);
    chart.draw_series(bars).drawn()?;

    let label = label_style();
    let (px_lo, px_hi) = {
        let (xr, _) = chart.plotting_area().get_pixel_range();
        (xr.start, xr.end)
    };
    // A line at `x` with `text` above it, `row` label heights up, the text in `ink`.
    let mut annotate = |x: f64,
                        text: &str,
                        row: i32,
                        (colour, ink): (RGBColor, RGBColor),
                        dashed: bool|
     -> anyhow::Result<()> {
        let label = label.clone().color(&ink);
        let top = y_max * 0.8;
        if dashed {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, 0.0), (x, top)],
                    8,
                    6,
                    colour.stroke_width(2),
                ))
                .drawn()?;
        } else {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, 0.0), (x, top)],
                    colour.stroke_width(3),
                )))
                .drawn()?;
        }
        let (px, py) = chart.backend_coord(&(x, top));
        let tw = text_width(root, text, &label)? as i32;
        let tx = (px - tw / 2).clamp(px_lo + 2, (px_hi - tw - 2).max(px_lo + 2));
        root.draw_text(text, &label, (tx, py - (LABEL_PX as i32 + 6) * row))
            .drawn()?;
        Ok(())
    };
    annotate(
        q.p50,
        &format!("median {}", full_votes(q.p50, signed, p.decimals)),
        1,
        (RGBColor(0, 0, 0), INK),
        false,
    )?;
    if let Some((r, text)) = &p.reference {
        annotate(*r, text, 2, (INK, INK), true)?;
    }
    if let Some((x, text)) = &p.actual {
        annotate(*x, text, 3, (ACTUAL, ACTUAL), true)?;
    }
    let band = format!(
        "90% of draws: {} to {}",
        full_votes(q.p05, signed, p.decimals),
        full_votes(q.p95, signed, p.decimals)
    );
    let (_, py) = chart.backend_coord(&(lo, y_max));
    root.draw_text(&band, &label, (px_lo + 8, py + 4)).drawn()?;
    Ok(())
}
