//! Listening: dual-stack sockets, and each connection served under limits a hostile client
//! cannot stretch: a cap on open connections, and a deadline for a request's headers that
//! also ends a kept-alive connection left idle. Graceful shutdown lets requests finish.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

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

/// What a connection may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest wait for a request's headers, counted from when the connection is ready for
    /// the next request: a client that trickles a header, or keeps a connection open without
    /// asking anything, is cut off after this.
    pub header_timeout: Duration,
    /// Connections open at once; past it, new ones wait in the kernel's queue until one
    /// closes (so a flood of idle connections cannot take every file descriptor).
    pub max_connections: usize,
    /// Connections open at once from one client (an IPv4 address, an IPv6 /64); past it a
    /// new one is closed at once, so one client cannot take the whole of `max_connections`.
    /// 0: no such limit.
    pub max_per_client: usize,
}

/// Open connections per client, and the peers exempt from the per-client limit (trusted
/// proxies carry many readers' connections).
#[derive(Debug, Default)]
pub struct Clients {
    open: std::sync::Mutex<HashMap<IpAddr, usize>>,
    exempt: Vec<ipnet::IpNet>,
}

impl Clients {
    pub fn new(exempt: Vec<ipnet::IpNet>) -> Self {
        Clients {
            open: std::sync::Mutex::default(),
            exempt,
        }
    }

    /// The client a peer address counts as: IPv4 (mapped or not) by address, IPv6 by /64.
    fn key(peer: IpAddr) -> IpAddr {
        match peer.to_canonical() {
            IpAddr::V6(v6) => {
                let s = v6.segments();
                IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
            }
            v4 => v4,
        }
    }

    /// Counts a new connection from `peer`; false when that client has `max` open already.
    fn admit(&self, peer: IpAddr, max: usize) -> Option<IpAddr> {
        let canonical = peer.to_canonical();
        if max == 0 || self.exempt.iter().any(|n| n.contains(&canonical)) {
            return Some(canonical);
        }
        let key = Self::key(peer);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(key).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(key)
    }

    fn release(&self, key: IpAddr) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&key) {
            *n -= 1;
            if *n == 0 {
                open.remove(&key);
            }
        }
    }
}

/// Connections open now and the cap, for metrics and tests.
#[derive(Debug, Default)]
pub struct ConnectionGauge {
    open: AtomicUsize,
    /// Times a connection had to wait because the cap was reached.
    waited: AtomicUsize,
    /// Connections closed at once because their client had too many open.
    refused: AtomicUsize,
}

impl ConnectionGauge {
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    pub fn waited(&self) -> usize {
        self.waited.load(Ordering::Relaxed)
    }

    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::Relaxed)
    }
}

/// Serves the router on every listener until `stop` resolves, then lets requests in flight
/// finish (each connection is told to close after its current request). With `tls`, each
/// connection is a TLS one (HTTP/2 or HTTP/1.1 as ALPN chose); its handshake must finish
/// within the header timeout.
pub async fn serve(
    listeners: Listeners,
    router: Router,
    limits: Limits,
    clients: Clients,
    gauge: Arc<ConnectionGauge>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    stop: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let clients = Arc::new(clients);
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        stop.await;
        let _ = stop_tx.send(true);
    });
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // Every connection task holds a receiver: when all are dropped, every one has ended.
    let (done_tx, _) = watch::channel(());
    let mut tasks = Vec::new();
    for listener in listeners.0 {
        let accept = Accept {
            listener,
            router: router.clone(),
            limits,
            permits: permits.clone(),
            clients: clients.clone(),
            gauge: gauge.clone(),
            tls: tls.clone(),
            stop: stop_rx.clone(),
            done: done_tx.clone(),
        };
        tasks.push(tokio::spawn(accept.run()));
    }
    for t in tasks {
        t.await.map_err(io::Error::other)?;
    }
    done_tx.closed().await;
    Ok(())
}

struct Accept {
    listener: TcpListener,
    router: Router,
    limits: Limits,
    permits: Arc<Semaphore>,
    clients: Arc<Clients>,
    gauge: Arc<ConnectionGauge>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    stop: watch::Receiver<bool>,
    done: watch::Sender<()>,
}

impl Accept {
    async fn run(mut self) {
        let mut warned: Option<Instant> = None;
        loop {
            let permit = match self.permits.clone().try_acquire_owned() {
                Ok(p) => p,
                Err(_) => {
                    self.gauge.waited.fetch_add(1, Ordering::Relaxed);
                    if warned.is_none_or(|w| w.elapsed() > Duration::from_secs(60)) {
                        tracing::warn!(
                            max = self.limits.max_connections,
                            "connection limit reached: new connections wait until one closes"
                        );
                        warned = Some(Instant::now());
                    }
                    tokio::select! {
                        p = self.permits.clone().acquire_owned() => match p {
                            Ok(p) => p,
                            Err(_) => return,
                        },
                        _ = self.stop.wait_for(|s| *s) => return,
                    }
                }
            };
            let accepted = tokio::select! {
                r = self.listener.accept() => r,
                _ = self.stop.wait_for(|s| *s) => return,
            };
            match accepted {
                Ok((stream, peer)) => {
                    match self.clients.admit(peer.ip(), self.limits.max_per_client) {
                        Some(client) => self.spawn(stream, peer, client, permit),
                        None => {
                            // Closed at once: this client holds its share already.
                            self.gauge.refused.fetch_add(1, Ordering::Relaxed);
                            drop(stream);
                        }
                    }
                }
                Err(e) => {
                    // Out of file descriptors or a connection reset before accept: not
                    // fatal; wait a little rather than spin.
                    tracing::debug!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn spawn(
        &self,
        stream: TcpStream,
        peer: SocketAddr,
        client: IpAddr,
        permit: OwnedSemaphorePermit,
    ) {
        let _ = stream.set_nodelay(true);
        let service = self
            .router
            .clone()
            .map_request(move |req: axum::http::Request<Incoming>| {
                let mut req = req.map(Body::new);
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let limits = self.limits;
        let gauge = self.gauge.clone();
        let clients = self.clients.clone();
        let mut stop = self.stop.clone();
        let done = self.done.subscribe();
        let tls = self.tls.clone();
        gauge.open.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(async move {
            match tls {
                None => drive(TokioIo::new(stream), service, limits, &mut stop).await,
                Some(acceptor) => {
                    let handshake = tokio::select! {
                        r = tokio::time::timeout(limits.header_timeout, acceptor.accept(stream)) => r.ok(),
                        _ = stop.wait_for(|s| *s) => None,
                    };
                    match handshake {
                        Some(Ok(tls)) => {
                            // A CA's TLS-ALPN-01 check: the handshake was the answer.
                            let check =
                                tls.get_ref().1.alpn_protocol() == Some(cong_tls::ACME_TLS_ALPN);
                            if !check {
                                drive(TokioIo::new(tls), service, limits, &mut stop).await;
                            }
                        }
                        Some(Err(e)) => tracing::trace!(error = %e, "TLS handshake failed"),
                        None => tracing::trace!("TLS handshake not finished in time"),
                    }
                }
            }
            gauge.open.fetch_sub(1, Ordering::Relaxed);
            clients.release(client);
            drop(permit);
            drop(done);
        });
    }
}

/// Serves one connection (HTTP/1.1 or HTTP/2) until it ends, or closes it gracefully once
/// the node stops.
async fn drive<I, S>(io: TokioIo<I>, service: S, limits: Limits, stop: &mut watch::Receiver<bool>)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    S: tower::Service<
            axum::http::Request<Incoming>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(limits.header_timeout))
        .keep_alive_timeout(limits.header_timeout);
    let mut conn =
        pin!(builder.serve_connection_with_upgrades(io, TowerToHyperService::new(service)));
    let mut stopping = false;
    loop {
        tokio::select! {
            r = conn.as_mut() => {
                if let Err(e) = r {
                    tracing::trace!(error = %e, "connection ended");
                }
                break;
            }
            _ = stop.wait_for(|s| *s), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Raises this process's soft limit on open files to its hard limit (service managers often
/// start a process at 1,024), and returns the limit now in force.
pub fn raise_open_files_limit() -> io::Result<u64> {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    if let (Some(cur), max) = (limit.current, limit.maximum)
        && max.is_none_or(|m| m > cur)
    {
        // No hard limit: a high, finite number (the kernel caps it at fs.nr_open anyway).
        limit.current = Some(max.unwrap_or(1 << 20));
        setrlimit(Resource::Nofile, limit).map_err(io::Error::from)?;
    }
    Ok(getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::Clients;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn one_client_is_an_ipv4_address_or_an_ipv6_64() {
        let c = Clients::new(vec!["10.0.0.0/8".parse().expect("net")]);
        assert!(c.admit(ip("192.0.2.1"), 2).is_some());
        assert!(
            c.admit(ip("::ffff:192.0.2.1"), 2).is_some(),
            "mapped is the same"
        );
        assert!(
            c.admit(ip("192.0.2.1"), 2).is_none(),
            "third from one address"
        );
        assert!(c.admit(ip("192.0.2.2"), 2).is_some(), "another address");
        let a = c.admit(ip("2001:db8:1:2::1"), 2).expect("first");
        assert!(c.admit(ip("2001:db8:1:2:ffff::9"), 2).is_some());
        assert!(c.admit(ip("2001:db8:1:2:abcd::1"), 2).is_none(), "same /64");
        assert!(c.admit(ip("2001:db8:1:3::1"), 2).is_some(), "another /64");
        c.release(a);
        assert!(c.admit(ip("2001:db8:1:2::7"), 2).is_some(), "room again");
        for _ in 0..10 {
            assert!(c.admit(ip("10.1.2.3"), 2).is_some(), "a trusted proxy");
        }
        assert!(c.admit(ip("198.51.100.7"), 0).is_some(), "0: no limit");
    }
}
