//! Back-office sessions: the cookie's token is stored hashed.

use crate::sql::flag;
use crate::{Result, Store, Tx};
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

    /// Opens a session, in the transaction of the login that made it.
    pub async fn insert(&self, tx: &mut Tx, s: &NewSession<'_>, now: i64) -> Result<()> {
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
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// Notes that a session is in use (at most once a minute: not worth a transaction).
    pub async fn touch(&self, token_hash: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(now)
            .execute(self.0.write())
            .await?;
        Ok(())
    }

    pub async fn delete(&self, tx: &mut Tx, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    /// Ends every session of a user (password change, disabling, "log out everywhere").
    pub async fn delete_for_user(&self, tx: &mut Tx, user_id: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(tx.conn())
            .await?
            .rows_affected())
    }

    /// Counts one more code tried in a half-open second-factor login: the number so far,
    /// or None when that login is gone.
    pub async fn count_code_attempt(&self, tx: &mut Tx, token_hash: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "UPDATE sessions SET totp_attempts = totp_attempts + 1 \
             WHERE token_hash = $1 AND pending_totp = 1 RETURNING totp_attempts",
        )
        .bind(token_hash)
        .fetch_optional(tx.conn())
        .await?)
    }

    /// Deletes sessions idle since `idle_before` or created before `created_before`, and
    /// half-open ones (second factor still to come) created before `pending_before`.
    pub async fn delete_expired(
        &self,
        idle_before: i64,
        created_before: i64,
        pending_before: i64,
    ) -> Result<u64> {
        Ok(sqlx::query(
            "DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2 \
             OR (pending_totp = 1 AND created_at <= $3)",
        )
        .bind(idle_before)
        .bind(created_before)
        .bind(pending_before)
        .execute(self.0.write())
        .await?
        .rows_affected())
    }

    /// Every session (for tests and checks).
    pub async fn count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(self.0.read())
            .await?)
    }
}
