//! Turns every error response into a page in the site's style, whoever produced it (our
//! handlers, the router's 404 and 405, the timeout and body-limit layers, a caught panic),
//! and logs server errors with the request id.

use crate::app::SharedApp;
use crate::error::ErrorPage;
use crate::sites::CurrentSite;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cong_render::views::{ErrorView, Layout, SiteView};

pub async fn themed(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let path = req.uri().path().to_owned();
    let site = req.extensions().get::<CurrentSite>().cloned();
    let res = next.run(req).await;
    let status = res.status();
    // A page a handler rendered itself (a form shown again with its errors) stays as it is.
    let own_page = res.extensions().get::<ErrorPage>().is_none()
        && res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error())
        || own_page
        || res.extensions().get::<Plain>().is_some()
    {
        return res;
    }
    let page = res
        .extensions()
        .get::<ErrorPage>()
        .cloned()
        .unwrap_or_else(|| ErrorPage::for_status(status));
    let detail = page.detail.as_deref().unwrap_or("");
    if status == StatusCode::SERVICE_UNAVAILABLE {
        // Expected while the store is away; the cause is logged where it is noticed.
        tracing::warn!(request_id, path, detail, "service unavailable");
    } else if status.is_server_error() {
        tracing::error!(%status, request_id, path, detail, "server error");
    }
    let (parts, _) = res.into_parts();
    page_response(&app, site.as_ref(), &page, parts).await
}

/// An error page of its own, outside the router (a host name no site holds: no `site`).
pub async fn respond(app: &SharedApp, site: Option<&CurrentSite>, page: &ErrorPage) -> Response {
    let (parts, _) = page.status.into_response().into_parts();
    page_response(app, site, page, parts).await
}

async fn page_response(
    app: &SharedApp,
    site: Option<&CurrentSite>,
    page: &ErrorPage,
    mut parts: axum::http::response::Parts,
) -> Response {
    let html = render(app, site, page).await;
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(html))
}

/// Marks a response that must keep its own body (health checks).
#[derive(Debug, Clone, Copy)]
pub struct Plain;

async fn render(app: &SharedApp, site: Option<&CurrentSite>, page: &ErrorPage) -> String {
    // An error page must not fail, nor wait: for a 503 (store away or starting) it does not
    // ask the store for the menu.
    // Without a site (a host name none holds) it shows no site's menu or name either.
    let layout = match site {
        Some(site) if page.status != StatusCode::SERVICE_UNAVAILABLE && app.is_ready() => {
            crate::extract::layout(
                app,
                site,
                None,
                None,
                None,
                app.stats.widget(site.id).into(),
            )
            .await
        }
        _ => Err(crate::Error::Unavailable(String::new())),
    };
    let layout = match layout {
        Ok(l) => l,
        Err(_) => Layout::new(
            SiteView::new(&Default::default(), &[]),
            &[],
            // The site's numbers, or none when no site holds the name.
            site.map(|s| app.stats.widget(s.id)).unwrap_or_default(),
            None,
            None,
        ),
    };
    let (title, message) = words(app.renderer.catalogue(), page);
    let view = ErrorView {
        layout: layout.titled(&title, ""),
        status: page.status.as_u16(),
        title: title.clone(),
        message,
    };
    app.renderer
        .render("error.html", &view)
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "the error page itself failed to render");
            format!(
                "<!DOCTYPE html><html lang=\"{1}\"><head><meta charset=\"utf-8\"><title>{0}</title></head><body><h1>{0}</h1></body></html>",
                title,
                cong_render::i18n::current().code()
            )
        })
}

/// The page's title and message in the request's language: a status's own words come from
/// the catalogue; words a handler chose for this error (a form's refusal) stay as they are.
fn words(catalogue: &cong_render::i18n::Catalogue, page: &ErrorPage) -> (String, String) {
    let generic = ErrorPage::for_status(page.status);
    let key = match page.status.as_u16() {
        code @ (400 | 404 | 405 | 408 | 413 | 414 | 503) => code.to_string(),
        code if (500..600).contains(&code) => "500".to_owned(),
        _ => "other".to_owned(),
    };
    let title = match page.title_id {
        Some(id) => catalogue.text(id),
        None if page.title == generic.title => catalogue.text(&format!("error-{key}-title")),
        None => page.title.to_owned(),
    };
    let message = match &page.words {
        Some(words) => words.say(catalogue),
        None if page.message == generic.message => catalogue.text(&format!("error-{key}-message")),
        None => page.message.clone(),
    };
    (title, message)
}

/// The response of a caught panic: a 500 that the themed layer renders; the panic is logged.
pub fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "panic".to_owned());
    tracing::error!(detail, "handler panicked");
    let mut res = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    let mut page = ErrorPage::for_status(StatusCode::INTERNAL_SERVER_ERROR);
    page.detail = Some(detail);
    res.extensions_mut().insert(page);
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use cong_domain::navigation::Lang;
    use cong_render::i18n::sync_scope;

    #[test]
    fn a_status_reads_the_same_in_vietnamese_and_has_english_words() {
        let renderer = cong_render::Renderer::new(None).expect("theme loads");
        let catalogue = renderer.catalogue();
        for code in [400, 403, 404, 405, 408, 413, 414, 500, 502, 503] {
            let status = StatusCode::from_u16(code).expect("status");
            let page = ErrorPage::for_status(status);
            let (title, message) = sync_scope(Lang::Vi, || words(catalogue, &page));
            assert_eq!(
                (title.as_str(), message.as_str()),
                (page.title, page.message.as_str())
            );
            let (title, message) = sync_scope(Lang::En, || words(catalogue, &page));
            assert_ne!(title, page.title, "{code} has an English title");
            assert_ne!(message, page.message, "{code} has an English message");
        }
        let mut own = ErrorPage::for_status(StatusCode::UNPROCESSABLE_ENTITY);
        own.message = "Thiếu nội dung.".to_owned();
        let (_, message) = sync_scope(Lang::En, || words(catalogue, &own));
        assert_eq!(message, "Thiếu nội dung.", "a handler's own words stay");
        own.words = Some(crate::error::Words::new("error-too-many").with("seconds", 7));
        let (_, vi) = sync_scope(Lang::Vi, || words(catalogue, &own));
        let (_, en) = sync_scope(Lang::En, || words(catalogue, &own));
        assert_eq!(vi, "Vui lòng thử lại sau 7 giây.");
        assert_eq!(en, "Please try again in 7 seconds.");
    }
}
