//! Schema migrations, one set per backend with the same file names, applied at start.

use crate::{Backend, Result, Store};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};
use std::borrow::Cow;

/// (file name, SQLite text, PostgreSQL text), in order. A new migration adds one line here
/// and one file in each folder under `migrations/`.
const MIGRATIONS: &[(&str, &str, &str)] = &[
    (
        "0001_content.sql",
        include_str!("../migrations/sqlite/0001_content.sql"),
        include_str!("../migrations/postgres/0001_content.sql"),
    ),
    (
        "0002_stats.sql",
        include_str!("../migrations/sqlite/0002_stats.sql"),
        include_str!("../migrations/postgres/0002_stats.sql"),
    ),
    (
        "0003_changes.sql",
        include_str!("../migrations/sqlite/0003_changes.sql"),
        include_str!("../migrations/postgres/0003_changes.sql"),
    ),
    (
        "0004_backoffice.sql",
        include_str!("../migrations/sqlite/0004_backoffice.sql"),
        include_str!("../migrations/postgres/0004_backoffice.sql"),
    ),
    (
        "0005_totp_pending.sql",
        include_str!("../migrations/sqlite/0005_totp_pending.sql"),
        include_str!("../migrations/postgres/0005_totp_pending.sql"),
    ),
    (
        "0006_media_search.sql",
        include_str!("../migrations/sqlite/0006_media_search.sql"),
        include_str!("../migrations/postgres/0006_media_search.sql"),
    ),
    (
        "0007_login_limits.sql",
        include_str!("../migrations/sqlite/0007_login_limits.sql"),
        include_str!("../migrations/postgres/0007_login_limits.sql"),
    ),
    (
        "0008_sites.sql",
        include_str!("../migrations/sqlite/0008_sites.sql"),
        include_str!("../migrations/postgres/0008_sites.sql"),
    ),
];

/// The schema this cong writes: the number of its last migration.
pub fn schema_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

const FOREIGN_KEYS_OFF: &str = "PRAGMA foreign_keys = OFF;";

fn migrator(backend: Backend) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(name, sqlite, postgres)| {
            let (version, description) = name
                .trim_end_matches(".sql")
                .split_once('_')
                .unwrap_or(("0", name));
            let sql = match backend {
                Backend::Sqlite => *sqlite,
                Backend::Postgres => *postgres,
            };
            // SQLite switches foreign keys off only outside a transaction: a file that
            // needs them off (to rebuild a table others point to) holds its own.
            let own_tx = backend == Backend::Sqlite && sql.contains(FOREIGN_KEYS_OFF);
            Migration::new(
                version.parse().unwrap_or_default(),
                Cow::Owned(description.to_owned()),
                MigrationType::Simple,
                AssertSqlSafe(sql).into_sql_str(),
                own_tx,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

impl Store {
    /// Applies the migrations this database has not seen yet.
    pub async fn migrate(&self) -> Result<()> {
        migrator(self.backend()).run(self.write()).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;
    use std::path::Path;

    /// Both folders hold exactly the files listed, so the two histories cannot drift apart.
    #[test]
    fn both_backends_have_the_same_migrations() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        for backend in ["sqlite", "postgres"] {
            let mut files: Vec<String> = std::fs::read_dir(root.join(backend))
                .expect("migrations folder")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let listed: Vec<&str> = MIGRATIONS.iter().map(|m| m.0).collect();
            assert_eq!(files, listed, "migrations/{backend} differs from the list");
        }
        for (i, (name, _, _)) in MIGRATIONS.iter().enumerate() {
            assert!(
                name.starts_with(&format!("{:04}_", i + 1)),
                "{name} out of order"
            );
        }
    }
}
