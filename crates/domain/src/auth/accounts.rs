//! Managing accounts: create, roles per site and display name, disable and enable, reset a
//! password, unlock. Each change and its audit entry are one transaction; the permission is
//! checked here, whoever calls. A site's administrator manages the accounts that work only
//! on that site, and gives or takes roles on that site alone; the system administrator (and
//! the operator at the command line) everything.

use super::{Action, Auth, Role, User, password, throttle};
use crate::Error;
use crate::audit::{Actor, Entry};
use cong_store::{SiteId, Tx};

/// What a new account may do: be a system administrator, or hold a role on one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    System,
    On(SiteId, Role),
}

/// What `users.role` holds for an account that is not a system administrator: nothing
/// instance-wide (its roles are per site).
const NO_SYSTEM_ROLE: &str = "author";

fn forbidden() -> Error {
    Error::Forbidden("Bạn không có quyền thực hiện thao tác này.".to_owned())
}

/// Who changes an account: a back-office user (whose role must allow it), or the operator
/// at the command line (who owns the server, and so may).
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    User(Actor<'a>),
    CommandLine,
}

impl<'a> By<'a> {
    /// The back-office user, if it is one.
    pub fn actor(self) -> Option<Actor<'a>> {
        match self {
            By::User(a) => Some(a),
            By::CommandLine => None,
        }
    }

    pub(crate) fn require(self, action: Action) -> Result<(), Error> {
        match self {
            By::User(actor) => actor.require(action),
            By::CommandLine => Ok(()),
        }
    }

    /// True when the change is the acting user's own account.
    pub(super) fn is(self, user_id: i64) -> bool {
        matches!(self, By::User(a) if a.user.id == user_id)
    }

    /// Refuses unless the actor may change the account itself (password, name, disabling):
    /// a site's administrator only an account that works on their site alone, never a
    /// system administrator.
    pub fn require_over(self, user: &User) -> Result<(), Error> {
        self.require(Action::ManageUsers)?;
        match self {
            By::CommandLine => Ok(()),
            By::User(a) if a.user.system_admin => Ok(()),
            By::User(a) => {
                let only_here = !user.system_admin
                    && !user.roles.is_empty()
                    && user.roles.iter().all(|(s, _)| *s == a.site);
                if only_here { Ok(()) } else { Err(forbidden()) }
            }
        }
    }

    /// Refuses unless the actor may give or take a role on `site`.
    fn require_on(self, site: SiteId, user: &User) -> Result<(), Error> {
        self.require(Action::ManageUsers)?;
        match self {
            By::CommandLine => Ok(()),
            By::User(a) if a.user.system_admin => Ok(()),
            By::User(a) if a.site == site && !user.system_admin => Ok(()),
            By::User(_) => Err(forbidden()),
        }
    }

    /// True for the system administrator and the operator.
    fn is_system(self) -> bool {
        match self {
            By::CommandLine => true,
            By::User(a) => a.user.system_admin,
        }
    }
}

impl Auth {
    /// Appends the audit entry of a change to account `id`, in `tx`; `site` when the change
    /// concerned one site (a role there), so that site's log shows it.
    async fn audit_change(
        &self,
        tx: &mut Tx,
        by: By<'_>,
        action: &str,
        id: i64,
        detail: &str,
    ) -> Result<(), Error> {
        self.audit_change_on(tx, by, action, id, detail, None).await
    }

    pub(super) async fn audit_change_on(
        &self,
        tx: &mut Tx,
        by: By<'_>,
        action: &str,
        id: i64,
        detail: &str,
        site: Option<SiteId>,
    ) -> Result<(), Error> {
        let entry = Entry {
            action,
            kind: "user",
            id: Some(id),
            detail,
        };
        crate::audit::append_by(&self.store, tx, by, entry, site, self.now()).await
    }

    /// Refuses a role on a site that does not exist (what the command line may name).
    async fn ensure_site(&self, tx: &mut Tx, site: SiteId) -> Result<(), Error> {
        match self.store.sites().find_for_update(tx, site).await? {
            Some(_) => Ok(()),
            None => Err(Error::Invalid(format!("Không có trang số {site}."))),
        }
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
        grant: Grant,
        password: &str,
    ) -> Result<User, Error> {
        by.require(Action::ManageUsers)?;
        match (by, grant) {
            (By::CommandLine, _) => {}
            (By::User(a), _) if a.user.system_admin => {}
            (By::User(a), Grant::On(site, _)) if site == a.site => {}
            (By::User(_), _) => return Err(forbidden()),
        }
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
                match grant {
                    Grant::System => Role::Admin.as_str(),
                    Grant::On(..) => NO_SYSTEM_ROLE,
                },
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
        let detail = match grant {
            Grant::System => format!("{username} (quản trị hệ thống)"),
            Grant::On(site, role) => {
                self.ensure_site(&mut tx, site).await?;
                self.store
                    .users()
                    .set_site_role(&mut tx, id, site, Some(role.as_str()))
                    .await?;
                format!("{username} ({} @ {site})", role.as_str())
            }
        };
        let site = match grant {
            Grant::System => None,
            Grant::On(site, _) => Some(site),
        };
        self.audit_change_on(&mut tx, by, "user.create", id, &detail, site)
            .await?;
        tx.commit().await?;
        self.user(id).await?.ok_or(Error::NotFound)
    }

    /// Sets an account's role on `site` (`None` takes it away) and its display name.
    /// Nobody takes their own administration of a site away.
    pub async fn update_profile(
        &self,
        by: By<'_>,
        user: &User,
        site: SiteId,
        role: Option<Role>,
        display_name: &str,
    ) -> Result<(), Error> {
        by.require_on(site, user)?;
        let display_name = crate::text::nfc(display_name.trim());
        let renamed = display_name != user.display_name;
        if renamed {
            by.require_over(user)?;
        }
        if by.is(user.id) && !user.system_admin && role != Some(Role::Admin) {
            return Err(Error::Conflict(
                "Không thể tự bỏ quyền quản trị của chính mình.".to_owned(),
            ));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let users = self.store.users();
        if !user.system_admin {
            self.ensure_site(&mut tx, site).await?;
            users
                .set_site_role(&mut tx, user.id, site, role.map(Role::as_str))
                .await?;
        }
        if renamed {
            users
                .set_display_name(&mut tx, user.id, &display_name, now)
                .await?;
        }
        let role = role.map_or("none", Role::as_str);
        let detail = format!("{} {role} @ {site}", user.username);
        self.audit_change_on(&mut tx, by, "user.role", user.id, &detail, Some(site))
            .await?;
        tx.commit().await.map_err(Error::from)
    }

    /// Sets (or, empty, clears) an account's e-mail address: its own user, or whoever may
    /// change the account.
    pub async fn set_email(&self, by: By<'_>, user: &User, email: &str) -> Result<(), Error> {
        if !by.is(user.id) {
            by.require_over(user)?;
        }
        let email = normalise_email(email)?;
        if email == self.email_of(user.id).await? {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        self.store
            .users()
            .set_email(&mut tx, user.id, email.as_deref(), self.now())
            .await?;
        let detail = format!("{} {}", user.username, email.as_deref().unwrap_or("—"));
        self.audit_change_on(&mut tx, by, "user.email", user.id, &detail, None)
            .await?;
        tx.commit().await.map_err(Error::from)
    }

    /// An account's e-mail address (kept apart from [`User`], which every request carries).
    pub async fn email_of(&self, user_id: i64) -> Result<Option<String>, Error> {
        Ok(self
            .store
            .users()
            .find_by_id(user_id)
            .await?
            .and_then(|u| u.email))
    }

    /// Every account's e-mail address, by account id (for the accounts page).
    pub async fn emails(&self) -> Result<std::collections::HashMap<i64, String>, Error> {
        Ok(self
            .store
            .users()
            .list_all()
            .await?
            .into_iter()
            .filter_map(|u| Some((u.id, u.email?)))
            .collect())
    }

    /// The sections `user` may write in on `site` (empty: every section).
    pub async fn sections_of(&self, user: &User, site: SiteId) -> Result<Vec<i64>, Error> {
        Ok(self.store.user_sections(user.id, site).await?)
    }

    /// Limits an author or editor on `site` to some of its sections (empty: every one),
    /// as one who manages that site's users; written with its audit entry.
    pub async fn set_sections(
        &self,
        by: By<'_>,
        user: &User,
        site: SiteId,
        sections: &[i64],
    ) -> Result<(), Error> {
        by.require_on(site, user)?;
        let mut tx = self.store.begin().await?;
        self.store
            .set_user_sections(&mut tx, user.id, site, sections)
            .await?;
        let list: Vec<String> = sections.iter().map(i64::to_string).collect();
        let detail = format!(
            "{} @ {site}: {}",
            user.username,
            if list.is_empty() {
                "mọi chuyên mục".to_owned()
            } else {
                list.join(", ")
            }
        );
        self.audit_change_on(&mut tx, by, "user.sections", user.id, &detail, Some(site))
            .await?;
        tx.commit().await.map_err(Error::from)
    }

    /// Makes an account a system administrator or takes that away (the system
    /// administrator's or the operator's decision; nobody demotes themselves). Taken away,
    /// the account keeps its roles per site.
    pub async fn set_system_admin(
        &self,
        by: By<'_>,
        user: &User,
        system_admin: bool,
    ) -> Result<(), Error> {
        if !by.is_system() {
            return Err(forbidden());
        }
        if by.is(user.id) && !system_admin {
            return Err(Error::Conflict(
                "Không thể tự bỏ quyền quản trị hệ thống của chính mình.".to_owned(),
            ));
        }
        let role = if system_admin {
            Role::Admin.as_str()
        } else {
            NO_SYSTEM_ROLE
        };
        let mut tx = self.store.begin().await?;
        self.store
            .users()
            .set_role(&mut tx, user.id, role, self.now())
            .await?;
        let action = if system_admin {
            "user.system_admin"
        } else {
            "user.system_admin_removed"
        };
        self.audit_change(&mut tx, by, action, user.id, &user.username)
            .await?;
        tx.commit().await.map_err(Error::from)
    }

    /// Disables (or enables) an account; disabling ends its sessions. Nobody disables
    /// their own account.
    pub async fn set_disabled(&self, by: By<'_>, user: &User, disabled: bool) -> Result<(), Error> {
        by.require_over(user)?;
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
        by.require_over(user)?;
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

/// An e-mail address as stored: trimmed, lower-case, and one a mail can be sent to; empty
/// is None (no address).
pub fn normalise_email(email: &str) -> Result<Option<String>, Error> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Ok(None);
    }
    let ok = email.len() <= 254
        && email.parse::<lettre::Address>().is_ok()
        && email.rsplit_once('@').is_some_and(|(_, d)| d.contains('.'));
    if ok {
        Ok(Some(email))
    } else {
        Err(Error::Invalid(format!(
            "“{email}” không phải là một địa chỉ thư điện tử hợp lệ."
        )))
    }
}
