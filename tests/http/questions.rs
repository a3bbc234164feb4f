//! Hỏi đáp over HTTP with a real SMTP server: a question from the public form to the published
//! answer (every mail to the asker checked), tracking by code, the public list's folded search
//! and fields, and what the public pages never show.

use crate::mail::{Smtp, free_port};
use crate::support::TestApp;
use cong_domain::forms::Puzzles;

#[tokio::test]
async fn a_question_is_asked_answered_approved_and_published() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let smtp = Smtp::start(port, &dir.path().join("maildir")).await;
    let app = TestApp::builder()
        .env("CONG_FORMS__POW_COST", "10")
        .env("CONG_FORMS__POW_MAX_NUMBER", "40")
        .env("CONG_FORMS__MIN_FILL_TIME", "1s")
        .env("CONG_SERVER__PUBLIC_URL", "http://cong.example.vn")
        .env("CONG_MAIL__ENABLED", "true")
        .env("CONG_MAIL__SMTP_HOST", "127.0.0.1")
        .env("CONG_MAIL__SMTP_PORT", &port.to_string())
        .env("CONG_MAIL__SECURITY", "none")
        .env("CONG_MAIL__FROM_ADDRESS", "no-reply@example.vn")
        .env("CONG_MAIL__POLL_INTERVAL", "200ms")
        .start()
        .await;
    app.add_user("bientap", "editor", "mat-khau-bien-tap-1");
    app.add_user_with(
        "chuyenvien",
        "author",
        &[
            "--email",
            "cv@example.vn",
            "--display-name",
            "Chuyên viên Hà",
        ],
        "mat-khau-chuyen-vien-1",
    );

    // The demo's answered question is listed; the form offers the fields.
    let mut citizen = app.browser();
    let (status, list) = citizen.get_page("/hoi-dap").await;
    assert_eq!(status, 200);
    assert!(
        list.contains("Hồ sơ đăng ký nhãn hiệu gồm những gì?"),
        "{list}"
    );
    let (_, form) = citizen.get_page("/hoi-dap/gui").await;
    let topic = regex::Regex::new(
        r#"<option value="(\d+)"[^>]*>Tiêu chuẩn - Đo lường - Chất lượng</option>"#,
    )
    .expect("regex")
    .captures(&form)
    .expect("the field")[1]
        .to_owned();
    let res = citizen.get("/bieu-mau/thu-thach").await;
    let answer = Puzzles::solve_json(&res.text().await.expect("challenge")).expect("solved");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let res = citizen
        .post_raw(
            "/hoi-dap/gui",
            &[
                ("topic", topic.as_str()),
                ("name", "Võ Thị Em"),
                ("email", "em@example.vn"),
                ("phone", "0987 654 321"),
                ("address", ""),
                ("subject", "Kiểm định cân điện tử ở chợ"),
                (
                    "body",
                    "Cân ở chợ Phú Thủy có phải kiểm định định kỳ không? Ai kiểm định?",
                ),
                ("consent", "1"),
                ("website", ""),
                ("altcha", &answer),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    let code = regex::Regex::new(r"HD-[A-Z0-9]{8}")
        .expect("regex")
        .find(&html)
        .expect("a code")
        .as_str()
        .to_owned();
    assert!(
        html.contains(&format!("/hoi-dap/tra-cuu?ma={code}")),
        "a link to follow it"
    );
    let mails = smtp.wait_for(1).await;
    assert!(mails[0].starts_with("em@example.vn"), "{}", mails[0]);
    assert!(
        mails[0].contains(&format!("http://cong.example.vn/hoi-dap/tra-cuu?ma={code}")),
        "{}",
        mails[0]
    );
    let (_, tracked) = citizen
        .get_page(&format!("/hoi-dap/tra-cuu?ma={}", code.to_lowercase()))
        .await;
    assert!(tracked.contains("Đã nhận, chờ xem xét"), "{tracked}");
    assert_eq!(
        citizen
            .get("/hoi-dap/tra-cuu?ma=HD-KHONGCO1")
            .await
            .status(),
        404
    );

    // The editor accepts (editing the text), assigns to the specialist; the specialist answers.
    let mut editor = app.login("bientap", "mat-khau-bien-tap-1").await;
    let (_, dashboard) = editor.get_page("/quan-tri").await;
    assert!(
        dashboard.contains(r#"<span class="count">1</span> câu hỏi chờ xem xét"#),
        "the dashboard's queue: {dashboard}"
    );
    let (_, queue) = editor.get_page("/quan-tri/hoi-dap?trang-thai=new").await;
    let id = regex::Regex::new(&format!(r#"href="/quan-tri/hoi-dap/(\d+)">{code}<"#))
        .expect("regex")
        .captures(&queue)
        .expect("in the queue")[1]
        .to_owned();
    let item = format!("/quan-tri/hoi-dap/{id}");
    let (_, page) = editor.get_page(&item).await;
    assert!(page.contains("em@example.vn"), "the handler sees who asked");
    let res = editor
        .post(
            &item,
            &[
                ("step", "accept"),
                ("title", "Cân điện tử ở chợ có phải kiểm định không?"),
                (
                    "body",
                    "Cân ở chợ có phải kiểm định định kỳ không? Ai kiểm định?",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = editor.get_page(&item).await;
    let author_id = regex::Regex::new(r#"<option value="(\d+)">Chuyên viên Hà</option>"#)
        .expect("regex")
        .captures(&page)
        .expect("the specialist is offered")[1]
        .to_owned();
    let res = editor
        .post(&item, &[("step", "assign"), ("assignee", &author_id)])
        .await;
    assert_eq!(res.status(), 303);
    let mut author = app.login("chuyenvien", "mat-khau-chuyen-vien-1").await;
    let (status, mine) = author.get_page("/quan-tri/hoi-dap").await;
    assert_eq!(status, 200);
    assert!(
        mine.contains(&code),
        "the author sees what is given to them"
    );
    let (_, page) = author.get_page(&item).await;
    assert!(
        !page.contains("em@example.vn"),
        "the answerer does not need the asker's address"
    );
    let res = author
        .post(
            &item,
            &[
                ("step", "answer"),
                ("answer", "Cân dùng trong mua bán phải được kiểm định định kỳ một năm một lần.\n\nChi cục Tiêu chuẩn Đo lường Chất lượng thực hiện."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        author.post(&item, &[("step", "approve")]).await.status(),
        403,
        "an author does not publish"
    );
    assert_eq!(
        editor.post(&item, &[("step", "approve")]).await.status(),
        303
    );
    let again = editor.post(&item, &[("step", "approve")]).await;
    assert_eq!(again.status(), 409, "once");

    // Published: in the list, found folded, the answer shown, the asker never.
    let mails = smtp.wait_for(3).await;
    let assigned = mails
        .iter()
        .find(|m| m.starts_with("cv@example.vn"))
        .expect("to the assignee");
    assert!(assigned.contains(&format!("http://cong.example.vn/quan-tri/hoi-dap/{id}")));
    let answered = mails
        .iter()
        .find(|m| m.starts_with("em@example.vn") && m.contains("đã được trả lời"))
        .expect("the answer's mail");
    assert!(
        answered.contains(&format!("http://cong.example.vn/hoi-dap/{id}")),
        "{answered}"
    );
    let (status, public) = citizen.get_page(&format!("/hoi-dap/{id}")).await;
    assert_eq!(status, 200);
    assert!(public.contains("Cân điện tử ở chợ có phải kiểm định không?"));
    assert!(
        public.contains("<p>Chi cục Tiêu chuẩn Đo lường Chất lượng thực hiện.</p>"),
        "{public}"
    );
    for private in ["Võ Thị Em", "em@example.vn", "0987 654 321", "chợ Phú Thủy"] {
        assert!(!public.contains(private), "{private} is never shown");
    }
    let (_, found) = citizen.get_page("/hoi-dap?q=KIEM+DINH+can").await;
    assert!(found.contains(&format!("/hoi-dap/{id}")), "{found}");
    assert!(
        !found.contains("Hồ sơ đăng ký nhãn hiệu"),
        "only what matches"
    );
    let (_, by_field) = citizen
        .get_page(&format!("/hoi-dap?linh-vuc={topic}"))
        .await;
    assert!(by_field.contains(&format!("/hoi-dap/{id}")));
    assert!(
        !by_field.contains("Hồ sơ đăng ký nhãn hiệu"),
        "another field"
    );
    assert_eq!(citizen.get("/hoi-dap?linh-vuc=abc").await.status(), 400);
    assert_eq!(citizen.get("/hoi-dap/999999").await.status(), 404);
    let (_, tracked) = citizen
        .get_page(&format!("/hoi-dap/tra-cuu?ma={code}"))
        .await;
    assert!(tracked.contains("Đã trả lời và đăng công khai"));
}
