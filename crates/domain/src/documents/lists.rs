//! The lists documents are classed by: added, renamed and deleted by administrators, or
//! found-or-added by the demo and imports; each write audited and announced.

use super::write::one_line;
use super::{Documents, Vocabulary};
use crate::audit::{self, Actor, Entry};
use crate::auth::{Action, By};
use crate::text::slugify;
use crate::{Error, Result};
use cong_store::changes::ChangeKind;
use cong_store::{SiteId, Tx};

impl Documents {
    /// Adds an entry to one of the site's lists; returns its id.
    pub async fn add_term(&self, actor: Actor<'_>, v: Vocabulary, name: &str) -> Result<i64> {
        actor.require(Action::ManageDocumentLists)?;
        self.add_term_by(By::User(actor), actor.site, v, name).await
    }

    /// The entry of a list with this name, added when missing (the demo, imports); its id.
    pub async fn ensure_term(&self, site: SiteId, v: Vocabulary, name: &str) -> Result<i64> {
        let key = slugify(&one_line(name));
        if let Some(t) = self
            .store
            .documents(site)
            .terms(v)
            .await?
            .into_iter()
            .find(|t| t.slug == key)
        {
            return Ok(t.id);
        }
        self.add_term_by(By::CommandLine, site, v, name).await
    }

    async fn add_term_by(
        &self,
        by: By<'_>,
        site: SiteId,
        v: Vocabulary,
        name: &str,
    ) -> Result<i64> {
        let name = one_line(name);
        if name.is_empty() || name.chars().count() > 200 {
            return Err(Error::Fields(vec![(
                "name".to_owned(),
                "Nhập tên (tối đa 200 ký tự).".to_owned(),
            )]));
        }
        let slug = slugify(&name);
        let now = self.now();
        let docs = self.store.documents(site);
        let position = docs.terms(v).await?.len() as i64;
        let mut tx = self.store.begin().await?;
        let id = docs
            .insert_term(&mut tx, v, &name, &slug, position)
            .await
            .map_err(|e| match e {
                cong_store::Error::Conflict { .. } => Error::Fields(vec![(
                    "name".to_owned(),
                    format!("“{name}” đã có trong danh sách."),
                )]),
                e => e.into(),
            })?;
        self.record_list_change(&mut tx, by, site, "document_list.add", id, &name, now)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Renames an entry and sets its place in its list.
    pub async fn edit_term(
        &self,
        actor: Actor<'_>,
        id: i64,
        name: &str,
        position: i64,
    ) -> Result<()> {
        actor.require(Action::ManageDocumentLists)?;
        let name = one_line(name);
        if name.is_empty() || name.chars().count() > 200 {
            return Err(Error::Fields(vec![(
                "name".to_owned(),
                "Nhập tên (tối đa 200 ký tự).".to_owned(),
            )]));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !self
            .store
            .documents(actor.site)
            .update_term(&mut tx, id, &name, &slugify(&name), position)
            .await?
        {
            return Err(Error::NotFound);
        }
        self.record_list_change(
            &mut tx,
            By::User(actor),
            actor.site,
            "document_list.edit",
            id,
            &name,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an entry no document uses.
    pub async fn delete_term(&self, actor: Actor<'_>, id: i64) -> Result<()> {
        actor.require(Action::ManageDocumentLists)?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !self
            .store
            .documents(actor.site)
            .delete_unused_term(&mut tx, id)
            .await?
        {
            return Err(Error::Conflict(
                "Mục này đang được văn bản sử dụng (hoặc không còn), không xóa được.".to_owned(),
            ));
        }
        self.record_list_change(
            &mut tx,
            By::User(actor),
            actor.site,
            "document_list.delete",
            id,
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn record_list_change(
        &self,
        tx: &mut Tx,
        by: By<'_>,
        site: SiteId,
        action: &str,
        id: i64,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        audit::append_by(
            &self.store,
            tx,
            by,
            Entry {
                action,
                kind: "document_list",
                id: Some(id),
                detail,
            },
            Some(site),
            now,
        )
        .await?;
        // The lists show on every page of the library: the site's pages go stale.
        self.store
            .changes()
            .record(tx, ChangeKind::Settings, site.0, now)
            .await?;
        Ok(())
    }
}
