//! One view per page template.

use super::{Card, Layout, Pagination};
use crate::format::{date, date_time, iso, number};
use crate::urls;
use cong_domain::content::{ArticlePage, Home, Page, SectionPage};
use jiff::tz::TimeZone;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct HomeSection {
    pub name: String,
    pub url: String,
    pub items: Vec<Card>,
}

/// One block of an arranged home page; `kind` is the block's code (its default title is
/// the template's), `title` its own title or the section's name.
#[derive(Debug, Clone, Serialize, Default)]
pub struct HomeBlockView {
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    pub cards: Vec<Card>,
    pub links: Vec<super::LinkView>,
    pub banners: Vec<super::layout::BannerView>,
}

/// `home.html`
#[derive(Debug, Clone, Serialize)]
pub struct HomeView {
    pub layout: Layout,
    pub featured: Vec<Card>,
    pub latest: Vec<Card>,
    pub sections: Vec<HomeSection>,
    /// The webmaster's blocks, in order; empty: the default page above.
    pub blocks: Vec<HomeBlockView>,
}

impl HomeView {
    pub fn new(mut layout: Layout, home: &Home, tz: &TimeZone) -> Self {
        layout.home_current = true;
        HomeView {
            layout,
            featured: Card::list(&home.featured, tz),
            latest: Card::list(&home.latest, tz),
            sections: home
                .sections
                .iter()
                .map(|(s, items)| HomeSection {
                    name: s.name.clone(),
                    url: urls::section(&s.slug),
                    items: Card::list(items, tz),
                })
                .collect(),
            blocks: Vec::new(),
        }
    }

    /// The home page as the webmaster arranged it.
    pub fn arranged(mut layout: Layout, blocks: Vec<HomeBlockView>) -> Self {
        layout.home_current = true;
        HomeView {
            layout,
            featured: Vec::new(),
            latest: Vec::new(),
            sections: Vec::new(),
            blocks,
        }
    }
}

/// `section.html`
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub layout: Layout,
    pub name: String,
    /// (name, URL) of the section above, if any.
    pub parent: Option<(String, String)>,
    /// (name, URL) of the sections below.
    pub children: Vec<(String, String)>,
    pub description: String,
    pub landing: Option<PageView>,
    pub items: Vec<Card>,
    pub total: String,
    pub pagination: Pagination,
}

impl SectionView {
    pub fn new(layout: Layout, sp: &SectionPage, tz: &TimeZone) -> Self {
        let base = urls::section(&sp.section.slug);
        SectionView {
            layout,
            name: sp.section.name.clone(),
            parent: sp
                .parent
                .as_ref()
                .map(|p| (p.name.clone(), urls::section(&p.slug))),
            children: sp
                .children
                .iter()
                .map(|c| (c.name.clone(), urls::section(&c.slug)))
                .collect(),
            description: sp.section.description.clone(),
            landing: sp.landing.as_ref().map(|p| PageView::body(p, tz)),
            items: Card::list(&sp.articles.items, tz),
            total: number(sp.articles.total),
            pagination: Pagination::new(&sp.articles, &base, urls::PAGE_PARAM, ""),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GalleryItem {
    pub src: String,
    pub webp_srcset: String,
    pub srcset: String,
    pub alt: String,
    pub caption: String,
    pub width: i64,
    pub height: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleDetail {
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub author: String,
    pub date_time: String,
    pub datetime: String,
    pub views: String,
    pub gallery_title: String,
    pub gallery: Vec<GalleryItem>,
    pub url: String,
    /// A shared copy's origin: the site's name and the original's address there.
    pub origin_name: Option<String>,
    pub origin_url: Option<String>,
}

/// `article.html`
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub layout: Layout,
    pub article: ArticleDetail,
    pub section_name: String,
    pub section_url: String,
    pub others: Vec<Card>,
    pub others_pagination: Pagination,
    /// Attached files, listed under the body.
    pub files: Vec<super::documents::FileLink>,
}

impl ArticleView {
    /// `views` is the count to show, formatted (or its live placeholder).
    pub fn new(layout: Layout, ap: &ArticlePage, views: String, tz: &TimeZone) -> Self {
        let a = &ap.article;
        let url = urls::article(&a.slug);
        ArticleView {
            layout,
            article: ArticleDetail {
                title: a.title.clone(),
                summary: a.summary.clone(),
                body_html: a.body_html.clone(),
                author: a.author.clone(),
                date_time: date_time(a.published_at, tz),
                datetime: iso(a.published_at, tz),
                views,
                gallery_title: a.gallery_title.clone(),
                gallery: a
                    .gallery
                    .iter()
                    .map(|g| {
                        let (webp_srcset, srcset) = urls::srcsets(&g.file_name, &g.widths);
                        GalleryItem {
                            src: urls::media(&g.file_name),
                            webp_srcset,
                            srcset,
                            alt: g.alt.clone(),
                            caption: g.caption.clone(),
                            width: g.width,
                            height: g.height,
                        }
                    })
                    .collect(),
                url: url.clone(),
                origin_name: a.origin.as_ref().map(|o| o.site.name.clone()),
                origin_url: a
                    .origin
                    .as_ref()
                    .map(|o| format!("{}{}", o.site.address, urls::article(&o.slug))),
            },
            section_name: ap.section.name.clone(),
            section_url: urls::section(&ap.section.slug),
            others: Card::list(&ap.others.items, tz),
            others_pagination: Pagination::new(&ap.others, &url, urls::OTHERS_PARAM, "tin-khac"),
            files: Vec::new(),
        }
    }
}

/// `page.html`, and a section's landing page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub title: String,
    pub body_html: String,
    pub updated: String,
}

impl PageView {
    pub fn body(p: &Page, tz: &TimeZone) -> Self {
        PageView {
            title: p.title.clone(),
            body_html: p.body_html.clone(),
            updated: date(p.updated_at, tz),
        }
    }
}

/// `page.html` with the layout.
#[derive(Debug, Clone, Serialize)]
pub struct StaticPageView {
    pub layout: Layout,
    pub page: PageView,
    /// Attached files, listed under the body.
    pub files: Vec<super::documents::FileLink>,
}

/// `error.html`
#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    pub layout: Layout,
    pub status: u16,
    pub title: String,
    pub message: String,
}

/// The photo library (Thư viện ảnh) or the video library: published galleries or videos
/// as cards.
#[derive(Debug, Clone, Serialize)]
pub struct LibraryView {
    pub layout: Layout,
    pub items: Vec<Card>,
    /// The number of items, written out ("1.234").
    pub total: String,
    /// The same number, for the messages' plural forms.
    pub count: i64,
    pub pagination: Pagination,
}

impl LibraryView {
    /// A page of a library (the photo library at `urls::PHOTOS`, the video library at
    /// `urls::VIDEOS`).
    pub fn new(
        layout: Layout,
        found: &cong_domain::content::Paged<cong_domain::content::ArticleSummary>,
        tz: &TimeZone,
        base: &str,
    ) -> Self {
        LibraryView {
            layout,
            items: Card::list(&found.items, tz),
            total: number(found.total),
            count: found.total,
            pagination: Pagination::new(found, base, urls::PAGE_PARAM, ""),
        }
    }
}
