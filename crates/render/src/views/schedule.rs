//! Lịch công tác's view: a week (or one day) of the leaders' entries, with the links to the
//! weeks around it, the leaders to filter by and the feeds. Words are in the template.

use super::Layout;
use serde::Serialize;

/// One entry as the public page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub id: i64,
    /// `sang`, `chieu` or `ca-ngay` (the template says Sáng, Chiều, Cả ngày).
    pub session: &'static str,
    /// "08:00" or "08:00–11:00"; empty for a whole day.
    pub time: String,
    pub leaders: Vec<String>,
    pub content: String,
    pub place: String,
    pub host: String,
    pub participants: String,
    pub notes: String,
    /// `published`, `postponed` or `cancelled`.
    pub status: &'static str,
    /// When it was changed after publication ("dd/mm/yyyy HH:MM"), if it was.
    pub adjusted: Option<String>,
    pub adjusted_iso: Option<String>,
}

/// A day of the week and its entries.
#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    /// 1 (Monday) to 7 (Sunday).
    pub weekday: i8,
    pub date: String,
    pub iso: String,
    pub today: bool,
    /// Its own day view.
    pub url: String,
    pub entries: Vec<EntryView>,
}

/// A leader to filter by.
#[derive(Debug, Clone, Serialize)]
pub struct LeaderLink {
    pub name: String,
    pub url: String,
    pub feed: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScheduleView {
    pub layout: Layout,
    pub monday: String,
    pub sunday: String,
    /// The day asked for, `yyyy-mm-dd` (the date picker's value).
    pub picked: String,
    /// One day is shown (`?xem=ngay`), not the week.
    pub day_view: bool,
    pub days: Vec<DayView>,
    pub prev_url: String,
    pub next_url: String,
    pub this_week_url: String,
    /// The whole week of the day shown (from the day view).
    pub week_url: String,
    pub leaders: Vec<LeaderLink>,
    /// The leader filtered by: their name, or their key when this week names them nowhere.
    pub leader: Option<String>,
    /// The leader's key (kept by the date picker's form).
    pub leader_slug: String,
    pub feed_url: String,
    pub entries: usize,
}
