//! Reading the library: the filtered list and its count, one document, its fields and
//! relations, the relation picker, feeds and sitemap.

use super::sql::{Bound, Sql};
use super::{
    COLUMNS, DocumentRow, DocumentStanding, Documents, FROM, Filter, RelatedRow, Relation, TermRow,
    decode, from_row, term_from_row,
};
use crate::Result;
use crate::editorial::Status;
use sqlx::{AssertSqlSafe, Row};

impl Documents<'_> {
    /// `SELECT` the columns and the status of effect on `today`, from the joined tables.
    fn select(&self, today: &str) -> Sql {
        let mut sql = Sql::new(self.1);
        let effect = sql.effect(today);
        sql.push(&format!("SELECT {COLUMNS}, {effect} AS effect{FROM}"));
        sql
    }

    /// A page of documents, newest issue date first; `today` decides the status of effect.
    pub async fn list(
        &self,
        f: &Filter,
        today: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<DocumentRow>> {
        let mut sql = self.select(today);
        sql.filter(f, today);
        sql.push(&format!(
            " ORDER BY d.issued_on DESC, d.id DESC LIMIT {limit} OFFSET {offset}"
        ));
        let rows = sql.query().fetch_all(self.0.read()).await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// How many documents a filter selects.
    pub async fn count(&self, f: &Filter, today: &str) -> Result<i64> {
        let mut sql = Sql::new(self.1);
        sql.push("SELECT COUNT(*) FROM documents d");
        sql.filter(f, today);
        Ok(sql.scalar().fetch_one(self.0.read()).await?)
    }

    pub async fn find_by_slug(&self, slug: &str, today: &str) -> Result<Option<DocumentRow>> {
        self.find_where("d.slug", Bound::Text(slug.to_owned()), today)
            .await
    }

    pub async fn find_by_id(&self, id: i64, today: &str) -> Result<Option<DocumentRow>> {
        self.find_where("d.id", Bound::Int(id), today).await
    }

    /// A document's [`DocumentStanding`]: no status of effect, so no day to reckon it on.
    pub async fn find_standing(&self, id: i64) -> Result<Option<DocumentStanding>> {
        let row = sqlx::query(
            "SELECT number, created_by, status FROM documents WHERE id = $1 AND site_id = $2",
        )
        .bind(id)
        .bind(self.1.0)
        .fetch_optional(self.0.read())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let status: String = r.try_get("status")?;
        Ok(Some(DocumentStanding {
            number: r.try_get("number")?,
            created_by: r.try_get("created_by")?,
            status: decode("status", &status, Status::parse)?,
        }))
    }

    async fn find_where(&self, column: &str, v: Bound, today: &str) -> Result<Option<DocumentRow>> {
        let mut sql = self.select(today);
        let p = sql.value(v);
        sql.push(&format!(" WHERE d.site_id = $1 AND {column} = {p}"));
        let row = sql.query().fetch_optional(self.0.read()).await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The fields (lĩnh vực) of each of `ids`: (document id, term).
    pub async fn fields_of(&self, ids: &[i64]) -> Result<Vec<(i64, TermRow)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT df.document_id, t.id, t.vocabulary, t.name, t.slug, t.position, 0 AS uses \
             FROM document_fields df JOIN document_terms t ON t.id = df.term_id \
             WHERE df.document_id IN ({}) ORDER BY t.position, t.name",
            list.join(", ")
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(self.0.read())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("document_id")?, term_from_row(r)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// The documents related to `id`, both ways, published or not (the caller shows what it
    /// may), in the order of their kind and number.
    pub async fn relations_of(&self, id: i64) -> Result<Vec<RelatedRow>> {
        let rows = sqlx::query(
            "SELECT r.kind, 1 AS outgoing, d.id, d.slug, d.number, d.summary, d.status \
             FROM document_relations r JOIN documents d ON d.id = r.to_id WHERE r.from_id = $1 \
             UNION ALL \
             SELECT r.kind, 0 AS outgoing, d.id, d.slug, d.number, d.summary, d.status \
             FROM document_relations r JOIN documents d ON d.id = r.from_id WHERE r.to_id = $1 \
             ORDER BY 2 DESC, 1, 5",
        )
        .bind(id)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let status: String = r.try_get("status")?;
                Ok(RelatedRow {
                    relation: decode("kind", &kind, Relation::parse)?,
                    outgoing: r.try_get::<i64, _>("outgoing")? != 0,
                    id: r.try_get("id")?,
                    slug: r.try_get("slug")?,
                    number: r.try_get("number")?,
                    summary: r.try_get("summary")?,
                    status: decode("status", &status, Status::parse)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Documents whose number or abstract contains every folded word (the relation picker).
    pub async fn pick(&self, words: &[String], limit: i64) -> Result<Vec<(i64, String, String)>> {
        let f = Filter {
            words: words.to_vec(),
            ..Filter::default()
        };
        let mut sql = Sql::new(self.1);
        sql.push("SELECT d.id, d.number, d.summary FROM documents d");
        sql.filter(&f, "");
        sql.push(&format!(
            " ORDER BY d.issued_on DESC, d.id DESC LIMIT {limit}"
        ));
        let rows = sql.query().fetch_all(self.0.read()).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    r.try_get("number")?,
                    r.try_get("summary")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Published documents, newest publication first (feeds).
    pub async fn list_published_recent(&self, today: &str, limit: i64) -> Result<Vec<DocumentRow>> {
        let mut sql = self.select(today);
        sql.push(&format!(
            " WHERE d.site_id = $1 AND d.status = 'published' \
             ORDER BY d.published_at DESC, d.id DESC LIMIT {limit}"
        ));
        let rows = sql.query().fetch_all(self.0.read()).await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Every published document's slug and last change (the sitemap).
    pub async fn list_published_slugs(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT slug, updated_at FROM documents WHERE site_id = $1 AND status = 'published' \
             ORDER BY id",
        )
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("slug")?, r.try_get("updated_at")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// How many documents are published (the sitemap's size).
    pub async fn count_published(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM documents WHERE site_id = $1 AND status = 'published'",
        )
        .bind(self.1.0)
        .fetch_one(self.0.read())
        .await?)
    }

    pub async fn any_published(&self) -> Result<bool> {
        let n: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM documents WHERE site_id = $1 AND status = 'published' LIMIT 1",
        )
        .bind(self.1.0)
        .fetch_optional(self.0.read())
        .await?;
        Ok(n.is_some())
    }

    /// The years in which published documents were issued, newest first (the year filter).
    pub async fn years(&self) -> Result<Vec<i32>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT SUBSTR(issued_on, 1, 4) FROM documents \
             WHERE site_id = $1 AND status = 'published' ORDER BY 1 DESC",
        )
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().filter_map(|y| y.parse().ok()).collect())
    }
}
