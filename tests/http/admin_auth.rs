//! Logging in and out of the back office: passwords, sessions, throttling, the second factor.

use crate::support::*;

const PW: &str = "Đồng hồ cát 2026";

#[tokio::test]
async fn login_succeeds_fails_the_same_way_and_logs_out() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    // Unknown user and wrong password: the same status and message.
    let mut b = app.browser();
    let unknown = b.try_login("khongco", PW).await;
    assert_eq!(unknown.status(), 401);
    let unknown = unknown.text().await.expect("body");
    let wrong = b.try_login("quantri", "Sai mật khẩu 2026").await;
    assert_eq!(wrong.status(), 401);
    let wrong = wrong.text().await.expect("body");
    let msg = "Tên đăng nhập hoặc mật khẩu không đúng.";
    assert!(unknown.contains(msg) && wrong.contains(msg));
    // Without a session the back office sends browsers to the login page.
    let res = b.get("/quan-tri/bai-viet").await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/dang-nhap?tiep=%2Fquan-tri%2Fbai-viet"
    );

    let mut b = app.login("quantri", PW).await;
    assert_eq!(
        b.get("/quan-tri").await.headers()["cache-control"],
        "no-store",
        "private pages"
    );
    let (status, html) = b.get_page("/quan-tri").await;
    assert_eq!(status, 200);
    assert!(html.contains("Quản trị viên"));
    // Logout ends the session: the back office asks for a login again.
    assert_eq!(b.post("/dang-xuat", &[]).await.status(), 303);
    assert_eq!(b.get("/quan-tri").await.status(), 303);
    // The audit log has it all.
    let mut admin = app.login("quantri", PW).await;
    let (_, log) = admin.get_page("/quan-tri/nhat-ky").await;
    for action in ["user.login_failed", "user.login", "user.logout"] {
        assert!(log.contains(action), "{action} in the audit log");
    }
    // A name that matches no account is counted, never written down (it is often a
    // password typed in the wrong box).
    assert!(
        !log.contains("khongco"),
        "the name that was tried is not kept"
    );
    assert!(log.contains("trong 7 ngày qua: <strong>1</strong>"));
}

#[tokio::test]
async fn the_session_id_changes_at_login_and_cookies_are_safe() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let mut b = app.browser();
    b.get_page("/dang-nhap").await;
    let res = b
        .post("/dang-nhap", &[("username", "quantri"), ("password", PW)])
        .await;
    assert_eq!(res.status(), 303);
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .collect();
    let sid = cookies
        .iter()
        .find(|c| c.starts_with("cong_sid="))
        .expect("a session cookie");
    assert!(sid.contains("HttpOnly") && sid.contains("SameSite=Lax") && sid.contains("Path=/"));
    assert!(
        !sid.contains("Secure"),
        "plain HTTP without a proxy saying HTTPS"
    );
    // A session id planted before login is not the one used after.
    crypto();
    let planted = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let first = app.browser().try_login("quantri", PW).await;
    let second = app.browser().try_login("quantri", PW).await;
    let id = |r: &reqwest::Response| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("cong_sid="))
            .map(|c| c.split(';').next().unwrap_or("").to_owned())
    };
    assert_ne!(id(&first), id(&second), "every login makes a new session");
    let res = planted
        .get(app.url("/quan-tri"))
        .header("cookie", "cong_sid=chosen-by-an-attacker")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 303, "an unknown session id opens nothing");
    // Behind a trusted proxy that says HTTPS, the cookie is Secure.
    let proxied = TestApp::builder()
        .env("CONG_SERVER__TRUSTED_PROXIES", "127.0.0.1/32")
        .start()
        .await;
    proxied.add_user("quantri", "admin", PW);
    let mut b = proxied.browser();
    b.get_page("/dang-nhap").await;
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("csrf", b.csrf.as_str()),
            ("username", "quantri"),
            ("password", PW),
        ])
        .finish();
    let res = b
        .client
        .post(b.url("/dang-nhap"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-proto", "https")
        .body(body)
        .send()
        .await
        .expect("request");
    let sid = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("cong_sid="))
        .expect("session cookie")
        .to_owned();
    assert!(sid.contains("; Secure"), "{sid}");
}

#[tokio::test]
async fn repeated_failures_are_throttled_and_an_operator_can_unlock() {
    let app = TestApp::builder()
        .env("CONG_AUTH__FREE_FAILURES_PER_ACCOUNT", "3")
        .start()
        .await;
    app.add_user("quantri", "admin", PW);
    let mut b = app.browser_from("127.0.0.5");
    for _ in 0..3 {
        assert_eq!(
            b.try_login("quantri", "Sai mật khẩu 2026").await.status(),
            401
        );
    }
    // The next try waits, even with the right password, and says for how long.
    let res = b.try_login("quantri", PW).await;
    assert_eq!(res.status(), 429);
    let retry: i64 = res.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry >= 1);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("Đăng nhập sai quá nhiều lần")
    );
    // The same account from another address is not locked out.
    let mut other = app.browser_from("127.0.0.6");
    assert_eq!(other.try_login("quantri", PW).await.status(), 303);
    // The operator clears it.
    let out = std::process::Command::new(BIN)
        .args(["user", "--database", &app.db_url(), "unlock", "quantri"])
        .output()
        .expect("cong user unlock");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("cleared 3 failed login(s)"));
    assert_eq!(b.try_login("quantri", PW).await.status(), 303);
}

#[tokio::test]
async fn weak_passwords_are_refused() {
    let app = TestApp::start().await;
    let mut admin = {
        app.add_user("quantri", "admin", PW);
        app.login("quantri", PW).await
    };
    admin.get_page("/quan-tri/nguoi-dung").await;
    for (pw, why) in [
        ("ngan", "ít nhất 10 ký tự"),
        ("qwertyuiop", "quá phổ biến"),
        ("matkhau123", "quá phổ biến"),
        ("phongvien-2026", "không được chứa tên đăng nhập"),
    ] {
        let res = admin
            .post(
                "/quan-tri/nguoi-dung",
                &[
                    ("username", "phongvien"),
                    ("role", "author"),
                    ("password", pw),
                ],
            )
            .await;
        assert_eq!(res.status(), 422, "{pw}");
        assert!(res.text().await.expect("body").contains(why), "{pw}: {why}");
    }
    // The command line applies the same rules.
    let mut child = std::process::Command::new(BIN)
        .args([
            "user",
            "--database",
            &app.db_url(),
            "add",
            "x2",
            "--role",
            "author",
        ])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"1234567890\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn totp_enrolment_login_with_code_and_recovery_code() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let mut b = app.login("quantri", PW).await;
    let (_, html) = b.get_page("/quan-tri/tai-khoan").await;
    assert!(html.contains("Chưa bật"));
    let res = b.post("/quan-tri/tai-khoan/2fa", &[]).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    assert!(html.contains("<svg"), "a QR code drawn by the server");
    let secret = enrolment_secret(&html);
    let now = jiff::Timestamp::now().as_second();
    let code = cong_domain::auth::totp::current(&secret, "quantri", now).expect("code");
    // Without the password the code alone does not turn it on.
    let res = b
        .post("/quan-tri/tai-khoan/2fa/xac-nhan", &[("code", &code)])
        .await;
    assert_eq!(res.status(), 422);
    let res = b
        .post(
            "/quan-tri/tai-khoan/2fa/xac-nhan",
            &[("code", &code), ("password", PW)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    let codes = recovery_codes(&html);
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");

    // Next login: the password alone opens only the second-factor step.
    let mut c = app.browser();
    let res = c.try_login("quantri", PW).await;
    assert_eq!(res.headers()["location"], "/dang-nhap/xac-thuc");
    assert_eq!(c.get("/quan-tri").await.status(), 303, "nothing else yet");
    c.get_page("/dang-nhap/xac-thuc").await;
    // The code already used at enrolment is refused (each time step once).
    let res = c.post("/dang-nhap/xac-thuc", &[("code", &code)]).await;
    assert_eq!(res.status(), 401);
    // A recovery code works once.
    let res = c.post("/dang-nhap/xac-thuc", &[("code", &codes[0])]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(c.get("/quan-tri").await.status(), 200);
    let mut d = app.browser();
    d.try_login("quantri", PW).await;
    d.get_page("/dang-nhap/xac-thuc").await;
    assert_eq!(
        d.post("/dang-nhap/xac-thuc", &[("code", &codes[0])])
            .await
            .status(),
        401
    );
}

/// The secret shown on an enrolment page.
fn enrolment_secret(html: &str) -> String {
    regex::Regex::new(r"Hoặc nhập khoá: <code>([A-Z2-7]+)</code>")
        .expect("regex")
        .captures(html)
        .expect("the secret")[1]
        .to_owned()
}

fn recovery_codes(html: &str) -> Vec<String> {
    regex::Regex::new(r"<li><code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code></li>")
        .expect("regex")
        .captures_iter(html)
        .map(|c| c[1].to_owned())
        .collect()
}

/// A session alone (a stolen cookie) can neither replace nor turn off an active second
/// factor: both need the current password and a current code; starting a new enrolment
/// leaves the active factor in force.
#[tokio::test]
async fn a_session_alone_cannot_replace_or_remove_the_second_factor() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let mut b = app.login("quantri", PW).await;
    b.get_page("/quan-tri/tai-khoan").await;
    let html = b
        .post("/quan-tri/tai-khoan/2fa", &[])
        .await
        .text()
        .await
        .expect("body");
    let first = enrolment_secret(&html);
    let now = jiff::Timestamp::now().as_second();
    let code = cong_domain::auth::totp::current(&first, "quantri", now).expect("code");
    let res = b
        .post(
            "/quan-tri/tai-khoan/2fa/xac-nhan",
            &[("code", &code), ("password", PW)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let codes = recovery_codes(&res.text().await.expect("body"));
    assert_eq!(codes.len(), 10);

    // An attacker with the session starts a new enrolment: the old factor stays active.
    let html = b
        .post("/quan-tri/tai-khoan/2fa", &[])
        .await
        .text()
        .await
        .expect("body");
    let second = enrolment_secret(&html);
    assert_ne!(first, second);
    assert!(
        html.contains("vẫn có hiệu lực"),
        "the page says the active app still counts"
    );
    let mut c = app.browser();
    let res = c.try_login("quantri", PW).await;
    assert_eq!(
        res.headers()["location"],
        "/dang-nhap/xac-thuc",
        "still asks for a code"
    );

    let new_code = cong_domain::auth::totp::current(&second, "quantri", now).expect("code");
    // Confirming the new secret: refused without the password, and without a current code.
    for (fields, says) in [
        (
            vec![("code", new_code.as_str())],
            "Mật khẩu hiện tại không đúng",
        ),
        (
            vec![("code", new_code.as_str()), ("password", PW)],
            "Mã xác thực hiện tại",
        ),
        (
            vec![
                ("code", new_code.as_str()),
                ("password", PW),
                ("current_code", "000000"),
            ],
            "Mã xác thực hiện tại",
        ),
    ] {
        let res = b.post("/quan-tri/tai-khoan/2fa/xac-nhan", &fields).await;
        assert_eq!(res.status(), 422, "{fields:?}");
        let html = res.text().await.expect("body");
        assert!(html.contains(says), "{fields:?}: {says}");
    }
    // Turning it off: refused without the password and a code.
    for fields in [vec![], vec![("password", PW)]] {
        let res = b.post("/quan-tri/tai-khoan/2fa/tat", &fields).await;
        assert_eq!(res.status(), 422, "{fields:?}");
    }
    // Five failures: guessing goes no further, even with the right answers, and the
    // recovery code offered is not used up.
    let res = b
        .post(
            "/quan-tri/tai-khoan/2fa/tat",
            &[("password", PW), ("code", &codes[0])],
        )
        .await;
    assert_eq!(res.status(), 429, "throttled like a login");
    assert!(res.headers().contains_key("retry-after"));
    let (_, html) = b.get_page("/quan-tri/tai-khoan").await;
    assert!(html.contains("Đang bật"), "still on after every refusal");
    let out = std::process::Command::new(BIN)
        .args(["user", "--database", &app.db_url(), "unlock", "quantri"])
        .env_remove("CONG_CONFIG")
        .output()
        .expect("cong user unlock");
    assert!(out.status.success(), "the operator unlocks");
    let audit = {
        let mut a = app.browser();
        a.try_login("quantri", PW).await;
        a.get_page("/dang-nhap/xac-thuc").await;
        let res = a.post("/dang-nhap/xac-thuc", &[("code", &codes[9])]).await;
        assert_eq!(res.status(), 303, "a recovery code logs in");
        a.get_page("/quan-tri/nhat-ky").await.1
    };
    assert!(audit.contains("user.reauth_failed"), "refusals are audited");

    // The owner replaces the app: password, new code and a recovery code for the old one.
    let res = b
        .post(
            "/quan-tri/tai-khoan/2fa/xac-nhan",
            &[
                ("code", &new_code),
                ("password", PW),
                ("current_code", &codes[0]),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let fresh = recovery_codes(&res.text().await.expect("body"));
    assert_eq!(fresh.len(), 10, "new recovery codes");
    // …and turns it off with the password and a code.
    b.get_page("/quan-tri/tai-khoan").await;
    let res = b
        .post(
            "/quan-tri/tai-khoan/2fa/tat",
            &[("password", PW), ("code", &fresh[0])],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = b.get_page("/quan-tri/tai-khoan").await;
    assert!(html.contains("Chưa bật"));
}

#[tokio::test]
async fn a_role_can_be_required_to_use_the_second_factor() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    app.add_user("bientap", "editor", "Giấy trắng 2026!");
    let mut admin = app.login("quantri", PW).await;
    admin.get_page("/quan-tri/cai-dat").await;
    let res = admin
        .post(
            "/quan-tri/cai-dat",
            &[("site.name", "Sở KH&CN"), ("totp_role", "editor")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let mut editor = app.login("bientap", "Giấy trắng 2026!").await;
    let res = editor.get("/quan-tri/bai-viet").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/quan-tri/tai-khoan?can-2fa=1");
    let (_, html) = editor.get_page("/quan-tri/tai-khoan?can-2fa=1").await;
    assert!(html.contains("bắt buộc dùng xác thực hai lớp"));
}

#[tokio::test]
async fn changing_a_password_ends_other_sessions() {
    let app = TestApp::start().await;
    app.add_user("phongvien", "author", "Bút bi xanh 2026");
    let other = app.login("phongvien", "Bút bi xanh 2026").await;
    let mut me = app.login("phongvien", "Bút bi xanh 2026").await;
    me.get_page("/quan-tri/tai-khoan").await;
    let res = me
        .post(
            "/quan-tri/tai-khoan/mat-khau",
            &[
                ("current", "Bút bi xanh 2026"),
                ("new", "Bút chì đỏ 2027"),
                ("repeat", "Bút chì đỏ 2027"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        other.get("/quan-tri").await.status(),
        303,
        "the other browser is logged out"
    );
    app.login("phongvien", "Bút chì đỏ 2027").await;
}
