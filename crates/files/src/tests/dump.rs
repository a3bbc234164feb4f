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

/// Checks every file in $CONG_FILES_CHECK and prints what `check` and `extract` say.
#[test]
#[ignore = "reads files from outside the crate for a manual check"]
fn check_files_in_a_folder() {
    let Ok(dir) = std::env::var("CONG_FILES_CHECK") else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let limits = crate::Limits::default();
    for entry in entries.flatten() {
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        match crate::check(&bytes, &limits) {
            Ok(c) => {
                let text = crate::extract(c.kind, &bytes, &limits);
                eprintln!("{name}: {:?} {text:?}", c.kind);
            }
            Err(r) => eprintln!("{name}: refused {r:?}: {r}"),
        }
    }
}
