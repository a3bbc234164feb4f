//! How dates and numbers read, in the page's language: on Vietnamese pages dd/mm/yyyy in
//! the site's zone and thousands grouped with dots; on English pages "17 May 2023" and
//! commas.

use crate::i18n;
use cong_domain::navigation::Lang;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// "17/05/2023" ("17 May 2023" in English).
pub fn date(ts: Timestamp, tz: &TimeZone) -> String {
    let pattern = match i18n::current() {
        Lang::Vi => "%d/%m/%Y",
        Lang::En => "%-d %B %Y",
    };
    tz.to_datetime(ts).strftime(pattern).to_string()
}

/// "17/05/2023 08:30" ("17 May 2023, 08:30").
pub fn date_time(ts: Timestamp, tz: &TimeZone) -> String {
    let pattern = match i18n::current() {
        Lang::Vi => "%d/%m/%Y %H:%M",
        Lang::En => "%-d %B %Y, %H:%M",
    };
    tz.to_datetime(ts).strftime(pattern).to_string()
}

/// "2023-05-17T08:30:00+07:00", for `<time datetime>`.
pub fn iso(ts: Timestamp, tz: &TimeZone) -> String {
    let offset = tz.to_offset(ts);
    ts.display_with_offset(offset).to_string()
}

/// "1.234.567" ("1,234,567" in English).
pub fn number(n: i64) -> String {
    let group = match i18n::current() {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vn() -> TimeZone {
        TimeZone::get("Asia/Ho_Chi_Minh").expect("zone")
    }

    #[test]
    fn dates_in_hanoi_time() {
        let ts: Timestamp = "2023-05-17T01:30:00Z".parse().expect("ts");
        assert_eq!(date(ts, &vn()), "17/05/2023");
        assert_eq!(date_time(ts, &vn()), "17/05/2023 08:30");
        assert_eq!(iso(ts, &vn()), "2023-05-17T08:30:00+07:00");
        // 17:00 UTC is already the next day in Hà Nội.
        let late: Timestamp = "2025-12-31T17:00:00Z".parse().expect("ts");
        assert_eq!(date(late, &vn()), "01/01/2026");
    }

    #[test]
    fn numbers_group_with_dots() {
        assert_eq!(number(0), "0");
        assert_eq!(number(252), "252");
        assert_eq!(number(1234), "1.234");
        assert_eq!(number(1_234_567), "1.234.567");
        assert_eq!(number(-1000), "-1.000");
    }

    #[test]
    fn english_pages_read_english_dates_and_numbers() {
        let ts: Timestamp = "2023-05-17T01:30:00Z".parse().expect("ts");
        i18n::sync_scope(Lang::En, || {
            assert_eq!(date(ts, &vn()), "17 May 2023");
            assert_eq!(date_time(ts, &vn()), "17 May 2023, 08:30");
            assert_eq!(number(1_234_567), "1,234,567");
        });
        assert_eq!(number(1_234_567), "1.234.567");
    }
}
