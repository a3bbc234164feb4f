//! What a webmaster arranges — menu entries, home-page blocks, banners, links — and the
//! checks of the rows a form sends for them (pure functions).

use crate::text::nfc;
use jiff::civil::Date;

/// The languages a site's pages are written in: Vietnamese at `/`, English under `/en/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// What a menu entry opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuTarget {
    Home,
    /// A section, by slug.
    Section(String),
    /// A static page, by slug.
    Page(String),
    Documents,
    Questions,
    Consultations,
    Schedule,
    Organisation,
    Directory,
    Photos,
    Videos,
    Contact,
    /// Any address: a path on the site or an http(s) URL.
    Url(String),
}

impl MenuTarget {
    /// The fixed places a menu entry can open (those needing no slug or address), by kind.
    pub const PLACES: [&'static str; 10] = [
        "home",
        "documents",
        "questions",
        "consultations",
        "schedule",
        "organisation",
        "directory",
        "photos",
        "videos",
        "contact",
    ];

    /// The stored (kind, target) pair.
    pub fn to_row(&self) -> (&'static str, &str) {
        match self {
            MenuTarget::Home => ("home", ""),
            MenuTarget::Section(s) => ("section", s),
            MenuTarget::Page(s) => ("page", s),
            MenuTarget::Documents => ("documents", ""),
            MenuTarget::Questions => ("questions", ""),
            MenuTarget::Consultations => ("consultations", ""),
            MenuTarget::Schedule => ("schedule", ""),
            MenuTarget::Organisation => ("organisation", ""),
            MenuTarget::Directory => ("directory", ""),
            MenuTarget::Photos => ("photos", ""),
            MenuTarget::Videos => ("videos", ""),
            MenuTarget::Contact => ("contact", ""),
            MenuTarget::Url(u) => ("url", u),
        }
    }

    /// From a stored or sent (kind, target) pair; None for an unknown kind or a missing
    /// slug or address.
    pub fn from_row(kind: &str, target: &str) -> Option<MenuTarget> {
        let target = target.trim();
        let needs = |t: &str| (!t.is_empty()).then(|| t.to_owned());
        Some(match kind {
            "home" => MenuTarget::Home,
            "section" => MenuTarget::Section(needs(target)?),
            "page" => MenuTarget::Page(needs(target)?),
            "documents" => MenuTarget::Documents,
            "questions" => MenuTarget::Questions,
            "consultations" => MenuTarget::Consultations,
            "schedule" => MenuTarget::Schedule,
            "organisation" => MenuTarget::Organisation,
            "directory" => MenuTarget::Directory,
            "photos" => MenuTarget::Photos,
            "videos" => MenuTarget::Videos,
            "contact" => MenuTarget::Contact,
            "url" => MenuTarget::Url(address(target)?),
            _ => return None,
        })
    }
}

/// One menu entry; depth 1 entries belong to the top entry before them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    pub depth: u8,
    pub label: String,
    pub target: MenuTarget,
}

/// A top menu entry with the entries under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuTree {
    pub entry: MenuEntry,
    pub children: Vec<MenuEntry>,
}

/// Nests a flat list: each depth-1 entry under the top entry before it.
pub fn tree(entries: &[MenuEntry]) -> Vec<MenuTree> {
    let mut out: Vec<MenuTree> = Vec::new();
    for e in entries {
        match out.last_mut() {
            Some(top) if e.depth > 0 => top.children.push(e.clone()),
            _ => out.push(MenuTree {
                entry: MenuEntry {
                    depth: 0,
                    ..e.clone()
                },
                children: Vec::new(),
            }),
        }
    }
    out
}

/// A block of the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Featured,
    Latest,
    Section,
    Documents,
    MostRead,
    Photos,
    Videos,
    Banners,
    Links,
    Schedule,
}

impl BlockKind {
    pub const ALL: [BlockKind; 10] = [
        BlockKind::Featured,
        BlockKind::Latest,
        BlockKind::Section,
        BlockKind::Documents,
        BlockKind::MostRead,
        BlockKind::Photos,
        BlockKind::Videos,
        BlockKind::Banners,
        BlockKind::Links,
        BlockKind::Schedule,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BlockKind::Featured => "featured",
            BlockKind::Latest => "latest",
            BlockKind::Section => "section",
            BlockKind::Documents => "documents",
            BlockKind::MostRead => "most_read",
            BlockKind::Photos => "photos",
            BlockKind::Videos => "videos",
            BlockKind::Banners => "banners",
            BlockKind::Links => "links",
            BlockKind::Schedule => "schedule",
        }
    }

    pub fn parse(code: &str) -> Option<BlockKind> {
        BlockKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One block: its kind, its section (for a section block), how many items, its own title
/// (empty: the kind's or the section's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeBlock {
    pub kind: BlockKind,
    pub section: Option<i64>,
    pub count: u32,
    pub title: String,
}

/// Most items a block may show.
pub const MAX_BLOCK_ITEMS: u32 = 30;

/// Where a banner is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BannerPlace {
    /// Under the header, on every page.
    Top,
    /// In the sidebar, on every page.
    Sidebar,
    /// In the home page's banner block.
    Home,
}

impl BannerPlace {
    pub const ALL: [BannerPlace; 3] = [BannerPlace::Top, BannerPlace::Sidebar, BannerPlace::Home];

    pub fn code(self) -> &'static str {
        match self {
            BannerPlace::Top => "top",
            BannerPlace::Sidebar => "sidebar",
            BannerPlace::Home => "home",
        }
    }

    pub fn parse(code: &str) -> Option<BannerPlace> {
        BannerPlace::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// A banner: an image of the site's library, its link and alt text, its days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    pub place: BannerPlace,
    pub image: i64,
    pub link: String,
    pub alt: String,
    pub starts: Option<Date>,
    pub ends: Option<Date>,
    /// The image's stored file, the widths of its copies, its size in pixels.
    pub file: String,
    pub widths: Vec<u32>,
    pub width: i64,
    pub height: i64,
}

impl Banner {
    /// Shown on `today` (both ends inclusive).
    pub fn shown_on(&self, today: Date) -> bool {
        self.starts.is_none_or(|s| s <= today) && self.ends.is_none_or(|e| today <= e)
    }
}

/// A link of "Liên kết website".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEntry {
    pub title: String,
    pub url: String,
}

/// An address a reader may follow: a path on this site, or an http(s) URL with a host.
/// Anything else (`javascript:`, `data:`, `//host`, spaces) is None.
pub fn address(raw: &str) -> Option<String> {
    let a = raw.trim();
    if a.is_empty() || a.len() > 2000 || a.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    if a.starts_with('/') {
        return (!a.starts_with("//")).then(|| a.to_owned());
    }
    let rest = a
        .strip_prefix("https://")
        .or_else(|| a.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    (!host.is_empty()).then(|| a.to_owned())
}

/// A label or title: trimmed, NFC, 1 to `max` characters.
pub fn label(raw: &str, max: usize) -> Option<String> {
    let s = nfc(raw.trim());
    (!s.is_empty() && s.chars().count() <= max).then_some(s)
}

/// A day as `yyyy-mm-dd` or `dd/mm/yyyy` (the documents library's reading); empty is None;
/// Err for anything else.
pub fn day(raw: &str) -> Result<Option<Date>, ()> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    crate::documents::parse_day(raw).map(Some).ok_or(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_paths_or_web_urls() {
        assert_eq!(
            address(" /trang/gioi-thieu "),
            Some("/trang/gioi-thieu".into())
        );
        assert_eq!(
            address("https://chinhphu.vn/"),
            Some("https://chinhphu.vn/".into())
        );
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "data:text/html,x",
            "https://",
            "ftp://x",
            "/a b",
            "",
        ] {
            assert_eq!(address(bad), None, "{bad}");
        }
    }

    #[test]
    fn menu_targets_round_trip_and_need_their_slug() {
        for t in [
            MenuTarget::Home,
            MenuTarget::Section("tin-tuc".into()),
            MenuTarget::Page("gioi-thieu".into()),
            MenuTarget::Schedule,
            MenuTarget::Url("https://dichvucong.gov.vn".into()),
        ] {
            let (k, v) = t.to_row();
            assert_eq!(MenuTarget::from_row(k, v), Some(t.clone()));
        }
        assert_eq!(MenuTarget::from_row("section", " "), None);
        assert_eq!(MenuTarget::from_row("url", "javascript:x"), None);
        assert_eq!(MenuTarget::from_row("script", ""), None);
    }

    #[test]
    fn a_flat_menu_nests_under_the_top_entry_before() {
        let e = |depth, label: &str| MenuEntry {
            depth,
            label: label.into(),
            target: MenuTarget::Home,
        };
        // A child with no top entry before it becomes a top entry.
        let t = tree(&[e(1, "a"), e(0, "b"), e(1, "b1"), e(1, "b2"), e(0, "c")]);
        let shape: Vec<(&str, usize)> = t
            .iter()
            .map(|t| (t.entry.label.as_str(), t.children.len()))
            .collect();
        assert_eq!(shape, [("a", 0), ("b", 2), ("c", 0)]);
        assert_eq!(t[0].entry.depth, 0);
    }

    #[test]
    fn banners_show_between_their_days_inclusive() {
        let d = |s: &str| s.parse::<Date>().expect("ok");
        let b = Banner {
            place: BannerPlace::Top,
            image: 1,
            link: String::new(),
            alt: "x".into(),
            starts: Some(d("2026-12-01")),
            ends: Some(d("2026-12-31")),
            file: String::new(),
            widths: Vec::new(),
            width: 300,
            height: 100,
        };
        assert!(!b.shown_on(d("2026-11-30")));
        assert!(b.shown_on(d("2026-12-01")));
        assert!(b.shown_on(d("2026-12-31")));
        assert!(!b.shown_on(d("2027-01-01")));
        let open = Banner {
            starts: None,
            ends: None,
            ..b
        };
        assert!(open.shown_on(d("1999-01-01")));
    }

    #[test]
    fn days_in_both_spellings() {
        assert_eq!(
            day("07/12/2026"),
            Ok(Some("2026-12-07".parse().expect("ok")))
        );
        assert_eq!(
            day("2026-12-07"),
            Ok(Some("2026-12-07".parse().expect("ok")))
        );
        assert_eq!(day(""), Ok(None));
        assert_eq!(day("31/02/2026"), Err(()));
        assert_eq!(day("hôm nay"), Err(()));
    }
}
