//! Bringing the store up while the database may be away: migrate, seal old secrets, seed
//! the demo if asked, load the counters and the change log's position, retrying with
//! back-off (the node answers 503 meanwhile); then the node is ready and its background
//! work runs until the stop.

use crate::services::Node;
use crate::{SharedApp, Stop, tasks};
use cong_domain::changes::ChangeFeed;
use cong_store::Store;
use std::time::Duration;

/// Brings the store up, retrying while the database is away; marks the node ready; then
/// runs the flusher, the change feed and the rest until the stop.
pub(crate) async fn bring_up_and_run(node: Node, demo: Option<Demo>, stop: Stop) {
    let mut wait = Duration::from_millis(500);
    loop {
        match bring_up(&node.app, &node.store, &node.feed, demo).await {
            Ok(()) => break,
            Err(e) => {
                let cause = match node.store.why_unreachable().await {
                    Some(why) => format!("cannot connect: {why}"),
                    None => format!("{e:#}"),
                };
                tracing::error!(
                    "database not ready ({cause}); serving 503 and retrying in {wait:?}"
                );
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = stop.wait() => return,
                }
                wait = (wait * 2).min(Duration::from_secs(10));
            }
        }
    }
    node.app.set_ready();
    tracing::info!("ready");
    tasks::run(node, stop).await;
}

/// What `serve --demo` fills an empty database with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Demo {
    /// The port the portal and its component sites answer on (`None`: one site only).
    pub(crate) sites_port: Option<u16>,
}

async fn bring_up(
    app: &SharedApp,
    store: &Store,
    feed: &ChangeFeed,
    demo: Option<Demo>,
) -> anyhow::Result<()> {
    store.migrate().await?;
    // The media folder (this node's cache of the stored files) exists from the start, so a
    // folder it cannot create shows in the log before the first reader asks for an image.
    if let Err(e) = tokio::fs::create_dir_all(&app.media_dir).await {
        tracing::warn!(folder = %app.media_dir.display(), error = %e, "media folder not created");
    }
    app.sites.load().await?;
    // An install from before sites had its address in the configuration.
    if let Some(url) = &app.public_url
        && app.sites.adopt_address(url).await?
    {
        tracing::info!(address = %url, "the first site takes the configured public address");
    }
    // Second-factor secrets kept in clear by older versions are sealed now; values whose key
    // is missing are logged with its id (and answer 503 until it is back).
    match app.auth.reseal_secrets(false).await {
        Ok(r) if r.sealed > 0 => tracing::info!(sealed = r.sealed, "secrets sealed"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "secrets not sealed"),
    }
    if let Some(demo) = demo {
        let seeded = cong_demo::seed(&app.content, &app.media_dir).await?;
        tracing::info!("{seeded}");
        let documents = cong_demo::seed_documents(&app.content, &app.documents, &app.files).await?;
        if documents > 0 {
            tracing::info!("demo content: {documents} documents in the library");
        }
        let drafts = cong_demo::seed_consultations(
            &app.content,
            &app.documents,
            &app.files,
            &app.consultations,
        )
        .await?;
        if drafts > 0 {
            tracing::info!("demo content: {drafts} drafts put out for comment");
        }
        let entries = cong_demo::seed_schedule(&app.content, &app.schedule).await?;
        if entries > 0 {
            tracing::info!("demo content: {entries} entries of the leaders' schedule");
        }
        let people = cong_demo::seed_organisation(&app.content, &app.organisation).await?;
        if people > 0 {
            tracing::info!("demo content: the organisation with {people} people");
        }
        let english = cong_demo::seed_english(&app.content).await?;
        if english > 0 {
            tracing::info!("demo content: English pages with {english} articles");
        }
        if let Some(port) = demo.sites_port
            && cong_demo::seed_sites(&app.content, &app.sites, port).await?
        {
            tracing::info!("demo content: the portal and two component sites");
        }
    }
    for site in app.sites.directory().all() {
        let address = if site.address.is_empty() {
            "(any host name)"
        } else {
            &site.address
        };
        tracing::info!(site = %site.id, name = %site.name, address, "site");
    }
    app.stats.prepare().await?;
    feed.start_from_now().await?;
    // Read again after the feed's starting point, so that a change made while this node was
    // coming up (a site given a name) is not missed: it is in what is read now, or delivered.
    app.sites.load().await?;
    // The certificates obtained so far are served before the first request.
    if let Some(tls) = &app.tls {
        tls.reload().await?;
    }
    // What is in memory now reflects every change so far.
    app.applied.send_replace(feed.last_delivered());
    app.refresh_csp().await?;
    if app.auth.count_users().await? == 0 {
        tracing::warn!(
            "no back-office account yet: create the first administrator with \
             `cong user add NAME --role admin` (it asks for the password)"
        );
    }
    Ok(())
}
