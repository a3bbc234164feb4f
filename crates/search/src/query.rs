//! What a reader asks for, and how their text becomes words and phrases. tantivy's query
//! language is never exposed: `:`, `^`, `~`, `(`, `*` are just punctuation between words.

use crate::analysis::{Analyzers, nfc};
use crate::doc::Kind;

/// A search as the portal's search page receives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// What the reader typed: words, and phrases in double quotes that must appear as written.
    pub text: String,
    /// Only articles of this site.
    pub site_id: Option<i64>,
    /// Only articles of this section.
    pub section_id: Option<i64>,
    /// Only articles published at or after this instant (UTC epoch seconds).
    pub from: Option<i64>,
    /// Only articles published at or before this instant (UTC epoch seconds).
    pub until: Option<i64>,
    /// Only articles, or only documents; `None`: both.
    pub kind: Option<Kind>,
    /// From 1; 0 is read as 1.
    pub page: u32,
    /// Hits per page, 1 to [`MAX_PER_PAGE`]; 0 means [`DEFAULT_PER_PAGE`].
    pub per_page: u32,
}

impl Query {
    /// The first page of a plain text search.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            ..Self::default()
        }
    }
}

pub const DEFAULT_PER_PAGE: u32 = 10;
pub const MAX_PER_PAGE: u32 = 100;
/// Longest query text, in characters after trimming (and after NFC).
pub const MAX_QUERY_CHARS: usize = 500;
/// Most distinct words in one query (phrase words included): each is a required clause.
pub const MAX_QUERY_WORDS: usize = 64;

/// Why a query cannot be run; `Display` is the sentence to show the reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("Vui lòng nhập từ khóa cần tìm (chữ hoặc số).")]
    Empty,
    #[error(
        "Từ khóa quá dài: tối đa {MAX_QUERY_CHARS} ký tự và {MAX_QUERY_WORDS} từ khác nhau. Hãy rút gọn rồi tìm lại."
    )]
    TooLong,
    #[error(
        "Từ khóa không hợp lệ: thiếu dấu ngoặc kép đóng. Để tìm đúng một cụm từ, hãy đặt cụm từ đó giữa hai dấu \" \"; nếu không, hãy bỏ dấu ngoặc kép."
    )]
    UnclosedQuote,
    #[error("Từ khóa không hợp lệ: ngày bắt đầu phải trước ngày kết thúc.")]
    DatesReversed,
}

impl QueryError {
    /// A stable name for the mistake (the catalogue's `search-error-{code}`).
    pub fn code(&self) -> &'static str {
        match self {
            QueryError::Empty => "empty",
            QueryError::TooLong => "too-long",
            QueryError::UnclosedQuote => "quote",
            QueryError::DatesReversed => "dates",
        }
    }
}

/// One word of the query, as typed (lower-cased) and folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub exact: String,
    pub folded: String,
}

impl Word {
    /// Typed with Vietnamese marks: then matches with the same marks rank first.
    pub(crate) fn marked(&self) -> bool {
        self.exact != self.folded
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Word(Word),
    /// Two or more words that must be adjacent, with their relative positions.
    Phrase(Vec<(usize, Word)>),
}

/// The reader's text, understood.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Parsed {
    /// Every part must match.
    pub parts: Vec<Part>,
    /// Unquoted words typed next to each other (indices into `parts`): found side by side,
    /// they rank higher, since a Vietnamese word is often two or three syllables.
    pub neighbours: Vec<(usize, usize)>,
}

impl Parsed {
    /// Every word of the query, for highlighting.
    pub(crate) fn words(&self) -> Vec<&Word> {
        let mut out = Vec::new();
        for part in &self.parts {
            match part {
                Part::Word(w) => out.push(w),
                Part::Phrase(ws) => out.extend(ws.iter().map(|(_, w)| w)),
            }
        }
        out
    }
}

/// Opening and closing quotes alike: phones and word processors send typographic ones.
const QUOTES: [char; 5] = ['"', '“', '”', '„', '‟'];

/// Operators of other search boxes, dropped rather than searched for: every word is already
/// required, and a reader typing `AND` does not mean the English word.
const OPERATORS: [&str; 3] = ["AND", "OR", "NOT"];

pub(crate) fn parse(text: &str) -> Result<Parsed, QueryError> {
    let trimmed = text.trim();
    // A cheap bound before normalising: NFD Vietnamese takes at most three characters per letter.
    if trimmed.chars().count() > MAX_QUERY_CHARS * 3 {
        return Err(QueryError::TooLong);
    }
    let text = nfc(trimmed);
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    if text.chars().filter(|c| QUOTES.contains(c)).count() % 2 == 1 {
        return Err(QueryError::UnclosedQuote);
    }
    let mut analyzers = Analyzers::new();
    let mut parsed = Parsed::default();
    for (i, segment) in text.split(&QUOTES[..]).enumerate() {
        let quoted = i % 2 == 1;
        let tokens = analyzers.tokens(segment);
        if quoted {
            let first = tokens.first().map_or(0, |t| t.position);
            let mut words: Vec<(usize, Word)> = tokens
                .into_iter()
                .map(|t| {
                    let offset = t.position - first;
                    (offset, word(t.exact, t.folded))
                })
                .collect();
            match words.len() {
                0 => {}
                1 => {
                    push_word(&mut parsed, words.remove(0).1, None);
                }
                _ => parsed.parts.push(Part::Phrase(words)),
            }
        } else {
            let mut previous = None;
            for t in tokens {
                if OPERATORS.contains(&&segment[t.from..t.to]) {
                    previous = None;
                    continue;
                }
                previous = push_word(&mut parsed, word(t.exact, t.folded), previous);
            }
        }
    }
    if parsed.parts.is_empty() {
        return Err(QueryError::Empty);
    }
    let mut distinct: Vec<&str> = parsed.words().iter().map(|w| w.exact.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() > MAX_QUERY_WORDS {
        return Err(QueryError::TooLong);
    }
    Ok(parsed)
}

/// The words a reader's text asks for (as typed, lower-cased; phrase words included), or why
/// it cannot be searched: the parse a search runs, for callers outside the index (the fuzz
/// targets, a form that checks a query before sending it).
pub fn query_words(text: &str) -> Result<Vec<String>, QueryError> {
    let parsed = parse(text)?;
    Ok(parsed.words().iter().map(|w| w.exact.clone()).collect())
}

fn word(exact: String, folded: String) -> Word {
    Word { exact, folded }
}

/// Adds a word (once: "hội nghị hội" needs "hội" once), remembering it as the neighbour of
/// the word typed before it. Returns its index in `parts`.
fn push_word(parsed: &mut Parsed, word: Word, previous: Option<usize>) -> Option<usize> {
    let existing = parsed
        .parts
        .iter()
        .position(|p| matches!(p, Part::Word(w) if *w == word));
    let index = existing.unwrap_or_else(|| {
        parsed.parts.push(Part::Word(word));
        parsed.parts.len() - 1
    });
    if let Some(previous) = previous
        && previous != index
        && !parsed.neighbours.contains(&(previous, index))
    {
        parsed.neighbours.push((previous, index));
    }
    Some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(parsed: &Parsed) -> Vec<String> {
        parsed.words().iter().map(|w| w.exact.clone()).collect()
    }

    #[test]
    fn words_are_folded_and_neighbours_remembered() {
        let p = parse("  Hội nghị  cai cach ").unwrap_or_default();
        assert_eq!(words(&p), ["hội", "nghị", "cai", "cach"]);
        assert!(p.parts.iter().all(|x| matches!(x, Part::Word(_))));
        assert_eq!(p.neighbours, [(0, 1), (1, 2), (2, 3)]);
        let Part::Word(w) = &p.parts[0] else {
            panic!("a word")
        };
        assert_eq!(w.folded, "hoi");
        assert!(w.marked());
        let Part::Word(w) = &p.parts[2] else {
            panic!("a word")
        };
        assert!(!w.marked());
    }

    #[test]
    fn quoted_text_is_a_phrase() {
        let p = parse("“hội nghị tập huấn” Đảng").unwrap_or_default();
        assert!(matches!(&p.parts[0], Part::Phrase(ws) if ws.len() == 4 && ws[3].0 == 3));
        assert!(matches!(&p.parts[1], Part::Word(w) if w.folded == "dang"));
        assert!(p.neighbours.is_empty());
        // A one-word phrase is a word; an empty one is nothing.
        let p = parse("\"đường\" \"\"").unwrap_or_default();
        assert_eq!(p.parts.len(), 1);
        assert!(matches!(&p.parts[0], Part::Word(_)));
    }

    #[test]
    fn query_syntax_is_punctuation() {
        let p = parse("title:Đảng^3 AND (hội~2 OR nghị) NOT x* -y +z").unwrap_or_default();
        assert_eq!(
            words(&p),
            ["title", "đảng", "3", "hội", "2", "nghị", "x", "y", "z"]
        );
        assert!(parse("and").is_ok(), "lower-case 'and' is a word");
    }

    #[test]
    fn errors() {
        assert_eq!(parse(""), Err(QueryError::Empty));
        assert_eq!(parse("   "), Err(QueryError::Empty));
        assert_eq!(parse("?!... :: ^~ () \"\" “”"), Err(QueryError::Empty));
        assert_eq!(parse("AND OR"), Err(QueryError::Empty));
        assert!(matches!(
            parse("\"hội nghị"),
            Err(QueryError::UnclosedQuote)
        ));
        assert!(matches!(
            parse("a \"b\" \"c"),
            Err(QueryError::UnclosedQuote)
        ));
        assert_eq!(parse(&"a".repeat(10_000)), Err(QueryError::TooLong));
        assert_eq!(parse(&"đ".repeat(501)), Err(QueryError::TooLong));
        assert!(parse(&format!("  {}  ", "nghiêng ".repeat(62))).is_ok());
        // Distinct words are what costs: repeating one is free, many different ones are not.
        assert!(parse(&vec!["hội"; 120].join(" ")).is_ok());
        let many: Vec<String> = (0..=MAX_QUERY_WORDS).map(|i| format!("w{i}")).collect();
        assert_eq!(parse(&many.join(" ")), Err(QueryError::TooLong));
        // 41 bytes is one token too long to index: nothing left to search.
        assert_eq!(parse(&"x".repeat(41)), Err(QueryError::Empty));
    }

    #[test]
    fn messages_are_vietnamese_sentences() {
        assert!(QueryError::Empty.to_string().starts_with("Vui lòng"));
        assert!(QueryError::TooLong.to_string().contains("500 ký tự"));
        let Err(e) = parse("\"a") else {
            panic!("malformed")
        };
        assert!(e.to_string().contains("ngoặc kép"));
    }
}
