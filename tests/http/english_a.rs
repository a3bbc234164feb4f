//! Group A's public pages under `/en/`: the search, the libraries, the contact form and the
//! error pages speak English, from the same routes.

use crate::support::*;

#[tokio::test]
async fn search_libraries_contact_and_errors_in_english() {
    let app = TestApp::start().await;

    let res = app.get("/en/tim-kiem?q=science").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("<title>Search: science"), "the title");
    assert!(html.contains(r#"action="/en/tim-kiem""#));
    assert!(
        html.contains("Found <strong>") || html.contains("No results for “science”."),
        "the count, in English"
    );
    assert!(!html.contains("Tìm thấy"));

    let res = app.get("/en/tim-kiem?q=a&tu-ngay=abc").await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("body");
    assert!(
        html.contains("“From” is not a date"),
        "the mistake in English"
    );

    let html = app.peek("/en/thu-vien-anh").await;
    assert!(html.contains(r#"<h1 class="page-title">Photos</h1>"#));
    assert!(html.contains("newest first."));
    let html = app.peek("/en/video").await;
    assert!(html.contains(r#"<h1 class="page-title">Videos</h1>"#));

    let html = app.peek("/en/lien-he").await;
    assert!(html.contains("<title>Feedback and contact"));
    assert!(html.contains(r#"<label for="ho-ten">Full name *</label>"#));
    assert!(html.contains(r#"action="/en/lien-he""#));
    assert!(html.contains("I agree to the agency processing"));

    let res = app.get("/en/khong-co-trang-nay").await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.expect("body");
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("Page not found"));
    assert!(html.contains(r#"<a href="/en/">Back to the home page</a>"#));
    // The Vietnamese page keeps its words.
    let html = app
        .get("/khong-co-trang-nay")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("Không tìm thấy trang"));
}
