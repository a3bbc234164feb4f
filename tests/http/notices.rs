//! The editorial workflow's notices by mail, received by a real SMTP server (aiosmtpd): who
//! gets which mail on submit, return and publish; section limits, the opt-out on Tài khoản,
//! accounts without an address, and no mail without a configured address for links.

use crate::mail::{Smtp, free_port};
use crate::support::*;
use std::collections::BTreeSet;

const PW: &str = "Thư báo bài viết 2026";
/// The links' address (`server.public_url`); requests come to 127.0.0.1.
const BASE: &str = "http://cong.example.vn";

/// A mail as received: recipient, subject (decoded) and text part.
#[derive(Debug, Clone)]
struct Mail {
    to: String,
    subject: String,
    text: String,
    html: String,
}

/// Every mail the server received so far, decoded by Python's email package.
fn received(smtp: &Smtp) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(smtp.dir.join("new")) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| {
            let out = std::process::Command::new(Smtp::python())
                .args([
                    "-c",
                    "import email, email.policy, json, sys\n\
                     m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n\
                     text = m.get_body(preferencelist=('plain',)).get_content()\n\
                     html = m.get_body(preferencelist=('html',)).get_content()\n\
                     print(json.dumps([str(m['To']), str(m['Subject']), text, html]))",
                ])
                .arg(e.path())
                .output()
                .expect("python");
            let v: (String, String, String, String) =
                serde_json::from_slice(&out.stdout).expect("the mail as JSON");
            Mail {
                to: v.0,
                subject: v.1,
                text: v.2,
                html: v.3,
            }
        })
        .collect()
}

/// Waits until `n` more mails than the `seen` before have arrived, then a little more to
/// see that no other comes; every mail so far, in a fixed order (maildir names have none).
async fn next_mails(smtp: &Smtp, seen: usize, n: usize) -> Vec<Mail> {
    for _ in 0..150 {
        if received(smtp).len() >= seen + n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The queue is looked at every 200 ms: a mail that was to come has come by now.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let all = received(smtp);
    assert_eq!(all.len(), seen + n, "{n} new mails expected: {all:#?}");
    let mut all = all;
    all.sort_by(|a, b| (&a.to, &a.subject, &a.text).cmp(&(&b.to, &b.subject, &b.text)));
    all
}

fn to_set(mails: &[Mail]) -> BTreeSet<String> {
    mails.iter().map(|m| m.to.clone()).collect()
}

/// A node with the demo content sending mail to 127.0.0.1:`port`; links from `public_url`.
async fn node(port: u16, public_url: Option<&str>) -> TestApp {
    let mut b = TestApp::builder();
    if let Some(u) = public_url {
        b = b.env("CONG_SERVER__PUBLIC_URL", u);
    }
    b.env("CONG_MAIL__ENABLED", "true")
        .env("CONG_MAIL__SMTP_HOST", "127.0.0.1")
        .env("CONG_MAIL__SMTP_PORT", &port.to_string())
        .env("CONG_MAIL__SECURITY", "none")
        .env("CONG_MAIL__FROM_ADDRESS", "no-reply@example.vn")
        .env("CONG_MAIL__POLL_INTERVAL", "200ms")
        .start()
        .await
}

/// The id of the section option named `name` on the article form.
fn section_id(form: &str, name: &str) -> String {
    let end = form
        .find(&format!(">{name}</option>"))
        .expect("section option");
    let start = form[..end].rfind("value=\"").expect("value") + 7;
    form[start..end].split('"').next().expect("id").to_owned()
}

/// A draft in `section` by `b`; its id.
async fn draft(b: &mut Browser, title: &str, section: &str) -> i64 {
    b.get_page("/quan-tri/bai-viet/moi").await;
    let res = b
        .post(
            "/quan-tri/bai-viet/moi",
            &[
                ("title", title),
                ("section_id", section),
                ("summary", "Tóm tắt"),
                ("body_html", "<p>Nội dung.</p>"),
                ("author", "Kiều Diễm"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "draft {title:?}");
    res.headers()["location"]
        .to_str()
        .expect("ascii")
        .trim_start_matches("/quan-tri/bai-viet/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id")
}

async fn step(b: &mut Browser, id: i64, what: &str, fields: &[(&str, &str)]) {
    b.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let res = b
        .post(&format!("/quan-tri/bai-viet/{id}/{what}"), fields)
        .await;
    assert_eq!(res.status(), 303, "{what} of {id}");
}

/// Submit → who may publish in the section; return → the author, with the note; publish →
/// the author, with the public link. Not the one who acted, not an editor limited to other
/// sections, not one who turned notices off, not an account without an address.
#[tokio::test]
async fn the_workflow_mails_who_it_concerns() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let smtp = Smtp::start(port, &dir.path().join("maildir")).await;
    let app = node(port, Some(BASE)).await;
    // The test database's site has no address of its own: links use public_url.
    let base = BASE;
    let add = |name: &str, role: &str, display: &str, address: Option<&str>| {
        let mut extra = vec!["--display-name", display];
        if let Some(a) = address {
            extra.extend(["--email", a]);
        }
        app.add_user_with(name, role, &extra, PW);
    };
    add("quantri", "admin", "Quản trị", Some("qt@example.vn"));
    add("bientap", "editor", "Biên tập Một", Some("bt@example.vn"));
    add("bientap2", "editor", "Biên tập Hai", Some("bt2@example.vn"));
    add("bientap3", "editor", "Biên tập Ba", None);
    add("bientap4", "editor", "Biên tập Bốn", Some("bt4@example.vn"));
    add(
        "phongvien",
        "author",
        "Phóng viên <A&B>",
        Some("pv@example.vn"),
    );
    add("phongvien2", "author", "Phóng viên Hai", None);

    let mut admin = app.login("quantri", PW).await;
    let (_, form) = admin.get_page("/quan-tri/bai-viet/moi").await;
    let news = section_id(&form, "Tin tức - Sự kiện");
    let other = form
        .split("<option value=\"")
        .skip(2)
        .map(|s| s.split('"').next().expect("id").to_owned())
        .find(|id| *id != news && !id.is_empty())
        .expect("another section");
    // bientap2 works only in the other section.
    let store = app.store().await;
    let bt2 = store
        .users()
        .find_by_username("bientap2")
        .await
        .expect("read")
        .expect("user");
    admin.get_page("/quan-tri/nguoi-dung").await;
    let res = admin
        .post(
            &format!("/quan-tri/nguoi-dung/{}", bt2.id),
            &[("action", "sections"), ("section", &other)],
        )
        .await;
    assert_eq!(res.status(), 303);

    // bientap4 turns notices off on their own account page (on by default).
    let mut bt4 = app.login("bientap4", PW).await;
    let (_, page) = bt4.get_page("/quan-tri/tai-khoan").await;
    assert!(
        page.contains(r#"name="notices" value="1" checked"#),
        "{page}"
    );
    let res = bt4.post("/quan-tri/tai-khoan/thong-bao", &[]).await;
    assert_eq!(res.status(), 303);
    let (_, page) = bt4.get_page("/quan-tri/tai-khoan").await;
    assert!(page.contains(r#"name="notices" value="1">"#), "{page}");

    // Submitted in "Tin tức - Sự kiện": the administrator and the editor of every section.
    let mut author = app.login("phongvien", PW).await;
    let title = "Hội nghị <tổng kết> & khen thưởng";
    let id = draft(&mut author, title, &news).await;
    step(&mut author, id, "gui-duyet", &[]).await;
    let all = next_mails(&smtp, 0, 2).await;
    assert_eq!(
        to_set(&all),
        BTreeSet::from(["bt@example.vn".to_owned(), "qt@example.vn".to_owned()])
    );
    let edit_link = format!("{base}/quan-tri/bai-viet/{id}");
    for m in &all {
        assert!(m.subject.starts_with("Bài chờ duyệt: "), "{m:?}");
        assert!(m.subject.contains(title), "{m:?}");
        assert!(m.text.contains("Phóng viên <A&B>"), "who submitted: {m:?}");
        assert!(m.text.contains("Tin tức - Sự kiện"), "the section: {m:?}");
        assert!(m.text.contains(&edit_link), "the edit link: {m:?}");
    }
    // The HTML part escapes what the text part shows as typed.
    assert!(
        all[0]
            .html
            .contains("Hội nghị &lt;tổng kết&gt; &amp; khen thưởng")
            && all[0].html.contains("Phóng viên &lt;A&amp;B&gt;"),
        "{}",
        all[0].html
    );
    let (_, log) = admin.get_page("/quan-tri/thu-gui").await;
    assert!(log.contains("article_submitted"), "{log}");

    // Returned by bientap: the author, with the note.
    let mut editor = app.login("bientap", PW).await;
    step(
        &mut editor,
        id,
        "tra-lai",
        &[("comment", "Bổ sung danh sách khen thưởng.")],
    )
    .await;
    let all = next_mails(&smtp, 2, 1).await;
    let returned: Vec<&Mail> = all
        .iter()
        .filter(|m| m.subject.starts_with("Bài bị trả lại"))
        .collect();
    assert_eq!(returned.len(), 1, "{all:#?}");
    assert_eq!(returned[0].to, "pv@example.vn");
    assert!(returned[0].text.contains("Bổ sung danh sách khen thưởng."));
    assert!(returned[0].text.contains("Biên tập Một"), "who returned it");
    assert!(returned[0].text.contains(&edit_link));

    // Resubmitted, then published by bientap: the submission to both again, the
    // publication to the author, with the public link.
    step(&mut author, id, "gui-duyet", &[]).await;
    next_mails(&smtp, 3, 2).await;
    step(&mut editor, id, "xuat-ban", &[]).await;
    let all = next_mails(&smtp, 5, 1).await;
    let published: Vec<&Mail> = all
        .iter()
        .filter(|m| m.subject.starts_with("Bài đã xuất bản"))
        .collect();
    assert_eq!(published.len(), 1, "{all:#?}");
    assert_eq!(published[0].to, "pv@example.vn");
    let public = regex::Regex::new(r"http://\S+/bai-viet/[a-z0-9-]+")
        .expect("regex")
        .find(&published[0].text)
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| panic!("no public link: {:?}", published[0]));
    let path = public.strip_prefix(base).expect("the configured address");
    assert_eq!(app.get(path).await.status(), 200, "{public}");

    // In the other section, the limited editor is asked too.
    let id2 = draft(&mut author, "Tin ở chuyên mục khác", &other).await;
    step(&mut author, id2, "gui-duyet", &[]).await;
    let all = next_mails(&smtp, 6, 3).await;
    let asked: BTreeSet<String> = all
        .iter()
        .filter(|m| m.subject.contains("Tin ở chuyên mục khác"))
        .map(|m| m.to.clone())
        .collect();
    assert_eq!(
        asked,
        BTreeSet::from([
            "bt2@example.vn".to_owned(),
            "bt@example.vn".to_owned(),
            "qt@example.vn".to_owned()
        ])
    );

    // What one does to one's own article mails nobody; an author without an address gets
    // nothing, and the step goes through.
    let own = draft(&mut editor, "Bài của biên tập viên", &news).await;
    step(&mut editor, own, "xuat-ban", &[]).await;
    let mut pv2 = app.login("phongvien2", PW).await;
    let id3 = draft(&mut pv2, "Bài của phóng viên không có thư", &news).await;
    step(&mut pv2, id3, "gui-duyet", &[]).await;
    step(&mut editor, id3, "tra-lai", &[("comment", "Sửa tít.")]).await;
    step(&mut pv2, id3, "gui-duyet", &[]).await;
    step(&mut editor, id3, "xuat-ban", &[]).await;
    // Only the two submissions, to the administrator and bientap each.
    let all = next_mails(&smtp, 9, 4).await;
    let last: Vec<&Mail> = all
        .iter()
        .filter(|m| m.subject.contains("không có thư") || m.subject.contains("biên tập viên"))
        .collect();
    assert_eq!(last.len(), 4, "{all:#?}");
    assert!(last.iter().all(|m| m.subject.starts_with("Bài chờ duyệt")));
    assert!(
        !all.iter().any(|m| m.to == "bt4@example.vn"),
        "notices off: {all:#?}"
    );
}

/// Without the site's address or `server.public_url`, no notice goes (a link from the
/// request's Host would point where the requester chose), the step goes through, and the
/// log says why.
#[tokio::test]
async fn no_notice_without_a_configured_address() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let smtp = Smtp::start(port, &dir.path().join("maildir")).await;
    let app = node(port, None).await;
    app.add_user_with("bientap", "editor", &["--email", "bt@example.vn"], PW);
    app.add_user("phongvien", "author", PW);
    let mut author = app.login("phongvien", PW).await;
    let id = draft(&mut author, "Bài không có thư báo", "2").await;
    step(&mut author, id, "gui-duyet", &[]).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(received(&smtp).is_empty(), "{:?}", received(&smtp));
    assert!(
        app.stderr()
            .contains("workflow notice not sent: set the site's address or server.public_url"),
        "{}",
        app.stderr()
    );
}
