//! Which site a request is for: its Host decides, before the page cache or any handler. An
//! alias answers with a permanent redirect to the canonical address; a name no site holds
//! gets a themed 404 that is never kept.

use crate::app::SharedApp;
use crate::error::{Error, ErrorPage, Result, Words};
use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cong_domain::sites::{Resolved, SiteInfo};
use std::net::SocketAddr;
use std::sync::Arc;

/// The site a request reached (a request extension, and an extractor for handlers).
#[derive(Debug, Clone)]
pub struct CurrentSite(pub Arc<SiteInfo>);

impl std::ops::Deref for CurrentSite {
    type Target = SiteInfo;

    fn deref(&self) -> &SiteInfo {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentSite {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self> {
        parts
            .extensions
            .get::<CurrentSite>()
            .cloned()
            .ok_or(Error::NotFound)
    }
}

/// Paths every host name answers, whatever site it reaches: the health check and metrics
/// (load balancers ask by address), and the theme's files.
fn any_host(path: &str) -> bool {
    path == "/healthz" || path == "/metrics" || path.starts_with("/static/")
}

/// The host name a request names (lower case, no port): its Host, else its target's.
pub fn request_host(headers: &HeaderMap, uri: &Uri) -> Option<String> {
    let raw = match headers.get(header::HOST) {
        Some(v) => v.to_str().ok()?,
        None => uri.authority()?.as_str(),
    };
    cong_domain::sites::host_of(raw)
}

pub async fn resolve(State(app): State<SharedApp>, mut req: Request, next: Next) -> Response {
    if !app.is_ready() {
        // Before the store is up no site is known; pages answer 503 further in.
        return next.run(req).await;
    }
    let host = request_host(req.headers(), req.uri()).unwrap_or_default();
    let resolved = app
        .sites
        .directory()
        .resolve_with(&host, app.canonical_redirect);
    if let Resolved::Site(site) = &resolved {
        req.extensions_mut().insert(CurrentSite(Arc::clone(site)));
    }
    if any_host(req.uri().path()) {
        return next.run(req).await;
    }
    match resolved {
        Resolved::Site(_) => next.run(req).await,
        Resolved::Alias(address) => {
            // The address as asked, language prefix included (the router sees it without).
            let uri = req
                .extensions()
                .get::<OriginalUri>()
                .map_or(req.uri(), |o| &o.0);
            let target = uri.path_and_query().map_or("/", |pq| pq.as_str());
            match HeaderValue::from_str(&format!("{address}{target}")) {
                Ok(location) => {
                    let mut res = StatusCode::MOVED_PERMANENTLY.into_response();
                    res.headers_mut().insert(header::LOCATION, location);
                    finish(&app, &req, res)
                }
                Err(_) => Error::bad(Words::new("error-bad-address")).into_response(),
            }
        }
        Resolved::Unknown => {
            let mut page = ErrorPage::for_status(StatusCode::NOT_FOUND);
            page.title_id = Some("error-unknown-site-title");
            page.words = Some(Words::new("error-unknown-site-message"));
            let res = crate::error_pages::respond(&app, None, &page).await;
            finish(&app, &req, res)
        }
    }
}

/// The security headers the router's layers would have added.
fn finish(app: &SharedApp, req: &Request, mut res: Response) -> Response {
    let https = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|c| crate::admin::session::is_secure_proxy(app, c.0.ip(), req.headers()));
    crate::headers::put(app, None, https, res.headers_mut());
    res
}
