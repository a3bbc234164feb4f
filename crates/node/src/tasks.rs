//! The background work of a ready node: the counter flusher, the change feed and what
//! follows it (page cache, search index, other nodes' flushes), the scheduled-article timer,
//! the search index's first catch-up, upkeep, scheduled backups, and the mail sender.

use crate::services::Node;
use crate::{SharedApp, Stop};
use cong_domain::changes::Event;
use cong_domain::search::{Opened, Search};
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

/// Runs until the stop; the flusher's last flush, after it, writes what is left.
pub(crate) async fn run(node: Node, stop: Stop) {
    let app = node.app.clone();
    // The index follows the store: rebuilt in the background when missing or damaged (the
    // site serves meanwhile; the search page says the index is being built), else brought
    // up to date with what changed while this node was stopped.
    let search = app.search.clone();
    let opened = node.opened;
    let indexer = tokio::spawn(async move { prepare_search(&search, opened).await });
    // Images stored before the library had search keys get theirs, off the way to ready.
    let media = app.media.clone();
    tokio::spawn(async move {
        match media.fill_search_keys().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(images = n, "media library search keys made"),
            Err(e) => tracing::warn!(error = %e, "media library search keys not made"),
        }
    });
    tokio::spawn(prepare_media(app.clone()));
    let follower = tokio::spawn(follow(app.clone(), node.feed.subscribe()));
    let schedule_app = app.clone();
    let schedule = tokio::spawn(async move { schedule_app.follow_schedule().await });
    let midnight_app = app.clone();
    let midnight = tokio::spawn(async move { midnight_app.follow_midnight().await });
    let upkeep = cong_domain::upkeep::Upkeep {
        store: node.store.clone(),
        auth: app.auth.clone(),
        search: app.search.clone(),
        clock: node.clock.clone(),
        changes_keep: node.changes_keep,
        trash: app.trash.clone(),
        trash_keep_days: node.trash_keep_days,
        forms: app.forms.clone(),
        privacy: app.privacy.clone(),
    };
    let upkeep = tokio::spawn(upkeep.run(stop.wait()));
    // Certificate files looked at, or certificates ordered when due.
    let tls = app
        .tls
        .clone()
        .map(|tls| tokio::spawn(tls.run(stop.wait())));
    // Queued mail sent, when mail is on (every node sends; leases keep them apart).
    let mail = node.mail.enabled.then(|| {
        let sender = cong_domain::mail::Sender::new(
            node.store.clone(),
            node.clock.clone(),
            node.mail.clone(),
        );
        tokio::spawn(sender.run(stop.wait()))
    });
    let feed_task = tokio::spawn(node.feed.clone().run(stop.wait()));
    let announcer = node.store.clone();
    app.stats
        .clone()
        .run(stop.wait(), move || {
            let store = announcer.clone();
            async move {
                if let Err(e) = store.changes().announce_flush().await {
                    tracing::debug!(error = %e, "flush not announced");
                }
            }
        })
        .await;
    let _ = feed_task.await;
    let _ = upkeep.await;
    if let Some(mail) = mail {
        let _ = mail.await;
    }
    if let Some(tls) = tls {
        tls.abort();
    }
    follower.abort();
    schedule.abort();
    midnight.abort();
    indexer.abort();
}

/// What the change feed tells this node: other nodes' flushes refresh the widget at once;
/// changes reach the page cache and the search index.
async fn follow(app: SharedApp, mut events: tokio::sync::broadcast::Receiver<Event>) {
    loop {
        match events.recv().await {
            Ok(Event::StatsFlushed) => app.stats.on_remote_flush().await,
            Ok(Event::Changed(c)) => {
                app.follow(&c).await;
                if let Err(e) = app.search.apply(&c).await {
                    tracing::warn!(error = %e, change = c.id, "search index not updated");
                }
            }
            Err(RecvError::Lagged(n)) => {
                // Changes were missed: the marker still says where the index stands.
                tracing::warn!(missed = n, "change feed lagged; search index catching up");
                app.follow_lost().await;
                if let Err(e) = app.search.catch_up().await {
                    tracing::warn!(error = %e, "search index not caught up");
                }
            }
            Err(RecvError::Closed) => break,
        }
    }
}

/// The media folder as a cache: first the files only this folder had (an install from
/// before files were stored) are copied into the store, then the folder is listed, copies
/// of files no longer stored are dropped and it is trimmed to its bound. Without the copy
/// (the database away), nothing is trimmed or dropped: the folder may hold the only copy.
async fn prepare_media(app: SharedApp) {
    match app.media.store_folder_files().await {
        Ok(done) => {
            if done.copied > 0 || done.missing > 0 {
                tracing::info!(
                    copied = done.copied,
                    missing = done.missing,
                    "media files from the folder stored in the database"
                );
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "media files from the folder not stored; the folder is not trimmed");
            return;
        }
    }
    let cache = &app.media_cache;
    match cache.load().await {
        Ok(n) => {
            let (kept, bytes) = cache.usage();
            tracing::info!(found = n, kept, bytes, "media cache ready");
        }
        Err(e) => tracing::warn!(error = %e, "media folder not listed"),
    }
    match cache.drop_unstored().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "copies of media files no longer stored dropped"),
        Err(e) => tracing::warn!(error = %e, "media copies not checked"),
    }
}

/// Rebuilds the index when [`Search::open`] found it missing, damaged or unmarked; else
/// catches up with the change log (rebuilding if even that fails).
async fn prepare_search(search: &Search, opened: Opened) {
    let rebuild = match opened {
        Opened::Existing => match search.catch_up().await {
            Ok(n) => {
                tracing::info!(articles = search.len(), refreshed = n, "search index ready");
                false
            }
            Err(e) => {
                tracing::warn!(error = %e, "search index cannot catch up; rebuilding it");
                true
            }
        },
        Opened::Created => {
            tracing::info!("no search index yet; building it");
            true
        }
        Opened::Recreated { reason } => {
            tracing::warn!(%reason, "search index unusable; rebuilding it");
            true
        }
    };
    if rebuild {
        let started = std::time::Instant::now();
        match search.rebuild(|_, _| {}).await {
            Ok(n) => tracing::info!(articles = n, took = ?started.elapsed(), "search index built"),
            Err(e) => tracing::error!(error = %e, "search index not built; run `cong reindex`"),
        }
    }
}

/// The scheduled backups (`[backup]`): once the node is ready, until the stop. Nothing
/// happens when no folder is set.
pub(crate) fn scheduled_backups(
    node: &Node,
    stop: Stop,
) -> impl std::future::Future<Output = ()> + Send + 'static {
    let app = node.app.clone();
    let scheduler = cong_domain::backup::Scheduler::new(
        &node.backup,
        node.store.clone(),
        app.tz.clone(),
        Arc::clone(&node.clock),
        app.backups.clone(),
    );
    async move {
        // The store is migrated and answering before a slot is claimed.
        while !app.is_ready() {
            tokio::select! {
                () = stop.wait() => return,
                () = tokio::time::sleep(std::time::Duration::from_millis(500)) => {}
            }
        }
        scheduler.run(stop.wait()).await;
    }
}
