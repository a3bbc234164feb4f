//! Lịch công tác: the entries of a site's work schedule, read by time range and written in
//! the domain's transactions.

use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum EntryStatus {
    /// Being prepared: never public.
    Draft,
    Published,
    /// Published, then put off (Hoãn): listed struck through.
    Postponed,
    /// Published, then called off (Hủy): listed struck through.
    Cancelled,
}

impl EntryStatus {
    pub const ALL: [EntryStatus; 4] = [
        EntryStatus::Draft,
        EntryStatus::Published,
        EntryStatus::Postponed,
        EntryStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryStatus::Draft => "draft",
            EntryStatus::Published => "published",
            EntryStatus::Postponed => "postponed",
            EntryStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<EntryStatus> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The public sees it (published, or published and then called off).
    pub fn is_public(self) -> bool {
        self != EntryStatus::Draft
    }
}

/// What an entry says (written as a whole on insert and on update).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryFields {
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub all_day: bool,
    /// One name per line, as typed.
    pub leaders: String,
    pub content: String,
    pub place: String,
    pub host: String,
    pub participants: String,
    pub notes: String,
    pub recurring: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    pub site_id: SiteId,
    pub fields: EntryFields,
    pub status: EntryStatus,
    pub published_at: Option<i64>,
    pub adjusted_at: Option<i64>,
    pub sequence: i64,
    pub copied_from: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, site_id, starts_at, ends_at, all_day, leaders, content, place, host, \
     participants, notes, recurring, status, published_at, adjusted_at, sequence, copied_from, \
     created_at, updated_at";

fn from_row(r: &AnyRow) -> Result<EntryRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(EntryRow {
        id: r.try_get("id")?,
        site_id: SiteId(r.try_get("site_id")?),
        fields: EntryFields {
            starts_at: r.try_get("starts_at")?,
            ends_at: r.try_get("ends_at")?,
            all_day: r.try_get::<i64, _>("all_day")? != 0,
            leaders: r.try_get("leaders")?,
            content: r.try_get("content")?,
            place: r.try_get("place")?,
            host: r.try_get("host")?,
            participants: r.try_get("participants")?,
            notes: r.try_get("notes")?,
            recurring: r.try_get::<i64, _>("recurring")? != 0,
        },
        status: EntryStatus::parse(&status).unwrap_or(EntryStatus::Draft),
        published_at: r.try_get("published_at")?,
        adjusted_at: r.try_get("adjusted_at")?,
        sequence: r.try_get("sequence")?,
        copied_from: r.try_get("copied_from")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub struct Schedule<'a>(&'a Store);

impl Store {
    pub fn schedule(&self) -> Schedule<'_> {
        Schedule(self)
    }
}

impl Schedule<'_> {
    /// A site's entries starting in `[from, until)`, by start time; `public`: drafts left out.
    pub async fn between(
        &self,
        site: SiteId,
        from: i64,
        until: Option<i64>,
        public: bool,
    ) -> Result<Vec<EntryRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM schedule_entries WHERE site_id = $1 AND starts_at >= $2 \
             AND (CAST($3 AS BIGINT) IS NULL OR starts_at < $3) \
             AND ($4 = 0 OR status <> 'draft') ORDER BY starts_at, id"
        )))
        .bind(site.0)
        .bind(from)
        .bind(until)
        .bind(i64::from(public))
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// The same in a transaction (what a write decides from).
    pub async fn between_in(
        &self,
        tx: &mut Tx,
        site: SiteId,
        from: i64,
        until: i64,
    ) -> Result<Vec<EntryRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM schedule_entries WHERE site_id = $1 AND starts_at >= $2 \
             AND starts_at < $3 ORDER BY starts_at, id"
        )))
        .bind(site.0)
        .bind(from)
        .bind(until)
        .fetch_all(tx.conn())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// One entry of `site`, read in the transaction that changes it.
    pub async fn find_in(&self, tx: &mut Tx, site: SiteId, id: i64) -> Result<Option<EntryRow>> {
        let lock = if tx.backend() == crate::Backend::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM schedule_entries WHERE site_id = $1 AND id = $2{lock}"
        )))
        .bind(site.0)
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// Whether `site` has an entry copied from `source` already.
    pub async fn copied_from_in(&self, tx: &mut Tx, site: SiteId, source: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM schedule_entries WHERE site_id = $1 AND copied_from = $2",
        )
        .bind(site.0)
        .bind(source)
        .fetch_one(tx.conn())
        .await?;
        Ok(n > 0)
    }

    /// A new draft (`copied_from`: the recurring entry it repeats).
    pub async fn insert(
        &self,
        tx: &mut Tx,
        site: SiteId,
        f: &EntryFields,
        copied_from: Option<i64>,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO schedule_entries (site_id, starts_at, ends_at, all_day, leaders, \
             content, place, host, participants, notes, recurring, copied_from, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
             RETURNING id",
        )
        .bind(site.0)
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(i64::from(f.all_day))
        .bind(&f.leaders)
        .bind(&f.content)
        .bind(&f.place)
        .bind(&f.host)
        .bind(&f.participants)
        .bind(&f.notes)
        .bind(i64::from(f.recurring))
        .bind(copied_from)
        .bind(now)
        .fetch_one(tx.conn())
        .await?)
    }

    /// Writes an entry's fields; `adjusted`: it was public, so it is marked adjusted at `now`
    /// and its sequence goes up.
    pub async fn update(
        &self,
        tx: &mut Tx,
        site: SiteId,
        id: i64,
        f: &EntryFields,
        adjusted: bool,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE schedule_entries SET starts_at = $3, ends_at = $4, all_day = $5, \
             leaders = $6, content = $7, place = $8, host = $9, participants = $10, \
             notes = $11, recurring = $12, updated_at = $13, \
             adjusted_at = CASE WHEN $14 = 1 THEN $13 ELSE adjusted_at END, \
             sequence = sequence + $14 WHERE site_id = $1 AND id = $2",
        )
        .bind(site.0)
        .bind(id)
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(i64::from(f.all_day))
        .bind(&f.leaders)
        .bind(&f.content)
        .bind(&f.place)
        .bind(&f.host)
        .bind(&f.participants)
        .bind(&f.notes)
        .bind(i64::from(f.recurring))
        .bind(now)
        .bind(i64::from(adjusted))
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// Sets an entry's status; a published one becoming postponed or cancelled is adjusted.
    pub async fn set_status(
        &self,
        tx: &mut Tx,
        site: SiteId,
        id: i64,
        status: EntryStatus,
        adjusted: bool,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE schedule_entries SET status = $3, updated_at = $4, \
             published_at = CASE WHEN $3 = 'published' AND published_at IS NULL THEN $4 \
             ELSE published_at END, \
             adjusted_at = CASE WHEN $5 = 1 THEN $4 ELSE adjusted_at END, \
             sequence = sequence + $5 WHERE site_id = $1 AND id = $2",
        )
        .bind(site.0)
        .bind(id)
        .bind(status.as_str())
        .bind(now)
        .bind(i64::from(adjusted))
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// Removes a draft.
    pub async fn delete_draft(&self, tx: &mut Tx, site: SiteId, id: i64) -> Result<bool> {
        let r = sqlx::query(
            "DELETE FROM schedule_entries WHERE site_id = $1 AND id = $2 AND status = 'draft'",
        )
        .bind(site.0)
        .bind(id)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() > 0)
    }
}
