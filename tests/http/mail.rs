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
