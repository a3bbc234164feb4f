//! Giao diện: the menu, home-page blocks, banners and links arranged in the back office show
//! on the next request of every node; bad rows are named and the form is kept; only
//! editors and administrators arrange.

use crate::support::{Browser, CHROME, TestApp, jpeg};
use jiff::ToSpan;
use std::time::{Duration, Instant};

const PASSWORD: &str = "Giấy trắng 2026!";

async fn editor(app: &TestApp) -> Browser {
    app.add_user("bientap", "editor", PASSWORD);
    let mut b = app.login("bientap", PASSWORD).await;
    b.get_page("/quan-tri/giao-dien").await;
    b
}

async fn page(app: &TestApp, path: &str) -> (String, String) {
    let res = app.get_from("127.0.0.1", CHROME, path).await;
    assert_eq!(res.status(), 200, "{path}");
    let how = res
        .headers()
        .get("x-cache")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (how, res.text().await.expect("body"))
}

/// The page at `path` once its menu contains `what` (the other node follows the change log).
async fn until_in_menu(app: &TestApp, path: &str, what: &str) -> String {
    let start = Instant::now();
    loop {
        let (_, html) = page(app, path).await;
        if menu_of(&html).contains(what) {
            return html;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{what:?} never shown at {path}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The `<nav class="menu">` of a page.
fn menu_of(html: &str) -> &str {
    let start = html.find(r#"<nav class="menu""#).expect("menu");
    let end = start + html[start..].find("</nav>").expect("end of menu");
    &html[start..end]
}

#[tokio::test]
async fn a_two_level_menu_shows_at_once_on_every_node() {
    let app = TestApp::start().await;
    let other = TestApp::builder().shared(&app.db_url()).start().await;
    // Both nodes keep the home page as it is.
    for node in [&app, &other] {
        page(node, "/").await;
        let (how, html) = page(node, "/").await;
        assert_eq!(how, "hit");
        assert!(
            menu_of(&html).contains(">Trang chủ</a>"),
            "the sections' menu"
        );
    }
    let b = editor(&app).await;
    let rows: &[(&str, &str)] = &[
        ("depth", "0"),
        ("label", "Trang chủ"),
        ("kind", "home"),
        ("target", ""),
        ("depth", "0"),
        ("label", "Giới thiệu"),
        ("kind", "url"),
        ("target", "/trang/gioi-thieu"),
        ("depth", "1"),
        ("label", "Lịch công tác"),
        ("kind", "schedule"),
        ("target", ""),
        ("depth", "0"),
        ("label", "Tin tức"),
        ("kind", "section"),
        ("target", "tin-tuc-su-kien"),
        ("depth", "0"),
        ("label", ""),
        ("kind", "home"),
        ("target", ""),
    ];
    let mut fields = vec![("ngon-ngu", "vi")];
    fields.extend_from_slice(rows);
    let res = b.post("/quan-tri/giao-dien", &fields).await;
    assert_eq!(res.status(), 303);
    for node in [&app, &other] {
        let html = until_in_menu(node, "/", ">Lịch công tác</a>").await;
        let menu = menu_of(&html);
        assert!(
            menu.contains(r#"<a href="/" aria-current="page">Trang chủ</a>"#),
            "{menu}"
        );
        assert!(
            menu.contains(r#"class="has-sub"><a href="/trang/gioi-thieu">Giới thiệu</a>"#),
            "{menu}"
        );
        assert!(menu.contains(r#"<ul class="submenu">"#));
        assert!(menu.contains(r#"<a href="/lich-cong-tac">Lịch công tác</a>"#));
        assert_eq!(
            menu.matches(">Trang chủ</a>").count(),
            1,
            "no fixed entry besides"
        );
        assert!(
            menu.contains(r#"aria-controls="menu-chinh" hidden>"#),
            "the fold button waits for the script"
        );
    }
    // A section's page marks its entry; its article marks it active.
    let (_, html) = page(&other, "/chuyen-muc/tin-tuc-su-kien").await;
    assert!(
        menu_of(&html)
            .contains(r#"<a href="/chuyen-muc/tin-tuc-su-kien" aria-current="page">Tin tức</a>"#)
    );

    // A bad row: named by its number, nothing saved, everything typed kept.
    let bad = [
        ("ngon-ngu", "vi"),
        ("depth", "0"),
        ("label", "Trang chủ mới"),
        ("kind", "home"),
        ("target", ""),
        ("depth", "0"),
        ("label", "Chuyên mục không có"),
        ("kind", "section"),
        ("target", "khong-co-chuyen-muc-nay"),
    ];
    let res = b.post("/quan-tri/giao-dien", &bad).await;
    assert_eq!(res.status(), 422);
    let form = res.text().await.expect("body");
    assert!(form.contains("Dòng 2:"), "the row is named");
    assert!(form.contains(r#"value="Trang chủ mới""#), "typed text kept");
    assert!(form.contains(r#"value="khong-co-chuyen-muc-nay""#));
    let (_, html) = page(&app, "/").await;
    assert!(!html.contains("Trang chủ mới"), "nothing saved");
}

#[tokio::test]
async fn banners_show_in_their_places_on_their_days_and_keep_their_image() {
    let app = TestApp::start().await;
    let b = editor(&app).await;
    // A picture of its own, which no article shows.
    let image = b
        .upload_image("banner-dvc.jpg", jpeg(600, 200))
        .await
        .to_string();
    let tz = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").expect("ok");
    let today = tz.to_datetime(jiff::Timestamp::now()).date();
    let fmt = |d: jiff::civil::Date| d.strftime("%d/%m/%Y").to_string();
    let (yesterday, tomorrow) = (fmt(today - 1.day()), fmt(today + 1.day()));
    let mut fields = vec![("ngon-ngu", "vi")];
    let banner = |place: &'static str, alt: &'static str, starts: String, ends: String| {
        vec![
            ("place".to_owned(), place.to_owned()),
            ("image".to_owned(), image.clone()),
            ("link".to_owned(), "https://dichvucong.gov.vn".to_owned()),
            ("alt".to_owned(), alt.to_owned()),
            ("starts".to_owned(), starts),
            ("ends".to_owned(), ends),
        ]
    };
    let rows: Vec<(String, String)> = [
        banner(
            "sidebar",
            "Cổng dịch vụ công quốc gia",
            String::new(),
            String::new(),
        ),
        banner("top", "Chào mừng ngày mai", tomorrow.clone(), String::new()),
        banner("sidebar", "Đã hết hạn hôm qua", String::new(), yesterday),
        banner("top", "Hôm nay trên đầu trang", fmt(today), fmt(today)),
    ]
    .concat();
    fields.extend(rows.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let res = b.post("/quan-tri/giao-dien/banner", &fields).await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, "/chuyen-muc/tin-tuc-su-kien").await;
    assert!(html.contains(r#"alt="Cổng dịch vụ công quốc gia""#));
    assert!(html.contains(r#"alt="Hôm nay trên đầu trang""#));
    assert!(!html.contains("Chào mừng ngày mai"), "not before its day");
    assert!(!html.contains("Đã hết hạn hôm qua"), "not after its day");
    assert!(html.contains(r#"<a class="banner-item" href="https://dichvucong.gov.vn">"#));
    let side = &html[html.find(r#"<aside class="sidebar""#).expect("sidebar")..];
    assert!(
        side.contains("Cổng dịch vụ công quốc gia"),
        "in the sidebar"
    );
    assert!(
        !side.contains("Hôm nay trên đầu trang"),
        "the top one is not"
    );

    // The banner's picture cannot go to the trash while it shows.
    let res = b.post(&format!("/quan-tri/anh/{image}/xoa"), &[]).await;
    assert_eq!(res.status(), 409);

    // No alt text, an address that is not a web address: both rows named, 422.
    let res = b
        .post(
            "/quan-tri/giao-dien/banner",
            &[
                ("ngon-ngu", "vi"),
                ("place", "sidebar"),
                ("image", &image),
                ("link", ""),
                ("alt", ""),
                ("starts", ""),
                ("ends", ""),
                ("place", "top"),
                ("image", &image),
                ("link", "javascript:alert(1)"),
                ("alt", "Xấu"),
                ("starts", &tomorrow),
                ("ends", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let form = res.text().await.expect("ok");
    assert!(form.contains("Dòng 1:") && form.contains("Dòng 2:"));
    assert!(
        form.contains("javascript:alert(1)"),
        "kept, escaped, for correction"
    );
}

#[tokio::test]
async fn the_home_page_is_made_of_the_chosen_blocks_in_order() {
    let app = TestApp::start().await;
    let b = editor(&app).await;
    let res = b
        .post(
            "/quan-tri/giao-dien/lien-ket",
            &[
                ("ngon-ngu", "vi"),
                ("title", "Cổng thông tin Chính phủ"),
                ("url", "https://chinhphu.vn"),
                ("title", ""),
                ("url", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = b
        .post(
            "/quan-tri/giao-dien/trang-chu",
            &[
                ("ngon-ngu", "vi"),
                ("kind", "section"),
                ("section", "2"),
                ("count", "2"),
                ("title", "Tin hoạt động của Sở"),
                ("kind", "documents"),
                ("section", ""),
                ("count", "3"),
                ("title", ""),
                ("kind", "latest"),
                ("section", ""),
                ("count", "4"),
                ("title", ""),
                ("kind", "links"),
                ("section", ""),
                ("count", "5"),
                ("title", ""),
                ("kind", ""),
                ("section", ""),
                ("count", ""),
                ("title", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, "/").await;
    let main = &html[html.find("<main").expect("ok")..html.find("</main>").expect("ok")];
    let at = |what: &str| {
        main.find(what)
            .unwrap_or_else(|| panic!("{what} in {main}"))
    };
    assert!(at("Tin hoạt động của Sở") < at("Văn bản mới"));
    assert!(at("Văn bản mới") < at("Tin mới nhất"));
    assert!(at("Tin mới nhất") < at("Cổng thông tin Chính phủ"));
    assert!(!main.contains("Tin nổi bật"), "only the chosen blocks");
    let section = &main[at("Tin hoạt động của Sở")..at("Văn bản mới")];
    assert_eq!(
        section.matches(r#"<li class="card">"#).count(),
        2,
        "its count"
    );
    let docs = &main[at("Văn bản mới")..at("Tin mới nhất")];
    assert_eq!(docs.matches("<li>").count(), 3);
    assert!(docs.contains(r#"href="/van-ban/"#));
    // The sidebar's links are the same list.
    assert!(html.contains(r#"<a href="https://chinhphu.vn" rel="noopener">"#));

    // Too many items, a section block without a section: 422, nothing changed.
    let res = b
        .post(
            "/quan-tri/giao-dien/trang-chu",
            &[
                ("ngon-ngu", "vi"),
                ("kind", "latest"),
                ("section", ""),
                ("count", "31"),
                ("title", ""),
                ("kind", "section"),
                ("section", ""),
                ("count", "3"),
                ("title", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let (_, again) = page(&app, "/").await;
    assert!(again.contains("Tin hoạt động của Sở"));

    // No blocks: the default page again.
    let res = b
        .post(
            "/quan-tri/giao-dien/trang-chu",
            &[
                ("ngon-ngu", "vi"),
                ("kind", ""),
                ("section", ""),
                ("count", ""),
                ("title", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, "/").await;
    assert!(html.contains("Tin nổi bật"));
}

#[tokio::test]
async fn authors_may_not_arrange_the_site() {
    let app = TestApp::start().await;
    app.add_user("phongvien", "author", PASSWORD);
    let mut b = app.login("phongvien", PASSWORD).await;
    for path in [
        "/quan-tri/giao-dien",
        "/quan-tri/giao-dien/trang-chu",
        "/quan-tri/giao-dien/banner",
        "/quan-tri/giao-dien/lien-ket",
    ] {
        let (status, _) = b.get_page(path).await;
        assert_eq!(status, 403, "{path}");
    }
    let (_, dash) = b.get_page("/quan-tri").await;
    assert!(!dash.contains("/quan-tri/giao-dien"), "not in the menu");
    let res = b
        .post(
            "/quan-tri/giao-dien/lien-ket",
            &[
                ("ngon-ngu", "vi"),
                ("title", "X"),
                ("url", "https://x.example"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
}
