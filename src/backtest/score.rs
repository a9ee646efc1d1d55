//! Scores of probabilistic forecasts: Brier (1950), log loss, central-interval coverage and PIT histograms (Dawid 1984).

/// Probabilities are kept inside [CLIP, 1 − CLIP] for the log loss, so that one certain miss is
/// a large but finite penalty (ln 1000 ≈ 6.9) rather than infinity.
pub const CLIP: f64 = 0.001;

/// Mean squared error of probabilities `p` against outcomes.
pub fn brier(p: &[f64], outcome: &[bool]) -> f64 {
    let n = p.len().max(1) as f64;
    p.iter()
        .zip(outcome)
        .map(|(p, &o)| (p - f64::from(u8::from(o))).powi(2))
        .sum::<f64>()
        / n
}

/// Mean negative log-likelihood (natural log) of the outcomes, probabilities clipped to [CLIP, 1 − CLIP].
pub fn log_loss(p: &[f64], outcome: &[bool]) -> f64 {
    let n = p.len().max(1) as f64;
    p.iter()
        .zip(outcome)
        .map(|(p, &o)| {
            let p = p.clamp(CLIP, 1.0 - CLIP);
            -(if o { p.ln() } else { (1.0 - p).ln() })
        })
        .sum::<f64>()
        / n
}

/// Fraction of `actual` values inside their intervals `[lo, hi]` (ends included).
pub fn coverage(intervals: &[[f64; 2]], actual: &[f64]) -> f64 {
    let n = actual.len().max(1) as f64;
    intervals
        .iter()
        .zip(actual)
        .filter(|([lo, hi], y)| lo <= *y && *y <= hi)
        .count() as f64
        / n
}

/// Counts of PIT values in `bins` equal bins of [0, 1]: flat when the forecasts are calibrated.
pub fn pit_histogram(pit: &[f64], bins: usize) -> Vec<u64> {
    let mut counts = vec![0; bins];
    for &u in pit {
        let i = ((u.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
        counts[i] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brier_and_log_loss_by_hand() {
        let p = [0.8, 0.3, 0.5];
        let o = [true, false, true];
        // (0.2² + 0.3² + 0.5²) / 3 = 0.38 / 3
        assert!((brier(&p, &o) - 0.38 / 3.0).abs() < 1e-12);
        // −(ln 0.8 + ln 0.7 + ln 0.5) / 3
        let expected = -(0.8f64.ln() + 0.7f64.ln() + 0.5f64.ln()) / 3.0;
        assert!((log_loss(&p, &o) - expected).abs() < 1e-12);
        // A certain miss is clipped: −ln(0.001).
        assert!((log_loss(&[1.0], &[false]) - 1000f64.ln()).abs() < 1e-9);
    }

    #[test]
    fn the_base_rate_baseline_scores_as_stated_in_the_issue() {
        // 32 leader wins in 46 races, every race predicted at 32/46.
        let p = vec![32.0 / 46.0; 46];
        let o: Vec<bool> = (0..46).map(|i| i < 32).collect();
        assert!((brier(&p, &o) - 0.2117).abs() < 1e-4);
        assert!((log_loss(&p, &o) - 0.6145).abs() < 1e-4);
    }

    #[test]
    fn coverage_and_pit_by_hand() {
        let intervals = [[0.4, 0.6], [0.4, 0.6], [0.1, 0.2], [0.5, 0.5]];
        let actual = [0.5, 0.7, 0.15, 0.5];
        assert_eq!(coverage(&intervals, &actual), 0.75);
        assert_eq!(
            pit_histogram(&[0.05, 0.15, 0.95, 1.0, 0.0], 10),
            vec![2, 1, 0, 0, 0, 0, 0, 0, 0, 2]
        );
    }
}
