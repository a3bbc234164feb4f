//! How documents' dates are read and how their status of effect and relations are said.

use super::{Effect, Relation};
use jiff::civil::Date;

/// A day as a form or a sheet gives it: `2024-03-15` (a date input) or `15/03/2024` (as
/// Vietnamese write it; `15/3/2024` too). `None` for anything else.
pub fn parse_day(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    let mut parts = s.split(['/', '-', '.']).map(str::trim);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// The label a reader sees for a status of effect.
pub fn effect_label(e: Effect) -> &'static str {
    match e {
        Effect::NotYet => "Chưa có hiệu lực",
        Effect::InForce => "Còn hiệu lực",
        Effect::PartlyExpired => "Hết hiệu lực một phần",
        Effect::Expired => "Hết hiệu lực",
    }
}

/// How a relation reads from the document that states it (`outgoing`) or from the one it
/// names.
pub fn relation_label(r: Relation, outgoing: bool) -> &'static str {
    match (r, outgoing) {
        (Relation::Replaces, true) => "Thay thế",
        (Relation::Replaces, false) => "Bị thay thế bởi",
        (Relation::PartlyReplaces, true) => "Thay thế một phần",
        (Relation::PartlyReplaces, false) => "Bị thay thế một phần bởi",
        (Relation::Amends, true) => "Sửa đổi, bổ sung",
        (Relation::Amends, false) => "Được sửa đổi, bổ sung bởi",
        (Relation::Repeals, true) => "Bãi bỏ",
        (Relation::Repeals, false) => "Bị bãi bỏ bởi",
        (Relation::Guides, true) => "Hướng dẫn",
        (Relation::Guides, false) => "Được hướng dẫn bởi",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_both_spellings() {
        let d = Date::new(2024, 3, 15).ok();
        assert_eq!(parse_day("2024-03-15"), d);
        assert_eq!(parse_day("15/03/2024"), d);
        assert_eq!(parse_day(" 15/3/2024 "), d);
        assert_eq!(parse_day("15.03.2024"), d);
        assert_eq!(parse_day("31/02/2024"), None);
        assert_eq!(parse_day("15/03/24"), None);
        assert_eq!(parse_day(""), None);
        assert_eq!(parse_day("hôm qua"), None);
    }

    #[test]
    fn every_relation_reads_both_ways_differently() {
        for r in Relation::ALL {
            assert_ne!(relation_label(r, true), relation_label(r, false));
        }
    }
}
