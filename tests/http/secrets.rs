//! Secrets at rest and on screen: `cong config check` hides passwords, and second-factor
//! keys are sealed with a key kept outside the database (a missing key is a clear error, and
//! `cong secrets rotate` moves every value to a new key).

use crate::auth_second_factor::{PW, enable_totp, wrong_code};
use crate::support::*;
use std::os::unix::fs::PermissionsExt;

/// Defect 11: `cong config check` printed the database password.
#[test]
fn config_check_does_not_print_passwords() {
    let out = std::process::Command::new(BIN)
        .args(["config", "check"])
        .env_remove("CONG_CONFIG")
        .env(
            "CONG_DATABASE__URL",
            "postgres://cong:Mat-khau-CSDL-2026@db.example/cong?sslmode=require",
        )
        .output()
        .expect("cong config check");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Mat-khau-CSDL-2026"), "{text}");
    assert!(
        text.contains(r#"url = "postgres://cong:********@db.example/cong?sslmode=require""#),
        "{text}"
    );
    assert!(text.contains("[secrets]") && text.contains("key_file"));
}

/// The key id a sealed value names (`v1:<key id>:<sealed bytes>`).
fn key_id(sealed: &str) -> String {
    let mut parts = sealed.split(':');
    assert_eq!(parts.next(), Some("v1"), "{sealed}");
    parts.next().expect("a key id").to_owned()
}

async fn totp_secret_column(app: &TestApp) -> String {
    app.store()
        .await
        .users()
        .find_by_username("quantri")
        .await
        .expect("read")
        .expect("the user")
        .totp_secret
        .expect("a second factor")
}

/// Defect 11: second-factor secrets were stored in clear.
#[tokio::test]
async fn second_factor_secrets_are_sealed_and_keys_rotate() {
    let mut app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let (secret, codes) = enable_totp(&app, "quantri", PW).await;
    let sealed = totp_secret_column(&app).await;
    assert!(!sealed.contains(&secret), "not in clear: {sealed}");
    let first = key_id(&sealed);
    let key = app.dir.path().join("data/secret.key");
    let mode = std::fs::metadata(&key)
        .expect("the key file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "only the owner reads the key");

    // Without its key: the log names the missing key, the code step answers a clear 503,
    // and recovery codes (stored hashed) still work.
    app.stop().await;
    let old = app.dir.path().join("data/secret-old.key");
    std::fs::rename(&key, &old).expect("move the key away");
    app.restart().await;
    let log = app.stderr();
    assert!(
        log.contains(&first) && log.contains("secrets.old_key_files"),
        "the log says which key is missing:\n{log}"
    );
    let mut b = app.browser();
    let res = b.try_login("quantri", PW).await;
    assert_eq!(res.headers()["location"], "/dang-nhap/xac-thuc");
    b.get_page("/dang-nhap/xac-thuc").await;
    let res = b
        .post(
            "/dang-nhap/xac-thuc",
            &[("code", &wrong_code(&secret, "quantri"))],
        )
        .await;
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
    let html = res.text().await.expect("body");
    assert!(
        html.contains("mã khôi phục"),
        "says what still works: {html}"
    );
    let res = b.post("/dang-nhap/xac-thuc", &[("code", &codes[0])]).await;
    assert_eq!(res.status(), 303, "a recovery code needs no key");
    assert!(!app.stderr().contains("panicked"));

    // Rotation: the old key listed as old, a new current key made, every value re-sealed.
    app.stop().await;
    let out = std::process::Command::new(BIN)
        .args(["secrets", "--database", &app.db_url(), "rotate"])
        .current_dir(app.dir.path())
        .env_remove("CONG_CONFIG")
        .env("CONG_SECRETS__OLD_KEY_FILES", &old)
        .output()
        .expect("cong secrets rotate");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("1 value(s) re-sealed"), "{said}");
    let resealed = totp_secret_column(&app).await;
    assert_ne!(key_id(&resealed), first, "sealed under the new key");
    assert!(key.exists(), "the new key file");
    // The node needs only the new key now.
    app.restart().await;
    let mut b = app.browser();
    b.try_login("quantri", PW).await;
    b.get_page("/dang-nhap/xac-thuc").await;
    let res = b
        .post(
            "/dang-nhap/xac-thuc",
            &[("code", &wrong_code(&secret, "quantri"))],
        )
        .await;
    assert_eq!(
        res.status(),
        401,
        "the secret opens: the code is just wrong"
    );
}
