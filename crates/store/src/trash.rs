//! The trash: articles, pages, documents, images and videos set aside (hidden everywhere, kept until
//! restored or emptied). An article or document in the trash is also unpublished, so the
//! public queries, which ask for 'published', need not know of it.

use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::{AssertSqlSafe, Row};

/// What can be put in the trash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrashKind {
    Article,
    Page,
    Document,
    Media,
    Video,
}

impl TrashKind {
    pub const ALL: [TrashKind; 5] = [
        TrashKind::Article,
        TrashKind::Page,
        TrashKind::Document,
        TrashKind::Media,
        TrashKind::Video,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TrashKind::Article => "article",
            TrashKind::Page => "page",
            TrashKind::Document => "document",
            TrashKind::Media => "media",
            TrashKind::Video => "video",
        }
    }

    pub fn parse(name: &str) -> Option<TrashKind> {
        TrashKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    fn table(self) -> &'static str {
        match self {
            TrashKind::Article => "articles",
            TrashKind::Page => "pages",
            TrashKind::Document => "documents",
            TrashKind::Media => "media",
            TrashKind::Video => "videos",
        }
    }

    /// The name a list shows, as SQL over the kind's table.
    fn title(self) -> &'static str {
        match self {
            TrashKind::Article | TrashKind::Page => "title",
            TrashKind::Document => "number || ' ' || summary",
            TrashKind::Media => "CASE WHEN caption <> '' THEN caption ELSE original_name END",
            TrashKind::Video => "CASE WHEN title <> '' THEN title ELSE original_name END",
        }
    }

    /// What a put in the trash also sets: the workflow's kinds leave the public site.
    fn on_trash(self) -> &'static str {
        match self {
            TrashKind::Article | TrashKind::Document => ", status = 'unpublished'",
            TrashKind::Page | TrashKind::Media | TrashKind::Video => "",
        }
    }

    /// What a restore also sets: back as a draft, to be published again by an editor.
    fn on_restore(self) -> &'static str {
        match self {
            TrashKind::Article => ", status = 'draft', review_note = ''",
            TrashKind::Document => ", status = 'draft'",
            TrashKind::Page | TrashKind::Media | TrashKind::Video => "",
        }
    }
}

/// A line of the trash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashRow {
    pub kind: TrashKind,
    pub id: i64,
    pub title: String,
    pub trashed_at: i64,
}

/// One site's trash.
pub struct Trash<'a>(&'a Store, SiteId);

impl Store {
    pub fn trash(&self, site: SiteId) -> Trash<'_> {
        Trash(self, site)
    }

    /// What went to the trash before `before`, on every site (for the upkeep that empties
    /// it after `trash.keep_days`).
    pub async fn trash_expired(&self, before: i64) -> Result<Vec<(SiteId, TrashKind, i64)>> {
        let mut out = Vec::new();
        for kind in TrashKind::ALL {
            let sql = format!(
                "SELECT site_id, id FROM {} WHERE trashed_at IS NOT NULL AND trashed_at < $1 \
                 ORDER BY id",
                kind.table()
            );
            for r in sqlx::query(AssertSqlSafe(sql))
                .bind(before)
                .fetch_all(self.read())
                .await?
            {
                out.push((SiteId(r.try_get("site_id")?), kind, r.try_get("id")?));
            }
        }
        Ok(out)
    }
}

impl Trash<'_> {
    /// Puts an item in the trash; false if it is not there to put (or already in it).
    pub async fn put(&self, tx: &mut Tx, kind: TrashKind, id: i64, now: i64) -> Result<bool> {
        let sql = format!(
            "UPDATE {} SET trashed_at = $3{} WHERE id = $1 AND site_id = $2 \
             AND trashed_at IS NULL",
            kind.table(),
            kind.on_trash()
        );
        let r = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .bind(self.1.0)
            .bind(now)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Takes an item out of the trash; false if it is not in it.
    pub async fn restore(&self, tx: &mut Tx, kind: TrashKind, id: i64) -> Result<bool> {
        let sql = format!(
            "UPDATE {} SET trashed_at = NULL{} WHERE id = $1 AND site_id = $2 \
             AND trashed_at IS NOT NULL",
            kind.table(),
            kind.on_restore()
        );
        let r = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .bind(self.1.0)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// One item in the trash, if it is there.
    pub async fn find(&self, kind: TrashKind, id: i64) -> Result<Option<TrashRow>> {
        Ok(self
            .list()
            .await?
            .into_iter()
            .find(|r| r.kind == kind && r.id == id))
    }

    /// Everything in the trash, most recently trashed first.
    pub async fn list(&self) -> Result<Vec<TrashRow>> {
        let mut out = Vec::new();
        for kind in TrashKind::ALL {
            let sql = format!(
                "SELECT id, {} AS title, trashed_at FROM {} \
                 WHERE site_id = $1 AND trashed_at IS NOT NULL",
                kind.title(),
                kind.table()
            );
            for r in sqlx::query(AssertSqlSafe(sql))
                .bind(self.1.0)
                .fetch_all(self.0.read())
                .await?
            {
                out.push(TrashRow {
                    kind,
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    trashed_at: r.try_get("trashed_at")?,
                });
            }
        }
        out.sort_by(|a, b| b.trashed_at.cmp(&a.trashed_at).then(b.id.cmp(&a.id)));
        Ok(out)
    }

    /// Deletes an item that is in the trash for good, with what hangs on it (its
    /// attachments' links, a document's report's too; revisions, gallery, counts and a
    /// consultation go by the foreign keys). Images and videos are not deleted here
    /// (false): the library's own delete
    /// ([`crate::media::Media::delete_unused`], [`crate::videos::Videos::delete_unused`])
    /// checks every use, and their files go with them.
    pub async fn purge(&self, tx: &mut Tx, kind: TrashKind, id: i64) -> Result<bool> {
        let owner = match kind {
            TrashKind::Article => "article",
            TrashKind::Page => "page",
            TrashKind::Document => "document",
            TrashKind::Media | TrashKind::Video => return Ok(false),
        };
        sqlx::query("DELETE FROM attachments WHERE owner_kind = $1 AND owner_id = $2")
            .bind(owner)
            .bind(id)
            .execute(tx.conn())
            .await?;
        if kind == TrashKind::Document {
            // Its consultation's summary report hangs on it too (the consultation and its
            // comments go by the foreign keys).
            sqlx::query("DELETE FROM attachments WHERE owner_kind = 'report' AND owner_id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        if kind == TrashKind::Page {
            // A section that showed the page shows its list again.
            sqlx::query("UPDATE sections SET page_id = NULL WHERE page_id = $1 AND site_id = $2")
                .bind(id)
                .bind(self.1.0)
                .execute(tx.conn())
                .await?;
        }
        let sql = format!(
            "DELETE FROM {} WHERE id = $1 AND site_id = $2 AND trashed_at IS NOT NULL",
            kind.table()
        );
        let r = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .bind(self.1.0)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }
}
