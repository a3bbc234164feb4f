//! The database away at start and while serving: a clear 503 page, no panic, and service
//! resumes by itself when it is back. Runs its own PostgreSQL (initdb + pg_ctl on a free
//! port) so the shared server stays up.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

struct OwnPostgres {
    _dir: tempfile::TempDir,
    data: PathBuf,
    bin: PathBuf,
    port: u16,
}

fn pg_bin() -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL server binaries in /usr/lib/postgresql")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("pg_ctl").exists())
        .collect();
    dirs.sort();
    dirs.pop().expect("pg_ctl")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL tool as the `postgres` user (the server refuses to run as root).
fn pg_tool(bin: &Path, tool: &str, args: &[&str]) -> bool {
    let exe = bin.join(tool);
    let status = if is_root() {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(&exe)
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
    } else {
        Command::new(&exe)
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
    };
    status.map(|s| s.success()).unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl OwnPostgres {
    fn init() -> OwnPostgres {
        let dir = tempfile::tempdir().expect("dir");
        let data = dir.path().join("pgdata");
        if is_root() {
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .expect("chown");
        }
        let bin = pg_bin();
        let d = data.to_str().expect("utf-8 path");
        assert!(
            pg_tool(
                &bin,
                "initdb",
                &[
                    "-D",
                    d,
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "--no-sync",
                    "-E",
                    "UTF8"
                ]
            ),
            "initdb"
        );
        let pg = OwnPostgres {
            _dir: dir,
            data,
            bin,
            port: free_port(),
        };
        pg.start();
        pg
    }

    fn start(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.data.display()
        );
        let log = self.data.join("log");
        assert!(
            pg_tool(
                &self.bin,
                "pg_ctl",
                &[
                    "-D",
                    self.data.to_str().unwrap_or_default(),
                    "-o",
                    &opts,
                    "-l",
                    log.to_str().unwrap_or_default(),
                    "-w",
                    "start"
                ]
            ),
            "pg_ctl start"
        );
    }

    fn stop(&self) {
        assert!(
            pg_tool(
                &self.bin,
                "pg_ctl",
                &[
                    "-D",
                    self.data.to_str().unwrap_or_default(),
                    "-m",
                    "fast",
                    "-w",
                    "stop"
                ]
            ),
            "pg_ctl stop"
        );
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = pg_tool(
            &self.bin,
            "pg_ctl",
            &[
                "-D",
                self.data.to_str().unwrap_or_default(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }
}

async fn status_of(app: &TestApp, path: &str) -> u16 {
    client_from(None, CHROME)
        .get(app.url(path))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

async fn wait_for(app: &TestApp, path: &str, want: u16, secs: u64) -> bool {
    for _ in 0..secs * 10 {
        if status_of(app, path).await == want {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// A database `cong` on the server, with the demo content.
fn create_db(pg: &OwnPostgres) -> String {
    let status = Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &pg.port.to_string(),
            "-U",
            "postgres",
            "-qc",
            "CREATE DATABASE cong",
        ])
        .status()
        .expect("psql");
    assert!(status.success(), "create database");
    let url = pg.url("cong");
    let dir = tempfile::tempdir().expect("dir");
    let out = Command::new(BIN)
        .args(["demo", "--database", &url])
        .env_remove("CONG_CONFIG")
        .env("CONG_SITE__MEDIA_DIR", dir.path().join("media"))
        .output()
        .expect("cong demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    url
}

#[tokio::test]
async fn database_away_while_serving_gives_503_and_service_resumes() {
    // Pages not in the page cache need the store; those in it are served from memory.
    let pg = OwnPostgres::init();
    let url = create_db(&pg);
    let mut app = TestApp::builder()
        .shared(&url)
        .env("CONG_DATABASE__ACQUIRE_TIMEOUT", "1s")
        .env("CONG_STATS__FLUSH_INTERVAL", "300ms")
        .start()
        .await;
    assert_eq!(status_of(&app, "/").await, 200);
    app.get_from("127.0.0.2", CHROME, "/").await;
    // Two of the stored images: one copied into the node's folder before the outage.
    let images = stored_media_files(&app.store().await).await;
    let (copied, not_copied) = (
        format!("/media/{}", images[0]),
        format!("/media/{}", images[1]),
    );
    assert_eq!(status_of(&app, &copied).await, 200);

    pg.stop();
    // A page kept in memory is still served (its numbers come from memory too)…
    let res = client_from(None, CHROME)
        .get(app.url("/"))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200, "the kept home page");
    assert_eq!(res.headers()["x-cache"], "hit");
    // …and one that must be read from the store is a clear 503.
    let res = client_from(None, CHROME)
        .get(app.url("/chuyen-muc/gioi-thieu"))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    let html = res.text().await.expect("body");
    assert!(html.contains("Tạm thời gián đoạn"), "a clear page: {html}");
    assert_eq!(status_of(&app, "/healthz").await, 503);
    let css = regex::Regex::new(r#"href="(/static/site\.[0-9a-f]+\.css)""#)
        .expect("regex")
        .captures(&html)
        .expect("the 503 page keeps its style")[1]
        .to_owned();
    assert_eq!(
        status_of(&app, &css).await,
        200,
        "static files still served"
    );
    // A media file the folder has is served; one it lacks needs the store: a 503, not a 404.
    assert_eq!(status_of(&app, &copied).await, 200, "the folder's copy");
    let res = client_from(None, CHROME)
        .get(app.url(&not_copied))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 503, "{not_copied}");
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(
        res.headers()["cache-control"],
        "no-store",
        "never kept a year"
    );
    // Readers keep coming while it is away; none of this may crash the node.
    for i in 0..5 {
        app.get_from(
            &format!("127.0.0.{}", 10 + i),
            CHROME,
            "/chuyen-muc/van-ban",
        )
        .await;
    }

    pg.start();
    assert!(
        wait_for(&app, "/", 200, 30).await,
        "service resumes by itself"
    );
    assert!(wait_for(&app, "/healthz", 200, 10).await);
    after_flush().await;
    let w = widget(&app.peek("/").await);
    assert!(
        w[1] >= 1,
        "what was counted before the outage is kept: {w:?}"
    );
    assert!(!app.stderr().contains("panicked"), "{}", app.stderr());
    assert!(app.stop().await.success());
}

#[tokio::test]
async fn database_away_at_start_then_back() {
    let pg = OwnPostgres::init();
    let url = create_db(&pg);
    pg.stop();
    let app = TestApp::builder()
        .shared(&url)
        .env("CONG_DATABASE__ACQUIRE_TIMEOUT", "1s")
        .no_wait()
        .start()
        .await;
    let res = client_from(None, CHROME)
        .get(app.url("/"))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 503, "a node without its database says so");
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("Tạm thời gián đoạn")
    );
    // Longer than the acquire timeout: the first attempt has failed and said why.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(status_of(&app, "/").await, 503);
    assert!(
        app.stderr().contains("database not ready (cannot connect:"),
        "a clear error in the log, with the cause rather than the pool's timeout: {}",
        app.stderr()
    );
    pg.start();
    assert!(
        wait_for(&app, "/", 200, 40).await,
        "ready once the database is there"
    );
    assert!(!app.stderr().contains("panicked"));
}

/// A kept page due to be rendered again while the database is away is served as it was
/// (`stale`) with the numbers last known, for every reader, the one whose re-render failed
/// included; only a page never kept answers 503. Fresh pages come back with the database.
#[tokio::test]
async fn kept_pages_are_served_stale_while_the_database_is_away() {
    let pg = OwnPostgres::init();
    let url = create_db(&pg);
    let mut app = TestApp::builder()
        .shared(&url)
        .env("CONG_DATABASE__ACQUIRE_TIMEOUT", "1s")
        .env("CONG_CACHE__MAX_AGE", "1s")
        .env("CONG_STATS__FLUSH_INTERVAL", "300ms")
        .start()
        .await;
    let article = format!("/bai-viet/{REFERENCE_SLUG}");
    for path in ["/", article.as_str()] {
        let res = app.get_from("127.0.0.2", CHROME, path).await;
        assert_eq!(res.status(), 200, "{path}");
    }
    after_flush().await;
    let counted = views(&app.peek(&article).await);
    assert!(counted >= 1);

    pg.stop();
    // Older than `cache.max_age`: each request tries to render the page again, and fails.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for path in ["/", article.as_str()] {
        for _ in 0..3 {
            let res = client_from(None, GOOGLEBOT)
                .get(app.url(path))
                .send()
                .await
                .expect("answer");
            assert_eq!(res.status(), 200, "{path}: the kept copy, not a 503");
            assert_eq!(res.headers()["x-cache"], "stale", "{path}");
            let html = res.text().await.expect("body");
            if path == article {
                assert_eq!(views(&html), counted, "the count as last known");
            }
        }
    }
    assert_eq!(
        status_of(&app, "/chuyen-muc/gioi-thieu").await,
        503,
        "a page never kept"
    );

    pg.start();
    let mut fresh = false;
    for _ in 0..300 {
        let res = client_from(None, GOOGLEBOT)
            .get(app.url("/"))
            .send()
            .await
            .expect("answer");
        if res.status() == 200 && res.headers()["x-cache"] != "stale" {
            fresh = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(fresh, "rendered again once the database is back");
    assert!(!app.stderr().contains("panicked"), "{}", app.stderr());
    assert!(app.stop().await.success());
}
