//! The lists documents are classed by (types, issuers, fields), per site.

use super::{Documents, TermRow, Vocabulary, term_from_row};
use crate::{Result, Tx};

impl Documents<'_> {
    /// A list's entries in their order, with how many documents use each.
    pub async fn terms(&self, v: Vocabulary) -> Result<Vec<TermRow>> {
        let rows = sqlx::query(
            "SELECT t.id, t.vocabulary, t.name, t.slug, t.position, \
             (SELECT COUNT(*) FROM documents d WHERE d.type_id = t.id OR d.issuer_id = t.id) \
             + (SELECT COUNT(*) FROM document_fields f WHERE f.term_id = t.id) AS uses \
             FROM document_terms t WHERE t.site_id = $1 AND t.vocabulary = $2 \
             ORDER BY t.position, t.name",
        )
        .bind(self.1.0)
        .bind(v.as_str())
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(term_from_row).collect::<Result<_, _>>()?)
    }

    pub async fn insert_term(
        &self,
        tx: &mut Tx,
        v: Vocabulary,
        name: &str,
        slug: &str,
        position: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO document_terms (site_id, vocabulary, name, slug, position) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(self.1.0)
        .bind(v.as_str())
        .bind(name)
        .bind(slug)
        .bind(position)
        .fetch_one(tx.conn())
        .await?)
    }

    pub async fn update_term(
        &self,
        tx: &mut Tx,
        id: i64,
        name: &str,
        slug: &str,
        position: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE document_terms SET name = $3, slug = $4, position = $5 \
             WHERE id = $1 AND site_id = $2",
        )
        .bind(id)
        .bind(self.1.0)
        .bind(name)
        .bind(slug)
        .bind(position)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Deletes an entry no document uses; false when it is used or not there.
    pub async fn delete_unused_term(&self, tx: &mut Tx, id: i64) -> Result<bool> {
        let r = sqlx::query(
            "DELETE FROM document_terms WHERE id = $1 AND site_id = $2 \
             AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.type_id = $1 OR d.issuer_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM document_fields f WHERE f.term_id = $1)",
        )
        .bind(id)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The entry of a list with this id, if it is this site's and of this list.
    pub async fn find_term(&self, v: Vocabulary, id: i64) -> Result<Option<TermRow>> {
        let row = sqlx::query(
            "SELECT id, vocabulary, name, slug, position, 0 AS uses FROM document_terms \
             WHERE id = $1 AND site_id = $2 AND vocabulary = $3",
        )
        .bind(id)
        .bind(self.1.0)
        .bind(v.as_str())
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(term_from_row).transpose()?)
    }
}
