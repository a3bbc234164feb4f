//! Two `cong serve` processes on two ports, one PostgreSQL database.

use crate::support::*;
use cong_store::Backend;

const ARTICLE: &str = "/bai-viet/nghiem-thu-nhiem-vu-khoa-hoc-va-cong-nghe-cap-tinh-ve-ung-dung-cong-nghe-cao-trong-nong-nghiep";

async fn two_nodes(
    flush: &str,
) -> (
    tempfile::TempDir,
    cong_store::testing::TestDb,
    TestApp,
    TestApp,
) {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_database(Backend::Postgres, dir.path()).await;
    let node = || {
        TestApp::builder()
            .shared(db.url())
            .env("CONG_STATS__FLUSH_INTERVAL", flush)
            .env("CONG_STATS__VIEW_DEDUPE", "0s")
    };
    let a = node().start().await;
    let b = node().start().await;
    (dir, db, a, b)
}

/// Views from distinct readers on node `app`, concurrently; returns how many answered 200.
async fn views(app: &TestApp, from: usize, n: usize) -> usize {
    let url = app.url(ARTICLE);
    let reqs = (from..from + n).map(|i| {
        let url = url.clone();
        async move {
            let ip = format!("127.0.{}.{}", 2 + i / 200, 10 + i % 200);
            client_from(Some(ip.parse().expect("ip")), CHROME)
                .get(url)
                .send()
                .await
                .map(|r| r.status() == 200)
                .unwrap_or(false)
        }
    });
    join_all(reqs).await.into_iter().filter(|ok| *ok).count()
}

async fn stored_views(app: &TestApp) -> i64 {
    crate::support::views(&app.peek(ARTICLE).await)
}

#[tokio::test]
async fn counts_add_up_across_nodes_and_widgets_agree() {
    let (_dir, _db, a, b) = two_nodes("300ms").await;
    let before = stored_views(&a).await;
    assert_eq!(views(&a, 0, 60).await, 60);
    assert_eq!(views(&b, 60, 40).await, 40);
    after_flush().await;
    assert_eq!(
        stored_views(&a).await,
        before + 100,
        "node A sees every view"
    );
    assert_eq!(
        stored_views(&b).await,
        before + 100,
        "node B sees every view"
    );
    let (wa, wb) = (widget(&a.peek("/").await), widget(&b.peek("/").await));
    assert_eq!(wa, wb, "both widgets agree after a flush");
    assert_eq!(wa[1], 100, "100 distinct readers, 100 visits today");
    assert_eq!(wa[0], 100, "all of them online");
}

#[tokio::test]
async fn one_reader_on_both_nodes_is_one_visitor() {
    let (_dir, _db, a, b) = two_nodes("300ms").await;
    assert_eq!(a.get_from("127.0.0.7", CHROME, "/").await.status(), 200);
    after_flush().await;
    assert_eq!(
        b.get_from("127.0.0.7", CHROME, "/chuyen-muc/van-ban")
            .await
            .status(),
        200
    );
    // The same reader on both at nearly the same moment, before either flushes.
    let (r1, r2) = tokio::join!(
        a.get_from("127.0.0.8", CHROME, "/"),
        b.get_from("127.0.0.8", CHROME, "/")
    );
    assert_eq!((r1.status().as_u16(), r2.status().as_u16()), (200, 200));
    after_flush().await;
    let (wa, wb) = (widget(&a.peek("/").await), widget(&b.peek("/").await));
    assert_eq!(wa, wb);
    assert_eq!(wa[0], 2, "two readers online, not four");
    assert_eq!(wa[1], 2, "two visits, not four");
}

#[tokio::test]
async fn sigterm_on_one_node_loses_nothing() {
    let (_dir, _db, mut a, b) = two_nodes("10s").await;
    let before = stored_views(&b).await;
    assert_eq!(views(&a, 0, 50).await, 50);
    // The flush interval is long: these views are only in A's memory when it is stopped.
    assert!(a.stop().await.success());
    // A's last flush stored them; B's kept page reads the count again when A announces it.
    let start = std::time::Instant::now();
    while stored_views(&b).await != before + 50 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(3),
            "A's last flush stored them: B shows {}",
            stored_views(&b).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sigkill_loses_at_most_the_last_interval_and_the_other_node_serves_on() {
    let (_dir, _db, mut a, b) = two_nodes("500ms").await;
    let before = stored_views(&b).await;
    assert_eq!(views(&a, 0, 30).await, 30);
    after_flush().await; // flushed: these must survive
    assert_eq!(views(&a, 30, 20).await, 20);
    a.kill().await;
    let after = stored_views(&b).await;
    assert!(
        after >= before + 30 && after <= before + 50,
        "flushed views kept, at most the last interval lost: {before} → {after}"
    );
    assert_eq!(b.get("/").await.status(), 200, "B serves on");
    assert_eq!(views(&b, 100, 5).await, 5);
}

#[tokio::test]
async fn a_back_office_session_works_on_every_node() {
    let (_dir, _db, a, b) = two_nodes("300ms").await;
    a.add_user("bientap", "editor", "Giấy trắng 2026!");
    let mut browser = a.login("bientap", "Giấy trắng 2026!").await;
    // The same cookie, the other node: still logged in, and its CSRF token is accepted.
    browser.base = format!("http://127.0.0.1:{}", b.port);
    let (status, html) = browser.get_page("/quan-tri/chuyen-muc").await;
    assert_eq!(status, 200, "{html}");
    let res = browser
        .post(
            "/quan-tri/chuyen-muc",
            &[("name", "Chuyên đề mới"), ("in_menu", "on")],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Node A shows the new section in its menu at once.
    assert!(a.peek("/").await.contains("Chuyên đề mới"));
    // Logging out on B ends the session on A too.
    browser.post("/dang-xuat", &[]).await;
    browser.base = format!("http://127.0.0.1:{}", a.port);
    assert_eq!(browser.get("/quan-tri").await.status(), 303);
}

/// Whether a search on `app` lists the article whose slug starts with `slug`.
async fn finds(app: &TestApp, q: &str, slug: &str) -> bool {
    let url = format!(
        "/tim-kiem?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("q", q)
            .finish()
    );
    let html = app.get(&url).await.text().await.expect("body");
    html.contains(&format!(r#"<a href="/bai-viet/{slug}"#))
}

/// Polls `finds` on `app` until it equals `want`; returns how long that took.
async fn until_finds(app: &TestApp, q: &str, slug: &str, want: bool) -> std::time::Duration {
    let start = std::time::Instant::now();
    while finds(app, q, slug).await != want {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{q:?} on port {}: found = {want} never came",
            app.port
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    start.elapsed()
}

/// Each node keeps its own search index; an article published or unpublished through one
/// node is found (or gone) on the other within a second, through the change feed. A node
/// that was stopped catches up with what was published meanwhile.
#[tokio::test]
async fn each_nodes_search_index_follows_the_others() {
    let (_dir, _db, a, mut b) = two_nodes("300ms").await;
    for node in [&a, &b] {
        until_finds(node, "tap huan khoi dang", "hoi-nghi-tap-huan", true).await;
    }
    a.add_user("bientap", "editor", "Giấy trắng 2026!");
    let mut editor = a.login("bientap", "Giấy trắng 2026!").await;
    let id = editor
        .publish(
            "Lễ hội cầu ngư làng chài Phước Thể",
            2,
            "Lễ hội cầu ngư.",
            "<p>Ngư dân Phước Thể mở lễ hội cầu ngư đầu năm.</p>",
        )
        .await;
    let slug = "le-hoi-cau-ngu-lang-chai-phuoc-the";
    let took = until_finds(&b, "cau ngu phuoc the", slug, true).await;
    println!("published on A → found on B in {took:?}");
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");
    // A's own index follows through the same feed, on its own schedule.
    let took = until_finds(&a, "cau ngu phuoc the", slug, true).await;
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");

    let res = editor
        .post(&format!("/quan-tri/bai-viet/{id}/go-xuong"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let took = until_finds(&b, "cau ngu phuoc the", slug, false).await;
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");

    // B stopped; A publishes again; B catches up on start (its index is kept, not rebuilt).
    b.stop().await;
    let res = editor
        .post(&format!("/quan-tri/bai-viet/{id}/xuat-ban"), &[])
        .await;
    assert_eq!(res.status(), 303, "published again");
    b.restart().await;
    until_finds(&b, "cau ngu phuoc the", slug, true).await;
    assert!(
        !b.stderr().contains("rebuilding"),
        "caught up, not rebuilt: {}",
        b.stderr()
    );
}

/// Each node keeps its own rendered pages; an article published and then edited through one
/// node shows on the other node's kept pages within a second (the change feed makes them
/// stale), and that node's unrelated kept pages stay as they are.
#[tokio::test]
async fn each_nodes_page_cache_follows_the_others() {
    let (_dir, _db, a, b) = two_nodes("300ms").await;
    let section = "/chuyen-muc/tin-tuc-su-kien";
    let elsewhere = "/chuyen-muc/van-ban";
    for p in [section, elsewhere] {
        b.peek(p).await;
    }
    let kept = |app: &TestApp, p: &'static str| {
        let url = app.url(p);
        async move {
            let res = client_from(None, GOOGLEBOT)
                .get(url)
                .send()
                .await
                .expect("get");
            let how = res.headers()["x-cache"].to_str().expect("ascii").to_owned();
            (how, res.text().await.expect("body"))
        }
    };
    assert_eq!(kept(&b, section).await.0, "hit");
    a.add_user("bientap", "editor", "Giấy trắng 2026!");
    let mut editor = a.login("bientap", "Giấy trắng 2026!").await;
    let id = editor
        .publish(
            "Ứng phó bão số 9 trên địa bàn tỉnh",
            2,
            "Ứng phó bão.",
            "<p>Các sở, ngành chủ động ứng phó bão số 9.</p>",
        )
        .await;
    let start = std::time::Instant::now();
    while !kept(&b, section).await.1.contains("Ứng phó bão số 9") {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(1),
            "not within a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    println!(
        "published on A → on B's section page in {:?}",
        start.elapsed()
    );
    let res = editor
        .post(
            &format!("/quan-tri/bai-viet/{id}"),
            &[
                ("title", "Ứng phó bão số 9: cập nhật"),
                ("section_id", "2"),
                ("summary", "Ứng phó bão."),
                ("body_html", "<p>Cập nhật.</p>"),
                ("author", "Kiều Diễm"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let start = std::time::Instant::now();
    while !kept(&b, section)
        .await
        .1
        .contains("Ứng phó bão số 9: cập nhật")
    {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(1),
            "not within a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        kept(&b, elsewhere).await.0,
        "hit",
        "another section's page stayed kept"
    );
}

/// An image uploaded through node A is served by node B, whose media folder never had it,
/// byte for byte; deleted through A (the trash, then for good), it is gone from both once
/// the change reaches B.
#[tokio::test]
async fn an_image_uploaded_through_one_node_is_served_by_the_other() {
    const PW: &str = "Giấy trắng 2026!";
    let (_dir, _db, a, b) = two_nodes("1s").await;
    a.add_user("bientap", "editor", PW);
    let mut editor = a.login("bientap", PW).await;
    editor.get_page("/quan-tri/anh").await;
    let res = editor.upload("hai-nut.jpg", jpeg(500, 400), "").await;
    assert_eq!(res.status(), 303, "uploaded through A");
    let id = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .trim_start_matches("/quan-tri/anh/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_owned();
    let (_, html) = editor.get_page(&format!("/quan-tri/anh/{id}")).await;
    let hash = regex::Regex::new(r#"<img src="/media/([0-9a-f]+)\.jpg""#)
        .expect("regex")
        .captures(&html)
        .expect("src")[1]
        .to_owned();
    let files = [format!("{hash}.jpg"), format!("{hash}-320.webp")];
    for name in &files {
        assert!(
            !b.dir.path().join("media").join(name).exists(),
            "B's folder never had {name}"
        );
        let path = format!("/media/{name}");
        let on_a = a.get(&path).await;
        assert_eq!(on_a.status(), 200, "A serves {name}");
        let on_a = on_a.bytes().await.expect("bytes");
        let on_b = b.get(&path).await;
        assert_eq!(on_b.status(), 200, "B serves {name}");
        assert_eq!(on_b.bytes().await.expect("bytes"), on_a, "the same bytes");
    }
    assert_eq!(
        editor
            .post(&format!("/quan-tri/anh/{id}/xoa"), &[])
            .await
            .status(),
        303,
        "put in the trash through A"
    );
    // Deleted for good (from the trash, by an administrator) through A.
    a.add_user("quantri", "admin", "Đồng hồ cát 2026");
    let mut admin = a.login("quantri", "Đồng hồ cát 2026").await;
    admin.get_page("/quan-tri/thung-rac").await;
    assert_eq!(
        admin
            .post(
                "/quan-tri/thung-rac",
                &[("action", "purge"), ("kind", "media"), ("id", &id)],
            )
            .await
            .status(),
        303,
        "deleted through A"
    );
    let start = std::time::Instant::now();
    for name in &files {
        let path = format!("/media/{name}");
        assert_eq!(a.get(&path).await.status(), 404, "A: {name}");
        // B kept a copy: it goes when B hears of the change.
        while b.get(&path).await.status() != 404 {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "B still serves {name}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(!b.dir.path().join("media").join(name).exists());
    }
}

/// Waits (up to 10 s) until `client` gets `status` for `url`.
async fn answers(client: &reqwest::Client, url: &str, status: u16) -> bool {
    for _ in 0..200 {
        if let Ok(res) = client.get(url).send().await
            && res.status() == status
        {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn a_site_added_through_one_node_answers_on_the_other() {
    const PW: &str = "Đồng hồ cát 2026";
    let (_dir, _db, a, b) = two_nodes("1s").await;
    a.site_command(&["set", "1", "--address", &a.address("portal.test")]);
    a.add_user("quantri", "admin", PW);
    let on_b = b.client_for(&["portal.test", "stp.test", "syt.test", "other.test"]);

    // The system administrator adds Sở Tư pháp in node A's back office.
    let mut admin = a.browser_at("portal.test");
    assert_eq!(admin.try_login("quantri", PW).await.status(), 303);
    admin.get_page("/quan-tri/trang-thanh-phan").await;
    let res = admin
        .post(
            "/quan-tri/trang-thanh-phan",
            &[
                ("name", "Sở Tư pháp"),
                ("address", &a.address("stp.test")),
                ("kind", "component"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Node B learns it from the change feed: the new name answers with the new site, and
    // with two sites a name neither holds is no longer anyone's.
    let stp = format!("{}/", b.address("stp.test"));
    assert!(answers(&on_b, &stp, 200).await, "B answers on stp.test");
    let home = on_b
        .get(&stp)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(home.contains("Sở Tư pháp"));
    assert!(
        answers(&on_b, &format!("{}/", b.address("other.test")), 404).await,
        "B: an unknown name is a 404"
    );
    assert_eq!(
        on_b.get(format!("{}/", b.address("portal.test")))
            .send()
            .await
            .expect("get")
            .status(),
        200,
        "B still serves the portal"
    );

    // And one added from the command line reaches both nodes.
    a.site_command(&["add", "Sở Y tế", "--address", &a.address("syt.test")]);
    let on_a = a.client_for(&["syt.test"]);
    for (node, client) in [(&a, &on_a), (&b, &on_b)] {
        let url = format!("{}/", node.address("syt.test"));
        assert!(answers(client, &url, 200).await, "{url} answers");
    }
}
