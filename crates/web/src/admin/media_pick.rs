//! The media library as JSON for scripts: the editor's chooser (`GET /quan-tri/anh/chon?q=`)
//! and its upload on the spot (`POST /quan-tri/anh/chen`, multipart, the CSRF token in the
//! `X-CSRF-Token` header), with the same checks as the library's own form.

use super::media::{Sent, read_upload, thumb};
use super::session::Admin;
use crate::error::{Error, ErrorPage};
use crate::error_pages::Plain;
use axum::extract::Multipart;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_render::urls;
use serde_json::json;

/// How many images the chooser lists at once.
const PICK: i64 = 24;

pub(super) fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    let mut res = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        value.to_string(),
    )
        .into_response();
    // An error answered in JSON stays JSON: the script shows its message.
    res.extensions_mut().insert(Plain);
    res
}

/// A refusal as `{"error": "…"}` with its status; a server fault as the usual error page.
pub(super) fn refusal(e: Error) -> Response {
    let status = e.status();
    if status.is_server_error() {
        return e.into_response();
    }
    let message = match e {
        Error::BadRequest(m)
        | Error::Forbidden(m)
        | Error::Conflict(m)
        | Error::Unprocessable(m)
        | Error::TooLarge(m)
        | Error::Unsupported(m) => m,
        _ => ErrorPage::for_status(status).message,
    };
    json(status, &json!({ "error": message }))
}

fn item(m: &cong_store::media::MediaRow) -> serde_json::Value {
    json!({
        "id": m.id,
        "name": m.original_name,
        "src": urls::media(&m.file_name),
        "thumb": thumb(m),
        "alt": m.caption,
        "caption": m.caption,
        "width": m.width,
        "height": m.height,
    })
}

/// The newest images whose name or caption holds `q` (all of the newest without one).
pub async fn pick(admin: Admin) -> Response {
    if let Err(e) = admin.require(Action::UploadMedia) {
        return refusal(e);
    }
    let q: String = admin.param("q").chars().take(200).collect();
    match admin.app.media.list(admin.site.id, Some(&q), PICK, 0).await {
        Ok((rows, _)) => json(
            StatusCode::OK,
            &serde_json::Value::Array(rows.iter().map(item).collect()),
        ),
        Err(e) => refusal(e.into()),
    }
}

/// Stores one image as the library's form does and answers with its row.
pub async fn insert(admin: Admin, multipart: Multipart) -> Response {
    if let Err(e) = admin.require(Action::UploadMedia) {
        return refusal(e);
    }
    let Sent { file, caption } = match read_upload(&admin, multipart).await {
        Ok(s) => s,
        Err(e) => return refusal(e),
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refusal(Error::Unprocessable(
            "Chọn một tệp ảnh để tải lên.".to_owned(),
        ));
    };
    let lib = &admin.app.media;
    let stored = lib
        .upload(admin.site.id, Some(admin.actor()), bytes, &name, &caption)
        .await;
    match stored {
        Ok(id) => match lib.find(admin.site.id, id).await {
            Ok(m) => json(StatusCode::CREATED, &item(&m)),
            Err(e) => refusal(e.into()),
        },
        Err(e) => refusal(e.into()),
    }
}
