//! Hỏi đáp: a citizen's question taken through the form guard, moderated (accepted, rejected
//! with a reason, merged into another), assigned, answered by the assignee, approved by an
//! editor and published; the asker is mailed at each step and can follow it by its code.

use crate::audit::{self, Actor, Entry};
use crate::auth::Action;
use crate::forms::{Fault, FormGuard, Message, Proof, SubmitError, check_message, new_code};
use crate::mail::Mailer;
use crate::text::{fold_words, nfc};
use crate::{Clock, Error, Result};
use cong_store::changes::ChangeKind;
use cong_store::questions::{
    NewQuestion, QuestionFilter, QuestionRow, QuestionStatus, QuestionTopic, Step,
};
use cong_store::{SiteId, Store};
use std::sync::Arc;

pub use crate::feedback::{Receipt, Venue};

use QuestionStatus as S;

/// A page of questions and how many there are in all.
#[derive(Debug, Clone)]
pub struct QuestionPage {
    pub rows: Vec<QuestionRow>,
    pub total: i64,
}

/// A step an editor (or the assignee) takes on a question.
#[derive(Debug, Clone)]
pub enum Decision {
    /// Accepted, with the text as it will be published.
    Accept {
        title: String,
        body: String,
    },
    Reject {
        reason: String,
    },
    /// The same as the question with this code.
    Merge {
        into: String,
    },
    /// The text as it will be published changed, the status kept.
    Edit {
        title: String,
        body: String,
    },
    Assign {
        user_id: i64,
    },
    Answer {
        text: String,
    },
    /// The answer approved: the pair is published.
    Approve,
}

const MAX_ANSWER: usize = 50_000;

#[derive(Clone)]
pub struct QuestionService {
    store: Store,
    clock: Arc<dyn Clock>,
    guard: FormGuard,
    mailer: Mailer,
    /// The rules a citizen's attachment is checked by (the library's, with lower sizes).
    attachments: cong_files::Limits,
}

/// A file sent with a question, as the browser named it.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The form field a refused attachment is reported under.
pub const ATTACHMENT_FIELD: &str = "tep";

impl std::fmt::Debug for QuestionService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuestionService").finish_non_exhaustive()
    }
}

impl QuestionService {
    pub fn new(store: Store, clock: Arc<dyn Clock>, guard: FormGuard, mailer: Mailer) -> Self {
        QuestionService {
            store,
            clock,
            guard,
            mailer,
            attachments: cong_files::Limits {
                max_pdf: 10 << 20,
                max_office: 10 << 20,
                ..cong_files::Limits::default()
            },
        }
    }

    /// The limits of a citizen's attachment (the `[forms]` and `[files]` settings).
    pub fn with_attachments(mut self, limits: cong_files::Limits) -> Self {
        self.attachments = limits;
        self
    }

    /// The largest attachment accepted, for the form's hint.
    pub fn max_attachment(&self) -> u64 {
        self.attachments.max_pdf.max(self.attachments.max_office)
    }

    /// Checks an attachment by the file rules (the type from the bytes, dangerous files
    /// refused); its stored description, or the sentence saying why not.
    async fn check_attachment(
        &self,
        file: Attachment,
    ) -> std::result::Result<(cong_store::questions::QuestionFile, Vec<u8>), SubmitError> {
        let limits = self.attachments;
        let checked = tokio::task::spawn_blocking(move || {
            cong_files::check(&file.bytes, &limits).map(|c| (c, file))
        })
        .await
        .map_err(|e| Error::Internal(format!("file task: {e}")))?;
        match checked {
            Ok((c, file)) => Ok((
                cong_store::questions::QuestionFile {
                    name: cong_files::download_name(&file.name, c.kind),
                    kind: c.kind.as_str().to_owned(),
                    size: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
                },
                file.bytes,
            )),
            Err(refusal) => Err(SubmitError::Fields(vec![(
                ATTACHMENT_FIELD.to_owned(),
                Fault::File(refusal),
            )])),
        }
    }

    /// The file attached to a question, for whoever may see the question.
    pub async fn attachment(
        &self,
        actor: Actor<'_>,
        id: i64,
    ) -> Result<(cong_store::questions::QuestionFile, Vec<u8>)> {
        self.find(actor, id).await?;
        self.store
            .questions()
            .file(actor.site, id)
            .await?
            .ok_or(Error::NotFound)
    }

    pub async fn topics(&self, site: SiteId) -> Result<Vec<QuestionTopic>> {
        Ok(self.store.questions().topics(site).await?)
    }

    /// Takes a question: fields, guard, row, its attachment and the receipt mail in one
    /// transaction.
    pub async fn ask(
        &self,
        venue: &Venue<'_>,
        msg: &Message,
        proof: &Proof<'_>,
        file: Option<Attachment>,
    ) -> std::result::Result<Receipt, SubmitError> {
        let ids: Vec<i64> = self
            .topics(venue.site)
            .await?
            .iter()
            .map(|t| t.id)
            .collect();
        let (msg, email) = check_message(msg, &ids)?;
        self.guard.precheck(proof).map_err(SubmitError::Refused)?;
        let file = match file {
            Some(f) => Some(self.check_attachment(f).await?),
            None => None,
        };
        let now = self.clock.now().as_second();
        let code = new_code("HD");
        let mut tx = self.store.begin().await?;
        self.guard.admit(&mut tx, proof).await?;
        let id = self
            .store
            .questions()
            .insert(
                &mut tx,
                &NewQuestion {
                    site_id: venue.site,
                    topic_id: msg.topic_id,
                    code: &code,
                    name: &msg.name,
                    email: &email,
                    phone: &msg.phone,
                    address: &msg.address,
                    title: &msg.subject,
                    body: &msg.body,
                    created_at: now,
                    consent_version: venue.policy_version,
                },
            )
            .await?;
        if let Some((described, bytes)) = &file {
            self.store
                .questions()
                .attach_file(&mut tx, id, described, bytes)
                .await?;
        }
        if self.mailer.enabled() {
            let context = serde_json::json!({
                "site_name": venue.site_name,
                "code": code,
                "name": msg.name,
                "title": msg.subject,
                "link": venue.base_url.map(|b| format!("{b}/hoi-dap/tra-cuu?ma={code}")),
            });
            self.mailer
                .queue(&mut tx, venue.site, &email, "question_received", &context)
                .await?;
        }
        tx.commit().await?;
        Ok(Receipt { id, code })
    }

    /// A page of the actor's site's questions for the back office; someone who does not
    /// handle questions sees only those given to them to answer.
    pub async fn list(
        &self,
        actor: Actor<'_>,
        f: &QuestionFilter,
        page: u32,
        per_page: u32,
    ) -> Result<QuestionPage> {
        let own;
        let f = if actor.may(Action::HandleQuestions) {
            f
        } else {
            own = QuestionFilter {
                assignee_id: Some(actor.user.id),
                ..f.clone()
            };
            &own
        };
        let per_page = i64::from(per_page.max(1));
        let offset = i64::from(page.saturating_sub(1)) * per_page;
        let (total, rows) = self
            .store
            .questions()
            .list(actor.site, f, per_page, offset)
            .await?;
        Ok(QuestionPage { rows, total })
    }

    /// The questions given to the actor to answer (anyone may see their own).
    pub async fn assigned_to(
        &self,
        actor: Actor<'_>,
        status: Option<QuestionStatus>,
        page: u32,
        per_page: u32,
    ) -> Result<(i64, Vec<QuestionRow>)> {
        let per_page = i64::from(per_page.max(1));
        let offset = i64::from(page.saturating_sub(1)) * per_page;
        let f = QuestionFilter {
            status,
            assignee_id: Some(actor.user.id),
            ..QuestionFilter::default()
        };
        Ok(self
            .store
            .questions()
            .list(actor.site, &f, per_page, offset)
            .await?)
    }

    pub async fn counts(&self, actor: Actor<'_>) -> Result<Vec<(QuestionStatus, i64)>> {
        actor.require(Action::HandleQuestions)?;
        Ok(self.store.questions().counts(actor.site).await?)
    }

    /// One question, for whoever handles questions or is assigned to it.
    pub async fn find(&self, actor: Actor<'_>, id: i64) -> Result<QuestionRow> {
        let q = self
            .store
            .questions()
            .find(actor.site, id)
            .await?
            .ok_or(Error::NotFound)?;
        if q.assignee_id != Some(actor.user.id) {
            actor.require(Action::HandleQuestions)?;
        }
        Ok(q)
    }

    /// The accounts a question may be given to: enabled, with a role on the site (or a
    /// system administrator); (id, display name).
    pub async fn assignable(&self, site: SiteId) -> Result<Vec<(i64, String)>> {
        let users = self.store.users();
        let roles = users.all_site_roles().await?;
        Ok(users
            .list_all()
            .await?
            .into_iter()
            .filter(|u| !u.disabled)
            .filter(|u| {
                u.role == "admin" || roles.iter().any(|(id, s, _)| *id == u.id && *s == site)
            })
            .map(|u| (u.id, u.display_name))
            .collect())
    }

    /// Takes one step of the cycle; audited, and the asker (or the assignee) mailed, in the
    /// step's transaction. `venue` names the site in mails and gives the links' address.
    pub async fn decide(
        &self,
        actor: Actor<'_>,
        venue: &Venue<'_>,
        id: i64,
        decision: Decision,
    ) -> Result<()> {
        let q = self.find(actor, id).await?;
        let handler = actor.may(Action::HandleQuestions);
        let is_assignee = q.assignee_id == Some(actor.user.id);
        if !(handler || matches!(decision, Decision::Answer { .. }) && is_assignee) {
            return Err(Error::Forbidden(
                "Bạn không có quyền thực hiện bước này.".to_owned(),
            ));
        }
        let now = self.clock.now().as_second();
        let texts = |title: &str, body: &str| -> Result<(String, String)> {
            let (t, b) = (nfc(title.trim()), nfc(body.trim()));
            if t.is_empty() || t.chars().count() > 300 || b.is_empty() || b.chars().count() > 10_000
            {
                return Err(field(
                    "public",
                    "Tiêu đề (tối đa 300 ký tự) và nội dung câu hỏi không được để trống.",
                ));
            }
            Ok((t, b))
        };
        let mut tx = self.store.begin().await?;
        let questions = self.store.questions();
        let mut mail: Option<(String, &str, serde_json::Value)> = None;
        let base = venue.base_url;
        let (from, step, action, detail): (&[QuestionStatus], Step<'_>, &str, String);
        let (title, body, reason, answer);
        // The folded words of a question the public sees (set when the step publishes or
        // edits a published one).
        let mut search: Option<String> = None;
        match decision {
            Decision::Accept { title: t, body: b } => {
                (title, body) = texts(&t, &b)?;
                from = &[S::New];
                step = Step {
                    status: Some(S::Accepted),
                    public_title: Some(&title),
                    public_body: Some(&body),
                    ..Step::default()
                };
                (action, detail) = ("question.accept", String::new());
            }
            Decision::Edit { title: t, body: b } => {
                (title, body) = texts(&t, &b)?;
                from = &[S::New, S::Accepted, S::Assigned, S::Answered, S::Published];
                search = (q.status == S::Published).then(|| key(&title, &body, &q.answer));
                step = Step {
                    public_title: Some(&title),
                    public_body: Some(&body),
                    search_key: search.as_deref(),
                    ..Step::default()
                };
                (action, detail) = ("question.edit", String::new());
            }
            Decision::Reject { reason: r } => {
                reason = nfc(r.trim());
                if reason.is_empty() || reason.chars().count() > 2000 {
                    return Err(field(
                        "reason",
                        "Hãy ghi lý do từ chối (tối đa 2.000 ký tự).",
                    ));
                }
                from = &[S::New, S::Accepted];
                step = Step {
                    status: Some(S::Rejected),
                    reject_reason: Some(&reason),
                    ..Step::default()
                };
                (action, detail) = ("question.reject", reason.clone());
                mail = Some((
                    q.email.clone(),
                    "question_rejected",
                    serde_json::json!({ "reason": reason }),
                ));
            }
            Decision::Merge { into } => {
                let target = questions
                    .find_by_code(actor.site, into.trim())
                    .await?
                    .filter(|t| t.id != q.id && !matches!(t.status, S::Rejected | S::Merged))
                    .ok_or_else(|| {
                        field("into", "Không có câu hỏi nào khác với mã này để gộp vào.")
                    })?;
                from = &[S::New, S::Accepted];
                step = Step {
                    status: Some(S::Merged),
                    merged_into: Some(target.id),
                    ..Step::default()
                };
                (action, detail) = ("question.merge", target.code.clone());
                mail = Some((
                    q.email.clone(),
                    "question_merged",
                    serde_json::json!({
                        "into": target.code,
                        "link": base.map(|b| format!("{b}/hoi-dap/tra-cuu?ma={}", target.code)),
                    }),
                ));
            }
            Decision::Assign { user_id } => {
                let assignee = self
                    .assignable(actor.site)
                    .await?
                    .into_iter()
                    .find(|(id, _)| *id == user_id)
                    .ok_or_else(|| {
                        field("assignee", "Người được giao không có quyền trên trang này.")
                    })?;
                from = &[S::Accepted, S::Assigned, S::Answered];
                step = Step {
                    status: Some(S::Assigned),
                    assignee_id: Some(user_id),
                    ..Step::default()
                };
                (action, detail) = ("question.assign", assignee.1.clone());
                if let Some(to) = self
                    .store
                    .users()
                    .find_by_id(user_id)
                    .await?
                    .and_then(|u| u.email)
                {
                    mail = Some((
                        to,
                        "question_assigned",
                        serde_json::json!({
                            "assignee": assignee.1,
                            "title": q.public_title,
                            "link": base.map(|b| format!("{b}/quan-tri/hoi-dap/{}", q.id)),
                        }),
                    ));
                }
            }
            Decision::Answer { text } => {
                answer = nfc(text.trim());
                if answer.is_empty() || answer.chars().count() > MAX_ANSWER {
                    return Err(field(
                        "answer",
                        "Hãy viết câu trả lời (tối đa 50.000 ký tự).",
                    ));
                }
                from = &[S::Assigned, S::Answered];
                step = Step {
                    status: Some(S::Answered),
                    answer: Some(&answer),
                    answered_by: Some(actor.user.id),
                    ..Step::default()
                };
                (action, detail) = ("question.answer", String::new());
            }
            Decision::Approve => {
                search = Some(key(&q.public_title, &q.public_body, &q.answer));
                from = &[S::Answered];
                step = Step {
                    status: Some(S::Published),
                    approved_by: Some(actor.user.id),
                    published_at: Some(now),
                    search_key: search.as_deref(),
                    ..Step::default()
                };
                (action, detail) = ("question.publish", String::new());
                mail = Some((
                    q.email.clone(),
                    "question_answered",
                    serde_json::json!({
                        "link": base.map(|b| format!("{b}/hoi-dap/{}", q.id)),
                    }),
                ));
            }
        }
        if !questions
            .step(&mut tx, actor.site, id, from, &step, now)
            .await?
        {
            return Err(Error::Conflict(
                "Câu hỏi đã chuyển sang bước khác; hãy tải lại trang.".to_owned(),
            ));
        }
        // What the public sees changed (published, or its published text edited): every
        // node's Q&A pages and search index follow.
        if search.is_some() {
            self.store
                .changes()
                .record(&mut tx, ChangeKind::Question, id, now)
                .await?;
        }
        let entry = Entry {
            action,
            kind: "question",
            id: Some(id),
            detail: &detail,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        let mail = mail.filter(|(to, _, _)| !to.is_empty() && self.mailer.enabled());
        if let Some((to, template, mut context)) = mail {
            context["site_name"] = venue.site_name.into();
            context["code"] = q.code.clone().into();
            context["name"] = q.name.clone().into();
            context["question"] = q.public_title.clone().into();
            self.mailer
                .queue(&mut tx, actor.site, &to, template, &context)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A page of the published questions, in a field, matching what was typed (folded).
    pub async fn published(
        &self,
        site: SiteId,
        topic_id: Option<i64>,
        query: &str,
        page: u32,
        per_page: u32,
    ) -> Result<QuestionPage> {
        let per_page = i64::from(per_page.max(1));
        let offset = i64::from(page.saturating_sub(1)) * per_page;
        // Every word must be there, each at a word's start; at most eight are looked at.
        let words: Vec<String> = fold_words(query)
            .split('-')
            .filter(|w| !w.is_empty())
            .take(8)
            .map(str::to_owned)
            .collect();
        let (total, rows) = self
            .store
            .questions()
            .published(site, topic_id, &words, per_page, offset)
            .await?;
        Ok(QuestionPage { rows, total })
    }

    /// A published question (404 otherwise).
    pub async fn public(&self, site: SiteId, id: i64) -> Result<QuestionRow> {
        self.store
            .questions()
            .find(site, id)
            .await?
            .filter(|q| q.status == S::Published)
            .ok_or(Error::NotFound)
    }

    /// A question by its code, for its asker's tracking (None: no such code on the site).
    pub async fn track(&self, site: SiteId, code: &str) -> Result<Option<QuestionRow>> {
        let code = code.trim().to_ascii_uppercase();
        if code.len() > 20 {
            return Ok(None);
        }
        Ok(self.store.questions().find_by_code(site, &code).await?)
    }
}

fn field(name: &str, message: &str) -> Error {
    Error::Fields(vec![(name.to_owned(), message.to_owned())])
}

/// The published pair as folded words between dashes ("-ho-so-nhan-hieu-"), so that a word
/// is found at its start by "%-word%".
fn key(title: &str, body: &str, answer: &str) -> String {
    format!("-{}-", fold_words(&format!("{title} {body} {answer}")))
}

#[cfg(test)]
#[path = "questions_tests.rs"]
mod tests;
mod topics;
