//! Vietnamese text: NFC normalisation, slugs, and the HTML allow-list.

pub mod embed;
mod sanitize;
mod slug;

pub use sanitize::{sanitize_html, sanitize_report};
pub use slug::{fold_words, slugify};

use unicode_normalization::UnicodeNormalization;

/// Text as stored: NFC, so "ộ" is one code point whether it was typed precomposed or not.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn nfc_composes_decomposed_vietnamese() {
        let decomposed = "Ho\u{323}\u{302}i nghi\u{323}";
        assert_eq!(super::nfc(decomposed), "Hội nghị");
        assert_eq!(super::nfc("Hội nghị").chars().count(), 8);
    }
}
