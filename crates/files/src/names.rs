//! The name an attachment is downloaded under, and the header that carries it.

use crate::Kind;
use unicode_normalization::UnicodeNormalization;

/// Longest download name, in characters (extension included).
const MAX_NAME: usize = 200;

/// The uploader's file name made safe to offer back: NFC, no control characters, no path
/// separators, at most 200 characters, and the extension of the kind the bytes are (the
/// uploader's extension is only their word: "a.pdf" that is really a DOCX becomes "a.docx").
pub fn download_name(original: &str, kind: Kind) -> String {
    let cleaned: String = original
        .nfc()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\'))
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').trim();
    let ext = kind.ext();
    let stem = match cleaned.rsplit_once('.') {
        // Keep the uploader's spelling ("Quyết định 544.PDF") when it names the right kind.
        Some((stem, e)) if e.eq_ignore_ascii_case(ext) => {
            return cap(stem.trim(), e);
        }
        Some((stem, e)) if is_extension(e) => stem.trim(),
        _ => cleaned,
    };
    cap(stem, ext)
}

/// An extension-looking suffix ("pdf", "docx", "exe"), as opposed to the tail of "v1.2 bản cuối".
fn is_extension(e: &str) -> bool {
    (1..=5).contains(&e.len()) && e.chars().all(|c| c.is_ascii_alphanumeric())
}

fn cap(stem: &str, ext: &str) -> String {
    let stem = if stem.is_empty() {
        "tep-dinh-kem"
    } else {
        stem
    };
    let room = MAX_NAME.saturating_sub(ext.chars().count() + 1);
    let stem: String = stem.chars().take(room).collect();
    format!("{}.{ext}", stem.trim_end())
}

/// `Content-Disposition` for `name` (RFC 6266): an ASCII `filename` for old clients, with
/// diacritics folded and quotes and backslashes dropped, and the real name in `filename*`
/// (RFC 5987, UTF-8, percent-encoded). Pass a name made by [`download_name`].
pub fn content_disposition(name: &str, inline: bool) -> String {
    let disposition = if inline { "inline" } else { "attachment" };
    format!(
        "{disposition}; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(name),
        percent_encode(name)
    )
}

fn ascii_fallback(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii() {
            if !c.is_ascii_control() && c != '"' && c != '\\' {
                out.push(c);
            }
            continue;
        }
        // deunicode spells đ as "d", ế as "e"; anything it has no spelling for becomes "_".
        let folded = deunicode::deunicode_char(c).unwrap_or("_");
        out.extend(
            folded
                .chars()
                .filter(|c| c.is_ascii() && !c.is_ascii_control() && *c != '"' && *c != '\\'),
        );
    }
    out
}

/// RFC 5987 `attr-char` stays, everything else is `%XX` of its UTF-8 bytes.
fn percent_encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
