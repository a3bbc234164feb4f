//! The change log and the bell that announces it: how a node learns that another node (or
//! another process) changed something it keeps in memory.
//!
//! Every content write adds a row to `changes`. On PostgreSQL the same transaction sends
//! `NOTIFY cong_changes`; flushes of the counters send `NOTIFY cong_stats`. A [`Listener`]
//! hears both; within one process a local bell rings too, so SQLite (one node) needs no
//! round trip. Readers always catch up from the table, so a missed notification (a dropped
//! connection) costs latency, never a change.

use crate::{Backend, Result, Store};
use sqlx::Row;
use sqlx::postgres::PgListener;

/// Channel of content changes (payload: the change id).
pub const CHANNEL_CHANGES: &str = "cong_changes";
/// Channel of counter flushes (no payload).
pub const CHANNEL_STATS: &str = "cong_stats";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub id: i64,
    pub kind: String,
    pub entity_id: i64,
    pub at: i64,
}

pub struct Changes<'a>(&'a Store);

impl Store {
    pub fn changes(&self) -> Changes<'_> {
        Changes(self)
    }
}

impl Changes<'_> {
    /// Records a change and announces it.
    pub async fn record(&self, kind: &str, entity_id: i64, now: i64) -> Result<i64> {
        let mut tx = self.0.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO changes (kind, entity_id, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(kind)
        .bind(entity_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if self.0.backend() == Backend::Postgres {
            // Delivered at commit, so a listener never hears of a change it cannot read.
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL_CHANGES)
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.0.ring();
        Ok(id)
    }

    /// Changes with an id above `after`, oldest first, at most `limit`.
    pub async fn list_after(&self, after: i64, limit: i64) -> Result<Vec<ChangeRow>> {
        let rows = sqlx::query(
            "SELECT id, kind, entity_id, at FROM changes WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ChangeRow {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    entity_id: r.try_get("entity_id")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// The newest change id (0 when there is none).
    pub async fn last_id(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM changes")
                .fetch_one(self.0.read())
                .await?,
        )
    }

    /// Deletes changes older than `before` (every node has long caught up with them).
    pub async fn delete_before(&self, before: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM changes WHERE at < $1")
            .bind(before)
            .execute(self.0.write())
            .await?
            .rows_affected())
    }

    /// Tells other nodes that counters were flushed (PostgreSQL only; one node needs nothing).
    pub async fn announce_flush(&self) -> Result<()> {
        if self.0.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(CHANNEL_STATS)
                .execute(self.0.write())
                .await?;
        }
        Ok(())
    }
}

impl Store {
    /// Ends every connection that listens for changes (PostgreSQL), as a network failure
    /// would; for tests of the catch-up.
    pub async fn terminate_listeners(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
        )
        .fetch_one(self.write())
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// What woke a listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    /// A content change was announced (or rung locally): read the log.
    Changes,
    /// Another node (or this one) flushed counters.
    Stats,
    /// The connection to PostgreSQL was lost and is back: anything may have been missed.
    Reconnected,
}

/// Hears announcements: PostgreSQL notifications on both channels, or the local bell.
pub struct Listener {
    pg: Option<PgListener>,
    bell: std::sync::Arc<tokio::sync::Notify>,
}

impl Listener {
    /// Waits for the next announcement. A lost PostgreSQL connection is reconnected here
    /// (retrying every second while the database is down) and reported as `Reconnected`.
    pub async fn next(&mut self) -> Wake {
        let Some(pg) = self.pg.as_mut() else {
            self.bell.notified().await;
            return Wake::Changes;
        };
        // The bell rings for this process's own changes: no round trip needed to see them.
        let bell = self.bell.clone();
        tokio::select! {
            () = bell.notified() => Wake::Changes,
            wake = next_pg(pg) => wake,
        }
    }
}

async fn next_pg(pg: &mut PgListener) -> Wake {
    loop {
        match pg.try_recv().await {
            Ok(Some(n)) if n.channel() == CHANNEL_STATS => return Wake::Stats,
            Ok(Some(_)) => return Wake::Changes,
            // The connection dropped and sqlx has already reconnected and listens again.
            Ok(None) => return Wake::Reconnected,
            Err(e) => {
                // The database is down, or the connection died another way: wait, then
                // connect and listen again ourselves, so the gap is reported at once.
                tracing::debug!(error = %e, "change listener lost PostgreSQL; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                if pg
                    .listen_all([CHANNEL_CHANGES, CHANNEL_STATS])
                    .await
                    .is_ok()
                {
                    return Wake::Reconnected;
                }
            }
        }
    }
}

impl Store {
    /// A listener for announcements of changes and flushes.
    pub async fn listen(&self) -> Result<Listener> {
        let pg = match self.backend() {
            Backend::Postgres => {
                let mut l = PgListener::connect(self.url()).await?;
                l.listen_all([CHANNEL_CHANGES, CHANNEL_STATS]).await?;
                Some(l)
            }
            Backend::Sqlite => None,
        };
        Ok(Listener {
            pg,
            bell: self.bell(),
        })
    }
}
