//! Videos: uploaded MP4/WebM files (their bytes in `media_files`, named by content hash), the
//! videos each article plays, and the public video library read from those.

use crate::articles::{ArticleSummaryRow, summary_from_row};
use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// A stored video, with its poster's file when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoRow {
    pub id: i64,
    pub hash: String,
    pub file_name: String,
    pub mime: String,
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
    pub duration_ms: i64,
    pub codec: String,
    pub poster_media_id: Option<i64>,
    /// The poster image's stored file name and resized widths.
    pub poster_file: Option<String>,
    pub poster_widths: Option<String>,
    pub title: String,
    pub original_name: String,
    pub created_at: i64,
}

const COLUMNS: &str = "v.id, v.hash, v.file_name, v.mime, v.bytes, v.width, v.height, \
     v.duration_ms, v.codec, v.poster_media_id, m.file_name AS poster_file, \
     m.widths AS poster_widths, v.title, v.original_name, v.created_at";
const FROM: &str = "videos v LEFT JOIN media m ON m.id = v.poster_media_id";

fn from_row(r: &AnyRow) -> Result<VideoRow, sqlx::Error> {
    Ok(VideoRow {
        id: r.try_get("id")?,
        hash: r.try_get("hash")?,
        file_name: r.try_get("file_name")?,
        mime: r.try_get("mime")?,
        bytes: r.try_get("bytes")?,
        width: r.try_get("width")?,
        height: r.try_get("height")?,
        duration_ms: r.try_get("duration_ms")?,
        codec: r.try_get("codec")?,
        poster_media_id: r.try_get("poster_media_id")?,
        poster_file: r.try_get("poster_file")?,
        poster_widths: r.try_get("poster_widths")?,
        title: r.try_get("title")?,
        original_name: r.try_get("original_name")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A video to record, its file stored already.
#[derive(Debug, Clone)]
pub struct NewVideo<'a> {
    pub hash: &'a str,
    pub file_name: &'a str,
    pub mime: &'a str,
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
    pub duration_ms: i64,
    pub codec: &'a str,
    pub title: &'a str,
    pub original_name: &'a str,
    pub search_key: &'a str,
    pub uploaded_by: Option<i64>,
}

/// One video an article's body plays: an uploaded one (by its file's hash) or YouTube's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleVideo {
    Uploaded { hash: String, title: String },
    Youtube { id: String, title: String },
}

/// An article that plays a video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoUse {
    pub article_id: i64,
    pub title: String,
}

pub struct Videos<'a>(&'a Store, SiteId);

impl Store {
    pub fn videos(&self, site: SiteId) -> Videos<'_> {
        Videos(self, site)
    }
}

/// Published articles of the site's own (a shared copy shows its original's).
const PUBLISHED: &str = "a.site_id = $1 AND a.status = 'published' AND a.published_at <= $2 \
     AND a.origin_article_id IS NULL";

impl Videos<'_> {
    pub async fn find_by_id(&self, id: i64) -> Result<Option<VideoRow>> {
        let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE v.id = $1 AND v.site_id = $2");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .bind(self.1.0)
            .fetch_optional(self.0.read())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The site's videos by their files' hashes (those a body names), trashed ones aside.
    pub async fn find_by_hashes(&self, hashes: &[String]) -> Result<Vec<VideoRow>> {
        if hashes.is_empty() {
            return Ok(Vec::new());
        }
        let marks = crate::sql::placeholders(2, hashes.len());
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE v.site_id = $1 AND v.trashed_at IS NULL \
             AND v.hash IN ({marks})"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(self.1.0);
        for h in hashes {
            q = q.bind(h.as_str());
        }
        let rows = q.fetch_all(self.0.read()).await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Records a stored video; the same file uploaded twice keeps its first row. Its id.
    pub async fn insert(&self, tx: &mut Tx, v: &NewVideo<'_>, now: i64) -> Result<i64> {
        sqlx::query(
            "INSERT INTO videos (site_id, hash, file_name, mime, bytes, width, height, \
             duration_ms, codec, title, original_name, search_key, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT (site_id, hash) DO NOTHING",
        )
        .bind(self.1.0)
        .bind(v.hash)
        .bind(v.file_name)
        .bind(v.mime)
        .bind(v.bytes)
        .bind(v.width)
        .bind(v.height)
        .bind(v.duration_ms)
        .bind(v.codec)
        .bind(v.title)
        .bind(v.original_name)
        .bind(v.search_key)
        .bind(v.uploaded_by)
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(
            sqlx::query_scalar("SELECT id FROM videos WHERE hash = $1 AND site_id = $2")
                .bind(v.hash)
                .bind(self.1.0)
                .fetch_one(tx.conn())
                .await?,
        )
    }

    /// Newest first, those outside the trash, optionally only those whose search key (title
    /// and file name, folded by the caller) holds `folded`.
    pub async fn list(
        &self,
        folded: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<VideoRow>, i64)> {
        let pattern = folded
            .filter(|s| !s.is_empty())
            .map(crate::sql::contains_pattern);
        let filter = if pattern.is_some() {
            "v.site_id = $1 AND v.trashed_at IS NULL AND v.search_key LIKE $2"
        } else {
            "v.site_id = $1 AND v.trashed_at IS NULL"
        };
        let count_sql = format!("SELECT COUNT(*) FROM videos v WHERE {filter}");
        let list_sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE {filter} ORDER BY v.id DESC \
             LIMIT {limit} OFFSET {offset}"
        );
        let mut count = sqlx::query_scalar(AssertSqlSafe(count_sql)).bind(self.1.0);
        let mut list = sqlx::query(AssertSqlSafe(list_sql)).bind(self.1.0);
        if let Some(p) = &pattern {
            count = count.bind(p.clone());
            list = list.bind(p.clone());
        }
        let total: i64 = count.fetch_one(self.0.read()).await?;
        let rows = list.fetch_all(self.0.read()).await?;
        Ok((rows.iter().map(from_row).collect::<Result<_, _>>()?, total))
    }

    pub async fn set_title(&self, tx: &mut Tx, id: i64, title: &str, key: &str) -> Result<()> {
        sqlx::query("UPDATE videos SET title = $3, search_key = $4 WHERE id = $1 AND site_id = $2")
            .bind(id)
            .bind(self.1.0)
            .bind(title)
            .bind(key)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    pub async fn set_poster(&self, tx: &mut Tx, id: i64, media_id: Option<i64>) -> Result<()> {
        sqlx::query("UPDATE videos SET poster_media_id = $3 WHERE id = $1 AND site_id = $2")
            .bind(id)
            .bind(self.1.0)
            .bind(media_id)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    /// The articles whose body plays the video, and whether a static page's body does.
    pub async fn usage(&self, id: i64) -> Result<(Vec<VideoUse>, bool)> {
        let articles = sqlx::query(
            "SELECT DISTINCT a.id, a.title FROM article_videos av \
             JOIN articles a ON a.id = av.article_id WHERE av.video_id = $1 ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(self.0.read())
        .await?
        .iter()
        .map(|r| {
            Ok(VideoUse {
                article_id: r.try_get("id")?,
                title: r.try_get("title")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        // Pages keep no list of their videos: deleting is rare, so their bodies are read here.
        let pages: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pages p JOIN videos v ON v.id = $1 \
             WHERE p.site_id = v.site_id AND p.body_html LIKE '%/media/' || v.hash || '%'",
        )
        .bind(id)
        .fetch_one(self.0.read())
        .await?;
        Ok((articles, pages > 0))
    }

    /// Deletes a video's row when nothing plays it; false when something does.
    pub async fn delete_unused(&self, tx: &mut Tx, id: i64) -> Result<bool> {
        let r = sqlx::query(
            "DELETE FROM videos WHERE id = $1 AND site_id = $2 \
             AND NOT EXISTS (SELECT 1 FROM article_videos WHERE video_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.site_id = videos.site_id \
                 AND p.body_html LIKE '%/media/' || videos.hash || '%')",
        )
        .bind(id)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Whether any site still has a row for the file `hash` names.
    pub async fn hash_in_use(&self, tx: &mut Tx, hash: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM videos WHERE hash = $1")
            .bind(hash)
            .fetch_one(tx.conn())
            .await?;
        Ok(n > 0)
    }

    /// Replaces the list of videos an article plays (at each save, with the article).
    pub async fn set_for_article(
        &self,
        tx: &mut Tx,
        article_id: i64,
        videos: &[ArticleVideo],
    ) -> Result<()> {
        sqlx::query("DELETE FROM article_videos WHERE article_id = $1")
            .bind(article_id)
            .execute(tx.conn())
            .await?;
        for (pos, v) in videos.iter().enumerate() {
            let pos = i64::try_from(pos).unwrap_or(i64::MAX);
            let q = match v {
                ArticleVideo::Uploaded { hash, title } => sqlx::query(
                    "INSERT INTO article_videos (article_id, position, video_id, title) \
                     SELECT $1, $2, id, $4 FROM videos WHERE site_id = $5 AND hash = $3",
                )
                .bind(article_id)
                .bind(pos)
                .bind(hash.as_str())
                .bind(title.as_str())
                .bind(self.1.0),
                ArticleVideo::Youtube { id, title } => sqlx::query(
                    "INSERT INTO article_videos (article_id, position, youtube_id, title) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(article_id)
                .bind(pos)
                .bind(id.as_str())
                .bind(title.as_str()),
            };
            q.execute(tx.conn()).await?;
        }
        Ok(())
    }

    /// How many published articles of the site play a video at `now`.
    pub async fn count_library(&self, now: i64) -> Result<i64> {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM articles a WHERE {PUBLISHED} \
             AND EXISTS (SELECT 1 FROM article_videos av WHERE av.article_id = a.id)"
        );
        Ok(sqlx::query(AssertSqlSafe(sql))
            .bind(self.1.0)
            .bind(now)
            .fetch_one(self.0.read())
            .await?
            .try_get("n")?)
    }

    /// A page of the video library, newest first: per article, its first video's title
    /// (else the article's) as `title`, the article's title as `summary`, the poster of its
    /// first uploaded video that has one (else the article's cover) as the cover, and the
    /// number of videos.
    pub async fn library(
        &self,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(ArticleSummaryRow, i64)>> {
        let sql = format!(
            "SELECT a.id, a.site_id, a.section_id, a.slug, \
             CASE WHEN f.title <> '' THEN f.title ELSE a.title END AS title, \
             a.title AS summary, a.author, a.featured, \
             COALESCE(pm.file_name, cm.file_name) AS cover_file, \
             CASE WHEN pm.file_name IS NOT NULL THEN pm.widths ELSE cm.widths END AS cover_widths, \
             a.published_at, \
             (SELECT COUNT(*) FROM article_videos c WHERE c.article_id = a.id) AS videos \
             FROM articles a \
             JOIN article_videos f ON f.article_id = a.id AND f.position = \
               (SELECT MIN(j.position) FROM article_videos j WHERE j.article_id = a.id) \
             LEFT JOIN videos pv ON pv.id = \
               (SELECT k.video_id FROM article_videos k JOIN videos kv ON kv.id = k.video_id \
                WHERE k.article_id = a.id AND kv.poster_media_id IS NOT NULL \
                ORDER BY k.position LIMIT 1) \
             LEFT JOIN media pm ON pm.id = pv.poster_media_id \
             LEFT JOIN media cm ON cm.id = a.cover_media_id \
             WHERE {PUBLISHED} ORDER BY a.published_at DESC, a.id DESC \
             LIMIT {limit} OFFSET {offset}"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(self.1.0)
            .bind(now)
            .fetch_all(self.0.read())
            .await?;
        rows.iter()
            .map(|r| Ok((summary_from_row(r)?, r.try_get("videos")?)))
            .collect()
    }
}
