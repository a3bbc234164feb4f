//! `/media/*`: the node's media folder through tower-http's `ServeDir` (ranges, conditional
//! requests, content types), the folder being a cache of the files the store keeps. A file
//! not in the folder is fetched from the store into it ([`MediaCache::fill`]) and served
//! from there; no such stored file is a 404, the store away a 503.
//!
//! `ServeDir`'s I/O errors are sorted out too: a name the file system refuses (longer than a
//! file name may be) is a file that is not there, so 404; any other stays a logged 500.

use crate::error::Error;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use cong_domain::media::cache::MediaCache;
use std::convert::Infallible;
use std::io::ErrorKind;
use std::sync::Arc;
use tower::service_fn;
use tower_http::services::ServeDir;

/// The service for `/media/*`.
pub fn service(
    cache: Arc<MediaCache>,
) -> impl tower::Service<
    Request,
    Response = Response,
    Error = Infallible,
    Future = impl Future<Output = Result<Response, Infallible>> + Send,
> + Clone
+ Send
+ Sync
+ 'static {
    let dir = ServeDir::new(cache.dir());
    service_fn(move |req: Request| {
        let (dir, cache) = (dir.clone(), cache.clone());
        async move { Ok(serve(dir, &cache, req).await) }
    })
}

async fn serve(mut dir: ServeDir, cache: &MediaCache, req: Request) -> Response {
    // The file's name: the one segment under /media/ (the service is nested there).
    let name = req.uri().path().trim_start_matches('/').to_owned();
    // Images and videos only: attachments share the store's files but are served by
    // `/tep/`, which checks that something published carries them.
    if !is_media_name(&name) {
        return Error::NotFound.into_response();
    }
    let readable = matches!(*req.method(), Method::GET | Method::HEAD);
    // Kept to ask the folder again once the file is fetched (GET and HEAD have no body).
    let again = readable.then(|| {
        let mut r = Request::new(Body::empty());
        *r.method_mut() = req.method().clone();
        *r.uri_mut() = req.uri().clone();
        *r.headers_mut() = req.headers().clone();
        r
    });
    let first = match dir.try_call(req).await {
        Ok(res) if res.status() != StatusCode::NOT_FOUND => {
            cache.touch(&name);
            return res.map(Body::new);
        }
        Ok(res) => res.map(Body::new),
        Err(e) if cannot_exist(e.kind()) => Error::NotFound.into_response(),
        Err(e) => return Error::Internal(format!("media file: {e}")).into_response(),
    };
    let Some(again) = again else { return first };
    match cache.fill(&name).await {
        Ok(true) => match dir.try_call(again).await {
            Ok(res) => res.map(Body::new),
            Err(e) if cannot_exist(e.kind()) => Error::NotFound.into_response(),
            Err(e) => Error::Internal(format!("media file: {e}")).into_response(),
        },
        Ok(false) => Error::NotFound.into_response(),
        Err(e) => Error::from(e).into_response(),
    }
}

/// A name the media library gives: `{hash}.{ext}` or `{hash}-{width}.{ext}` of an image,
/// `{hash}.mp4` or `{hash}.webm` of a video (attachments never have these extensions).
fn is_media_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        matches!(
            ext,
            "jpg" | "jpeg" | "png" | "gif" | "webp" | "mp4" | "webm"
        )
    })
}

/// `ServeDir` answers NotFound, PermissionDenied and ENOTDIR with 404 itself; these are the
/// other answers of the file system to a name no media file can have.
fn cannot_exist(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::InvalidFilename
            | ErrorKind::InvalidInput
            | ErrorKind::NotADirectory
            | ErrorKind::IsADirectory
            | ErrorKind::NotFound
            | ErrorKind::PermissionDenied
    )
}
