//! Media: stored image files, named by the hash of their content.

use crate::editorial::Status;
use crate::sites::SiteId;
use crate::{Result, Store, Tx};
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
    pub original_name: String,
    pub caption: String,
    /// Widths stored as resized copies ("320,640"), empty for none.
    pub widths: String,
    pub created_at: i64,
}

macro_rules! columns {
    () => {
        "id, hash, file_name, mime, width, height, bytes, original_name, caption, widths, created_at"
    };
}

/// An image whose files are stored (`media_files`) under `file_name` and its copies' names.
#[derive(Debug, Clone)]
pub struct NewMedia<'a> {
    pub hash: &'a str,
    pub file_name: &'a str,
    pub mime: &'a str,
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
    pub original_name: &'a str,
    /// Name and caption folded for search (see `list`).
    pub search_key: &'a str,
}

impl MediaRow {
    /// Every file of this image: the original, and for each resized width its WebP and its
    /// fallback (in the original's format), as the library writes them, each name once.
    pub fn files(&self) -> Vec<String> {
        files_of(&self.hash, &self.file_name, &self.widths)
    }
}

/// The original and the resized copies of one image, each name once.
pub fn files_of(hash: &str, original: &str, widths: &str) -> Vec<String> {
    let ext = original.rsplit_once('.').map_or("jpg", |(_, e)| e);
    let mut files = vec![original.to_owned()];
    for w in widths.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        for name in [format!("{hash}-{w}.webp"), format!("{hash}-{w}.{ext}")] {
            if !files.contains(&name) {
                files.push(name);
            }
        }
    }
    files
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
        original_name: row.try_get("original_name")?,
        caption: row.try_get("caption")?,
        widths: row.try_get("widths")?,
        created_at: row.try_get("created_at")?,
    })
}

/// One site's media library (the maintenance functions at the end see every site's).
pub struct Media<'a>(&'a Store, SiteId);

impl Store {
    pub fn media(&self, site: SiteId) -> Media<'_> {
        Media(self, site)
    }
}

impl Media<'_> {
    pub async fn find_by_hash(&self, hash: &str) -> Result<Option<MediaRow>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM media WHERE hash = $1 AND site_id = $2"
        ))
        .bind(hash)
        .bind(self.1.0)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn find_by_id(&self, id: i64) -> Result<Option<MediaRow>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM media WHERE id = $1 AND site_id = $2"
        ))
        .bind(id)
        .bind(self.1.0)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// Records a stored file; the same content stored twice keeps its first row.
    pub async fn insert(&self, tx: &mut Tx, m: &NewMedia<'_>, now: i64) -> Result<i64> {
        sqlx::query(
            "INSERT INTO media (hash, file_name, mime, width, height, bytes, original_name, created_at, search_key, site_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (site_id, hash) DO NOTHING",
        )
        .bind(m.hash)
        .bind(m.file_name)
        .bind(m.mime)
        .bind(m.width)
        .bind(m.height)
        .bind(m.bytes)
        .bind(m.original_name)
        .bind(now)
        .bind(m.search_key)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        Ok(
            sqlx::query_scalar("SELECT id FROM media WHERE hash = $1 AND site_id = $2")
                .bind(m.hash)
                .bind(self.1.0)
                .fetch_one(tx.conn())
                .await?,
        )
    }

    /// Newest first, optionally only those whose search key (name and caption, folded by the
    /// caller) contains `folded`, itself folded the same way: the same on both databases,
    /// whatever their collation does with Vietnamese case.
    pub async fn list(
        &self,
        folded: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<MediaRow>, i64)> {
        let (filter, pattern) = match folded.filter(|s| !s.is_empty()) {
            Some(s) => (
                " WHERE site_id = $1 AND trashed_at IS NULL AND search_key LIKE $2",
                Some(crate::sql::contains_pattern(s)),
            ),
            None => (" WHERE site_id = $1 AND trashed_at IS NULL", None),
        };
        let count_sql = format!("SELECT COUNT(*) FROM media{filter}");
        let list_sql = format!(
            "SELECT {} FROM media{filter} ORDER BY id DESC LIMIT {limit} OFFSET {offset}",
            columns!()
        );
        let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)).bind(self.1.0);
        let mut list = sqlx::query(sqlx::AssertSqlSafe(list_sql)).bind(self.1.0);
        if let Some(p) = &pattern {
            count = count.bind(p.clone());
            list = list.bind(p.clone());
        }
        let total: i64 = count.fetch_one(self.0.read()).await?;
        let rows = list.fetch_all(self.0.read()).await?;
        Ok((rows.iter().map(from_row).collect::<Result<_, _>>()?, total))
    }

    /// Records the resized widths of a stored image.
    pub async fn set_widths(&self, tx: &mut Tx, id: i64, widths: &str) -> Result<()> {
        sqlx::query("UPDATE media SET widths = $2 WHERE id = $1")
            .bind(id)
            .bind(widths)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    pub async fn set_caption(
        &self,
        tx: &mut Tx,
        id: i64,
        caption: &str,
        search_key: &str,
    ) -> Result<()> {
        sqlx::query("UPDATE media SET caption = $2, search_key = $3 WHERE id = $1")
            .bind(id)
            .bind(caption)
            .bind(search_key)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    /// Whether any site still has a row for the file `hash` names (files are shared by
    /// content, so one site's delete must leave another's image).
    pub async fn hash_in_use(&self, tx: &mut Tx, hash: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM media WHERE hash = $1")
            .bind(hash)
            .fetch_one(tx.conn())
            .await?;
        Ok(n > 0)
    }

    /// Rows of every site whose search key was never made (stored before there was one): id, name, caption.
    pub async fn without_search_key(&self) -> Result<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, original_name, caption FROM media \
             WHERE search_key = '' AND (original_name <> '' OR caption <> '') ORDER BY id",
        )
        .fetch_all(self.0.read())
        .await?)
    }

    pub async fn set_search_key(&self, id: i64, search_key: &str) -> Result<()> {
        sqlx::query("UPDATE media SET search_key = $2 WHERE id = $1")
            .bind(id)
            .bind(search_key)
            .execute(self.0.write())
            .await?;
        Ok(())
    }

    pub async fn set_uploaded_by(&self, tx: &mut Tx, id: i64, user_id: i64) -> Result<()> {
        sqlx::query("UPDATE media SET uploaded_by = $2 WHERE id = $1 AND uploaded_by IS NULL")
            .bind(id)
            .bind(user_id)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    /// Where an image is used, as cover, in a gallery or in the text: the articles, whoever
    /// may see them.
    pub async fn usage(&self, id: i64) -> Result<Vec<UsageRow>> {
        let rows = sqlx::query(
            "SELECT id, title, created_by, status, published_at FROM articles WHERE cover_media_id = $1 \
             UNION SELECT a.id, a.title, a.created_by, a.status, a.published_at \
             FROM article_images i JOIN articles a ON a.id = i.article_id \
             WHERE i.media_id = $1 \
             UNION SELECT a.id, a.title, a.created_by, a.status, a.published_at \
             FROM articles a JOIN media m ON m.id = $1 \
             WHERE a.body_html LIKE '%/media/' || m.hash || '%' ORDER BY 1",
        )
        .bind(id)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(UsageRow {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    created_by: r.try_get("created_by")?,
                    status: Status::parse(&status).ok_or_else(|| sqlx::Error::ColumnDecode {
                        index: "status".to_owned(),
                        source: format!("unknown article status {status:?}").into(),
                    })?,
                    published_at: r.try_get("published_at")?,
                })
            })
            .collect()
    }

    /// Deletes an image's row when nothing uses it; false when something does. A body showing
    /// it (an article's or a page's, found by its file names) counts: deleting is rare, so the
    /// scan of the bodies is paid there.
    pub async fn delete_unused(&self, tx: &mut Tx, id: i64) -> Result<bool> {
        let r = sqlx::query(
            "DELETE FROM media WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM articles WHERE cover_media_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM article_images WHERE media_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM articles WHERE body_html LIKE '%/media/' || media.hash || '%') \
             AND NOT EXISTS (SELECT 1 FROM pages WHERE body_html LIKE '%/media/' || media.hash || '%') \
             AND NOT EXISTS (SELECT 1 FROM banners WHERE media_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM org_people WHERE photo_media_id = $1)",
        )
        .bind(id)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }
}

/// An article that uses an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRow {
    pub id: i64,
    pub title: String,
    pub created_by: Option<i64>,
    pub status: Status,
    pub published_at: i64,
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_image_has_its_original_and_its_copies() {
        assert_eq!(
            super::files_of("ab", "ab.png", "320,640"),
            [
                "ab.png",
                "ab-320.webp",
                "ab-320.png",
                "ab-640.webp",
                "ab-640.png"
            ]
        );
        assert_eq!(
            super::files_of("ab", "ab.webp", "320"),
            ["ab.webp", "ab-320.webp"],
            "a WebP original's fallback is the WebP copy itself"
        );
        assert_eq!(super::files_of("ab", "ab.jpg", ""), ["ab.jpg"]);
    }
}
