//! Visitor statistics and view counts: daily secrets, visitor and view memory for the
//! counting windows, and additive counters.
//!
//! Visitors and visits are per site (a reader of two sites is one visitor of each): their
//! rows carry `site_id`, and the reads for the widget return every site's numbers at once.
//! Article views need no site: an article belongs to one.
//!
//! A flush is one transaction ([`FlushTx`]) that reads what the store remembers of the
//! batch's visitors, lets the caller decide, and adds deltas (`n = n + delta`), so flushes
//! from several nodes commute. On PostgreSQL an advisory lock orders concurrent flushes,
//! so two nodes cannot both decide that one visitor's visit is new.

use crate::sql::{CHUNK, placeholders};
use crate::{Backend, Result, SiteId, Store};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use std::collections::HashMap;

/// A visitor's keyed hash, as stored.
pub type VisitorKey = [u8; 16];

/// A visitor of one site: the same reader on two sites is two of these.
pub type SiteVisitor = (SiteId, VisitorKey);

/// The setting (in `site_settings`) holding what a site adds to its all-time total.
pub const TOTAL_OFFSET_KEY: &str = "stats.total_offset";

/// The visit counters for one moment: its day, week and month keys, and the all-time total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VisitCounts {
    pub day: i64,
    pub week: i64,
    pub month: i64,
    pub total: i64,
}

/// Period names as stored in `stats_visits.period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Day,
    Week,
    Month,
    Total,
}

impl Period {
    fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Total => "total",
        }
    }
}

pub struct Stats<'a>(&'a Store);

impl Store {
    pub fn stats(&self) -> Stats<'_> {
        Stats(self)
    }
}

fn key_from(bytes: Vec<u8>) -> Option<VisitorKey> {
    bytes.try_into().ok()
}

impl Stats<'_> {
    /// The secret for `day`: `candidate` if none was stored yet, else the one already there
    /// (another node's, or this node's before a restart).
    pub async fn ensure_secret(&self, day: i64, candidate: &[u8]) -> Result<Vec<u8>> {
        sqlx::query(
            "INSERT INTO stats_secrets (day, secret) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
        )
        .bind(day)
        .bind(candidate)
        .execute(self.0.write())
        .await?;
        Ok(
            sqlx::query_scalar("SELECT secret FROM stats_secrets WHERE day = $1")
                .bind(day)
                .fetch_one(self.0.write())
                .await?,
        )
    }

    /// Forgets the secrets of days before `day`, so old hashes can never be linked again.
    pub async fn delete_secrets_before(&self, day: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM stats_secrets WHERE day < $1")
            .bind(day)
            .execute(self.0.write())
            .await?
            .rows_affected())
    }

    /// The days that have a secret, oldest first.
    pub async fn list_secret_days(&self) -> Result<Vec<i64>> {
        Ok(
            sqlx::query_scalar("SELECT day FROM stats_secrets ORDER BY day")
                .fetch_all(self.0.read())
                .await?,
        )
    }

    /// Forgets visitors and article views older than the windows that need them.
    pub async fn prune(&self, visitors_before: i64, views_before: i64) -> Result<()> {
        sqlx::query("DELETE FROM stats_visitors WHERE last_seen < $1")
            .bind(visitors_before)
            .execute(self.0.write())
            .await?;
        sqlx::query("DELETE FROM stats_article_seen WHERE last_counted < $1")
            .bind(views_before)
            .execute(self.0.write())
            .await?;
        Ok(())
    }

    /// Visitors (of every site) seen at or after `since`, to resume after a restart.
    pub async fn list_visitors_since(&self, since: i64) -> Result<Vec<(SiteVisitor, i64)>> {
        let rows = sqlx::query(
            "SELECT site_id, visitor, last_seen FROM stats_visitors WHERE last_seen >= $1",
        )
        .bind(since)
        .fetch_all(self.0.read())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            if let Some(k) = key_from(r.try_get("visitor")?) {
                out.push(((SiteId(r.try_get("site_id")?), k), r.try_get("last_seen")?));
            }
        }
        Ok(out)
    }

    /// Article views counted at or after `since`, to resume the dedupe window after a restart.
    pub async fn list_article_seen_since(&self, since: i64) -> Result<Vec<(VisitorKey, i64, i64)>> {
        let rows = sqlx::query(
            "SELECT visitor, article_id, last_counted FROM stats_article_seen WHERE last_counted >= $1",
        )
        .bind(since)
        .fetch_all(self.0.read())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            if let Some(k) = key_from(r.try_get("visitor")?) {
                out.push((k, r.try_get("article_id")?, r.try_get("last_counted")?));
            }
        }
        Ok(out)
    }

    /// The stored visit counters of every site that has any, for the given period keys.
    pub async fn visit_counts(
        &self,
        day: i64,
        week: i64,
        month: i64,
    ) -> Result<HashMap<SiteId, VisitCounts>> {
        let rows = sqlx::query(
            "SELECT site_id, period, visits FROM stats_visits WHERE (period = 'day' AND key = $1) \
             OR (period = 'week' AND key = $2) OR (period = 'month' AND key = $3) OR period = 'total'",
        )
        .bind(day)
        .bind(week)
        .bind(month)
        .fetch_all(self.0.read())
        .await?;
        let mut out: HashMap<SiteId, VisitCounts> = HashMap::new();
        for r in rows {
            let n: i64 = r.try_get("visits")?;
            let c = out.entry(SiteId(r.try_get("site_id")?)).or_default();
            match r.try_get::<String, _>("period")?.as_str() {
                "day" => c.day = n,
                "week" => c.week = n,
                "month" => c.month = n,
                _ => c.total = n,
            }
        }
        Ok(out)
    }

    /// Distinct visitors of each site whose last counted page view there is after `since`.
    pub async fn count_visitors_since(&self, since: i64) -> Result<HashMap<SiteId, i64>> {
        let rows = sqlx::query(
            "SELECT site_id, COUNT(*) AS n FROM stats_visitors WHERE last_seen > $1 GROUP BY site_id",
        )
        .bind(since)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| Ok((SiteId(r.try_get("site_id")?), r.try_get("n")?)))
            .collect()
    }

    /// Each site's setting [`TOTAL_OFFSET_KEY`], as written (the caller reads the number).
    pub async fn total_offsets(&self) -> Result<Vec<(SiteId, String)>> {
        let rows = sqlx::query("SELECT site_id, value FROM site_settings WHERE key = $1")
            .bind(TOTAL_OFFSET_KEY)
            .fetch_all(self.0.read())
            .await?;
        rows.iter()
            .map(|r| Ok((SiteId(r.try_get("site_id")?), r.try_get("value")?)))
            .collect()
    }

    /// The sequence number of the last committed flush.
    pub async fn flush_seq(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT seq FROM stats_flushes WHERE id = 1")
                .fetch_one(self.0.read())
                .await?,
        )
    }

    /// Starts a flush transaction.
    pub async fn begin_flush(&self) -> Result<FlushTx> {
        let mut tx = self.0.begin_write().await?;
        if self.0.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(7262686)") // "cong" flush lock
                .execute(&mut *tx)
                .await?;
        }
        Ok(FlushTx { tx })
    }
}

/// One flush, in one transaction: read what is remembered, then add.
pub struct FlushTx {
    tx: Transaction<'static, Any>,
}

fn bind_all<'q>(
    mut q: Query<'q, Any, AnyArguments>,
    keys: &'q [VisitorKey],
) -> Query<'q, Any, AnyArguments> {
    for k in keys {
        q = q.bind(&k[..]);
    }
    q
}

impl FlushTx {
    /// When each of these visitors was last seen on their site, as stored.
    pub async fn last_seen(
        &mut self,
        visitors: &[SiteVisitor],
    ) -> Result<HashMap<SiteVisitor, i64>> {
        let wanted: std::collections::HashSet<&SiteVisitor> = visitors.iter().collect();
        // By visitor (the primary key's first column), then only the sites asked for: a
        // reader's rows on other sites are few.
        let mut keys: Vec<VisitorKey> = visitors.iter().map(|(_, v)| *v).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut out = HashMap::with_capacity(visitors.len());
        for chunk in keys.chunks(CHUNK) {
            let sql = format!(
                "SELECT site_id, visitor, last_seen FROM stats_visitors WHERE visitor IN ({})",
                placeholders(1, chunk.len())
            );
            let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), chunk)
                .fetch_all(&mut *self.tx)
                .await?;
            for r in rows {
                if let Some(k) = key_from(r.try_get("visitor")?) {
                    let key = (SiteId(r.try_get("site_id")?), k);
                    if wanted.contains(&key) {
                        out.insert(key, r.try_get("last_seen")?);
                    }
                }
            }
        }
        Ok(out)
    }

    /// When each (visitor, article) view was last counted, as stored.
    pub async fn article_last_counted(
        &mut self,
        keys: &[(VisitorKey, i64)],
    ) -> Result<HashMap<(VisitorKey, i64), i64>> {
        let mut out = HashMap::with_capacity(keys.len());
        for chunk in keys.chunks(CHUNK / 2) {
            let mut sql = String::from(
                "SELECT visitor, article_id, last_counted FROM stats_article_seen WHERE ",
            );
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push_str(" OR ");
                }
                sql.push_str(&format!(
                    "(visitor = ${} AND article_id = ${})",
                    2 * i + 1,
                    2 * i + 2
                ));
            }
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (v, a) in chunk {
                q = q.bind(&v[..]).bind(*a);
            }
            for r in q.fetch_all(&mut *self.tx).await? {
                if let Some(k) = key_from(r.try_get("visitor")?) {
                    out.insert((k, r.try_get("article_id")?), r.try_get("last_counted")?);
                }
            }
        }
        Ok(out)
    }

    /// Raises each visitor's last-seen time on their site (never lowers it).
    pub async fn set_last_seen(&mut self, rows: &[(SiteVisitor, i64)]) -> Result<()> {
        for chunk in rows.chunks(CHUNK / 3) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                .collect();
            let sql = format!(
                "INSERT INTO stats_visitors (visitor, last_seen, site_id) VALUES {} \
                 ON CONFLICT (visitor, site_id) DO UPDATE \
                 SET last_seen = CASE WHEN excluded.last_seen > stats_visitors.last_seen \
                 THEN excluded.last_seen ELSE stats_visitors.last_seen END",
                values.join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for ((site, v), t) in chunk {
                q = q.bind(&v[..]).bind(*t).bind(site.0);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Raises each (visitor, article) last-counted time (never lowers it).
    pub async fn set_article_seen(&mut self, rows: &[(VisitorKey, i64, i64)]) -> Result<()> {
        for chunk in rows.chunks(CHUNK / 3) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                .collect();
            let sql = format!(
                "INSERT INTO stats_article_seen (visitor, article_id, last_counted) VALUES {} \
                 ON CONFLICT (visitor, article_id) DO UPDATE SET last_counted = CASE \
                 WHEN excluded.last_counted > stats_article_seen.last_counted \
                 THEN excluded.last_counted ELSE stats_article_seen.last_counted END",
                values.join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (v, a, t) in chunk {
                q = q.bind(&v[..]).bind(*a).bind(*t);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Adds visits to a site's counter of a period.
    pub async fn add_visits(
        &mut self,
        site: SiteId,
        period: Period,
        key: i64,
        visits: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO stats_visits (period, key, visits, site_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (site_id, period, key) DO UPDATE SET visits = stats_visits.visits + excluded.visits",
        )
        .bind(period.as_str())
        .bind(key)
        .bind(visits)
        .bind(site.0)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Adds counted views to an article; views of an article deleted meanwhile are dropped.
    pub async fn add_article_views(&mut self, article_id: i64, views: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO article_views (article_id, views) \
             SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM articles WHERE id = $1) \
             ON CONFLICT (article_id) DO UPDATE SET views = article_views.views + excluded.views",
        )
        .bind(article_id)
        .bind(views)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Adds counted views to an article's day (dropped, like the total, for an article
    /// deleted meanwhile).
    pub async fn add_article_views_on(
        &mut self,
        article_id: i64,
        day: i64,
        views: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO article_views_daily (article_id, day, views) \
             SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM articles WHERE id = $1) \
             ON CONFLICT (article_id, day) DO UPDATE \
             SET views = article_views_daily.views + excluded.views",
        )
        .bind(article_id)
        .bind(day)
        .bind(views)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Adds counted page views to a site's day.
    pub async fn add_page_views(&mut self, site: SiteId, day: i64, views: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO stats_page_views (site_id, day, views) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id, day) DO UPDATE SET views = stats_page_views.views + excluded.views",
        )
        .bind(site.0)
        .bind(day)
        .bind(views)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Takes this flush's sequence number; readers that see it know the flush is in.
    pub async fn next_seq(&mut self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("UPDATE stats_flushes SET seq = seq + 1 WHERE id = 1 RETURNING seq")
                .fetch_one(&mut *self.tx)
                .await?,
        )
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}
