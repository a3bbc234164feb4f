//! iCalendar (RFC 5545) for the work schedule: CRLF line ends, lines folded at 75 octets
//! without splitting a UTF-8 character, TEXT values escaped, times in UTC.

use jiff::Timestamp;
use jiff::civil::Date;

/// One event of a feed.
#[derive(Debug, Clone)]
pub struct Event {
    /// Stable for the entry (the feed's readers update it by this).
    pub uid: String,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    /// An all-day entry: its local day (DTSTART;VALUE=DATE).
    pub all_day: Option<Date>,
    pub summary: String,
    pub location: String,
    pub description: String,
    /// Bumped each time a published entry is adjusted.
    pub sequence: i64,
    /// The last change (DTSTAMP and LAST-MODIFIED).
    pub stamp: i64,
    pub cancelled: bool,
}

/// A calendar: its name and its events.
#[derive(Debug, Clone)]
pub struct Calendar<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub tz: &'a str,
    pub events: &'a [Event],
}

/// Escapes a TEXT value: `\`, `;`, `,` and newlines (RFC 5545 §3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded so that no line is longer than 75 octets (§3.1): each
/// continuation starts with one space, and a character is never cut.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn utc(at: i64) -> String {
    Timestamp::from_second(at)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn day(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// The calendar as an `.ics` body.
pub fn render(cal: &Calendar<'_>) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//cong//Lich cong tac//VI");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(cal.name)));
    line(
        &mut out,
        &format!("X-WR-CALDESC:{}", escape(cal.description)),
    );
    line(&mut out, &format!("X-WR-TIMEZONE:{}", cal.tz));
    for e in cal.events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", e.uid));
        line(&mut out, &format!("DTSTAMP:{}", utc(e.stamp)));
        line(&mut out, &format!("LAST-MODIFIED:{}", utc(e.stamp)));
        match e.all_day {
            Some(d) => {
                line(&mut out, &format!("DTSTART;VALUE=DATE:{}", day(d)));
                let next = d.tomorrow().unwrap_or(d);
                line(&mut out, &format!("DTEND;VALUE=DATE:{}", day(next)));
            }
            None => {
                line(&mut out, &format!("DTSTART:{}", utc(e.starts_at)));
                if let Some(end) = e.ends_at {
                    line(&mut out, &format!("DTEND:{}", utc(end)));
                }
            }
        }
        line(&mut out, &format!("SEQUENCE:{}", e.sequence));
        line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        if !e.location.is_empty() {
            line(&mut out, &format!("LOCATION:{}", escape(&e.location)));
        }
        if !e.description.is_empty() {
            line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        let status = if e.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        line(&mut out, &format!("STATUS:{status}"));
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_lines_folded_at_75_octets() {
        assert_eq!(escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
        let mut out = String::new();
        let long = format!(
            "SUMMARY:{}",
            "Họp giao ban Sở Khoa học và Công nghệ, ".repeat(5)
        );
        line(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }
}
