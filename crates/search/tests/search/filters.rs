//! Section and date filters, and pagination.

use cong_search::{Query, QueryError, SearchError};

use crate::corpus::{DAY, JAN_1_2025, corpus, index};
use crate::slugs;

#[test]
fn section_filter_keeps_one_section() {
    let index = index();
    let mut q = Query::text("hội nghị");
    q.section_id = Some(8);
    let r = index.search(&q).expect("search");
    assert!(!r.hits.is_empty());
    assert!(r.hits.iter().all(|h| h.section_id == 8));
    assert_eq!(r.hits[0].slug, "hoi-nghi-tong-ket-nganh-nong-nghiep-2024");
    q.section_id = Some(999);
    let r = index.search(&q).expect("search");
    assert_eq!((r.total, r.pages, r.hits.len()), (0, 0, 0));
}

#[test]
fn date_range_is_inclusive_at_both_ends() {
    let index = index();
    let all = corpus();
    let day = |d: i64| JAN_1_2025 + d * DAY + 8 * 3600;
    let mut q = Query::text("tỉnh");
    q.per_page = 100;
    // Exactly the publication instants of days 100 and 195.
    q.from = Some(day(100));
    q.until = Some(day(195));
    let r = index.search(&q).expect("search");
    assert!(
        r.hits
            .iter()
            .all(|h| (day(100)..=day(195)).contains(&h.published_at))
    );
    let got: Vec<&str> = slugs(&r);
    assert!(
        got.contains(&"chi-so-par-index-tang-5-bac"),
        "day 100 included: {got:?}"
    );
    assert!(
        got.contains(&"cap-the-can-cuoc-cho-tre-em"),
        "day 195 included: {got:?}"
    );
    let expected = all
        .iter()
        .filter(|d| (day(100)..=day(195)).contains(&d.published_at))
        .count();
    assert!(r.total <= expected && r.total > 3);
    // Open-ended ranges.
    q.from = None;
    q.until = Some(day(20));
    let r = index.search(&q).expect("search");
    assert!(r.hits.iter().all(|h| h.published_at <= day(20)));
    q.from = Some(day(290));
    q.until = None;
    let r = index.search(&q).expect("search");
    assert!(!r.hits.is_empty() && r.hits.iter().all(|h| h.published_at >= day(290)));
}

#[test]
fn filters_combine() {
    let index = index();
    let mut q = Query::text("hoi nghi");
    q.section_id = Some(3);
    q.from = Some(JAN_1_2025 + 200 * DAY);
    let r = index.search(&q).expect("search");
    assert_eq!(slugs(&r), ["hoi-nghi-xuc-tien-dau-tu-2025"]);
}

#[test]
fn reversed_date_range_is_a_query_error() {
    let index = index();
    let mut q = Query::text("tỉnh");
    q.from = Some(JAN_1_2025 + DAY);
    q.until = Some(JAN_1_2025);
    let err = index.search(&q).expect_err("reversed");
    assert!(
        matches!(err, SearchError::Query(QueryError::DatesReversed)),
        "{err}"
    );
    assert!(err.query_error().is_some());
}

#[test]
fn pages_cover_every_hit_once() {
    let index = index();
    let mut q = Query::text("tỉnh");
    q.per_page = 100;
    let all = index.search(&q).expect("search");
    assert!(all.total > 10, "{}", all.total);
    assert_eq!(all.hits.len(), all.total);
    q.per_page = 3;
    let mut paged = Vec::new();
    for page in 1..=all.total.div_ceil(3) as u32 {
        q.page = page;
        let r = index.search(&q).expect("search");
        assert_eq!(r.total, all.total);
        assert_eq!(r.page, page);
        assert_eq!(r.pages as usize, all.total.div_ceil(3));
        assert!(r.hits.len() <= 3 && !r.hits.is_empty());
        paged.extend(r.hits.into_iter().map(|h| h.slug));
    }
    assert_eq!(paged, slugs(&all));
    // Past the end: no hits, the same totals.
    q.page = all.total.div_ceil(3) as u32 + 5;
    let r = index.search(&q).expect("search");
    assert!(r.hits.is_empty());
    assert_eq!(r.total, all.total);
}

#[test]
fn odd_page_numbers_do_not_fail() {
    let index = index();
    let mut q = Query::text("tỉnh");
    q.page = 0;
    q.per_page = 0;
    let r = index.search(&q).expect("search");
    assert_eq!(r.page, 1);
    assert_eq!(r.hits.len(), cong_search::DEFAULT_PER_PAGE as usize);
    q.per_page = u32::MAX;
    let r = index.search(&q).expect("search");
    assert_eq!(
        r.hits.len(),
        r.total.min(cong_search::MAX_PER_PAGE as usize)
    );
    q.page = u32::MAX;
    let r = index.search(&q).expect("search");
    assert!(r.hits.is_empty());
    assert_eq!(r.page, u32::MAX);
}
