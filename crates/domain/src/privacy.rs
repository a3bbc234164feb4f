//! Personal data (Decree 13/2023): what is stored about one e-mail address, found, exported
//! and erased by an administrator (each audited), and erased by itself after the retention
//! period once its matter is closed.

use crate::audit::{self, Actor, Entry};
use crate::auth::{Action, normalise_email};
use crate::{Clock, Error, Result};
use cong_store::Store;
use cong_store::consultations::CommentRow;
use cong_store::feedback::FeedbackRow;
use cong_store::mail::MailRow;
use cong_store::questions::QuestionRow;
use std::sync::Arc;

/// Everything stored about one address.
#[derive(Debug, Clone, Default)]
pub struct PersonalData {
    pub email: String,
    pub feedback: Vec<FeedbackRow>,
    pub questions: Vec<QuestionRow>,
    /// Comments on draft documents (Lấy ý kiến dự thảo).
    pub comments: Vec<CommentRow>,
    pub mails: Vec<MailRow>,
}

impl PersonalData {
    pub fn is_empty(&self) -> bool {
        self.feedback.is_empty()
            && self.questions.is_empty()
            && self.comments.is_empty()
            && self.mails.is_empty()
    }

    /// The export: every row, every column, as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let mails: Vec<serde_json::Value> = self
            .mails
            .iter()
            .map(|m| {
                serde_json::json!({
                    "id": m.id, "site_id": m.site_id, "recipient": m.recipient,
                    "subject": m.subject, "body_text": m.body_text, "kind": m.kind,
                    "created_at": m.created_at, "status": m.status.as_str(),
                    "sent_at": m.sent_at,
                })
            })
            .collect();
        serde_json::json!({
            "email": self.email,
            "feedback": self.feedback,
            "questions": self.questions,
            "consultation_comments": self.comments,
            "mails": mails,
        })
    }
}

/// What an erasure removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    pub feedback: u64,
    /// Questions deleted, or (published ones) emptied of the asker's data and own text.
    pub questions: u64,
    pub comments: u64,
    pub mails: u64,
}

#[derive(Clone)]
pub struct Privacy {
    store: Store,
    clock: Arc<dyn Clock>,
    retain_days: u32,
}

impl std::fmt::Debug for Privacy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Privacy").finish_non_exhaustive()
    }
}

impl Privacy {
    pub fn new(store: Store, clock: Arc<dyn Clock>, retain_days: u32) -> Self {
        Privacy {
            store,
            clock,
            retain_days,
        }
    }

    pub fn retain_days(&self) -> u32 {
        self.retain_days
    }

    async fn gather(&self, email: &str) -> Result<PersonalData> {
        Ok(PersonalData {
            email: email.to_owned(),
            feedback: self.store.feedback().by_email(email).await?,
            questions: self.store.questions().by_email(email).await?,
            comments: self.store.consultations().by_email(email).await?,
            mails: self.store.mail().by_recipient(email).await?,
        })
    }

    /// What is stored about `email`, on every site; audited (the address masked).
    pub async fn find(
        &self,
        actor: Actor<'_>,
        email: &str,
        exporting: bool,
    ) -> Result<PersonalData> {
        actor.require(Action::ManagePersonalData)?;
        let email = address(email)?;
        let data = self.gather(&email).await?;
        let detail = format!(
            "{}: {} góp ý, {} câu hỏi, {} ý kiến dự thảo, {} thư",
            mask(&email),
            data.feedback.len(),
            data.questions.len(),
            data.comments.len(),
            data.mails.len()
        );
        let action = if exporting {
            "privacy.export"
        } else {
            "privacy.find"
        };
        let entry = Entry {
            action,
            kind: "personal_data",
            id: None,
            detail: &detail,
        };
        let mut tx = self.store.begin().await?;
        audit::append(
            &self.store,
            &mut tx,
            actor,
            entry,
            self.clock.now().as_second(),
        )
        .await?;
        tx.commit().await?;
        Ok(data)
    }

    /// Deletes everything stored about `email`, on every site, in one transaction with its
    /// audit entry (which keeps the address masked, not the address).
    pub async fn erase(&self, actor: Actor<'_>, email: &str) -> Result<Erased> {
        actor.require(Action::ManagePersonalData)?;
        let email = address(email)?;
        // Their published comments are on these documents' pages.
        let mut documents: Vec<i64> = self
            .store
            .consultations()
            .by_email(&email)
            .await?
            .iter()
            .map(|c| c.document_id)
            .collect();
        documents.sort_unstable();
        documents.dedup();
        let mut tx = self.store.begin().await?;
        let now = self.clock.now().as_second();
        let erased = Erased {
            feedback: self
                .store
                .feedback()
                .delete_by_email(&mut tx, &email)
                .await?,
            questions: self
                .store
                .questions()
                .erase_by_email(&mut tx, &email, now)
                .await?,
            comments: self
                .store
                .consultations()
                .delete_by_email(&mut tx, &email)
                .await?,
            mails: self
                .store
                .mail()
                .delete_by_recipient(&mut tx, &email)
                .await?,
        };
        let detail = format!(
            "{}: đã xoá {} góp ý, {} câu hỏi, {} ý kiến dự thảo, {} thư",
            mask(&email),
            erased.feedback,
            erased.questions,
            erased.comments,
            erased.mails
        );
        let entry = Entry {
            action: "privacy.erase",
            kind: "personal_data",
            id: None,
            detail: &detail,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        self.documents_changed(&mut tx, &documents, now).await?;
        tx.commit().await?;
        Ok(erased)
    }

    /// Empties the sender's data of messages and questions closed, and the commenters' data
    /// of consultations ended, more than `forms.retain_days` ago. Guarded UPDATEs: any node
    /// may run them, at any time, as often as it likes.
    pub async fn expire(&self) -> Result<u64> {
        let now = self.clock.now().as_second();
        let before = now - i64::from(self.retain_days) * 86_400;
        let mut tx = self.store.begin().await?;
        let documents = self
            .store
            .consultations()
            .documents_to_anonymise(&mut tx, before)
            .await?;
        let n = self
            .store
            .feedback()
            .anonymise_closed(&mut tx, before, now)
            .await?
            + self
                .store
                .questions()
                .anonymise_closed(&mut tx, before, now)
                .await?
            + self
                .store
                .consultations()
                .anonymise_closed(&mut tx, before, now)
                .await?;
        self.documents_changed(&mut tx, &documents, now).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Pages showing these documents' published comments go stale on every node.
    async fn documents_changed(
        &self,
        tx: &mut cong_store::Tx,
        documents: &[i64],
        now: i64,
    ) -> Result<()> {
        for id in documents {
            self.store
                .changes()
                .record(tx, cong_store::changes::ChangeKind::Document, *id, now)
                .await?;
        }
        Ok(())
    }
}

fn address(email: &str) -> Result<String> {
    normalise_email(email)?
        .ok_or_else(|| Error::Invalid("Hãy nhập địa chỉ thư điện tử cần tra cứu.".to_owned()))
}

/// "nguyenvana@example.vn" → "n***@example.vn": enough for the audit log to tell requests
/// apart, without keeping the address an erasure removed.
pub fn mask(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}
