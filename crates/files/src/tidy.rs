//! Turns raw extracted text into what the search index gets: NFC, tidy whitespace, capped.

use unicode_normalization::UnicodeNormalization;

/// NFC; runs of whitespace inside a line become one space; blank lines go; at most
/// `max_chars` characters, cut at a character boundary.
pub(crate) fn tidy(raw: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut count = 0usize;
    // NFC first so that a base letter and its combining mark count as one character and
    // the cap never separates them.
    let nfc: String = raw.nfc().collect();
    for line in nfc.lines() {
        let mut words = line
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty());
        let Some(first) = words.next() else { continue };
        if !out.is_empty() && !push(&mut out, &mut count, "\n", max_chars) {
            break;
        }
        if !push(&mut out, &mut count, first, max_chars) {
            break;
        }
        let mut full = false;
        for word in words {
            if !push(&mut out, &mut count, " ", max_chars)
                || !push(&mut out, &mut count, word, max_chars)
            {
                full = true;
                break;
            }
        }
        if full {
            break;
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Appends as much of `s` as the cap allows; false once the cap is reached.
fn push(out: &mut String, count: &mut usize, s: &str, max: usize) -> bool {
    for c in s.chars() {
        if *count >= max {
            return false;
        }
        out.push(c);
        *count += 1;
    }
    true
}

/// Whether a string would still hold something after [`tidy`]; lets extractors stop early.
pub(crate) fn has_words(s: &str) -> bool {
    s.chars().any(|c| !c.is_whitespace() && !c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_collapsed_and_blank_lines_dropped() {
        assert_eq!(tidy("  a \t b  \n\n \n c\r\n", 100), "a b\nc");
    }

    #[test]
    fn decomposed_marks_are_composed() {
        // "Quyết" with the circumflex and the acute as combining marks.
        let nfd = "Quye\u{302}\u{301}t";
        assert_eq!(tidy(nfd, 100), "Quyết");
        assert_eq!(tidy(nfd, 100).chars().count(), 5);
    }

    #[test]
    fn cap_counts_characters_not_bytes() {
        assert_eq!(tidy("định định", 5), "định");
        assert_eq!(tidy("định định", 6), "định đ");
        assert_eq!(tidy("định", 2), "đị");
    }
}
