//! Góp ý / Liên hệ over HTTP: the form and its challenge, every refusal (with what was typed
//! kept), the mails to a real SMTP server, the back office's list, status and export, and a
//! person's data found, exported and erased.

use crate::mail::{Smtp, free_port};
use crate::support::{Browser, Builder, TestApp};
use cong_domain::forms::Puzzles;

/// A cheap proof of work and short waits, so that tests solve and wait in little time.
pub(crate) fn quick_forms(b: Builder, min_fill: &str, per_hour: &str) -> Builder {
    b.env("CONG_FORMS__POW_COST", "10")
        .env("CONG_FORMS__POW_MAX_NUMBER", "40")
        .env("CONG_FORMS__MIN_FILL_TIME", min_fill)
        .env("CONG_FORMS__PER_ADDRESS_PER_HOUR", per_hour)
}

/// The widget's part: fetch a challenge and solve it.
pub(crate) async fn answer(b: &Browser) -> String {
    let res = b.get("/bieu-mau/thu-thach").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let json = res.text().await.expect("body");
    Puzzles::solve_json(&json).unwrap_or_else(|| panic!("not a challenge: {json}"))
}

/// The id of the demo's topic called `name`, read off the form.
fn topic_id(html: &str, name: &str) -> String {
    regex::Regex::new(&format!(r#"<option value="(\d+)"[^>]*>{name}</option>"#))
        .expect("regex")
        .captures(html)
        .unwrap_or_else(|| panic!("no topic {name} in the form"))[1]
        .to_owned()
}

fn form<'a>(topic: &'a str, answer: &'a str, subject: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("topic", topic),
        ("name", "Trần Thị <b>Bình</b>"),
        ("email", "Binh@Example.vn"),
        ("phone", "0912 345 678"),
        ("address", "Số 5 Nguyễn Tất Thành"),
        ("subject", subject),
        (
            "body",
            "Đèn đường trước nhà văn hoá hỏng.\n<img src=x onerror=alert(1)>",
        ),
        ("consent", "1"),
        ("website", ""),
        ("altcha", answer),
    ]
}

async fn wait(d: &str) {
    let ms = match d {
        "1s" => 1100,
        _ => 2100,
    };
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
}

#[tokio::test]
async fn a_message_is_taken_mailed_and_handled_in_the_back_office() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let smtp = Smtp::start(port, &dir.path().join("maildir")).await;
    let app = quick_forms(TestApp::builder(), "1s", "5")
        .env("CONG_SERVER__PUBLIC_URL", "http://cong.example.vn")
        .env("CONG_MAIL__ENABLED", "true")
        .env("CONG_MAIL__SMTP_HOST", "127.0.0.1")
        .env("CONG_MAIL__SMTP_PORT", &port.to_string())
        .env("CONG_MAIL__SECURITY", "none")
        .env("CONG_MAIL__FROM_ADDRESS", "no-reply@example.vn")
        .env("CONG_MAIL__POLL_INTERVAL", "200ms")
        .start()
        .await;
    let mut citizen = app.browser();
    let (status, page) = citizen.get_page("/lien-he").await;
    assert_eq!(status, 200);
    for needle in [
        "<altcha-widget",
        r#"name="consent""#,
        r#"href="/trang/chinh-sach-bao-ve-du-lieu-ca-nhan""#,
        "chỉ được dùng để cơ quan trả lời",
        r#"class="hp""#,
    ] {
        assert!(page.contains(needle), "{needle} on the form");
    }
    let topic = topic_id(&page, "Phản ánh, kiến nghị");
    let a = answer(&citizen).await;
    wait("1s").await;
    let sql = "'; DROP TABLE feedback; --";
    let res = citizen.post_raw("/lien-he", &form(&topic, &a, sql)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let html = res.text().await.expect("body");
    let code = regex::Regex::new(r"GY-[A-Z0-9]{8}")
        .expect("regex")
        .find(&html)
        .unwrap_or_else(|| panic!("no code in {html}"))
        .as_str()
        .to_owned();

    // A receipt to the sender, the message to the topic's mailbox with a link to it.
    let mails = smtp.wait_for(2).await;
    let receipt = mails
        .iter()
        .find(|m| m.starts_with("binh@example.vn"))
        .expect("receipt");
    assert!(receipt.contains(&code), "{receipt}");
    let routed = mails
        .iter()
        .find(|m| m.starts_with("thanhtra@skhcn.example.gov.vn"))
        .expect("to the topic's mailbox");
    for needle in [
        &code,
        "Trần Thị <b>Bình</b>",
        "0912 345 678",
        sql,
        "onerror=alert(1)",
    ] {
        assert!(routed.contains(needle), "{needle} in {routed}");
    }
    assert!(
        routed.contains("http://cong.example.vn/quan-tri/gop-y/"),
        "{routed}"
    );

    // The back office: listed, escaped, handled, filtered, exported.
    app.add_user("quantri", "admin", "mat-khau-quan-tri-1");
    app.add_user("phongvien", "author", "mat-khau-phong-vien-1");
    let mut admin = app.login("quantri", "mat-khau-quan-tri-1").await;
    let (status, list) = admin.get_page("/quan-tri/gop-y").await;
    assert_eq!(status, 200);
    assert!(list.contains(&code), "{list}");
    assert!(list.contains("Trần Thị &lt;b&gt;Bình&lt;/b&gt;"), "escaped");
    let id = regex::Regex::new(r#"href="/quan-tri/gop-y/(\d+)""#)
        .expect("regex")
        .captures(&list)
        .expect("a link")[1]
        .to_owned();
    let (_, item) = admin.get_page(&format!("/quan-tri/gop-y/{id}")).await;
    assert!(
        item.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{item}"
    );
    assert!(!item.contains("<img src=x"), "never markup");
    let res = admin
        .post(
            &format!("/quan-tri/gop-y/{id}"),
            &[("status", "handled"), ("note", "Đã chuyển Phòng Kỹ thuật")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, handled) = admin.get_page("/quan-tri/gop-y?trang-thai=handled").await;
    assert!(handled.contains(&code));
    let (_, new) = admin.get_page("/quan-tri/gop-y?trang-thai=new").await;
    assert!(!new.contains(&code));
    let res = admin.get("/quan-tri/gop-y?trang-thai=khong-co").await;
    assert_eq!(res.status(), 400);

    let res = admin.get("/quan-tri/gop-y/xuat?trang-thai=handled").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("type")
            .contains("spreadsheetml")
    );
    let bytes = res.bytes().await.expect("xlsx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut all = String::new();
    for i in 0..zip.len() {
        use std::io::Read;
        let mut f = zip.by_index(i).expect("entry");
        f.read_to_string(&mut all).ok();
    }
    for needle in [
        code.as_str(),
        "Đã chuyển Phòng Kỹ thuật",
        "DROP TABLE feedback; --",
    ] {
        assert!(all.contains(needle), "{needle} in the workbook");
    }

    // A reporter does not see citizens' messages.
    let author = app.login("phongvien", "mat-khau-phong-vien-1").await;
    assert_eq!(author.get("/quan-tri/gop-y").await.status(), 403);
    assert_eq!(author.get("/quan-tri/du-lieu-ca-nhan").await.status(), 403);
}

/// Posts `fields` and returns status and page.
async fn send(b: &Browser, fields: &[(&str, &str)]) -> (u16, String) {
    let res = b.post_raw("/lien-he", fields).await;
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

/// The text typed is still in the form the refusal shows.
fn kept(page: &str) {
    assert!(
        page.contains(r#"value="Mất điện khu phố 3""#),
        "subject kept: {page}"
    );
    assert!(
        page.contains("Đèn đường trước nhà văn hoá hỏng."),
        "body kept"
    );
    assert!(page.contains(r#"value="Trần Thị &lt;b&gt;Bình&lt;/b&gt;""#));
}

#[tokio::test]
async fn every_refusal_says_why_and_keeps_what_was_typed() {
    let app = quick_forms(TestApp::builder(), "2s", "3").start().await;
    let mut b = app.browser();
    let (_, page) = b.get_page("/lien-he").await;
    let topic = topic_id(&page, "Góp ý chung");
    let subject = "Mất điện khu phố 3";
    let a = answer(&b).await;
    wait("2s").await;

    let mut no_consent = form(&topic, &a, subject);
    no_consent.retain(|(k, _)| *k != "consent");
    let (status, page) = send(&b, &no_consent).await;
    assert_eq!(status, 422);
    assert!(page.contains("Bạn cần đồng ý"), "{page}");
    kept(&page);

    let mut bot = form(&topic, &a, subject);
    bot.push(("website", "http://spam.example"));
    bot.retain(|(k, v)| *k != "website" || !v.is_empty());
    let (status, page) = send(&b, &bot).await;
    assert_eq!(status, 422);
    assert!(page.contains("ô ẩn"), "{page}");
    kept(&page);

    let (status, page) = send(&b, &form(&topic, "", subject)).await;
    assert_eq!(status, 422);
    assert!(page.contains("JavaScript"));
    kept(&page);

    let (status, page) = send(&b, &form(&topic, "bm90IGFuIGFuc3dlcg==", subject)).await;
    assert_eq!(status, 422);
    assert!(page.contains("không hợp lệ"));
    kept(&page);

    let mut bad = form(&topic, &a, subject);
    bad[2] = ("email", "khong-phai-thu");
    let (status, page) = send(&b, &bad).await;
    assert_eq!(status, 422);
    assert!(page.contains("Địa chỉ thư điện tử không hợp lệ"));
    assert!(page.contains(r#"value="khong-phai-thu""#));
    kept(&page);

    // Cross-site: refused by the browser's own word, before anything is read.
    let res = b
        .client
        .post(b.url("/lien-he"))
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form(&topic, &a, subject))
                .finish(),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);

    // Sent at once after the form opened: too fast.
    let quick = answer(&b).await;
    let (status, page) = send(&b, &form(&topic, &quick, subject)).await;
    assert_eq!(status, 422);
    assert!(page.contains("quá nhanh"), "{page}");
    kept(&page);

    let (status, page) = send(&b, &form(&topic, &a, subject)).await;
    assert_eq!(status, 200, "{page}");
    let (status, page) = send(&b, &form(&topic, &a, subject)).await;
    assert_eq!(status, 422, "a proof is good once");
    assert!(page.contains("đã được gửi một lần"));
    kept(&page);

    // Three an hour from one address: the fourth is 429 with Retry-After.
    for _ in 0..2 {
        let next = answer(&b).await;
        wait("2s").await;
        assert_eq!(send(&b, &form(&topic, &next, subject)).await.0, 200);
    }
    let next = answer(&b).await;
    wait("2s").await;
    let res = b.post_raw("/lien-he", &form(&topic, &next, subject)).await;
    assert_eq!(res.status(), 429);
    let retry: i64 = res.headers()["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds");
    assert!((3000..=3600).contains(&retry), "{retry}");
    let page = res.text().await.expect("body");
    assert!(page.contains("nhiều biểu mẫu"));
    kept(&page);
}

#[tokio::test]
async fn an_administrator_finds_exports_and_erases_a_persons_data() {
    let app = quick_forms(TestApp::builder(), "1s", "5").start().await;
    let mut b = app.browser();
    let (_, page) = b.get_page("/lien-he").await;
    let topic = topic_id(&page, "Thủ tục hành chính");
    let mut codes = Vec::new();
    let code = regex::Regex::new(r"GY-[A-Z0-9]{8}").expect("regex");
    for subject in ["Hỏi thủ tục cấp phép", "Hỏi thêm"] {
        let a = answer(&b).await;
        wait("1s").await;
        let (status, html) = send(&b, &form(&topic, &a, subject)).await;
        assert_eq!(status, 200);
        codes.push(code.find(&html).expect("code").as_str().to_owned());
    }
    app.add_user("quantri", "admin", "mat-khau-quan-tri-1");
    app.add_user("bientap", "editor", "mat-khau-bien-tap-1");
    let editor = app.login("bientap", "mat-khau-bien-tap-1").await;
    assert_eq!(editor.get("/quan-tri/du-lieu-ca-nhan").await.status(), 403);
    assert_eq!(
        editor.get("/quan-tri/gop-y").await.status(),
        200,
        "editors handle feedback"
    );

    let mut admin = app.login("quantri", "mat-khau-quan-tri-1").await;
    admin.get_page("/quan-tri/du-lieu-ca-nhan").await;
    let res = admin
        .post(
            "/quan-tri/du-lieu-ca-nhan",
            &[("email", "binh@example.vn"), ("action", "tim")],
        )
        .await;
    let found = res.text().await.expect("body");
    assert!(
        found.contains(&codes[0]) && found.contains(&codes[1]),
        "{found}"
    );
    let res = admin
        .post(
            "/quan-tri/du-lieu-ca-nhan",
            &[("email", "BINH@example.vn"), ("action", "xuat")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let json: serde_json::Value =
        serde_json::from_str(&res.text().await.expect("body")).expect("json");
    let rows = json["feedback"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["phone"], "0912 345 678");
    assert_eq!(rows[0]["email"], "binh@example.vn");
    assert!(
        rows[0]["consent_version"]
            .as_str()
            .expect("v")
            .starts_with('1')
    );

    let res = admin
        .post(
            "/quan-tri/du-lieu-ca-nhan",
            &[("email", "binh@example.vn"), ("action", "xoa")],
        )
        .await;
    assert_eq!(res.status(), 422, "not without the confirmation box");
    let res = admin
        .post(
            "/quan-tri/du-lieu-ca-nhan",
            &[
                ("email", "binh@example.vn"),
                ("action", "xoa"),
                ("chac-chan", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("body").contains("Đã xoá 2 góp ý"));
    let (_, list) = admin.get_page("/quan-tri/gop-y").await;
    assert!(!list.contains(&codes[0]));
    let (_, log) = admin.get_page("/quan-tri/nhat-ky").await;
    assert!(
        log.contains("privacy.erase") && log.contains("b***@example.vn"),
        "{log}"
    );
    assert!(!log.contains("binh@example.vn"));
    let res = admin
        .post(
            "/quan-tri/du-lieu-ca-nhan",
            &[("email", "khong-phai-thu"), ("action", "tim")],
        )
        .await;
    assert_eq!(res.status(), 422);
}
