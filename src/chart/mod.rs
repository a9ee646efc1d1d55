//! Charts drawn from a [`Summary`] (never by re-running the engine): the palette, sizes and fonts
//! for all of them, and PNG/SVG output.
//!
//! What belongs here: one file per chart (a type implementing [`Chart`]), drawing only from results
//! already computed (a summary, a sweep, a backtest, a fit); the shared style and layout helpers in
//! this file. Numbers and names on a chart are written by `format`, as in the tables.
//!
//! Palette: Okabe & Ito (2008), "Color Universal Design", readable with every common colour-vision
//! deficiency. The first finalist is always blue, the second always vermillion, staying home grey.

mod backtest;
mod bidi;
mod break_even;
mod fit;
mod flows;
mod live;
mod match_actual;
mod polls;
mod sankey;
mod share;
mod share_by_scenario;
mod sweep;
mod tornado;
mod turnout;
mod win_probability;
mod wins;

use crate::output::{AtomicDir, write_atomic};
use crate::summary::Summary;
use anyhow::Context;
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use std::path::Path;
use std::sync::Once;

pub use backtest::{PitChart, ReliabilityChart};
pub use break_even::BreakEvenChart;
pub use fit::FitChart;
pub use flows::{FlowsChart, MAX_ROWS as MAX_FLOW_ROWS};
pub use live::{LiveChart, ReplayChart};
pub use match_actual::MatchActualChart;
pub use polls::PollsChart;
pub use sankey::{MAX_SOURCES as MAX_SANKEY_SOURCES, SankeyChart};
pub use share::ShareChart;
pub use share_by_scenario::ShareByScenarioChart;
pub use sweep::{SweepChart, probability_colour};
pub use tornado::{MAX_ROWS as MAX_TORNADO_ROWS, TornadoChart};
pub use turnout::TurnoutChart;
pub use win_probability::{MAX_ROWS as MAX_BATCH_ROWS, WinProbabilityChart};
pub use wins::WinsChart;

/// Font family every chart uses (DejaVu Sans, bundled under assets/fonts).
pub const FONT: &str = "sans-serif";
/// Colour of the first finalist (Okabe–Ito blue).
pub const FIRST: RGBColor = RGBColor(0, 114, 178);
/// Colour of the second finalist (Okabe–Ito vermillion).
pub const SECOND: RGBColor = RGBColor(213, 94, 0);
/// Colour of voters who stay home.
pub const HOME: RGBColor = RGBColor(160, 160, 160);
/// The runoff's actual result, where a scenario gives it (Tol's purple: neither finalist's).
pub const ACTUAL: RGBColor = RGBColor(170, 51, 119);
/// Text and axes.
pub const INK: RGBColor = RGBColor(33, 33, 33);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);
/// Secondary text.
pub const MUTED: RGBColor = RGBColor(100, 100, 100);
/// Width of the per-scenario charts and of the batch chart, in pixels.
pub const WIDTH: u32 = 1400;
/// Height of share.png and turnout.png.
pub const HEIGHT: u32 = 800;
/// Title, subtitle, label and big-number sizes.
pub const TITLE_PX: u32 = 30;
/// Subtitle size.
pub const SUBTITLE_PX: u32 = 19;
/// Axis labels and annotations.
pub const LABEL_PX: u32 = 17;
/// The win probabilities on share.png.
pub const BIG_PX: u32 = 36;

/// The colour of finalist `k` (0 or 1).
pub fn finalist_colour(k: usize) -> RGBColor {
    if k == 0 { FIRST } else { SECOND }
}

/// Image format of the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartFormat {
    /// PNG bitmaps.
    Png,
    /// SVG vector graphics (text as text; fonts come from the viewer).
    Svg,
}

impl ChartFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

/// One chart: its size and how to draw it on any plotters backend.
pub trait Chart {
    /// File name without extension.
    const NAME: &'static str;
    /// Pixel size: the standard size unless the chart grows with its rows.
    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }
    /// Draw on `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>;
}

/// Turn a plotters error into an anyhow error.
pub(crate) trait Drawn<T> {
    fn drawn(self) -> anyhow::Result<T>;
}

impl<T, E: std::fmt::Debug> Drawn<T> for Result<T, E> {
    fn drawn(self) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::anyhow!("drawing a chart failed: {e:?}"))
    }
}

/// Register the bundled fonts once per process.
fn register_fonts() {
    static FONTS: Once = Once::new();
    FONTS.call_once(|| {
        let regular: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        let bold: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
        // The bytes are compiled in and known to be valid fonts; a failure here would show as missing text in tests.
        let _ = register_font(FONT, FontStyle::Normal, regular);
        let _ = register_font(FONT, FontStyle::Bold, bold);
    });
}

/// Render a chart to the bytes of a PNG or SVG file.
pub fn render<C: Chart>(chart: &C, format: ChartFormat) -> anyhow::Result<Vec<u8>> {
    register_fonts();
    let (w, h) = chart.size();
    match format {
        ChartFormat::Png => {
            let mut pixels = vec![255u8; (w as usize) * (h as usize) * 3];
            {
                // The bitmap's font draws glyphs in the order given: right-to-left names are put in
                // visual order first.
                let root = bidi::VisualOrder(BitMapBackend::with_buffer(&mut pixels, (w, h)))
                    .into_drawing_area();
                root.fill(&WHITE).drawn()?;
                chart.draw(&root)?;
                root.present().drawn()?;
            }
            let mut png = Vec::new();
            image::ImageEncoder::write_image(
                image::codecs::png::PngEncoder::new(&mut png),
                &pixels,
                w,
                h,
                image::ColorType::Rgb8,
            )
            .context("encoding a PNG failed")?;
            Ok(png)
        }
        ChartFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                root.fill(&WHITE).drawn()?;
                chart.draw(&root)?;
                root.present().drawn()?;
            }
            Ok(svg.into_bytes())
        }
    }
}

/// share, flows, turnout and wins charts (and polls, with dated polls) into a scenario's staged
/// output folder.
pub fn write_scenario_charts(
    summary: &Summary,
    dir: &AtomicDir,
    format: ChartFormat,
) -> anyhow::Result<()> {
    let ext = format.extension();
    let file = |name: &str| dir.path(&format!("{name}.{ext}"));
    write_atomic(
        &file(ShareChart::NAME),
        &render(&ShareChart(summary), format)?,
    )?;
    write_atomic(
        &file(FlowsChart::NAME),
        &render(&FlowsChart(summary), format)?,
    )?;
    write_atomic(
        &file(SankeyChart::NAME),
        &render(&SankeyChart(summary), format)?,
    )?;
    write_atomic(
        &file(TurnoutChart::NAME),
        &render(&TurnoutChart(summary), format)?,
    )?;
    write_atomic(
        &file(WinsChart::NAME),
        &render(&WinsChart(summary), format)?,
    )?;
    if PollsChart::applies(summary) {
        write_atomic(
            &file(PollsChart::NAME),
            &render(&PollsChart(summary), format)?,
        )?;
    }
    Ok(())
}

/// The batch charts, win_probability and share_by_scenario, into the output folder.
pub fn write_batch_charts(
    summaries: &[Summary],
    out: &Path,
    format: ChartFormat,
) -> anyhow::Result<()> {
    let file = |name: &str| out.join(format!("{name}.{}", format.extension()));
    write_atomic(
        &file(WinProbabilityChart::NAME),
        &render(&WinProbabilityChart(summaries), format)?,
    )?;
    write_atomic(
        &file(ShareByScenarioChart::NAME),
        &render(&ShareByScenarioChart(summaries), format)?,
    )
}

/// Title and subtitle at the top of `root`; returns the area below them.
pub(crate) fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> anyhow::Result<DrawingArea<DB, Shift>> {
    header_parts(root, &[(title, true)], &[(subtitle, true)])
}

/// `header` for a title and subtitle whose names alone are cut when they are too long
/// (`fit_parts`).
pub(crate) fn header_parts<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &[(&str, bool)],
    subtitle: &[(&str, bool)],
) -> anyhow::Result<DrawingArea<DB, Shift>> {
    let (w, _) = root.dim_in_pixel();
    let title_style = (FONT, TITLE_PX, FontStyle::Bold).into_font().color(&INK);
    let sub_style = (FONT, SUBTITLE_PX).into_font().color(&MUTED);
    let title = fit_parts(root, title, &title_style, w.saturating_sub(40))?;
    let subtitle = fit_parts(root, subtitle, &sub_style, w.saturating_sub(40))?;
    root.draw_text(&title, &title_style, (20, 14)).drawn()?;
    root.draw_text(&subtitle, &sub_style, (20, 14 + TITLE_PX as i32 + 8))
        .drawn()?;
    let top = 14 + TITLE_PX + 8 + SUBTITLE_PX + 18;
    Ok(root.margin(top, 0, 0, 0))
}

/// `parts` joined, at most `max_px` wide in `style`: where they do not fit, the parts marked `true`
/// (names) are cut with an ellipsis, sharing the room the others leave, so that the fixed words
/// ("'s two-party share", " → ") stay whole and every name keeps its start.
pub(crate) fn fit_parts<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    parts: &[(&str, bool)],
    style: &TextStyle,
    max_px: u32,
) -> anyhow::Result<String> {
    let whole: String = parts.iter().map(|(t, _)| *t).collect();
    if text_width(root, &whole, style)? <= max_px {
        return Ok(whole);
    }
    let mut names: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].1).collect();
    if names.is_empty() {
        return fit_text(root, &whole, style, max_px);
    }
    let mut widths = Vec::new();
    for (t, _) in parts {
        widths.push(text_width(root, t, style)?);
    }
    let fixed: u32 = parts
        .iter()
        .zip(&widths)
        .filter(|((_, cut), _)| !cut)
        .map(|(_, w)| w)
        .sum();
    // Shortest names first: one shorter than its share leaves the rest to the longer ones.
    names.sort_by_key(|&i| widths[i]);
    let mut room = max_px.saturating_sub(fixed);
    let mut fitted: Vec<String> = parts.iter().map(|(t, _)| t.to_string()).collect();
    for (k, &i) in names.iter().enumerate() {
        let share = room / (names.len() - k) as u32;
        fitted[i] = fit_text(root, parts[i].0, style, share)?;
        room = room.saturating_sub(text_width(root, &fitted[i], style)?);
    }
    Ok(fitted.concat())
}

/// A row label cut to `max_px` in its names (`export::label_parts`): "Source → destination"
/// keeps its arrow and the start of both names, "Name: certainty" its key.
pub(crate) fn fit_row_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_px: u32,
) -> anyhow::Result<String> {
    fit_parts(root, &crate::format::label_parts(text), style, max_px)
}

/// Row labels, each cut by [`fit_row_label`], and the width of the widest (the label area).
pub(crate) fn fit_row_labels<'t, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    texts: impl IntoIterator<Item = &'t str>,
    style: &TextStyle,
    max_px: u32,
) -> anyhow::Result<(Vec<String>, u32)> {
    let mut labels = Vec::new();
    let mut widest = 0;
    for text in texts {
        let label = fit_row_label(root, text, style, max_px)?;
        widest = widest.max(text_width(root, &label, style)?);
        labels.push(label);
    }
    Ok((labels, widest))
}

/// The plot of a chart of `rows` labelled rows over `x`: row labels `label_px` wide on its left,
/// and `margin_right` pixels on its right for text beyond the marks.
pub(crate) fn row_plot<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: std::ops::Range<f64>,
    rows: usize,
    label_px: u32,
    margin_right: u32,
) -> anyhow::Result<RowPlot<'a, DB>> {
    ChartBuilder::on(area)
        .margin_left(16)
        .margin_right(margin_right)
        .margin_bottom(10)
        .x_label_area_size(60)
        .y_label_area_size(label_px + 20)
        .build_cartesian_2d(x, 0.0..rows as f64)
        .drawn()
}

/// A [`row_plot`]: values (x) by row (y).
pub(crate) type RowPlot<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A scenario key (`transfers."Roy Moore".certainty`) cut to `max_px` in its quoted names.
pub(crate) fn fit_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    key: &str,
    style: &TextStyle,
    max_px: u32,
) -> anyhow::Result<String> {
    // Between quotes (every second piece) are names; around them, the key's own words.
    let pieces: Vec<&str> = key.split('"').collect();
    let parts: Vec<(String, bool)> = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 1 {
                (p.to_string(), true)
            } else {
                let open = if i > 0 { "\"" } else { "" };
                let close = if i + 1 < pieces.len() { "\"" } else { "" };
                (format!("{open}{p}{close}"), false)
            }
        })
        .collect();
    let parts: Vec<(&str, bool)> = parts.iter().map(|(p, n)| (p.as_str(), *n)).collect();
    fit_parts(root, &parts, style, max_px)
}

/// `text`, cut with an ellipsis so that it is at most `max_px` wide in `style`.
pub(crate) fn fit_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_px: u32,
) -> anyhow::Result<String> {
    let width = |t: &str| root.estimate_text_size(t, style).map(|(w, _)| w).drawn();
    if width(text)? <= max_px {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if width(&candidate)? <= max_px {
            lo = mid
        } else {
            hi = mid - 1
        }
    }
    Ok(chars[..lo].iter().collect::<String>() + "…")
}

/// The style of axis labels, axis descriptions and row labels.
pub(crate) fn label_style() -> TextStyle<'static> {
    (FONT, LABEL_PX).into_font().color(&INK)
}

/// The house style of every chart's mesh: grid lines at the labelled ticks only, in light grey,
/// and tick labels and axis descriptions in ink.
pub(crate) fn house_mesh<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.light_line_style(WHITE.mix(0.0))
        .bold_line_style(GRID)
        .label_style(label_style())
        .axis_desc_style(label_style())
}

/// A row's label, right-aligned 10 pixels left of `right` and centred on the row at `y`.
pub(crate) fn row_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    right: i32,
    y: i32,
) -> anyhow::Result<()> {
    let w = text_width(root, text, style)? as i32;
    root.draw_text(text, style, (right - w - 10, y - LABEL_PX as i32 / 2))
        .drawn()
}

/// Width of `text` in pixels.
pub(crate) fn text_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> anyhow::Result<u32> {
    root.estimate_text_size(text, style).map(|(w, _)| w).drawn()
}

/// How many labels plotters puts on an axis at most, unless told otherwise.
pub(crate) const DEFAULT_LABELS: usize = 11;

/// The ticks plotters puts on an axis from `lo` to `hi` given at most `ticks` labels.
pub(crate) fn axis_ticks(lo: f64, hi: f64, ticks: usize) -> Vec<f64> {
    use plotters::coord::ranged1d::Ranged;
    plotters::coord::types::RangedCoordf64::from(lo..hi).key_points(ticks)
}

/// The distance between those ticks (NaN for fewer than two).
pub(crate) fn axis_step(lo: f64, hi: f64, ticks: usize) -> f64 {
    match axis_ticks(lo, hi, ticks)[..] {
        [a, b, ..] => b - a,
        _ => f64::NAN,
    }
}

/// Each bin's share of the draws, in percent.
pub(crate) fn percent_per_bin(bins: &crate::engine::Bins) -> Vec<f64> {
    let total = bins.counts.iter().sum::<f64>();
    // An empty histogram draws nothing (every bin 0), not NaN.
    let total = if total > 0.0 { total } else { 1.0 };
    bins.counts.iter().map(|&c| 100.0 * c / total).collect()
}

/// The bars of a histogram, `(left, right, height)` for each bin of non-zero `heights`: a bin
/// narrower than `min_width` (a single bin, for a certain outcome) is widened about its centre, so
/// that it shows as a bar, not a hairline.
fn histogram_bars<'a>(
    bins: &'a crate::engine::Bins,
    heights: &'a [f64],
    min_width: f64,
) -> impl Iterator<Item = (f64, f64, f64)> + 'a {
    heights
        .iter()
        .enumerate()
        .filter(|&(_, &h)| h > 0.0)
        .map(move |(i, &h)| {
            let (x0, x1) = (
                bins.lo + i as f64 * bins.width,
                bins.lo + (i + 1) as f64 * bins.width,
            );
            if x1 - x0 < min_width {
                let mid = (x0 + x1) / 2.0;
                (mid - min_width / 2.0, mid + min_width / 2.0, h)
            } else {
                (x0, x1, h)
            }
        })
}

/// A histogram's bars (see [`histogram_bars`]), `colours[0]` below `at` and `colours[1]` above
/// it, a bar across `at` split there; and the `ties`, draws exactly at `at`, grey over the bar that
/// holds them (or one centred on it), as a percent of the draws the bins hold, as the bars are,
/// since a tie is neither finalist's.
pub(crate) fn coloured_bars(
    bins: &crate::engine::Bins,
    heights: &[f64],
    min_width: f64,
    (at, ties): (f64, f64),
    [below, above]: [RGBColor; 2],
) -> Vec<Rectangle<(f64, f64)>> {
    let mut bars = Vec::new();
    let half = (bins.width / 2.0).max(min_width / 2.0);
    let mut holds_at = (at - half, at + half);
    for (x0, x1, h) in histogram_bars(bins, heights, min_width) {
        if x0 <= at && x1 > at {
            holds_at = (x0, x1);
        }
        if x0 < at && x1 > at && below != above {
            bars.push(Rectangle::new([(x0, 0.0), (at, h)], below.filled()));
            bars.push(Rectangle::new([(at, 0.0), (x1, h)], above.filled()));
        } else {
            let colour = if x0 >= at { above } else { below };
            bars.push(Rectangle::new([(x0, 0.0), (x1, h)], colour.filled()));
        }
    }
    if ties > 0.0 {
        let (x0, x1) = holds_at;
        let total = bins.counts.iter().sum::<f64>();
        let total = if total > 0.0 { total } else { 1.0 };
        let h = 100.0 * ties / total;
        bars.push(Rectangle::new([(x0, 0.0), (x1, h)], MUTED.filled()));
    }
    bars
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tick_votes;

    #[test]
    fn long_names_are_cut_and_the_words_around_them_kept() {
        register_fonts();
        let mut pixels = vec![0u8; 800 * 60 * 3];
        let root = BitMapBackend::with_buffer(&mut pixels, (800, 60)).into_drawing_area();
        let style = label_style();
        let long = "Alexandria Ocasio-Cortez-Montgomery of Greater Manchester ".repeat(4);
        let long = long.trim();
        let fits = |text: &str| text_width(&root, text, &style).unwrap() <= 400;

        let share = fit_parts(
            &root,
            &[(long, true), ("'s two-party share", false)],
            &style,
            400,
        );
        let share = share.unwrap();
        assert!(share.starts_with("Alexandria") && share.ends_with("…'s two-party share"));
        assert!(fits(&share), "{share}");

        let flow = fit_row_label(&root, &format!("{long} → {long}"), &style, 400).unwrap();
        let (from, to) = flow.split_once(" → ").unwrap();
        assert!(
            from.ends_with('…') && to.starts_with("Alexandria") && fits(&flow),
            "{flow}"
        );
        let home = fit_row_label(&root, &format!("{long} → stayed home"), &style, 400).unwrap();
        assert!(home.ends_with("… → stayed home") && fits(&home), "{home}");
        let key = fit_row_label(&root, &format!("{long}: certainty"), &style, 400).unwrap();
        assert!(key.ends_with("…: certainty") && fits(&key), "{key}");

        let path = fit_key(&root, &format!("transfers.\"{long}\".Bo"), &style, 400).unwrap();
        assert!(path.starts_with("transfers.\"Alexandria") && path.ends_with("…\".Bo"));
        assert!(fits(&path), "{path}");

        // What fits is left alone.
        let short = "transfers.\"Bradley Byrne\".\"Jeff Sessions\"";
        assert_eq!(fit_key(&root, short, &style, 400).unwrap(), short);
        assert_eq!(
            fit_row_label(&root, "Bo → Bo", &style, 400).unwrap(),
            "Bo → Bo"
        );
    }

    #[test]
    fn axis_ticks_take_the_decimals_their_step_needs() {
        // Every tick plotters puts on the axis, as the charts label it.
        let ticks = |lo: f64, hi: f64, n, signed| -> Vec<String> {
            let step = axis_step(lo, hi, n);
            axis_ticks(lo, hi, n)
                .into_iter()
                .map(|x| tick_votes(x, signed, step))
                .collect()
        };
        // A national runoff: 5M apart, no decimals.
        assert_eq!(
            ticks(97e6, 118e6, 6, false),
            ["100M", "105M", "110M", "115M"]
        );
        assert_eq!(ticks(-15e6, 27e6, 6, true), ["-10M", "0", "+10M", "+20M"]);
        // Half a million apart: one decimal in millions, none in thousands.
        assert_eq!(
            ticks(0.4e6, 2.6e6, 6, false),
            ["500k", "1.0M", "1.5M", "2.0M", "2.5M"]
        );
        // A narrow axis near a million: as many decimals as tell its ticks apart.
        assert_eq!(
            ticks(999e3, 1_007e3, 6, false),
            ["1.000M", "1.002M", "1.004M", "1.006M"]
        );
        // The Alabama scenarios' margins: 50k apart (a step of span / 6 would be 100k).
        assert_eq!(
            ticks(-180e3, 135e3, 6, true),
            ["-150k", "-100k", "-50k", "0", "+50k", "+100k"]
        );
        // A few votes: decimals below one.
        assert_eq!(
            ticks(-1.2, 1.2, 6, true),
            ["-1.0", "-0.5", "0.0", "+0.5", "+1.0"]
        );
    }
}
