//! What `fit` prints: the estimated transfer rows with their intervals, how well they reproduce the
//! units, and the hold-out check.

use crate::fit;
use crate::format::{NAME_COLS, Wide, clip, display_width, pct, votes};
use std::fmt::Write as _;

/// The out-of-sample check in one line, saying how many halves could not be fitted.
pub fn holdout_line(h: &fit::Holdout, f: &fit::Fit, data: &fit::UnitData) -> String {
    let k = data.candidates.len();
    let too_few = match f.method {
        fit::Method::Bayes => format!(
            "fewer than the {} units (of {}) a fit needs, or none left to hold out",
            f.method.least_units(k),
            data.units.len()
        ),
        fit::Method::Regression => format!(
            "fewer than the {} units (of {}) that {k} rows need, or units that cannot tell them \
             apart",
            f.method.least_units(k),
            data.units.len()
        ),
    };
    if h.used == 0 {
        return format!(
            "out of sample: none of the {} random halves of the units could be fitted: {too_few} \
             (fix: a table of more units)",
            h.drawn
        );
    }
    let halves = if h.used == h.drawn {
        format!("{} random halves of the units", h.used)
    } else {
        format!(
            "{} random halves of the units; {} more had {too_few}",
            h.used,
            h.drawn - h.used
        )
    };
    format!(
        "out of sample ({halves}): turnout-weighted error of the {} share, fit {:.2} pts vs naive \
         baseline {:.2} pts; fit better in {} of {}",
        f.finalists[0],
        100.0 * h.error[0],
        100.0 * h.error[1],
        h.wins,
        h.used
    )
}

/// `names` as a list, `["A", "B"]`, cut after [`fit::LISTED`] with how many more fit.json has.
fn some_of(names: &[String]) -> String {
    if names.len() <= fit::LISTED {
        return format!("{names:?}");
    }
    let head = format!("{:?}", &names[..fit::LISTED]);
    format!(
        "{}, … and {} more, in fit.json]",
        head.trim_end_matches(']'),
        names.len() - fit::LISTED
    )
}

/// The table `fit` prints: each estimated transfer row with its interval, and the fit's quality.
pub fn fit_table(f: &fit::Fit, data: &fit::UnitData) -> String {
    let mut t = String::new();
    let [a, b] = &f.finalists;
    let _ = writeln!(
        t,
        "{}: {} vs {}, {} {} units paired",
        f.race,
        a,
        b,
        votes(f.units as f64),
        data.unit_column
    );
    if !f.unpaired.0.is_empty() || !f.unpaired.1.is_empty() {
        let _ = writeln!(
            t,
            "  not paired, left out of the regression: {} with round 1 only {}; {} with the runoff only {}",
            f.unpaired.0.len(),
            some_of(&f.unpaired.0),
            f.unpaired.1.len(),
            some_of(&f.unpaired.1)
        );
    }
    for what in f.set_aside.iter().take(fit::LISTED) {
        let _ = writeln!(t, "  {what}");
    }
    if f.set_aside.len() > fit::LISTED {
        let _ = writeln!(
            t,
            "  … and {} more left out (fit.json lists all, under set_aside)",
            f.set_aside.len() - fit::LISTED
        );
    }
    if !f.respelled.is_empty() {
        let pairs: Vec<String> = f
            .respelled
            .iter()
            .take(fit::LISTED)
            .map(|(one, two)| format!("{one:?} = {two:?}"))
            .collect();
        let more = match f.respelled.len().saturating_sub(fit::LISTED) {
            0 => String::new(),
            n => format!(", … and {n} more, in fit.json"),
        };
        let _ = writeln!(
            t,
            "  paired despite spelling (case, dots, spaces, \"County\"): {} {}{more}",
            f.respelled.len(),
            pairs.join(", ")
        );
    }
    if !f.empty_units.is_empty() {
        let _ = writeln!(
            t,
            "  left out, no first-round votes: {} {}",
            f.empty_units.len(),
            some_of(&f.empty_units)
        );
    }
    if !f.pooled.is_empty() {
        let _ = writeln!(
            t,
            "  pooled into \"{}\": {}",
            f.rows.last().map_or(fit::OTHER, |r| r.candidate.as_str()),
            f.pooled.join(", ")
        );
    }
    let w = f
        .rows
        .iter()
        .map(|r| display_width(&clip(&r.candidate, NAME_COLS)))
        .max()
        .unwrap_or(8)
        .max(9);
    let cell = |r: &fit::RowEstimate, c: usize| {
        format!(
            "{:>5.1}% [{:>4.1}–{:>4.1}]",
            100.0 * r.shares[c],
            100.0 * r.interval90[c][0],
            100.0 * r.interval90[c][1]
        )
    };
    let bayes = f.method == fit::Method::Bayes;
    let heading = if bayes {
        let priors = match &f.prior_file {
            Some(file) => format!("priors from {}, uniform for the rest", file.display()),
            None => "uniform priors".to_string(),
        };
        format!(
            "Bayesian fit, posterior mean [90% interval], {priors}; moved: the data's largest \
             change to a share of the prior"
        )
    } else {
        "regression, estimate [90% bootstrap interval]".to_string()
    };
    let _ = writeln!(t, "  estimated transfers ({heading}):");
    let _ = writeln!(
        t,
        "    {:<w$} {:>10}  {:<20} {:<20} {:<20} {:>9}{}",
        "from",
        "votes",
        Wide(&format!(
            "to {}",
            clip(&crate::format::finalist_short(&f.finalists, 0), 17)
        )),
        Wide(&format!(
            "to {}",
            clip(&crate::format::finalist_short(&f.finalists, 1), 17)
        )),
        "stayed home",
        "certainty",
        if bayes { "     moved" } else { "" }
    );
    for r in &f.rows {
        let moved = r
            .moved()
            .map_or(String::new(), |m| format!(" {:>5.1} pts", 100.0 * m));
        let flags: Vec<&str> = r.flags.iter().map(fit::RowFlag::word).collect();
        let _ = writeln!(
            t,
            "    {:<w$} {:>10}  {:<20} {:<20} {:<20} {:>9.1}{moved}{}",
            Wide(&clip(&r.candidate, NAME_COLS)),
            votes(r.votes),
            cell(r, 0),
            cell(r, 1),
            cell(r, 2),
            r.certainty,
            if flags.is_empty() {
                String::new()
            } else {
                format!("  {}", flags.join(", "))
            }
        );
        if let (true, Some(p)) = (r.prior_given, r.prior) {
            let _ = writeln!(
                t,
                "    {:<w$} {:>10}  {:<20} {:<20} {:<20} {:>9}",
                "  prior",
                "",
                format!("{:>5.1}%", 100.0 * p.shares[0]),
                format!("{:>5.1}%", 100.0 * p.shares[1]),
                format!("{:>5.1}%", 100.0 * p.shares[2]),
                crate::format::trimmed(p.certainty, 1)
            );
        }
    }
    for r in f.rows.iter().filter(|r| !r.flags.is_empty()) {
        for flag in &r.flags {
            let _ = writeln!(t, "  {}: {}", r.candidate, flag.advice());
        }
    }
    if !f.prior_unused.is_empty() {
        let _ = writeln!(
            t,
            "  prior rows not used, their candidates pooled into \"{}\": {} (lower --pool-below to use them)",
            f.rows.last().map_or(fit::OTHER, |r| r.candidate.as_str()),
            f.prior_unused.join(", ")
        );
    }
    if let Some(tau) = f.contextual_sd {
        let _ = writeln!(
            t,
            "  contextual effects: sd {tau:.3} (how far a group's rates move with its unit's mix of \
             candidates; the intervals allow for it, docs/fit.md)"
        );
    }
    if f.new_voters.0 > 0.0 {
        let _ = writeln!(
            t,
            "  new voters (turnout above round one in a unit): {} of round one, {} to {}",
            pct(f.new_voters.0),
            pct(f.new_voters.1[0]),
            a
        );
    }
    let _ = writeln!(
        t,
        "  fit: units' {} share off by {:.2} pts on average (turnout-weighted); statewide share fitted {}, actual {}",
        crate::format::finalist_short(&f.finalists, 0),
        100.0 * f.unit_share_mae,
        pct(f.statewide_share[0]),
        pct(f.statewide_share[1])
    );
    t
}
