//! A surge: past the configured number of requests at once, the excess is shed with a 503.

use crate::support::*;

/// Past `server.max_in_flight` requests at once, the excess is answered 503 with
/// Retry-After at once (a themed page), never anything worse; when the surge passes, every
/// request is served again.
#[tokio::test]
async fn a_surge_past_the_limit_gets_503_and_the_server_recovers() {
    let app = TestApp::builder()
        .env("CONG_SERVER__MAX_IN_FLIGHT", "2")
        .start()
        .await;
    let client = app.client();
    let statuses = join_all((0..120).map(|i| {
        let client = client.clone();
        let url = app.url(if i % 2 == 0 {
            "/"
        } else {
            "/chuyen-muc/tin-tuc-su-kien"
        });
        async move {
            let res = client.get(url).send().await.expect("request");
            let status = res.status().as_u16();
            let retry = res
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().expect("ascii").to_owned());
            let body = res.text().await.expect("body");
            (status, retry, body)
        }
    }))
    .await;
    let served = statuses.iter().filter(|(s, _, _)| *s == 200).count();
    let shed: Vec<_> = statuses.iter().filter(|(s, _, _)| *s == 503).collect();
    println!(
        "120 at once with 2 in flight: {served} served, {} shed",
        shed.len()
    );
    assert_eq!(served + shed.len(), 120, "only 200 or 503");
    assert!(served >= 2, "some were served");
    assert!(!shed.is_empty(), "the excess was shed");
    for (_, retry, body) in &shed {
        assert_eq!(retry.as_deref(), Some("1"), "come back in a second");
        assert!(
            body.contains("quá nhiều yêu cầu cùng lúc"),
            "a page that says why"
        );
    }
    // The health check is never shed; after the surge everything is served.
    assert_eq!(app.get("/healthz").await.status(), 200);
    for _ in 0..10 {
        assert_eq!(app.get("/").await.status(), 200, "recovered");
    }
}
