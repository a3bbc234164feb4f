//! A node's media folder as a bounded cache of the stored files (`media_files`): every node
//! serves every upload without a shared folder. A file asked for and not in the folder is
//! read from the store once, written whole (a temporary name, then a rename) and served from
//! the folder from then on; past `media.cache_max_mb` the least recently served files are
//! deleted (the store still has them). Files whose stored copy is gone (an image deleted
//! through any node) are dropped when the change reaches this node.

use crate::{Error, Result};
use cong_store::Store;
use cong_store::media_files::plain_name;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Semaphore;

/// Files read from the store at once: each is held whole in memory until it is written, and
/// a burst of first requests for many images should not take every database connection.
const FETCHES: usize = 4;

pub struct MediaCache {
    store: Store,
    dir: PathBuf,
    /// Bytes the folder may hold; 0: no bound.
    max_bytes: u64,
    kept: Mutex<Kept>,
    /// A lock per name being fetched: concurrent first requests for one file wait for the
    /// first one's fetch and find the file written, instead of each reading the store.
    filling: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    fetches: Semaphore,
    /// Files read from the store since start.
    fetched: AtomicU64,
}

impl std::fmt::Debug for MediaCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaCache")
            .field("dir", &self.dir)
            .field("max_bytes", &self.max_bytes)
            .finish_non_exhaustive()
    }
}

/// The files in the folder, their sizes and when each was last served.
#[derive(Debug, Default)]
struct Kept {
    files: HashMap<String, Entry>,
    bytes: u64,
    /// A counter, not a time: only the order of uses matters.
    clock: u64,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    bytes: u64,
    used: u64,
}

impl Kept {
    fn add(&mut self, name: &str, bytes: u64) {
        self.clock += 1;
        let used = self.clock;
        if let Some(old) = self.files.insert(name.to_owned(), Entry { bytes, used }) {
            self.bytes -= old.bytes;
        }
        self.bytes += bytes;
    }

    fn forget(&mut self, name: &str) {
        if let Some(old) = self.files.remove(name) {
            self.bytes -= old.bytes;
        }
    }

    /// The least recently used files (never `keep`) whose removal brings the total to
    /// `target` bytes or below; forgotten here, for the caller to delete.
    fn evict_to(&mut self, target: u64, keep: Option<&str>) -> Vec<String> {
        if self.bytes <= target {
            return Vec::new();
        }
        let mut order: Vec<(u64, &String)> = self
            .files
            .iter()
            .filter(|(n, _)| Some(n.as_str()) != keep)
            .map(|(n, e)| (e.used, n))
            .collect();
        order.sort_unstable();
        let mut left = self.bytes;
        let mut out = Vec::new();
        for (_, name) in order {
            if left <= target {
                break;
            }
            left -= self.files[name].bytes;
            out.push(name.clone());
        }
        for n in &out {
            self.forget(n);
        }
        out
    }
}

impl MediaCache {
    /// `max_bytes` 0: no bound.
    pub fn new(store: Store, dir: PathBuf, max_bytes: u64) -> Self {
        MediaCache {
            store,
            dir,
            max_bytes,
            kept: Mutex::default(),
            filling: Mutex::default(),
            fetches: Semaphore::new(FETCHES),
            fetched: AtomicU64::new(0),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Files and bytes in the folder as this node counts them.
    pub fn usage(&self) -> (usize, u64) {
        let k = self.kept();
        (k.files.len(), k.bytes)
    }

    /// Files read from the store since start.
    pub fn fetched(&self) -> u64 {
        self.fetched.load(Ordering::Relaxed)
    }

    fn kept(&self) -> MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Lists the folder (oldest modified first, as the first order of use), removes what an
    /// interrupted write left, then trims it to the bound. Run at start, after the folder's
    /// files were copied into the store (`MediaLibrary::store_folder_files`), so trimming
    /// loses nothing.
    pub async fn load(&self) -> Result<usize> {
        let dir = self.dir.clone();
        let found = tokio::task::spawn_blocking(move || scan(&dir))
            .await
            .map_err(|e| Error::Internal(format!("media folder scan: {e}")))??;
        let n = found.len();
        {
            let mut k = self.kept();
            for (name, bytes) in found {
                k.add(&name, bytes);
            }
        }
        self.trim(None).await;
        Ok(n)
    }

    /// A file was served from the folder: it is now the most recently used.
    pub fn touch(&self, name: &str) {
        let mut k = self.kept();
        k.clock += 1;
        let now = k.clock;
        if let Some(e) = k.files.get_mut(name) {
            e.used = now;
        }
    }

    /// Makes sure the file `name` is in the folder, reading it from the store when it is
    /// not: true once it is there, false when the store has no such file (or the name is
    /// not one the library gives). The store away is `Error::Unavailable`.
    pub async fn fill(&self, name: &str) -> Result<bool> {
        if !plain_name(name) {
            return Ok(false);
        }
        let lock = {
            let mut filling = self.filling.lock().unwrap_or_else(|p| p.into_inner());
            filling.entry(name.to_owned()).or_default().clone()
        };
        let result = {
            let _turn = lock.lock().await;
            self.fill_now(name).await
        };
        let mut filling = self.filling.lock().unwrap_or_else(|p| p.into_inner());
        // The map's reference and ours: no one else waits for this name.
        if filling.get(name).is_some_and(|l| Arc::strong_count(l) <= 2) {
            filling.remove(name);
        }
        result
    }

    async fn fill_now(&self, name: &str) -> Result<bool> {
        let path = self.dir.join(name);
        if let Ok(m) = tokio::fs::metadata(&path).await {
            // Written by whoever had the turn before us (or by an older cong).
            let mut k = self.kept();
            if !k.files.contains_key(name) {
                k.add(name, m.len());
            }
            return Ok(true);
        }
        let bytes = {
            let _permit = self
                .fetches
                .acquire()
                .await
                .map_err(|e| Error::Internal(e.to_string()))?;
            self.fetched.fetch_add(1, Ordering::Relaxed);
            self.store.media_files().get(name).await?
        };
        let Some(bytes) = bytes else {
            return Ok(false);
        };
        write_whole(&self.dir, name, &bytes).await?;
        self.kept().add(name, bytes.len() as u64);
        self.trim(Some(name)).await;
        Ok(true)
    }

    /// Past the bound, deletes the least recently used files down to nine tenths of it (so
    /// that not every new file costs a trim); `keep` is the file about to be served.
    async fn trim(&self, keep: Option<&str>) {
        if self.max_bytes == 0 {
            return;
        }
        let victims = {
            let mut k = self.kept();
            if k.bytes <= self.max_bytes {
                return;
            }
            k.evict_to(self.max_bytes / 10 * 9, keep)
        };
        let n = victims.len();
        for name in victims {
            remove(&self.dir.join(name)).await;
        }
        tracing::debug!(files = n, "media cache trimmed");
    }

    /// Deletes this node's copies of `names`.
    pub async fn remove(&self, names: &[String]) {
        for name in names.iter().filter(|n| plain_name(n)) {
            self.kept().forget(name);
            remove(&self.dir.join(name)).await;
        }
    }

    /// Deletes the copies whose stored file is gone (an image deleted through any node);
    /// returns how many.
    pub async fn drop_unstored(&self) -> Result<usize> {
        let names: Vec<String> = self.kept().files.keys().cloned().collect();
        let stored = self.store.media_files().stored(&names).await?;
        let gone: Vec<String> = names.into_iter().filter(|n| !stored.contains(n)).collect();
        self.remove(&gone).await;
        Ok(gone.len())
    }
}

/// The folder's media files with their sizes, oldest modified first; leftovers of an
/// interrupted write (`.{name}.part`) are deleted. A missing folder is created.
fn scan(dir: &Path) -> Result<Vec<(String, u64)>> {
    let io = |e: std::io::Error| Error::Internal(format!("media folder {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        if name.starts_with('.') && name.ends_with(".part") {
            let _ = std::fs::remove_file(entry.path());
            continue;
        }
        if plain_name(&name) {
            let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
            found.push((modified, name, meta.len()));
        }
    }
    found.sort();
    Ok(found.into_iter().map(|(_, n, len)| (n, len)).collect())
}

/// Writes a file whole or not at all (a temporary name, then a rename): a reader on this or
/// another request never sees half of it.
async fn write_whole(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    let io = |e: std::io::Error| Error::Internal(format!("cannot write {}: {e}", path.display()));
    tokio::fs::create_dir_all(dir).await.map_err(io)?;
    // Unique per write: two nodes sharing one folder, or a fetch racing an old cong's
    // upload, never write into the same temporary file.
    let tmp = dir.join(format!(".{name}.{}.part", unique()));
    if let Err(e) = tokio::fs::write(&tmp, bytes).await {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(io(e));
    }
    tokio::fs::rename(&tmp, &path).await.map_err(io)
}

fn unique() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

async fn remove(path: &Path) {
    if let Err(e) = tokio::fs::remove_file(path).await
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(file = %path.display(), error = %e, "media copy not deleted");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_go_first_and_the_file_being_served_stays() {
        let mut k = Kept::default();
        k.add("a", 40);
        k.add("b", 40);
        k.add("c", 40);
        // "a" served again: "b" is now the oldest.
        k.clock += 1;
        k.files.get_mut("a").expect("a").used = k.clock;
        assert_eq!(k.evict_to(80, None), ["b"]);
        assert_eq!(k.bytes, 80);
        assert_eq!(k.evict_to(0, Some("c")), ["a"], "c is kept");
        assert_eq!(k.bytes, 40);
        assert!(k.evict_to(40, None).is_empty());
    }

    /// Many first requests for one file at once read it from the store once; a name with no
    /// stored file, or one no media file can have, is not there.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_first_requests_read_the_store_once() {
        let dir = tempfile::tempdir().expect("dir");
        let (_db, store) = cong_store::testing::migrated_store(dir.path()).await;
        let bytes = vec![7u8; 100_000];
        let mut tx = store.begin().await.expect("tx");
        store
            .media_files()
            .insert(&mut tx, "abc.jpg", &bytes, 1)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        let cache = Arc::new(MediaCache::new(store, dir.path().join("media"), 0));
        let fills: Vec<_> = (0..20)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.fill("abc.jpg").await })
            })
            .collect();
        for f in fills {
            assert!(f.await.expect("task").expect("fill"), "there");
        }
        assert_eq!(cache.fetched(), 1, "one read of the store");
        let on_disk = std::fs::read(dir.path().join("media").join("abc.jpg")).expect("file");
        assert_eq!(on_disk, bytes);
        assert!(!cache.fill("abd.jpg").await.expect("fill"), "not stored");
        assert!(!cache.fill("../abc.jpg").await.expect("fill"), "not a name");
        assert_eq!(cache.usage(), (1, 100_000));
        assert!(
            cache.filling.lock().expect("lock").is_empty(),
            "no lock left"
        );
    }
}
