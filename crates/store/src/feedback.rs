//! Citizens' feedback (Góp ý / Liên hệ): a site's topics and the messages sent under them.

use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Where a message stands in the back office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum FeedbackStatus {
    New,
    Handled,
    Archived,
}

impl FeedbackStatus {
    pub const ALL: [FeedbackStatus; 3] = [
        FeedbackStatus::New,
        FeedbackStatus::Handled,
        FeedbackStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackStatus::New => "new",
            FeedbackStatus::Handled => "handled",
            FeedbackStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackStatus> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopicRow {
    pub id: i64,
    pub site_id: SiteId,
    pub name: String,
    /// The name on English pages; empty: the Vietnamese one.
    pub name_en: String,
    /// Where a message under this topic is sent; empty: kept in the back office only.
    pub mailbox: String,
    pub position: i64,
}

/// A message to store.
#[derive(Debug, Clone)]
pub struct NewFeedback<'a> {
    pub site_id: SiteId,
    pub topic_id: Option<i64>,
    pub code: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub created_at: i64,
    pub consent_version: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeedbackRow {
    pub id: i64,
    pub site_id: SiteId,
    pub topic_id: Option<i64>,
    pub topic: Option<String>,
    pub code: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub subject: String,
    pub body: String,
    pub status: FeedbackStatus,
    pub note: String,
    pub created_at: i64,
    pub handled_at: Option<i64>,
    pub handled_by: Option<String>,
    pub consent_at: i64,
    pub consent_version: String,
    pub anonymised_at: Option<i64>,
}

/// A message's handling: its new status and note, by whom, when.
#[derive(Debug, Clone, Copy)]
pub struct Handling<'a> {
    pub status: FeedbackStatus,
    pub note: &'a str,
    pub by: i64,
    pub at: i64,
}

/// Which messages a list shows.
#[derive(Debug, Clone, Default)]
pub struct FeedbackFilter {
    pub status: Option<FeedbackStatus>,
    pub topic_id: Option<i64>,
    /// Sent at or after this time.
    pub from: Option<i64>,
    /// Sent before this time.
    pub until: Option<i64>,
}

const COLUMNS: &str = "f.id, f.site_id, f.topic_id, t.name AS topic, f.code, f.name, f.email, \
     f.phone, f.address, f.subject, f.body, f.status, f.note, f.created_at, f.handled_at, \
     u.username AS handled_by, f.consent_at, f.consent_version, f.anonymised_at";

const FROM: &str = "feedback f LEFT JOIN feedback_topics t ON t.id = f.topic_id \
     LEFT JOIN users u ON u.id = f.handled_by";

fn from_row(r: &AnyRow) -> Result<FeedbackRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(FeedbackRow {
        id: r.try_get("id")?,
        site_id: SiteId(r.try_get("site_id")?),
        topic_id: r.try_get("topic_id")?,
        topic: r.try_get("topic")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        address: r.try_get("address")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        status: FeedbackStatus::parse(&status).unwrap_or(FeedbackStatus::New),
        note: r.try_get("note")?,
        created_at: r.try_get("created_at")?,
        handled_at: r.try_get("handled_at")?,
        handled_by: r.try_get("handled_by")?,
        consent_at: r.try_get("consent_at")?,
        consent_version: r.try_get("consent_version")?,
        anonymised_at: r.try_get("anonymised_at")?,
    })
}

/// A topic's name in each language (a Góp ý topic, a Hỏi đáp field); `en` empty: none.
#[derive(Debug, Clone, Copy)]
pub struct TopicName<'a> {
    pub vi: &'a str,
    pub en: &'a str,
}

impl<'a> TopicName<'a> {
    /// A name only in Vietnamese.
    pub fn vi(vi: &'a str) -> Self {
        TopicName { vi, en: "" }
    }
}

fn topic_row(r: &AnyRow) -> Result<TopicRow, sqlx::Error> {
    Ok(TopicRow {
        id: r.try_get("id")?,
        site_id: SiteId(r.try_get("site_id")?),
        name: r.try_get("name")?,
        name_en: r.try_get("name_en")?,
        mailbox: r.try_get("mailbox")?,
        position: r.try_get("position")?,
    })
}

pub struct Feedback<'a>(&'a Store);

impl Store {
    pub fn feedback(&self) -> Feedback<'_> {
        Feedback(self)
    }
}

impl Feedback<'_> {
    /// A site's topics in their order.
    pub async fn topics(&self, site: SiteId) -> Result<Vec<TopicRow>> {
        let rows = sqlx::query(
            "SELECT id, site_id, name, name_en, mailbox, position FROM feedback_topics \
             WHERE site_id = $1 ORDER BY position, id",
        )
        .bind(site.0)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(topic_row).collect::<Result<_, _>>()?)
    }

    pub async fn insert_topic(
        &self,
        tx: &mut Tx,
        site: SiteId,
        name: &TopicName<'_>,
        mailbox: &str,
        position: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO feedback_topics (site_id, name, name_en, mailbox, position) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(site.0)
        .bind(name.vi)
        .bind(name.en)
        .bind(mailbox)
        .bind(position)
        .fetch_one(tx.conn())
        .await?)
    }

    /// Changes a topic of `site`; false when it has none with that id.
    pub async fn update_topic(
        &self,
        tx: &mut Tx,
        site: SiteId,
        id: i64,
        name: &TopicName<'_>,
        mailbox: &str,
        position: i64,
    ) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE feedback_topics SET name = $3, mailbox = $4, position = $5, name_en = $6 \
             WHERE site_id = $1 AND id = $2",
        )
        .bind(site.0)
        .bind(id)
        .bind(name.vi)
        .bind(mailbox)
        .bind(position)
        .bind(name.en)
        .execute(tx.conn())
        .await?
        .rows_affected()
            > 0)
    }

    /// Removes a topic; its messages stay, without a topic.
    pub async fn delete_topic(&self, tx: &mut Tx, site: SiteId, id: i64) -> Result<bool> {
        Ok(
            sqlx::query("DELETE FROM feedback_topics WHERE site_id = $1 AND id = $2")
                .bind(site.0)
                .bind(id)
                .execute(tx.conn())
                .await?
                .rows_affected()
                > 0,
        )
    }

    pub async fn insert(&self, tx: &mut Tx, f: &NewFeedback<'_>) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO feedback (site_id, topic_id, code, name, email, phone, address, \
             subject, body, created_at, consent_at, consent_version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
        )
        .bind(f.site_id.0)
        .bind(f.topic_id)
        .bind(f.code)
        .bind(f.name)
        .bind(f.email)
        .bind(f.phone)
        .bind(f.address)
        .bind(f.subject)
        .bind(f.body)
        .bind(f.created_at)
        .bind(f.consent_version)
        .fetch_one(tx.conn())
        .await?)
    }

    pub async fn find(&self, site: SiteId, id: i64) -> Result<Option<FeedbackRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE f.site_id = $1 AND f.id = $2"
        )))
        .bind(site.0)
        .bind(id)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// One page of a site's messages, newest first, and how many match in all.
    pub async fn list(
        &self,
        site: SiteId,
        filter: &FeedbackFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<FeedbackRow>)> {
        // Absent filters bind as NULL and match everything, so one statement serves all.
        // (Cast, so that PostgreSQL knows a parameter's type when it is NULL.)
        let cond = "f.site_id = $1 AND (CAST($2 AS TEXT) IS NULL OR f.status = $2) \
             AND (CAST($3 AS BIGINT) IS NULL OR f.topic_id = $3) \
             AND (CAST($4 AS BIGINT) IS NULL OR f.created_at >= $4) \
             AND (CAST($5 AS BIGINT) IS NULL OR f.created_at < $5)";
        let status = filter.status.map(FeedbackStatus::as_str);
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {FROM} WHERE {cond}"
        )))
        .bind(site.0)
        .bind(status)
        .bind(filter.topic_id)
        .bind(filter.from)
        .bind(filter.until)
        .fetch_one(self.0.read())
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE {cond} ORDER BY f.id DESC LIMIT $6 OFFSET $7"
        )))
        .bind(site.0)
        .bind(status)
        .bind(filter.topic_id)
        .bind(filter.from)
        .bind(filter.until)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.0.read())
        .await?;
        Ok((total, rows.iter().map(from_row).collect::<Result<_, _>>()?))
    }

    /// How many of a site's messages are in each status.
    pub async fn counts(&self, site: SiteId) -> Result<Vec<(FeedbackStatus, i64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM feedback WHERE site_id = $1 GROUP BY status",
        )
        .bind(site.0)
        .fetch_all(self.0.read())
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let s: String = r.try_get("status")?;
            if let Some(st) = FeedbackStatus::parse(&s) {
                out.push((st, r.try_get("n")?));
            }
        }
        Ok(out)
    }

    /// Sets a message's status and note; false when `site` has no such message.
    pub async fn set_status(
        &self,
        tx: &mut Tx,
        site: SiteId,
        id: i64,
        h: &Handling<'_>,
    ) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE feedback SET status = $3, note = $4, handled_by = $5, handled_at = $6 \
             WHERE site_id = $1 AND id = $2",
        )
        .bind(site.0)
        .bind(id)
        .bind(h.status.as_str())
        .bind(h.note)
        .bind(h.by)
        .bind(h.at)
        .execute(tx.conn())
        .await?
        .rows_affected()
            > 0)
    }

    /// Empties the personal data of messages handled or archived before `before` (any site):
    /// the message and its handling stay, the sender becomes anonymous. How many.
    pub async fn anonymise_closed(&self, tx: &mut Tx, before: i64, now: i64) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE feedback SET name = '', email = '', phone = '', address = '', \
             anonymised_at = $2 \
             WHERE status <> 'new' AND anonymised_at IS NULL \
             AND COALESCE(handled_at, created_at) < $1",
        )
        .bind(before)
        .bind(now)
        .execute(tx.conn())
        .await?
        .rows_affected())
    }

    /// Every message sent from an address, on any site (the address compared without case).
    pub async fn by_email(&self, email: &str) -> Result<Vec<FeedbackRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE LOWER(f.email) = LOWER($1) ORDER BY f.id"
        )))
        .bind(email)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Deletes every message sent from an address; how many.
    pub async fn delete_by_email(&self, tx: &mut Tx, email: &str) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM feedback WHERE LOWER(email) = LOWER($1)")
                .bind(email)
                .execute(tx.conn())
                .await?
                .rows_affected(),
        )
    }
}

/// Proofs of work already used (each is good once, on every node).
pub struct FormProofs<'a>(&'a Store);

impl Store {
    pub fn form_proofs(&self) -> FormProofs<'_> {
        FormProofs(self)
    }
}

impl FormProofs<'_> {
    /// Marks a proof used; false when it was used before.
    pub async fn spend(&self, tx: &mut Tx, proof: &str, expires_at: i64) -> Result<bool> {
        Ok(sqlx::query(
            "INSERT INTO form_proofs (proof, expires_at) VALUES ($1, $2) \
             ON CONFLICT (proof) DO NOTHING",
        )
        .bind(proof)
        .bind(expires_at)
        .execute(tx.conn())
        .await?
        .rows_affected()
            == 1)
    }

    /// Forgets proofs that expired before `now` (they are refused as expired anyway).
    pub async fn delete_expired(&self, now: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM form_proofs WHERE expires_at < $1")
            .bind(now)
            .execute(self.0.write())
            .await?
            .rows_affected())
    }
}
