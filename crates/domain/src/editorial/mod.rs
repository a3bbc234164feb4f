//! The editorial workflow: drafts, review, publication (now or scheduled), unpublishing,
//! revisions and their restore; every step checked against the roles, saved as a revision
//! where it changes content, written to the audit log, and announced as a change — each
//! step one transaction ([`write`], [`workflow`]).
//!
//! States ([`Status`]): draft (a returned article is a draft with the editor's note) →
//! pending → published (its time may be in the future: it appears by itself then) →
//! unpublished.

mod notices;
mod preview;
mod upcoming;
mod workflow;
mod write;

pub use notices::Notices;
pub use preview::{PreviewLinks, PreviewRefused};

pub use crate::audit::Actor;
use crate::auth::{Action, Role};
use crate::content::{Paged, offset_of, page_count};
use crate::text::slugify;
use crate::{Clock, Error, Result};
use cong_store::Store;
pub use cong_store::editorial::{EditRow, GalleryItem, ListFilter, ListRow, RevisionRow, Status};
use jiff::Timestamp;
use std::sync::Arc;

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
    /// The revision the form was opened at: a save is refused ([`Error::Stale`]) if another
    /// came since. `None`: no check (a restore, a tool).
    pub base_revision: Option<i64>,
    /// The article, in another language, this one translates (a restore keeps the current
    /// one).
    pub translation_of: Option<i64>,
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
    /// The workflow's mails; None: none (tools and tests without mail).
    notices: Option<Arc<Notices>>,
}

impl std::fmt::Debug for Editorial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editorial").finish_non_exhaustive()
    }
}

fn forbidden() -> Error {
    Error::Forbidden("Bạn không có quyền thực hiện thao tác này.".to_owned())
}

fn in_trash() -> Error {
    Error::Conflict("Bài đang ở thùng rác; khôi phục bài trước khi sửa.".to_owned())
}

/// Articles a page of the back office's list shows.
const LIST_PAGE: u32 = 20;

impl Editorial {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Editorial {
            store,
            clock,
            notices: None,
        }
    }

    /// Sends the workflow's notices by mail (submitted, returned, published).
    #[must_use]
    pub fn with_notices(mut self, notices: Notices) -> Self {
        self.notices = Some(Arc::new(notices));
        self
    }

    fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    /// The sections the actor may write in on its site; `None`: every one. Administrators
    /// are never limited.
    pub async fn allowed_sections(&self, actor: Actor<'_>) -> Result<Option<Vec<i64>>> {
        if actor.role == Role::Admin || actor.user.system_admin {
            return Ok(None);
        }
        let ids = self.store.user_sections(actor.user.id, actor.site).await?;
        Ok((!ids.is_empty()).then_some(ids))
    }

    /// Refuses (403) an article in a section the actor is not given.
    pub(crate) async fn require_section(&self, actor: Actor<'_>, section_id: i64) -> Result<()> {
        match self.allowed_sections(actor).await? {
            Some(ids) if !ids.contains(&section_id) => Err(Error::Forbidden(
                "Bạn chỉ được làm việc với bài trong các chuyên mục được giao.".to_owned(),
            )),
            _ => Ok(()),
        }
    }

    /// An article to edit, if the actor may see it.
    pub async fn get(&self, actor: Actor<'_>, id: i64) -> Result<(EditRow, Vec<GalleryItem>)> {
        let row = self
            .store
            .editorial(actor.site)
            .find(id)
            .await?
            .ok_or(Error::NotFound)?;
        let own = row.created_by == Some(actor.user.id);
        if !actor.may(Action::ViewArticle { own }) {
            return Err(forbidden());
        }
        self.require_section(actor, row.section_id).await?;
        let gallery = self.store.editorial(actor.site).gallery(id).await?;
        Ok((row, gallery))
    }

    /// Sets the files the article carries (in order), as one who may edit it.
    pub async fn set_files(&self, actor: Actor<'_>, id: i64, files: &[i64]) -> Result<()> {
        let row = self
            .store
            .editorial(actor.site)
            .find(id)
            .await?
            .ok_or(Error::NotFound)?;
        actor.require(Action::EditArticle {
            own: row.created_by == Some(actor.user.id),
            draft: row.status == Status::Draft,
        })?;
        self.require_section(actor, row.section_id).await?;
        if row.trashed_at.is_some() {
            return Err(in_trash());
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        crate::files::attach_in(
            &self.store,
            &mut tx,
            crate::auth::By::User(actor),
            actor.site,
            cong_store::files::Owner::Article,
            id,
            files,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The back office's list; an author sees only their own articles.
    pub async fn list(
        &self,
        actor: Actor<'_>,
        mut filter: ListFilter,
        page: u32,
    ) -> Result<Paged<ListRow>> {
        if actor.role == Role::Author {
            filter.created_by = Some(actor.user.id);
        }
        filter.sections = self.allowed_sections(actor).await?;
        filter.title_slug = filter
            .title
            .as_deref()
            .map(crate::text::slugify)
            .filter(|s| !s.is_empty());
        let (_, total) = self.store.editorial(actor.site).list(&filter, 0, 0).await?;
        let offset = offset_of(page, total, LIST_PAGE)?;
        let (items, total) = self
            .store
            .editorial(actor.site)
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
    async fn check(&self, site: cong_store::SiteId, d: &Draft) -> Result<Vec<(String, String)>> {
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
            .sections(site)
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
            if self.store.media(site).find_by_id(id).await?.is_none() {
                errors.push(("media".to_owned(), format!("Không có ảnh số {id}.")));
            }
        }
        Ok(errors)
    }

    /// An article's revisions, newest first.
    pub async fn revisions(&self, actor: Actor<'_>, id: i64) -> Result<Vec<RevisionRow>> {
        self.get(actor, id).await?;
        Ok(self.store.editorial(actor.site).list_revisions(id).await?)
    }

    pub async fn revision_of(&self, actor: Actor<'_>, id: i64, rev: i64) -> Result<RevisionRow> {
        self.get(actor, id).await?;
        self.store
            .editorial(actor.site)
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
    pub async fn counts(&self, actor: Actor<'_>) -> Result<Vec<(Status, i64)>> {
        let mine = (actor.role == Role::Author).then_some(actor.user.id);
        Ok(self
            .store
            .editorial(actor.site)
            .count_by_status(mine)
            .await?)
    }
}

fn text_of(r: &RevisionRow) -> String {
    text_parts(&r.title, &r.summary, &r.body_html)
}

/// What differs between the article as stored and a form's draft of it (title, summary and
/// body, a block a line): shown when a save is refused as stale, to merge by hand.
pub fn compare_with(row: &EditRow, d: &Draft) -> Vec<DiffLine> {
    diff(
        &text_parts(&row.title, &row.summary, &row.body_html),
        &text_parts(
            &crate::text::nfc(d.title.trim()),
            &crate::text::nfc(d.summary.trim()),
            &crate::text::sanitize_html(&d.body_html),
        ),
    )
}

fn text_parts(title: &str, summary: &str, body_html: &str) -> String {
    // One line per block, so a changed paragraph shows as one changed line.
    let body = body_html
        .replace("</p>", "</p>\n")
        .replace("<br>", "<br>\n")
        .replace("</li>", "</li>\n")
        .replace("</h2>", "</h2>\n")
        .replace("</h3>", "</h3>\n");
    format!("Tiêu đề: {title}\nTóm tắt: {summary}\n{body}")
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
pub fn status_label(status: Status, review_note: &str) -> &'static str {
    match status {
        Status::Draft if !review_note.is_empty() => "Bị trả lại",
        Status::Draft => "Bản nháp",
        Status::Pending => "Chờ duyệt",
        Status::Published => "Đã xuất bản",
        Status::Unpublished => "Đã gỡ xuống",
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod diff_tests {
    #[test]
    fn diffs_mark_lines() {
        let d = super::diff("a\nb\nc\n", "a\nB\nc\n");
        let tags: Vec<&str> = d.iter().map(|l| l.tag).collect();
        assert_eq!(tags, [" ", "-", "+", " "]);
        assert_eq!(d[2].text, "B");
    }
}
