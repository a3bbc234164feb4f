//! The upgrade from a media folder to stored files: files the library's rows name that are
//! in this node's folder but not in the store are copied in, so an install that kept its
//! images only in the folder loses none of them. Run at start; cheap once done (one query
//! per page of images).

use super::MediaLibrary;
use crate::{Error, Result};

/// Images read at once.
const PAGE: i64 = 200;

/// What [`MediaLibrary::store_folder_files`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backfill {
    /// Files copied from the folder into the store.
    pub copied: usize,
    /// Files a row names that neither the store nor this node's folder has (another node's
    /// folder may: it copies them when it starts).
    pub missing: usize,
}

impl MediaLibrary {
    /// Copies into the store every file the library's rows name that it lacks and this
    /// node's folder has. Several nodes may run it at once: a file stored twice is kept once.
    pub async fn store_folder_files(&self) -> Result<Backfill> {
        let mut done = Backfill::default();
        for site in self.store.sites().list_all().await? {
            self.store_site_files(site.id, &mut done).await?;
        }
        Ok(done)
    }

    async fn store_site_files(&self, site: cong_store::SiteId, done: &mut Backfill) -> Result<()> {
        let mut offset = 0;
        loop {
            let (rows, _) = self.store.media(site).list(None, PAGE, offset).await?;
            if rows.is_empty() {
                return Ok(());
            }
            offset += i64::try_from(rows.len()).unwrap_or(PAGE);
            let names: Vec<String> = rows.iter().flat_map(|r| r.files()).collect();
            let stored = self.store.media_files().stored(&names).await?;
            for name in names.iter().filter(|n| !stored.contains(*n)) {
                if !cong_store::media_files::plain_name(name) {
                    done.missing += 1;
                    continue;
                }
                let path = self.dir.join(name);
                let bytes = match tokio::fs::read(&path).await {
                    Ok(b) => b,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        done.missing += 1;
                        continue;
                    }
                    Err(e) => {
                        return Err(Error::Internal(format!(
                            "cannot read {}: {e}",
                            path.display()
                        )));
                    }
                };
                let now = jiff::Timestamp::now().as_second();
                let mut tx = self.store.begin().await?;
                self.store
                    .media_files()
                    .insert(&mut tx, name, &bytes, now)
                    .await?;
                tx.commit().await?;
                done.copied += 1;
            }
        }
    }
}
