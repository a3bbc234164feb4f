//! The workflow's notices by mail: submitted (to who may publish), returned and published (to the author).

use super::{EditRow, Editorial};
use crate::Result;
use crate::audit::Actor;
use crate::auth::{Action, Role, can};
use crate::mail::{Mailer, link_base};
use crate::sites::Sites;
use cong_store::Tx;
use cong_store::users::UserRow;
use jiff::tz::TimeZone;
use std::sync::Arc;

/// What the notices need beside the store: the queue, the sites' addresses (links are built
/// from them) and the time zone dates are shown in.
pub struct Notices {
    mailer: Mailer,
    sites: Arc<Sites>,
    public_url: Option<String>,
    tz: TimeZone,
}

impl std::fmt::Debug for Notices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notices").finish_non_exhaustive()
    }
}

impl Notices {
    pub fn new(
        mailer: Mailer,
        sites: Arc<Sites>,
        public_url: Option<String>,
        tz: TimeZone,
    ) -> Notices {
        Notices {
            mailer,
            sites,
            public_url,
            tz,
        }
    }
}

/// The step a notice tells of.
#[derive(Debug, Clone, Copy)]
pub(super) enum Notice<'a> {
    Submitted,
    Returned { note: &'a str },
    Published { at: i64 },
}

/// The public path of an article: the route `cong_render::urls::article` names (the
/// domain does not depend on the render crate).
fn article_path(slug: &str) -> String {
    format!("/bai-viet/{slug}")
}

/// A value on one line: the text template's first line is the subject, so a title must not
/// bring a line of its own.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn name_of(u: &UserRow) -> &str {
    if u.display_name.is_empty() {
        &u.username
    } else {
        &u.display_name
    }
}

impl Editorial {
    /// Queues the notice of `notice` on `row` in `tx`, the workflow step's own transaction:
    /// it goes only if the step commits. Nothing when mail is off (notices would pile up
    /// and all go the day it is turned on) or no address for links is configured.
    pub(super) async fn notify(
        &self,
        tx: &mut Tx,
        actor: Actor<'_>,
        row: &EditRow,
        notice: Notice<'_>,
    ) -> Result<()> {
        let Some(n) = &self.notices else {
            return Ok(());
        };
        if !n.mailer.enabled() {
            return Ok(());
        }
        let Some(site) = n.sites.directory().find(actor.site) else {
            return Ok(());
        };
        let Some(base) = link_base(&site.address, n.public_url.as_deref()) else {
            tracing::warn!(
                site = actor.site.0,
                article = row.id,
                "workflow notice not sent: set the site's address or server.public_url"
            );
            return Ok(());
        };
        let recipients = self.recipients(actor, row, notice).await?;
        if recipients.is_empty() {
            return Ok(());
        }
        let section = self
            .store
            .sections(actor.site)
            .find_by_id(row.section_id)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        let (template, note) = match notice {
            Notice::Submitted => ("article_submitted", ""),
            Notice::Returned { note } => ("article_returned", note),
            Notice::Published { .. } => ("article_published", ""),
        };
        // A publication set for later says when the article comes out.
        let scheduled = match notice {
            Notice::Published { at } if at > self.now() => {
                local_time(at, &n.tz).unwrap_or_default()
            }
            _ => String::new(),
        };
        for to in recipients {
            let Some(email) = &to.email else { continue };
            let context = serde_json::json!({
                "site_name": one_line(&site.name),
                "display_name": one_line(name_of(&to)),
                "title": one_line(&row.title),
                "section": one_line(&section),
                "by": one_line(actor.user.name()),
                "note": note,
                "scheduled": scheduled,
                "edit_link": format!("{base}/quan-tri/bai-viet/{}", row.id),
                "public_link": format!("{base}{}", article_path(&row.slug)),
            });
            n.mailer
                .queue(tx, actor.site, email, template, &context)
                .await?;
        }
        Ok(())
    }

    /// Who gets the notice: for a submission, every administrator and editor of the site who
    /// may publish in the article's section, but the submitter; otherwise the author, unless
    /// the author did it. Only accounts with an address and notices on (the store's list).
    async fn recipients(
        &self,
        actor: Actor<'_>,
        row: &EditRow,
        notice: Notice<'_>,
    ) -> Result<Vec<UserRow>> {
        let candidates = self
            .store
            .users()
            .notice_recipients(actor.site)
            .await?
            .into_iter()
            .filter(|(u, _)| u.id != actor.user.id);
        let mut out = Vec::new();
        for (user, site_role) in candidates {
            // A system administrator is an administrator of every site (`User::role_on`).
            let role = if user.role == "admin" {
                Role::Admin
            } else {
                match site_role.as_deref().and_then(Role::parse) {
                    Some(role) => role,
                    None => continue,
                }
            };
            let wanted = match notice {
                Notice::Submitted => {
                    can(role, Action::Publish)
                        && self.in_section(actor, &user, role, row.section_id).await?
                }
                Notice::Returned { .. } | Notice::Published { .. } => {
                    row.created_by == Some(user.id)
                }
            };
            if wanted {
                out.push(user);
            }
        }
        Ok(out)
    }

    /// Whether `user` works in the section: administrators everywhere, others where they
    /// are not limited to other sections (the rule of [`Editorial::allowed_sections`]).
    async fn in_section(
        &self,
        actor: Actor<'_>,
        user: &UserRow,
        role: Role,
        section: i64,
    ) -> Result<bool> {
        if role == Role::Admin {
            return Ok(true);
        }
        let ids = self.store.user_sections(user.id, actor.site).await?;
        Ok(ids.is_empty() || ids.contains(&section))
    }
}

/// "14:30 08/12/2026" in the site's time zone.
fn local_time(at: i64, tz: &TimeZone) -> Option<String> {
    let t = jiff::Timestamp::from_second(at).ok()?;
    Some(tz.to_datetime(t).strftime("%H:%M %d/%m/%Y").to_string())
}
