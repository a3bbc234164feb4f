//! The first look at an upload: which container family its magic numbers say it is.
//!
//! Only the bytes are asked; the file name and declared type are the uploader's word.

use crate::Refusal;

/// What the bytes start as; each family is then checked by its own module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Pdf,
    Zip,
    Ole,
}

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// How far into the file markup, PDF headers and BOMs are looked for.
const HEAD: usize = 1024;

pub(crate) fn sniff(bytes: &[u8]) -> Result<Family, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if let Some(what) = executable(bytes) {
        return Err(Refusal::Executable(what.to_owned()));
    }
    let head = &bytes[..bytes.len().min(HEAD)];
    // Acrobat accepts the header anywhere in the first 1024 bytes, so a PDF may be preceded
    // by junk; but not by markup, or the file is an HTML page to any browser that sniffs.
    if let Some(at) = find(head, b"%PDF-") {
        if let Some(what) = markup(&head[..at]) {
            return Err(Refusal::Markup(what.to_owned()));
        }
        return Ok(Family::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Family::Zip);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Ok(Family::Ole);
    }
    if let Some(what) = image(bytes) {
        return Err(Refusal::Image(what.to_owned()));
    }
    if let Some(what) = archive(bytes) {
        return Err(Refusal::Unsupported(what.to_owned()));
    }
    if let Some(what) = markup(head) {
        return Err(Refusal::Markup(what.to_owned()));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(Refusal::Unsupported("RTF".to_owned()));
    }
    Err(Refusal::Unsupported("không rõ".to_owned()))
}

fn executable(bytes: &[u8]) -> Option<&'static str> {
    let magic4 = bytes.get(..4);
    if bytes.starts_with(b"MZ") {
        Some("Windows PE")
    } else if bytes.starts_with(b"\x7FELF") {
        Some("ELF")
    } else if matches!(
        magic4,
        Some(b"\xFE\xED\xFA\xCE" | b"\xFE\xED\xFA\xCF" | b"\xCE\xFA\xED\xFE" | b"\xCF\xFA\xED\xFE")
    ) {
        Some("Mach-O")
    } else if magic4 == Some(b"\xCA\xFE\xBA\xBE") {
        // Also the magic of a universal Mach-O; refused either way.
        Some("Java class / Mach-O")
    } else if bytes.starts_with(b"#!") || bytes.starts_with(b"\xEF\xBB\xBF#!") {
        Some("script")
    } else {
        None
    }
}

fn image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("PNG")
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some("JPEG")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("GIF")
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("WebP")
    } else if bytes.starts_with(b"BM") {
        Some("BMP")
    } else if bytes.starts_with(b"II*\x00") || bytes.starts_with(b"MM\x00*") {
        Some("TIFF")
    } else if bytes.get(4..8) == Some(b"ftyp") {
        Some("HEIC/AVIF")
    } else if bytes.starts_with(b"8BPS") {
        Some("PSD")
    } else {
        None
    }
}

fn archive(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"Rar!\x1A\x07") {
        Some("RAR")
    } else if bytes.starts_with(b"7z\xBC\xAF\x27\x1C") {
        Some("7z")
    } else if bytes.starts_with(b"\x1F\x8B") {
        Some("gzip")
    } else if bytes.starts_with(b"BZh") {
        Some("bzip2")
    } else if bytes.starts_with(b"\xFD7zXZ\x00") {
        Some("xz")
    } else if bytes.starts_with(b"PK\x07\x08") {
        Some("ZIP")
    } else {
        None
    }
}

/// HTML, SVG or other XML near the start, after BOMs and whitespace. UTF-16 text is read by
/// dropping its zero bytes, which is enough to see ASCII tags.
fn markup(head: &[u8]) -> Option<&'static str> {
    let ascii: Vec<u8> = head
        .iter()
        .filter(|&&b| b != 0 && b != 0xFE && b != 0xFF)
        .map(u8::to_ascii_lowercase)
        .collect();
    let ascii = ascii.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&ascii);
    let start = ascii
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(ascii.len());
    let text = &ascii[start..];
    if find(text, b"<svg").is_some() {
        return Some("SVG");
    }
    const HTML: [&[u8]; 9] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<script",
        b"<iframe",
        b"<meta",
        b"<style",
        b"<a href",
    ];
    if HTML.iter().any(|tag| find(text, tag).is_some()) {
        return Some("HTML");
    }
    if text.starts_with(b"<?xml") || text.starts_with(b"<!doctype") {
        return Some("XML");
    }
    if text.starts_with(b"<") && text.get(1).is_some_and(u8::is_ascii_alphabetic) {
        return Some("HTML/XML");
    }
    None
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
