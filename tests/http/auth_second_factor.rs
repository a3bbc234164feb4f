//! The second factor under attack and in ordinary use: attempts are capped per half-open
//! login and per account, failures are cleared only by a whole login, and leaving the
//! second-factor step for the login form works.

use crate::support::*;

pub const PW: &str = "Đồng hồ cát 2026";

/// The secret shown on an enrolment page.
fn enrolment_secret(html: &str) -> String {
    regex::Regex::new(r"Hoặc nhập khoá: <code>([A-Z2-7]+)</code>")
        .expect("regex")
        .captures(html)
        .expect("the secret")[1]
        .to_owned()
}

/// Turns the second factor on for `username` (logged in with `password`); returns the
/// secret and the ten recovery codes.
pub async fn enable_totp(app: &TestApp, username: &str, password: &str) -> (String, Vec<String>) {
    let mut b = app.login(username, password).await;
    b.get_page("/quan-tri/tai-khoan").await;
    let res = b.post("/quan-tri/tai-khoan/2fa", &[]).await;
    assert_eq!(res.status(), 200);
    let secret = enrolment_secret(&res.text().await.expect("body"));
    let now = jiff::Timestamp::now().as_second();
    let code = cong_domain::auth::totp::current(&secret, username, now).expect("code");
    let res = b
        .post(
            "/quan-tri/tai-khoan/2fa/xac-nhan",
            &[("code", &code), ("password", password)],
        )
        .await;
    assert_eq!(res.status(), 200, "second factor on");
    let codes: Vec<String> =
        regex::Regex::new(r"<li><code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code></li>")
            .expect("regex")
            .captures_iter(&res.text().await.expect("body"))
            .map(|c| c[1].to_owned())
            .collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

/// A six-digit code that is none of the ones the secret gives around now.
pub fn wrong_code(secret: &str, username: &str) -> String {
    let now = jiff::Timestamp::now().as_second();
    let near: Vec<String> = [-60, -30, 0, 30, 60]
        .iter()
        .filter_map(|d| cong_domain::auth::totp::current(secret, username, now + d))
        .collect();
    (0..)
        .map(|i| format!("{:06}", 123_457 + i * 7919))
        .find(|c| !near.contains(c))
        .expect("a wrong code")
}

/// Defect 10: a half-open second-factor login made the next login attempt fail with 403
/// (the form's pre-session token and the pending session's token disagreed).
#[tokio::test]
async fn leaving_the_second_factor_step_for_the_login_form_works() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let (_, codes) = enable_totp(&app, "quantri", PW).await;
    let mut b = app.browser();
    let res = b.try_login("quantri", PW).await;
    assert_eq!(res.headers()["location"], "/dang-nhap/xac-thuc");
    // Back to the login form instead of entering the code, and in again.
    let res = b.try_login("quantri", PW).await;
    assert_eq!(res.status(), 303, "the login form's own token is accepted");
    assert_eq!(res.headers()["location"], "/dang-nhap/xac-thuc");
    b.get_page("/dang-nhap/xac-thuc").await;
    let res = b.post("/dang-nhap/xac-thuc", &[("code", &codes[0])]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(b.get("/quan-tri").await.status(), 200);
}

/// Defect 4: a half-open login took codes without end, and a correct password cleared the
/// account's failures, so password + five codes, again and again, guessed on for ever.
#[tokio::test]
async fn second_factor_attempts_are_capped_per_login_and_per_account() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let (secret, codes) = enable_totp(&app, "quantri", PW).await;
    let wrong = wrong_code(&secret, "quantri");
    for round in 0..2 {
        let mut b = app.browser();
        let res = b.try_login("quantri", PW).await;
        assert_eq!(res.headers()["location"], "/dang-nhap/xac-thuc", "{round}");
        b.get_page("/dang-nhap/xac-thuc").await;
        for attempt in 1..=5 {
            let res = b.post("/dang-nhap/xac-thuc", &[("code", &wrong)]).await;
            assert_eq!(res.status(), 401, "round {round}, code {attempt}");
            let html = res.text().await.expect("body");
            if attempt == 5 {
                assert!(html.contains("Hãy đăng nhập lại"), "the login ended");
            }
        }
        // Five wrong codes end this half-open login.
        let res = b.get("/dang-nhap/xac-thuc").await;
        assert_eq!(res.status(), 303, "round {round}");
        assert_eq!(res.headers()["location"], "/dang-nhap");
    }
    // Ten wrong codes for the account within the window: its codes wait the window out,
    // even a right one.
    let mut b = app.browser();
    let res = b.try_login("quantri", PW).await;
    assert_eq!(res.headers()["location"], "/dang-nhap/xac-thuc");
    b.get_page("/dang-nhap/xac-thuc").await;
    let res = b.post("/dang-nhap/xac-thuc", &[("code", &codes[0])]).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    // From another address as well: the cap is the account's.
    let mut c = app.browser_from("127.0.0.20");
    c.try_login("quantri", PW).await;
    c.get_page("/dang-nhap/xac-thuc").await;
    let res = c.post("/dang-nhap/xac-thuc", &[("code", &codes[0])]).await;
    assert_eq!(res.status(), 429);
    // The operator's unlock clears it.
    let out = std::process::Command::new(BIN)
        .args(["user", "--database", &app.db_url(), "unlock", "quantri"])
        .env_remove("CONG_CONFIG")
        .output()
        .expect("cong user unlock");
    assert!(out.status.success());
    let res = c.post("/dang-nhap/xac-thuc", &[("code", &codes[0])]).await;
    assert_eq!(res.status(), 303, "a recovery code logs in");
}

/// Defect 4: the right password cleared the account's failed logins before the second
/// factor was given; now only a whole login does.
#[tokio::test]
async fn a_right_password_alone_does_not_clear_failed_logins() {
    let app = TestApp::builder()
        .env("CONG_AUTH__FREE_FAILURES_PER_ACCOUNT", "3")
        .start()
        .await;
    app.add_user("quantri", "admin", PW);
    let (_, codes) = enable_totp(&app, "quantri", PW).await;
    let mut b = app.browser_from("127.0.0.21");
    for _ in 0..2 {
        assert_eq!(
            b.try_login("quantri", "Sai mật khẩu 2026").await.status(),
            401
        );
    }
    let res = b.try_login("quantri", PW).await;
    assert_eq!(res.headers()["location"], "/dang-nhap/xac-thuc");
    // Two failures still count: the third is the last free one, then waits begin.
    let mut free = 0;
    for _ in 0..10 {
        match b
            .try_login("quantri", "Sai mật khẩu 2026")
            .await
            .status()
            .as_u16()
        {
            401 => free += 1,
            429 => break,
            s => panic!("status {s}"),
        }
    }
    assert!(
        free <= 2,
        "{free} more failures before the wait, after 2 and a right password"
    );
    // A whole login (password and second factor) clears them.
    let out = std::process::Command::new(BIN)
        .args(["user", "--database", &app.db_url(), "unlock", "quantri"])
        .env_remove("CONG_CONFIG")
        .output()
        .expect("cong user unlock");
    assert!(out.status.success());
    for _ in 0..2 {
        assert_eq!(
            b.try_login("quantri", "Sai mật khẩu 2026").await.status(),
            401
        );
    }
    let res = b.try_login("quantri", PW).await;
    assert_eq!(res.headers()["location"], "/dang-nhap/xac-thuc");
    b.get_page("/dang-nhap/xac-thuc").await;
    let res = b.post("/dang-nhap/xac-thuc", &[("code", &codes[1])]).await;
    assert_eq!(res.status(), 303);
    let mut b = app.browser_from("127.0.0.21");
    for _ in 0..3 {
        assert_eq!(
            b.try_login("quantri", "Sai mật khẩu 2026").await.status(),
            401,
            "the budget is whole again"
        );
    }
}
