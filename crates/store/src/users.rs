//! Back-office accounts and their one-time recovery codes.

use crate::sql::flag;
use crate::{Result, SiteId, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub disabled: bool,
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    /// A second factor being enrolled, not active until confirmed.
    pub totp_pending_secret: Option<String>,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
    /// Where password-reset links go (kept lower-case); None: no address.
    pub email: Option<String>,
    /// Whether the account gets the editorial workflow's notices by mail.
    pub notices: bool,
}

macro_rules! columns {
    () => {
        "id, username, display_name, role, password_hash, disabled, totp_secret, totp_enabled, \
         totp_pending_secret, created_at, last_login_at, email, notices"
    };
}

fn from_row(row: &AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get("role")?,
        password_hash: row.try_get("password_hash")?,
        disabled: flag(row, "disabled")?,
        totp_secret: row.try_get("totp_secret")?,
        totp_enabled: flag(row, "totp_enabled")?,
        totp_pending_secret: row.try_get("totp_pending_secret")?,
        created_at: row.try_get("created_at")?,
        last_login_at: row.try_get("last_login_at")?,
        email: row.try_get("email")?,
        notices: flag(row, "notices")?,
    })
}

pub struct Users<'a>(&'a Store);

impl Store {
    pub fn users(&self) -> Users<'_> {
        Users(self)
    }
}

impl Users<'_> {
    pub async fn find_by_username(&self, username: &str) -> Result<Option<UserRow>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn find_by_id(&self, id: i64) -> Result<Option<UserRow>> {
        let row = sqlx::query(concat!("SELECT ", columns!(), " FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.0.read())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// Every account, by username.
    pub async fn list_all(&self) -> Result<Vec<UserRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM users ORDER BY username"
        ))
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    pub async fn count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(self.0.read())
            .await?)
    }

    pub async fn insert(
        &self,
        tx: &mut Tx,
        username: &str,
        display_name: &str,
        role: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(username)
        .bind(display_name)
        .bind(role)
        .bind(password_hash)
        .bind(now)
        .fetch_one(tx.conn())
        .await?)
    }

    pub async fn set_password(
        &self,
        tx: &mut Tx,
        id: i64,
        password_hash: &str,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(password_hash)
            .bind(now)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn set_role(&self, tx: &mut Tx, id: i64, role: &str, now: i64) -> Result<bool> {
        let r = sqlx::query("UPDATE users SET role = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(role)
            .bind(now)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Every role an account holds, site by site (its role on each site it works on).
    pub async fn site_roles(&self, id: i64) -> Result<Vec<(SiteId, String)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT site_id, role FROM site_roles WHERE user_id = $1 ORDER BY site_id",
        )
        .bind(id)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.into_iter().map(|(s, r)| (SiteId(s), r)).collect())
    }

    /// Every (account, site, role) of the instance, by account then site.
    pub async fn all_site_roles(&self) -> Result<Vec<(i64, SiteId, String)>> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT user_id, site_id, role FROM site_roles ORDER BY user_id, site_id",
        )
        .fetch_all(self.0.read())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(u, s, r)| (u, SiteId(s), r))
            .collect())
    }

    /// Gives account `id` the role `role` on `site`, or takes its role there away (`None`).
    pub async fn set_site_role(
        &self,
        tx: &mut Tx,
        id: i64,
        site: SiteId,
        role: Option<&str>,
    ) -> Result<()> {
        match role {
            Some(role) => {
                sqlx::query(
                    "INSERT INTO site_roles (user_id, site_id, role) VALUES ($1, $2, $3) \
                     ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role",
                )
                .bind(id)
                .bind(site.0)
                .bind(role)
                .execute(tx.conn())
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM site_roles WHERE user_id = $1 AND site_id = $2")
                    .bind(id)
                    .bind(site.0)
                    .execute(tx.conn())
                    .await?;
            }
        }
        Ok(())
    }

    pub async fn set_display_name(
        &self,
        tx: &mut Tx,
        id: i64,
        name: &str,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query("UPDATE users SET display_name = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(name)
            .bind(now)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Sets (or, with None, clears) an account's e-mail address.
    pub async fn set_email(
        &self,
        tx: &mut Tx,
        id: i64,
        email: Option<&str>,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query("UPDATE users SET email = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(email)
            .bind(now)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Enabled accounts with this (lower-case) e-mail address.
    pub async fn list_by_email(&self, email: &str) -> Result<Vec<UserRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM users WHERE email = $1 AND disabled = 0 ORDER BY id"
        ))
        .bind(email)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Turns the account's workflow notices on or off.
    pub async fn set_notices(&self, tx: &mut Tx, id: i64, on: bool, now: i64) -> Result<bool> {
        let r = sqlx::query("UPDATE users SET notices = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(i64::from(on))
            .bind(now)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Who may get a workflow notice on `site`: enabled accounts with an address and notices
    /// on, that are system administrators or hold a role there (the role, if any, beside
    /// each); what the role allows is the domain's to decide.
    pub async fn notice_recipients(&self, site: SiteId) -> Result<Vec<(UserRow, Option<String>)>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            ", (SELECT r.role FROM site_roles r WHERE r.user_id = users.id AND r.site_id = $1) \
             AS site_role FROM users WHERE disabled = 0 AND notices = 1 AND email IS NOT NULL \
             ORDER BY id"
        ))
        .bind(site.0)
        .fetch_all(self.0.read())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let site_role: Option<String> = row.try_get("site_role")?;
            let user = from_row(row)?;
            if user.role == "admin" || site_role.is_some() {
                out.push((user, site_role));
            }
        }
        Ok(out)
    }

    pub async fn set_disabled(
        &self,
        tx: &mut Tx,
        id: i64,
        disabled: bool,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query("UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(i64::from(disabled))
            .bind(now)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn set_last_login(&self, tx: &mut Tx, id: i64, now: i64) -> Result<()> {
        sqlx::query("UPDATE users SET last_login_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    /// Stores a second factor being enrolled (sealed), or forgets it; the active one is
    /// untouched.
    pub async fn set_totp_pending(
        &self,
        tx: &mut Tx,
        id: i64,
        sealed: Option<&str>,
        now: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE users SET totp_pending_secret = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(sealed)
            .bind(now)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    /// Makes the pending second factor the active one, if it is still `sealed` (not
    /// replaced by another enrolment meanwhile): true when it was.
    pub async fn activate_pending_totp(
        &self,
        tx: &mut Tx,
        id: i64,
        sealed: &str,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE users SET totp_secret = totp_pending_secret, totp_enabled = 1, \
             totp_pending_secret = NULL, updated_at = $3 WHERE id = $1 AND totp_pending_secret = $2",
        )
        .bind(id)
        .bind(sealed)
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Turns the second factor off and forgets its secret and any enrolment in progress.
    pub async fn clear_totp(&self, tx: &mut Tx, id: i64, now: i64) -> Result<()> {
        sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_enabled = 0, totp_pending_secret = NULL, \
             updated_at = $2 WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// Accepts a second-factor time step once: false when it (or a later one) was used.
    pub async fn claim_totp_step(&self, tx: &mut Tx, id: i64, step: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
        )
        .bind(id)
        .bind(step)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Replaces a user's recovery codes (given hashed).
    pub async fn replace_recovery_codes(
        &self,
        tx: &mut Tx,
        id: i64,
        hashes: &[String],
    ) -> Result<()> {
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        for h in hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(id)
                .bind(h)
                .execute(tx.conn())
                .await?;
        }
        Ok(())
    }

    /// Uses a recovery code once: true when it was there and unused.
    pub async fn use_recovery_code(
        &self,
        tx: &mut Tx,
        id: i64,
        hash: &str,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(id)
        .bind(hash)
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn count_unused_recovery_codes(&self, id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(id)
        .fetch_one(self.0.read())
        .await?)
    }

    /// Every second-factor secret kept, active or being enrolled: (user id, column, value).
    pub async fn list_secrets(&self) -> Result<Vec<(i64, SecretColumn, String)>> {
        let rows = sqlx::query(
            "SELECT id, totp_secret, totp_pending_secret FROM users \
             WHERE totp_secret IS NOT NULL OR totp_pending_secret IS NOT NULL ORDER BY id",
        )
        .fetch_all(self.0.read())
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            for column in [SecretColumn::Totp, SecretColumn::TotpPending] {
                if let Some(v) = r.try_get::<Option<String>, _>(column.name())? {
                    out.push((id, column, v));
                }
            }
        }
        Ok(out)
    }

    /// Replaces a secret by the same secret sealed anew, if it is still `old` (an
    /// enrolment may have replaced it meanwhile): true when it was.
    pub async fn reseal_secret(
        &self,
        tx: &mut Tx,
        id: i64,
        column: SecretColumn,
        old: &str,
        new: &str,
    ) -> Result<bool> {
        let sql = match column {
            SecretColumn::Totp => {
                "UPDATE users SET totp_secret = $3 WHERE id = $1 AND totp_secret = $2"
            }
            SecretColumn::TotpPending => {
                "UPDATE users SET totp_pending_secret = $3 WHERE id = $1 AND totp_pending_secret = $2"
            }
        };
        let r = sqlx::query(sql)
            .bind(id)
            .bind(old)
            .bind(new)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }
}

/// The columns of `users` that hold a second-factor secret (sealed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretColumn {
    Totp,
    TotpPending,
}

impl SecretColumn {
    pub fn name(self) -> &'static str {
        match self {
            SecretColumn::Totp => "totp_secret",
            SecretColumn::TotpPending => "totp_pending_secret",
        }
    }
}
