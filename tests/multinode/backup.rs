//! `cong backup` while readers and an editor work, restored into the other store; `kill -9`
//! during load and during a backup; `verify` and `restore` refusing what they must.

use crate::support::*;
use cong_store::Backend;
use cong_store::testing::TestDb;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

const ARTICLES: [&str; 2] = [
    "/bai-viet/hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang",
    "/bai-viet/nghiem-thu-nhiem-vu-khoa-hoc-va-cong-nghe-cap-tinh-ve-ung-dung-cong-nghe-cao-trong-nong-nghiep",
];

/// One value from the database at `url`, through its own command-line client.
fn sql(url: &str, query: &str) -> String {
    let out = match url.strip_prefix("sqlite://") {
        Some(path) => std::process::Command::new("sqlite3")
            .args(["-cmd", ".timeout 5000"])
            .arg(path.split('?').next().unwrap_or(path))
            .arg(query)
            .output(),
        None => std::process::Command::new("psql")
            .args([url, "-Atc", query])
            .output(),
    }
    .expect("sqlite3 and psql are needed for these tests");
    assert!(
        out.status.success(),
        "{query}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn num(url: &str, query: &str) -> i64 {
    let text = sql(url, query);
    text.parse()
        .unwrap_or_else(|_| panic!("{query} gave {text:?}"))
}

fn views_stored(url: &str) -> i64 {
    num(url, "SELECT COALESCE(SUM(views), 0) FROM article_views")
}

/// What one write transaction adds together: a counted view is a new visit (every reader is
/// a new visitor), an article step is one audit entry and one change record, a save is one
/// revision and one audit entry. In a consistent snapshot these stay in step; a backup that
/// read the tables at different moments would not.
fn in_step(url: &str) -> [i64; 3] {
    let visits = num(
        url,
        "SELECT COALESCE(SUM(visits), 0) FROM stats_visits WHERE period = 'total'",
    );
    let audit = num(
        url,
        "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'article.%'",
    );
    let saves = num(
        url,
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('article.create', 'article.save')",
    );
    let changes = num(url, "SELECT COUNT(*) FROM changes WHERE kind = 'article'");
    let revisions = num(url, "SELECT COUNT(*) FROM article_revisions");
    [
        views_stored(url) - visits,
        changes - audit,
        revisions - saves,
    ]
}

/// Readers (each request a new visitor) and an editor publishing articles, until stopped.
struct Load {
    stop: Arc<AtomicBool>,
    answered: Arc<AtomicU64>,
    readers: Vec<tokio::task::JoinHandle<()>>,
    stop_editor: Arc<AtomicBool>,
    editor: Option<tokio::task::JoinHandle<()>>,
}

impl Load {
    async fn start(app: &TestApp, readers: usize) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicU64::new(0));
        let seq = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for r in 0..readers {
            let (stop, answered, seq) = (stop.clone(), answered.clone(), seq.clone());
            let urls: Vec<String> = ARTICLES.iter().map(|a| app.url(a)).collect();
            tasks.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let n = seq.fetch_add(1, Ordering::Relaxed);
                    let ua = format!("{CHROME} reader/{r}.{n}");
                    let url = &urls[usize::try_from(n).unwrap_or(0) % urls.len()];
                    if let Ok(res) = client_from(None, &ua).get(url).send().await
                        && res.status() == 200
                        && res.bytes().await.is_ok()
                    {
                        answered.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        app.add_user("bientap", "editor", "Giấy trắng 2026!");
        let mut editor = app.login("bientap", "Giấy trắng 2026!").await;
        let stop_editor = Arc::new(AtomicBool::new(false));
        let editing = stop_editor.clone();
        let editor = tokio::spawn(async move {
            let mut i = 0;
            while !editing.load(Ordering::Relaxed) {
                i += 1;
                editor
                    .publish(
                        &format!("Tin số {i} trong lúc sao lưu"),
                        2,
                        "Tóm tắt",
                        "<p>Nội dung bài viết.</p>",
                    )
                    .await;
            }
        });
        Load {
            stop,
            answered,
            readers: tasks,
            stop_editor,
            editor: Some(editor),
        }
    }

    /// Lets the editor finish the article in hand and stop (the readers go on).
    async fn stop_editor(&mut self) {
        self.stop_editor.store(true, Ordering::Relaxed);
        if let Some(editor) = self.editor.take() {
            editor.await.expect("the editor's saves all worked");
        }
    }

    fn answered(&self) -> u64 {
        self.answered.load(Ordering::Relaxed)
    }

    async fn stop(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.readers.drain(..) {
            t.await.expect("reader");
        }
        self.stop_editor().await;
        self.answered.load(Ordering::Relaxed)
    }
}

/// `cong backup` of `url` (the media files with the rows) into `file`, as its own process.
async fn backup(url: &str, file: &Path) -> std::process::Output {
    tokio::process::Command::new(BIN)
        .args(["backup", "--database", url, "--to"])
        .arg(file)
        .env_remove("CONG_CONFIG")
        .output()
        .await
        .expect("cong backup")
}

fn cong(args: &[&str]) -> std::process::Output {
    std::process::Command::new(BIN)
        .args(args)
        .env_remove("CONG_CONFIG")
        .output()
        .expect("cong")
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn manifest(file: &Path) -> serde_json::Value {
    let out = std::process::Command::new("tar")
        .arg("xzOf")
        .arg(file)
        .arg("manifest.json")
        .output()
        .expect("tar");
    assert!(out.status.success(), "{}", text(&out));
    serde_json::from_slice(&out.stdout).expect("manifest")
}

fn other(b: Backend) -> Backend {
    match b {
        Backend::Sqlite => Backend::Postgres,
        Backend::Postgres => Backend::Sqlite,
    }
}

async fn backup_under_load_restores_into_the_other_store(source: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_database(source, &dir.path().join("src")).await;
    let base = in_step(db.url());
    let node = TestApp::builder()
        .shared(db.url())
        .env("CONG_STATS__FLUSH_INTERVAL", "300ms")
        .env("CONG_STATS__VIEW_DEDUPE", "0s")
        .start()
        .await;
    let load = Load::start(&node, 4).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    // Views stored before the backup starts must be in it; those stored after it ends,
    // not. (Views still in a node's memory at the snapshot are in its next flush, after it.)
    let before = views_stored(db.url());
    let file = dir.path().join("site.tar.gz");
    let out = backup(db.url(), &file).await;
    assert!(out.status.success(), "{}", text(&out));
    let after = views_stored(db.url());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let answered = load.stop().await;
    assert!(answered > 0);

    let target_dir = dir.path().join("target");
    let target = TestDb::create(other(source), &target_dir).await;
    let out = cong(&[
        "restore",
        file.to_str().expect("path"),
        "--to",
        target.url(),
    ]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("verified: every table has the rows and checksum of the backup"),
        "{said}"
    );

    // The snapshot is one moment: what one transaction writes is all there or all absent.
    assert_eq!(in_step(target.url()), base, "tables read at one moment");
    let restored = views_stored(target.url());
    assert!(
        before <= restored && restored <= after,
        "views: {before} stored before the backup, {restored} in it, {after} after it"
    );
    assert!(restored > 0, "views were counted before the backup");
    let revisions = num(target.url(), "SELECT COUNT(*) FROM article_revisions");
    assert!(revisions > 0, "the editor saved before the backup");
    assert!(
        views_stored(db.url()) > restored,
        "views counted after the snapshot are not in it"
    );

    // Every table and file as at the snapshot: a backup of the restored store (on the other
    // database) has the same counts, checksums and files as the first.
    let again = dir.path().join("again.tar.gz");
    let out = backup(target.url(), &again).await;
    assert!(out.status.success(), "{}", text(&out));
    let (m1, m2) = (manifest(&file), manifest(&again));
    assert_eq!(m1["tables"], m2["tables"]);
    assert_eq!(m1["media_files"], m2["media_files"]);
    assert_ne!(m1["source_backend"], m2["source_backend"]);
    // The media files are in the store restored, as in the source.
    let files = num(target.url(), "SELECT COUNT(*) FROM media_files");
    assert!(files > 0, "the demo's images");
    assert_eq!(m1["media_files"], files);
    assert_eq!(num(db.url(), "SELECT COUNT(*) FROM media_files"), files);

    // And it serves, images too, from a node whose folder is empty.
    drop(node);
    let served = TestApp::builder().shared(target.url()).start().await;
    assert_eq!(served.get(ARTICLES[0]).await.status(), 200);
    assert_eq!(served.get("/").await.status(), 200, "{}", served.stderr());
    let (restored, source) = (served.store().await, {
        let cfg = cong_config::DatabaseConfig {
            url: db.url().to_owned(),
            ..Default::default()
        };
        cong_store::Store::open(&cfg).await.expect("source store")
    });
    for name in stored_media_files(&restored).await.iter().take(4) {
        let res = served.get(&format!("/media/{name}")).await;
        assert_eq!(res.status(), 200, "{name}");
        let want = source
            .media_files()
            .get(name)
            .await
            .expect("get")
            .expect("in the source");
        assert_eq!(res.bytes().await.expect("bytes").as_ref(), want.as_slice());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_sqlite_under_load_restores_into_postgres_as_its_snapshot() {
    backup_under_load_restores_into_the_other_store(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_postgres_under_load_restores_into_sqlite_as_its_snapshot() {
    backup_under_load_restores_into_the_other_store(Backend::Postgres).await;
}

/// Enough rows that a backup takes a moment: remembered visitors.
fn bulk(url: &str, n: u32) {
    let q = if url.starts_with("sqlite:") {
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
             INSERT INTO stats_visitors (visitor, last_seen) SELECT randomblob(16), i FROM n;"
        )
    } else {
        format!(
            "INSERT INTO stats_visitors (visitor, last_seen) \
             SELECT decode(md5(i::text), 'hex'), i FROM generate_series(1, {n}) AS i"
        )
    };
    sql(url, &q);
}

/// The database's own check: SQLite's integrity check, PostgreSQL's amcheck over every
/// B-tree index of the schema (with its table's rows), or a full read of every table.
fn integrity(url: &str) {
    if url.starts_with("sqlite:") {
        assert_eq!(sql(url, "PRAGMA integrity_check"), "ok");
        return;
    }
    let amcheck = sql(
        url,
        "SELECT COUNT(*) FROM pg_available_extensions WHERE name = 'amcheck'",
    ) == "1";
    if amcheck {
        sql(url, "CREATE EXTENSION IF NOT EXISTS amcheck");
        let checked = num(
            url,
            "SELECT COUNT(bt_index_check(index => c.oid, heapallindexed => true)) \
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_am am ON am.oid = c.relam \
             WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace",
        );
        assert!(checked > 20, "{checked} indexes checked");
    } else {
        for t in cong_store::copy::TABLES {
            num(
                url,
                &format!("SELECT COUNT(*) FROM (SELECT * FROM {}) AS t", t.name),
            );
        }
    }
}

async fn kill_during_load_and_backup(source: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_database(source, &dir.path().join("src")).await;
    bulk(db.url(), 200_000);
    let mut node = TestApp::builder()
        .shared(db.url())
        .env("CONG_STATS__FLUSH_INTERVAL", "500ms")
        .env("CONG_STATS__VIEW_DEDUPE", "0s")
        .start()
        .await;
    let mut load = Load::start(&node, 3).await;
    // Views answered by now are flushed within an interval: they must survive.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let answered_early = load.answered();
    after_flush().await;
    let stored_early = views_stored(db.url());
    assert!(stored_early >= i64::try_from(answered_early).unwrap_or(0));

    // The editor's saves are whole transactions either way; its client would only fail.
    load.stop_editor().await;
    let file = dir.path().join("site.tar.gz");
    let child = tokio::process::Command::new(BIN)
        .args(["backup", "--database", db.url(), "--to"])
        .arg(&file)
        .env_remove("CONG_CONFIG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("cong backup");
    let part = cong_store::backup::part_path(&file);
    // Written to once compressed rows fill the encoder's buffer: half-way through the rows.
    // Watched from a thread of its own, so a busy test runtime cannot make it late.
    let pid = child.id().expect("pid");
    let watched = (part.clone(), file.clone());
    let caught = tokio::task::spawn_blocking(move || {
        let (part, file) = watched;
        for _ in 0..15_000 {
            if std::fs::metadata(&part).is_ok_and(|m| m.len() > 0) {
                return std::process::Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status()
                    .is_ok_and(|s| s.success())
                    && !file.exists();
            }
            if file.exists() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        false
    })
    .await
    .expect("watcher");
    // And the node under load, at once.
    node.kill().await;
    let backup_out = child.wait_with_output().await.expect("backup");
    let answered = load.stop().await;
    assert!(
        caught,
        "the backup was caught half-way: {}",
        String::from_utf8_lossy(&backup_out.stderr)
    );
    assert!(!file.exists(), "a cut backup never has the final name");
    let out = cong(&["backup", "verify", part.to_str().expect("path")]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("cut short"), "{}", text(&out));

    integrity(db.url());
    node.restart().await;
    assert_eq!(node.get("/").await.status(), 200);
    let stored = views_stored(db.url());
    assert!(
        stored >= stored_early && stored <= i64::try_from(answered).unwrap_or(i64::MAX) + 3,
        "flushed views kept, at most the last interval lost: {stored_early} flushed, \
         {stored} after the restart, {answered} answered"
    );
    // The next backup is whole.
    let out = backup(db.url(), &file).await;
    assert!(out.status.success(), "{}", text(&out));
    let out = cong(&["backup", "verify", file.to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_load_and_a_backup_on_sqlite() {
    kill_during_load_and_backup(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_load_and_a_backup_on_postgres() {
    kill_during_load_and_backup(Backend::Postgres).await;
}

#[tokio::test]
async fn restore_and_verify_refuse_what_they_must() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_database(Backend::Sqlite, &dir.path().join("src")).await;
    let file = dir.path().join("site.tar.gz");
    let out = backup(db.url(), &file).await;
    assert!(out.status.success(), "{}", text(&out));
    let path = file.to_str().expect("path");

    // A non-empty target is refused without --force, and nothing is written.
    let full = demo_database(Backend::Postgres, &dir.path().join("pg")).await;
    let before = num(full.url(), "SELECT COUNT(*) FROM articles");
    let out = cong(&["restore", path, "--to", full.url()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("already holds data; nothing was written"));
    assert_eq!(num(full.url(), "SELECT COUNT(*) FROM articles"), before);
    let out = cong(&["restore", path, "--to", full.url(), "--force"]);
    assert!(out.status.success(), "{}", text(&out));

    // One byte changed in the middle: verify says so, and restore writes nothing.
    let mut bytes = std::fs::read(&file).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    let bad = dir.path().join("bad.tar.gz");
    std::fs::write(&bad, &bytes).expect("write");
    let bad = bad.to_str().expect("path");
    let out = cong(&["backup", "verify", bad]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let empty = TestDb::create(Backend::Postgres, &dir.path().join("empty")).await;
    let out = cong(&["restore", bad, "--to", empty.url()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("nothing was restored"),
        "{}",
        text(&out)
    );
    assert_eq!(
        num(
            empty.url(),
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"
        ),
        0,
        "not even migrated"
    );
}
