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
    (
        "0009_media_files.sql",
        include_str!("../migrations/sqlite/0009_media_files.sql"),
        include_str!("../migrations/postgres/0009_media_files.sql"),
    ),
    (
        "0010_site_roles.sql",
        include_str!("../migrations/sqlite/0010_site_roles.sql"),
        include_str!("../migrations/postgres/0010_site_roles.sql"),
    ),
    (
        "0011_portal_gather.sql",
        include_str!("../migrations/sqlite/0011_portal_gather.sql"),
        include_str!("../migrations/postgres/0011_portal_gather.sql"),
    ),
    (
        "0012_site_stats.sql",
        include_str!("../migrations/sqlite/0012_site_stats.sql"),
        include_str!("../migrations/postgres/0012_site_stats.sql"),
    ),
    (
        "0013_tls.sql",
        include_str!("../migrations/sqlite/0013_tls.sql"),
        include_str!("../migrations/postgres/0013_tls.sql"),
    ),
    (
        "0014_documents.sql",
        include_str!("../migrations/sqlite/0014_documents.sql"),
        include_str!("../migrations/postgres/0014_documents.sql"),
    ),
    (
        "0015_trash_locks.sql",
        include_str!("../migrations/sqlite/0015_trash_locks.sql"),
        include_str!("../migrations/postgres/0015_trash_locks.sql"),
    ),
    (
        "0016_stats_days.sql",
        include_str!("../migrations/sqlite/0016_stats_days.sql"),
        include_str!("../migrations/postgres/0016_stats_days.sql"),
    ),
    (
        "0017_videos.sql",
        include_str!("../migrations/sqlite/0017_videos.sql"),
        include_str!("../migrations/postgres/0017_videos.sql"),
    ),
    (
        "0018_mail.sql",
        include_str!("../migrations/sqlite/0018_mail.sql"),
        include_str!("../migrations/postgres/0018_mail.sql"),
    ),
    (
        "0019_feedback.sql",
        include_str!("../migrations/sqlite/0019_feedback.sql"),
        include_str!("../migrations/postgres/0019_feedback.sql"),
    ),
    (
        "0020_notices.sql",
        include_str!("../migrations/sqlite/0020_notices.sql"),
        include_str!("../migrations/postgres/0020_notices.sql"),
    ),
    (
        "0021_consultations.sql",
        include_str!("../migrations/sqlite/0021_consultations.sql"),
        include_str!("../migrations/postgres/0021_consultations.sql"),
    ),
    (
        "0022_questions.sql",
        include_str!("../migrations/sqlite/0022_questions.sql"),
        include_str!("../migrations/postgres/0022_questions.sql"),
    ),
    (
        "0023_question_files.sql",
        include_str!("../migrations/sqlite/0023_question_files.sql"),
        include_str!("../migrations/postgres/0023_question_files.sql"),
    ),
    (
        "0024_organisation.sql",
        include_str!("../migrations/sqlite/0024_organisation.sql"),
        include_str!("../migrations/postgres/0024_organisation.sql"),
    ),
    (
        "0025_schedule.sql",
        include_str!("../migrations/sqlite/0025_schedule.sql"),
        include_str!("../migrations/postgres/0025_schedule.sql"),
    ),
    (
        "0026_navigation.sql",
        include_str!("../migrations/sqlite/0026_navigation.sql"),
        include_str!("../migrations/postgres/0026_navigation.sql"),
    ),
    (
        "0027_languages.sql",
        include_str!("../migrations/sqlite/0027_languages.sql"),
        include_str!("../migrations/postgres/0027_languages.sql"),
    ),
    (
        "0028_topic_names.sql",
        include_str!("../migrations/sqlite/0028_topic_names.sql"),
        include_str!("../migrations/postgres/0028_topic_names.sql"),
    ),
    (
        "0029_moving_in.sql",
        include_str!("../migrations/sqlite/0029_moving_in.sql"),
        include_str!("../migrations/postgres/0029_moving_in.sql"),
    ),
];

/// The schema this cong writes: the number of its last migration (as the database records
/// it in `_sqlx_migrations`).
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

    /// Applies the migrations up to `version` only: a database as an older cong left it
    /// (for tests of an upgrade).
    pub async fn migrate_to(&self, version: i64) -> Result<()> {
        migrator(self.backend())
            .run_to(version, self.write())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;
    use crate::SiteId;
    use crate::testing::{TestDb, backend, execute, query_i64};
    use std::path::Path;

    /// A database from before sites (schema 7) keeps every row, as site 1's, with its
    /// foreign keys whole; what was unique per instance is unique per site.
    #[tokio::test]
    async fn a_database_from_before_sites_becomes_site_1() {
        let dir = tempfile::tempdir().expect("dir");
        let db = TestDb::create(backend(), dir.path()).await;
        let store = crate::Store::open(&cong_config::DatabaseConfig {
            url: db.url().to_owned(),
            ..Default::default()
        })
        .await
        .expect("open");
        store.migrate_to(7).await.expect("schema 7");
        execute(
            db.url(),
            &[
                "INSERT INTO site_settings (key, value) VALUES ('site.name', 'Sở Khoa học và Công nghệ')",
                "INSERT INTO pages (id, slug, title, body_html, created_at, updated_at) \
                 VALUES (1, 'gioi-thieu', 'Giới thiệu', '<p>x</p>', 1, 1)",
                "INSERT INTO sections (id, slug, name, parent_id, page_id, created_at, updated_at) \
                 VALUES (3, 'cha', 'Cha', NULL, NULL, 1, 1), (2, 'con', 'Con', 3, 1, 1, 1)",
                "INSERT INTO media (id, hash, file_name, mime, width, height, bytes, created_at) \
                 VALUES (1, 'abc', 'abc.jpg', 'image/jpeg', 10, 10, 100, 1)",
                "INSERT INTO articles (id, section_id, slug, title, body_html, published_at, \
                 created_at, updated_at, cover_media_id) VALUES (5, 2, 'hoi-nghi', 'Hội nghị', \
                 '<p>b</p>', 1, 1, 1, 1)",
                "INSERT INTO article_images (article_id, position, media_id, alt) VALUES (5, 0, 1, 'a')",
                "INSERT INTO article_views (article_id, views) VALUES (5, 42)",
                "INSERT INTO article_redirects (slug, article_id) VALUES ('hoi-nghi-cu', 5)",
                "INSERT INTO site_links (title, url, position) VALUES ('Bộ KH&CN', 'https://most.gov.vn', 1)",
                "INSERT INTO users (id, username, role, password_hash, created_at, updated_at) \
                 VALUES (1, 'quantri', 'admin', 'x', 1, 1), (2, 'bientap', 'editor', 'x', 1, 1), \
                 (3, 'phongvien', 'author', 'x', 1, 1)",
                "INSERT INTO stats_visits (period, key, visits) VALUES ('total', 0, 1234), \
                 ('day', 20523, 7), ('week', 20520, 30), ('month', 20513, 300)",
            ],
        )
        .await;
        sqlx::query("INSERT INTO stats_visitors (visitor, last_seen) VALUES ($1, $2)")
            .bind(&[7u8; 16][..])
            .bind(1_000_i64)
            .execute(store.write())
            .await
            .expect("a visitor");
        store.migrate().await.expect("upgrade");
        let site = SiteId::FIRST;
        // Who had a role keeps it, on site 1; an administrator administers every site.
        let users = store.users();
        assert_eq!(
            users
                .find_by_id(1)
                .await
                .expect("read")
                .expect("admin")
                .role,
            "admin"
        );
        assert!(users.site_roles(1).await.expect("roles").is_empty());
        assert_eq!(
            users.site_roles(2).await.expect("roles"),
            vec![(site, "editor".to_owned())]
        );
        assert_eq!(
            users.site_roles(3).await.expect("roles"),
            vec![(site, "author".to_owned())]
        );
        let sites = store.sites().list_all().await.expect("sites");
        assert_eq!(sites.len(), 1);
        assert_eq!(sites[0].id, site);
        assert_eq!(sites[0].name, "Sở Khoa học và Công nghệ");
        // The visit counters and the visitors remembered are site 1's.
        let counts = store
            .stats()
            .visit_counts(20523, 20520, 20513)
            .await
            .expect("counts");
        assert_eq!(
            counts.get(&site),
            Some(&crate::stats::VisitCounts {
                day: 7,
                week: 30,
                month: 300,
                total: 1234
            })
        );
        assert_eq!(counts.len(), 1, "no other site has counts");
        assert_eq!(
            store
                .stats()
                .list_visitors_since(0)
                .await
                .expect("visitors"),
            vec![((site, [7u8; 16]), 1_000)]
        );
        assert_eq!(
            store
                .stats()
                .count_visitors_since(999)
                .await
                .expect("online")
                .get(&site),
            Some(&1)
        );
        let a = store
            .articles()
            .find_published_by_slug(site, "hoi-nghi", 10)
            .await
            .expect("read")
            .expect("the article is site 1's");
        assert_eq!(
            (a.id, a.views, a.cover_file.as_deref()),
            (5, 42, Some("abc.jpg"))
        );
        assert_eq!(
            store
                .articles()
                .list_images(5)
                .await
                .expect("gallery")
                .len(),
            1
        );
        assert_eq!(
            store
                .editorial(site)
                .find_redirect("hoi-nghi-cu", 10)
                .await
                .expect("redirect"),
            Some("hoi-nghi".to_owned())
        );
        let sections = store.sections(site).list_all().await.expect("sections");
        assert_eq!(sections.len(), 2);
        assert!(
            sections
                .iter()
                .any(|s| s.parent_id == Some(3) && s.page_id == Some(1))
        );
        assert_eq!(
            store
                .settings(site)
                .list_links()
                .await
                .expect("links")
                .len(),
            1
        );
        assert!(
            store
                .media(site)
                .find_by_hash("abc")
                .await
                .expect("media")
                .is_some()
        );
        // Deleting through the old foreign keys still cascades: they name the new tables.
        execute(
            db.url(),
            &[
                "DELETE FROM article_images",
                "DELETE FROM articles WHERE id = 5",
            ],
        )
        .await;
        assert_eq!(
            query_i64(db.url(), "SELECT COUNT(*) FROM article_views").await,
            0
        );
        assert_eq!(
            query_i64(db.url(), "SELECT COUNT(*) FROM article_redirects").await,
            0
        );
        // A second site may use the same slugs; one site may not use one twice.
        execute(
            db.url(),
            &[
                "INSERT INTO sites (id, name, created_at, updated_at) VALUES (2, 'Sở Tư pháp', 1, 1)",
                "INSERT INTO sections (site_id, slug, name, created_at, updated_at) VALUES (2, 'con', 'Con', 1, 1)",
                // Counters and visitors are per site too.
                "INSERT INTO stats_visits (period, key, visits, site_id) VALUES ('total', 0, 5, 2)",
            ],
        )
        .await;
        let dup = sqlx::query(
            "INSERT INTO sections (site_id, slug, name, created_at, updated_at) VALUES (2, 'con', 'Con', 1, 1)",
        )
        .execute(store.write())
        .await;
        assert!(dup.is_err(), "a slug twice in one site");
        store.close().await;
    }

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
        // Numbered 1, 2, 3 … in order, none missing: the schema version is the count.
        for (i, (name, _, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(super::number(name), i as i64 + 1, "{name} out of order");
            assert!(
                name.starts_with(&format!("{:04}_", i + 1)),
                "{name} badly named"
            );
        }
    }
}
