//! `cong reindex`: rebuilds this node's search index from the store, with a progress bar.

use crate::cli::StoreArgs;
use cong_config::Config;
use cong_domain::SystemClock;
use cong_domain::search::{Opened, Search};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

pub async fn run(mut config: Config, args: StoreArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    let store = super::store::open(&mut config, &args).await?;
    let dir = Path::new(&config.site.search_dir);
    // A running `cong serve` holds the index: that is a clear error here, not a wait.
    let (search, opened) = Search::open(
        dir,
        store.clone(),
        Arc::new(SystemClock),
        config.listing.search_page_size,
    )?;
    if let Opened::Recreated { reason } = &opened {
        println!(
            "the index in {} was unusable ({reason}); rebuilding",
            dir.display()
        );
    }
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} articles  {elapsed_precise}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    let started = Instant::now();
    let indexed = search
        .rebuild(move |done, total| {
            shown.set_length(total);
            shown.set_position(done);
        })
        .await?;
    bar.finish_and_clear();
    println!(
        "search index rebuilt in {}: {indexed} articles, documents and questions in {:.1?}",
        dir.display(),
        started.elapsed()
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
