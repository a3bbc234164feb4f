//! `cong restore FILE --to URL`: checks the backup through, then fills an empty store
//! (migrated first) and the media folder from it, and proves the result table by table.

use super::backup::{Bar, print_tables, size, verify_file};
use super::migrate_store::redact;
use crate::cli::RestoreArgs;
use cong_config::{Config, DatabaseConfig};
use cong_store::Store;
use std::process::ExitCode;
use std::sync::Arc;

pub async fn run(config: Config, args: RestoreArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    // A damaged file is refused before anything is written.
    let checked = match verify_file(&args.file).await {
        Ok(v) => v,
        Err(e) => {
            eprintln!("cong: {e}; nothing was restored");
            return Ok(ExitCode::FAILURE);
        }
    };
    if !checked.is_good() {
        print_tables(&checked);
        eprintln!(
            "cong: {} does not match its manifest; nothing was restored:",
            args.file.display()
        );
        for p in &checked.problems {
            eprintln!("  {p}");
        }
        return Ok(ExitCode::FAILURE);
    }
    let m = &checked.manifest;
    println!(
        "backup of {} from {} (cong {}): checked",
        m.header.snapshot_at, m.header.source_backend, m.header.cong_version
    );

    let target = Store::open(&DatabaseConfig {
        url: args.to.clone(),
        ..config.database.clone()
    })
    .await?;
    target
        .migrate()
        .await
        .map_err(|e| anyhow::anyhow!("cannot open or migrate {}: {e}", redact(&args.to)))?;
    if !target.is_empty().await? {
        if !args.force {
            eprintln!(
                "cong: the target {} already holds data; nothing was written. \
                 Use --force to delete it and restore anyway.",
                redact(&args.to)
            );
            return Ok(ExitCode::from(2));
        }
        println!("deleting what the target held (--force)");
        target.delete_all().await?;
    }
    let bar = Bar::new();
    let restored = target.restore_from(&args.file, Arc::new(bar.clone())).await;
    bar.0.finish_and_clear();
    let restored = restored?;

    println!(
        "{:<20} {:>10} {:>10}  checksum",
        "table", "backup", "restored"
    );
    let mut all_equal = restored.is_good();
    for t in cong_store::copy::TABLES {
        let sum = target.table_sum(t).await?;
        let entry = m.table(t.name);
        let same = entry.is_some_and(|e| e.matches(&sum));
        all_equal &= same;
        println!(
            "{:<20} {:>10} {:>10}  {}",
            t.name,
            entry.map_or(0, |e| e.rows),
            sum.rows,
            if same { "equal" } else { "DIFFERENT" }
        );
    }
    println!(
        "media: {} files, {} (in the store; each node's media folder fills from it)",
        restored.media_files,
        size(restored.media_bytes)
    );
    target.close().await;
    if all_equal {
        println!("verified: every table has the rows and checksum of the backup");
        println!(
            "next: a node that kept a search index from before runs `cong reindex` (or loses \
             site.search_dir) before it serves this store"
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &restored.problems {
            eprintln!("  {p}");
        }
        eprintln!("cong: the restored store differs from the backup (see above)");
        Ok(ExitCode::FAILURE)
    }
}
