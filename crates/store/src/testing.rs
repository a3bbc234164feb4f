//! Fresh databases for tests, on the backend `CONG_TEST_BACKEND` names (`sqlite`, the
//! default, or `postgres`). PostgreSQL databases are created on the server at
//! `CONG_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432`), optionally cloned
//! from a template, and dropped when the [`TestDb`] is.

use crate::{Backend, Store};
use cong_config::DatabaseConfig;
use sqlx::{Connection, Executor, PgConnection};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// The backend the tests run on.
pub fn backend() -> Backend {
    match std::env::var("CONG_TEST_BACKEND").as_deref() {
        Ok("postgres" | "pg" | "postgresql") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// The PostgreSQL server for tests, without a database name.
pub fn pg_server() -> String {
    std::env::var("CONG_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// A fresh database on the test backend, opened and migrated (in `dir` for SQLite). The
/// database lives as long as the returned [`TestDb`].
pub async fn migrated_store(dir: &Path) -> (TestDb, Store) {
    let db = TestDb::create(backend(), dir).await;
    let store = Store::open(&DatabaseConfig {
        url: db.url().to_owned(),
        ..DatabaseConfig::default()
    })
    .await
    .expect("open the test database");
    store.migrate().await.expect("migrate the test database");
    (db, store)
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A database that lives as long as this value.
#[derive(Debug)]
pub struct TestDb {
    url: String,
    /// PostgreSQL database name, dropped on drop.
    pg_name: Option<String>,
    /// SQLite folder, removed on drop.
    dir: Option<PathBuf>,
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

async fn admin() -> Result<PgConnection, sqlx::Error> {
    PgConnection::connect(&format!("{}/postgres", pg_server())).await
}

impl TestDb {
    /// A new empty database on `backend`. For SQLite the file is `cong.db` in `dir`.
    pub async fn create(backend: Backend, dir: &Path) -> TestDb {
        Self::create_from(backend, dir, None).await
    }

    /// A new database on `backend`, a copy of `template` when given (a database name on
    /// PostgreSQL, a folder holding `cong.db` on SQLite).
    pub async fn create_from(backend: Backend, dir: &Path, template: Option<&str>) -> TestDb {
        match backend {
            Backend::Sqlite => {
                std::fs::create_dir_all(dir).expect("test dir");
                if let Some(t) = template {
                    for f in ["cong.db", "cong.db-wal", "cong.db-shm"] {
                        let from = Path::new(t).join(f);
                        if from.exists() {
                            std::fs::copy(&from, dir.join(f)).expect("copy template");
                        }
                    }
                }
                TestDb {
                    url: format!("sqlite://{}", dir.join("cong.db").display()),
                    pg_name: None,
                    dir: None,
                }
            }
            Backend::Postgres => {
                static SWEPT: std::sync::atomic::AtomicBool =
                    std::sync::atomic::AtomicBool::new(false);
                if !SWEPT.swap(true, Ordering::Relaxed) {
                    drop_stale().await;
                }
                let name = unique("cong_t");
                let mut conn = admin().await.expect("connect to the test PostgreSQL");
                let sql = match template {
                    Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
                    None => format!("CREATE DATABASE {name}"),
                };
                conn.execute(sqlx::AssertSqlSafe(sql))
                    .await
                    .expect("create test database");
                TestDb {
                    url: format!("{}/{name}", pg_server()),
                    pg_name: Some(name),
                    dir: None,
                }
            }
        }
    }

    /// A named PostgreSQL database kept until dropped (a template for [`TestDb::create_from`]).
    pub async fn create_pg_named(prefix: &str) -> TestDb {
        drop_stale().await;
        let name = unique(prefix);
        let mut conn = admin().await.expect("connect to the test PostgreSQL");
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create database");
        TestDb {
            url: format!("{}/{name}", pg_server()),
            pg_name: Some(name),
            dir: None,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The PostgreSQL database name, for use as a template.
    pub fn pg_name(&self) -> Option<&str> {
        self.pg_name.as_deref()
    }

    /// Keeps the database after drop (a per-process template, dropped by a later run).
    pub fn leak(mut self) -> String {
        self.pg_name = None;
        self.dir = None;
        self.url.clone()
    }
}

/// Drops test databases left by test processes that are gone.
async fn drop_stale() {
    let Ok(mut conn) = admin().await else {
        return;
    };
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'cong\\_t%' ESCAPE '\\'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = conn
                .execute(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .await;
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
        let Some(name) = self.pg_name.take() else {
            return;
        };
        // Drop may run inside a runtime, where blocking on one is not allowed: use a thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(rt) = rt {
                rt.block_on(async {
                    if let Ok(mut conn) = admin().await {
                        let _ = conn
                            .execute(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .await;
                    }
                });
            }
        })
        .join();
    }
}

/// Statements a test runs on a database behind the portal's back, by URL (to break or
/// inspect it): each `;`-separated statement in turn, so triggers' bodies are given whole.
pub async fn execute(url: &str, statements: &[&str]) {
    let store = open_raw(url).await;
    for s in statements {
        sqlx::query(sqlx::AssertSqlSafe(*s))
            .execute(store.write())
            .await
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
    store.close().await;
}

/// One number a test reads from a database by URL (`SELECT COUNT(*) …`).
pub async fn query_i64(url: &str, sql: &str) -> i64 {
    let store = open_raw(url).await;
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(store.read())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    store.close().await;
    n
}

async fn open_raw(url: &str) -> Store {
    Store::open(&DatabaseConfig {
        url: url.to_owned(),
        max_connections: 1,
        ..DatabaseConfig::default()
    })
    .await
    .expect("open the database")
}

/// Makes every insert of an audit entry with `action` fail, as a full disk or a broken
/// constraint would, until [`heal_audit`]: for tests that a write is all or nothing.
pub async fn break_audit(url: &str, action: &str) {
    match Backend::from_url(url).expect("url") {
        Backend::Sqlite => {
            execute(
                url,
                &[&format!(
                    "CREATE TRIGGER cong_test_break BEFORE INSERT ON audit_log \
                     WHEN NEW.action = '{action}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                )],
            )
            .await;
        }
        Backend::Postgres => {
            execute(
                url,
                &[
                    "CREATE OR REPLACE FUNCTION cong_test_fail() RETURNS trigger AS $$ \
                     BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql",
                    &format!(
                        "CREATE TRIGGER cong_test_break BEFORE INSERT ON audit_log FOR EACH ROW \
                         WHEN (NEW.action = '{action}') EXECUTE FUNCTION cong_test_fail()"
                    ),
                ],
            )
            .await;
        }
    }
}

/// Undoes [`break_audit`].
pub async fn heal_audit(url: &str) {
    let drop = match Backend::from_url(url).expect("url") {
        Backend::Sqlite => "DROP TRIGGER cong_test_break",
        Backend::Postgres => "DROP TRIGGER cong_test_break ON audit_log",
    };
    execute(url, &[drop]).await;
}
