//! The counting rules as a state machine in memory: each counted page view goes in, the
//! batch to flush and the not-yet-flushed numbers come out. No I/O, no clock: every call
//! is given its time, so tests can step across any boundary.
//!
//! This node decides at once, from what it knows, so a reader sees their own view; the
//! flush decides again against what the store knows (other nodes, earlier runs), and that
//! decision is the one stored.
//!
//! Memory is bounded ([`Limits`]), since every new User-Agent is a new visitor. Past
//! `max_visitors`, the visitors seen longest ago are forgotten first: that only changes this
//! node's estimate before a flush (a forgotten reader's return may show as a new visit until
//! the flush, which decides against the store), never what is stored. Past `max_pending`
//! sightings waiting for a flush (the store unreachable for long, or a flood faster than the
//! flushes), page views of visitors new to the batch are not counted at all (nor article
//! views new to it): they are counted as dropped; the rest stay exact.
//!
//! Visitors are kept per site ([`SiteVisitor`]): a reader of two sites is one visitor of
//! each, with a visit and an online presence on each. An article's views need no site: an
//! article belongs to one.

use super::batch::{Batch, ViewSightings, VisitorSightings};
use super::calendar::Calendar;
use super::identity::VisitorId;
use cong_store::SiteId;
use std::collections::HashMap;

/// A visitor of one site.
pub type SiteVisitor = (SiteId, VisitorId);

/// The intervals of DESIGN.md, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// A visit ends after this long without a counted page view.
    pub visit_idle: i64,
    /// Online means a counted page view less than this long ago.
    pub online_window: i64,
    /// A repeat view of an article sooner than this is not counted; 0 counts every view.
    pub view_dedupe: i64,
}

impl Rules {
    /// True when a counted page view at `now`, after one at `last`, starts a new visit.
    pub fn starts_visit(&self, last: Option<i64>, now: i64) -> bool {
        last.is_none_or(|l| now - l >= self.visit_idle)
    }

    /// True when a view at `now`, after the last counted one at `last`, is counted.
    pub fn counts_view(&self, last_counted: Option<i64>, now: i64) -> bool {
        self.view_dedupe == 0 || last_counted.is_none_or(|l| now - l >= self.view_dedupe)
    }

    /// True when a visitor last seen at `last` is online at `now`.
    pub fn is_online(&self, last: i64, now: i64) -> bool {
        now - last < self.online_window
    }
}

/// What one counted page view did, as this node sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    pub new_visit: bool,
    pub view_counted: bool,
    /// Not counted (or its article view not counted): the batch waiting for a flush is full.
    pub dropped: bool,
}

/// How much a tracker may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Visitors (and, apart, visitor–article pairs) remembered between flushes.
    pub max_visitors: usize,
    /// Sightings (visitors plus visitor–article pairs) waiting for a flush.
    pub max_pending: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_visitors: 1_000_000,
            max_pending: 500_000,
        }
    }
}

/// What the limits have cost so far, since start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Losses {
    /// Page views not counted because the batch was full.
    pub dropped: u64,
    /// Remembered visitors (and pairs) forgotten early to stay within `max_visitors`.
    pub forgotten: u64,
}

/// This node's memory of recent visitors and the batch being gathered.
#[derive(Debug)]
pub struct Tracker {
    rules: Rules,
    calendar: Calendar,
    limits: Limits,
    last_seen: HashMap<SiteVisitor, i64>,
    article_seen: HashMap<(VisitorId, i64), i64>,
    pending: Batch,
    losses: Losses,
}

/// Forgets the oldest eighth of `map` (by the time each entry holds), so that evicting is
/// rare: one pass per `len / 8` new entries.
fn forget_oldest<K: Eq + std::hash::Hash>(map: &mut HashMap<K, i64>) -> u64 {
    let mut times: Vec<i64> = map.values().copied().collect();
    let cut = times.len() / 8;
    if cut == 0 {
        let n = map.len();
        map.clear();
        return n as u64;
    }
    let (_, oldest_kept, _) = times.select_nth_unstable(cut);
    let oldest_kept = *oldest_kept;
    let before = map.len();
    map.retain(|_, t| *t >= oldest_kept);
    (before - map.len()) as u64
}

impl Tracker {
    pub fn new(rules: Rules, calendar: Calendar) -> Self {
        Self::with_limits(rules, calendar, Limits::default())
    }

    pub fn with_limits(rules: Rules, calendar: Calendar, limits: Limits) -> Self {
        Tracker {
            rules,
            calendar,
            limits,
            last_seen: HashMap::new(),
            article_seen: HashMap::new(),
            pending: Batch::default(),
            losses: Losses::default(),
        }
    }

    /// What the limits have cost since start.
    pub fn losses(&self) -> Losses {
        self.losses
    }

    /// Sightings waiting for a flush (visitors plus visitor–article pairs).
    pub fn pending_len(&self) -> usize {
        self.pending.visitors.len() + self.pending.views.len()
    }

    /// Makes room for one more remembered entry in `map` when it is at the limit.
    fn room<K: Eq + std::hash::Hash>(map: &mut HashMap<K, i64>, max: usize, losses: &mut Losses) {
        if map.len() >= max.max(1) {
            losses.forgotten += forget_oldest(map);
        }
    }

    pub fn rules(&self) -> Rules {
        self.rules
    }

    /// Learns what the store remembers (at start, so a restart keeps recognising readers).
    pub fn remember(&mut self, visitors: &[(SiteVisitor, i64)], views: &[(VisitorId, i64, i64)]) {
        for (v, t) in visitors {
            if !self.last_seen.contains_key(v) {
                Self::room(
                    &mut self.last_seen,
                    self.limits.max_visitors,
                    &mut self.losses,
                );
            }
            let e = self.last_seen.entry(*v).or_insert(*t);
            *e = (*e).max(*t);
        }
        if self.rules.view_dedupe > 0 {
            for (v, a, t) in views {
                if !self.article_seen.contains_key(&(*v, *a)) {
                    Self::room(
                        &mut self.article_seen,
                        self.limits.max_visitors,
                        &mut self.losses,
                    );
                }
                let e = self.article_seen.entry((*v, *a)).or_insert(*t);
                *e = (*e).max(*t);
            }
        }
    }

    /// One counted page view by `reader` at `now` on `site`, of `article` if it is an
    /// article page (an article of that site).
    pub fn record(
        &mut self,
        site: SiteId,
        reader: VisitorId,
        now: i64,
        article: Option<i64>,
    ) -> Outcome {
        let visitor: SiteVisitor = (site, reader);
        let full = self.pending_len() >= self.limits.max_pending;
        if full && !self.pending.visitors.contains_key(&visitor) {
            self.losses.dropped += 1;
            return Outcome {
                dropped: true,
                ..Outcome::default()
            };
        }
        // A view of an article new to the batch needs room too; without it the page view
        // still counts towards the visit, the article view does not.
        let article = match article {
            Some(a) if full && !self.pending.views.contains_key(&(reader, a)) => {
                self.losses.dropped += 1;
                let mut o = self.record(site, reader, now, None);
                o.dropped = true;
                return o;
            }
            other => other,
        };
        let rules = self.rules;
        let prev = self.last_seen.get(&visitor).copied();
        if prev.is_none() {
            Self::room(
                &mut self.last_seen,
                self.limits.max_visitors,
                &mut self.losses,
            );
        }
        let new_visit = rules.starts_visit(prev, now);
        let was_online = prev.is_some_and(|p| rules.is_online(p, now));
        self.last_seen
            .insert(visitor, prev.map_or(now, |p| p.max(now)));

        let batch = &mut self.pending;
        match batch.visitors.get_mut(&visitor) {
            Some(s) => {
                if new_visit {
                    s.later_starts.push(now);
                }
                s.last = s.last.max(now);
            }
            None => {
                batch.visitors.insert(
                    visitor,
                    VisitorSightings {
                        first: now,
                        last: now,
                        later_starts: Vec::new(),
                    },
                );
                if !was_online {
                    *batch.newly_online.entry(site).or_default() += 1;
                }
            }
        }
        let keys = self.calendar.keys(now);
        *batch.page_views.entry((site, keys.day)).or_default() += 1;
        if new_visit {
            *batch.visits.entry((site, keys)).or_default() += 1;
        }

        let mut view_counted = false;
        if let Some(article) = article {
            let key = (reader, article);
            let last = self.article_seen.get(&key).copied();
            view_counted = rules.counts_view(last, now);
            if view_counted {
                if rules.view_dedupe > 0 {
                    if last.is_none() {
                        Self::room(
                            &mut self.article_seen,
                            self.limits.max_visitors,
                            &mut self.losses,
                        );
                    }
                    self.article_seen.insert(key, now);
                }
                *batch.article_views.entry(article).or_default() += 1;
            }
            match batch.views.get_mut(&key) {
                Some(v) => {
                    if view_counted {
                        v.add_later(keys.day, now);
                    }
                }
                None => {
                    batch.views.insert(
                        key,
                        ViewSightings {
                            first: now,
                            later_counted: 0,
                            last_counted: view_counted.then_some(now),
                            later_by_day: Vec::new(),
                        },
                    );
                }
            }
        }
        Outcome {
            new_visit,
            view_counted,
            dropped: false,
        }
    }

    /// The batch gathered so far, leaving an empty one.
    pub fn take_batch(&mut self) -> Batch {
        std::mem::take(&mut self.pending)
    }

    pub fn pending(&self) -> &Batch {
        &self.pending
    }

    /// Forgets visitors and views too old to matter at `now`.
    pub fn forget_before(&mut self, now: i64) {
        let keep_visitor = self.rules.visit_idle.max(self.rules.online_window);
        self.last_seen.retain(|_, t| now - *t < keep_visitor);
        let dedupe = self.rules.view_dedupe;
        self.article_seen.retain(|_, t| now - *t < dedupe);
    }

    /// How many visitors this node remembers (for metrics and tests).
    pub fn remembered(&self) -> (usize, usize) {
        (self.last_seen.len(), self.article_seen.len())
    }
}

#[cfg(test)]
mod tests;
