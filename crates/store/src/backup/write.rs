//! Writing a backup: the snapshot's rows (the media files among them), into one
//! tar.gz under a temporary name that is renamed only once the manifest is written and the
//! file is on disk. Compression runs on a blocking thread fed by a channel;
//! dropping the backup half-way removes the temporary file.

use super::manifest::{
    HEADER_ENTRY, Header, MANIFEST_ENTRY, MEDIA_FILES, Manifest, TableEntry, backend_name,
    chunk_entry, media_totals,
};
use super::{Progress, Snapshot, rows};
use crate::copy::{TABLES, TableSum, key_of};
use crate::{Error, Result};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::fs::File;
use std::io::Write;
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
    /// Writes the backup to `dest`: every table as of the snapshot, the media files with
    /// them (`media_files`, so the files are those of the same moment as the rows that name
    /// them). Closes the snapshot.
    pub async fn write_to(mut self, dest: &Path, progress: Arc<dyn Progress>) -> Result<Written> {
        let result = self.write(dest, progress).await;
        self.close().await;
        result
    }

    async fn write(&mut self, dest: &Path, progress: Arc<dyn Progress>) -> Result<Written> {
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
            tokio::task::spawn_blocking(move || write_file(rx, &dest, mtime))
        };
        let sent = self.send_all(&tx, &header, &*progress).await;
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

    /// Sends every entry; returns the manifest.
    async fn send_all(
        &mut self,
        tx: &mpsc::Sender<Item>,
        header: &Header,
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
        let (mut media_files, mut media_bytes) = (0u64, 0u64);
        for t in TABLES {
            let mut sum = TableSum::default();
            let mut after = None;
            let mut n = 0u32;
            loop {
                let batch = self.read_rows(t, after.as_deref(), t.batch()).await?;
                if batch.is_empty() {
                    break;
                }
                for r in &batch {
                    sum.add(r);
                }
                if t.name == MEDIA_FILES {
                    let (files, bytes) = media_totals(&batch);
                    media_files += files;
                    media_bytes += bytes;
                }
                let mut bytes = Vec::new();
                rows::encode(&batch, &mut bytes);
                n += 1;
                tx.send(Item::Entry(chunk_entry(t.name, n), bytes))
                    .await
                    .map_err(|_| stopped())?;
                progress.advance(batch.len() as u64);
                if batch.len() < usize::try_from(t.batch()).unwrap_or(usize::MAX) {
                    break;
                }
                after = batch.last().map(|last| key_of(t, last));
            }
            let columns = t.columns.iter().map(|(c, _)| (*c).to_owned()).collect();
            tables.push(TableEntry::new(t.name, columns, sum));
        }

        Ok(Manifest {
            header: header.clone(),
            finished_at: String::new(),
            tables,
            media_files,
            media_bytes,
        })
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
fn write_file(mut rx: mpsc::Receiver<Item>, dest: &Path, mtime: u64) -> Result<Written> {
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
    let manifest = loop {
        match rx.blocking_recv() {
            Some(Item::Entry(name, bytes)) => {
                let mut h = header(bytes.len() as u64, mtime);
                tar.append_data(&mut h, &name, bytes.as_slice())
                    .map_err(io("cannot write"))?;
            }
            Some(Item::Finish(m)) => break *m,
            // The sender went away: the backup was stopped or failed; the guard removes
            // the file.
            None => return Err(Error::Backup("the backup was stopped".to_owned())),
        }
    };
    let manifest = Manifest {
        finished_at: jiff::Timestamp::now().to_string(),
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
