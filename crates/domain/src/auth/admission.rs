//! Letting a login attempt in: the throttle's decision and the attempt's record are one
//! step, and password checks (Argon2, about 19 MB each) run a few at a time.
//!
//! An attempt is recorded as a failure *before* its password is checked, in the transaction
//! that counted the ones before it, under a lock (SQLite's write lock; on PostgreSQL an
//! advisory lock per scope, which every node takes): a burst of concurrent attempts is let
//! in one by one, and no more than the budget reach Argon2. A success takes its record back.

use super::throttle;
use super::{Auth, LoginError};
use crate::Error;
use std::sync::Arc;

/// What a scope's failures allow.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// `free` failures, then waits that double (passwords).
    Doubling { free: u32 },
    /// `cap` failures within the window, then wait it out (second-factor codes).
    Cap { cap: u32 },
}

/// A scope and its rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget<'a> {
    pub scope: &'a str,
    pub rule: Rule,
}

/// An attempt let in: its records, to take back if it does not fail.
#[derive(Debug)]
#[must_use = "an attempt is a failure unless released"]
pub(crate) struct Ticket {
    ids: Vec<i64>,
    /// Codes tried in the half-open login so far, this one included.
    pub codes_tried: i64,
}

impl Ticket {
    /// Takes the attempt back in `tx` (it succeeded, or was never checked).
    pub async fn release_in(self, auth: &Auth, tx: &mut cong_store::Tx) -> Result<(), Error> {
        auth.store.throttle().release(tx, &self.ids).await?;
        Ok(())
    }

    /// Takes the attempt back on its own.
    pub async fn release(self, auth: &Auth) -> Result<(), Error> {
        let mut tx = auth.store.begin().await?;
        self.release_in(auth, &mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Auth {
    /// Lets an attempt in against `budgets`, or says how long to wait. With `code_login`
    /// (a half-open login's token hash), also counts a code tried in it; once
    /// [`super::CODES_PER_LOGIN`] were tried that login is over.
    pub(crate) async fn admit(
        &self,
        budgets: &[Budget<'_>],
        code_login: Option<&str>,
    ) -> Result<Ticket, LoginError> {
        let now = self.now();
        let window = super::secs(self.cfg.failure_window);
        let max = super::secs(self.cfg.max_wait);
        let throttle = self.store.throttle();
        let mut tx = self.store.begin().await?;
        let mut codes_tried = 0;
        if let Some(token_hash) = code_login {
            match self
                .store
                .sessions()
                .count_code_attempt(&mut tx, token_hash)
                .await?
            {
                Some(n) if n <= i64::from(super::CODES_PER_LOGIN) => codes_tried = n,
                _ => return Err(LoginError::LoginEnded),
            }
        }
        let scopes: Vec<&str> = budgets.iter().map(|b| b.scope).collect();
        throttle.lock(&mut tx, &scopes).await?;
        let mut wait = 0;
        for b in budgets {
            let (n, last) = throttle.count_since(&mut tx, b.scope, now - window).await?;
            wait = wait.max(match b.rule {
                Rule::Doubling { free } => throttle::wait(n, last, free, max, now),
                Rule::Cap { cap } => throttle::capped(n, last, cap, window, now),
            });
        }
        if wait > 0 {
            // Dropped: nothing recorded; a refused attempt costs nothing and counts nothing.
            return Err(LoginError::Throttled(wait));
        }
        let mut ids = Vec::with_capacity(budgets.len());
        for b in budgets {
            ids.push(throttle.record(&mut tx, b.scope, now).await?);
        }
        tx.commit().await?;
        Ok(Ticket { ids, codes_tried })
    }

    /// The budgets of a password attempt at an account (or a name that matches none) from
    /// `net`: the account there, and the network whatever it tries.
    pub(crate) fn password_scopes(
        &self,
        user_id: Option<i64>,
        name: &str,
        net: &str,
    ) -> Result<(String, String), Error> {
        let account = match user_id {
            Some(id) => throttle::account_scope(id, net),
            None => {
                let key = self.secrets.derive("cong login names v1")?;
                throttle::unknown_scope(&key, name, net)
            }
        };
        Ok((account, throttle::address_scope(net)))
    }

    pub(crate) fn password_budgets<'a>(
        &self,
        account: &'a str,
        address: &'a str,
    ) -> [Budget<'a>; 2] {
        [
            Budget {
                scope: account,
                rule: Rule::Doubling {
                    free: self.cfg.free_failures_per_account,
                },
            },
            Budget {
                scope: address,
                rule: Rule::Doubling {
                    free: self.cfg.free_failures_per_address,
                },
            },
        ]
    }

    /// Runs Argon2 off the async threads, at most `auth.password_checks_at_once` at a time.
    /// A caller that waits longer than `auth.password_check_wait` gets [`LoginError::Busy`].
    /// The turn is held by the blocking task itself, so a client that hangs up does not
    /// free it while the hash still runs.
    pub(crate) async fn argon<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, LoginError> {
        let wait = std::time::Duration::from_millis(
            u64::try_from(self.cfg.password_check_wait.as_millis()).unwrap_or(0),
        );
        let permit = match tokio::time::timeout(wait, Arc::clone(&self.hashing).acquire_owned())
            .await
        {
            Ok(Ok(p)) => p,
            Ok(Err(_)) => return Err(Error::Internal("password checks closed".to_owned()).into()),
            Err(_) => {
                return Err(LoginError::Busy(
                    super::secs(self.cfg.password_check_wait) + 1,
                ));
            }
        };
        tokio::task::spawn_blocking(move || {
            let _turn = permit;
            f()
        })
        .await
        .map_err(|e| Error::Internal(format!("password task: {e}")).into())
    }
}
