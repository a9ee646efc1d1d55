//! polls.png: the dated polls over time (by their last day in the field), each with its 95%
//! interval, against the forecast's interval of the share once the polls are in, and the result.

use super::*;
use crate::format::{pct, tick_decimals};
use crate::summary::{PollRow, Summary};

/// The polls chart of one scenario with dated polls.
pub struct PollsChart<'a>(pub &'a Summary);

impl PollsChart<'_> {
    /// Whether the scenario has a dated poll to draw.
    pub fn applies(s: &Summary) -> bool {
        s.polls
            .as_ref()
            .is_some_and(|p| p.polls.iter().any(|r| day_of(r).is_some()))
    }
}

/// Days since 1970-01-01 of a poll's end date (`YYYY-MM-DD`), by Hinnant's `days_from_civil`.
fn day_of(poll: &PollRow) -> Option<i64> {
    let date = poll.end_date.as_deref()?;
    let mut parts = date.split('-').map(str::parse::<i64>);
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `YYYY-MM-DD` of a day since 1970-01-01, by Hinnant's `civil_from_days`.
fn date_of(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

impl Chart for PollsChart<'_> {
    const NAME: &'static str = "polls";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let s = self.0;
        let Some(polls) = &s.polls else {
            return Ok(());
        };
        let dated: Vec<(i64, &PollRow)> = polls
            .polls
            .iter()
            .filter_map(|p| day_of(p).map(|d| (d, p)))
            .collect();
        let undated = polls.polls.len() - dated.len();
        let a = &s.finalists[0];
        let short = s.label(0);
        let mut subtitle = "'s share of the decided in each poll (95% from its own error), by its last day in the field".to_string();
        if undated > 0 {
            let s = if undated == 1 { "" } else { "s" };
            subtitle.push_str(&format!("; {undated} poll{s} without a date left out"));
        }
        let area = header_parts(
            root,
            &[
                ("The polls against the forecast: ", false),
                (&s.scenario, true),
            ],
            &[(a, true), (&subtitle, false)],
        )?;
        let first = dated.iter().map(|(d, _)| *d).min().unwrap_or(0);
        let last = dated.iter().map(|(d, _)| *d).max().unwrap_or(0);
        let span = ((last - first) as f64).max(14.0);
        let (x_lo, x_hi) = (first as f64 - 0.08 * span, last as f64 + 0.3 * span);
        let mut lo = s.share.p05.min(0.5);
        let mut hi = s.share.p95.max(0.5);
        for (_, p) in &dated {
            lo = lo.min(p.interval95[0]);
            hi = hi.max(p.interval95[1]);
        }
        if let Some(actual) = &s.actual {
            lo = lo.min(actual.share);
            hi = hi.max(actual.share);
        }
        let pad = 0.06 * (hi - lo).max(0.02);
        let (y_lo, y_hi) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
        let mut chart = ChartBuilder::on(&area)
            .margin_left(20)
            .margin_right(40)
            .margin_bottom(10)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
            .drawn()?;
        let decimals = tick_decimals(100.0 * (y_hi - y_lo), 10);
        house_mesh(&mut chart.configure_mesh())
            .disable_x_mesh()
            .x_labels(6)
            .x_desc("last day in the field")
            .y_desc(format!("{short}'s two-party share"))
            .x_label_formatter(&|x| date_of(x.round() as i64))
            .y_label_formatter(&|y| format!("{:.*}%", decimals, 100.0 * y))
            .draw()
            .drawn()?;

        // The forecast with the polls in: its 90% interval and median, across the whole chart.
        let band = FIRST.mix(0.12);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x_lo, s.share.p05), (x_hi, s.share.p95)],
                band.filled(),
            )))
            .drawn()?;
        let across = |y: f64, colour: RGBColor, width: u32| {
            PathElement::new(vec![(x_lo, y), (x_hi, y)], colour.stroke_width(width))
        };
        chart
            .draw_series([across(s.share.p50, FIRST, 3), across(0.5, INK, 1)])
            .drawn()?;
        if let Some(actual) = &s.actual {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x_lo, actual.share), (x_hi, actual.share)],
                    10,
                    5,
                    ACTUAL.stroke_width(3),
                ))
                .drawn()?;
        }
        for (day, p) in &dated {
            let x = *day as f64;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, p.interval95[0]), (x, p.interval95[1])],
                    INK.stroke_width(2),
                )))
                .drawn()?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (x, p.decided_share),
                    6,
                    INK.filled(),
                )))
                .drawn()?;
        }
        // Each poll's pollster beside it, small.
        let small = (FONT, LABEL_PX - 3).into_font().color(&INK);
        for (day, p) in &dated {
            if let Some(name) = &p.pollster {
                let (px, py) = chart.backend_coord(&(*day as f64, p.decided_share));
                root.draw_text(name, &small, (px + 10, py - (LABEL_PX as i32 - 3) / 2))
                    .drawn()?;
            }
        }
        // The lines' meanings, right-aligned at the right end, where no poll stands.
        let label = label_style();
        let right = chart.plotting_area().get_pixel_range().0.end;
        let note = |y: f64, text: &str, colour: RGBColor| -> anyhow::Result<()> {
            let style = label.clone().color(&colour);
            let w = text_width(root, text, &style)? as i32;
            let (_, py) = chart.backend_coord(&(x_hi, y));
            root.draw_text(text, &style, (right - w - 8, py - LABEL_PX as i32 - 4))
                .drawn()
        };
        note(
            s.share.p50,
            &format!(
                "forecast with the polls: median {}, 90% {} – {}",
                pct(s.share.p50),
                pct(s.share.p05),
                pct(s.share.p95)
            ),
            FIRST,
        )?;
        if let Some(actual) = &s.actual {
            note(
                actual.share,
                &format!("actual {}", pct(actual.share)),
                ACTUAL,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_go_to_days_and_back() {
        let poll = |d: &str| PollRow {
            pollster: None,
            end_date: Some(d.to_string()),
            n: 1.0,
            shares: Default::default(),
            decided_share: 0.5,
            interval95: [0.4, 0.6],
        };
        assert_eq!(day_of(&poll("1970-01-01")), Some(0));
        assert_eq!(day_of(&poll("2020-07-14")), Some(18_457));
        for d in ["2020-02-29", "2000-03-01", "1999-12-31", "2024-12-31"] {
            assert_eq!(date_of(day_of(&poll(d)).unwrap()), d);
        }
    }
}
