//! The change log and the bell that announces it: how a node learns that another node (or
//! another process) changed something it keeps in memory.
//!
//! Every content write adds a row to `changes`. On PostgreSQL the same transaction sends
//! `NOTIFY cong_changes`; flushes of the counters send `NOTIFY cong_stats`. A [`Listener`]
//! hears both; within one process a local bell rings too, so SQLite (one node) needs no
//! round trip. Readers always catch up from the table, so a missed notification (a dropped
//! connection) costs latency, never a change.

use crate::{Backend, Result, Store, Tx};
use sqlx::Row;
use sqlx::postgres::PgListener;

/// Channel of content changes (payload: the change id).
pub const CHANNEL_CHANGES: &str = "cong_changes";
/// Channel of counter flushes (no payload).
pub const CHANNEL_STATS: &str = "cong_stats";
/// The setting that remembers the newest change id pruned from the log.
const PRUNED_KEY: &str = "changes.pruned_through";

/// What a change is about; stored as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// An article was created, saved, published, unpublished or moved (entity: the article).
    Article,
    /// A section's list of articles changed because an article left it (entity: the section).
    Listing,
    /// A static page (entity: the page).
    Page,
    /// A section's name, place or menu entry (entity: the section).
    Section,
    /// A site's settings (entity: the site).
    Settings,
    /// A site was added, renamed, given other addresses, or disabled (entity: the site).
    Site,
    /// Every node rebuilds its search index (after a bulk load that records no change per
    /// article).
    Reindex,
    /// An image left the library with its stored files (entity: the image): nodes drop
    /// their cached copies of files no longer stored.
    Media,
    /// A site's certificate was obtained or renewed, or an ACME challenge is being answered
    /// (entity: the site): nodes reload what they serve over TLS.
    Certificate,
    /// A legal document was created, saved, published or unpublished (entity: the
    /// document): its site's library pages go stale and the search index follows.
    Document,
    /// A question of Hỏi đáp was published, or its published text changed (entity: the
    /// question): its site's Q&A pages go stale and the search index follows.
    Question,
    /// A site's work schedule (Lịch công tác) changed (entity: the site): its schedule
    /// pages and feeds go stale.
    Schedule,
    /// A site's units or people changed (entity: the site): its Cơ cấu tổ chức, Danh bạ and
    /// past leaders' pages go stale.
    Organisation,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 13] = [
        ChangeKind::Article,
        ChangeKind::Listing,
        ChangeKind::Page,
        ChangeKind::Section,
        ChangeKind::Settings,
        ChangeKind::Site,
        ChangeKind::Reindex,
        ChangeKind::Media,
        ChangeKind::Certificate,
        ChangeKind::Document,
        ChangeKind::Question,
        ChangeKind::Schedule,
        ChangeKind::Organisation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Article => "article",
            ChangeKind::Listing => "listing",
            ChangeKind::Page => "page",
            ChangeKind::Section => "section",
            ChangeKind::Settings => "settings",
            ChangeKind::Site => "site",
            ChangeKind::Reindex => "reindex",
            ChangeKind::Media => "media",
            ChangeKind::Certificate => "certificate",
            ChangeKind::Document => "document",
            ChangeKind::Question => "question",
            ChangeKind::Schedule => "schedule",
            ChangeKind::Organisation => "organisation",
        }
    }

    /// The kind a stored name stands for; `None` for a name this version does not know (a
    /// newer node wrote it), which followers treat as "anything may have changed".
    pub fn parse(name: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub id: i64,
    /// `None`: a kind this version does not know.
    pub kind: Option<ChangeKind>,
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
    /// Records a change in `tx` and announces it when `tx` commits: the change and what it
    /// says changed become visible together, or not at all.
    pub async fn record(
        &self,
        tx: &mut Tx,
        kind: ChangeKind,
        entity_id: i64,
        now: i64,
    ) -> Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO changes (kind, entity_id, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(kind.as_str())
        .bind(entity_id)
        .bind(now)
        .fetch_one(tx.conn())
        .await?;
        if tx.backend() == Backend::Postgres {
            // Delivered at commit, so a listener never hears of a change it cannot read.
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL_CHANGES)
                .bind(id.to_string())
                .execute(tx.conn())
                .await?;
        }
        tx.note_change();
        Ok(id)
    }

    /// Records a change that is a write of its own (a bulk load's "reindex").
    pub async fn record_alone(&self, kind: ChangeKind, entity_id: i64, now: i64) -> Result<i64> {
        let mut tx = self.0.begin().await?;
        let id = self.record(&mut tx, kind, entity_id, now).await?;
        tx.commit().await?;
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
                    kind: ChangeKind::parse(&r.try_get::<String, _>("kind")?),
                    entity_id: r.try_get("entity_id")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// The newest change id, pruned or not (0 when there was none).
    pub async fn last_id(&self) -> Result<i64> {
        let kept: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM changes")
            .fetch_one(self.0.read())
            .await?;
        Ok(kept.max(self.pruned_through().await?))
    }

    /// Deletes changes older than `before` (every running node has long caught up with
    /// them), and remembers the newest id deleted: a node whose marker is below it missed
    /// changes it can no longer read, and must rebuild what it derives from them.
    pub async fn prune(&self, before: i64) -> Result<u64> {
        let mut tx = self.0.begin().await?;
        let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM changes WHERE at < $1")
            .bind(before)
            .fetch_one(tx.conn())
            .await?;
        let Some(newest) = newest else {
            return Ok(0);
        };
        let n = sqlx::query("DELETE FROM changes WHERE id <= $1")
            .bind(newest)
            .execute(tx.conn())
            .await?
            .rows_affected();
        sqlx::query(
            // Kept with the first site's settings (the marker is the instance's).
            "INSERT INTO site_settings (site_id, key, value) VALUES (1, $1, $2) \
             ON CONFLICT (site_id, key) DO UPDATE SET value = excluded.value",
        )
        .bind(PRUNED_KEY)
        .bind(newest.to_string())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The newest change id ever pruned (0: none).
    pub async fn pruned_through(&self) -> Result<i64> {
        let v: Option<String> =
            sqlx::query_scalar("SELECT value FROM site_settings WHERE site_id = 1 AND key = $1")
                .bind(PRUNED_KEY)
                .fetch_optional(self.0.read())
                .await?;
        Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
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
