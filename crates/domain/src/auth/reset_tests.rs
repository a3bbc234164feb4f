//! Password reset with a real store and a hand-moved clock: a link's 30 minutes, its single
//! use, and the throttle's window.

use super::*;
use crate::ManualClock;
use crate::mail::{MailTemplates, Mailer};
use crate::secrets::Secrets;
use jiff::{SignedDuration, Timestamp};

const PW: &str = "Đồng hồ cát 2026";

/// Templates as plain as can be: the link alone (the theme's own are tested in the render
/// crate).
struct LinkOnly;

impl MailTemplates for LinkOnly {
    fn render_mail(
        &self,
        _: &str,
        context: &serde_json::Value,
    ) -> std::result::Result<(String, String), String> {
        let link = context["link"].as_str().unwrap_or_default();
        Ok((format!("Đặt lại mật khẩu\n\n{link}"), link.to_owned()))
    }
}

fn request<'a>(email: &'a str, ip: &'a str) -> ResetRequest<'a> {
    ResetRequest {
        site: SiteId::FIRST,
        site_name: "Sở Khoa học",
        base_url: "https://skhcn.example.vn",
        email,
        ip,
    }
}

/// The token of the newest mail queued.
async fn newest_token(store: &cong_store::Store) -> String {
    let mails = store.mail().list(SiteId::FIRST, 1, 0).await.expect("mails");
    mails[0]
        .body_text
        .rsplit("t=")
        .next()
        .expect("token")
        .to_owned()
}

#[tokio::test]
async fn a_link_works_once_for_30_minutes_and_requests_are_throttled() {
    let dir = tempfile::tempdir().expect("dir");
    let (_db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let clock = Arc::new(ManualClock::new(
        "2026-03-11T03:00:00Z".parse::<Timestamp>().expect("ts"),
    ));
    let auth = Auth::new(
        store.clone(),
        AuthConfig::default(),
        Arc::new(Secrets::ephemeral()),
        clock.clone(),
    );
    let mailer = Mailer::new(store.clone(), clock.clone(), Arc::new(LinkOnly), true);
    let user = auth
        .create_user(By::CommandLine, "bientap", "Biên tập", Grant::System, PW)
        .await
        .expect("user");
    auth.set_email(By::CommandLine, &user, "BT@Example.vn")
        .await
        .expect("email");

    auth.request_reset(&mailer, &request("bt@example.vn", "10.0.0.1"))
        .await
        .expect("asked");
    let token = newest_token(&store).await;
    clock.advance(SignedDuration::from_mins(29));
    assert!(auth.reset_link_user(&token).await.expect("read").is_some());
    clock.advance(SignedDuration::from_mins(1));
    assert!(
        auth.reset_link_user(&token).await.expect("read").is_none(),
        "30 minutes"
    );
    assert!(matches!(
        auth.finish_reset(&token, "Mật khẩu mới 2026", "10.0.0.1")
            .await,
        Err(Error::NotFound)
    ));

    auth.request_reset(&mailer, &request("bt@example.vn", "10.0.0.1"))
        .await
        .expect("asked");
    let token = newest_token(&store).await;
    auth.finish_reset(&token, "Mật khẩu mới 2026", "10.0.0.1")
        .await
        .expect("reset");
    assert!(matches!(
        auth.finish_reset(&token, "Mật khẩu khác 2026", "10.0.0.1")
            .await,
        Err(Error::NotFound)
    ));
    auth.login("bientap", "Mật khẩu mới 2026", "10.0.0.1", "UA")
        .await
        .expect("the new password");

    // Three requests for an address within the window (the first link's is past), from
    // wherever, and no more; the same for an address no account has.
    for ip in ["10.0.0.2", "10.0.0.6"] {
        auth.request_reset(&mailer, &request("bt@example.vn", ip))
            .await
            .expect("within the budget");
    }
    assert!(matches!(
        auth.request_reset(&mailer, &request("bt@example.vn", "10.0.0.3"))
            .await,
        Err(Error::TooMany(_))
    ));
    for _ in 0..3 {
        auth.request_reset(&mailer, &request("ai-do@example.vn", "10.0.0.4"))
            .await
            .expect("unknown");
    }
    assert!(matches!(
        auth.request_reset(&mailer, &request("ai-do@example.vn", "10.0.0.5"))
            .await,
        Err(Error::TooMany(_))
    ));
    clock.advance(SignedDuration::from_mins(16));
    auth.request_reset(&mailer, &request("bt@example.vn", "10.0.0.3"))
        .await
        .expect("after the window");
    assert_eq!(
        store.mail().count(SiteId::FIRST).await.expect("count"),
        5,
        "mail only for the known address"
    );
}
