//! Several sites on one node: the Host chooses the site, each shows only its own content,
//! an alias redirects, an unknown name is a 404 that is never kept.

use crate::support::*;
use cong_store::SiteId;
use std::time::Duration;

/// Waits until the node answers `url` with `status` (a site added from the command line
/// reaches it through the change log).
async fn until(client: &reqwest::Client, url: &str, status: u16) {
    for _ in 0..200 {
        if let Ok(res) = client.get(url).send().await
            && res.status() == status
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url} never answered {status}");
}

async fn page(client: &reqwest::Client, url: &str) -> (u16, String) {
    let res = client.get(url).send().await.expect("request");
    (res.status().as_u16(), res.text().await.expect("body"))
}

#[tokio::test]
async fn two_sites_on_one_node_each_show_only_their_own_content() {
    let app = TestApp::start().await;
    let (skhcn, stp) = (app.address("skhcn.test"), app.address("stp.test"));
    let client = app.client_for(&["skhcn.test", "stp.test", "tuphap.test", "other.test"]);
    // The demo is site 1, on any host name while it is the only site.
    assert_eq!(
        page(&client, &format!("{}/", app.address("other.test")))
            .await
            .0,
        200
    );
    app.site_command(&["set", "1", "--address", &skhcn]);
    let id = app.site_command(&[
        "add",
        "Sở Tư pháp",
        "--address",
        &stp,
        "--alias",
        "tuphap.test",
    ]);
    assert_eq!(id.trim(), "2");
    until(&client, &format!("{stp}/"), 200).await;

    // The new site has its own sections, with slugs the first one uses too.
    app.add_user("quantri", "admin", "mat-khau-du-dai-123");
    let mut b = app.browser_at("stp.test");
    let res = b.try_login("quantri", "mat-khau-du-dai-123").await;
    assert_eq!(res.status(), 303);
    b.get_page("/quan-tri/chuyen-muc").await;
    let res = b
        .post(
            "/quan-tri/chuyen-muc",
            &[
                ("name", "Tin tức - Sự kiện"),
                ("position", "1"),
                ("in_menu", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "section created");
    let store = app.store().await;
    let section = store
        .sections(SiteId(2))
        .find_by_slug("tin-tuc-su-kien")
        .await
        .expect("read")
        .expect("site 2 has its own section of that slug");
    let title = "Phổ biến Luật Hộ tịch tại xã Hàm Mỹ";
    b.publish(
        title,
        section.id,
        "Tuyên truyền pháp luật.",
        "<p>Nội dung.</p>",
    )
    .await;
    let slug = "pho-bien-luat-ho-tich-tai-xa-ham-my";

    // Each home page, article, feed and sitemap shows its own site only.
    let (status, home) = page(&client, &format!("{stp}/")).await;
    assert_eq!(status, 200);
    assert!(home.contains(title) && !home.contains(REFERENCE_TITLE));
    assert!(home.contains("Sở Tư pháp"), "the new site's banner");
    let (_, home) = page(&client, &format!("{skhcn}/")).await;
    assert!(home.contains("Khoa học") && !home.contains(title));
    assert_eq!(
        page(&client, &format!("{skhcn}/bai-viet/{REFERENCE_SLUG}"))
            .await
            .0,
        200
    );
    assert_eq!(
        page(&client, &format!("{stp}/bai-viet/{slug}")).await.0,
        200
    );
    assert_eq!(
        page(&client, &format!("{skhcn}/bai-viet/{slug}")).await.0,
        404
    );
    assert_eq!(
        page(&client, &format!("{stp}/bai-viet/{REFERENCE_SLUG}"))
            .await
            .0,
        404
    );
    let (_, rss) = page(&client, &format!("{stp}/rss.xml")).await;
    assert!(rss.contains(&format!("{stp}/bai-viet/{slug}")));
    assert!(!rss.contains(REFERENCE_SLUG) && !rss.contains("skhcn.test"));
    let (_, sitemap) = page(&client, &format!("{stp}/sitemap.xml")).await;
    assert!(sitemap.contains(&format!("{stp}/bai-viet/{slug}")));
    assert!(!sitemap.contains("skhcn.test"));
    let (_, robots) = page(&client, &format!("{skhcn}/robots.txt")).await;
    assert!(robots.contains(&format!("Sitemap: {skhcn}/sitemap.xml")));

    // An alias answers with a permanent redirect to the same path on the address.
    let res = client
        .get(format!(
            "{}/chuyen-muc/tin-tuc-su-kien?page=1",
            app.address("tuphap.test")
        ))
        .send()
        .await
        .expect("alias");
    assert_eq!(res.status(), 301);
    assert_eq!(
        res.headers()["location"],
        format!("{stp}/chuyen-muc/tin-tuc-su-kien?page=1").as_str()
    );
    // An English address keeps its language.
    let res = client
        .get(format!(
            "{}/en/trang/introduction",
            app.address("tuphap.test")
        ))
        .send()
        .await
        .expect("alias");
    assert_eq!(res.status(), 301);
    assert_eq!(
        res.headers()["location"],
        format!("{stp}/en/trang/introduction").as_str()
    );

    // A name no site holds: a themed 404, no site's content, never kept.
    for _ in 0..2 {
        let res = client
            .get(format!("{}/", app.address("other.test")))
            .send()
            .await
            .expect("unknown");
        assert_eq!(res.status(), 404);
        assert!(res.headers().get("x-cache").is_none(), "not from the cache");
        assert_eq!(res.headers()["cache-control"], "no-store");
        let html = res.text().await.expect("body");
        assert!(html.contains("Không có trang nào tại địa chỉ này"));
        assert!(!html.contains("Sở Tư pháp") && !html.contains("Khoa học"));
    }
    let res = client
        .get(format!("{}/en/", app.address("other.test")))
        .send()
        .await
        .expect("unknown");
    assert_eq!(res.status(), 404);
    let html = res.text().await.expect("body");
    assert!(html.contains("There is no site at this address"), "{html}");
    assert!(html.contains("This domain name does not belong to any portal"));
    // The health check answers whatever the name (balancers ask by address).
    assert_eq!(app.get("/healthz").await.status(), 200);

    // The audit log says which site each change was made on.
    let site_of_section: i64 = cong_store::testing::query_i64(
        &app.db_url(),
        "SELECT site_id FROM audit_log WHERE action = 'section.create'",
    )
    .await;
    assert_eq!(site_of_section, 2);
}

#[tokio::test]
async fn a_disabled_site_stops_answering_and_comes_back() {
    let app = TestApp::start().await;
    let client = app.client_for(&["skhcn.test", "stp.test"]);
    // While site 1 has no address, a second site would take it off the air: refused.
    let out = std::process::Command::new(BIN)
        .args(["site", "--database", &app.db_url(), "add", "Sở Tư pháp"])
        .args(["--address", &app.address("stp.test")])
        .env_remove("CONG_CONFIG")
        .output()
        .expect("cong site add");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("chưa có địa chỉ"));
    assert_eq!(
        page(&client, &format!("{}/", app.address("stp.test")))
            .await
            .0,
        200
    );
    app.site_command(&["set", "1", "--address", &app.address("skhcn.test")]);
    app.site_command(&["add", "Sở Tư pháp", "--address", &app.address("stp.test")]);
    let stp = format!("{}/", app.address("stp.test"));
    until(&client, &stp, 200).await;
    app.site_command(&["disable", "2"]);
    until(&client, &stp, 404).await;
    // The other site answers on its name, and not on the disabled one's.
    assert_eq!(
        page(&client, &format!("{}/", app.address("skhcn.test")))
            .await
            .0,
        200
    );
    app.site_command(&["enable", "2"]);
    until(&client, &stp, 200).await;
    let list = app.site_command(&["list"]);
    assert!(
        list.contains("stp.test") && list.contains("Sở Tư pháp"),
        "{list}"
    );
}

#[tokio::test]
async fn the_system_administrator_adds_a_site_in_the_back_office_and_it_answers_at_once() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", "mat-khau-du-dai-123");
    app.add_user("bientap", "editor", "mat-khau-du-dai-456");
    app.site_command(&["set", "1", "--address", &app.address("skhcn.test")]);
    let client = app.client_for(&["skhcn.test", "stp.test"]);
    let stp = format!("{}/", app.address("stp.test"));

    // An editor sees no such page, and cannot post to it.
    let mut editor = app.browser_at("skhcn.test");
    assert_eq!(
        editor
            .try_login("bientap", "mat-khau-du-dai-456")
            .await
            .status(),
        303
    );
    let (status, _) = editor.get_page("/quan-tri/trang-thanh-phan").await;
    assert_eq!(status, 403);
    let (_, dashboard) = editor.get_page("/quan-tri").await;
    assert!(!dashboard.contains("/quan-tri/trang-thanh-phan"));
    let res = editor
        .post(
            "/quan-tri/trang-thanh-phan",
            &[
                ("name", "Sở Tư pháp"),
                ("address", &stp),
                ("kind", "component"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);

    let mut admin = app.browser_at("skhcn.test");
    assert_eq!(
        admin
            .try_login("quantri", "mat-khau-du-dai-123")
            .await
            .status(),
        303
    );
    let (status, html) = admin.get_page("/quan-tri/trang-thanh-phan").await;
    assert_eq!(status, 200);
    assert!(html.contains("đang quản trị"));
    // A bad address is the form again with its message; nothing is created.
    let res = admin
        .post(
            "/quan-tri/trang-thanh-phan",
            &[
                ("name", "Sở Tư pháp"),
                ("address", "stp.test/tin"),
                ("kind", "component"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("Địa chỉ có dạng"));
    let res = admin
        .post(
            "/quan-tri/trang-thanh-phan",
            &[
                ("name", "Sở Tư pháp"),
                ("address", stp.trim_end_matches('/')),
                ("aliases", "tuphap.test"),
                ("kind", "component"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // The write waited for this node to apply it: the site answers at once.
    let (status, home) = page(&client, &stp).await;
    assert_eq!(status, 200);
    assert!(home.contains("Sở Tư pháp"));
    // Another site may not take its name.
    let res = admin
        .post(
            "/quan-tri/trang-thanh-phan/1",
            &[
                ("action", "save"),
                ("name", "Sở Khoa học và Công nghệ"),
                ("address", &app.address("skhcn.test")),
                ("aliases", "stp.test"),
                ("kind", "portal"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let audit = cong_store::testing::query_i64(
        &app.db_url(),
        "SELECT COUNT(*) FROM audit_log WHERE action = 'site.create' AND username = 'quantri'",
    )
    .await;
    assert_eq!(audit, 1);
}

/// `server.canonical_redirect`: a lone site with an address sends every other name (a bare
/// address, www.) to it with a 301, path and query kept; its own name is served; the health
/// check and the theme's files answer on any name.
#[tokio::test]
async fn the_canonical_redirect_sends_other_names_to_the_sites_address() {
    let app = TestApp::builder()
        .env("CONG_SERVER__PUBLIC_URL", "https://skhcn.example.vn")
        .env("CONG_SERVER__CANONICAL_REDIRECT", "true")
        .start()
        .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("client");
    let get = |host: &'static str, path: &'static str| {
        client.get(app.url(path)).header("host", host).send()
    };
    for host in ["127.0.0.1", "www.skhcn.example.vn"] {
        let res = get(host, "/chuyen-muc/tin-tuc-su-kien?page=2")
            .await
            .expect("get");
        assert_eq!(res.status(), 301, "{host}");
        assert_eq!(
            res.headers()["location"],
            "https://skhcn.example.vn/chuyen-muc/tin-tuc-su-kien?page=2"
        );
    }
    let res = get("skhcn.example.vn", "/").await.expect("get");
    assert_eq!(res.status(), 200, "its own name");
    let res = get("127.0.0.1", "/healthz").await.expect("get");
    assert_eq!(res.status(), 200, "the health check on any name");
}
