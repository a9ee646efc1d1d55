//! reliability.png and pit.png: whether the default prior's probabilities and intervals mean what they say.

use super::*;
use crate::backtest::Backtest;
use crate::format::pct;
use crate::stats::{Z95, wilson_interval};

/// Predicted probability against observed frequency, in five bins.
pub struct ReliabilityChart<'a>(pub &'a Backtest);

/// The PIT histogram of the leader's actual share.
pub struct PitChart<'a>(pub &'a Backtest);

/// Probability bins of the reliability diagram.
const RELIABILITY_BINS: usize = 5;

impl Chart for ReliabilityChart<'_> {
    const NAME: &'static str = "reliability";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let b = self.0;
        let subtitle = format!(
            "Predicted chance that the first-round leader wins the runoff vs how often it did · {} races, leave-one-race-out · Brier {:.3}, log loss {:.3}",
            b.scores.races, b.scores.brier, b.scores.log_loss
        );
        let area = header(root, "Reliability of the default prior", &subtitle)?;
        let mut chart = ChartBuilder::on(&area)
            .margin_left(20)
            .margin_right(60)
            .margin_bottom(10)
            .x_label_area_size(60)
            .y_label_area_size(80)
            // A little room beyond 0% and 100%, so points and whiskers there are not cut by the frame.
            .build_cartesian_2d(-0.02..1.02, -0.04..1.04)
            .drawn()?;
        house_mesh(&mut chart.configure_mesh())
            .x_desc("predicted probability that the leader wins")
            .y_desc("observed frequency (95% interval)")
            .x_label_formatter(&|x| format!("{:.0}%", 100.0 * x))
            .y_label_formatter(&|y| format!("{:.0}%", 100.0 * y))
            .draw()
            .drawn()?;
        chart
            .draw_series(DashedLineSeries::new(
                vec![(0.0, 0.0), (1.0, 1.0)],
                8,
                6,
                MUTED.stroke_width(2),
            ))
            .drawn()?;
        let label = label_style();
        for k in 0..RELIABILITY_BINS {
            let (lo, hi) = (
                k as f64 / RELIABILITY_BINS as f64,
                (k + 1) as f64 / RELIABILITY_BINS as f64,
            );
            let in_bin: Vec<_> = b
                .per_race
                .iter()
                .filter(|r| {
                    r.p_leader_wins >= lo
                        && (r.p_leader_wins < hi
                            || (k + 1 == RELIABILITY_BINS && r.p_leader_wins <= hi))
                })
                .collect();
            if in_bin.is_empty() {
                continue;
            }
            let n = in_bin.len() as u64;
            let won = in_bin.iter().filter(|r| r.leader_won).count() as u64;
            let x = in_bin.iter().map(|r| r.p_leader_wins).sum::<f64>() / n as f64;
            let y = won as f64 / n as f64;
            let [ylo, yhi] = wilson_interval(won, n, Z95);
            chart
                .draw_series([
                    PathElement::new(vec![(x, ylo), (x, yhi)], FIRST.stroke_width(3)),
                    PathElement::new(
                        vec![(x - 0.01, ylo), (x + 0.01, ylo)],
                        FIRST.stroke_width(2),
                    ),
                    PathElement::new(
                        vec![(x - 0.01, yhi), (x + 0.01, yhi)],
                        FIRST.stroke_width(2),
                    ),
                ])
                .drawn()?;
            let radius = 4 + (n as i32).min(20);
            chart
                .draw_series(std::iter::once(Circle::new((x, y), radius, FIRST.filled())))
                .drawn()?;
            let (px, py) = chart.backend_coord(&(x, y));
            let text = format!("{won} of {n}");
            let (tx, ty) = (px + radius + 8, py - 8);
            // On white, so the diagonal does not run through the count.
            let tw = text_width(root, &text, &label)? as i32;
            root.draw(&Rectangle::new(
                [(tx - 3, ty - 2), (tx + tw + 3, ty + LABEL_PX as i32 + 2)],
                WHITE.filled(),
            ))
            .drawn()?;
            root.draw_text(&text, &label, (tx, ty)).drawn()?;
        }
        Ok(())
    }
}

impl Chart for PitChart<'_> {
    const NAME: &'static str = "pit";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let b = self.0;
        let counts = &b.scores.pit_histogram;
        let n: u64 = counts.iter().sum();
        let bins = counts.len().max(1);
        let expected = n as f64 / bins as f64;
        let band = Z95 * (n as f64 * (1.0 / bins as f64) * (1.0 - 1.0 / bins as f64)).sqrt();
        let subtitle = format!(
            "Where each race's actual leader share fell in its predicted distribution · flat = calibrated · coverage 50/80/95%: {} / {} / {}",
            pct(b.scores.coverage["50"]),
            pct(b.scores.coverage["80"]),
            pct(b.scores.coverage["95"])
        );
        let area = header(root, "PIT histogram of the default prior", &subtitle)?;
        let top = (counts.iter().cloned().max().unwrap_or(1) as f64).max(expected + band) * 1.2;
        let mut chart = ChartBuilder::on(&area)
            .margin_left(20)
            .margin_right(60)
            .margin_bottom(10)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..1.0, 0.0..top)
            .drawn()?;
        house_mesh(&mut chart.configure_mesh())
            .disable_x_mesh()
            .x_desc("PIT: predictive probability below the actual share")
            .y_desc("races")
            // Counts of races: ticks at whole numbers (a top of 1.2 once read 0, 0, 0, 1, 1, 1).
            .y_labels((top.floor() as usize + 1).clamp(2, 11))
            .x_label_formatter(&|x| format!("{x:.1}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .drawn()?;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, (expected - band).max(0.0)), (1.0, expected + band)],
                MUTED.mix(0.15).filled(),
            )))
            .drawn()?;
        chart
            .draw_series(counts.iter().enumerate().map(|(i, &c)| {
                let w = 1.0 / bins as f64;
                Rectangle::new(
                    [
                        (i as f64 * w + 0.005, 0.0),
                        ((i + 1) as f64 * w - 0.005, c as f64),
                    ],
                    FIRST.filled(),
                )
            }))
            .drawn()?;
        chart
            .draw_series(DashedLineSeries::new(
                vec![(0.0, expected), (1.0, expected)],
                8,
                6,
                INK.stroke_width(2),
            ))
            .drawn()?;
        let label = label_style();
        let (px, py) = chart.backend_coord(&(0.01, expected + band));
        root.draw_text(
            "flat: a calibrated forecast (band: 95% for a uniform PIT)",
            &label,
            (px, py - LABEL_PX as i32 - 6),
        )
        .drawn()?;
        Ok(())
    }
}
