//! Hỏi đáp beyond the cycle: a citizen's attachment (checked by the file rules, too large
//! refused with the text kept, downloaded only from the back office), the queue's filters,
//! and a published question in the site search and on the kept Q&A pages at once.

use crate::feedback::{answer, quick_forms};
use crate::support::{GOOGLEBOT, TestApp, client_from};
use std::time::Duration;

const PASSWORD: &str = "mat-khau-bien-tap-1";

/// A solved challenge, after the minimum fill time.
async fn solved(app: &TestApp) -> String {
    let answer = answer(&app.browser()).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    answer
}

fn fields<'a>(topic: &'a str, subject: &'a str, answer: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("topic", topic),
        ("name", "Đặng Văn Phúc"),
        ("email", "phuc@example.vn"),
        ("phone", ""),
        ("address", ""),
        ("subject", subject),
        (
            "body",
            "Giấy chứng nhận này còn hiệu lực không? Tôi gửi kèm bản chụp.",
        ),
        ("consent", "1"),
        ("website", ""),
        ("altcha", answer),
    ]
}

/// The page and how the cache answered it.
async fn fetch(app: &TestApp, path: &str) -> (String, String) {
    let res = client_from(None, GOOGLEBOT)
        .get(app.url(path))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200, "{path}");
    let how = res.headers()["x-cache"].to_str().expect("ascii").to_owned();
    (how, res.text().await.expect("body"))
}

#[tokio::test]
async fn a_question_carries_a_file_the_queue_filters_and_the_answer_is_found() {
    let app = quick_forms(TestApp::builder(), "1s", "50")
        .env("CONG_FORMS__MAX_ATTACHMENT_BYTES", "200000")
        .start()
        .await;
    app.add_user("bientap", "editor", PASSWORD);
    let mut citizen = app.browser();
    let (_, form) = citizen.get_page("/hoi-dap/gui").await;
    assert!(
        form.contains(r#"enctype="multipart/form-data""#) && form.contains(r#"type="file""#),
        "the form takes a file"
    );
    let subject = "Hiệu lực giấy chứng nhận ISO";
    let topic = regex::Regex::new(r#"<option value="(\d+)""#)
        .expect("regex")
        .captures(&form)
        .expect("a field")[1]
        .to_owned();

    // A program under a PDF's name: refused by its bytes, the text kept.
    let answer = solved(&app).await;
    let exe = b"MZ\x90\x00\x03\x00\x00\x00 not a pdf at all".to_vec();
    let res = citizen
        .post_multipart(
            "/hoi-dap/gui",
            &fields(&topic, subject, &answer),
            Some(("tep", "giay-chung-nhan.pdf", exe)),
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("body");
    assert!(html.contains("chương trình chạy được"), "{html}");
    assert!(
        html.contains(subject) && html.contains("Đặng Văn Phúc"),
        "the text is kept"
    );

    // Larger than the form's limit: dropped unread, said so, the text kept.
    // (Over the limit, its bytes are never looked at.)
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(250_000, b' ');
    let answer = solved(&app).await;
    let res = citizen
        .post_multipart(
            "/hoi-dap/gui",
            &fields(&topic, subject, &answer),
            Some(("tep", "ban-chup.pdf", big)),
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("body");
    assert!(html.contains("lớn hơn 195,3 KB"), "{html}");
    assert!(html.contains(subject));

    // A proper PDF is taken.
    let pdf = cong_files::make::pdf("Giấy chứng nhận", &["Số 12/GCN-TĐC, cấp ngày 02/03/2024"]);
    let answer = solved(&app).await;
    let res = citizen
        .post_multipart(
            "/hoi-dap/gui",
            &fields(&topic, subject, &answer),
            Some(("tep", "Giấy chứng nhận.pdf", pdf.clone())),
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

    // The editor finds it by field and day, sees and downloads the file.
    let mut editor = app.login("bientap", PASSWORD).await;
    let (_, queue) = editor.get_page("/quan-tri/hoi-dap").await;
    let id = regex::Regex::new(&format!(r#"href="/quan-tri/hoi-dap/(\d+)">{code}<"#))
        .expect("regex")
        .captures(&queue)
        .expect("in the queue")[1]
        .to_owned();
    let today = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh")
        .expect("tz")
        .to_datetime(jiff::Timestamp::now())
        .date()
        .to_string();
    let (_, filtered) = editor
        .get_page(&format!(
            "/quan-tri/hoi-dap?tu-ngay={today}&den-ngay={today}"
        ))
        .await;
    assert!(filtered.contains(&code), "asked today");
    assert!(
        !filtered.contains("HD-DEMO0001"),
        "the demo's question was asked before today"
    );
    let (_, none) = editor
        .get_page("/quan-tri/hoi-dap?tu-ngay=2001-01-01&den-ngay=2001-01-31")
        .await;
    assert!(!none.contains(&code));
    assert!(
        none.contains(r#"value="2001-01-01""#),
        "the filter is shown as chosen"
    );
    assert_eq!(
        editor
            .get("/quan-tri/hoi-dap?tu-ngay=31/31/2001")
            .await
            .status(),
        400
    );
    assert_eq!(editor.get("/quan-tri/hoi-dap?chu-de=x").await.status(), 400);
    let export = editor
        .get(&format!("/quan-tri/hoi-dap/xuat?tu-ngay={today}"))
        .await;
    assert_eq!(export.status(), 200);

    let item = format!("/quan-tri/hoi-dap/{id}");
    let (_, page) = editor.get_page(&item).await;
    assert!(
        page.contains(&format!(r#"href="{item}/tep""#)) && page.contains("Giấy chứng nhận.pdf"),
        "{page}"
    );
    let res = editor.get(&format!("{item}/tep")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(disposition.contains("UTF-8''Gi%E1%BA%A5y"), "{disposition}");
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), pdf.as_slice());
    // Nobody else: the public has no address for it.
    let anonymous = citizen.get(&format!("{item}/tep")).await;
    assert_ne!(anonymous.status(), 200);

    // The list is kept; publishing the answer makes it stale on its own.
    let (_, list) = fetch(&app, "/hoi-dap").await;
    assert!(!list.contains(subject));
    let (how, _) = fetch(&app, "/hoi-dap").await;
    assert_eq!(how, "hit", "the list is kept");
    assert_eq!(
        editor
            .post(
                &item,
                &[
                    ("step", "accept"),
                    ("title", "Giấy chứng nhận ISO còn hiệu lực không?"),
                    (
                        "body",
                        "Giấy chứng nhận số 12/GCN-TĐC còn hiệu lực không? <img src=x onerror=alert(1)> ' OR 1=1 --",
                    ),
                ],
            )
            .await
            .status(),
        303
    );
    let (_, page) = editor.get_page(&item).await;
    let assignee = regex::Regex::new(
        r#"name="assignee">\s*(?:<option value="">[^<]*</option>\s*)?<option value="(\d+)""#,
    )
    .expect("regex")
    .captures(&page)
    .map(|c| c[1].to_owned())
    .expect("someone to give it to");
    for step in [
        vec![("step", "assign"), ("assignee", assignee.as_str())],
        vec![
            ("step", "answer"),
            (
                "answer",
                "Giấy chứng nhận có hiệu lực ba năm kể từ ngày cấp.",
            ),
        ],
        vec![("step", "approve")],
    ] {
        assert_eq!(editor.post(&item, &step).await.status(), 303, "{step:?}");
    }
    let mut shown = false;
    for _ in 0..50 {
        let (_, list) = fetch(&app, "/hoi-dap").await;
        if list.contains("Giấy chứng nhận ISO còn hiệu lực không?") {
            shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        shown,
        "the kept list went stale when the answer was published"
    );
    // The site search finds the pair, by its answer's words too, folded.
    let mut found = String::new();
    for _ in 0..50 {
        found = citizen
            .get("/tim-kiem?q=hieu+luc+ba+nam&loai=hoi-dap")
            .await
            .text()
            .await
            .expect("body");
        if found.contains(&format!("/hoi-dap/{id}")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        found.contains(&format!(r#"href="/hoi-dap/{id}""#)),
        "{found}"
    );
    assert!(found.contains(r#"<span class="result-kind">Hỏi đáp</span>"#));
    let (_, articles_only) = citizen
        .get_page("/tim-kiem?q=hieu+luc+ba+nam&loai=bai-viet")
        .await;
    assert!(!articles_only.contains(&format!("/hoi-dap/{id}")));
    // The public page never links the citizen's file; what was typed is text, not markup.
    let (_, public) = fetch(&app, &format!("/hoi-dap/{id}")).await;
    assert!(!public.contains("Giấy chứng nhận.pdf") && !public.contains("/tep"));
    assert!(
        public.contains("&lt;img src=x onerror=alert(1)&gt; &#x27;")
            || public.contains("&lt;img src=x onerror=alert(1)&gt; &#39;"),
        "{public}"
    );
    assert!(!public.contains("<img src=x"), "never markup");
}
