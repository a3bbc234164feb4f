//! Scheduled backups of a running node: made into `[backup].folder`, reported by
//! `/healthz?details`, and whole (`cong backup verify` passes).

use crate::support::*;
use std::time::Duration;

#[tokio::test]
async fn a_scheduled_backup_is_made_and_reported_by_healthz_details() {
    let folder = tempfile::tempdir().expect("folder");
    let app = TestApp::builder()
        .env("CONG_BACKUP__FOLDER", folder.path().to_str().expect("path"))
        .env("CONG_BACKUP__SCHEDULE", "every 24h")
        .env("CONG_METRICS__TOKEN", "metrics-token-of-the-backup-test")
        .start()
        .await;
    // No backup was made for today's slot yet: the node makes it once ready.
    let mut details = serde_json::Value::Null;
    for _ in 0..300 {
        let res = app.get("/healthz?details").await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/json");
        details = serde_json::from_str(&res.text().await.expect("body")).expect("json");
        if !details["backup"]["last"].is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(details["status"], "ok");
    let last = &details["backup"]["last"];
    assert_eq!(last["ok"], true, "{details}\n{}", app.stderr());
    assert!(last["bytes"].as_u64().is_some_and(|b| b > 0), "{details}");
    assert!(last.get("error").is_none(), "causes stay in the log");
    let file = last["file"].as_str().expect("file name");
    assert!(
        file.starts_with("cong-backup-") && file.ends_with(".tar.gz"),
        "{file}"
    );
    let path = folder.path().join(file);
    let out = std::process::Command::new(BIN)
        .args(["backup", "verify"])
        .arg(&path)
        .env_remove("CONG_CONFIG")
        .output()
        .expect("verify");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(app.stderr().contains("backup made"), "{}", app.stderr());
    // And in the metrics.
    let metrics = app.metrics("metrics-token-of-the-backup-test").await;
    for line in [
        "cong_backups_total{result=\"ok\"} 1",
        "cong_backup_last_ok 1",
        "cong_backup_running 0",
    ] {
        assert!(metrics.contains(line), "{line} in:\n{metrics}");
    }
    assert!(metrics.contains("cong_backup_last_finished_timestamp_seconds "));
    // The plain check is unchanged for load balancers.
    assert_eq!(
        app.get("/healthz").await.text().await.expect("body"),
        "ok\n"
    );
}
