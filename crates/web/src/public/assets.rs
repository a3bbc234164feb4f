//! `/static/{name}` — the theme's files. Hashed names are cached for a year; ETags answer
//! revalidation with 304; text files go out in the brotli or gzip form made once after start.

use crate::app::SharedApp;
use crate::error::{Error, Result};
use crate::extract::accepts;
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
    let (encoding, body) = pick_encoding(&headers, asset);
    // One strong ETag per representation: the hash, and the encoding when compressed.
    let tag = match encoding {
        Some(e) => format!("{}-{e}\"", asset.etag.trim_end_matches('"')),
        None => asset.etag.clone(),
    };
    let etag = HeaderValue::from_str(&tag).map_err(|e| Error::Internal(e.to_string()))?;
    let base = asset.etag.trim_end_matches('"');
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').map(str::trim).any(|t| {
                // Any representation of these bytes is fresh: they decode to the same file.
                t == "*" || t.trim_start_matches("W/").starts_with(base)
            })
        });
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            )],
            body.to_vec(),
        )
            .into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // Before its compressed forms exist, the response layer may compress a text file on the
    // fly: no ETag then, since the plain one would not name that body.
    if !asset.compressible() || asset.packed().is_some() {
        h.insert(header::ETAG, etag);
    }
    if asset.compressible() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if let Some(e) = encoding
        && !fresh
    {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    Ok(res)
}

/// The precompressed form the client takes (brotli first), or the plain bytes.
fn pick_encoding<'a>(
    headers: &HeaderMap,
    asset: &'a cong_render::Asset,
) -> (Option<&'static str>, &'a [u8]) {
    let accept = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let packed = asset.packed();
    if let Some(br) = packed.and_then(|p| p.br.as_deref())
        && accepts(accept, "br")
    {
        return (Some("br"), br);
    }
    if let Some(gz) = packed.and_then(|p| p.gzip.as_deref())
        && accepts(accept, "gzip")
    {
        return (Some("gzip"), gz);
    }
    (None, &asset.bytes)
}
