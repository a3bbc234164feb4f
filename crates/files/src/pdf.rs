//! PDF: structural check and text layer.

use crate::pdf_text;
use crate::tidy::{has_words, tidy};
use crate::{Limits, Refusal, Text};
use lopdf::{Document, Error, LoadOptions, ObjectId};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Pages read for text: a 2000-page PDF is a book, and its first pages say what it is.
const MAX_PAGES: usize = 2000;

enum Loaded {
    Doc(Box<Document>),
    /// Encrypted with a password we do not have: a valid PDF whose text is out of reach.
    Locked,
}

fn load(bytes: &[u8], limits: &Limits) -> Result<Loaded, String> {
    let options = LoadOptions {
        max_decompressed_size: Some(usize::try_from(limits.max_unpacked).unwrap_or(usize::MAX)),
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
    let per_stream = usize::try_from(limits.max_unpacked).unwrap_or(usize::MAX);
    // Raw text shrinks when tidied, and a character takes up to four bytes.
    let budget = limits.max_text.saturating_mul(8);
    let mut raw = String::new();
    let mut failed = 0usize;
    let pages: Vec<ObjectId> = doc.get_pages().values().copied().take(MAX_PAGES).collect();
    for page in &pages {
        let read = catch_unwind(AssertUnwindSafe(|| {
            pdf_text::page_text(&doc, *page, per_stream, &mut raw)
        }));
        if !matches!(read, Ok(Ok(()))) {
            failed += 1;
        }
        if raw.len() > budget {
            break;
        }
    }
    if has_words(&raw) {
        Text::Found(tidy(&raw, limits.max_text))
    } else if failed > 0 && failed == pages.len() {
        Text::Unreadable(format!("no page's text could be read ({failed} pages)"))
    } else {
        Text::None
    }
}
