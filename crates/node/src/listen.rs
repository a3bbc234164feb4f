//! The node's listeners: the public one under its connection limits, and, when configured,
//! a separate one for `/metrics`.

use crate::{SharedApp, Stop, to_std};
use cong_config::Config;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Binds the public addresses (printing them) and the metrics address, and serves until
/// the stop; returns the public server's task.
pub(crate) fn start(
    config: &Config,
    addrs: &[SocketAddr],
    app: &SharedApp,
    stop: &Stop,
) -> anyhow::Result<JoinHandle<std::io::Result<()>>> {
    let listeners = cong_web::bind(addrs)?;
    // With TLS on, the HTTPS listeners serve the site; plain HTTP answers ACME challenges
    // and redirects.
    let secure = match &app.tls {
        Some(tls) => {
            let addrs = parse_addrs(&config.server.tls.listen)?;
            let secure = cong_web::bind(&addrs)?;
            let port = secure.local_addrs().first().map_or(443, SocketAddr::port);
            app.sites.serve_https(cong_domain::sites::Https { port });
            Some((secure, tls.acceptor()))
        }
        None => None,
    };
    let scheme = if secure.is_some() { "https" } else { "http" };
    let shown = secure
        .as_ref()
        .map_or_else(|| listeners.local_addrs(), |(s, _)| s.local_addrs());
    for addr in &shown {
        let both = addr.ip().is_unspecified() && addr.is_ipv6();
        println!(
            "cong listening on {scheme}://{addr}{}",
            if both { " (IPv4 and IPv6)" } else { "" }
        );
    }
    if secure.is_some() {
        for addr in listeners.local_addrs() {
            println!("cong redirecting http://{addr} to https:// (and answering ACME challenges)");
        }
    }
    if let Some(port) = shown.first().map(SocketAddr::port) {
        println!("open {scheme}://localhost:{port}/ in a browser; stop with Ctrl+C");
    }
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
            None,
            stop.wait(),
        ));
    }
    let limits = connection_limits(config);
    let clients = || cong_web::Clients::new(config.server.trusted_proxies.clone());
    let Some((secure, acceptor)) = secure else {
        return Ok(tokio::spawn(cong_web::serve(
            listeners,
            cong_web::router(app.clone()),
            limits,
            clients(),
            app.connections.clone(),
            None,
            stop.wait(),
        )));
    };
    let plain = tokio::spawn(cong_web::serve(
        listeners,
        cong_web::redirect::router(app.clone()),
        limits,
        clients(),
        Arc::default(),
        None,
        stop.wait(),
    ));
    let https = tokio::spawn(cong_web::serve(
        secure,
        cong_web::router(app.clone()),
        limits,
        clients(),
        app.connections.clone(),
        Some(acceptor),
        stop.wait(),
    ));
    Ok(tokio::spawn(async move {
        let (a, b) = tokio::join!(https, plain);
        a.map_err(std::io::Error::other)??;
        b.map_err(std::io::Error::other)?
    }))
}

/// Addresses from the configuration (checked when it was loaded).
pub(crate) fn parse_addrs(list: &[String]) -> anyhow::Result<Vec<SocketAddr>> {
    list.iter()
        .map(|a| a.parse::<SocketAddr>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("bad listen address: {e}"))
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
pub(crate) fn metrics_recorder(
    config: &Config,
) -> anyhow::Result<Option<cong_web::metrics::Metrics>> {
    if config.metrics.listen.is_empty() && config.metrics.token.is_none() {
        return Ok(None);
    }
    let m = cong_web::metrics::Metrics::install()
        .map_err(|e| anyhow::anyhow!("metrics not started: {e}"))?;
    Ok(Some(m))
}
