//! The default prior's runoff turnout: its ratio to the first round's, by the kind of election and
//! what heads the runoff ballot, fitted on real runoffs (docs/default-prior.md).
//!
//! What belongs here: the rule (a regression of the log ratio on the race's facts), its fit to a
//! set of races, and the rule fitted on the bundled development races that `runoff new` uses.
//! How a ratio becomes the scenario's rows belongs to `prior.rs`.

use crate::results::{Ballot, Kind};
use nalgebra::{Matrix4, Vector4};
use serde::{Deserialize, Serialize};

/// Ridge penalty on the effects (not the base): it keeps an effect no training race shows at 0
/// (the base), and one shown by a single race from resting on it alone.
const RIDGE: f64 = 0.1;

/// One race's facts and its actual ratio of runoff to first-round votes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TurnoutExample {
    pub kind: Option<Kind>,
    pub ballot: Option<Ballot>,
    pub ratio: f64,
}

/// ln(runoff / first-round votes) = base + top·[top of ballot] + second·[second] + not_primary·[not
/// a party primary]. An unknown fact counts as its share among the races fitted on, so that a race
/// of unknown kind gets the average of theirs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TurnoutRule {
    /// [base, top, second, not_primary] on the log scale.
    pub coefficients: [f64; 4],
    /// The share of fitted races headed by a top office, a second office, and not party primaries.
    pub shares: [f64; 3],
    /// Races fitted on: all, party primaries, general or jungle runoffs, national elections.
    pub races: [usize; 4],
    /// The standard deviation of the fitted races' log ratios about the rule (a factor of
    /// e^spread either way is the turnout's usual miss).
    pub spread: f64,
}

/// The rule fitted on the 45 development races with counts (data/runoffs_dev.csv); a test checks
/// that fitting them again gives these values.
pub const BUNDLED: TurnoutRule = TurnoutRule {
    coefficients: [
        -1.127635540422638,
        0.6945310932312342,
        0.4330781225456485,
        0.33345699628692504,
    ],
    shares: [0.4666666666666667, 0.2, 0.06666666666666667],
    races: [45, 42, 2, 1],
    spread: 0.32414493451369525,
};

fn features(kind: Option<Kind>, ballot: Option<Ballot>, shares: [f64; 3]) -> Vector4<f64> {
    let flag = |b: bool| f64::from(u8::from(b));
    Vector4::new(
        1.0,
        ballot.map_or(shares[0], |b| flag(b == Ballot::Top)),
        ballot.map_or(shares[1], |b| flag(b == Ballot::Second)),
        kind.map_or(shares[2], |k| flag(k != Kind::Primary)),
    )
}

impl TurnoutRule {
    /// The rule fitted on `examples` (those with a positive ratio); `None` when there are none.
    pub fn fit(examples: &[TurnoutExample]) -> Option<TurnoutRule> {
        let used: Vec<&TurnoutExample> = examples.iter().filter(|e| e.ratio > 0.0).collect();
        if used.is_empty() {
            return None;
        }
        let n = used.len() as f64;
        let share = |f: &dyn Fn(&TurnoutExample) -> Option<bool>| {
            let known: Vec<bool> = used.iter().filter_map(|e| f(e)).collect();
            if known.is_empty() {
                0.0
            } else {
                known.iter().filter(|&&b| b).count() as f64 / known.len() as f64
            }
        };
        let shares = [
            share(&|e| e.ballot.map(|b| b == Ballot::Top)),
            share(&|e| e.ballot.map(|b| b == Ballot::Second)),
            share(&|e| e.kind.map(|k| k != Kind::Primary)),
        ];
        let mut xtx = Matrix4::<f64>::zeros();
        let mut xty = Vector4::<f64>::zeros();
        for e in &used {
            let x = features(e.kind, e.ballot, shares);
            xtx += x * x.transpose();
            xty += x * e.ratio.ln();
        }
        for i in 1..4 {
            xtx[(i, i)] += RIDGE;
        }
        let beta = xtx.lu().solve(&xty)?;
        let coefficients = [beta[0], beta[1], beta[2], beta[3]];
        let residual =
            |e: &TurnoutExample| e.ratio.ln() - features(e.kind, e.ballot, shares).dot(&beta);
        let spread =
            (used.iter().map(|e| residual(e).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
        let count = |k: Kind| used.iter().filter(|e| e.kind == Some(k)).count();
        Some(TurnoutRule {
            coefficients,
            shares,
            races: [
                used.len(),
                count(Kind::Primary),
                count(Kind::General),
                count(Kind::National),
            ],
            spread,
        })
    }

    /// The predicted ratio of runoff to first-round votes.
    pub fn ratio(&self, kind: Option<Kind>, ballot: Option<Ballot>) -> f64 {
        let b = Vector4::from(self.coefficients);
        features(kind, ballot, self.shares).dot(&b).exp()
    }

    /// How many fitted races were of `kind`.
    pub fn examples(&self, kind: Kind) -> usize {
        match kind {
            Kind::Primary => self.races[1],
            Kind::General => self.races[2],
            Kind::National => self.races[3],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_recovers_its_classes_and_averages_the_unknown() {
        // Primaries headed by a lower office at 0.4, by a top office at 0.8; general runoffs at 1.0.
        let mut examples = Vec::new();
        for _ in 0..10 {
            examples.push(TurnoutExample {
                kind: Some(Kind::Primary),
                ballot: Some(Ballot::Lower),
                ratio: 0.4,
            });
            examples.push(TurnoutExample {
                kind: Some(Kind::Primary),
                ballot: Some(Ballot::Top),
                ratio: 0.8,
            });
        }
        let rule = TurnoutRule::fit(&examples).unwrap();
        let near = |a: f64, b: f64| (a - b).abs() < 0.02 * b;
        assert!(near(
            rule.ratio(Some(Kind::Primary), Some(Ballot::Lower)),
            0.4
        ));
        assert!(near(
            rule.ratio(Some(Kind::Primary), Some(Ballot::Top)),
            0.8
        ));
        // Half the races are headed by a top office: the unknown ballot is their geometric mean.
        assert!(near(
            rule.ratio(Some(Kind::Primary), None),
            (0.32f64).sqrt()
        ));
        // No general runoff among them: the ridge keeps its effect at 0.
        assert!(near(
            rule.ratio(Some(Kind::General), Some(Ballot::Top)),
            0.8
        ));
        assert_eq!(rule.races, [20, 20, 0, 0]);
        // The ridge leaves a little of each class unexplained.
        assert!(rule.spread < 0.02);
        assert_eq!(TurnoutRule::fit(&[]), None);
    }

    #[test]
    fn the_bundled_rule_is_the_fit_on_the_development_races() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/runoffs_dev.csv");
        let (races, _) = crate::results::load(&path).unwrap();
        let fitted =
            TurnoutRule::fit(&crate::backtest::turnout_examples(&races, |_| true)).unwrap();
        assert_eq!(fitted.races, BUNDLED.races);
        for (a, b) in fitted.coefficients.iter().zip(BUNDLED.coefficients) {
            assert!((a - b).abs() < 1e-9, "refit: {fitted:?}");
        }
        assert!((fitted.spread - BUNDLED.spread).abs() < 1e-9);
    }
}
