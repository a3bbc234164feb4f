//! Text of Word 97–2003 files (.doc): the pieces the document's piece table points at.
//!
//! Only the main text is read (headers, footnotes and text boxes follow it in the same
//! stream but are cut off at the main text's length); field codes are skipped and their
//! results kept.

use crate::tidy::{has_words, tidy};
use crate::{Limits, Text};
use std::io::{Cursor, Read};

/// Offsets in the FIB (File Information Block) at the start of the WordDocument stream.
const FIB_IDENT: usize = 0x00;
const FIB_FLAGS: usize = 0x0A;
const FIB_CCP_TEXT: usize = 0x004C;
const FIB_FC_CLX: usize = 0x01A2;
const FIB_LCB_CLX: usize = 0x01A6;
const WORD_MAGIC: u16 = 0xA5EC;
const FLAG_ENCRYPTED: u16 = 0x0100;
const FLAG_TABLE_1: u16 = 0x0200;

pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Text {
    match read(bytes, limits) {
        Ok(raw) if has_words(&raw) => Text::Found(tidy(&raw, limits.max_text)),
        Ok(_) => Text::None,
        Err(why) => Text::Unreadable(why),
    }
}

fn stream(file: &mut cfb::CompoundFile<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    file.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut data))
        .map_err(|e| format!("{name}: {e}"))?;
    Ok(data)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn usize_at(b: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u32_at(b, at)?).ok()
}

fn read(bytes: &[u8], limits: &Limits) -> Result<String, String> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let word = stream(&mut file, "WordDocument")?;
    if u16_at(&word, FIB_IDENT) != Some(WORD_MAGIC) {
        return Err("not a Word 97 FIB".to_owned());
    }
    let flags = u16_at(&word, FIB_FLAGS).ok_or("short FIB")?;
    if flags & FLAG_ENCRYPTED != 0 {
        return Err("mã hóa".to_owned());
    }
    let table = stream(
        &mut file,
        if flags & FLAG_TABLE_1 != 0 {
            "1Table"
        } else {
            "0Table"
        },
    )?;
    let main_chars = usize_at(&word, FIB_CCP_TEXT).ok_or("short FIB")?;
    let (fc_clx, lcb_clx) = (
        usize_at(&word, FIB_FC_CLX).ok_or("short FIB")?,
        usize_at(&word, FIB_LCB_CLX).ok_or("short FIB")?,
    );
    let clx = table
        .get(fc_clx..fc_clx.saturating_add(lcb_clx))
        .ok_or("Clx outside the table stream")?;
    let plc = piece_table(clx).ok_or("no piece table")?;

    let n = (plc.len().saturating_sub(4)) / 12;
    let budget = limits.max_text.saturating_mul(4).min(main_chars);
    let mut out = String::new();
    let mut in_field_code = 0usize;
    let mut taken = 0usize;
    for i in 0..n {
        let (start, end) = (
            usize_at(plc, i * 4).ok_or("cp")?,
            usize_at(plc, i * 4 + 4).ok_or("cp")?,
        );
        let len = end.saturating_sub(start).min(budget.saturating_sub(taken));
        if len == 0 {
            continue;
        }
        taken += len;
        let pcd = (n + 1) * 4 + i * 8;
        let fc = u32_at(plc, pcd + 2).ok_or("pcd")?;
        let chars: Vec<char> = if fc & 0x4000_0000 != 0 {
            // "Compressed": one byte per character, Windows-1252.
            let at = usize::try_from((fc & !0x4000_0000) / 2).map_err(|e| e.to_string())?;
            let raw = word
                .get(at..at.saturating_add(len))
                .ok_or("piece outside the stream")?;
            raw.iter().map(|&b| cp1252(b)).collect()
        } else {
            let at = usize::try_from(fc).map_err(|e| e.to_string())?;
            let raw = word
                .get(at..at.saturating_add(len.saturating_mul(2)))
                .ok_or("piece outside the stream")?;
            let units = raw
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .map(|c| c.unwrap_or('\u{FFFD}'))
                .collect()
        };
        for c in chars {
            match c {
                // Field begin / separator / end: the code between begin and separator is an
                // instruction (`HYPERLINK "…"`), the part after it is what the reader sees.
                '\u{13}' => in_field_code += 1,
                '\u{14}' => in_field_code = in_field_code.saturating_sub(1),
                '\u{15}' => {}
                _ if in_field_code > 0 => {}
                '\r' | '\u{0B}' | '\u{0C}' | '\u{07}' => out.push('\n'),
                '\t' => out.push(' '),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        if taken >= budget {
            break;
        }
    }
    Ok(out)
}

/// The PlcPcd inside a Clx: skip the `Prc` blocks (type 1), find the `Pcdt` (type 2).
fn piece_table(clx: &[u8]) -> Option<&[u8]> {
    let mut at = 0;
    loop {
        match *clx.get(at)? {
            1 => at += 3 + usize::from(u16_at(clx, at + 1)?),
            2 => {
                let len = usize_at(clx, at + 1)?;
                return clx.get(at + 5..at + 5 + len);
            }
            _ => return None,
        }
    }
}

/// Windows-1252, which differs from Latin-1 in 0x80–0x9F.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        b => char::from(b),
    }
}
