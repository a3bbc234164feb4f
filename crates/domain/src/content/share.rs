//! Sharing an article of a component site to the portal (the site of kind portal, which
//! the caller names: `sites::Directory::portal`): a copy in a portal
//! section that names its origin. The copy keeps the title it was shared with for the
//! portal's lists; its page shows the original's current content (see `read.rs`) with a
//! canonical link to the original, so an edit of the original needs no copy to follow it.
//! Unsharing deletes the copy. Each is one transaction with its audit entry and change
//! records, like every write of this service.

use super::{Content, Section};
use crate::audit::{self, Actor, Entry};
use crate::auth::Action;
use crate::{Error, Result};
use cong_store::SiteId;
use cong_store::changes::ChangeKind;
use cong_store::editorial::Status;

/// Where an article of a component site can be shared: the portal's sections, and where
/// it is shared now.
#[derive(Debug, Clone)]
pub struct ShareTarget {
    pub sections: Vec<Section>,
    /// The copy on the portal and its section, when shared.
    pub shared: Option<(i64, i64)>,
}

fn not_shareable(why: &str) -> Error {
    Error::Fields(vec![("share_section".into(), why.to_owned())])
}

impl Content {
    /// What the article edit page offers for sharing `article_id` of `site`: nothing on the
    /// portal itself.
    pub async fn share_target(
        &self,
        site: SiteId,
        portal: Option<SiteId>,
        article_id: i64,
    ) -> Result<Option<ShareTarget>> {
        let Some(portal) = portal.filter(|p| *p != site) else {
            return Ok(None);
        };
        let sections = self.sections(portal).await?;
        let shared = self.store.articles().find_copy(article_id, portal).await?;
        Ok(Some(ShareTarget { sections, shared }))
    }

    /// Shares the published article `article_id` of the actor's site to the portal's
    /// section `section_id`; returns the copy's id.
    ///
    /// Permission: the actor must be allowed to publish on its own site and on the portal.
    pub async fn share_to_portal(
        &self,
        actor: Actor<'_>,
        portal: SiteId,
        article_id: i64,
        section_id: i64,
    ) -> Result<i64> {
        actor.require(Action::Publish)?;
        actor.on(portal).require(Action::Publish)?;
        let site = actor.site;
        if site == portal {
            return Err(not_shareable("Bài của cổng không cần chia sẻ lên cổng."));
        }
        let section = self
            .store
            .sections(portal)
            .find_by_id(section_id)
            .await?
            .ok_or_else(|| not_shareable("Chuyên mục này không có trên cổng."))?;
        let now = self.now();
        let editorial = self.store.editorial(site);
        let on_portal = self.store.editorial(portal);
        let mut tx = self.store.begin().await?;
        let article = editorial
            .find_for_update(&mut tx, article_id)
            .await?
            .ok_or(Error::NotFound)?;
        if article.status != Status::Published || article.published_at > now {
            return Err(not_shareable("Chỉ chia sẻ được bài đã xuất bản."));
        }
        if self
            .store
            .articles()
            .find_copy(article_id, portal)
            .await?
            .is_some()
        {
            return Err(not_shareable("Bài này đã được chia sẻ lên cổng."));
        }
        let mut slug = article.slug.clone();
        let mut n = 2;
        while on_portal.slug_taken(&mut tx, &slug, None).await? {
            slug = format!("{}-{n}", article.slug);
            n += 1;
        }
        let copy = self
            .store
            .articles()
            .insert_copy(&mut tx, article_id, portal, section.id, &slug, now)
            .await?;
        let detail = format!("{} → {}", article.title, section.name);
        let entry = Entry {
            action: "article.share",
            kind: "article",
            id: Some(article_id),
            detail: &detail,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Article, copy, now)
            .await?;
        tx.commit().await?;
        self.forget_counts(Some(section.id));
        Ok(copy)
    }

    /// Takes the article's copy off the portal (nothing when it has none).
    pub async fn unshare_from_portal(
        &self,
        actor: Actor<'_>,
        portal: SiteId,
        article_id: i64,
    ) -> Result<()> {
        actor.require(Action::Publish)?;
        actor.on(portal).require(Action::Publish)?;
        let site = actor.site;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let article = self
            .store
            .editorial(site)
            .find_for_update(&mut tx, article_id)
            .await?
            .ok_or(Error::NotFound)?;
        let Some((copy, section)) = self.store.articles().find_copy(article_id, portal).await?
        else {
            return Ok(());
        };
        self.store.articles().delete_copy(&mut tx, copy).await?;
        let entry = Entry {
            action: "article.unshare",
            kind: "article",
            id: Some(article_id),
            detail: &article.title,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        let changes = self.store.changes();
        changes
            .record(&mut tx, ChangeKind::Listing, section, now)
            .await?;
        changes
            .record(&mut tx, ChangeKind::Article, copy, now)
            .await?;
        tx.commit().await?;
        self.forget_counts(Some(section));
        Ok(())
    }
}
