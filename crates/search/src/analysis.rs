//! The two Vietnamese analyzers (folded and exact) and the NFC step that both indexing and
//! queries go through.

use tantivy::tokenizer::{
    AsciiFoldingFilter, BoxTokenStream, LowerCaser, RemoveLongFilter, SimpleTokenizer,
    TextAnalyzer, Token as TantivyToken, TokenStream, Tokenizer,
};
use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// Tokenizer name of the `*_fold` fields: "Đảng", "đang", "dang" all become `dang`.
pub(crate) const FOLD: &str = "vi_fold";
/// Tokenizer name of the `*_exact` fields: lower-cased, marks kept.
pub(crate) const EXACT: &str = "vi_exact";

/// Tokenizer name of the `text_pairs` field: every two adjacent folded syllables as one
/// term, `hoi nghi`. A Vietnamese word is often two or three syllables, so "hội nghị"
/// side by side is the word and "hội" … "nghị" apart is not; as terms, pairs cost one posting
/// list where a phrase query would read the positions of every article holding both.
pub(crate) const PAIRS: &str = "vi_pairs";

/// Longer tokens are dropped (in UTF-8 bytes): no Vietnamese syllable comes near it, and it
/// keeps pasted URLs and base64 out of the term dictionary.
const MAX_TOKEN_BYTES: usize = 40;

pub(crate) fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub(crate) fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

pub(crate) fn pairs() -> TextAnalyzer {
    TextAnalyzer::from(Pairs { inner: folded() })
}

/// The pair term of two adjacent folded syllables. A space never occurs inside a token, so
/// pair terms cannot collide with single ones.
pub(crate) fn pair(first: &str, second: &str) -> String {
    format!("{first} {second}")
}

/// Adjacent folded tokens, joined by [`pair`].
#[derive(Clone)]
struct Pairs {
    inner: TextAnalyzer,
}

impl Tokenizer for Pairs {
    type TokenStream<'a> = PairStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream<'a> {
        PairStream {
            inner: self.inner.token_stream(text),
            previous: None,
            token: TantivyToken::default(),
        }
    }
}

struct PairStream<'a> {
    inner: BoxTokenStream<'a>,
    /// The last token seen: (text, start offset, position).
    previous: Option<(String, usize, usize)>,
    token: TantivyToken,
}

impl TokenStream for PairStream<'_> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let current = self.inner.token();
            let previous = self.previous.replace((
                current.text.clone(),
                current.offset_from,
                current.position,
            ));
            // A dropped long token leaves a position gap: the syllables around it were not
            // side by side.
            if let Some((text, from, position)) = previous
                && position + 1 == current.position
            {
                self.token.text = pair(&text, &current.text);
                self.token.offset_from = from;
                self.token.offset_to = current.offset_to;
                self.token.position = position;
                self.token.position_length = 1;
                return true;
            }
        }
        false
    }

    fn token(&self) -> &TantivyToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.token
    }
}

/// Text in NFC. Decomposed input (NFD, what some Mac and phone keyboards send) would otherwise
/// be split at every combining mark: "Hội" → `ho`, `i`.
pub(crate) fn nfc(text: &str) -> String {
    match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_owned(),
        _ => text.nfc().collect(),
    }
}

/// One token of a text: its lower-cased form with marks, its folded form, where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub exact: String,
    pub folded: String,
    /// Byte range in the analysed text.
    pub from: usize,
    pub to: usize,
    /// Token position as the index sees it (dropped long tokens leave a gap).
    pub position: usize,
}

/// Both analyses of `text` (already NFC), token by token.
///
/// The two chains share tokenizer and length filter, so they produce the same tokens at the
/// same offsets; only the text differs. Folding is applied to the exact token rather than
/// re-tokenising, which keeps the pairing exact whatever the text.
pub(crate) struct Analyzers {
    exact: TextAnalyzer,
    fold: TextAnalyzer,
}

impl Analyzers {
    pub(crate) fn new() -> Self {
        Self {
            exact: exact(),
            fold: folded(),
        }
    }

    pub(crate) fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut stream = self.exact.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            out.push(Token {
                exact: token.text.clone(),
                folded: String::new(),
                from: token.offset_from,
                to: token.offset_to,
                position: token.position,
            });
        }
        drop(stream);
        // Same tokenizer and length filter, so the folded stream has the same tokens at the
        // same offsets; checked anyway, and a token that does not line up is folded alone.
        let mut stream = self.fold.token_stream(text);
        let mut i = 0;
        while stream.advance() {
            let folded = stream.token();
            while i < out.len() && out[i].from < folded.offset_from {
                i += 1;
            }
            if let Some(token) = out.get_mut(i)
                && token.from == folded.offset_from
                && token.to == folded.offset_to
            {
                token.folded.clone_from(&folded.text);
            }
        }
        drop(stream);
        for token in &mut out {
            if token.folded.is_empty() {
                token.folded = self.fold_word(&token.exact);
            }
        }
        out
    }

    /// The folded form of one already lower-cased token.
    pub(crate) fn fold_word(&mut self, word: &str) -> String {
        if word.is_ascii() {
            return word.to_owned();
        }
        let mut stream = self.fold.token_stream(word);
        let mut folded = String::with_capacity(word.len());
        // A single token in, a single token out; joined defensively should that ever change.
        while stream.advance() {
            folded.push_str(&stream.token().text);
        }
        if folded.is_empty() {
            word.to_owned()
        } else {
            folded
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(String, String)> {
        Analyzers::new()
            .tokens(&nfc(text))
            .into_iter()
            .map(|t| (t.exact, t.folded))
            .collect()
    }

    #[test]
    fn folds_every_vietnamese_letter_and_keeps_the_exact_form() {
        assert_eq!(
            texts("Đại hội ĐẢNG bộ"),
            [
                ("đại".into(), "dai".into()),
                ("hội".into(), "hoi".into()),
                ("đảng".into(), "dang".into()),
                ("bộ".into(), "bo".into()),
            ]
        );
        let vowels = "aăâeêioôơuưy";
        let marks = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
        for vowel in vowels.chars() {
            for mark in marks {
                let letter: String = [vowel, mark].iter().collect::<String>().nfc().collect();
                let upper = letter.to_uppercase();
                for form in [letter, upper] {
                    let got = texts(&form);
                    assert_eq!(got.len(), 1, "{form}");
                    assert!(got[0].1.is_ascii(), "{form} folded to {}", got[0].1);
                }
            }
        }
    }

    #[test]
    fn nfd_input_gives_the_same_tokens_as_nfc() {
        let nfd: String = "Hội nghị Đảng".nfd().collect();
        assert_ne!(nfd, "Hội nghị Đảng");
        assert_eq!(texts(&nfd), texts("Hội nghị Đảng"));
    }

    #[test]
    fn pairs_are_adjacent_folded_syllables() {
        let mut analyzer = pairs();
        let long = "x".repeat(41);
        let text = format!("Hội nghị tập huấn, {long} Đảng bộ");
        let mut stream = analyzer.token_stream(&text);
        let mut got = Vec::new();
        while stream.advance() {
            got.push(stream.token().text.clone());
        }
        assert_eq!(got, ["hoi nghi", "nghi tap", "tap huan", "dang bo"]);
    }

    #[test]
    fn long_tokens_are_dropped_but_leave_a_position_gap() {
        let long = "x".repeat(41);
        let tokens = Analyzers::new().tokens(&format!("hội {long} nghị"));
        assert_eq!(tokens.len(), 2);
        assert_eq!(tokens[1].position, 2);
    }
}
