//! One consistent read of the whole database while it serves, as of one moment whatever
//! commits meanwhile.
//!
//! SQLite: its own online copy, `VACUUM INTO` a temporary file beside the database (a
//! consistent snapshot, made inside one read transaction while writers go on; never a copy
//! of the file, which a live WAL database is not), then one read transaction on that copy,
//! which is deleted when the snapshot closes. PostgreSQL: one `REPEATABLE READ READ ONLY`
//! transaction on a connection of its own, the snapshot taken at the first statement, as
//! pg_dump does.

use crate::copy::{TableSpec, Value, count_rows_on, read_rows_on};
use crate::{Backend, Error, Result, Store};
use sqlx::{AnyConnection, Connection, Executor, Row};

/// A read transaction over every table, pinned at one moment.
pub struct Snapshot {
    conn: AnyConnection,
    backend: Backend,
    /// SQLite: the copy `VACUUM INTO` made, deleted when the snapshot is dropped.
    copy: Option<TempCopy>,
    /// When the snapshot was pinned (just after its first read returned).
    pub taken_at: jiff::Timestamp,
    /// The last migration the database has.
    pub schema_version: i64,
    /// The newest change record.
    pub last_change: i64,
    /// The last counter flush.
    pub flush_seq: i64,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("backend", &self.backend)
            .field("taken_at", &self.taken_at)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Pins a snapshot on a connection of its own (not one of the pools', which serve
    /// requests meanwhile).
    pub async fn snapshot(&self) -> Result<Snapshot> {
        let (mut conn, copy, pinned_at) = match self.backend() {
            Backend::Sqlite => {
                let copy = TempCopy::beside(self.url())?;
                let mut live = AnyConnection::connect(self.url()).await?;
                live.execute("PRAGMA busy_timeout = 5000").await?;
                let started = jiff::Timestamp::now();
                sqlx::query("VACUUM INTO $1")
                    .bind(copy.path.to_string_lossy().into_owned())
                    .execute(&mut live)
                    .await
                    .map_err(|e| Error::Backup(format!("SQLite's online copy failed: {e}")))?;
                let _ = live.close().await;
                let url = format!("sqlite://{}?mode=ro", copy.path.display());
                let mut conn = AnyConnection::connect(&url).await?;
                conn.execute("BEGIN").await?;
                (conn, Some(copy), Some(started))
            }
            Backend::Postgres => {
                let mut conn = AnyConnection::connect(self.url()).await?;
                conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?;
                (conn, None, None)
            }
        };
        // The first read pins PostgreSQL's snapshot (SQLite's copy is pinned already).
        let row = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations) AS schema_version, \
                    (SELECT COALESCE(MAX(id), 0) FROM changes) AS last_change, \
                    (SELECT COALESCE(MAX(seq), 0) FROM stats_flushes) AS flush_seq",
        )
        .fetch_one(&mut conn)
        .await
        .map_err(|e| Error::Backup(format!("not a cong database, or not migrated: {e}")))?;
        let taken_at = pinned_at.unwrap_or_else(jiff::Timestamp::now);
        Ok(Snapshot {
            schema_version: row.try_get("schema_version")?,
            last_change: row.try_get("last_change")?,
            flush_seq: row.try_get("flush_seq")?,
            conn,
            backend: self.backend(),
            copy,
            taken_at,
        })
    }
}

/// The temporary file SQLite's `VACUUM INTO` writes: beside the database (a folder the node
/// can write, on the disk the database lives on), removed on drop.
#[derive(Debug)]
struct TempCopy {
    path: std::path::PathBuf,
}

impl TempCopy {
    fn beside(url: &str) -> Result<TempCopy> {
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        let db = std::path::Path::new(rest.split('?').next().unwrap_or(rest));
        let name = db
            .file_name()
            .map_or_else(|| "cong.db".into(), |n| n.to_string_lossy().into_owned());
        let nanos = jiff::Timestamp::now().as_nanosecond();
        let path = db.with_file_name(format!(".{name}.backup-{}-{nanos}.tmp", std::process::id()));
        // VACUUM INTO refuses a file that exists; none should, but a crashed run may leave one.
        let _ = std::fs::remove_file(&path);
        Ok(TempCopy { path })
    }
}

impl Drop for TempCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Snapshot {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn count_rows(&mut self, t: &TableSpec) -> Result<i64> {
        count_rows_on(&mut self.conn, t).await
    }

    /// Rows of `t` in key order, after the key `after`, as of the snapshot.
    pub async fn read_rows(
        &mut self,
        t: &TableSpec,
        after: Option<&[Value]>,
        limit: i64,
    ) -> Result<Vec<Vec<Value>>> {
        read_rows_on(&mut self.conn, t, after, limit).await
    }

    /// Ends the read transaction, closes the connection, and deletes SQLite's copy.
    pub async fn close(mut self) {
        let _ = self.conn.execute("ROLLBACK").await;
        let _ = self.conn.close().await;
        if let Some(copy) = self.copy.take() {
            tracing::debug!(copy = %copy.path.display(), "backup snapshot copy deleted");
        }
    }
}
