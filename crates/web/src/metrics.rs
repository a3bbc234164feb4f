//! `/metrics`: this node's health in Prometheus' text format (metrics-exporter-prometheus).
//! Events are counted where they happen (requests here, page cache outcomes in `cache`,
//! flushes in the domain, database errors in the store); what is a level rather than an
//! event (memory held, connections open, queue lengths, lags) is read at each scrape.

use crate::app::SharedApp;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::time::Instant;

/// Request durations: a kept page takes well under a millisecond, a search or a save tens.
const LATENCY_BUCKETS: [f64; 12] = [
    0.000_5, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The installed recorder: what renders the exposition.
#[derive(Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// Installs the process-wide recorder (once; a second call fails).
    pub fn install() -> Result<Metrics, String> {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &LATENCY_BUCKETS)
            .map_err(|e| e.to_string())?
            .install_recorder()
            .map_err(|e| e.to_string())?;
        describe();
        Ok(Metrics { handle })
    }

    /// The exposition now, levels read first.
    pub fn render(&self, app: &SharedApp) -> String {
        levels(app);
        self.handle.render()
    }
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "cong_http_requests_total",
        "Requests answered, by route group and status."
    );
    describe_histogram!(
        "cong_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer a request, by route group."
    );
    describe_counter!(
        "cong_page_cache_total",
        "Public pages answered, by how the page cache answered (hit, miss, stale, refresh, bypass)."
    );
    describe_gauge!(
        "cong_page_cache_bytes",
        Unit::Bytes,
        "Memory the kept pages are reckoned to take."
    );
    describe_gauge!("cong_page_cache_pages", "Pages kept.");
    describe_gauge!("cong_connections_open", "Client connections open.");
    describe_counter!(
        "cong_connections_waited_total",
        "Connections that waited because server.max_connections was reached."
    );
    describe_counter!(
        "cong_connections_refused_total",
        "Connections closed at once: their client had server.max_connections_per_client open."
    );
    describe_gauge!(
        "cong_stats_pending",
        "Sightings of readers waiting for the next counter flush."
    );
    describe_gauge!(
        "cong_stats_visitors_remembered",
        "Visitors this node remembers between flushes."
    );
    describe_counter!(
        "cong_stats_views_dropped_total",
        "Page views not counted because the batch waiting for a flush was full (stats.max_pending)."
    );
    describe_counter!(
        "cong_stats_visitors_forgotten_total",
        "Visitors forgotten early to stay within stats.max_visitors."
    );
    describe_histogram!(
        "cong_stats_flush_seconds",
        Unit::Seconds,
        "Time to write a batch of counts to the store."
    );
    describe_counter!(
        "cong_stats_flush_failures_total",
        "Counter flushes that failed (the batch is kept and retried)."
    );
    describe_gauge!(
        "cong_stats_flush_lag_seconds",
        Unit::Seconds,
        "Time since the store last took this node's counts."
    );
    describe_gauge!(
        "cong_db_pool_connections",
        "Database connections, by pool (read, write) and state (open, idle)."
    );
    describe_counter!(
        "cong_db_errors_total",
        "Database errors, by kind (unavailable: cannot connect; database: anything else)."
    );
    describe_gauge!(
        "cong_search_lag_changes",
        "Changes this node has heard of that its search index does not include yet."
    );
    describe_counter!(
        "cong_login_refused_total",
        "Logins and second-factor codes refused, by reason (bad_credentials, bad_code, throttled, busy, too_long, key_missing, error)."
    );
    describe_counter!(
        "cong_backups_total",
        "Scheduled backups this node made, by result (ok, failed)."
    );
    describe_gauge!("cong_backup_running", "1 while this node writes a backup.");
    describe_gauge!(
        "cong_backup_last_ok",
        "1 when this node's last scheduled backup succeeded, 0 when it failed."
    );
    describe_gauge!(
        "cong_backup_last_finished_timestamp_seconds",
        Unit::Seconds,
        "When this node's last scheduled backup ended (Unix time)."
    );
    describe_gauge!(
        "cong_backup_last_duration_seconds",
        Unit::Seconds,
        "How long this node's last scheduled backup took."
    );
    describe_gauge!(
        "cong_backup_last_bytes",
        Unit::Bytes,
        "Size of this node's last scheduled backup."
    );
    describe_gauge!(
        "cong_ready",
        "1 when the node serves (its store migrated and counters loaded), else 0."
    );
    describe_gauge!(
        "process_resident_memory_bytes",
        Unit::Bytes,
        "Resident memory of the process."
    );
    describe_gauge!("process_open_fds", "Open file descriptors of the process.");
    describe_gauge!(
        "cong_tls_certificate_expiry_timestamp_seconds",
        Unit::Seconds,
        "When each certificate served expires (Unix time), by site (0: the files' certificate)."
    );
    describe_gauge!(
        "cong_tls_renewal_failures",
        "Certificate orders failed in a row since the last success, by site."
    );
}

/// Levels read at scrape time.
fn levels(app: &SharedApp) {
    gauge!("cong_ready").set(if app.is_ready() { 1.0 } else { 0.0 });
    gauge!("cong_page_cache_bytes").set(app.cache.bytes() as f64);
    gauge!("cong_page_cache_pages").set(app.cache.len() as f64);
    gauge!("cong_connections_open").set(app.connections.open() as f64);
    counter!("cong_connections_waited_total").absolute(app.connections.waited() as u64);
    counter!("cong_connections_refused_total").absolute(app.connections.refused() as u64);
    let (losses, (visitors, _), pending) = app.stats.memory();
    gauge!("cong_stats_pending").set(pending as f64);
    gauge!("cong_stats_visitors_remembered").set(visitors as f64);
    counter!("cong_stats_views_dropped_total").absolute(losses.dropped);
    counter!("cong_stats_visitors_forgotten_total").absolute(losses.forgotten);
    if let Some(lag) = app.stats.flush_lag() {
        gauge!("cong_stats_flush_lag_seconds").set(lag.as_secs_f64());
    }
    let [read, write] = app.content.store().pool_use();
    for (pool, (open, idle)) in [("read", read), ("write", write)] {
        gauge!("cong_db_pool_connections", "pool" => pool, "state" => "open").set(f64::from(open));
        gauge!("cong_db_pool_connections", "pool" => pool, "state" => "idle").set(idle as f64);
    }
    let heard = app.feed.last_delivered();
    let indexed = app.search.last_applied().unwrap_or(0);
    gauge!("cong_search_lag_changes").set((heard - indexed).max(0) as f64);
    gauge!("cong_backup_running").set(if app.backups.running() { 1.0 } else { 0.0 });
    if let Some(last) = app.backups.last() {
        gauge!("cong_backup_last_ok").set(if last.ok { 1.0 } else { 0.0 });
        gauge!("cong_backup_last_duration_seconds").set(last.seconds);
        gauge!("cong_backup_last_bytes").set(last.bytes as f64);
        if let Ok(at) = last.finished_at.parse::<jiff::Timestamp>() {
            gauge!("cong_backup_last_finished_timestamp_seconds")
                .set(at.as_millisecond() as f64 / 1000.0);
        }
    }
    if let Some(tls) = &app.tls {
        for c in tls.status() {
            let site = c.site.map_or(0, |s| s.0).to_string();
            gauge!("cong_tls_certificate_expiry_timestamp_seconds", "site" => site.clone())
                .set(c.not_after as f64);
            gauge!("cong_tls_renewal_failures", "site" => site).set(c.failures as f64);
        }
    }
    if let Some((rss, fds)) = process() {
        gauge!("process_resident_memory_bytes").set(rss as f64);
        gauge!("process_open_fds").set(fds as f64);
    }
}

/// Resident memory and open files of this process, from /proc (Linux).
fn process() -> Option<(u64, usize)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let fds = std::fs::read_dir("/proc/self/fd").ok()?.count();
    Some((kb * 1024, fds))
}

/// The group a path belongs to, for request metrics (a small fixed set: never the path).
pub fn route_group(path: &str) -> &'static str {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first {
        "" => "home",
        "chuyen-muc" if path.ends_with(".xml") => "feeds",
        "chuyen-muc" => "section",
        "bai-viet" => "article",
        "trang" => "page",
        "tim-kiem" => "search",
        "rss.xml" | "atom.xml" => "feeds",
        "robots.txt" => "robots",
        "static" => "static",
        "media" => "media",
        "quan-tri" => "admin",
        "dang-nhap" | "dang-xuat" => "login",
        "healthz" => "health",
        "metrics" => "metrics",
        p if p.starts_with("sitemap") && p.ends_with(".xml") => "sitemap",
        _ => "other",
    }
}

/// A status as a label without allocating: the usual codes by number, others by class.
fn status_label(status: StatusCode) -> &'static str {
    match status.as_u16() {
        200 => "200",
        204 => "204",
        301 => "301",
        302 => "302",
        303 => "303",
        304 => "304",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        405 => "405",
        408 => "408",
        413 => "413",
        414 => "414",
        415 => "415",
        422 => "422",
        429 => "429",
        500 => "500",
        503 => "503",
        s if s < 200 => "1xx",
        s if s < 300 => "2xx",
        s if s < 400 => "3xx",
        s if s < 500 => "4xx",
        _ => "5xx",
    }
}

/// Counts every request and how long it took, outside every other layer.
pub async fn count_requests(req: Request, next: Next) -> Response {
    let group = route_group(req.uri().path());
    let started = Instant::now();
    let res = next.run(req).await;
    counter!("cong_http_requests_total", "group" => group, "status" => status_label(res.status()))
        .increment(1);
    histogram!("cong_http_request_duration_seconds", "group" => group)
        .record(started.elapsed().as_secs_f64());
    res
}

/// `/metrics` on the public listener: only with the configured token (`metrics.token`), as
/// `Authorization: Bearer …`; anyone else gets the 404 a missing page gets.
pub async fn public(State(app): State<SharedApp>, req: Request) -> Response {
    use subtle::ConstantTimeEq;
    let (Some(metrics), Some(token)) = (&app.metrics, &app.metrics_token) else {
        return crate::Error::NotFound.into_response();
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !bool::from(given.as_bytes().ct_eq(token.as_bytes())) {
        return crate::Error::NotFound.into_response();
    }
    exposition(metrics, &app)
}

/// `/metrics` on the separate listener (`metrics.listen`): no token, the address is the gate.
pub async fn private(State(app): State<SharedApp>) -> Response {
    match &app.metrics {
        Some(m) => exposition(m, &app),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn exposition(metrics: &Metrics, app: &SharedApp) -> Response {
    let mut res = metrics.render(app).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.extensions_mut().insert(crate::error_pages::Plain);
    res
}

/// The router of the separate metrics listener.
pub fn router(app: SharedApp) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(private))
        .with_state(app)
}

#[cfg(test)]
mod tests {
    use super::route_group;

    #[test]
    fn paths_fall_in_a_few_groups() {
        for (path, group) in [
            ("/", "home"),
            ("/chuyen-muc/tin-tuc", "section"),
            ("/chuyen-muc/tin-tuc/rss.xml", "feeds"),
            ("/bai-viet/hoi-nghi", "article"),
            ("/sitemap-2.xml", "sitemap"),
            ("/sitemap.xml", "sitemap"),
            ("/quan-tri/bai-viet/7", "admin"),
            ("/wp-login.php", "other"),
            ("/%2e%2e/etc/passwd", "other"),
        ] {
            assert_eq!(route_group(path), group, "{path}");
        }
    }
}
