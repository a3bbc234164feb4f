//! Góp ý / Liên hệ: a citizen's message, taken through the form guard, routed by its topic to
//! a mailbox, acknowledged by mail with a code, and handled in the back office.

use crate::audit::{self, Actor, Entry};
use crate::auth::{Action, normalise_email};
use crate::forms::{FormGuard, Proof, SubmitError};
use crate::mail::Mailer;
use crate::text::nfc;
use crate::{Clock, Error, Result};
use cong_store::feedback::{
    FeedbackFilter, FeedbackRow, FeedbackStatus, Handling, NewFeedback, TopicName, TopicRow,
};
use cong_store::{SiteId, Store};
use std::sync::Arc;

pub use crate::forms::Message;

/// Where the message is sent and what the mails say about the site.
#[derive(Debug, Clone, Copy)]
pub struct Venue<'a> {
    pub site: SiteId,
    pub site_name: &'a str,
    /// The site's address without a trailing slash, for links in mails; None: no links.
    pub base_url: Option<&'a str>,
    /// The personal-data policy's version the form showed (its page's last change).
    pub policy_version: &'a str,
}

/// A stored message: its id and the code the sender can quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub id: i64,
    pub code: String,
}

/// A page of the back office's list.
#[derive(Debug, Clone)]
pub struct FeedbackPage {
    pub rows: Vec<FeedbackRow>,
    pub total: i64,
}

const MAX_BODY: usize = 10_000;
const MAX_SHORT: usize = 300;

#[derive(Clone)]
pub struct FeedbackService {
    store: Store,
    clock: Arc<dyn Clock>,
    guard: FormGuard,
    mailer: Mailer,
}

impl std::fmt::Debug for FeedbackService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedbackService").finish_non_exhaustive()
    }
}

impl FeedbackService {
    pub fn new(store: Store, clock: Arc<dyn Clock>, guard: FormGuard, mailer: Mailer) -> Self {
        FeedbackService {
            store,
            clock,
            guard,
            mailer,
        }
    }

    pub fn guard(&self) -> &FormGuard {
        &self.guard
    }

    /// A site's topics, in order (the public form's choices).
    pub async fn topics(&self, site: SiteId) -> Result<Vec<TopicRow>> {
        Ok(self.store.feedback().topics(site).await?)
    }

    /// Takes a message: fields checked, then the guard, the row and the mails in one
    /// transaction (a refused or failed send stores nothing and spends nothing).
    pub async fn submit(
        &self,
        venue: &Venue<'_>,
        msg: &Message,
        proof: &Proof<'_>,
    ) -> std::result::Result<Receipt, SubmitError> {
        let topics = self.topics(venue.site).await?;
        let ids: Vec<i64> = topics.iter().map(|t| t.id).collect();
        let (msg, email) = crate::forms::check_message(msg, &ids)?;
        // The guard's cheap checks first: a bot's form costs no transaction.
        self.guard.precheck(proof).map_err(SubmitError::Refused)?;
        let now = self.clock.now().as_second();
        let code = crate::forms::new_code("GY");
        let mut tx = self.store.begin().await?;
        self.guard.admit(&mut tx, proof).await?;
        let id = self
            .store
            .feedback()
            .insert(
                &mut tx,
                &NewFeedback {
                    site_id: venue.site,
                    topic_id: msg.topic_id,
                    code: &code,
                    name: &msg.name,
                    email: &email,
                    phone: &msg.phone,
                    address: &msg.address,
                    subject: &msg.subject,
                    body: &msg.body,
                    created_at: now,
                    consent_version: venue.policy_version,
                },
            )
            .await?;
        if self.mailer.enabled() {
            let topic = topics.iter().find(|t| Some(t.id) == msg.topic_id);
            let context = serde_json::json!({
                "site_name": venue.site_name,
                "code": code,
                "name": msg.name,
                "email": email,
                "phone": msg.phone,
                "address": msg.address,
                "subject": msg.subject,
                "body": msg.body,
                "topic": topic.map(|t| t.name.as_str()),
                "link": venue.base_url.map(|b| format!("{b}/quan-tri/gop-y/{id}")),
            });
            self.mailer
                .queue(&mut tx, venue.site, &email, "feedback_received", &context)
                .await?;
            if let Some(mailbox) = topic.map(|t| t.mailbox.as_str()).filter(|m| !m.is_empty()) {
                self.mailer
                    .queue(&mut tx, venue.site, mailbox, "feedback_new", &context)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(Receipt { id, code })
    }

    /// A page of the actor's site's messages, newest first.
    pub async fn list(
        &self,
        actor: Actor<'_>,
        filter: &FeedbackFilter,
        page: u32,
        per_page: u32,
    ) -> Result<FeedbackPage> {
        actor.require(Action::HandleFeedback)?;
        let per_page = i64::from(per_page.max(1));
        let offset = i64::from(page.saturating_sub(1)) * per_page;
        let (total, rows) = self
            .store
            .feedback()
            .list(actor.site, filter, per_page, offset)
            .await?;
        Ok(FeedbackPage { rows, total })
    }

    /// How many messages of the actor's site are in each status (the dashboard's queue).
    pub async fn counts(&self, actor: Actor<'_>) -> Result<Vec<(FeedbackStatus, i64)>> {
        actor.require(Action::HandleFeedback)?;
        Ok(self.store.feedback().counts(actor.site).await?)
    }

    pub async fn find(&self, actor: Actor<'_>, id: i64) -> Result<FeedbackRow> {
        actor.require(Action::HandleFeedback)?;
        self.store
            .feedback()
            .find(actor.site, id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// Marks a message handled, archived or new again, with the handler's note; audited.
    pub async fn set_status(
        &self,
        actor: Actor<'_>,
        id: i64,
        status: FeedbackStatus,
        note: &str,
    ) -> Result<()> {
        actor.require(Action::HandleFeedback)?;
        let note = nfc(note.trim());
        if note.chars().count() > MAX_BODY {
            return Err(field("note", "Ghi chú quá dài."));
        }
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        let found = self
            .store
            .feedback()
            .set_status(
                &mut tx,
                actor.site,
                id,
                &Handling {
                    status,
                    note: &note,
                    by: actor.user.id,
                    at: now,
                },
            )
            .await?;
        if !found {
            return Err(Error::NotFound);
        }
        let entry = Entry {
            action: "feedback.status",
            kind: "feedback",
            id: Some(id),
            detail: status.as_str(),
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a topic (None) or changes one; administrators.
    pub async fn save_topic(
        &self,
        actor: Actor<'_>,
        id: Option<i64>,
        names: TopicName<'_>,
        mailbox: &str,
        position: i64,
    ) -> Result<i64> {
        actor.require(Action::ManageSettings)?;
        let name = nfc(names.vi.trim());
        if name.is_empty() || name.chars().count() > MAX_SHORT {
            return Err(field("name", "Tên chủ đề cần từ 1 đến 300 ký tự."));
        }
        let name_en = nfc(names.en.trim());
        if name_en.chars().count() > MAX_SHORT {
            return Err(field("name_en", "Tên tiếng Anh tối đa 300 ký tự."));
        }
        let names = TopicName {
            vi: &name,
            en: &name_en,
        };
        let mailbox = match normalise_email(mailbox) {
            Ok(m) => m.unwrap_or_default(),
            Err(_) => {
                return Err(field(
                    "mailbox",
                    "Hộp thư nhận không phải là địa chỉ hợp lệ.",
                ));
            }
        };
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        let topics = self.store.feedback();
        let taken = topics
            .topics(actor.site)
            .await?
            .iter()
            .any(|t| t.name == name && Some(t.id) != id);
        if taken {
            return Err(field("name", "Đã có chủ đề cùng tên."));
        }
        let id = match id {
            Some(id) => {
                if !topics
                    .update_topic(&mut tx, actor.site, id, &names, &mailbox, position)
                    .await?
                {
                    return Err(Error::NotFound);
                }
                id
            }
            None => {
                topics
                    .insert_topic(&mut tx, actor.site, &names, &mailbox, position)
                    .await?
            }
        };
        let entry = Entry {
            action: "feedback.topic_save",
            kind: "feedback_topic",
            id: Some(id),
            detail: &name,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn delete_topic(&self, actor: Actor<'_>, id: i64) -> Result<()> {
        actor.require(Action::ManageSettings)?;
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        if !self
            .store
            .feedback()
            .delete_topic(&mut tx, actor.site, id)
            .await?
        {
            return Err(Error::NotFound);
        }
        let entry = Entry {
            action: "feedback.topic_delete",
            kind: "feedback_topic",
            id: Some(id),
            detail: "",
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn field(name: &str, message: &str) -> Error {
    Error::Fields(vec![(name.to_owned(), message.to_owned())])
}

#[cfg(test)]
#[path = "feedback_tests.rs"]
mod tests;
