//! When scheduled backups run: `"daily HH:MM"` (in site.timezone) or `"every DURATION"`.

use jiff::SignedDuration;
use std::fmt;

/// A backup schedule, written in the configuration as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum Schedule {
    /// Once a day at this local time of the site's time zone.
    Daily { hour: i8, minute: i8 },
    /// At every multiple of this interval, counted from 1970-01-01 00:00 UTC (so "every 6h"
    /// is 00:00, 06:00, 12:00 and 18:00 UTC).
    Every(SignedDuration),
}

impl TryFrom<String> for Schedule {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl std::str::FromStr for Schedule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "{s:?} is not a schedule: write \"daily HH:MM\" (local time) or \"every DURATION\" (such as \"every 6h\")"
            )
        };
        let s = s.trim();
        if let Some(at) = s.strip_prefix("daily ") {
            let (h, m) = at.trim().split_once(':').ok_or_else(bad)?;
            let hour: i8 = h.parse().map_err(|_| bad())?;
            let minute: i8 = m.parse().map_err(|_| bad())?;
            if !(0..24).contains(&hour) || !(0..60).contains(&minute) || m.len() != 2 {
                return Err(bad());
            }
            return Ok(Schedule::Daily { hour, minute });
        }
        if let Some(d) = s.strip_prefix("every ") {
            let d: SignedDuration = d.trim().parse().map_err(|_| bad())?;
            if d < SignedDuration::from_secs(1) {
                return Err(format!("{s:?}: the interval must be at least 1s"));
            }
            return Ok(Schedule::Every(d));
        }
        Err(bad())
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Daily { hour, minute } => write!(f, "daily {hour:02}:{minute:02}"),
            Schedule::Every(d) => write!(f, "every {d:#}"),
        }
    }
}

impl crate::setting::TomlValue for Schedule {
    fn toml(&self) -> String {
        format!("\"{self}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::Schedule;
    use jiff::SignedDuration;

    #[test]
    fn schedules_are_read_and_written_back() {
        assert_eq!(
            "daily 03:00".parse(),
            Ok(Schedule::Daily { hour: 3, minute: 0 })
        );
        assert_eq!(
            "every 6h".parse(),
            Ok(Schedule::Every(SignedDuration::from_hours(6)))
        );
        for s in ["daily 03:00", "daily 23:59", "every 6h", "every 30m"] {
            let parsed: Schedule = s.parse().expect(s);
            assert_eq!(parsed.to_string(), s);
        }
        for bad in [
            "",
            "daily",
            "daily 24:00",
            "daily 3:7",
            "daily 03:60",
            "hourly",
            "every",
            "every 0s",
            "every -1h",
            "every soon",
        ] {
            assert!(bad.parse::<Schedule>().is_err(), "{bad}");
        }
    }
}
