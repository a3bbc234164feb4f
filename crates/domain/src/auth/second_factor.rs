//! The second factor: checking a code, enrolling (a new secret, sealed, kept apart until
//! confirmed), confirming and turning it off. Confirming and turning off need the current
//! password and, when a factor is active, a current code: a session alone (a stolen cookie)
//! cannot weaken the account. Such a re-authentication is throttled like a login.

use super::admission::Ticket;
use super::{Auth, LoginError, ReauthError, TotpEnrolment, User, throttle, tokens, totp};
use crate::Error;
use crate::audit::{Actor, Entry};
use crate::secrets::{self, SecretError};
use cong_store::Tx;
use cong_store::users::UserRow;

impl Auth {
    /// Opens a second-factor secret read from the store (sealed; or clear, from before
    /// sealing, until it is sealed at the next start).
    pub(super) fn open_totp(&self, user_id: i64, stored: &str) -> Result<String, SecretError> {
        if secrets::is_sealed(stored) {
            self.secrets.unseal(&super::totp_context(user_id), stored)
        } else {
            Ok(stored.to_owned())
        }
    }

    /// A TOTP code (each time step accepted once) or an unused recovery code, checked and
    /// used up in `tx`. A missing key is [`LoginError::KeyMissing`] (logged with its id);
    /// recovery codes, stored hashed, need no key.
    pub(crate) async fn check_code_of(
        &self,
        tx: &mut Tx,
        row: &UserRow,
        code: &str,
    ) -> Result<bool, LoginError> {
        if !row.totp_enabled {
            return Ok(false);
        }
        let normal = tokens::normalise_code(code);
        if normal.len() == 12 {
            let hash = tokens::token_hash(&normal);
            return Ok(self
                .store
                .users()
                .use_recovery_code(tx, row.id, &hash, self.now())
                .await?);
        }
        let Some(stored) = row.totp_secret.as_deref() else {
            return Ok(false);
        };
        let secret = match self.open_totp(row.id, stored) {
            Ok(s) => s,
            Err(e @ SecretError::MissingKey { .. }) => {
                tracing::error!(user = row.id, error = %e, "second factor cannot be checked");
                return Err(LoginError::KeyMissing);
            }
            Err(e) => return Err(Error::from(e).into()),
        };
        match totp::check(&secret, &row.username, code, self.now()) {
            Some(step) => Ok(self.store.users().claim_totp_step(tx, row.id, step).await?),
            None => Ok(false),
        }
    }

    /// Checks the current password of the user of a session before a change to their
    /// account, throttled like a login. A wrong one is audited and refused.
    async fn verify_password(
        &self,
        row: &UserRow,
        password: &str,
        ip: &str,
        purpose: &str,
    ) -> Result<Ticket, ReauthError> {
        if password.chars().count() > super::password::MAX_CHARS {
            return Err(ReauthError::BadPassword);
        }
        let net = throttle::net(ip);
        let (account, address) = self.password_scopes(Some(row.id), &row.username, &net)?;
        let ticket = self
            .admit(&self.password_budgets(&account, &address), None)
            .await?;
        let phc = row.password_hash.clone();
        let pw = password.to_owned();
        let right = match self.argon(move || super::password::verify(&pw, &phc)).await {
            Ok(r) => r,
            Err(e) => {
                ticket.release(self).await?;
                return Err(e.into());
            }
        };
        if !right {
            let mut tx = self.store.begin().await?;
            self.reauth_failed(&mut tx, row, &format!("{purpose}: sai mật khẩu"), ip)
                .await?;
            tx.commit().await?;
            return Err(ReauthError::BadPassword);
        }
        Ok(ticket)
    }

    async fn reauth_failed(
        &self,
        tx: &mut Tx,
        row: &UserRow,
        detail: &str,
        ip: &str,
    ) -> Result<(), Error> {
        let user = self.user_of(row.clone()).await?;
        self.audit_user(tx, &user, "user.reauth_failed", detail, ip)
            .await
    }

    /// Re-authenticates before a change to the second factor: the current password, then
    /// (when a factor is active) a current code, checked in the transaction that makes the
    /// change, which this returns. The attempt is taken back and the account's failures
    /// forgiven in it.
    async fn reauthenticate(
        &self,
        row: &UserRow,
        password: &str,
        code: &str,
        ip: &str,
        purpose: &str,
    ) -> Result<Tx, ReauthError> {
        let ticket = self.verify_password(row, password, ip, purpose).await?;
        let mut tx = self.store.begin().await?;
        if row.totp_enabled {
            match self.check_code_of(&mut tx, row, code).await {
                Ok(true) => {}
                Ok(false) => {
                    self.reauth_failed(&mut tx, row, &format!("{purpose}: sai mã xác thực"), ip)
                        .await?;
                    tx.commit().await?;
                    return Err(ReauthError::BadCode);
                }
                Err(e) => {
                    drop(tx);
                    ticket.release(self).await?;
                    return Err(e.into());
                }
            }
        }
        ticket.release_in(self, &mut tx).await?;
        let account = throttle::account_scope(row.id, &throttle::net(ip));
        self.store.throttle().clear(&mut tx, &account).await?;
        Ok(tx)
    }

    async fn row_of(&self, user: &User) -> Result<UserRow, Error> {
        self.store
            .users()
            .find_by_id(user.id)
            .await?
            .ok_or(Error::NotFound)
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

    /// Starts enrolling a second factor: a new secret, sealed and kept apart as pending.
    /// Whatever factor is active stays active: only [`Auth::confirm_totp`] (password and
    /// codes) replaces it.
    pub async fn begin_totp(&self, user: &User) -> Result<TotpEnrolment, Error> {
        let e = Self::enrolment(totp::new_secret(), &user.username)?;
        let sealed = self
            .secrets
            .seal(&super::totp_context(user.id), &e.secret)?;
        let mut tx = self.store.begin().await?;
        self.store
            .users()
            .set_totp_pending(&mut tx, user.id, Some(&sealed), self.now())
            .await?;
        tx.commit().await?;
        Ok(e)
    }

    /// The enrolment in progress, if any (to show its QR code again).
    pub async fn pending_totp(&self, user: &User) -> Result<Option<TotpEnrolment>, Error> {
        let row = self.row_of(user).await?;
        row.totp_pending_secret
            .map(|s| {
                let secret = self.open_totp(user.id, &s)?;
                Self::enrolment(secret, &user.username)
            })
            .transpose()
    }

    /// Confirms enrolment: `new_code` from the app that scanned the pending secret, with the
    /// current password (and `current_code` when a factor is already active, which this one
    /// replaces). Returns the new recovery codes, shown once.
    pub async fn confirm_totp(
        &self,
        actor: Actor<'_>,
        password: &str,
        current_code: &str,
        new_code: &str,
    ) -> Result<Vec<String>, ReauthError> {
        let user = actor.user;
        let row = self.row_of(user).await?;
        let sealed = row
            .totp_pending_secret
            .clone()
            .ok_or(ReauthError::NoPending)?;
        let secret = self.open_totp(user.id, &sealed).map_err(Error::from)?;
        // The new code first: it proves nothing about the account (whoever started the
        // enrolment knows the secret), and a typo here must not use up the current code.
        let step = totp::check(&secret, &user.username, new_code, self.now())
            .ok_or(ReauthError::BadNewCode)?;
        let replacing = row.totp_enabled;
        let mut tx = self
            .reauthenticate(
                &row,
                password,
                current_code,
                actor.ip,
                "bật xác thực hai lớp",
            )
            .await?;
        let users = self.store.users();
        if !users
            .activate_pending_totp(&mut tx, user.id, &sealed, self.now())
            .await?
        {
            return Err(ReauthError::NoPending);
        }
        users.claim_totp_step(&mut tx, user.id, step).await?;
        let codes = tokens::recovery_codes();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| tokens::token_hash(&tokens::normalise_code(c)))
            .collect();
        users
            .replace_recovery_codes(&mut tx, user.id, &hashes)
            .await?;
        let entry = Entry {
            action: "user.totp_enable",
            kind: "user",
            id: Some(user.id),
            detail: if replacing {
                "thay ứng dụng xác thực"
            } else {
                ""
            },
        };
        crate::audit::append(&self.store, &mut tx, actor, entry, self.now()).await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Turns the second factor off (and forgets any enrolment in progress), with the current
    /// password and a current code. Refused for roles that must use it.
    pub async fn disable_totp(
        &self,
        actor: Actor<'_>,
        password: &str,
        code: &str,
    ) -> Result<(), ReauthError> {
        let user = actor.user;
        if self.must_use_totp(user).await? {
            return Err(Error::Conflict(
                "Vai trò của bạn bắt buộc dùng xác thực hai lớp.".to_owned(),
            )
            .into());
        }
        let row = self.row_of(user).await?;
        let mut tx = self
            .reauthenticate(&row, password, code, actor.ip, "tắt xác thực hai lớp")
            .await?;
        let users = self.store.users();
        users.clear_totp(&mut tx, user.id, self.now()).await?;
        users.replace_recovery_codes(&mut tx, user.id, &[]).await?;
        let entry = Entry {
            action: "user.totp_disable",
            kind: "user",
            id: Some(user.id),
            detail: "",
        };
        crate::audit::append(&self.store, &mut tx, actor, entry, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the user's own password: the current one first (throttled like a login),
    /// then the policy; every session of theirs ends.
    pub async fn change_own_password(
        &self,
        actor: Actor<'_>,
        current: &str,
        new: &str,
    ) -> Result<(), ReauthError> {
        let user = actor.user;
        let row = self.row_of(user).await?;
        let ticket = self
            .verify_password(&row, current, actor.ip, "đổi mật khẩu")
            .await?;
        let hash = match self.hash_new_password(new, &user.username).await {
            Ok(h) => h,
            Err(e) => {
                ticket.release(self).await?;
                return Err(e.into());
            }
        };
        let mut tx = self.store.begin().await?;
        ticket.release_in(self, &mut tx).await?;
        let account = throttle::account_scope(user.id, &throttle::net(actor.ip));
        self.store.throttle().clear(&mut tx, &account).await?;
        self.store
            .users()
            .set_password(&mut tx, user.id, &hash, self.now())
            .await?;
        self.store
            .sessions()
            .delete_for_user(&mut tx, user.id)
            .await?;
        let entry = Entry {
            action: "user.password",
            kind: "user",
            id: Some(user.id),
            detail: "",
        };
        crate::audit::append(&self.store, &mut tx, actor, entry, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}
