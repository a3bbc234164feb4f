//! Office files that are zips of XML: DOCX, XLSX, ODT, ODS, written from minimal templates.

use std::fmt::Write as _;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// A Word document: `title` as a bold heading, then one paragraph per entry.
pub fn docx(title: &str, paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    let _ = write!(
        body,
        r#"<w:p><w:r><w:rPr><w:b/><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
        escape(title)
    );
    for p in paragraphs {
        let _ = write!(
            body,
            r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            escape(p)
        );
    }
    let document = format!(
        r#"{XML_DECL}<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    let types = format!(
        r#"{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
    );
    let rels = format!(
        r#"{XML_DECL}<Relationships xmlns="{REL}"><Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="word/document.xml"/></Relationships>"#
    );
    zipped(&[
        ("[Content_Types].xml", &types),
        ("_rels/.rels", &rels),
        ("word/document.xml", &document),
    ])
}

/// An Excel workbook with one sheet ("Trang tính 1"), every cell an inline string.
pub fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| r.iter().map(|c| Cell::Text(c.clone())).collect())
        .collect();
    xlsx_sheet("Trang tính 1", &rows)
}

/// A spreadsheet cell: text, or a whole number that stays a number in Excel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(i64),
}

/// An Excel workbook with one sheet named `name` (cut to Excel's 31 characters, without the
/// characters Excel refuses there).
pub fn xlsx_sheet(name: &str, rows: &[Vec<Cell>]) -> Vec<u8> {
    let name: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        let _ = write!(data, r#"<row r="{}">"#, r + 1);
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column(c), r + 1);
            let _ = match cell {
                Cell::Text(t) => write!(
                    data,
                    r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    escape(t)
                ),
                Cell::Number(n) => write!(data, r#"<c r="{at}"><v>{n}</v></c>"#),
            };
        }
        data.push_str("</row>");
    }
    let sheet = format!(
        r#"{XML_DECL}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
    );
    let workbook = format!(
        r#"{XML_DECL}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{DOC_REL}"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        escape(&name)
    );
    let types = format!(
        r#"{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
    );
    let rels = format!(
        r#"{XML_DECL}<Relationships xmlns="{REL}"><Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook_rels = format!(
        r#"{XML_DECL}<Relationships xmlns="{REL}"><Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
    );
    zipped(&[
        ("[Content_Types].xml", &types),
        ("_rels/.rels", &rels),
        ("xl/workbook.xml", &workbook),
        ("xl/_rels/workbook.xml.rels", &workbook_rels),
        ("xl/worksheets/sheet1.xml", &sheet),
    ])
}

const ODF_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3""#;

/// An OpenDocument text: `title` as a heading, then one paragraph per entry.
pub fn odt(title: &str, paragraphs: &[&str]) -> Vec<u8> {
    let mut body = format!(
        r#"<text:h text:outline-level="1">{}</text:h>"#,
        escape(title)
    );
    for p in paragraphs {
        let _ = write!(body, "<text:p>{}</text:p>", escape(p));
    }
    let content = format!(
        r#"{XML_DECL}<office:document-content {ODF_NS}><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    odf("application/vnd.oasis.opendocument.text", &content)
}

/// An OpenDocument spreadsheet with one sheet, every cell a string.
pub fn ods(rows: &[Vec<String>]) -> Vec<u8> {
    let mut table = String::new();
    for row in rows {
        table.push_str("<table:table-row>");
        for cell in row {
            let _ = write!(
                table,
                r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                escape(cell)
            );
        }
        table.push_str("</table:table-row>");
    }
    let content = format!(
        r#"{XML_DECL}<office:document-content {ODF_NS}><office:body><office:spreadsheet><table:table table:name="Trang tính 1">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    odf("application/vnd.oasis.opendocument.spreadsheet", &content)
}

fn odf(mime: &str, content: &str) -> Vec<u8> {
    let manifest = format!(
        r#"{XML_DECL}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="{mime}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#
    );
    // ODF wants `mimetype` first and stored, so it can be read at a fixed offset.
    zipped(&[
        ("mimetype", mime),
        ("META-INF/manifest.xml", &manifest),
        ("content.xml", content),
    ])
}

/// The entries zipped in order (deflated, except `mimetype`). Writing into a `Vec` cannot
/// fail; should the zip crate still report an error, the result is empty rather than a panic.
fn zipped(entries: &[(&str, &str)]) -> Vec<u8> {
    let write = || -> zip::result::ZipResult<Vec<u8>> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in entries {
            let method = if *name == "mimetype" {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            zip.start_file(
                *name,
                SimpleFileOptions::default().compression_method(method),
            )?;
            zip.write_all(text.as_bytes())?;
        }
        Ok(zip.finish()?.into_inner())
    };
    write().unwrap_or_default()
}

/// `A`, `B`, …, `Z`, `AA`, …: the column part of a cell reference.
fn column(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + u8::try_from(index % 26).unwrap_or(0)));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// Text as XML character data: markup escaped, characters XML 1.0 forbids dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_spelled_like_excel() {
        assert_eq!(column(0), "A");
        assert_eq!(column(25), "Z");
        assert_eq!(column(26), "AA");
        assert_eq!(column(27), "AB");
        assert_eq!(column(701), "ZZ");
        assert_eq!(column(702), "AAA");
    }

    #[test]
    fn escape_keeps_text_and_drops_what_xml_cannot_hold() {
        assert_eq!(escape("a<b>&\"c'\u{1}đ"), "a&lt;b&gt;&amp;&quot;c&apos;đ");
    }
}
