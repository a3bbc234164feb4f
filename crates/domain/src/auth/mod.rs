//! Back-office accounts: passwords, sessions, the second factor, login throttling, roles.
//!
//! Sessions live in the store (so every node knows them): the cookie holds a random token,
//! the store its hash. A login always makes a new session (the old one is not reused), so a
//! planted session id is worthless. An unknown name, a disabled account and a wrong password
//! get the same answer after the same work.

pub mod password;
pub mod roles;
pub mod throttle;
pub mod tokens;
pub mod totp;

pub use roles::{Action, Role, can};

use crate::{Clock, Error};
use cong_config::AuthConfig;
use cong_store::Store;
use cong_store::audit::NewAudit;
use cong_store::sessions::NewSession;
use cong_store::users::UserRow;
use std::sync::Arc;

/// A back-office user as the rest of cong sees them (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub totp_enabled: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

impl User {
    fn from_row(r: UserRow) -> Result<User, Error> {
        Ok(User {
            role: Role::parse(&r.role)
                .ok_or_else(|| Error::Internal(format!("user {} has role {:?}", r.id, r.role)))?,
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            disabled: r.disabled,
            totp_enabled: r.totp_enabled,
            created_at: r.created_at,
            last_login_at: r.last_login_at,
        })
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
    #[error("Mã xác thực không đúng hoặc đã được dùng.")]
    BadCode,
    #[error("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {0} giây.")]
    Throttled(i64),
    #[error(transparent)]
    Other(#[from] Error),
}

impl From<cong_store::Error> for LoginError {
    fn from(e: cong_store::Error) -> Self {
        LoginError::Other(e.into())
    }
}

/// Why a change to the second factor (confirming a new one, turning it off) was refused.
/// Such a change needs the current password, and the current code when a factor is active,
/// so that a session alone (a stolen cookie) cannot weaken or take over the account.
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
    #[error(transparent)]
    Other(#[from] Error),
}

impl From<cong_store::Error> for ReauthError {
    fn from(e: cong_store::Error) -> Self {
        ReauthError::Other(e.into())
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
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth").finish_non_exhaustive()
    }
}

fn secs(d: jiff::SignedDuration) -> i64 {
    d.as_secs().max(1)
}

/// Runs Argon2 off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(format!("password task: {e}")))
}

impl Auth {
    pub fn new(store: Store, cfg: AuthConfig, clock: Arc<dyn Clock>) -> Self {
        Auth { store, clock, cfg }
    }

    fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    pub fn config(&self) -> &AuthConfig {
        &self.cfg
    }

    /// Checks a new password against the policy (the message says what is wrong).
    pub fn check_password(&self, password: &str, username: &str) -> Result<(), Error> {
        password::check_policy(password, username, self.cfg.min_password_chars)
            .map_err(Error::Invalid)
    }

    /// Creates an account; the password must pass the policy.
    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        password: &str,
    ) -> Result<User, Error> {
        let username = username.trim().to_lowercase();
        let valid = (3..=40).contains(&username.len())
            && username.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_' || b == b'-'
            });
        if !valid {
            return Err(Error::Invalid(
                "Tên đăng nhập gồm 3–40 chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang."
                    .to_owned(),
            ));
        }
        self.check_password(password, &username)?;
        let pw = password.to_owned();
        let hash = blocking(move || password::hash(&pw))
            .await?
            .map_err(Error::Internal)?;
        let display = crate::text::nfc(display_name.trim());
        let id = match self
            .store
            .users()
            .insert(&username, &display, role.as_str(), &hash, self.now())
            .await
        {
            Err(cong_store::Error::Conflict { .. }) => {
                return Err(Error::Invalid(format!(
                    "Tên đăng nhập “{username}” đã có người dùng."
                )));
            }
            other => other?,
        };
        self.user(id).await?.ok_or(Error::NotFound)
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>, Error> {
        self.store
            .users()
            .find_by_id(id)
            .await?
            .map(User::from_row)
            .transpose()
    }

    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>, Error> {
        self.store
            .users()
            .find_by_username(&username.trim().to_lowercase())
            .await?
            .map(User::from_row)
            .transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>, Error> {
        self.store
            .users()
            .list_all()
            .await?
            .into_iter()
            .map(User::from_row)
            .collect()
    }

    /// Appends to the audit log on behalf of `user` (or of a name that matched no one).
    pub async fn audit(
        &self,
        user: Option<&User>,
        username: &str,
        action: &str,
        detail: &str,
        ip: &str,
    ) -> Result<(), Error> {
        let mut tx = self.store.begin().await?;
        self.store
            .audit()
            .append(
                &mut tx,
                &NewAudit {
                    user_id: user.map(|u| u.id),
                    username: user.map_or(username, |u| u.username.as_str()),
                    action,
                    object_kind: "user",
                    object_id: user.map(|u| u.id),
                    detail,
                    ip,
                },
                self.now(),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Appends an entry about the account `user_id`, done by `actor`. (Interim: user writes
    /// are to take their audit entry into their own transaction.)
    pub async fn record(
        &self,
        actor: crate::audit::Actor<'_>,
        action: &str,
        user_id: i64,
        detail: &str,
    ) -> Result<(), Error> {
        let mut tx = self.store.begin().await?;
        let entry = crate::audit::Entry {
            action,
            kind: "user",
            id: Some(user_id),
            detail,
        };
        crate::audit::append(&self.store, &mut tx, actor, entry, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn count_users(&self) -> Result<i64, Error> {
        Ok(self.store.users().count().await?)
    }

    /// Sets a new password (policy checked) and ends every session of the user.
    pub async fn set_password(&self, user: &User, password: &str) -> Result<(), Error> {
        self.check_password(password, &user.username)?;
        let pw = password.to_owned();
        let hash = blocking(move || password::hash(&pw))
            .await?
            .map_err(Error::Internal)?;
        self.store
            .users()
            .set_password(user.id, &hash, self.now())
            .await?;
        self.store.sessions().delete_for_user(user.id).await?;
        Ok(())
    }

    pub async fn set_role(&self, user: &User, role: Role) -> Result<(), Error> {
        self.store
            .users()
            .set_role(user.id, role.as_str(), self.now())
            .await?;
        Ok(())
    }

    pub async fn set_display_name(&self, user: &User, name: &str) -> Result<(), Error> {
        self.store
            .users()
            .set_display_name(user.id, &crate::text::nfc(name.trim()), self.now())
            .await?;
        Ok(())
    }

    /// Disables (or enables) an account; disabling ends its sessions.
    pub async fn set_disabled(&self, user: &User, disabled: bool) -> Result<(), Error> {
        self.store
            .users()
            .set_disabled(user.id, disabled, self.now())
            .await?;
        if disabled {
            self.store.sessions().delete_for_user(user.id).await?;
        }
        Ok(())
    }

    /// Clears the login throttle of an account, from every address (an operator's unlock).
    pub async fn unlock(&self, username: &str) -> Result<u64, Error> {
        Ok(self
            .store
            .sessions()
            .clear_failures_prefix(&throttle::account_prefix(username.trim()))
            .await?)
    }

    /// Seconds a login of `username` from `ip` must still wait (0: may try now).
    pub async fn throttle_wait(&self, username: &str, ip: &str) -> Result<i64, Error> {
        let now = self.now();
        let since = now - secs(self.cfg.failure_window);
        let max = secs(self.cfg.max_wait);
        let s = self.store.sessions();
        let (n, last) = s
            .failures_since(&throttle::account_scope(username, ip), since)
            .await?;
        let account = throttle::wait(n, last, self.cfg.free_failures_per_account, max, now);
        let (n, last) = s
            .failures_since(&throttle::address_scope(ip), since)
            .await?;
        let address = throttle::wait(n, last, self.cfg.free_failures_per_address, max, now);
        Ok(account.max(address))
    }

    /// Checks a password login. On success, a new session: its token (for the cookie) and
    /// whether a second factor is still needed.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ip: &str,
        user_agent: &str,
    ) -> Result<(String, Session), LoginError> {
        let username = username.trim().to_lowercase();
        let wait = self.throttle_wait(&username, ip).await?;
        if wait > 0 {
            return Err(LoginError::Throttled(wait));
        }
        let row = self.store.users().find_by_username(&username).await?;
        let (phc, usable) = match &row {
            Some(u) => (u.password_hash.clone(), !u.disabled),
            None => (password::DECOY.clone(), false),
        };
        let pw = password.to_owned();
        let matches = blocking(move || password::verify(&pw, &phc)).await?;
        let user = match row {
            Some(u) if matches && usable => User::from_row(u)?,
            _ => {
                let acct = throttle::account_scope(&username, ip);
                let addr = throttle::address_scope(ip);
                self.store
                    .sessions()
                    .add_failure(&[&acct, &addr], self.now())
                    .await?;
                self.audit(None, &username, "user.login_failed", "", ip)
                    .await?;
                return Err(LoginError::BadCredentials);
            }
        };
        self.store
            .sessions()
            .clear_failures(&throttle::account_scope(&username, ip))
            .await?;
        let pending = user.totp_enabled;
        if !pending {
            self.store
                .users()
                .set_last_login(user.id, self.now())
                .await?;
            self.audit(Some(&user), "", "user.login", "", ip).await?;
        }
        Ok(self.open_session(user, pending, ip, user_agent).await?)
    }

    async fn open_session(
        &self,
        user: User,
        pending_totp: bool,
        ip: &str,
        user_agent: &str,
    ) -> Result<(String, Session), Error> {
        let token = tokens::random_token();
        let token_hash = tokens::token_hash(&token);
        let csrf_token = tokens::random_token();
        let ua: String = user_agent.chars().take(300).collect();
        self.store
            .sessions()
            .insert(
                &NewSession {
                    token_hash: &token_hash,
                    user_id: user.id,
                    csrf_token: &csrf_token,
                    pending_totp,
                    ip,
                    user_agent: &ua,
                },
                self.now(),
            )
            .await?;
        Ok((
            token,
            Session {
                user,
                csrf_token,
                token_hash,
                pending_totp,
            },
        ))
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
        if idle || old {
            self.store.sessions().delete(&hash).await?;
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

    pub async fn logout(&self, session: &Session, ip: &str) -> Result<(), Error> {
        self.store.sessions().delete(&session.token_hash).await?;
        self.audit(Some(&session.user), "", "user.logout", "", ip)
            .await
    }

    /// Completes a login with a TOTP code or a recovery code. The half-open session is
    /// replaced by a new one (new token).
    pub async fn second_factor(
        &self,
        session: &Session,
        code: &str,
        ip: &str,
        user_agent: &str,
    ) -> Result<(String, Session), LoginError> {
        let wait = self.throttle_wait(&session.user.username, ip).await?;
        if wait > 0 {
            return Err(LoginError::Throttled(wait));
        }
        let ok = self.check_code(&session.user, code).await?;
        if !ok {
            let acct = throttle::account_scope(&session.user.username, ip);
            let addr = throttle::address_scope(ip);
            self.store
                .sessions()
                .add_failure(&[&acct, &addr], self.now())
                .await?;
            return Err(LoginError::BadCode);
        }
        self.store.sessions().delete(&session.token_hash).await?;
        self.store
            .users()
            .set_last_login(session.user.id, self.now())
            .await?;
        self.audit(Some(&session.user), "", "user.login", "hai lớp", ip)
            .await?;
        Ok(self
            .open_session(session.user.clone(), false, ip, user_agent)
            .await?)
    }

    /// A TOTP code (each time step accepted once) or an unused recovery code.
    async fn check_code(&self, user: &User, code: &str) -> Result<bool, Error> {
        let Some(row) = self.store.users().find_by_id(user.id).await? else {
            return Ok(false);
        };
        self.check_code_of(&row, code).await
    }

    /// [`Auth::check_code`] against a row already read.
    async fn check_code_of(&self, row: &UserRow, code: &str) -> Result<bool, Error> {
        let Some(secret) = row.totp_secret.as_deref().filter(|_| row.totp_enabled) else {
            return Ok(false);
        };
        if let Some(step) = totp::check(secret, &row.username, code, self.now()) {
            return Ok(self.store.users().claim_totp_step(row.id, step).await?);
        }
        let normal = tokens::normalise_code(code);
        if normal.len() == 12 {
            let hash = tokens::token_hash(&normal);
            return Ok(self
                .store
                .users()
                .use_recovery_code(row.id, &hash, self.now())
                .await?);
        }
        Ok(false)
    }

    /// Re-authenticates the user of a session before a change to their second factor: the
    /// current password, and a current code (TOTP or recovery) when a factor is active.
    /// Failures count towards the login throttle and are written to the audit log.
    async fn reauthenticate(
        &self,
        row: &UserRow,
        password: &str,
        code: &str,
        ip: &str,
        purpose: &str,
    ) -> Result<(), ReauthError> {
        let phc = row.password_hash.clone();
        let pw = password.to_owned();
        let password_ok = blocking(move || password::verify(&pw, &phc)).await?;
        let failure = if !password_ok {
            Some(ReauthError::BadPassword)
        } else if row.totp_enabled && !self.check_code_of(row, code).await? {
            Some(ReauthError::BadCode)
        } else {
            None
        };
        let acct = throttle::account_scope(&row.username, ip);
        if let Some(e) = failure {
            let addr = throttle::address_scope(ip);
            self.store
                .sessions()
                .add_failure(&[&acct, &addr], self.now())
                .await?;
            let user = User::from_row(row.clone())?;
            let detail = match e {
                ReauthError::BadPassword => format!("{purpose}: sai mật khẩu"),
                _ => format!("{purpose}: sai mã xác thực"),
            };
            self.audit(Some(&user), "", "user.reauth_failed", &detail, ip)
                .await?;
            return Err(e);
        }
        self.store.sessions().clear_failures(&acct).await?;
        Ok(())
    }

    /// The user's row, and the throttle's answer for them from `ip`.
    async fn row_for_change(&self, user: &User, ip: &str) -> Result<UserRow, ReauthError> {
        let wait = self.throttle_wait(&user.username, ip).await?;
        if wait > 0 {
            return Err(ReauthError::Throttled(wait));
        }
        self.store
            .users()
            .find_by_id(user.id)
            .await?
            .ok_or(ReauthError::Other(Error::NotFound))
    }

    fn enrolment(secret: String, username: &str) -> Result<TotpEnrolment, Error> {
        let url = totp::url(&secret, username).map_err(Error::Internal)?;
        let qr_svg = totp::qr_svg(&url).map_err(Error::Internal)?;
        Ok(TotpEnrolment {
            secret,
            url,
            qr_svg,
        })
    }

    /// Starts enrolling a second factor: a new secret, kept apart as pending. Whatever factor
    /// is active stays active: only [`Auth::confirm_totp`] (password and codes) replaces it.
    pub async fn begin_totp(&self, user: &User) -> Result<TotpEnrolment, Error> {
        let e = Self::enrolment(totp::new_secret(), &user.username)?;
        self.store
            .users()
            .set_totp_pending(user.id, Some(&e.secret), self.now())
            .await?;
        Ok(e)
    }

    /// The enrolment in progress, if any (to show its QR code again).
    pub async fn pending_totp(&self, user: &User) -> Result<Option<TotpEnrolment>, Error> {
        let row = self.store.users().find_by_id(user.id).await?;
        row.and_then(|r| r.totp_pending_secret)
            .map(|s| Self::enrolment(s, &user.username))
            .transpose()
    }

    /// Confirms enrolment: `new_code` from the app that scanned the pending secret, with the
    /// current password (and `current_code` when a factor is already active, which this one
    /// replaces). Returns the new recovery codes, shown once.
    pub async fn confirm_totp(
        &self,
        user: &User,
        password: &str,
        current_code: &str,
        new_code: &str,
        ip: &str,
    ) -> Result<Vec<String>, ReauthError> {
        let row = self.row_for_change(user, ip).await?;
        let secret = row
            .totp_pending_secret
            .clone()
            .ok_or(ReauthError::NoPending)?;
        // The new code first: it proves nothing about the account (whoever started the
        // enrolment knows the secret), and a typo here must not use up the current code.
        let step = totp::check(&secret, &user.username, new_code, self.now())
            .ok_or(ReauthError::BadNewCode)?;
        self.reauthenticate(&row, password, current_code, ip, "bật xác thực hai lớp")
            .await?;
        let users = self.store.users();
        if !users
            .activate_pending_totp(user.id, &secret, self.now())
            .await?
        {
            return Err(ReauthError::NoPending);
        }
        users.claim_totp_step(user.id, step).await?;
        let codes = tokens::recovery_codes();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| tokens::token_hash(&tokens::normalise_code(c)))
            .collect();
        users.replace_recovery_codes(user.id, &hashes).await?;
        Ok(codes)
    }

    /// Turns the second factor off (and forgets any enrolment in progress), with the current
    /// password and a current code.
    pub async fn disable_totp(
        &self,
        user: &User,
        password: &str,
        code: &str,
        ip: &str,
    ) -> Result<(), ReauthError> {
        let row = self.row_for_change(user, ip).await?;
        self.reauthenticate(&row, password, code, ip, "tắt xác thực hai lớp")
            .await?;
        let users = self.store.users();
        users.set_totp(user.id, None, false, self.now()).await?;
        users.replace_recovery_codes(user.id, &[]).await?;
        Ok(())
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
            .settings()
            .find(TOTP_REQUIRED_KEY)
            .await?
            .unwrap_or_default();
        Ok(v.split(',').filter_map(|r| Role::parse(r.trim())).collect())
    }

    /// Forgets expired sessions and old failures (run now and then).
    pub async fn sweep(&self) -> Result<(), Error> {
        let now = self.now();
        self.store
            .sessions()
            .delete_expired(
                now - secs(self.cfg.session_idle),
                now - secs(self.cfg.session_absolute),
            )
            .await?;
        self.store
            .sessions()
            .delete_failures_before(now - secs(self.cfg.failure_window))
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
