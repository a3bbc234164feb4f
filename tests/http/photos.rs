//! The photo library (Thư viện ảnh): the galleries already published, newest first.

use crate::support::*;

#[tokio::test]
async fn the_photo_library_lists_published_galleries_only() {
    let app = TestApp::start().await;
    let res = app.get("/thu-vien-anh").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    // The reference article carries a gallery in the demo: its first picture, its count.
    let ref_slug = "hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang";
    assert!(
        html.contains(&format!("/bai-viet/{ref_slug}")),
        "the reference gallery is listed"
    );
    assert!(
        regex::Regex::new(r"\d+ ảnh")
            .expect("regex")
            .is_match(&html),
        "with its count"
    );
    assert!(html.contains("srcset="), "pictures in their sizes");
    assert!(html.contains(r#"aria-current="page">Thư viện ảnh"#));
    assert_eq!(app.get("/thu-vien-anh?page=99").await.status(), 404);
    assert_eq!(app.get("/thu-vien-anh?page=abc").await.status(), 400);
    // Every article's gallery links to it.
    let article = app.peek(&format!("/bai-viet/{ref_slug}")).await;
    assert!(article.contains(r#"<a href="/thu-vien-anh">Thư viện ảnh</a>"#));

    // An article taken down leaves the library at once (the kept page goes stale).
    app.add_user("bientap", "editor", "Giấy trắng 2026!");
    let mut editor = app.login("bientap", "Giấy trắng 2026!").await;
    let id = app
        .store()
        .await
        .editorial(cong_store::SiteId(1))
        .list(
            &cong_store::editorial::ListFilter {
                title: Some("tập huấn về đề xuất".to_owned()),
                ..Default::default()
            },
            5,
            0,
        )
        .await
        .expect("list")
        .0
        .first()
        .expect("the reference article")
        .id;
    editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let res = editor
        .post(&format!("/quan-tri/bai-viet/{id}/go-xuong"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let html = app.peek("/thu-vien-anh").await;
    assert!(
        !html.contains(&format!("/bai-viet/{ref_slug}")),
        "unpublished, not listed"
    );
}
