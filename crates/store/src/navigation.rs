//! A site's arrangement per language: menu items, home-page blocks, banners and the
//! "Liên kết website" links. Each list is replaced whole, inside the caller's transaction.

use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuRow {
    pub depth: i64,
    pub label: String,
    pub target_kind: String,
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockRow {
    pub kind: String,
    pub section_id: Option<i64>,
    pub item_count: i64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BannerRow {
    pub place: String,
    pub media_id: i64,
    pub link: String,
    pub alt: String,
    /// `yyyy-mm-dd`, or empty for no limit.
    pub starts_on: String,
    pub ends_on: String,
    /// The image's stored file, the widths of its copies and its size (read only).
    pub file: String,
    pub widths: String,
    pub width: i64,
    pub height: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkItem {
    pub title: String,
    pub url: String,
}

/// One site's arrangement in one language.
pub struct Navigation<'a> {
    store: &'a Store,
    site: SiteId,
    lang: &'a str,
}

impl Store {
    pub fn navigation<'a>(&'a self, site: SiteId, lang: &'a str) -> Navigation<'a> {
        Navigation {
            store: self,
            site,
            lang,
        }
    }
}

impl Store {
    /// How many banners, of any site and language, show an image.
    pub async fn banners_showing(&self, media_id: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM banners WHERE media_id = $1")
                .bind(media_id)
                .fetch_one(self.read())
                .await?,
        )
    }

    /// How many people of Cơ cấu tổ chức have an image as their photo.
    pub async fn people_showing(&self, media_id: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM org_people WHERE photo_media_id = $1")
                .bind(media_id)
                .fetch_one(self.read())
                .await?,
        )
    }
}

impl Navigation<'_> {
    pub async fn menu(&self) -> Result<Vec<MenuRow>> {
        let rows = sqlx::query(
            "SELECT depth, label, target_kind, target FROM menu_items \
             WHERE site_id = $1 AND lang = $2 ORDER BY position, id",
        )
        .bind(self.site.0)
        .bind(self.lang)
        .fetch_all(self.store.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MenuRow {
                    depth: r.try_get("depth")?,
                    label: r.try_get("label")?,
                    target_kind: r.try_get("target_kind")?,
                    target: r.try_get("target")?,
                })
            })
            .collect()
    }

    pub async fn set_menu(&self, tx: &mut Tx, items: &[MenuRow]) -> Result<()> {
        self.clear(tx, "menu_items").await?;
        for (i, m) in items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO menu_items (lang, position, depth, label, target_kind, target, site_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(self.lang)
            .bind(i as i64)
            .bind(m.depth)
            .bind(&m.label)
            .bind(&m.target_kind)
            .bind(&m.target)
            .bind(self.site.0)
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }

    pub async fn blocks(&self) -> Result<Vec<BlockRow>> {
        let rows = sqlx::query(
            "SELECT kind, section_id, item_count, title FROM home_blocks \
             WHERE site_id = $1 AND lang = $2 ORDER BY position, id",
        )
        .bind(self.site.0)
        .bind(self.lang)
        .fetch_all(self.store.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BlockRow {
                    kind: r.try_get("kind")?,
                    section_id: r.try_get("section_id")?,
                    item_count: r.try_get("item_count")?,
                    title: r.try_get("title")?,
                })
            })
            .collect()
    }

    pub async fn set_blocks(&self, tx: &mut Tx, blocks: &[BlockRow]) -> Result<()> {
        self.clear(tx, "home_blocks").await?;
        for (i, b) in blocks.iter().enumerate() {
            sqlx::query(
                "INSERT INTO home_blocks (lang, position, kind, section_id, item_count, title, site_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(self.lang)
            .bind(i as i64)
            .bind(&b.kind)
            .bind(b.section_id)
            .bind(b.item_count)
            .bind(&b.title)
            .bind(self.site.0)
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }

    /// Every banner, shown or not, in order.
    pub async fn banners(&self) -> Result<Vec<BannerRow>> {
        let rows = sqlx::query(
            "SELECT b.place, b.media_id, b.link, b.alt, b.starts_on, b.ends_on, \
             m.file_name, m.widths, m.width, m.height FROM banners b JOIN media m ON m.id = b.media_id \
             WHERE b.site_id = $1 AND b.lang = $2 ORDER BY b.position, b.id",
        )
        .bind(self.site.0)
        .bind(self.lang)
        .fetch_all(self.store.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BannerRow {
                    place: r.try_get("place")?,
                    media_id: r.try_get("media_id")?,
                    link: r.try_get("link")?,
                    alt: r.try_get("alt")?,
                    starts_on: r.try_get("starts_on")?,
                    ends_on: r.try_get("ends_on")?,
                    file: r.try_get("file_name")?,
                    widths: r.try_get("widths")?,
                    width: r.try_get("width")?,
                    height: r.try_get("height")?,
                })
            })
            .collect()
    }

    pub async fn set_banners(&self, tx: &mut Tx, banners: &[BannerRow]) -> Result<()> {
        self.clear(tx, "banners").await?;
        for (i, b) in banners.iter().enumerate() {
            sqlx::query(
                "INSERT INTO banners (lang, place, position, media_id, link, alt, starts_on, ends_on, site_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(self.lang)
            .bind(&b.place)
            .bind(i as i64)
            .bind(b.media_id)
            .bind(&b.link)
            .bind(&b.alt)
            .bind(&b.starts_on)
            .bind(&b.ends_on)
            .bind(self.site.0)
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }

    pub async fn links(&self) -> Result<Vec<LinkItem>> {
        let rows = sqlx::query(
            "SELECT title, url FROM site_links WHERE site_id = $1 AND lang = $2 ORDER BY position, id",
        )
        .bind(self.site.0)
        .bind(self.lang)
        .fetch_all(self.store.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LinkItem {
                    title: r.try_get("title")?,
                    url: r.try_get("url")?,
                })
            })
            .collect()
    }

    pub async fn set_links(&self, tx: &mut Tx, links: &[LinkItem]) -> Result<()> {
        self.clear(tx, "site_links").await?;
        for (i, l) in links.iter().enumerate() {
            sqlx::query(
                "INSERT INTO site_links (title, url, position, lang, site_id) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&l.title)
            .bind(&l.url)
            .bind(i as i64)
            .bind(self.lang)
            .bind(self.site.0)
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }

    /// Whether the site's library holds the image (a banner may show only its own site's).
    pub async fn image_exists(&self, id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM media WHERE id = $1 AND site_id = $2 AND trashed_at IS NULL",
        )
        .bind(id)
        .bind(self.site.0)
        .fetch_one(self.store.read())
        .await?;
        Ok(n > 0)
    }

    async fn clear(&self, tx: &mut Tx, table: &'static str) -> Result<()> {
        let sql = format!("DELETE FROM {table} WHERE site_id = $1 AND lang = $2");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(self.site.0)
            .bind(self.lang)
            .execute(tx.conn())
            .await?;
        Ok(())
    }
}
