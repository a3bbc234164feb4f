//! cong's full-text search: an embedded tantivy index of published articles and legal
//! documents (with the text of their attached files), tuned for Vietnamese.
//!
//! The caller feeds it documents ([`Doc`]: rebuild everything, or upsert and delete one at a
//! time as articles are published and taken down) and asks it [`Query`]s; there is no HTTP or
//! SQL here. Text is NFC-normalised, then indexed twice: folded ("Đảng" → `dang`, so a query
//! typed without marks finds it) and exact (so a query typed with marks ranks the articles
//! with those marks first). Readers type words and "quoted phrases"; tantivy's own query
//! language is never exposed. The index is node-local: each node keeps its own, fed from the
//! database's change feed.
//!
//! [`relevance`] checks ranking against a table of queries and the articles expected for them.

mod analysis;
mod doc;
mod error;
mod highlight;
mod html;
mod index;
mod plan;
mod query;
pub mod relevance;
mod schema;
mod top;

pub use doc::{Doc, Kind};
pub use error::SearchError;
pub use html::to_text as html_to_text;
pub use index::{Hit, Index, MAX_COUNT, Opened, Results};
pub use query::{
    DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS, MAX_QUERY_WORDS, Query, QueryError,
    query_words,
};
