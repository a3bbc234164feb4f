//! Starting, restarting and stopping; the command line around the server.

use crate::support::*;
use std::process::Command;

fn total_articles(html: &str) -> usize {
    html.matches(r#"<li class="card">"#).count()
}

#[tokio::test]
async fn a_second_start_reuses_the_database_without_duplicating_the_demo() {
    let mut app = TestApp::builder().empty().start().await;
    assert_eq!(
        app.get("/").await.status(),
        200,
        "an empty site still serves"
    );
    app.stop().await;
    // Seed through the same path as `cong serve --demo`, twice.
    for _ in 0..2 {
        let out = Command::new(BIN)
            .args(["demo", "--database", &app.db_url()])
            .env("CONG_SITE__MEDIA_DIR", app.dir.path().join("media"))
            .output()
            .expect("cong demo");
        assert!(out.status.success());
    }
    app.restart().await;
    let mut listed = 0;
    for page in 1..=4 {
        let html = app
            .peek(&format!("/chuyen-muc/tin-tuc-su-kien?page={page}"))
            .await;
        listed += total_articles(&html);
    }
    assert_eq!(listed, 32, "each demo article once");
    let html = app.peek(&format!("/bai-viet/{REFERENCE_SLUG}")).await;
    assert!(html.contains("Kiều Diễm"));
}

#[tokio::test]
async fn serve_with_demo_on_a_fresh_folder_creates_the_database() {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = tokio::process::Command::new(BIN)
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("CONG_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn");
    use tokio::io::AsyncBufReadExt;
    let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let line = tokio::time::timeout(std::time::Duration::from_secs(60), lines.next_line())
        .await
        .expect("started")
        .expect("read")
        .expect("a line");
    assert!(
        line.starts_with("cong listening on http://127.0.0.1:"),
        "{line}"
    );
    let port: u16 = line
        .trim_start_matches("cong listening on http://127.0.0.1:")
        .parse()
        .expect("port");
    let health = format!("http://127.0.0.1:{port}/healthz");
    let mut ready = false;
    for _ in 0..600 {
        if let Ok(r) = client_from(None, GOOGLEBOT).get(&health).send().await
            && r.status() == 200
        {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ready, "became ready");
    assert!(
        dir.path().join("data/cong.db").exists(),
        "default database path"
    );
    assert!(dir.path().join("data/media").is_dir());
    child.kill().await.expect("kill");
}

#[test]
fn config_check_prints_effective_settings_from_file_and_environment() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("site.toml");
    std::fs::write(
        &file,
        "[stats]\ntotal_offset = 42\n[site]\ntimezone = \"Asia/Bangkok\"\n",
    )
    .expect("write");
    let out = Command::new(BIN)
        .args(["config", "check", "--config"])
        .arg(&file)
        .env("CONG_STATS__VIEW_DEDUPE", "0s")
        .env("CONG_SERVER__LISTEN", "127.0.0.1:9999,[::1]:9999")
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("total_offset = 42"), "{text}");
    assert!(text.contains("timezone = \"Asia/Bangkok\""));
    assert!(text.contains("view_dedupe = \"0s\""));
    assert!(
        text.contains(r#"listen = ["127.0.0.1:9999", "[::1]:9999"]"#),
        "{text}"
    );
    assert!(text.contains("# A visit ends after this long without a counted page view."));
    assert!(text.contains("CONG_STATS__VIEW_DEDUPE"));

    let bad = Command::new(BIN)
        .args(["config", "check"])
        .current_dir(dir.path())
        .env("CONG_SITE__TIMEZONE", "Mars/Olympus_Mons")
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("site.timezone"));
}

#[test]
fn bots_list_and_check_show_what_is_excluded() {
    let list = Command::new(BIN)
        .args(["bots", "list"])
        .output()
        .expect("run");
    assert!(list.status.success());
    let text = String::from_utf8(list.stdout).expect("utf-8");
    assert!(text.lines().filter(|l| l.starts_with("isbot\t")).count() > 150);
    assert!(text.contains("cong\t^dart/"));
    let bot = Command::new(BIN)
        .args(["bots", "check", GOOGLEBOT])
        .output()
        .expect("run");
    assert_eq!(bot.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bot.stdout).starts_with("not counted: matches isbot pattern"));
    let human = Command::new(BIN)
        .args(["bots", "check", CHROME])
        .output()
        .expect("run");
    assert!(human.status.success());
}

#[tokio::test]
async fn sigterm_stops_cleanly() {
    let mut app = TestApp::start().await;
    app.get("/").await;
    let status = app.stop().await;
    assert!(status.success(), "{status:?}");
    assert!(app.stderr().contains("stopped"), "{}", app.stderr());
}
