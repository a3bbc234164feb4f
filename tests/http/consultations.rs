//! Lấy ý kiến dự thảo over HTTP: a published document put out for comment in the back
//! office, a comment taken while open (through the form's guard), published by an editor,
//! then, with the dates past, the form gone, the count and the summary report shown, a late
//! comment refused, the open and closed lists, and the commenter's data found and erased.
//! (The date window at its edges, on a hand-moved clock, is the domain's test.)

use crate::documents::{option_value, post_document};
use crate::feedback::{answer, quick_forms};
use crate::support::{Browser, TestApp};

const PW: &str = "Giấy trắng 2026!";

fn today_plus(days: i64) -> String {
    let tz = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").expect("tz");
    tz.to_datetime(jiff::Timestamp::now())
        .date()
        .checked_add(jiff::Span::new().days(days))
        .expect("day")
        .to_string()
}

/// Saves the consultation's form (dates, report uploads); expects the redirect.
async fn configure(
    admin: &Browser,
    id: &str,
    opens: &str,
    closes: &str,
    report: Vec<(&str, Vec<u8>)>,
) {
    let path = format!("/quan-tri/van-ban/{id}/lay-y-kien");
    let res = post_document(
        admin,
        &path,
        &[("enabled", "1"), ("opens_on", opens), ("closes_on", closes)],
        report,
    )
    .await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
}

async fn page(b: &Browser, path: &str) -> (u16, String) {
    let res = b.get(path).await;
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

#[tokio::test]
async fn a_consultation_takes_comments_while_open_and_reports_once_closed() {
    let app = quick_forms(TestApp::builder(), "1s", "20").start().await;
    app.add_user("quantri", "admin", PW);
    app.add_user("bientap", "editor", PW);
    let mut admin = app.login("quantri", PW).await;
    let mut editor = app.login("bientap", PW).await;

    // A published draft document.
    let (_, form) = editor.get_page("/quan-tri/van-ban/moi").await;
    let res = post_document(
        &editor,
        "/quan-tri/van-ban/moi",
        &[
            ("number", "99/DT-SKHCN"),
            ("type_id", &option_value(&form, "Quyết định")),
            (
                "issuer_id",
                &option_value(&form, "Sở Khoa học và Công nghệ"),
            ),
            (
                "summary",
                "Dự thảo quy chế quản lý nhiệm vụ khoa học cấp tỉnh",
            ),
            ("issued_on", &today_plus(-3)),
            // Put out for comment on the document's own form: yesterday to tomorrow.
            ("consult_form", "1"),
            ("consult", "1"),
            ("consult_opens", &today_plus(-1)),
            ("consult_closes", &today_plus(1)),
        ],
        vec![],
    )
    .await;
    assert_eq!(res.status(), 303);
    let id = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .trim_start_matches("/quan-tri/van-ban/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    let (_, edit) = editor.get_page(&format!("/quan-tri/van-ban/{id}")).await;
    let res = editor
        .post(
            &format!("/quan-tri/van-ban/{id}/trang-thai"),
            &[("to", "published")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        edit.contains("/lay-y-kien\">Lấy ý kiến dự thảo</a>"),
        "linked from the form"
    );
    let closes = format!(
        r#"name="consult_closes" type="date" value="{}""#,
        today_plus(1)
    );
    assert!(edit.contains(&closes), "the dates on the document's form");

    // Open from yesterday to tomorrow; the list of open ones leads to it.
    let (status, admin_page) = editor
        .get_page(&format!("/quan-tri/van-ban/{id}/lay-y-kien"))
        .await;
    assert_eq!(status, 200);
    assert!(admin_page.contains("Đang lấy ý kiến"), "{admin_page}");
    let citizen = app.browser();
    let (status, open_list) = page(&citizen, "/lay-y-kien?tinh-trang=dang-lay").await;
    assert_eq!(status, 200);
    let url = regex::Regex::new(r#"href="(/van-ban/[^"]+)">Quyết định 99/DT-SKHCN"#)
        .expect("regex")
        .captures(&open_list)
        .unwrap_or_else(|| panic!("not in the open list: {open_list}"))[1]
        .to_owned();
    let (status, doc) = page(&citizen, &url).await;
    assert_eq!(status, 200);
    for needle in [
        "Đang lấy ý kiến",
        &format!(r#"action="{url}/y-kien#lay-y-kien""#),
        "<altcha-widget",
        r#"name="consent""#,
        "không bao giờ được công bố",
    ] {
        assert!(doc.contains(needle), "{needle} on the open page");
    }

    // A comment, through the guard.
    let a = answer(&citizen).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let comment = |a: &str| {
        vec![
            ("name", "Lê Văn <i>Cường</i>".to_owned()),
            ("email", "Cuong@Example.vn".to_owned()),
            ("organisation", "Hiệp hội Doanh nghiệp".to_owned()),
            ("body", "Điều 7 nên rút ngắn thời hạn thẩm định.".to_owned()),
            ("consent", "1".to_owned()),
            ("website", String::new()),
            ("altcha", a.to_owned()),
        ]
    };
    let fields = comment(&a);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = citizen.post_raw(&format!("{url}/y-kien"), &pairs).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let thanks = res.text().await.expect("body");
    assert!(
        thanks.contains("Cơ quan đã nhận ý kiến của bạn"),
        "{thanks}"
    );
    let (_, doc) = page(&citizen, &url).await;
    assert!(!doc.contains("Cường"), "not public before moderation");

    // The editor publishes it; the page shows it, escaped, without the address.
    let (_, moderation) = editor
        .get_page(&format!("/quan-tri/van-ban/{id}/lay-y-kien"))
        .await;
    assert!(moderation.contains("cuong@example.vn"), "{moderation}");
    let comment_id = regex::Regex::new(r#"action="/quan-tri/y-kien-du-thao/(\d+)""#)
        .expect("regex")
        .captures(&moderation)
        .expect("a comment to moderate")[1]
        .to_owned();
    let res = editor
        .post(
            &format!("/quan-tri/y-kien-du-thao/{comment_id}"),
            &[("to", "published")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, doc) = page(&citizen, &url).await;
    assert!(
        doc.contains("Lê Văn &lt;i&gt;Cường&lt;/i&gt;"),
        "published, escaped"
    );
    assert!(doc.contains("Hiệp hội Doanh nghiệp"));
    assert!(
        !doc.contains("cuong@example.vn"),
        "the address is never shown"
    );

    // Closed: last month. The report attached; the form gone; the count and the report shown.
    let pdf = cong_files::make::pdf(
        "Báo cáo",
        &["Báo cáo tổng hợp, giải trình, tiếp thu ý kiến góp ý dự thảo."],
    );
    configure(
        &editor,
        &id,
        &today_plus(-40),
        &today_plus(-10),
        vec![("Bao cao tong hop.pdf", pdf)],
    )
    .await;
    let (status, doc) = page(&citizen, &url).await;
    assert_eq!(status, 200);
    assert!(!doc.contains(r#"class="public-form""#), "the form is gone");
    assert!(!doc.contains("<altcha-widget"), "no widget either");
    assert!(doc.contains("Đã hết hạn lấy ý kiến"));
    assert!(
        doc.contains("Đã nhận <strong>1</strong> ý kiến góp ý."),
        "{doc}"
    );
    let report =
        regex::Regex::new(r#"<a href="(/tep/\d+/[^"]+)" download>Bao cao tong hop.pdf</a>"#)
            .expect("regex")
            .captures(&doc)
            .unwrap_or_else(|| panic!("no report link in {doc}"))[1]
            .to_owned();
    let res = citizen.get(&report).await;
    assert_eq!(res.status(), 200, "the report is public");
    assert!(
        doc.contains("Lê Văn &lt;i&gt;Cường&lt;/i&gt;"),
        "published comments stay"
    );

    // A late comment (a form kept open) is refused, saying why.
    let a = answer(&citizen).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let fields = comment(&a);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = citizen.post_raw(&format!("{url}/y-kien"), &pairs).await;
    assert_eq!(res.status(), 422);
    let refused = res.text().await.expect("body");
    assert!(refused.contains("không nhận thêm ý kiến"), "{refused}");
    assert!(!refused.contains(r#"class="public-form""#));

    // The lists: closed, not open.
    let (_, open_list) = page(&citizen, "/lay-y-kien?tinh-trang=dang-lay").await;
    assert!(!open_list.contains("99/DT-SKHCN"));
    let (_, closed_list) = page(&citizen, "/lay-y-kien?tinh-trang=da-ket-thuc").await;
    assert!(closed_list.contains("99/DT-SKHCN"), "{closed_list}");
    assert!(closed_list.contains("1 ý kiến"));
    let (status, _) = page(&citizen, "/lay-y-kien?tinh-trang=bat-ky").await;
    assert_eq!(status, 400);

    // An author may not moderate.
    app.add_user("phongvien", "author", PW);
    let mut author = app.login("phongvien", PW).await;
    let (status, _) = author
        .get_page(&format!("/quan-tri/van-ban/{id}/lay-y-kien"))
        .await;
    assert_eq!(status, 403);

    // The commenter's data: found, then erased (the count follows).
    admin.get_page("/quan-tri/du-lieu-ca-nhan").await;
    let res = admin
        .post(
            "/quan-tri/du-lieu-ca-nhan",
            &[("email", "cuong@example.vn"), ("action", "tim")],
        )
        .await;
    let found = res.text().await.expect("body");
    assert!(found.contains("1 ý kiến về dự thảo"), "{found}");
    assert!(found.contains("Điều 7 nên rút ngắn"), "{found}");
    let res = admin
        .post(
            "/quan-tri/du-lieu-ca-nhan",
            &[
                ("email", "cuong@example.vn"),
                ("action", "xoa"),
                ("chac-chan", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let erased = res.text().await.expect("body");
    assert!(erased.contains("1 ý kiến về dự thảo"), "{erased}");
    let (_, doc) = page(&citizen, &url).await;
    assert!(doc.contains("Đã nhận <strong>0</strong> ý kiến góp ý."));
    assert!(!doc.contains("Cường"));
}

#[tokio::test]
async fn the_demo_has_a_draft_open_from_today_and_one_closed_with_its_report() {
    let app = TestApp::start().await;
    let citizen = app.browser();
    let open = format!("/van-ban/{}", cong_demo::OPEN_SLUG);
    let (status, doc) = page(&citizen, &open).await;
    assert_eq!(status, 200);
    // Open from the day it was loaded (today) for thirty days.
    let opens = format!(r#"<time datetime="{}">"#, today_plus(0));
    let closes = format!(r#"<time datetime="{}">"#, today_plus(30));
    for needle in [
        "Đang lấy ý kiến",
        opens.as_str(),
        closes.as_str(),
        "Dự thảo Quyết định công bố danh mục thủ tục hành chính",
        &format!(r#"action="{open}/y-kien#lay-y-kien""#),
        "<altcha-widget",
    ] {
        assert!(doc.contains(needle), "{needle} on the open draft");
    }
    let (status, doc) = page(&citizen, &format!("/van-ban/{}", cong_demo::CLOSED_SLUG)).await;
    assert_eq!(status, 200);
    assert!(doc.contains("Đã hết hạn lấy ý kiến"), "{doc}");
    assert!(doc.contains("Đã nhận <strong>3</strong> ý kiến góp ý."));
    assert!(!doc.contains(r#"class="public-form""#), "no form");
    let report = regex::Regex::new(r#"<a href="(/tep/\d+/[^"]+)" download>Bao-cao-tong-hop"#)
        .expect("regex")
        .captures(&doc)
        .unwrap_or_else(|| panic!("no report link in {doc}"))[1]
        .to_owned();
    assert_eq!(citizen.get(&report).await.status(), 200);
    // Waiting for moderation: none published.
    assert!(!doc.contains("Ý kiến đã đăng"));
    let (_, open_list) = page(&citizen, "/lay-y-kien?tinh-trang=dang-lay").await;
    assert!(open_list.contains(&open), "{open_list}");
    let (_, closed_list) = page(&citizen, "/lay-y-kien?tinh-trang=da-ket-thuc").await;
    assert!(closed_list.contains("3 ý kiến"), "{closed_list}");
}
