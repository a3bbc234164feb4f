//! The media library: uploads checked and resized by `cong-media`, stored once under their
//! content hash (never a name a client chose), listed, searched, deleted when unused.

use crate::{Error, Result};
use cong_media::{Limits, Processed, Rejection};
use cong_store::Store;
use cong_store::media::{MediaRow, NewMedia};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Images processed at once: decoding and resizing a large photo takes a core for about a
/// second and a few hundred MB, so uploads queue rather than starve the site.
const CONCURRENT: usize = 2;

#[derive(Clone)]
pub struct MediaLibrary {
    store: Store,
    dir: PathBuf,
    limits: Limits,
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

/// Writes a file whole or not at all (a temporary name, then a rename).
async fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(());
    }
    let tmp = dir.join(format!(".{name}.part"));
    let io = |e: std::io::Error| Error::Internal(format!("cannot write {}: {e}", path.display()));
    tokio::fs::write(&tmp, bytes).await.map_err(io)?;
    tokio::fs::rename(&tmp, &path).await.map_err(io)?;
    Ok(())
}

impl MediaLibrary {
    pub fn new(store: Store, dir: PathBuf, limits: Limits) -> Self {
        MediaLibrary {
            store,
            dir,
            limits,
            permits: Arc::new(Semaphore::new(CONCURRENT)),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Checks, cleans and resizes an upload, stores its files and its row; returns its id.
    /// The same image uploaded twice is one row.
    pub async fn upload(
        &self,
        bytes: Vec<u8>,
        original_name: &str,
        caption: &str,
        by: Option<i64>,
    ) -> Result<i64> {
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
        self.store_processed(&processed, original_name, caption, by)
            .await
    }

    async fn store_processed(
        &self,
        p: &Processed,
        original_name: &str,
        caption: &str,
        by: Option<i64>,
    ) -> Result<i64> {
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| Error::Internal(format!("cannot create {}: {e}", self.dir.display())))?;
        let file_name = cong_media::original_name(&p.hash, p.format);
        write_file(&self.dir, &file_name, &p.original).await?;
        let mut widths = Vec::new();
        for v in &p.variants {
            let (webp, fallback) = cong_media::variant_names(&p.hash, v);
            write_file(&self.dir, &webp, &v.webp).await?;
            write_file(&self.dir, &fallback, &v.fallback).await?;
            widths.push(v.width.to_string());
        }
        let name: String = crate::text::nfc(original_name.trim())
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let media = self.store.media();
        let id = media
            .insert(
                &NewMedia {
                    hash: &p.hash,
                    file_name: &file_name,
                    mime: p.format.mime(),
                    width: i64::from(p.width),
                    height: i64::from(p.height),
                    bytes: i64::try_from(p.original.len()).unwrap_or(i64::MAX),
                    original_name: &name,
                },
                jiff::Timestamp::now().as_second(),
            )
            .await?;
        media.set_widths(id, &widths.join(",")).await?;
        if !caption.trim().is_empty() {
            media
                .set_caption(id, &crate::text::nfc(caption.trim()))
                .await?;
        }
        if let Some(u) = by {
            media.set_uploaded_by(id, u).await?;
        }
        Ok(id)
    }

    pub async fn find(&self, id: i64) -> Result<MediaRow> {
        self.store
            .media()
            .find_by_id(id)
            .await?
            .ok_or(Error::NotFound)
    }

    pub async fn list(
        &self,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<MediaRow>, i64)> {
        Ok(self.store.media().list(search, limit, offset).await?)
    }

    pub async fn usage(&self, id: i64) -> Result<Vec<(i64, String)>> {
        Ok(self.store.media().usage(id).await?)
    }

    pub async fn set_caption(&self, id: i64, caption: &str) -> Result<()> {
        self.find(id).await?;
        self.store
            .media()
            .set_caption(id, &crate::text::nfc(caption.trim()))
            .await?;
        Ok(())
    }

    /// Deletes an image nothing uses, and its files.
    pub async fn delete(&self, id: i64) -> Result<()> {
        let row = self.find(id).await?;
        if !self.store.media().delete_unused(id).await? {
            return Err(Error::Conflict(
                "Ảnh đang được dùng trong bài viết; gỡ khỏi bài trước khi xoá.".to_owned(),
            ));
        }
        let mut names = vec![row.file_name.clone()];
        let ext = row.file_name.rsplit('.').next().unwrap_or("jpg").to_owned();
        for w in row.widths.split(',').filter(|w| !w.is_empty()) {
            names.push(format!("{}-{w}.webp", row.hash));
            names.push(format!("{}-{w}.{ext}", row.hash));
        }
        for n in names {
            let _ = tokio::fs::remove_file(self.dir.join(n)).await;
        }
        Ok(())
    }
}
