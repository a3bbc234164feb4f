//! Media: stored image files, named by the hash of their content.

use crate::{Result, Store};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRow {
    pub id: i64,
    pub hash: String,
    pub file_name: String,
    pub mime: String,
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
}

/// A file already written to the media folder under `file_name`.
#[derive(Debug, Clone)]
pub struct NewMedia<'a> {
    pub hash: &'a str,
    pub file_name: &'a str,
    pub mime: &'a str,
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
    pub original_name: &'a str,
}

fn from_row(row: &AnyRow) -> Result<MediaRow, sqlx::Error> {
    Ok(MediaRow {
        id: row.try_get("id")?,
        hash: row.try_get("hash")?,
        file_name: row.try_get("file_name")?,
        mime: row.try_get("mime")?,
        width: row.try_get("width")?,
        height: row.try_get("height")?,
        bytes: row.try_get("bytes")?,
    })
}

pub struct Media<'a>(&'a Store);

impl Store {
    pub fn media(&self) -> Media<'_> {
        Media(self)
    }
}

impl Media<'_> {
    pub async fn find_by_hash(&self, hash: &str) -> Result<Option<MediaRow>> {
        let row = sqlx::query(
            "SELECT id, hash, file_name, mime, width, height, bytes FROM media WHERE hash = $1",
        )
        .bind(hash)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// Records a stored file; the same content stored twice keeps its first row.
    pub async fn insert(&self, m: &NewMedia<'_>, now: i64) -> Result<i64> {
        sqlx::query(
            "INSERT INTO media (hash, file_name, mime, width, height, bytes, original_name, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(m.hash)
        .bind(m.file_name)
        .bind(m.mime)
        .bind(m.width)
        .bind(m.height)
        .bind(m.bytes)
        .bind(m.original_name)
        .bind(now)
        .execute(self.0.write())
        .await?;
        Ok(sqlx::query_scalar("SELECT id FROM media WHERE hash = $1")
            .bind(m.hash)
            .fetch_one(self.0.write())
            .await?)
    }
}
