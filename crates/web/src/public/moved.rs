//! The addresses a site had before it moved in (`/?p=12`, `/2023/05/17/slug/`,
//! `/vi/news/…-12.html`): a 301 to where each item is now, else the usual 404.

use crate::app::SharedApp;
use crate::error::{Error, Result};
use crate::sites::CurrentSite;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// What no route serves: an old address, or not found.
pub async fn fallback(State(app): State<SharedApp>, req: Request) -> Result<Response> {
    let site = req.extensions().get::<CurrentSite>();
    let (Some(site), true) = (
        site,
        req.method() == Method::GET || req.method() == Method::HEAD,
    ) else {
        return Err(Error::NotFound);
    };
    let uri = req.uri();
    match app.redirects.find(site.id, uri.path(), uri.query()).await {
        Ok(Some(target)) => Ok(moved(&target)),
        // An old address is a courtesy: when the store cannot say, the reader gets the 404.
        Ok(None) | Err(_) => Err(Error::NotFound),
    }
}

/// The home page asked with one of WordPress's item parameters (`/?p=12`): where the item
/// is now, if the site moved in from WordPress.
pub async fn home(app: &SharedApp, site: &CurrentSite, query: Option<&str>) -> Option<Response> {
    cong_domain::redirects::old_address("/", query)?;
    let target = app.redirects.find(site.id, "/", query).await.ok()??;
    Some(moved(&target))
}

fn moved(target: &str) -> Response {
    let mut res = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(v) = HeaderValue::from_str(target) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}
