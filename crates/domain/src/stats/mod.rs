//! Visitor statistics and view counts, exactly as DESIGN.md defines them.
//!
//! The request path only touches memory: [`Stats::count`] hashes the visitor and records
//! the view in the [`Tracker`]. A background task ([`Stats::run`]) flushes batches about
//! every second and at shutdown. What a page shows is the stored numbers plus what this
//! node has not flushed yet, so a reader's own view shows at once.
//!
//! Every number of the widget is per site: [`Stats::count`] takes the site the request
//! reached, a reader of two sites is one visitor of each, and [`Stats::widget`] shows one
//! site's numbers. Article views need no site (an article belongs to one).

mod board;
mod bots;
mod calendar;
mod client;
mod flush;
mod identity;
mod report;
mod tracker;

pub use bots::{BotFilter, BotMatch, BotPattern, PatternError};
pub use calendar::{Calendar, PeriodKeys};
pub use client::{client_ip, is_prefetch};
pub use flush::Applied;
pub use identity::{Secret, VisitorId, new_secret, visitor_id};
pub use report::{DayFigures, MonthFigures, PublishedCount, ReadPeriod, date_of};
pub use tracker::{Batch, Limits, Losses, Outcome, Rules, SiteVisitor, Tracker};

use crate::{Clock, Error, Result};
use cong_config::StatsConfig;
use cong_store::stats::VisitCounts;
use cong_store::{SiteId, Store};
use ipnet::IpNet;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

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

/// What the web layer knows of a request, for deciding whether and whom to count.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub peer: IpAddr,
    pub forwarded_for: Vec<&'a str>,
    pub user_agent: Option<&'a str>,
    /// A GET (a HEAD is never counted).
    pub is_get: bool,
    pub is_prefetch: bool,
}

/// The store's numbers as last read, and for which periods: every site's.
#[derive(Debug, Clone, Default)]
struct Snapshot {
    keys: Option<PeriodKeys>,
    /// Visit counters and visitors online, per site (a site with none is absent).
    sites: HashMap<SiteId, (VisitCounts, i64)>,
    /// Each site's starting offset for the total, where its settings give one.
    offsets: HashMap<SiteId, i64>,
}

impl Snapshot {
    /// Adds what `batch` counted, as this node estimated it (when the store's new numbers
    /// could not be read after it was committed).
    fn add_estimate(&mut self, batch: &Batch) {
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

/// A batch handed to the store; `seq` is set once its transaction has taken a number.
#[derive(Debug)]
struct InFlight {
    batch: Arc<Batch>,
    seq: Option<i64>,
}

#[derive(Debug)]
struct State {
    tracker: Tracker,
    in_flight: Option<InFlight>,
    /// Recent flushes' view deltas by sequence, for readers whose count predates them.
    committed: VecDeque<(i64, HashMap<i64, i64>)>,
    /// The newest flush dropped from `committed`: a stored count read before it cannot be
    /// brought up to date from memory.
    forgotten_seq: i64,
    snapshot: Snapshot,
}

/// How many committed flushes are remembered for readers racing a commit.
const COMMITTED_KEPT: usize = 32;

/// How often secrets are renewed and old memory pruned, in flushes.
const MAINTAIN_EVERY: u32 = 60;

/// The statistics service of one node.
pub struct Stats {
    store: Store,
    clock: Arc<dyn Clock>,
    calendar: Calendar,
    rules: Rules,
    /// The configured starting offset (`stats.total_offset`): site 1's, unless its
    /// settings give another.
    total_offset: i64,
    flush_interval: Duration,
    bots: BotFilter,
    trusted: Vec<IpNet>,
    secrets: RwLock<HashMap<i64, Secret>>,
    state: Mutex<State>,
    board: board::Board,
    /// When the last warning about dropped views was logged (at most one a minute).
    drop_warned: Mutex<Option<std::time::Instant>>,
    /// When the store last took what this node had gathered (or there was nothing to take),
    /// as epoch milliseconds; 0 before the first time.
    flushed_at: std::sync::atomic::AtomicI64,
}

impl std::fmt::Debug for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stats").field("rules", &self.rules).finish()
    }
}

fn secs(d: jiff::SignedDuration) -> i64 {
    d.as_secs().max(0)
}

impl Stats {
    /// Prepares the service ([`Stats::new`] then [`Stats::prepare`]).
    pub async fn start(
        store: Store,
        cfg: &StatsConfig,
        calendar: Calendar,
        trusted: Vec<IpNet>,
        clock: Arc<dyn Clock>,
    ) -> Result<Stats> {
        let stats = Stats::new(store, cfg, calendar, trusted, clock)?;
        stats.prepare().await?;
        Ok(stats)
    }

    /// The service, without touching the store: it counts nothing until [`Stats::prepare`]
    /// has loaded today's secret (so a node can start while its database is down).
    pub fn new(
        store: Store,
        cfg: &StatsConfig,
        calendar: Calendar,
        trusted: Vec<IpNet>,
        clock: Arc<dyn Clock>,
    ) -> Result<Stats> {
        let rules = Rules {
            visit_idle: secs(cfg.visit_idle),
            online_window: secs(cfg.online_window),
            view_dedupe: secs(cfg.view_dedupe),
        };
        let bots =
            BotFilter::new(&cfg.extra_bot_patterns).map_err(|e| Error::Invalid(e.to_string()))?;
        let flush_interval =
            Duration::from_millis(u64::try_from(cfg.flush_interval.as_millis()).unwrap_or(1000));
        let stats = Stats {
            store,
            clock,
            calendar: calendar.clone(),
            rules,
            total_offset: i64::try_from(cfg.total_offset).unwrap_or(i64::MAX),
            flush_interval,
            bots,
            trusted,
            secrets: RwLock::new(HashMap::new()),
            board: board::Board::default(),
            drop_warned: Mutex::new(None),
            flushed_at: std::sync::atomic::AtomicI64::new(0),
            state: Mutex::new(State {
                tracker: Tracker::with_limits(
                    rules,
                    calendar,
                    Limits {
                        max_visitors: usize::try_from(cfg.max_visitors).unwrap_or(usize::MAX),
                        max_pending: usize::try_from(cfg.max_pending).unwrap_or(usize::MAX),
                    },
                ),
                in_flight: None,
                committed: VecDeque::new(),
                forgotten_seq: 0,
                snapshot: Snapshot::default(),
            }),
        };
        Ok(stats)
    }

    /// Loads today's and tomorrow's secrets, what the store remembers of recent visitors
    /// (so a restart keeps recognising them), and the stored numbers.
    pub async fn prepare(&self) -> Result<()> {
        self.maintain().await?;
        let now = self.now();
        let rules = self.rules;
        let store = self.store.stats();
        let visitors = store
            .list_visitors_since(now - rules.visit_idle.max(rules.online_window))
            .await?;
        let views = if rules.view_dedupe > 0 {
            store
                .list_article_seen_since(now - rules.view_dedupe)
                .await?
        } else {
            Vec::new()
        };
        self.state().tracker.remember(&visitors, &views);
        self.refresh_snapshot().await?;
        Ok(())
    }

    fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    /// The state lock; a panic while holding it leaves counts that are still usable.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn bots(&self) -> &BotFilter {
        &self.bots
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn rules(&self) -> Rules {
        self.rules
    }

    /// Counts a public page of `site` answered 200 (`article` when it is an article page),
    /// unless the request is a HEAD, a prefetch or from a bot. Memory only; returns what was
    /// counted.
    pub fn count(&self, site: SiteId, hit: &Hit<'_>, article: Option<i64>) -> Option<Outcome> {
        if !hit.is_get || hit.is_prefetch || self.bots.is_bot(hit.user_agent) {
            return None;
        }
        let ip = client_ip(hit.peer, &hit.forwarded_for, &self.trusted);
        let now = self.now();
        let day = self.calendar.day(now);
        let secret = self
            .secrets
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&day)
            .copied();
        let Some(secret) = secret else {
            // Tomorrow's secret is made a day ahead; missing means the store has been
            // unreachable since before midnight. Counting resumes when it is back.
            tracing::warn!(day, "no visitor secret for today yet; request not counted");
            return None;
        };
        let visitor = visitor_id(&secret, ip, hit.user_agent.unwrap_or_default());
        let outcome = self.state().tracker.record(site, visitor, now, article);
        if outcome.dropped {
            self.warn_dropped();
        }
        Some(outcome)
    }

    /// Logs, at most once a minute, that views are being dropped and why.
    fn warn_dropped(&self) {
        let mut warned = self.drop_warned.lock().unwrap_or_else(|p| p.into_inner());
        if warned.is_some_and(|w| w.elapsed() < Duration::from_secs(60)) {
            return;
        }
        *warned = Some(std::time::Instant::now());
        drop(warned);
        let (losses, pending) = {
            let st = self.state();
            (st.tracker.losses(), st.tracker.pending_len())
        };
        tracing::warn!(
            pending,
            dropped = losses.dropped,
            "visitor statistics: the batch waiting for a flush is full (stats.max_pending); \
             views of visitors new to it are not counted until the store takes it"
        );
    }

    /// What the memory limits have cost since start, and the sizes they bound: visitors and
    /// pairs remembered, sightings waiting for a flush.
    pub fn memory(&self) -> (Losses, (usize, usize), usize) {
        let st = self.state();
        (
            st.tracker.losses(),
            st.tracker.remembered(),
            st.tracker.pending_len(),
        )
    }

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

    async fn read_snapshot(&self) -> Result<Snapshot> {
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

#[cfg(test)]
mod report_tests;
#[cfg(test)]
mod tests;
