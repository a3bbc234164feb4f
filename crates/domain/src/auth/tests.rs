//! Accounts with a real store and a hand-moved clock: session lifetimes, throttle windows,
//! what a sweep forgets, what anonymous attempts leave behind.

use super::*;
use crate::ManualClock;
use crate::secrets::Secrets;
use cong_store::audit::AuditFilter;
use cong_store::testing::TestDb;
use jiff::{SignedDuration, Timestamp};

const PW: &str = "Đồng hồ cát 2026";

async fn setup() -> (tempfile::TempDir, TestDb, Auth, Arc<ManualClock>) {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let clock = Arc::new(ManualClock::new(
        "2026-03-11T03:00:00Z".parse::<Timestamp>().expect("ts"),
    ));
    let auth = Auth::new(
        store,
        AuthConfig::default(),
        Arc::new(Secrets::ephemeral()),
        clock.clone(),
    );
    auth.create_user(By::CommandLine, "quantri", "Quản trị", Grant::System, PW)
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
    auth.set_disabled(By::CommandLine, &s.user, true)
        .await
        .expect("disable");
    assert!(auth.session(&token).await.expect("read").is_none());
    assert!(matches!(
        auth.login("quantri", PW, "10.0.0.3", "UA").await,
        Err(LoginError::BadCredentials)
    ));
}

/// Defect 3: `sweep` existed but nothing called it, and it left half-open logins and
/// tallies; the upkeep task now runs it on every node.
#[tokio::test]
async fn a_sweep_forgets_expired_sessions_and_old_attempts() {
    let (_dir, _db, auth, clock) = setup().await;
    let store = auth.store.clone();
    let (kept, _) = auth
        .login("quantri", PW, "10.0.0.4", "UA")
        .await
        .expect("login");
    auth.login("quantri", PW, "10.0.0.4", "UA")
        .await
        .expect("a session left to idle out");
    for i in 0..3 {
        let _ = auth.login(&format!("khach{i}"), PW, "10.0.0.5", "UA").await;
    }
    assert_eq!(store.sessions().count().await.expect("count"), 2);
    assert_eq!(store.throttle().count().await.expect("count"), 6);
    assert_eq!(auth.unknown_name_failures(1).await.expect("tally"), 3);
    assert_eq!(
        auth.sweep().await.expect("sweep"),
        Swept::default(),
        "nothing old yet"
    );

    // 20 minutes on: the attempts are out of the window, sessions still young; one in use.
    clock.advance(SignedDuration::from_mins(20));
    assert!(auth.session(&kept).await.expect("read").is_some());
    let swept = auth.sweep().await.expect("sweep");
    assert_eq!((swept.sessions, swept.attempts), (0, 6));
    // 15 more: the unused session is idle past 30 minutes; the used one is not.
    clock.advance(SignedDuration::from_mins(15));
    assert_eq!(auth.sweep().await.expect("sweep").sessions, 1);
    assert!(auth.session(&kept).await.expect("read").is_some());
    // 12 hours after login every session ends, however busy.
    for _ in 0..40 {
        clock.advance(SignedDuration::from_mins(20));
        let _ = auth.session(&kept).await;
    }
    auth.sweep().await.expect("sweep");
    assert_eq!(store.sessions().count().await.expect("count"), 0);
    // Tallies are kept 90 days.
    assert_eq!(auth.unknown_name_failures(2).await.expect("tally"), 3);
    clock.advance(SignedDuration::from_hours(91 * 24));
    assert_eq!(auth.sweep().await.expect("sweep").tallies, 1);
    assert_eq!(auth.unknown_name_failures(365).await.expect("tally"), 0);
}

/// Half-open logins (password given, code not yet) last minutes, not the session's hours.
#[tokio::test]
async fn a_half_open_login_expires_soon() {
    let (_dir, _db, auth, clock) = setup().await;
    let admin = auth
        .user_by_name("quantri")
        .await
        .expect("read")
        .expect("user");
    enrol(&auth, &admin).await;
    let (token, s) = auth
        .login("quantri", PW, "10.0.0.6", "UA")
        .await
        .expect("password");
    assert!(s.pending_totp);
    clock.advance(SignedDuration::from_mins(9));
    assert!(auth.session(&token).await.expect("read").is_some());
    clock.advance(SignedDuration::from_mins(2));
    assert!(auth.session(&token).await.expect("read").is_none());
    // Swept too, when nobody comes back for it.
    auth.login("quantri", PW, "10.0.0.6", "UA")
        .await
        .expect("password");
    clock.advance(SignedDuration::from_mins(11));
    assert_eq!(auth.sweep().await.expect("sweep").sessions, 1);
}

/// Turns the second factor on; returns its secret.
async fn enrol(auth: &Auth, user: &User) -> String {
    let e = auth.begin_totp(user).await.expect("begin");
    let code = totp::current(&e.secret, &user.username, auth.now()).expect("code");
    let actor = crate::audit::Actor {
        user,
        ip: "10.0.0.9",
        site: cong_store::SiteId::FIRST,
        role: Role::Admin,
    };
    auth.confirm_totp(actor, PW, "", &code)
        .await
        .expect("confirm");
    e.secret
}

/// Defect 4: a right password cleared the account's failures before the second factor.
#[tokio::test]
async fn only_a_whole_login_clears_failures() {
    let (_dir, _db, auth, clock) = setup().await;
    let admin = auth
        .user_by_name("quantri")
        .await
        .expect("read")
        .expect("user");
    enrol(&auth, &admin).await;
    clock.advance(SignedDuration::from_mins(1));
    for _ in 0..4 {
        assert!(matches!(
            auth.login("quantri", "sai", "10.0.0.7", "UA").await,
            Err(LoginError::BadCredentials)
        ));
    }
    let (_, pending) = auth
        .login("quantri", PW, "10.0.0.7", "UA")
        .await
        .expect("password");
    assert!(pending.pending_totp);
    // Four failures still count: the fifth is free, the sixth waits.
    assert!(matches!(
        auth.login("quantri", "sai", "10.0.0.7", "UA").await,
        Err(LoginError::BadCredentials)
    ));
    assert!(matches!(
        auth.login("quantri", "sai", "10.0.0.7", "UA").await,
        Err(LoginError::Throttled(_))
    ));
}

/// Defect 3: a name that matches no account (often a password typed in the wrong box) is
/// neither audited nor kept in the throttle's rows; it is counted.
#[tokio::test]
async fn unknown_names_leave_no_trace_but_a_count() {
    let (_dir, _db, auth, _clock) = setup().await;
    let typed = "matkhau-bi-mat-cua-toi";
    assert!(matches!(
        auth.login(typed, PW, "2001:db8::1", "UA").await,
        Err(LoginError::BadCredentials)
    ));
    assert!(matches!(
        auth.login(&"a".repeat(41), PW, "2001:db8::1", "UA").await,
        Err(LoginError::TooLong(_))
    ));
    let store = auth.store.clone();
    let scopes = store.throttle().scopes().await.expect("scopes");
    assert_eq!(scopes.len(), 2, "{scopes:?}");
    assert!(scopes.iter().all(|s| !s.contains("matkhau")), "{scopes:?}");
    assert!(
        scopes.contains(&"ip:2001:db8::/64".to_owned()),
        "{scopes:?}"
    );
    let (rows, total) = store
        .audit()
        .list(&AuditFilter::default(), 100, 0)
        .await
        .expect("audit");
    assert!(rows.iter().all(|r| !r.username.contains(typed)), "{rows:?}");
    assert_eq!(total, 1, "only the account's creation");
    assert_eq!(auth.unknown_name_failures(1).await.expect("tally"), 1);
}

/// Roles are per site: a site's administrator gives roles on that site only, and changes
/// only the accounts that work on that site alone; a role on a missing site is refused.
#[tokio::test]
async fn a_site_administrator_manages_only_their_site() {
    let (_dir, db, auth, _clock) = setup().await;
    cong_store::testing::execute(
        db.url(),
        &[
            "INSERT INTO sites (id, name, address, kind, disabled, created_at, updated_at) \
           VALUES (2, 'Sở Tư pháp', 'http://stp.test', 'component', 0, 1, 1)",
        ],
    )
    .await;
    let (one, two) = (SiteId::FIRST, SiteId(2));
    let missing = auth
        .create_user(
            By::CommandLine,
            "ai",
            "",
            Grant::On(SiteId(99), Role::Editor),
            PW,
        )
        .await;
    assert!(matches!(missing, Err(Error::Invalid(_))), "{missing:?}");
    assert!(
        auth.user_by_name("ai").await.expect("read").is_none(),
        "nothing left"
    );

    let admin2 = auth
        .create_user(By::CommandLine, "qt2", "", Grant::On(two, Role::Admin), PW)
        .await
        .expect("site admin");
    assert!(!admin2.system_admin);
    assert_eq!(
        (admin2.role_on(two), admin2.role_on(one)),
        (Some(Role::Admin), None)
    );
    let actor = crate::audit::Actor {
        user: &admin2,
        ip: "10.0.0.2",
        site: two,
        role: Role::Admin,
    };
    let by = By::User(actor);
    // On their site: an account of their own, and roles there.
    let editor = auth
        .create_user(by, "bt2", "", Grant::On(two, Role::Editor), PW)
        .await
        .expect("their editor");
    auth.reset_password(by, &editor, "Mật khẩu mới rất dài 2026")
        .await
        .expect("their account");
    // Elsewhere: nothing.
    let elsewhere = auth
        .create_user(by, "bt1", "", Grant::On(one, Role::Editor), PW)
        .await;
    assert!(
        matches!(elsewhere, Err(Error::Forbidden(_))),
        "{elsewhere:?}"
    );
    let system = auth
        .user_by_name("quantri")
        .await
        .expect("read")
        .expect("sys");
    for r in [
        auth.reset_password(by, &system, "Mật khẩu mới rất dài 2026")
            .await,
        auth.set_disabled(by, &system, true).await,
        auth.set_system_admin(by, &editor, true).await,
        auth.update_profile(by, &editor, one, Some(Role::Editor), "")
            .await,
    ] {
        assert!(matches!(r, Err(Error::Forbidden(_))), "{r:?}");
    }
    // An account that also works on site 1 is no longer theirs to lock.
    auth.update_profile(By::CommandLine, &editor, one, Some(Role::Author), "")
        .await
        .expect("the operator adds a role on site 1");
    let editor = auth.user(editor.id).await.expect("read").expect("user");
    assert_eq!(editor.roles, vec![(one, Role::Author), (two, Role::Editor)]);
    let locked = auth.set_disabled(by, &editor, true).await;
    assert!(matches!(locked, Err(Error::Forbidden(_))), "{locked:?}");
    // But its role on their site is still theirs to give or take.
    auth.update_profile(by, &editor, two, None, "")
        .await
        .expect("role taken away on site 2");
    let editor = auth.user(editor.id).await.expect("read").expect("user");
    assert_eq!(editor.roles, vec![(one, Role::Author)]);
    // Nobody drops their own administration of a site.
    let own = auth
        .update_profile(by, &admin2, two, Some(Role::Editor), "")
        .await;
    assert!(matches!(own, Err(Error::Conflict(_))), "{own:?}");
}
