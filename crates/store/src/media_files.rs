//! Media files kept in the database: the bytes of every file the library writes (originals
//! and resized copies), so any node can serve any upload. A node's media folder only caches
//! them (`cong_domain::media::cache`).

use crate::sql::{CHUNK, placeholders};
use crate::{Result, Store, Tx};
use sqlx::AssertSqlSafe;
use std::collections::HashSet;

pub struct MediaFiles<'a>(&'a Store);

impl Store {
    pub fn media_files(&self) -> MediaFiles<'_> {
        MediaFiles(self)
    }
}

impl MediaFiles<'_> {
    /// A file's bytes; `None` when no such file is stored.
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(
            sqlx::query_scalar("SELECT bytes FROM media_files WHERE name = $1")
                .bind(name)
                .fetch_optional(self.0.read())
                .await?,
        )
    }

    /// Stores a file; a file of that name stored already is kept (names are content hashes,
    /// so it has these bytes).
    pub async fn insert(&self, tx: &mut Tx, name: &str, bytes: &[u8], now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO media_files (name, bytes, size, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(bytes)
        .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// Deletes the files of these names.
    pub async fn delete(&self, tx: &mut Tx, names: &[String]) -> Result<()> {
        for chunk in names.chunks(CHUNK) {
            let sql = format!(
                "DELETE FROM media_files WHERE name IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for n in chunk {
                q = q.bind(n.as_str());
            }
            q.execute(tx.conn()).await?;
        }
        Ok(())
    }

    /// Which of these names are stored.
    pub async fn stored(&self, names: &[String]) -> Result<HashSet<String>> {
        let mut found = HashSet::new();
        for chunk in names.chunks(CHUNK) {
            let sql = format!(
                "SELECT name FROM media_files WHERE name IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query_scalar(AssertSqlSafe(sql));
            for n in chunk {
                q = q.bind(n.as_str());
            }
            let names: Vec<String> = q.fetch_all(self.0.read()).await?;
            found.extend(names);
        }
        Ok(found)
    }
}

/// A media file name as the library makes them (`{hash}.jpg`, `{hash}-640.webp`): letters,
/// digits, `.`, `-` and `_`, not starting with a dot. Only such names are looked up or
/// written into a media folder, so no name can reach outside it.
pub fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::plain_name;

    #[test]
    fn only_plain_names_are_media_files() {
        for ok in ["3f9a.jpg", "3f9a-640.webp", "a_b.png"] {
            assert!(plain_name(ok), "{ok}");
        }
        for bad in [
            "",
            ".hidden",
            "../x.jpg",
            "a/b.jpg",
            "/etc/passwd",
            "x\\y",
            "ảnh.jpg",
        ] {
            assert!(!plain_name(bad), "{bad}");
        }
    }
}
