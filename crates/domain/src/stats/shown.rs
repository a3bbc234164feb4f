//! The numbers pages show: the store's as last read (the snapshot, every site's), plus what
//! this node has counted and not flushed yet, so a reader's own view shows at once.

use super::{Batch, PeriodKeys, State, Stats};
use crate::Result;
use cong_store::SiteId;
use cong_store::stats::VisitCounts;
use std::collections::HashMap;

/// The five rows of "Thống kê truy cập".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Widget {
    /// Đang truy cập
    pub online: i64,
    /// Hôm nay
    pub today: i64,
    /// Trong tuần
    pub week: i64,
    /// Tháng hiện tại
    pub month: i64,
    /// Tổng lượt truy cập (with the configured starting offset)
    pub total: i64,
}

/// The store's numbers as last read, and for which periods: every site's.
#[derive(Debug, Clone, Default)]
pub(super) struct Snapshot {
    keys: Option<PeriodKeys>,
    /// Visit counters and visitors online, per site (a site with none is absent).
    sites: HashMap<SiteId, (VisitCounts, i64)>,
    /// Each site's starting offset for the total, where its settings give one.
    offsets: HashMap<SiteId, i64>,
}

impl Snapshot {
    /// Adds what `batch` counted, as this node estimated it (when the store's new numbers
    /// could not be read after it was committed).
    pub(super) fn add_estimate(&mut self, batch: &Batch) {
        let Some(keys) = self.keys else {
            return;
        };
        let sites: std::collections::BTreeSet<SiteId> = batch
            .visits
            .keys()
            .map(|(s, _)| *s)
            .chain(batch.newly_online.keys().copied())
            .collect();
        for site in sites {
            let (d, w, m, t) = batch.visits_in(site, keys);
            let (counts, online) = self.sites.entry(site).or_default();
            counts.day += d;
            counts.week += w;
            counts.month += m;
            counts.total += t;
            *online += batch.newly_online_on(site);
        }
    }
}

/// A site's starting offset as its setting holds it: a whole number of visits, or nothing
/// (empty or not a number: the setting is not used).
fn parse_offset(value: &str) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(v.parse::<i64>().unwrap_or(i64::MAX))
}

impl Stats {
    /// `site`'s starting offset for the total: its setting, else (site 1) the configured
    /// one, else none.
    fn offset_of(&self, snap: &Snapshot, site: SiteId) -> i64 {
        match snap.offsets.get(&site) {
            Some(n) => *n,
            None if site == SiteId::FIRST => self.total_offset,
            None => 0,
        }
    }

    /// `site`'s visitor widget now: stored numbers plus what is not flushed yet.
    pub fn widget(&self, site: SiteId) -> Widget {
        let keys = self.calendar.keys(self.now());
        let st = self.state();
        let snap = &st.snapshot;
        let (counts, online) = snap.sites.get(&site).copied().unwrap_or_default();
        let same = |f: fn(&PeriodKeys) -> i64| snap.keys.is_some_and(|k| f(&k) == f(&keys));
        let mut w = Widget {
            online,
            today: if same(|k| k.day) { counts.day } else { 0 },
            week: if same(|k| k.week) { counts.week } else { 0 },
            month: if same(|k| k.month) { counts.month } else { 0 },
            total: counts.total.saturating_add(self.offset_of(snap, site)),
        };
        let unflushed = st
            .in_flight
            .iter()
            .map(|f| f.batch.as_ref())
            .chain(std::iter::once(st.tracker.pending()));
        for b in unflushed {
            let (d, wk, m, t) = b.visits_in(site, keys);
            w.today += d;
            w.week += wk;
            w.month += m;
            w.total = w.total.saturating_add(t);
            w.online += b.newly_online_on(site);
        }
        w
    }

    /// An article's view count to show: `stored` as read together with `stored_seq` (the
    /// flush sequence the same statement saw), plus this node's views that count lacks.
    pub fn article_views(&self, article_id: i64, stored: i64, stored_seq: i64) -> i64 {
        views_from(&self.state(), article_id, stored, stored_seq)
    }

    /// Like [`Stats::article_views`], or `None` when the stored count was read so long ago
    /// that flushes since have been forgotten (it must be read again).
    pub fn article_views_since(
        &self,
        article_id: i64,
        stored: i64,
        stored_seq: i64,
    ) -> Option<i64> {
        let st = self.state();
        (st.forgotten_seq <= stored_seq).then(|| views_from(&st, article_id, stored, stored_seq))
    }

    /// The store's numbers now, every site's.
    pub(super) async fn read_snapshot(&self) -> Result<Snapshot> {
        let now = self.now();
        let keys = self.calendar.keys(now);
        let stats = self.store.stats();
        let counts = stats.visit_counts(keys.day, keys.week, keys.month).await?;
        let mut online = stats
            .count_visitors_since(now - self.rules.online_window)
            .await?;
        let mut sites: HashMap<SiteId, (VisitCounts, i64)> = counts
            .into_iter()
            .map(|(site, c)| (site, (c, online.remove(&site).unwrap_or(0))))
            .collect();
        for (site, n) in online {
            sites.entry(site).or_default().1 = n;
        }
        let offsets = stats
            .total_offsets()
            .await?
            .into_iter()
            .filter_map(|(site, v)| parse_offset(&v).map(|n| (site, n)))
            .collect();
        Ok(Snapshot {
            keys: Some(keys),
            sites,
            offsets,
        })
    }

    /// Re-reads the stored numbers (also when nothing was flushed: the day may have turned,
    /// visitors gone offline, or another node flushed).
    pub async fn refresh_snapshot(&self) -> Result<()> {
        let s = self.read_snapshot().await?;
        let mut st = self.state();
        if st.in_flight.is_none() {
            st.snapshot = s;
        }
        Ok(())
    }
}

/// Stored views plus this node's views the store had not counted when they were read.
fn views_from(st: &State, article_id: i64, stored: i64, stored_seq: i64) -> i64 {
    let mut n = stored;
    for (seq, views) in &st.committed {
        if *seq > stored_seq {
            n += views.get(&article_id).copied().unwrap_or(0);
        }
    }
    if let Some(f) = &st.in_flight
        && f.seq.is_none_or(|s| s > stored_seq)
    {
        n += f.batch.article_views.get(&article_id).copied().unwrap_or(0);
    }
    n + st
        .tracker
        .pending()
        .article_views
        .get(&article_id)
        .copied()
        .unwrap_or(0)
}
