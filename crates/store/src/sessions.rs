//! Back-office sessions (the cookie's token is stored hashed) and failed logins.

use crate::sql::flag;
use crate::{Result, Store};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub pending_totp: bool,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
}

/// A new session.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub csrf_token: &'a str,
    pub pending_totp: bool,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

pub struct Sessions<'a>(&'a Store);

impl Store {
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions(self)
    }
}

impl Sessions<'_> {
    pub async fn find(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let row = sqlx::query(
            "SELECT token_hash, user_id, csrf_token, pending_totp, created_at, last_seen_at, ip, user_agent \
             FROM sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.0.read())
        .await?;
        row.map(|r| {
            Ok(SessionRow {
                token_hash: r.try_get("token_hash")?,
                user_id: r.try_get("user_id")?,
                csrf_token: r.try_get("csrf_token")?,
                pending_totp: flag(&r, "pending_totp")?,
                created_at: r.try_get("created_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
                ip: r.try_get("ip")?,
                user_agent: r.try_get("user_agent")?,
            })
        })
        .transpose()
    }

    pub async fn insert(&self, s: &NewSession<'_>, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, pending_totp, created_at, last_seen_at, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
        )
        .bind(s.token_hash)
        .bind(s.user_id)
        .bind(s.csrf_token)
        .bind(i64::from(s.pending_totp))
        .bind(now)
        .bind(s.ip)
        .bind(s.user_agent)
        .execute(self.0.write())
        .await?;
        Ok(())
    }

    pub async fn touch(&self, token_hash: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(now)
            .execute(self.0.write())
            .await?;
        Ok(())
    }

    pub async fn delete(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.0.write())
            .await?;
        Ok(())
    }

    /// Ends every session of a user (password change, disabling, "log out everywhere").
    pub async fn delete_for_user(&self, user_id: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(self.0.write())
            .await?
            .rows_affected())
    }

    /// Deletes sessions idle since `idle_before` or created before `created_before`.
    pub async fn delete_expired(&self, idle_before: i64, created_before: i64) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
                .bind(idle_before)
                .bind(created_before)
                .execute(self.0.write())
                .await?
                .rows_affected(),
        )
    }

    /// Records a failed login against each scope ("user:NAME", "ip:ADDR").
    pub async fn add_failure(&self, scopes: &[&str], now: i64) -> Result<()> {
        for scope in scopes {
            sqlx::query("INSERT INTO login_failures (scope, at) VALUES ($1, $2)")
                .bind(*scope)
                .bind(now)
                .execute(self.0.write())
                .await?;
        }
        Ok(())
    }

    /// Failures of a scope since `since`: how many, and the time of the last.
    pub async fn failures_since(&self, scope: &str, since: i64) -> Result<(i64, Option<i64>)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MAX(at) AS last FROM login_failures WHERE scope = $1 AND at >= $2",
        )
        .bind(scope)
        .bind(since)
        .fetch_one(self.0.read())
        .await?;
        Ok((row.try_get("n")?, row.try_get("last")?))
    }

    /// Forgets the failures of a scope (a successful login, or an operator's unlock).
    pub async fn clear_failures(&self, scope: &str) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM login_failures WHERE scope = $1")
            .bind(scope)
            .execute(self.0.write())
            .await?
            .rows_affected())
    }

    /// Forgets the failures of every scope starting with `prefix`.
    pub async fn clear_failures_prefix(&self, prefix: &str) -> Result<u64> {
        let pattern = format!(
            "{}%",
            prefix
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        Ok(
            sqlx::query("DELETE FROM login_failures WHERE scope LIKE $1 ESCAPE '\\'")
                .bind(pattern)
                .execute(self.0.write())
                .await?
                .rows_affected(),
        )
    }

    pub async fn delete_failures_before(&self, before: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(before)
            .execute(self.0.write())
            .await?
            .rows_affected())
    }
}
