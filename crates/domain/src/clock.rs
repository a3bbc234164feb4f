//! Where "now" comes from: the system clock in production, a hand-moved one in tests.

use jiff::Timestamp;
use std::sync::Mutex;

/// The next midnight in `tz` after `now` (an hour on, should the zone have no such
/// midnight): when whatever a page shows "today" stops being right without an edit.
pub fn next_midnight(now: Timestamp, tz: &jiff::tz::TimeZone) -> Timestamp {
    tz.to_datetime(now)
        .date()
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned_datetime(tz.clone()).ok())
        .map_or(now + jiff::SignedDuration::from_hours(1), |z| z.timestamp())
}

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The real time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stays where it is put; for tests of midnight, week and visit boundaries.
#[derive(Debug)]
pub struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    pub fn new(at: Timestamp) -> Self {
        ManualClock(Mutex::new(at))
    }

    pub fn set(&self, at: Timestamp) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    pub fn advance(&self, by: jiff::SignedDuration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t = t.checked_add(by).unwrap_or(*t);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
