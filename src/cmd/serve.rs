//! `cong serve`: open and migrate the store, seed the demo if asked, start counting, listen
//! on every address, and on SIGINT/SIGTERM stop accepting, finish requests, flush counts.

use super::store;
use crate::cli::ServeArgs;
use cong_config::Config;
use cong_domain::stats::{Calendar, Stats};
use cong_domain::{Clock, SystemClock, content::Content};
use cong_render::Renderer;
use cong_web::App;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

fn to_std(d: jiff::SignedDuration) -> Duration {
    Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(0))
}

pub async fn run(mut config: Config, args: ServeArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    if !args.listen.is_empty() {
        config.server.listen = args.listen.clone();
    }
    let addrs = config
        .server
        .listen
        .iter()
        .map(|a| a.parse::<SocketAddr>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("bad listen address: {e}"))?;

    let store = store::open(&mut config, &args.store).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let content = Content::new(store.clone(), config.listing.clone(), clock.clone());
    if args.demo || config.site.demo_content {
        let seeded = cong_demo::seed(&content, config.site.media_dir.as_ref()).await?;
        tracing::info!("{}", store::describe(seeded));
    }
    let calendar = Calendar::named(&config.site.timezone)?;
    let stats = Arc::new(
        Stats::start(
            store.clone(),
            &config.stats,
            calendar.clone(),
            config.server.trusted_proxies.clone(),
            clock.clone(),
        )
        .await?,
    );
    let renderer = Renderer::new(config.site.theme_dir.as_ref().map(PathBuf::from))?;
    let app = Arc::new(App {
        content,
        stats: stats.clone(),
        renderer,
        tz: calendar.time_zone().clone(),
        media_dir: PathBuf::from(&config.site.media_dir),
        max_uri_bytes: usize::try_from(config.server.max_uri_bytes).unwrap_or(2048),
        request_timeout: to_std(config.server.request_timeout),
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

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let flusher = {
        let mut rx = stop_rx.clone();
        tokio::spawn(stats.clone().run(async move {
            let _ = rx.wait_for(|s| *s).await;
        }))
    };
    let mut serve_rx = stop_rx.clone();
    let server = tokio::spawn(cong_web::serve(
        listeners,
        cong_web::router(app),
        async move {
            let _ = serve_rx.wait_for(|s| *s).await;
        },
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
    if let Err(e) = flusher.await {
        tracing::error!(error = %e, "stats flusher failed");
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
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
