//! `cong backup [--to FILE]`: one consistent snapshot of the database and the media it names,
//! into one file, while the site serves; `cong backup verify FILE` reads one through.

use crate::cli::{BackupArgs, BackupCommand};
use cong_config::Config;
use cong_store::Store;
use cong_store::backup::{Progress, Verified, Written};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

pub async fn run(mut config: Config, args: BackupArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    if let Some(BackupCommand::Verify { file }) = args.command {
        return verify(&file).await;
    }
    if let Some(url) = &args.store.database {
        config.database.url.clone_from(url);
    }
    let dest = args.to.unwrap_or_else(|| {
        let name = cong_domain::backup::file_name(jiff::Timestamp::now());
        Path::new(&config.backup.folder).join(name)
    });
    // Opening a SQLite store creates a missing file: a mistyped path would back up nothing.
    let url = &config.database.url;
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        && !Path::new(path).exists()
    {
        eprintln!("cong: there is no database at {path}");
        return Ok(ExitCode::FAILURE);
    }
    // Not migrated: a backup reads the database as it is, and says so if this cong's
    // schema differs.
    let store = Store::open(&config.database).await?;
    let snapshot = store.snapshot().await?;
    let bar = Bar::new();
    let written = snapshot.write_to(&dest, Arc::new(bar.clone())).await;
    bar.0.finish_and_clear();
    store.close().await;
    let written = written?;
    print_written(&written);
    Ok(ExitCode::SUCCESS)
}

fn print_written(w: &Written) {
    let m = &w.manifest;
    let rows: i64 = m.tables.iter().map(|t| t.rows).sum();
    println!("backup written: {} ({})", w.path.display(), size(w.bytes));
    println!(
        "  snapshot at {} of {} (schema {}, cong {})",
        m.header.snapshot_at,
        m.header.source_backend,
        m.header.schema_version,
        m.header.cong_version
    );
    println!(
        "  {} tables, {rows} rows; {} media files, {}",
        m.tables.len(),
        m.media_files,
        size(m.media_bytes)
    );
}

/// Reads the file through; prints what it holds and every disagreement with its manifest.
async fn verify(file: &Path) -> anyhow::Result<ExitCode> {
    let verified = verify_file(file).await;
    let v = match verified {
        Ok(v) => v,
        Err(e) => {
            eprintln!("cong: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    print_tables(&v);
    if v.is_good() {
        println!(
            "verified: {} is a complete backup of {} ({}, cong {})",
            file.display(),
            v.manifest.header.snapshot_at,
            v.manifest.header.source_backend,
            v.manifest.header.cong_version
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("cong: {} does not match its manifest:", file.display());
        for p in &v.problems {
            eprintln!("  {p}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// A full read of the file with a progress bar, on a blocking thread.
pub async fn verify_file(file: &Path) -> anyhow::Result<Verified> {
    let bar = Bar::new();
    let path: PathBuf = file.to_owned();
    let progress = bar.clone();
    let v =
        tokio::task::spawn_blocking(move || cong_store::backup::verify(&path, &progress)).await?;
    bar.0.finish_and_clear();
    Ok(v?)
}

/// Each table as the file holds it, against the manifest.
pub fn print_tables(v: &Verified) {
    println!("{:<20} {:>10}  checksum", "table", "rows");
    for (name, sum) in &v.tables {
        let ok = v.manifest.table(name).is_some_and(|t| t.matches(sum));
        println!(
            "{name:<20} {:>10}  {}",
            sum.rows,
            if ok { "equal" } else { "DIFFERENT" }
        );
    }
    println!(
        "media: {} files, {}{}",
        v.media_files,
        size(v.media_bytes),
        if v.is_good() {
            ", as in the manifest"
        } else {
            ""
        }
    );
}

pub fn size(bytes: u64) -> String {
    // Display only: a rounding of a byte count.
    #[allow(clippy::cast_precision_loss)]
    let mb = bytes as f64 / 1_048_576.0;
    if mb >= 0.1 {
        format!("{mb:.1} MB")
    } else {
        format!("{bytes} bytes")
    }
}

/// A progress bar on the terminal (nothing is drawn when standard error is not one).
#[derive(Clone)]
pub struct Bar(pub ProgressBar);

impl Bar {
    /// Hidden until the first stage says what it counts.
    pub fn new() -> Bar {
        Bar(ProgressBar::hidden())
    }
}

impl Progress for Bar {
    fn stage(&self, what: &'static str, total: u64) {
        let template = if what.ends_with("bytes") {
            "{bar:40} {bytes}/{total_bytes}  {msg}"
        } else {
            "{bar:40} {pos}/{len} {msg}"
        };
        self.0.set_style(
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        self.0.set_message(what);
        self.0.set_length(total);
        self.0.set_position(0);
        if self.0.is_hidden() {
            self.0.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}
