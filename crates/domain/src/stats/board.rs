//! Stored view counts of articles whose pages are served from memory: a cached page keeps no
//! count of its own, so the count it shows starts from here, read again about once a second
//! (in the background) so other nodes' views show too.

use super::Stats;
use crate::Result;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How old a stored count may be before a reader asks for it to be read again.
const FRESH: Duration = Duration::from_secs(1);
/// Counts shown this recently are read again as soon as another node has flushed.
const HOT: Duration = Duration::from_secs(10);
/// Counts not asked for in this long are forgotten.
const KEEP: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, Copy)]
struct Entry {
    stored: i64,
    seq: i64,
    read_at: Instant,
    used_at: Instant,
    rereading: bool,
}

#[derive(Debug, Default)]
pub(super) struct Board {
    entries: Mutex<HashMap<i64, Entry>>,
}

impl Board {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn put(&self, id: i64, stored: i64, seq: i64) {
        let mut map = self.lock();
        let e = map.entry(id).or_insert(Entry {
            stored,
            seq,
            read_at: Instant::now(),
            used_at: Instant::now(),
            rereading: false,
        });
        // Reads can finish out of order: a newer flush sequence wins.
        if seq >= e.seq {
            e.stored = stored;
            e.seq = seq;
        }
        e.read_at = Instant::now();
        e.rereading = false;
    }

    pub(super) fn prune(&self) {
        self.lock().retain(|_, e| e.used_at.elapsed() < KEEP);
    }

    /// Articles whose counts were shown in the last few seconds.
    fn hot(&self) -> Vec<i64> {
        self.lock()
            .iter()
            .filter(|(_, e)| e.used_at.elapsed() < HOT)
            .map(|(id, _)| *id)
            .collect()
    }
}

impl Stats {
    /// Remembers an article's stored count as a page render just read it.
    pub fn note_views(&self, article_id: i64, stored: i64, stored_seq: i64) {
        self.board.put(article_id, stored, stored_seq);
    }

    /// The article's view count now, as an uncached render would show it: the stored count
    /// this node last read plus what this node counted since. The stored count is read again
    /// in the background when it is over a second old, and at once when it is too old for
    /// this node's memory of its own flushes to bridge.
    pub async fn views_now(self: &Arc<Self>, article_id: i64) -> Result<i64> {
        let known = {
            let mut map = self.board.lock();
            map.get_mut(&article_id).map(|e| {
                e.used_at = Instant::now();
                let reread = e.read_at.elapsed() >= FRESH && !e.rereading;
                if reread {
                    e.rereading = true;
                }
                (*e, reread)
            })
        };
        if let Some((e, reread)) = known
            && let Some(n) = self.article_views_since(article_id, e.stored, e.seq)
        {
            if reread {
                let stats = Arc::clone(self);
                tokio::spawn(async move {
                    if let Err(err) = stats.reread(article_id).await {
                        tracing::debug!(error = %err, article_id, "view count not read again");
                        if let Some(e) = stats.board.lock().get_mut(&article_id) {
                            e.rereading = false;
                        }
                    }
                });
            }
            return Ok(n);
        }
        match self.reread(article_id).await {
            Ok((stored, seq)) => Ok(self.article_views(article_id, stored, seq)),
            // The store is away: the count as last known beats no page.
            Err(err) => match known {
                Some((e, _)) => Ok(self.article_views(article_id, e.stored, e.seq)),
                None => Err(err),
            },
        }
    }

    /// After another node flushed: the counts being shown are read again at once, so its
    /// views show here without waiting for a reader to find the count a second old.
    pub(super) async fn reread_hot(&self) {
        for id in self.board.hot() {
            if let Err(e) = self.reread(id).await {
                tracing::debug!(error = %e, "view counts not read again after a flush");
                return;
            }
        }
    }

    async fn reread(&self, article_id: i64) -> Result<(i64, i64)> {
        let (stored, seq) = self.store.articles().views_as_of(article_id).await?;
        self.board.put(article_id, stored, seq);
        Ok((stored, seq))
    }
}
