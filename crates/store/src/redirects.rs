//! A site's old addresses and where they lead now (`redirects`), and which cong item each
//! imported item became (`import_origins`).

use crate::sites::SiteId;
use crate::{Result, Store, Tx};

pub struct Redirects<'a>(&'a Store);

impl Store {
    pub fn redirects(&self) -> Redirects<'_> {
        Redirects(self)
    }
}

impl Redirects<'_> {
    /// Where an old address (as [`put`](Self::put) stored it) leads now.
    pub async fn find(&self, site: SiteId, old_path: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT target FROM redirects WHERE site_id = $1 AND old_path = $2")
                .bind(site.0)
                .bind(old_path)
                .fetch_optional(self.0.read())
                .await?,
        )
    }

    /// Records (or moves) an old address.
    pub async fn put(
        &self,
        tx: &mut Tx,
        site: SiteId,
        old_path: &str,
        target: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO redirects (site_id, old_path, target, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (site_id, old_path) DO UPDATE SET target = excluded.target",
        )
        .bind(site.0)
        .bind(old_path)
        .bind(target)
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    pub async fn count(&self, site: SiteId) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM redirects WHERE site_id = $1")
                .bind(site.0)
                .fetch_one(self.0.read())
                .await?,
        )
    }

    /// The cong item an imported one became.
    pub async fn origin(
        &self,
        site: SiteId,
        source: &str,
        kind: &str,
        origin_id: &str,
    ) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT item_id FROM import_origins \
             WHERE site_id = $1 AND source = $2 AND kind = $3 AND origin_id = $4",
        )
        .bind(site.0)
        .bind(source)
        .bind(kind)
        .bind(origin_id)
        .fetch_optional(self.0.read())
        .await?)
    }

    /// Records which item an imported one became.
    pub async fn put_origin(
        &self,
        tx: &mut Tx,
        site: SiteId,
        source: &str,
        kind: &str,
        origin_id: &str,
        item_id: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO import_origins (site_id, source, kind, origin_id, item_id) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (site_id, source, kind, origin_id) \
             DO UPDATE SET item_id = excluded.item_id",
        )
        .bind(site.0)
        .bind(source)
        .bind(kind)
        .bind(origin_id)
        .bind(item_id)
        .execute(tx.conn())
        .await?;
        Ok(())
    }
}
