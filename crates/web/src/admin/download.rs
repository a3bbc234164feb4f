//! A back-office file to download (exports): its type, its name, and never kept by anyone.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `body` as an attachment named `name` (ASCII), `no-store`.
pub fn attachment(body: Vec<u8>, mime: &'static str, name: &str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A stored file of `kind` (cong-files' kind) under its own name (any script, as
/// `filename*`), always downloaded, never shown in the back office's origin.
pub fn file(body: Vec<u8>, kind: &str, name: &str) -> Response {
    let mime = cong_files::Kind::parse(kind).map_or("application/octet-stream", |k| k.mime());
    let mut res = attachment(body, mime, "tep");
    if let Ok(v) = HeaderValue::from_str(&cong_files::content_disposition(name, false)) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
