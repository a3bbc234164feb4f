//! What the statistics page and the "most read" lists show, read from the daily tables the
//! flush fills: daily series, this month against last, most-read articles of a period,
//! articles published per section and per author per month. All per site, in the site's
//! calendar.

use super::Stats;
use crate::Result;
use cong_store::SiteId;
use cong_store::stats_days::{MostRead, Visible};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// One local day's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayFigures {
    /// Local day number (days since 1970-01-01 in the site's zone).
    pub day: i64,
    pub date: Date,
    /// Visits that started that day.
    pub visits: i64,
    /// Counted page views that day.
    pub page_views: i64,
}

/// Visits and page views of one month (the current one so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthFigures {
    /// The month's first day.
    pub first: Date,
    pub visits: i64,
    pub page_views: i64,
}

/// The periods of the most-read lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadPeriod {
    Today,
    /// Since Monday.
    Week,
    /// Since the 1st.
    Month,
    All,
}

impl ReadPeriod {
    pub const ALL: [ReadPeriod; 4] = [
        ReadPeriod::Today,
        ReadPeriod::Week,
        ReadPeriod::Month,
        ReadPeriod::All,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ReadPeriod::Today => "Hôm nay",
            ReadPeriod::Week => "Tuần này",
            ReadPeriod::Month => "Tháng này",
            ReadPeriod::All => "Từ trước đến nay",
        }
    }

    /// Its name in URLs and file names.
    pub fn key(self) -> &'static str {
        match self {
            ReadPeriod::Today => "hom-nay",
            ReadPeriod::Week => "tuan",
            ReadPeriod::Month => "thang",
            ReadPeriod::All => "tat-ca",
        }
    }

    pub fn from_key(key: &str) -> Option<ReadPeriod> {
        ReadPeriod::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// Articles published in one month, counted by a name (section or byline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedCount {
    pub month: Date,
    pub name: String,
    pub articles: i64,
}

/// The date of a local day number.
pub fn date_of(day: i64) -> Date {
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(day))
        .unwrap_or(jiff::civil::date(1970, 1, 1))
}

/// The local day number of a date.
fn day_of(date: Date) -> i64 {
    i64::from(
        date.since(jiff::civil::date(1970, 1, 1))
            .map(|s| s.get_days())
            .unwrap_or(0),
    )
}

impl Stats {
    /// The local day number of now.
    pub fn today(&self) -> i64 {
        self.calendar.day(self.now())
    }

    /// The last `days` local days up to today, oldest first, every day present (stored
    /// numbers: what the flush has written, about a second behind).
    pub async fn daily(&self, site: SiteId, days: i64) -> Result<Vec<DayFigures>> {
        let to = self.today();
        let from = to - days.max(1) + 1;
        self.days_between(site, from, to).await
    }

    async fn days_between(&self, site: SiteId, from: i64, to: i64) -> Result<Vec<DayFigures>> {
        let store = self.store.stats_days();
        let visits: BTreeMap<i64, i64> = store
            .visits_by_day(site, from, to)
            .await?
            .into_iter()
            .collect();
        let views: BTreeMap<i64, i64> = store
            .page_views_by_day(site, from, to)
            .await?
            .into_iter()
            .collect();
        Ok((from..=to)
            .map(|day| DayFigures {
                day,
                date: date_of(day),
                visits: visits.get(&day).copied().unwrap_or(0),
                page_views: views.get(&day).copied().unwrap_or(0),
            })
            .collect())
    }

    /// This month so far and the whole of last month.
    pub async fn months(&self, site: SiteId) -> Result<(MonthFigures, MonthFigures)> {
        let this_first = date_of(self.calendar.keys(self.now()).month);
        let last_first = this_first
            .checked_sub(jiff::Span::new().months(1))
            .unwrap_or(this_first);
        let sum = |days: &[DayFigures], first: Date| MonthFigures {
            first,
            visits: days.iter().map(|d| d.visits).sum(),
            page_views: days.iter().map(|d| d.page_views).sum(),
        };
        let this = self
            .days_between(site, day_of(this_first), self.today())
            .await?;
        let last = self
            .days_between(site, day_of(last_first), day_of(this_first) - 1)
            .await?;
        Ok((sum(&this, this_first), sum(&last, last_first)))
    }

    /// The local days a most-read period covers (None: all time).
    fn period_days(&self, period: ReadPeriod) -> Option<(i64, i64)> {
        let k = self.calendar.keys(self.now());
        match period {
            ReadPeriod::Today => Some((k.day, k.day)),
            ReadPeriod::Week => Some((k.week, k.day)),
            ReadPeriod::Month => Some((k.month, k.day)),
            ReadPeriod::All => None,
        }
    }

    /// The site's most-read articles of `period`, whatever their state (the back office).
    pub async fn most_read(
        &self,
        site: SiteId,
        period: ReadPeriod,
        limit: i64,
    ) -> Result<Vec<MostRead>> {
        Ok(self
            .store
            .stats_days()
            .most_read(site, self.period_days(period), Visible::All, limit)
            .await?)
    }

    /// The site's most-read published articles of the last `days` local days (today
    /// included), for readers ("Tin xem nhiều").
    pub async fn most_read_public(
        &self,
        site: SiteId,
        lang: crate::navigation::Lang,
        days: i64,
        limit: i64,
    ) -> Result<Vec<MostRead>> {
        let today = self.today();
        Ok(self
            .store
            .stats_days()
            .most_read(
                site,
                Some((today - days.max(1) + 1, today)),
                Visible::PublishedAt(self.now(), lang.code()),
                limit,
            )
            .await?)
    }

    /// Articles published in each of the last `months` local months (this one included; not
    /// those scheduled for later), per section and per byline, newest month first, then most
    /// articles.
    pub async fn published_per_month(
        &self,
        site: SiteId,
        months: i32,
    ) -> Result<(Vec<PublishedCount>, Vec<PublishedCount>)> {
        let tz = self.calendar.time_zone();
        let this_first = date_of(self.calendar.keys(self.now()).month);
        let first = this_first
            .checked_sub(jiff::Span::new().months(months.max(1) - 1))
            .unwrap_or(this_first);
        let start = |d: Date| {
            tz.to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .map(|t| t.as_second())
                .unwrap_or(0)
        };
        let next = this_first
            .checked_add(jiff::Span::new().months(1))
            .unwrap_or(this_first);
        let rows = self
            .store
            .stats_days()
            .published_between(site, start(first), start(next).min(self.now() + 1))
            .await?;
        let mut sections: BTreeMap<(Date, String), i64> = BTreeMap::new();
        let mut authors: BTreeMap<(Date, String), i64> = BTreeMap::new();
        for r in rows {
            let month = date_of(self.calendar.keys(r.published_at).month);
            *sections.entry((month, r.section_name)).or_default() += 1;
            let author = match r.author.trim() {
                "" => "(không ghi tác giả)".to_owned(),
                a => a.to_owned(),
            };
            *authors.entry((month, author)).or_default() += 1;
        }
        let sorted = |m: BTreeMap<(Date, String), i64>| {
            let mut v: Vec<PublishedCount> = m
                .into_iter()
                .map(|((month, name), articles)| PublishedCount {
                    month,
                    name,
                    articles,
                })
                .collect();
            v.sort_by(|a, b| {
                b.month
                    .cmp(&a.month)
                    .then(b.articles.cmp(&a.articles))
                    .then(a.name.cmp(&b.name))
            });
            v
        };
        Ok((sorted(sections), sorted(authors)))
    }

    /// Page views of `site` today: stored, plus what this node has not flushed yet.
    pub async fn page_views_today(&self, site: SiteId) -> Result<i64> {
        let today = self.today();
        let stored: i64 = self
            .store
            .stats_days()
            .page_views_by_day(site, today, today)
            .await?
            .iter()
            .map(|(_, n)| n)
            .sum();
        let st = self.state();
        let in_flight = st
            .in_flight
            .iter()
            .filter(|f| f.seq.is_none())
            .map(|f| f.batch.as_ref());
        let unflushed: i64 = in_flight
            .chain(std::iter::once(st.tracker.pending()))
            .filter_map(|b| b.page_views.get(&(site, today)))
            .sum();
        Ok(stored + unflushed)
    }
}
