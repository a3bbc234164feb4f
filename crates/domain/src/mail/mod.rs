//! Outbound e-mail: the queue other services write to in their own transaction, and the log.

mod send;

pub use send::Sender;

use crate::audit::Actor;
use crate::auth::Action;
use crate::{Clock, Error, Result};
use cong_store::mail::{MailRow, NewMail};
use cong_store::{SiteId, Store, Tx};
use std::sync::Arc;

/// Renders a mail's templates from the theme (the render crate implements it, so the domain
/// stays free of template engines).
pub trait MailTemplates: Send + Sync + 'static {
    /// `mail/{name}.txt` and `mail/{name}.html` rendered with `context`.
    fn render_mail(
        &self,
        name: &str,
        context: &serde_json::Value,
    ) -> std::result::Result<(String, String), String>;
}

/// A rendered mail: the text template's first line is the subject, the rest its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Rendered {
    pub fn split(text: &str, html: String) -> Rendered {
        let (subject, body) = text.split_once('\n').unwrap_or((text, ""));
        Rendered {
            subject: subject.trim().to_owned(),
            text: body.trim_start_matches(['\n', '\r']).to_owned(),
            html,
        }
    }
}

/// The queue's side other services call.
#[derive(Clone)]
pub struct Mailer {
    store: Store,
    clock: Arc<dyn Clock>,
    templates: Arc<dyn MailTemplates>,
    enabled: bool,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

/// A page of the mail log.
#[derive(Debug, Clone)]
pub struct MailLog {
    pub mails: Vec<MailRow>,
    pub total: i64,
}

impl Mailer {
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        templates: Arc<dyn MailTemplates>,
        enabled: bool,
    ) -> Mailer {
        Mailer {
            store,
            clock,
            templates,
            enabled,
        }
    }

    /// Whether mail is sent at all (`mail.enabled`): features that need it are offered only then.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Renders the template `template` with `context` and queues the mail to `to` in `tx`:
    /// it is sent only if the write it belongs to commits.
    pub async fn queue(
        &self,
        tx: &mut Tx,
        site: SiteId,
        to: &str,
        template: &str,
        context: &serde_json::Value,
    ) -> Result<i64> {
        let (text, html) = self
            .templates
            .render_mail(template, context)
            .map_err(|e| Error::Internal(format!("mail template {template}: {e}")))?;
        let r = Rendered::split(&text, html);
        let mail = NewMail {
            site_id: site,
            recipient: to,
            subject: &r.subject,
            body_text: &r.text,
            body_html: &r.html,
            kind: template,
        };
        let now = self.clock.now().as_second();
        Ok(self.store.mail().enqueue(tx, &mail, now).await?)
    }

    /// A page of the site's mail log, newest first; administrators only (the mails hold
    /// links such as password resets, which the log never shows).
    pub async fn log(&self, actor: Actor<'_>, page: u32, per_page: u32) -> Result<MailLog> {
        actor.require(Action::ViewAudit)?;
        let per_page = i64::from(per_page.max(1));
        let offset = i64::from(page.saturating_sub(1)) * per_page;
        Ok(MailLog {
            mails: self.store.mail().list(actor.site, per_page, offset).await?,
            total: self.store.mail().count(actor.site).await?,
        })
    }
}

/// Where links in mail point: the site's address, else `server.public_url` (both without a
/// trailing slash); None with neither. Never a request's Host: with one site every host name
/// reaches it, so whoever sends the request could choose where the link in a mail points.
pub fn link_base(site_address: &str, public_url: Option<&str>) -> Option<String> {
    let base = if site_address.is_empty() {
        public_url?
    } else {
        site_address
    };
    Some(base.trim_end_matches('/').to_owned()).filter(|b| !b.is_empty())
}

/// Seconds before the attempt after `attempts` failed ones: `base`, then 5, 30, 120 and 360
/// times it (1 min, 5 min, 30 min, 2 h, 6 h by default); None when `max_attempts` are spent.
pub fn retry_delay(attempts: i64, max_attempts: u32, base: i64) -> Option<i64> {
    const STEPS: [i64; 5] = [1, 5, 30, 120, 360];
    if attempts >= i64::from(max_attempts) {
        return None;
    }
    let step = usize::try_from(attempts.saturating_sub(1)).unwrap_or(0);
    Some(base.max(1) * STEPS[step.min(STEPS.len() - 1)])
}

#[cfg(test)]
mod tests;
