//! Text of spreadsheets (XLSX, ODS, XLS) through calamine: rows as lines, cells by " | ".

use crate::bounded::{self, EntryError};
use crate::tidy::{has_words, tidy};
use crate::{Kind, Limits, Text, container};
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use std::io::Cursor;

pub(crate) fn extract(kind: Kind, bytes: &[u8], limits: &Limits) -> Text {
    if kind != Kind::Xls {
        // calamine trusts the zip; make sure the zip is what it says before handing it over.
        let mut archive = match container::open(bytes) {
            Ok(a) => a,
            Err(r) => return Text::Unreadable(format!("{r:?}")),
        };
        match bounded::unpacked_total(&mut archive, limits.max_unpacked) {
            Ok(_) => {}
            Err(EntryError::TooBig) => return Text::Unreadable("unpacks too large".to_owned()),
            Err(EntryError::Broken(why)) => return Text::Unreadable(why),
        }
    }
    let mut book = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => return Text::Unreadable(e.to_string()),
    };
    let budget = limits.max_text.saturating_mul(4);
    let mut raw = String::new();
    'sheets: for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        for row in range.rows() {
            let cells: Vec<String> = row
                .iter()
                .filter(|c| !matches!(c, Data::Empty))
                .map(ToString::to_string)
                .filter(|s| has_words(s))
                .collect();
            if cells.is_empty() {
                continue;
            }
            raw.push_str(&cells.join(" | "));
            raw.push('\n');
            if raw.len() > budget {
                break 'sheets;
            }
        }
    }
    if has_words(&raw) {
        Text::Found(tidy(&raw, limits.max_text))
    } else {
        Text::None
    }
}
