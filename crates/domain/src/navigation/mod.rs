//! The site as its webmaster arranges it: the menu, the home page's blocks, banners and the
//! "Liên kết website" links, per language. Each save replaces one list whole, with its audit
//! entry and a settings change (every node's kept pages of the site go stale) in one
//! transaction.

mod model;

pub use model::{
    Banner, BannerPlace, BlockKind, HomeBlock, Lang, LinkEntry, MAX_BLOCK_ITEMS, MenuEntry,
    MenuTarget, MenuTree, address, tree,
};

use crate::audit::Actor;
use crate::audit::{self, Entry};
use crate::auth::Action;
use crate::clock::Clock;
use crate::{Error, Result};
use cong_store::changes::ChangeKind;
use cong_store::navigation::{BannerRow, BlockRow, LinkItem, MenuRow};
use cong_store::{SiteId, Store, Tx};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use model::{day, label};
use std::sync::Arc;

/// Longest menu label, block title, link title.
const MAX_LABEL: usize = 120;
/// Longest banner alt text.
const MAX_ALT: usize = 300;

/// A menu row as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct MenuInput {
    /// Under the top entry before it.
    pub sub: bool,
    pub label: String,
    pub kind: String,
    pub target: String,
}

/// A home-page block row as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct BlockInput {
    pub kind: String,
    pub section: String,
    pub count: String,
    pub title: String,
}

/// A banner row as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct BannerInput {
    pub place: String,
    pub image: String,
    pub link: String,
    pub alt: String,
    pub starts: String,
    pub ends: String,
}

/// A link row as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct LinkInput {
    pub title: String,
    pub url: String,
}

#[derive(Clone)]
pub struct Navigation {
    store: Store,
    clock: Arc<dyn Clock>,
    tz: TimeZone,
}

impl std::fmt::Debug for Navigation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Navigation").finish_non_exhaustive()
    }
}

impl Navigation {
    pub fn new(store: Store, clock: Arc<dyn Clock>, tz: TimeZone) -> Self {
        Navigation { store, clock, tz }
    }

    fn today(&self) -> Date {
        self.tz.to_datetime(self.clock.now()).date()
    }

    /// How long until the next midnight in the site's zone (when banners may change).
    pub fn until_midnight(&self) -> std::time::Duration {
        let now = self.clock.now();
        now.duration_until(crate::clock::next_midnight(now, &self.tz))
            .unsigned_abs()
    }

    /// The menu as arranged (empty: the site has not arranged one; its sections make it).
    pub async fn menu(&self, site: SiteId, lang: Lang) -> Result<Vec<MenuEntry>> {
        let rows = self.store.navigation(site, lang.code()).menu().await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(MenuEntry {
                    depth: u8::from(r.depth > 0),
                    label: r.label,
                    target: MenuTarget::from_row(&r.target_kind, &r.target)?,
                })
            })
            .collect())
    }

    /// The home page's blocks as arranged (empty: the default page).
    pub async fn blocks(&self, site: SiteId, lang: Lang) -> Result<Vec<HomeBlock>> {
        let rows = self.store.navigation(site, lang.code()).blocks().await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(HomeBlock {
                    kind: BlockKind::parse(&r.kind)?,
                    section: r.section_id,
                    count: u32::try_from(r.item_count).unwrap_or(1).max(1),
                    title: r.title,
                })
            })
            .collect())
    }

    /// Every banner, shown today or not, in order.
    pub async fn banners(&self, site: SiteId, lang: Lang) -> Result<Vec<Banner>> {
        let rows = self.store.navigation(site, lang.code()).banners().await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(Banner {
                    place: BannerPlace::parse(&r.place)?,
                    image: r.media_id,
                    link: r.link,
                    alt: r.alt,
                    starts: r.starts_on.parse().ok(),
                    ends: r.ends_on.parse().ok(),
                    file: r.file,
                    widths: crate::content::widths(Some(&r.widths)),
                    width: r.width,
                    height: r.height,
                })
            })
            .collect())
    }

    /// The banners shown today in the site's zone.
    pub async fn shown_banners(&self, site: SiteId, lang: Lang) -> Result<Vec<Banner>> {
        let today = self.today();
        let mut all = self.banners(site, lang).await?;
        all.retain(|b| b.shown_on(today));
        Ok(all)
    }

    /// Whether a banner of the site started showing today or stopped after yesterday: its
    /// pages changed at the last midnight with no edit.
    pub async fn banners_changed_today(&self, site: SiteId) -> Result<bool> {
        let today = self.today();
        let yesterday = today.yesterday().ok();
        for lang in Lang::ALL {
            if self
                .banners(site, lang)
                .await?
                .iter()
                .any(|b| b.starts == Some(today) || (b.ends.is_some() && b.ends == yesterday))
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub async fn links(&self, site: SiteId, lang: Lang) -> Result<Vec<LinkEntry>> {
        let rows = self.store.navigation(site, lang.code()).links().await?;
        Ok(rows
            .into_iter()
            .map(|l| LinkEntry {
                title: l.title,
                url: l.url,
            })
            .collect())
    }

    pub async fn save_menu(&self, actor: Actor<'_>, lang: Lang, rows: &[MenuInput]) -> Result<()> {
        actor.require(Action::ArrangeSite)?;
        let sections = self.store.sections(actor.site).list_all().await?;
        let pages = self
            .store
            .pages(actor.site)
            .list_titles(lang.code())
            .await?;
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if r.label.trim().is_empty() && r.target.trim().is_empty() {
                continue;
            }
            let Some(text) = label(&r.label, MAX_LABEL) else {
                errors.push(row_error("menu", i, "Tên mục cần từ 1 đến 120 ký tự."));
                continue;
            };
            let target = match MenuTarget::from_row(&r.kind, &r.target) {
                Some(MenuTarget::Section(s)) if !sections.iter().any(|x| x.slug == s) => None,
                Some(MenuTarget::Page(s)) if !pages.iter().any(|(slug, _)| *slug == s) => None,
                t => t,
            };
            let Some(target) = target else {
                errors.push(row_error(
                    "menu",
                    i,
                    "Chọn nơi mục này mở: một chuyên mục, một trang có thật, hoặc một địa chỉ bắt đầu bằng / hoặc https://.",
                ));
                continue;
            };
            let (kind, value) = target.to_row();
            out.push(MenuRow {
                depth: i64::from(r.sub && !out.is_empty()),
                label: text,
                target_kind: kind.to_owned(),
                target: value.to_owned(),
            });
        }
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let mut tx = self.store.begin().await?;
        let nav = self.store.navigation(actor.site, lang.code());
        nav.set_menu(&mut tx, &out).await?;
        self.finish(tx, actor, "layout.menu", lang, out.len()).await
    }

    pub async fn save_blocks(
        &self,
        actor: Actor<'_>,
        lang: Lang,
        rows: &[BlockInput],
    ) -> Result<()> {
        actor.require(Action::ArrangeSite)?;
        let sections = self.store.sections(actor.site).list_all().await?;
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if r.kind.is_empty() {
                continue;
            }
            let Some(kind) = BlockKind::parse(&r.kind) else {
                errors.push(row_error("block", i, "Loại khối không có."));
                continue;
            };
            let section = match kind {
                BlockKind::Section => {
                    match r
                        .section
                        .trim()
                        .parse::<i64>()
                        .ok()
                        .filter(|id| sections.iter().any(|s| s.id == *id))
                    {
                        Some(id) => Some(id),
                        None => {
                            errors.push(row_error("block", i, "Chọn chuyên mục cho khối này."));
                            continue;
                        }
                    }
                }
                _ => None,
            };
            let count = match r.count.trim() {
                "" => 5,
                n => match n.parse::<u32>() {
                    Ok(n) if (1..=MAX_BLOCK_ITEMS).contains(&n) => n,
                    _ => {
                        errors.push(row_error("block", i, "Số mục hiển thị từ 1 đến 30."));
                        continue;
                    }
                },
            };
            let title = crate::text::nfc(r.title.trim());
            if title.chars().count() > MAX_LABEL {
                errors.push(row_error("block", i, "Tiêu đề khối tối đa 120 ký tự."));
                continue;
            }
            out.push(BlockRow {
                kind: kind.code().to_owned(),
                section_id: section,
                item_count: i64::from(count),
                title,
            });
        }
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let mut tx = self.store.begin().await?;
        let nav = self.store.navigation(actor.site, lang.code());
        nav.set_blocks(&mut tx, &out).await?;
        self.finish(tx, actor, "layout.home", lang, out.len()).await
    }

    pub async fn save_banners(
        &self,
        actor: Actor<'_>,
        lang: Lang,
        rows: &[BannerInput],
    ) -> Result<()> {
        actor.require(Action::ArrangeSite)?;
        let nav = self.store.navigation(actor.site, lang.code());
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if r.image.trim().is_empty() && r.alt.trim().is_empty() && r.link.trim().is_empty() {
                continue;
            }
            let place = BannerPlace::parse(&r.place).unwrap_or(BannerPlace::Sidebar);
            let image = match r.image.trim().parse::<i64>() {
                Ok(id) if nav.image_exists(id).await? => id,
                _ => {
                    errors.push(row_error(
                        "banner",
                        i,
                        "Chọn ảnh của banner trong thư viện.",
                    ));
                    continue;
                }
            };
            let Some(alt) = label(&r.alt, MAX_ALT) else {
                errors.push(row_error(
                    "banner",
                    i,
                    "Banner cần lời mô tả ảnh (alt) cho người không xem được ảnh, tối đa 300 ký tự.",
                ));
                continue;
            };
            let link = match r.link.trim() {
                "" => String::new(),
                l => match address(l) {
                    Some(a) => a,
                    None => {
                        errors.push(row_error(
                            "banner",
                            i,
                            "Liên kết phải bắt đầu bằng / hoặc http(s)://.",
                        ));
                        continue;
                    }
                },
            };
            let (Ok(starts), Ok(ends)) = (day(&r.starts), day(&r.ends)) else {
                errors.push(row_error("banner", i, "Ngày viết dd/mm/yyyy."));
                continue;
            };
            if let (Some(s), Some(e)) = (starts, ends)
                && e < s
            {
                errors.push(row_error("banner", i, "Ngày kết thúc trước ngày bắt đầu."));
                continue;
            }
            let iso = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
            out.push(BannerRow {
                place: place.code().to_owned(),
                media_id: image,
                link,
                alt,
                starts_on: iso(starts),
                ends_on: iso(ends),
                file: String::new(),
                widths: String::new(),
                width: 0,
                height: 0,
            });
        }
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let mut tx = self.store.begin().await?;
        nav.set_banners(&mut tx, &out).await?;
        self.finish(tx, actor, "layout.banners", lang, out.len())
            .await
    }

    pub async fn save_links(&self, actor: Actor<'_>, lang: Lang, rows: &[LinkInput]) -> Result<()> {
        actor.require(Action::ArrangeSite)?;
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if r.title.trim().is_empty() && r.url.trim().is_empty() {
                continue;
            }
            match (label(&r.title, MAX_LABEL), address(&r.url)) {
                (Some(title), Some(url)) => out.push(LinkItem { title, url }),
                (None, _) => {
                    errors.push(row_error("link", i, "Tên liên kết cần từ 1 đến 120 ký tự."))
                }
                (_, None) => errors.push(row_error(
                    "link",
                    i,
                    "Địa chỉ phải bắt đầu bằng / hoặc http(s)://.",
                )),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let mut tx = self.store.begin().await?;
        let nav = self.store.navigation(actor.site, lang.code());
        nav.set_links(&mut tx, &out).await?;
        self.finish(tx, actor, "layout.links", lang, out.len())
            .await
    }

    /// The audit entry and the change record of a save, then the commit.
    async fn finish(
        &self,
        mut tx: Tx,
        actor: Actor<'_>,
        action: &'static str,
        lang: Lang,
        count: usize,
    ) -> Result<()> {
        let now = self.clock.now().as_second();
        let detail = format!("{}: {count}", lang.code());
        let entry = Entry {
            action,
            kind: "site",
            id: Some(actor.site.0),
            detail: &detail,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Settings, actor.site.0, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// An error of row `i` (0-based) of a list form, keyed `{list}.{i}`.
fn row_error(list: &str, i: usize, message: &str) -> (String, String) {
    (format!("{list}.{i}"), message.to_owned())
}

#[cfg(test)]
mod tests;
