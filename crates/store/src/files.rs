//! Attached files (PDF, Word, Excel …): one row per content per site, with the text the
//! search indexes, and which documents, articles and pages carry them. The bytes are in
//! `media_files` under [`FileRow::stored_name`].

use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// What carries attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Owner {
    Document,
    Article,
    Page,
    /// A consultation's summary report (the document's id).
    Report,
}

impl Owner {
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Document => "document",
            Owner::Article => "article",
            Owner::Page => "page",
            Owner::Report => "report",
        }
    }
}

/// What the search could read in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextState {
    /// Text was found and is indexed.
    Found,
    /// The file has no text layer (a scanned PDF) or a kind whose text is not read.
    None,
    /// Reading it failed (damaged, encrypted).
    Unreadable,
}

impl TextState {
    pub fn as_str(self) -> &'static str {
        match self {
            TextState::Found => "found",
            TextState::None => "none",
            TextState::Unreadable => "unreadable",
        }
    }

    pub fn parse(s: &str) -> Option<TextState> {
        [TextState::Found, TextState::None, TextState::Unreadable]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub id: i64,
    pub hash: String,
    /// The kind as `cong-files` names it ("pdf", "docx" …).
    pub kind: String,
    pub bytes: i64,
    /// The name it is downloaded under (the uploader's, cleaned, with the right extension).
    pub name: String,
    pub text_state: TextState,
    pub created_at: i64,
}

impl FileRow {
    /// Its name in `media_files` (and in a node's media folder).
    pub fn stored_name(&self) -> String {
        stored_name(&self.hash, &self.kind)
    }
}

/// The name a file's bytes are stored under: its content hash and its kind's extension.
pub fn stored_name(hash: &str, kind: &str) -> String {
    format!("{hash}.{kind}")
}

/// A file to record.
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    pub hash: &'a str,
    pub kind: &'a str,
    pub bytes: i64,
    pub name: &'a str,
    pub text: &'a str,
    pub text_state: TextState,
}

const COLUMNS: &str = "f.id, f.hash, f.kind, f.bytes, f.name, f.text_state, f.created_at";

fn from_row(r: &AnyRow) -> Result<FileRow, sqlx::Error> {
    let state: String = r.try_get("text_state")?;
    Ok(FileRow {
        id: r.try_get("id")?,
        hash: r.try_get("hash")?,
        kind: r.try_get("kind")?,
        bytes: r.try_get("bytes")?,
        name: r.try_get("name")?,
        text_state: TextState::parse(&state).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "text_state".to_owned(),
            source: format!("unknown text state {state:?}").into(),
        })?,
        created_at: r.try_get("created_at")?,
    })
}

/// One site's files.
pub struct Files<'a>(&'a Store, SiteId);

impl Store {
    pub fn files(&self, site: SiteId) -> Files<'_> {
        Files(self, site)
    }
}

impl Files<'_> {
    pub async fn find_by_id(&self, id: i64) -> Result<Option<FileRow>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM files f WHERE f.id = $1 AND f.site_id = $2"
        )))
        .bind(id)
        .bind(self.1.0)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The file with this content, read in `tx` (an upload of the same bytes reuses it).
    pub async fn find_by_hash(&self, tx: &mut Tx, hash: &str) -> Result<Option<FileRow>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM files f WHERE f.hash = $1 AND f.site_id = $2"
        )))
        .bind(hash)
        .bind(self.1.0)
        .fetch_optional(tx.conn())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn insert(
        &self,
        tx: &mut Tx,
        f: &NewFile<'_>,
        by: Option<i64>,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO files (site_id, hash, kind, bytes, name, text, text_state, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(self.1.0)
        .bind(f.hash)
        .bind(f.kind)
        .bind(f.bytes)
        .bind(f.name)
        .bind(f.text)
        .bind(f.text_state.as_str())
        .bind(by)
        .bind(now)
        .fetch_one(tx.conn())
        .await?)
    }

    /// The text extracted from a file (for the search index).
    pub async fn text_of(&self, id: i64) -> Result<String> {
        Ok(
            sqlx::query_scalar("SELECT text FROM files WHERE id = $1 AND site_id = $2")
                .bind(id)
                .bind(self.1.0)
                .fetch_optional(self.0.read())
                .await?
                .unwrap_or_default(),
        )
    }

    /// The files an owner carries, in their order.
    pub async fn attached(&self, owner: Owner, id: i64) -> Result<Vec<FileRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM attachments a JOIN files f ON f.id = a.file_id \
             WHERE a.owner_kind = $1 AND a.owner_id = $2 AND f.site_id = $3 ORDER BY a.position"
        )))
        .bind(owner.as_str())
        .bind(id)
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// The files each of `ids` carries: (owner id, file), in order.
    pub async fn attached_to_each(&self, owner: Owner, ids: &[i64]) -> Result<Vec<(i64, FileRow)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT a.owner_id, {COLUMNS} FROM attachments a JOIN files f ON f.id = a.file_id \
             WHERE a.owner_kind = $1 AND a.owner_id IN ({}) AND f.site_id = $2 \
             ORDER BY a.owner_id, a.position",
            list.join(", ")
        )))
        .bind(owner.as_str())
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("owner_id")?, from_row(r)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Replaces the files an owner carries with `files`, in that order.
    pub async fn attach(&self, tx: &mut Tx, owner: Owner, id: i64, files: &[i64]) -> Result<()> {
        sqlx::query("DELETE FROM attachments WHERE owner_kind = $1 AND owner_id = $2")
            .bind(owner.as_str())
            .bind(id)
            .execute(tx.conn())
            .await?;
        for (i, f) in files.iter().enumerate() {
            sqlx::query(
                "INSERT INTO attachments (owner_kind, owner_id, position, file_id) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(owner.as_str())
            .bind(id)
            .bind(i as i64)
            .bind(f)
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }

    /// Which of `ids` are files of this site.
    pub async fn existing(&self, tx: &mut Tx, ids: &[i64]) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        Ok(sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT id FROM files WHERE site_id = $1 AND id IN ({})",
            list.join(", ")
        )))
        .bind(self.1.0)
        .fetch_all(tx.conn())
        .await?)
    }

    /// True when a published document (or its consultation's report) or article, or a page,
    /// carries the file: only those are served to the public (a draft's files stay private
    /// until it is out).
    pub async fn is_public(&self, id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM attachments a WHERE a.file_id = $1 AND ( \
               (a.owner_kind IN ('document', 'report') AND EXISTS (SELECT 1 FROM documents d \
                  WHERE d.id = a.owner_id AND d.status = 'published' AND d.site_id = $2)) \
               OR (a.owner_kind = 'article' AND EXISTS (SELECT 1 FROM articles r \
                  WHERE r.id = a.owner_id AND r.status = 'published' AND r.site_id = $2)) \
               OR (a.owner_kind = 'page' AND EXISTS (SELECT 1 FROM pages p \
                  WHERE p.id = a.owner_id AND p.site_id = $2)))",
        )
        .bind(id)
        .bind(self.1.0)
        .fetch_one(self.0.read())
        .await?;
        Ok(n > 0)
    }

    /// How many owners carry a file.
    pub async fn uses(&self, tx: &mut Tx, id: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE file_id = $1")
                .bind(id)
                .fetch_one(tx.conn())
                .await?,
        )
    }

    /// Deletes a file's row if nothing carries it (false: carried, or not there), and its
    /// bytes when no other site's row has the same content.
    pub async fn delete_unused(&self, tx: &mut Tx, id: i64) -> Result<bool> {
        let Some(row) = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM files f WHERE f.id = $1 AND f.site_id = $2"
        )))
        .bind(id)
        .bind(self.1.0)
        .fetch_optional(tx.conn())
        .await?
        else {
            return Ok(false);
        };
        let file = from_row(&row)?;
        let r = sqlx::query(
            "DELETE FROM files WHERE id = $1 AND site_id = $2 \
             AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.file_id = $1)",
        )
        .bind(id)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        let shared: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM files WHERE hash = $1 AND kind = $2")
                .bind(&file.hash)
                .bind(&file.kind)
                .fetch_one(tx.conn())
                .await?;
        if shared == 0 {
            sqlx::query("DELETE FROM media_files WHERE name = $1")
                .bind(file.stored_name())
                .execute(tx.conn())
                .await?;
        }
        Ok(true)
    }

    /// The newest files of the site, with how many owners carry each (the back office).
    pub async fn list(&self, limit: i64, offset: i64) -> Result<Vec<(FileRow, i64)>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS}, (SELECT COUNT(*) FROM attachments a WHERE a.file_id = f.id) AS uses \
             FROM files f WHERE f.site_id = $1 ORDER BY f.id DESC LIMIT {limit} OFFSET {offset}"
        )))
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| Ok((from_row(r)?, r.try_get("uses")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
