//! Listening: dual-stack sockets, graceful shutdown.

use axum::Router;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// The bound listeners, in the order of `server.listen`.
pub struct Listeners(pub Vec<TcpListener>);

impl Listeners {
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.0.iter().filter_map(|l| l.local_addr().ok()).collect()
    }
}

/// Binds every address. An IPv6 wildcard (`[::]`) is bound dual stack, so one port takes
/// IPv4 and IPv6 whatever the system default (`net.ipv6.bindv6only`) is.
pub fn bind(addrs: &[SocketAddr]) -> io::Result<Listeners> {
    let mut out = Vec::with_capacity(addrs.len());
    for addr in addrs {
        let domain = socket2::Domain::for_address(*addr);
        let socket =
            socket2::Socket::new(domain, socket2::Type::STREAM, Some(socket2::Protocol::TCP))?;
        if addr.is_ipv6() {
            let wildcard = addr.ip().is_unspecified();
            socket.set_only_v6(!wildcard)?;
        }
        socket.set_reuse_address(true)?;
        socket.set_nonblocking(true)?;
        socket.set_tcp_nodelay(true)?;
        socket
            .bind(&(*addr).into())
            .map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
        socket.listen(1024)?;
        out.push(TcpListener::from_std(socket.into())?);
    }
    Ok(Listeners(out))
}

/// Serves the router on every listener until `stop` resolves, then lets requests in
/// flight finish.
pub async fn serve(
    listeners: Listeners,
    router: Router,
    stop: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        stop.await;
        let _ = tx.send(true);
    });
    let mut tasks = Vec::new();
    for listener in listeners.0 {
        let mut rx = rx.clone();
        let app = router
            .clone()
            .into_make_service_with_connect_info::<SocketAddr>();
        tasks.push(tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.wait_for(|stop| *stop).await;
                })
                .await
        }));
    }
    for t in tasks {
        t.await.map_err(io::Error::other)??;
    }
    Ok(())
}
