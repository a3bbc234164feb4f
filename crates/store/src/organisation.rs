//! Cơ cấu tổ chức: a site's units (a tree) and the people in them, with their contacts.

use crate::sites::SiteId;
use crate::{Backend, Result, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A unit's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct UnitId(pub i64);

/// A person's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct PersonId(pub i64);

/// What kind of unit: the leadership comes first in the structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum UnitKind {
    /// Ban Giám đốc / Lãnh đạo.
    Leadership,
    /// Phòng, ban.
    Department,
    /// Đơn vị trực thuộc.
    Affiliate,
}

impl UnitKind {
    pub const ALL: [UnitKind; 3] = [
        UnitKind::Leadership,
        UnitKind::Department,
        UnitKind::Affiliate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Leadership => "leadership",
            UnitKind::Department => "department",
            UnitKind::Affiliate => "affiliate",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A unit as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnitRow {
    pub id: UnitId,
    pub site_id: SiteId,
    pub parent_id: Option<UnitId>,
    pub kind: UnitKind,
    pub name: String,
    pub name_en: String,
    pub slug: String,
    pub duties: String,
    pub duties_en: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub position: i64,
}

/// A unit's fields to write (checked by the domain).
#[derive(Debug, Clone)]
pub struct UnitFields<'a> {
    pub parent_id: Option<UnitId>,
    pub kind: UnitKind,
    pub name: &'a str,
    pub name_en: &'a str,
    pub slug: &'a str,
    pub duties: &'a str,
    pub duties_en: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
}

/// A person as stored, with their unit's name and slug and their photo's file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonRow {
    pub id: PersonId,
    pub site_id: SiteId,
    pub unit_id: UnitId,
    pub unit_name: String,
    /// The unit's English name ('' until an editor fills it).
    pub unit_name_en: String,
    pub unit_slug: String,
    pub name: String,
    pub title: String,
    pub title_en: String,
    pub photo_media_id: Option<i64>,
    /// The photo's file name in the library (`{hash}.jpg`), if any.
    pub photo_file: Option<String>,
    /// The widths of its resized copies ("320,640").
    pub photo_widths: String,
    /// The photo's size in pixels (width, height).
    pub photo_size: Option<(i64, i64)>,
    pub phone: String,
    pub email: String,
    pub precedence: i64,
    /// First day in office (yyyy-mm-dd).
    pub served_from: Option<String>,
    /// Last day in office (yyyy-mm-dd); `None` while serving.
    pub served_until: Option<String>,
}

/// A person's fields to write (checked by the domain).
#[derive(Debug, Clone)]
pub struct PersonFields<'a> {
    pub unit_id: UnitId,
    pub name: &'a str,
    pub title: &'a str,
    pub title_en: &'a str,
    pub photo_media_id: Option<i64>,
    pub phone: &'a str,
    pub email: &'a str,
    pub precedence: i64,
    pub served_from: Option<&'a str>,
    pub served_until: Option<&'a str>,
}

const UNIT_COLUMNS: &str = "id, site_id, parent_id, kind, name, name_en, slug, duties, duties_en, \
     address, phone, email, position";

fn unit_row(r: &AnyRow) -> Result<UnitRow, sqlx::Error> {
    let kind: String = r.try_get("kind")?;
    Ok(UnitRow {
        id: UnitId(r.try_get("id")?),
        site_id: SiteId(r.try_get("site_id")?),
        parent_id: r.try_get::<Option<i64>, _>("parent_id")?.map(UnitId),
        kind: UnitKind::parse(&kind).unwrap_or(UnitKind::Department),
        name: r.try_get("name")?,
        name_en: r.try_get("name_en")?,
        slug: r.try_get("slug")?,
        duties: r.try_get("duties")?,
        duties_en: r.try_get("duties_en")?,
        address: r.try_get("address")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        position: r.try_get("position")?,
    })
}

const PERSON_SELECT: &str = "SELECT p.id, p.site_id, p.unit_id, u.name AS unit_name, u.name_en AS unit_name_en, \
     u.slug AS unit_slug, p.name, p.title, p.title_en, p.photo_media_id, m.file_name AS photo_file, \
     m.widths AS photo_widths, m.width AS photo_width, m.height AS photo_height, p.phone, p.email, p.precedence, p.served_from, p.served_until \
     FROM org_people p JOIN org_units u ON u.id = p.unit_id \
     LEFT JOIN media m ON m.id = p.photo_media_id AND m.trashed_at IS NULL";

fn person_row(r: &AnyRow) -> Result<PersonRow, sqlx::Error> {
    Ok(PersonRow {
        id: PersonId(r.try_get("id")?),
        site_id: SiteId(r.try_get("site_id")?),
        unit_id: UnitId(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        unit_name_en: r.try_get("unit_name_en")?,
        unit_slug: r.try_get("unit_slug")?,
        name: r.try_get("name")?,
        title: r.try_get("title")?,
        title_en: r.try_get("title_en")?,
        photo_media_id: r.try_get("photo_media_id")?,
        photo_file: r.try_get("photo_file")?,
        photo_widths: r
            .try_get::<Option<String>, _>("photo_widths")?
            .unwrap_or_default(),
        photo_size: match (
            r.try_get::<Option<i64>, _>("photo_width")?,
            r.try_get::<Option<i64>, _>("photo_height")?,
        ) {
            (Some(w), Some(h)) => Some((w, h)),
            _ => None,
        },
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        precedence: r.try_get("precedence")?,
        served_from: r.try_get("served_from")?,
        served_until: r.try_get("served_until")?,
    })
}

/// A site's organisation.
pub struct Organisation<'a>(&'a Store, SiteId);

impl Store {
    pub fn organisation(&self, site: SiteId) -> Organisation<'_> {
        Organisation(self, site)
    }
}

impl Organisation<'_> {
    /// Every unit, siblings in their order.
    pub async fn units(&self) -> Result<Vec<UnitRow>> {
        let sql = format!(
            "SELECT {UNIT_COLUMNS} FROM org_units WHERE site_id = $1 ORDER BY position, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(self.1.0)
            .fetch_all(self.0.read())
            .await?;
        Ok(rows.iter().map(unit_row).collect::<Result<_, _>>()?)
    }

    /// Every unit as `tx` sees it, locked on PostgreSQL until `tx` ends (a move checks the
    /// tree it changes; SQLite's write lock already holds it).
    pub async fn units_for_update(&self, tx: &mut Tx) -> Result<Vec<UnitRow>> {
        let lock = match tx.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "SELECT {UNIT_COLUMNS} FROM org_units WHERE site_id = $1 ORDER BY position, id{lock}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(self.1.0)
            .fetch_all(tx.conn())
            .await?;
        Ok(rows.iter().map(unit_row).collect::<Result<_, _>>()?)
    }

    pub async fn insert_unit(
        &self,
        tx: &mut Tx,
        f: &UnitFields<'_>,
        position: i64,
        now: i64,
    ) -> Result<UnitId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO org_units (parent_id, kind, name, name_en, slug, duties, duties_en, \
             address, phone, email, position, created_at, updated_at, site_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id",
        )
        .bind(f.parent_id.map(|p| p.0))
        .bind(f.kind.as_str())
        .bind(f.name)
        .bind(f.name_en)
        .bind(f.slug)
        .bind(f.duties)
        .bind(f.duties_en)
        .bind(f.address)
        .bind(f.phone)
        .bind(f.email)
        .bind(position)
        .bind(now)
        .bind(self.1.0)
        .fetch_one(tx.conn())
        .await?;
        Ok(UnitId(id))
    }

    /// Writes a unit's fields (and its place among its new siblings); false when there is no
    /// such unit on the site.
    pub async fn update_unit(
        &self,
        tx: &mut Tx,
        id: UnitId,
        f: &UnitFields<'_>,
        position: i64,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE org_units SET parent_id = $1, kind = $2, name = $3, name_en = $4, slug = $5, \
             duties = $6, duties_en = $7, address = $8, phone = $9, email = $10, position = $11, \
             updated_at = $12 WHERE id = $13 AND site_id = $14",
        )
        .bind(f.parent_id.map(|p| p.0))
        .bind(f.kind.as_str())
        .bind(f.name)
        .bind(f.name_en)
        .bind(f.slug)
        .bind(f.duties)
        .bind(f.duties_en)
        .bind(f.address)
        .bind(f.phone)
        .bind(f.email)
        .bind(position)
        .bind(now)
        .bind(id.0)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets a unit's place among its siblings.
    pub async fn set_position(&self, tx: &mut Tx, id: UnitId, position: i64) -> Result<()> {
        sqlx::query("UPDATE org_units SET position = $1 WHERE id = $2 AND site_id = $3")
            .bind(position)
            .bind(id.0)
            .bind(self.1.0)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    pub async fn delete_unit(&self, tx: &mut Tx, id: UnitId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM org_units WHERE id = $1 AND site_id = $2")
            .bind(id.0)
            .bind(self.1.0)
            .execute(tx.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// How many people a unit has (current and past), as `tx` sees it.
    pub async fn count_people_of(&self, tx: &mut Tx, unit: UnitId) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM org_people WHERE unit_id = $1 AND site_id = $2",
        )
        .bind(unit.0)
        .bind(self.1.0)
        .fetch_one(tx.conn())
        .await?)
    }

    /// Every person, current and past, by unit and precedence.
    pub async fn people(&self) -> Result<Vec<PersonRow>> {
        let sql =
            format!("{PERSON_SELECT} WHERE p.site_id = $1 ORDER BY p.unit_id, p.precedence, p.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(self.1.0)
            .fetch_all(self.0.read())
            .await?;
        Ok(rows.iter().map(person_row).collect::<Result<_, _>>()?)
    }

    pub async fn person(&self, id: PersonId) -> Result<Option<PersonRow>> {
        let sql = format!("{PERSON_SELECT} WHERE p.id = $1 AND p.site_id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .bind(self.1.0)
            .fetch_optional(self.0.read())
            .await?;
        Ok(row.as_ref().map(person_row).transpose()?)
    }

    /// Whether the site's library has this (untrashed) image.
    pub async fn has_image(&self, tx: &mut Tx, media: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM media WHERE id = $1 AND site_id = $2 AND trashed_at IS NULL",
        )
        .bind(media)
        .bind(self.1.0)
        .fetch_one(tx.conn())
        .await?;
        Ok(n > 0)
    }

    pub async fn insert_person(
        &self,
        tx: &mut Tx,
        f: &PersonFields<'_>,
        now: i64,
    ) -> Result<PersonId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO org_people (unit_id, name, title, title_en, photo_media_id, phone, \
             email, precedence, served_from, served_until, created_at, updated_at, site_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id",
        )
        .bind(f.unit_id.0)
        .bind(f.name)
        .bind(f.title)
        .bind(f.title_en)
        .bind(f.photo_media_id)
        .bind(f.phone)
        .bind(f.email)
        .bind(f.precedence)
        .bind(f.served_from)
        .bind(f.served_until)
        .bind(now)
        .bind(self.1.0)
        .fetch_one(tx.conn())
        .await?;
        Ok(PersonId(id))
    }

    pub async fn update_person(
        &self,
        tx: &mut Tx,
        id: PersonId,
        f: &PersonFields<'_>,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE org_people SET unit_id = $1, name = $2, title = $3, title_en = $4, \
             photo_media_id = $5, phone = $6, email = $7, precedence = $8, served_from = $9, \
             served_until = $10, updated_at = $11 WHERE id = $12 AND site_id = $13",
        )
        .bind(f.unit_id.0)
        .bind(f.name)
        .bind(f.title)
        .bind(f.title_en)
        .bind(f.photo_media_id)
        .bind(f.phone)
        .bind(f.email)
        .bind(f.precedence)
        .bind(f.served_from)
        .bind(f.served_until)
        .bind(now)
        .bind(id.0)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn delete_person(&self, tx: &mut Tx, id: PersonId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM org_people WHERE id = $1 AND site_id = $2")
            .bind(id.0)
            .bind(self.1.0)
            .execute(tx.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
