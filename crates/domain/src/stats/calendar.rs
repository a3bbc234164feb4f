//! Days, weeks (from Monday) and months in the site's time zone, as local day numbers.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The periods a moment falls in, each named by the local day number (days since
/// 1970-01-01 in the site's zone) of the period's first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PeriodKeys {
    pub day: i64,
    pub week: i64,
    pub month: i64,
}

/// The site's calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: TimeZone,
}

impl Calendar {
    pub fn new(tz: TimeZone) -> Self {
        Calendar { tz }
    }

    /// The calendar of an IANA zone name, such as "Asia/Ho_Chi_Minh".
    pub fn named(zone: &str) -> Result<Self, jiff::Error> {
        Ok(Calendar::new(TimeZone::get(zone)?))
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The day, week and month of a moment given as UTC epoch seconds.
    pub fn keys(&self, epoch_seconds: i64) -> PeriodKeys {
        let ts = Timestamp::from_second(epoch_seconds).unwrap_or(Timestamp::UNIX_EPOCH);
        let date = self.tz.to_datetime(ts).date();
        let day = days_from_civil(
            i64::from(date.year()),
            i64::from(date.month()),
            i64::from(date.day()),
        );
        let since_monday = i64::from(date.weekday().to_monday_zero_offset());
        PeriodKeys {
            day,
            week: day - since_monday,
            month: day - i64::from(date.day()) + 1,
        }
    }

    /// The local day number of a moment.
    pub fn day(&self, epoch_seconds: i64) -> i64 {
        self.keys(epoch_seconds).day
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> i64 {
        s.parse::<Timestamp>().expect("timestamp").as_second()
    }

    fn vn() -> Calendar {
        Calendar::named("Asia/Ho_Chi_Minh").expect("zone")
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }

    #[test]
    fn local_midnight_is_17_00_utc() {
        let c = vn();
        let before = c.keys(secs("2026-03-10T16:59:59Z"));
        let after = c.keys(secs("2026-03-10T17:00:00Z"));
        assert_eq!(after.day, before.day + 1, "local midnight at 17:00 UTC");
        // Late evening UTC is already the next day in Hà Nội.
        assert_eq!(c.day(secs("2026-03-10T20:00:00Z")), after.day);
    }

    #[test]
    fn weeks_start_on_monday_local_time() {
        let c = vn();
        // Sunday 2026-03-15 23:59:59 +07 is 16:59:59 UTC; Monday 00:00 +07 is 17:00 UTC.
        let sunday = c.keys(secs("2026-03-15T16:59:59Z"));
        let monday = c.keys(secs("2026-03-15T17:00:00Z"));
        assert_ne!(sunday.week, monday.week);
        assert_eq!(monday.week, monday.day, "Monday starts its week");
        assert_eq!(sunday.week, monday.day - 7);
        // Wednesday of the same week shares Monday's key.
        assert_eq!(c.keys(secs("2026-03-18T05:00:00Z")).week, monday.week);
    }

    #[test]
    fn months_end_at_local_midnight() {
        let c = vn();
        let jan = c.keys(secs("2026-01-31T16:59:59Z"));
        let feb = c.keys(secs("2026-01-31T17:00:00Z"));
        assert_ne!(jan.month, feb.month);
        assert_eq!(feb.month, feb.day, "1 February starts its month");
        assert_eq!(jan.month, days_from_civil(2026, 1, 1));
        // New Year's Eve: 2025-12-31T17:00Z is 01/01/2026 00:00 in Hà Nội.
        let ny = c.keys(secs("2025-12-31T17:00:00Z"));
        assert_eq!(ny.day, days_from_civil(2026, 1, 1));
        assert_eq!(ny.month, ny.day);
    }

    #[test]
    fn other_zones_follow_their_own_midnight() {
        let utc = Calendar::new(TimeZone::UTC);
        assert_eq!(
            utc.day(secs("2026-03-10T20:00:00Z")),
            days_from_civil(2026, 3, 10)
        );
    }
}
