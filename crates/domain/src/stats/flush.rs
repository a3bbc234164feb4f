//! Writing a batch to the store: the counting rules decided again against what the store
//! remembers, in one transaction, as additive deltas.

use super::batch::{Batch, ViewSightings};
use super::calendar::Calendar;
use super::tracker::Rules;
use cong_store::stats::{Period, SiteVisitor, VisitorKey};
use cong_store::{SiteId, Store};
use std::collections::HashMap;

/// What one flush stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The flush's sequence number (see `stats_flushes`).
    pub seq: i64,
    /// Visits stored, all periods and sites together (each visit once).
    pub visits: i64,
    /// Views stored per article.
    pub article_views: HashMap<i64, i64>,
}

/// Applies `batch` in one transaction. `on_seq` is called with the flush's sequence number
/// before the commit makes it visible, so readers can tell whether a count includes it.
pub(super) async fn apply(
    store: &Store,
    batch: &Batch,
    rules: Rules,
    calendar: &Calendar,
    on_seq: impl FnOnce(i64),
) -> cong_store::Result<Applied> {
    let mut tx = store.stats().begin_flush().await?;

    // Visits: the first sighting of each visitor of a site starts a visit there unless the
    // store remembers them on that site within the idle window; later starts inside the
    // batch were decided here already.
    let ids: Vec<SiteVisitor> = batch.visitors.keys().copied().collect();
    let known = tx.last_seen(&ids).await?;
    let mut per_period: HashMap<(SiteId, Period, i64), i64> = HashMap::new();
    let mut visits = 0;
    let mut last_seen = Vec::with_capacity(ids.len());
    for (id, s) in &batch.visitors {
        let first_starts = rules.starts_visit(known.get(id).copied(), s.first);
        let starts = first_starts
            .then_some(s.first)
            .into_iter()
            .chain(s.later_starts.iter().copied());
        for t in starts {
            let k = calendar.keys(t);
            let site = id.0;
            for key in [
                (site, Period::Day, k.day),
                (site, Period::Week, k.week),
                (site, Period::Month, k.month),
                (site, Period::Total, 0),
            ] {
                *per_period.entry(key).or_default() += 1;
            }
            visits += 1;
        }
        last_seen.push((*id, s.last));
    }
    tx.set_last_seen(&last_seen).await?;

    // Views: likewise, the first view of each (visitor, article) is checked against the
    // store's dedupe memory.
    let mut article_views: HashMap<i64, i64> = HashMap::new();
    // The same views by local day, for the statistics page.
    let mut daily: HashMap<(i64, i64), i64> = HashMap::new();
    let mut by_day = |article: i64, v: &ViewSightings, first_counted: bool| {
        if first_counted {
            *daily.entry((article, calendar.day(v.first))).or_default() += 1;
        }
        for (day, n) in &v.later_by_day {
            *daily.entry((article, *day)).or_default() += n;
        }
    };
    if rules.view_dedupe == 0 {
        for ((_, article), v) in &batch.views {
            *article_views.entry(*article).or_default() += 1 + v.later_counted;
            by_day(*article, v, true);
        }
    } else {
        let keys: Vec<(VisitorKey, i64)> = batch.views.keys().copied().collect();
        let known = tx.article_last_counted(&keys).await?;
        let mut seen = Vec::with_capacity(keys.len());
        for (key, v) in &batch.views {
            let first_counted = rules.counts_view(known.get(key).copied(), v.first);
            let n = i64::from(first_counted) + v.later_counted;
            by_day(key.1, v, first_counted);
            if n > 0 {
                *article_views.entry(key.1).or_default() += n;
                let last = if v.later_counted > 0 {
                    v.last_counted.unwrap_or(v.first)
                } else {
                    v.first
                };
                seen.push((key.0, key.1, last));
            }
        }
        tx.set_article_seen(&seen).await?;
    }
    article_views.retain(|_, n| *n > 0);
    for (article, n) in &article_views {
        tx.add_article_views(*article, *n).await?;
    }
    for ((article, day), n) in &daily {
        if *n > 0 {
            tx.add_article_views_on(*article, *day, *n).await?;
        }
    }
    for ((site, period, key), n) in &per_period {
        tx.add_visits(*site, *period, *key, *n).await?;
    }
    for ((site, day), n) in &batch.page_views {
        tx.add_page_views(*site, *day, *n).await?;
    }
    let seq = tx.next_seq().await?;
    on_seq(seq);
    tx.commit().await?;
    Ok(Applied {
        seq,
        visits,
        article_views,
    })
}
