//! Writing a backup: the snapshot's rows, then the media files its rows name, into one
//! tar.gz under a temporary name that is renamed only once the manifest is written and the
//! file is on disk. Compression and file reading run on a blocking thread fed by a channel;
//! dropping the backup half-way removes the temporary file.

use super::manifest::{
    AbsentMedia, DELETED_AFTER_SNAPSHOT, HEADER_ENTRY, Header, MANIFEST_ENTRY, MEDIA_DIR, Manifest,
    MediaEntry, TableEntry, backend_name, chunk_entry, plain_file_name,
};
use super::{Progress, Snapshot, rows};
use crate::copy::{BATCH, TABLES, TableSum, key_of};
use crate::{Error, Result, Store};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;

const WRITER_STOPPED: &str = "the backup writer stopped";

/// A finished backup.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    /// Size of the file.
    pub bytes: u64,
    pub manifest: Manifest,
}

/// What the blocking writer is sent.
enum Item {
    Entry(String, Vec<u8>),
    File { name: String, file: File, len: u64 },
    Finish(Box<Manifest>),
}

/// The temporary name a backup is written under: hidden, beside the final name, so a
/// half-written file is never taken for a backup (and `verify` refuses it anyway).
pub fn part_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
    dest.with_file_name(format!(".{name}.part"))
}

impl Snapshot {
    /// Writes the backup to `dest`: every table as of the snapshot, then the media files its
    /// rows name, read from `media_dir`. A file missing there is an error naming it, unless
    /// the live store (`live`) no longer has its image: then it was deleted after the
    /// snapshot, and the manifest lists it as absent. Closes the snapshot.
    pub async fn write_to(
        mut self,
        live: &Store,
        media_dir: &Path,
        dest: &Path,
        progress: Arc<dyn Progress>,
    ) -> Result<Written> {
        let result = self.write(live, media_dir, dest, progress).await;
        self.close().await;
        result
    }

    async fn write(
        &mut self,
        live: &Store,
        media_dir: &Path,
        dest: &Path,
        progress: Arc<dyn Progress>,
    ) -> Result<Written> {
        let header = Header {
            format: super::manifest::FORMAT.to_owned(),
            format_version: super::manifest::FORMAT_VERSION,
            cong_version: env!("CARGO_PKG_VERSION").to_owned(),
            source_backend: backend_name(self.backend()).to_owned(),
            schema_version: self.schema_version,
            snapshot_at: self.taken_at.to_string(),
            last_change: self.last_change,
            flush_seq: self.flush_seq,
        };
        if self.schema_version != crate::migrate::schema_version() {
            return Err(Error::Backup(format!(
                "the database has schema {} and this cong has {}: back it up with the cong \
                 that serves it (or run `cong migrate` first)",
                self.schema_version,
                crate::migrate::schema_version()
            )));
        }
        let (tx, rx) = mpsc::channel::<Item>(8);
        let mtime = u64::try_from(self.taken_at.as_second()).unwrap_or(0);
        let sink = {
            let dest = dest.to_owned();
            let progress = progress.clone();
            tokio::task::spawn_blocking(move || write_file(rx, &dest, mtime, &*progress))
        };
        let sent = self
            .send_all(&tx, &header, live, media_dir, &*progress)
            .await;
        match sent {
            Ok(manifest) => {
                // The writer stops at a failed send; its own error says why.
                let _ = tx.send(Item::Finish(Box::new(manifest))).await;
                drop(tx);
                join(sink).await
            }
            Err(e) => {
                drop(tx);
                match sink.await {
                    // The writer failed first (a full disk…): its error is the cause.
                    Ok(Err(cause)) if e.to_string() == WRITER_STOPPED => Err(cause),
                    _ => Err(e),
                }
            }
        }
    }

    /// Sends every entry; returns the manifest without its media list (the writer adds the
    /// hashes it computes).
    async fn send_all(
        &mut self,
        tx: &mpsc::Sender<Item>,
        header: &Header,
        live: &Store,
        media_dir: &Path,
        progress: &dyn Progress,
    ) -> Result<Manifest> {
        let stopped = || Error::Backup(WRITER_STOPPED.to_owned());
        let json = serde_json::to_vec_pretty(header).map_err(|e| Error::Backup(e.to_string()))?;
        tx.send(Item::Entry(HEADER_ENTRY.to_owned(), json))
            .await
            .map_err(|_| stopped())?;

        let mut total = 0u64;
        for t in TABLES {
            total += u64::try_from(self.count_rows(t).await?).unwrap_or(0);
        }
        progress.stage("rows", total);
        let mut tables = Vec::with_capacity(TABLES.len());
        for t in TABLES {
            let mut sum = TableSum::default();
            let mut after = None;
            let mut n = 0u32;
            loop {
                let batch = self.read_rows(t, after.as_deref(), BATCH).await?;
                if batch.is_empty() {
                    break;
                }
                for r in &batch {
                    sum.add(r);
                }
                let mut bytes = Vec::new();
                rows::encode(&batch, &mut bytes);
                n += 1;
                tx.send(Item::Entry(chunk_entry(t.name, n), bytes))
                    .await
                    .map_err(|_| stopped())?;
                progress.advance(batch.len() as u64);
                if batch.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
                    break;
                }
                after = batch.last().map(|last| key_of(t, last));
            }
            let columns = t.columns.iter().map(|(c, _)| (*c).to_owned()).collect();
            tables.push(TableEntry::new(t.name, columns, sum));
        }

        // (hash, file) once each, checked before any is read.
        let mut names: Vec<(String, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for image in self.media_files().await? {
            for name in image.files {
                if !plain_file_name(&name) {
                    return Err(Error::Backup(format!(
                        "the media row of {} names the file {name:?}, which is not a plain file name",
                        image.hash
                    )));
                }
                if seen.insert(name.clone()) {
                    names.push((image.hash.clone(), name));
                }
            }
        }
        // Sizes for the progress bar only; each file is opened just before it is written,
        // so a site with many images never holds more than a few open at once.
        let mut total = 0;
        for (_, name) in &names {
            if let Ok(m) = tokio::fs::metadata(media_dir.join(name)).await {
                total += m.len();
            }
        }
        progress.stage("media bytes", total);
        let mut absent = Vec::new();
        for (hash, name) in names {
            match open_media(live, media_dir, &hash, &name).await? {
                Some((file, len)) => tx
                    .send(Item::File { name, file, len })
                    .await
                    .map_err(|_| stopped())?,
                None => absent.push(AbsentMedia {
                    file: name,
                    reason: DELETED_AFTER_SNAPSHOT.to_owned(),
                }),
            }
        }
        Ok(Manifest {
            header: header.clone(),
            finished_at: String::new(),
            tables,
            media: Vec::new(),
            media_absent: absent,
        })
    }
}

/// Opens a media file named by the snapshot, with its length. `None`: it is missing and the
/// live store no longer has the image (deleted after the snapshot). Missing while the live
/// store still has the image is an error naming the file: the site itself lacks it.
async fn open_media(
    live: &Store,
    media_dir: &Path,
    hash: &str,
    name: &str,
) -> Result<Option<(File, u64)>> {
    let path = media_dir.join(name);
    let open = || async {
        match tokio::fs::File::open(&path).await {
            Ok(f) => {
                let len = f
                    .metadata()
                    .await
                    .map_err(|e| Error::file("cannot read", &path, e))?
                    .len();
                Ok(Some((f.into_std().await, len)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::file("cannot read", &path, e)),
        }
    };
    if let Some(found) = open().await? {
        return Ok(Some(found));
    }
    if !live.media(crate::SiteId::FIRST).hash_listed(hash).await? {
        return Ok(None);
    }
    // Still listed: look once more (an upload of the same image may be writing it now).
    match open().await? {
        Some(found) => Ok(Some(found)),
        None => Err(Error::Backup(format!(
            "media file {name} is missing from {} although the library lists its image",
            media_dir.display()
        ))),
    }
}

async fn join(sink: tokio::task::JoinHandle<Result<Written>>) -> Result<Written> {
    sink.await
        .map_err(|e| Error::Backup(format!("the backup writer failed: {e}")))?
}

/// Removes the temporary file unless the backup was completed.
struct PartFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The blocking side: tar entries into a gzip stream into the temporary file; at `Finish`,
/// the manifest, then flush, fsync, rename, fsync the folder.
fn write_file(
    mut rx: mpsc::Receiver<Item>,
    dest: &Path,
    mtime: u64,
    progress: &dyn Progress,
) -> Result<Written> {
    let part = part_path(dest);
    let io = |what: &str| {
        let part = part.clone();
        let what = what.to_owned();
        move |e| Error::file(&what, &part, e)
    };
    let file = File::create(&part).map_err(io("cannot create"))?;
    let mut guard = PartFile {
        path: part.clone(),
        keep: false,
    };
    // Media are compressed already; the fastest level costs little size on the rows.
    let mut tar = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
    let mut media = Vec::new();
    let manifest = loop {
        match rx.blocking_recv() {
            Some(Item::Entry(name, bytes)) => {
                let mut h = header(bytes.len() as u64, mtime);
                tar.append_data(&mut h, &name, bytes.as_slice())
                    .map_err(io("cannot write"))?;
            }
            Some(Item::File { name, file, len }) => {
                let mut h = header(len, mtime);
                let mut reader = Hashing {
                    inner: file.take(len),
                    hasher: blake3::Hasher::new(),
                    read: 0,
                    progress,
                };
                tar.append_data(&mut h, format!("{MEDIA_DIR}{name}"), &mut reader)
                    .map_err(io("cannot write"))?;
                if reader.read != len {
                    return Err(Error::Backup(format!(
                        "media file {name} changed size while it was read"
                    )));
                }
                media.push(MediaEntry {
                    file: name,
                    bytes: len,
                    blake3: reader.hasher.finalize().to_hex().to_string(),
                });
            }
            Some(Item::Finish(m)) => break *m,
            // The sender went away: the backup was stopped or failed; the guard removes
            // the file.
            None => return Err(Error::Backup("the backup was stopped".to_owned())),
        }
    };
    let manifest = Manifest {
        finished_at: jiff::Timestamp::now().to_string(),
        media,
        ..manifest
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Backup(e.to_string()))?;
    let mut h = header(json.len() as u64, mtime);
    tar.append_data(&mut h, MANIFEST_ENTRY, json.as_slice())
        .map_err(io("cannot write"))?;
    let gz = tar.into_inner().map_err(io("cannot write"))?;
    let mut file = gz.finish().map_err(io("cannot write"))?;
    file.flush().map_err(io("cannot write"))?;
    file.sync_all().map_err(io("cannot write"))?;
    let bytes = file.metadata().map_err(io("cannot read"))?.len();
    drop(file);
    std::fs::rename(&part, dest).map_err(|e| Error::file("cannot rename to", dest, e))?;
    guard.keep = true;
    // The rename itself is durable once the folder is synced.
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(Written {
        path: dest.to_owned(),
        bytes,
        manifest,
    })
}

fn header(size: u64, mtime: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(mtime);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

/// A reader that hashes and counts what passes through, and reports progress.
struct Hashing<'a, R> {
    inner: R,
    hasher: blake3::Hasher,
    read: u64,
    progress: &'a dyn Progress,
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        self.progress.advance(n as u64);
        Ok(n)
    }
}
