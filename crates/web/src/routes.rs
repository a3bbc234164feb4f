//! Every route of the portal, in one place, and the layers around them.

use crate::app::{App, SharedApp};
use crate::error::Error;
use crate::{admin, error_pages, headers, public};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Forms are read up to 1 MB by their extractors; only an upload is larger.
const FORM_BODY: usize = 1024 * 1024;

pub fn router(app: Arc<App>) -> Router {
    let media = Router::new()
        .fallback_service(public::media_files::service(app.media_cache.clone()))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ));
    let routes = Router::new()
        .route("/", get(public::home::show))
        .route("/en", get(crate::lang::to_home))
        .route("/chuyen-muc/{slug}", get(public::section::show))
        .route("/bai-viet/{slug}", get(public::article::show))
        .route("/trang/{slug}", get(public::page::show))
        .route("/tim-kiem", get(public::search::show))
        .route("/hoi-dap", get(public::questions::list))
        .route("/hoi-dap/tra-cuu", get(public::questions::track))
        .route("/hoi-dap/{id}", get(public::questions::show))
        .route("/co-cau-to-chuc", get(public::organisation::structure))
        .route("/co-cau-to-chuc/{slug}", get(public::organisation::show))
        .route("/danh-ba", get(public::organisation::directory))
        .route("/lanh-dao-qua-cac-thoi-ky", get(public::organisation::past))
        .route("/thu-vien-anh", get(public::photos::show))
        .route("/video", get(public::videos::show))
        .route("/van-ban", get(public::documents::list))
        .route("/van-ban/rss.xml", get(public::feeds::documents_rss))
        .route("/van-ban/atom.xml", get(public::feeds::documents_atom))
        .route("/van-ban/{slug}", get(public::documents::show))
        .route("/lay-y-kien", get(public::consultations::list))
        .route("/lich-cong-tac", get(public::schedule::week))
        .route("/lich-cong-tac.ics", get(public::schedule::feed))
        .route(
            "/lich-cong-tac/lanh-dao/{file}",
            get(public::schedule::leader_feed),
        )
        .route("/tep/{id}/{name}", get(public::files::download))
        .route("/xem-truoc/{token}", get(admin::open_preview))
        // The public forms: their POSTs only from the site's own pages (the browser's word,
        // Sec-Fetch-Site and Origin; there is no session to hold a token).
        .merge(
            Router::new()
                .route(
                    "/lien-he",
                    get(public::contact::show).post(public::contact::send),
                )
                .route(
                    "/van-ban/{slug}/y-kien",
                    post(public::consultations::comment),
                )
                .route(public::forms::CHALLENGE_URL, get(public::forms::challenge))
                .route(
                    "/hoi-dap/gui",
                    get(public::questions::ask_form).post(public::questions::ask),
                )
                .route_layer(tower_http::csrf::CsrfLayer::new()),
        )
        .route("/rss.xml", get(public::feeds::site_rss))
        .route("/atom.xml", get(public::feeds::site_atom))
        .route(
            "/chuyen-muc/{slug}/rss.xml",
            get(public::feeds::section_rss),
        )
        .route(
            "/chuyen-muc/{slug}/atom.xml",
            get(public::feeds::section_atom),
        )
        .route("/sitemap.xml", get(public::feeds::sitemap))
        .route("/robots.txt", get(public::feeds::robots))
        .route("/{sitemap_part}", get(public::feeds::sitemap_part))
        .route("/static/{name}", get(public::assets::show))
        .route("/healthz", get(health))
        .route("/metrics", get(crate::metrics::public))
        .nest_service("/media", media)
        // Every back-office route, and only those, passes two CSRF checks first: the
        // browser's own word on where the request comes from (Sec-Fetch-Site, Origin),
        // then the session's token.
        .merge(
            admin::router()
                .route_layer(middleware::from_fn_with_state(
                    app.clone(),
                    admin::session::require_csrf,
                ))
                .route_layer(tower_http::csrf::CsrfLayer::new())
                .route_layer(middleware::from_fn_with_state(app.clone(), settle_writes))
                .layer(middleware::from_fn_with_state(
                    app.clone(),
                    crate::headers::set_admin_csp,
                ))
                // Back-office pages are private: never kept by a browser or a proxy.
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                )),
        )
        .fallback(public::moved::fallback)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            app.request_timeout,
        ))
        .layer(CatchPanicLayer::custom(error_pages::panic_response))
        // The hard cap for any body: an upload at its limit, plus room for the form around it.
        .layer(RequestBodyLimitLayer::new(
            usize::try_from(largest_upload(&app)).unwrap_or(usize::MAX) + FORM_BODY,
        ))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(
            app.clone(),
            crate::cache::pages,
        ))
        .layer(CompressionLayer::new().compress_when(compressible()))
        .layer(middleware::from_fn_with_state(app.clone(), require_ready))
        .layer(middleware::from_fn_with_state(app.clone(), limit_uri))
        .layer(middleware::from_fn_with_state(app.clone(), shed_load))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            error_pages::themed,
        ));
    let routes = headers::add(routes, app.clone())
        .layer(middleware::from_fn_with_state(
            app.clone(),
            crate::cache::kept,
        ))
        // The site first: the page cache keeps each site's pages apart.
        .layer(middleware::from_fn_with_state(
            app.clone(),
            crate::sites::resolve,
        ));
    // Counted outside everything else, kept pages on the fast path included.
    let routes = if app.metrics.is_some() {
        routes.layer(middleware::from_fn(crate::metrics::count_requests))
    } else {
        routes
    };
    let routes = routes
        .layer(PropagateRequestIdLayer::x_request_id())
        // Server errors are logged once, with the request id, by `error_pages`.
        .layer(TraceLayer::new_for_http().on_failure(()))
        .layer(SetRequestIdLayer::x_request_id(RequestIds::new()))
        .with_state(app);
    // The language around the whole router: `/en/…` is routed as `…` (a layer of the router
    // itself would run after routing), in English all the way, kept pages included.
    Router::new().fallback_service(
        tower::ServiceBuilder::new()
            .layer(middleware::from_fn(crate::lang::split))
            .service(routes),
    )
}

/// The largest file any upload may carry: an image or an attachment.
fn largest_upload(app: &App) -> u64 {
    let files = app.files.limits();
    app.media
        .limits()
        .max_bytes
        .max(app.media.max_video_bytes())
        .max(files.max_pdf)
        .max(files.max_office)
}

/// What is worth compressing: not what is compressed already (images, videos, PDFs, Office
/// files, which are zip archives), nor tiny bodies.
fn compressible() -> impl tower_http::compression::Predicate {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    DefaultPredicate::new()
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new("application/vnd."))
        .and(NotForContentType::const_new("application/msword"))
        // Compressed already, and played by ranges that must address the file's own bytes.
        .and(NotForContentType::const_new("video/"))
}

/// Request ids: this process's random prefix and a counter. Unique in the logs of a site
/// like a UUID, without asking the kernel for randomness on every request.
#[derive(Clone)]
struct RequestIds {
    prefix: u32,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    fn new() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        RequestIds {
            prefix: (h.finish() & 0xffff_ffff) as u32,
            next: Arc::new(std::sync::atomic::AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n:x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Refuses request targets longer than `server.max_uri_bytes` with 414 before any handler.
async fn limit_uri(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if len > app.max_uri_bytes {
        return Error::UriTooLong.into_response();
    }
    next.run(req).await
}

/// Past `server.max_in_flight` requests at once, answers 503 with Retry-After at once: a
/// surge then costs the excess a retry instead of costing every reader a slower page. The
/// health check is never shed (a balancer must still see the node alive).
async fn shed_load(State(app): State<SharedApp>, mut req: Request, next: Next) -> Response {
    let Some(limit) = &app.in_flight else {
        return next.run(req).await;
    };
    if matches!(req.uri().path(), "/healthz" | "/metrics") {
        return next.run(req).await;
    }
    match Arc::clone(limit).try_acquire_owned() {
        Ok(permit) => {
            // Held until the answer and until any work the request started outlives it.
            let permit = crate::app::InFlight::new(permit);
            req.extensions_mut().insert(permit.clone());
            let res = next.run(req).await;
            drop(permit);
            res
        }
        Err(_) => Error::Overloaded.into_response(),
    }
}

/// After a back-office write, waits until this node has applied it (the page cache), so the
/// editor's next look at the public site shows it.
async fn settle_writes(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let write = req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD;
    let res = next.run(req).await;
    if write && (res.status().is_success() || res.status().is_redirection()) {
        app.settle().await;
    }
    res
}

/// Until the store is ready, pages are 503; the theme's files and the health check work.
async fn require_ready(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if app.is_ready() || path.starts_with("/static/") || path == "/healthz" || path == "/metrics" {
        return next.run(req).await;
    }
    Error::Unavailable("the store is not ready yet".to_owned()).into_response()
}

/// `/healthz` for load balancers: 200 when this node serves and its database answers.
/// `/healthz?details` says the same as one line of JSON, with this node's last scheduled
/// backup (when it ended, its file and size, whether it worked; the cause is in the log).
async fn health(State(app): State<SharedApp>, req: Request) -> Response {
    let ok = app.is_ready() && app.content.store().ping().await;
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let details = req.uri().query().is_some_and(|q| {
        q.split('&')
            .any(|p| p == "details" || p.starts_with("details="))
    });
    let no_store = (header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let mut res = if details {
        let body = serde_json::json!({
            "status": if ok { "ok" } else { "unavailable" },
            "ready": app.is_ready(),
            "backup": {
                "running": app.backups.running(),
                "last": app.backups.last(),
            },
            "tls": tls_details(&app),
        });
        let json = (
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        (status, [no_store, json], format!("{body}\n")).into_response()
    } else {
        let body = if ok { "ok\n" } else { "unavailable\n" };
        (status, [no_store], body).into_response()
    };
    res.extensions_mut().insert(error_pages::Plain);
    res
}

/// Each certificate this node serves, for `/healthz?details`: names, issuer, expiry, the
/// next renewal and, while renewals fail, how many failed and why. `null` when TLS is off.
fn tls_details(app: &SharedApp) -> serde_json::Value {
    let Some(tls) = &app.tls else {
        return serde_json::Value::Null;
    };
    let time = |t: i64| {
        jiff::Timestamp::from_second(t)
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let certificates: Vec<serde_json::Value> = tls
        .status()
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "site": c.site.map(|s| s.0),
                "names": c.names,
                "issuer": c.issuer,
                "not_after": (c.not_after > 0).then(|| time(c.not_after)),
                "renew_at": (c.renew_at > 0).then(|| time(c.renew_at)),
                "failures": c.failures,
                "last_error": (!c.last_error.is_empty()).then_some(c.last_error),
            })
        })
        .collect();
    serde_json::json!({
        "mode": format!("{:?}", tls.mode()).to_lowercase(),
        "certificates": certificates,
    })
}
