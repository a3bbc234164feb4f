//! The index's fields: what is stored for display, what is indexed twice (folded and exact),
//! and what is a fast field for filters.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{EXACT, FOLD, PAIRS};

/// Every field, looked up once.
///
/// Title, summary and body are searched as one text (`text_*`, three values of one field:
/// tantivy leaves a position gap between values, so a phrase never spans two of them). The
/// title is indexed once more on its own for the title bonus. One field per analysis rather
/// than one per part keeps a query to one posting list per word and per analysis, which is
/// what keeps searches fast when a common word matches most of the articles.
///
/// A document's files text (possibly a 60-page PDF) has its own folded field for matching and
/// BM25, so that its length neither buries the document nor shifts the average length every
/// article's BM25 is measured against; it is a fourth value of the exact and pairs fields,
/// which only give bonuses and filters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// `a12` / `d12` (see [`crate::Kind`]): what upsert and delete address an entry by.
    pub key: Field,
    /// 0 article, 1 document: the kind filter.
    pub kind: Field,
    pub id: Field,
    pub slug: Field,
    pub section_id: Field,
    pub site_id: Field,
    pub section_name: Field,
    pub published_at: Field,
    /// Stored, not indexed: the NFC text that hits and snippets are cut from.
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    /// Stored, not indexed: the start of the files text, for snippets.
    pub files: Field,
    /// Folded title: is a word (or phrase) in the title?
    pub title_fold: Field,
    /// Folded title, summary and body: what must match, and BM25.
    pub text_fold: Field,
    /// Exact title, summary and body: was the word found with the marks typed?
    pub text_exact: Field,
    /// Adjacent folded syllables of title, summary and body (see [`crate::analysis::PAIRS`]).
    pub text_pairs: Field,
    /// Folded files text: what else may match, and its BM25 (weighted lower).
    pub files_fold: Field,
}

/// Indexed, not stored (the plain stored copy serves display).
fn analysed(tokenizer: &str, option: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(option),
    )
}

impl Fields {
    pub(crate) fn schema() -> (Schema, Fields) {
        use IndexRecordOption::WithFreqsAndPositions as Positions;
        let mut b = Schema::builder();
        let fields = Fields {
            // One term per entry: an upsert or delete is a single term deletion.
            key: b.add_text_field("key", STRING),
            // Indexed like site_id: a filter is one term's postings.
            kind: b.add_i64_field("kind", INDEXED | STORED),
            id: b.add_i64_field("id", STORED),
            slug: b.add_text_field("slug", STORED),
            section_id: b.add_i64_field("section_id", INDEXED | STORED),
            // One index for every site; a site's search filters on it.
            site_id: b.add_i64_field("site_id", INDEXED | STORED),
            section_name: b.add_text_field("section_name", STORED),
            // Fast: date ranges are checked from the column, not the term dictionary.
            published_at: b.add_i64_field("published_at", FAST | STORED),
            title: b.add_text_field("title", STORED),
            summary: b.add_text_field("summary", STORED),
            body: b.add_text_field("body", STORED),
            files: b.add_text_field("files", STORED),
            title_fold: b.add_text_field("title_fold", analysed(FOLD, Positions)),
            text_fold: b.add_text_field("text_fold", analysed(FOLD, Positions)),
            // Positions: a phrase typed with marks is checked with its marks.
            text_exact: b.add_text_field("text_exact", analysed(EXACT, Positions)),
            // Only "which articles": pairs are filters and bonuses, never scored by BM25.
            text_pairs: b.add_text_field(
                "text_pairs",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(PAIRS)
                        .set_index_option(IndexRecordOption::Basic)
                        .set_fieldnorms(false),
                ),
            ),
            files_fold: b.add_text_field("files_fold", analysed(FOLD, Positions)),
        };
        (b.build(), fields)
    }
}
