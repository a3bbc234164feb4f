//! Roles per site: one account for the whole instance, what it may do given site by site.
//! An editor of one site is refused every back-office route of another; a site's
//! administrator manages that site's accounts only; the switcher moves between sites.

use crate::support::*;
use cong_store::SiteId;
use cong_store::testing::query_i64;
use std::time::Duration;

const PW: &str = "Đồng hồ cát 2026";

/// The demo as the portal at `portal.test` (site 1), and Sở Tư pháp at `stp.test` (site 2),
/// answering on this node.
async fn portal_and_stp() -> TestApp {
    let app = TestApp::start().await;
    app.site_command(&["set", "1", "--address", &app.address("portal.test")]);
    app.site_command(&["add", "Sở Tư pháp", "--address", &app.address("stp.test")]);
    let client = app.client_for(&["stp.test"]);
    let url = format!("{}/", app.address("stp.test"));
    for _ in 0..200 {
        if let Ok(res) = client.get(&url).send().await
            && res.status() == 200
        {
            return app;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url} never answered");
}

async fn login_at(app: &TestApp, host: &str, username: &str) -> Browser {
    let mut b = app.browser_at(host);
    let res = b.try_login(username, PW).await;
    assert_eq!(res.status(), 303, "{username} logs in at {host}");
    b
}

async fn status_of(b: &Browser, method: &str, path: &str) -> u16 {
    let fields = [
        ("title", "Bị sửa từ trang khác"),
        ("name", "Bị sửa từ trang khác"),
        ("username", "ke-la"),
        ("password", "Mật khẩu rất dài 2026"),
        ("role", "admin"),
        ("section_id", "1"),
        ("action", "save"),
        ("site", "1"),
    ];
    if method == "get" {
        b.get(path).await.status().as_u16()
    } else {
        b.post(path, &fields).await.status().as_u16()
    }
}

/// Site 1's content and accounts: what nobody from site 2 may change.
async fn site_1_fingerprint(app: &TestApp) -> Vec<i64> {
    let url = app.db_url();
    let mut v = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM articles WHERE site_id = 1",
        "SELECT COUNT(*) FROM articles WHERE site_id = 1 AND title LIKE '%trang khác%'",
        "SELECT COUNT(*) FROM sections WHERE site_id = 1",
        "SELECT COUNT(*) FROM sections WHERE site_id = 1 AND name LIKE '%trang khác%'",
        "SELECT COUNT(*) FROM pages WHERE site_id = 1",
        "SELECT COUNT(*) FROM media WHERE site_id = 1",
        "SELECT COUNT(*) FROM users",
        "SELECT COUNT(*) FROM site_roles",
        "SELECT COUNT(*) FROM site_settings WHERE site_id = 1",
        "SELECT COUNT(*) FROM sites",
        "SELECT COUNT(*) FROM audit_log WHERE username = 'bientap' AND action NOT LIKE 'user.login%'",
    ] {
        v.push(query_i64(&url, sql).await);
    }
    v
}

#[tokio::test]
async fn an_editor_of_one_site_is_refused_every_back_office_route_of_another() {
    let app = portal_and_stp().await;
    app.add_user_on("bientap", "editor", 2, PW);
    let before = site_1_fingerprint(&app).await;

    // At the portal's address the account logs in (accounts are shared) but has no role
    // there: every back-office route, read or write, is 403.
    let mut b = login_at(&app, "portal.test", "bientap").await;
    let (status, html) = b.get_page("/quan-tri").await;
    assert_eq!(status, 403);
    assert!(html.contains("Bạn không làm việc trên trang này"));
    assert!(html.contains("Sở Tư pháp"), "offers the site it works on");
    let routes: Vec<(&str, &str)> = cong_web::admin::ROUTES
        .iter()
        .copied()
        .filter(|(_, p)| p.starts_with("/quan-tri") && *p != "/quan-tri/chon-trang")
        .collect();
    assert!(routes.len() >= 40, "{} routes", routes.len());
    let concrete = |p: &str| p.replace("{id}", "1").replace("{rev}", "1");
    for (method, pattern) in &routes {
        let path = concrete(pattern);
        assert_eq!(
            status_of(&b, method, &path).await,
            403,
            "{method} {path} at the portal"
        );
    }
    // Choosing the portal as the site to work on is refused too.
    let res = b.post("/quan-tri/chon-trang", &[("site", "1")]).await;
    assert_eq!(res.status(), 403);

    // At its own site's address, the portal's things by id are not found or refused.
    let mut own = login_at(&app, "stp.test", "bientap").await;
    let (status, html) = own.get_page("/quan-tri").await;
    assert_eq!(status, 200);
    assert!(html.contains("(Biên tập viên)"));
    let url = app.db_url();
    let id_of = |table: &'static str| {
        let url = url.clone();
        async move {
            query_i64(
                &url,
                &format!("SELECT MIN(id) FROM {table} WHERE site_id = 1"),
            )
            .await
        }
    };
    let article = id_of("articles").await.to_string();
    let section = id_of("sections").await.to_string();
    let page = id_of("pages").await.to_string();
    let media = id_of("media").await.to_string();
    let document = id_of("documents").await.to_string();
    let mut walked = 0;
    for (method, pattern) in &routes {
        let id = if pattern.starts_with("/quan-tri/bai-viet/{id}") {
            &article
        } else if pattern.starts_with("/quan-tri/chuyen-muc/{id}") {
            &section
        } else if pattern.starts_with("/quan-tri/trang/{id}") {
            &page
        } else if pattern.starts_with("/quan-tri/anh/{id}") {
            &media
        } else if pattern.starts_with("/quan-tri/van-ban/{id}") {
            &document
        } else {
            continue;
        };
        let path = pattern.replace("{id}", id).replace("{rev}", "1");
        let status = status_of(&own, method, &path).await;
        assert!(
            status == 403 || status == 404,
            "{method} {path} of site 1 from site 2 answered {status}"
        );
        walked += 1;
    }
    assert!(walked >= 12, "{walked} routes with a site-1 id");
    assert_eq!(
        site_1_fingerprint(&app).await,
        before,
        "site 1 is untouched"
    );
}

#[tokio::test]
async fn a_site_administrator_manages_that_site_and_the_switcher_moves_between_sites() {
    let app = portal_and_stp().await;
    app.add_user("quantri", "admin", PW);
    app.add_user_on("qtstp", "admin", 2, PW);
    app.add_user_on("phongvien", "author", 1, PW);
    let url = app.db_url();
    let id_of = |name: &str| format!("SELECT id FROM users WHERE username = '{name}'");
    let pv = query_i64(&url, &id_of("phongvien")).await.to_string();

    // Sở Tư pháp's administrator sees the accounts of that site only, and adds one there.
    let mut sa = login_at(&app, "stp.test", "qtstp").await;
    let (status, html) = sa.get_page("/quan-tri/nguoi-dung").await;
    assert_eq!(status, 200);
    assert!(html.contains("qtstp"));
    assert!(!html.contains("quantri") && !html.contains("phongvien"));
    let res = sa
        .post(
            "/quan-tri/nguoi-dung",
            &[
                ("username", "btstp"),
                ("display_name", "Biên tập Sở Tư pháp"),
                ("role", "editor"),
                ("password", PW),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let roles = query_i64(
        &url,
        "SELECT COUNT(*) FROM site_roles r JOIN users u ON u.id = r.user_id \
         WHERE u.username = 'btstp' AND r.site_id = 2 AND r.role = 'editor'",
    )
    .await;
    assert_eq!(roles, 1, "the new account is an editor of site 2 only");
    assert_eq!(
        query_i64(
            &url,
            "SELECT COUNT(*) FROM site_roles r JOIN users u ON u.id = r.user_id \
             WHERE u.username = 'btstp'"
        )
        .await,
        1
    );
    // The portal's accounts are not theirs to see, and sites are not theirs to manage.
    sa.get_page("/quan-tri/nguoi-dung").await;
    let res = sa
        .post(
            &format!("/quan-tri/nguoi-dung/{pv}"),
            &[
                ("action", "password"),
                ("password", "Mật khẩu của kẻ lạ 2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(sa.get_page("/quan-tri/trang-thanh-phan").await.0, 403);

    // The system administrator, at the portal, switches to Sở Tư pháp and gives the
    // portal's reporter a role there too.
    let mut sys = login_at(&app, "portal.test", "quantri").await;
    let (_, html) = sys.get_page("/quan-tri").await;
    assert!(html.contains("Trang làm việc"), "the switcher");
    let res = sys.post("/quan-tri/chon-trang", &[("site", "2")]).await;
    assert_eq!(res.status(), 303);
    let (_, html) = sys.get_page("/quan-tri/nguoi-dung").await;
    assert!(
        html.contains("trên trang “Sở Tư pháp”"),
        "works on site 2 now"
    );
    assert!(
        html.contains("phongvien"),
        "a system administrator sees every account"
    );
    let res = sys
        .post(
            &format!("/quan-tri/nguoi-dung/{pv}"),
            &[("action", "role"), ("role", "editor"), ("display_name", "")],
        )
        .await;
    assert_eq!(res.status(), 303);

    // The reporter: an author on the portal, an editor of Sở Tư pháp, one login.
    let mut b = login_at(&app, "portal.test", "phongvien").await;
    let (_, html) = b.get_page("/quan-tri").await;
    assert!(html.contains("(Phóng viên)") && html.contains("Trang làm việc"));
    assert_eq!(b.get_page("/quan-tri/chuyen-muc").await.0, 403);
    let res = b.post("/quan-tri/chon-trang", &[("site", "2")]).await;
    assert_eq!(res.status(), 303);
    let (status, html) = b.get_page("/quan-tri/chuyen-muc").await;
    assert_eq!(status, 200);
    assert!(html.contains("(Biên tập viên)"));
    let res = b
        .post(
            "/quan-tri/chuyen-muc",
            &[
                ("name", "Phổ biến pháp luật"),
                ("position", "1"),
                ("in_menu", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let store = app.store().await;
    assert!(
        store
            .sections(SiteId(2))
            .find_by_slug("pho-bien-phap-luat")
            .await
            .expect("read")
            .is_some(),
        "the section is Sở Tư pháp's"
    );
    assert!(
        store
            .sections(SiteId::FIRST)
            .find_by_slug("pho-bien-phap-luat")
            .await
            .expect("read")
            .is_none()
    );

    // Now the reporter works on the portal too: Sở Tư pháp's administrator may change
    // their role there, but not their password.
    sa.get_page("/quan-tri/nguoi-dung").await;
    let res = sa
        .post(
            &format!("/quan-tri/nguoi-dung/{pv}"),
            &[
                ("action", "password"),
                ("password", "Mật khẩu của kẻ lạ 2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = sa
        .post(
            &format!("/quan-tri/nguoi-dung/{pv}"),
            &[("action", "role"), ("role", ""), ("display_name", "")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        query_i64(
            &url,
            &format!("SELECT COUNT(*) FROM site_roles WHERE user_id = {pv}")
        )
        .await,
        1,
        "only the portal's role is left"
    );
}
