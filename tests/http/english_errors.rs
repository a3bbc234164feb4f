//! What cong says in Rust rather than in a template reads in English on English pages: a
//! bad page number, a search mistake, a form's faults and refusals, the topics' names; the
//! English feed; `/en` answered under every layer.

use crate::feedback::{answer, quick_forms};
use crate::support::*;

/// The Góp ý form filled in, with the topic and proof given.
fn form<'a>(topic: &'a str, answer: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("topic", topic),
        ("name", "Jane Doe"),
        ("email", email),
        ("subject", "Street lights"),
        ("body", "The street lights on Main Street are out."),
        ("consent", "1"),
        ("website", ""),
        ("altcha", answer),
    ]
}

/// The value of the option called `name` in a form.
fn option(html: &str, name: &str) -> String {
    regex::Regex::new(&format!(r#"<option value="(\d+)"[^>]*>{name}</option>"#))
        .expect("regex")
        .captures(html)
        .unwrap_or_else(|| panic!("no option {name}"))[1]
        .to_owned()
}

#[tokio::test]
async fn errors_said_in_rust_read_in_english() {
    let app = quick_forms(TestApp::builder(), "1s", "20").start().await;

    let res = app.get("/en/chuyen-muc/news?page=abc").await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("body");
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(
        html.contains("The page number “page” must be a positive whole number."),
        "{html}"
    );
    let html = app.get("/chuyen-muc/tin-tuc-su-kien?page=abc").await;
    assert_eq!(html.status(), 400);
    let html = html.text().await.expect("body");
    assert!(html.contains("Số trang “page” phải là số nguyên dương."));

    let res = app.get("/en/tim-kiem?q=%22science").await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("body");
    assert!(html.contains("a closing double quote is missing"), "{html}");
    assert!(!html.contains("Từ khóa"));
    let html = app
        .get("/tim-kiem?q=%22khoa")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("thiếu dấu ngoặc kép đóng"));

    // The topics in their English names, the Vietnamese pages keep theirs.
    let html = app.peek("/en/lien-he").await;
    assert!(html.contains(">General comments</option>"), "{html}");
    assert!(!html.contains("Góp ý chung"));
    assert!(app.peek("/lien-he").await.contains(">Góp ý chung</option>"));
    let html = app.peek("/en/hoi-dap").await;
    assert!(html.contains("Intellectual property"), "the fields");
    assert!(!html.contains("Sở hữu trí tuệ"));
    let html = app.peek("/en/hoi-dap/gui").await;
    assert!(html.contains(">Intellectual property</option>"));

    // A form's refusals and faults.
    let mut b = app.browser();
    let (_, page) = b.get_page("/en/lien-he").await;
    let topic = option(&page, "General comments");
    let res = b
        .post_raw("/en/lien-he", &form(&topic, "", "jane@example.org"))
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    assert!(page.contains("The anti-spam check has not run"), "{page}");
    assert!(
        page.contains(r#"value="Street lights""#),
        "what was typed is kept"
    );

    let a = answer(&b).await;
    let res = b
        .post_raw("/en/lien-he", &form(&topic, &a, "jane@example.org"))
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    assert!(
        page.contains("The form was sent too soon after it was opened"),
        "{page}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mut no_name = form(&topic, &a, "not-an-address");
    no_name.retain(|(k, _)| *k != "name");
    let res = b.post_raw("/en/lien-he", &no_name).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    assert!(page.contains("The e-mail address is not valid."), "{page}");
    assert!(page.contains("Enter your full name (200 characters at most)."));
    assert!(!page.contains("Hãy nhập"), "no Vietnamese fault");
    let res = b
        .post_raw("/en/lien-he", &form(&topic, &a, "jane@example.org"))
        .await;
    assert_eq!(res.status(), 200, "the proof was not spent by the refusals");
    let res = b
        .post_raw("/en/lien-he", &form(&topic, &a, "jane@example.org"))
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    assert!(
        page.contains("This form has already been sent once"),
        "{page}"
    );
    // The Vietnamese page says the same in Vietnamese.
    let res = b
        .post_raw("/lien-he", &form(&topic, &a, "jane@example.org"))
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    assert!(page.contains("Biểu mẫu này đã được gửi một lần"), "{page}");
}

#[tokio::test]
async fn english_pages_have_their_feed_and_en_redirects_like_any_page() {
    let app = TestApp::start().await;

    let res = app.get("/en/rss.xml").await;
    assert_eq!(res.status(), 200);
    let rss = res.text().await.expect("body");
    assert!(rss.contains("<language>en</language>"), "{rss}");
    assert!(
        rss.contains("/en/bai-viet/"),
        "English articles at English addresses"
    );
    assert!(rss.contains("Latest news from"), "{rss}");
    let item_links: Vec<&str> = rss
        .split("<link>")
        .skip(2)
        .filter_map(|s| s.split("</link>").next())
        .collect();
    assert!(!item_links.is_empty());
    assert!(
        item_links.iter().all(|l| l.contains("/en/bai-viet/")),
        "only English articles: {item_links:?}"
    );
    let rss = app.get("/rss.xml").await.text().await.expect("body");
    assert!(rss.contains("<language>vi</language>"));
    assert!(
        !rss.contains("/en/"),
        "no English article in the Vietnamese feed"
    );
    let atom = app.get("/en/atom.xml").await.text().await.expect("body");
    assert!(atom.contains(r#"xml:lang="en""#), "{atom}");
    // Pages point to their language's feed.
    let html = app.peek("/en/").await;
    assert!(html.contains("/en/rss.xml"), "the English feed in the head");

    let res = app.get("/en?x=1").await;
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/en/?x=1");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers().contains_key("x-request-id"));
    assert!(res.headers().contains_key("content-security-policy"));
}

#[tokio::test]
async fn an_administrator_gives_the_forms_lists_english_names() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", "mat-khau-quan-tri-1");
    let mut admin = app.login("quantri", "mat-khau-quan-tri-1").await;
    // Kept before the change, so that the change is what makes it new.
    assert!(!app.peek("/en/hoi-dap").await.contains("Atomic energy"));

    let (status, page) = admin.get_page("/quan-tri/hoi-dap/linh-vuc").await;
    assert_eq!(status, 200);
    assert!(page.contains("Tên tiếng Anh (trang /en/)"));
    assert!(!page.contains("Hộp thư nhận"), "fields have no mailbox");
    let res = admin
        .post(
            "/quan-tri/hoi-dap/linh-vuc",
            &[
                ("name", "Năng lượng nguyên tử"),
                ("name_en", "Atomic energy"),
                ("position", "9"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/quan-tri/hoi-dap/linh-vuc?ok=luu"
    );
    let html = app.peek("/en/hoi-dap").await;
    assert!(
        html.contains("Atomic energy"),
        "the English list follows at once"
    );
    assert!(app.peek("/hoi-dap").await.contains("Năng lượng nguyên tử"));
    // A name both already have is refused with its reason.
    admin.get_page("/quan-tri/hoi-dap/linh-vuc").await;
    let res = admin
        .post(
            "/quan-tri/hoi-dap/linh-vuc",
            &[("name", "Năng lượng nguyên tử"), ("position", "1")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("Đã có lĩnh vực cùng tên.")
    );

    // A Góp ý topic's English name, beside its mailbox.
    let (_, page) = admin.get_page("/quan-tri/gop-y/chu-de").await;
    assert!(page.contains("Hộp thư nhận"));
    let res = admin
        .post(
            "/quan-tri/gop-y/chu-de",
            &[
                ("name", "Chuyển đổi số"),
                ("name_en", "Digital transformation"),
                ("mailbox", "cds@example.vn"),
                ("position", "9"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        app.peek("/en/lien-he")
            .await
            .contains(">Digital transformation</option>")
    );

    // Reporters do not arrange them.
    app.add_user("phongvien", "author", "Bút bi xanh 2026");
    let reporter = app.login("phongvien", "Bút bi xanh 2026").await;
    assert_eq!(
        reporter.get("/quan-tri/hoi-dap/linh-vuc").await.status(),
        403
    );
}
