//! `cong migrate-store`: SQLite → PostgreSQL → SQLite gives the same content and counts;
//! a non-empty target is refused; an interrupted copy can be run again.

use crate::support::*;
use cong_store::Backend;
use cong_store::testing::TestDb;
use std::process::{Command, Output};

const REF: &str = "/bai-viet/hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang";

fn migrate(from: &str, to: &str, extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(["migrate-store", "--from", from, "--to", to])
        .args(extra)
        .env_remove("CONG_CONFIG")
        .output()
        .expect("cong migrate-store")
}

/// The parts of a page that come from the store (not the request's own view, nor the
/// address it was asked at: the print footer names the serving node's port).
fn content_of(html: &str) -> String {
    let main = &html[html.find("<main").expect("main")..html.find("</main>").expect("end")];
    regex::Regex::new(r"http://127\.0\.0\.1:\d+/")
        .expect("regex")
        .replace_all(main, "http://127.0.0.1:PORT/")
        .into_owned()
}

#[tokio::test]
async fn round_trip_sqlite_postgres_sqlite_keeps_content_and_counts() {
    // A SQLite site with some counted views.
    let dir = tempfile::tempdir().expect("dir");
    let source = demo_database(Backend::Sqlite, &dir.path().join("src")).await;
    let mut site = TestApp::builder()
        .shared(source.url())
        .env("CONG_STATS__VIEW_DEDUPE", "0s")
        .start()
        .await;
    for i in 0..7 {
        site.get_from(&format!("127.0.0.{}", 20 + i), CHROME, REF)
            .await;
    }
    assert!(site.stop().await.success());
    site.restart().await;
    let original_article = site.peek(REF).await;
    let original_home = site.peek("/").await;
    let original_widget = widget(&original_home);
    assert_eq!(views(&original_article), 7);
    assert!(site.stop().await.success());

    let pg = TestDb::create(Backend::Postgres, dir.path()).await;
    let out = migrate(&site.db_url(), pg.url(), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("verified: every table has the same rows and checksum"));
    assert!(
        text.contains("articles                     93         93  equal"),
        "{text}"
    );

    // The PostgreSQL copy serves the same site.
    let on_pg = TestApp::builder().shared(pg.url()).start().await;
    assert_eq!(
        content_of(&on_pg.peek(REF).await),
        content_of(&original_article)
    );
    assert_eq!(widget(&on_pg.peek("/").await), original_widget);
    // The media files came along: the PostgreSQL node, whose folder never had them, serves
    // the images byte for byte as the SQLite store holds them.
    let files = regex::Regex::new(r"media_files\s+(\d+)\s+(\d+)\s+equal")
        .expect("regex")
        .captures(&text)
        .map(|c| (c[1].to_owned(), c[2].to_owned()));
    assert!(
        files.as_ref().is_some_and(|(a, b)| a == b && a != "0"),
        "{text}"
    );
    let source_store = site.store().await;
    let names = stored_media_files(&source_store).await;
    for name in names.iter().take(6) {
        let res = on_pg.get(&format!("/media/{name}")).await;
        assert_eq!(res.status(), 200, "{name}");
        let want = source_store
            .media_files()
            .get(name)
            .await
            .expect("get")
            .expect("stored");
        assert_eq!(res.bytes().await.expect("bytes").as_ref(), want.as_slice());
    }
    drop(on_pg);
    // PostgreSQL's id generators moved past the copied ids: new rows do not collide.
    let out = Command::new("psql")
        .args([
            pg.url(),
            "-Atc",
            "INSERT INTO changes (kind, entity_id, at) VALUES ('test', 1, 1) RETURNING id",
        ])
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // And back to a new SQLite file.
    let back = format!("sqlite://{}", dir.path().join("back.db").display());
    let out = migrate(pg.url(), &back, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let again = TestApp::builder().shared(&back).start().await;
    assert_eq!(
        content_of(&again.peek(REF).await),
        content_of(&original_article)
    );
    assert_eq!(
        content_of(&again.peek("/").await),
        content_of(&original_home)
    );
    assert_eq!(widget(&again.peek("/").await), original_widget);
}

#[tokio::test]
async fn a_non_empty_target_is_refused_unless_forced() {
    let dir = tempfile::tempdir().expect("dir");
    let source = demo_database(Backend::Sqlite, &dir.path().join("a")).await;
    let target = demo_database(Backend::Postgres, &dir.path().join("b")).await;
    let out = migrate(source.url(), target.url(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already holds data; nothing was written")
    );
    let out = migrate(source.url(), target.url(), &["--force"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn an_interrupted_copy_can_be_run_again() {
    let dir = tempfile::tempdir().expect("dir");
    let source = demo_database(Backend::Sqlite, dir.path()).await;
    // Enough rows that the copy takes a while: 60,000 remembered visitors.
    let status = Command::new("sqlite3")
        .arg(dir.path().join("cong.db"))
        .arg(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000) \
             INSERT INTO stats_visitors (visitor, last_seen) SELECT randomblob(16), i FROM n;",
        )
        .status();
    assert!(
        status.map(|s| s.success()).unwrap_or(false),
        "the sqlite3 command is needed for this test (apt-get install sqlite3)"
    );
    let target = TestDb::create(Backend::Postgres, &dir.path().join("pg")).await;
    let mut child = std::process::Command::new(BIN)
        .args([
            "migrate-store",
            "--from",
            source.url(),
            "--to",
            target.url(),
        ])
        .env_remove("CONG_CONFIG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill it mid-copy: once some visitors have arrived, before all have.
    let mut interrupted = false;
    for _ in 0..400 {
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        let n = Command::new("psql")
            .args([target.url(), "-Atc", "SELECT COUNT(*) FROM stats_visitors"])
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .trim()
                    .parse::<i64>()
                    .ok()
            })
            .unwrap_or(0);
        if n > 0 && n < 60_000 {
            let _ = child.kill();
            interrupted = true;
            break;
        }
    }
    let _ = child.wait();
    assert!(interrupted, "the copy was caught in the middle");
    // The target is now partly filled; a re-run resumes instead of refusing.
    let out = migrate(source.url(), target.url(), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("resuming an interrupted copy"), "{text}");
    assert!(
        text.contains("stats_visitors            60000      60000  equal"),
        "{text}"
    );
}
