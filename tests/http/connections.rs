//! What one connection may cost: a client that trickles its headers, or keeps a connection
//! open and idle, is cut off after `server.header_timeout`; the open connections are capped
//! (`server.max_connections`), and one client holds at most its share
//! (`server.max_connections_per_client`); the open-file limit is raised at start.

use crate::support::*;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// A connection that sent half a request header and nothing more.
fn half_request(addr: SocketAddr, from: &str) -> TcpStream {
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    let local: SocketAddr = format!("{from}:0").parse().expect("local");
    socket.bind(&local.into()).expect("bind");
    socket.connect(&addr.into()).expect("connect");
    let mut s: TcpStream = socket.into();
    s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .expect("write");
    s
}

/// Waits until the server closes `s` (EOF or reset); how long that took, or None.
fn closed_within(mut s: TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    s.set_read_timeout(Some(limit)).expect("timeout");
    let mut buf = [0u8; 512];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) if start.elapsed() < limit => return Some(start.elapsed()),
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

fn addr(app: &TestApp) -> SocketAddr {
    format!("127.0.0.1:{}", app.port).parse().expect("addr")
}

#[tokio::test]
async fn trickled_headers_are_cut_off_and_connections_are_capped() {
    let app = TestApp::builder()
        .env("CONG_SERVER__HEADER_TIMEOUT", "2s")
        .env("CONG_SERVER__MAX_CONNECTIONS", "40")
        .env("CONG_SERVER__MAX_CONNECTIONS_PER_CLIENT", "0")
        .start()
        .await;
    // Warm the database pools and caches first, so their files are counted before.
    for path in [
        "/",
        "/chuyen-muc/tin-tuc-su-kien",
        "/tim-kiem?q=h%E1%BB%99i",
    ] {
        app.get(path).await;
    }
    let before = app.open_files();
    let target = addr(&app);
    let held = tokio::task::spawn_blocking(move || {
        (0..150)
            .map(|_| half_request(target, "127.0.0.1"))
            .collect::<Vec<_>>()
    })
    .await
    .expect("connections");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let during = app.open_files();
    println!("open files: {before} before, {during} with 150 half requests waiting");
    // 40 connections, and a few more files the node may open meanwhile (its own database
    // connections, index segments): far from the 150 an uncapped server would hold.
    assert!(
        during <= before + 40 + 12,
        "at most 40 connections taken in: {during} files open (before: {before})"
    );
    // Each is cut off after the header timeout, the waiting ones 40 at a time.
    let closed = tokio::task::spawn_blocking(move || {
        held.into_iter()
            .map(|s| closed_within(s, Duration::from_secs(30)))
            .collect::<Vec<_>>()
    })
    .await
    .expect("reads");
    let slowest = closed.iter().flatten().max().copied();
    assert!(
        closed.iter().all(Option::is_some),
        "every trickling connection was closed by the server"
    );
    println!("all 150 closed; the last after {slowest:?}");
    assert_eq!(app.get("/").await.status(), 200, "served as usual after");
    assert!(app.open_files() <= before + 12, "nothing left open");
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let app = TestApp::builder()
        .env("CONG_SERVER__HEADER_TIMEOUT", "2s")
        .start()
        .await;
    let target = addr(&app);
    let idle = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(target).expect("connect");
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .expect("write");
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).expect("answer");
        assert!(
            buf[..n].starts_with(b"HTTP/1.1 200"),
            "answered, kept alive"
        );
        closed_within(s, Duration::from_secs(10))
    })
    .await
    .expect("thread");
    let after = idle.expect("the idle connection was closed");
    assert!(
        after >= Duration::from_millis(1500),
        "not before its time: {after:?}"
    );
}

#[tokio::test]
async fn one_client_cannot_take_every_connection() {
    let app = TestApp::builder()
        .env("CONG_SERVER__HEADER_TIMEOUT", "20s")
        .env("CONG_SERVER__MAX_CONNECTIONS_PER_CLIENT", "10")
        .start()
        .await;
    let target = addr(&app);
    let closed_at_once = tokio::task::spawn_blocking(move || {
        let held: Vec<TcpStream> = (0..30).map(|_| half_request(target, "127.0.0.2")).collect();
        std::thread::sleep(Duration::from_millis(300));
        held.into_iter()
            // Refused ones are closed already; the kept ones wait out the short read.
            .filter_map(|s| closed_within(s, Duration::from_millis(200)))
            .count()
    })
    .await
    .expect("thread");
    assert_eq!(
        closed_at_once, 20,
        "the client's 10 are kept, the rest refused at once"
    );
    // Another client is served meanwhile.
    let res = app.get_from("127.0.0.3", CHROME, "/").await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn the_open_file_limit_is_raised_at_start() {
    let app = TestApp::builder()
        .launcher(&["prlimit", "--nofile=512:"])
        .start()
        .await;
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", app.pid())).expect("limits");
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .expect("the open-files line");
    let numbers: Vec<&str> = line.split_whitespace().skip(3).take(2).collect();
    println!("{line}");
    assert_eq!(
        numbers[0], numbers[1],
        "soft limit raised to the hard limit"
    );
    assert_ne!(numbers[0], "512");
}
