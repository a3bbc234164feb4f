//! What the dashboard lists as coming: articles scheduled for later (an author's own).

use super::Editorial;
use crate::Result;
use crate::audit::Actor;
use crate::auth::Role;
use cong_store::stats_days::Scheduled;

impl Editorial {
    /// The actor's site's scheduled articles, soonest first (an author sees their own).
    pub async fn scheduled(&self, actor: Actor<'_>, limit: i64) -> Result<Vec<Scheduled>> {
        let mine = (actor.role == Role::Author).then_some(actor.user.id);
        Ok(self
            .store
            .stats_days()
            .scheduled(actor.site, self.clock.now().as_second(), mine, limit)
            .await?)
    }
}
