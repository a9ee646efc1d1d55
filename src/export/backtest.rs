//! What `backtest` writes: `backtest.csv` (a row per race) and the table it prints (the scores against
//! the baselines, interval coverage, the races the prior got most wrong).

use crate::backtest::{self, Backtest};
use crate::format::{pct, votes};
use std::fmt::Write as _;

/// `backtest.csv`: a row per scored race (its forecast, the result, its scores).
pub fn backtest_csv(b: &Backtest) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "race",
        "leader",
        "runner_up",
        "p_leader_wins",
        "share_p50",
        "share_lo50",
        "share_hi50",
        "share_lo80",
        "share_hi80",
        "share_lo95",
        "share_hi95",
        "actual_share",
        "leader_won",
        "pit",
        "crps",
        "turnout_p50",
        "turnout_lo80",
        "turnout_hi80",
        "turnout_actual",
        "scored_on",
        "swing_sd",
        "proportional_split",
        "year",
    ])?;
    for r in &b.per_race {
        let iv = |k: &str, i: usize| r.intervals[k][i].to_string();
        w.write_record([
            r.race.clone(),
            r.leader.clone(),
            r.runner_up.clone(),
            r.p_leader_wins.to_string(),
            r.share_p50.to_string(),
            iv("50", 0),
            iv("50", 1),
            iv("80", 0),
            iv("80", 1),
            iv("95", 0),
            iv("95", 1),
            r.actual_share.to_string(),
            r.leader_won.to_string(),
            r.pit.to_string(),
            r.crps.to_string(),
            r.turnout_p50.map(|t| t.to_string()).unwrap_or_default(),
            r.turnout_interval80
                .map(|t| t[0].to_string())
                .unwrap_or_default(),
            r.turnout_interval80
                .map(|t| t[1].to_string())
                .unwrap_or_default(),
            r.turnout_actual.map(|t| t.to_string()).unwrap_or_default(),
            r.scored_on.clone(),
            r.swing_sd.to_string(),
            r.proportional_split.to_string(),
            r.year.map(|y| y.to_string()).unwrap_or_default(),
        ])?;
    }
    Ok(w.into_inner()?)
}

/// The table `backtest` prints: scores against the baselines, coverage and the worst misses;
/// `out` is the folder the files went to.
pub fn backtest_table(b: &Backtest, out: &str) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Backtest of the default prior on {} races ({} draws per race, tuned {})",
        b.scores.races,
        votes(b.draws as f64),
        b.tuning
    );
    let _ = writeln!(
        t,
        "  {:<20} {:>8} {:>7} {:>15} {:>7} {:>7} {:>6} {:>11} {:>11}",
        "race", "P(lead)", "median", "80% interval", "actual", "PIT", "won", "turnout", "actual"
    );
    for r in &b.per_race {
        let [lo, hi] = r.intervals["80"];
        let _ = writeln!(
            t,
            "  {:<20} {:>8} {:>7} {:>15} {:>7} {:>7.3} {:>6} {:>11} {:>11}",
            r.race.chars().take(20).collect::<String>(),
            pct(r.p_leader_wins),
            pct(r.share_p50),
            format!("{}–{}", pct(lo), pct(hi)),
            pct(r.actual_share),
            r.pit,
            if r.leader_won { "yes" } else { "no" },
            r.turnout_p50.map_or_else(|| "share only".into(), votes),
            r.turnout_actual
                .map(votes)
                .unwrap_or_else(|| "share only".into())
        );
    }
    let _ = writeln!(t);
    scores_rows(&mut t, "default prior (LORO)", &b.scores, &b.baselines);
    let _ = writeln!(t, "  PIT histogram (10 bins): {:?}", b.scores.pit_histogram);
    turnout_line(&mut t, &b.scores, "the other races'");
    match (&b.out_of_time, &b.out_of_time_skipped) {
        (Some(o), _) => {
            let _ = writeln!(
                t,
                "\n  out of time: tuned on the {} races before {} (swing sd {}, split rule {}), \
                 scored on the {} of {} and later",
                o.tuned_on, o.split_year, o.chosen[0], o.chosen[1], o.scores.races, o.split_year
            );
            if !o.undated.is_empty() {
                let _ = writeln!(
                    t,
                    "  (left out, no year in the table or the race id: {})",
                    o.undated.join(", ")
                );
            }
            scores_rows(
                &mut t,
                "default prior (out of time)",
                &o.scores,
                &o.baselines,
            );
            turnout_line(&mut t, &o.scores, "the earlier races'");
        }
        (None, Some(why)) => {
            let _ = writeln!(t, "\n  {why}");
        }
        (None, None) => {}
    }
    let _ = writeln!(t, "  wrote {out}");
    t
}

/// The forecaster rows: the default prior's scores, then each baseline's.
fn scores_rows(
    t: &mut String,
    name: &str,
    prior: &backtest::Scores,
    baselines: &std::collections::BTreeMap<String, backtest::Scores>,
) {
    let _ = writeln!(
        t,
        "  {:<28} {:>7} {:>9} {:>9} {:>9} {:>9}",
        "forecaster", "Brier", "log loss", "cover 50", "cover 80", "cover 95"
    );
    let mut row = |name: &str, s: &backtest::Scores| {
        let _ = writeln!(
            t,
            "  {:<28} {:>7.4} {:>9.4} {:>9} {:>9} {:>9}",
            name,
            s.brier,
            s.log_loss,
            pct(s.coverage["50"]),
            pct(s.coverage["80"]),
            pct(s.coverage["95"])
        );
    };
    row(name, prior);
    for (name, s) in baselines {
        row(&format!("baseline: {name}"), s);
    }
}

/// The turnout's scores in a line; `constant` says whose median ratio the naive forecast took.
fn turnout_line(t: &mut String, s: &backtest::Scores, constant: &str) {
    let line = match &s.turnout {
        Some(x) => format!(
            "turnout ({} races with counts): median |log(predicted median / actual)| {:.3} \
             (off by a factor of {:.2}; {constant} median ratio: {:.3}), 80% interval covered {}",
            x.races,
            x.median_abs_log_ratio,
            x.median_abs_log_ratio.exp(),
            x.constant_ratio_error,
            pct(x.coverage80)
        ),
        None => "turnout: no race with counts in both rounds to score".to_string(),
    };
    let _ = writeln!(t, "  {line}");
}
