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
        "0009_media_files.sql",
        include_str!("../migrations/sqlite/0009_media_files.sql"),
        include_str!("../migrations/postgres/0009_media_files.sql"),
    ),
];

/// The schema this cong writes: the number of its last migration (as the database records
/// it in `_sqlx_migrations`; numbers are taken from the file names, which may skip one that
/// another branch owns).
pub fn schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |(name, _, _)| number(name))
}

/// The number a migration file starts with ("0009_media_files.sql" → 9).
fn number(name: &str) -> i64 {
    name.split('_')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_default()
}

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
            Migration::new(
                version.parse().unwrap_or_default(),
                Cow::Owned(description.to_owned()),
                MigrationType::Simple,
                AssertSqlSafe(sql).into_sql_str(),
                false,
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
        // Numbered in order, each once; a number may be missing (0008 belongs to another
        // branch until both are merged).
        let mut last = 0;
        for (name, _, _) in MIGRATIONS {
            let n = super::number(name);
            assert!(name.starts_with(&format!("{n:04}_")), "{name} badly named");
            assert!(n > last, "{name} out of order");
            last = n;
        }
    }
}
