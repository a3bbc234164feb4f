//! Opening the store: which database a URL names, its pools, and SQLite's settings.

use crate::{Error, Result};
use cong_config::DatabaseConfig;
use sqlx::AnyConnection;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// The database behind a store; functions whose SQL differs match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a URL names: `sqlite:` or `postgres:`/`postgresql:`.
    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(Error::Setup(format!(
                "unsupported database URL {url:?}: use sqlite://path or postgres://…"
            )))
        }
    }
}

/// The store: a read pool and a write pool. On SQLite the write pool holds one connection,
/// so writers queue in the process instead of failing on a lock; on PostgreSQL both are the
/// same pool. Cloning is cheap.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    url: String,
    read: AnyPool,
    write: AnyPool,
    /// Rung when this process records a change; see `changes.rs`.
    bell: Arc<Notify>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Store {
    /// Opens (and for SQLite, creates) the database; does not migrate.
    pub async fn open(cfg: &DatabaseConfig) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(&cfg.url)?;
        let acquire =
            Duration::from_millis(u64::try_from(cfg.acquire_timeout.as_millis()).unwrap_or(5_000));
        match backend {
            Backend::Sqlite => {
                let url = sqlite_url(&cfg.url)?;
                let options = || {
                    AnyPoolOptions::new()
                        .acquire_timeout(acquire)
                        .after_connect(|conn, _| Box::pin(sqlite_pragmas(conn)))
                };
                // The writer opens first, so the file exists and is in WAL mode for readers.
                let write = options().max_connections(1).connect(&url).await?;
                let read = options()
                    .max_connections(cfg.max_connections)
                    .connect(&url)
                    .await?;
                Ok(Store {
                    backend,
                    url,
                    read,
                    write,
                    bell: Arc::default(),
                })
            }
            Backend::Postgres => {
                // Lazy: a node starts (and answers 503) while its database is down, and the
                // pool connects once it is back.
                let pool = AnyPoolOptions::new()
                    .acquire_timeout(acquire)
                    .max_connections(cfg.max_connections)
                    .connect_lazy(&cfg.url)?;
                Ok(Store {
                    backend,
                    url: cfg.url.clone(),
                    read: pool.clone(),
                    write: pool,
                    bell: Arc::default(),
                })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database URL (it may hold a password: never log it).
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn bell(&self) -> Arc<Notify> {
        Arc::clone(&self.bell)
    }

    pub(crate) fn ring(&self) {
        self.bell.notify_one();
    }

    /// Why a fresh connection cannot be made now (refused, authentication, no such
    /// database), or None when one can: a pool only says that it timed out waiting. The
    /// message never holds the URL (it may hold a password).
    pub async fn why_unreachable(&self) -> Option<String> {
        use sqlx::Connection;
        match tokio::time::timeout(Duration::from_secs(5), AnyConnection::connect(&self.url)).await
        {
            Ok(Ok(conn)) => {
                let _ = conn.close().await;
                None
            }
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some("no answer within 5 s".to_owned()),
        }
    }

    /// Connections of the read and write pools: (open, idle) each. On PostgreSQL both are
    /// the same pool.
    pub fn pool_use(&self) -> [(u32, usize); 2] {
        [
            (self.read.size(), self.read.num_idle()),
            (self.write.size(), self.write.num_idle()),
        ]
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.read).await.is_ok()
    }

    pub(crate) fn read(&self) -> &AnyPool {
        &self.read
    }

    pub(crate) fn write(&self) -> &AnyPool {
        &self.write
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a transaction that reads before it writes cannot be overtaken.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.write.begin().await?,
        })
    }

    /// Closes both pools, waiting for connections in use to come back.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// Adds `mode=rwc` (create if missing) and makes the file's folder.
fn sqlite_url(url: &str) -> Result<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(Error::Setup(
            "a SQLite store needs a file path, such as sqlite://data/cong.db".to_owned(),
        ));
    }
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Setup(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut out = format!("sqlite://{path}");
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    out.push('?');
    out.push_str(&query);
    Ok(out)
}

/// WAL lets readers go on while the writer commits; NORMAL sync is safe in WAL (a crash
/// loses at most the last commits, never corrupts); foreign keys are off by default in SQLite.
async fn sqlite_pragmas(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    for pragma in [
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA foreign_keys = ON",
        "PRAGMA busy_timeout = 5000",
    ] {
        conn.execute(pragma).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(
            Backend::from_url("sqlite://data/x.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert!(Backend::from_url("mysql://x").is_err());
    }

    #[test]
    fn sqlite_url_creates_and_adds_mode() {
        let dir = std::env::temp_dir().join(format!("cong-url-{}", std::process::id()));
        let file = dir.join("sub/x.db");
        let url = sqlite_url(&format!("sqlite://{}", file.display())).expect("url");
        assert!(url.ends_with("x.db?mode=rwc"), "{url}");
        assert!(dir.join("sub").is_dir());
        assert!(sqlite_url("sqlite::memory:").is_err());
    }
}
