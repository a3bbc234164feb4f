//! Published documents as the search index takes them, with their files' text.

use super::FROM;
use crate::sites::SiteId;
use crate::{Result, Store};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// A published document as the search index takes it, with the text of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentIndexRow {
    pub id: i64,
    pub site_id: SiteId,
    pub slug: String,
    pub number: String,
    pub type_name: String,
    pub issuer_name: String,
    pub summary: String,
    pub body_html: String,
    pub issued_on: String,
    /// The extracted text of its files, one after the other.
    pub files_text: String,
}

const INDEX_COLUMNS: &str = "d.id, d.site_id, d.slug, d.number, t.name AS type_name, \
     i.name AS issuer_name, d.summary, d.body_html, d.issued_on";

impl Store {
    /// Published documents of every site after id `after`, in id order (the index rebuild).
    pub async fn documents_for_index(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<DocumentIndexRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INDEX_COLUMNS}{FROM} WHERE d.status = 'published' AND d.id > $1 \
             ORDER BY d.id LIMIT $2"
        )))
        .bind(after)
        .bind(limit)
        .fetch_all(self.read())
        .await?;
        let mut docs = rows.iter().map(index_row).collect::<Result<Vec<_>, _>>()?;
        self.add_files_text(&mut docs).await?;
        Ok(docs)
    }

    /// How many documents [`Store::documents_for_index`] walks through.
    pub async fn count_indexable_documents(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE status = 'published'")
                .fetch_one(self.read())
                .await?,
        )
    }

    /// One document for the index, if it is published.
    pub async fn document_for_index(&self, id: i64) -> Result<Option<DocumentIndexRow>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INDEX_COLUMNS}{FROM} WHERE d.status = 'published' AND d.id = $1"
        )))
        .bind(id)
        .fetch_optional(self.read())
        .await?;
        let mut docs: Vec<DocumentIndexRow> = row
            .as_ref()
            .map(index_row)
            .transpose()?
            .into_iter()
            .collect();
        self.add_files_text(&mut docs).await?;
        Ok(docs.pop())
    }

    async fn add_files_text(&self, docs: &mut [DocumentIndexRow]) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = docs.iter().map(|d| d.id.to_string()).collect();
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT a.owner_id, f.text FROM attachments a JOIN files f ON f.id = a.file_id \
             WHERE a.owner_kind = 'document' AND a.owner_id IN ({}) ORDER BY a.owner_id, a.position",
            list.join(", ")
        )))
        .fetch_all(self.read())
        .await?;
        for r in &rows {
            let owner: i64 = r.try_get("owner_id")?;
            let text: String = r.try_get("text")?;
            if let Some(d) = docs.iter_mut().find(|d| d.id == owner)
                && !text.is_empty()
            {
                if !d.files_text.is_empty() {
                    d.files_text.push('\n');
                }
                d.files_text.push_str(&text);
            }
        }
        Ok(())
    }
}

fn index_row(r: &AnyRow) -> Result<DocumentIndexRow, sqlx::Error> {
    Ok(DocumentIndexRow {
        id: r.try_get("id")?,
        site_id: SiteId(r.try_get("site_id")?),
        slug: r.try_get("slug")?,
        number: r.try_get("number")?,
        type_name: r.try_get("type_name")?,
        issuer_name: r.try_get("issuer_name")?,
        summary: r.try_get("summary")?,
        body_html: r.try_get("body_html")?,
        issued_on: r.try_get("issued_on")?,
        files_text: String::new(),
    })
}
