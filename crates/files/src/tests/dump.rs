//! Writes the makers' output to $CONG_FILES_DUMP for checking with other programs (ignored).

use super::fixtures::{SENTENCE, TITLE, rows};
use crate::make;

#[test]
#[ignore = "writes files for a manual check with pdftotext, LibreOffice, openpyxl"]
fn dump_made_files() {
    let Ok(dir) = std::env::var("CONG_FILES_DUMP") else {
        return;
    };
    let long = SENTENCE.repeat(8);
    let paras: Vec<&str> = std::iter::repeat_n(long.as_str(), 12).collect();
    for (name, bytes) in [
        ("a.pdf", make::pdf(TITLE, &paras)),
        ("scan.pdf", make::pdf_without_text()),
        ("a.docx", make::docx(TITLE, &[SENTENCE])),
        ("a.odt", make::odt(TITLE, &[SENTENCE])),
        ("a.xlsx", make::xlsx(&rows())),
        ("a.ods", make::ods(&rows())),
    ] {
        std::fs::write(format!("{dir}/{name}"), bytes).ok();
    }
}
