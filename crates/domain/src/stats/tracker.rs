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

use super::calendar::{Calendar, PeriodKeys};
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

/// A visitor's counted page views in one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitorSightings {
    pub first: i64,
    pub last: i64,
    /// Visits that started after `first` within this batch (a gap of `visit_idle` inside it).
    pub later_starts: Vec<i64>,
}

/// A visitor's views of one article in one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSightings {
    pub first: i64,
    /// Views after `first` in this batch that this node counted, and the last of them.
    pub later_counted: i64,
    pub last_counted: Option<i64>,
    /// `later_counted` by local day, as (day, views): a batch may span midnight.
    pub later_by_day: Vec<(i64, i64)>,
}

impl ViewSightings {
    fn add_later(&mut self, day: i64, now: i64) {
        self.later_counted += 1;
        self.last_counted = Some(now);
        match self.later_by_day.iter_mut().find(|(d, _)| *d == day) {
            Some((_, n)) => *n += 1,
            None => self.later_by_day.push((day, 1)),
        }
    }
}

/// What this node has not yet flushed: the raw sightings for the store, and this node's
/// own estimate of the deltas for display.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub visitors: HashMap<SiteVisitor, VisitorSightings>,
    pub views: HashMap<(VisitorId, i64), ViewSightings>,
    /// Visits this node saw start, per site and period key (for display until flushed).
    pub visits: HashMap<(SiteId, PeriodKeys), i64>,
    /// Views this node counted, per article (for display until flushed).
    pub article_views: HashMap<i64, i64>,
    /// Counted page views per site and local day (every one counts; no window applies).
    pub page_views: HashMap<(SiteId, i64), i64>,
    /// Visitors of each site in this batch who were not online there before it (for
    /// display until flushed).
    pub newly_online: HashMap<SiteId, i64>,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.visitors.is_empty()
    }

    /// Visitors of `site` in this batch who were not online there before it.
    pub fn newly_online_on(&self, site: SiteId) -> i64 {
        self.newly_online.get(&site).copied().unwrap_or(0)
    }

    /// This batch's visits of `site` that started in the day, week and month of `keys`, and
    /// all of its visits of `site`.
    pub fn visits_in(&self, site: SiteId, keys: PeriodKeys) -> (i64, i64, i64, i64) {
        let mut out = (0, 0, 0, 0);
        for ((s, k), n) in &self.visits {
            if *s != site {
                continue;
            }
            if k.day == keys.day {
                out.0 += n;
            }
            if k.week == keys.week {
                out.1 += n;
            }
            if k.month == keys.month {
                out.2 += n;
            }
            out.3 += n;
        }
        out
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
mod tests {
    use super::*;

    const MIN: i64 = 60;

    fn rules() -> Rules {
        Rules {
            visit_idle: 30 * MIN,
            online_window: 5 * MIN,
            view_dedupe: 10 * MIN,
        }
    }

    fn tracker(rules: Rules) -> Tracker {
        Tracker::new(rules, Calendar::named("Asia/Ho_Chi_Minh").expect("zone"))
    }

    const S: SiteId = SiteId::FIRST;
    const A: VisitorId = [1; 16];
    const B: VisitorId = [2; 16];
    const T0: i64 = 1_780_000_000;

    #[test]
    fn visit_boundary_is_thirty_idle_minutes() {
        let mut t = tracker(rules());
        assert!(t.record(S, A, T0, None).new_visit);
        assert!(
            !t.record(S, A, T0 + 29 * MIN, None).new_visit,
            "29 min later: same visit"
        );
        // 29:59 after the last view: still the same visit.
        assert!(
            !t.record(S, A, T0 + 29 * MIN + 29 * MIN + 59, None)
                .new_visit
        );
        // Exactly 30 minutes idle: the visit has ended.
        let last = T0 + 29 * MIN + 29 * MIN + 59;
        assert!(t.record(S, A, last + 30 * MIN, None).new_visit);
        let b = t.take_batch();
        assert_eq!(b.visitors[&(S, A)].later_starts, vec![last + 30 * MIN]);
        assert_eq!(b.visits.values().sum::<i64>(), 2);
    }

    #[test]
    fn a_reader_of_two_sites_is_one_visitor_of_each() {
        let mut t = tracker(rules());
        let other = SiteId(2);
        assert!(t.record(S, A, T0, None).new_visit);
        assert!(
            t.record(other, A, T0 + 1, None).new_visit,
            "the first page of another site starts a visit there"
        );
        assert!(!t.record(S, A, T0 + 2, None).new_visit);
        assert!(!t.record(other, A, T0 + 3, None).new_visit);
        t.record(other, B, T0 + 4, None);
        let b = t.take_batch();
        assert_eq!(b.visitors.len(), 3);
        assert_eq!((b.newly_online_on(S), b.newly_online_on(other)), (1, 2));
        let keys = t.calendar.keys(T0);
        assert_eq!(b.visits_in(S, keys), (1, 1, 1, 1));
        assert_eq!(b.visits_in(other, keys), (2, 2, 2, 2));
        assert_eq!(b.visits_in(SiteId(3), keys), (0, 0, 0, 0));
    }

    #[test]
    fn article_views_dedupe_within_the_window() {
        let mut t = tracker(rules());
        assert!(t.record(S, A, T0, Some(7)).view_counted);
        assert!(
            !t.record(S, A, T0 + 9 * MIN, Some(7)).view_counted,
            "repeat within 10 min"
        );
        assert!(
            t.record(S, A, T0 + 10 * MIN, Some(7)).view_counted,
            "10 min after the counted one"
        );
        assert!(
            t.record(S, B, T0, Some(7)).view_counted,
            "another visitor counts"
        );
        assert!(
            t.record(S, A, T0 + MIN, Some(8)).view_counted,
            "another article counts"
        );
        let b = t.take_batch();
        assert_eq!(b.article_views[&7], 3);
        assert_eq!(b.article_views[&8], 1);
        let v = &b.views[&(A, 7)];
        assert_eq!(
            (v.first, v.later_counted, v.last_counted),
            (T0, 1, Some(T0 + 10 * MIN))
        );
    }

    #[test]
    fn dedupe_zero_counts_every_view() {
        let mut t = tracker(Rules {
            view_dedupe: 0,
            ..rules()
        });
        for i in 0..5 {
            assert!(t.record(S, A, T0 + i, Some(7)).view_counted);
        }
        let b = t.take_batch();
        assert_eq!(b.article_views[&7], 5);
        assert_eq!(t.remembered().1, 0, "no dedupe memory is kept");
    }

    #[test]
    fn online_counts_visitors_not_already_online() {
        let mut t = tracker(rules());
        t.record(S, A, T0, None);
        t.record(S, A, T0 + 1, None);
        t.record(S, B, T0 + 2, None);
        assert_eq!(t.take_batch().newly_online_on(S), 2);
        // A again within 5 minutes: was online, so not newly online.
        t.record(S, A, T0 + 4 * MIN, None);
        assert_eq!(t.take_batch().newly_online_on(S), 0);
        // B after 5 minutes: no longer online before this view.
        t.record(S, B, T0 + 2 + 5 * MIN, None);
        assert_eq!(t.take_batch().newly_online_on(S), 1);
    }

    #[test]
    fn remembered_visitors_resume_after_restart() {
        let mut t = tracker(rules());
        t.remember(&[((S, A), T0)], &[(A, 7, T0)]);
        let o = t.record(S, A, T0 + 60, Some(7));
        assert_eq!(o, Outcome::default(), "same visit, deduped view");
        assert_eq!(t.pending().newly_online_on(S), 0);
    }

    #[test]
    fn visits_are_attributed_to_the_local_day_they_start() {
        let mut t = tracker(rules());
        // 23:50 and 00:10 local (+07): 16:50 and 17:10 UTC; one visit, started the first day.
        let before_midnight = "2026-05-17T16:50:00Z"
            .parse::<jiff::Timestamp>()
            .expect("ts")
            .as_second();
        t.record(S, A, before_midnight, None);
        t.record(S, A, before_midnight + 20 * MIN, None);
        let b = t.take_batch();
        let cal = Calendar::named("Asia/Ho_Chi_Minh").expect("zone");
        let next_day = cal.keys(before_midnight + 20 * MIN);
        assert_eq!(
            b.visits_in(S, next_day).0,
            0,
            "no visit started on the new day"
        );
        assert_eq!(b.visits_in(S, cal.keys(before_midnight)), (1, 1, 1, 1));
    }

    fn visitor(n: u64) -> VisitorId {
        let mut v = [0u8; 16];
        v[..8].copy_from_slice(&n.to_le_bytes());
        v
    }

    /// A flood of new visitors (every random User-Agent is one) while nothing is flushed:
    /// memory stays within the limits; what was counted before the batch filled stays.
    #[test]
    fn a_flood_of_new_visitors_stays_within_the_limits() {
        let limits = Limits {
            max_visitors: 1_000,
            max_pending: 600,
        };
        let mut t = Tracker::with_limits(
            rules(),
            Calendar::named("Asia/Ho_Chi_Minh").expect("zone"),
            limits,
        );
        // A reader before the flood, who comes back during it.
        assert!(t.record(S, A, T0, Some(7)).view_counted);
        for i in 0..100_000u64 {
            let o = t.record(
                S,
                visitor(i + 10),
                T0 + 1 + i64::try_from(i / 100).expect("n"),
                Some(7),
            );
            assert!(
                i < 299 || o.dropped,
                "past the limit, new visitors are dropped"
            );
            let (seen, pairs) = t.remembered();
            assert!(
                seen <= 1_000 && pairs <= 1_000,
                "remembered: {seen}, {pairs}"
            );
            assert!(t.pending_len() <= 600, "pending: {}", t.pending_len());
        }
        // The reader already in the batch still counts (same visit, new article: dropped).
        let o = t.record(S, A, T0 + 1_001, None);
        assert!(!o.dropped && !o.new_visit);
        assert!(
            t.record(S, A, T0 + 1_002, Some(8)).dropped,
            "no room for a new pair"
        );
        let losses = t.losses();
        assert_eq!(losses.dropped, 100_000 - 299 + 1);
        let b = t.take_batch();
        assert_eq!(b.article_views[&7], 300, "A and the 299 that fitted");
        assert_eq!(b.visits.values().sum::<i64>(), 300);
        // Once flushed, counting resumes in full.
        assert!(!t.record(S, visitor(1_000_000), T0 + 3_000, Some(7)).dropped);
    }

    #[test]
    fn past_max_visitors_the_longest_unseen_are_forgotten_first() {
        let limits = Limits {
            max_visitors: 800,
            max_pending: usize::MAX,
        };
        let mut t = Tracker::with_limits(
            rules(),
            Calendar::named("Asia/Ho_Chi_Minh").expect("zone"),
            limits,
        );
        for i in 0..800u64 {
            t.record(S, visitor(i), T0 + i64::try_from(i).expect("n"), None);
        }
        t.record(S, visitor(0), T0 + 1_000, None);
        t.record(S, visitor(5_000), T0 + 1_001, None);
        let (seen, _) = t.remembered();
        assert_eq!(seen, 701, "an eighth forgotten, then one added");
        assert_eq!(t.losses().forgotten, 100);
        assert!(
            !t.record(S, visitor(0), T0 + 1_002, None).new_visit,
            "seen again recently: kept"
        );
        assert!(
            t.record(S, visitor(50), T0 + 1_003, None).new_visit,
            "among the longest unseen: forgotten (the flush decides again against the store)"
        );
    }

    #[test]
    fn forgetting_keeps_what_the_windows_need() {
        let mut t = tracker(rules());
        t.record(S, A, T0, Some(7));
        t.record(S, B, T0 + 25 * MIN, Some(7));
        t.forget_before(T0 + 30 * MIN);
        assert_eq!(
            t.remembered(),
            (1, 1),
            "A (idle 30 min, viewed 30 min ago) is forgotten; B is kept"
        );
    }
}
