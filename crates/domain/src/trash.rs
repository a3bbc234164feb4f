//! The trash: what is deleted in the back office waits here, hidden everywhere, until an
//! editor restores it or an administrator (or `trash.keep_days`) empties it. Every move is
//! one transaction with its audit entry and change record.

use crate::audit::{self, Actor, Entry};
use crate::auth::Action;
use crate::editorial::Editorial;
use crate::media::MediaLibrary;
use crate::{Clock, Error, Result};
use cong_store::Store;
use cong_store::changes::ChangeKind;
pub use cong_store::trash::{TrashKind, TrashRow};
use std::sync::Arc;

/// The Vietnamese name of a kind, as the trash lists it.
pub fn kind_label(kind: TrashKind) -> &'static str {
    match kind {
        TrashKind::Article => "Bài viết",
        TrashKind::Page => "Trang tĩnh",
        TrashKind::Document => "Văn bản",
        TrashKind::Media => "Ảnh",
        TrashKind::Video => "Video",
    }
}

fn change_of(kind: TrashKind) -> ChangeKind {
    match kind {
        TrashKind::Article => ChangeKind::Article,
        TrashKind::Page => ChangeKind::Page,
        TrashKind::Document => ChangeKind::Document,
        TrashKind::Media | TrashKind::Video => ChangeKind::Media,
    }
}

/// A move in or out of the trash, named as the audit log names it.
#[derive(Debug, Clone, Copy)]
enum Move {
    Trash,
    Restore,
    Purge,
}

impl Move {
    fn verb(self) -> &'static str {
        match self {
            Move::Trash => "trash",
            Move::Restore => "untrash",
            Move::Purge => "purge",
        }
    }
}

#[derive(Clone)]
pub struct Trash {
    store: Store,
    clock: Arc<dyn Clock>,
    editorial: Editorial,
    /// The libraries' own deletes, for images and videos.
    media: MediaLibrary,
}

impl std::fmt::Debug for Trash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trash").finish_non_exhaustive()
    }
}

impl Trash {
    pub fn new(store: Store, clock: Arc<dyn Clock>, media: MediaLibrary) -> Self {
        let editorial = Editorial::new(store.clone(), clock.clone());
        Trash {
            store,
            clock,
            editorial,
            media,
        }
    }

    fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    /// Refuses unless the actor may delete this item: what may edit it may put it in the
    /// trash (an author their own drafts, an editor any article, …).
    async fn require_put(&self, actor: Actor<'_>, kind: TrashKind, id: i64) -> Result<String> {
        let site = actor.site;
        match kind {
            TrashKind::Article => {
                let row = self
                    .store
                    .editorial(site)
                    .find(id)
                    .await?
                    .ok_or(Error::NotFound)?;
                actor.require(Action::EditArticle {
                    own: row.created_by == Some(actor.user.id),
                    draft: row.status == cong_store::editorial::Status::Draft,
                })?;
                self.editorial
                    .require_section(actor, row.section_id)
                    .await?;
                Ok(row.title)
            }
            TrashKind::Page => {
                actor.require(Action::ManagePages)?;
                let row = self
                    .store
                    .pages(site)
                    .find_by_id(id)
                    .await?
                    .ok_or(Error::NotFound)?;
                Ok(row.title)
            }
            TrashKind::Document => {
                let row = self
                    .store
                    .documents(site)
                    .find_standing(id)
                    .await?
                    .ok_or(Error::NotFound)?;
                actor.require(Action::EditDocument {
                    own: row.created_by == Some(actor.user.id),
                    draft: row.status == cong_store::editorial::Status::Draft,
                })?;
                Ok(row.number)
            }
            TrashKind::Media => {
                actor.require(Action::ManageMedia)?;
                let media = self.store.media(site);
                let row = media.find_by_id(id).await?.ok_or(Error::NotFound)?;
                if !media.usage(id).await?.is_empty() {
                    return Err(Error::Conflict(
                        "Ảnh đang được dùng trong bài viết; gỡ khỏi bài trước khi xoá.".to_owned(),
                    ));
                }
                let pages = self.store.pages(site).showing_media(id).await?;
                if let Some((_, title)) = pages.first() {
                    return Err(Error::Conflict(format!(
                        "Ảnh đang được dùng trong trang «{title}»; gỡ khỏi trang trước khi xoá."
                    )));
                }
                if self.store.banners_showing(id).await? > 0 {
                    return Err(Error::Conflict(
                        "Ảnh đang là một banner; gỡ banner trước khi xoá.".to_owned(),
                    ));
                }
                if self.store.people_showing(id).await? > 0 {
                    return Err(Error::Conflict(
                        "Ảnh đang là ảnh của một người trong Cơ cấu tổ chức; đổi ảnh của người đó trước khi xoá."
                            .to_owned(),
                    ));
                }
                Ok(row.original_name)
            }
            TrashKind::Video => {
                actor.require(Action::ManageMedia)?;
                let row = self.media.find_video(site, id).await?;
                self.media.require_video_unused(site, id).await?;
                Ok(if row.title.is_empty() {
                    row.original_name
                } else {
                    row.title
                })
            }
        }
    }

    /// Moves an item to the trash: hidden from the public site, the lists and the search.
    pub async fn put(&self, actor: Actor<'_>, kind: TrashKind, id: i64) -> Result<()> {
        let title = self.require_put(actor, kind, id).await?;
        self.apply(actor, kind, id, &title, Move::Trash).await
    }

    /// What the actor's site has in the trash, most recent first.
    pub async fn list(&self, actor: Actor<'_>) -> Result<Vec<TrashRow>> {
        actor.require(Action::RestoreFromTrash)?;
        Ok(self.store.trash(actor.site).list().await?)
    }

    /// Takes an item out of the trash (an article or document comes back as a draft).
    pub async fn restore(&self, actor: Actor<'_>, kind: TrashKind, id: i64) -> Result<()> {
        actor.require(Action::RestoreFromTrash)?;
        let row = self.in_trash(actor, kind, id).await?;
        self.apply(actor, kind, id, &row.title, Move::Restore).await
    }

    /// Deletes an item in the trash for good (an administrator).
    pub async fn purge(&self, actor: Actor<'_>, kind: TrashKind, id: i64) -> Result<()> {
        actor.require(Action::EmptyTrash)?;
        let row = self.in_trash(actor, kind, id).await?;
        match kind {
            // The library's own delete: the files go with the row, where no other site's
            // library holds the same file.
            TrashKind::Media => self.media.delete(actor, id).await,
            TrashKind::Video => self.media.delete_video(actor, id).await,
            _ => self.apply(actor, kind, id, &row.title, Move::Purge).await,
        }
    }

    async fn in_trash(&self, actor: Actor<'_>, kind: TrashKind, id: i64) -> Result<TrashRow> {
        self.store
            .trash(actor.site)
            .find(kind, id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// One move with its audit entry and change record, in one transaction.
    async fn apply(
        &self,
        actor: Actor<'_>,
        kind: TrashKind,
        id: i64,
        title: &str,
        m: Move,
    ) -> Result<()> {
        let now = self.now();
        let trash = self.store.trash(actor.site);
        let mut tx = self.store.begin().await?;
        let done = match m {
            Move::Trash => trash.put(&mut tx, kind, id, now).await?,
            Move::Restore => trash.restore(&mut tx, kind, id).await?,
            Move::Purge => trash.purge(&mut tx, kind, id).await?,
        };
        if !done {
            return Err(Error::NotFound);
        }
        let action = format!("{}.{}", kind.as_str(), m.verb());
        let entry = Entry {
            action: &action,
            kind: kind.as_str(),
            id: Some(id),
            detail: title,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        self.store
            .changes()
            .record(&mut tx, change_of(kind), id, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Empties the site's trash; returns how many items went (media still in use stays).
    pub async fn empty(&self, actor: Actor<'_>) -> Result<usize> {
        actor.require(Action::EmptyTrash)?;
        let mut n = 0;
        for row in self.store.trash(actor.site).list().await? {
            match self.purge(actor, row.kind, row.id).await {
                Ok(()) => n += 1,
                Err(Error::Conflict(_) | Error::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(n)
    }

    /// Empties what has been in the trash longer than `keep_days` on every site (the
    /// upkeep's task; images and videos still in use stay). Returns how many.
    pub async fn purge_expired(&self, keep_days: u32) -> Result<usize> {
        let now = self.now();
        let before = now - i64::from(keep_days) * 86_400;
        let why = format!("ở thùng rác quá {keep_days} ngày");
        let mut n = 0;
        for (site, kind, id) in self.store.trash_expired(before).await? {
            let done = match kind {
                TrashKind::Media => self.media.remove(site, None, id, &why).await?,
                TrashKind::Video => self.media.remove_video(site, None, id, &why).await?,
                _ => {
                    let mut tx = self.store.begin().await?;
                    if !self.store.trash(site).purge(&mut tx, kind, id).await? {
                        continue;
                    }
                    let action = format!("{}.purge", kind.as_str());
                    let entry = Entry {
                        action: &action,
                        kind: kind.as_str(),
                        id: Some(id),
                        detail: &why,
                    };
                    audit::append_upkeep(&self.store, &mut tx, site, entry, now).await?;
                    self.store
                        .changes()
                        .record(&mut tx, change_of(kind), id, now)
                        .await?;
                    tx.commit().await?;
                    true
                }
            };
            n += usize::from(done);
        }
        Ok(n)
    }
}
