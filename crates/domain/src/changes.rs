//! Following changes made through any node: the one mechanism by which what a node keeps in
//! memory (caches, search index, sessions, the counters' snapshot) catches up with the store.
//!
//! Writers record a change (`cong_store::changes`); on PostgreSQL that sends a NOTIFY in the
//! same transaction. Each node's [`ChangeFeed`] wakes on a notification, on its own process's
//! bell, on reconnecting after the database was away, and every few seconds regardless; each
//! time it reads the change log after the last id it delivered, and publishes every new
//! change to its subscribers, in id order. Ids can commit out of order on PostgreSQL, so the
//! last few ids are read again and duplicates skipped.

use cong_store::Store;
use cong_store::changes::Wake;
pub use cong_store::changes::{ChangeKind, ChangeRow};
use std::collections::BTreeSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

/// What subscribers hear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Something changed (an article, a page, a section, …).
    Changed(ChangeRow),
    /// A node flushed its counters: stored numbers moved.
    StatsFlushed,
}

/// How far back ids are read again, for transactions that committed out of id order.
const REREAD: i64 = 64;
/// Longest wait between two reads of the log when nothing is heard.
const POLL: Duration = Duration::from_secs(5);
/// Changes read at once.
const BATCH: i64 = 500;

#[derive(Debug, Default)]
struct Delivered {
    last_id: i64,
    recent: BTreeSet<i64>,
}

pub struct ChangeFeed {
    store: Store,
    tx: broadcast::Sender<Event>,
    delivered: Mutex<Delivered>,
    /// One catch-up at a time: two reading the log at once (the follower's and a write's
    /// settle) would each see the other's pruning of `recent` and deliver old ids again.
    reading: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for ChangeFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeFeed").finish_non_exhaustive()
    }
}

impl ChangeFeed {
    pub fn new(store: Store) -> Self {
        let (tx, _) = broadcast::channel(1024);
        ChangeFeed {
            store,
            tx,
            delivered: Mutex::new(Delivered::default()),
            reading: tokio::sync::Mutex::new(()),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    fn delivered(&self) -> std::sync::MutexGuard<'_, Delivered> {
        self.delivered.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts from the newest change: what is in memory was just loaded from the store.
    pub async fn start_from_now(&self) -> crate::Result<()> {
        let last = self.store.changes().last_id().await?;
        // The re-read window below `last` is already reflected too: without marking it, the
        // first read would deliver up to REREAD old changes again.
        let seen = self
            .store
            .changes()
            .list_after((last - REREAD).max(0), BATCH)
            .await?;
        let mut d = self.delivered();
        d.last_id = last;
        d.recent = seen.iter().map(|r| r.id).filter(|id| *id <= last).collect();
        Ok(())
    }

    /// The newest change id delivered to subscribers.
    pub fn last_delivered(&self) -> i64 {
        self.delivered().last_id
    }

    /// Reads and publishes every change not delivered yet; returns how many.
    pub async fn catch_up(&self) -> crate::Result<usize> {
        let _one = self.reading.lock().await;
        let mut published = 0;
        loop {
            let from = (self.delivered().last_id - REREAD).max(0);
            let rows = self.store.changes().list_after(from, BATCH).await?;
            let full = rows.len() == usize::try_from(BATCH).unwrap_or(usize::MAX);
            let mut fresh = Vec::new();
            {
                let mut d = self.delivered();
                for row in rows {
                    if row.id > d.last_id || (row.id > from && !d.recent.contains(&row.id)) {
                        if d.recent.insert(row.id) {
                            fresh.push(row.clone());
                        }
                        d.last_id = d.last_id.max(row.id);
                    }
                }
                let keep_from = d.last_id - REREAD;
                d.recent = d.recent.split_off(&keep_from);
            }
            published += fresh.len();
            for row in fresh {
                // No subscriber is not an error: nothing in memory needs it yet.
                let _ = self.tx.send(Event::Changed(row));
            }
            if !full {
                return Ok(published);
            }
        }
    }

    /// Follows the log until `stop` resolves.
    pub async fn run(self: Arc<Self>, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        let mut listener = loop {
            match self.store.listen().await {
                Ok(l) => break l,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for changes yet; retrying");
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_secs(2)) => {}
                        () = &mut stop => return,
                    }
                }
            }
        };
        loop {
            let wake = tokio::select! {
                w = listener.next() => Some(w),
                () = tokio::time::sleep(POLL) => None,
                () = &mut stop => return,
            };
            match wake {
                Some(Wake::Stats) => {
                    let _ = self.tx.send(Event::StatsFlushed);
                    continue;
                }
                Some(Wake::Reconnected) => {
                    tracing::info!("change listener reconnected; catching up");
                    let _ = self.tx.send(Event::StatsFlushed);
                }
                Some(Wake::Changes) | None => {}
            }
            if let Err(e) = self.catch_up().await {
                tracing::debug!(error = %e, "change log not read; will retry");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cong_config::DatabaseConfig;
    use cong_store::testing::{TestDb, backend};
    use tokio::time::timeout;

    async fn store(url: &str) -> Store {
        let s = Store::open(&DatabaseConfig {
            url: url.to_owned(),
            ..DatabaseConfig::default()
        })
        .await
        .expect("open");
        s.migrate().await.expect("migrate");
        s
    }

    async fn next_change(rx: &mut broadcast::Receiver<Event>) -> ChangeRow {
        loop {
            match timeout(Duration::from_secs(10), rx.recv()).await {
                Ok(Ok(Event::Changed(row))) => return row,
                Ok(Ok(Event::StatsFlushed)) => continue,
                other => panic!("no change delivered: {other:?}"),
            }
        }
    }

    /// Two nodes on one database: a change recorded through one reaches the other, in order,
    /// once each; after the listener's connection is cut, what happened meanwhile arrives.
    #[tokio::test]
    async fn changes_reach_the_other_node_and_survive_a_lost_connection() {
        let dir = tempfile::tempdir().expect("dir");
        let db = TestDb::create(backend(), dir.path()).await;
        let a = store(db.url()).await;
        let b = store(db.url()).await;
        let feed = Arc::new(ChangeFeed::new(b.clone()));
        feed.start_from_now().await.expect("start");
        let mut rx = feed.subscribe();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let runner = tokio::spawn(feed.clone().run(async {
            let _ = stop_rx.await;
        }));
        // Let the listener subscribe before the first change.
        tokio::time::sleep(Duration::from_millis(300)).await;

        let first = a
            .changes()
            .record_alone(ChangeKind::Article, 7, 1)
            .await
            .expect("record");
        let got = next_change(&mut rx).await;
        assert_eq!(
            (got.id, got.kind, got.entity_id),
            (first, Some(ChangeKind::Article), 7)
        );

        if backend() == cong_store::Backend::Postgres {
            // Cut every listening connection of the server; the listener must reconnect.
            let admin = store(db.url()).await;
            let cut = admin.terminate_listeners().await.expect("terminate");
            assert!(cut >= 1, "the listener was connected");
        }
        let mut ids = Vec::new();
        for n in 0..3 {
            ids.push(
                a.changes()
                    .record_alone(ChangeKind::Page, n, 2)
                    .await
                    .expect("record"),
            );
        }
        let mut seen = Vec::new();
        for _ in 0..3 {
            seen.push(next_change(&mut rx).await.id);
        }
        assert_eq!(seen, ids, "every change once, in order");
        // Nothing is delivered twice, even after the re-read window passes again.
        feed.catch_up().await.expect("catch up");
        assert!(rx.try_recv().is_err(), "no duplicates");
        let _ = stop_tx.send(());
        runner.await.expect("runner");
    }

    /// A node starting up has just loaded what the log says: the changes already there are
    /// not delivered again (the re-read window included), only those recorded afterwards.
    #[tokio::test]
    async fn starting_from_now_delivers_only_later_changes() {
        let dir = tempfile::tempdir().expect("dir");
        let db = TestDb::create(backend(), dir.path()).await;
        let s = store(db.url()).await;
        for n in 0..5 {
            s.changes()
                .record_alone(ChangeKind::Article, n, 1)
                .await
                .expect("record");
        }
        let feed = ChangeFeed::new(s.clone());
        feed.start_from_now().await.expect("start");
        let mut rx = feed.subscribe();
        let later = s
            .changes()
            .record_alone(ChangeKind::Article, 99, 2)
            .await
            .expect("record");
        assert_eq!(
            feed.catch_up().await.expect("catch up"),
            1,
            "only the new change"
        );
        assert_eq!(next_change(&mut rx).await.id, later);
        assert!(rx.try_recv().is_err());
    }
}
