//! Attachments: uploads checked by `cong-files` (the type from the bytes, dangerous files
//! refused), their text extracted for the search, stored once per content under its hash
//! with the row and the audit entry in one transaction; an optional operator command scans
//! each upload first.

use crate::audit::{self, Actor, Entry};
use crate::auth::{Action, By};
use crate::{Error, Result};
use cong_files::{Limits, Refusal, Text};
use cong_store::files::NewFile;
pub use cong_store::files::{FileRow, Owner, TextState};
use cong_store::{SiteId, Store};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Files read at once: a large PDF's text takes a core for a while.
const CONCURRENT: usize = 2;

#[derive(Clone)]
pub struct FileIntake {
    store: Store,
    limits: Limits,
    /// `[program, args…]`, run with the upload's path appended; refused unless it exits 0.
    scanner: Option<Arc<Vec<String>>>,
    permits: Arc<Semaphore>,
}

impl std::fmt::Debug for FileIntake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileIntake").finish_non_exhaustive()
    }
}

/// What the uploader is told, with the status that fits.
fn refused(r: Refusal) -> Error {
    match r {
        Refusal::TooLarge { .. } => Error::TooLarge(r.to_string()),
        other => Error::Unsupported(other.to_string()),
    }
}

impl FileIntake {
    pub fn new(store: Store, limits: Limits, scanner: Option<Vec<String>>) -> Self {
        FileIntake {
            store,
            limits,
            scanner: scanner.filter(|s| !s.is_empty()).map(Arc::new),
            permits: Arc::new(Semaphore::new(CONCURRENT)),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A file the public may download: carried by something published. Anything else is
    /// not found, so the ids of drafts' files tell nothing.
    pub async fn public(&self, site: SiteId, id: i64) -> Result<FileRow> {
        let files = self.store.files(site);
        match files.find_by_id(id).await? {
            Some(f) if files.is_public(id).await? => Ok(f),
            _ => Err(Error::NotFound),
        }
    }

    /// Any file of the site (the back office).
    pub async fn find(&self, site: SiteId, id: i64) -> Result<FileRow> {
        self.store
            .files(site)
            .find_by_id(id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The site's files, newest first, with how many things carry each (the back office).
    pub async fn list(&self, site: SiteId, limit: i64, offset: i64) -> Result<Vec<(FileRow, i64)>> {
        Ok(self.store.files(site).list(limit, offset).await?)
    }

    /// Deletes a file nothing carries; one in use is refused (409) with a sentence saying so.
    pub async fn delete(&self, actor: Actor<'_>, id: i64) -> Result<()> {
        actor.require(Action::ManageMedia)?;
        let file = self.find(actor.site, id).await?;
        let now = jiff::Timestamp::now().as_second();
        let mut tx = self.store.begin().await?;
        if !self
            .store
            .files(actor.site)
            .delete_unused(&mut tx, id)
            .await?
        {
            return Err(Error::Conflict(format!(
                "Tệp “{}” đang được đính kèm, không xóa được. Hãy bỏ tệp khỏi văn bản, bài viết hoặc trang trước.",
                file.name
            )));
        }
        audit::append(
            &self.store,
            &mut tx,
            actor,
            Entry {
                action: "file.delete",
                kind: "file",
                id: Some(id),
                detail: &file.name,
            },
            now,
        )
        .await?;
        // Nodes drop their copies of bytes no longer stored.
        self.store
            .changes()
            .record(&mut tx, cong_store::changes::ChangeKind::Media, id, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The files an article, page or document carries, in order.
    pub async fn attached(&self, site: SiteId, owner: Owner, id: i64) -> Result<Vec<FileRow>> {
        Ok(self.store.files(site).attached(owner, id).await?)
    }

    /// Checks an upload, extracts its text and stores it; the same content uploaded again
    /// is the same row. `by`: the back-office user (checked and audited); `None` for the demo
    /// and imports.
    pub async fn upload(
        &self,
        site: SiteId,
        by: Option<Actor<'_>>,
        bytes: Vec<u8>,
        original_name: &str,
    ) -> Result<FileRow> {
        if let Some(actor) = by {
            actor.require(Action::UploadFile)?;
        }
        let (checked, text, bytes) = {
            let _permit = self
                .permits
                .acquire()
                .await
                .map_err(|e| Error::Internal(e.to_string()))?;
            let limits = self.limits;
            tokio::task::spawn_blocking(move || {
                cong_files::check(&bytes, &limits).map(|c| {
                    let text = cong_files::extract(c.kind, &bytes, &limits);
                    (c, text, bytes)
                })
            })
            .await
            .map_err(|e| Error::Internal(format!("file task: {e}")))?
            .map_err(refused)?
        };
        if let Some(scanner) = &self.scanner {
            scan(scanner, &bytes).await?;
        }
        let (text, state) = match text {
            Text::Found(t) => (t, TextState::Found),
            Text::None => (String::new(), TextState::None),
            Text::Unreadable(_) => (String::new(), TextState::Unreadable),
        };
        let name = cong_files::download_name(original_name, checked.kind);
        let kind = checked.kind.as_str();
        let files = self.store.files(site);
        let now = jiff::Timestamp::now().as_second();
        let mut tx = self.store.begin().await?;
        if let Some(existing) = files.find_by_hash(&mut tx, &checked.hash).await? {
            return Ok(existing);
        }
        let stored = cong_store::files::stored_name(&checked.hash, kind);
        self.store
            .media_files()
            .insert(&mut tx, &stored, &bytes, now)
            .await?;
        let id = files
            .insert(
                &mut tx,
                &NewFile {
                    hash: &checked.hash,
                    kind,
                    bytes: bytes.len() as i64,
                    name: &name,
                    text: &text,
                    text_state: state,
                },
                by.map(|a| a.user.id),
                now,
            )
            .await?;
        if let Some(actor) = by {
            audit::append(
                &self.store,
                &mut tx,
                actor,
                Entry {
                    action: "file.upload",
                    kind: "file",
                    id: Some(id),
                    detail: &name,
                },
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(FileRow {
            id,
            hash: checked.hash,
            kind: kind.to_owned(),
            bytes: bytes.len() as i64,
            name,
            text_state: state,
            created_at: now,
        })
    }
}

/// Replaces the files `owner` `id` carries with `files` (those of the site, in order), with
/// the audit entry and the change record, in `tx`. The owner's service checked the actor
/// may change it (`by`: a back-office user acting on `site`, or the operator for the demo).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn attach_in(
    store: &Store,
    tx: &mut cong_store::Tx,
    by: By<'_>,
    site: SiteId,
    owner: Owner,
    id: i64,
    files: &[i64],
    now: i64,
) -> Result<()> {
    use cong_store::changes::ChangeKind;
    let change = match owner {
        Owner::Article => ChangeKind::Article,
        Owner::Page => ChangeKind::Page,
        Owner::Document | Owner::Report => ChangeKind::Document,
    };
    let known = store.files(site).existing(tx, files).await?;
    let mut kept: Vec<i64> = Vec::new();
    for f in files {
        if known.contains(f) && !kept.contains(f) {
            kept.push(*f);
        }
    }
    store.files(site).attach(tx, owner, id, &kept).await?;
    let detail = format!("{} tệp", kept.len());
    audit::append_by(
        store,
        tx,
        by,
        Entry {
            action: match owner {
                Owner::Article => "article.files",
                Owner::Page => "page.files",
                Owner::Document => "document.files",
                Owner::Report => "consultation.report",
            },
            kind: owner.as_str(),
            id: Some(id),
            detail: &detail,
        },
        Some(site),
        now,
    )
    .await?;
    store.changes().record(tx, change, id, now).await?;
    Ok(())
}

/// Runs the operator's scanner on the upload (written to a private temporary file); any
/// exit but 0 refuses it.
async fn scan(command: &[String], bytes: &[u8]) -> Result<()> {
    let internal = |e: std::io::Error| Error::Internal(format!("scanner: {e}"));
    let tmp = tempfile::NamedTempFile::new().map_err(internal)?;
    tokio::fs::write(tmp.path(), bytes)
        .await
        .map_err(internal)?;
    let Some((program, args)) = command.split_first() else {
        return Ok(());
    };
    let status = tokio::process::Command::new(program)
        .args(args)
        .arg(tmp.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .status()
        .await
        .map_err(internal)?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Unsupported(
            "Tệp bị trình quét an toàn của máy chủ từ chối (có thể chứa mã độc).".to_owned(),
        ))
    }
}
