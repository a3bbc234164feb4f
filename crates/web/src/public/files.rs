//! `/tep/{id}/{name}` — an attached file, under its original Vietnamese name
//! (`Content-Disposition` with `filename*`); `?xem=1` opens a PDF in the browser instead,
//! under a sandboxing policy so nothing in it runs with the site's rights. The bytes come
//! from the node's media folder (filled from the store), through tower-http's `ServeFile`
//! for ranges and conditional requests. (`nosniff` is on every response: `headers::add`.)

use crate::app::SharedApp;
use crate::error::{Error, Result};
use crate::sites::CurrentSite;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// For a PDF shown in the browser: no scripts, no forms, nothing loaded from elsewhere.
const INLINE_POLICY: &str = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'";

pub async fn download(
    State(app): State<SharedApp>,
    site: CurrentSite,
    Path((id, _name)): Path<(String, String)>,
    req: Request,
) -> Result<Response> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound)?;
    let file = app.files.public(site.id, id).await?;
    let kind = cong_files::Kind::parse(&file.kind).ok_or(Error::NotFound)?;
    let stored = file.stored_name();
    if !app.media_cache.fill(&stored).await? {
        return Err(Error::NotFound);
    }
    let inline = kind == cong_files::Kind::Pdf
        && req
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|p| p == "xem=1"));
    let path = app.media_cache.dir().join(&stored);
    let res = ServeFile::new(&path)
        .oneshot(req)
        .await
        .map_err(|e| Error::Internal(format!("file {stored}: {e}")))?;
    app.media_cache.touch(&stored);
    let mut res = res.map(Body::new);
    let h = res.headers_mut();
    if h.contains_key(header::CONTENT_TYPE) {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    }
    let disposition = cong_files::content_disposition(&file.name, inline);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    if inline {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(INLINE_POLICY),
        );
    }
    Ok(res.into_response())
}
