//! Logging in: the password (throttled, bounded, a few Argon2 checks at a time), then the
//! second factor when enrolled; logging out. Failures against a real account are audited
//! (their throttle bounds them); names that match no account are only counted.

use super::admission::{Budget, Rule, Ticket};
use super::{
    Auth, CODES_PER_ACCOUNT, LoginError, MAX_CODE, MAX_NAME, Session, UNKNOWN_NAME, User, password,
    throttle, tokens,
};
use crate::Error;
use cong_store::Tx;
use cong_store::audit::NewAudit;
use cong_store::sessions::NewSession;

/// Longest User-Agent kept with a session.
const MAX_USER_AGENT: usize = 300;

impl Auth {
    /// An audit entry about `user`, from `ip`, in `tx`.
    pub(crate) async fn audit_user(
        &self,
        tx: &mut Tx,
        user: &User,
        action: &str,
        detail: &str,
        ip: &str,
    ) -> Result<(), Error> {
        self.store
            .audit()
            .append(
                tx,
                &NewAudit {
                    user_id: Some(user.id),
                    username: &user.username,
                    action,
                    object_kind: "user",
                    object_id: Some(user.id),
                    detail,
                    ip,
                    site_id: None,
                },
                self.now(),
            )
            .await?;
        Ok(())
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
        if username.len() > MAX_NAME {
            return Err(LoginError::TooLong(format!(
                "Tên đăng nhập dài tối đa {MAX_NAME} ký tự."
            )));
        }
        if password.chars().count() > password::MAX_CHARS {
            return Err(LoginError::TooLong(format!(
                "Mật khẩu dài tối đa {} ký tự.",
                password::MAX_CHARS
            )));
        }
        let row = self.store.users().find_by_username(&username).await?;
        let net = throttle::net(ip);
        let (account, address) =
            self.password_scopes(row.as_ref().map(|r| r.id), &username, &net)?;
        let ticket = self
            .admit(&self.password_budgets(&account, &address), None)
            .await?;
        let (phc, usable) = match &row {
            Some(u) => (u.password_hash.clone(), !u.disabled),
            None => (password::DECOY.clone(), false),
        };
        let pw = password.to_owned();
        let matches = match self.argon(move || password::verify(&pw, &phc)).await {
            Ok(m) => m,
            Err(e) => {
                // Never checked: the attempt is not a failure.
                ticket.release(self).await?;
                return Err(e);
            }
        };
        let user = match row {
            Some(u) if matches && usable => self.user_of(u).await?,
            other => {
                let mut tx = self.store.begin().await?;
                match other {
                    Some(u) => {
                        let user = self.user_of(u).await?;
                        self.audit_user(&mut tx, &user, "user.login_failed", "", ip)
                            .await?;
                    }
                    None => {
                        let today = self.now().div_euclid(86_400) * 86_400;
                        self.store
                            .throttle()
                            .tally(&mut tx, today, UNKNOWN_NAME)
                            .await?;
                    }
                }
                tx.commit().await?;
                return Err(LoginError::BadCredentials);
            }
        };
        let pending = user.totp_enabled;
        let mut tx = self.store.begin().await?;
        ticket.release_in(self, &mut tx).await?;
        if !pending {
            // The whole login succeeded: the account's failures from here are forgiven.
            // With a second factor to come, they stay until it is given.
            self.store.throttle().clear(&mut tx, &account).await?;
            self.store
                .users()
                .set_last_login(&mut tx, user.id, self.now())
                .await?;
            self.audit_user(&mut tx, &user, "user.login", "", ip)
                .await?;
        }
        let opened = self
            .open_session(&mut tx, user, pending, ip, user_agent)
            .await?;
        tx.commit().await?;
        Ok(opened)
    }

    /// A new session in `tx`: its token and what it is.
    async fn open_session(
        &self,
        tx: &mut Tx,
        user: User,
        pending_totp: bool,
        ip: &str,
        user_agent: &str,
    ) -> Result<(String, Session), Error> {
        let token = tokens::random_token();
        let token_hash = tokens::token_hash(&token);
        let csrf_token = tokens::random_token();
        let ua: String = user_agent.chars().take(MAX_USER_AGENT).collect();
        self.store
            .sessions()
            .insert(
                tx,
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

    /// Ends a session (a half-open one too), with its audit entry.
    pub async fn logout(&self, session: &Session, ip: &str) -> Result<(), Error> {
        let mut tx = self.store.begin().await?;
        self.store
            .sessions()
            .delete(&mut tx, &session.token_hash)
            .await?;
        if !session.pending_totp {
            self.audit_user(&mut tx, &session.user, "user.logout", "", ip)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Forgets a half-open login left for a new one (the login form was submitted again).
    pub async fn abandon(&self, session: &Session) -> Result<(), Error> {
        if !session.pending_totp {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        self.store
            .sessions()
            .delete(&mut tx, &session.token_hash)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Completes a login with a TOTP code or a recovery code. The half-open session is
    /// replaced by a new one (new token). Codes are capped: [`super::CODES_PER_LOGIN`] per
    /// half-open login (the last wrong one ends it) and [`CODES_PER_ACCOUNT`] per account
    /// within the failure window, from anywhere.
    pub async fn second_factor(
        &self,
        session: &Session,
        code: &str,
        ip: &str,
        user_agent: &str,
    ) -> Result<(String, Session), LoginError> {
        if code.chars().count() > MAX_CODE {
            return Err(LoginError::BadCode);
        }
        let user = &session.user;
        let net = throttle::net(ip);
        let codes = throttle::code_scope(user.id);
        let address = throttle::address_scope(&net);
        let budgets = [
            Budget {
                scope: &codes,
                rule: Rule::Cap {
                    cap: CODES_PER_ACCOUNT,
                },
            },
            Budget {
                scope: &address,
                rule: Rule::Doubling {
                    free: self.cfg.free_failures_per_address,
                },
            },
        ];
        let ticket = self.admit(&budgets, Some(&session.token_hash)).await?;
        let Some(row) = self.store.users().find_by_id(user.id).await? else {
            ticket.release(self).await?;
            return Err(LoginError::LoginEnded);
        };
        let mut tx = self.store.begin().await?;
        let right = match self.check_code_of(&mut tx, &row, code).await {
            Ok(right) => right,
            Err(e) => {
                drop(tx);
                ticket.release(self).await?;
                return Err(e);
            }
        };
        if !right {
            return self.code_failed(tx, ticket, session, ip).await;
        }
        ticket.release_in(self, &mut tx).await?;
        let throttle = self.store.throttle();
        throttle
            .clear(&mut tx, &throttle::account_scope(user.id, &net))
            .await?;
        throttle.clear(&mut tx, &codes).await?;
        self.store
            .sessions()
            .delete(&mut tx, &session.token_hash)
            .await?;
        self.store
            .users()
            .set_last_login(&mut tx, user.id, self.now())
            .await?;
        self.audit_user(&mut tx, user, "user.login", "hai lớp", ip)
            .await?;
        let opened = self
            .open_session(&mut tx, user.clone(), false, ip, user_agent)
            .await?;
        tx.commit().await?;
        Ok(opened)
    }

    /// A wrong code: audited (the account is real; its cap bounds the entries), and the
    /// half-open login ends with its last allowed code.
    async fn code_failed(
        &self,
        mut tx: Tx,
        ticket: Ticket,
        session: &Session,
        ip: &str,
    ) -> Result<(String, Session), LoginError> {
        self.audit_user(&mut tx, &session.user, "user.code_failed", "", ip)
            .await?;
        let ended = ticket.codes_tried >= i64::from(super::CODES_PER_LOGIN);
        if ended {
            self.store
                .sessions()
                .delete(&mut tx, &session.token_hash)
                .await?;
        }
        tx.commit().await?;
        Err(if ended {
            LoginError::LoginEnded
        } else {
            LoginError::BadCode
        })
    }
}
