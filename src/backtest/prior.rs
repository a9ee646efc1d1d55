//! The default prior: a documented rule that turns first-round results alone into a scenario (docs/default-prior.md).

use super::turnout::TurnoutRule;
use crate::results::{Ballot, Kind};
use crate::scenario::{Scenario, ScenarioError, key_segment, parse_str};
use std::fmt::Write;
use std::path::Path;

/// The prior's parameters. The two tuned on the dev races (`swing_sd`, `proportional_split`) are
/// chosen leave-one-race-out in backtests; `DefaultPrior::default()` holds the values fitted on all 46.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DefaultPrior {
    /// Share of a finalist's own first-round voters who vote for it again.
    pub retention: f64,
    /// Share of a finalist's own voters who switch to the other finalist.
    pub defection: f64,
    /// Certainty of the finalists' rows.
    pub finalist_certainty: f64,
    /// Share of an eliminated candidate's voters who vote in the runoff.
    pub eliminated_turnout: f64,
    /// How the returning eliminated voters split: 1 = in proportion to the finalists' first-round
    /// votes, 0 = evenly; in between, a mixture.
    pub proportional_split: f64,
    /// Certainty of the eliminated candidates' rows.
    pub eliminated_certainty: f64,
    /// New voters' mean size as a share of the first round, and its sd.
    pub new_voters: (f64, f64),
    /// Scale of the Student-t late swing.
    pub swing_sd: f64,
    /// Degrees of freedom of the swing.
    pub swing_df: f64,
    /// The expected ratio of runoff to first-round votes (from [`TurnoutRule`]); `None` keeps the
    /// participation above as it is. The rows' participation (finalists' and eliminated voters'
    /// alike) is scaled to give it, and new voters make up what rows at 95% cannot.
    pub turnout_ratio: Option<f64>,
    /// The race's kind and what heads its ballot, as the turnout ratio assumed them.
    pub kind: Option<Kind>,
    pub ballot: Option<Ballot>,
}

/// The most of a source's voters the prior sends to the runoff: past it, new voters make up a
/// turnout ratio.
const MOST_RETURNING: f64 = 0.95;

/// What the prior's rows expect: the shares of a finalist's own voters who vote for it again and
/// who defect, the share of an eliminated candidate's voters who return, and new voters' mean and
/// sd (shares of the first round).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Participation {
    pub retention: f64,
    pub defection: f64,
    pub eliminated: f64,
    pub new_voters: (f64, f64),
    /// The rows' certainties: scaled against their turnout, so that how the returning voters
    /// split is as sure at any turnout (a Dirichlet row's split between the finalists has
    /// concentration certainty × turnout).
    pub finalist_certainty: f64,
    pub eliminated_certainty: f64,
}

impl Default for DefaultPrior {
    fn default() -> Self {
        DefaultPrior {
            retention: 0.55,
            defection: 0.03,
            finalist_certainty: 30.0,
            eliminated_turnout: 0.45,
            proportional_split: 0.0,
            eliminated_certainty: 8.0,
            new_voters: (0.02, 0.03),
            swing_sd: 0.03,
            swing_df: 3.0,
            turnout_ratio: None,
            kind: None,
            ballot: None,
        }
    }
}

/// A race's kind and ballot in words: "a party primary's runoff headed by a top office".
pub fn race_words(kind: Option<Kind>, ballot: Option<Ballot>) -> String {
    let kind = match kind {
        Some(Kind::Primary) => "a party primary's runoff",
        Some(Kind::General) => "a general or jungle runoff",
        Some(Kind::National) => "a national two-round election",
        None => "a runoff of unknown kind",
    };
    let ballot = match ballot {
        Some(Ballot::Top) => "with a president, governor or U.S. senator on the runoff ballot",
        Some(Ballot::Second) => {
            "headed by a lieutenant governor or attorney general on the runoff ballot"
        }
        Some(Ballot::Lower) => {
            "with no president, governor, senator, lieutenant governor or attorney general on the \
             runoff ballot"
        }
        None => "whatever heads its ballot",
    };
    format!("{kind} {ballot}")
}

/// TOML string literal.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A number as TOML writes it, to 4 decimals.
fn num(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_string()
    }
}

impl DefaultPrior {
    /// The prior `runoff new` writes for a race of `kind` headed by `ballot` (either unknown): its
    /// turnout from the rule fitted on the bundled development races.
    pub fn bundled(kind: Option<Kind>, ballot: Option<Ballot>) -> DefaultPrior {
        DefaultPrior::default().for_race(&super::turnout::BUNDLED, kind, ballot)
    }

    /// The prior for a race of `kind` headed by `ballot` (either unknown), its turnout from `rule`.
    pub fn for_race(
        self,
        rule: &TurnoutRule,
        kind: Option<Kind>,
        ballot: Option<Ballot>,
    ) -> DefaultPrior {
        DefaultPrior {
            turnout_ratio: Some(rule.ratio(kind, ballot)),
            kind,
            ballot,
            ..self
        }
    }

    /// The rows' participation for a first round whose finalists hold `finalist_share` of it.
    pub fn participation(&self, finalist_share: f64) -> Participation {
        let own = self.retention + self.defection;
        let base = Participation {
            retention: self.retention,
            defection: self.defection,
            eliminated: self.eliminated_turnout,
            new_voters: self.new_voters,
            finalist_certainty: self.finalist_certainty,
            eliminated_certainty: self.eliminated_certainty,
        };
        let Some(ratio) = self.turnout_ratio else {
            return base;
        };
        let (f, e) = (
            finalist_share.clamp(0.0, 1.0),
            1.0 - finalist_share.clamp(0.0, 1.0),
        );
        let expected = own * f + self.eliminated_turnout * e;
        // A floor keeps every row alive for a ratio below the new voters alone.
        let scale = ((ratio - self.new_voters.0) / expected).max(0.05);
        let own_now = (own * scale).min(MOST_RETURNING);
        let eliminated = (self.eliminated_turnout * scale).min(MOST_RETURNING);
        let new = (ratio - own_now * f - eliminated * e).max(self.new_voters.0);
        Participation {
            retention: self.retention * own_now / own,
            defection: self.defection * own_now / own,
            eliminated,
            new_voters: (new, self.new_voters.1.max(new / 2.0)),
            finalist_certainty: self.finalist_certainty * own / own_now,
            eliminated_certainty: self.eliminated_certainty * self.eliminated_turnout / eliminated,
        }
    }

    /// The eliminated voters' expected split `[to A, to B]` (of those who return).
    pub fn eliminated_split(&self, a_votes: f64, b_votes: f64) -> [f64; 2] {
        let prop = if a_votes + b_votes > 0.0 {
            a_votes / (a_votes + b_votes)
        } else {
            0.5
        };
        let to_a = self.proportional_split * prop + (1.0 - self.proportional_split) * 0.5;
        [to_a, 1.0 - to_a]
    }

    /// The commented scenario file for a first round and two finalists (finalists[0] first).
    pub fn scenario_toml(
        &self,
        name: &str,
        source: &str,
        first_round: &[(String, f64)],
        finalists: &[String; 2],
    ) -> String {
        let [a, b] = finalists;
        let votes = |n: &str| {
            first_round
                .iter()
                .find(|(c, _)| c == n)
                .map(|(_, v)| *v)
                .unwrap_or(0.0)
        };
        let split = self.eliminated_split(votes(a), votes(b));
        let total: f64 = first_round.iter().map(|(_, v)| v).sum();
        let finalist_share = if total > 0.0 {
            (votes(a) + votes(b)) / total
        } else {
            1.0
        };
        let p = self.participation(finalist_share);
        let mut t = String::new();
        let _ = writeln!(
            t,
            "# Written by `runoff new` from the default prior (docs/default-prior.md)."
        );
        let _ = writeln!(t, "# Source: {source}");
        let _ = writeln!(
            t,
            "# Every number below is an assumption of the prior, not a fact: change any of them."
        );
        let _ = writeln!(t, "name = {}", quoted(name));
        let _ = writeln!(
            t,
            "description = \"Default prior: finalists keep {:.0}% of their voters, eliminated candidates' voters return at {:.0}% and split {:.0}/{:.0}, Student-t swing of {:.0} points.\"",
            100.0 * p.retention,
            100.0 * p.eliminated,
            100.0 * split[0],
            100.0 * split[1],
            100.0 * self.swing_sd
        );
        let _ = writeln!(t, "\nfinalists = [{}, {}]", quoted(a), quoted(b));
        let _ = writeln!(t, "\n[first_round]");
        for (c, v) in first_round {
            // Votes as given: whole counts without a decimal point, fractions in full.
            let _ = writeln!(t, "{} = {v}", quoted(c));
        }
        if let Some(ratio) = self.turnout_ratio {
            let _ = writeln!(
                t,
                "\n# Runoff turnout: {:.0}% of the first round's expected (docs/default-prior.md), for\n# {};\n# every row's turnout below is scaled to give it{}.",
                100.0 * ratio,
                race_words(self.kind, self.ballot),
                if p.new_voters.0 > self.new_voters.0 {
                    ", and new voters make up the rest"
                } else {
                    ""
                }
            );
        }
        for (k, f) in finalists.iter().enumerate() {
            let other = &finalists[1 - k];
            let _ = writeln!(
                t,
                "\n# A finalist's own voters: most come back, a few defect; runoff turnout is usually far below\n# the first round's, so many stay home."
            );
            let _ = writeln!(t, "[transfers.{}]", key_segment(f));
            let _ = writeln!(t, "{} = {}", quoted(f), num(p.retention));
            let _ = writeln!(t, "{} = {}", quoted(other), num(p.defection));
            let _ = writeln!(
                t,
                "certainty = {}   # turnout of a finalist's base is uncertain",
                num(p.finalist_certainty)
            );
        }
        let _ = writeln!(
            t,
            "\n# Eliminated candidates' voters: {:.0}% return; those who do split between the finalists\n# {:.0}% in proportion to the finalists' first-round votes and {:.0}% evenly. Vague (certainty {}).",
            100.0 * p.eliminated,
            100.0 * self.proportional_split,
            100.0 * (1.0 - self.proportional_split),
            num(p.eliminated_certainty)
        );
        let _ = writeln!(t, "[default_transfer]");
        let _ = writeln!(t, "{} = {}", quoted(a), num(p.eliminated * split[0]));
        let _ = writeln!(t, "{} = {}", quoted(b), num(p.eliminated * split[1]));
        let _ = writeln!(t, "certainty = {}", num(p.eliminated_certainty));
        let _ = writeln!(
            t,
            "\n# A few runoffs draw voters who skipped round one (3 of the 46 dev races had more runoff\n# voters than first-round voters): a small, uncertain share, split evenly."
        );
        let _ = writeln!(t, "[new_voters]");
        let _ = writeln!(t, "share = {}", num(p.new_voters.0));
        let _ = writeln!(t, "sd = {}", num(p.new_voters.1));
        let _ = writeln!(t, "{} = 0.5", quoted(a));
        let _ = writeln!(t, "{} = 0.5", quoted(b));
        let _ = writeln!(t, "certainty = 10");
        let _ = writeln!(
            t,
            "\n# Campaigns, endorsements and turnout differences move runoffs far from any transfer rule:\n# a fat-tailed late swing, its scale chosen on the dev races (leave-one-race-out)."
        );
        let _ = writeln!(t, "[swing]");
        let _ = writeln!(t, "sd = {}", num(self.swing_sd));
        let _ = writeln!(t, "distribution = \"student-t\"");
        let _ = writeln!(t, "df = {}", num(self.swing_df));
        t
    }

    /// The validated scenario (built from the same text `runoff new` writes, so the two never differ).
    pub fn scenario(
        &self,
        name: &str,
        first_round: &[(String, f64)],
        finalists: &[String; 2],
    ) -> Result<Scenario, ScenarioError> {
        let text = self.scenario_toml(name, name, first_round, finalists);
        parse_str(&text, Path::new(&format!("{name}.toml")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_writes_a_valid_scenario_with_names_that_need_quoting() {
        let fr = vec![
            ("Ann \"A\" Lee".to_string(), 500.0),
            ("Bo.Diaz".to_string(), 400.0),
            ("Cy".to_string(), 100.0),
        ];
        let fin = [fr[0].0.clone(), fr[1].0.clone()];
        let s = DefaultPrior::default().scenario("t", &fr, &fin).unwrap();
        assert_eq!(s.candidates.len(), 3);
        let prior = DefaultPrior {
            proportional_split: 0.5,
            ..DefaultPrior::default()
        };
        let split = prior.eliminated_split(500.0, 400.0);
        assert!((split[0] - (0.5 * 5.0 / 9.0 + 0.25)).abs() < 1e-12);
    }
}
