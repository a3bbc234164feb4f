//! Upkeep a running node does now and then: forgets expired sessions, old login failures
//! and expired password-reset links, spent form proofs, personal data past its retention,
//! prunes the change log, and retries a search-index
//! change that failed. Every step is safe on several nodes at once (deletes of what is old,
//! idempotent retries).

use crate::Clock;
use crate::auth::Auth;
use crate::search::Search;
use cong_store::Store;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How often the sweeps run; the search retry runs every [`RETRY`].
const SWEEP: Duration = Duration::from_secs(600);
const RETRY: Duration = Duration::from_secs(5);

pub struct Upkeep {
    pub store: Store,
    pub auth: Auth,
    pub search: Search,
    pub clock: Arc<dyn Clock>,
    /// How long the change log is kept (`database.changes_keep`), in seconds.
    pub changes_keep: i64,
    pub trash: crate::trash::Trash,
    /// Days things stay in the trash (`editorial.trash_keep_days`; 0: until emptied).
    pub trash_keep_days: u32,
    /// The public forms' spent proofs and hourly counts.
    pub forms: crate::forms::FormGuard,
    /// Personal data past its retention (`forms.retain_days`).
    pub privacy: crate::privacy::Privacy,
}

impl Upkeep {
    /// One round of sweeping; failures are logged, never fatal (the next round tries again).
    pub async fn sweep(&self) {
        match self.auth.sweep().await {
            Ok(s) if s == crate::auth::Swept::default() => {}
            Ok(s) => tracing::info!(
                sessions = s.sessions,
                login_attempts = s.attempts,
                tallies = s.tallies,
                "expired sessions and old login records swept"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "expired sessions and old login records not swept")
            }
        }
        // Password-reset links a day past their expiry (used or not) are of no more use.
        let day_ago = self.clock.now().as_second() - 86_400;
        match self.store.password_resets().delete_expired(day_ago).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(links = n, "expired password-reset links forgotten"),
            Err(e) => tracing::warn!(error = %e, "expired password-reset links not forgotten"),
        }
        let before = self.clock.now().as_second() - self.changes_keep;
        match self.store.changes().prune(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(changes = n, "old changes pruned from the log"),
            Err(e) => tracing::warn!(error = %e, "change log not pruned"),
        }
        match self.forms.forget_expired().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(rows = n, "spent form proofs and old form counts forgotten"),
            Err(e) => tracing::warn!(error = %e, "spent form proofs not forgotten"),
        }
        match self.privacy.expire().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(messages = n, "personal data past its retention erased"),
            Err(e) => tracing::warn!(error = %e, "personal data past its retention not erased"),
        }
        if self.trash_keep_days > 0 {
            match self.trash.purge_expired(self.trash_keep_days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(items = n, "old items in the trash deleted"),
                Err(e) => tracing::warn!(error = %e, "the trash not emptied of old items"),
            }
        }
    }

    /// Sweeps now and every [`SWEEP`], and retries a failed search change every [`RETRY`],
    /// until `stop`.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        let mut sweep = tokio::time::interval(SWEEP);
        let mut retry = tokio::time::interval(RETRY);
        sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        retry.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => return,
                _ = sweep.tick() => self.sweep().await,
                _ = retry.tick() => match self.search.retry().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(articles = n, "search index caught up after a failed change"),
                    Err(e) => tracing::warn!(error = %e, "search index still behind; retrying"),
                },
            }
        }
    }
}
