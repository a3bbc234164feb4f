//! The page's language from its address: `/en/…` is the English page of `/…`. The prefix
//! is taken off before the router (one set of routes serves every language) and the rest of
//! the request runs in that language (see `cong_render::i18n`).

use axum::extract::{RawQuery, Request};
use axum::http::uri::PathAndQuery;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cong_domain::navigation::Lang;
use cong_render::i18n;

/// Addresses that are the same in every language (files, the back office, the machines'
/// endpoints): under `/en/` they are not found.
fn has_language(path: &str) -> bool {
    const SHARED: [&str; 11] = [
        "/quan-tri",
        "/dang-nhap",
        "/dang-xuat",
        "/media/",
        "/static/",
        "/tep/",
        "/xem-truoc/",
        "/healthz",
        "/metrics",
        "/robots.txt",
        "/sitemap",
    ];
    // And no second language prefix (`/en/en/…`).
    !SHARED.iter().any(|p| path.starts_with(p)) && i18n::split_path(path).0 == Lang::Vi
}

pub async fn split(mut req: Request, next: Next) -> Response {
    let (lang, rest) = i18n::split_path(req.uri().path());
    if lang == Lang::Vi || !has_language(rest) {
        return next.run(req).await;
    }
    if rest == "/" && !req.uri().path().ends_with('/') {
        // `/en` itself: routed as it is, to the redirect below, under every layer.
        return next.run(req).await;
    }
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let mut parts = req.uri().clone().into_parts();
    match PathAndQuery::try_from(format!("{rest}{query}")) {
        Ok(pq) => parts.path_and_query = Some(pq),
        Err(_) => return next.run(req).await,
    }
    if let Ok(uri) = Uri::from_parts(parts) {
        *req.uri_mut() = uri;
    }
    i18n::scope(lang, next.run(req)).await
}

/// `/en`: one address per page, and the English home page is `/en/`.
pub async fn to_home(RawQuery(query): RawQuery) -> Response {
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    let mut res = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(to) = HeaderValue::from_str(&format!("/{}/{query}", Lang::En.code())) {
        res.headers_mut().insert(header::LOCATION, to);
    }
    res
}
