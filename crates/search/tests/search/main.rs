//! cong-search against a small Vietnamese corpus: ranking, filters, pages, writes, hostile
//! input, documents beside articles, and the relevance table in `tests/relevance.tsv`. One
//! test binary, so one link.

mod corpus;
mod documents;
mod filters;
mod input;
mod ranking;
mod relevance;
mod storage;
mod updates;

use cong_search::{Index, Query, Results};

/// Every matching article, best first.
fn search(index: &Index, text: &str) -> Results {
    let mut q = Query::text(text);
    q.per_page = 100;
    index.search(&q).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn slugs(results: &Results) -> Vec<&str> {
    results.hits.iter().map(|h| h.slug.as_str()).collect()
}

/// Where `slug` ranks (0 = first); fails when it is not found.
fn rank(results: &Results, slug: &str) -> usize {
    results
        .hits
        .iter()
        .position(|h| h.slug == slug)
        .unwrap_or_else(|| panic!("{slug} not found in {:?}", slugs(results)))
}
