//! What every page shares: the site's data, the menu, the visitor widget, the head.

use crate::format::number;
use crate::urls;
use cong_domain::content::{Section, Site};
use cong_domain::navigation::{Banner, Lang, MenuTarget, MenuTree};
use cong_domain::stats::Widget;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub name: String,
    pub parent: String,
    pub tagline: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub responsible: String,
    pub license: String,
    pub copyright: String,
    pub links: Vec<LinkView>,
    pub pages: Vec<LinkView>,
    /// Footer badges, each off unless configured.
    pub tinnhiemmang_id: Option<String>,
    pub ipv6_badge: bool,
    pub emc_script: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

impl SiteView {
    /// `pages` are the static pages linked from the footer, as (slug, title).
    pub fn new(site: &Site, pages: &[(String, String)]) -> Self {
        // English pages show the English versions of the names and footer lines the
        // webmaster filled in.
        let lang = crate::i18n::current();
        let get = |key: &str| site.get_in(key, lang).to_owned();
        let name = match get("site.name") {
            n if n.is_empty() => match lang {
                Lang::Vi => "Cổng thông tin điện tử".to_owned(),
                Lang::En => "Electronic information portal".to_owned(),
            },
            n => n,
        };
        SiteView {
            name,
            parent: get("site.parent"),
            tagline: get("site.tagline"),
            address: get("footer.address"),
            phone: get("footer.phone"),
            email: site.get("footer.email").to_owned(),
            responsible: get("footer.responsible"),
            license: get("footer.license"),
            copyright: get("footer.copyright"),
            links: site
                .links
                .iter()
                .map(|l| LinkView {
                    title: l.title.clone(),
                    url: l.url.clone(),
                })
                .collect(),
            tinnhiemmang_id: site.tinnhiemmang_id().map(str::to_owned),
            ipv6_badge: site.get("badge.ipv6").trim() == "1",
            emc_script: site.emc_script().map(str::to_owned),
            pages: pages
                .iter()
                .map(|(slug, title)| LinkView {
                    title: title.clone(),
                    url: urls::page(slug),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
    /// This item's page is the one shown.
    pub current: bool,
    /// The page shown belongs to this item (an article of the section, or a page of one
    /// of its entries).
    pub active: bool,
    /// The entries under it (a two-level menu).
    pub children: Vec<MenuItem>,
}

/// Where a menu entry leads.
pub fn target_url(target: &MenuTarget) -> String {
    match target {
        MenuTarget::Home => "/".to_owned(),
        MenuTarget::Section(s) => urls::section(s),
        MenuTarget::Page(s) => urls::page(s),
        MenuTarget::Documents => urls::DOCUMENTS.to_owned(),
        MenuTarget::Questions => urls::QUESTIONS.to_owned(),
        MenuTarget::Consultations => urls::CONSULTATIONS.to_owned(),
        MenuTarget::Schedule => urls::SCHEDULE.to_owned(),
        MenuTarget::Organisation => urls::ORGANISATION.to_owned(),
        MenuTarget::Directory => urls::DIRECTORY.to_owned(),
        MenuTarget::Photos => urls::PHOTOS.to_owned(),
        MenuTarget::Videos => urls::VIDEOS.to_owned(),
        MenuTarget::Contact => urls::CONTACT.to_owned(),
        MenuTarget::Url(u) => u.clone(),
    }
}

/// A banner as drawn: its picture's copies, link and alt text.
#[derive(Debug, Clone, Serialize)]
pub struct BannerView {
    pub src: String,
    pub webp: String,
    pub srcset: String,
    pub link: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
}

impl BannerView {
    pub fn new(b: &Banner) -> Self {
        let (webp, srcset) = urls::srcsets(&b.file, &b.widths);
        BannerView {
            src: urls::media(&b.file),
            webp,
            srcset,
            link: b.link.clone(),
            alt: b.alt.clone(),
            width: b.width,
            height: b.height,
        }
    }
}

/// The five rows of "Thống kê truy cập", formatted.
#[derive(Debug, Clone, Serialize)]
pub struct WidgetView {
    pub online: String,
    pub today: String,
    pub week: String,
    pub month: String,
    pub total: String,
}

impl From<Widget> for WidgetView {
    fn from(w: Widget) -> Self {
        WidgetView {
            online: number(w.online),
            today: number(w.today),
            week: number(w.week),
            month: number(w.month),
            total: number(w.total),
        }
    }
}

/// The document head: title and description.
#[derive(Debug, Clone, Serialize)]
pub struct Head {
    /// The document title: the page's name, then the site's.
    pub title: String,
    /// The page's own name (for Open Graph, Twitter and Dublin Core).
    pub name: String,
    pub description: String,
    /// The page's absolute URL ("https://…/bai-viet/…"); empty until set.
    pub canonical: String,
    /// "website" or "article" (Open Graph).
    pub og_type: &'static str,
    /// An absolute image URL for Open Graph and Twitter cards.
    pub image: Option<String>,
    /// Feeds of this page: (title, absolute URL, MIME type).
    pub feeds: Vec<(String, String, &'static str)>,
    /// Dublin Core elements (name without "DC.", content), as government portals carry.
    pub dc: Vec<(&'static str, String)>,
    /// A JSON-LD object, already safe to put inside `<script type="application/ld+json">`.
    pub json_ld: Option<String>,
    /// `<meta name="robots">`, for pages search engines should not keep (search results).
    pub robots: Option<&'static str>,
}

impl Head {
    /// JSON for a `<script>` block, which no string in it can close.
    pub fn json_ld(value: &serde_json::Value) -> String {
        // '<' only occurs inside JSON strings, where \u003c means the same and cannot close
        // the script element or open a comment.
        value.to_string().replace('<', "\\u003c")
    }
}

/// Everything the base template needs.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    pub site: SiteView,
    pub menu: Vec<MenuItem>,
    /// The home page is the one shown.
    pub home_current: bool,
    pub widget: WidgetView,
    pub head: Head,
    /// "Tin xem nhiều": the site's most-read published articles, on the pages that show it
    /// (empty elsewhere, and then not shown).
    pub most_read: Vec<LinkView>,
    /// Banners shown today under the header and in the sidebar.
    pub banners_top: Vec<BannerView>,
    pub banners_side: Vec<BannerView>,
    /// The menu is the webmaster's (its first entry is theirs, no fixed "Trang chủ").
    pub arranged: bool,
    /// This page in each language it exists in (`hreflang` links), when it has a translation.
    pub alternates: Vec<Alternate>,
    /// The link to the other language: to this page's translation, else to its home page.
    pub switch: Option<LangSwitch>,
}

/// A language version of the page shown: its code and absolute address.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub lang: &'static str,
    pub url: String,
}

/// The language switch: the other language's name in that language, and where it leads.
#[derive(Debug, Clone, Serialize)]
pub struct LangSwitch {
    pub lang: &'static str,
    pub label: &'static str,
    pub url: String,
}

/// A language's name in itself, as the switch shows it.
pub fn endonym(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Tiếng Việt",
        Lang::En => "English",
    }
}

impl Layout {
    /// `current` is the slug of the section whose page is shown; `active` the section an
    /// article belongs to.
    pub fn new(
        site: SiteView,
        menu: &[Section],
        widget: impl Into<WidgetView>,
        current: Option<&str>,
        active: Option<&str>,
    ) -> Self {
        Layout {
            home_current: false,
            menu: menu
                .iter()
                .map(|s| MenuItem {
                    name: s.name.clone(),
                    url: urls::section(&s.slug),
                    current: current == Some(s.slug.as_str()),
                    active: active == Some(s.slug.as_str()),
                    children: Vec::new(),
                })
                .collect(),
            head: Head {
                title: site.name.clone(),
                name: site.name.clone(),
                description: site.tagline.clone(),
                canonical: String::new(),
                og_type: "website",
                image: None,
                feeds: Vec::new(),
                dc: Vec::new(),
                json_ld: None,
                robots: None,
            },
            site,
            widget: widget.into(),
            most_read: Vec::new(),
            banners_top: Vec::new(),
            banners_side: Vec::new(),
            arranged: false,
            alternates: Vec::new(),
            switch: None,
        }
    }

    /// The page's versions: `paths` has the page's path (with its language prefix) in each
    /// language it exists in, `here` the language shown. Alternates are listed only when
    /// there is more than one version; the switch leads to the other language's version,
    /// else to that language's home page.
    pub fn with_languages(mut self, base: &str, here: Lang, paths: &[(Lang, String)]) -> Self {
        self.alternates = if paths.len() > 1 {
            paths
                .iter()
                .map(|(l, p)| Alternate {
                    lang: l.code(),
                    url: format!("{base}{p}"),
                })
                .collect()
        } else {
            Vec::new()
        };
        let other = Lang::ALL.into_iter().find(|l| *l != here);
        self.switch = other.map(|o| LangSwitch {
            lang: o.code(),
            label: endonym(o),
            url: paths
                .iter()
                .find(|(l, _)| *l == o)
                .map(|(_, p)| p.clone())
                .unwrap_or_else(|| crate::i18n::localize_in(o, "/")),
        });
        self
    }

    /// Replaces the sections' menu with the webmaster's. An entry is current when it leads
    /// to the page shown (`current` is a section's slug or a place's path), active when one
    /// of its children is current or it is the section of the article shown (`active`).
    pub fn with_menu(
        mut self,
        menu: &[MenuTree],
        current: Option<&str>,
        active: Option<&str>,
    ) -> Self {
        let here: Option<String> = current.map(|c| {
            if c.starts_with('/') {
                c.to_owned()
            } else {
                urls::section(c)
            }
        });
        let within = active.map(urls::section);
        let item = |t: &MenuTarget, name: &str| {
            let url = target_url(t);
            MenuItem {
                name: name.to_owned(),
                current: here.as_deref() == Some(url.as_str()),
                active: within.as_deref() == Some(url.as_str()),
                url,
                children: Vec::new(),
            }
        };
        self.menu = menu
            .iter()
            .map(|m| {
                let mut top = item(&m.entry.target, &m.entry.label);
                top.children = m
                    .children
                    .iter()
                    .map(|c| item(&c.target, &c.label))
                    .collect();
                if top.children.iter().any(|c| c.current || c.active) {
                    top.active = true;
                }
                top
            })
            .collect();
        self.arranged = true;
        self
    }

    /// The banners shown today, each in its place (the home page's are its block's).
    pub fn with_banners(mut self, banners: &[Banner]) -> Self {
        use cong_domain::navigation::BannerPlace;
        for b in banners {
            match b.place {
                BannerPlace::Top => self.banners_top.push(BannerView::new(b)),
                BannerPlace::Sidebar => self.banners_side.push(BannerView::new(b)),
                BannerPlace::Home => {}
            }
        }
        self
    }

    /// Adds the documents library to the menu (`current` on its own pages), named `name`.
    pub fn with_library(mut self, current: bool, name: String) -> Self {
        self.menu.push(MenuItem {
            name,
            url: urls::DOCUMENTS.to_owned(),
            current,
            active: false,
            children: Vec::new(),
        });
        self
    }

    /// Adds places of the portal to the menu, as (path, name); the one at `here` is current.
    pub fn with_places(mut self, places: &[(&str, String)], here: Option<&str>) -> Self {
        for (url, name) in places {
            self.menu.push(MenuItem {
                name: name.clone(),
                url: (*url).to_owned(),
                current: here == Some(*url),
                active: false,
                children: Vec::new(),
            });
        }
        self
    }

    /// Sets the page title (shown before the site's name) and description.
    pub fn titled(mut self, title: &str, description: &str) -> Self {
        self.head.title = if title.is_empty() {
            self.site.name.clone()
        } else {
            format!("{title} | {}", self.site.name)
        };
        self.head.name = if title.is_empty() {
            self.site.name.clone()
        } else {
            title.to_owned()
        };
        if !description.is_empty() {
            self.head.description = description.to_owned();
        }
        self
    }
}
