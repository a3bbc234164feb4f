//! The page cache over real HTTP: a change re-renders exactly the pages that show it, the
//! spliced numbers are those an uncached render shows, and concurrent misses render once.
//! `X-Cache` says how each page was answered: `miss` and `refresh` were rendered for this
//! request, `hit` and `stale` were not.

use crate::support::*;

const PASSWORD: &str = "Giấy trắng 2026!";

async fn fetch(app: &TestApp, path: &str) -> (String, String) {
    fetch_url(app.url(path)).await
}

async fn fetch_url(url: String) -> (String, String) {
    let res = client_from(None, GOOGLEBOT)
        .get(&url)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200, "{url}");
    let how = res
        .headers()
        .get("x-cache")
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    (how, res.text().await.expect("body"))
}

/// Asserts each page was rendered again (`true`) or served as kept (`false`).
async fn expect_rendered(app: &TestApp, paths: &[String], rendered: bool, step: &str) {
    for p in paths {
        let (how, _) = fetch(app, p).await;
        let was = how == "refresh" || how == "miss";
        assert_eq!(was, rendered, "{step}: {p} answered {how:?}");
    }
}

/// An edit, an unpublish, a publish and a move to another section each re-render the pages
/// that show the article (its page, its sections' pages and feeds, "Tin khác" of its
/// neighbours, the home page, the site feeds, the sitemap) and nothing else.
#[tokio::test]
async fn changes_re_render_exactly_the_pages_that_show_them() {
    let app = TestApp::start().await;
    // An administrator: static pages are theirs to edit.
    app.add_user("quantri", "admin", PASSWORD);
    let mut editor = app.login("quantri", PASSWORD).await;
    let id = editor
        .publish(
            "Thử nghiệm bộ nhớ đệm trang",
            4,
            "Tóm tắt thử nghiệm.",
            "<p>Nội dung thử nghiệm.</p>",
        )
        .await;
    let article = "/bai-viet/thu-nghiem-bo-nho-dem-trang".to_owned();
    // A neighbour in the same section (its "Tin khác" lists the article) and a page in
    // another section, taken from the section pages themselves.
    let link = |html: &str, skip: &str| {
        regex::Regex::new(r#"href="(/bai-viet/[a-z0-9-]+)""#)
            .expect("regex")
            .captures_iter(html)
            .map(|c| c[1].to_owned())
            .find(|p| p != skip)
            .expect("an article link")
    };
    let neighbour = link(
        &fetch(&app, "/chuyen-muc/khoa-hoc-cong-nghe").await.1,
        &article,
    );
    let elsewhere = link(&fetch(&app, "/chuyen-muc/tin-tuc-su-kien").await.1, "");
    let section4: Vec<String> = [
        "/chuyen-muc/khoa-hoc-cong-nghe",
        "/chuyen-muc/khoa-hoc-cong-nghe?page=2",
        "/chuyen-muc/khoa-hoc-cong-nghe/rss.xml",
    ]
    .map(str::to_owned)
    .to_vec();
    let section2: Vec<String> = [
        "/chuyen-muc/tin-tuc-su-kien",
        "/chuyen-muc/tin-tuc-su-kien?page=3",
        "/chuyen-muc/tin-tuc-su-kien/atom.xml",
        &elsewhere,
    ]
    .map(str::to_owned)
    .to_vec();
    let site_wide: Vec<String> = ["/", "/rss.xml", "/atom.xml", "/sitemap.xml"]
        .map(str::to_owned)
        .to_vec();
    let others: Vec<String> = ["/trang/gioi-thieu", "/robots.txt", "/chuyen-muc/van-ban"]
        .map(str::to_owned)
        .to_vec();
    let mut all = vec![article.clone(), neighbour.clone()];
    for list in [&section4, &section2, &site_wide, &others] {
        all.extend(list.iter().cloned());
    }
    // Kept after the first request.
    for p in &all {
        fetch(&app, p).await;
    }
    expect_rendered(&app, &all, false, "warm").await;

    // An edit of the title.
    let save = |title: &'static str, section: &'static str| {
        let editor = &editor;
        async move {
            let res = editor
                .post(
                    &format!("/quan-tri/bai-viet/{id}"),
                    &[
                        ("title", title),
                        ("section_id", section),
                        ("summary", "Tóm tắt thử nghiệm."),
                        ("body_html", "<p>Nội dung thử nghiệm.</p>"),
                        ("author", "Kiều Diễm"),
                    ],
                )
                .await;
            assert_eq!(res.status(), 303, "saved");
        }
    };
    save("Thử nghiệm bộ nhớ đệm: đã sửa", "4").await;
    let mut affected = vec![article.clone(), neighbour.clone()];
    affected.extend(section4.iter().cloned());
    affected.extend(site_wide.iter().cloned());
    let mut unaffected = section2.clone();
    unaffected.extend(others.iter().cloned());
    let shows_title = [
        &article,
        &neighbour,
        "/",
        "/chuyen-muc/khoa-hoc-cong-nghe",
        "/rss.xml",
    ];
    for p in &affected {
        let (how, html) = fetch(&app, p).await;
        assert_eq!(how, "refresh", "edit: {p}");
        if shows_title.contains(&p.as_str()) {
            assert!(
                html.contains("Thử nghiệm bộ nhớ đệm: đã sửa"),
                "{p} shows the edit"
            );
        }
    }
    expect_rendered(&app, &unaffected, false, "edit").await;
    expect_rendered(&app, &affected, false, "after the edit").await;

    // Unpublished: its page is gone, the lists no longer show it.
    let res = editor
        .post(&format!("/quan-tri/bai-viet/{id}/go-xuong"), &[])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.get(&article).await.status(), 404, "unpublished");
    for p in [
        "/",
        "/chuyen-muc/khoa-hoc-cong-nghe",
        "/rss.xml",
        "/sitemap.xml",
    ] {
        let (how, html) = fetch(&app, p).await;
        assert_eq!(how, "refresh", "{p}");
        assert!(
            !html.contains("thu-nghiem-bo-nho-dem-trang"),
            "{p} no longer lists it"
        );
    }
    expect_rendered(&app, &unaffected, false, "unpublish").await;

    // Published again, then moved to "Tin tức - Sự kiện": both sections' pages change.
    let res = editor
        .post(&format!("/quan-tri/bai-viet/{id}/xuat-ban"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let (how, _) = fetch(&app, &article).await;
    assert_eq!(
        how, "miss",
        "back, and its page was not kept while it was gone"
    );
    for p in &all {
        fetch(&app, p).await;
    }
    expect_rendered(&app, &all, false, "settled").await;
    save("Thử nghiệm bộ nhớ đệm: đã sửa", "2").await;
    let (how, html) = fetch(&app, "/chuyen-muc/tin-tuc-su-kien").await;
    assert_eq!(how, "refresh");
    assert!(
        html.contains("thu-nghiem-bo-nho-dem-trang"),
        "listed in its new section"
    );
    let (how, html) = fetch(&app, "/chuyen-muc/khoa-hoc-cong-nghe").await;
    assert_eq!(how, "refresh");
    assert!(
        !html.contains("thu-nghiem-bo-nho-dem-trang"),
        "gone from its old one"
    );
    expect_rendered(&app, &[neighbour.clone(), elsewhere.clone()], true, "move").await;
    expect_rendered(&app, &others, false, "move").await;

    // A static page shows in every page's footer: its change reaches every page.
    let html = editor.get_page("/quan-tri/trang/1").await.1;
    assert!(html.contains("Giới thiệu"), "the page's form");
    let res = editor
        .post(
            "/quan-tri/trang/1",
            &[
                ("title", "Giới thiệu chung"),
                ("slug", "gioi-thieu"),
                ("body_html", "<p>Giới thiệu.</p>"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "page saved");
    expect_rendered(&app, &all, true, "static page").await;
}

/// Fifty readers asking at once for a page nobody asked for yet: it is rendered once, and
/// the other forty-nine get that render.
#[tokio::test]
async fn fifty_concurrent_first_requests_render_once() {
    let app = TestApp::start().await;
    let answers = join_all((0..50).map(|i| {
        let url = app.url(&format!("/bai-viet/{REFERENCE_SLUG}"));
        async move {
            let res = client_from(None, &format!("{CHROME} Reader/{i}"))
                .get(url)
                .send()
                .await
                .expect("request");
            assert_eq!(res.status(), 200);
            let how = res.headers()["x-cache"].to_str().expect("ascii").to_owned();
            let html = res.text().await.expect("body");
            (how, views(&html))
        }
    }))
    .await;
    let misses = answers.iter().filter(|(h, _)| h == "miss").count();
    let hits = answers.iter().filter(|(h, _)| h == "hit").count();
    assert_eq!((misses, hits), (1, 49), "{answers:?}");
    // Fifty distinct readers, each counted once; every page showed its own reader's view.
    let mut shown: Vec<i64> = answers.iter().map(|(_, v)| *v).collect();
    shown.sort_unstable();
    assert_eq!(*shown.last().expect("views"), 50);
    assert!(shown[0] >= 1);
}

/// The numbers a kept page shows are those a node without the cache renders from the same
/// store: the article's views and the five rows of the widget.
#[tokio::test]
async fn spliced_numbers_equal_an_uncached_render() {
    let app = TestApp::builder()
        .env("CONG_STATS__FLUSH_INTERVAL", "200ms")
        .start()
        .await;
    let article = format!("/bai-viet/{REFERENCE_SLUG}");
    for i in 0..7 {
        let ip = format!("127.0.2.{}", 10 + i);
        assert_eq!(app.get_from(&ip, CHROME, &article).await.status(), 200);
    }
    for i in 0..3 {
        let ip = format!("127.0.3.{}", 10 + i);
        assert_eq!(app.get_from(&ip, CHROME, "/").await.status(), 200);
    }
    after_flush().await;
    let (how, cached) = fetch(&app, &article).await;
    assert_eq!(how, "hit");
    let uncached_node = TestApp::builder()
        .shared(&app.db_url())
        .env("CONG_CACHE__ENABLED", "false")
        .start()
        .await;
    let (how, uncached) = fetch(&uncached_node, &article).await;
    assert_eq!(how, "bypass", "the other node keeps nothing");
    assert_eq!(views(&cached), 7);
    assert_eq!(views(&cached), views(&uncached));
    assert_eq!(widget(&cached), widget(&uncached));
    assert_eq!(widget(&cached), [10, 10, 10, 10, 10]);
}

/// A page gone stale is rendered again by one request; readers arriving meanwhile get the
/// page as it was (no waiting, no second render), and everyone after gets the new one.
#[tokio::test]
async fn a_stale_page_is_rendered_again_once_and_served_meanwhile() {
    let app = TestApp::start().await;
    app.add_user("bientap", "editor", PASSWORD);
    let mut editor = app.login("bientap", PASSWORD).await;
    let path = "/chuyen-muc/tin-tuc-su-kien";
    fetch(&app, path).await;
    editor
        .publish(
            "Tin mới về phiên chợ nông sản",
            2,
            "Tin mới.",
            "<p>Tin mới.</p>",
        )
        .await;
    let answers = join_all((0..30).map(|_| fetch_url(app.url(path)))).await;
    let count = |h: &str| answers.iter().filter(|(how, _)| how == h).count();
    println!(
        "30 at once after a change: refresh {}, stale {}, hit {}",
        count("refresh"),
        count("stale"),
        count("hit")
    );
    assert_eq!(count("refresh"), 1, "rendered again once");
    assert_eq!(count("stale") + count("hit"), 29, "nobody else rendered");
    for (how, html) in &answers {
        let new = html.contains("Tin mới về phiên chợ nông sản");
        assert_eq!(
            new,
            how != "stale",
            "{how}: the stale copy is the page as it was"
        );
    }
    assert_eq!(fetch(&app, path).await.0, "hit");
}

/// One kept copy of a page serves every Host: a client inventing Host headers can neither
/// switch caching off for the real site nor push its pages out, and costs the cache no memory;
/// each Host still sees its own address in the page's links, feeds and sitemap, plain or
/// compressed. A Host that is not a host name or address is refused before any rendering.
#[tokio::test]
async fn invented_host_names_neither_switch_caching_off_nor_fill_the_cache() {
    use std::io::Read;
    const TOKEN: &str = "metrics-token-for-the-cache-test-0123";
    let app = TestApp::builder()
        .env("CONG_METRICS__TOKEN", TOKEN)
        .start()
        .await;
    let client = client_from(None, GOOGLEBOT);
    let get = |host: String, path: &'static str, accept: &'static str| {
        let req = client
            .get(app.url(path))
            .header("host", host)
            .header("accept-encoding", accept);
        async move {
            let res = req.send().await.expect("request");
            let status = res.status().as_u16();
            let how = res
                .headers()
                .get("x-cache")
                .map(|v| v.to_str().expect("ascii").to_owned())
                .unwrap_or_default();
            let coding = res
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().expect("ascii").to_owned());
            let body = res.bytes().await.expect("body").to_vec();
            let mut text = Vec::new();
            match coding.as_deref() {
                Some("br") => {
                    brotli::Decompressor::new(&body[..], 4096)
                        .read_to_end(&mut text)
                        .expect("brotli");
                }
                Some("gzip") => {
                    flate2::read::GzDecoder::new(&body[..])
                        .read_to_end(&mut text)
                        .expect("gzip");
                }
                _ => text = body,
            }
            (status, how, String::from_utf8(text).expect("utf-8"))
        }
    };
    let paths = ["/", "/rss.xml", "/sitemap.xml", "/robots.txt"];
    // Invented names first: the first ones seen were what the old rule kept.
    for i in 0..40 {
        let host = format!("ten-mien-{i}.example");
        for path in paths {
            let accept = ["identity", "gzip", "br"][i % 3];
            let (status, how, text) = get(host.clone(), path, accept).await;
            assert_eq!(status, 200, "{host}{path}");
            assert_ne!(
                how, "bypass",
                "{host}{path} is served from the one kept copy"
            );
            assert!(
                text.contains(&format!("http://{host}/")),
                "{host}{path} names its own address"
            );
            assert!(
                !text.contains("ten-mien-0.example") || i == 0,
                "{host}{path}"
            );
        }
    }
    // The real site: every page a hit, with its own address.
    let real = format!("127.0.0.1:{}", app.port);
    for path in paths {
        for accept in ["identity", "gzip", "br"] {
            let (status, how, text) = get(real.clone(), path, accept).await;
            assert_eq!((status, how.as_str()), (200, "hit"), "{path} ({accept})");
            assert!(
                text.contains(&app.url("/")),
                "{path} names the real address"
            );
            assert!(!text.contains("ten-mien-"), "{path}");
        }
    }
    let metrics = app.metrics(TOKEN).await;
    let pages: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("cong_page_cache_pages "))
        .and_then(|v| v.trim().parse().ok())
        .expect("cong_page_cache_pages");
    assert_eq!(
        pages,
        paths.len() as f64,
        "one kept page per path, whatever the Host"
    );
    // A Host that is no host name is never written into a page.
    for bad in [
        "evil.example/<script>",
        "a b",
        "x..y",
        "-x.example",
        "[::1",
        "h:99999",
        "h:",
    ] {
        let (status, _, _) = get(bad.to_owned(), "/", "identity").await;
        assert_eq!(status, 400, "{bad:?}");
    }
    let (status, how, text) = get("[::1]:8080".to_owned(), "/", "identity").await;
    assert_eq!((status, how.as_str()), (200, "hit"));
    assert!(text.contains("http://[::1]:8080/"));
}

/// A reader who hangs up does not freeze a page: 300 connections ask for the stale home page
/// and close at once (the one that claimed its re-render among them), yet the page is rendered
/// again and a change made afterwards shows, instead of the old copy being served until a
/// restart.
#[tokio::test]
async fn readers_who_hang_up_do_not_freeze_a_stale_page() {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::builder()
        .env("CONG_CACHE__MAX_AGE", "2s")
        .start()
        .await;
    app.add_user("bientap", "editor", PASSWORD);
    let mut editor = app.login("bientap", PASSWORD).await;
    assert_eq!(fetch(&app, "/").await.0, "miss");
    // Older than `cache.max_age`: the next request claims its re-render.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let port = app.port;
    let request =
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {CHROME}\r\n\r\n");
    join_all((0..300).map(|i| {
        let request = request.clone();
        async move {
            // From thirty addresses, under the per-client connection cap.
            let socket = tokio::net::TcpSocket::new_v4().expect("socket");
            let from: std::net::IpAddr = format!("127.0.1.{}", 10 + i % 30).parse().expect("ip");
            socket.bind((from, 0).into()).expect("bind");
            let mut s = socket
                .connect(([127, 0, 0, 1], port).into())
                .await
                .expect("connect");
            s.write_all(request.as_bytes()).await.expect("write");
            // Dropped here: the connection closes before any answer.
        }
    }))
    .await;
    let title = "Thông báo sau khi bạn đọc rời đi";
    editor
        .publish(title, 2, "Tin mới.", "<p>Tin mới.</p>")
        .await;
    // Bounded: a page that is not frozen is rendered again by the next request or two.
    let mut seen = Vec::new();
    for _ in 0..50 {
        let (how, html) = fetch(&app, "/").await;
        if html.contains(title) {
            assert_ne!(how, "stale", "a stale copy cannot show the change");
            return;
        }
        seen.push(how);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the home page never showed the change; it answered {seen:?}");
}

/// Compressing a kept page takes tens of megabytes while it works (brotli's match finder):
/// a burst of first visits to every article at once must not make as many compressions at
/// once. Before they were bounded, the demo's articles asked for together took the node past
/// a gigabyte resident.
#[tokio::test]
async fn a_burst_of_first_visits_does_not_compress_every_page_at_once() {
    let app = TestApp::start().await;
    let sitemap = app.peek("/sitemap.xml").await;
    let base = app.url("");
    let paths: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .filter_map(|u| u.strip_prefix(base.trim_end_matches('/')))
        .map(str::to_owned)
        .collect();
    assert!(
        paths.len() >= 60,
        "the demo has pages enough: {}",
        paths.len()
    );
    let before = app.resident_bytes();
    let pid = app.pid();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = std::sync::Arc::clone(&done);
        std::thread::spawn(move || {
            let mut peak = 0u64;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(resident_bytes_of(pid).unwrap_or(0));
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            peak
        })
    };
    let client = client_from(None, CHROME);
    // Twice: the second round finds the pages kept and compresses those still waiting.
    for _ in 0..2 {
        let statuses = join_all(paths.iter().map(|p| {
            let client = client.clone();
            let url = app.url(p);
            async move {
                let res = client
                    .get(url)
                    .header("accept-encoding", "br, gzip")
                    .send()
                    .await
                    .expect("request");
                let status = res.status().as_u16();
                res.bytes().await.expect("body");
                status
            }
        }))
        .await;
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    }
    // Give the compressions started by the last round time to finish (or pile up).
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.join().expect("sampler");
    println!(
        "{} pages at once: resident {} MB before, {} MB at the peak",
        paths.len(),
        before / 1_000_000,
        peak / 1_000_000
    );
    assert!(
        peak < before + 400_000_000,
        "compressing pages held {} MB at once",
        (peak - before) / 1_000_000
    );
}
