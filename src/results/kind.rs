//! What kind of election a race is, and what heads its runoff ballot: the facts the default
//! prior's turnout depends on (docs/default-prior.md).
//!
//! What belongs here: the two facts, their spellings in a table's optional `kind` and `ballot`
//! columns, and how they are told from the `party` and `office` columns when a table has no such
//! column. How turnout depends on them belongs to the prior (`backtest/prior.rs`).

use std::fmt;

/// The kind of two-round election.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A US party primary's runoff (Texas, Georgia, Alabama, Mississippi).
    Primary,
    /// A general-election or all-party ("jungle") runoff below the national level (Louisiana,
    /// Georgia's general runoffs).
    General,
    /// A national two-round election (France's presidential).
    National,
}

/// What heads the runoff ballot: the most prominent office in a runoff that day for the same
/// voters. A runoff for a judge alone draws far fewer voters than one beside a Senate runoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ballot {
    /// President, governor or U.S. senator.
    Top,
    /// Lieutenant governor or attorney general.
    Second,
    /// Any other office (other statewide offices, judges, commissions, the legislature).
    Lower,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Primary => "primary",
            Kind::General => "general",
            Kind::National => "national",
        }
    }

    /// The kind a table or the command line spells; `None` for an unknown word.
    pub fn parse(text: &str) -> Option<Kind> {
        match text.trim().to_lowercase().replace(['_', ' '], "-").as_str() {
            "primary" | "primary-runoff" | "party-primary" => Some(Kind::Primary),
            "general" | "jungle" | "nonpartisan" | "top-two" | "all-party" => Some(Kind::General),
            "national" | "presidential" => Some(Kind::National),
            _ => None,
        }
    }

    /// The kind told from a race's `party` and `office`: an office of president is a national
    /// election (US presidential primaries have no runoffs); a party (REP, DEM, …) is a party
    /// primary; no party, or one that says all parties ("ALL (jungle primary)", "nonpartisan"),
    /// is a general or jungle runoff. `None` when neither column says.
    pub fn told(party: Option<&str>, office: Option<&str>) -> Option<Kind> {
        if office.is_some_and(|o| Ballot::rank(o) == Some(0)) {
            return Some(Kind::National);
        }
        let party = party?.trim().to_lowercase();
        let all_parties = party.is_empty()
            || [
                "all",
                "jungle",
                "nonpartisan",
                "non-partisan",
                "none",
                "open",
            ]
            .iter()
            .any(|w| {
                party
                    .split(|c: char| !c.is_alphanumeric() && c != '-')
                    .any(|t| t == *w)
            });
        Some(if all_parties {
            Kind::General
        } else {
            Kind::Primary
        })
    }
}

impl Ballot {
    pub fn as_str(self) -> &'static str {
        match self {
            Ballot::Top => "top",
            Ballot::Second => "second",
            Ballot::Lower => "lower",
        }
    }

    pub fn parse(text: &str) -> Option<Ballot> {
        match text.trim().to_lowercase().as_str() {
            "top" => Some(Ballot::Top),
            "second" => Some(Ballot::Second),
            "lower" => Some(Ballot::Lower),
            _ => None,
        }
    }

    /// An office's prominence: 0 president, 1 governor or U.S. senator, 2 lieutenant governor or
    /// attorney general, 3 any other office; `None` for an empty name.
    fn rank(office: &str) -> Option<u8> {
        let o = office.trim().to_lowercase();
        if o.is_empty() {
            return None;
        }
        let has = |w: &str| o.contains(w);
        // "Presiding Judge" is not a president; "Lieutenant Governor" is not a governor.
        Some(if has("president") && !has("judge") && !has("vice") {
            0
        } else if has("lieutenant") || has("attorney general") {
            2
        } else if has("governor")
            || has("u.s. senate")
            || has("us senate")
            || has("united states senat")
        {
            1
        } else {
            3
        })
    }

    /// The ballot an office heads by itself.
    pub fn of_office(office: &str) -> Option<Ballot> {
        Self::rank(office).map(Self::of_rank)
    }

    fn of_rank(rank: u8) -> Ballot {
        match rank {
            0 | 1 => Ballot::Top,
            2 => Ballot::Second,
            _ => Ballot::Lower,
        }
    }

    /// The ballot headed by the most prominent of `offices` (those on one runoff ballot).
    pub fn of_offices<'a>(offices: impl IntoIterator<Item = &'a str>) -> Option<Ballot> {
        offices
            .into_iter()
            .filter_map(Self::rank)
            .min()
            .map(Self::of_rank)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Ballot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_from_party_and_office() {
        assert_eq!(
            Kind::told(Some("REP"), Some("U.S. Senate")),
            Some(Kind::Primary)
        );
        assert_eq!(
            Kind::told(Some("ALL (jungle primary)"), Some("Governor")),
            Some(Kind::General)
        );
        assert_eq!(
            Kind::told(Some("ALL"), Some("President")),
            Some(Kind::National)
        );
        assert_eq!(Kind::told(Some(""), Some("Mayor")), Some(Kind::General));
        assert_eq!(Kind::told(None, Some("Mayor")), None);
        assert_eq!(Kind::parse(" Jungle "), Some(Kind::General));
        assert_eq!(Kind::parse("runoff"), None);
    }

    #[test]
    fn the_ballot_is_headed_by_its_most_prominent_office() {
        assert_eq!(
            Ballot::of_office("Presiding Judge, Court of Criminal Appeals"),
            Some(Ballot::Lower)
        );
        assert_eq!(
            Ballot::of_office("Lieutenant Governor"),
            Some(Ballot::Second)
        );
        assert_eq!(Ballot::of_office("Governor"), Some(Ballot::Top));
        assert_eq!(
            Ballot::of_offices(["Railroad Commissioner", "U.S. Senate", "Attorney General"]),
            Some(Ballot::Top)
        );
        assert_eq!(
            Ballot::of_offices(["", "Railroad Commissioner"]),
            Some(Ballot::Lower)
        );
        assert_eq!(Ballot::of_offices([""]), None);
    }
}
