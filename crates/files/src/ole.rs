//! Legacy Office files (OLE compound files): which one, and whether they carry macros.
//!
//! The directory is read with the `cfb` crate; a macro lives in a storage whose name gives
//! it away (`Macros` in Word, `_VBA_PROJECT_CUR` in Excel, `VBA` inside either).

use crate::{Kind, Refusal};
use std::io::Cursor;

const MACRO_STORAGES: [&str; 4] = ["macros", "_vba_project_cur", "vba", "_vba_project"];

pub(crate) fn check(bytes: &[u8]) -> Result<Kind, Refusal> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Refusal::Corrupt(format!("OLE: {e}")))?;
    let mut kind = None;
    let mut encrypted = false;
    let mut macros = None;
    for entry in file.walk() {
        let name = entry.name().to_ascii_lowercase();
        match name.as_str() {
            "worddocument" => kind = kind.or(Some(Kind::Doc)),
            "workbook" | "book" => kind = kind.or(Some(Kind::Xls)),
            "powerpoint document" => kind = kind.or(Some(Kind::Ppt)),
            "encryptedpackage" | "encryptioninfo" => encrypted = true,
            n if MACRO_STORAGES.contains(&n) => {
                macros = macros.or_else(|| Some(entry.path().display().to_string()));
            }
            _ => {}
        }
    }
    if encrypted {
        // A password-protected .docx/.xlsx is an OLE file wrapping the encrypted zip.
        return Err(Refusal::Protected("OLE EncryptedPackage".to_owned()));
    }
    let Some(kind) = kind else {
        return Err(Refusal::Unsupported(
            "OLE (không phải Word/Excel/PowerPoint)".to_owned(),
        ));
    };
    match macros {
        Some(detail) => Err(Refusal::MacroEnabled { kind, detail }),
        None => Ok(kind),
    }
}
