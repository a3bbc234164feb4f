//! Lấy ý kiến dự thảo: a library document put out for comment between two dates, its
//! comments taken through the form guard and moderated, and its summary report.

use crate::audit::{self, Actor, Entry};
use crate::auth::{Action, By, normalise_email};
use crate::content::{Paged, offset_of, page_count};
use crate::files::attach_in;
use crate::forms::{Fault, FormGuard, Proof, SubmitError};
use crate::text::nfc;
use crate::{Clock, Error, Result};
use cong_store::changes::ChangeKind;
use cong_store::consultations::{ConsultationRow, NewComment};
use cong_store::files::{FileRow, Owner};
use cong_store::{SiteId, Store};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::sync::Arc;

pub use cong_store::consultations::{CommentRow, CommentStatus, Window};

/// Consultations on a page of the public list.
pub const PER_PAGE: u32 = 20;

/// Where a consultation stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum State {
    Upcoming,
    Open,
    Closed,
}

/// A consultation and its state on the day it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    pub row: ConsultationRow,
    pub state: State,
}

/// What a commenter typed.
#[derive(Debug, Clone, Default)]
pub struct Comment {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub body: String,
}

const MAX_NAME: usize = 200;
const MAX_ORGANISATION: usize = 300;
const MAX_BODY: usize = 10_000;

#[derive(Clone)]
pub struct Consultations {
    store: Store,
    clock: Arc<dyn Clock>,
    tz: TimeZone,
}

impl std::fmt::Debug for Consultations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consultations").finish_non_exhaustive()
    }
}

/// 'YYYY-MM-DD' as the site reads it: "dd/mm/yyyy".
pub fn day(iso: &str) -> String {
    match iso.parse::<Date>() {
        Ok(d) => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Err(_) => iso.to_owned(),
    }
}

fn state_on(row: &ConsultationRow, today: &str) -> State {
    // 'YYYY-MM-DD' strings compare as the days they name; both ends are inclusive.
    if today < row.opens_on.as_str() {
        State::Upcoming
    } else if today > row.closes_on.as_str() {
        State::Closed
    } else {
        State::Open
    }
}

impl Consultations {
    pub fn new(store: Store, clock: Arc<dyn Clock>, tz: TimeZone) -> Self {
        Consultations { store, clock, tz }
    }

    /// Today in the site's calendar ('YYYY-MM-DD').
    pub fn today(&self) -> String {
        self.tz.to_datetime(self.clock.now()).date().to_string()
    }

    /// When today ends in the site's calendar (Unix time): the moment a consultation may
    /// open or close, so what shows its state is good until then.
    pub fn state_good_until(&self) -> i64 {
        crate::clock::next_midnight(self.clock.now(), &self.tz).as_second()
    }

    fn with_state(&self, row: ConsultationRow) -> Consultation {
        let state = state_on(&row, &self.today());
        Consultation { row, state }
    }

    /// The consultation on a document of `site`, if it is one.
    pub async fn get(&self, site: SiteId, document_id: i64) -> Result<Option<Consultation>> {
        let row = self.store.consultations().find(site, document_id).await?;
        Ok(row.map(|r| self.with_state(r)))
    }

    /// A page of the site's consultations (published documents only), the latest to close
    /// first. A page past the end is `NotFound`.
    pub async fn list(
        &self,
        site: SiteId,
        window: Window,
        page: u32,
    ) -> Result<Paged<Consultation>> {
        let per_page = i64::from(PER_PAGE);
        let offset = i64::from(page.max(1) - 1) * per_page;
        let (total, rows) = self
            .store
            .consultations()
            .list(site, window, &self.today(), per_page, offset)
            .await?;
        offset_of(page, total, PER_PAGE)?;
        Ok(Paged {
            items: rows.into_iter().map(|r| self.with_state(r)).collect(),
            page,
            pages: page_count(total, PER_PAGE),
            total,
        })
    }

    /// The comments the public page shows: published ones, in the order received.
    pub async fn published_comments(&self, document_id: i64) -> Result<Vec<CommentRow>> {
        Ok(self
            .store
            .consultations()
            .comments(document_id, Some(CommentStatus::Published))
            .await?)
    }

    /// The summary report's files (báo cáo tổng hợp, giải trình, tiếp thu).
    pub async fn report(&self, site: SiteId, document_id: i64) -> Result<Vec<FileRow>> {
        Ok(self
            .store
            .files(site)
            .attached(Owner::Report, document_id)
            .await?)
    }

    /// Takes a comment on a published document open for comment today: the window and the
    /// fields first, then the public forms' guard and the row in one transaction. (The guard
    /// is the caller's: the rest of the service, which the demo uses too, needs no keys.)
    pub async fn comment(
        &self,
        guard: &FormGuard,
        site: SiteId,
        document_id: i64,
        policy_version: &str,
        c: &Comment,
        proof: &Proof<'_>,
    ) -> std::result::Result<i64, SubmitError> {
        let found = self
            .get(site, document_id)
            .await?
            .filter(|c| c.row.published)
            .ok_or(Error::NotFound)?;
        match found.state {
            State::Open => {}
            State::Upcoming => {
                return Err(Error::Invalid(format!(
                    "Dự thảo này bắt đầu lấy ý kiến từ ngày {}; chưa nhận ý kiến trước ngày đó.",
                    day(&found.row.opens_on)
                ))
                .into());
            }
            State::Closed => {
                return Err(Error::Invalid(format!(
                    "Đợt lấy ý kiến về dự thảo này đã kết thúc ngày {}; không nhận thêm ý kiến.",
                    day(&found.row.closes_on)
                ))
                .into());
            }
        }
        let (c, email) = check(c)?;
        guard.precheck(proof).map_err(SubmitError::Refused)?;
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        guard.admit(&mut tx, proof).await?;
        let id = self
            .store
            .consultations()
            .insert_comment(
                &mut tx,
                &NewComment {
                    document_id,
                    name: &c.name,
                    email: &email,
                    organisation: &c.organisation,
                    body: &c.body,
                    created_at: now,
                    consent_version: policy_version,
                },
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Puts a document of the actor's site out for comment between two inclusive dates
    /// ('YYYY-MM-DD'), or with None takes it out; audited.
    pub async fn configure(
        &self,
        actor: Actor<'_>,
        document_id: i64,
        dates: Option<(&str, &str)>,
    ) -> Result<()> {
        self.configure_by(By::User(actor), actor.site, document_id, dates)
            .await
    }

    /// [`Self::configure`] on a document of `site`, by a back-office user or by the operator
    /// at the command line (the demo).
    pub async fn configure_by(
        &self,
        by: By<'_>,
        site: SiteId,
        document_id: i64,
        dates: Option<(&str, &str)>,
    ) -> Result<()> {
        by.require(Action::ManageConsultation)?;
        self.document(site, document_id).await?;
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        let detail = match dates {
            Some((opens, closes)) => {
                let (opens, closes, ends_at) = self.window(opens, closes)?;
                self.store
                    .consultations()
                    .set(&mut tx, document_id, &opens, &closes, ends_at, now)
                    .await?;
                format!("{opens} – {closes}")
            }
            None => {
                if !self
                    .store
                    .consultations()
                    .remove(&mut tx, document_id)
                    .await?
                {
                    return Ok(());
                }
                "(bỏ lấy ý kiến)".to_owned()
            }
        };
        let entry = Entry {
            action: "consultation.set",
            kind: "document",
            id: Some(document_id),
            detail: &detail,
        };
        audit::append_by(&self.store, &mut tx, by, entry, Some(site), now).await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Document, document_id, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The dates checked, and the end of the closing day as a Unix time.
    fn window(&self, opens: &str, closes: &str) -> Result<(String, String, i64)> {
        let date = |s: &str, field: &str, what: &str| {
            s.trim().parse::<Date>().map_err(|_| {
                Error::Fields(vec![(
                    field.to_owned(),
                    format!("{what} không hợp lệ (dạng năm-tháng-ngày)."),
                )])
            })
        };
        let o = date(opens, "opens_on", "Ngày bắt đầu lấy ý kiến")?;
        let c = date(closes, "closes_on", "Ngày kết thúc lấy ý kiến")?;
        if c < o {
            return Err(Error::Fields(vec![(
                "closes_on".to_owned(),
                "Ngày kết thúc lấy ý kiến phải từ ngày bắt đầu trở đi.".to_owned(),
            )]));
        }
        let ends_at = c
            .tomorrow()
            .and_then(|d| {
                self.tz
                    .to_ambiguous_timestamp(d.at(0, 0, 0, 0))
                    .compatible()
            })
            .map_err(|e| Error::Invalid(format!("Ngày kết thúc lấy ý kiến: {e}")))?
            .as_second();
        Ok((o.to_string(), c.to_string(), ends_at))
    }

    async fn document(&self, site: SiteId, document_id: i64) -> Result<()> {
        self.store
            .documents(site)
            .find_by_id(document_id, &self.today())
            .await?
            .map(|_| ())
            .ok_or(Error::NotFound)
    }

    /// Replaces the summary report's files (uploaded through the files' intake); audited.
    pub async fn set_report(
        &self,
        actor: Actor<'_>,
        document_id: i64,
        files: &[i64],
    ) -> Result<()> {
        self.set_report_by(By::User(actor), actor.site, document_id, files)
            .await
    }

    /// [`Self::set_report`] on a document of `site`, by a back-office user or by the operator
    /// at the command line (the demo).
    pub async fn set_report_by(
        &self,
        by: By<'_>,
        site: SiteId,
        document_id: i64,
        files: &[i64],
    ) -> Result<()> {
        by.require(Action::ManageConsultation)?;
        by.require(Action::UploadFile)?;
        self.document(site, document_id).await?;
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        attach_in(
            &self.store,
            &mut tx,
            by,
            site,
            Owner::Report,
            document_id,
            files,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every comment on a document of the actor's site, for moderation.
    pub async fn moderation(&self, actor: Actor<'_>, document_id: i64) -> Result<Vec<CommentRow>> {
        actor.require(Action::ManageConsultation)?;
        self.document(actor.site, document_id).await?;
        Ok(self
            .store
            .consultations()
            .comments(document_id, None)
            .await?)
    }

    /// Publishes or rejects (or returns to new) a comment; audited. Its document's id.
    pub async fn moderate(
        &self,
        actor: Actor<'_>,
        comment_id: i64,
        status: CommentStatus,
    ) -> Result<i64> {
        actor.require(Action::ManageConsultation)?;
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        let document_id = self
            .store
            .consultations()
            .moderate(&mut tx, actor.site, comment_id, status, actor.user.id, now)
            .await?
            .ok_or(Error::NotFound)?;
        let entry = Entry {
            action: "consultation.moderate",
            kind: "consultation_comment",
            id: Some(comment_id),
            detail: status.as_str(),
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        // The public page shows published comments: it changes with them.
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Document, document_id, now)
            .await?;
        tx.commit().await?;
        Ok(document_id)
    }
}

/// The comment as stored (NFC, trimmed) and its author's address, or every field's fault.
fn check(c: &Comment) -> std::result::Result<(Comment, String), SubmitError> {
    // One-line fields: a line break or control character becomes a space.
    let clean = |s: &str| {
        let one: String = s
            .chars()
            .map(|ch| if ch.is_control() { ' ' } else { ch })
            .collect();
        nfc(one.trim())
    };
    let c = Comment {
        name: clean(&c.name),
        email: c.email.trim().to_owned(),
        organisation: clean(&c.organisation),
        body: nfc(c.body.trim()),
    };
    let mut faults = Vec::new();
    let mut fault = |f: &str, why: Fault| faults.push((f.to_owned(), why));
    let len = |s: &str| s.chars().count();
    if c.name.is_empty() || len(&c.name) > MAX_NAME {
        fault("name", Fault::Name);
    }
    let email = match normalise_email(&c.email) {
        Ok(Some(e)) => e,
        Ok(None) => {
            fault("email", Fault::Email);
            String::new()
        }
        Err(_) => {
            fault("email", Fault::EmailInvalid);
            String::new()
        }
    };
    if len(&c.organisation) > MAX_ORGANISATION {
        fault("organisation", Fault::Organisation);
    }
    if c.body.is_empty() || len(&c.body) > MAX_BODY {
        fault("body", Fault::Comment);
    }
    if faults.is_empty() {
        Ok((c, email))
    } else {
        Err(SubmitError::Fields(faults))
    }
}

#[cfg(test)]
mod tests;
