//! Sites: the provincial portal and its component sites, and the host names each answers on.

use crate::sql::flag;
use crate::{Result, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A site's id. Every site-bound query takes one, so no query can mix two sites' content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct SiteId(pub i64);

impl SiteId {
    /// The site every database has: what a single-site install was before sites existed.
    pub const FIRST: SiteId = SiteId(1);
}

impl std::fmt::Display for SiteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What a site is to the instance: the provincial portal (which gathers the others) or one
/// of its component sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum SiteKind {
    Portal,
    Component,
}

impl SiteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::Portal => "portal",
            SiteKind::Component => "component",
        }
    }

    pub fn parse(s: &str) -> Option<SiteKind> {
        match s {
            "portal" => Some(SiteKind::Portal),
            "component" => Some(SiteKind::Component),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRow {
    pub id: SiteId,
    pub name: String,
    /// Scheme, host and optional port; empty: the address each request comes to.
    pub address: String,
    pub kind: SiteKind,
    pub disabled: bool,
}

/// A host name a site answers on: its canonical one, or an alias that redirects to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRow {
    pub host: String,
    pub site_id: SiteId,
    pub canonical: bool,
}

/// A site's fields as an administrator sets them.
#[derive(Debug, Clone)]
pub struct NewSite<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub kind: SiteKind,
}

fn from_row(row: &AnyRow) -> Result<SiteRow, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    Ok(SiteRow {
        id: SiteId(row.try_get("id")?),
        name: row.try_get("name")?,
        address: row.try_get("address")?,
        kind: SiteKind::parse(&kind).unwrap_or(SiteKind::Component),
        disabled: flag(row, "disabled")?,
    })
}

pub struct Sites<'a>(&'a Store);

impl Store {
    pub fn sites(&self) -> Sites<'_> {
        Sites(self)
    }
}

impl Sites<'_> {
    /// Every site, disabled ones included, by id.
    pub async fn list_all(&self) -> Result<Vec<SiteRow>> {
        let rows = sqlx::query("SELECT id, name, address, kind, disabled FROM sites ORDER BY id")
            .fetch_all(self.0.read())
            .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Every host name of every site.
    pub async fn list_hosts(&self) -> Result<Vec<HostRow>> {
        let rows = sqlx::query("SELECT host, site_id, canonical FROM site_hosts ORDER BY host")
            .fetch_all(self.0.read())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(HostRow {
                    host: r.try_get("host")?,
                    site_id: SiteId(r.try_get("site_id")?),
                    canonical: flag(r, "canonical")?,
                })
            })
            .collect()
    }

    /// The site as it is in `tx` (locked on PostgreSQL until the end of `tx`).
    pub async fn find_for_update(&self, tx: &mut Tx, id: SiteId) -> Result<Option<SiteRow>> {
        let sql = match self.0.backend() {
            crate::Backend::Postgres => {
                "SELECT id, name, address, kind, disabled FROM sites WHERE id = $1 FOR UPDATE"
            }
            crate::Backend::Sqlite => {
                "SELECT id, name, address, kind, disabled FROM sites WHERE id = $1"
            }
        };
        let row = sqlx::query(sql)
            .bind(id.0)
            .fetch_optional(tx.conn())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn insert(&self, tx: &mut Tx, s: &NewSite<'_>, now: i64) -> Result<SiteId> {
        let id = sqlx::query_scalar(
            "INSERT INTO sites (name, address, kind, disabled, created_at, updated_at) \
             VALUES ($1, $2, $3, 0, $4, $4) RETURNING id",
        )
        .bind(s.name)
        .bind(s.address)
        .bind(s.kind.as_str())
        .bind(now)
        .fetch_one(tx.conn())
        .await?;
        Ok(SiteId(id))
    }

    pub async fn update(&self, tx: &mut Tx, id: SiteId, s: &NewSite<'_>, now: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE sites SET name = $2, address = $3, kind = $4, updated_at = $5 WHERE id = $1",
        )
        .bind(id.0)
        .bind(s.name)
        .bind(s.address)
        .bind(s.kind.as_str())
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn set_disabled(
        &self,
        tx: &mut Tx,
        id: SiteId,
        disabled: bool,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query("UPDATE sites SET disabled = $2, updated_at = $3 WHERE id = $1")
            .bind(id.0)
            .bind(i64::from(disabled))
            .bind(now)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Replaces a site's host names: `canonical` first (if any), then its aliases. A name
    /// another site holds is a conflict.
    pub async fn set_hosts(
        &self,
        tx: &mut Tx,
        id: SiteId,
        canonical: Option<&str>,
        aliases: &[String],
    ) -> Result<()> {
        sqlx::query("DELETE FROM site_hosts WHERE site_id = $1")
            .bind(id.0)
            .execute(tx.conn())
            .await?;
        let names = canonical
            .map(|c| (c, true))
            .into_iter()
            .chain(aliases.iter().map(|a| (a.as_str(), false)));
        for (host, is_canonical) in names {
            sqlx::query("INSERT INTO site_hosts (host, site_id, canonical) VALUES ($1, $2, $3)")
                .bind(host)
                .bind(id.0)
                .bind(i64::from(is_canonical))
                .execute(tx.conn())
                .await?;
        }
        Ok(())
    }

    /// Which site holds a host name, if any.
    pub async fn holder_of(&self, tx: &mut Tx, host: &str) -> Result<Option<SiteId>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT site_id FROM site_hosts WHERE host = $1")
            .bind(host)
            .fetch_optional(tx.conn())
            .await?;
        Ok(id.map(SiteId))
    }
}
