//! Relevance checks: a table of queries and the article each should find, run against a set
//! of documents. Meant for tests: this crate's own corpus, and the portal's demo content.
//!
//! The table is tab-separated text, one case a line; blank lines and lines starting with `#`
//! are skipped:
//!
//! ```text
//! query<TAB>slug<TAB>rank limit[<TAB>filters]
//! hoi nghi<TAB>hoi-nghi-tap-huan-chuyen-doi-so<TAB>3
//! đường<TAB>!cay-duong-lieu-ven-song<TAB>1
//! "nông thôn mới"<TAB>xay-dung-nong-thon-moi<TAB>1<TAB>section=3 from=2025-01-01
//! ```
//!
//! - The case passes when the slug is among the first `rank limit` hits; a slug written
//!   `!slug` must *not* be among them (e.g. "dương" must not come first for "đường").
//! - Filters, separated by spaces: `section=ID`, `from=DATE`, `until=DATE`, a date being
//!   `YYYY-MM-DD` (UTC; `until` includes that whole day) or epoch seconds.
//! - Slugs are checked against the documents, so a typo fails instead of passing quietly.

use std::collections::HashSet;
use std::fmt;

use crate::{Doc, Index, Query, SearchError};

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Line number in the table, from 1.
    pub line: usize,
    pub query: Query,
    pub slug: String,
    /// `!slug`: the slug must stay out of the first `limit` hits.
    pub absent: bool,
    pub limit: u32,
}

/// A case that did not hold (or a line that could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub line: usize,
    pub query: String,
    pub expected: String,
    /// The slugs of the first hits, best first.
    pub got: Vec<String>,
    pub reason: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: {:?} expected {}: {}; got [{}]",
            self.line,
            self.query,
            self.expected,
            self.reason,
            self.got.join(", ")
        )
    }
}

/// Indexes `docs` in memory and runs every case of `table`: the failures, none when all pass.
pub fn run(docs: impl IntoIterator<Item = Doc>, table: &str) -> Result<Vec<Failure>, SearchError> {
    let index = Index::in_memory()?;
    let mut slugs = HashSet::new();
    index.rebuild(
        docs.into_iter().inspect(|d| {
            slugs.insert(d.slug.clone());
        }),
        |_| {},
    )?;
    let (cases, mut failures) = parse(table);
    for case in &cases {
        if !slugs.contains(&case.slug) {
            failures.push(failure(case, Vec::new(), "no document has this slug"));
        }
    }
    failures.extend(check(&index, &cases)?);
    failures.sort_by_key(|f| f.line);
    Ok(failures)
}

/// Runs `cases` against an index that is already built.
pub fn check(index: &Index, cases: &[Case]) -> Result<Vec<Failure>, SearchError> {
    let mut failures = Vec::new();
    for case in cases {
        let results = match index.search(&case.query) {
            Ok(results) => results,
            Err(SearchError::Query(e)) => {
                failures.push(failure(case, Vec::new(), &format!("query refused: {e}")));
                continue;
            }
            Err(e) => return Err(e),
        };
        let got: Vec<String> = results.hits.into_iter().map(|h| h.slug).collect();
        let found = got.contains(&case.slug);
        if found == case.absent {
            let reason = if case.absent {
                format!("should not be in the first {}", case.limit)
            } else {
                format!("not in the first {}", case.limit)
            };
            failures.push(failure(case, got, &reason));
        }
    }
    Ok(failures)
}

/// The cases of a table, and a failure for each line that could not be read.
pub fn parse(table: &str) -> (Vec<Case>, Vec<Failure>) {
    let mut cases = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in table.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Ok(mut case) => {
                case.line = line_no;
                cases.push(case);
            }
            Err(reason) => bad.push(Failure {
                line: line_no,
                query: line.to_owned(),
                expected: String::new(),
                got: Vec::new(),
                reason,
            }),
        }
    }
    (cases, bad)
}

fn parse_line(line: &str) -> Result<Case, String> {
    let columns: Vec<&str> = line.split('\t').collect();
    if !(3..=4).contains(&columns.len()) {
        return Err(format!(
            "expected 3 or 4 tab-separated columns, found {}",
            columns.len()
        ));
    }
    let expected = columns[1].trim();
    let (slug, absent) = match expected.strip_prefix('!') {
        Some(slug) => (slug.trim(), true),
        None => (expected, false),
    };
    if slug.is_empty() {
        return Err("empty slug".to_owned());
    }
    let limit: u32 = columns[2]
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=crate::MAX_PER_PAGE).contains(n))
        .ok_or_else(|| format!("rank limit {:?} is not a number from 1 to 100", columns[2]))?;
    let mut query = Query::text(columns[0]);
    query.per_page = limit;
    for filter in columns.get(3).map_or("", |c| c.trim()).split_whitespace() {
        let (key, value) = filter
            .split_once('=')
            .ok_or_else(|| format!("filter {filter:?} is not key=value"))?;
        match key {
            "section" => {
                query.section_id = Some(
                    value
                        .parse()
                        .map_err(|_| format!("section {value:?} is not a number"))?,
                );
            }
            "from" => query.from = Some(instant(value, false)?),
            "until" => query.until = Some(instant(value, true)?),
            _ => return Err(format!("unknown filter {key:?} (section, from, until)")),
        }
    }
    Ok(Case {
        line: 0,
        query,
        slug: slug.to_owned(),
        absent,
        limit,
    })
}

/// Epoch seconds, or `YYYY-MM-DD` as UTC midnight (the day's last second for `until`).
fn instant(value: &str, end_of_day: bool) -> Result<i64, String> {
    if let Ok(seconds) = value.parse() {
        return Ok(seconds);
    }
    let midnight = value
        .parse::<jiff::civil::Date>()
        .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC))
        .map_err(|_| format!("date {value:?} is neither YYYY-MM-DD nor epoch seconds"))?
        .timestamp()
        .as_second();
    Ok(if end_of_day {
        midnight + 86_399
    } else {
        midnight
    })
}

fn failure(case: &Case, got: Vec<String>, reason: &str) -> Failure {
    Failure {
        line: case.line,
        query: case.query.text.clone(),
        expected: if case.absent {
            format!("!{}", case.slug)
        } else {
            case.slug.clone()
        },
        got,
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_filters_and_dates() {
        let (cases, bad) = parse(
            "# comment\n\nhội nghị\thoi-nghi\t3\n\"đường\"\t!cay-duong\t1\tsection=4 from=2025-03-01 until=2025-03-31\n",
        );
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].line, 3);
        assert_eq!(cases[0].query.per_page, 3);
        assert!(cases[1].absent);
        assert_eq!(cases[1].slug, "cay-duong");
        assert_eq!(cases[1].query.section_id, Some(4));
        assert_eq!(cases[1].query.from, Some(1_740_787_200));
        assert_eq!(cases[1].query.until, Some(1_743_465_599));
    }

    #[test]
    fn bad_lines_are_failures() {
        let (cases, bad) = parse("a\tb\nq\ts\t0\nq\ts\t1\tcolour=red\nq\ts\t1\tfrom=2025-13-01\n");
        assert!(cases.is_empty());
        assert_eq!(bad.iter().map(|f| f.line).collect::<Vec<_>>(), [1, 2, 3, 4]);
    }
}
