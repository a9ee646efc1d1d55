//! CSV: one row per scenario, the columns a spreadsheet user wants first.

use crate::summary::{Actual, Summary};

const HEADER: [&str; 27] = [
    "scenario",
    "file",
    "finalist_a",
    "finalist_b",
    "draws",
    "seed",
    "p_a",
    "p_a_se",
    "p_a_ci95_lo",
    "p_a_ci95_hi",
    "p_b",
    "p_b_se",
    "ties",
    "share_mean",
    "share_p05",
    "share_p50",
    "share_p95",
    "margin_votes_p50",
    "turnout_p05",
    "turnout_p50",
    "turnout_p95",
    "recount_probability",
    "actual_share",
    "actual_share_percentile",
    "actual_turnout",
    "actual_turnout_percentile",
    "actual_outcome_probability",
];

/// Header plus one row per summary.
pub fn render(summaries: &[Summary]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for s in summaries {
        let [a, b] = &s.finalists;
        let ci = s.win_probability_ci95[a];
        let actual = |field: fn(&Actual) -> f64| {
            s.actual
                .as_ref()
                .map(|a| field(a).to_string())
                .unwrap_or_default()
        };
        let row = [
            s.scenario.clone(),
            s.file.clone(),
            a.clone(),
            b.clone(),
            s.draws.to_string(),
            s.seed.to_string(),
            s.win_probability[a].to_string(),
            s.win_probability_se[a].to_string(),
            ci[0].to_string(),
            ci[1].to_string(),
            s.win_probability[b].to_string(),
            s.win_probability_se[b].to_string(),
            s.ties.to_string(),
            s.share.mean.to_string(),
            s.share.p05.to_string(),
            s.share.p50.to_string(),
            s.share.p95.to_string(),
            s.margin_votes.p50.to_string(),
            s.turnout.votes.p05.to_string(),
            s.turnout.votes.p50.to_string(),
            s.turnout.votes.p95.to_string(),
            s.recount_probability
                .map(|p| p.to_string())
                .unwrap_or_default(),
            actual(|a| a.share),
            actual(|a| a.share_percentile),
            actual(|a| a.turnout_votes),
            actual(|a| a.turnout_percentile),
            actual(|a| a.outcome_probability),
        ];
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}
