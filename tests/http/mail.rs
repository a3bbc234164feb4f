//! E-mail: addresses on accounts, the password reset by mail (to a real SMTP server,
//! aiosmtpd), and the mail log.

use crate::support::TestApp;

/// An account's address is set on Tài khoản and on Người dùng, checked, and kept lower-case.
#[tokio::test]
async fn accounts_have_an_email_address() {
    let app = TestApp::builder().empty().start().await;
    app.add_user("quantri", "admin", "mat-khau-quan-tri-1");
    app.add_user("bientap", "editor", "mat-khau-bien-tap-1");
    let mut me = app.login("bientap", "mat-khau-bien-tap-1").await;
    me.get_page("/quan-tri/tai-khoan").await;
    let res = me
        .post(
            "/quan-tri/tai-khoan/thu-dien-tu",
            &[("email", "khong-phai-dia-chi")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("không phải là một địa chỉ")
    );
    let res = me
        .post(
            "/quan-tri/tai-khoan/thu-dien-tu",
            &[("email", " BienTap@Example.VN ")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = me.get_page("/quan-tri/tai-khoan").await;
    assert!(html.contains(r#"value="bientap@example.vn""#), "{html}");

    let mut admin = app.login("quantri", "mat-khau-quan-tri-1").await;
    let (_, html) = admin.get_page("/quan-tri/nguoi-dung").await;
    assert!(html.contains("bientap@example.vn"));
    let res = admin
        .post(
            "/quan-tri/nguoi-dung",
            &[
                ("username", "phongvien"),
                ("display_name", "Phóng viên"),
                ("role", "author"),
                ("password", "mat-khau-phong-vien-1"),
                ("email", "pv@example.vn"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = admin.get_page("/quan-tri/nguoi-dung").await;
    assert!(html.contains(r#"value="pv@example.vn""#), "{html}");
}

/// A real SMTP server (aiosmtpd from the test tools) writing to a maildir.
pub(crate) struct Smtp {
    child: std::process::Child,
    pub(crate) dir: std::path::PathBuf,
}

impl Smtp {
    pub(crate) fn python() -> String {
        let dir = std::env::var("TEST_TOOLS_DIR").unwrap_or_else(|_| {
            format!(
                "{}/.cache/portal-test-tools",
                std::env::var("HOME").unwrap_or_default()
            )
        });
        format!("{dir}/venv/bin/python")
    }

    /// Listens on `port`; mail goes to the maildir `dir` (made by the server: it must not
    /// exist yet).
    pub(crate) async fn start(port: u16, dir: &std::path::Path) -> Smtp {
        let smtp = Smtp {
            child: std::process::Command::new(Self::python())
                .args(["-m", "aiosmtpd", "-n", "-l"])
                .arg(format!("127.0.0.1:{port}"))
                .args(["-c", "aiosmtpd.handlers.Mailbox"])
                .arg(dir)
                .spawn()
                .expect("aiosmtpd (scripts/install-test-tools.sh installs it)"),
            dir: dir.to_owned(),
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return smtp;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not listen");
    }

    /// The text part of every mail received so far, decoded (by Python's email package).
    pub(crate) fn texts(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.dir.join("new")) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| {
                let out = std::process::Command::new(Self::python())
                    .args([
                        "-c",
                        "import email, sys\n\
                         m = email.message_from_binary_file(open(sys.argv[1], 'rb'))\n\
                         print(m['To'])\n\
                         for p in m.walk():\n\
                         \x20   if p.get_content_type() == 'text/plain':\n\
                         \x20       sys.stdout.write(p.get_payload(decode=True).decode())",
                    ])
                    .arg(e.path())
                    .output()
                    .expect("python");
                String::from_utf8_lossy(&out.stdout).into_owned()
            })
            .collect()
    }

    /// Waits (up to 15 s) until `n` mails have arrived; their texts.
    pub(crate) async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..150 {
            let got = self.texts();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("{n} mails did not arrive: {:?}", self.texts());
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

/// A node whose `[mail]` sends to 127.0.0.1:`port`, looking at the queue often; its links
/// name http://cong.example.vn (`server.public_url`).
async fn mail_node(port: u16) -> TestApp {
    mail_node_at(port, Some("http://cong.example.vn")).await
}

async fn mail_node_at(port: u16, public_url: Option<&str>) -> TestApp {
    let mut b = TestApp::builder();
    if let Some(u) = public_url {
        b = b.env("CONG_SERVER__PUBLIC_URL", u);
    }
    b.empty()
        .env("CONG_MAIL__ENABLED", "true")
        .env("CONG_MAIL__SMTP_HOST", "127.0.0.1")
        .env("CONG_MAIL__SMTP_PORT", &port.to_string())
        .env("CONG_MAIL__SECURITY", "none")
        .env("CONG_MAIL__FROM_ADDRESS", "no-reply@example.vn")
        .env("CONG_MAIL__POLL_INTERVAL", "200ms")
        .env("CONG_MAIL__RETRY_AFTER", "1s")
        .start()
        .await
}

/// The reset link in a mail's text.
fn link_in(text: &str) -> String {
    regex::Regex::new(r"http://[^\s]+/dat-lai-mat-khau\?t=[A-Za-z0-9_-]+")
        .expect("regex")
        .find(text)
        .unwrap_or_else(|| panic!("no link in {text}"))
        .as_str()
        .to_owned()
}

/// The path and query of a link.
fn path_of(link: &str) -> &str {
    &link[link.find("/dat-lai").expect("path")..]
}

/// Asks for a link for `email` from a fresh browser; the page's body.
async fn ask(app: &TestApp, email: &str) -> (u16, String) {
    let mut b = app.browser();
    let (status, _) = b.get_page("/quen-mat-khau").await;
    assert_eq!(status, 200);
    let res = b.post("/quen-mat-khau", &[("email", email)]).await;
    (res.status().as_u16(), res.text().await.expect("body"))
}

const OLD: &str = "mat-khau-cu-2026";
const NEW: &str = "Mật khẩu mới 2026";

/// The whole reset: the link arrives by mail, works once, ends every session; an unknown
/// address gets the very same page; an expired link no longer works.
#[tokio::test]
async fn a_password_is_reset_by_a_link_sent_by_mail() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let smtp = Smtp::start(port, &dir.path().join("maildir")).await;
    let app = mail_node(port).await;
    app.add_user_with("bientap", "editor", &["--email", "BT@example.vn"], OLD);
    let mut elsewhere = app.login("bientap", OLD).await;

    let (_, login) = app.browser().get_page("/dang-nhap").await;
    assert!(login.contains(r#"href="/quen-mat-khau""#), "{login}");
    let (status, known) = ask(&app, "bt@example.vn").await;
    assert_eq!(status, 200);
    let (status, unknown) = ask(&app, "ai-do@example.vn").await;
    assert_eq!(status, 200);
    assert_eq!(known, unknown, "the same answer for an unknown address");

    let texts = smtp.wait_for(1).await;
    assert!(texts[0].starts_with("bt@example.vn"), "{}", texts[0]);
    let link = link_in(&texts[0]);
    assert!(
        link.starts_with("http://cong.example.vn/dat-lai-mat-khau?t="),
        "the configured address, never the request's Host: {link}"
    );
    let mut b = app.browser();
    let (status, form) = b.get_page(path_of(&link)).await;
    assert_eq!(status, 200, "{form}");
    assert!(form.contains("bientap"));
    let token = link.rsplit("t=").next().expect("token").to_owned();
    let res = b
        .post(
            "/dat-lai-mat-khau",
            &[("t", &token), ("new", "ngan"), ("repeat", "ngan")],
        )
        .await;
    assert_eq!(res.status(), 422, "the password rules apply");
    let res = b
        .post(
            "/dat-lai-mat-khau",
            &[("t", &token), ("new", NEW), ("repeat", NEW)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (status, _) = elsewhere.get_page("/quan-tri").await;
    assert_eq!(status, 303, "every session ended");
    assert_eq!(app.browser().try_login("bientap", OLD).await.status(), 401);
    app.login("bientap", NEW).await;

    let (status, _) = app.browser().get_page(path_of(&link)).await;
    assert_eq!(status, 404, "a link works once");
    let res = b
        .post(
            "/dat-lai-mat-khau",
            &[
                ("t", &token),
                ("new", "Mật khẩu khác 2026"),
                ("repeat", "Mật khẩu khác 2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);

    // A link past its 30 minutes: the stored expiry moved back, as time would.
    ask(&app, "bt@example.vn").await;
    let texts = smtp.wait_for(2).await;
    let newer = texts
        .iter()
        .map(|t| link_in(t))
        .find(|l| *l != link)
        .expect("a second link");
    cong_store::testing::execute(
        &app.db_url(),
        &["UPDATE password_resets SET expires_at = expires_at - 1800"],
    )
    .await;
    let (status, html) = app.browser().get_page(path_of(&newer)).await;
    assert_eq!(status, 404);
    assert!(html.contains("không còn dùng được"));
}

/// After a reset, an account with a second factor is still asked for its code.
#[tokio::test]
async fn a_reset_keeps_the_second_factor() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let smtp = Smtp::start(port, &dir.path().join("maildir")).await;
    let app = mail_node(port).await;
    app.add_user_with("quantri", "admin", &["--email", "qt@example.vn"], OLD);
    crate::auth_second_factor::enable_totp(&app, "quantri", OLD).await;
    ask(&app, "qt@example.vn").await;
    let link = link_in(&smtp.wait_for(1).await[0]);
    let mut b = app.browser();
    b.get_page(path_of(&link)).await;
    let token = link.rsplit("t=").next().expect("token").to_owned();
    let res = b
        .post(
            "/dat-lai-mat-khau",
            &[("t", &token), ("new", NEW), ("repeat", NEW)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app.browser().try_login("quantri", NEW).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/dang-nhap/xac-thuc");
}

/// Requests are throttled per address (the same for a known and an unknown one); a node
/// with mail on stops cleanly.
#[tokio::test]
async fn reset_requests_are_throttled() {
    let port = free_port();
    let mut app = mail_node(port).await;
    for _ in 0..3 {
        assert_eq!(ask(&app, "ai-do@example.vn").await.0, 200);
    }
    assert_eq!(ask(&app, "ai-do@example.vn").await.0, 429);
    // The mail sender stops with the node's other tasks.
    assert!(app.stop().await.success(), "{}", app.stderr());
}

/// The SMTP server is down when the mail is due: it is retried, and arrives exactly once
/// when the server is back.
#[tokio::test]
async fn a_mail_due_while_smtp_is_down_arrives_once() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let app = mail_node(port).await;
    app.add_user_with("bientap", "editor", &["--email", "bt@example.vn"], OLD);
    ask(&app, "bt@example.vn").await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let smtp = Smtp::start(port, &dir.path().join("maildir")).await;
    smtp.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(smtp.texts().len(), 1, "exactly once");

    // The mail log: administrators see it sent after more than one attempt; others not at all.
    app.add_user("quantri", "admin", OLD);
    let mut admin = app.login("quantri", OLD).await;
    let (status, html) = admin.get_page("/quan-tri/thu-gui").await;
    assert_eq!(status, 200);
    assert!(html.contains("bt@example.vn"), "{html}");
    assert!(html.contains("Đã gửi"), "{html}");
    assert!(html.contains("password_reset"), "{html}");
    assert!(!html.contains("dat-lai-mat-khau?t="), "never the link");
    let attempts: i64 = regex::Regex::new(r"<td>(\d+)</td><td>[^<]*</td></tr>")
        .expect("regex")
        .captures(&html)
        .expect("attempts")[1]
        .parse()
        .expect("number");
    assert!(attempts >= 2, "{html}");
    let mut editor = app.login("bientap", OLD).await;
    let (status, _) = editor.get_page("/quan-tri/thu-gui").await;
    assert_eq!(status, 403);
}

/// Without the site's address or `server.public_url` no reset link is sent (a link built from
/// the request's Host would point where whoever asks chose); the answer is the same.
#[tokio::test]
async fn no_link_goes_out_without_a_configured_address() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let smtp = Smtp::start(port, &dir.path().join("maildir")).await;
    let app = mail_node_at(port, None).await;
    app.add_user_with("bientap", "editor", &["--email", "bt@example.vn"], OLD);
    let (status, known) = ask(&app, "bt@example.vn").await;
    assert_eq!(status, 200);
    let (_, unknown) = ask(&app, "ai-do@example.vn").await;
    assert_eq!(known, unknown, "the same answer");
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(smtp.texts().is_empty(), "no mail: {:?}", smtp.texts());
    assert!(
        app.stderr()
            .contains("no mail sent: set the site's address or server.public_url")
    );
}
