//! The login throttle's rows: an attempt is recorded (under a lock, in the transaction that
//! counts the ones before it) before any password is checked, and deleted again when it
//! succeeds; what is left are failures. Also the daily tallies of failures that are counted
//! rather than audited one by one.

use crate::{Backend, Result, Store, Tx};
use sqlx::Row;

pub struct Throttle<'a>(&'a Store);

impl Store {
    pub fn throttle(&self) -> Throttle<'_> {
        Throttle(self)
    }
}

/// Classes of the throttle's advisory locks on PostgreSQL (two-key locks, apart from the
/// one-key flush lock); the second key is the scope's hash.
const LOCK_CLASS: i32 = 7_262_687;

impl Throttle<'_> {
    /// Takes the throttle's lock on `scopes` until `tx` ends, so that counting and recording
    /// an attempt is one step for every node. On SQLite the transaction already holds the
    /// database's write lock. Scopes are locked in sorted order, so two attempts never wait
    /// on each other crosswise.
    pub async fn lock(&self, tx: &mut Tx, scopes: &[&str]) -> Result<()> {
        if tx.backend() == Backend::Sqlite {
            return Ok(());
        }
        let mut sorted = scopes.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        for scope in sorted {
            sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                .bind(LOCK_CLASS)
                .bind(scope)
                .execute(tx.conn())
                .await?;
        }
        Ok(())
    }

    /// Attempts of a scope at or after `since`: how many, and the time of the last.
    pub async fn count_since(
        &self,
        tx: &mut Tx,
        scope: &str,
        since: i64,
    ) -> Result<(i64, Option<i64>)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MAX(at) AS last FROM login_failures WHERE scope = $1 AND at >= $2",
        )
        .bind(scope)
        .bind(since)
        .fetch_one(tx.conn())
        .await?;
        Ok((row.try_get("n")?, row.try_get("last")?))
    }

    /// The first attempt of a scope at or after `since` (when its window frees a place).
    pub async fn oldest_since(&self, tx: &mut Tx, scope: &str, since: i64) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT MIN(at) FROM login_failures WHERE scope = $1 AND at >= $2")
                .bind(scope)
                .bind(since)
                .fetch_one(tx.conn())
                .await?,
        )
    }

    /// Records an attempt against a scope; its id lets a success take it back.
    pub async fn record(&self, tx: &mut Tx, scope: &str, now: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO login_failures (scope, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(scope)
        .bind(now)
        .fetch_one(tx.conn())
        .await?)
    }

    /// Takes back attempts that did not fail (the password was right, or it was never
    /// checked).
    pub async fn release(&self, tx: &mut Tx, ids: &[i64]) -> Result<()> {
        for id in ids {
            sqlx::query("DELETE FROM login_failures WHERE id = $1")
                .bind(*id)
                .execute(tx.conn())
                .await?;
        }
        Ok(())
    }

    /// Forgets the failures of a scope (a whole login succeeded).
    pub async fn clear(&self, tx: &mut Tx, scope: &str) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM login_failures WHERE scope = $1")
            .bind(scope)
            .execute(tx.conn())
            .await?
            .rows_affected())
    }

    /// Forgets the failures of every scope starting with `prefix` (an operator's unlock).
    pub async fn clear_prefix(&self, tx: &mut Tx, prefix: &str) -> Result<u64> {
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
                .execute(tx.conn())
                .await?
                .rows_affected(),
        )
    }

    /// Forgets attempts older than `before` (they no longer count), but those of the public
    /// forms (scopes "form:…"), which count for an hour: [`Throttle::delete_forms_before`].
    pub async fn delete_before(&self, before: i64) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM login_failures WHERE at < $1 AND scope NOT LIKE 'form:%'")
                .bind(before)
                .execute(self.0.write())
                .await?
                .rows_affected(),
        )
    }

    /// Forgets the public forms' sendings older than `before`.
    pub async fn delete_forms_before(&self, before: i64) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM login_failures WHERE at < $1 AND scope LIKE 'form:%'")
                .bind(before)
                .execute(self.0.write())
                .await?
                .rows_affected(),
        )
    }

    /// Every attempt row (for tests and checks).
    pub async fn count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM login_failures")
            .fetch_one(self.0.read())
            .await?)
    }

    /// Every scope with rows, for tests that check what is (not) stored.
    pub async fn scopes(&self) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT DISTINCT scope FROM login_failures ORDER BY scope")
                .fetch_all(self.0.read())
                .await?,
        )
    }

    /// Adds one to the tally of `kind` on the day starting at `day`.
    pub async fn tally(&self, tx: &mut Tx, day: i64, kind: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO login_tallies (day, kind, n) VALUES ($1, $2, 1) \
             ON CONFLICT (day, kind) DO UPDATE SET n = login_tallies.n + 1",
        )
        .bind(day)
        .bind(kind)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// The tally of `kind` over the days starting at or after `since`.
    pub async fn tally_since(&self, kind: &str, since: i64) -> Result<i64> {
        let n: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(n) AS BIGINT) FROM login_tallies WHERE kind = $1 AND day >= $2",
        )
        .bind(kind)
        .bind(since)
        .fetch_one(self.0.read())
        .await?;
        Ok(n.unwrap_or(0))
    }

    /// Forgets tallies of days before `before`.
    pub async fn delete_tallies_before(&self, before: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM login_tallies WHERE day < $1")
            .bind(before)
            .execute(self.0.write())
            .await?
            .rows_affected())
    }
}
