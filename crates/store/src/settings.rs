//! Site settings (names, address, footer) and the "Liên kết website" links: site data an
//! administrator edits, kept out of templates.

use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub position: i64,
}

/// One site's settings and links.
pub struct Settings<'a>(&'a Store, SiteId);

impl Store {
    pub fn settings(&self, site: SiteId) -> Settings<'_> {
        Settings(self, site)
    }
}

impl Settings<'_> {
    /// Every setting as (key, value).
    pub async fn list_all(&self) -> Result<Vec<(String, String)>> {
        let rows =
            sqlx::query("SELECT key, value FROM site_settings WHERE site_id = $1 ORDER BY key")
                .bind(self.1.0)
                .fetch_all(self.0.read())
                .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("key")?, r.try_get("value")?)))
            .collect()
    }

    pub async fn find(&self, key: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM site_settings WHERE key = $1 AND site_id = $2")
                .bind(key)
                .bind(self.1.0)
                .fetch_optional(self.0.read())
                .await?,
        )
    }

    pub async fn set(&self, tx: &mut Tx, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO site_settings (key, value, site_id) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id, key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    pub async fn delete(&self, tx: &mut Tx, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM site_settings WHERE key = $1 AND site_id = $2")
            .bind(key)
            .bind(self.1.0)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    pub async fn list_links(&self) -> Result<Vec<LinkRow>> {
        let rows =
            sqlx::query(
                "SELECT id, title, url, position FROM site_links WHERE site_id = $1 AND lang = 'vi' ORDER BY position, id",
            )
            .bind(self.1.0)
                .fetch_all(self.0.read())
                .await?;
        rows.iter()
            .map(|r| {
                Ok(LinkRow {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    url: r.try_get("url")?,
                    position: r.try_get("position")?,
                })
            })
            .collect()
    }

    pub async fn insert_link(&self, title: &str, url: &str, position: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO site_links (title, url, position, site_id) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(title)
        .bind(url)
        .bind(position)
        .bind(self.1.0)
        .fetch_one(self.0.write())
        .await?)
    }
}
