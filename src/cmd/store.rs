//! `cong migrate` and `cong demo`: database chores without serving.

use crate::cli::StoreArgs;
use cong_config::Config;
use cong_domain::SystemClock;
use cong_domain::content::Content;
use cong_store::Store;
use std::process::ExitCode;
use std::sync::Arc;

/// Opens the store named by the arguments or the configuration, migrated.
pub async fn open(config: &mut Config, args: &StoreArgs) -> anyhow::Result<Store> {
    if let Some(url) = &args.database {
        config.database.url.clone_from(url);
    }
    let store = Store::open(&config.database).await?;
    store.migrate().await?;
    Ok(store)
}

pub async fn migrate(mut config: Config, args: StoreArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    open(&mut config, &args).await?.close().await;
    println!("database is up to date");
    Ok(ExitCode::SUCCESS)
}

pub async fn demo(mut config: Config, args: StoreArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    let store = open(&mut config, &args).await?;
    let content = Content::new(store.clone(), config.listing.clone(), Arc::new(SystemClock));
    let seeded = cong_demo::seed(&content, config.site.media_dir.as_ref()).await?;
    println!("{seeded}");
    let tz = jiff::tz::TimeZone::get(&config.site.timezone)?;
    let documents =
        cong_domain::documents::Documents::new(store.clone(), Arc::new(SystemClock), tz.clone());
    let files = cong_domain::files::FileIntake::new(
        store.clone(),
        cong_node::file_limits(&config.files),
        None,
    );
    let n = cong_demo::seed_documents(&content, &documents, &files).await?;
    println!("demo documents: {n} added");
    let consultations = cong_domain::consultations::Consultations::new(
        store.clone(),
        Arc::new(SystemClock),
        tz.clone(),
    );
    let n = cong_demo::seed_consultations(&content, &documents, &files, &consultations).await?;
    println!("demo consultations: {n} added");
    let schedule =
        cong_domain::schedule::Schedule::new(store.clone(), Arc::new(SystemClock), tz.clone());
    let n = cong_demo::seed_schedule(&content, &schedule).await?;
    println!("demo schedule: {n} entries added");
    let org =
        cong_domain::organisation::Organisation::new(store.clone(), Arc::new(SystemClock), tz);
    let n = cong_demo::seed_organisation(&content, &org).await?;
    println!("demo organisation: {n} people added");
    let n = cong_demo::seed_english(&content).await?;
    println!("demo English pages: {n} articles added");
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
