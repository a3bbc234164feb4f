//! Password-reset links: each token kept only as its hash, single-use, valid until a time.

use crate::{Result, Store, Tx};

pub struct PasswordResets<'a>(&'a Store);

impl Store {
    pub fn password_resets(&self) -> PasswordResets<'_> {
        PasswordResets(self)
    }
}

impl PasswordResets<'_> {
    /// Records a new link for `user_id`, valid until `expires_at`.
    pub async fn insert(
        &self,
        tx: &mut Tx,
        token_hash: &str,
        user_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// The account of a link not used and not expired at `now`.
    pub async fn find_valid(&self, token_hash: &str, now: i64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT user_id FROM password_resets \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.0.read())
        .await?)
    }

    /// Uses a link: its account, or None when it was used, expired or never was. One
    /// guarded UPDATE, so of two uses at once only one gets the account.
    pub async fn take(&self, tx: &mut Tx, token_hash: &str, now: i64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "UPDATE password_resets SET used_at = $2 \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(tx.conn())
        .await?)
    }

    /// Ends every other link of an account (its password just changed).
    pub async fn end_for_user(&self, tx: &mut Tx, user_id: i64, now: i64) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .bind(now)
        .execute(tx.conn())
        .await?
        .rows_affected())
    }

    /// Forgets links that expired before `before`.
    pub async fn delete_expired(&self, before: i64) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
                .bind(before)
                .execute(self.0.write())
                .await?
                .rows_affected(),
        )
    }
}
