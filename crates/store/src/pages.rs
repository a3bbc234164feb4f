//! Static pages (trang tĩnh): introduction, contact, privacy policy.

use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body_html: String,
    pub updated_at: i64,
    /// Raised by every save (optimistic locking).
    pub version: i64,
    /// Its language ("vi", "en").
    pub lang: String,
    /// The page it translates, if it is a translation.
    pub translation_of: Option<i64>,
}

macro_rules! columns {
    () => {
        "id, slug, title, body_html, updated_at, version, lang, translation_of"
    };
}

fn from_row(row: &AnyRow) -> Result<PageRow, sqlx::Error> {
    Ok(PageRow {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        body_html: row.try_get("body_html")?,
        updated_at: row.try_get("updated_at")?,
        version: row.try_get("version")?,
        lang: row.try_get("lang")?,
        translation_of: row.try_get("translation_of")?,
    })
}

/// One site's static pages.
pub struct Pages<'a>(&'a Store, SiteId);

impl Store {
    pub fn pages(&self, site: SiteId) -> Pages<'_> {
        Pages(self, site)
    }
}

impl Pages<'_> {
    pub async fn find_by_slug(&self, slug: &str) -> Result<Option<PageRow>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM pages WHERE slug = $1 AND site_id = $2 AND trashed_at IS NULL"
        ))
        .bind(slug)
        .bind(self.1.0)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn find_by_id(&self, id: i64) -> Result<Option<PageRow>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM pages WHERE id = $1 AND site_id = $2 AND trashed_at IS NULL"
        ))
        .bind(id)
        .bind(self.1.0)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// Every page's slug and title in `lang`, in the order they were made (for the footer).
    pub async fn list_titles(&self, lang: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT slug, title FROM pages WHERE site_id = $1 AND lang = $2 AND trashed_at IS NULL \
             ORDER BY id",
        )
        .bind(self.1.0)
        .bind(lang)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("slug")?, r.try_get("title")?)))
            .collect()
    }

    /// The pages whose body shows the image `media_id` (found by its file names, as the
    /// library's delete finds them), trashed ones too, as (id, title).
    pub async fn showing_media(&self, media_id: i64) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT p.id, p.title FROM pages p JOIN media m ON m.id = $1 \
             WHERE p.site_id = $2 AND p.body_html LIKE '%/media/' || m.hash || '%' ORDER BY p.id",
        )
        .bind(media_id)
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("title")?)))
            .collect()
    }

    /// Inserts a page whose body is already sanitized.
    pub async fn insert(
        &self,
        tx: &mut Tx,
        slug: &str,
        title: &str,
        body_html: &str,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO pages (slug, title, body_html, created_at, updated_at, site_id) \
             VALUES ($1, $2, $3, $4, $4, $5) RETURNING id",
        )
        .bind(slug)
        .bind(title)
        .bind(body_html)
        .bind(now)
        .bind(self.1.0)
        .fetch_one(tx.conn())
        .await?)
    }

    /// The page as `tx` sees it, locked against other writers until `tx` ends.
    pub async fn find_for_update(&self, tx: &mut Tx, id: i64) -> Result<Option<PageRow>> {
        let lock = match tx.backend() {
            crate::Backend::Postgres => " FOR UPDATE",
            crate::Backend::Sqlite => "",
        };
        let sql = format!(
            concat!(
                "SELECT ",
                columns!(),
                " FROM pages WHERE id = $1 AND site_id = $2 AND trashed_at IS NULL{}"
            ),
            lock
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(self.1.0)
            .fetch_optional(tx.conn())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// Saves a page and raises its version.
    pub async fn update(
        &self,
        tx: &mut Tx,
        id: i64,
        slug: &str,
        title: &str,
        body_html: &str,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE pages SET slug = $2, title = $3, body_html = $4, updated_at = $5, \
             version = version + 1 WHERE id = $1 AND site_id = $6",
        )
        .bind(id)
        .bind(slug)
        .bind(title)
        .bind(body_html)
        .bind(now)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Sets a page's language and the page it translates (of the same site, or none).
    pub async fn set_language(
        &self,
        tx: &mut Tx,
        id: i64,
        lang: &str,
        translation_of: Option<i64>,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE pages SET lang = $2, translation_of = \
             (SELECT o.id FROM pages o WHERE o.id = $3 AND o.site_id = $4 AND o.id <> $1) \
             WHERE id = $1 AND site_id = $4",
        )
        .bind(id)
        .bind(lang)
        .bind(translation_of)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// A page and its translations (the original it translates and the original's other
    /// translations), as (language, slug), the page itself included.
    pub async fn versions(&self, page: &PageRow) -> Result<Vec<(String, String)>> {
        let original = page.translation_of.unwrap_or(page.id);
        let rows = sqlx::query(
            "SELECT lang, slug FROM pages WHERE site_id = $1 AND trashed_at IS NULL \
             AND (id = $2 OR translation_of = $2) ORDER BY id",
        )
        .bind(self.1.0)
        .bind(original)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("lang")?, r.try_get("slug")?)))
            .collect()
    }

    /// Every page with its body (for the back office's list).
    pub async fn list_all(&self) -> Result<Vec<PageRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM pages WHERE site_id = $1 AND trashed_at IS NULL ORDER BY title"
        ))
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }
}
