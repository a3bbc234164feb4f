//! Reading a backup from end to end: every entry in its place, every row decoded and summed,
//! every media file hashed, all compared with the manifest (the last entry), and the gzip
//! stream checked to its final CRC. `verify` stops there; a restore also writes the rows to a
//! store and the files to a media folder as they pass.

use super::Progress;
use super::manifest::{
    HEADER_ENTRY, Header, MANIFEST_ENTRY, MEDIA_DIR, Manifest, MediaEntry, TABLES_DIR,
    plain_file_name,
};
use super::rows;
use crate::copy::{TABLES, TableSpec, TableSum, Value};
use crate::{Error, Result, Store};
use flate2::read::GzDecoder;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
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

/// Where a restore puts what it reads.
struct Target<'a> {
    media_dir: &'a Path,
    rows: mpsc::Sender<Batch>,
}

impl Store {
    /// Restores a backup into this store, which must be migrated and empty, and its media
    /// files into `media_dir`: rows as they are read, in batches (parents first), then the
    /// id sequences moved past the restored ids. Check the file with [`verify`] first: this
    /// reads it again and reports the same problems, but has written by then.
    pub async fn restore_from(
        &self,
        path: &Path,
        media_dir: &Path,
        progress: Arc<dyn Progress>,
    ) -> Result<Verified> {
        std::fs::create_dir_all(media_dir)
            .map_err(|e| Error::file("cannot create", media_dir, e))?;
        let (tx, mut rx) = mpsc::channel::<Batch>(4);
        let reader = {
            let (path, media_dir) = (path.to_owned(), media_dir.to_owned());
            tokio::task::spawn_blocking(move || {
                let target = Target {
                    media_dir: &media_dir,
                    rows: tx,
                };
                walk(&path, &*progress, Some(target))
            })
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

/// Where the reader is: tables come in `TABLES` order, then media, then the manifest.
struct Place {
    table: usize,
    chunk: u32,
    in_media: bool,
}

fn walk(path: &Path, progress: &dyn Progress, target: Option<Target<'_>>) -> Result<Verified> {
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
    let mut media: BTreeMap<String, MediaEntry> = BTreeMap::new();
    let mut manifest: Option<Manifest> = None;
    let mut place = Place {
        table: 0,
        chunk: 0,
        in_media: false,
    };
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
            let in_order =
                !place.in_media && (i > place.table || (i == place.table && n > place.chunk));
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
            if let Some(target) = &target
                && target.rows.blocking_send((t, decoded)).is_err()
            {
                return Err(Error::Backup("the restore stopped".to_owned()));
            }
        } else if let Some(file) = name.strip_prefix(MEDIA_DIR) {
            place.in_media = true;
            if !plain_file_name(file) || media.contains_key(file) {
                return Err(damaged(path, format!("unexpected media entry {name:?}")));
            }
            let dir = target.as_ref().map(|t| t.media_dir);
            let hashed = copy_media(path, &mut entry, file, dir)?;
            media.insert(file.to_owned(), hashed);
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

    let problems = compare(&header, &manifest, &sums, &media);
    Ok(Verified {
        tables: TABLES.iter().map(|t| t.name).zip(sums).collect(),
        media_files: media.len() as u64,
        media_bytes: media.values().map(|m| m.bytes).sum(),
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

/// Hashes a media entry, and when restoring writes it under a temporary name renamed once
/// complete (the library's own rule: a file is whole or absent).
fn copy_media(
    path: &Path,
    entry: &mut impl Read,
    file: &str,
    dir: Option<&Path>,
) -> Result<MediaEntry> {
    let mut out = match dir {
        Some(d) => {
            let tmp = d.join(format!(".{file}.part"));
            let f = File::create(&tmp).map_err(|e| Error::file("cannot create", &tmp, e))?;
            Some((f, tmp, d.join(file)))
        }
        None => None,
    };
    let mut hasher = blake3::Hasher::new();
    let mut bytes = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    let copied = loop {
        let n = match entry.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) => break Err(damaged(path, e)),
        };
        hasher.update(&buf[..n]);
        bytes += n as u64;
        if let Some((f, tmp, _)) = &mut out
            && let Err(e) = f.write_all(&buf[..n])
        {
            break Err(Error::file("cannot write", tmp, e));
        }
    };
    if let Some((f, tmp, dest)) = out {
        let done = copied.and_then(|()| finish_file(f, &tmp, &dest));
        if done.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        done?;
    } else {
        copied?;
    }
    Ok(MediaEntry {
        file: file.to_owned(),
        bytes,
        blake3: hasher.finalize().to_hex().to_string(),
    })
}

fn finish_file(f: File, tmp: &Path, dest: &Path) -> Result<()> {
    f.sync_all()
        .map_err(|e| Error::file("cannot write", tmp, e))?;
    drop(f);
    std::fs::rename(tmp, dest).map_err(|e| Error::file("cannot rename to", dest, e))
}

/// Every disagreement between what the file holds and what its manifest says.
fn compare(
    header: &Header,
    manifest: &Manifest,
    sums: &[TableSum],
    media: &BTreeMap<String, MediaEntry>,
) -> Vec<String> {
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
    let listed: BTreeMap<&str, &MediaEntry> = manifest
        .media
        .iter()
        .map(|m| (m.file.as_str(), m))
        .collect();
    for (name, found) in media {
        match listed.get(name.as_str()) {
            Some(m) if *m == found => {}
            Some(_) => problems.push(format!("media {name}: its hash or size differs")),
            None => problems.push(format!("media {name}: not in the manifest")),
        }
    }
    for name in listed.keys() {
        if !media.contains_key(*name) {
            problems.push(format!("media {name}: in the manifest, not in the file"));
        }
    }
    problems
}
