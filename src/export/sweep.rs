//! What `sweep` and `tornado` write: `sweep.csv`, `tornado.csv` and the tables they print (the win
//! probability along a range, the break-even value, the assumptions ranked, each share's break-even
//! and match-actual values).

use crate::format::{
    NAME_COLS, Wide, clip, clip_label, columns, display_width, pct, pct_decimals, pct_to, votes,
    votes_as_written, votes_to,
};
use crate::stats::Z95;
use crate::sweep::tornado::TornadoResult;
use crate::sweep::{self, SweepResult};
use std::fmt::Write as _;
use std::path::Path;

/// `sweep.csv`: a row per point, with each finalist's win probability and its interval.
pub fn sweep_csv(r: &SweepResult) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let [a, b] = &r.finalists;
    let mut header: Vec<String> = r.keys.clone();
    for f in [a, b] {
        header.extend([
            format!("win_{f}"),
            format!("win_{f}_lo95"),
            format!("win_{f}_hi95"),
        ]);
    }
    header.extend([
        "ties".to_string(),
        format!("median_share_{a}"),
        "median_turnout".to_string(),
    ]);
    w.write_record(&header)?;
    for p in &r.points {
        let mut row: Vec<String> = p.values.iter().map(f64::to_string).collect();
        for k in 0..2 {
            row.extend([
                p.win[k].to_string(),
                p.win_ci95[k][0].to_string(),
                p.win_ci95[k][1].to_string(),
            ]);
        }
        row.extend([
            p.ties.to_string(),
            p.share_p50.to_string(),
            p.turnout_p50.to_string(),
        ]);
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}

/// `vote_decimals`: of the median turnouts, as the scenario's first round is written.
pub fn sweep_table(r: &SweepResult, dir: &Path, vote_decimals: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", r.scenario);
    let _ = writeln!(
        out,
        "  sweep of {} ({} points, {} draws each, seed {}, shares compensated: {})",
        r.keys.join(" × "),
        r.points.len(),
        votes(r.draws as f64),
        r.seed,
        r.absorb
    );
    let (sa, sb) = (r.label(0), r.label(1));
    // Enough decimals that a point short of certain does not read 100.0%.
    let d = pct_decimals(
        r.points
            .iter()
            .flat_map(|p| [p.win[0], p.win[1], p.win_ci95[0][0], p.win_ci95[0][1]]),
    );
    // Each key's column is headed by its last name (`Jeff Sessions`), or by the whole key when
    // two keys end in the same name.
    let last: Vec<String> = r
        .keys
        .iter()
        .map(|k| {
            sweep::key::split_path(k)
                .ok()
                .and_then(|segs| segs.last().cloned())
                .unwrap_or_else(|| k.clone())
        })
        .collect();
    let heads = if last.len() == 2 && last[0] == last[1] {
        r.keys.clone()
    } else {
        last
    };
    let heads = heads.iter().map(|h| clip(h, NAME_COLS));
    let mut rows = vec![
        heads
            .chain([
                format!("P({sa})"),
                "95% CI".to_string(),
                format!("P({sb})"),
                "median share".to_string(),
                "median turnout".to_string(),
            ])
            .collect::<Vec<_>>(),
    ];
    for p in &r.points {
        rows.push(
            p.values
                .iter()
                .zip(&r.keys)
                .map(|(v, k)| sweep::key_value(k, *v))
                .chain([
                    pct_to(p.win[0], d),
                    format!(
                        "{} – {}",
                        pct_to(p.win_ci95[0][0], d),
                        pct_to(p.win_ci95[0][1], d)
                    ),
                    pct_to(p.win[1], d),
                    pct(p.share_p50),
                    votes_to(p.turnout_p50, vote_decimals),
                ])
                .collect(),
        );
    }
    out.push_str(&columns(&rows, false));
    let break_evens = [
        (format!("P({sa} wins) = 50%:"), &r.break_even_win),
        (format!("{sa}'s median share = 50%:"), &r.break_even_share),
    ];
    let w = break_evens
        .iter()
        .map(|(what, _)| display_width(what))
        .max()
        .unwrap_or(0);
    for (what, be) in break_evens {
        if let Some(be) = be {
            let _ = writeln!(
                out,
                "  break-even where {:<w$} {} = {}",
                Wide(&what),
                r.keys[0],
                be.describe(&r.keys[0])
            );
        }
    }
    // A share's break-even depends on where its room comes from: say which rule made it.
    if let Some(rule) = r
        .room_rule()
        .filter(|_| r.break_even_win.is_some() || r.break_even_share.is_some())
    {
        let how = if r.absorb == "proportional" {
            " (--absorb NAME takes it from one share alone, and moves the break-even)"
        } else {
            " (--absorb)"
        };
        let _ = writeln!(out, "  rule: as {} moves, {rule}{how}", r.keys[0]);
    }
    if !r.contour.is_empty() {
        let _ = writeln!(
            out,
            "  50% contour: for each {}, the {} where P({sa} wins) = 50%",
            r.keys[0], r.keys[1]
        );
        for [x, y] in &r.contour {
            let y = y
                .map(|y| sweep::key_value(&r.keys[1], y))
                .unwrap_or_else(|| "never crosses in this range".to_string());
            let x = x
                .map(|x| sweep::key_value(&r.keys[0], x))
                .unwrap_or_else(|| "NaN".to_string());
            let _ = writeln!(out, "    {x:>10} → {y}");
        }
    }
    let _ = writeln!(out, "  wrote {}", dir.display());
    out
}

/// `tornado.csv`: a row per assumption moved down and up, with its break-even and match-actual values.
pub fn tornado_csv(t: &TornadoResult) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let a = &t.finalists[0];
    // The break-even columns only when they were searched, so a plain tornado's file is as before.
    let searched = t.bars.iter().any(|b| b.break_even.is_some());
    let mut header = vec![
        "key".to_string(),
        "label".to_string(),
        "base_value".to_string(),
        "low_value".to_string(),
        "high_value".to_string(),
        format!("win_{a}_low"),
        format!("win_{a}_high"),
        format!("win_{a}_base"),
        "impact".to_string(),
    ];
    if searched {
        header.extend(["break_even".to_string(), "break_even_se".to_string()]);
    }
    let matched = t.bars.iter().any(|b| b.match_actual.is_some());
    if matched {
        header.extend(
            [
                "match_share",
                "match_share_se",
                "match_turnout",
                "match_turnout_se",
            ]
            .map(String::from),
        );
    }
    w.write_record(&header)?;
    let number = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    for b in &t.bars {
        let mut record = vec![
            b.key.clone(),
            b.label.clone(),
            b.base_value.to_string(),
            b.values[0].to_string(),
            b.values[1].to_string(),
            b.win[0].to_string(),
            b.win[1].to_string(),
            t.base.to_string(),
            b.impact.to_string(),
        ];
        if searched {
            let found = b.break_even.as_ref();
            record.push(number(found.and_then(|f| f.value)));
            record.push(number(found.and_then(|f| f.se)));
        }
        if matched {
            let found = b.match_actual.as_ref();
            for search in [found.map(|m| &m.share), found.map(|m| &m.turnout)] {
                record.push(number(search.and_then(|f| f.value)));
                record.push(number(search.and_then(|f| f.se)));
            }
        }
        w.write_record(&record)?;
    }
    Ok(w.into_inner()?)
}

/// With `--break-even`: each share's break-even, in the tornado's order, under a line that says
/// what it is.
pub fn break_even_table(t: &TornadoResult, pct: impl Fn(f64) -> String) -> String {
    let found: Vec<_> = t
        .bars
        .iter()
        .filter_map(|b| b.break_even.as_ref().map(|f| (b, f)))
        .collect();
    if found.is_empty() {
        return String::new();
    }
    let a = t.label(0);
    let mut rows = vec![
        ["assumption", "now", "50% at", "± (95%)"]
            .map(String::from)
            .to_vec(),
    ];
    let mut notes = vec![None];
    for (b, f) in found {
        let (at, within, note) = match f.value {
            Some(v) => (
                sweep::key_value(&b.key, v),
                f.se.map_or(String::new(), |se| sweep::key_value(&b.key, Z95 * se)),
                None,
            ),
            None => ("never".to_string(), String::new(), f.nearest),
        };
        rows.push(vec![
            clip_label(&b.label),
            sweep::key_value(&b.key, b.base_value),
            at,
            within,
        ]);
        notes.push(note.map(|[x, p]| {
            format!(
                "  (from {} to {}; nearest: {} at {})",
                sweep::key_value(&b.key, f.range[0]),
                sweep::key_value(&b.key, f.range[1]),
                pct(p),
                sweep::key_value(&b.key, x)
            )
        }));
    }
    let mut out = format!("  what alone would bring P({a} wins) to 50%, the rest held:\n");
    for (line, note) in columns(&rows, true).lines().zip(notes) {
        out.push_str(line);
        out.push_str(note.as_deref().unwrap_or(""));
        out.push('\n');
    }
    out
}

/// With `--match-actual`: each share's value that alone makes the actual share, and the actual
/// turnout, the median of the draws.
pub fn match_actual_table(t: &TornadoResult, actual: Option<[f64; 2]>) -> String {
    let found: Vec<_> = t
        .bars
        .iter()
        .filter_map(|b| b.match_actual.as_ref().map(|m| (b, m)))
        .collect();
    let Some([va, vb]) = actual.filter(|_| !found.is_empty()) else {
        return String::new();
    };
    let a = t.label(0);
    let mut rows = vec![
        [
            "assumption",
            "now",
            &format!("{a} {}", pct(va / (va + vb))),
            "± (95%)",
            &format!("turnout {}", votes_as_written(va + vb)),
            "± (95%)",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (b, m) in found {
        let mut row = vec![clip_label(&b.label), sweep::key_value(&b.key, b.base_value)];
        for f in [&m.share, &m.turnout] {
            match f.value {
                Some(v) => row.extend([
                    sweep::key_value(&b.key, v),
                    f.se.map_or(String::new(), |se| sweep::key_value(&b.key, Z95 * se)),
                ]),
                None => row.extend(["never".to_string(), String::new()]),
            }
        }
        rows.push(row);
    }
    format!(
        "  what alone would have made the actual result the median of the draws, the rest held:\n{}",
        columns(&rows, true)
    )
}

/// The table `tornado` prints: the assumptions ranked by their effect, then the break-evens and
/// match-actual values when asked; `dir` is where the files went.
pub fn tornado_table(t: &TornadoResult, dir: &Path, actual: Option<[f64; 2]>) -> String {
    let mut out = String::new();
    let a = t.label(0);
    // Enough decimals that no probability short of certain reads 0.0% or 100.0%.
    let probabilities = || std::iter::once(t.base).chain(t.bars.iter().flat_map(|b| b.win));
    let d = pct_decimals(probabilities());
    let _ = writeln!(out, "{}", t.scenario);
    let _ = writeln!(
        out,
        "  P({a} wins) = {} (± {:.2} pts); {} draws per evaluation, seed {}",
        pct_to(t.base, d),
        196.0 * t.base_se,
        votes(t.draws as f64),
        t.seed
    );
    let _ = writeln!(
        out,
        "  moves: {}{}; certainties and the swing halved and doubled",
        t.step_words(),
        if t.step.is_none() {
            " (--step 0.10: every share ± 10 pts)"
        } else {
            ""
        }
    );
    let mut rows = vec![
        ["assumption", "low", "high", "P at low", "P at high"]
            .map(String::from)
            .to_vec(),
    ];
    for b in &t.bars {
        rows.push(vec![
            clip_label(&b.label),
            sweep::key_value(&b.key, b.values[0]),
            sweep::key_value(&b.key, b.values[1]),
            pct_to(b.win[0], d),
            pct_to(b.win[1], d),
        ]);
    }
    out.push_str(&columns(&rows, true));
    out.push_str(&break_even_table(t, |p| pct_to(p, d)));
    out.push_str(&match_actual_table(t, actual));
    // A race all but decided stays so under each move: say it, rather than leave a column of
    // 100.0% to be read as a bug.
    let furthest = probabilities()
        .map(|p| (p - t.base).abs())
        .fold(0.0, f64::max);
    const DECIDED: f64 = 1e-5;
    if (t.base <= DECIDED || t.base >= 1.0 - DECIDED) && furthest < 0.01 {
        let _ = writeln!(
            out,
            "  note: {a} {} (P {}), and no single assumption moved within these ranges \
             brings that {} (widen them with --step, or sweep two keys with `runoff sweep`)",
            if t.base >= 0.5 {
                "is all but certain to win"
            } else {
                "is all but certain to lose"
            },
            if t.base >= 0.5 { ">99.999%" } else { "<0.001%" },
            if t.base >= 0.5 {
                "below 99%"
            } else {
                "above 1%"
            }
        );
    }
    let _ = writeln!(out, "  wrote {}", dir.display());
    out
}
