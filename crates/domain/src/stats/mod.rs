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
//!
//! Here: the service and the counting of a request. What pages show is in [`shown`], the
//! background task in [`flusher`], the rules in memory in [`tracker`].

mod batch;
mod board;
mod bots;
mod calendar;
mod client;
mod flush;
mod flusher;
mod identity;
mod report;
mod shown;
mod tracker;

pub use batch::Batch;
pub use bots::{BotFilter, BotMatch, BotPattern, PatternError};
pub use calendar::{Calendar, PeriodKeys};
pub use client::{client_ip, is_prefetch};
pub use flush::Applied;
pub use identity::{Secret, VisitorId, new_secret, visitor_id};
pub use report::{DayFigures, MonthFigures, PublishedCount, ReadPeriod, date_of};
pub use shown::Widget;
pub use tracker::{Limits, Losses, Outcome, Rules, SiteVisitor, Tracker};

use crate::{Clock, Error, Result};
use cong_config::StatsConfig;
use cong_store::{SiteId, Store};
use ipnet::IpNet;
use shown::Snapshot;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

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
}

#[cfg(test)]
mod report_tests;
#[cfg(test)]
mod tests;
