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
        "turnout_actual",
        "scored_on",
        "swing_sd",
        "proportional_split",
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
            r.turnout_actual.map(|t| t.to_string()).unwrap_or_default(),
            r.scored_on.clone(),
            r.swing_sd.to_string(),
            r.proportional_split.to_string(),
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
    let _ = writeln!(
        t,
        "\n  {:<26} {:>7} {:>9} {:>9} {:>9} {:>9}",
        "forecaster", "Brier", "log loss", "cover 50", "cover 80", "cover 95"
    );
    let mut row = |name: &str, s: &backtest::Scores| {
        let _ = writeln!(
            t,
            "  {:<26} {:>7.4} {:>9.4} {:>9} {:>9} {:>9}",
            name,
            s.brier,
            s.log_loss,
            pct(s.coverage["50"]),
            pct(s.coverage["80"]),
            pct(s.coverage["95"])
        );
    };
    row("default prior (LORO)", &b.scores);
    for (name, s) in &b.baselines {
        row(&format!("baseline: {name}"), s);
    }
    let _ = writeln!(t, "  PIT histogram (10 bins): {:?}", b.scores.pit_histogram);
    let _ = writeln!(t, "  wrote {out}");
    t
}
