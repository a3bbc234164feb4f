//! What a backup file says about itself: the header (its first entry) and the manifest (its
//! last), and the names of the entries between them.

use crate::Backend;
use crate::copy::{TableSum, Value};
use serde::{Deserialize, Serialize};

/// The `format` field of every cong backup.
pub const FORMAT: &str = "cong-backup";
/// Bumped when the layout or the row encoding changes; a reader refuses other versions.
/// 2: media files are rows of the `media_files` table, no longer `media/{file}` entries
/// read from the folder. (A format-1 file holds schema 7, which this cong refuses anyway:
/// restore it with its own cong, then upgrade, which copies the folder's files in.)
pub const FORMAT_VERSION: u32 = 2;

/// The first entry: enough to know at once whether this reader can restore the file.
pub const HEADER_ENTRY: &str = "header.json";
/// The last entry: counts, checksums and hashes of everything before it.
pub const MANIFEST_ENTRY: &str = "manifest.json";
/// Rows: `tables/{table}/{n:06}.jsonl`, one JSON array per row, tables parents first.
pub const TABLES_DIR: &str = "tables/";
/// The table that holds the media files.
pub const MEDIA_FILES: &str = "media_files";

/// Where the snapshot was taken and what it holds, written before anything else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    pub format_version: u32,
    /// The cong that made it.
    pub cong_version: String,
    /// "sqlite" or "postgres": where it was made (it restores into either).
    pub source_backend: String,
    /// The last schema migration of the source (restore needs a cong with the same).
    pub schema_version: i64,
    /// When the snapshot was taken (UTC, RFC 3339): the rows are the database of that moment.
    pub snapshot_at: String,
    /// The newest change in the change log at the snapshot.
    pub last_change: i64,
    /// The sequence number of the last counter flush the snapshot holds: views and visits
    /// counted in memory but flushed later are not in it.
    pub flush_seq: i64,
}

/// One table: its columns, rows and order-independent checksum (as `migrate-store` computes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableEntry {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: i64,
    /// 32 hex digits: the wrapping sum of each row's 128-bit BLAKE3 hash.
    pub checksum: String,
}

impl TableEntry {
    pub fn new(name: &str, columns: Vec<String>, sum: TableSum) -> TableEntry {
        TableEntry {
            name: name.to_owned(),
            columns,
            rows: sum.rows,
            checksum: hex_sum(sum.checksum),
        }
    }

    /// True when `sum` has these rows and this checksum.
    pub fn matches(&self, sum: &TableSum) -> bool {
        self.rows == sum.rows && self.checksum == hex_sum(sum.checksum)
    }
}

/// The last entry of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(flatten)]
    pub header: Header,
    /// When the file was complete (UTC, RFC 3339).
    pub finished_at: String,
    pub tables: Vec<TableEntry>,
    /// Media files (rows of `media_files`) and their bytes, for people: the table's checksum
    /// is what proves them.
    pub media_files: u64,
    pub media_bytes: u64,
}

impl Manifest {
    pub fn table(&self, name: &str) -> Option<&TableEntry> {
        self.tables.iter().find(|t| t.name == name)
    }
}

pub(crate) fn hex_sum(sum: u128) -> String {
    format!("{sum:032x}")
}

pub(crate) fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// Files and bytes in rows of `media_files` (its `size` column).
pub(crate) fn media_totals(rows: &[Vec<Value>]) -> (u64, u64) {
    let bytes = rows
        .iter()
        .filter_map(|r| match r.get(2) {
            Some(Value::Int(n)) => u64::try_from(*n).ok(),
            _ => None,
        })
        .sum();
    (rows.len() as u64, bytes)
}

/// The entry name of chunk `n` of a table.
pub(crate) fn chunk_entry(table: &str, n: u32) -> String {
    format!("{TABLES_DIR}{table}/{n:06}.jsonl")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_entry_matches_its_own_sum_only() {
        let sum = TableSum {
            rows: 3,
            checksum: 0xabc,
        };
        let e = TableEntry::new("users", vec!["id".into()], sum);
        assert_eq!(e.checksum, "00000000000000000000000000000abc");
        assert!(e.matches(&sum));
        assert!(!e.matches(&TableSum { rows: 4, ..sum }));
        assert!(!e.matches(&TableSum {
            checksum: 0xabd,
            ..sum
        }));
    }
}
