//! An article or a legal document as the caller gives it, and its conversion into an index
//! document.

use tantivy::TantivyDocument;

use crate::analysis::nfc;
use crate::html;
use crate::schema::Fields;

/// What a [`Doc`] is. Articles, documents and questions number their ids separately, so the
/// index keys every entry by kind and id: article 12 and document 12 are two entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A news article.
    #[default]
    Article,
    /// A legal document of the documents library ("văn bản").
    Document,
    /// A published question of Hỏi đáp with its answer.
    Question,
}

impl Kind {
    /// The value of the index's `kind` field.
    pub(crate) fn code(self) -> i64 {
        match self {
            Kind::Article => 0,
            Kind::Document => 1,
            Kind::Question => 2,
        }
    }

    pub(crate) fn from_code(code: i64) -> Kind {
        match code {
            1 => Kind::Document,
            2 => Kind::Question,
            _ => Kind::Article,
        }
    }

    /// The term that upsert and delete address an entry by: `a12`, `d12`, `q12`.
    pub(crate) fn key(self, id: i64) -> String {
        match self {
            Kind::Article => format!("a{id}"),
            Kind::Document => format!("d{id}"),
            Kind::Question => format!("q{id}"),
        }
    }
}

/// Most of a document's files text kept for snippets, in bytes (all of it is indexed): a
/// snippet is cut from the stored copy, and reading or scanning megabytes per hit would make
/// every results page that shows the document slow. A match past this point still finds the
/// document; its snippet then comes from the summary.
pub(crate) const STORED_FILES_BYTES: usize = 64 << 10;

/// A published article or document to index. The caller feeds these from wherever they live;
/// only published ones belong here (taking one down is [`crate::Index::delete`]).
///
/// For a document: `title` is its abstract (trích yếu), `summary` its number, type and issuer,
/// `body_html` its full text if any, `files_text` the text extracted from its attached files,
/// `section_name` the document type's name, `section_id` 0, `published_at` the issue date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    /// Article or document (default: article).
    pub kind: Kind,
    /// The article's or document's id; with `kind`, unique in the index (an upsert replaces
    /// the entry with this kind and id).
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// The article body as stored (sanitised HTML); tags are stripped here.
    pub body_html: String,
    /// Plain text extracted from a document's attached files (PDF, DOCX, XLSX …), possibly
    /// megabytes; empty for articles. Searched like the rest, weighing less (see
    /// [`crate::Index::search`]).
    pub files_text: String,
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
        let files = html::collapse_whitespace(&nfc(&self.files_text));
        let mut d = TantivyDocument::new();
        d.add_text(f.key, self.kind.key(self.id));
        d.add_i64(f.kind, self.kind.code());
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
        if !files.is_empty() {
            // BM25 on its own field: see `Fields::files_fold`. Marks and pairs are bonuses and
            // filters, never scored, so the joint fields take the files text as a fourth value.
            d.add_text(f.files_fold, &files);
            d.add_text(f.text_exact, &files);
            d.add_text(f.text_pairs, &files);
            d.add_text(f.files, prefix(&files, STORED_FILES_BYTES));
        }
        d.add_text(f.title, title);
        d.add_text(f.summary, summary);
        d.add_text(f.body, body);
        d
    }
}

/// At most `max` bytes of `text`, cut at a space when there is one in the last 100 bytes (so
/// no word is cut), else at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    if text[end..].starts_with(' ') {
        return cut;
    }
    let mut from = end.saturating_sub(100);
    while !cut.is_char_boundary(from) {
        from -= 1;
    }
    match cut[from..].rfind(' ') {
        Some(i) => &cut[..from + i],
        None => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_the_two_kinds_differ() {
        assert_eq!(Kind::Article.key(12), "a12");
        assert_eq!(Kind::Document.key(12), "d12");
        assert_eq!(Kind::Question.key(12), "q12");
        for kind in [Kind::Article, Kind::Document, Kind::Question] {
            assert_eq!(Kind::from_code(kind.code()), kind);
        }
    }

    #[test]
    fn stored_prefix_is_cut_at_a_word() {
        assert_eq!(prefix("abc", 10), "abc");
        assert_eq!(prefix("hội nghị tập huấn", 12), "hội nghị");
        assert_eq!(prefix("hội nghị tập huấn", 14), "hội nghị");
        let long = "đ".repeat(100);
        let cut = prefix(&long, 51);
        assert_eq!(cut.len(), 50);
        // The last 100 bytes may start inside a character.
        assert_eq!(prefix(&"ạ".repeat(100), 151).len(), 150);
        let text = format!("{} {}", "ạ".repeat(40), "đ".repeat(200));
        assert_eq!(prefix(&text, 151), "ạ".repeat(40));
    }
}
