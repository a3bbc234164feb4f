//! Managing accounts: create, role and display name, disable and enable, reset a password,
//! unlock. Each change and its audit entry are one transaction; the permission is checked
//! here, whoever calls.

use super::{Action, Auth, Role, User, password, throttle};
use crate::Error;
use crate::audit::{Actor, Entry};
use cong_store::Tx;

/// Who changes an account: a back-office user (whose role must allow it), or the operator
/// at the command line (who owns the server, and so may).
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    User(Actor<'a>),
    CommandLine,
}

impl By<'_> {
    pub(crate) fn require(self, action: Action) -> Result<(), Error> {
        match self {
            By::User(actor) => actor.require(action),
            By::CommandLine => Ok(()),
        }
    }

    /// True when the change is the acting user's own account.
    fn is(self, user_id: i64) -> bool {
        matches!(self, By::User(a) if a.user.id == user_id)
    }
}

impl Auth {
    /// Appends the audit entry of a change to account `id`, in `tx`.
    async fn audit_change(
        &self,
        tx: &mut Tx,
        by: By<'_>,
        action: &str,
        id: i64,
        detail: &str,
    ) -> Result<(), Error> {
        let entry = Entry {
            action,
            kind: "user",
            id: Some(id),
            detail,
        };
        crate::audit::append_by(&self.store, tx, by, entry, None, self.now()).await
    }

    /// Checks a new password against the policy (the message says what is wrong).
    pub fn check_password(&self, password: &str, username: &str) -> Result<(), Error> {
        password::check_policy(password, username, self.cfg.min_password_chars)
            .map_err(Error::Invalid)
    }

    /// The Argon2 hash of a new password that passes the policy.
    pub(crate) async fn hash_new_password(
        &self,
        password: &str,
        username: &str,
    ) -> Result<String, Error> {
        self.check_password(password, username)?;
        let pw = password.to_owned();
        self.argon(move || password::hash(&pw))
            .await?
            .map_err(Error::Internal)
    }

    /// Creates an account; the password must pass the policy.
    pub async fn create_user(
        &self,
        by: By<'_>,
        username: &str,
        display_name: &str,
        role: Role,
        password: &str,
    ) -> Result<User, Error> {
        by.require(Action::ManageUsers)?;
        let username = username.trim().to_lowercase();
        let valid = (3..=super::MAX_NAME).contains(&username.len())
            && username.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_' || b == b'-'
            });
        if !valid {
            return Err(Error::Invalid(
                "Tên đăng nhập gồm 3–40 chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang."
                    .to_owned(),
            ));
        }
        let hash = self.hash_new_password(password, &username).await?;
        let display = crate::text::nfc(display_name.trim());
        let mut tx = self.store.begin().await?;
        let id = match self
            .store
            .users()
            .insert(
                &mut tx,
                &username,
                &display,
                role.as_str(),
                &hash,
                self.now(),
            )
            .await
        {
            Err(cong_store::Error::Conflict { .. }) => {
                return Err(Error::Invalid(format!(
                    "Tên đăng nhập “{username}” đã có người dùng."
                )));
            }
            other => other?,
        };
        let detail = format!("{username} ({})", role.as_str());
        self.audit_change(&mut tx, by, "user.create", id, &detail)
            .await?;
        tx.commit().await?;
        self.user(id).await?.ok_or(Error::NotFound)
    }

    /// Sets an account's role and display name. Administrators cannot demote themselves.
    pub async fn update_profile(
        &self,
        by: By<'_>,
        user: &User,
        role: Role,
        display_name: &str,
    ) -> Result<(), Error> {
        by.require(Action::ManageUsers)?;
        if by.is(user.id) && role != Role::Admin {
            return Err(Error::Conflict(
                "Không thể tự bỏ quyền quản trị của chính mình.".to_owned(),
            ));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let users = self.store.users();
        users.set_role(&mut tx, user.id, role.as_str(), now).await?;
        users
            .set_display_name(
                &mut tx,
                user.id,
                &crate::text::nfc(display_name.trim()),
                now,
            )
            .await?;
        let detail = format!("{} {}", user.username, role.as_str());
        self.audit_change(&mut tx, by, "user.role", user.id, &detail)
            .await?;
        tx.commit().await.map_err(Error::from)
    }

    /// Disables (or enables) an account; disabling ends its sessions. Nobody disables
    /// their own account.
    pub async fn set_disabled(&self, by: By<'_>, user: &User, disabled: bool) -> Result<(), Error> {
        by.require(Action::ManageUsers)?;
        if disabled && by.is(user.id) {
            return Err(Error::Conflict(
                "Không thể tự khoá tài khoản của chính mình.".to_owned(),
            ));
        }
        let mut tx = self.store.begin().await?;
        self.store
            .users()
            .set_disabled(&mut tx, user.id, disabled, self.now())
            .await?;
        if disabled {
            self.store
                .sessions()
                .delete_for_user(&mut tx, user.id)
                .await?;
        }
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        self.audit_change(&mut tx, by, action, user.id, &user.username)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password for an account (an administrator's reset, or the operator's);
    /// the policy applies and every session of the account ends.
    pub async fn reset_password(
        &self,
        by: By<'_>,
        user: &User,
        password: &str,
    ) -> Result<(), Error> {
        by.require(Action::ManageUsers)?;
        let hash = self.hash_new_password(password, &user.username).await?;
        let mut tx = self.store.begin().await?;
        self.store
            .users()
            .set_password(&mut tx, user.id, &hash, self.now())
            .await?;
        self.store
            .sessions()
            .delete_for_user(&mut tx, user.id)
            .await?;
        self.audit_change(&mut tx, by, "user.password_reset", user.id, &user.username)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Clears the login throttle of an account, from every address, and the cap on its
    /// second-factor codes (the operator's unlock): how many failures were forgotten.
    pub async fn unlock(&self, user: &User) -> Result<u64, Error> {
        let mut tx = self.store.begin().await?;
        let throttle = self.store.throttle();
        let n = throttle
            .clear_prefix(&mut tx, &throttle::account_prefix(user.id))
            .await?
            + throttle
                .clear(&mut tx, &throttle::code_scope(user.id))
                .await?;
        self.audit_change(
            &mut tx,
            By::CommandLine,
            "user.unlock",
            user.id,
            &user.username,
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }
}
