//! Reading a backup from end to end: every entry in its place, every row decoded and summed,
//! all compared with the manifest (the last entry), and the gzip
//! stream checked to its final CRC. `verify` stops there; a restore also writes the rows (the
//! media files among them) to a store as they pass.

use super::Progress;
use super::manifest::{
    HEADER_ENTRY, Header, MANIFEST_ENTRY, MEDIA_FILES, Manifest, TABLES_DIR, media_totals,
};
use super::rows;
use crate::copy::{TABLES, TableSpec, TableSum, Value};
use crate::{Error, Result, Store};
use flate2::read::GzDecoder;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Largest header or manifest read; a table chunk is a few hundred rows.
const MAX_JSON: u64 = 256 << 20;
const MAX_CHUNK: u64 = 1 << 30;

/// What a full read of a backup found.
#[derive(Debug, Clone)]
pub struct Verified {
    pub manifest: Manifest,
    /// Rows and checksum of each table as the file's contents give them, in `TABLES` order.
    pub tables: Vec<(&'static str, TableSum)>,
    pub media_files: u64,
    pub media_bytes: u64,
    /// Every way the contents disagree with the manifest; empty for a good backup.
    pub problems: Vec<String>,
}

impl Verified {
    pub fn is_good(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Reads the whole file and checks it against its manifest, writing nothing. An error means
/// the file cannot be read as a backup at all (cut short, damaged compression, another
/// format or schema); disagreements are listed in [`Verified::problems`].
pub fn verify(path: &Path, progress: &dyn Progress) -> Result<Verified> {
    walk(path, progress, None)
}

/// Rows on their way from the reading thread to the store.
type Batch = (&'static TableSpec, Vec<Vec<Value>>);

/// Where a restore puts the rows it reads.
type Target = mpsc::Sender<Batch>;

impl Store {
    /// Restores a backup into this store, which must be migrated and empty: rows as they are
    /// read, in batches (parents first; the media files are rows too), then the id sequences
    /// moved past the restored ids. Check the file with [`verify`] first: this reads it
    /// again and reports the same problems, but has written by then.
    pub async fn restore_from(&self, path: &Path, progress: Arc<dyn Progress>) -> Result<Verified> {
        let (tx, mut rx) = mpsc::channel::<Batch>(4);
        let reader = {
            let path = path.to_owned();
            tokio::task::spawn_blocking(move || walk(&path, &*progress, Some(tx)))
        };
        let mut failed = None;
        while let Some((t, batch)) = rx.recv().await {
            if let Err(e) = self.write_rows(t, &batch).await {
                failed = Some(e);
                break;
            }
        }
        // Stops the reader at its next batch if writing failed.
        drop(rx);
        let read = reader
            .await
            .map_err(|e| Error::Backup(format!("the backup reader failed: {e}")))?;
        if let Some(e) = failed {
            return Err(e);
        }
        let verified = read?;
        self.reset_id_sequences().await?;
        Ok(verified)
    }
}

fn damaged(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Backup(format!(
        "{} cannot be read as a backup: {e} (the file is damaged or cut short)",
        path.display()
    ))
}

/// Counts compressed bytes as they are read, for the progress bar.
struct Counting<'a, R> {
    inner: R,
    progress: &'a dyn Progress,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    entry: &mut impl Read,
    size: u64,
    what: &str,
) -> Result<T> {
    if size > MAX_JSON {
        return Err(damaged(path, format!("{what} of {size} bytes")));
    }
    let mut bytes = Vec::new();
    entry
        .read_to_end(&mut bytes)
        .map_err(|e| damaged(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| damaged(path, format!("{what}: {e}")))
}

/// Where the reader is: tables come in `TABLES` order, then the manifest.
struct Place {
    table: usize,
    chunk: u32,
}

fn walk(path: &Path, progress: &dyn Progress, target: Option<Target>) -> Result<Verified> {
    let file = File::open(path).map_err(|e| Error::file("cannot open", path, e))?;
    let size = file
        .metadata()
        .map_err(|e| Error::file("cannot read", path, e))?
        .len();
    progress.stage("bytes", size);
    let counting = Counting {
        inner: BufReader::with_capacity(1 << 16, file),
        progress,
    };
    let mut archive = tar::Archive::new(GzDecoder::new(counting));
    let mut entries = archive.entries().map_err(|e| damaged(path, e))?;

    let header: Header = {
        let mut first = entries
            .next()
            .ok_or_else(|| damaged(path, "no entries"))?
            .map_err(|e| damaged(path, e))?;
        let name = entry_name(path, &first)?;
        if name != HEADER_ENTRY {
            return Err(damaged(
                path,
                format!("it starts with {name:?}, not {HEADER_ENTRY}"),
            ));
        }
        let size = first.header().size().map_err(|e| damaged(path, e))?;
        read_json(path, &mut first, size, HEADER_ENTRY)?
    };
    check_header(path, &header)?;

    let mut sums = vec![TableSum::default(); TABLES.len()];
    let (mut media_files, mut media_bytes) = (0u64, 0u64);
    let mut manifest: Option<Manifest> = None;
    let mut place = Place { table: 0, chunk: 0 };
    for entry in entries {
        let mut entry = entry.map_err(|e| damaged(path, e))?;
        let name = entry_name(path, &entry)?;
        let size = entry.header().size().map_err(|e| damaged(path, e))?;
        if manifest.is_some() {
            return Err(damaged(path, format!("{name:?} after the manifest")));
        }
        if let Some(rest) = name.strip_prefix(TABLES_DIR) {
            let (i, n) = chunk_place(rest)
                .ok_or_else(|| damaged(path, format!("unexpected entry {name:?}")))?;
            let in_order = i > place.table || (i == place.table && n > place.chunk);
            if !in_order {
                return Err(damaged(path, format!("{name:?} out of order")));
            }
            (place.table, place.chunk) = (i, n);
            if size > MAX_CHUNK {
                return Err(damaged(path, format!("{name:?} of {size} bytes")));
            }
            let mut bytes = Vec::new();
            entry
                .read_to_end(&mut bytes)
                .map_err(|e| damaged(path, e))?;
            let t = &TABLES[i];
            let decoded =
                rows::decode(t, &bytes).map_err(|e| damaged(path, format!("{name}: {e}")))?;
            for r in &decoded {
                sums[i].add(r);
            }
            if t.name == MEDIA_FILES {
                let (files, bytes) = media_totals(&decoded);
                media_files += files;
                media_bytes += bytes;
            }
            if let Some(target) = &target
                && target.blocking_send((t, decoded)).is_err()
            {
                return Err(Error::Backup("the restore stopped".to_owned()));
            }
        } else if name == MANIFEST_ENTRY {
            manifest = Some(read_json(path, &mut entry, size, MANIFEST_ENTRY)?);
        } else {
            return Err(damaged(path, format!("unexpected entry {name:?}")));
        }
    }
    let manifest = manifest.ok_or_else(|| {
        damaged(
            path,
            "it ends before its manifest, the last entry of every complete backup",
        )
    })?;
    // The gzip trailer (CRC and length of everything) is checked only at its end.
    let mut rest = archive.into_inner();
    std::io::copy(&mut rest, &mut std::io::sink()).map_err(|e| damaged(path, e))?;

    let mut problems = compare(&header, &manifest, &sums);
    if (manifest.media_files, manifest.media_bytes) != (media_files, media_bytes) {
        problems.push(format!(
            "media: the manifest says {} files of {} bytes, the file holds {media_files} of {media_bytes}",
            manifest.media_files, manifest.media_bytes
        ));
    }
    Ok(Verified {
        tables: TABLES.iter().map(|t| t.name).zip(sums).collect(),
        media_files,
        media_bytes,
        manifest,
        problems,
    })
}

fn entry_name<R: Read>(path: &Path, entry: &tar::Entry<'_, R>) -> Result<String> {
    let p = entry.path().map_err(|e| damaged(path, e))?;
    p.to_str()
        .map(str::to_owned)
        .ok_or_else(|| damaged(path, "an entry name that is not UTF-8"))
}

/// `{table}/{n}.jsonl` → (index in `TABLES`, n).
fn chunk_place(rest: &str) -> Option<(usize, u32)> {
    let (table, file) = rest.split_once('/')?;
    let n = file.strip_suffix(".jsonl")?.parse().ok()?;
    let i = TABLES.iter().position(|t| t.name == table)?;
    Some((i, n))
}

fn check_header(path: &Path, h: &Header) -> Result<()> {
    if h.format != super::manifest::FORMAT {
        return Err(damaged(path, format!("format {:?}", h.format)));
    }
    if h.format_version != super::manifest::FORMAT_VERSION {
        return Err(Error::Backup(format!(
            "{} is a backup of format {} (made by cong {}); this cong reads format {}",
            path.display(),
            h.format_version,
            h.cong_version,
            super::manifest::FORMAT_VERSION
        )));
    }
    let ours = crate::migrate::schema_version();
    if h.schema_version != ours {
        return Err(Error::Backup(format!(
            "{} holds a database of schema {} (made by cong {}); this cong has schema {ours}: \
             verify and restore it with cong {}, then upgrade",
            path.display(),
            h.schema_version,
            h.cong_version,
            h.cong_version
        )));
    }
    Ok(())
}

/// Every disagreement between what the file holds and what its manifest says.
fn compare(header: &Header, manifest: &Manifest, sums: &[TableSum]) -> Vec<String> {
    let mut problems = Vec::new();
    if &manifest.header != header {
        problems.push("the manifest and the header describe different snapshots".to_owned());
    }
    for (t, sum) in TABLES.iter().zip(sums) {
        let Some(entry) = manifest.table(t.name) else {
            problems.push(format!("table {}: not in the manifest", t.name));
            continue;
        };
        let columns: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
        if entry.columns != columns {
            problems.push(format!(
                "table {}: the manifest lists other columns",
                t.name
            ));
        }
        if !entry.matches(sum) {
            problems.push(format!(
                "table {}: the manifest says {} rows (checksum {}), the file holds {} (checksum {})",
                t.name,
                entry.rows,
                entry.checksum,
                sum.rows,
                super::manifest::hex_sum(sum.checksum)
            ));
        }
    }
    for entry in &manifest.tables {
        if !TABLES.iter().any(|t| t.name == entry.name) {
            problems.push(format!("table {}: unknown to this cong", entry.name));
        }
    }
    problems
}
