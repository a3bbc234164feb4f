//! Lấy ý kiến dự thảo: a document's consultation window and the comments sent during it.

use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Where a comment stands in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum CommentStatus {
    New,
    Published,
    Rejected,
}

impl CommentStatus {
    pub const ALL: [CommentStatus; 3] = [
        CommentStatus::New,
        CommentStatus::Published,
        CommentStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::New => "new",
            CommentStatus::Published => "published",
            CommentStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<CommentStatus> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// A consultation with what its list and page show of the document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConsultationRow {
    pub document_id: i64,
    pub site_id: SiteId,
    pub slug: String,
    pub number: String,
    pub type_name: String,
    pub summary: String,
    /// The document is published (and not in the trash).
    pub published: bool,
    /// 'YYYY-MM-DD', inclusive, in the site's calendar.
    pub opens_on: String,
    pub closes_on: String,
    /// Every comment received, whatever its moderation.
    pub comments: i64,
}

/// Which consultations a list shows, against `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    All,
    /// Open today.
    Open,
    /// Closed before today.
    Closed,
}

/// A comment to store.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub document_id: i64,
    pub name: &'a str,
    pub email: &'a str,
    pub organisation: &'a str,
    pub body: &'a str,
    pub created_at: i64,
    pub consent_version: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommentRow {
    pub id: i64,
    pub document_id: i64,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub body: String,
    pub status: CommentStatus,
    pub created_at: i64,
    pub moderated_at: Option<i64>,
    pub moderated_by: Option<String>,
    pub consent_at: i64,
    pub consent_version: String,
    pub anonymised_at: Option<i64>,
}

const LIST_COLUMNS: &str = "c.document_id, d.site_id, d.slug, d.number, t.name AS type_name, \
     d.summary, d.status, d.trashed_at, c.opens_on, c.closes_on, \
     (SELECT COUNT(*) FROM consultation_comments m WHERE m.document_id = c.document_id) \
     AS comments";

const LIST_FROM: &str = "consultations c JOIN documents d ON d.id = c.document_id \
     JOIN document_terms t ON t.id = d.type_id";

const COMMENT_COLUMNS: &str = "m.id, m.document_id, m.name, m.email, m.organisation, m.body, \
     m.status, m.created_at, m.moderated_at, u.username AS moderated_by, m.consent_at, \
     m.consent_version, m.anonymised_at";

const COMMENT_FROM: &str = "consultation_comments m LEFT JOIN users u ON u.id = m.moderated_by";

fn consultation(r: &AnyRow) -> Result<ConsultationRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    let trashed: Option<i64> = r.try_get("trashed_at")?;
    Ok(ConsultationRow {
        document_id: r.try_get("document_id")?,
        site_id: SiteId(r.try_get("site_id")?),
        slug: r.try_get("slug")?,
        number: r.try_get("number")?,
        type_name: r.try_get("type_name")?,
        summary: r.try_get("summary")?,
        published: status == "published" && trashed.is_none(),
        opens_on: r.try_get("opens_on")?,
        closes_on: r.try_get("closes_on")?,
        comments: r.try_get("comments")?,
    })
}

fn comment(r: &AnyRow) -> Result<CommentRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(CommentRow {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        organisation: r.try_get("organisation")?,
        body: r.try_get("body")?,
        status: CommentStatus::parse(&status).unwrap_or(CommentStatus::New),
        created_at: r.try_get("created_at")?,
        moderated_at: r.try_get("moderated_at")?,
        moderated_by: r.try_get("moderated_by")?,
        consent_at: r.try_get("consent_at")?,
        consent_version: r.try_get("consent_version")?,
        anonymised_at: r.try_get("anonymised_at")?,
    })
}

pub struct Consultations<'a>(&'a Store);

impl Store {
    pub fn consultations(&self) -> Consultations<'_> {
        Consultations(self)
    }
}

impl Consultations<'_> {
    /// The consultation on a document of `site`, if it has one.
    pub async fn find(&self, site: SiteId, document_id: i64) -> Result<Option<ConsultationRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {LIST_COLUMNS} FROM {LIST_FROM} WHERE d.site_id = $1 AND c.document_id = $2"
        )))
        .bind(site.0)
        .bind(document_id)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(consultation).transpose()?)
    }

    /// One page of a site's consultations on published documents, the latest to close
    /// first, and how many match in all.
    pub async fn list(
        &self,
        site: SiteId,
        window: Window,
        today: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<ConsultationRow>)> {
        let when = match window {
            Window::All => "",
            Window::Open => " AND c.opens_on <= $2 AND c.closes_on >= $2",
            Window::Closed => " AND c.closes_on < $2",
        };
        // $2 is bound even when unused, so the statements keep one shape.
        let cond = format!(
            "d.site_id = $1 AND d.status = 'published' AND d.trashed_at IS NULL \
             AND CAST($2 AS TEXT) IS NOT NULL{when}"
        );
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {LIST_FROM} WHERE {cond}"
        )))
        .bind(site.0)
        .bind(today)
        .fetch_one(self.0.read())
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {LIST_COLUMNS} FROM {LIST_FROM} WHERE {cond} \
             ORDER BY c.closes_on DESC, c.document_id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(site.0)
        .bind(today)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.0.read())
        .await?;
        Ok((
            total,
            rows.iter().map(consultation).collect::<Result<_, _>>()?,
        ))
    }

    /// Puts a document out for comment, or changes its dates.
    pub async fn set(
        &self,
        tx: &mut Tx,
        document_id: i64,
        opens_on: &str,
        closes_on: &str,
        ends_at: i64,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO consultations (document_id, opens_on, closes_on, ends_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (document_id) DO UPDATE SET \
             opens_on = excluded.opens_on, closes_on = excluded.closes_on, \
             ends_at = excluded.ends_at, updated_at = excluded.updated_at",
        )
        .bind(document_id)
        .bind(opens_on)
        .bind(closes_on)
        .bind(ends_at)
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// Takes a document out of consultation (its comments stay, should it come back).
    pub async fn remove(&self, tx: &mut Tx, document_id: i64) -> Result<bool> {
        Ok(
            sqlx::query("DELETE FROM consultations WHERE document_id = $1")
                .bind(document_id)
                .execute(tx.conn())
                .await?
                .rows_affected()
                > 0,
        )
    }

    pub async fn insert_comment(&self, tx: &mut Tx, c: &NewComment<'_>) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO consultation_comments (document_id, name, email, organisation, body, \
             created_at, consent_at, consent_version) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
        )
        .bind(c.document_id)
        .bind(c.name)
        .bind(c.email)
        .bind(c.organisation)
        .bind(c.body)
        .bind(c.created_at)
        .bind(c.consent_version)
        .fetch_one(tx.conn())
        .await?)
    }

    /// A document's comments in the order received; only those in `status` when given.
    pub async fn comments(
        &self,
        document_id: i64,
        status: Option<CommentStatus>,
    ) -> Result<Vec<CommentRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COMMENT_COLUMNS} FROM {COMMENT_FROM} WHERE m.document_id = $1 \
             AND (CAST($2 AS TEXT) IS NULL OR m.status = $2) ORDER BY m.id"
        )))
        .bind(document_id)
        .bind(status.map(CommentStatus::as_str))
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(comment).collect::<Result<_, _>>()?)
    }

    /// Publishes or rejects a comment on a document of `site`; its document's id, or None
    /// when the site has no such comment.
    pub async fn moderate(
        &self,
        tx: &mut Tx,
        site: SiteId,
        id: i64,
        status: CommentStatus,
        by: i64,
        at: i64,
    ) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "UPDATE consultation_comments SET status = $3, moderated_by = $4, moderated_at = $5 \
             WHERE id = $2 AND document_id IN (SELECT id FROM documents WHERE site_id = $1) \
             RETURNING document_id",
        )
        .bind(site.0)
        .bind(id)
        .bind(status.as_str())
        .bind(by)
        .bind(at)
        .fetch_optional(tx.conn())
        .await?)
    }

    /// Empties the personal data of comments on consultations that ended before `before`
    /// (any site): the comment stays, its author becomes anonymous. How many.
    /// The documents whose comments [`Self::anonymise_closed`] would empty now.
    pub async fn documents_to_anonymise(&self, tx: &mut Tx, before: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT document_id FROM consultation_comments WHERE anonymised_at IS NULL \
             AND document_id IN (SELECT document_id FROM consultations WHERE ends_at < $1)",
        )
        .bind(before)
        .fetch_all(tx.conn())
        .await?)
    }

    pub async fn anonymise_closed(&self, tx: &mut Tx, before: i64, now: i64) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE consultation_comments SET name = '', email = '', organisation = '', \
             anonymised_at = $2 WHERE anonymised_at IS NULL AND document_id IN \
             (SELECT document_id FROM consultations WHERE ends_at < $1)",
        )
        .bind(before)
        .bind(now)
        .execute(tx.conn())
        .await?
        .rows_affected())
    }

    /// Every comment sent from an address, on any site (the address compared without case).
    pub async fn by_email(&self, email: &str) -> Result<Vec<CommentRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COMMENT_COLUMNS} FROM {COMMENT_FROM} WHERE LOWER(m.email) = LOWER($1) \
             ORDER BY m.id"
        )))
        .bind(email)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(comment).collect::<Result<_, _>>()?)
    }

    /// Deletes every comment sent from an address; how many.
    pub async fn delete_by_email(&self, tx: &mut Tx, email: &str) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM consultation_comments WHERE LOWER(email) = LOWER($1)")
                .bind(email)
                .execute(tx.conn())
                .await?
                .rows_affected(),
        )
    }
}
