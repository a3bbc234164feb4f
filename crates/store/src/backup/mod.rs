//! Online backups of the whole site into one file, and their verification and restore.
//!
//! A backup is a tar archive compressed with gzip (`tar tzf` lists it, `tar xzf` unpacks it):
//! `header.json`, then every table of `copy::TABLES` as JSON lines in
//! `tables/{table}/{n}.jsonl` (parents first; the media files are the rows of `media_files`),
//! then `manifest.json` with the counts and checksums of all of it. The rows
//! come from one [`Snapshot`], so they are the database of one moment however busy the site
//! is; the checksums are those of `migrate-store`, so a restore into either backend proves
//! itself table by table.

pub mod manifest;
mod read;
mod rows;
mod snapshot;
mod write;

pub use manifest::Manifest;
pub use read::{Verified, verify};
pub use snapshot::Snapshot;
pub use write::{Written, part_path};

use crate::{Result, Store};

/// Told how far a backup, a verification or a restore has come (a progress bar, or nothing).
pub trait Progress: Send + Sync {
    /// A stage begins: what is counted ("rows", "bytes") and how many there are.
    fn stage(&self, _what: &'static str, _total: u64) {}
    /// `n` more of them are done.
    fn advance(&self, _n: u64) {}
}

/// No progress shown.
impl Progress for () {}

/// The site setting that remembers the last scheduled backup slot someone took.
const SLOT_KEY: &str = "backup.last_slot";

impl Store {
    /// Takes the scheduled backup due at `slot` (epoch seconds) for this node: true when no
    /// node took it before. One atomic statement, so of several nodes sharing a database
    /// exactly one gets each slot, whatever their clocks say.
    pub async fn claim_backup_slot(&self, slot: i64) -> Result<bool> {
        // Zero-padded, so the text comparison orders slots as numbers on both databases.
        let value = format!("{slot:020}");
        let done = sqlx::query(
            "INSERT INTO site_settings (site_id, key, value) VALUES (1, $1, $2) \
             ON CONFLICT (site_id, key) DO UPDATE SET value = excluded.value \
             WHERE site_settings.value < excluded.value",
        )
        .bind(SLOT_KEY)
        .bind(value)
        .execute(self.write())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests;
