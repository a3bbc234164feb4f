//! Accepted files: the kind comes from the bytes and the text comes back, marks and all.

#![allow(clippy::unwrap_used)]

use super::fixtures::{self, SENTENCE, TITLE, ole, rows};
use crate::{Kind, Limits, Text, check, extract, make};
use unicode_normalization::UnicodeNormalization;

fn found(kind: Kind, bytes: &[u8]) -> String {
    let checked = check(bytes, &Limits::default()).unwrap();
    assert_eq!(checked.kind, kind);
    assert_eq!(checked.bytes, bytes.len() as u64);
    assert_eq!(checked.hash, blake3::hash(bytes).to_hex().to_string());
    match extract(kind, bytes, &Limits::default()) {
        Text::Found(text) => {
            assert!(text.nfc().eq(text.chars()), "NFC: {text}");
            text
        }
        other => panic!("{kind:?}: {other:?}"),
    }
}

#[test]
fn pdf_text_comes_back_with_its_marks() {
    let bytes = make::pdf(
        TITLE,
        &[SENTENCE, "Điều 1. Phạm vi điều chỉnh: ỹ Ỵ ự ằ ẳ ẵ ậ."],
    );
    assert!(bytes.starts_with(b"%PDF-"));
    let text = found(Kind::Pdf, &bytes);
    assert!(text.contains(SENTENCE), "{text}");
    assert!(text.contains(TITLE), "{text}");
    assert!(text.contains("ỹ Ỵ ự ằ ẳ ẵ ậ"), "{text}");
}

#[test]
fn long_pdf_wraps_onto_several_pages() {
    let para = SENTENCE.repeat(6);
    let paras: Vec<&str> = std::iter::repeat_n(para.as_str(), 30).collect();
    let mut paras = paras;
    paras.push("Nơi nhận: Như Điều 3; Lưu: VT.");
    let bytes = make::pdf(TITLE, &paras);
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    assert!(doc.get_pages().len() > 2, "{} pages", doc.get_pages().len());
    let text = found(Kind::Pdf, &bytes);
    assert!(text.contains("Nơi nhận: Như Điều 3; Lưu: VT."), "{text}");
    // Wrapped lines come back as lines; the words themselves are intact.
    assert!(text.contains("tiếp nhận"), "{text}");
}

#[test]
fn pdf_without_text_layer_has_no_text() {
    let bytes = make::pdf_without_text();
    assert_eq!(check(&bytes, &Limits::default()).unwrap().kind, Kind::Pdf);
    assert_eq!(extract(Kind::Pdf, &bytes, &Limits::default()), Text::None);
}

#[test]
fn docx_text_comes_back() {
    let bytes = make::docx(TITLE, &[SENTENCE, "Điều 2. <Hiệu lực> & \"thi hành\"."]);
    let text = found(Kind::Docx, &bytes);
    assert_eq!(
        text,
        format!("{TITLE}\n{SENTENCE}\nĐiều 2. <Hiệu lực> & \"thi hành\".")
    );
}

#[test]
fn odt_text_comes_back() {
    let bytes = make::odt(TITLE, &[SENTENCE, "Điều 2. Hiệu lực & thi hành."]);
    let text = found(Kind::Odt, &bytes);
    assert_eq!(
        text,
        format!("{TITLE}\n{SENTENCE}\nĐiều 2. Hiệu lực & thi hành.")
    );
}

#[test]
fn xlsx_cells_come_back_row_by_row() {
    let bytes = make::xlsx(&rows());
    let text = found(Kind::Xlsx, &bytes);
    assert!(
        text.contains(&format!("1 | {SENTENCE} | 15 ngày làm việc")),
        "{text}"
    );
    assert!(
        text.starts_with("STT | Thủ tục | Thời hạn giải quyết\n"),
        "{text}"
    );
}

#[test]
fn ods_cells_come_back_row_by_row() {
    let bytes = make::ods(&rows());
    let text = found(Kind::Ods, &bytes);
    assert!(
        text.contains(&format!("1 | {SENTENCE} | 15 ngày làm việc")),
        "{text}"
    );
    assert!(text.contains("khoa học & công nghệ"), "{text}");
}

#[test]
fn decomposed_input_comes_back_composed() {
    let nfd: String = SENTENCE.nfd().collect();
    assert_ne!(nfd, SENTENCE);
    let bytes = make::docx("Tiêu đề", &[&nfd]);
    let text = found(Kind::Docx, &bytes);
    assert!(text.contains(SENTENCE), "{text}");
}

#[test]
fn text_is_capped_at_max_text_characters() {
    let limits = Limits {
        max_text: 30,
        ..Limits::default()
    };
    for (kind, bytes) in [
        (Kind::Docx, make::docx(TITLE, &[SENTENCE])),
        (Kind::Pdf, make::pdf(TITLE, &[SENTENCE])),
        (Kind::Ods, make::ods(&rows())),
    ] {
        match extract(kind, &bytes, &limits) {
            Text::Found(t) => assert!(t.chars().count() <= 30, "{kind:?}: {t}"),
            other => panic!("{kind:?}: {other:?}"),
        }
    }
}

#[test]
fn empty_documents_have_no_text() {
    assert_eq!(
        extract(Kind::Docx, &make::docx("", &[]), &Limits::default()),
        Text::None
    );
    assert_eq!(
        extract(Kind::Ods, &make::ods(&[]), &Limits::default()),
        Text::None
    );
}

#[test]
fn legacy_office_without_macros_is_accepted() {
    let doc = ole(&["WordDocument", "1Table", "\u{5}SummaryInformation"]);
    assert_eq!(check(&doc, &Limits::default()).unwrap().kind, Kind::Doc);
    // Not a real WordDocument stream: the text reader says so rather than panicking.
    assert!(matches!(
        extract(Kind::Doc, &doc, &Limits::default()),
        Text::Unreadable(_)
    ));
    let xls = ole(&["Workbook"]);
    assert_eq!(check(&xls, &Limits::default()).unwrap().kind, Kind::Xls);
    // Not a real workbook stream: calamine fails, and says so rather than panicking.
    assert!(matches!(
        extract(Kind::Xls, &xls, &Limits::default()),
        Text::Unreadable(_) | Text::None
    ));
    let ppt = ole(&["PowerPoint Document", "Current User"]);
    assert_eq!(check(&ppt, &Limits::default()).unwrap().kind, Kind::Ppt);
}

#[test]
fn legacy_word_text_comes_from_its_piece_table() {
    let doc = include_bytes!("data/van-ban.doc");
    assert_eq!(found(Kind::Doc, doc), format!("{TITLE}\n{SENTENCE}"));
}

#[test]
fn legacy_excel_is_read_with_calamine() {
    let xls = include_bytes!("data/bang-tinh.xls");
    let text = found(Kind::Xls, xls);
    assert_eq!(text, format!("STT | Nội dung\n1 | {SENTENCE}"));
}

#[test]
fn docx_headers_and_footers_are_read_after_the_body() {
    let mut entries = fixtures::entries_of(&make::docx(TITLE, &[SENTENCE]));
    let part = |t: &str| {
        format!(r#"<w:hdr xmlns:w="w"><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:hdr>"#).into_bytes()
    };
    entries.push(("word/header1.xml".to_owned(), part("Ủy ban nhân dân tỉnh")));
    entries.push(("word/footer1.xml".to_owned(), part("Trang 1")));
    let text = found(Kind::Docx, &fixtures::rezip(&entries));
    assert_eq!(
        text,
        format!("{TITLE}\n{SENTENCE}\nỦy ban nhân dân tỉnh\nTrang 1")
    );
}

#[test]
fn pptx_and_odp_are_recognised_and_read() {
    let slide = |t: &str| {
        format!(
            r#"<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{t}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
    };
    let types = r#"<Types><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>"#;
    let (s1, s2, s10) = (slide("Trang một"), slide("Trang hai"), slide("Trang mười"));
    let pptx = fixtures::zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("ppt/presentation.xml", b"<p:presentation/>"),
        ("ppt/slides/slide10.xml", s10.as_bytes()),
        ("ppt/slides/slide2.xml", s2.as_bytes()),
        ("ppt/slides/slide1.xml", s1.as_bytes()),
    ]);
    assert_eq!(found(Kind::Pptx, &pptx), "Trang một\nTrang hai\nTrang mười");

    let mut odp = fixtures::entries_of(&make::odt(TITLE, &[SENTENCE]));
    odp[0].1 = b"application/vnd.oasis.opendocument.presentation".to_vec();
    let odp = fixtures::rezip(&odp);
    assert!(found(Kind::Odp, &odp).contains(SENTENCE));
}

#[test]
fn odf_with_empty_library_lists_is_not_macro_enabled() {
    // LibreOffice writes these lists even for documents without a single macro.
    let mut entries = fixtures::entries_of(&make::odt(TITLE, &[SENTENCE]));
    entries.push((
        "Basic/script-lc.xml".to_owned(),
        b"<library:libraries/>".to_vec(),
    ));
    entries.push(("Configurations2/".to_owned(), Vec::new()));
    let bytes = fixtures::rezip(&entries);
    assert_eq!(check(&bytes, &Limits::default()).unwrap().kind, Kind::Odt);
}

#[test]
fn kinds_round_trip_through_their_stored_names() {
    for kind in Kind::ALL {
        assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        assert_eq!(kind.ext(), kind.as_str());
        assert!(kind.mime().starts_with("application/"));
        assert!(!kind.label().is_empty());
    }
    assert_eq!(Kind::parse("exe"), None);
    assert_eq!(Kind::Xlsx.label(), "Excel");
}

#[test]
fn junk_before_the_pdf_header_is_tolerated() {
    let mut bytes = b"\r\n\xEF\xBB\xBF  ".to_vec();
    bytes.extend(make::pdf(TITLE, &[SENTENCE]));
    assert_eq!(check(&bytes, &Limits::default()).unwrap().kind, Kind::Pdf);
}
