//! The media folder's files: tower-http's `ServeDir`, with the I/O errors it leaves as 500
//! sorted out. A name the file system refuses (longer than a file name may be) is a file
//! that is not there, so 404; any other I/O error stays a logged server error.

use crate::error::Error;
use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::io::ErrorKind;
use std::path::PathBuf;
use tower::service_fn;
use tower_http::services::ServeDir;

/// The service for `/media/*`: the folder's files, 404 for what cannot be there.
pub fn service(
    dir: PathBuf,
) -> impl tower::Service<
    Request,
    Response = Response,
    Error = Infallible,
    Future = impl Future<Output = Result<Response, Infallible>> + Send,
> + Clone
+ Send
+ Sync
+ 'static {
    let dir = ServeDir::new(dir);
    service_fn(move |req: Request| {
        let mut dir = dir.clone();
        async move {
            Ok(match dir.try_call(req).await {
                Ok(res) => res.map(Body::new),
                Err(e) if cannot_exist(e.kind()) => Error::NotFound.into_response(),
                Err(e) => Error::Internal(format!("media file: {e}")).into_response(),
            })
        }
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
