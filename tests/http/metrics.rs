//! `/metrics`: Prometheus' text format, checked by promtool; off by default, on the public
//! listener only with the token, or alone on its own address.

use crate::support::*;
use std::io::Write;
use std::process::{Command, Stdio};

const TOKEN: &str = "s3cr3t-token-for-tests-0123456789";

/// Runs `promtool check metrics` over an exposition; its complaints, or None.
fn promtool(exposition: &str) -> Option<String> {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian's prometheus package; scripts/test.sh installs it)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(exposition.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("promtool ran");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (!out.status.success() || !said.trim().is_empty()).then_some(said)
}

/// The value of the first sample whose line starts with `series`.
fn sample(exposition: &str, series: &str) -> Option<f64> {
    exposition
        .lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_need_the_token_and_pass_promtool() {
    let app = TestApp::builder()
        .env("CONG_METRICS__TOKEN", TOKEN)
        .start()
        .await;
    assert_eq!(app.get("/metrics").await.status(), 404, "no token");
    let wrong = app
        .client()
        .get(app.url("/metrics"))
        .bearer_auth("s3cr3t-token-for-tests-0123456788")
        .send()
        .await
        .expect("request");
    assert_eq!(wrong.status(), 404, "a wrong token");
    for _ in 0..3 {
        assert_eq!(app.get("/").await.status(), 200);
    }
    assert_eq!(app.get("/khong-co-trang-nay").await.status(), 404);
    let res = app
        .client()
        .get(app.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/plain; version=0.0.4")
    );
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body = res.text().await.expect("body");
    if let Some(complaints) = promtool(&body) {
        panic!("promtool check metrics:\n{complaints}\n---\n{body}");
    }
    let requests = |group: &str, status: &str| {
        sample(
            &body,
            &format!(r#"cong_http_requests_total{{group="{group}",status="{status}"}}"#),
        )
        .unwrap_or(0.0)
    };
    assert_eq!(requests("home", "200"), 3.0);
    assert_eq!(requests("other", "404"), 1.0);
    assert_eq!(
        sample(&body, r#"cong_page_cache_total{outcome="miss"}"#),
        Some(1.0)
    );
    assert_eq!(
        sample(&body, r#"cong_page_cache_total{outcome="hit"}"#),
        Some(2.0)
    );
    assert!(sample(&body, "cong_page_cache_bytes").is_some_and(|b| b > 1000.0));
    assert_eq!(sample(&body, "cong_ready"), Some(1.0));
    assert!(sample(&body, "process_resident_memory_bytes").is_some_and(|b| b > 1e6));
    for series in [
        "cong_http_request_duration_seconds_bucket",
        "cong_connections_open",
        "cong_stats_pending",
        "cong_stats_flush_seconds_bucket",
        "cong_stats_flush_lag_seconds",
        "cong_db_pool_connections",
        "cong_search_lag_changes",
        "process_open_fds",
    ] {
        assert!(body.contains(series), "{series} missing from:\n{body}");
    }
}

#[tokio::test]
async fn metrics_can_live_on_their_own_address_only() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("addr")
        .port();
    let app = TestApp::builder()
        .env("CONG_METRICS__LISTEN", &format!("127.0.0.1:{port}"))
        .start()
        .await;
    assert_eq!(
        app.get("/metrics").await.status(),
        404,
        "not on the public listener"
    );
    let body = app
        .client()
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .expect("the metrics listener")
        .text()
        .await
        .expect("body");
    assert!(body.contains("cong_ready 1"), "{body}");
    assert!(promtool(&body).is_none());
    // Only /metrics there: the site is not served on the metrics address.
    let other = app
        .client()
        .get(format!("http://127.0.0.1:{port}/"))
        .send()
        .await
        .expect("request");
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn metrics_are_off_by_default() {
    let app = TestApp::start().await;
    assert_eq!(app.get("/metrics").await.status(), 404);
}
