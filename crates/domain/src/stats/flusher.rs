//! The flusher: the background task that hands each batch to the store ([`super::flush`]),
//! renews the secrets and prunes memory now and then, and flushes what is left at shutdown.

use super::flush::Applied;
use super::{InFlight, Secret, Stats, flush, new_secret};
use crate::{Error, Result};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How many committed flushes are remembered for readers racing a commit.
const COMMITTED_KEPT: usize = 32;

/// How often secrets are renewed and old memory pruned, in flushes.
const MAINTAIN_EVERY: u32 = 60;

impl Stats {
    /// Writes what has been gathered (a batch that failed before is retried first, alone).
    /// Returns what was stored, or `None` when there was nothing to write.
    pub async fn flush(&self) -> Result<Option<Applied>> {
        let batch = {
            let mut st = self.state();
            if st.in_flight.is_none() {
                let b = st.tracker.take_batch();
                if b.is_empty() {
                    return Ok(None);
                }
                st.in_flight = Some(InFlight {
                    batch: Arc::new(b),
                    seq: None,
                });
            }
            st.in_flight
                .as_ref()
                .map(|f| Arc::clone(&f.batch))
                .ok_or_else(|| Error::Internal("in-flight batch vanished".to_owned()))?
        };
        let applied = flush::apply(&self.store, &batch, self.rules, &self.calendar, |seq| {
            if let Some(f) = self.state().in_flight.as_mut() {
                f.seq = Some(seq);
            }
        })
        .await;
        let applied = match applied {
            Ok(a) => a,
            Err(e) => {
                // Nothing of it was committed; it stays in flight and is tried again.
                if let Some(f) = self.state().in_flight.as_mut() {
                    f.seq = None;
                }
                return Err(e.into());
            }
        };
        let snapshot = self.read_snapshot().await;
        let mut st = self.state();
        st.committed
            .push_back((applied.seq, applied.article_views.clone()));
        while st.committed.len() > COMMITTED_KEPT {
            if let Some((seq, _)) = st.committed.pop_front() {
                st.forgotten_seq = st.forgotten_seq.max(seq);
            }
        }
        match snapshot {
            Ok(s) => st.snapshot = s,
            Err(e) => {
                // Committed, but the new totals could not be read: carry this node's
                // estimate so the widget does not drop until the next read succeeds.
                tracing::warn!(error = %e, "stats snapshot not refreshed after flush");
                st.snapshot.add_estimate(&batch);
            }
        }
        st.in_flight = None;
        Ok(Some(applied))
    }

    /// Makes sure today's and tomorrow's secrets exist and are loaded, deletes older ones,
    /// and forgets visitors and views older than the windows.
    pub async fn maintain(&self) -> Result<()> {
        let now = self.now();
        let today = self.calendar.day(now);
        let stats = self.store.stats();
        let mut loaded = HashMap::new();
        for day in [today, today + 1] {
            let stored = stats.ensure_secret(day, &new_secret()).await?;
            let secret: Secret = stored
                .try_into()
                .map_err(|_| Error::Internal(format!("stored secret for day {day} is damaged")))?;
            loaded.insert(day, secret);
        }
        *self.secrets.write().unwrap_or_else(|p| p.into_inner()) = loaded;
        stats.delete_secrets_before(today).await?;
        let r = self.rules;
        stats
            .prune(now - r.visit_idle.max(r.online_window), now - r.view_dedupe)
            .await?;
        self.state().tracker.forget_before(now);
        self.board.prune();
        Ok(())
    }

    /// Re-reads the stored numbers when another node says it has flushed.
    pub async fn on_remote_flush(&self) {
        if let Err(e) = self.refresh_snapshot().await {
            tracing::debug!(error = %e, "stats snapshot not refreshed after a remote flush");
        }
        self.reread_hot().await;
    }

    /// The flusher: flushes every interval until `stop` resolves, then once more so a
    /// graceful stop loses nothing. Store errors are logged and retried. When `notify` is
    /// given it is called after each flush that wrote something (to tell other nodes).
    pub async fn run<N, F>(self: Arc<Self>, stop: impl Future<Output = ()>, notify: N)
    where
        N: Fn() -> F,
        F: Future<Output = ()>,
    {
        let mut tick = tokio::time::interval(self.flush_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tokio::pin!(stop);
        let mut ticks: u32 = 0;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = &mut stop => break,
            }
            ticks = ticks.wrapping_add(1);
            if ticks.is_multiple_of(MAINTAIN_EVERY)
                && let Err(e) = self.maintain().await
            {
                tracing::warn!(error = %e, "stats maintenance failed; will retry");
            }
            if !self.is_prepared() {
                // Started while the store was down: keep trying.
                if let Err(e) = self.prepare().await {
                    tracing::debug!(error = %e, "stats not prepared yet");
                    continue;
                }
            }
            let started = std::time::Instant::now();
            let flushed = self.flush().await;
            if flushed.is_ok() {
                metrics::histogram!("cong_stats_flush_seconds")
                    .record(started.elapsed().as_secs_f64());
                self.flushed_at.store(
                    self.clock.now().as_millisecond(),
                    std::sync::atomic::Ordering::Relaxed,
                );
            }
            match flushed {
                Ok(Some(_)) => notify().await,
                Ok(None) => {
                    if let Err(e) = self.refresh_snapshot().await {
                        tracing::warn!(error = %e, "stats snapshot not refreshed");
                    }
                }
                Err(e) => {
                    metrics::counter!("cong_stats_flush_failures_total").increment(1);
                    tracing::warn!(error = %e, "stats flush failed; will retry");
                }
            }
        }
        self.flush_all().await;
    }

    /// How long since the store last took this node's counts (None before the first flush):
    /// it grows while the database is away.
    pub fn flush_lag(&self) -> Option<Duration> {
        let at = self.flushed_at.load(std::sync::atomic::Ordering::Relaxed);
        (at > 0).then(|| {
            let now = self.clock.now().as_millisecond();
            Duration::from_millis(u64::try_from(now - at).unwrap_or(0))
        })
    }

    /// True once today's secret is loaded, so views can be counted.
    pub fn is_prepared(&self) -> bool {
        let today = self.calendar.day(self.now());
        self.secrets
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(&today)
    }

    /// Flushes until nothing is left (at shutdown), giving up after a few failures.
    pub async fn flush_all(&self) {
        for attempt in 1..=5 {
            match self.flush().await {
                Ok(None) => return,
                Ok(Some(a)) => {
                    tracing::debug!(seq = a.seq, visits = a.visits, "flushed");
                }
                Err(e) => {
                    tracing::error!(error = %e, attempt, "final stats flush failed");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
    }
}
