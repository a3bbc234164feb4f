//! `cong serve`: listen at once, bring the store up (migrate, seed the demo if asked, load the
//! counters) retrying while the database is away, then count and follow changes; on SIGINT
//! or SIGTERM stop accepting, finish requests, flush the counters.

use super::store;
use crate::cli::ServeArgs;
use cong_config::Config;
use cong_domain::auth::Auth;
use cong_domain::changes::{ChangeFeed, Event};
use cong_domain::editorial::Editorial;
use cong_domain::media::MediaLibrary;
use cong_domain::search::{Opened, Search};
use cong_domain::secrets::Secrets;
use cong_domain::stats::{Calendar, Stats};
use cong_domain::{Clock, SystemClock, content::Content};
use cong_render::Renderer;
use cong_store::Store;
use cong_web::App;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use tokio::sync::watch;

fn to_std(d: jiff::SignedDuration) -> Duration {
    Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(0))
}

/// The limits each connection is served under; the connection cap is kept below the
/// open-file limit (raised to its hard limit first), with room for the database and files.
fn connection_limits(config: &Config) -> cong_web::Limits {
    let wanted = usize::try_from(config.server.max_connections).unwrap_or(usize::MAX);
    let files = match cong_web::raise_open_files_limit() {
        Ok(n) => usize::try_from(n).unwrap_or(usize::MAX),
        Err(e) => {
            tracing::warn!(error = %e, "open-file limit not raised");
            1024
        }
    };
    let room = files.saturating_sub(256).max(64);
    if wanted > room {
        tracing::warn!(
            max_connections = wanted,
            open_files = files,
            "server.max_connections lowered to {room} to stay within the open-file limit"
        );
    }
    cong_web::Limits {
        header_timeout: to_std(config.server.header_timeout),
        max_connections: wanted.min(room),
        max_per_client: usize::try_from(config.server.max_connections_per_client)
            .unwrap_or(usize::MAX),
    }
}

/// The metrics recorder, installed when `/metrics` is on (a listener or a token is set).
fn metrics_recorder(config: &Config) -> anyhow::Result<Option<cong_web::metrics::Metrics>> {
    if config.metrics.listen.is_empty() && config.metrics.token.is_none() {
        return Ok(None);
    }
    let m = cong_web::metrics::Metrics::install()
        .map_err(|e| anyhow::anyhow!("metrics not started: {e}"))?;
    Ok(Some(m))
}

/// Resolves when `rx` says stop.
async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

pub async fn run(mut config: Config, args: ServeArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    if !args.listen.is_empty() {
        config.server.listen = args.listen.clone();
    }
    if let Some(url) = &args.store.database {
        config.database.url.clone_from(url);
    }
    let addrs = config
        .server
        .listen
        .iter()
        .map(|a| a.parse::<SocketAddr>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("bad listen address: {e}"))?;

    let store = Store::open(&config.database).await?;
    let secrets = Arc::new(Secrets::load(&config.secrets)?);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let content = Content::new(store.clone(), config.listing.clone(), clock.clone());
    let calendar = Calendar::named(&config.site.timezone)?;
    let stats = Arc::new(Stats::new(
        store.clone(),
        &config.stats,
        calendar.clone(),
        config.server.trusted_proxies.clone(),
        clock.clone(),
    )?);
    let feed = Arc::new(ChangeFeed::new(store.clone()));
    let (search, opened) = Search::open(
        std::path::Path::new(&config.site.search_dir),
        store.clone(),
        clock.clone(),
        config.listing.search_page_size,
    )?;
    let renderer = Renderer::new(config.site.theme_dir.as_ref().map(PathBuf::from))?;
    let media = MediaLibrary::new(
        store.clone(),
        PathBuf::from(&config.site.media_dir),
        cong_media::Limits {
            max_bytes: config.media.max_bytes,
            max_pixels: config.media.max_pixels,
        },
    );
    let app = Arc::new(App {
        content: content.clone(),
        auth: Auth::new(store.clone(), config.auth.clone(), secrets, clock.clone()),
        editorial: Editorial::new(store.clone(), clock.clone()),
        media,
        search,
        trusted_proxies: config.server.trusted_proxies.clone(),
        public_url: config
            .server
            .public_url
            .as_deref()
            .map(|u| u.trim_end_matches('/').to_owned()),
        stats: stats.clone(),
        renderer,
        tz: calendar.time_zone().clone(),
        media_dir: PathBuf::from(&config.site.media_dir),
        max_uri_bytes: usize::try_from(config.server.max_uri_bytes).unwrap_or(2048),
        in_flight: (config.server.max_in_flight > 0).then(|| {
            tokio::sync::Semaphore::new(
                usize::try_from(config.server.max_in_flight).unwrap_or(usize::MAX),
            )
        }),
        request_timeout: to_std(config.server.request_timeout),
        ready: AtomicBool::new(false),
        csp: cong_web::headers::initial_policy(),
        cache: cong_web::cache::PageCache::new(&config.cache),
        feed: feed.clone(),
        applied: watch::channel(0).0,
        connections: Arc::default(),
        metrics: metrics_recorder(&config)?,
        metrics_token: config.metrics.token.as_ref().map(|t| t.expose().to_owned()),
        backups: Arc::default(),
    });

    let listeners = cong_web::bind(&addrs)?;
    for addr in listeners.local_addrs() {
        let both = addr.ip().is_unspecified() && addr.is_ipv6();
        println!(
            "cong listening on http://{addr}{}",
            if both { " (IPv4 and IPv6)" } else { "" }
        );
    }
    if let Some(port) = listeners.local_addrs().first().map(SocketAddr::port) {
        println!("open http://localhost:{port}/ in a browser; stop with Ctrl+C");
    }

    let (stop_tx, stop_rx) = watch::channel(false);
    if !config.metrics.listen.is_empty() {
        let addr: SocketAddr = config
            .metrics
            .listen
            .parse()
            .map_err(|e| anyhow::anyhow!("bad metrics.listen: {e}"))?;
        let listener = cong_web::bind(&[addr])?;
        for a in listener.local_addrs() {
            println!("cong metrics on http://{a}/metrics");
        }
        tokio::spawn(cong_web::serve(
            listener,
            cong_web::metrics::router(app.clone()),
            cong_web::Limits {
                header_timeout: Duration::from_secs(10),
                max_connections: 16,
                max_per_client: 0,
            },
            cong_web::Clients::default(),
            Arc::default(),
            stopped(stop_rx.clone()),
        ));
    }
    let server = tokio::spawn(cong_web::serve(
        listeners,
        cong_web::router(app.clone()),
        connection_limits(&config),
        cong_web::Clients::new(config.server.trusted_proxies.clone()),
        app.connections.clone(),
        stopped(stop_rx.clone()),
    ));
    tokio::spawn(super::backup::scheduled(
        &config,
        &store,
        &app,
        stopped(stop_rx.clone()),
    ));
    let demo = args.demo || config.site.demo_content;
    let workers = tokio::spawn(bring_up_and_run(
        app.clone(),
        store.clone(),
        feed,
        demo,
        opened,
        config.database.changes_keep,
        stop_rx,
    ));

    shutdown_signal().await;
    tracing::info!("stopping: finishing requests in flight");
    let _ = stop_tx.send(true);
    let grace = to_std(config.server.shutdown_grace);
    match tokio::time::timeout(grace, server).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => tracing::error!(error = %e, "server error"),
        Ok(Err(e)) => tracing::error!(error = %e, "server task failed"),
        Err(_) => tracing::warn!("requests still running after {grace:?}; stopping anyway"),
    }
    // The flusher saw the same signal; its last flush writes what is left.
    if let Err(e) = workers.await {
        tracing::error!(error = %e, "background work failed");
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Migrates, seeds and loads the counters, retrying while the database is away; then marks
/// the node ready and runs the flusher and the change feed until stop.
async fn bring_up_and_run(
    app: Arc<App>,
    store: Store,
    feed: Arc<ChangeFeed>,
    demo: bool,
    opened: Opened,
    changes_keep: jiff::SignedDuration,
    stop: watch::Receiver<bool>,
) {
    let mut wait = Duration::from_millis(500);
    loop {
        match bring_up(&app, &store, &feed, demo).await {
            Ok(()) => break,
            Err(e) => {
                let cause = match store.why_unreachable().await {
                    Some(why) => format!("cannot connect: {why}"),
                    None => format!("{e:#}"),
                };
                tracing::error!(
                    "database not ready ({cause}); serving 503 and retrying in {wait:?}"
                );
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = stopped(stop.clone()) => return,
                }
                wait = (wait * 2).min(Duration::from_secs(10));
            }
        }
    }
    app.set_ready();
    tracing::info!("ready");
    // The index follows the store: rebuilt in the background when missing or damaged (the
    // site serves meanwhile; the search page says the index is being built), else brought
    // up to date with what changed while this node was stopped.
    let search = app.search.clone();
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

    // Other nodes' flushes refresh this node's widget at once.
    let mut events = feed.subscribe();
    let stats = app.stats.clone();
    let follower_app = app.clone();
    let follower = tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(Event::StatsFlushed) => stats.on_remote_flush().await,
                Ok(Event::Changed(c)) => {
                    follower_app.follow(&c).await;
                    if let Err(e) = follower_app.search.apply(&c).await {
                        tracing::warn!(error = %e, change = c.id, "search index not updated");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    // Changes were missed: the marker still says where the index stands.
                    tracing::warn!(missed = n, "change feed lagged; search index catching up");
                    follower_app.follow_lost().await;
                    if let Err(e) = follower_app.search.catch_up().await {
                        tracing::warn!(error = %e, "search index not caught up");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
    let schedule_app = app.clone();
    let schedule = tokio::spawn(async move { schedule_app.follow_schedule().await });
    let upkeep = cong_domain::upkeep::Upkeep {
        store: store.clone(),
        auth: app.auth.clone(),
        search: app.search.clone(),
        clock: Arc::new(SystemClock),
        changes_keep: changes_keep.as_secs(),
    };
    let upkeep = tokio::spawn(upkeep.run(stopped(stop.clone())));
    let feed_task = tokio::spawn(feed.clone().run(stopped(stop.clone())));
    let announcer = store.clone();
    app.stats
        .clone()
        .run(stopped(stop), move || {
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
    follower.abort();
    schedule.abort();
    indexer.abort();
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

async fn bring_up(app: &App, store: &Store, feed: &ChangeFeed, demo: bool) -> anyhow::Result<()> {
    store.migrate().await?;
    // Second-factor secrets kept in clear by older versions are sealed now; values whose key
    // is missing are logged with its id (and answer 503 until it is back).
    match app.auth.reseal_secrets(false).await {
        Ok(r) if r.sealed > 0 => tracing::info!(sealed = r.sealed, "secrets sealed"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "secrets not sealed"),
    }
    if demo {
        let seeded = cong_demo::seed(&app.content, &app.media_dir).await?;
        tracing::info!("{}", store::describe(seeded));
    }
    app.stats.prepare().await?;
    feed.start_from_now().await?;
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

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
