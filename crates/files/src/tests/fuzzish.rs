//! Every prefix (in steps) of every generated file, and a few byte flips: `check` and
//! `extract` may refuse or give up, never panic.

#![allow(clippy::unwrap_used)]

use super::fixtures::{SENTENCE, TITLE, rows};
use crate::{Kind, Limits, check, extract, make};

fn samples() -> Vec<(Kind, Vec<u8>)> {
    vec![
        (Kind::Pdf, make::pdf(TITLE, &[SENTENCE, SENTENCE])),
        (Kind::Pdf, make::pdf_without_text()),
        (Kind::Docx, make::docx(TITLE, &[SENTENCE])),
        (Kind::Odt, make::odt(TITLE, &[SENTENCE])),
        (Kind::Xlsx, make::xlsx(&rows())),
        (Kind::Ods, make::ods(&rows())),
        (Kind::Doc, include_bytes!("data/van-ban.doc").to_vec()),
        (Kind::Xls, include_bytes!("data/bang-tinh.xls").to_vec()),
    ]
}

fn exercise(kind: Kind, bytes: &[u8]) {
    let limits = Limits::default();
    let _ = check(bytes, &limits);
    let _ = extract(kind, bytes, &limits);
}

#[test]
fn truncated_files_never_panic() {
    for (kind, bytes) in samples() {
        let step = (bytes.len() / 97).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            exercise(kind, &bytes[..cut]);
        }
        // The tail matters most: central directories and xref tables live there.
        for cut in bytes.len().saturating_sub(64)..bytes.len() {
            exercise(kind, &bytes[..cut]);
        }
    }
}

#[test]
fn flipped_bytes_never_panic() {
    for (kind, bytes) in samples() {
        let step = (bytes.len() / 61).max(1);
        for at in (0..bytes.len()).step_by(step) {
            let mut b = bytes.clone();
            b[at] ^= 0xA5;
            exercise(kind, &b);
        }
    }
}
