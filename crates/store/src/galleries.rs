//! The photo library (Thư viện ảnh): a site's published articles that carry a gallery, each
//! shown by its first picture, newest first.

use crate::articles::{ArticleSummaryRow, summary_from_row};
use crate::sites::SiteId;
use crate::{Result, Store};
use sqlx::{AssertSqlSafe, Row};

/// Published galleries of the site's own articles (a shared copy shows its original's).
const FILTER: &str = "a.site_id = $1 AND a.status = 'published' AND a.published_at <= $2 \
     AND a.origin_article_id IS NULL";

impl Store {
    /// How many published articles of `site` have a gallery at `now`.
    pub async fn count_galleries(&self, site: SiteId, now: i64) -> Result<i64> {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM articles a WHERE {FILTER} \
             AND EXISTS (SELECT 1 FROM article_images i WHERE i.article_id = a.id)"
        );
        Ok(sqlx::query(AssertSqlSafe(sql))
            .bind(site.0)
            .bind(now)
            .fetch_one(self.read())
            .await?
            .try_get("n")?)
    }

    /// A page of them, newest first: the gallery's title (else the article's) as `title`,
    /// the article's title as `summary`, its first picture as the cover, with the number
    /// of pictures.
    pub async fn list_galleries(
        &self,
        site: SiteId,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(ArticleSummaryRow, i64)>> {
        let sql = format!(
            "SELECT a.id, a.site_id, a.section_id, a.slug, \
             CASE WHEN a.gallery_title <> '' THEN a.gallery_title ELSE a.title END AS title, \
             a.title AS summary, a.author, a.featured, m.file_name AS cover_file, \
             m.widths AS cover_widths, a.published_at, \
             (SELECT COUNT(*) FROM article_images c WHERE c.article_id = a.id) AS photos \
             FROM articles a \
             JOIN article_images i ON i.article_id = a.id AND i.position = \
               (SELECT MIN(j.position) FROM article_images j WHERE j.article_id = a.id) \
             JOIN media m ON m.id = i.media_id \
             WHERE {FILTER} ORDER BY a.published_at DESC, a.id DESC LIMIT {limit} OFFSET {offset}"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(site.0)
            .bind(now)
            .fetch_all(self.read())
            .await?;
        rows.iter()
            .map(|r| Ok((summary_from_row(r)?, r.try_get("photos")?)))
            .collect()
    }
}
