//! A sheet for imports: the first sheet of an XLSX, or a CSV (UTF-8, with or without a
//! byte-order mark, commas or semicolons), as rows of cells by column. Bounded: rows and
//! columns past the limits are refused, never laid out.

use crate::{Kind, Limits, Refusal, check};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// Most rows an import sheet may have (a province moves thousands of documents, not millions).
pub const MAX_ROWS: usize = 100_000;
/// Most columns read; cells further right are ignored.
pub const MAX_COLUMNS: usize = 64;

/// Why a sheet cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("Bảng có quá nhiều dòng (tối đa {MAX_ROWS}).")]
    TooManyRows,
    #[error("Không đọc được bảng: {0}")]
    Unreadable(String),
    #[error("Bảng phải là tệp Excel (.xlsx) hoặc CSV (UTF-8).")]
    NotATable,
}

/// The rows of the sheet, cells as text, trailing empty cells dropped.
pub fn table(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>, TableError> {
    if looks_like_text(bytes) {
        return csv_rows(bytes);
    }
    let checked = check(bytes, limits)?;
    if checked.kind != Kind::Xlsx {
        return Err(TableError::NotATable);
    }
    xlsx_rows(bytes)
}

/// UTF-8 without NUL bytes in its first kilobytes: a CSV, not a binary sheet.
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    !head.contains(&0)
        && !head.starts_with(b"PK")
        && (std::str::from_utf8(head).is_ok()
            // A multi-byte character cut at the end of the head.
            || std::str::from_utf8(&head[..head.len().saturating_sub(3)]).is_ok())
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |c: u8| first.iter().filter(|b| **b == c).count();
    let delimiter = if count(b';') > count(b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| TableError::Unreadable(e.to_string()))?;
        if rows.len() >= MAX_ROWS {
            return Err(TableError::TooManyRows);
        }
        let mut row: Vec<String> = record
            .iter()
            .take(MAX_COLUMNS)
            .map(|c| c.trim().to_owned())
            .collect();
        trim_end(&mut row);
        rows.push(row);
    }
    Ok(rows)
}

fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableError> {
    let unreadable = |e: calamine::XlsxError| TableError::Unreadable(e.to_string());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Ok(Vec::new());
    };
    let mut reader = book.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    // Cells come row by row; only rows that have cells are laid out, so a cell far down
    // costs one row, not the rows between.
    let mut by_row: Vec<(u32, Vec<String>)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let c = c as usize;
        if c >= MAX_COLUMNS {
            continue;
        }
        if by_row.last().is_none_or(|(last, _)| *last != r) {
            if by_row.len() >= MAX_ROWS {
                return Err(TableError::TooManyRows);
            }
            by_row.push((r, Vec::new()));
        }
        let Some((_, row)) = by_row.last_mut() else {
            continue;
        };
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = match Data::from(cell.get_value().clone()) {
            Data::Empty => String::new(),
            // A date cell: days since 1899-12-30, as Excel counts.
            Data::DateTime(d) => jiff::civil::date(1899, 12, 30)
                .checked_add(jiff::Span::new().days(d.as_f64().floor() as i64))
                .map(|day| day.strftime("%d/%m/%Y").to_string())
                .unwrap_or_else(|_| d.to_string()),
            other => other.to_string(),
        }
        .trim()
        .to_owned();
    }
    for (_, mut row) in by_row {
        trim_end(&mut row);
        rows.push(row);
    }
    Ok(rows)
}

fn trim_end(row: &mut Vec<String>) {
    while row.last().is_some_and(String::is_empty) {
        row.pop();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_a_mark_and_semicolons() {
        let rows = table(
            "\u{feff}Số ký hiệu;Trích yếu\n544/QĐ-SKHCN;\"Ban hành; quy chế\"\n".as_bytes(),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(rows[0], ["Số ký hiệu", "Trích yếu"]);
        assert_eq!(rows[1], ["544/QĐ-SKHCN", "Ban hành; quy chế"]);
    }

    #[test]
    fn xlsx_rows_by_column() {
        let bytes = crate::make::xlsx(&[
            vec!["Số".into(), "".into(), "Ngày".into()],
            vec!["1/QĐ".into(), "x".into(), "03/02/2026".into()],
        ]);
        let rows = table(&bytes, &Limits::default()).unwrap();
        assert_eq!(rows[0][0], "Số");
        assert_eq!(rows[0][2], "Ngày");
        assert_eq!(rows[1], ["1/QĐ", "x", "03/02/2026"]);
    }

    #[test]
    fn a_pdf_is_not_a_table() {
        let pdf = crate::make::pdf("x", &["y"]);
        assert!(matches!(
            table(&pdf, &Limits::default()),
            Err(TableError::NotATable)
        ));
    }
}
