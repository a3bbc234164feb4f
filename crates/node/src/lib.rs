//! A running cong node: the services built from the configuration ([`services`]), the
//! listeners ([`listen`]), bringing the store up while it may be away ([`bring_up`]), the
//! background work that follows changes and keeps the node tidy ([`tasks`]), and a graceful
//! stop on SIGINT or SIGTERM. `cong serve` is a call of [`run`].

mod bring_up;
mod listen;
mod services;
mod signals;
mod tasks;

use cong_config::Config;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

pub use services::file_limits;
pub use signals::shutdown_signal;

/// How the node starts, besides its configuration.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Fill an empty database with the demo content first.
    pub demo: bool,
}

pub(crate) fn to_std(d: jiff::SignedDuration) -> Duration {
    Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(0))
}

/// A stop signal every part of the node waits on.
#[derive(Clone)]
pub(crate) struct Stop(watch::Receiver<bool>);

impl Stop {
    /// Resolves when the node stops.
    pub(crate) fn wait(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.0.clone();
        async move {
            let _ = rx.wait_for(|s| *s).await;
        }
    }
}

/// Runs a node until `stop` resolves (SIGINT or SIGTERM for `cong serve`): listens at once,
/// brings the store up (migrate, seed the demo if asked, load the counters), retrying while
/// the database is away, then serves, counts and follows changes; at the stop, finishes the
/// requests in flight and flushes the counters.
pub async fn run(
    config: Config,
    options: Options,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let addrs = config
        .server
        .listen
        .iter()
        .map(|a| a.parse::<SocketAddr>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("bad listen address: {e}"))?;
    let node = services::Node::build(&config).await?;
    let app = node.app.clone();
    let (stop_tx, stop_rx) = watch::channel(false);
    let stopping = Stop(stop_rx);
    let server = listen::start(&config, &addrs, &app, &stopping)?;
    tokio::spawn(tasks::scheduled_backups(&node, stopping.clone()));
    let demo = (options.demo || config.site.demo_content).then(|| bring_up::Demo {
        // The demo's three sites need a fixed port for their addresses.
        sites_port: addrs.first().map(SocketAddr::port).filter(|p| *p != 0),
    });
    let store = node.store.clone();
    let workers = tokio::spawn(bring_up::bring_up_and_run(node, demo, stopping));

    stop.await;
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
    drop(app);
    tracing::info!("stopped");
    Ok(())
}

/// The node's parts the background work needs (shared, cheap to clone).
pub(crate) type SharedApp = Arc<cong_web::App>;
