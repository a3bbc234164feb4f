//! The schedule's calendar: weeks Monday to Sunday in the site's zone, the dates and times
//! people type (dd/mm/yyyy or yyyy-mm-dd, HH:MM), and the instants they stand for.

use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

/// The Monday of the week `day` is in.
pub fn monday_of(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(jiff::Span::new().days(back)).unwrap_or(day)
}

/// `day` plus `n` days (unchanged past the calendar's ends).
pub fn add_days(day: Date, n: i64) -> Date {
    day.checked_add(jiff::Span::new().days(n)).unwrap_or(day)
}

/// The instant a local day starts.
pub fn start_of(day: Date, tz: &TimeZone) -> i64 {
    instant(day, Time::midnight(), tz)
}

/// The instant of a local day and time.
pub fn instant(day: Date, time: Time, tz: &TimeZone) -> i64 {
    tz.to_ambiguous_timestamp(day.to_datetime(time))
        .compatible()
        .map_or(0, Timestamp::as_second)
}

/// The local day an instant falls on.
pub fn local_day(at: i64, tz: &TimeZone) -> Date {
    let ts = Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH);
    tz.to_datetime(ts).date()
}

/// The local time of an instant.
pub fn local_time(at: i64, tz: &TimeZone) -> Time {
    let ts = Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH);
    tz.to_datetime(ts).time()
}

/// The same local time `days` days later (a recurring entry's next week).
pub fn shift_days(at: i64, days: i64, tz: &TimeZone) -> i64 {
    let day = add_days(local_day(at, tz), days);
    instant(day, local_time(at, tz), tz)
}

/// "07/12/2026".
pub fn dmy(day: Date) -> String {
    format!("{:02}/{:02}/{}", day.day(), day.month(), day.year())
}

/// "HH:MM".
pub fn hm(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// The day's name as agencies write it.
pub fn weekday_name(day: Date) -> &'static str {
    match day.weekday() {
        Weekday::Monday => "Thứ Hai",
        Weekday::Tuesday => "Thứ Ba",
        Weekday::Wednesday => "Thứ Tư",
        Weekday::Thursday => "Thứ Năm",
        Weekday::Friday => "Thứ Sáu",
        Weekday::Saturday => "Thứ Bảy",
        Weekday::Sunday => "Chủ nhật",
    }
}

/// A day as typed: `dd/mm/yyyy` (or `d/m/yyyy`) or `yyyy-mm-dd`; the reason it is not one.
pub fn parse_day(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let bad =
        || format!("Ngày “{s}” không hợp lệ: hãy ghi theo dạng ngày/tháng/năm, ví dụ 07/12/2026.");
    let (y, m, d) = if let Some((d, rest)) = s.split_once('/') {
        let (m, y) = rest.split_once('/').ok_or_else(bad)?;
        (y, m, d)
    } else {
        let mut it = s.splitn(3, '-');
        match (it.next(), it.next(), it.next()) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(bad()),
        }
    };
    let num = |t: &str, max_len: usize| -> Result<i64, String> {
        if t.is_empty() || t.len() > max_len || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        t.parse().map_err(|_| bad())
    };
    let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
    if !(1900..=2999).contains(&y) {
        return Err(format!(
            "Năm {y} nằm ngoài khoảng lịch có thể xem (1900–2999)."
        ));
    }
    let (y, m, d) = (
        i16::try_from(y).map_err(|_| bad())?,
        i8::try_from(m).map_err(|_| bad())?,
        i8::try_from(d).map_err(|_| bad())?,
    );
    Date::new(y, m, d).map_err(|_| format!("Ngày “{s}” không có trong lịch."))
}

/// A time as typed: `HH:MM`, `H:MM`, `8h`, `8h30`, `8g30`; the reason it is not one.
pub fn parse_time(s: &str) -> Result<Time, String> {
    let t = s.trim().to_lowercase();
    let bad = || {
        format!(
            "Giờ “{}” không hợp lệ: hãy ghi giờ:phút, ví dụ 08:00 hoặc 14:30.",
            s.trim()
        )
    };
    let (h, m) = match t.find([':', 'h', 'g']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t.as_str(), ""),
    };
    let num = |x: &str| -> Result<i8, String> {
        if x.is_empty() || x.len() > 2 || !x.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        x.parse().map_err(|_| bad())
    };
    let h = num(h)?;
    let m = if m.is_empty() { 0 } else { num(m)? };
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(monday_of(date(2026, 12, 7)), date(2026, 12, 7));
        assert_eq!(monday_of(date(2026, 12, 13)), date(2026, 12, 7));
        // Across the new year: Thursday 01/01/2026 is in the week of Monday 29/12/2025.
        assert_eq!(monday_of(date(2026, 1, 1)), date(2025, 12, 29));
        assert_eq!(monday_of(date(2026, 1, 4)), date(2025, 12, 29));
        assert_eq!(weekday_name(date(2026, 1, 4)), "Chủ nhật");
    }

    #[test]
    fn days_and_times_as_typed() {
        assert_eq!(parse_day("07/12/2026"), Ok(date(2026, 12, 7)));
        assert_eq!(parse_day("7/1/2026"), Ok(date(2026, 1, 7)));
        assert_eq!(parse_day("2026-12-07"), Ok(date(2026, 12, 7)));
        for bad in [
            "",
            "31/02/2026",
            "hôm nay",
            "2026-13-01",
            "01/01/99999",
            "1/1/10000",
        ] {
            assert!(parse_day(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_time("08:00"), Ok(Time::constant(8, 0, 0, 0)));
        assert_eq!(parse_time("8h30"), Ok(Time::constant(8, 30, 0, 0)));
        assert_eq!(parse_time("14"), Ok(Time::constant(14, 0, 0, 0)));
        for bad in ["25:00", "8:75", "sáng", "8:3x"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
