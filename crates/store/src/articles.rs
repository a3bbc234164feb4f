//! Articles (bài viết), their galleries, and their stored view counts.
//!
//! Public queries take `now` and show only what is published at that moment, so a scheduled
//! article appears by itself when its time comes.

use crate::sites::SiteId;
use crate::sql::flag;
use crate::{Result, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A whole article, with its stored view count and the flush sequence that count includes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRow {
    pub id: i64,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub author: String,
    pub status: String,
    pub featured: bool,
    pub cover_file: Option<String>,
    /// Widths of the cover's resized copies ("320,640"), empty for none.
    pub cover_widths: Option<String>,
    pub gallery_title: String,
    pub published_at: i64,
    pub updated_at: i64,
    pub views: i64,
    /// `stats_flushes.seq` read in the same statement as `views`: every flush with a
    /// sequence up to this one is already in `views`.
    pub flush_seq: i64,
    /// For a copy shared to another site: the article it was shared from.
    pub origin_article_id: Option<i64>,
    /// The article (of the same site, in another language) it translates.
    pub translation_of: Option<i64>,
}

/// What the search index keeps of a published article (scheduled ones included: searches
/// filter on the publication time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    pub id: i64,
    pub site_id: SiteId,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub published_at: i64,
}

/// An article in a list: no body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSummaryRow {
    pub id: i64,
    pub site_id: SiteId,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub author: String,
    pub featured: bool,
    pub cover_file: Option<String>,
    pub cover_widths: Option<String>,
    pub published_at: i64,
}

/// One image of an article's gallery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GalleryImageRow {
    pub position: i64,
    pub caption: String,
    pub alt: String,
    pub file_name: String,
    pub width: i64,
    pub height: i64,
    /// Widths of the resized copies ("320,640"), empty for none.
    pub widths: String,
}

/// What a new article needs; `body_html` must already be sanitized.
#[derive(Debug, Clone)]
pub struct NewArticle<'a> {
    pub site_id: SiteId,
    pub section_id: i64,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub body_html: &'a str,
    pub author: &'a str,
    pub status: &'a str,
    pub featured: bool,
    pub cover_media_id: Option<i64>,
    pub gallery_title: &'a str,
    pub published_at: i64,
}

/// The start of an article insert; each row's values come from [`push_row_placeholders`]
/// and [`bind_new_article`], `created_at` and `updated_at` sharing the last one.
const INSERT_ARTICLE: &str = "INSERT INTO articles (section_id, slug, title, summary, body_html, \
     author, status, featured, cover_media_id, gallery_title, published_at, created_at, updated_at, site_id) VALUES ";
const VALUES_PER_ROW: usize = 13;

/// `($b+1, …, $b+12, $b+12, $b+13)`: one row of [`INSERT_ARTICLE`] after `b` earlier values.
fn push_row_placeholders(sql: &mut String, b: usize) {
    use std::fmt::Write;
    sql.push('(');
    for k in 1..VALUES_PER_ROW {
        let _ = write!(sql, "${},", b + k);
    }
    let _ = write!(sql, "${},${})", b + VALUES_PER_ROW - 1, b + VALUES_PER_ROW);
}

fn bind_new_article<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    a: &NewArticle<'q>,
    now: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(a.section_id)
        .bind(a.slug)
        .bind(a.title)
        .bind(a.summary)
        .bind(a.body_html)
        .bind(a.author)
        .bind(a.status)
        .bind(i64::from(a.featured))
        .bind(a.cover_media_id)
        .bind(a.gallery_title)
        .bind(a.published_at)
        .bind(now)
        .bind(a.site_id.0)
}

macro_rules! summary_columns {
    () => {
        "a.id, a.site_id, a.section_id, a.slug, a.title, a.summary, a.author, a.featured, a.published_at, \
         m.file_name AS cover_file, m.widths AS cover_widths"
    };
}

/// The public filter: published, and its time has come (`$1` is now).
macro_rules! visible {
    () => {
        "a.status = 'published' AND a.published_at <= $1"
    };
}

/// Only articles of sections in one language (`$4`).
macro_rules! in_language {
    () => {
        " AND EXISTS (SELECT 1 FROM sections ls WHERE ls.id = a.section_id AND ls.lang = $4)"
    };
}

/// Newest first; the id breaks ties so pages never overlap.
macro_rules! newest_first {
    () => {
        " ORDER BY a.published_at DESC, a.id DESC"
    };
}

pub(crate) fn summary_from_row(row: &AnyRow) -> Result<ArticleSummaryRow, sqlx::Error> {
    Ok(ArticleSummaryRow {
        id: row.try_get("id")?,
        site_id: SiteId(row.try_get("site_id")?),
        section_id: row.try_get("section_id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        summary: row.try_get("summary")?,
        author: row.try_get("author")?,
        featured: flag(row, "featured")?,
        cover_file: row.try_get("cover_file")?,
        cover_widths: row.try_get("cover_widths")?,
        published_at: row.try_get("published_at")?,
    })
}

fn article_from_row(row: &AnyRow) -> Result<ArticleRow, sqlx::Error> {
    Ok(ArticleRow {
        id: row.try_get("id")?,
        section_id: row.try_get("section_id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        summary: row.try_get("summary")?,
        body_html: row.try_get("body_html")?,
        author: row.try_get("author")?,
        status: row.try_get("status")?,
        featured: flag(row, "featured")?,
        cover_file: row.try_get("cover_file")?,
        cover_widths: row.try_get("cover_widths")?,
        gallery_title: row.try_get("gallery_title")?,
        published_at: row.try_get("published_at")?,
        updated_at: row.try_get("updated_at")?,
        views: row.try_get("views")?,
        flush_seq: row.try_get("flush_seq")?,
        origin_article_id: row.try_get("origin_article_id")?,
        translation_of: row.try_get("translation_of")?,
    })
}

fn summaries(rows: &[AnyRow]) -> Result<Vec<ArticleSummaryRow>> {
    Ok(rows
        .iter()
        .map(summary_from_row)
        .collect::<Result<_, _>>()?)
}

pub struct Articles<'a>(&'a Store);

impl Store {
    pub fn articles(&self) -> Articles<'_> {
        Articles(self)
    }
}

/// A (publication time, id) key above every row: a list read from it starts at its top.
pub const TOP: (i64, i64) = (i64::MAX, i64::MAX);

impl Articles<'_> {
    /// A published article by its slug, with its view count.
    pub async fn find_published_by_slug(
        &self,
        site: SiteId,
        slug: &str,
        now: i64,
    ) -> Result<Option<ArticleRow>> {
        let row = sqlx::query(concat!(
            "SELECT a.id, a.section_id, a.slug, a.title, a.summary, a.body_html, a.author, a.status, \
             a.featured, a.gallery_title, a.published_at, a.updated_at, m.file_name AS cover_file, m.widths AS cover_widths, \
             a.origin_article_id, a.translation_of, COALESCE(v.views, 0) AS views, (SELECT seq FROM stats_flushes WHERE id = 1) AS flush_seq \
             FROM articles a \
             LEFT JOIN media m ON m.id = a.cover_media_id \
             LEFT JOIN article_views v ON v.article_id = a.id \
             WHERE ", visible!(), " AND a.slug = $2 AND a.site_id = $3"
        ))
        .bind(now)
        .bind(slug)
        .bind(site.0)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(article_from_row).transpose()?)
    }

    /// A published article and its translations (the original it translates and the
    /// original's other translations), as (language, slug), the article itself included.
    pub async fn published_versions(
        &self,
        site: SiteId,
        article: &ArticleRow,
        now: i64,
    ) -> Result<Vec<(String, String)>> {
        let original = article.translation_of.unwrap_or(article.id);
        let rows = sqlx::query(concat!(
            "SELECT s.lang, a.slug FROM articles a JOIN sections s ON s.id = a.section_id WHERE ",
            visible!(),
            " AND a.site_id = $2 AND (a.id = $3 OR a.translation_of = $3) ORDER BY a.id"
        ))
        .bind(now)
        .bind(site.0)
        .bind(original)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("lang")?, r.try_get("slug")?)))
            .collect()
    }

    /// The article `id` translates, if any.
    pub async fn translation_of(&self, id: i64) -> Result<Option<i64>> {
        let found: Option<Option<i64>> =
            sqlx::query_scalar("SELECT translation_of FROM articles WHERE id = $1")
                .bind(id)
                .fetch_optional(self.0.read())
                .await?;
        Ok(found.flatten())
    }

    /// Sets the article (of the same site) that `id` translates, or none.
    pub async fn set_translation(
        &self,
        tx: &mut Tx,
        site: SiteId,
        id: i64,
        translation_of: Option<i64>,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE articles SET translation_of = \
             (SELECT o.id FROM articles o WHERE o.id = $2 AND o.site_id = $3 AND o.id <> $1) \
             WHERE id = $1 AND site_id = $3",
        )
        .bind(id)
        .bind(translation_of)
        .bind(site.0)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// A page of a section's published articles, newest first.
    pub async fn list_published_in_section(
        &self,
        section_id: i64,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleSummaryRow>> {
        self.list_published_in_section_from(section_id, now, TOP, limit, offset)
            .await
    }

    /// Like [`Articles::list_published_in_section`], counting the offset from `from` (the
    /// publication time and id of a row of the list, itself included) instead of the top:
    /// with a mark near the page, OFFSET skips a few rows instead of tens of thousands.
    pub async fn list_published_in_section_from(
        &self,
        section_id: i64,
        now: i64,
        from: (i64, i64),
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleSummaryRow>> {
        // Deferred join: the page's ids come from the section index alone, so rows skipped by
        // OFFSET cost an index step, not a table read.
        let rows = sqlx::query(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM articles a LEFT JOIN media m ON m.id = a.cover_media_id \
             WHERE a.id IN (SELECT a.id FROM articles a WHERE ",
            visible!(),
            " AND a.section_id = $2 AND (a.published_at < $5 OR (a.published_at = $5 AND a.id <= $6))",
            newest_first!(),
            " LIMIT $3 OFFSET $4)",
            newest_first!()
        ))
        .bind(now)
        .bind(section_id)
        .bind(limit)
        .bind(offset)
        .bind(from.0)
        .bind(from.1)
        .fetch_all(self.0.read())
        .await?;
        summaries(&rows)
    }

    /// A page of a gathering section's list: its own published articles and those of the
    /// `sources` sites (not copies shared from elsewhere, nor articles already shared into
    /// this section), merged newest first. One branch per list, each read from its index
    /// (`articles_by_section`, `articles_by_date`) newest first and cut at `offset + limit`
    /// rows, so a page reads at most that many entries per source.
    pub async fn list_gathered(
        &self,
        section_id: i64,
        sources: &[SiteId],
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleSummaryRow>> {
        let sql = gathered_sql(sources.len(), "a.id, a.published_at", true);
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            concat!(
                "SELECT ",
                summary_columns!(),
                " FROM articles a LEFT JOIN media m ON m.id = a.cover_media_id \
                 WHERE a.id IN (SELECT id FROM ({sql}) g ORDER BY published_at DESC, id DESC \
                 LIMIT $3 OFFSET $4)",
                newest_first!()
            ),
            sql = sql
        )))
        .bind(now)
        .bind(section_id)
        .bind(limit)
        .bind(offset);
        for s in sources {
            q = q.bind(s.0);
        }
        let rows = q.fetch_all(self.0.read()).await?;
        summaries(&rows)
    }

    /// Published articles of `site` that are its own (not copies shared to it): what one
    /// source adds to a gathering section's count.
    pub async fn count_published_originals(&self, site: SiteId, now: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(concat!(
            "SELECT COUNT(*) FROM articles a WHERE ",
            visible!(),
            " AND a.site_id = $2 AND a.origin_article_id IS NULL"
        ))
        .bind(now)
        .bind(site.0)
        .fetch_one(self.0.read())
        .await?)
    }

    /// Published originals of `sources` that have a copy in `section_id`: a gathering list
    /// shows each of them once, as the copy. Read from the section's own rows.
    pub async fn count_copied_into(
        &self,
        section_id: i64,
        sources: &[SiteId],
        now: i64,
    ) -> Result<i64> {
        if sources.is_empty() {
            return Ok(0);
        }
        let list = (0..sources.len())
            .map(|i| format!("${}", i + 3))
            .collect::<Vec<_>>()
            .join(", ");
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            concat!(
                "SELECT COUNT(DISTINCT a.id) FROM articles c JOIN articles a ON a.id = c.origin_article_id \
                 WHERE c.section_id = $2 AND ",
                visible!(),
                " AND a.origin_article_id IS NULL AND a.site_id IN ({list})"
            ),
            list = list
        )))
        .bind(now)
        .bind(section_id);
        for s in sources {
            q = q.bind(s.0);
        }
        Ok(q.fetch_one(self.0.read()).await?)
    }

    /// How many articles [`Self::list_gathered`] walks through, in one query that reads every
    /// source's rows (pages add up kept counts instead: `Content::gathered_count`; this is
    /// the reference they are checked against).
    pub async fn count_gathered(
        &self,
        section_id: i64,
        sources: &[SiteId],
        now: i64,
    ) -> Result<i64> {
        let sql = gathered_sql(sources.len(), "a.id", false);
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM ({sql}) g"
        )))
        .bind(now)
        .bind(section_id);
        for s in sources {
            q = q.bind(s.0);
        }
        Ok(q.fetch_one(self.0.read()).await?)
    }

    /// The copy of `origin` shared to `site`, if there is one, with its section.
    pub async fn find_copy(&self, origin: i64, site: SiteId) -> Result<Option<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT id, section_id FROM articles WHERE origin_article_id = $1 AND site_id = $2",
        )
        .bind(origin)
        .bind(site.0)
        .fetch_optional(self.0.read())
        .await?)
    }

    /// The copies of `origin` on other sites, as (copy id, its site, its section).
    pub async fn copies_of(&self, origin: i64) -> Result<Vec<(i64, SiteId, i64)>> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT id, site_id, section_id FROM articles WHERE origin_article_id = $1 ORDER BY id",
        )
        .bind(origin)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, site, section)| (id, SiteId(site), section))
            .collect())
    }

    /// A published article by id, whatever its site, with the site it belongs to (what a
    /// shared copy shows).
    pub async fn find_published_by_id(
        &self,
        id: i64,
        now: i64,
    ) -> Result<Option<(SiteId, ArticleRow)>> {
        let row = sqlx::query(concat!(
            "SELECT a.id, a.site_id, a.section_id, a.slug, a.title, a.summary, a.body_html, a.author, a.status, \
             a.featured, a.gallery_title, a.published_at, a.updated_at, m.file_name AS cover_file, m.widths AS cover_widths, \
             a.origin_article_id, a.translation_of, 0 AS views, 0 AS flush_seq \
             FROM articles a LEFT JOIN media m ON m.id = a.cover_media_id \
             WHERE ", visible!(), " AND a.id = $2"
        ))
        .bind(now)
        .bind(id)
        .fetch_optional(self.0.read())
        .await?;
        row.as_ref()
            .map(|r| Ok((SiteId(r.try_get("site_id")?), article_from_row(r)?)))
            .transpose()
    }

    /// Copies the published article `origin` into `site`'s section `section_id` under
    /// `slug`, naming its origin; returns the copy's id (a conflict when the slug is taken).
    pub async fn insert_copy(
        &self,
        tx: &mut Tx,
        origin: i64,
        site: SiteId,
        section_id: i64,
        slug: &str,
        now: i64,
    ) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO articles (section_id, slug, title, summary, body_html, author, status, featured, \
             cover_media_id, gallery_title, published_at, created_at, updated_at, site_id, origin_article_id) \
             SELECT $1, $2, title, summary, body_html, author, 'published', 0, NULL, gallery_title, $3, $3, $3, $4, id \
             FROM articles WHERE id = $5 RETURNING id",
        )
        .bind(section_id)
        .bind(slug)
        .bind(now)
        .bind(site.0)
        .bind(origin)
        .fetch_one(tx.conn())
        .await?;
        Ok(id)
    }

    /// Deletes a shared copy (never an article of its own); true when one was deleted.
    pub async fn delete_copy(&self, tx: &mut Tx, id: i64) -> Result<bool> {
        let r = sqlx::query("DELETE FROM articles WHERE id = $1 AND origin_article_id IS NOT NULL")
            .bind(id)
            .execute(tx.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Marks in a section's list, newest first: the publication time and id of rows 0,
    /// `every`, 2 × `every`, … (one pass over the section's index).
    pub async fn section_marks(
        &self,
        section_id: i64,
        now: i64,
        every: i64,
    ) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query(concat!(
            "SELECT published_at, id FROM (SELECT a.published_at, a.id, \
             ROW_NUMBER() OVER (",
            newest_first!(),
            ") AS rn FROM articles a WHERE ",
            visible!(),
            " AND a.section_id = $2) marks WHERE (rn - 1) % $3 = 0 ORDER BY rn"
        ))
        .bind(now)
        .bind(section_id)
        .bind(every)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("published_at")?, r.try_get("id")?)))
            .collect()
    }

    pub async fn count_published_in_section(&self, section_id: i64, now: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(concat!(
            "SELECT COUNT(*) FROM articles a WHERE ",
            visible!(),
            " AND a.section_id = $2"
        ))
        .bind(now)
        .bind(section_id)
        .fetch_one(self.0.read())
        .await?)
    }

    /// A page of "Tin khác": the section's other published articles, newest first.
    pub async fn list_others_in_section(
        &self,
        section_id: i64,
        except_id: i64,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleSummaryRow>> {
        // Deferred join, as for the section's pages.
        let rows = sqlx::query(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM articles a LEFT JOIN media m ON m.id = a.cover_media_id \
             WHERE a.id IN (SELECT a.id FROM articles a WHERE ",
            visible!(),
            " AND a.section_id = $2 AND a.id <> $3",
            newest_first!(),
            " LIMIT $4 OFFSET $5)",
            newest_first!()
        ))
        .bind(now)
        .bind(section_id)
        .bind(except_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.0.read())
        .await?;
        summaries(&rows)
    }

    /// The newest published articles of the whole site.
    pub async fn list_latest(
        &self,
        site: SiteId,
        lang: &str,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ArticleSummaryRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM articles a LEFT JOIN media m ON m.id = a.cover_media_id \
             WHERE ",
            visible!(),
            " AND a.site_id = $3",
            in_language!(),
            newest_first!(),
            " LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .bind(site.0)
        .bind(lang)
        .fetch_all(self.0.read())
        .await?;
        summaries(&rows)
    }

    /// The newest published articles marked as featured (tin nổi bật).
    pub async fn list_featured(
        &self,
        site: SiteId,
        lang: &str,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ArticleSummaryRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM articles a LEFT JOIN media m ON m.id = a.cover_media_id \
             WHERE ",
            visible!(),
            " AND a.featured = 1 AND a.site_id = $3",
            in_language!(),
            newest_first!(),
            " LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .bind(site.0)
        .bind(lang)
        .fetch_all(self.0.read())
        .await?;
        summaries(&rows)
    }

    /// The newest published articles whole (for feeds), of one section or of all the
    /// sections in `lang` (a site's feed is its pages' in one language).
    pub async fn list_feed(
        &self,
        site: SiteId,
        now: i64,
        section_id: Option<i64>,
        lang: &str,
        limit: i64,
    ) -> Result<Vec<ArticleRow>> {
        let rows = sqlx::query(concat!(
            "SELECT a.id, a.section_id, a.slug, a.title, a.summary, a.body_html, a.author, a.status, \
             a.featured, a.gallery_title, a.published_at, a.updated_at, m.file_name AS cover_file, \
             m.widths AS cover_widths, a.origin_article_id, a.translation_of, 0 AS views, 0 AS flush_seq \
             FROM articles a LEFT JOIN media m ON m.id = a.cover_media_id \
             WHERE ", visible!(), " AND ($2 = 0 OR a.section_id = $2) AND a.site_id = $4 \
             AND ($2 <> 0 OR EXISTS (SELECT 1 FROM sections ls WHERE ls.id = a.section_id AND ls.lang = $5))",
             newest_first!(), " LIMIT $3"
        ))
        .bind(now)
        .bind(section_id.unwrap_or(0))
        .bind(limit)
        .bind(site.0)
        .bind(lang)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows
            .iter()
            .map(article_from_row)
            .collect::<Result<_, _>>()?)
    }

    /// Published articles' (slug, last change) in id order, a page at a time (for sitemaps).
    pub async fn list_sitemap(
        &self,
        site: SiteId,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(String, i64, String)>> {
        let rows = sqlx::query(concat!(
            "SELECT a.slug, a.updated_at, a.published_at, s.lang FROM articles a \
             JOIN sections s ON s.id = a.section_id WHERE ",
            visible!(),
            " AND a.site_id = $4 ORDER BY a.id LIMIT $2 OFFSET $3"
        ))
        .bind(now)
        .bind(limit)
        .bind(offset)
        .bind(site.0)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                let updated: i64 = r.try_get("updated_at")?;
                let published: i64 = r.try_get("published_at")?;
                // A scheduled article changed before it appeared: it is new when it appears.
                Ok((
                    r.try_get("slug")?,
                    updated.max(published),
                    r.try_get("lang")?,
                ))
            })
            .collect()
    }

    /// Published articles (scheduled too) with ids above `after`, in id order, `limit` of
    /// them: the search index is rebuilt from these, a batch at a time.
    pub async fn list_for_index(&self, after: i64, limit: i64) -> Result<Vec<IndexRow>> {
        let rows = sqlx::query(
            "SELECT id, site_id, section_id, slug, title, summary, body_html, published_at FROM articles \
             WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.0.read())
        .await?;
        rows.iter().map(index_row).collect()
    }

    /// How many articles [`Self::list_for_index`] walks through.
    pub async fn count_indexable(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM articles WHERE status = 'published'")
                .fetch_one(self.0.read())
                .await?,
        )
    }

    /// One article for the index, if it is published (scheduled included).
    pub async fn find_for_index(&self, id: i64) -> Result<Option<IndexRow>> {
        let row = sqlx::query(
            "SELECT id, site_id, section_id, slug, title, summary, body_html, published_at FROM articles \
             WHERE status = 'published' AND id = $1",
        )
        .bind(id)
        .fetch_optional(self.0.read())
        .await?;
        row.as_ref().map(index_row).transpose()
    }

    pub async fn count_published(&self, site: SiteId, now: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(concat!(
            "SELECT COUNT(*) FROM articles a WHERE ",
            visible!(),
            " AND a.site_id = $2"
        ))
        .bind(now)
        .bind(site.0)
        .fetch_one(self.0.read())
        .await?)
    }

    /// An article's gallery, in order.
    pub async fn list_images(&self, article_id: i64) -> Result<Vec<GalleryImageRow>> {
        let rows = sqlx::query(
            "SELECT i.position, i.caption, i.alt, m.file_name, m.width, m.height, m.widths \
             FROM article_images i JOIN media m ON m.id = i.media_id \
             WHERE i.article_id = $1 ORDER BY i.position",
        )
        .bind(article_id)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(GalleryImageRow {
                    position: r.try_get("position")?,
                    caption: r.try_get("caption")?,
                    alt: r.try_get("alt")?,
                    file_name: r.try_get("file_name")?,
                    width: r.try_get("width")?,
                    height: r.try_get("height")?,
                    widths: r.try_get("widths")?,
                })
            })
            .collect()
    }

    pub async fn insert(&self, tx: &mut Tx, a: &NewArticle<'_>, now: i64) -> Result<i64> {
        let mut sql = String::from(INSERT_ARTICLE);
        push_row_placeholders(&mut sql, 0);
        sql.push_str(" RETURNING id");
        let q = bind_new_article(sqlx::query(sqlx::AssertSqlSafe(sql)), a, now);
        Ok(q.fetch_one(tx.conn()).await?.try_get(0)?)
    }

    /// Inserts many articles in one transaction, a few hundred rows per statement (for the
    /// data generator); returns how many.
    pub async fn insert_many(&self, articles: &[NewArticle<'_>], now: i64) -> Result<u64> {
        // 13 values a row: 500 rows stay far below both backends' limits on parameters.
        const ROWS: usize = 500;
        let mut tx = self.0.begin_write().await?;
        let mut inserted = 0;
        for chunk in articles.chunks(ROWS) {
            let mut sql = String::with_capacity(INSERT_ARTICLE.len() + chunk.len() * 70);
            sql.push_str(INSERT_ARTICLE);
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push(',');
                }
                push_row_placeholders(&mut sql, i * VALUES_PER_ROW);
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for a in chunk {
                q = bind_new_article(q, a, now);
            }
            inserted += q.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(inserted)
    }

    pub async fn insert_image(
        &self,
        tx: &mut Tx,
        article_id: i64,
        position: i64,
        media_id: i64,
        caption: &str,
        alt: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO article_images (article_id, position, media_id, caption, alt) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(article_id)
        .bind(position)
        .bind(media_id)
        .bind(caption)
        .bind(alt)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    pub async fn count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM articles")
            .fetch_one(self.0.read())
            .await?)
    }

    /// An article's stored view count and the counters' flush sequence it includes, read
    /// together (what a cached page's live count starts from).
    pub async fn views_as_of(&self, article_id: i64) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COALESCE((SELECT views FROM article_views WHERE article_id = $1), 0) AS views, \
             (SELECT seq FROM stats_flushes WHERE id = 1) AS flush_seq",
        )
        .bind(article_id)
        .fetch_one(self.0.read())
        .await?;
        let seq: Option<i64> = row.try_get("flush_seq")?;
        Ok((row.try_get("views")?, seq.unwrap_or(0)))
    }

    /// The site and section an article belongs to, whatever its state.
    pub async fn place_of(&self, article_id: i64) -> Result<Option<(SiteId, i64)>> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT site_id, section_id FROM articles WHERE id = $1")
                .bind(article_id)
                .fetch_optional(self.0.read())
                .await?;
        Ok(row.map(|(site, section)| (SiteId(site), section)))
    }

    /// When the next scheduled article comes out: the earliest publication time after `now`.
    pub async fn next_publication_after(&self, now: i64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MIN(published_at) FROM articles WHERE status = 'published' AND published_at > $1",
        )
        .bind(now)
        .fetch_one(self.0.read())
        .await?)
    }

    /// An article's stored view count (0 when never viewed), for checks and tools.
    pub async fn views(&self, article_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COALESCE(MAX(views), 0) FROM article_views WHERE article_id = $1",
        )
        .bind(article_id)
        .fetch_one(self.0.read())
        .await?)
    }
}

/// The rows of a gathering section's list (`$1` now, `$2` the section, the sources from
/// `$5`, or `$3` without `cut`): its own articles, then one branch per source site, each
/// cut at `$3 + $4` rows newest first when `cut` is set.
fn gathered_sql(sources: usize, columns: &str, cut: bool) -> String {
    use std::fmt::Write;
    // Without the cut the query has no `$3` and `$4`: the sources start at `$3`.
    let first = if cut { 5 } else { 3 };
    let limit = if cut {
        concat!(newest_first!(), " LIMIT $3 + $4")
    } else {
        ""
    };
    let mut sql = format!(
        "SELECT * FROM (SELECT {columns} FROM articles a WHERE {} AND a.section_id = $2{limit}) own",
        visible!()
    );
    for i in 0..sources {
        let _ = write!(
            sql,
            " UNION ALL SELECT * FROM (SELECT {columns} FROM articles a WHERE {} AND a.site_id = ${} \
             AND a.origin_article_id IS NULL AND NOT EXISTS (SELECT 1 FROM articles c \
             WHERE c.origin_article_id = a.id AND c.section_id = $2){limit}) s{i}",
            visible!(),
            i + first
        );
    }
    sql
}

fn index_row(r: &AnyRow) -> Result<IndexRow> {
    Ok(IndexRow {
        id: r.try_get("id")?,
        site_id: SiteId(r.try_get("site_id")?),
        section_id: r.try_get("section_id")?,
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        body_html: r.try_get("body_html")?,
        published_at: r.try_get("published_at")?,
    })
}
