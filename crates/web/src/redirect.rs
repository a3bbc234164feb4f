//! Plain HTTP while this node serves HTTPS: ACME HTTP-01 challenges are answered, and every
//! other request is sent permanently to the same path over `https://`.

use crate::app::SharedApp;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The plain-HTTP listener's router when TLS is on.
pub fn router(app: SharedApp) -> Router {
    Router::new().fallback(plain).with_state(app)
}

async fn plain(State(app): State<SharedApp>, req: Request) -> Response {
    let path = req.uri().path();
    if let Some(token) = path.strip_prefix(cong_tls::HTTP_CHALLENGE_PREFIX) {
        return challenge(&app, token).await;
    }
    let target = req.uri().path_and_query().map_or("/", |p| p.as_str());
    if target.len() > app.max_uri_bytes {
        return text(StatusCode::URI_TOO_LONG, "URI too long\n");
    }
    let raw = match req.headers().get(header::HOST) {
        Some(v) => v.to_str().ok(),
        None => req.uri().authority().map(|a| a.as_str()),
    };
    // Checked as pages check a Host, then without its port.
    let Some(name) = raw
        .and_then(crate::extract::host)
        .and_then(|h| cong_domain::sites::host_of(&h))
    else {
        return text(StatusCode::BAD_REQUEST, "Host missing or not valid\n");
    };
    let port = match app.sites.https().map(|h| h.port) {
        Some(443) | None => String::new(),
        Some(p) => format!(":{p}"),
    };
    let location = format!("https://{name}{port}{target}");
    let Ok(location) = HeaderValue::from_str(&location) else {
        return text(StatusCode::BAD_REQUEST, "bad request\n");
    };
    // 308 keeps a form's POST a POST; browsers and crawlers know 301 for the rest.
    let status = if matches!(*req.method(), Method::GET | Method::HEAD) {
        StatusCode::MOVED_PERMANENTLY
    } else {
        StatusCode::PERMANENT_REDIRECT
    };
    (status, [(header::LOCATION, location)]).into_response()
}

/// The key authorization for a token, from this node's memory or else the store (another
/// node's order); 404 for any other token.
async fn challenge(app: &SharedApp, token: &str) -> Response {
    let well_formed = !token.is_empty()
        && token.len() <= 128
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let answer = match (&app.tls, well_formed) {
        (Some(tls), true) => match tls.http_answer(token) {
            Some(a) => Some(a),
            None => tls.http_answer_stored(token).await,
        },
        _ => None,
    };
    match answer {
        Some(a) => text(StatusCode::OK, a),
        None => text(StatusCode::NOT_FOUND, "no such challenge\n"),
    }
}

fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body.into(),
    )
        .into_response()
}
