//! Zip-based office files (OOXML and ODF): which one, whether it carries macros, and
//! whether it unpacks to something sane.

use crate::bounded::{self, Archive, EntryError};
use crate::{Kind, Limits, Refusal};
use std::io::Cursor;

/// Entries below this size are not judged by their ratio: a few kilobytes of repetitive
/// XML (empty styled cells) legitimately compress hundreds of times.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// Cap on the small entries read to decide the type (`[Content_Types].xml`, `mimetype`).
const SMALL_ENTRY: u64 = 1024 * 1024;

const ODF: [(&str, Kind); 3] = [
    ("application/vnd.oasis.opendocument.text", Kind::Odt),
    ("application/vnd.oasis.opendocument.spreadsheet", Kind::Ods),
    ("application/vnd.oasis.opendocument.presentation", Kind::Odp),
];

pub(crate) fn open(bytes: &[u8]) -> Result<Archive<'_>, Refusal> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Refusal::Corrupt(format!("zip: {e}")))
}

/// Decides the kind of a zip upload from its directory and small entries, refusing macros
/// and what the directory declares of bombs. [`verify`] then unpacks it for real.
pub(crate) fn identify(bytes: &[u8], limits: &Limits) -> Result<Kind, Refusal> {
    if let Some(count) = declared_count(bytes)
        && count > limits.max_entries
    {
        return Err(Refusal::ZipBomb(format!(
            "directory declares {count} entries, max {}",
            limits.max_entries
        )));
    }
    let mut archive = open(bytes)?;
    if archive.len() > limits.max_entries {
        return Err(Refusal::ZipBomb(format!(
            "{} entries, max {}",
            archive.len(),
            limits.max_entries
        )));
    }
    let names = declared(&mut archive, limits)?;
    let kind = if names.iter().any(|n| n == "mimetype") {
        odf(&mut archive, &names)?
    } else if names.iter().any(|n| n == "[Content_Types].xml") {
        ooxml(&mut archive, &names)?
    } else if names
        .iter()
        .any(|n| n.starts_with("word/") || n.starts_with("xl/") || n.starts_with("ppt/"))
    {
        return Err(Refusal::Corrupt(
            "OOXML without [Content_Types].xml".to_owned(),
        ));
    } else {
        return Err(Refusal::Unsupported("ZIP".to_owned()));
    };
    Ok(kind)
}

/// Unpacks every entry into nothing, bounded: the declared sizes passed, now make sure they
/// were true (and that every CRC matches).
pub(crate) fn verify(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    let mut archive = open(bytes)?;
    match bounded::unpacked_total(&mut archive, limits.max_unpacked) {
        Ok(_) => Ok(()),
        Err(EntryError::TooBig) => Err(Refusal::ZipBomb(format!(
            "really unpacks to more than {} bytes",
            limits.max_unpacked
        ))),
        Err(EntryError::Broken(why)) => Err(Refusal::Corrupt(why)),
    }
}

/// The entry count the end-of-directory record declares, read before the zip crate builds
/// its table of every entry (a 20 MB zip may list a few hundred thousand empty ones). `None`
/// when there is no record or it defers to zip64; the count after opening still applies.
fn declared_count(bytes: &[u8]) -> Option<usize> {
    // The record is 22 bytes plus a comment of at most 65535.
    let tail = &bytes[bytes.len().saturating_sub(22 + 65535)..];
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let count = tail.get(at + 10..at + 12)?;
    let count = u16::from_le_bytes([count[0], count[1]]);
    (count != u16::MAX).then_some(usize::from(count))
}

/// The entry names, after checking what the central directory declares: total size, and
/// the compression ratio of each large entry.
fn declared(archive: &mut Archive<'_>, limits: &Limits) -> Result<Vec<String>, Refusal> {
    let mut names = Vec::with_capacity(archive.len());
    let mut total = 0u64;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| Refusal::Corrupt(format!("zip entry {i}: {e}")))?;
        let name = entry
            .name()
            .map_err(|e| Refusal::Corrupt(format!("zip entry {i} name: {e}")))?
            .into_owned();
        if entry.encrypted() {
            return Err(Refusal::Protected(format!("zip entry {name} is encrypted")));
        }
        let size = entry.size();
        total = total.saturating_add(size);
        if total > limits.max_unpacked {
            return Err(Refusal::ZipBomb(format!(
                "declares {total}+ bytes unpacked, max {}",
                limits.max_unpacked
            )));
        }
        if size > RATIO_FLOOR && size / entry.compressed_size().max(1) > limits.max_ratio {
            return Err(Refusal::ZipBomb(format!(
                "{name}: {size} bytes from {}, ratio over {}",
                entry.compressed_size(),
                limits.max_ratio
            )));
        }
        names.push(name);
    }
    Ok(names)
}

fn small_entry(archive: &mut Archive<'_>, name: &str) -> Result<Vec<u8>, Refusal> {
    bounded::read_entry(archive, name, SMALL_ENTRY).map_err(|e| match e {
        EntryError::TooBig => Refusal::ZipBomb(format!("{name} over {SMALL_ENTRY} bytes")),
        EntryError::Broken(why) => Refusal::Corrupt(why),
    })
}

fn ooxml(archive: &mut Archive<'_>, names: &[String]) -> Result<Kind, Refusal> {
    let types = small_entry(archive, "[Content_Types].xml")?;
    let types = String::from_utf8_lossy(&types).to_ascii_lowercase();
    let guess = if types.contains("wordprocessingml") || types.contains("ms-word") {
        Kind::Docx
    } else if types.contains("spreadsheetml") || types.contains("ms-excel") {
        Kind::Xlsx
    } else {
        Kind::Pptx
    };
    // The main part's type carries "macroEnabled" for .docm/.xlsm/.pptm/.dotm; the VBA
    // project itself may sit under any name, but its content type and usual name give it away.
    if types.contains("macroenabled") || types.contains("vbaproject") {
        return Err(Refusal::MacroEnabled {
            kind: guess,
            detail: "[Content_Types].xml declares macros".to_owned(),
        });
    }
    if let Some(vba) = names
        .iter()
        .find(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"))
    {
        return Err(Refusal::MacroEnabled {
            kind: guess,
            detail: vba.clone(),
        });
    }
    const MAIN: [(&str, Kind); 3] = [
        ("wordprocessingml.document.main+xml", Kind::Docx),
        ("spreadsheetml.sheet.main+xml", Kind::Xlsx),
        ("presentationml.presentation.main+xml", Kind::Pptx),
    ];
    MAIN.iter()
        .find(|(t, _)| types.contains(t))
        .map(|&(_, kind)| kind)
        .ok_or_else(|| Refusal::Unsupported("OOXML (mẫu hoặc loại khác)".to_owned()))
}

fn odf(archive: &mut Archive<'_>, names: &[String]) -> Result<Kind, Refusal> {
    // ODF requires `mimetype` first and stored, so its value sits at a fixed offset; a zip
    // that breaks the rule is not a file LibreOffice wrote.
    if names.first().map(String::as_str) != Some("mimetype") {
        return Err(Refusal::Corrupt(
            "ODF mimetype is not the first entry".to_owned(),
        ));
    }
    let mime = small_entry(archive, "mimetype")?;
    let mime = String::from_utf8_lossy(&mime);
    let mime = mime.trim();
    let kind = ODF
        .iter()
        .find(|(m, _)| *m == mime)
        .map(|&(_, k)| k)
        .ok_or_else(|| {
            if mime.starts_with("application/vnd.oasis.opendocument.") {
                Refusal::Unsupported(format!("OpenDocument {mime}"))
            } else {
                Refusal::Corrupt(format!("ODF mimetype {mime:?}"))
            }
        })?;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| Refusal::Corrupt(format!("zip entry {i}: {e}")))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        // LibreOffice writes the library lists (`script-lc.xml`, `dialog-lc.xml`) even when
        // they are empty; a module file under them is a macro.
        let scripted = name.starts_with("Basic/") || name.starts_with("Scripts/");
        let list = name.ends_with("-lc.xml") || name.ends_with("-lb.xml");
        if scripted && !list && !entry.is_dir() && entry.size() > 0 {
            return Err(Refusal::MacroEnabled { kind, detail: name });
        }
    }
    Ok(kind)
}
