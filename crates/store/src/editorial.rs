//! The back office's view of articles: any status, edits, the workflow, revisions and the
//! redirects left by changed slugs.

use crate::sites::SiteId;
use crate::sql::flag;
use crate::{Backend, Result, Store, Tx};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// Where an article is in the editorial workflow; stored as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Pending,
    Published,
    Unpublished,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Draft,
        Status::Pending,
        Status::Published,
        Status::Unpublished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Pending => "pending",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
        }
    }

    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A status column read back; a name this version does not know is a damaged row.
fn status(r: &AnyRow) -> Result<Status, sqlx::Error> {
    let name: String = r.try_get("status")?;
    Status::parse(&name).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: "status".to_owned(),
        source: format!("unknown article status {name:?}").into(),
    })
}

/// An article as the back office edits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditRow {
    pub id: i64,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub author: String,
    pub status: Status,
    pub featured: bool,
    pub cover_media_id: Option<i64>,
    pub gallery_title: String,
    pub published_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<i64>,
    pub review_note: String,
    /// When it went to the trash (`None`: it is not there).
    pub trashed_at: Option<i64>,
    /// Its newest revision's id: the version an edit form was opened at, which a save names
    /// so that it is refused if another save came between (optimistic locking).
    pub revision: i64,
    /// The article (in another language) it translates.
    pub translation_of: Option<i64>,
}

/// The fields an edit sets (status and authorship change only through the workflow).
#[derive(Debug, Clone)]
pub struct EditFields<'a> {
    pub section_id: i64,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub body_html: &'a str,
    pub author: &'a str,
    pub featured: bool,
    pub cover_media_id: Option<i64>,
    pub gallery_title: &'a str,
    pub published_at: i64,
}

/// One gallery image as stored with an article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GalleryItem {
    pub media_id: i64,
    pub caption: String,
    pub alt: String,
}

/// A line of the back office's article list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub status: Status,
    pub section_id: i64,
    pub created_by: Option<i64>,
    pub published_at: i64,
    pub updated_at: i64,
    pub review_note: String,
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<Status>,
    pub section_id: Option<i64>,
    pub created_by: Option<i64>,
    /// Part of the title (case-insensitive for ASCII).
    pub title: Option<String>,
    /// The same words as a slug (marks folded, lower case, `-` between words), matched
    /// against the slug: how "khoi dang" or "KHỐI ĐẢNG" finds "khối Đảng" on both backends,
    /// whose LOWER() does not agree beyond ASCII.
    pub title_slug: Option<String>,
    /// The trash instead of the rest.
    pub trashed: bool,
    /// Only these sections (a user limited to some); `None`: all.
    pub sections: Option<Vec<i64>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionRow {
    pub id: i64,
    pub article_id: i64,
    pub created_at: i64,
    pub user_id: Option<i64>,
    pub username: String,
    pub status: Status,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub author: String,
    pub cover_media_id: Option<i64>,
    pub gallery_title: String,
    pub gallery_json: String,
    pub published_at: i64,
    pub note: String,
}

macro_rules! edit_columns {
    () => {
        "id, section_id, slug, title, summary, body_html, author, status, featured, cover_media_id, \
         gallery_title, published_at, created_at, updated_at, created_by, review_note, trashed_at, \
         translation_of, COALESCE((SELECT MAX(r.id) FROM article_revisions r WHERE r.article_id = articles.id), 0) \
         AS revision"
    };
}

macro_rules! revision_columns {
    () => {
        "id, article_id, created_at, user_id, username, status, section_id, slug, title, summary, \
         body_html, author, cover_media_id, gallery_title, gallery_json, published_at, note"
    };
}

fn edit_from_row(r: &AnyRow) -> Result<EditRow, sqlx::Error> {
    Ok(EditRow {
        id: r.try_get("id")?,
        section_id: r.try_get("section_id")?,
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        body_html: r.try_get("body_html")?,
        author: r.try_get("author")?,
        status: status(r)?,
        featured: flag(r, "featured")?,
        cover_media_id: r.try_get("cover_media_id")?,
        gallery_title: r.try_get("gallery_title")?,
        published_at: r.try_get("published_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        created_by: r.try_get("created_by")?,
        review_note: r.try_get("review_note")?,
        trashed_at: r.try_get("trashed_at")?,
        revision: r.try_get("revision")?,
        translation_of: r.try_get("translation_of")?,
    })
}

fn revision_from_row(r: &AnyRow) -> Result<RevisionRow, sqlx::Error> {
    Ok(RevisionRow {
        id: r.try_get("id")?,
        article_id: r.try_get("article_id")?,
        created_at: r.try_get("created_at")?,
        user_id: r.try_get("user_id")?,
        username: r.try_get("username")?,
        status: status(r)?,
        section_id: r.try_get("section_id")?,
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        body_html: r.try_get("body_html")?,
        author: r.try_get("author")?,
        cover_media_id: r.try_get("cover_media_id")?,
        gallery_title: r.try_get("gallery_title")?,
        gallery_json: r.try_get("gallery_json")?,
        published_at: r.try_get("published_at")?,
        note: r.try_get("note")?,
    })
}

/// One site's articles as the back office sees them.
pub struct Editorial<'a>(&'a Store, SiteId);

impl Store {
    pub fn editorial(&self, site: SiteId) -> Editorial<'_> {
        Editorial(self, site)
    }
}

impl Editorial<'_> {
    pub async fn find(&self, id: i64) -> Result<Option<EditRow>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            edit_columns!(),
            " FROM articles WHERE id = $1 AND site_id = $2"
        ))
        .bind(id)
        .bind(self.1.0)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(edit_from_row).transpose()?)
    }

    /// The article as `tx` sees it, locked against other writers until `tx` ends (on
    /// SQLite the transaction already holds the database's write lock).
    pub async fn find_for_update(&self, tx: &mut Tx, id: i64) -> Result<Option<EditRow>> {
        let lock = match tx.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let sql = format!(
            concat!(
                "SELECT ",
                edit_columns!(),
                " FROM articles WHERE id = $1 AND site_id = $2{}"
            ),
            lock
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .bind(self.1.0)
            .fetch_optional(tx.conn())
            .await?;
        Ok(row.as_ref().map(edit_from_row).transpose()?)
    }

    /// The gallery of an article, in order.
    pub async fn gallery(&self, id: i64) -> Result<Vec<GalleryItem>> {
        let rows = sqlx::query(
            "SELECT media_id, caption, alt FROM article_images WHERE article_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(GalleryItem {
                    media_id: r.try_get("media_id")?,
                    caption: r.try_get("caption")?,
                    alt: r.try_get("alt")?,
                })
            })
            .collect()
    }

    /// Creates a draft; returns its id.
    pub async fn insert_draft(
        &self,
        tx: &mut Tx,
        f: &EditFields<'_>,
        created_by: i64,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO articles (section_id, slug, title, summary, body_html, author, status, featured, \
             cover_media_id, gallery_title, published_at, created_at, updated_at, created_by, site_id) \
             VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11, $11, $12, $13) RETURNING id",
        )
        .bind(f.section_id)
        .bind(f.slug)
        .bind(f.title)
        .bind(f.summary)
        .bind(f.body_html)
        .bind(f.author)
        .bind(i64::from(f.featured))
        .bind(f.cover_media_id)
        .bind(f.gallery_title)
        .bind(f.published_at)
        .bind(now)
        .bind(created_by)
        .bind(self.1.0)
        .fetch_one(tx.conn())
        .await?)
    }

    /// Saves an article's fields and gallery.
    pub async fn update(
        &self,
        tx: &mut Tx,
        id: i64,
        f: &EditFields<'_>,
        gallery: &[GalleryItem],
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE articles SET section_id = $2, slug = $3, title = $4, summary = $5, body_html = $6, \
             author = $7, featured = $8, cover_media_id = $9, gallery_title = $10, published_at = $11, \
             updated_at = $12 WHERE id = $1",
        )
        .bind(id)
        .bind(f.section_id)
        .bind(f.slug)
        .bind(f.title)
        .bind(f.summary)
        .bind(f.body_html)
        .bind(f.author)
        .bind(i64::from(f.featured))
        .bind(f.cover_media_id)
        .bind(f.gallery_title)
        .bind(f.published_at)
        .bind(now)
        .execute(tx.conn())
        .await?;
        sqlx::query("DELETE FROM article_images WHERE article_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        for (pos, g) in gallery.iter().enumerate() {
            sqlx::query(
                "INSERT INTO article_images (article_id, position, media_id, caption, alt) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(i64::try_from(pos).unwrap_or(i64::MAX))
            .bind(g.media_id)
            .bind(g.caption.as_str())
            .bind(g.alt.as_str())
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }

    /// Moves an article to `status` (and sets its review note and, when given, its
    /// publication time).
    pub async fn set_status(
        &self,
        tx: &mut Tx,
        id: i64,
        status: Status,
        review_note: &str,
        published_at: Option<i64>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE articles SET status = $2, review_note = $3, \
             published_at = COALESCE($4, published_at), updated_at = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(review_note)
        .bind(published_at)
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// A page of the back office's list, most recently updated first, and the total.
    pub async fn list(
        &self,
        f: &ListFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ListRow>, i64)> {
        let mut conds = vec![
            "site_id = $1".to_owned(),
            if f.trashed {
                "trashed_at IS NOT NULL".to_owned()
            } else {
                "trashed_at IS NULL".to_owned()
            },
        ];
        if let Some(ids) = &f.sections {
            // Ids are numbers the store read itself: written in, not bound.
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            conds.push(format!(
                "section_id IN ({})",
                if list.is_empty() {
                    "0".to_owned()
                } else {
                    list.join(", ")
                }
            ));
        }
        let mut n = 1;
        let mut p = || {
            n += 1;
            format!("${n}")
        };
        if f.status.is_some() {
            conds.push(format!("status = {}", p()));
        }
        if f.section_id.is_some() {
            conds.push(format!("section_id = {}", p()));
        }
        if f.created_by.is_some() {
            conds.push(format!("created_by = {}", p()));
        }
        if f.title.is_some() {
            let title = p();
            match f.title_slug {
                Some(_) => conds.push(format!("(LOWER(title) LIKE {title} OR slug LIKE {})", p())),
                None => conds.push(format!("LOWER(title) LIKE {title}")),
            }
        }
        let filter = format!(" WHERE {}", conds.join(" AND "));
        let like = f
            .title
            .as_ref()
            .map(|t| format!("%{}%", t.to_lowercase().replace(['\\', '%', '_'], "")));
        let bind = |sql: String| {
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(self.1.0);
            if let Some(s) = f.status {
                q = q.bind(s.as_str());
            }
            if let Some(s) = f.section_id {
                q = q.bind(s);
            }
            if let Some(u) = f.created_by {
                q = q.bind(u);
            }
            if let Some(l) = &like {
                q = q.bind(l.clone());
                if let Some(slug) = &f.title_slug {
                    q = q.bind(format!("%{}%", slug.replace(['\\', '%', '_'], "")));
                }
            }
            q
        };
        let total: i64 = bind(format!("SELECT COUNT(*) AS n FROM articles{filter}"))
            .fetch_one(self.0.read())
            .await?
            .try_get("n")?;
        let rows = bind(format!(
            "SELECT id, title, slug, status, section_id, created_by, published_at, updated_at, review_note \
             FROM articles{filter} ORDER BY updated_at DESC, id DESC LIMIT {limit} OFFSET {offset}"
        ))
        .fetch_all(self.0.read())
        .await?;
        let rows = rows
            .iter()
            .map(|r| {
                Ok(ListRow {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    slug: r.try_get("slug")?,
                    status: status(r)?,
                    section_id: r.try_get("section_id")?,
                    created_by: r.try_get("created_by")?,
                    published_at: r.try_get("published_at")?,
                    updated_at: r.try_get("updated_at")?,
                    review_note: r.try_get("review_note")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((rows, total))
    }

    /// True when another article has `slug`, or left it behind as a redirect (read in `tx`,
    /// so what the transaction wrote counts).
    pub async fn slug_taken(
        &self,
        tx: &mut Tx,
        slug: &str,
        except_id: Option<i64>,
    ) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM articles WHERE slug = $1 AND id <> $2 AND site_id = $3) \
             + (SELECT COUNT(*) FROM article_redirects WHERE slug = $1 AND article_id <> $2 \
             AND site_id = $3)",
        )
        .bind(slug)
        .bind(except_id.unwrap_or(0))
        .bind(self.1.0)
        .fetch_one(tx.conn())
        .await?;
        Ok(n > 0)
    }

    /// Remembers an old slug so its URL redirects to the article; a slug taken back by its
    /// article stops redirecting.
    pub async fn add_redirect(&self, tx: &mut Tx, old_slug: &str, article_id: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO article_redirects (slug, article_id, site_id) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id, slug) DO UPDATE SET article_id = excluded.article_id",
        )
        .bind(old_slug)
        .bind(article_id)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    pub async fn remove_redirect(&self, tx: &mut Tx, slug: &str) -> Result<()> {
        sqlx::query("DELETE FROM article_redirects WHERE slug = $1 AND site_id = $2")
            .bind(slug)
            .bind(self.1.0)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    /// The current slug an old slug leads to, when that article is published at `now`.
    pub async fn find_redirect(&self, old_slug: &str, now: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT a.slug FROM article_redirects r JOIN articles a ON a.id = r.article_id \
             WHERE r.slug = $1 AND r.site_id = $3 AND a.status = 'published' AND a.published_at <= $2",
        )
        .bind(old_slug)
        .bind(now)
        .bind(self.1.0)
        .fetch_optional(self.0.read())
        .await?)
    }

    pub async fn insert_revision(&self, tx: &mut Tx, r: &RevisionRow) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO article_revisions (article_id, created_at, user_id, username, status, section_id, \
             slug, title, summary, body_html, author, cover_media_id, gallery_title, gallery_json, \
             published_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             RETURNING id",
        )
        .bind(r.article_id)
        .bind(r.created_at)
        .bind(r.user_id)
        .bind(r.username.as_str())
        .bind(r.status.as_str())
        .bind(r.section_id)
        .bind(r.slug.as_str())
        .bind(r.title.as_str())
        .bind(r.summary.as_str())
        .bind(r.body_html.as_str())
        .bind(r.author.as_str())
        .bind(r.cover_media_id)
        .bind(r.gallery_title.as_str())
        .bind(r.gallery_json.as_str())
        .bind(r.published_at)
        .bind(r.note.as_str())
        .fetch_one(tx.conn())
        .await?)
    }

    /// An article's revisions, newest first (without their bodies' size mattering).
    pub async fn list_revisions(&self, article_id: i64) -> Result<Vec<RevisionRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            revision_columns!(),
            " FROM article_revisions WHERE article_id = $1 ORDER BY id DESC"
        ))
        .bind(article_id)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows
            .iter()
            .map(revision_from_row)
            .collect::<Result<_, _>>()?)
    }

    pub async fn find_revision(&self, article_id: i64, id: i64) -> Result<Option<RevisionRow>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            revision_columns!(),
            " FROM article_revisions WHERE article_id = $1 AND id = $2"
        ))
        .bind(article_id)
        .bind(id)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(revision_from_row).transpose()?)
    }

    /// Counts per status (for the dashboard).
    pub async fn count_by_status(&self, created_by: Option<i64>) -> Result<Vec<(Status, i64)>> {
        let rows = match created_by {
            Some(u) => sqlx::query(
                "SELECT status, COUNT(*) AS n FROM articles WHERE created_by = $1 AND site_id = $2 \
                 AND trashed_at IS NULL \
                 GROUP BY status",
            )
            .bind(u)
            .bind(self.1.0)
            .fetch_all(self.0.read())
            .await?,
            None => {
                sqlx::query(
                    "SELECT status, COUNT(*) AS n FROM articles WHERE site_id = $1 \
                     AND trashed_at IS NULL GROUP BY status",
                )
                .bind(self.1.0)
                .fetch_all(self.0.read())
                .await?
            }
        };
        rows.iter()
            .map(|r| Ok((status(r)?, r.try_get("n")?)))
            .collect()
    }
}
