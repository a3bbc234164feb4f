//! Text of spreadsheets: rows as lines, non-empty cells joined by " | ".
//!
//! Nothing here builds a dense grid: calamine's `Range` allocates rows × columns, so two
//! cells at A1 and XFD1048576 in a 2 KB file would ask for billions of cells and abort the
//! process. XLSX is read cell by cell with calamine's streaming reader, ODS with quick-xml
//! (ignoring repeat counts), and XLS only after its cell records show a sane extent.

use crate::bounded::{self, EntryError};
use crate::tidy::{has_words, tidy};
use crate::{Kind, Limits, Text, container};
use calamine::{Data, DataRef, Reader, Xls, Xlsx};
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// Largest XLSX part handed to calamine: it keeps every shared string as its own `String`,
/// and 32 MiB of `<si/>` is already six million of them.
const MAX_XLSX_PART: u64 = 32 * 1024 * 1024;

/// Largest rows × columns extent of all sheets of an XLS together that calamine may lay out.
const MAX_XLS_CELLS: u64 = 4_000_000;

pub(crate) fn extract(kind: Kind, bytes: &[u8], limits: &Limits) -> Text {
    let mut rows = Rows::new(limits);
    let read = match kind {
        Kind::Xlsx => xlsx(bytes, limits, &mut rows),
        Kind::Ods => ods(bytes, limits, &mut rows),
        Kind::Xls => xls(bytes, &mut rows),
        _ => return Text::None,
    };
    match read {
        _ if has_words(&rows.raw) => Text::Found(tidy(&rows.raw, limits.max_text)),
        Err(why) => Text::Unreadable(why),
        Ok(()) => Text::None,
    }
}

/// The text so far, and when to stop adding to it.
struct Rows {
    raw: String,
    budget: usize,
}

impl Rows {
    fn new(limits: &Limits) -> Rows {
        Rows {
            raw: String::new(),
            budget: limits.max_text.saturating_mul(4),
        }
    }

    /// Adds a row; false once the text is long enough.
    fn push(&mut self, cells: &mut Vec<String>) -> bool {
        cells.retain(|c| has_words(c));
        if !cells.is_empty() {
            self.raw.push_str(&cells.join(" | "));
            self.raw.push('\n');
        }
        cells.clear();
        self.raw.len() <= self.budget
    }
}

fn xlsx(bytes: &[u8], limits: &Limits, rows: &mut Rows) -> Result<(), String> {
    // calamine trusts the zip; make sure it unpacks to what it says first.
    let mut archive = container::open(bytes).map_err(|r| format!("{r:?}"))?;
    match bounded::unpacked_total(&mut archive, limits.max_unpacked) {
        Ok(_) => {}
        Err(EntryError::TooBig) => return Err("unpacks too large".to_owned()),
        Err(EntryError::Broken(why)) => return Err(why),
    }
    // No entry unpacks to more than its declared size (the zip crate stops those, as the pass
    // above showed), so the declared sizes bound what calamine will hold.
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| e.to_string())?;
        if entry.size() > MAX_XLSX_PART {
            return Err(format!(
                "{} unpacks to {} bytes",
                entry.name().unwrap_or_default(),
                entry.size()
            ));
        }
    }
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    for name in book.sheet_names() {
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(|e| e.to_string())?;
        let mut row = None;
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
            let (r, _) = cell.get_position();
            if row != Some(r) {
                if !rows.push(&mut cells) {
                    return Ok(());
                }
                row = Some(r);
            }
            let value = cell.get_value();
            if !matches!(value, DataRef::Empty) {
                cells.push(Data::from(value.clone()).to_string());
            }
        }
        if !rows.push(&mut cells) {
            return Ok(());
        }
    }
    Ok(())
}

fn ods(bytes: &[u8], limits: &Limits, rows: &mut Rows) -> Result<(), String> {
    let mut archive = container::open(bytes).map_err(|r| format!("{r:?}"))?;
    let xml = match bounded::read_entry(&mut archive, "content.xml", limits.max_unpacked) {
        Ok(xml) => xml,
        Err(EntryError::TooBig) => return Err("content.xml unpacks too large".to_owned()),
        Err(EntryError::Broken(why)) => return Err(why),
    };
    let xml = String::from_utf8_lossy(&xml);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut cells: Vec<String> = Vec::new();
    // Inside a cell: the text gathered so far.
    let mut cell: Option<String> = None;
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) => {
                let qname = e.name();
                if matches!(local(qname.as_ref()), "table-cell" | "covered-table-cell") {
                    cell = Some(String::new());
                }
            }
            Event::Empty(e) => {
                let qname = e.name();
                if let Some(c) = cell.as_mut()
                    && matches!(local(qname.as_ref()), "s" | "tab" | "line-break")
                {
                    c.push(' ');
                }
            }
            Event::End(e) => {
                let qname = e.name();
                match local(qname.as_ref()) {
                    "table-cell" | "covered-table-cell" => cells.extend(cell.take()),
                    "p" | "h" => {
                        if let Some(c) = cell.as_mut() {
                            c.push(' ');
                        }
                    }
                    "table-row" if !rows.push(&mut cells) => return Ok(()),
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let (Some(c), Some(ch)) = (cell.as_mut(), crate::office::entity(&r)) {
                    c.push(ch);
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn xls(bytes: &[u8], rows: &mut Rows) -> Result<(), String> {
    let extent = xls_extent(bytes)?;
    if extent > MAX_XLS_CELLS {
        return Err(format!("sheets span {extent} cells, max {MAX_XLS_CELLS}"));
    }
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        for row in range.rows() {
            let mut cells: Vec<String> = row
                .iter()
                .filter(|c| !matches!(c, Data::Empty))
                .map(ToString::to_string)
                .collect();
            if !rows.push(&mut cells) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Sum over the workbook's substreams of rows × columns spanned by cell records: what
/// calamine will allocate.
fn xls_extent(bytes: &[u8]) -> Result<u64, String> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let name = if file.is_stream("Workbook") {
        "Workbook"
    } else {
        "Book"
    };
    let mut data = Vec::new();
    file.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut data))
        .map_err(|e| format!("{name}: {e}"))?;
    let mut total = 0u64;
    let mut bounds: Option<(u16, u16, u16, u16)> = None;
    let area = |b: Option<(u16, u16, u16, u16)>| {
        b.map_or(0, |(r0, r1, c0, c1)| {
            (u64::from(r1) - u64::from(r0) + 1) * (u64::from(c1) - u64::from(c0) + 1)
        })
    };
    let mut at = 0usize;
    while let Some(head) = data.get(at..at + 4) {
        let id = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let body = data.get(at + 4..at + 4 + len).unwrap_or(&[]);
        at += 4 + len;
        let u16_at = |i: usize| body.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let cell = match id {
            // BOF: a new substream (a sheet) starts.
            0x0809 => {
                total += area(bounds.take());
                None
            }
            // FORMULA, BLANK, NUMBER, LABEL, BOOLERR, RK, RSTRING, LABELSST.
            0x0006 | 0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00D6 | 0x00FD => {
                u16_at(0).zip(u16_at(2)).map(|(r, c)| (r, c, c))
            }
            // MULRK, MULBLANK: a run of columns on one row, the last column at the end.
            0x00BD | 0x00BE => u16_at(0)
                .zip(u16_at(2))
                .zip(len.checked_sub(2).and_then(u16_at))
                .map(|((r, c0), c1)| (r, c0.min(c1), c0.max(c1))),
            _ => None,
        };
        if let Some((r, c0, c1)) = cell {
            bounds = Some(match bounds {
                None => (r, r, c0, c1),
                Some((r0, r1, a, b)) => (r0.min(r), r1.max(r), a.min(c0), b.max(c1)),
            });
        }
    }
    Ok(total + area(bounds))
}
