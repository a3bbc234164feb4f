//! PDF text placed the ways other writers place it: one text object with moves between
//! lines, a move before every glyph or word, kerning and word gaps inside `TJ`.

#![allow(clippy::unwrap_used)]

use super::fixtures::{SENTENCE, TITLE};
use crate::make::pdf::FONT;
use crate::{Kind, Limits, Text, extract, make};
use lopdf::{Dictionary, Document, Object, Stream};

/// A PDF from `make::pdf` (so the font and its `ToUnicode` cover `SENTENCE`) whose first
/// page shows `content` instead.
fn with_content(content: &str) -> Vec<u8> {
    let mut doc = Document::load_mem(&make::pdf(TITLE, &[SENTENCE])).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let contents = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"Contents")
        .unwrap()
        .as_reference()
        .unwrap();
    let stream = Stream::new(Dictionary::new(), content.as_bytes().to_vec());
    doc.objects.insert(contents, Object::Stream(stream));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn face() -> ttf_parser::Face<'static> {
    ttf_parser::Face::parse(FONT, 0).unwrap()
}

/// `<…>`: the glyph ids of `s` as a PDF hex string.
fn hex(s: &str) -> String {
    let face = face();
    let ids: String = s
        .chars()
        .map(|c| format!("{:04X}", face.glyph_index(c).unwrap().0))
        .collect();
    format!("<{ids}>")
}

/// Advance of `s` at `size` points.
fn width(s: &str, size: f32) -> f32 {
    let face = face();
    let units: f32 = s
        .chars()
        .map(|c| {
            f32::from(
                face.glyph_hor_advance(face.glyph_index(c).unwrap())
                    .unwrap(),
            )
        })
        .sum();
    units / f32::from(face.units_per_em()) * size
}

fn text(content: &str) -> String {
    match extract(Kind::Pdf, &with_content(content), &Limits::default()) {
        Text::Found(t) => t,
        other => panic!("{other:?}"),
    }
}

#[test]
fn moves_down_inside_one_text_object_are_line_breaks() {
    let content = format!(
        "BT /F1 11 Tf 14 TL 56 700 Td {} Tj 0 -14 Td {} Tj T* {} Tj ET",
        hex("xử lý phản ánh, kiến nghị ban"),
        hex("hành Quy chế"),
        hex("tiếp nhận")
    );
    assert_eq!(
        text(&content),
        "xử lý phản ánh, kiến nghị ban\nhành Quy chế\ntiếp nhận"
    );
}

#[test]
fn a_move_before_every_glyph_keeps_words_whole() {
    let mut content = String::from("BT /F1 11 Tf 56 700 Td ");
    let mut previous = None;
    for word in ["Quyết", "định"] {
        for c in word.chars() {
            if let Some(p) = previous {
                content.push_str(&format!("{} 0 Td ", width(p, 11.0)));
            }
            content.push_str(&format!("{} Tj ", hex(&c.to_string())));
            previous = Some(c.to_string().leak());
        }
        // The space is a gap, not a glyph.
        content.push_str(&format!("{} 0 Td ", width(previous.unwrap(), 11.0) + 3.5));
        previous = None;
    }
    content.push_str("ET");
    assert_eq!(text(&content), "Quyết định");
}

#[test]
fn word_gaps_in_tj_are_spaces_and_kerning_is_not() {
    let content = format!(
        "BT /F1 11 Tf 56 700 Td [{} -30 {} -320 {} -300 {}] TJ ET",
        hex("Quy"),
        hex("ết"),
        hex("định"),
        hex("về")
    );
    assert_eq!(text(&content), "Quyết định về");
}

#[test]
fn text_matrix_per_line_and_per_word() {
    let content = format!(
        "BT /F1 11 Tf 1 0 0 1 56 700 Tm {} Tj 1 0 0 1 {} 700 Tm {} Tj 1 0 0 1 56 686 Tm {} Tj ET",
        hex("ban"),
        56.0 + width("ban ", 11.0),
        hex("hành"),
        hex("Quy chế")
    );
    assert_eq!(text(&content), "ban hành\nQuy chế");
}
