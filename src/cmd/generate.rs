//! `cong generate N`: adds N generated Vietnamese articles over the demo sections (for
//! benchmarks and load tests), with a progress bar.

use crate::cli::GenerateArgs;
use cong_config::Config;
use cong_domain::SystemClock;
use cong_domain::content::Content;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

pub async fn run(mut config: Config, args: GenerateArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    let store = super::store::open(&mut config, &args.store).await?;
    let content = Content::new(store.clone(), config.listing.clone(), Arc::new(SystemClock));
    let bar = ProgressBar::new(args.count).with_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} articles  {per_sec}  {elapsed_precise} (eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    let started = Instant::now();
    let written = cong_demo::generate(
        &content,
        config.site.media_dir.as_ref(),
        args.count,
        args.sites,
        move |n| shown.set_position(n),
    )
    .await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "generated {written} articles in {secs:.1} s ({:.0} a second); {} articles in all. \
         Running nodes rebuild their search index; `cong reindex` does it for a stopped one.",
        written as f64 / secs.max(1e-9),
        store.articles().count().await?
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
