//! share_by_scenario.png: the batch at a glance, each scenario's first-finalist two-party share (median, middle half and 90% of the draws), in file order.

use super::win_probability::{BatchLayout, draw_batch, value_above};
use super::*;
use crate::format::pct;
use crate::summary::Summary;

/// The batch chart of shares: how far each scenario puts the first finalist from 50%, where
/// win_probability.png says how likely each side is.
pub struct ShareByScenarioChart<'a>(pub &'a [Summary]);

impl Chart for ShareByScenarioChart<'_> {
    const NAME: &'static str = "share_by_scenario";

    fn size(&self) -> (u32, u32) {
        (WIDTH, WinProbabilityChart::height(self.0.len()))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let mut subtitle = "dot = median over the draws, thick bar = middle half (25%–75%), thin bar = 90% (5%–95%)".to_string();
        if self.0.iter().any(|s| s.actual.is_some()) {
            subtitle.push_str("; purple tick = actual result");
        }
        // The axis spans the scenarios' 90% intervals, the actual results and the 50% line, in
        // steps of five points: a 0–100% axis would leave two thirds of the width empty.
        let shown = &self.0[..self.0.len().min(MAX_BATCH_ROWS)];
        let (mut lo, mut hi) = (0.5f64, 0.5f64);
        for s in shown {
            lo = lo.min(s.share.p05);
            hi = hi.max(s.share.p95);
            if let Some(a) = &s.actual {
                (lo, hi) = (lo.min(a.share), hi.max(a.share));
            }
        }
        let lo = ((lo - 0.02) * 20.0).floor().max(0.0) / 20.0;
        let hi = ((hi + 0.02) * 20.0).ceil().min(20.0) / 20.0;
        let layout = BatchLayout {
            title_end: "two-party share, by scenario",
            subtitle: &subtitle,
            x_desc: ("", "'s share of the two-party runoff vote"),
            x_desc_generic: "the first finalist's share of the two-party runoff vote",
            x_range: lo..hi,
        };
        draw_batch(root, self.0, &layout, |chart, s, y| {
            let q = &s.share;
            // The side of 50% the median is on, as win_probability.png colours the likelier side.
            let colour = if q.p50 >= 0.5 { FIRST } else { SECOND };
            chart
                .draw_series([
                    PathElement::new(vec![(q.p05, y), (q.p95, y)], colour.stroke_width(2)),
                    PathElement::new(vec![(q.p25, y), (q.p75, y)], colour.stroke_width(8)),
                ])
                .drawn()?;
            chart
                .draw_series(std::iter::once(Circle::new((q.p50, y), 8, colour.filled())))
                .drawn()?;
            // The actual share over the dot, short enough to stay clear of the value above it.
            if let Some(actual) = &s.actual {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(actual.share, y - 0.16), (actual.share, y + 0.16)],
                        ACTUAL.stroke_width(4),
                    )))
                    .drawn()?;
            }
            // Its value on the side away from the 50% line, which a median is often near.
            value_above(root, chart, &pct(q.p50), (q.p50, y), colour, q.p50 < 0.5)
        })
    }
}
