//! Lists of articles and their page numbers.

use crate::format::{date, iso};
use crate::urls;
use cong_domain::content::{ArticleSummary, PageLink, Paged};
use jiff::tz::TimeZone;
use serde::Serialize;

/// An article in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub date: String,
    pub datetime: String,
    pub cover: Option<String>,
    pub cover_webp: String,
    pub cover_srcset: String,
    /// The name of the article's site, when it is another site's (a gathering section).
    pub site_name: Option<String>,
}

impl Card {
    pub fn new(a: &ArticleSummary, tz: &TimeZone) -> Self {
        let cover_sets = a
            .cover
            .as_deref()
            .map(|f| urls::srcsets(f, &a.cover_widths))
            .unwrap_or_default();
        // Another site's article links to it on that site. Its cover is served here too
        // (every node serves every stored image by name), so it stays on this origin.
        let base = a.from_site.as_ref().map_or("", |s| s.address.as_str());
        Card {
            title: a.title.clone(),
            url: format!("{base}{}", urls::article(&a.slug)),
            summary: a.summary.clone(),
            date: date(a.published_at, tz),
            datetime: iso(a.published_at, tz),
            cover: a.cover.as_deref().map(urls::media),
            cover_webp: cover_sets.0,
            cover_srcset: cover_sets.1,
            site_name: a.from_site.as_ref().map(|s| s.name.clone()),
        }
    }

    pub fn list(items: &[ArticleSummary], tz: &TimeZone) -> Vec<Card> {
        items.iter().map(|a| Card::new(a, tz)).collect()
    }
}

/// One item of the page-number row: a number (with its link) or a gap.
#[derive(Debug, Clone, Serialize)]
pub struct PageNumber {
    pub number: u32,
    pub url: String,
    pub current: bool,
    pub gap: bool,
}

/// The page-number row under a list.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    pub page: u32,
    pub pages: u32,
    pub links: Vec<PageNumber>,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
}

impl Pagination {
    /// Links go to `base` with `param` set to the page number, landing on `fragment`.
    pub fn new<T>(paged: &Paged<T>, base: &str, param: &str, fragment: &str) -> Self {
        let url = |n| urls::paged(base, param, n, fragment);
        Pagination {
            page: paged.page,
            pages: paged.pages,
            links: paged
                .links()
                .into_iter()
                .map(|l| match l {
                    PageLink::Number(n) => PageNumber {
                        number: n,
                        url: url(n),
                        current: n == paged.page,
                        gap: false,
                    },
                    PageLink::Gap => PageNumber {
                        number: 0,
                        url: String::new(),
                        current: false,
                        gap: true,
                    },
                })
                .collect(),
            prev_url: (paged.page > 1).then(|| url(paged.page - 1)),
            next_url: (paged.page < paged.pages).then(|| url(paged.page + 1)),
        }
    }
}
