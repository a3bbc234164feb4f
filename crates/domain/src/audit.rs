//! Who acts, and the audit entry every back-office action leaves, written in the same
//! transaction as the action itself.

use crate::Result;
use crate::auth::User;
use cong_store::audit::NewAudit;
use cong_store::{Store, Tx};

/// Who acts, from where (for the audit log).
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub user: &'a User,
    pub ip: &'a str,
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

/// Appends `entry`, done by `actor`, in `tx`: it stands or falls with the action.
pub(crate) async fn append(
    store: &Store,
    tx: &mut Tx,
    actor: Actor<'_>,
    entry: Entry<'_>,
    now: i64,
) -> Result<()> {
    store
        .audit()
        .append(
            tx,
            &NewAudit {
                user_id: Some(actor.user.id),
                username: &actor.user.username,
                action: entry.action,
                object_kind: entry.kind,
                object_id: entry.id,
                detail: entry.detail,
                ip: actor.ip,
            },
            now,
        )
        .await?;
    Ok(())
}
