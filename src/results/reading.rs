//! Reading a results table's text: the header and its columns, each row with its line in the file,
//! and the cells (names, rounds, counts) checked one by one.

use super::BadInput;
use super::names::plain_words;
use crate::format::{digit_groups, parse_number};
use crate::scenario::MAX_VOTES;
use std::path::Path;

/// A vote count or percentage a table may hold: a number as [`parse_number`] reads it, from 0 to
/// [`MAX_VOTES`].
pub(super) fn parse_count(text: &str) -> Option<f64> {
    parse_number(text).filter(|v| (0.0..=MAX_VOTES).contains(v))
}

/// What to write for a vote count a table gives in a form it cannot read, where the form is a
/// known one: a percentage (`45%`; `for_percentages` says where those go), digits grouped by
/// spaces, apostrophes or points as other countries group them (`1 234 567`, `1'234'567`,
/// `1.234.567`), or a minus sign. `None` where the general rule is all there is to say.
pub(super) fn count_fix(text: &str, for_percentages: &str) -> Option<String> {
    if let Some(percent) = text.strip_suffix('%') {
        return parse_number(percent.trim_end())
            .map(|_| format!("`votes` takes counts, not percentages: {for_percentages}"));
    }
    if text.starts_with('-') && parse_number(&text[1..]).is_some() {
        return Some("a vote count cannot be negative".to_string());
    }
    digit_groups(text).map(|(digits, _)| format!("write {digits}: digits alone"))
}

/// The round a table's `round` field names: 1 (also "primary", "first", "round 1") or 2 ("runoff",
/// "second", "round 2"), in any case.
pub(super) fn round_of(text: &str) -> Option<u8> {
    match plain_words(text).as_str() {
        "1" | "1st" | "first" | "first round" | "round 1" | "primary" => Some(1),
        "2" | "2nd" | "second" | "second round" | "round 2" | "runoff" | "run off" => Some(2),
        _ => None,
    }
}

/// Why a `round` field is refused, on data line `line`.
pub(super) fn round_error(line: usize, text: &str) -> String {
    format!(
        "line {line}: round is `{text}`; write 1 (or primary) for the first round, 2 (or runoff) for the runoff"
    )
}

/// A name (`what`: candidate, race_id, county…) from data line `line`, refused when it is empty,
/// which would make one nameless candidate or unit of every such row, or when it holds a line
/// break, tab or other control character, which no scenario, table or chart can show.
pub(super) fn table_name(line: usize, what: &str, name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err(format!(
            "line {line}: the {what} is empty; give every row its {what}"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "line {line}: the {what} {name:?} holds a line break, tab or other control character; \
             write it on one line, with plain spaces"
        ));
    }
    Ok(name.to_string())
}

/// Bad input naming the table.
pub(super) fn bad(path: &Path, msg: String) -> BadInput {
    BadInput(format!("{}: {msg}", path.display()))
}

/// A table file's bytes, read whole so that each row's line can be counted in them.
pub(super) fn read_table(path: &Path) -> Result<Vec<u8>, BadInput> {
    // A scenario given where a results table goes: say which command reads it.
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        return Err(bad(
            path,
            format!(
                "is a scenario (.toml), not a results table (fix: run it with `runoff run {}`; \
                 this command reads a .csv table of results)",
                path.display()
            ),
        ));
    }
    std::fs::read(path).map_err(|e| bad(path, format!("cannot read the table: {e}")))
}

/// A CSV reader over a table's bytes, and its header.
pub(super) fn open_table<'a>(
    path: &Path,
    text: &'a [u8],
) -> Result<(csv::Reader<&'a [u8]>, csv::StringRecord), BadInput> {
    // The reader takes everything after a quote that is never closed as one field, so the error
    // it leads to (too few fields, a count that is not a number) would point away from the quote.
    if let Some(line) = unclosed_quote(text) {
        return Err(bad(
            path,
            format!(
                "line {line}: a field opens with a quote (\") that is never closed, so the rest \
                 of the table would be read into it; close the quote, or remove it"
            ),
        ));
    }
    let mut reader = csv::Reader::from_reader(text);
    let headers = reader
        .headers()
        .map_err(|e| match e.kind() {
            csv::ErrorKind::Utf8 { .. } => bad(path, format!("the header: {NOT_UTF8}")),
            _ => bad(path, format!("cannot read the header: {e}")),
        })?
        .clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(bad(
            path,
            "the file is empty; a table starts with a header line such as \
             race_id,round,candidate,votes"
                .to_string(),
        ));
    }
    // A table exported with another separator reads as one column; its numbers may also use
    // another locale's separators, so it is refused rather than guessed at.
    if headers.len() == 1 {
        let only = headers.get(0).unwrap_or("");
        if let Some(sep) = [(';', "semicolons"), ('\t', "tabs")]
            .iter()
            .find(|(c, _)| only.contains(*c))
            .map(|(_, name)| name)
        {
            return Err(bad(
                path,
                format!(
                    "the header is one column separated by {sep}; save the table as CSV with \
                     commas between fields (and plain digits, or 1,234 grouping, for numbers)"
                ),
            ));
        }
    }
    Ok((reader, headers))
}

/// Where the text ends inside a quoted field, the line that field opens on. The csv reader's rules:
/// a quote opens a field only as its first character (after the byte order mark, on the first
/// line), a doubled quote inside one stands for a quote, and elsewhere a quote is a character.
fn unclosed_quote(text: &[u8]) -> Option<usize> {
    enum At {
        FieldStart,
        Field,
        Quoted,
        QuoteInQuoted,
    }
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
    let (mut at, mut line, mut opened) = (At::FieldStart, 1, 1);
    for &b in text {
        let ends_field = matches!(b, b',' | b'\n' | b'\r');
        at = match at {
            At::FieldStart if b == b'"' => {
                opened = line;
                At::Quoted
            }
            At::Quoted if b == b'"' => At::QuoteInQuoted,
            At::Quoted => At::Quoted,
            At::QuoteInQuoted if b == b'"' => At::Quoted,
            _ if ends_field => At::FieldStart,
            _ => At::Field,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    matches!(at, At::Quoted).then_some(opened)
}

/// The position of column `name` in `headers`, ignoring case and surrounding spaces.
pub(super) fn column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name))
}

/// Unit columns a table may have, coarse to fine.
pub const UNIT_COLUMNS: [&str; 8] = [
    "county",
    "parish",
    "borough",
    "municipality",
    "township",
    "town",
    "ward",
    "precinct",
];

/// Where a table's rows stand: its unit columns, coarse to fine. A row's unit is their values
/// together ("Jefferson / 12"), since a precinct's name (Precinct 1, Beat 12) repeats from
/// county to county.
pub(super) struct Units {
    columns: Vec<(usize, &'static str)>,
}

/// Between the parts of a unit of several columns: "Jefferson / 12".
pub const UNIT_JOIN: &str = " / ";

impl Units {
    pub(super) fn of(headers: &csv::StringRecord) -> Self {
        let columns = UNIT_COLUMNS
            .iter()
            .filter_map(|name| column(headers, name).map(|c| (c, *name)))
            .collect();
        Units { columns }
    }

    /// What the units are called ("county", "county/precinct"), when the table has any.
    pub(super) fn name(&self) -> Option<String> {
        (!self.columns.is_empty()).then(|| {
            self.columns
                .iter()
                .map(|(_, name)| *name)
                .collect::<Vec<_>>()
                .join("/")
        })
    }

    /// The unit of data line `line` (its parts checked as names, then joined), and how many of
    /// its bytes name the place it lies in: every column but the last, 0 for a unit of one
    /// column. A part can hold the join itself (precinct "Ward 1 / Pct 2" of county "Jefferson"),
    /// so the parts cannot be split apart again from the name. `None` without unit columns.
    pub(super) fn place(
        &self,
        line: usize,
        record: &csv::StringRecord,
    ) -> Result<Option<(String, usize)>, String> {
        let Some((last, parents)) = self.columns.split_last() else {
            return Ok(None);
        };
        let part =
            |(c, name): &(usize, &str)| table_name(line, name, record.get(*c).unwrap_or("").trim());
        let parent = parents
            .iter()
            .map(part)
            .collect::<Result<Vec<_>, _>>()?
            .join(UNIT_JOIN);
        let own = part(last)?;
        Ok(Some(if parent.is_empty() {
            (own, 0)
        } else {
            (format!("{parent}{UNIT_JOIN}{own}"), parent.len())
        }))
    }
}

/// A CSV reader's error on data line `line`, with the fix for the usual one.
fn record_error(line: usize, e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "line {line}: {len} field{} where the header has {expected_len}; give every row the \
             header's columns (quote a field that holds a comma)",
            if *len == 1 { "" } else { "s" }
        ),
        csv::ErrorKind::Utf8 { .. } => format!("line {line}: {NOT_UTF8}"),
        _ => format!("line {line}: {e}"),
    }
}

/// Lines of a table's text, counted forward as its rows are read in order.
struct LineCounter<'a> {
    text: &'a [u8],
    /// Bytes counted so far, and the line the next one is on.
    at: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The line of the row the csv reader places at `byte`. The reader's own line count is off
    /// after blank lines and with CRLF line ends (rust-csv issue 208), and it places a row that
    /// follows blank lines at the first of them, so those are stepped over here.
    fn line_of(&mut self, byte: u64) -> usize {
        let byte = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .clamp(self.at, self.text.len());
        self.line += self.text[self.at..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.at = byte;
        let blank = self.text[byte..]
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .filter(|&&b| b == b'\n')
            .count();
        self.line + blank
    }
}

/// The table's data rows, each with the line of the file it starts on (blank lines and quoted
/// line breaks counted), leaving out rows whose every field is blank, as spreadsheets export
/// after the data (`,,,`).
pub(super) fn data_rows<'r>(
    reader: &'r mut csv::Reader<&[u8]>,
    text: &'r [u8],
) -> impl Iterator<Item = Result<(usize, csv::StringRecord), String>> + 'r {
    let mut lines = LineCounter {
        text,
        at: 0,
        line: 1,
    };
    reader.records().filter_map(move |record| match record {
        Err(e) => {
            let line = e.position().map_or(lines.line, |p| lines.line_of(p.byte()));
            Some(Err(record_error(line, &e)))
        }
        Ok(r) if r.iter().all(|f| f.trim().is_empty()) => None,
        Ok(r) => {
            let line = r.position().map_or(lines.line, |p| lines.line_of(p.byte()));
            Some(Ok((line, r)))
        }
    })
}

/// Why a table in another encoding (Latin-1, Windows-1252) is refused, and how to fix it.
const NOT_UTF8: &str = "the text is not UTF-8 (a name with an accent, saved in another \
                        encoding); save the table as UTF-8 (Excel: \"CSV UTF-8\")";

#[cfg(test)]
mod tests {
    use super::{count_fix, data_rows, unclosed_quote};

    #[test]
    fn a_quote_left_open_is_found_on_the_line_it_opens() {
        for (text, want) in [
            (&b"h,v\nA,\"5\nB,6\n"[..], Some(2)),
            (b"h,v\n\"A,5\n", Some(2)),
            (b"h,v\nA,5\n\n\"x\ny\",4\nB,\"6", Some(6)),
            (b"\xef\xbb\xbf\"h,v\n", Some(1)),
            // Closed quotes, line breaks and doubled quotes inside them, quotes inside a field.
            (b"h,v\nA,5\n\"x\ny\",4\r\n\"say \"\"hi\"\"\",1\n", None),
            (b"h,v\nAnna \"the hammer\" Lee,5\n12\" screen,3\n", None),
            (b"h,v\n\"\"\n\"ab\"c,2", None),
            (b"", None),
        ] {
            assert_eq!(
                unclosed_quote(text),
                want,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    proptest::proptest! {
        /// The scan agrees with the csv reader itself: text read on past the end of a table stays
        /// inside the last field exactly when the table ends inside a quoted one.
        #[test]
        fn a_quote_is_left_open_where_the_csv_reader_leaves_it_open(
            text in "\u{feff}?[a\",\r\n]{0,12}"
        ) {
            let mut longer = text.clone().into_bytes();
            longer.extend_from_slice(b"\nEND");
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&longer[..]);
            let last = reader.records().last().unwrap().unwrap();
            let read_on = last.iter().next_back().unwrap() != "END";
            proptest::prop_assert_eq!(unclosed_quote(text.as_bytes()).is_some(), read_on);
        }
    }

    #[test]
    fn rows_carry_their_file_line_after_blank_lines_crlf_and_quoted_breaks() {
        let text = b"h,v\r\nA,2\r\n\r\n\"x\ny\",4\r\nB,6\n\n\n,\nC,10\n";
        let mut reader = csv::Reader::from_reader(&text[..]);
        let got: Vec<(usize, String)> = data_rows(&mut reader, text)
            .map(|row| row.map(|(line, r)| (line, r[0].to_string())).unwrap())
            .collect();
        // The `,` row on line 9 is blank in every field and left out.
        let want = [(2, "A"), (4, "x\ny"), (6, "B"), (10, "C")].map(|(l, c)| (l, c.to_string()));
        assert_eq!(got, want);
    }

    #[test]
    fn counts_written_another_way_are_told_what_to_write() {
        let write = |n: &str| format!("write {}: digits alone", n.replace('_', ""));
        for (text, want) in [
            ("1 234 567", write("1_234_567")),
            ("1\u{a0}234", write("1_234")),
            ("1\u{202f}234", write("1_234")),
            ("1'234'567", write("1_234_567")),
            ("12\u{2019}345", write("12_345")),
            ("1.234.567", write("1_234_567")),
            ("-120", "a vote count cannot be negative".to_string()),
        ] {
            assert_eq!(
                count_fix(text, "").as_deref(),
                Some(want.as_str()),
                "{text}"
            );
        }
        for text in ["45%", "45.5 %"] {
            assert_eq!(
                count_fix(text, "P").unwrap(),
                "`votes` takes counts, not percentages: P"
            );
        }
        // Nothing better than the general rule: not grouped by threes, mixed separators, text.
        for text in [
            "1 23",
            "1234 567",
            "1 234.567",
            "1 234'567",
            "abc",
            "x%",
            "1.2.3",
            "12 apples",
        ] {
            assert_eq!(count_fix(text, ""), None, "{text}");
        }
    }
}
