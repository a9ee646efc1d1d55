//! Numbers as people read them: percentages that never round to certain, vote counts with
//! thousands separators and signs, compact counts for axes, percentiles and shares as files write them.

/// Decimals (1 to 3) for a set of probabilities so that none short of certain reads 0.0% or 100.0%.
pub fn pct_decimals(probabilities: impl Iterator<Item = f64> + Clone) -> usize {
    (1..=3)
        .find(|&d| {
            probabilities.clone().all(|p| {
                let shown: f64 = format!("{:.d$}", 100.0 * p).parse().unwrap_or(p);
                p <= 0.0 || p >= 1.0 || (shown > 0.0 && shown < 100.0)
            })
        })
        .unwrap_or(3)
}

/// `x` to at most `decimals` decimals, without trailing zeros: 100, 12.5, 0.333.
pub fn trimmed(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    if decimals == 0 {
        text
    } else {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A probability as a percentage with `decimals` decimals, e.g. `62.31%`. One short of certain
/// never reads certain: 0.999996 is `>99.999%`, not `100.000%`, and 0.000004 is `<0.001%`.
pub fn pct_to(p: f64, decimals: usize) -> String {
    let text = format!("{:.decimals$}", 100.0 * p);
    let shown: f64 = text.parse().unwrap_or(100.0 * p);
    let step = 10f64.powi(-(decimals as i32));
    if p > 0.0 && shown == 0.0 {
        format!("<{step:.decimals$}%")
    } else if p < 1.0 && shown == 100.0 {
        format!(">{:.decimals$}%", 100.0 - step)
    } else {
        text + "%"
    }
}

/// "1 draw", "1,000,000 draws".
pub fn draws(n: u64) -> String {
    if n == 1 {
        "1 draw".to_string()
    } else {
        format!("{} draws", votes(n as f64))
    }
}

/// A percentage with one decimal, e.g. `62.3%`.
pub fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// Where a value fell among the draws, from the fraction `p` of draws below it: "percentile 97.8"
/// (the number right-aligned in `width` columns), or "below every draw" / "above every draw".
pub fn percentile(p: f64, width: usize) -> String {
    match percentile_number(p) {
        Ok(number) => format!("percentile {number:>width$}"),
        Err(end) => end.to_string(),
    }
}

/// The percentile of [`percentile`] alone ("97.8"), or, past every draw, which end it is past.
pub fn percentile_number(p: f64) -> Result<String, &'static str> {
    if p <= 0.0 {
        Err("below every draw")
    } else if p >= 1.0 {
        Err("above every draw")
    } else {
        // One decimal, never rounded to an end, which would read as every draw.
        Ok(format!("{:.1}", (100.0 * p).clamp(0.1, 99.9)))
    }
}

/// A whole number with thousands separators, e.g. `-12,345`.
pub fn votes(x: f64) -> String {
    votes_to(x, 0)
}

/// [`votes`] with `decimals` after the point, e.g. `-12,345.6`.
pub fn votes_to(x: f64, decimals: usize) -> String {
    with_sign(x, &grouped(x, decimals), false)
}

/// [`votes_to`] with its noun: "1 vote" when it reads as 1, else "0.5 votes", "717,642 votes".
pub fn votes_with_noun(x: f64, decimals: usize) -> String {
    let count = votes_to(x, decimals);
    if count == "1" {
        format!("{count} vote")
    } else {
        format!("{count} votes")
    }
}

/// |x| with `decimals` after the point and thousands separators, e.g. `12,345.6`.
fn grouped(x: f64, decimals: usize) -> String {
    // Half away from zero, as f64::round does (formatting alone rounds half to even).
    let scale = 10f64.powi(decimals as i32);
    let body = format!("{:.decimals$}", (x.abs() * scale).round() / scale);
    let (whole, fraction) = body.split_at(body.find('.').unwrap_or(body.len()));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(fraction);
    out
}

/// `body`, the digits of |x|, with x's sign: `-` below 0, `+` above it when `signed`, and none
/// when the body reads as zero (never "-0" or "+0.0").
pub fn with_sign(x: f64, body: &str, signed: bool) -> String {
    let sign = if body.bytes().all(|b| matches!(b, b'0' | b'.')) {
        ""
    } else if x < 0.0 {
        "-"
    } else if signed {
        "+"
    } else {
        ""
    };
    format!("{sign}{body}")
}

/// A change of share in points, signed: 0.042 → "+4.2" with one decimal, never "-0.0".
pub fn signed_points(x: f64, decimals: usize) -> String {
    with_sign(x, &format!("{:.decimals$}", (100.0 * x).abs()), true)
}

/// Decimals for a scenario's vote counts (margin, turnout, flows): none for counts of voters;
/// where the first round is written as percentages or shares (not all whole numbers), enough for
/// about four significant figures of its total (100 → 1, 1 → 3), so a margin does not read "+0".
pub fn first_round_decimals(mut votes: impl Iterator<Item = f64>, total: f64) -> usize {
    let whole = votes.all(|v| v.fract() == 0.0);
    if whole || !(total > 0.0 && total.is_finite()) {
        0
    } else {
        (3.0 - total.log10().floor()).clamp(0.0, 6.0) as usize
    }
}

/// Counts with thousands separators; a fraction (percentages, shares) as written,
/// since rounding 0.4 to "0" would hide the candidate's weight.
pub fn votes_as_written(v: f64) -> String {
    if v.fract() == 0.0 {
        votes(v)
    } else {
        readable(v)
    }
}

/// A signed vote count with `decimals` after the point, e.g. `+1,234` or `+1,234.5`.
pub fn signed_votes_to(x: f64, decimals: usize) -> String {
    with_sign(x, &grouped(x, decimals), true)
}

/// The label of the actual result's line: "actual 60.7%: percentile 97.8".
pub fn actual_label(value: &str, fraction_below: f64) -> String {
    format!("actual {value}: {}", percentile(fraction_below, 0))
}

/// A win probability: "62.3%", with more decimals when it is short of certain and would read 0.0%
/// or 100.0% ("99.96%").
pub fn win_pct(p: f64) -> String {
    pct_to(p, pct_decimals(std::iter::once(p)))
}

/// Vote counts on an axis: 12k, 1.23M, 4.56B, 7.89T, 2.40e15; `signed` puts a + on positive numbers (margins).
pub fn compact_votes(x: f64, signed: bool) -> String {
    votes_with_decimals(x, signed, 0)
}

/// A count written out for an annotation, where there is room for every digit (594,167; +30,524),
/// so that a narrow interval does not read "594k to 594k"; [`compact_votes`] from a billion.
/// `decimals` as [`vote_decimals`] gives them.
pub fn full_votes(x: f64, signed: bool, decimals: usize) -> String {
    if x.abs() >= 1e9 {
        compact_votes(x, signed)
    } else if signed {
        signed_votes_to(x, decimals)
    } else {
        votes_to(x, decimals)
    }
}

/// [`compact_votes`] with `decimals` below a thousand, for the ticks of an axis a few votes wide
/// (0.5, 1.0, 1.5 rather than 0, 1, 2, 2).
pub fn votes_with_decimals(x: f64, signed: bool, decimals: usize) -> String {
    let a = x.abs();
    let body = match vote_unit(a) {
        None => format!("{a:.2e}"),
        Some((unit, suffix)) => {
            // 1.23M, 45k, 4.5k, and below a thousand as the axis needs.
            let d = match unit {
                u if u >= 1e6 => 2,
                u if u >= 1e3 => usize::from(a < 1e4),
                _ => decimals,
            };
            format!("{:.d$}{suffix}", a / unit)
        }
    };
    with_sign(x, &body, signed)
}

/// The unit a count of size `a` is written in, with its suffix: (1e6, "M") from a million, down
/// to (1, "") below a thousand; none from 10^15, which is written as a power of ten.
fn vote_unit(a: f64) -> Option<(f64, &'static str)> {
    if a >= 1e15 {
        return None;
    }
    let units = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")];
    Some(
        units
            .into_iter()
            .find(|(unit, _)| a >= *unit)
            .unwrap_or((1.0, "")),
    )
}

/// Decimals that tell apart the ticks of an axis `span` units wide with at most `ticks` labels:
/// plotters puts them a step of 1, 2 or 5 times a power of ten apart, at least span / ticks.
pub fn tick_decimals(span: f64, ticks: usize) -> usize {
    let least = span / ticks.max(1) as f64;
    if !(least.is_finite() && least > 0.0) {
        return 0;
    }
    let power = 10f64.powf(least.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|k| k * power)
        .find(|step| *step >= least * (1.0 - 1e-9))
        .unwrap_or(10.0 * power);
    decimals_for(step)
}

/// Decimals that write every multiple of `step` apart from the next: 0 from 1 up, 1 for 0.5.
fn decimals_for(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) || step >= 1.0 {
        0
    } else {
        (-step.log10() - 1e-9).ceil().clamp(0.0, 6.0) as usize
    }
}

/// A tick of an axis of votes `step` apart, in the unit of its size with the decimals the step
/// needs there: 105M and 110M, 2.5M, 1.002M, 45k, 0.5 (a fixed "105.00M" would crowd the axis,
/// and a fixed "1.00M" would not tell 1,000,000 from 1,002,000).
pub fn tick_votes(x: f64, signed: bool, step: f64) -> String {
    // Slack for a tick a rounding error below its unit: 999,999.9999 is 1.0M, not 1000k.
    let Some((unit, suffix)) = vote_unit(x.abs() * (1.0 + 1e-9)) else {
        return compact_votes(x, signed);
    };
    let decimals = decimals_for(step / unit);
    with_sign(x, &format!("{:.decimals$}{suffix}", x.abs() / unit), signed)
}

/// A bin's width in votes, for an axis label: whole when it is (voters counted one by one) or
/// from 100 up, else to three significant digits.
pub fn bin_votes(width: f64) -> String {
    let decimals = if width >= 100.0 || width == width.round() {
        0
    } else {
        (2 - width.log10().floor() as i32).clamp(0, 12) as usize
    };
    full_votes(width, false, decimals)
}

/// A bin's width in points of share, to two significant digits when it is narrower than 0.01.
pub fn bin_points(width: f64) -> String {
    let decimals = if width > 0.0 && width < 0.01 {
        (-width.log10()).ceil() as usize + 1
    } else {
        2
    };
    format!("{width:.decimals$}")
}

/// A number as a person would write it: 1e306 rather than its 307 digits.
pub fn readable(v: f64) -> String {
    if v != 0.0 && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// `points` as the share a file writes: 40 → "0.4", 33.3 → "0.333".
pub fn fraction_of(points: f64) -> String {
    let fraction = points / 100.0;
    if fraction >= 1e6 {
        return readable(fraction);
    }
    let text = format!("{fraction:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_short_of_certain_never_read_certain() {
        let d = |ps: &[f64]| pct_decimals(ps.iter().copied());
        assert_eq!(d(&[0.736, 0.264]), 1);
        assert_eq!(d(&[1.0, 0.0, 0.5]), 1);
        assert_eq!(d(&[0.9996]), 2);
        assert_eq!(d(&[0.99996, 0.3]), 3);
        assert_eq!(d(&[0.0004]), 2);
        // Beyond three decimals the text says how close it is.
        assert_eq!(d(&[0.9999999]), 3);
        assert_eq!(pct_to(0.9996, 2), "99.96%");
        assert_eq!(pct_to(0.999996, 3), ">99.999%");
        assert_eq!(pct_to(0.000004, 3), "<0.001%");
        assert_eq!(pct_to(0.00004, 1), "<0.1%");
        assert_eq!(
            (pct_to(1.0, 3), pct_to(0.0, 1)),
            ("100.000%".into(), "0.0%".into())
        );
    }

    #[test]
    fn vote_counts_get_thousands_separators() {
        assert_eq!(votes(1234567.4), "1,234,567");
        assert_eq!(votes(-999.6), "-1,000");
        assert_eq!(signed_votes_to(12.0, 0), "+12");
        assert_eq!(votes(0.0), "0");
        // Shares written where counts belong are shown as written, not as 0.
        assert_eq!(votes_as_written(239604.0), "239,604");
        assert_eq!(votes_as_written(0.4), "0.4");
        assert_eq!(votes_to(-1234.56, 1), "-1,234.6");
        assert_eq!(signed_votes_to(0.04, 1), "0.0");
        assert_eq!(signed_votes_to(-0.04, 1), "0.0");
        assert_eq!(signed_votes_to(6.25, 2), "+6.25");
    }

    #[test]
    fn bin_widths_in_votes_read_to_three_digits_or_whole() {
        assert_eq!(bin_votes(2.0), "2");
        assert_eq!(bin_votes(16.0), "16");
        assert_eq!(bin_votes(12.07489), "12.1");
        assert_eq!(bin_votes(0.0322266), "0.0322");
        assert_eq!(bin_votes(1358.64), "1,359");
    }

    #[test]
    fn compact_votes_read_well() {
        assert_eq!(compact_votes(1_234_567.0, true), "+1.23M");
        assert_eq!(compact_votes(1_234_567.0, false), "1.23M");
        assert_eq!(compact_votes(-45_000.0, true), "-45k");
        assert_eq!(compact_votes(0.0, true), "0");
        assert_eq!(compact_votes(-2.5e9, true), "-2.50B");
        assert_eq!(compact_votes(2.6e12, false), "2.60T");
        assert_eq!(compact_votes(2.4e15, false), "2.40e15");
        assert_eq!(full_votes(30_524.4, true, 0), "+30,524");
        assert_eq!(full_votes(-49_334.0, true, 0), "-49,334");
        assert_eq!(full_votes(0.2, true, 0), "0");
        assert_eq!(full_votes(2.6e12, false, 0), "2.60T");
        assert_eq!(full_votes(-6.25, true, 1), "-6.3");
        assert_eq!(compact_votes(-0.4, true), "0");
        assert_eq!(compact_votes(0.4, true), "0");
        // Ticks of an axis two votes wide.
        let ticks: Vec<String> = [-1.0, -0.5, 0.0, 0.5, 1.0]
            .iter()
            .map(|&x| votes_with_decimals(x, true, tick_decimals(2.0, 6)))
            .collect();
        assert_eq!(ticks, ["-1.0", "-0.5", "0.0", "+0.5", "+1.0"]);
        // Steps of 2, 0.5, 0.2, 0.05.
        assert_eq!(tick_decimals(12.0, 10), 0);
        assert_eq!(tick_decimals(4.0, 10), 1);
        assert_eq!(tick_decimals(2.0, 6), 1);
        assert_eq!(tick_decimals(0.5, 10), 2);
        assert_eq!(bin_points(0.27), "0.27");
        assert_eq!(bin_points(0.0012), "0.0012");
    }
}
