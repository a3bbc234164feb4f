//! Back-office accounts: passwords, sessions, the second factor, login throttling, roles.
//!
//! Sessions live in the store (so every node knows them): the cookie holds a random token,
//! the store its hash. A login always makes a new session (the old one is not reused), so a
//! planted session id is worthless. An unknown name, a disabled account and a wrong password
//! get the same answer after the same work. What anonymous visitors send is bounded before
//! any work, and what they type as a name is never kept when it matches no account.

mod accounts;
mod admission;
mod login;
mod notices;
pub mod password;
mod reset;
pub mod roles;
mod sealing;
mod second_factor;
pub mod throttle;
pub mod tokens;
pub mod totp;

pub use accounts::{By, Grant, normalise_email};
pub use reset::{LINK_VALID, ResetRequest};
pub use roles::{Action, Role, can};
pub use sealing::SealReport;

use crate::secrets::Secrets;
use crate::{Clock, Error};
use cong_config::AuthConfig;
use cong_store::users::UserRow;
use cong_store::{SiteId, Store};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Longest user name an account can have; a longer one is refused before any work.
pub const MAX_NAME: usize = 40;
/// Longest second-factor code read (a recovery code with spaces is about 16).
const MAX_CODE: usize = 64;
/// Codes a half-open second-factor login may try; the last wrong one ends it.
pub const CODES_PER_LOGIN: u32 = 5;
/// Wrong codes an account may get within `auth.failure_window`; then its codes wait the
/// window out, from wherever they come.
pub const CODES_PER_ACCOUNT: u32 = 10;
/// A half-open login (password given, code not yet) lasts this long, in seconds.
const PENDING_LIFETIME: i64 = 10 * 60;
/// How long the daily tallies of unknown-name failures are kept, in days.
const TALLY_DAYS: i64 = 90;
/// What the tally of failures with names that match no account is called.
const UNKNOWN_NAME: &str = "unknown_name";

/// A back-office user as the rest of cong sees them (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// A system administrator: administrator of every site, and the one who manages sites.
    pub system_admin: bool,
    /// The role held on each site the account works on (a system administrator needs none).
    pub roles: Vec<(SiteId, Role)>,
    pub disabled: bool,
    pub totp_enabled: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

impl User {
    fn from_row(r: UserRow, roles: Vec<(SiteId, String)>) -> Result<User, Error> {
        let parse = |role: &str| {
            Role::parse(role)
                .ok_or_else(|| Error::Internal(format!("user {} has role {role:?}", r.id)))
        };
        let roles = roles
            .into_iter()
            .map(|(site, role)| Ok((site, parse(&role)?)))
            .collect::<Result<_, Error>>()?;
        Ok(User {
            system_admin: parse(&r.role)? == Role::Admin,
            roles,
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            disabled: r.disabled,
            totp_enabled: r.totp_enabled,
            created_at: r.created_at,
            last_login_at: r.last_login_at,
        })
    }

    /// The role on `site`: a system administrator's is Admin everywhere; `None` when the
    /// account has nothing to do there.
    pub fn role_on(&self, site: SiteId) -> Option<Role> {
        if self.system_admin {
            return Some(Role::Admin);
        }
        self.roles.iter().find(|(s, _)| *s == site).map(|(_, r)| *r)
    }

    /// True when the account holds `role` on some site (for rules such as "administrators
    /// must use a second factor").
    pub fn holds(&self, role: Role) -> bool {
        (self.system_admin && role == Role::Admin) || self.roles.iter().any(|(_, r)| *r == role)
    }

    /// The sites the account may open the back office of, in id order (`None` = every site,
    /// for a system administrator).
    pub fn sites(&self) -> Option<Vec<SiteId>> {
        (!self.system_admin).then(|| self.roles.iter().map(|(s, _)| *s).collect())
    }

    /// The name to show: the display name, else the username.
    pub fn name(&self) -> &str {
        if self.display_name.is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }
}

/// A valid session and its user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub token_hash: String,
    /// The password was right; the second factor is still to be given.
    pub pending_totp: bool,
}

/// Why a login or a code was refused.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown user, wrong password or disabled account: one answer for all three.
    #[error("Tên đăng nhập hoặc mật khẩu không đúng.")]
    BadCredentials,
    /// More than any account or password can be: refused before any work (400).
    #[error("{0}")]
    TooLong(String),
    #[error("Mã xác thực không đúng hoặc đã được dùng.")]
    BadCode,
    /// The half-open login took its last code, or is gone: log in again.
    #[error("Nhập sai mã quá nhiều lần hoặc phiên đăng nhập đã hết. Hãy đăng nhập lại.")]
    LoginEnded,
    #[error("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {0} giây.")]
    Throttled(i64),
    /// Too many password checks at once: try again in this many seconds (503).
    #[error("Hệ thống đang bận. Vui lòng thử lại sau {0} giây.")]
    Busy(i64),
    /// The key that opens the second factor's secret is not loaded (503; logged with the
    /// key's id). Recovery codes, stored hashed, still work.
    #[error(
        "Máy chủ thiếu khoá để kiểm tra mã xác thực lúc này. Vẫn có thể dùng một mã khôi phục; hãy báo quản trị hệ thống."
    )]
    KeyMissing,
    #[error(transparent)]
    Other(#[from] Error),
}

impl From<cong_store::Error> for LoginError {
    fn from(e: cong_store::Error) -> Self {
        LoginError::Other(e.into())
    }
}

/// Why a change to the second factor or the password (which needs the current password,
/// and the current code when a factor is active) was refused: a session alone (a stolen
/// cookie) cannot weaken or take over the account.
#[derive(Debug, thiserror::Error)]
pub enum ReauthError {
    #[error("Mật khẩu hiện tại không đúng.")]
    BadPassword,
    #[error("Mã xác thực hiện tại (hoặc mã khôi phục) không đúng hoặc đã được dùng.")]
    BadCode,
    /// The code meant to prove the new secret does not match it.
    #[error(
        "Mã xác nhận không khớp với khoá mới: hãy nhập mã 6 số ứng dụng đang hiện cho khoá vừa quét."
    )]
    BadNewCode,
    /// No enrolment in progress (or another one replaced it).
    #[error(
        "Không có yêu cầu bật xác thực hai lớp nào đang chờ, hoặc nó đã được thay bằng yêu cầu mới. Hãy bắt đầu lại."
    )]
    NoPending,
    #[error("Nhập sai quá nhiều lần. Vui lòng thử lại sau {0} giây.")]
    Throttled(i64),
    #[error("Hệ thống đang bận. Vui lòng thử lại sau {0} giây.")]
    Busy(i64),
    #[error(transparent)]
    Other(#[from] Error),
}

impl From<cong_store::Error> for ReauthError {
    fn from(e: cong_store::Error) -> Self {
        ReauthError::Other(e.into())
    }
}

impl From<LoginError> for ReauthError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Throttled(s) => ReauthError::Throttled(s),
            LoginError::Busy(s) => ReauthError::Busy(s),
            LoginError::Other(e) => ReauthError::Other(e),
            LoginError::KeyMissing => ReauthError::Other(Error::Unavailable(
                "the key of the second factor's secret is not loaded".to_owned(),
            )),
            LoginError::BadCode => ReauthError::BadCode,
            LoginError::BadCredentials | LoginError::TooLong(_) | LoginError::LoginEnded => {
                ReauthError::BadPassword
            }
        }
    }
}

impl From<LoginError> for Error {
    /// For callers that are not a login form: waits and refusals as domain errors.
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Other(e) => e,
            LoginError::Throttled(s) => Error::TooMany(s),
            LoginError::Busy(s) => {
                Error::Unavailable(format!("password checks busy; retry in {s} s"))
            }
            other => Error::Invalid(other.to_string()),
        }
    }
}

/// An enrolment in progress: the new secret, its otpauth URL and its QR code (inline SVG).
#[derive(Debug, Clone)]
pub struct TotpEnrolment {
    pub secret: String,
    pub url: String,
    pub qr_svg: String,
}

/// The settings key of the roles that must use a second factor (comma-separated).
pub const TOTP_REQUIRED_KEY: &str = "auth.totp_required_roles";

#[derive(Clone)]
pub struct Auth {
    store: Store,
    clock: Arc<dyn Clock>,
    cfg: AuthConfig,
    secrets: Arc<Secrets>,
    /// Turns for Argon2 (`auth.password_checks_at_once`).
    hashing: Arc<Semaphore>,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth").finish_non_exhaustive()
    }
}

fn secs(d: jiff::SignedDuration) -> i64 {
    d.as_secs().max(1)
}

/// The place a second-factor secret is sealed for: its account.
fn totp_context(user_id: i64) -> String {
    format!("users.totp:{user_id}")
}

impl Auth {
    pub fn new(
        store: Store,
        cfg: AuthConfig,
        secrets: Arc<Secrets>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let turns = usize::try_from(cfg.password_checks_at_once.max(1)).unwrap_or(1);
        Auth {
            store,
            clock,
            cfg,
            secrets,
            hashing: Arc::new(Semaphore::new(turns)),
        }
    }

    fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    pub fn config(&self) -> &AuthConfig {
        &self.cfg
    }

    /// The account of `row`, with its roles.
    pub(crate) async fn user_of(&self, row: UserRow) -> Result<User, Error> {
        let roles = self.store.users().site_roles(row.id).await?;
        User::from_row(row, roles)
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>, Error> {
        match self.store.users().find_by_id(id).await? {
            Some(row) => Ok(Some(self.user_of(row).await?)),
            None => Ok(None),
        }
    }

    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>, Error> {
        let name = username.trim().to_lowercase();
        match self.store.users().find_by_username(&name).await? {
            Some(row) => Ok(Some(self.user_of(row).await?)),
            None => Ok(None),
        }
    }

    /// Every account, by username, with its roles.
    pub async fn users(&self) -> Result<Vec<User>, Error> {
        let users = self.store.users();
        let mut roles: std::collections::HashMap<i64, Vec<(SiteId, String)>> =
            std::collections::HashMap::new();
        for (user, site, role) in users.all_site_roles().await? {
            roles.entry(user).or_default().push((site, role));
        }
        users
            .list_all()
            .await?
            .into_iter()
            .map(|row| {
                let r = roles.remove(&row.id).unwrap_or_default();
                User::from_row(row, r)
            })
            .collect()
    }

    pub async fn count_users(&self) -> Result<i64, Error> {
        Ok(self.store.users().count().await?)
    }

    /// The session a cookie's token opens, if it is valid and not expired.
    pub async fn session(&self, token: &str) -> Result<Option<Session>, Error> {
        if token.is_empty() || token.len() > 100 {
            return Ok(None);
        }
        let hash = tokens::token_hash(token);
        let Some(row) = self.store.sessions().find(&hash).await? else {
            return Ok(None);
        };
        let now = self.now();
        let idle = now - row.last_seen_at >= secs(self.cfg.session_idle);
        let old = now - row.created_at >= secs(self.cfg.session_absolute);
        let stale_pending = row.pending_totp && now - row.created_at >= PENDING_LIFETIME;
        if idle || old || stale_pending {
            let mut tx = self.store.begin().await?;
            self.store.sessions().delete(&mut tx, &hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        let Some(user) = self.user(row.user_id).await? else {
            return Ok(None);
        };
        if user.disabled {
            return Ok(None);
        }
        // Writing on every request would be wasteful; a minute of precision is plenty.
        if now - row.last_seen_at >= 60 {
            self.store.sessions().touch(&hash, now).await?;
        }
        Ok(Some(Session {
            user,
            csrf_token: row.csrf_token,
            token_hash: hash,
            pending_totp: row.pending_totp,
        }))
    }

    /// Unused recovery codes left.
    pub async fn recovery_codes_left(&self, user: &User) -> Result<i64, Error> {
        Ok(self
            .store
            .users()
            .count_unused_recovery_codes(user.id)
            .await?)
    }

    /// The roles that must use a second factor.
    pub async fn totp_required_roles(&self) -> Result<Vec<Role>, Error> {
        let v = self
            .store
            // One rule for the instance, kept with the first site's settings.
            .settings(cong_store::SiteId::FIRST)
            .find(TOTP_REQUIRED_KEY)
            .await?
            .unwrap_or_default();
        Ok(v.split(',').filter_map(|r| Role::parse(r.trim())).collect())
    }

    /// True when a rule makes `user` use a second factor (a role they hold on some site).
    pub async fn must_use_totp(&self, user: &User) -> Result<bool, Error> {
        Ok(self
            .totp_required_roles()
            .await?
            .into_iter()
            .any(|r| user.holds(r)))
    }

    /// Failed logins with names that match no account over the last `days` days (UTC),
    /// counted rather than audited one by one.
    pub async fn unknown_name_failures(&self, days: i64) -> Result<i64, Error> {
        let today = self.now().div_euclid(86_400) * 86_400;
        Ok(self
            .store
            .throttle()
            .tally_since(UNKNOWN_NAME, today - (days - 1) * 86_400)
            .await?)
    }

    /// Forgets expired sessions (idle, too old, or half-open for too long), throttle
    /// records that no longer count, and old tallies. Run now and then by every node
    /// ([`crate::upkeep::Upkeep`]): each step deletes only what is old, so nodes running it
    /// at once agree.
    pub async fn sweep(&self) -> Result<Swept, Error> {
        let now = self.now();
        let sessions = self
            .store
            .sessions()
            .delete_expired(
                now - secs(self.cfg.session_idle),
                now - secs(self.cfg.session_absolute),
                now - PENDING_LIFETIME,
            )
            .await?;
        let throttle = self.store.throttle();
        let attempts = throttle
            .delete_before(now - secs(self.cfg.failure_window))
            .await?;
        let today = now.div_euclid(86_400) * 86_400;
        let tallies = throttle
            .delete_tallies_before(today - TALLY_DAYS * 86_400)
            .await?;
        Ok(Swept {
            sessions,
            attempts,
            tallies,
        })
    }
}

/// What a sweep deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub attempts: u64,
    pub tallies: u64,
}

#[cfg(test)]
mod reset_tests;
#[cfg(test)]
mod tests;
