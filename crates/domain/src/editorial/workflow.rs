//! Moving an article along the workflow: submit, return, publish (now or later), unpublish.
//! The state is read under the row's lock and written with its audit entry, change record
//! and notices by mail in one transaction, so two editors cannot both move the same article.

use super::notices::Notice;
use super::{EditRow, Editorial, Status, forbidden, status_label};
use crate::audit::{self, Actor, Entry};
use crate::auth::Action;
use crate::text::nfc;
use crate::{Error, Result};
use cong_store::changes::ChangeKind;
use jiff::Timestamp;

/// A step of the workflow: from which states, to which, with which note and time, and
/// what the audit log calls it.
struct Move<'a> {
    from: &'a [Status],
    to: Status,
    note: &'a str,
    published_at: Option<i64>,
    action: &'a str,
    /// The mail the step sends, if any.
    notice: Option<Notice<'a>>,
}

impl Editorial {
    /// Moves an article along the workflow, if `allowed` lets the actor act on it and its
    /// state is one `m.from` names: the state, the audit entry and the change record in one
    /// transaction, the state read under the row's lock (two editors cannot both move it).
    async fn transition(
        &self,
        actor: Actor<'_>,
        id: i64,
        allowed: impl Fn(&EditRow) -> bool,
        m: Move<'_>,
    ) -> Result<EditRow> {
        let ed = self.store.editorial(actor.site);
        let mut tx = self.store.begin().await?;
        let row = ed
            .find_for_update(&mut tx, id)
            .await?
            .ok_or(Error::NotFound)?;
        if !allowed(&row) {
            return Err(forbidden());
        }
        self.require_section(actor, row.section_id).await?;
        if row.trashed_at.is_some() {
            return Err(super::in_trash());
        }
        if !m.from.contains(&row.status) {
            return Err(Error::Conflict(format!(
                "Bài đang ở trạng thái “{}”, không thể chuyển sang “{}”.",
                status_label(row.status, &row.review_note),
                status_label(m.to, m.note)
            )));
        }
        let now = self.now();
        ed.set_status(&mut tx, id, m.to, m.note, m.published_at, now)
            .await?;
        let entry = Entry {
            action: m.action,
            kind: "article",
            id: Some(id),
            detail: &row.title,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Article, id, now)
            .await?;
        if let Some(notice) = m.notice {
            self.notify(&mut tx, actor, &row, notice).await?;
        }
        tx.commit().await?;
        Ok(row)
    }

    /// An author sends their draft to review.
    pub async fn submit(&self, actor: Actor<'_>, id: i64) -> Result<()> {
        let allowed = |row: &EditRow| {
            let own = row.created_by == Some(actor.user.id);
            actor.may(Action::SubmitArticle { own })
        };
        let m = Move {
            from: &[Status::Draft],
            to: Status::Pending,
            note: "",
            published_at: None,
            action: "article.submit",
            notice: Some(Notice::Submitted),
        };
        self.transition(actor, id, allowed, m).await?;
        Ok(())
    }

    /// An editor returns a submitted article to its author, with a comment.
    pub async fn return_to_author(&self, actor: Actor<'_>, id: i64, comment: &str) -> Result<()> {
        if !actor.may(Action::Publish) {
            return Err(forbidden());
        }
        let comment = nfc(comment.trim());
        if comment.is_empty() {
            return Err(Error::Fields(vec![(
                "comment".to_owned(),
                "Ghi rõ lý do trả lại để phóng viên sửa.".to_owned(),
            )]));
        }
        let m = Move {
            from: &[Status::Pending],
            to: Status::Draft,
            note: &comment,
            published_at: None,
            action: "article.return",
            notice: Some(Notice::Returned { note: &comment }),
        };
        self.transition(actor, id, |_| true, m).await?;
        Ok(())
    }

    /// Publishes now, or at `at` (it appears by itself then).
    pub async fn publish(&self, actor: Actor<'_>, id: i64, at: Option<Timestamp>) -> Result<()> {
        if !actor.may(Action::Publish) {
            return Err(forbidden());
        }
        let now = self.now();
        let when = at.map_or(now, |t| t.as_second());
        let m = Move {
            from: &[
                Status::Draft,
                Status::Pending,
                Status::Unpublished,
                Status::Published,
            ],
            to: Status::Published,
            note: "",
            published_at: Some(when),
            action: if when > now {
                "article.schedule"
            } else {
                "article.publish"
            },
            notice: Some(Notice::Published { at: when }),
        };
        self.transition(actor, id, |_| true, m).await?;
        Ok(())
    }

    /// Takes a published article off the public site.
    pub async fn unpublish(&self, actor: Actor<'_>, id: i64) -> Result<()> {
        if !actor.may(Action::Publish) {
            return Err(forbidden());
        }
        let m = Move {
            from: &[Status::Published],
            to: Status::Unpublished,
            note: "",
            published_at: None,
            action: "article.unpublish",
            notice: None,
        };
        self.transition(actor, id, |_| true, m).await?;
        Ok(())
    }
}
