//! An article as the caller gives it, and its conversion into an index document.

use tantivy::TantivyDocument;

use crate::analysis::nfc;
use crate::html;
use crate::schema::Fields;

/// A published article to index. The caller feeds these from wherever articles live; only
/// published ones belong here (taking one down is [`crate::Index::delete`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    /// The article's id; unique in the index (an upsert replaces the document with this id).
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// The article body as stored (sanitised HTML); tags are stripped here.
    pub body_html: String,
    pub section_id: i64,
    /// The site the article belongs to.
    pub site_id: i64,
    pub section_name: String,
    pub slug: String,
    /// UTC epoch seconds.
    pub published_at: i64,
}

impl Doc {
    pub(crate) fn to_document(&self, f: &Fields) -> TantivyDocument {
        // NFC here, so both the indexed tokens and the stored text that snippets are cut from
        // agree with NFC queries; titles and summaries are plain text, so only whitespace is
        // tidied.
        let title = html::collapse_whitespace(&nfc(&self.title));
        let summary = html::collapse_whitespace(&nfc(&self.summary));
        let body = nfc(&html::to_text(&self.body_html));
        let mut d = TantivyDocument::new();
        d.add_i64(f.id, self.id);
        d.add_text(f.slug, &self.slug);
        d.add_i64(f.section_id, self.section_id);
        d.add_i64(f.site_id, self.site_id);
        d.add_text(f.section_name, &self.section_name);
        d.add_i64(f.published_at, self.published_at);
        d.add_text(f.title_fold, &title);
        for part in [&title, &summary, &body] {
            d.add_text(f.text_fold, part);
            d.add_text(f.text_exact, part);
            d.add_text(f.text_pairs, part);
        }
        d.add_text(f.title, title);
        d.add_text(f.summary, summary);
        d.add_text(f.body, body);
        d
    }
}
