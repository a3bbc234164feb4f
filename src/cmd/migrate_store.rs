//! `cong migrate-store --from URL --to URL`: copies a whole store to another backend with a
//! progress bar, then proves the copy with a row count and checksum per table.

use crate::cli::MigrateStoreArgs;
use cong_config::{Config, DatabaseConfig};
use cong_store::Store;
use cong_store::copy::{Kind, TABLES, key_of};
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

/// Set in the target while a copy runs, so a re-run knows it may resume.
const MARKER: &str = "migrate_store.in_progress";

async fn open(config: &Config, url: &str) -> anyhow::Result<Store> {
    let cfg = DatabaseConfig {
        url: url.to_owned(),
        ..config.database.clone()
    };
    let store = Store::open(&cfg).await?;
    store
        .migrate()
        .await
        .map_err(|e| anyhow::anyhow!("cannot open or migrate {}: {e}", redact(url)))?;
    Ok(store)
}

/// The URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:…{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub async fn run(config: Config, args: MigrateStoreArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    if args.from == args.to {
        eprintln!("cong: --from and --to are the same store");
        return Ok(ExitCode::from(2));
    }
    let source = open(&config, &args.from).await?;
    let target = open(&config, &args.to).await?;
    let resuming = target
        .settings(cong_store::SiteId::FIRST)
        .find(MARKER)
        .await?
        .is_some();
    if !resuming && !target.is_empty().await? {
        if !args.force {
            eprintln!(
                "cong: the target {} already holds data; nothing was written. \
                 Use --force to delete it and copy anyway.",
                redact(&args.to)
            );
            return Ok(ExitCode::from(2));
        }
        println!("deleting what the target held (--force)");
        target.delete_all().await?;
    }
    let mut tx = target.begin().await?;
    target
        .settings(cong_store::SiteId::FIRST)
        .set(&mut tx, MARKER, "1")
        .await?;
    tx.commit().await?;
    if resuming {
        println!("resuming an interrupted copy");
    }

    let mut total = 0u64;
    for t in TABLES {
        total += u64::try_from(source.count_rows(t).await?).unwrap_or(0);
    }
    let bar = ProgressBar::new(total).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    for t in TABLES {
        bar.set_message(t.name);
        // Resume after the last row copied, where the key orders the same on both
        // databases (numbers and bytes; text may collate differently, so it starts over).
        let resumable = t.key.iter().all(|k| {
            t.columns
                .iter()
                .any(|(c, kind)| c == k && *kind != Kind::Text)
        });
        let mut after = if resuming && resumable {
            target.last_key(t).await?
        } else {
            None
        };
        if let Some(a) = &after {
            // Rows up to the resume point were copied before.
            let done = source.count_rows_upto(t, a).await?;
            bar.inc(u64::try_from(done).unwrap_or(0));
        }
        loop {
            let rows = source.read_rows(t, after.as_deref(), t.batch()).await?;
            target.write_rows(t, &rows).await?;
            bar.inc(rows.len() as u64);
            match rows.last() {
                Some(last) if rows.len() == usize::try_from(t.batch()).unwrap_or(usize::MAX) => {
                    after = Some(key_of(t, last));
                }
                _ => break,
            }
        }
    }
    bar.finish_with_message("copied");
    target.reset_id_sequences().await?;
    let mut tx = target.begin().await?;
    target
        .settings(cong_store::SiteId::FIRST)
        .delete(&mut tx, MARKER)
        .await?;
    tx.commit().await?;

    println!(
        "{:<20} {:>10} {:>10}  checksum",
        "table", "source", "target"
    );
    let mut all_equal = true;
    for t in TABLES {
        let (a, b) = (source.table_sum(t).await?, target.table_sum(t).await?);
        let same = a == b;
        all_equal &= same;
        println!(
            "{:<20} {:>10} {:>10}  {}",
            t.name,
            a.rows,
            b.rows,
            if same { "equal" } else { "DIFFERENT" }
        );
    }
    source.close().await;
    target.close().await;
    if all_equal {
        println!("verified: every table has the same rows and checksum");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("cong: the copy differs from the source (see above); the source is untouched");
        Ok(ExitCode::FAILURE)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_show() {
        assert_eq!(
            super::redact("postgres://cong:s3cret@db:5432/cong"),
            "postgres://cong:…@db:5432/cong"
        );
        assert_eq!(
            super::redact("sqlite://data/cong.db"),
            "sqlite://data/cong.db"
        );
        assert_eq!(
            super::redact("postgres://postgres@127.0.0.1/cong"),
            "postgres://postgres@127.0.0.1/cong"
        );
    }
}
