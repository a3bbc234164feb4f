//! Reading zip entries without trusting their declared sizes.

use std::io::{Cursor, Read};
use zip::ZipArchive;

pub(crate) type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// Why an entry could not be read.
#[derive(Debug)]
pub(crate) enum EntryError {
    /// It decompresses to more than the cap allowed.
    TooBig,
    /// Missing, or damaged (bad deflate data, CRC mismatch).
    Broken(String),
}

/// The entry's bytes, reading at most `cap` + 1 of them whatever its header claims: a
/// crafted header may declare a kilobyte in front of a gigabyte of deflate.
pub(crate) fn read_entry(
    archive: &mut Archive<'_>,
    name: &str,
    cap: u64,
) -> Result<Vec<u8>, EntryError> {
    let entry = archive
        .by_name(name)
        .map_err(|e| EntryError::Broken(format!("{name}: {e}")))?;
    let mut out = Vec::new();
    entry
        .take(cap.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| EntryError::Broken(format!("{name}: {e}")))?;
    if u64::try_from(out.len()).unwrap_or(u64::MAX) > cap {
        return Err(EntryError::TooBig);
    }
    Ok(out)
}

/// Decompresses every entry into nothing, stopping once `cap` bytes in total came out;
/// returns the real total. This is what makes the declared sizes checkable.
pub(crate) fn unpacked_total(archive: &mut Archive<'_>, cap: u64) -> Result<u64, EntryError> {
    let mut total = 0u64;
    let mut sink = [0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| EntryError::Broken(format!("entry {i}: {e}")))?;
        loop {
            let n = entry
                .read(&mut sink)
                .map_err(|e| EntryError::Broken(format!("entry {i}: {e}")))?;
            if n == 0 {
                break;
            }
            total = total.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
            if total > cap {
                return Err(EntryError::TooBig);
            }
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn archive_of(bytes: &[u8]) -> Archive<'_> {
        ZipArchive::new(Cursor::new(bytes)).unwrap()
    }

    #[test]
    fn reading_stops_at_the_cap_whatever_the_header_says() {
        let docx = crate::make::docx("Tiêu đề", &["nội dung ".repeat(500).as_str()]);
        let mut archive = archive_of(&docx);
        let size = archive.by_name("word/document.xml").unwrap().size();
        assert!(matches!(
            read_entry(&mut archive, "word/document.xml", size - 1),
            Err(EntryError::TooBig)
        ));
        assert_eq!(
            read_entry(&mut archive, "word/document.xml", size)
                .unwrap()
                .len() as u64,
            size
        );
        assert!(matches!(
            read_entry(&mut archive, "word/missing.xml", size),
            Err(EntryError::Broken(_))
        ));
    }

    #[test]
    fn unpacked_total_counts_real_bytes_and_stops_at_the_cap() {
        let docx = crate::make::docx("Tiêu đề", &["nội dung ".repeat(500).as_str()]);
        let mut archive = archive_of(&docx);
        let total = unpacked_total(&mut archive, u64::MAX).unwrap();
        let declared: u64 = (0..archive.len())
            .map(|i| archive.by_index_raw(i).unwrap().size())
            .sum();
        assert_eq!(total, declared);
        assert!(matches!(
            unpacked_total(&mut archive, total - 1),
            Err(EntryError::TooBig)
        ));
    }
}
