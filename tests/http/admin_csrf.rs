//! Every state-changing back-office route refuses a request without the right CSRF token,
//! and changes nothing. The routes come from the router's own table (`admin::ROUTES`).

use crate::support::*;

const PW: &str = "Đồng hồ cát 2026";

/// A concrete path for a route pattern (ids of things that exist in the demo).
fn concrete(pattern: &str) -> String {
    pattern.replace("{id}", "1").replace("{rev}", "1")
}

#[tokio::test]
async fn every_post_route_refuses_a_missing_or_wrong_token() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let mut admin = app.login("quantri", PW).await;
    let (_, before) = admin.get_page("/quan-tri/nhat-ky").await;
    let before_total = regex::Regex::new(r"<p>(\d+) mục.</p>")
        .expect("regex")
        .captures(&before)
        .expect("count")[1]
        .to_owned();
    let posts: Vec<&str> = cong_web::admin::ROUTES
        .iter()
        .filter(|(m, _)| *m != "get")
        .map(|(_, p)| *p)
        .collect();
    assert!(posts.len() >= 24, "{} state-changing routes", posts.len());
    for pattern in &posts {
        let path = concrete(pattern);
        // Every field a form there might carry, but no token.
        let fields = [
            ("title", "Bị giả mạo"),
            ("name", "Bị giả mạo"),
            ("username", "kẻ-giả-mạo"),
            ("password", "Mật khẩu rất dài 2026"),
            ("role", "admin"),
            ("section_id", "1"),
            ("action", "disable"),
            ("comment", "x"),
        ];
        let missing = admin.post_raw(&path, &fields).await;
        assert_eq!(missing.status(), 403, "POST {path} without a token");
        let mut wrong = vec![("csrf", "not-the-token")];
        wrong.extend_from_slice(&fields);
        assert_eq!(
            admin.post_raw(&path, &wrong).await.status(),
            403,
            "POST {path} with a wrong token"
        );
        // A token in a header or the query must be the right one too.
        let res = admin
            .client
            .post(admin.url(&format!("{path}?csrf=forged")))
            .header("x-csrf-token", "forged")
            .send()
            .await
            .expect("request");
        assert_eq!(
            res.status(),
            403,
            "POST {path} with forged header and query"
        );
    }
    // Nothing happened: no new audit entry, no article titled by the forger, no new user.
    let (_, after) = admin.get_page("/quan-tri/nhat-ky").await;
    let after_total = regex::Regex::new(r"<p>(\d+) mục.</p>")
        .expect("regex")
        .captures(&after)
        .expect("count")[1]
        .to_owned();
    assert_eq!(before_total, after_total, "the audit log did not move");
    let (_, list) = admin
        .get_page("/quan-tri/bai-viet?tieu-de=gi%E1%BA%A3+m%E1%BA%A1o")
        .await;
    assert!(list.contains("<p>0 bài.</p>"), "no forged article");
    let (_, users) = admin.get_page("/quan-tri/nguoi-dung").await;
    assert!(!users.contains("kẻ-giả-mạo"));
    // And the login form refuses a post without its pre-session token.
    let fresh = app.browser();
    let res = fresh
        .post_raw("/dang-nhap", &[("username", "quantri"), ("password", PW)])
        .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_cross_site_form_is_refused_even_with_a_session() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let mut admin = app.login("quantri", PW).await;
    admin.get_page("/quan-tri/chuyen-muc").await;
    // The right token but another site's page posting it: refused by Sec-Fetch-Site/Origin.
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("csrf", admin.csrf.as_str()), ("name", "Chuyên mục lạ")])
        .finish();
    let res = admin
        .client
        .post(admin.url("/quan-tri/chuyen-muc"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .body(body)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
    let (_, html) = admin.get_page("/quan-tri/chuyen-muc").await;
    assert!(!html.contains("Chuyên mục lạ"));
}

async fn send(b: &Browser, form: reqwest::multipart::Form, query: &str) -> reqwest::Response {
    b.client
        .post(b.url(&format!("/quan-tri/anh/tai-len{query}")))
        .multipart(form)
        .send()
        .await
        .expect("request")
}

/// An upload carries its token as the first field of the multipart body: not in the URL
/// (logs and `Referer` keep URLs), not after the file. The file behind a good token arrives
/// whole.
#[tokio::test]
async fn an_upload_takes_its_token_from_the_first_field_only() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let mut admin = app.login("quantri", PW).await;
    admin.get_page("/quan-tri/anh").await;
    let photo = jpeg(900, 600);
    let file = || reqwest::multipart::Part::bytes(photo.clone()).file_name("anh-thu.jpg");
    let q: String = form_urlencoded::byte_serialize(admin.csrf.as_bytes()).collect();
    let cases = [
        (
            "no token",
            reqwest::multipart::Form::new().part("file", file()),
            String::new(),
        ),
        (
            "the right token in the query only",
            reqwest::multipart::Form::new().part("file", file()),
            format!("?csrf={q}"),
        ),
        (
            "the right token after the file",
            reqwest::multipart::Form::new()
                .part("file", file())
                .text("csrf", admin.csrf.clone()),
            String::new(),
        ),
        (
            "a wrong token first",
            reqwest::multipart::Form::new()
                .text("csrf", "not-the-token")
                .part("file", file()),
            String::new(),
        ),
    ];
    for (what, form, query) in cases {
        let res = send(&admin, form, &query).await;
        assert_eq!(res.status(), 403, "{what}");
    }
    let (_, library) = admin.get_page("/quan-tri/anh").await;
    assert!(!library.contains("anh-thu.jpg"), "nothing was stored");
    // The form as the library page draws it: the hidden token first, no token in the action.
    let form_html = &library[library
        .find("enctype=\"multipart/form-data\"")
        .expect("form")
        - 80..];
    assert!(form_html.contains(r#"action="/quan-tri/anh/tai-len""#));
    assert!(form_html.find(r#"name="csrf""#) < form_html.find(r#"name="file""#));
    let good = reqwest::multipart::Form::new()
        .text("csrf", admin.csrf.clone())
        .part("file", file());
    let res = send(&admin, good, "").await;
    assert_eq!(res.status(), 303, "the right token first");
    let (_, library) = admin.get_page("/quan-tri/anh").await;
    // Decoded whole (a cut JPEG is refused as an image), at its own size.
    assert!(library.contains("anh-thu.jpg") && library.contains("900 × 600"));
}
