//! A site that moved in keeps its old addresses: WordPress's `/?p=12` and permalinks, a
//! NukeViet article's address, each a 301 to where the item is now; others stay 404.

use crate::support::*;

#[tokio::test]
async fn old_addresses_lead_to_where_the_items_are_now() {
    let app = TestApp::start().await;
    cong_store::testing::execute(
        &app.db_url(),
        &[
            "INSERT INTO redirects (site_id, old_path, target, created_at) VALUES \
             (1, '/?p=9', '/bai-viet/hoi-nghi-tong-ket', 0), \
             (1, '/2023/05/17/hội-nghị', '/bai-viet/hoi-nghi', 0), \
             (1, '/vi/news/tin-tuc/hoi-nghi-12.html', '/chuyen-muc/tin-tuc-su-kien', 0)",
        ],
    )
    .await;

    let res = app.get("/?p=9").await;
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/bai-viet/hoi-nghi-tong-ket");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let res = app.get("/?utm_source=zalo&p=9").await;
    assert_eq!(res.status(), 301, "other parameters do not matter");
    // An item the old site did not have, or a plain home page: the home page.
    let res = app.get("/?p=10").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    assert!(html.contains(r#"<h2 id="noi-bat-title""#), "the home page");

    for path in [
        "/2023/05/17/h%E1%BB%99i-ngh%E1%BB%8B/",
        "/2023/05/17/h%e1%bb%99i-ngh%e1%bb%8b",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 301, "{path}");
        assert_eq!(res.headers()["location"], "/bai-viet/hoi-nghi");
    }
    let res = app.get("/vi/news/tin-tuc/hoi-nghi-12.html").await;
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/chuyen-muc/tin-tuc-su-kien");

    let res = app.get("/vi/news/tin-tuc/khong-co-13.html").await;
    assert_eq!(res.status(), 404);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("Không tìm thấy trang")
    );
    let res = app
        .browser()
        .post_raw("/2023/05/17/h%E1%BB%99i-ngh%E1%BB%8B", &[])
        .await;
    assert_ne!(res.status(), 301, "only a reader's GET is sent on");
}
