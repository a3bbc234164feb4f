//! Lịch công tác: a site's leaders' week — entries drafted a week at a time, published
//! together, marked adjusted when changed or called off after publication.

pub mod calendar;

use crate::audit::{self, Actor, Entry};
use crate::auth::{Action, By};
use crate::text::{nfc, slugify};
use crate::{Clock, Error, Result};
use calendar::{add_days, dmy, monday_of, start_of};
use cong_store::changes::ChangeKind;
use cong_store::{SiteId, Store, Tx};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use std::sync::Arc;

pub use cong_store::schedule::{EntryFields, EntryRow, EntryStatus};

/// How far back the site's iCalendar feed reaches.
pub const FEED_WEEKS_BACK: i64 = 8;
/// Longest content, and longest of the other texts, in characters.
const MAX_CONTENT: usize = 2000;
const MAX_TEXT: usize = 1000;

/// One day of a week and its entries, by start time.
#[derive(Debug, Clone)]
pub struct Day {
    pub date: Date,
    pub entries: Vec<EntryRow>,
}

/// A week, Monday to Sunday in the site's zone.
#[derive(Debug, Clone)]
pub struct Week {
    pub monday: Date,
    pub days: Vec<Day>,
}

impl Week {
    pub fn sunday(&self) -> Date {
        add_days(self.monday, 6)
    }

    /// Every entry of the week, in order.
    pub fn entries(&self) -> impl Iterator<Item = &EntryRow> {
        self.days.iter().flat_map(|d| d.entries.iter())
    }
}

/// A row of the back office's week form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowInput {
    /// The entry it shows (None: a blank row, to add one).
    pub id: Option<i64>,
    pub date: String,
    /// Empty: all day.
    pub start: String,
    pub end: String,
    pub leaders: String,
    pub content: String,
    pub place: String,
    pub host: String,
    pub participants: String,
    pub notes: String,
    pub recurring: bool,
}

impl RowInput {
    /// Nothing typed but the day: a blank row (or one emptied, which deletes its draft).
    pub fn is_empty(&self) -> bool {
        [
            &self.start,
            &self.end,
            &self.leaders,
            &self.content,
            &self.place,
            &self.host,
            &self.participants,
            &self.notes,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    /// The row as it shows a stored entry (to fill the form).
    pub fn of(e: &EntryRow, tz: &TimeZone) -> RowInput {
        let f = &e.fields;
        RowInput {
            id: Some(e.id),
            date: calendar::local_day(f.starts_at, tz).to_string(),
            start: if f.all_day {
                String::new()
            } else {
                calendar::hm(calendar::local_time(f.starts_at, tz))
            },
            end: f
                .ends_at
                .map(|t| calendar::hm(calendar::local_time(t, tz)))
                .unwrap_or_default(),
            leaders: f.leaders.clone(),
            content: f.content.clone(),
            place: f.place.clone(),
            host: f.host.clone(),
            participants: f.participants.clone(),
            notes: f.notes.clone(),
            recurring: f.recurring,
        }
    }
}

/// The names of an entry's leaders, one a line, as typed.
pub fn leader_names(leaders: &str) -> impl Iterator<Item = &str> {
    leaders.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// A leader's key in URLs: the name folded (`Nguyễn Văn An` → `nguyen-van-an`).
pub fn leader_slug(name: &str) -> String {
    slugify(name)
}

/// Whether an entry names the leader whose key is `slug`.
pub fn names_leader(e: &EntryRow, slug: &str) -> bool {
    leader_names(&e.fields.leaders).any(|n| leader_slug(n) == slug)
}

/// How a published entry is called off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOff {
    /// Hoãn.
    Postpone,
    /// Hủy.
    Cancel,
}

/// What a week's save did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Saved {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

#[derive(Clone)]
pub struct Schedule {
    store: Store,
    clock: Arc<dyn Clock>,
    tz: TimeZone,
}

impl std::fmt::Debug for Schedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schedule").finish_non_exhaustive()
    }
}

impl Schedule {
    pub fn new(store: Store, clock: Arc<dyn Clock>, tz: TimeZone) -> Self {
        Schedule { store, clock, tz }
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// Today in the site's zone, by the injected clock.
    pub fn today(&self) -> Date {
        self.tz.to_datetime(self.clock.now()).date()
    }

    /// The next local midnight (Unix time): the default week and day change then.
    pub fn today_good_until(&self) -> i64 {
        start_of(add_days(self.today(), 1), &self.tz)
    }

    async fn week_of(&self, site: SiteId, day: Date, public: bool) -> Result<Week> {
        let monday = monday_of(day);
        let next = add_days(monday, 7);
        let rows = self
            .store
            .schedule()
            .between(
                site,
                start_of(monday, &self.tz),
                Some(start_of(next, &self.tz)),
                public,
            )
            .await?;
        Ok(self.arrange(monday, rows))
    }

    fn arrange(&self, monday: Date, rows: Vec<EntryRow>) -> Week {
        let mut days: Vec<Day> = (0..7)
            .map(|i| Day {
                date: add_days(monday, i),
                entries: Vec::new(),
            })
            .collect();
        for r in rows {
            let d = calendar::local_day(r.fields.starts_at, &self.tz);
            if let Some(day) = days.iter_mut().find(|x| x.date == d) {
                day.entries.push(r);
            }
        }
        Week { monday, days }
    }

    /// The week containing `day` with its public entries (published, and those called off
    /// after publication): what the public page and a home-page block show.
    pub async fn week(&self, site: SiteId, day: Date) -> Result<Week> {
        self.week_of(site, day, true).await
    }

    /// The week containing `day` with every entry, drafts too, for the back office.
    pub async fn draft_week(&self, actor: Actor<'_>, day: Date) -> Result<Week> {
        actor.require(Action::ManageSchedule)?;
        self.week_of(actor.site, day, false).await
    }

    /// The public entries of the feed: from [`FEED_WEEKS_BACK`] weeks before this one on.
    pub async fn feed(&self, site: SiteId) -> Result<Vec<EntryRow>> {
        let from = add_days(monday_of(self.today()), -7 * FEED_WEEKS_BACK);
        Ok(self
            .store
            .schedule()
            .between(site, start_of(from, &self.tz), None, true)
            .await?)
    }

    /// The fields a row stands for, or why not.
    fn check(&self, row: &RowInput, monday: Date) -> std::result::Result<EntryFields, String> {
        let day = calendar::parse_day(&row.date)?;
        if monday_of(day) != monday {
            return Err(format!(
                "Ngày {} không thuộc tuần từ {} đến {}.",
                dmy(day),
                dmy(monday),
                dmy(add_days(monday, 6))
            ));
        }
        let content = nfc(row.content.trim());
        if content.is_empty() {
            return Err("Hãy ghi nội dung công việc.".to_owned());
        }
        if content.chars().count() > MAX_CONTENT {
            return Err(format!("Nội dung dài quá {MAX_CONTENT} ký tự."));
        }
        let text = |s: &str| -> std::result::Result<String, String> {
            let t = nfc(s.trim());
            if t.chars().count() > MAX_TEXT {
                return Err(format!("Mỗi ô ghi tối đa {MAX_TEXT} ký tự."));
            }
            Ok(t)
        };
        let start = row.start.trim();
        let (starts_at, all_day, start_time) = if start.is_empty() || is_all_day(start) {
            (start_of(day, &self.tz), true, None)
        } else {
            let t = calendar::parse_time(start)?;
            (calendar::instant(day, t, &self.tz), false, Some(t))
        };
        let ends_at = match row.end.trim() {
            "" => None,
            end => {
                let t = calendar::parse_time(end)?;
                if start_time.is_some_and(|s: Time| t <= s) {
                    return Err(format!(
                        "Giờ kết thúc ({}) phải sau giờ bắt đầu.",
                        calendar::hm(t)
                    ));
                }
                if all_day {
                    return Err(
                        "Việc cả ngày không có giờ kết thúc: hãy ghi giờ bắt đầu.".to_owned()
                    );
                }
                Some(calendar::instant(day, t, &self.tz))
            }
        };
        let leaders = leader_names(&nfc(&row.leaders))
            .collect::<Vec<_>>()
            .join("\n");
        Ok(EntryFields {
            starts_at,
            ends_at,
            all_day,
            leaders: text(&leaders)?,
            content,
            place: text(&row.place)?,
            host: text(&row.host)?,
            participants: text(&row.participants)?,
            notes: text(&row.notes)?,
            recurring: row.recurring,
        })
    }

    /// Saves the week's form in one transaction: blank rows add drafts, changed rows change
    /// their entries (a public one marked adjusted), an emptied row deletes its draft (or
    /// calls off a published entry). Nothing is saved when a row is wrong: the errors come
    /// back as `Error::Fields` keyed `row-{index}`.
    pub async fn save_week(&self, actor: Actor<'_>, day: Date, rows: &[RowInput]) -> Result<Saved> {
        self.save_week_by(By::User(actor), actor.site, day, rows)
            .await
    }

    /// [`Self::save_week`] on `site`, by a back-office user or the operator (the demo).
    pub async fn save_week_by(
        &self,
        by: By<'_>,
        site: SiteId,
        day: Date,
        rows: &[RowInput],
    ) -> Result<Saved> {
        by.require(Action::ManageSchedule)?;
        let monday = monday_of(day);
        let mut checked = Vec::with_capacity(rows.len());
        let mut errors = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            if row.is_empty() {
                checked.push(None);
                continue;
            }
            match self.check(row, monday) {
                Ok(f) => checked.push(Some(f)),
                Err(e) => {
                    errors.push((format!("row-{i}"), e));
                    checked.push(None);
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let now = self.clock.now().as_second();
        let store = self.store.schedule();
        let mut tx = self.store.begin().await?;
        let mut saved = Saved::default();
        for (row, fields) in rows.iter().zip(&checked) {
            match (row.id, fields) {
                (None, None) => {}
                (None, Some(f)) => {
                    store.insert(&mut tx, site, f, None, now).await?;
                    saved.added += 1;
                }
                (Some(id), fields) => {
                    let Some(old) = store.find_in(&mut tx, site, id).await? else {
                        return Err(Error::NotFound);
                    };
                    match fields {
                        None if old.status == EntryStatus::Draft => {
                            store.delete_draft(&mut tx, site, id).await?;
                            saved.removed += 1;
                        }
                        None if old.status == EntryStatus::Published => {
                            store
                                .set_status(&mut tx, site, id, EntryStatus::Cancelled, true, now)
                                .await?;
                            saved.removed += 1;
                        }
                        None => {}
                        Some(f) if *f != old.fields => {
                            let public = old.status.is_public();
                            store.update(&mut tx, site, id, f, public, now).await?;
                            saved.changed += 1;
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        if saved != Saved::default() {
            let detail = format!(
                "tuần {}: thêm {}, sửa {}, bỏ {}",
                dmy(monday),
                saved.added,
                saved.changed,
                saved.removed
            );
            self.finish(&mut tx, by, site, "schedule.save", None, &detail, now)
                .await?;
        }
        tx.commit().await?;
        Ok(saved)
    }

    /// The audit entry and the change record of a write, in its transaction.
    #[allow(clippy::too_many_arguments)]
    async fn finish(
        &self,
        tx: &mut Tx,
        by: By<'_>,
        site: SiteId,
        action: &str,
        id: Option<i64>,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        audit::append_by(
            &self.store,
            tx,
            by,
            Entry {
                action,
                kind: "schedule",
                id,
                detail,
            },
            Some(site),
            now,
        )
        .await?;
        self.store
            .changes()
            .record(tx, ChangeKind::Schedule, site.0, now)
            .await?;
        Ok(())
    }

    /// Copies the previous week's recurring entries into the week of `day` as drafts, each
    /// at most once however often it is asked; how many were copied.
    pub async fn copy_recurring(&self, actor: Actor<'_>, day: Date) -> Result<usize> {
        self.copy_recurring_by(By::User(actor), actor.site, day)
            .await
    }

    /// [`Self::copy_recurring`] on `site`, by a back-office user or the operator.
    pub async fn copy_recurring_by(&self, by: By<'_>, site: SiteId, day: Date) -> Result<usize> {
        by.require(Action::ManageSchedule)?;
        let monday = monday_of(day);
        let last = add_days(monday, -7);
        let now = self.clock.now().as_second();
        let store = self.store.schedule();
        let mut tx = self.store.begin().await?;
        let sources = store
            .between_in(
                &mut tx,
                site,
                start_of(last, &self.tz),
                start_of(monday, &self.tz),
            )
            .await?;
        let mut copied = 0;
        for s in sources.iter().filter(|s| s.fields.recurring) {
            if store.copied_from_in(&mut tx, site, s.id).await? {
                continue;
            }
            let f = EntryFields {
                starts_at: calendar::shift_days(s.fields.starts_at, 7, &self.tz),
                ends_at: s
                    .fields
                    .ends_at
                    .map(|t| calendar::shift_days(t, 7, &self.tz)),
                ..s.fields.clone()
            };
            store.insert(&mut tx, site, &f, Some(s.id), now).await?;
            copied += 1;
        }
        if copied > 0 {
            let detail = format!("tuần {}: {copied} việc lặp lại", dmy(monday));
            self.finish(&mut tx, by, site, "schedule.copy", None, &detail, now)
                .await?;
        }
        tx.commit().await?;
        Ok(copied)
    }

    /// Publishes every draft of the week of `day`; how many.
    pub async fn publish_week(&self, actor: Actor<'_>, day: Date) -> Result<usize> {
        self.publish_week_by(By::User(actor), actor.site, day).await
    }

    /// [`Self::publish_week`] on `site`, by a back-office user or the operator.
    pub async fn publish_week_by(&self, by: By<'_>, site: SiteId, day: Date) -> Result<usize> {
        by.require(Action::ManageSchedule)?;
        let monday = monday_of(day);
        let now = self.clock.now().as_second();
        let store = self.store.schedule();
        let mut tx = self.store.begin().await?;
        let rows = store
            .between_in(
                &mut tx,
                site,
                start_of(monday, &self.tz),
                start_of(add_days(monday, 7), &self.tz),
            )
            .await?;
        let mut n = 0;
        for r in rows.iter().filter(|r| r.status == EntryStatus::Draft) {
            store
                .set_status(&mut tx, site, r.id, EntryStatus::Published, false, now)
                .await?;
            n += 1;
        }
        if n > 0 {
            let detail = format!("tuần {}: {n} việc", dmy(monday));
            self.finish(&mut tx, by, site, "schedule.publish", None, &detail, now)
                .await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Calls off a published entry: it stays listed, struck through, marked adjusted.
    pub async fn call_off(&self, actor: Actor<'_>, id: i64, how: CallOff) -> Result<()> {
        self.call_off_by(By::User(actor), actor.site, id, how).await
    }

    /// [`Self::call_off`] on `site`, by a back-office user or the operator.
    pub async fn call_off_by(&self, by: By<'_>, site: SiteId, id: i64, how: CallOff) -> Result<()> {
        by.require(Action::ManageSchedule)?;
        let now = self.clock.now().as_second();
        let store = self.store.schedule();
        let mut tx = self.store.begin().await?;
        let old = store
            .find_in(&mut tx, site, id)
            .await?
            .ok_or(Error::NotFound)?;
        if old.status != EntryStatus::Published {
            return Err(Error::Conflict(
                "Chỉ hoãn hoặc hủy được việc đã công bố; việc chưa công bố thì xóa trong bảng."
                    .to_owned(),
            ));
        }
        let (status, action) = match how {
            CallOff::Postpone => (EntryStatus::Postponed, "schedule.postpone"),
            CallOff::Cancel => (EntryStatus::Cancelled, "schedule.cancel"),
        };
        store
            .set_status(&mut tx, site, id, status, true, now)
            .await?;
        let detail = old.fields.content.chars().take(200).collect::<String>();
        self.finish(&mut tx, by, site, action, Some(id), &detail, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// "cả ngày" typed in the start time's cell.
fn is_all_day(s: &str) -> bool {
    crate::text::fold_words(s) == "ca-ngay"
}

#[cfg(test)]
mod tests;
