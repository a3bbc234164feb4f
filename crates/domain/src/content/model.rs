//! What the portal publishes, as the rest of cong sees it.

use crate::navigation::Lang;
use cong_store::articles::{ArticleRow, ArticleSummaryRow, GalleryImageRow};
use cong_store::pages::PageRow;
use cong_store::sections::SectionRow;
use cong_store::settings::LinkRow;
use jiff::Timestamp;
use std::collections::BTreeMap;

/// The widths of an image's resized copies, from the stored "320,640".
pub(crate) fn widths(csv: Option<&str>) -> Vec<u32> {
    csv.unwrap_or_default()
        .split(',')
        .filter_map(|w| w.trim().parse().ok())
        .collect()
}

fn ts(epoch: i64) -> Timestamp {
    Timestamp::from_second(epoch).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<i64>,
    pub in_menu: bool,
    /// A static page shown at the top of the section (for "Giới thiệu", "Liên hệ").
    pub page_id: Option<i64>,
    /// The language of its articles and of the pages it is listed on.
    pub lang: Lang,
}

impl From<SectionRow> for Section {
    fn from(r: SectionRow) -> Self {
        Section {
            id: r.id,
            slug: r.slug,
            name: r.name,
            description: r.description,
            parent_id: r.parent_id,
            in_menu: r.in_menu,
            page_id: r.page_id,
            lang: Lang::parse(&r.lang).unwrap_or(Lang::Vi),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// Sanitized on save; safe to render as is.
    pub body_html: String,
    pub updated_at: Timestamp,
    /// What an edit form names when it saves (optimistic locking).
    pub version: i64,
    pub lang: Lang,
    /// The page it translates, if it is a translation.
    pub translation_of: Option<i64>,
}

impl From<PageRow> for Page {
    fn from(r: PageRow) -> Self {
        Page {
            id: r.id,
            slug: r.slug,
            title: r.title,
            body_html: r.body_html,
            updated_at: ts(r.updated_at),
            version: r.version,
            lang: Lang::parse(&r.lang).unwrap_or(Lang::Vi),
            translation_of: r.translation_of,
        }
    }
}

/// Another site, as a list or a page names it: its name and canonical address (which may
/// be empty while it is the only site).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLabel {
    pub id: cong_store::SiteId,
    pub name: String,
    pub address: String,
}

/// An article in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSummary {
    pub id: i64,
    pub site_id: cong_store::SiteId,
    /// Set when the article belongs to another site than the list's (a gathering section):
    /// its link goes to that site's address, and the list names the site.
    pub from_site: Option<SiteLabel>,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub author: String,
    pub featured: bool,
    /// File name of the cover image in the media folder.
    pub cover: Option<String>,
    /// Widths of the cover's resized copies.
    pub cover_widths: Vec<u32>,
    pub published_at: Timestamp,
}

impl From<ArticleSummaryRow> for ArticleSummary {
    fn from(r: ArticleSummaryRow) -> Self {
        ArticleSummary {
            id: r.id,
            site_id: r.site_id,
            from_site: None,
            section_id: r.section_id,
            slug: r.slug,
            title: r.title,
            summary: r.summary,
            author: r.author,
            featured: r.featured,
            cover: r.cover_file,
            cover_widths: widths(r.cover_widths.as_deref()),
            published_at: ts(r.published_at),
        }
    }
}

/// One image of a gallery; `alt` is never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GalleryImage {
    pub file_name: String,
    pub caption: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
    /// Widths of the resized copies.
    pub widths: Vec<u32>,
}

impl From<GalleryImageRow> for GalleryImage {
    fn from(r: GalleryImageRow) -> Self {
        GalleryImage {
            file_name: r.file_name,
            caption: r.caption,
            alt: r.alt,
            width: r.width,
            height: r.height,
            widths: widths(Some(&r.widths)),
        }
    }
}

/// A whole article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: i64,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Sanitized on save; safe to render as is.
    pub body_html: String,
    pub author: String,
    pub cover: Option<String>,
    pub cover_widths: Vec<u32>,
    pub gallery_title: String,
    pub gallery: Vec<GalleryImage>,
    pub published_at: Timestamp,
    pub updated_at: Timestamp,
    /// The stored view count, and the flush sequence it includes; add what this node has
    /// not flushed with `Stats::article_views`.
    pub stored_views: i64,
    pub stored_views_seq: i64,
    /// For a copy shared to this site: the original, whose current content it shows.
    pub origin: Option<Origin>,
    /// The article (in another language) it translates.
    pub translation_of: Option<i64>,
}

/// The original of a shared copy: its id, its site and its slug there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub article_id: i64,
    pub site: SiteLabel,
    pub slug: String,
}

impl Article {
    pub(crate) fn from_row(r: ArticleRow, gallery: Vec<GalleryImage>) -> Self {
        Article {
            id: r.id,
            section_id: r.section_id,
            slug: r.slug,
            title: r.title,
            summary: r.summary,
            body_html: r.body_html,
            author: r.author,
            cover: r.cover_file,
            cover_widths: widths(r.cover_widths.as_deref()),
            gallery_title: r.gallery_title,
            gallery,
            published_at: ts(r.published_at),
            updated_at: ts(r.updated_at),
            stored_views: r.views,
            stored_views_seq: r.flush_seq,
            origin: None,
            translation_of: r.translation_of,
        }
    }
}

/// A link of "Liên kết website".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub url: String,
}

impl From<LinkRow> for Link {
    fn from(r: LinkRow) -> Self {
        Link {
            title: r.title,
            url: r.url,
        }
    }
}

/// The site's own data: names, footer, links. Keys are listed in [`Site::KEYS`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    pub settings: BTreeMap<String, String>,
    pub links: Vec<Link>,
}

impl Site {
    /// Settings a site has, with what each is for (as the back office labels them).
    pub const KEYS: [(&'static str, &'static str); 21] = [
        ("site.name", "Tên cơ quan (trên đầu trang và trong tiêu đề)"),
        (
            "site.parent",
            "Cơ quan chủ quản (dòng trên tên, ví dụ \"UBND tỉnh …\")",
        ),
        ("site.tagline", "Khẩu hiệu (dòng dưới tên)"),
        ("footer.address", "Địa chỉ"),
        ("footer.phone", "Điện thoại"),
        ("footer.email", "Thư điện tử"),
        ("footer.responsible", "Người chịu trách nhiệm chính"),
        (
            "footer.license",
            "Giấy phép thiết lập trang thông tin điện tử",
        ),
        ("footer.copyright", "Dòng bản quyền"),
        (
            "site.name.en",
            "Tên cơ quan bằng tiếng Anh (trang /en/); để trống: tên tiếng Việt",
        ),
        ("site.parent.en", "Cơ quan chủ quản bằng tiếng Anh"),
        ("site.tagline.en", "Khẩu hiệu bằng tiếng Anh"),
        ("footer.address.en", "Địa chỉ bằng tiếng Anh"),
        (
            "footer.responsible.en",
            "Người chịu trách nhiệm chính (tiếng Anh)",
        ),
        ("footer.license.en", "Giấy phép thiết lập trang (tiếng Anh)"),
        (
            "footer.phone.en",
            "Điện thoại (cách ghi trên trang tiếng Anh)",
        ),
        ("footer.copyright.en", "Dòng bản quyền (tiếng Anh)"),
        (
            "badge.tinnhiemmang",
            "Mã chứng nhận Tín Nhiệm Mạng (tinnhiemmang.vn); để trống: không hiện",
        ),
        (
            "badge.ipv6",
            "Biểu tượng IPv6 Ready: ghi 1 để hiện; để trống: không hiện",
        ),
        (
            "badge.emc",
            "Địa chỉ https của mã theo dõi EMC; để trống: không nạp",
        ),
        (
            cong_store::stats::TOTAL_OFFSET_KEY,
            "Số lượt truy cập cộng thêm vào tổng (khi chuyển từ trang cũ sang); để trống: 0 \
             (riêng cổng chính: số trong tệp cấu hình)",
        ),
    ];

    /// A setting as pages in `lang` show it: its `.en` version on English pages when it
    /// has one, else the Vietnamese one.
    pub fn get_in(&self, key: &str, lang: Lang) -> &str {
        if lang != Lang::Vi
            && let Some(v) = self
                .settings
                .get(&format!("{key}.{}", lang.code()))
                .filter(|v| !v.trim().is_empty())
        {
            return v;
        }
        self.get(key)
    }

    /// Why `value` cannot be the setting `key`, if it cannot (in the back office's words).
    pub fn check(key: &str, value: &str) -> Option<&'static str> {
        let v = value.trim();
        if v.chars().count() > 1000 {
            return Some("Giá trị quá dài (tối đa 1.000 ký tự).");
        }
        if v.is_empty() {
            return None;
        }
        match key {
            "badge.tinnhiemmang" if !is_certificate_id(v) => {
                Some("Mã chứng nhận Tín Nhiệm Mạng chỉ gồm chữ cái không dấu, chữ số, dấu gạch.")
            }
            "badge.ipv6" if v != "1" => {
                Some("IPv6 Ready: ghi 1 để hiện biểu tượng, để trống để ẩn.")
            }
            "badge.emc" if !is_script_url(v) => Some(
                "Mã theo dõi EMC phải là một địa chỉ https:// (không có dấu cách hay dấu nháy).",
            ),
            cong_store::stats::TOTAL_OFFSET_KEY
                if v.len() > 15 || !v.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(
                    "Số lượt cộng thêm phải là một số nguyên không âm (chỉ gồm chữ số, tối đa 15 chữ số).",
                )
            }
            _ => None,
        }
    }

    /// The Tín Nhiệm Mạng certificate id, when the badge is on.
    pub fn tinnhiemmang_id(&self) -> Option<&str> {
        Some(self.get("badge.tinnhiemmang").trim()).filter(|id| is_certificate_id(id))
    }

    /// The EMC monitoring script, when on.
    pub fn emc_script(&self) -> Option<&str> {
        Some(self.get("badge.emc").trim()).filter(|url| is_script_url(url))
    }

    /// The origins an enabled badge needs, as (images, scripts), for the CSP.
    pub fn badge_origins(&self) -> (Vec<String>, Vec<String>) {
        let mut img = Vec::new();
        let mut script = Vec::new();
        if self.tinnhiemmang_id().is_some() {
            img.push("https://tinnhiemmang.vn".to_owned());
        }
        if let Some(url) = self.emc_script() {
            let rest = &url["https://".len()..];
            let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            script.push(format!("https://{host}"));
        }
        (img, script)
    }

    /// A setting, or "" when not set.
    pub fn get(&self, key: &str) -> &str {
        self.settings.get(key).map_or("", String::as_str)
    }
}

fn is_certificate_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// An https address with a host, and nothing that could leave an HTML attribute.
fn is_script_url(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
            && url
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'\\'))
    })
}

/// What the home page shows.
#[derive(Debug, Clone)]
pub struct Home {
    pub featured: Vec<ArticleSummary>,
    pub latest: Vec<ArticleSummary>,
    /// Each section in the menu that has articles, with its newest ones.
    pub sections: Vec<(Section, Vec<ArticleSummary>)>,
    /// The sites whose articles the page shows besides its own (gathering sections).
    pub gathers: Vec<cong_store::SiteId>,
}

/// A section's page.
#[derive(Debug, Clone)]
pub struct SectionPage {
    pub section: Section,
    /// The section above it (sections nest one level).
    pub parent: Option<Section>,
    /// Sections below it, shown in the menu's order.
    pub children: Vec<Section>,
    pub landing: Option<Page>,
    pub articles: super::Paged<ArticleSummary>,
    /// The sites whose newest articles it gathers besides its own (none for most).
    pub sources: Vec<cong_store::SiteId>,
}

/// An article's page.
#[derive(Debug, Clone)]
pub struct ArticlePage {
    pub article: Article,
    pub section: Section,
    /// "Tin khác": the section's other articles, paginated on their own.
    pub others: super::Paged<ArticleSummary>,
    /// The article in each language it is published in (itself included), by slug.
    pub versions: Vec<(Lang, String)>,
}
