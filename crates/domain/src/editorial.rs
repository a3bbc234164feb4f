//! The editorial workflow: drafts, review, publication (now or scheduled), unpublishing,
//! revisions and their restore; every step checked against the roles, saved as a revision
//! where it changes content, written to the audit log, and announced as a change.
//!
//! States: `draft` (a returned article is a draft with the editor's note) → `pending` →
//! `published` (its time may be in the future: it appears by itself then) → `unpublished`.

use crate::auth::{Action, Role, User, can};
use crate::content::{Paged, offset_of, page_count};
use crate::text::{nfc, sanitize_report, slugify};
use crate::{Clock, Error, Result};
use cong_store::Store;
use cong_store::audit::NewAudit;
use cong_store::editorial::EditFields;
pub use cong_store::editorial::{EditRow, GalleryItem, ListFilter, ListRow, RevisionRow};
use jiff::Timestamp;
use std::sync::Arc;

/// Who acts, from where (for the audit log).
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub user: &'a User,
    pub ip: &'a str,
}

/// An article as the edit form sends it; the body may be anything a browser can send.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub section_id: i64,
    pub title: String,
    /// Empty: keep the current slug (or, for a new article, derive one from the title).
    pub slug: String,
    pub summary: String,
    pub body_html: String,
    pub author: String,
    pub featured: bool,
    pub cover_media_id: Option<i64>,
    pub gallery_title: String,
    pub gallery: Vec<GalleryItem>,
    /// When it is (or is to be) published; `None` keeps the current time (new: now).
    pub published_at: Option<Timestamp>,
}

/// What a save did.
#[derive(Debug, Clone)]
pub struct Saved {
    pub id: i64,
    pub slug: String,
    /// What the HTML allow-list removed from the body, for the editor to see.
    pub removed: Vec<String>,
}

/// One line of a comparison between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DiffLine {
    /// "+" added, "-" removed, " " unchanged.
    pub tag: &'static str,
    pub text: String,
}

#[derive(Clone)]
pub struct Editorial {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Editorial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editorial").finish_non_exhaustive()
    }
}

fn forbidden() -> Error {
    Error::Forbidden("Bạn không có quyền thực hiện thao tác này.".to_owned())
}

fn is_draft(status: &str) -> bool {
    status == "draft"
}

/// A step of the workflow: from which states, to which, with which note and time, and
/// what the audit log calls it.
struct Move<'a> {
    from: &'a [&'a str],
    to: &'a str,
    note: &'a str,
    published_at: Option<i64>,
    action: &'a str,
}

/// Articles a page of the back office's list shows.
const LIST_PAGE: u32 = 20;

impl Editorial {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Editorial { store, clock }
    }

    fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    /// Appends to the audit log.
    pub async fn audit(
        &self,
        actor: Actor<'_>,
        action: &str,
        kind: &str,
        id: Option<i64>,
        detail: &str,
    ) -> Result<()> {
        self.store
            .audit()
            .append(
                &NewAudit {
                    user_id: Some(actor.user.id),
                    username: &actor.user.username,
                    action,
                    object_kind: kind,
                    object_id: id,
                    detail,
                    ip: actor.ip,
                },
                self.now(),
            )
            .await?;
        Ok(())
    }

    /// An article to edit, if the actor may see it.
    pub async fn get(&self, actor: Actor<'_>, id: i64) -> Result<(EditRow, Vec<GalleryItem>)> {
        let row = self
            .store
            .editorial()
            .find(id)
            .await?
            .ok_or(Error::NotFound)?;
        let own = row.created_by == Some(actor.user.id);
        if !can(actor.user.role, Action::ViewArticle { own }) {
            return Err(forbidden());
        }
        let gallery = self.store.editorial().gallery(id).await?;
        Ok((row, gallery))
    }

    /// The back office's list; an author sees only their own articles.
    pub async fn list(
        &self,
        actor: Actor<'_>,
        mut filter: ListFilter,
        page: u32,
    ) -> Result<Paged<ListRow>> {
        if actor.user.role == Role::Author {
            filter.created_by = Some(actor.user.id);
        }
        filter.title_slug = filter
            .title
            .as_deref()
            .map(crate::text::slugify)
            .filter(|s| !s.is_empty());
        let (_, total) = self.store.editorial().list(&filter, 0, 0).await?;
        let offset = offset_of(page, total, LIST_PAGE)?;
        let (items, total) = self
            .store
            .editorial()
            .list(&filter, i64::from(LIST_PAGE), offset)
            .await?;
        Ok(Paged {
            items,
            page,
            pages: page_count(total, LIST_PAGE),
            total,
        })
    }

    /// Field errors of a draft, in the form's words.
    async fn check(&self, d: &Draft) -> Result<Vec<(String, String)>> {
        let mut errors = Vec::new();
        if d.title.trim().is_empty() {
            errors.push(("title".to_owned(), "Nhập tiêu đề.".to_owned()));
        }
        if d.title.chars().count() > 300 {
            errors.push((
                "title".to_owned(),
                "Tiêu đề dài tối đa 300 ký tự.".to_owned(),
            ));
        }
        if self
            .store
            .sections()
            .find_by_id(d.section_id)
            .await?
            .is_none()
        {
            errors.push(("section_id".to_owned(), "Chọn chuyên mục.".to_owned()));
        }
        if !d.slug.trim().is_empty() && slugify(&d.slug).is_empty() {
            errors.push((
                "slug".to_owned(),
                "Đường dẫn cần có chữ hoặc số.".to_owned(),
            ));
        }
        for (i, g) in d.gallery.iter().enumerate() {
            if g.alt.trim().is_empty() {
                errors.push((
                    format!("gallery_alt_{i}"),
                    format!("Ảnh {} cần có mô tả thay thế (alt).", i + 1),
                ));
            }
        }
        let media: Vec<i64> = d
            .cover_media_id
            .into_iter()
            .chain(d.gallery.iter().map(|g| g.media_id))
            .collect();
        for id in media {
            if self.store.media().find_by_id(id).await?.is_none() {
                errors.push(("media".to_owned(), format!("Không có ảnh số {id}.")));
            }
        }
        Ok(errors)
    }

    /// A unique slug: `base`, else `base-2`, `base-3` …
    async fn unique_slug(&self, base: &str, id: Option<i64>) -> Result<String> {
        let ed = self.store.editorial();
        let mut slug = base.to_owned();
        for n in 2..200 {
            if !ed.slug_taken(&slug, id).await? {
                return Ok(slug);
            }
            slug = format!("{base}-{n}");
        }
        Err(Error::Conflict(format!(
            "Đường dẫn “{base}” đã được dùng quá nhiều lần."
        )))
    }

    async fn revision(&self, actor: Actor<'_>, id: i64, note: &str) -> Result<()> {
        let ed = self.store.editorial();
        let row = ed.find(id).await?.ok_or(Error::NotFound)?;
        let gallery = ed.gallery(id).await?;
        let gallery_json =
            serde_json::to_string(&gallery).map_err(|e| Error::Internal(e.to_string()))?;
        ed.insert_revision(&RevisionRow {
            id: 0,
            article_id: id,
            created_at: self.now(),
            user_id: Some(actor.user.id),
            username: actor.user.username.clone(),
            status: row.status,
            section_id: row.section_id,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            body_html: row.body_html,
            author: row.author,
            cover_media_id: row.cover_media_id,
            gallery_title: row.gallery_title,
            gallery_json,
            published_at: row.published_at,
            note: note.to_owned(),
        })
        .await?;
        Ok(())
    }

    /// Creates a draft owned by the actor.
    pub async fn create(&self, actor: Actor<'_>, d: &Draft) -> Result<Saved> {
        if !can(actor.user.role, Action::CreateArticle) {
            return Err(forbidden());
        }
        let errors = self.check(d).await?;
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let title = nfc(d.title.trim());
        let base = if d.slug.trim().is_empty() {
            slugify(&title)
        } else {
            slugify(&d.slug)
        };
        let slug = self.unique_slug(&base, None).await?;
        let (body, removed) = sanitize_report(&d.body_html);
        let now = self.now();
        let fields = EditFields {
            section_id: d.section_id,
            slug: &slug,
            title: &title,
            summary: &nfc(d.summary.trim()),
            body_html: &body,
            author: &nfc(d.author.trim()),
            featured: d.featured,
            cover_media_id: d.cover_media_id,
            gallery_title: &nfc(d.gallery_title.trim()),
            published_at: d.published_at.map_or(now, |t| t.as_second()),
        };
        let ed = self.store.editorial();
        let id = ed.insert_draft(&fields, actor.user.id, now).await?;
        let gallery = clean_gallery(&d.gallery);
        ed.update(id, &fields, &gallery, now).await?;
        self.revision(actor, id, "Tạo bài").await?;
        self.audit(actor, "article.create", "article", Some(id), &title)
            .await?;
        self.store.changes().record("article", id, now).await?;
        Ok(Saved { id, slug, removed })
    }

    /// Saves an edit. A changed slug leaves a redirect from the old one.
    pub async fn save(&self, actor: Actor<'_>, id: i64, d: &Draft) -> Result<Saved> {
        let ed = self.store.editorial();
        let row = ed.find(id).await?.ok_or(Error::NotFound)?;
        let own = row.created_by == Some(actor.user.id);
        if !can(
            actor.user.role,
            Action::EditArticle {
                own,
                draft: is_draft(&row.status),
            },
        ) {
            return Err(forbidden());
        }
        let errors = self.check(d).await?;
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let title = nfc(d.title.trim());
        let wanted = if d.slug.trim().is_empty() {
            row.slug.clone()
        } else {
            slugify(&d.slug)
        };
        let slug = if wanted == row.slug {
            wanted
        } else {
            self.unique_slug(&wanted, Some(id)).await?
        };
        let (body, removed) = sanitize_report(&d.body_html);
        let now = self.now();
        let fields = EditFields {
            section_id: d.section_id,
            slug: &slug,
            title: &title,
            summary: &nfc(d.summary.trim()),
            body_html: &body,
            author: &nfc(d.author.trim()),
            featured: d.featured,
            cover_media_id: d.cover_media_id,
            gallery_title: &nfc(d.gallery_title.trim()),
            published_at: d.published_at.map_or(row.published_at, |t| t.as_second()),
        };
        ed.update(id, &fields, &clean_gallery(&d.gallery), now)
            .await?;
        if slug != row.slug {
            ed.add_redirect(&row.slug, id).await?;
            ed.remove_redirect(&slug).await?;
        }
        self.revision(actor, id, "Lưu").await?;
        let detail = if slug != row.slug {
            format!("{title} (đường dẫn: {} → {slug})", row.slug)
        } else {
            title.clone()
        };
        self.audit(actor, "article.save", "article", Some(id), &detail)
            .await?;
        if row.section_id != d.section_id {
            // The section it left lists one article fewer: its pages change too.
            self.store
                .changes()
                .record(crate::changes::LISTING, row.section_id, now)
                .await?;
        }
        self.store.changes().record("article", id, now).await?;
        Ok(Saved { id, slug, removed })
    }

    async fn transition(&self, actor: Actor<'_>, id: i64, m: Move<'_>) -> Result<EditRow> {
        let ed = self.store.editorial();
        let row = ed.find(id).await?.ok_or(Error::NotFound)?;
        if !m.from.contains(&row.status.as_str()) {
            return Err(Error::Conflict(format!(
                "Bài đang ở trạng thái “{}”, không thể chuyển sang “{}”.",
                status_label(&row.status, &row.review_note),
                status_label(m.to, m.note)
            )));
        }
        let now = self.now();
        ed.set_status(id, m.to, m.note, m.published_at, now).await?;
        self.audit(actor, m.action, "article", Some(id), &row.title)
            .await?;
        self.store.changes().record("article", id, now).await?;
        Ok(row)
    }

    /// An author sends their draft to review.
    pub async fn submit(&self, actor: Actor<'_>, id: i64) -> Result<()> {
        let row = self
            .store
            .editorial()
            .find(id)
            .await?
            .ok_or(Error::NotFound)?;
        let own = row.created_by == Some(actor.user.id);
        if !can(actor.user.role, Action::SubmitArticle { own }) {
            return Err(forbidden());
        }
        self.transition(
            actor,
            id,
            Move {
                from: &["draft"],
                to: "pending",
                note: "",
                published_at: None,
                action: "article.submit",
            },
        )
        .await?;
        Ok(())
    }

    /// An editor returns a submitted article to its author, with a comment.
    pub async fn return_to_author(&self, actor: Actor<'_>, id: i64, comment: &str) -> Result<()> {
        if !can(actor.user.role, Action::Publish) {
            return Err(forbidden());
        }
        let comment = nfc(comment.trim());
        if comment.is_empty() {
            return Err(Error::Fields(vec![(
                "comment".to_owned(),
                "Ghi rõ lý do trả lại để phóng viên sửa.".to_owned(),
            )]));
        }
        self.transition(
            actor,
            id,
            Move {
                from: &["pending"],
                to: "draft",
                note: &comment,
                published_at: None,
                action: "article.return",
            },
        )
        .await?;
        Ok(())
    }

    /// Publishes now, or at `at` (it appears by itself then).
    pub async fn publish(&self, actor: Actor<'_>, id: i64, at: Option<Timestamp>) -> Result<()> {
        if !can(actor.user.role, Action::Publish) {
            return Err(forbidden());
        }
        let now = self.now();
        let when = at.map_or(now, |t| t.as_second());
        let action = if when > now {
            "article.schedule"
        } else {
            "article.publish"
        };
        self.transition(
            actor,
            id,
            Move {
                from: &["draft", "pending", "unpublished", "published"],
                to: "published",
                note: "",
                published_at: Some(when),
                action,
            },
        )
        .await?;
        Ok(())
    }

    /// Takes a published article off the public site.
    pub async fn unpublish(&self, actor: Actor<'_>, id: i64) -> Result<()> {
        if !can(actor.user.role, Action::Publish) {
            return Err(forbidden());
        }
        self.transition(
            actor,
            id,
            Move {
                from: &["published"],
                to: "unpublished",
                note: "",
                published_at: None,
                action: "article.unpublish",
            },
        )
        .await?;
        Ok(())
    }

    /// An article's revisions, newest first.
    pub async fn revisions(&self, actor: Actor<'_>, id: i64) -> Result<Vec<RevisionRow>> {
        self.get(actor, id).await?;
        Ok(self.store.editorial().list_revisions(id).await?)
    }

    pub async fn revision_of(&self, actor: Actor<'_>, id: i64, rev: i64) -> Result<RevisionRow> {
        self.get(actor, id).await?;
        self.store
            .editorial()
            .find_revision(id, rev)
            .await?
            .ok_or(Error::NotFound)
    }

    /// Line-by-line differences between two revisions (title, summary and body).
    pub async fn compare(
        &self,
        actor: Actor<'_>,
        id: i64,
        a: i64,
        b: i64,
    ) -> Result<Vec<DiffLine>> {
        let (ra, rb) = (
            self.revision_of(actor, id, a).await?,
            self.revision_of(actor, id, b).await?,
        );
        Ok(diff(&text_of(&ra), &text_of(&rb)))
    }

    /// Restores an old revision: a save with its content (itself a new revision).
    pub async fn restore(&self, actor: Actor<'_>, id: i64, rev: i64) -> Result<Saved> {
        let r = self.revision_of(actor, id, rev).await?;
        let row = self
            .store
            .editorial()
            .find(id)
            .await?
            .ok_or(Error::NotFound)?;
        let own = row.created_by == Some(actor.user.id);
        if !can(
            actor.user.role,
            Action::RestoreRevision {
                own,
                draft: is_draft(&row.status),
            },
        ) {
            return Err(forbidden());
        }
        let gallery: Vec<GalleryItem> = serde_json::from_str(&r.gallery_json).unwrap_or_default();
        let draft = Draft {
            section_id: r.section_id,
            title: r.title,
            slug: r.slug,
            summary: r.summary,
            body_html: r.body_html,
            author: r.author,
            featured: row.featured,
            cover_media_id: r.cover_media_id,
            gallery_title: r.gallery_title,
            gallery,
            published_at: Timestamp::from_second(r.published_at).ok(),
        };
        let saved = self.save(actor, id, &draft).await?;
        self.revision(actor, id, &format!("Khôi phục phiên bản #{rev}"))
            .await?;
        self.audit(
            actor,
            "article.restore",
            "article",
            Some(id),
            &format!("phiên bản #{rev}"),
        )
        .await?;
        Ok(saved)
    }

    /// A page of the audit log, newest first, and the total.
    pub async fn audit_log(
        &self,
        filter: &cong_store::audit::AuditFilter,
        per_page: u32,
        page: u32,
    ) -> Result<(Vec<cong_store::audit::AuditRow>, i64)> {
        let (_, total) = self.store.audit().list(filter, 0, 0).await?;
        let offset = offset_of(page, total, per_page)?;
        Ok(self
            .store
            .audit()
            .list(filter, i64::from(per_page), offset)
            .await?)
    }

    /// Counts per state, for the dashboard (an author's own).
    pub async fn counts(&self, actor: Actor<'_>) -> Result<Vec<(String, i64)>> {
        let mine = (actor.user.role == Role::Author).then_some(actor.user.id);
        Ok(self.store.editorial().count_by_status(mine).await?)
    }
}

fn clean_gallery(items: &[GalleryItem]) -> Vec<GalleryItem> {
    items
        .iter()
        .map(|g| GalleryItem {
            media_id: g.media_id,
            caption: nfc(g.caption.trim()),
            alt: nfc(g.alt.trim()),
        })
        .collect()
}

fn text_of(r: &RevisionRow) -> String {
    // One line per block, so a changed paragraph shows as one changed line.
    let body = r
        .body_html
        .replace("</p>", "</p>\n")
        .replace("<br>", "<br>\n")
        .replace("</li>", "</li>\n")
        .replace("</h2>", "</h2>\n")
        .replace("</h3>", "</h3>\n");
    format!("Tiêu đề: {}\nTóm tắt: {}\n{}", r.title, r.summary, body)
}

/// The lines of `a` and `b`, marked as removed, added or unchanged.
pub fn diff(a: &str, b: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(a, b)
        .iter_all_changes()
        .map(|c| DiffLine {
            tag: match c.tag() {
                similar::ChangeTag::Delete => "-",
                similar::ChangeTag::Insert => "+",
                similar::ChangeTag::Equal => " ",
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

/// The Vietnamese name of a state ("returned" is a draft with a note).
pub fn status_label(status: &str, review_note: &str) -> &'static str {
    match status {
        "draft" if !review_note.is_empty() => "Bị trả lại",
        "draft" => "Bản nháp",
        "pending" => "Chờ duyệt",
        "published" => "Đã xuất bản",
        "unpublished" => "Đã gỡ xuống",
        _ => "Không rõ",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn diffs_mark_lines() {
        let d = super::diff("a\nb\nc\n", "a\nB\nc\n");
        let tags: Vec<&str> = d.iter().map(|l| l.tag).collect();
        assert_eq!(tags, [" ", "-", "+", " "]);
        assert_eq!(d[2].text, "B");
    }
}
