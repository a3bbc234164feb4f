//! `/dang-nhap`: the password, then (when enrolled) the second factor; `/dang-xuat`.
//! A login always opens a new session: the cookie's token changes at login.

use super::form::FormData;
use super::session::{
    Looked, PRE_COOKIE, Pending, SESSION_COOKIE, client_ip, cookie, is_secure, redirect, set_cookie,
};
use crate::app::SharedApp;
use crate::error::{Error, Result};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use cong_domain::auth::{LoginError, tokens};
use cong_render::views::admin::LoginView;

/// Only local paths are followed after login (never another site).
fn safe_next(next: &str) -> &str {
    if next.starts_with("/quan-tri") && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/quan-tri"
    }
}

/// The name on the login page: the site the host name reached (one login there opens every
/// site the account has a role on).
async fn site_name(app: &SharedApp, site: Option<cong_store::SiteId>) -> String {
    match app
        .content
        .site(site.unwrap_or(cong_store::SiteId::FIRST))
        .await
    {
        Ok(site) if !site.get("site.name").is_empty() => site.get("site.name").to_owned(),
        _ => "Cổng thông tin điện tử".to_owned(),
    }
}

fn host_site(parts: &axum::http::request::Parts) -> Option<cong_store::SiteId> {
    parts
        .extensions
        .get::<crate::sites::CurrentSite>()
        .map(|s| s.id)
}

fn render(app: &SharedApp, view: &LoginView, status: StatusCode) -> Result<Response> {
    let html = app.renderer.render("admin/login.html", view)?;
    let mut res = (status, Html(html)).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// The login form, with a fresh pre-session token (cookie and hidden field must match).
pub async fn form(State(app): State<SharedApp>, req: Request) -> Result<Response> {
    let (parts, _) = req.into_parts();
    let next = parts
        .uri
        .query()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "tiep"))
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    // Already logged in: straight on.
    if let Some(token) = cookie(&parts.headers, SESSION_COOKIE)
        && let Ok(Some(s)) = app.auth.session(token).await
        && !s.pending_totp
    {
        return Ok(redirect(safe_next(&next)));
    }
    let (peer, _) = client_ip(&app, &parts.extensions, &parts.headers);
    let csrf = tokens::random_token();
    let view = LoginView {
        site_name: site_name(&app, host_site(&parts)).await,
        csrf: csrf.clone(),
        username: String::new(),
        next: safe_next(&next).to_owned(),
        error: None,
        second_factor: false,
        reset_offered: app.mailer.enabled(),
    };
    let mut res = render(&app, &view, StatusCode::OK)?;
    let secure = is_secure(&app, peer, &parts.headers);
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(PRE_COOKIE, &csrf, Some(3600), secure, true),
    );
    Ok(res)
}

/// The status, `Retry-After` and message of a refused login or code; other errors go up.
fn refusal(e: LoginError) -> Result<(StatusCode, Option<i64>, String)> {
    let outcome = match &e {
        LoginError::BadCredentials => "bad_credentials",
        LoginError::BadCode | LoginError::LoginEnded => "bad_code",
        LoginError::TooLong(_) => "too_long",
        LoginError::Throttled(_) => "throttled",
        LoginError::Busy(_) => "busy",
        LoginError::KeyMissing => "key_missing",
        LoginError::Other(_) => "error",
    };
    metrics::counter!("cong_login_refused_total", "reason" => outcome).increment(1);
    let status = match &e {
        LoginError::Other(inner) => return Err(Error::from(clone_err(inner))),
        LoginError::BadCredentials | LoginError::BadCode | LoginError::LoginEnded => {
            (StatusCode::UNAUTHORIZED, None)
        }
        LoginError::TooLong(_) => (StatusCode::BAD_REQUEST, None),
        LoginError::Throttled(s) => (StatusCode::TOO_MANY_REQUESTS, Some(*s)),
        LoginError::Busy(s) => (StatusCode::SERVICE_UNAVAILABLE, Some(*s)),
        // Not for long, one hopes: the operator has to bring the key back.
        LoginError::KeyMissing => (StatusCode::SERVICE_UNAVAILABLE, Some(300)),
    };
    Ok((status.0, status.1, e.to_string()))
}

fn with_retry_after(mut res: Response, retry: Option<i64>) -> Response {
    if let Some(s) = retry
        && let Ok(v) = axum::http::HeaderValue::from_str(&s.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// Longest `next` followed after login; a longer one is no page of ours.
const MAX_NEXT: usize = 2048;

pub async fn submit(State(app): State<SharedApp>, req: Request) -> Result<Response> {
    let (parts, body) = req.into_parts();
    let (peer, ip) = client_ip(&app, &parts.extensions, &parts.headers);
    // A half-open login this browser leaves for a new one (looked up by the CSRF check).
    let left = parts
        .extensions
        .get::<Looked>()
        .and_then(|l| l.0.clone())
        .filter(|s| s.pending_totp);
    let secure = is_secure(&app, peer, &parts.headers);
    let site = host_site(&parts);
    let ua = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let form = <FormData as axum::extract::FromRequest<SharedApp>>::from_request(
        Request::from_parts(parts, body),
        &app,
    )
    .await?;
    let username = form.get("username").trim().to_lowercase();
    let next = match form.get("next") {
        n if n.len() > MAX_NEXT => "/quan-tri".to_owned(),
        n => safe_next(n).to_owned(),
    };
    match app
        .auth
        .login(&username, form.get("password"), &ip, &ua)
        .await
    {
        Ok((token, session)) => {
            if let Some(old) = &left {
                app.auth.abandon(old).await?;
            }
            let to = if session.pending_totp {
                "/dang-nhap/xac-thuc".to_owned()
            } else {
                next
            };
            let mut res = redirect(&to);
            let h = res.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &token, None, secure, false),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(PRE_COOKIE, "", Some(0), secure, true),
            );
            Ok(res)
        }
        Err(e) => {
            let (status, retry, message) = refusal(e)?;
            let csrf = form.get("csrf").to_owned();
            let view = LoginView {
                site_name: site_name(&app, site).await,
                csrf,
                // What was typed is shown again only when it can be a name.
                username: if username.len() <= cong_domain::auth::MAX_NAME {
                    username
                } else {
                    String::new()
                },
                next,
                error: Some(message),
                second_factor: false,
                reset_offered: app.mailer.enabled(),
            };
            Ok(with_retry_after(render(&app, &view, status)?, retry))
        }
    }
}

fn clone_err(e: &cong_domain::Error) -> cong_domain::Error {
    match e {
        cong_domain::Error::Unavailable(m) => cong_domain::Error::Unavailable(m.clone()),
        other => cong_domain::Error::Internal(other.to_string()),
    }
}

pub async fn second_factor_form(p: Pending) -> Result<Response> {
    let view = LoginView {
        site_name: site_name(&p.app, p.site).await,
        csrf: p.session.csrf_token.clone(),
        username: p.session.user.username.clone(),
        next: "/quan-tri".to_owned(),
        error: None,
        second_factor: true,
        reset_offered: false,
    };
    render(&p.app, &view, StatusCode::OK)
}

pub async fn second_factor_submit(p: Pending, form: FormData) -> Result<Response> {
    match p
        .app
        .auth
        .second_factor(&p.session, form.get("code"), &p.ip, &p.user_agent)
        .await
    {
        Ok((token, _)) => {
            let mut res = redirect("/quan-tri");
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &token, None, p.secure, false),
            );
            Ok(res)
        }
        Err(LoginError::LoginEnded) => {
            // The half-open login is over: back to the password form, saying why.
            let csrf = tokens::random_token();
            let view = LoginView {
                site_name: site_name(&p.app, p.site).await,
                csrf: csrf.clone(),
                username: p.session.user.username.clone(),
                next: "/quan-tri".to_owned(),
                error: Some(LoginError::LoginEnded.to_string()),
                second_factor: false,
                reset_offered: p.app.mailer.enabled(),
            };
            let mut res = render(&p.app, &view, StatusCode::UNAUTHORIZED)?;
            let h = res.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, "", Some(0), p.secure, false),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(PRE_COOKIE, &csrf, Some(3600), p.secure, true),
            );
            Ok(res)
        }
        Err(e) => {
            let (status, retry, message) = refusal(e)?;
            let view = LoginView {
                site_name: site_name(&p.app, p.site).await,
                csrf: p.session.csrf_token.clone(),
                username: p.session.user.username.clone(),
                next: "/quan-tri".to_owned(),
                error: Some(message),
                second_factor: true,
                reset_offered: false,
            };
            Ok(with_retry_after(render(&p.app, &view, status)?, retry))
        }
    }
}

/// Ends the session (any session, half-open ones too).
pub async fn logout(State(app): State<SharedApp>, req: Request) -> Result<Response> {
    let (parts, _) = req.into_parts();
    let (peer, ip) = client_ip(&app, &parts.extensions, &parts.headers);
    if let Some(token) = cookie(&parts.headers, SESSION_COOKIE)
        && let Some(s) = app.auth.session(token).await?
    {
        app.auth.logout(&s, &ip).await?;
    }
    let mut res = redirect("/dang-nhap");
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            "",
            Some(0),
            is_secure(&app, peer, &parts.headers),
            false,
        ),
    );
    Ok(res)
}
