//! Bad input gets a clear 4xx page in the site's style: never a 500, never a panic.

use crate::support::*;

#[tokio::test]
async fn bad_page_numbers() {
    let app = TestApp::start().await;
    let section = "/chuyen-muc/tin-tuc-su-kien";
    for (query, status) in [
        ("?page=abc", 400),
        ("?page=-1", 400),
        ("?page=0", 400),
        ("?page=", 400),
        ("?page=1.5", 400),
        ("?page=%FF%FE", 400),
        ("?page=99999999", 404),
        ("?page=99999999999999999999999", 400),
        ("?page=5", 404),
        ("?page=4", 200),
        ("?page=2&page=abc", 200),
        ("?other=abc", 200),
    ] {
        let res = app.get(&format!("{section}{query}")).await;
        assert_eq!(res.status(), status, "{query}");
        assert_eq!(
            res.headers()["content-type"],
            "text/html; charset=utf-8",
            "{query}"
        );
        if status == 400 {
            let html = res.text().await.expect("body");
            assert!(html.contains("Yêu cầu không hợp lệ"), "{query}");
            assert!(
                html.contains("phải là số nguyên dương"),
                "{query}: says what is wrong"
            );
        }
    }
    let article = format!("/bai-viet/{REFERENCE_SLUG}");
    for (query, status) in [
        ("?tin-khac=abc", 400),
        ("?tin-khac=-1", 400),
        ("?tin-khac=999", 404),
        ("?tin-khac=2", 200),
    ] {
        assert_eq!(
            app.get(&format!("{article}{query}")).await.status(),
            status,
            "{query}"
        );
    }
}

#[tokio::test]
async fn overlong_and_malformed_targets() {
    let app = TestApp::start().await;
    let long_path = format!("/bai-viet/{}", "a".repeat(5000));
    let (status, text) = raw(app.port, "GET", long_path.as_bytes()).await;
    assert_eq!(status, 414, "overlong path");
    assert!(text.contains("Địa chỉ quá dài"));
    let huge_query = format!("/?q={}", "x".repeat(20_000));
    assert_eq!(
        raw(app.port, "GET", huge_query.as_bytes()).await.0,
        414,
        "huge query string"
    );
    // Percent-encoded bytes that are not UTF-8.
    let (status, text) = raw(app.port, "GET", b"/bai-viet/%FF%FE%FD").await;
    assert_eq!(status, 400, "invalid UTF-8 in a slug");
    assert!(text.contains("text/html"));
    assert_eq!(raw(app.port, "GET", b"/chuyen-muc/%C3%28").await.0, 400);
    // Slugs that cannot exist are 404 without asking the store.
    for path in [
        "/bai-viet/HOI-NGHI",
        "/bai-viet/h%E1%BB%99i-ngh%E1%BB%8B",
        "/bai-viet/a%2Fb",
        "/bai-viet/..%2F..%2Fetc%2Fpasswd",
        "/trang/%00",
        "/chuyen-muc/'%20OR%201=1--",
    ] {
        let (status, text) = raw(app.port, "GET", path.as_bytes()).await;
        assert_eq!(status, 404, "{path}");
        assert!(text.contains("Không tìm thấy trang"), "{path}");
    }
    // The media folder cannot be left.
    for path in [
        "/media/../cong.db",
        "/media/%2e%2e/cong.db",
        "/media/..%2Fcong.db",
    ] {
        let (status, _) = raw(app.port, "GET", path.as_bytes()).await;
        assert!(status == 404 || status == 400, "{path}: {status}");
    }
}

#[tokio::test]
async fn methods_other_than_get_and_head() {
    let app = TestApp::start().await;
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let (status, text) = raw(app.port, method, b"/").await;
        assert_eq!(status, 405, "{method}");
        assert!(
            text.to_ascii_lowercase().contains("allow: get,head"),
            "{method}: {text}"
        );
        assert!(text.contains("Phương thức không được hỗ trợ"));
    }
    let (status, text) = raw(app.port, "HEAD", b"/").await;
    assert_eq!(status, 200);
    assert!(!text.contains("<html"), "HEAD has no body");
}

/// Whatever a client sends, the answer is a page with a status below 500.
#[tokio::test]
async fn nothing_a_client_sends_gives_a_server_error() {
    let app = TestApp::start().await;
    let targets: Vec<Vec<u8>> = vec![
        b"/?page=%".to_vec(),
        b"/chuyen-muc/tin-tuc-su-kien?page=%%%".to_vec(),
        b"/chuyen-muc/tin-tuc-su-kien?page=1%00".to_vec(),
        b"/bai-viet/%".to_vec(),
        b"/bai-viet/%C0%AF".to_vec(),
        b"/static/..%2F..%2FCargo.toml".to_vec(),
        b"/static/%FF".to_vec(),
        b"//".to_vec(),
        b"/./././".to_vec(),
        b"/bai-viet//x".to_vec(),
        b"/trang/gioi-thieu?".to_vec(),
        b"/trang/gioi-thieu#frag".to_vec(),
        format!("/chuyen-muc/{}", "%F0%9F%98%80".repeat(50)).into_bytes(),
        format!("/?{}", "a=1&".repeat(400)).into_bytes(),
    ];
    for target in targets {
        let (status, text) = raw(app.port, "GET", &target).await;
        let shown = String::from_utf8_lossy(&target).into_owned();
        assert!((200..500).contains(&status), "{shown}: {status}");
        assert!(
            !text.contains("panicked") && !text.contains("stack backtrace"),
            "{shown}"
        );
    }
    assert!(!app.stderr().contains("panicked"), "no panic logged");
    assert!(
        !app.stderr().contains("server error"),
        "no 5xx logged: {}",
        app.stderr()
    );
}

/// A media name the file system refuses (longer than a file name can be) is a file that is
/// not there: 404, not the 500 an unexpected I/O error gets. Found by the HTTP fuzzer.
#[tokio::test]
async fn media_names_the_file_system_refuses_are_not_found() {
    let app = TestApp::start().await;
    let long = "a".repeat(300);
    for path in [
        format!("/media/{long}.jpg"),
        format!("/media/{long}/x.webp"),
        format!("/media/2026/{long}"),
        format!("/media/{}", "%C3%A1".repeat(200)),
    ] {
        let (status, text) = raw(app.port, "GET", path.as_bytes()).await;
        assert_eq!(status, 404, "{path}");
        assert!(text.contains("Không tìm thấy trang"), "{path}: themed 404");
    }
    assert!(
        !app.stderr().contains("server error"),
        "no 5xx logged: {}",
        app.stderr()
    );
}

/// A section form naming a static page that does not exist is the form again with the
/// field's error, not a 500 from the database's foreign key (found by the HTTP fuzzer).
#[tokio::test]
async fn a_section_linked_to_a_page_that_does_not_exist_is_refused_with_its_field() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", "Giấy trắng 2026!");
    let mut admin = app.login("quantri", "Giấy trắng 2026!").await;
    admin.get_page("/quan-tri/chuyen-muc/1").await;
    let res = admin
        .post(
            "/quan-tri/chuyen-muc/1",
            &[("name", "Giới thiệu"), ("parent_id", ""), ("page_id", "0")],
        )
        .await;
    let status = res.status().as_u16();
    let html = res.text().await.expect("body");
    assert!((400..500).contains(&status), "{status}");
    assert!(html.contains("Trang tĩnh này không có."), "{html}");
    assert!(!app.stderr().contains("FOREIGN KEY"), "{}", app.stderr());
}
