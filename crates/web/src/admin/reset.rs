//! `/quen-mat-khau` (ask for a reset link by e-mail) and `/dat-lai-mat-khau` (the link's
//! form for a new password). Offered only when mail is on. Anonymous forms, their CSRF token
//! a pre-session cookie like the login form's.

use super::form::FormData;
use super::session::{PRE_COOKIE, client_ip, is_secure, redirect, set_cookie};
use crate::app::SharedApp;
use crate::error::{Error, Result};
use crate::sites::CurrentSite;
use axum::extract::{Query, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use cong_domain::auth::{ResetRequest, tokens};
use serde::{Deserialize, Serialize};

/// What the page shows.
#[derive(Serialize, Default)]
struct ResetView {
    site_name: String,
    csrf: String,
    /// "ask" (the address form), "asked" (the same answer for every address), "new" (the
    /// new-password form), "gone" (the link no longer works).
    step: &'static str,
    token: String,
    username: String,
    error: Option<String>,
    min_chars: u32,
}

/// The page; `secure` (Some) also sets the form's CSRF cookie, with "Secure" or not.
fn page(
    app: &SharedApp,
    view: &ResetView,
    status: StatusCode,
    secure: Option<bool>,
) -> Result<Response> {
    let html = app.renderer.render("admin/reset.html", view)?;
    let mut res = (status, Html(html)).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    // The token in the address is not to travel on in a Referer.
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    if let Some(secure) = secure {
        h.append(
            header::SET_COOKIE,
            set_cookie(PRE_COOKIE, &view.csrf, Some(3600), secure, true),
        );
    }
    Ok(res)
}

/// A view with a fresh CSRF token (cookie and field).
fn fresh(site: &CurrentSite, app: &SharedApp, step: &'static str) -> ResetView {
    ResetView {
        site_name: site.name.clone(),
        csrf: tokens::random_token(),
        step,
        min_chars: app.auth.config().min_password_chars,
        ..ResetView::default()
    }
}

fn require_mail(app: &SharedApp) -> Result<()> {
    if app.mailer.enabled() {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// The client's address and whether its cookies get "Secure".
fn who(app: &SharedApp, parts: &Parts) -> (String, bool) {
    let (peer, ip) = client_ip(app, &parts.extensions, &parts.headers);
    (ip, is_secure(app, peer, &parts.headers))
}

async fn split(app: &SharedApp, req: Request) -> Result<(Parts, FormData)> {
    let (parts, body) = req.into_parts();
    let parts_copy = parts.clone();
    let form = <FormData as axum::extract::FromRequest<SharedApp>>::from_request(
        Request::from_parts(parts, body),
        app,
    )
    .await?;
    Ok((parts_copy, form))
}

pub async fn ask_form(
    State(app): State<SharedApp>,
    site: CurrentSite,
    req: Request,
) -> Result<Response> {
    require_mail(&app)?;
    let (parts, _) = req.into_parts();
    let (_, secure) = who(&app, &parts);
    page(
        &app,
        &fresh(&site, &app, "ask"),
        StatusCode::OK,
        Some(secure),
    )
}

pub async fn ask(
    State(app): State<SharedApp>,
    site: CurrentSite,
    req: Request,
) -> Result<Response> {
    require_mail(&app)?;
    let (parts, form) = split(&app, req).await?;
    let (ip, secure) = who(&app, &parts);
    let secure = Some(secure);
    let Some(base) = cong_domain::mail::link_base(&site.address, app.public_url.as_deref()) else {
        // The same answer as always (nothing tells who asks that no mail goes).
        tracing::warn!(
            site = site.id.0,
            "password reset asked, but no mail sent: set the site's address or server.public_url"
        );
        return page(&app, &fresh(&site, &app, "asked"), StatusCode::OK, secure);
    };
    let request = ResetRequest {
        site: site.id,
        site_name: &site.name,
        base_url: &base,
        email: form.get("email"),
        ip: &ip,
    };
    match app.auth.request_reset(&app.mailer, &request).await {
        Ok(()) => page(&app, &fresh(&site, &app, "asked"), StatusCode::OK, secure),
        Err(cong_domain::Error::Invalid(m)) => {
            let mut view = fresh(&site, &app, "ask");
            view.error = Some(m);
            page(&app, &view, StatusCode::UNPROCESSABLE_ENTITY, secure)
        }
        Err(cong_domain::Error::TooMany(wait)) => {
            let mut view = fresh(&site, &app, "ask");
            view.error = Some(format!(
                "Đã có nhiều yêu cầu; hãy thử lại sau {} phút.",
                (wait + 59) / 60
            ));
            let mut res = page(&app, &view, StatusCode::TOO_MANY_REQUESTS, secure)?;
            if let Ok(v) = header::HeaderValue::from_str(&wait.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct Link {
    #[serde(default)]
    t: String,
}

pub async fn new_form(
    State(app): State<SharedApp>,
    site: CurrentSite,
    Query(link): Query<Link>,
    req: Request,
) -> Result<Response> {
    require_mail(&app)?;
    let (parts, _) = req.into_parts();
    let (_, secure) = who(&app, &parts);
    match app.auth.reset_link_user(&link.t).await? {
        Some(user) => {
            let mut view = fresh(&site, &app, "new");
            view.token = link.t;
            view.username = user.username;
            page(&app, &view, StatusCode::OK, Some(secure))
        }
        None => page(
            &app,
            &fresh(&site, &app, "gone"),
            StatusCode::NOT_FOUND,
            None,
        ),
    }
}

pub async fn set(
    State(app): State<SharedApp>,
    site: CurrentSite,
    req: Request,
) -> Result<Response> {
    require_mail(&app)?;
    let (parts, form) = split(&app, req).await?;
    let (ip, _) = who(&app, &parts);
    let token = form.get("t").to_owned();
    let csrf = form.get("csrf").to_owned();
    let refuse = |message: String, status| -> Result<Response> {
        // The form again, with the token it came with (its cookie stays as it is).
        let mut view = fresh(&site, &app, "new");
        view.token.clone_from(&token);
        view.csrf = csrf.clone();
        view.error = Some(message);
        page(&app, &view, status, None)
    };
    if form.get("new") != form.get("repeat") {
        return refuse(
            "Hai lần nhập mật khẩu mới không khớp.".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match app.auth.finish_reset(&token, form.get("new"), &ip).await {
        Ok(()) => Ok(redirect("/dang-nhap?ok=dat-lai")),
        Err(cong_domain::Error::Invalid(m)) => refuse(m, StatusCode::UNPROCESSABLE_ENTITY),
        Err(cong_domain::Error::NotFound) => page(
            &app,
            &fresh(&site, &app, "gone"),
            StatusCode::NOT_FOUND,
            None,
        ),
        Err(e) => Err(e.into()),
    }
}
