//! Hỏi đáp: a site's fields and the questions asked under them, through moderation,
//! assignment, answer, approval and publication.

use crate::sites::SiteId;
use crate::sql::contains_pattern;
use crate::{Result, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum QuestionStatus {
    /// Waiting for moderation.
    New,
    Accepted,
    Rejected,
    /// A duplicate, merged into another question.
    Merged,
    /// Given to someone to answer.
    Assigned,
    /// Answered, waiting for an editor's approval.
    Answered,
    Published,
}

impl QuestionStatus {
    pub const ALL: [QuestionStatus; 7] = [
        QuestionStatus::New,
        QuestionStatus::Accepted,
        QuestionStatus::Assigned,
        QuestionStatus::Answered,
        QuestionStatus::Published,
        QuestionStatus::Rejected,
        QuestionStatus::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionStatus::New => "new",
            QuestionStatus::Accepted => "accepted",
            QuestionStatus::Rejected => "rejected",
            QuestionStatus::Merged => "merged",
            QuestionStatus::Assigned => "assigned",
            QuestionStatus::Answered => "answered",
            QuestionStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionStatus> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuestionTopic {
    pub id: i64,
    pub site_id: SiteId,
    pub name: String,
    /// The name on English pages; empty: the Vietnamese one.
    pub name_en: String,
    pub position: i64,
}

/// A question to store.
#[derive(Debug, Clone)]
pub struct NewQuestion<'a> {
    pub site_id: SiteId,
    pub topic_id: Option<i64>,
    pub code: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub created_at: i64,
    pub consent_version: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuestionRow {
    pub id: i64,
    pub site_id: SiteId,
    pub topic_id: Option<i64>,
    pub topic: Option<String>,
    /// The topic's English name (empty when it has none).
    pub topic_en: Option<String>,
    pub code: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub title: String,
    pub body: String,
    pub public_title: String,
    pub public_body: String,
    pub status: QuestionStatus,
    pub reject_reason: String,
    pub merged_into: Option<i64>,
    pub assignee_id: Option<i64>,
    pub assignee: Option<String>,
    pub answer: String,
    pub answered_by: Option<String>,
    pub answered_at: Option<i64>,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub consent_at: i64,
    pub consent_version: String,
    pub anonymised_at: Option<i64>,
    /// The file the asker attached, if any (its bytes: [`Questions::file`]).
    pub file: Option<QuestionFile>,
}

/// A file attached to a question, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuestionFile {
    /// As the asker's browser named it.
    pub name: String,
    /// cong-files' kind: `pdf`, `docx` …
    pub kind: String,
    pub size: i64,
}

/// A published question as the search index takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionIndexRow {
    pub id: i64,
    pub site_id: SiteId,
    pub topic: Option<String>,
    pub title: String,
    pub body: String,
    pub answer: String,
    pub published_at: i64,
}

/// The published questions as the index takes them (a condition follows).
const INDEX_SELECT: &str = "SELECT q.id, q.site_id, t.name AS topic, q.public_title, \
     q.public_body, q.answer, q.published_at FROM questions q \
     LEFT JOIN question_topics t ON t.id = q.topic_id WHERE q.status = 'published'";

fn index_row(r: &AnyRow) -> Result<QuestionIndexRow, sqlx::Error> {
    Ok(QuestionIndexRow {
        id: r.try_get("id")?,
        site_id: SiteId(r.try_get("site_id")?),
        topic: r.try_get("topic")?,
        title: r.try_get("public_title")?,
        body: r.try_get("public_body")?,
        answer: r.try_get("answer")?,
        published_at: r.try_get::<Option<i64>, _>("published_at")?.unwrap_or(0),
    })
}

/// Which questions a back-office list shows.
#[derive(Debug, Clone, Default)]
pub struct QuestionFilter {
    pub status: Option<QuestionStatus>,
    pub topic_id: Option<i64>,
    pub assignee_id: Option<i64>,
    /// Asked at or after this time.
    pub from: Option<i64>,
    /// Asked before this time.
    pub until: Option<i64>,
}

/// The changes one step of the cycle makes (None: left as it is).
#[derive(Debug, Clone, Default)]
pub struct Step<'a> {
    pub status: Option<QuestionStatus>,
    pub public_title: Option<&'a str>,
    pub public_body: Option<&'a str>,
    pub reject_reason: Option<&'a str>,
    pub merged_into: Option<i64>,
    pub assignee_id: Option<i64>,
    pub answer: Option<&'a str>,
    pub answered_by: Option<i64>,
    pub approved_by: Option<i64>,
    pub published_at: Option<i64>,
    pub search_key: Option<&'a str>,
}

const COLUMNS: &str = "q.id, q.site_id, q.topic_id, t.name AS topic, q.code, q.name, q.email, \
     q.phone, q.address, q.title, q.body, q.public_title, q.public_body, q.status, \
     q.reject_reason, q.merged_into, q.assignee_id, a.username AS assignee, q.answer, \
     b.username AS answered_by, q.answered_at, q.published_at, q.created_at, q.updated_at, \
     q.consent_at, q.consent_version, q.anonymised_at, f.name AS file_name, t.name_en AS topic_en, \
     f.kind AS file_kind, f.size AS file_size";

const FROM: &str = "questions q LEFT JOIN question_topics t ON t.id = q.topic_id \
     LEFT JOIN users a ON a.id = q.assignee_id LEFT JOIN users b ON b.id = q.answered_by \
     LEFT JOIN question_files f ON f.question_id = q.id";

fn from_row(r: &AnyRow) -> Result<QuestionRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(QuestionRow {
        id: r.try_get("id")?,
        site_id: SiteId(r.try_get("site_id")?),
        topic_id: r.try_get("topic_id")?,
        topic: r.try_get("topic")?,
        topic_en: r.try_get("topic_en")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        address: r.try_get("address")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        public_title: r.try_get("public_title")?,
        public_body: r.try_get("public_body")?,
        status: QuestionStatus::parse(&status).unwrap_or(QuestionStatus::New),
        reject_reason: r.try_get("reject_reason")?,
        merged_into: r.try_get("merged_into")?,
        assignee_id: r.try_get("assignee_id")?,
        assignee: r.try_get("assignee")?,
        answer: r.try_get("answer")?,
        answered_by: r.try_get("answered_by")?,
        answered_at: r.try_get("answered_at")?,
        published_at: r.try_get("published_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        consent_at: r.try_get("consent_at")?,
        consent_version: r.try_get("consent_version")?,
        anonymised_at: r.try_get("anonymised_at")?,
        file: match r.try_get::<Option<String>, _>("file_name")? {
            Some(name) => Some(QuestionFile {
                name,
                kind: r.try_get("file_kind")?,
                size: r.try_get("file_size")?,
            }),
            None => None,
        },
    })
}

pub struct Questions<'a>(pub(crate) &'a Store);

impl Store {
    pub fn questions(&self) -> Questions<'_> {
        Questions(self)
    }
}

impl Questions<'_> {
    pub async fn insert(&self, tx: &mut Tx, q: &NewQuestion<'_>) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO questions (site_id, topic_id, code, name, email, phone, address, \
             title, body, public_title, public_body, created_at, updated_at, consent_at, \
             consent_version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9, $10, $10, $10, $11) \
             RETURNING id",
        )
        .bind(q.site_id.0)
        .bind(q.topic_id)
        .bind(q.code)
        .bind(q.name)
        .bind(q.email)
        .bind(q.phone)
        .bind(q.address)
        .bind(q.title)
        .bind(q.body)
        .bind(q.created_at)
        .bind(q.consent_version)
        .fetch_one(tx.conn())
        .await?)
    }

    /// Keeps the file attached to a question just inserted.
    pub async fn attach_file(
        &self,
        tx: &mut Tx,
        question: i64,
        file: &QuestionFile,
        bytes: &[u8],
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO question_files (question_id, name, kind, size, bytes) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(question)
        .bind(&file.name)
        .bind(&file.kind)
        .bind(file.size)
        .bind(bytes)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// The file attached to a question of `site`, with its bytes.
    pub async fn file(
        &self,
        site: SiteId,
        question: i64,
    ) -> Result<Option<(QuestionFile, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT f.name, f.kind, f.size, f.bytes FROM question_files f \
             JOIN questions q ON q.id = f.question_id WHERE q.site_id = $1 AND q.id = $2",
        )
        .bind(site.0)
        .bind(question)
        .fetch_optional(self.0.read())
        .await?;
        match row {
            Some(r) => Ok(Some((
                QuestionFile {
                    name: r.try_get("name")?,
                    kind: r.try_get("kind")?,
                    size: r.try_get("size")?,
                },
                r.try_get("bytes")?,
            ))),
            None => Ok(None),
        }
    }

    pub async fn find(&self, site: SiteId, id: i64) -> Result<Option<QuestionRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE q.site_id = $1 AND q.id = $2"
        )))
        .bind(site.0)
        .bind(id)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// A question by its code, on a site (the asker's tracking).
    pub async fn find_by_code(&self, site: SiteId, code: &str) -> Result<Option<QuestionRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE q.site_id = $1 AND q.code = $2"
        )))
        .bind(site.0)
        .bind(code)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// A page of a site's questions for the back office, newest first, and the total.
    pub async fn list(
        &self,
        site: SiteId,
        f: &QuestionFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<QuestionRow>)> {
        let cond = "q.site_id = $1 AND (CAST($2 AS TEXT) IS NULL OR q.status = $2) \
             AND (CAST($3 AS BIGINT) IS NULL OR q.topic_id = $3) \
             AND (CAST($4 AS BIGINT) IS NULL OR q.assignee_id = $4) \
             AND (CAST($5 AS BIGINT) IS NULL OR q.created_at >= $5) \
             AND (CAST($6 AS BIGINT) IS NULL OR q.created_at < $6)";
        let status = f.status.map(QuestionStatus::as_str);
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {FROM} WHERE {cond}"
        )))
        .bind(site.0)
        .bind(status)
        .bind(f.topic_id)
        .bind(f.assignee_id)
        .bind(f.from)
        .bind(f.until)
        .fetch_one(self.0.read())
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE {cond} ORDER BY q.id DESC LIMIT $7 OFFSET $8"
        )))
        .bind(site.0)
        .bind(status)
        .bind(f.topic_id)
        .bind(f.assignee_id)
        .bind(f.from)
        .bind(f.until)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.0.read())
        .await?;
        Ok((total, rows.iter().map(from_row).collect::<Result<_, _>>()?))
    }

    /// How many of a site's questions are in each status.
    pub async fn counts(&self, site: SiteId) -> Result<Vec<(QuestionStatus, i64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM questions WHERE site_id = $1 GROUP BY status",
        )
        .bind(site.0)
        .fetch_all(self.0.read())
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let s: String = r.try_get("status")?;
            if let Some(st) = QuestionStatus::parse(&s) {
                out.push((st, r.try_get("n")?));
            }
        }
        Ok(out)
    }

    /// A page of a site's published questions, newest first, in a field and holding every
    /// one of `words` (folded words, each matched at a word's start; none: all); and how
    /// many match.
    pub async fn published(
        &self,
        site: SiteId,
        topic_id: Option<i64>,
        words: &[String],
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<QuestionRow>)> {
        let mut cond = "q.site_id = $1 AND q.status = 'published' \
             AND (CAST($2 AS BIGINT) IS NULL OR q.topic_id = $2)"
            .to_owned();
        for i in 0..words.len() {
            cond.push_str(&format!(" AND q.search_key LIKE ${}", i + 3));
        }
        let patterns: Vec<String> = words
            .iter()
            .map(|w| format!("%-{}", contains_pattern(w).trim_start_matches('%')))
            .collect();
        let n = words.len();
        let count_sql = format!("SELECT COUNT(*) FROM {FROM} WHERE {cond}");
        let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
            .bind(site.0)
            .bind(topic_id);
        for p in &patterns {
            count = count.bind(p);
        }
        let total: i64 = count.fetch_one(self.0.read()).await?;
        let rows_sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE {cond} \
             ORDER BY q.published_at DESC, q.id DESC LIMIT ${} OFFSET ${}",
            n + 3,
            n + 4
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(rows_sql))
            .bind(site.0)
            .bind(topic_id);
        for p in &patterns {
            q = q.bind(p);
        }
        let rows = q.bind(limit).bind(offset).fetch_all(self.0.read()).await?;
        Ok((total, rows.iter().map(from_row).collect::<Result<_, _>>()?))
    }

    /// Published questions after id `after`, in id order, `limit` at a time (the index's
    /// rebuild).
    pub async fn list_for_index(&self, after: i64, limit: i64) -> Result<Vec<QuestionIndexRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{INDEX_SELECT} AND q.id > $1 ORDER BY q.id LIMIT $2"
        )))
        .bind(after)
        .bind(limit)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(index_row).collect::<Result<_, _>>()?)
    }

    /// A question as the index takes it, if it is published.
    pub async fn find_for_index(&self, id: i64) -> Result<Option<QuestionIndexRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{INDEX_SELECT} AND q.id = $1")))
            .bind(id)
            .fetch_optional(self.0.read())
            .await?;
        Ok(row.as_ref().map(index_row).transpose()?)
    }

    /// How many questions are published, on every site (the rebuild's total).
    pub async fn count_indexable(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM questions WHERE status = 'published'")
                .fetch_one(self.0.read())
                .await?,
        )
    }

    /// The site a question belongs to (None: deleted since).
    pub async fn site_of(&self, id: i64) -> Result<Option<SiteId>> {
        let site: Option<i64> = sqlx::query_scalar("SELECT site_id FROM questions WHERE id = $1")
            .bind(id)
            .fetch_optional(self.0.read())
            .await?;
        Ok(site.map(SiteId))
    }

    /// Applies one step of the cycle to a question of `site` that is in one of `from`;
    /// false when it is not (gone, or moved on meanwhile: the guard makes two editors'
    /// clicks at once one step).
    pub async fn step(
        &self,
        tx: &mut Tx,
        site: SiteId,
        id: i64,
        from: &[QuestionStatus],
        s: &Step<'_>,
        now: i64,
    ) -> Result<bool> {
        let from: Vec<&str> = from.iter().map(|st| st.as_str()).collect();
        let placeholders: Vec<String> = (0..from.len()).map(|i| format!("${}", i + 15)).collect();
        let sql = format!(
            "UPDATE questions SET updated_at = $3, \
             status = COALESCE($4, status), public_title = COALESCE($5, public_title), \
             public_body = COALESCE($6, public_body), \
             reject_reason = COALESCE($7, reject_reason), \
             merged_into = COALESCE($8, merged_into), assignee_id = COALESCE($9, assignee_id), \
             answer = COALESCE($10, answer), answered_by = COALESCE($11, answered_by), \
             answered_at = CASE WHEN CAST($10 AS TEXT) IS NULL THEN answered_at ELSE $3 END, \
             approved_by = COALESCE($12, approved_by), \
             published_at = COALESCE($13, published_at), search_key = COALESCE($14, search_key) \
             WHERE site_id = $1 AND id = $2 AND status IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(id)
            .bind(now)
            .bind(s.status.map(QuestionStatus::as_str))
            .bind(s.public_title)
            .bind(s.public_body)
            .bind(s.reject_reason)
            .bind(s.merged_into)
            .bind(s.assignee_id)
            .bind(s.answer)
            .bind(s.answered_by)
            .bind(s.approved_by)
            .bind(s.published_at)
            .bind(s.search_key);
        for st in from {
            q = q.bind(st);
        }
        Ok(q.execute(tx.conn()).await?.rows_affected() > 0)
    }

    /// Empties the asker's data of questions closed (published, rejected or merged) before
    /// `before`, on any site; how many.
    pub async fn anonymise_closed(&self, tx: &mut Tx, before: i64, now: i64) -> Result<u64> {
        // The attached file is the asker's too.
        sqlx::query(
            "DELETE FROM question_files WHERE question_id IN (SELECT id FROM questions \
             WHERE status IN ('published', 'rejected', 'merged') AND anonymised_at IS NULL \
             AND updated_at < $1)",
        )
        .bind(before)
        .execute(tx.conn())
        .await?;
        Ok(sqlx::query(
            "UPDATE questions SET name = '', email = '', phone = '', address = '', \
             anonymised_at = $2 \
             WHERE status IN ('published', 'rejected', 'merged') AND anonymised_at IS NULL \
             AND updated_at < $1",
        )
        .bind(before)
        .bind(now)
        .execute(tx.conn())
        .await?
        .rows_affected())
    }

    /// Every question asked from an address, on any site.
    pub async fn by_email(&self, email: &str) -> Result<Vec<QuestionRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE LOWER(q.email) = LOWER($1) ORDER BY q.id"
        )))
        .bind(email)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Erases what an address asked: questions not published are deleted; published ones
    /// keep the agency's edited text and answer, without the asker's data. How many.
    pub async fn erase_by_email(&self, tx: &mut Tx, email: &str, now: i64) -> Result<u64> {
        sqlx::query(
            "DELETE FROM question_files WHERE question_id IN (SELECT id FROM questions \
             WHERE LOWER(email) = LOWER($1))",
        )
        .bind(email)
        .execute(tx.conn())
        .await?;
        let deleted = sqlx::query(
            "DELETE FROM questions WHERE LOWER(email) = LOWER($1) AND status <> 'published'",
        )
        .bind(email)
        .execute(tx.conn())
        .await?
        .rows_affected();
        let emptied = sqlx::query(
            "UPDATE questions SET name = '', email = '', phone = '', address = '', title = '', \
             body = '', anonymised_at = $2 WHERE LOWER(email) = LOWER($1)",
        )
        .bind(email)
        .bind(now)
        .execute(tx.conn())
        .await?
        .rows_affected();
        Ok(deleted + emptied)
    }
}
