//! Every chart renders for the bundled scenarios and the edge cases: a PNG of the documented size that is not blank, SVG that parses.

use crate::common::*;
use runoff::chart::{
    self, BreakEvenChart, Chart, ChartFormat, FlowsChart, MatchActualChart, SankeyChart,
    ShareByScenarioChart, ShareChart, TornadoChart, TurnoutChart, WinProbabilityChart, WinsChart,
};
use runoff::summary::Summary;
use runoff::sweep::tornado::Searches;

/// Decode a PNG, check its size, that it is not blank, and that a finalist's colour is in it.
fn assert_png(bytes: &[u8], size: (u32, u32), what: &str) {
    let img = assert_png_drawn(bytes, size, what);
    // Colour reaches the picture: some pixels are the first finalist's blue or the second's vermillion.
    let coloured = img
        .pixels()
        .filter(|p| p.0 == [0, 114, 178] || p.0 == [213, 94, 0])
        .count();
    assert!(coloured > 100, "{what}: no finalist colour");
}

/// Decode a PNG, check its size, and check it is not blank (pixel variance well above zero).
fn assert_png_drawn(bytes: &[u8], size: (u32, u32), what: &str) -> image::RgbImage {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .to_rgb8();
    assert_eq!(img.dimensions(), size, "{what}");
    let values: Vec<f64> = img
        .pixels()
        .map(|p| p.0.iter().map(|&c| c as f64).sum::<f64>() / 3.0)
        .collect();
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
    assert!(var > 100.0, "{what}: looks blank (variance {var})");
    img
}

fn assert_svg(bytes: &[u8], what: &str) {
    let text = std::str::from_utf8(bytes).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg", "{what}");
    assert!(
        doc.descendants().any(|n| n.tag_name().name() == "text"),
        "{what}: no text"
    );
}

fn check_all(summary: &Summary, what: &str) {
    let n = summary.sources.len();
    let png = ChartFormat::Png;
    assert_png(
        &chart::render(&ShareChart(summary), png).unwrap(),
        (1400, 800),
        &format!("{what} share"),
    );
    assert_png(
        &chart::render(&FlowsChart(summary), png).unwrap(),
        (1400, FlowsChart::height(n)),
        &format!("{what} flows"),
    );
    assert_png(
        &chart::render(&TurnoutChart(summary), png).unwrap(),
        (1400, 800),
        &format!("{what} turnout"),
    );
    assert_png(
        &chart::render(&SankeyChart(summary), png).unwrap(),
        (1400, SankeyChart::height(n)),
        &format!("{what} sankey"),
    );
    assert_svg(
        &chart::render(&SankeyChart(summary), ChartFormat::Svg).unwrap(),
        &format!("{what} sankey svg"),
    );
    // What a win looks like: the less likely finalist's colour, unless it won no draw (a note).
    let wins = chart::render(&WinsChart(summary), png).unwrap();
    let size = WinsChart(summary).size();
    if summary.when_wins[&summary.finalists[summary.less_likely()]].draws > 0 {
        assert_png(&wins, size, &format!("{what} wins"));
    } else {
        let img = image::load_from_memory(&wins).unwrap();
        assert_eq!((img.width(), img.height()), size, "{what} wins");
    }
    assert_svg(
        &chart::render(&WinsChart(summary), ChartFormat::Svg).unwrap(),
        &format!("{what} wins svg"),
    );
    let one = std::slice::from_ref(summary);
    assert_png(
        &chart::render(&WinProbabilityChart(one), png).unwrap(),
        (1400, WinProbabilityChart::height(1)),
        &format!("{what} batch"),
    );
    let svg = ChartFormat::Svg;
    assert_svg(
        &chart::render(&ShareChart(summary), svg).unwrap(),
        &format!("{what} share svg"),
    );
    assert_svg(
        &chart::render(&FlowsChart(summary), svg).unwrap(),
        &format!("{what} flows svg"),
    );
    assert_svg(
        &chart::render(&TurnoutChart(summary), svg).unwrap(),
        &format!("{what} turnout svg"),
    );
    assert_svg(
        &chart::render(&WinProbabilityChart(one), svg).unwrap(),
        &format!("{what} batch svg"),
    );
}

#[test]
fn charts_render_for_every_bundled_scenario() {
    let mut summaries = Vec::new();
    for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
        let path = entry.unwrap().path();
        let s = runoff::scenario::load_file(&path).unwrap();
        let summary = simulate(&s, 20_000, 1);
        check_all(&summary, &path.display().to_string());
        summaries.push(summary);
    }
    let size = (1400, WinProbabilityChart::height(summaries.len()));
    let batch = chart::render(&WinProbabilityChart(&summaries), ChartFormat::Png).unwrap();
    assert_png(&batch, size, "batch");
    let shares = chart::render(&ShareByScenarioChart(&summaries), ChartFormat::Png).unwrap();
    assert_png(&shares, size, "batch shares");
    let svg = chart::render(&ShareByScenarioChart(&summaries), ChartFormat::Svg).unwrap();
    assert_svg(&svg, "batch shares");
}

#[test]
fn a_certain_winner_draws_something_sensible() {
    // Every draw is the same: p = 1, one histogram bin, a fixed margin.
    let s = simulate(&scenario(&closed_form(1.0, 10.0)), 5_000, 1);
    assert_eq!(s.win_probability["A"], 1.0);
    check_all(&s, "certain winner");
}

#[test]
fn a_source_with_no_turnout_and_a_zero_vote_candidate_draw() {
    let src = r#"
finalists = ["A", "B"]
[first_round]
A = 100
B = 90
Ghost = 0
Stay = 40
[transfers.A]
A = 0.9
[transfers.B]
B = 0.9
[transfers.Stay]
abstain = 1
[default_transfer]
A = 0.5
B = 0.5
"#;
    let s = simulate(&scenario(src), 20_000, 1);
    check_all(&s, "zero turnout source");
}

/// Twenty candidates with long names, finalists included, new voters too.
fn twenty_long_names() -> String {
    let long = |i: usize| {
        format!("Candidate number {i} with a remarkably long hyphenated-double-barrelled name, Jr.")
    };
    let mut src = format!(
        "finalists = [\"{}\", \"{}\"]\n[first_round]\n",
        long(0),
        long(1)
    );
    for i in 0..20 {
        src += &format!("\"{}\" = {}\n", long(i), 1000 + 37 * i);
    }
    src += &format!("[transfers.\"{0}\"]\n\"{0}\" = 0.9\n", long(0));
    src += &format!("[transfers.\"{0}\"]\n\"{0}\" = 0.9\n", long(1));
    src += &format!(
        "[default_transfer]\n\"{}\" = 0.4\n\"{}\" = 0.4\n",
        long(0),
        long(1)
    );
    src += "[new_voters]\nshare = 0.05\nsd = 0.01\n";
    src += &format!("\"{}\" = 0.5\n\"{}\" = 0.5\n", long(0), long(1));
    src
}

#[test]
fn twenty_candidates_with_long_names_render() {
    let s = simulate(&scenario(&twenty_long_names()), 20_000, 1);
    assert_eq!(s.sources.len(), 21);
    check_all(&s, "20 candidates");
}

#[test]
fn the_break_even_chart_renders_found_and_never_rows() {
    for (src, what) in [
        (closed_form(0.3, 10.0), "closed form"),
        (twenty_long_names(), "long names"),
    ] {
        let s = scenario(&src);
        let searches = Searches {
            break_even: true,
            ..Searches::default()
        };
        let t = tornado_of(&s, 5_000, 1, searches);
        let searched: Vec<_> = t
            .bars
            .iter()
            .filter_map(|b| b.break_even.as_ref())
            .collect();
        assert!(searched.iter().any(|f| f.value.is_some()), "{what}");
        assert!(searched.iter().any(|f| f.value.is_none()), "{what}");
        let c = BreakEvenChart(&t);
        let size = (1400, TornadoChart::height(searched.len()));
        assert_png(&chart::render(&c, ChartFormat::Png).unwrap(), size, what);
        assert_svg(&chart::render(&c, ChartFormat::Svg).unwrap(), what);
    }
}

#[test]
fn the_match_actual_chart_renders_found_and_never_rows() {
    for (src, what) in [
        (closed_form(0.3, 10.0), "closed form"),
        (twenty_long_names(), "long names"),
    ] {
        let s = scenario(&src);
        // The closed form's turnout is fixed, so no share matches the turnout: "never" rows.
        let src = format!(
            "{src}\n[actual]\n\"{}\" = 150\n\"{}\" = 110\n",
            s.finalists[0], s.finalists[1]
        );
        let s = scenario(&src);
        let searches = Searches {
            match_actual: true,
            ..Searches::default()
        };
        let t = tornado_of(&s, 5_000, 1, searches);
        let searched: Vec<_> = t
            .bars
            .iter()
            .filter_map(|b| b.match_actual.as_ref())
            .collect();
        assert!(searched.iter().any(|m| m.share.value.is_some()), "{what}");
        assert!(searched.iter().any(|m| m.turnout.value.is_none()), "{what}");
        let c = MatchActualChart {
            tornado: &t,
            actual: s.report.actual.unwrap(),
        };
        let size = (1400, TornadoChart::height(searched.len()) + 50);
        // Its marks are the actual result's purple and the grey of staying home, not a finalist's.
        let img = assert_png_drawn(&chart::render(&c, ChartFormat::Png).unwrap(), size, what);
        assert!(
            img.pixels().filter(|p| p.0 == [170, 51, 119]).count() > 100,
            "{what}"
        );
        assert_svg(&chart::render(&c, ChartFormat::Svg).unwrap(), what);
    }
}

#[test]
fn a_thousand_candidates_draw_the_largest_forty_rows() {
    let mut src =
        String::from("finalists = [\"A\", \"B\"]\n[first_round]\nA = 100000\nB = 90000\n");
    for i in 0..1000 {
        src += &format!("\"Cand {i}\" = {}\n", 100 + i);
    }
    src += "[transfers.A]\nA = 0.9\n[transfers.B]\nB = 0.9\n[default_transfer]\nA = 0.4\nB = 0.4\n";
    let s = simulate(&scenario(&src), 5_000, 1);
    assert_eq!(s.sources.len(), 1002);
    // As tall as forty rows, not a thousand; summary.json keeps every source.
    assert_eq!(
        FlowsChart::height(s.sources.len()),
        FlowsChart::height(runoff::chart::MAX_FLOW_ROWS)
    );
    check_all(&s, "1000 candidates");
    // A tornado of so many rows draws its forty largest effects too.
    assert_eq!(TornadoChart::height(3006), TornadoChart::height(40));
}

#[test]
fn a_batch_of_120_draws_its_first_hundred() {
    let s = simulate(&scenario(&closed_form(0.55, 20.0)), 1_000, 1);
    let batch = vec![s; 120];
    assert_eq!(
        WinProbabilityChart::height(batch.len()),
        WinProbabilityChart::height(runoff::chart::MAX_BATCH_ROWS)
    );
    assert_png(
        &chart::render(&WinProbabilityChart(&batch), ChartFormat::Png).unwrap(),
        (1400, WinProbabilityChart::height(100)),
        "120 scenarios",
    );
    assert_png(
        &chart::render(&ShareByScenarioChart(&batch), ChartFormat::Png).unwrap(),
        (1400, WinProbabilityChart::height(100)),
        "120 scenarios' shares",
    );
}
