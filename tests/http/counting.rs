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

/// A flood of page views with a new random User-Agent each (every one a new visitor), while
/// nothing is flushed: the memory for visitors and pending counts stays within
/// `stats.max_visitors` and `stats.max_pending`; past them, views of new visitors are
/// dropped, logged and counted in `/metrics`, and the readers already in the batch count on.
#[tokio::test]
async fn a_flood_of_random_user_agents_stays_within_the_memory_limits() {
    const TOKEN: &str = "metrics-token-for-the-flood-test";
    let app = TestApp::builder()
        .env("CONG_STATS__FLUSH_INTERVAL", "1h")
        .env("CONG_STATS__MAX_VISITORS", "3000")
        .env("CONG_STATS__MAX_PENDING", "2000")
        .env("CONG_METRICS__TOKEN", TOKEN)
        .start()
        .await;
    // A reader before the flood.
    app.get_from("127.0.0.2", CHROME, ARTICLE).await;
    let rss_before = app.resident_bytes();
    // A connection for each request: a pooled one left idle while a slow round (a loaded
    // machine) outlasts the server's header timeout is closed by the server just as it is
    // reused, a transport race this test is not about.
    crypto();
    let client = reqwest::Client::builder()
        .user_agent(CHROME)
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client");
    let mut sent = 0;
    // 200 at a time: one client's connections are capped at 256 (max_connections_per_client).
    for round in 0..50 {
        let batch = (0..200).map(|i| {
            let client = client.clone();
            let url = app.url("/");
            async move {
                let ua = format!("{CHROME} Flood/{round}.{i}");
                let send = || client.get(&url).header("user-agent", &ua).send();
                // A fresh connection the server gave up reading on an overloaded machine
                // (its header timeout) is a transport matter, not this test's: once more.
                let res = match send().await {
                    Ok(res) => res,
                    Err(_) => send().await.expect("request, sent again"),
                };
                res.status().as_u16()
            }
        });
        let statuses = join_all(batch).await;
        assert!(statuses.iter().all(|s| *s == 200), "every page is served");
        sent += statuses.len();
    }
    let rss_after = app.resident_bytes();
    let metrics = app.metrics(TOKEN).await;
    let value = |name: &str| -> f64 {
        metrics
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in:\n{metrics}"))
    };
    let pending = value("cong_stats_pending ");
    let remembered = value("cong_stats_visitors_remembered ");
    let dropped = value("cong_stats_views_dropped_total ");
    println!(
        "{sent} views by new visitors: pending {pending}, remembered {remembered}, dropped \
         {dropped}; resident memory {} → {} MB",
        rss_before / 1_000_000,
        rss_after / 1_000_000
    );
    assert!(pending <= 2000.0, "pending {pending}");
    assert!(remembered <= 3000.0, "remembered {remembered}");
    assert_eq!(
        dropped,
        (sent + 2 - 2000) as f64,
        "every view past the limit dropped (the first reader's visitor and view took 2)"
    );
    assert!(
        app.stderr()
            .contains("the batch waiting for a flush is full (stats.max_pending)"),
        "the drop is logged"
    );
    assert!(
        rss_after < rss_before + 60_000_000,
        "resident memory grew by {} MB",
        (rss_after - rss_before) / 1_000_000
    );
    // Today: the first reader's visit and the 1,998 that fitted beside it (a visitor and an
    // article view took two places).
    let html = app.peek("/").await;
    assert_eq!(
        widget(&html)[1],
        1999,
        "the visits that fitted in the batch"
    );
}
