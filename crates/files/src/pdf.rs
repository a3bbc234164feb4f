//! PDF: structural check and text layer.

use crate::pdf_text;
use crate::tidy::{has_words, tidy};
use crate::{Limits, Refusal, Text};
use lopdf::{Document, Error, LoadOptions, ObjectId};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Pages read for text: a 2000-page PDF is a book, and its first pages say what it is.
const MAX_PAGES: usize = 2000;

/// Largest decompressed content stream of one page read for text. Real pages hold a few
/// megabytes at most; each operation costs memory once decoded.
const MAX_PAGE_CONTENT: usize = 32 * 1024 * 1024;

enum Loaded {
    Doc(Box<Document>),
    /// Encrypted with a password we do not have: a valid PDF whose text is out of reach.
    Locked,
}

/// Largest object or cross-reference stream decompressed while loading. lopdf decodes these
/// eagerly and keeps what they hold; real ones are a few megabytes.
const MAX_LOAD_STREAM: u64 = 32 * 1024 * 1024;

fn load(bytes: &[u8], limits: &Limits) -> Result<Loaded, String> {
    let per_stream = limits.max_unpacked.min(MAX_LOAD_STREAM);
    let options = LoadOptions {
        max_decompressed_size: Some(usize::try_from(per_stream).unwrap_or(usize::MAX)),
        ..LoadOptions::default()
    };
    // lopdf is careful, but a PDF parser meets every oddity the world has written; a panic
    // in it must cost one upload, not the request thread.
    match catch_unwind(AssertUnwindSafe(|| {
        Document::load_mem_with_options(bytes, options)
    })) {
        Ok(Ok(doc)) if doc.is_encrypted() => Ok(Loaded::Locked),
        Ok(Ok(doc)) => Ok(Loaded::Doc(Box::new(doc))),
        Ok(Err(Error::InvalidPassword | Error::Decryption(_))) => Ok(Loaded::Locked),
        Ok(Err(e)) => Err(format!("PDF: {e}")),
        Err(_) => Err("PDF parser panicked".to_owned()),
    }
}

pub(crate) fn check(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    match load(bytes, limits) {
        Ok(Loaded::Locked) => Ok(()),
        Ok(Loaded::Doc(doc)) if doc.get_pages().is_empty() => {
            Err(Refusal::Corrupt("PDF without pages".to_owned()))
        }
        Ok(Loaded::Doc(_)) => Ok(()),
        Err(why) => Err(Refusal::Corrupt(why)),
    }
}

pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Text {
    let doc = match load(bytes, limits) {
        Ok(Loaded::Doc(doc)) => doc,
        Ok(Loaded::Locked) => return Text::Unreadable("mã hóa".to_owned()),
        Err(why) => return Text::Unreadable(why),
    };
    // Pages may share one content stream: the total, not just each page, is bounded.
    let mut content_left = usize::try_from(limits.max_unpacked).unwrap_or(usize::MAX);
    // Raw text shrinks when tidied, and a character takes up to four bytes.
    let budget = limits.max_text.saturating_mul(8);
    let mut raw = String::new();
    let (mut read_pages, mut failed) = (0usize, 0usize);
    let pages: Vec<ObjectId> = doc.get_pages().values().copied().take(MAX_PAGES).collect();
    for page in &pages {
        let limit = content_left.min(MAX_PAGE_CONTENT);
        let read = catch_unwind(AssertUnwindSafe(|| {
            pdf_text::page_text(&doc, *page, limit, &mut raw)
        }));
        match read {
            Ok(Ok(size)) => {
                read_pages += 1;
                content_left = content_left.saturating_sub(size);
            }
            // A failure may come after decompressing up to the limit: charge all of it, or
            // a stream shared by every page would be inflated once per page.
            Ok(Err(_)) | Err(_) => {
                failed += 1;
                content_left = content_left.saturating_sub(limit);
            }
        }
        if raw.len() > budget || content_left == 0 {
            break;
        }
    }
    if has_words(&raw) {
        Text::Found(tidy(&raw, limits.max_text))
    } else if failed > 0 && read_pages == 0 {
        Text::Unreadable(format!("no page's text could be read ({failed} pages)"))
    } else {
        Text::None
    }
}
