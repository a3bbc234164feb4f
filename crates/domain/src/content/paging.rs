//! Numbered pagination: which page numbers a list shows ("1 2 3 4 5 … 12").

use crate::{Error, Result};

/// One page of a list, with what the page links need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// The page shown, from 1.
    pub page: u32,
    /// How many pages there are (at least 1, even for an empty list).
    pub pages: u32,
    /// How many items in all.
    pub total: i64,
}

impl<T> Paged<T> {
    /// The page links to draw around the current page.
    pub fn links(&self) -> Vec<PageLink> {
        links(self.page, self.pages)
    }
}

/// One item of the page-number row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLink {
    Number(u32),
    /// "…": numbers left out.
    Gap,
}

/// Pages needed for `total` items, `per_page` a page; an empty list still has page 1.
pub fn page_count(total: i64, per_page: u32) -> u32 {
    let per = i64::from(per_page.max(1));
    u32::try_from(((total.max(0) + per - 1) / per).max(1)).unwrap_or(u32::MAX)
}

/// Checks `page` against the list's size and gives the row offset to read from.
pub fn offset_of(page: u32, total: i64, per_page: u32) -> Result<i64> {
    if page == 0 {
        return Err(Error::Invalid("page numbers start at 1".to_owned()));
    }
    if page > page_count(total, per_page) {
        return Err(Error::NotFound);
    }
    Ok(i64::from(page - 1) * i64::from(per_page))
}

/// How many numbered pages show around the current one (the reference page shows five).
const WINDOW: u32 = 5;

/// The first page, a window of five around the current one, the last page, with gaps:
/// `1 2 3 4 5 … 12`, `1 … 4 5 6 7 8 … 12`, `1 … 8 9 10 11 12`.
pub fn links(current: u32, pages: u32) -> Vec<PageLink> {
    if pages <= WINDOW + 2 {
        return (1..=pages).map(PageLink::Number).collect();
    }
    let half = WINDOW / 2;
    let start = current.saturating_sub(half).clamp(1, pages - WINDOW + 1);
    let end = start + WINDOW - 1;
    let mut out = Vec::with_capacity(WINDOW as usize + 4);
    if start > 1 {
        out.push(PageLink::Number(1));
        if start > 2 {
            out.push(PageLink::Gap);
        }
    }
    out.extend((start..=end).map(PageLink::Number));
    if end < pages {
        if end < pages - 1 {
            out.push(PageLink::Gap);
        }
        out.push(PageLink::Number(pages));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(current: u32, pages: u32) -> String {
        links(current, pages)
            .iter()
            .map(|l| match l {
                PageLink::Number(n) => n.to_string(),
                PageLink::Gap => "…".to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn shaped_like_the_reference_page() {
        assert_eq!(show(1, 12), "1 2 3 4 5 … 12");
        assert_eq!(show(3, 12), "1 2 3 4 5 … 12");
        assert_eq!(show(4, 12), "1 2 3 4 5 6 … 12");
        assert_eq!(show(6, 12), "1 … 4 5 6 7 8 … 12");
        assert_eq!(show(10, 12), "1 … 8 9 10 11 12");
        assert_eq!(show(12, 12), "1 … 8 9 10 11 12");
    }

    #[test]
    fn short_lists_show_every_page() {
        assert_eq!(show(1, 1), "1");
        assert_eq!(show(2, 7), "1 2 3 4 5 6 7");
    }

    #[test]
    fn offsets_and_bounds() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(offset_of(1, 0, 10).ok(), Some(0));
        assert_eq!(offset_of(2, 11, 10).ok(), Some(10));
        assert!(matches!(offset_of(3, 11, 10), Err(Error::NotFound)));
        assert!(matches!(offset_of(0, 11, 10), Err(Error::Invalid(_))));
        assert!(matches!(offset_of(u32::MAX, 11, 10), Err(Error::NotFound)));
    }
}
