//! Numbers as people write them in files: plain or with thousands grouped by commas, grouped in
//! other countries' styles (spaces, apostrophes, points), and counts whose point may group thousands.

/// A count or percentage as tables give it: plain (`239604`, `33.39`) or with thousands grouped by
/// commas as US results are often published (`239,604`, `1,234,567.5`); `None` for anything else.
pub fn parse_number(text: &str) -> Option<f64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let mut groups = whole.split(',');
    let lead = groups.next()?;
    let grouped = whole.contains(',');
    // With commas, every group after the first has exactly three digits, and the first one to three.
    let well_grouped = !grouped
        || ((1..=3).contains(&lead.len())
            && lead.bytes().all(|b| b.is_ascii_digit())
            && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())));
    if !well_grouped || (grouped && !fraction.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let plain = text.replace(',', "");
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A whole number with its digits grouped by one separator other than the comma, as other countries
/// and spreadsheets group them (`1 234 567`, `1'234'567`, `1.234.567`): its digits alone and the
/// separator. Groups follow [`parse_number`]'s rule for commas (`1234 567` is not grouped), and a
/// single point is a decimal point, so points group only from two on. `None` for anything else.
pub fn digit_groups(text: &str) -> Option<(String, char)> {
    let separator = text.chars().find(|c| !c.is_ascii_digit())?;
    let grouped = matches!(
        separator,
        ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '\u{2019}' | '.'
    ) && text.chars().all(|c| c.is_ascii_digit() || c == separator)
        && (separator != '.' || text.matches('.').count() > 1)
        && parse_number(&text.replace(separator, ",")).is_some();
    grouped.then(|| (text.replace(separator, ""), separator))
}

/// Which of a table's counts, each as written and as read, most likely have their thousands grouped
/// by a point (`178.626` for 178626, as German and many other styles write them), which reads as a
/// decimal point: those written as one to three digits, a point and three more, beside a whole
/// count in the thousands; or, two or more, where every other count is whole and all add up to more
/// than percentages do (100). Their indices.
pub fn thousands_points(counts: &[(&str, f64)]) -> Vec<usize> {
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let point = |written: &str| {
        written
            .split_once('.')
            .is_some_and(|(whole, part)| digits(whole, 1..=3) && digits(part, 3..=3))
    };
    let points: Vec<usize> = (0..counts.len()).filter(|&i| point(counts[i].0)).collect();
    let whole = |v: f64| v.fract() == 0.0;
    let beside_thousands = counts.iter().any(|&(_, v)| whole(v) && v >= 1000.0);
    let all_so = points.len() >= 2
        && counts.iter().all(|&(w, v)| point(w) || whole(v))
        && counts.iter().map(|&(_, v)| v).sum::<f64>() > 100.5;
    if beside_thousands || all_so {
        points
    } else {
        Vec::new()
    }
}

/// The note for counts whose point may group thousands ([`thousands_points`]), each as its
/// subject (`` `first_round.Ann` = 178.626 ``, ``line 4: votes `178.626` ``) and as written;
/// `None` for none.
pub fn thousands_point_note(points: &[(String, &str)]) -> Option<String> {
    let digits = |written: &str| written.replace('.', "");
    let listed = |items: Vec<String>| {
        let more = if items.len() > 3 { ", …" } else { "" };
        format!("{}{more}", items[..items.len().min(3)].join(", "))
    };
    match points {
        [] => None,
        [(subject, written)] => Some(format!(
            "{subject} is read as {written} votes beside counts in the thousands; if the point \
             groups thousands, as German and many other styles write them, write {}",
            digits(written)
        )),
        _ => Some(format!(
            "{} counts have three digits after a point ({}), which is read as a decimal point; if \
             the points group thousands, as German and many other styles write them, write the \
             digits alone ({})",
            points.len(),
            listed(points.iter().map(|(s, _)| s.clone()).collect()),
            listed(points.iter().map(|(_, w)| digits(w)).collect())
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_that_may_group_thousands_are_found() {
        let found = |counts: &[(&str, f64)]| thousands_points(counts);
        // Beside a whole count in the thousands, every count written so.
        let beside = [
            ("178.626", 178.626),
            ("239604", 239604.0),
            ("7.2", 7.2),
            ("1.000", 1.0),
        ];
        assert_eq!(found(&beside), [0, 3]);
        // All written so or whole, adding up to more than 100: all; percentages: none.
        assert_eq!(
            found(&[("239.604", 239.604), ("51.382", 51.382), ("950", 950.0)]),
            [0, 1]
        );
        assert!(found(&[("52.125", 52.125), ("47.875", 47.875)]).is_empty());
        // One alone, other decimals beside it, or four digits before the point: none.
        assert!(found(&[("239.604", 239.604), ("950", 950.0)]).is_empty());
        assert!(found(&[("239.604", 239.604), ("51.38", 51.38), ("227.082", 227.082)]).is_empty());
        assert!(found(&[("1239.604", 1239.604), ("2000", 2000.0)]).is_empty());
    }

    #[test]
    fn numbers_plain_or_grouped_by_thousands() {
        for (text, want) in [
            ("239604", 239604.0),
            ("239,604", 239604.0),
            ("1,234,567.5", 1234567.5),
            ("33.39", 33.39),
            ("1e6", 1e6),
            ("0", 0.0),
        ] {
            assert_eq!(parse_number(text), Some(want), "{text}");
        }
        for text in [
            "1,2", ",123", "12,34", "1234,567", "1,234e3", "1,234.5x", "nan", "inf", "", "1 234",
        ] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }
}
