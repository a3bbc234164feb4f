//! Placeholders for what changes with every request (the article's view count, the visitor
//! widget, and the site's address as the request names it): a page is rendered once with
//! placeholders, and the values of the moment are spliced into the kept bytes each time it is
//! served.

use crate::views::WidgetView;
use std::hash::{BuildHasher, Hasher};

/// A value a page shows live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    Online,
    Today,
    Week,
    Month,
    Total,
    Views,
    /// The site's absolute address ("https://portal.gov.vn") as the request names it, in
    /// canonical links, feeds and the sitemap: one kept copy serves every Host.
    Base,
}

const ALL: [Live; 7] = [
    Live::Online,
    Live::Today,
    Live::Week,
    Live::Month,
    Live::Total,
    Live::Views,
    Live::Base,
];

/// Writes and finds placeholders. Each process picks its own random prefix, so no text an
/// editor types can pose as one.
#[derive(Debug, Clone)]
pub struct Marker {
    prefix: String,
}

impl Default for Marker {
    fn default() -> Self {
        Self::new()
    }
}

impl Marker {
    pub fn new() -> Self {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(std::process::id().into());
        // Letters and digits only: nothing HTML or XML escaping would change.
        Marker {
            prefix: format!("{{{{live{:016x}", h.finish()),
        }
    }

    /// The placeholder for `live`.
    pub fn slot(&self, live: Live) -> String {
        let n = ALL.iter().position(|l| *l == live).unwrap_or(0);
        format!("{}{n}}}}}", self.prefix)
    }

    /// The widget's five rows as placeholders.
    pub fn widget(&self) -> WidgetView {
        WidgetView {
            online: self.slot(Live::Online),
            today: self.slot(Live::Today),
            week: self.slot(Live::Week),
            month: self.slot(Live::Month),
            total: self.slot(Live::Total),
        }
    }

    /// Cuts a rendered page at its placeholders: `parts` has one more item than `slots`.
    pub fn split<'a>(&self, page: &'a str) -> (Vec<&'a str>, Vec<Live>) {
        let mut parts = Vec::new();
        let mut slots = Vec::new();
        let (mut start, mut from) = (0, 0);
        while let Some(found) = page[from..].find(&self.prefix) {
            let at = from + found;
            let end = at + self.prefix.len();
            let tail = &page.as_bytes()[end..];
            match (tail.first(), tail.get(1..3)) {
                (Some(d @ b'0'..=b'6'), Some(b"}}")) => {
                    parts.push(&page[start..at]);
                    slots.push(ALL[usize::from(d - b'0')]);
                    start = end + 3;
                    from = start;
                }
                // Not a placeholder after all: it stays text.
                _ => from = end,
            }
        }
        parts.push(&page[start..]);
        (parts, slots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_placeholders_only() {
        let m = Marker::new();
        let page = format!(
            "<p>{}</p><dd>{}</dd><a href=\"{}/\">{}x",
            m.slot(Live::Views),
            m.slot(Live::Total),
            m.slot(Live::Base),
            m.prefix
        );
        let (parts, slots) = m.split(&page);
        assert_eq!(slots, vec![Live::Views, Live::Total, Live::Base]);
        assert_eq!(
            parts,
            vec![
                "<p>",
                "</p><dd>",
                "</dd><a href=\"",
                &format!("/\">{}x", m.prefix)
            ]
        );
        let (parts, slots) = m.split("plain");
        assert_eq!((parts, slots), (vec!["plain"], vec![]));
        assert_ne!(
            Marker::new().prefix,
            m.prefix,
            "each marker picks its own prefix"
        );
    }
}
