//! Reads for the statistics page and the "most read" lists: daily series, most-read
//! articles of a period, articles published in a time range. Every read is one site's.

use crate::{Result, SiteId, Store};
use sqlx::Row;

/// An article with its views over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MostRead {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub status: String,
    pub published_at: i64,
    pub section_name: String,
    pub section_slug: String,
    pub views: i64,
}

/// A published article as the "published per month" tables count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub published_at: i64,
    pub section_name: String,
    pub author: String,
}

/// Which articles a most-read list may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visible {
    /// Any state (the back office).
    All,
    /// Published at or before this moment, in a section of this language (the public site's
    /// pages in that language).
    PublishedAt(i64, &'static str),
}

pub struct StatsDays<'a>(&'a Store);

impl Store {
    pub fn stats_days(&self) -> StatsDays<'_> {
        StatsDays(self)
    }
}

const MOST_READ_COLUMNS: &str = "a.id, a.title, a.slug, a.status, a.published_at, \
     s.name AS section_name, s.slug AS section_slug, v.views";

impl StatsDays<'_> {
    /// Visits that started on each local day from `from` to `to` (inclusive), as
    /// (day, visits), days without visits left out.
    pub async fn visits_by_day(&self, site: SiteId, from: i64, to: i64) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT key, visits FROM stats_visits \
             WHERE site_id = $1 AND period = 'day' AND key >= $2 AND key <= $3 ORDER BY key",
        )
        .bind(site.0)
        .bind(from)
        .bind(to)
        .fetch_all(self.0.read())
        .await?)
    }

    /// Counted page views on each local day from `from` to `to` (inclusive).
    pub async fn page_views_by_day(
        &self,
        site: SiteId,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT day, views FROM stats_page_views \
             WHERE site_id = $1 AND day >= $2 AND day <= $3 ORDER BY day",
        )
        .bind(site.0)
        .bind(from)
        .bind(to)
        .fetch_all(self.0.read())
        .await?)
    }

    /// The site's most-read articles: over the local days `days` (inclusive), or all time
    /// when `None`; most views first, then the newest.
    pub async fn most_read(
        &self,
        site: SiteId,
        days: Option<(i64, i64)>,
        visible: Visible,
        limit: i64,
    ) -> Result<Vec<MostRead>> {
        let source = match days {
            Some(_) => {
                "(SELECT article_id, CAST(SUM(views) AS BIGINT) AS views FROM article_views_daily \
                 WHERE day >= $3 AND day <= $4 GROUP BY article_id)"
            }
            None => "(SELECT article_id, views FROM article_views WHERE $3 = $4)",
        };
        let (from, to) = days.unwrap_or((0, 0));
        let (published_only, at, lang) = match visible {
            Visible::All => (0_i64, 0_i64, ""),
            Visible::PublishedAt(t, lang) => (1, t, lang),
        };
        let sql = format!(
            "SELECT {MOST_READ_COLUMNS} FROM {source} v \
             JOIN articles a ON a.id = v.article_id JOIN sections s ON s.id = a.section_id \
             WHERE a.site_id = $1 AND v.views > 0 \
             AND ($5 = 0 OR (a.status = 'published' AND a.published_at <= $6 AND s.lang = $7)) \
             ORDER BY v.views DESC, a.published_at DESC, a.id DESC LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(limit)
            .bind(from)
            .bind(to)
            .bind(published_only)
            .bind(at)
            .bind(lang)
            .fetch_all(self.0.read())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(MostRead {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    slug: r.try_get("slug")?,
                    status: r.try_get("status")?,
                    published_at: r.try_get("published_at")?,
                    section_name: r.try_get("section_name")?,
                    section_slug: r.try_get("section_slug")?,
                    views: r.try_get("views")?,
                })
            })
            .collect()
    }

    /// The site's articles published (the state, not scheduled for later than `to`) from
    /// `from` up to but not including `to` (UTC seconds), with their section and byline.
    pub async fn published_between(
        &self,
        site: SiteId,
        from: i64,
        to: i64,
    ) -> Result<Vec<Published>> {
        let rows = sqlx::query(
            "SELECT a.published_at, s.name AS section_name, a.author FROM articles a \
             JOIN sections s ON s.id = a.section_id \
             WHERE a.site_id = $1 AND a.status = 'published' \
             AND a.published_at >= $2 AND a.published_at < $3",
        )
        .bind(site.0)
        .bind(from)
        .bind(to)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Published {
                    published_at: r.try_get("published_at")?,
                    section_name: r.try_get("section_name")?,
                    author: r.try_get("author")?,
                })
            })
            .collect()
    }
}

/// An article scheduled to come out later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub id: i64,
    pub title: String,
    pub published_at: i64,
}

impl StatsDays<'_> {
    /// The site's articles published for a moment after `now` (soonest first), only those
    /// `by` wrote when given.
    pub async fn scheduled(
        &self,
        site: SiteId,
        now: i64,
        by: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Scheduled>> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT id, title, published_at FROM articles \
             WHERE site_id = $1 AND status = 'published' AND published_at > $2 \
             AND ($3 = 0 OR created_by = $4) ORDER BY published_at, id LIMIT $5",
        )
        .bind(site.0)
        .bind(now)
        .bind(i64::from(by.is_some()))
        .bind(by.unwrap_or(0))
        .bind(limit)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title, published_at)| Scheduled {
                id,
                title,
                published_at,
            })
            .collect())
    }
}
