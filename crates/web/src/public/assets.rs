//! `/static/{name}` — the theme's files. Hashed names are cached for a year; ETags answer
//! revalidation with 304.

use crate::app::SharedApp;
use crate::error::{Error, Result};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn show(
    State(app): State<SharedApp>,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    headers: HeaderMap,
) -> Result<Response> {
    let Path(name) = path.map_err(|_| Error::NotFound)?;
    let (asset, hashed) = app.renderer.assets().find(&name).ok_or(Error::NotFound)?;
    let cache = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let etag = HeaderValue::from_str(&asset.etag).map_err(|e| Error::Internal(e.to_string()))?;
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == asset.etag || t.trim() == "*")
        });
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            )],
            asset.bytes.clone(),
        )
            .into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::ETAG, etag);
    Ok(res)
}
