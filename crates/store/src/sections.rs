//! Sections (chuyên mục): the menu and the listings.

use crate::sites::SiteId;
use crate::sql::flag;
use crate::{Result, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i64,
    pub parent_id: Option<i64>,
    pub in_menu: bool,
    pub page_id: Option<i64>,
    /// The language of its articles ("vi", "en").
    pub lang: String,
}

/// What a new section needs.
#[derive(Debug, Clone)]
pub struct NewSection<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub position: i64,
    pub parent_id: Option<i64>,
    pub in_menu: bool,
    pub page_id: Option<i64>,
    pub lang: &'a str,
}

/// The columns `from_row` reads, as a literal so `concat!` can build whole statements.
macro_rules! columns {
    () => {
        "id, slug, name, description, position, parent_id, in_menu, page_id, lang"
    };
}

fn from_row(row: &AnyRow) -> Result<SectionRow, sqlx::Error> {
    Ok(SectionRow {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        position: row.try_get("position")?,
        parent_id: row.try_get("parent_id")?,
        in_menu: flag(row, "in_menu")?,
        page_id: row.try_get("page_id")?,
        lang: row.try_get("lang")?,
    })
}

/// One site's sections.
pub struct Sections<'a>(&'a Store, SiteId);

impl Store {
    pub fn sections(&self, site: SiteId) -> Sections<'_> {
        Sections(self, site)
    }

    /// Every site's sections as (id, name): what the search index labels results with.
    pub async fn section_names(&self) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as("SELECT id, name FROM sections ORDER BY id")
            .fetch_all(self.read())
            .await?)
    }
}

impl Sections<'_> {
    /// Every section, in menu order.
    pub async fn list_all(&self) -> Result<Vec<SectionRow>> {
        let sql = concat!(
            "SELECT ",
            columns!(),
            " FROM sections WHERE site_id = $1 ORDER BY position, id"
        );
        let rows = sqlx::query(sql)
            .bind(self.1.0)
            .fetch_all(self.0.read())
            .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    pub async fn find_by_slug(&self, slug: &str) -> Result<Option<SectionRow>> {
        let sql = concat!(
            "SELECT ",
            columns!(),
            " FROM sections WHERE slug = $1 AND site_id = $2"
        );
        let row = sqlx::query(sql)
            .bind(slug)
            .bind(self.1.0)
            .fetch_optional(self.0.read())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn find_by_id(&self, id: i64) -> Result<Option<SectionRow>> {
        let sql = concat!(
            "SELECT ",
            columns!(),
            " FROM sections WHERE id = $1 AND site_id = $2"
        );
        let row = sqlx::query(sql)
            .bind(id)
            .bind(self.1.0)
            .fetch_optional(self.0.read())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn insert(&self, tx: &mut Tx, s: &NewSection<'_>, now: i64) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO sections (slug, name, description, position, parent_id, in_menu, page_id, created_at, updated_at, site_id, lang) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) RETURNING id",
        )
        .bind(s.slug)
        .bind(s.name)
        .bind(s.description)
        .bind(s.position)
        .bind(s.parent_id)
        .bind(i64::from(s.in_menu))
        .bind(s.page_id)
        .bind(now)
        .bind(self.1.0)
        .bind(s.lang)
        .fetch_one(tx.conn())
        .await?;
        Ok(id)
    }

    /// Updates a section (its slug changes only when given a new one).
    pub async fn update(&self, tx: &mut Tx, id: i64, s: &NewSection<'_>, now: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE sections SET slug = $2, name = $3, description = $4, position = $5, parent_id = $6, \
             in_menu = $7, page_id = $8, updated_at = $9, lang = $11 WHERE id = $1 AND site_id = $10",
        )
        .bind(id)
        .bind(s.slug)
        .bind(s.name)
        .bind(s.description)
        .bind(s.position)
        .bind(s.parent_id)
        .bind(i64::from(s.in_menu))
        .bind(s.page_id)
        .bind(now)
        .bind(self.1.0)
        .bind(s.lang)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The sites whose newest articles the section gathers (none for an ordinary section).
    pub async fn sources(&self, id: i64) -> Result<Vec<SiteId>> {
        let rows: Vec<i64> = sqlx::query_scalar(
            "SELECT ss.source_site_id FROM section_sources ss JOIN sections s ON s.id = ss.section_id \
             WHERE ss.section_id = $1 AND s.site_id = $2 ORDER BY ss.source_site_id",
        )
        .bind(id)
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.into_iter().map(SiteId).collect())
    }

    /// Every gathering section of the site with its sources, as (section id, source).
    pub async fn all_sources(&self) -> Result<Vec<(i64, SiteId)>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT ss.section_id, ss.source_site_id FROM section_sources ss \
             JOIN sections s ON s.id = ss.section_id WHERE s.site_id = $1 \
             ORDER BY ss.section_id, ss.source_site_id",
        )
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(s, site)| (s, SiteId(site)))
            .collect())
    }

    /// Replaces the sites the section `id` (of this site) gathers from.
    pub async fn set_sources(&self, tx: &mut Tx, id: i64, sources: &[SiteId]) -> Result<()> {
        sqlx::query("DELETE FROM section_sources WHERE section_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        for s in sources {
            sqlx::query(
                "INSERT INTO section_sources (section_id, source_site_id) \
                 SELECT id, $2 FROM sections WHERE id = $1 AND site_id = $3",
            )
            .bind(id)
            .bind(s.0)
            .bind(self.1.0)
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }

    pub async fn count(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM sections WHERE site_id = $1")
                .bind(self.1.0)
                .fetch_one(self.0.read())
                .await?,
        )
    }
}
