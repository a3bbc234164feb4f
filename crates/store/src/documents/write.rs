//! Writing the library: a document's fields, workflow state, lists of fields, relations and
//! revisions, each in the caller's transaction.

use super::{DocumentFields, Documents, Relation, RevisionRow};
use crate::editorial::Status;
use crate::{Result, Tx};
use sqlx::{AssertSqlSafe, Row};

impl Documents<'_> {
    pub async fn slug_taken(&self, tx: &mut Tx, slug: &str, except: Option<i64>) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM documents WHERE slug = $1 AND id <> $2 AND site_id = $3",
        )
        .bind(slug)
        .bind(except.unwrap_or(0))
        .bind(self.1.0)
        .fetch_one(tx.conn())
        .await?;
        Ok(n > 0)
    }

    /// Inserts a draft; returns its id.
    pub async fn insert(
        &self,
        tx: &mut Tx,
        f: &DocumentFields<'_>,
        by: Option<i64>,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO documents (site_id, slug, number, type_id, issuer_id, signer, summary, \
             body_html, issued_on, effective_on, expires_on, status, published_at, search_key, \
             created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $14, $12, $12) \
             RETURNING id",
        )
        .bind(self.1.0)
        .bind(f.slug)
        .bind(f.number)
        .bind(f.type_id)
        .bind(f.issuer_id)
        .bind(f.signer)
        .bind(f.summary)
        .bind(f.body_html)
        .bind(f.issued_on)
        .bind(f.effective_on)
        .bind(f.expires_on)
        .bind(now)
        .bind(f.search_key)
        .bind(by)
        .fetch_one(tx.conn())
        .await?)
    }

    /// Saves the fields of an edit; false when there is no such document on this site.
    pub async fn update(
        &self,
        tx: &mut Tx,
        id: i64,
        f: &DocumentFields<'_>,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE documents SET slug = $3, number = $4, type_id = $5, issuer_id = $6, \
             signer = $7, summary = $8, body_html = $9, issued_on = $10, effective_on = $11, \
             expires_on = $12, search_key = $13, updated_at = $14 WHERE id = $1 AND site_id = $2",
        )
        .bind(id)
        .bind(self.1.0)
        .bind(f.slug)
        .bind(f.number)
        .bind(f.type_id)
        .bind(f.issuer_id)
        .bind(f.signer)
        .bind(f.summary)
        .bind(f.body_html)
        .bind(f.issued_on)
        .bind(f.effective_on)
        .bind(f.expires_on)
        .bind(f.search_key)
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Moves a document in the workflow; `published_at` is set when it is first published.
    pub async fn set_status(&self, tx: &mut Tx, id: i64, status: Status, now: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE documents SET status = $3, updated_at = $4, published_at = CASE \
             WHEN $3 = 'published' AND status <> 'published' THEN $4 ELSE published_at END \
             WHERE id = $1 AND site_id = $2",
        )
        .bind(id)
        .bind(self.1.0)
        .bind(status.as_str())
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Replaces a document's fields (lĩnh vực).
    pub async fn set_fields(&self, tx: &mut Tx, id: i64, terms: &[i64]) -> Result<()> {
        sqlx::query("DELETE FROM document_fields WHERE document_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        for t in terms {
            sqlx::query("INSERT INTO document_fields (document_id, term_id) VALUES ($1, $2)")
                .bind(id)
                .bind(t)
                .execute(tx.conn())
                .await?;
        }
        Ok(())
    }

    /// Replaces what a document says of others ("this replaces …"); what others say of it
    /// stays theirs.
    pub async fn set_relations(&self, tx: &mut Tx, id: i64, to: &[(Relation, i64)]) -> Result<()> {
        sqlx::query("DELETE FROM document_relations WHERE from_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        for (kind, other) in to {
            sqlx::query(
                "INSERT INTO document_relations (from_id, to_id, kind) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(other)
            .bind(kind.as_str())
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }

    /// Which of `ids` are documents of this site (relations stay within a site).
    pub async fn existing(&self, tx: &mut Tx, ids: &[i64]) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT id FROM documents WHERE site_id = $1 AND id IN ({}) ORDER BY id",
            list.join(", ")
        );
        Ok(sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(self.1.0)
            .fetch_all(tx.conn())
            .await?)
    }

    pub async fn insert_revision(
        &self,
        tx: &mut Tx,
        id: i64,
        user: Option<(i64, &str)>,
        snapshot: &str,
        note: &str,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO document_revisions (document_id, created_at, user_id, username, snapshot, note) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(now)
        .bind(user.map(|u| u.0))
        .bind(user.map_or("", |u| u.1))
        .bind(snapshot)
        .bind(note)
        .fetch_one(tx.conn())
        .await?)
    }

    /// A document's revisions, newest first.
    pub async fn list_revisions(&self, id: i64) -> Result<Vec<RevisionRow>> {
        let rows = sqlx::query(
            "SELECT r.id, r.document_id, r.created_at, r.username, r.snapshot, r.note \
             FROM document_revisions r JOIN documents d ON d.id = r.document_id \
             WHERE r.document_id = $1 AND d.site_id = $2 ORDER BY r.id DESC",
        )
        .bind(id)
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RevisionRow {
                    id: r.try_get("id")?,
                    document_id: r.try_get("document_id")?,
                    created_at: r.try_get("created_at")?,
                    username: r.try_get("username")?,
                    snapshot: r.try_get("snapshot")?,
                    note: r.try_get("note")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
