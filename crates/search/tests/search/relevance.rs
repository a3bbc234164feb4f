//! `tests/relevance.tsv` against the corpus, through the reusable harness.

use cong_search::relevance;

use crate::corpus::corpus;

const TABLE: &str = include_str!("../relevance.tsv");

#[test]
fn relevance_table_passes() {
    let (cases, bad) = relevance::parse(TABLE);
    assert!(bad.is_empty(), "{bad:?}");
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let failures = relevance::run(corpus(), TABLE).expect("run");
    let report: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        report.join("\n")
    );
}

#[test]
fn harness_reports_what_fails() {
    let table = "\
đường\tcay-duong-lieu-ven-bien\t1
đường\t!duong-giao-thong-nong-thon-ve-dich\t3
hội nghị\tkhong-co-bai-nay\t3
\"hội nghị\tx\t1
chỉ\thai cột
hoc bong\ttrao-hoc-bong-hoc-sinh-ngheo\t1\tsection=7
";
    let failures = relevance::run(corpus(), table).expect("run");
    let lines: Vec<usize> = failures.iter().map(|f| f.line).collect();
    // Line 3 names no article; line 4 names none either and its query is refused.
    assert_eq!(lines, [1, 2, 3, 3, 4, 4, 5], "{failures:#?}");
    assert!(failures[0].to_string().contains("not in the first 1"));
    assert!(failures[1].reason.contains("should not"));
    assert!(failures[2].reason.contains("no document has this slug"));
    assert!(failures[5].reason.contains("query refused"));
    assert!(failures[6].reason.contains("columns"));
}
