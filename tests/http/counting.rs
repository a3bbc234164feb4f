//! The counters over real HTTP: the widget, article views, bots, HEAD, prefetch, proxies,
//! and nothing lost across a graceful restart.

use crate::support::join_all;
use crate::support::*;

const ARTICLE: &str = "/bai-viet/nghiem-thu-nhiem-vu-khoa-hoc-va-cong-nghe-cap-tinh-ve-ung-dung-cong-nghe-cao-trong-nong-nghiep";

#[tokio::test]
async fn widget_after_a_known_sequence_of_visitors() {
    let app = TestApp::start().await;
    assert_eq!(
        widget(&app.peek("/").await),
        [0, 0, 0, 0, 0],
        "a fresh site"
    );
    // Three readers from three addresses, one of them twice; a fourth by User-Agent.
    for ip in ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.2"] {
        assert_eq!(app.get_from(ip, CHROME, "/").await.status(), 200);
    }
    app.get_from(
        "127.0.0.2",
        &format!("{CHROME} Edg/130.0"),
        "/chuyen-muc/van-ban",
    )
    .await;
    // What the fifth request's own page shows: everything, itself included, before any flush.
    let html = app
        .get_from("127.0.0.5", CHROME, "/trang/lien-he")
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(widget(&html), [5, 5, 5, 5, 5]);
    // Bots, HEAD requests, prefetches and error pages add nothing.
    app.get_from("127.0.0.6", GOOGLEBOT, "/").await;
    app.get_from("127.0.0.7", "curl/8.5.0", "/").await;
    assert_eq!(raw(app.port, "HEAD", b"/").await.0, 200);
    client_from(Some("127.0.0.8".parse().expect("ip")), CHROME)
        .get(app.url("/"))
        .header("sec-purpose", "prefetch")
        .send()
        .await
        .expect("prefetch");
    app.get_from("127.0.0.9", CHROME, "/khong-co").await;
    app.get_from("127.0.0.9", CHROME, "/chuyen-muc/van-ban?page=abc")
        .await;
    after_flush().await;
    assert_eq!(
        widget(&app.peek("/").await),
        [5, 5, 5, 5, 5],
        "from the store"
    );
}

#[tokio::test]
async fn a_readers_own_view_shows_at_once_and_repeats_are_deduped() {
    let app = TestApp::start().await;
    let first = app
        .get_from("127.0.0.2", CHROME, ARTICLE)
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(views(&first), 1, "own view shows at once");
    let again = app
        .get_from("127.0.0.2", CHROME, ARTICLE)
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(
        views(&again),
        1,
        "a repeat within 10 minutes is not counted"
    );
    let other = app
        .get_from("127.0.0.3", CHROME, ARTICLE)
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(views(&other), 2);
    assert_eq!(
        views(&app.peek(ARTICLE).await),
        2,
        "a bot sees the count without adding"
    );
    after_flush().await;
    assert_eq!(
        views(&app.peek(ARTICLE).await),
        2,
        "the same after the flush"
    );
}

#[tokio::test]
async fn with_dedupe_zero_every_view_counts() {
    let app = TestApp::builder()
        .env("CONG_STATS__VIEW_DEDUPE", "0s")
        .start()
        .await;
    for n in 1..=4 {
        let html = app
            .get_from("127.0.0.2", CHROME, ARTICLE)
            .await
            .text()
            .await
            .expect("body");
        assert_eq!(views(&html), n);
    }
    assert_eq!(widget(&app.peek("/").await)[1], 1, "still one visit");
}

#[tokio::test]
async fn concurrent_views_are_all_stored_across_a_graceful_restart() {
    let mut app = TestApp::builder()
        .env("CONG_STATS__FLUSH_INTERVAL", "200ms")
        .start()
        .await;
    const N: usize = 120;
    let requests = (0..N).map(|i| {
        // Distinct readers: 40 source addresses × 3 browsers.
        let ip = format!("127.0.1.{}", 10 + i % 40);
        let ua = format!("{CHROME} Build/{}", i / 40);
        let url = app.url(ARTICLE);
        async move {
            let res = client_from(Some(ip.parse().expect("ip")), &ua)
                .get(url)
                .send()
                .await
                .expect("request");
            (res.status(), res.headers().get("x-cache").cloned())
        }
    });
    let answers = join_all(requests).await;
    assert!(answers.iter().all(|(s, _)| *s == 200));
    // Through the page cache: rendered once, every other reader served the kept page.
    let kept = answers
        .iter()
        .filter(|(_, h)| h.as_ref().is_some_and(|h| h == "hit"))
        .count();
    assert_eq!(kept, N - 1, "{answers:?}");
    // Stop at once: whatever the flusher has not written yet, the last flush writes.
    let status = app.stop().await;
    assert!(status.success(), "graceful stop exits 0: {status:?}");
    app.restart().await;
    assert_eq!(views(&app.peek(ARTICLE).await), N as i64);
    let w = widget(&app.peek("/").await);
    assert_eq!(w[1..], [N as i64; 4], "one visit per reader");
}

#[tokio::test]
async fn forwarded_for_only_from_trusted_proxies() {
    // Not trusted: X-Forwarded-For is ignored, every request is the one peer.
    let app = TestApp::start().await;
    for fake in ["198.51.100.1", "198.51.100.2", "2001:db8::1"] {
        client_from(None, CHROME)
            .get(app.url("/"))
            .header("x-forwarded-for", fake)
            .send()
            .await
            .expect("request");
    }
    assert_eq!(widget(&app.peek("/").await)[1], 1);

    // Trusted (the test's loopback is the proxy): each forwarded client is a reader, IPv6 too,
    // and a client cannot forge its way past the proxy's own entry.
    let app = TestApp::builder()
        .env("CONG_SERVER__TRUSTED_PROXIES", "127.0.0.0/8,::1/128")
        .start()
        .await;
    for xff in [
        "198.51.100.1",
        "198.51.100.2",
        "2001:db8::1",
        "6.6.6.6, 198.51.100.1",
        "6.6.6.7, 198.51.100.1",
    ] {
        client_from(None, CHROME)
            .get(app.url("/"))
            .header("x-forwarded-for", xff)
            .send()
            .await
            .expect("request");
    }
    assert_eq!(widget(&app.peek("/").await)[1], 3);
}

#[tokio::test]
async fn the_total_starts_from_the_configured_offset() {
    let app = TestApp::builder()
        .env("CONG_STATS__TOTAL_OFFSET", "123456")
        .start()
        .await;
    let html = app
        .get_from("127.0.0.2", CHROME, "/")
        .await
        .text()
        .await
        .expect("body");
    assert!(
        html.contains(r#"data-stat="total">123.457<"#),
        "dotted thousands"
    );
    assert_eq!(widget(&html), [1, 1, 1, 1, 123_457]);
}
