//! What this node has gathered and not flushed yet: each visitor's sightings for the store,
//! and this node's own estimate of the deltas for display.

use super::calendar::PeriodKeys;
use super::identity::VisitorId;
use super::tracker::SiteVisitor;
use cong_store::SiteId;
use std::collections::HashMap;

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
    pub(super) fn add_later(&mut self, day: i64, now: i64) {
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
