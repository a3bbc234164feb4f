//! Who acts, and the audit entry every back-office action leaves, written in the same
//! transaction as the action itself.

use crate::Result;
use crate::auth::User;
use cong_store::audit::NewAudit;
use cong_store::{SiteId, Store, Tx};

/// Who acts, from where (for the audit log).
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub user: &'a User,
    pub ip: &'a str,
    /// The site the user acts on: what they may do, and what they reach, is decided there.
    pub site: SiteId,
    /// The user's role on that site (`User::role_on`).
    pub role: crate::auth::Role,
}

impl<'a> Actor<'a> {
    /// True when the actor may do `action` on its site. Sites themselves are the system
    /// administrator's alone: no role on one site reaches the others.
    pub fn may(self, action: crate::auth::Action) -> bool {
        match action {
            crate::auth::Action::ManageSites => self.user.system_admin,
            _ => crate::auth::can(self.role, action),
        }
    }

    /// The same user acting on `site`, with their role there (none: they may do nothing).
    pub fn on(self, site: SiteId) -> OnSite<'a> {
        OnSite {
            actor: self,
            site,
            role: self.user.role_on(site),
        }
    }

    /// Refuses (403) unless the actor's role allows `action`: every domain write asks.
    pub fn require(self, action: crate::auth::Action) -> Result<()> {
        if self.may(action) {
            Ok(())
        } else {
            Err(crate::Error::Forbidden(
                "Bạn không có quyền thực hiện thao tác này.".to_owned(),
            ))
        }
    }
}

/// An actor's standing on another site than the one they act on (sharing to the portal).
#[derive(Debug, Clone, Copy)]
pub struct OnSite<'a> {
    actor: Actor<'a>,
    site: SiteId,
    role: Option<crate::auth::Role>,
}

impl OnSite<'_> {
    /// Refuses (403) unless the user's role on that site allows `action`.
    pub fn require(self, action: crate::auth::Action) -> Result<()> {
        match self.role {
            Some(role) => Actor {
                site: self.site,
                role,
                ..self.actor
            }
            .require(action),
            None => Err(crate::Error::Forbidden(
                "Bạn không có vai trò trên trang này.".to_owned(),
            )),
        }
    }
}

/// What an audit entry says was done, to what.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Such as "article.save", "media.delete".
    pub action: &'a str,
    /// Such as "article", "page", "settings".
    pub kind: &'a str,
    pub id: Option<i64>,
    pub detail: &'a str,
}

/// Appends `entry`, done by `actor` on its site, in `tx`: it stands or falls with the action.
pub(crate) async fn append(
    store: &Store,
    tx: &mut Tx,
    actor: Actor<'_>,
    entry: Entry<'_>,
    now: i64,
) -> Result<()> {
    append_by(
        store,
        tx,
        crate::auth::By::User(actor),
        entry,
        Some(actor.site),
        now,
    )
    .await
}

/// Appends `entry` in `tx`, done by a back-office user or by the operator at the command
/// line (who has no account: the entry says so). `site`: the site it concerned, if any.
pub(crate) async fn append_by(
    store: &Store,
    tx: &mut Tx,
    by: crate::auth::By<'_>,
    entry: Entry<'_>,
    site: Option<SiteId>,
    now: i64,
) -> Result<()> {
    let (user_id, username, ip) = match by {
        crate::auth::By::User(actor) => {
            (Some(actor.user.id), actor.user.username.as_str(), actor.ip)
        }
        crate::auth::By::CommandLine => (None, "(dòng lệnh)", "cli"),
    };
    store
        .audit()
        .append(
            tx,
            &NewAudit {
                user_id,
                username,
                action: entry.action,
                object_kind: entry.kind,
                object_id: entry.id,
                detail: entry.detail,
                ip,
                site_id: site,
            },
            now,
        )
        .await?;
    Ok(())
}

/// Appends `entry` in `tx`, done by the node's own upkeep (no one acted: the entry says so).
pub(crate) async fn append_upkeep(
    store: &Store,
    tx: &mut Tx,
    site: SiteId,
    entry: Entry<'_>,
    now: i64,
) -> Result<()> {
    store
        .audit()
        .append(
            tx,
            &NewAudit {
                user_id: None,
                username: "(tự động)",
                action: entry.action,
                object_kind: entry.kind,
                object_id: entry.id,
                detail: entry.detail,
                ip: "upkeep",
                site_id: Some(site),
            },
            now,
        )
        .await?;
    Ok(())
}

/// Appends `entry` done by `by`, or by the upkeep when no one acted (`None`).
pub(crate) async fn append_or_upkeep(
    store: &Store,
    tx: &mut Tx,
    site: SiteId,
    by: Option<Actor<'_>>,
    entry: Entry<'_>,
    now: i64,
) -> Result<()> {
    match by {
        Some(actor) => append(store, tx, actor, entry, now).await,
        None => append_upkeep(store, tx, site, entry, now).await,
    }
}
