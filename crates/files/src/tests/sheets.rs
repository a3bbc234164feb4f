//! Spreadsheets built to make a reader lay out billions of cells: read anyway, or refused
//! to read, but never laid out.

#![allow(clippy::unwrap_used)]

use super::fixtures::{self, DOCX_TYPES};
use crate::{Kind, Limits, Text, check, extract, make};
use std::time::{Duration, Instant};

fn quickly(kind: Kind, bytes: &[u8]) -> Text {
    let start = Instant::now();
    let text = extract(kind, bytes, &Limits::default());
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    text
}

#[test]
fn xlsx_with_cells_in_opposite_corners_is_read_cell_by_cell() {
    let mut entries = fixtures::entries_of(&make::xlsx(&[vec!["góc trên".to_owned()]]));
    let sheet = entries
        .iter_mut()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .unwrap();
    sheet.1 = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>góc trên</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>góc dưới</t></is></c></row></sheetData></worksheet>"#.as_bytes().to_vec();
    let bytes = fixtures::rezip(&entries);
    assert_eq!(check(&bytes, &Limits::default()).unwrap().kind, Kind::Xlsx);
    assert_eq!(
        quickly(Kind::Xlsx, &bytes),
        Text::Found("góc trên\ngóc dưới".to_owned())
    );
}

#[test]
fn ods_repeat_counts_are_not_expanded() {
    let mut entries = fixtures::entries_of(&make::ods(&[]));
    let content = entries
        .iter_mut()
        .find(|(n, _)| n == "content.xml")
        .unwrap();
    content.1 = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table table:name="T"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>lặp &amp; lặp</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#.as_bytes().to_vec();
    let bytes = fixtures::rezip(&entries);
    assert_eq!(check(&bytes, &Limits::default()).unwrap().kind, Kind::Ods);
    assert_eq!(
        quickly(Kind::Ods, &bytes),
        Text::Found("lặp & lặp".to_owned())
    );
}

#[test]
fn xls_spanning_the_whole_grid_is_not_laid_out() {
    let mut xls = include_bytes!("data/bang-tinh.xls").to_vec();
    // The RK record of cell (1, 0), moved to the last row and column BIFF8 allows.
    let rk = b"\x7e\x02\x0a\x00\x01\x00\x00\x00";
    let at = xls.windows(rk.len()).position(|w| w == rk).unwrap();
    xls[at + 4..at + 8].copy_from_slice(b"\xff\xff\xff\x00");
    assert_eq!(check(&xls, &Limits::default()).unwrap().kind, Kind::Xls);
    match quickly(Kind::Xls, &xls) {
        Text::Unreadable(why) => assert!(why.contains("cells"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn docx_types_fixture_is_a_docx() {
    // Keeps DOCX_TYPES honest: the bomb tests rely on it naming a Word main part.
    let bytes = fixtures::zip_of(&[
        ("[Content_Types].xml", DOCX_TYPES.as_bytes()),
        ("word/document.xml", b"<w:document xmlns:w=\"w\"/>"),
    ]);
    assert_eq!(check(&bytes, &Limits::default()).unwrap().kind, Kind::Docx);
}

#[test]
fn xlsx_with_a_huge_shared_string_table_is_not_handed_to_calamine() {
    let mut entries = fixtures::entries_of(&make::xlsx(&[vec!["a".to_owned()]]));
    let mut strings = String::from("<sst>");
    while strings.len() < 33 * 1024 * 1024 {
        strings.push_str("<si/><si/><si/><si/><si/><si/><si/><si/>");
    }
    strings.push_str("</sst>");
    entries.push(("xl/sharedStrings.xml".to_owned(), strings.into_bytes()));
    let bytes = fixtures::rezip(&entries);
    match quickly(Kind::Xlsx, &bytes) {
        Text::Unreadable(why) => assert!(why.contains("sharedStrings"), "{why}"),
        other => panic!("{other:?}"),
    }
}
