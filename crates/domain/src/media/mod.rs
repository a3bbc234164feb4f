//! The media library: uploads checked and resized by `cong-media`, stored once under their
//! content hash (never a name a client chose), listed, searched, deleted when unused. The
//! files live in the store with their row (`media_files`), so every node serves them; a
//! node's media folder is a cache of them ([`cache`]).

pub mod cache;
mod folder;
pub mod pictures;
pub mod videos;

pub use folder::Backfill;

use crate::audit::{self, Actor, Entry};
use crate::auth::Action;
use crate::changes::ChangeKind;
use crate::{Error, Result};
use cong_media::{Limits, Processed, Rejection};
use cong_store::SiteId;
use cong_store::Store;
use cong_store::media::{MediaRow, NewMedia};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Images processed at once: decoding and resizing a large photo takes a core for about a
/// second and a few hundred MB, so uploads queue rather than starve the site.
const CONCURRENT: usize = 2;

/// Largest video accepted unless configured (`media.max_video_bytes`).
pub const DEFAULT_MAX_VIDEO_BYTES: u64 = 100 * 1024 * 1024;

#[derive(Clone)]
pub struct MediaLibrary {
    store: Store,
    dir: PathBuf,
    limits: Limits,
    max_video_bytes: u64,
    permits: Arc<Semaphore>,
}

impl std::fmt::Debug for MediaLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaLibrary")
            .field("dir", &self.dir)
            .finish()
    }
}

fn refused(r: Rejection) -> Error {
    match r {
        Rejection::TooLarge { .. } | Rejection::TooManyPixels { .. } => {
            Error::TooLarge(r.to_string())
        }
        Rejection::NotAnImage | Rejection::Unsupported(_) => Error::Unsupported(r.to_string()),
        Rejection::Corrupt(_) => Error::Fields(vec![("file".to_owned(), r.to_string())]),
    }
}

impl MediaLibrary {
    pub fn new(store: Store, dir: PathBuf, limits: Limits) -> Self {
        MediaLibrary {
            store,
            dir,
            limits,
            max_video_bytes: DEFAULT_MAX_VIDEO_BYTES,
            permits: Arc::new(Semaphore::new(CONCURRENT)),
        }
    }

    /// The same library taking videos up to `bytes`.
    pub fn with_max_video_bytes(mut self, bytes: u64) -> Self {
        self.max_video_bytes = bytes;
        self
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Checks, cleans and resizes an upload, then stores its files, its row and (for a
    /// back-office user, `by`) the audit entry in one transaction; returns its id. The same
    /// image uploaded twice is one row. `None`: the demo or an import, no one to check.
    pub async fn upload(
        &self,
        site: SiteId,
        by: Option<Actor<'_>>,
        bytes: Vec<u8>,
        original_name: &str,
        caption: &str,
    ) -> Result<i64> {
        if let Some(actor) = by {
            actor.require(Action::UploadMedia)?;
        }
        if bytes.len() as u64 > self.limits.max_bytes {
            return Err(refused(Rejection::TooLarge {
                bytes: bytes.len() as u64,
                max: self.limits.max_bytes,
            }));
        }
        let processed = {
            let _permit = self
                .permits
                .acquire()
                .await
                .map_err(|e| Error::Internal(e.to_string()))?;
            let limits = self.limits;
            tokio::task::spawn_blocking(move || cong_media::process(&bytes, &limits))
                .await
                .map_err(|e| Error::Internal(format!("image task: {e}")))?
                .map_err(refused)?
        };
        self.store_processed(site, &processed, original_name, caption, by)
            .await
    }

    async fn store_processed(
        &self,
        site: SiteId,
        p: &Processed,
        original_name: &str,
        caption: &str,
        by: Option<Actor<'_>>,
    ) -> Result<i64> {
        let file_name = cong_media::original_name(&p.hash, p.format);
        let mut files: Vec<(String, &[u8])> = vec![(file_name.clone(), p.original.as_slice())];
        let mut widths = Vec::new();
        for v in &p.variants {
            let (webp, fallback) = cong_media::variant_names(&p.hash, v);
            files.push((webp, v.webp.as_slice()));
            files.push((fallback, v.fallback.as_slice()));
            widths.push(v.width.to_string());
        }
        let name: String = crate::text::nfc(original_name.trim())
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let media = self.store.media(site);
        let now = jiff::Timestamp::now().as_second();
        let caption = crate::text::nfc(caption.trim());
        // Files and row in one transaction: a row never names a file that is not stored, on
        // any node, and a failed upload leaves nothing behind.
        let mut tx = self.store.begin().await?;
        for (name, bytes) in &files {
            self.store
                .media_files()
                .insert(&mut tx, name, bytes, now)
                .await?;
        }
        let id = media
            .insert(
                &mut tx,
                &NewMedia {
                    hash: &p.hash,
                    file_name: &file_name,
                    mime: p.format.mime(),
                    width: i64::from(p.width),
                    height: i64::from(p.height),
                    bytes: i64::try_from(p.original.len()).unwrap_or(i64::MAX),
                    original_name: &name,
                    search_key: &search_key(&name, ""),
                },
                now,
            )
            .await?;
        media.set_widths(&mut tx, id, &widths.join(",")).await?;
        if !caption.is_empty() {
            media
                .set_caption(&mut tx, id, &caption, &search_key(&name, &caption))
                .await?;
        }
        if let Some(actor) = by {
            media.set_uploaded_by(&mut tx, id, actor.user.id).await?;
            let entry = Entry {
                action: "media.upload",
                kind: "media",
                id: Some(id),
                detail: &name,
            };
            audit::append(&self.store, &mut tx, actor, entry, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn find(&self, site: SiteId, id: i64) -> Result<MediaRow> {
        self.store
            .media(site)
            .find_by_id(id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// Newest first; with `search`, those whose name or caption holds its words, case and
    /// marks aside ("hoi nghi" and "HỘI NGHỊ" find "Hội nghị").
    pub async fn list(
        &self,
        site: SiteId,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<MediaRow>, i64)> {
        let folded = search.map(crate::text::fold_words);
        Ok(self
            .store
            .media(site)
            .list(folded.as_deref(), limit, offset)
            .await?)
    }

    /// Makes the search key of images stored before there was one; run once at start.
    pub async fn fill_search_keys(&self) -> Result<usize> {
        let media = self.store.media(SiteId::FIRST);
        let missing = media.without_search_key().await?;
        for (id, name, caption) in &missing {
            media
                .set_search_key(*id, &search_key(name, caption))
                .await?;
        }
        Ok(missing.len())
    }

    /// Where an image is used, as far as `actor` may know: (article id, title) of what they
    /// may see (an author: their own articles and those out for everyone), and how many
    /// other articles use it.
    pub async fn usage(&self, actor: Actor<'_>, id: i64) -> Result<(Vec<(i64, String)>, usize)> {
        let now = jiff::Timestamp::now().as_second();
        let (seen, unseen): (Vec<_>, Vec<_>) = self
            .store
            .media(actor.site)
            .usage(id)
            .await?
            .into_iter()
            .partition(|a| {
                let own = a.created_by == Some(actor.user.id);
                let public =
                    a.status == cong_store::editorial::Status::Published && a.published_at <= now;
                public || actor.may(Action::ViewArticle { own })
            });
        Ok((
            seen.into_iter().map(|a| (a.id, a.title)).collect(),
            unseen.len(),
        ))
    }

    /// The static pages whose body shows an image, as (id, title): pages are public, so
    /// anyone who sees the library may know them.
    pub async fn pages_using(&self, site: SiteId, id: i64) -> Result<Vec<(i64, String)>> {
        Ok(self.store.pages(site).showing_media(id).await?)
    }

    pub async fn set_caption(&self, actor: Actor<'_>, id: i64, caption: &str) -> Result<()> {
        actor.require(Action::ManageMedia)?;
        let row = self.find(actor.site, id).await?;
        let caption = crate::text::nfc(caption.trim());
        let now = jiff::Timestamp::now().as_second();
        let mut tx = self.store.begin().await?;
        self.store
            .media(actor.site)
            .set_caption(
                &mut tx,
                id,
                &caption,
                &search_key(&row.original_name, &caption),
            )
            .await?;
        let entry = Entry {
            action: "media.caption",
            kind: "media",
            id: Some(id),
            detail: &caption,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an image nothing uses: its row, its stored files, the audit entry and the
    /// change (other nodes drop their copies) in one transaction, then this node's copies.
    pub async fn delete(&self, actor: Actor<'_>, id: i64) -> Result<()> {
        actor.require(Action::ManageMedia)?;
        if self.remove(actor.site, Some(actor), id, "").await? {
            Ok(())
        } else {
            Err(Error::Conflict(
                "Ảnh đang được dùng trong bài viết hoặc trang; gỡ ra trước khi xoá.".to_owned(),
            ))
        }
    }

    /// [`delete`](Self::delete) by `by`, or by the upkeep (`None`, which says `why`); false
    /// when the image is in use (nothing is deleted).
    pub(crate) async fn remove(
        &self,
        site: SiteId,
        by: Option<Actor<'_>>,
        id: i64,
        why: &str,
    ) -> Result<bool> {
        let row = self.find(site, id).await?;
        let now = jiff::Timestamp::now().as_second();
        let media = self.store.media(site);
        let mut tx = self.store.begin().await?;
        if !media.delete_unused(&mut tx, id).await? {
            return Ok(false);
        }
        // Another site's library may hold the same picture (files are named by content):
        // then its files stay.
        let shared = media.hash_in_use(&mut tx, &row.hash).await?;
        let gone = Removed {
            action: "media.delete",
            kind: "media",
            id,
            name: &row.original_name,
            why,
            files: if shared { Vec::new() } else { row.files() },
        };
        self.finish_removal(tx, site, by, gone, now).await?;
        Ok(true)
    }

    /// The end of deleting an image or a video whose row is gone in `tx`: the audit entry (by
    /// `by`, or the upkeep saying why), then its stored files with the change that tells
    /// every node to drop its copies; committed; then this node's copies.
    pub(crate) async fn finish_removal(
        &self,
        mut tx: cong_store::Tx,
        site: SiteId,
        by: Option<Actor<'_>>,
        gone: Removed<'_>,
        now: i64,
    ) -> Result<()> {
        let detail = if gone.why.is_empty() {
            gone.name.to_owned()
        } else {
            format!("{} ({})", gone.name, gone.why)
        };
        let entry = Entry {
            action: gone.action,
            kind: gone.kind,
            id: Some(gone.id),
            detail: &detail,
        };
        audit::append_or_upkeep(&self.store, &mut tx, site, by, entry, now).await?;
        if !gone.files.is_empty() {
            self.store
                .media_files()
                .delete(&mut tx, &gone.files)
                .await?;
            self.store
                .changes()
                .record(&mut tx, ChangeKind::Media, gone.id, now)
                .await?;
        }
        tx.commit().await?;
        for n in gone
            .files
            .iter()
            .filter(|n| cong_store::media_files::plain_name(n))
        {
            let _ = tokio::fs::remove_file(self.dir.join(n)).await;
        }
        Ok(())
    }
}

/// An image or video being deleted, for [`MediaLibrary::finish_removal`].
pub(crate) struct Removed<'a> {
    pub action: &'static str,
    pub kind: &'static str,
    pub id: i64,
    /// Its name as uploaded, for the audit entry.
    pub name: &'a str,
    /// Why the upkeep deleted it ("" when a person did).
    pub why: &'a str,
    /// Its stored files, when no other row holds the same content.
    pub files: Vec<String>,
}

/// What the library's search matches: name and caption folded, a space between them so a
/// query's words cannot run from one into the other.
fn search_key(name: &str, caption: &str) -> String {
    format!(
        "{} {}",
        crate::text::fold_words(name),
        crate::text::fold_words(caption)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The library's search ignores case and marks on both databases (SQLite's LOWER only
    /// knows ASCII), and rows stored before there was a search key get one at start.
    #[tokio::test]
    async fn search_folds_case_and_marks_and_older_rows_are_keyed() {
        let dir = tempfile::tempdir().expect("dir");
        let (_db, store) = cong_store::testing::migrated_store(dir.path()).await;
        let lib = MediaLibrary::new(store.clone(), dir.path().join("media"), Limits::default());
        // As a row written before this version: no search key.
        let old = |hash: &'static str, name: &'static str| NewMedia {
            hash,
            file_name: hash,
            mime: "image/jpeg",
            width: 10,
            height: 10,
            bytes: 100,
            original_name: name,
            search_key: "",
        };
        let media = store.media(SiteId::FIRST);
        let mut tx = store.begin().await.expect("tx");
        let a = media
            .insert(&mut tx, &old("a", "ảnh-đại-biểu.jpg"), 1)
            .await
            .expect("insert");
        media
            .set_caption(&mut tx, a, "Đại biểu tham dự HỘI NGHỊ", "")
            .await
            .expect("caption");
        let b = media
            .insert(&mut tx, &old("b", "IMG_01.JPG"), 2)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        let found = |q: &'static str| {
            let lib = lib.clone();
            async move {
                let (rows, total) = lib
                    .list(cong_store::SiteId::FIRST, Some(q), 10, 0)
                    .await
                    .expect("list");
                assert_eq!(rows.len() as i64, total);
                rows.iter().map(|r| r.id).collect::<Vec<_>>()
            }
        };
        assert!(found("hội nghị").await.is_empty(), "not keyed yet");
        assert_eq!(lib.fill_search_keys().await.expect("fill"), 2);
        assert_eq!(lib.fill_search_keys().await.expect("again"), 0, "once");
        for q in [
            "hội nghị",
            "HỘI NGHỊ",
            "hoi nghi",
            "Đại biểu",
            "dai bieu",
            "anh dai",
        ] {
            assert_eq!(found(q).await, [a], "{q}");
        }
        assert_eq!(found("img_01").await, [b]);
        assert_eq!(found("").await, [b, a], "no filter: newest first");
        assert!(
            found("jpg hội").await.is_empty(),
            "not across name and caption"
        );
        assert!(found("hội trường").await.is_empty());
        // A caption edited through the library keeps the key in step.
        let editor = crate::auth::User {
            id: 1,
            username: "bientap".to_owned(),
            display_name: String::new(),
            system_admin: false,
            roles: vec![(cong_store::SiteId::FIRST, crate::auth::Role::Editor)],
            disabled: false,
            totp_enabled: false,
            created_at: 0,
            last_login_at: None,
        };
        let actor = Actor {
            user: &editor,
            ip: "127.0.0.1",
            site: cong_store::SiteId::FIRST,
            role: crate::auth::Role::Editor,
        };
        lib.set_caption(actor, b, "Lễ khai mạc")
            .await
            .expect("caption");
        assert_eq!(found("LE KHAI MAC").await, [b]);
    }
}
