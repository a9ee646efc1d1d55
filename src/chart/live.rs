//! live.png and replay.png: where the race stands on election night, and a past night replayed.

use super::*;
use crate::format::{pct, votes, win_pct};
use crate::live::Projection;
use crate::live::replay::Replay;
use crate::scenario::{A, B};

/// Where the race stands: each finalist's chance, the projected share with its intervals, the
/// vote counted against the vote expected, and what each finalist needs of what is left.
pub struct LiveChart<'a>(pub &'a Projection);

/// A past night replayed: the win probability and the projected share over the night.
pub struct ReplayChart<'a>(pub &'a Replay);

impl Chart for LiveChart<'_> {
    const NAME: &'static str = "live";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let p = self.0;
        let [a, b] = &p.finalists;
        let title = format!(
            "{}: {} of the round-one vote counted ({} of {} units)",
            p.race,
            pct(p.reported_fraction),
            p.units_reported,
            p.units_total
        );
        let subtitle = format!(
            "{a} vs {b} · the final result projected from the units counted, prior: {} · {} draws",
            p.prior,
            votes(p.draws as f64)
        );
        let area = header(root, &title, &subtitle)?;
        let (w, h) = area.dim_in_pixel();
        let (top, rest) = area.split_vertically(110);
        let (middle, bottom) = rest.split_vertically((h - 110) * 55 / 100);

        // Each finalist's chance, in its colour.
        let big = |k: usize| {
            (FONT, BIG_PX, FontStyle::Bold)
                .into_font()
                .color(&finalist_colour(k))
        };
        let small = (FONT, LABEL_PX).into_font().color(&MUTED);
        let mut x = 40;
        for (k, f) in [a, b].iter().enumerate() {
            let text = format!(
                "{} {}",
                fit_text(root, f, &big(k), w / 3)?,
                win_pct(p.win_probability[*f])
            );
            top.draw_text(&text, &big(k), (x, 14)).drawn()?;
            top.draw_text("chance to win", &small, (x, 14 + BIG_PX as i32 + 6))
                .drawn()?;
            x += text_width(root, &text, &big(k))? as i32 + 60;
        }

        // The projected share: 95% and 80% intervals, the median, 50% and the share counted so far.
        let s = &p.share;
        let counted_share = {
            let (ca, cb) = (p.counted[a], p.counted[b]);
            (ca + cb > 0.0).then(|| ca / (ca + cb))
        };
        let lo = s.p025.min(0.5).min(counted_share.unwrap_or(0.5));
        let hi = s.p975.max(0.5).max(counted_share.unwrap_or(0.5));
        let pad = ((hi - lo) * 0.12).max(0.01);
        let (x0, x1) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
        let mut chart = ChartBuilder::on(&middle)
            .margin_left(40)
            .margin_right(40)
            .margin_top(40)
            .x_label_area_size(56)
            .build_cartesian_2d(x0..x1, 0.0..1.0)
            .drawn()?;
        let decimals = crate::format::tick_decimals(100.0 * (x1 - x0), 10);
        house_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(format!("{a}'s two-party share of the final runoff vote"))
            .x_label_formatter(&|x| format!("{:.*}%", decimals, 100.0 * x))
            .draw()
            .drawn()?;
        let colour = finalist_colour(if s.p50 >= 0.5 { A } else { B });
        chart
            .draw_series([
                Rectangle::new([(s.p025, 0.3), (s.p975, 0.7)], colour.mix(0.25).filled()),
                Rectangle::new([(s.p10, 0.3), (s.p90, 0.7)], colour.mix(0.55).filled()),
            ])
            .drawn()?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(s.p50, 0.22), (s.p50, 0.78)],
                INK.stroke_width(4),
            )))
            .drawn()?;
        chart
            .draw_series(DashedLineSeries::new(
                vec![(0.5, 0.0), (0.5, 0.8)],
                8,
                6,
                INK.stroke_width(2),
            ))
            .drawn()?;
        let label = label_style();
        let (mx, my) = chart.backend_coord(&(s.p50, 0.78));
        let median = format!("median {}", pct(s.p50));
        let mw = text_width(root, &median, &label)? as i32;
        root.draw_text(&median, &label, (mx - mw / 2, my - 26))
            .drawn()?;
        let band = format!(
            "80%: {} – {}   95%: {} – {}",
            pct(s.p10),
            pct(s.p90),
            pct(s.p025),
            pct(s.p975)
        );
        let (bx, by) = chart.backend_coord(&(s.p025, 0.3));
        root.draw_text(&band, &label.color(&MUTED), (bx, by + 6))
            .drawn()?;
        if let Some(c) = counted_share {
            chart
                .draw_series(std::iter::once(TriangleMarker::new(
                    (c, 0.18),
                    9,
                    INK.filled(),
                )))
                .drawn()?;
            let (cx, cy) = chart.backend_coord(&(c, 0.18));
            let text = format!("counted so far {}", pct(c));
            let tw = text_width(root, &text, &label)? as i32;
            let (right_edge, _) = chart.backend_coord(&(x1, 0.0));
            let tx = if cx + 14 + tw < right_edge {
                cx + 14
            } else {
                cx - 14 - tw
            };
            root.draw_text(&text, &label, (tx, cy - 9)).drawn()?;
        }

        // The vote: counted for each finalist, then expected still to count; and the hurdles.
        let (ca, cb, left) = (p.counted[a], p.counted[b], p.expected_outstanding.max(0.0));
        let all = (ca + cb + left).max(1.0);
        let bar = bottom.margin(24, 0, 40, 40);
        let (bar_w, _) = bar.dim_in_pixel();
        let px = |v: f64| (v / all * bar_w as f64).round() as i32;
        let segments = [
            (ca, finalist_colour(A), format!("{a} counted {}", votes(ca))),
            (cb, finalist_colour(B), format!("{b} counted {}", votes(cb))),
            (
                left,
                HOME,
                format!("expected still to count {}", votes(left)),
            ),
        ];
        let mut at = 0;
        let text_style = (FONT, LABEL_PX - 1).into_font();
        for (v, c, text) in &segments {
            let width = px(*v);
            if width > 0 {
                bar.draw(&Rectangle::new([(at, 0), (at + width, 44)], c.filled()))
                    .drawn()?;
                let ink = if *c == HOME { INK } else { WHITE };
                let fitted = fit_text(
                    root,
                    text,
                    &text_style.clone().color(&ink),
                    (width - 12).max(0) as u32,
                )?;
                if fitted.chars().count() > 3 {
                    bar.draw_text(&fitted, &text_style.clone().color(&ink), (at + 6, 13))
                        .drawn()?;
                }
            }
            at += width;
        }
        let lines = [p.hurdle_words(a), p.hurdle_words(b)];
        for (i, line) in lines.iter().enumerate() {
            bar.draw_text(
                line,
                &label.clone().color(&finalist_colour(i)),
                (0, 62 + i as i32 * (LABEL_PX as i32 + 10)),
            )
            .drawn()?;
        }
        Ok(())
    }
}

impl Chart for ReplayChart<'_> {
    const NAME: &'static str = "replay";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let r = self.0;
        let a = &r.finalists[A];
        let title = format!(
            "{}: the night replayed, units counted {}",
            r.race,
            r.order.name().replace('-', " ")
        );
        let subtitle = format!(
            "{a}'s chance to win, and the projected two-party share with 80% and 95% intervals, \
             against the final {} · prior: {}",
            pct(r.final_share),
            r.prior
        );
        let area = header(root, &title, &subtitle)?;
        let (_, h) = area.dim_in_pixel();
        let (upper, lower) = area.split_vertically(h * 40 / 100);
        let xs: Vec<f64> = r.steps.iter().map(|s| s.reported_fraction).collect();

        let mut win = ChartBuilder::on(&upper)
            .margin_left(20)
            .margin_right(40)
            .margin_top(10)
            .x_label_area_size(30)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..1.0, 0.0..1.0)
            .drawn()?;
        house_mesh(&mut win.configure_mesh())
            .y_desc(format!("P({} wins)", crate::format::short_name(a)))
            .x_label_formatter(&|x| format!("{:.0}%", 100.0 * x))
            .y_label_formatter(&|y| format!("{:.0}%", 100.0 * y))
            .y_labels(5)
            .draw()
            .drawn()?;
        win.draw_series(DashedLineSeries::new(
            vec![(0.0, 0.5), (1.0, 0.5)],
            8,
            6,
            MUTED.stroke_width(1),
        ))
        .drawn()?;
        win.draw_series(LineSeries::new(
            xs.iter()
                .zip(&r.steps)
                .map(|(x, s)| (*x, s.win_probability)),
            FIRST.stroke_width(3),
        ))
        .drawn()?;
        win.draw_series(
            xs.iter()
                .zip(&r.steps)
                .map(|(x, s)| Circle::new((*x, s.win_probability), 4, FIRST.filled())),
        )
        .drawn()?;

        let lo = r
            .steps
            .iter()
            .map(|s| s.share.p025)
            .fold(r.final_share.min(0.5), f64::min);
        let hi = r
            .steps
            .iter()
            .map(|s| s.share.p975)
            .fold(r.final_share.max(0.5), f64::max);
        let pad = ((hi - lo) * 0.06).max(0.005);
        let (y0, y1) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
        let mut share = ChartBuilder::on(&lower)
            .margin_left(20)
            .margin_right(40)
            .margin_top(10)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..1.0, y0..y1)
            .drawn()?;
        let decimals = crate::format::tick_decimals(100.0 * (y1 - y0), 8);
        house_mesh(&mut share.configure_mesh())
            .x_desc("share of the round-one vote counted")
            .y_desc(format!("{}'s share", crate::format::short_name(a)))
            .x_label_formatter(&|x| format!("{:.0}%", 100.0 * x))
            .y_label_formatter(&|y| format!("{:.*}%", decimals, 100.0 * y))
            .draw()
            .drawn()?;
        let band = |lo: fn(&crate::live::Quantiles5) -> f64,
                    hi: fn(&crate::live::Quantiles5) -> f64| {
            xs.iter()
                .zip(&r.steps)
                .map(|(x, s)| (*x, hi(&s.share)))
                .chain(
                    xs.iter()
                        .zip(&r.steps)
                        .rev()
                        .map(|(x, s)| (*x, lo(&s.share))),
                )
                .collect::<Vec<_>>()
        };
        share
            .draw_series(std::iter::once(Polygon::new(
                band(|q| q.p025, |q| q.p975),
                FIRST.mix(0.18).filled(),
            )))
            .drawn()?
            .label("95% interval")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 6), (x + 20, y + 6)], FIRST.mix(0.18).filled())
            });
        share
            .draw_series(std::iter::once(Polygon::new(
                band(|q| q.p10, |q| q.p90),
                FIRST.mix(0.4).filled(),
            )))
            .drawn()?
            .label("80% interval")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 6), (x + 20, y + 6)], FIRST.mix(0.4).filled())
            });
        share
            .draw_series(LineSeries::new(
                xs.iter().zip(&r.steps).map(|(x, s)| (*x, s.share.p50)),
                FIRST.stroke_width(3),
            ))
            .drawn()?
            .label("projected median")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], FIRST.stroke_width(3)));
        share
            .draw_series(DashedLineSeries::new(
                vec![(0.0, r.final_share), (1.0, r.final_share)],
                10,
                6,
                ACTUAL.stroke_width(2),
            ))
            .drawn()?
            .label(format!("final result {}", pct(r.final_share)))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], ACTUAL.stroke_width(2)));
        share
            .draw_series(DashedLineSeries::new(
                vec![(0.0, 0.5), (1.0, 0.5)],
                8,
                6,
                MUTED.stroke_width(1),
            ))
            .drawn()?;
        share
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font(label_style())
            .draw()
            .drawn()?;
        Ok(())
    }
}
