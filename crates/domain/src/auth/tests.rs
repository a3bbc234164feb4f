//! Accounts with a real store and a hand-moved clock: session lifetimes, throttle windows.

use super::*;
use crate::ManualClock;
use cong_store::testing::TestDb;
use jiff::{SignedDuration, Timestamp};

const PW: &str = "Đồng hồ cát 2026";

async fn setup() -> (tempfile::TempDir, TestDb, Auth, Arc<ManualClock>) {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let clock = Arc::new(ManualClock::new(
        "2026-03-11T03:00:00Z".parse::<Timestamp>().expect("ts"),
    ));
    let auth = Auth::new(store, AuthConfig::default(), clock.clone());
    auth.create_user("quantri", "Quản trị", Role::Admin, PW)
        .await
        .expect("user");
    (dir, db, auth, clock)
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_lifetimes() {
    let (_dir, _db, auth, clock) = setup().await;
    let (token, _) = auth
        .login("quantri", PW, "10.0.0.1", "UA")
        .await
        .expect("login");
    // Used every 20 minutes: alive, idle limit 30 minutes.
    for _ in 0..3 {
        clock.advance(SignedDuration::from_mins(20));
        assert!(auth.session(&token).await.expect("read").is_some());
    }
    // 30 minutes without a request: gone.
    clock.advance(SignedDuration::from_mins(30));
    assert!(
        auth.session(&token).await.expect("read").is_none(),
        "idle lifetime"
    );
    // However busy, 12 hours after login it ends.
    let (token, _) = auth
        .login("quantri", PW, "10.0.0.1", "UA")
        .await
        .expect("login");
    for _ in 0..(12 * 3) {
        clock.advance(SignedDuration::from_mins(20));
        let alive = auth.session(&token).await.expect("read").is_some();
        if !alive {
            break;
        }
    }
    assert!(
        auth.session(&token).await.expect("read").is_none(),
        "absolute lifetime"
    );
}

#[tokio::test]
async fn the_throttle_window_forgets_old_failures() {
    let (_dir, _db, auth, clock) = setup().await;
    for _ in 0..5 {
        assert!(matches!(
            auth.login("quantri", "sai", "10.0.0.2", "UA").await,
            Err(LoginError::BadCredentials)
        ));
    }
    assert!(matches!(
        auth.login("quantri", PW, "10.0.0.2", "UA").await,
        Err(LoginError::Throttled(_))
    ));
    // 15 minutes later the failures are outside the window.
    clock.advance(SignedDuration::from_mins(16));
    assert!(auth.login("quantri", PW, "10.0.0.2", "UA").await.is_ok());
}

#[tokio::test]
async fn disabled_accounts_cannot_log_in_and_lose_their_sessions() {
    let (_dir, _db, auth, _clock) = setup().await;
    let (token, s) = auth
        .login("quantri", PW, "10.0.0.3", "UA")
        .await
        .expect("login");
    auth.set_disabled(&s.user, true).await.expect("disable");
    assert!(auth.session(&token).await.expect("read").is_none());
    assert!(matches!(
        auth.login("quantri", PW, "10.0.0.3", "UA").await,
        Err(LoginError::BadCredentials)
    ));
}
