//! `cong documents import …`: many documents at once from a sheet and a folder of files.

use super::store;
use crate::cli::{DocumentsArgs, DocumentsCommand};
use cong_config::Config;
use cong_domain::SystemClock;
use cong_domain::auth::By;
use cong_domain::documents::{Documents, Source, Status};
use cong_domain::files::FileIntake;
use cong_store::SiteId;
use std::process::ExitCode;
use std::sync::Arc;

pub async fn run(mut config: Config, args: DocumentsArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    let DocumentsCommand::Import {
        sheet,
        files,
        site,
        draft,
    } = args.command;
    let bytes = std::fs::read(&sheet).map_err(|e| anyhow::anyhow!("{}: {e}", sheet.display()))?;
    let store = store::open(&mut config, &args.store).await?;
    let tz = jiff::tz::TimeZone::get(&config.site.timezone)?;
    let documents = Documents::new(store.clone(), Arc::new(SystemClock), tz);
    let intake = FileIntake::new(
        store.clone(),
        cong_node::file_limits(&config.files),
        Some(config.files.scanner.clone()),
    );
    let source = match files {
        Some(dir) => Source::Folder(dir),
        None => Source::Sent(Default::default()),
    };
    let status = if draft {
        Status::Draft
    } else {
        Status::Published
    };
    let report = documents
        .import_sheet(
            By::CommandLine,
            SiteId(site),
            &intake,
            &bytes,
            &source,
            status,
        )
        .await?;
    store.close().await;
    for added in &report.added {
        println!("added to the lists: {added}");
    }
    for (row, why) in report
        .refused
        .iter()
        .map(|(r, n, w)| (r, format!("{n}: {w}")))
    {
        println!("row {row} refused: {why}");
    }
    println!(
        "{} documents imported, {} rows refused",
        report.imported.len(),
        report.refused.len()
    );
    Ok(if report.refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
