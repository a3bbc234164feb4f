//! Highlighted titles and snippets: matched words in `<mark>`, everything else escaped.

use crate::analysis::{Analyzers, Token};
use crate::html::escape_into;
use crate::query::Word;

/// Snippet length in characters (the window; ellipses come on top).
pub(crate) const SNIPPET_CHARS: usize = 200;

/// Files text is scanned this many bytes at a time, stopping after the first stretch that
/// shows every word: tokenising all of a long stored prefix for every hit costs about a
/// millisecond per 64 KB.
const FILES_CHUNK_BYTES: usize = 8 << 10;

/// Finds the query's words in a text.
pub(crate) struct Highlighter<'q> {
    words: Vec<&'q Word>,
    analyzers: Analyzers,
}

/// A matched token: its byte range and which query word it matched.
#[derive(Debug, Clone, Copy)]
struct Hit {
    from: usize,
    to: usize,
    word: usize,
}

impl<'q> Highlighter<'q> {
    pub(crate) fn new(words: Vec<&'q Word>) -> Self {
        Self {
            words,
            analyzers: Analyzers::new(),
        }
    }

    /// The whole text, escaped, with every match marked.
    pub(crate) fn mark_all(&mut self, text: &str) -> String {
        let hits = self.hits(text);
        render(text, 0..text.len(), &hits)
    }

    /// About [`SNIPPET_CHARS`] characters around the best cluster of matches in the summary,
    /// the body or the files text, preferring the summary (written to be read on its own),
    /// then the body, then the files text, unless a later one shows more of the query's words;
    /// the start of the summary (or body) when none matches. With whether it is from the files.
    pub(crate) fn snippet(&mut self, summary: &str, body: &str, files: &str) -> (String, bool) {
        let in_summary = self.hits(summary);
        let in_body = self.hits(body);
        let (mut text, mut hits) = if distinct(&in_summary) >= distinct(&in_body) {
            (summary, in_summary)
        } else {
            (body, in_body)
        };
        let mut in_files = false;
        // The files text can be long: scanned only when it could show more words, and only
        // as far as needed (plus room for the window after the matches).
        if !files.is_empty() && distinct(&hits) < self.words.len() {
            let (scanned, found) = self.files_hits(files);
            if distinct(&found) > distinct(&hits) {
                let shown = chunk_end(files, scanned + SNIPPET_CHARS * 4);
                (text, hits, in_files) = (&files[..shown], found, true);
            }
        }
        if hits.is_empty() {
            let text = if summary.is_empty() { body } else { summary };
            return (window(text, &[]), false);
        }
        (window(text, &hits), in_files)
    }

    /// Matches in the files text, a chunk at a time until one shows every word; with how far
    /// it was scanned.
    fn files_hits(&mut self, files: &str) -> (usize, Vec<Hit>) {
        let mut hits = Vec::new();
        let mut at = 0;
        while at < files.len() {
            let end = chunk_end(files, at + FILES_CHUNK_BYTES);
            hits.extend(self.hits(&files[at..end]).into_iter().map(|h| Hit {
                from: h.from + at,
                to: h.to + at,
                word: h.word,
            }));
            at = end;
            if distinct(&hits) == self.words.len() {
                break;
            }
        }
        (at, hits)
    }

    /// Matches in `text`. A word typed with marks marks only tokens with those marks when the
    /// text has any (the reader sees why "đường" ranked the article first), and its folded
    /// matches otherwise (they are why it matched at all).
    fn hits(&mut self, text: &str) -> Vec<Hit> {
        if text.is_empty() {
            return Vec::new();
        }
        let tokens = self.analyzers.tokens(text);
        let mut hits = Vec::new();
        for (i, word) in self.words.iter().enumerate() {
            let mut exact = word.marked();
            let mut found = collect(&tokens, i, |t| t.exact == word.exact);
            if found.is_empty() && exact {
                exact = false;
            }
            if !exact {
                found = collect(&tokens, i, |t| t.folded == word.folded);
            }
            hits.extend(found);
        }
        hits.sort_by_key(|h| (h.from, h.to));
        hits.dedup_by_key(|h| h.from);
        hits
    }
}

/// The first space at or after byte `at` (or the end): a cut there splits no word.
fn chunk_end(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    text[at..].find(' ').map_or(text.len(), |i| at + i)
}

fn collect(tokens: &[Token], word: usize, matches: impl Fn(&Token) -> bool) -> Vec<Hit> {
    tokens
        .iter()
        .filter(|t| matches(t))
        .map(|t| Hit {
            from: t.from,
            to: t.to,
            word,
        })
        .collect()
}

fn distinct(hits: &[Hit]) -> usize {
    let mut words: Vec<usize> = hits.iter().map(|h| h.word).collect();
    words.sort_unstable();
    words.dedup();
    words.len()
}

/// Picks the window with the most distinct words (then the most matches), earliest first.
fn window(text: &str, hits: &[Hit]) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let total = chars.len();
    // Character positions of the hits, since the window is measured in characters.
    let char_of = |byte: usize| chars.partition_point(|&(b, _)| b < byte);
    let starts: Vec<usize> = hits.iter().map(|h| char_of(h.from)).collect();
    let ends: Vec<usize> = hits.iter().map(|h| char_of(h.to)).collect();
    let (mut start, mut end) = (0, SNIPPET_CHARS.min(total));
    let mut inside = 0..0;
    if !hits.is_empty() {
        let mut best = (0, 0, 0..0); // (distinct words, matches, hits inside)
        for i in 0..hits.len() {
            let last = (i..hits.len())
                .take_while(|&j| ends[j] - starts[i] <= SNIPPET_CHARS)
                .last()
                .unwrap_or(i);
            let key = (distinct(&hits[i..=last]), last + 1 - i);
            if key > (best.0, best.1) {
                best = (key.0, key.1, i..last + 1);
            }
        }
        inside = best.2;
        let (first, last) = (inside.start, inside.end - 1);
        let span = ends[last] - starts[first];
        // Some words before the first match for context: a third of what is left over.
        let lead = (SNIPPET_CHARS.saturating_sub(span) / 3).min(starts[first]);
        start = starts[first] - lead;
        end = (start + SNIPPET_CHARS).min(total).max(ends[last]);
    }
    let is_space = |i: usize| chars[i].1.is_whitespace();
    // Cut at spaces so no word is split, but never past a match the window holds.
    let keep_from = inside.clone().next().map_or(end, |i| starts[i]);
    let keep_to = inside.clone().last().map_or(start, |i| ends[i]);
    if start > 0 && !is_space(start - 1) {
        let mut s = start;
        while s < keep_from && !is_space(s) {
            s += 1;
        }
        if s < keep_from {
            start = s;
        }
    }
    while start < end && is_space(start) {
        start += 1;
    }
    if end < total && !is_space(end) {
        let mut e = end;
        while e > keep_to.max(start) && !is_space(e - 1) {
            e -= 1;
        }
        if e > keep_to.max(start) {
            end = e;
        }
    }
    while end > start && is_space(end - 1) {
        end -= 1;
    }
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut html = String::new();
    if start > 0 {
        html.push_str("… ");
    }
    html.push_str(&render(text, byte(start)..byte(end), hits));
    if end < total {
        html.push_str(" …");
    }
    html
}

/// `text[range]` escaped, with the hits inside it marked.
fn render(text: &str, range: std::ops::Range<usize>, hits: &[Hit]) -> String {
    let mut html = String::with_capacity(range.len() + 32);
    let mut at = range.start;
    for h in hits
        .iter()
        .filter(|h| h.from >= range.start && h.to <= range.end)
    {
        if h.from < at {
            continue;
        }
        escape_into(&mut html, &text[at..h.from]);
        html.push_str("<mark>");
        escape_into(&mut html, &text[h.from..h.to]);
        html.push_str("</mark>");
        at = h.to;
    }
    escape_into(&mut html, &text[at..range.end]);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(query: &str) -> Vec<Word> {
        let mut a = Analyzers::new();
        a.tokens(query)
            .into_iter()
            .map(|t| Word {
                exact: t.exact,
                folded: t.folded,
            })
            .collect()
    }

    #[test]
    fn marks_folded_matches_for_words_typed_without_marks() {
        let w = words("dang");
        let mut h = Highlighter::new(w.iter().collect());
        assert_eq!(
            h.mark_all("Đảng bộ & Đăng ký"),
            "<mark>Đảng</mark> bộ &amp; <mark>Đăng</mark> ký"
        );
    }

    #[test]
    fn marks_exact_matches_when_there_are_some() {
        let w = words("đảng");
        let mut h = Highlighter::new(w.iter().collect());
        assert_eq!(
            h.mark_all("Đảng bộ, Đăng ký"),
            "<mark>Đảng</mark> bộ, Đăng ký"
        );
        assert_eq!(h.mark_all("Đăng ký"), "<mark>Đăng</mark> ký");
    }

    #[test]
    fn snippet_is_a_window_around_the_matches_cut_at_words() {
        let filler = "lorem ipsum dolor sit amet ".repeat(20);
        let body = format!("{filler}xã hội nghị quyết <b> hội nghị tập huấn {filler}");
        let w = words("hội nghị tập huấn");
        let mut h = Highlighter::new(w.iter().collect());
        let s = h.snippet("", &body, "").0;
        assert!(s.starts_with("… "), "{s}");
        assert!(s.ends_with(" …"), "{s}");
        assert!(
            s.contains(
                "&lt;b&gt; <mark>hội</mark> <mark>nghị</mark> <mark>tập</mark> <mark>huấn</mark>"
            ),
            "{s}"
        );
        let visible: String = s.replace("<mark>", "").replace("</mark>", "");
        let len = visible
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .chars()
            .count();
        assert!((150..=210).contains(&len), "{len}: {s}");
        assert!(
            !visible.contains(" lore …") && !visible.contains("… orem"),
            "{s}"
        );
    }

    #[test]
    fn snippet_prefers_the_summary_and_falls_back_to_the_start() {
        let w = words("chuyển đổi số");
        let mut h = Highlighter::new(w.iter().collect());
        assert_eq!(
            h.snippet("Tỉnh đẩy mạnh chuyển đổi số.", "Chuyển đổi số ở xã.", ""),
            (
                "Tỉnh đẩy mạnh <mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark>.".to_owned(),
                false
            )
        );
        let w = words("khác");
        let mut h = Highlighter::new(w.iter().collect());
        assert_eq!(
            h.snippet("Tóm tắt.", "Thân bài.", "Tệp."),
            ("Tóm tắt.".to_owned(), false)
        );
        assert_eq!(h.snippet("", "", ""), (String::new(), false));
    }

    #[test]
    fn snippet_comes_from_the_files_when_the_words_are_only_there() {
        let w = words("quy che tiep nhan");
        let mut h = Highlighter::new(w.iter().collect());
        let files = "Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp nhận, xử lý phản ánh.";
        let (s, in_files) = h.snippet("544/QĐ-SKHCN · Quyết định", "", files);
        assert!(in_files, "{s}");
        assert!(
            s.contains("<mark>Quy</mark> <mark>chế</mark> <mark>tiếp</mark> <mark>nhận</mark>"),
            "{s}"
        );
        // Far into long files text, past several chunks.
        let filler = "Các cơ quan thực hiện đúng thẩm quyền. ".repeat(1_000);
        let long = format!("{filler}Quy chế tiếp nhận, xử lý phản ánh. {filler}");
        let (s, in_files) = h.snippet("", "", &long);
        assert!(in_files, "{s}");
        assert!(s.starts_with("… ") && s.ends_with(" …"), "{s}");
        assert!(s.contains("<mark>Quy</mark> <mark>chế</mark>"), "{s}");
        // As many words in the summary: the summary wins.
        let (s, in_files) = h.snippet("Quy chế tiếp nhận", "", files);
        assert!(!in_files, "{s}");
    }
}
