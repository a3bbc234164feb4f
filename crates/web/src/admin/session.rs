//! Who is logged in, and the CSRF check every state-changing request passes.
//!
//! The session cookie holds a random token; the store keeps its hash. Every POST (and any
//! other unsafe method) must carry the session's CSRF token — as the `csrf` form field, the
//! `X-CSRF-Token` header, or (for file uploads) the `csrf` query parameter — or it is
//! refused with 403 before any handler runs. Before login, the token comes from a
//! short-lived pre-session cookie (double submit). On top, tower-http's CSRF layer refuses
//! cross-site requests by `Sec-Fetch-Site`/`Origin`.

use crate::app::SharedApp;
use crate::error::{Error, Result};
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::{Action, Role, Session, User, can};
use cong_domain::editorial::Actor;
use std::net::{IpAddr, SocketAddr};
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "cong_sid";
pub const PRE_COOKIE: &str = "cong_pre";

/// Largest form body read for its CSRF field; uploads carry the token in the query.
const MAX_FORM: usize = 1024 * 1024;

/// A cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// True when a trusted proxy says the request came over HTTPS.
pub fn is_secure_proxy(app: &SharedApp, peer: IpAddr, headers: &HeaderMap) -> bool {
    let trusted = app
        .trusted_proxies
        .iter()
        .any(|n| n.contains(&peer.to_canonical()));
    trusted
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// True when cookies get `Secure`: the request came over HTTPS (as a trusted proxy says),
/// or the configuration says always.
pub fn is_secure(app: &SharedApp, peer: IpAddr, headers: &HeaderMap) -> bool {
    match app.auth.config().secure_cookie.as_str() {
        "always" => true,
        "never" => false,
        _ => is_secure_proxy(app, peer, headers),
    }
}

/// A `Set-Cookie` value: HttpOnly, SameSite, Path=/, Secure when served over HTTPS.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age: Option<i64>,
    secure: bool,
    strict: bool,
) -> HeaderValue {
    let mut c = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={}",
        if strict { "Strict" } else { "Lax" }
    );
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// The peer address and the client's (behind trusted proxies), as text for logs.
pub fn client_ip(
    app: &SharedApp,
    parts_ext: &axum::http::Extensions,
    headers: &HeaderMap,
) -> (IpAddr, String) {
    let peer = parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let xff: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let ip = cong_domain::stats::client_ip(peer, &xff, &app.trusted_proxies);
    (peer, ip.to_string())
}

/// The session of this request, looked up once and kept in the request's extensions.
#[derive(Clone)]
pub struct Looked(pub Option<Session>);

async fn look_up(app: &SharedApp, parts: &mut Parts) -> Result<Option<Session>> {
    if let Some(Looked(s)) = parts.extensions.get::<Looked>() {
        return Ok(s.clone());
    }
    let s = match cookie(&parts.headers, SESSION_COOKIE) {
        Some(token) => app.auth.session(token).await?,
        None => None,
    };
    parts.extensions.insert(Looked(s.clone()));
    Ok(s)
}

/// Refuses unsafe requests without the right CSRF token. Runs before every handler.
pub async fn require_csrf(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    match check_csrf(&app, req).await {
        Ok(req) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

async fn check_csrf(app: &SharedApp, req: Request) -> Result<Request> {
    let (mut parts, body) = req.into_parts();
    let expected = match look_up(app, &mut parts).await? {
        Some(s) => Some(s.csrf_token),
        None => cookie(&parts.headers, PRE_COOKIE).map(str::to_owned),
    };
    let from_header = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let from_query = parts.uri.query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.into_owned())
    });
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let (given, body) = match (from_header.or(from_query), is_form) {
        (Some(t), _) => (Some(t), body),
        (None, true) => {
            let bytes = to_bytes(body, MAX_FORM)
                .await
                .map_err(|_| Error::TooLarge("Dữ liệu gửi lên quá lớn.".to_owned()))?;
            let t = form_urlencoded::parse(&bytes)
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v.into_owned());
            (t, Body::from(bytes))
        }
        (None, false) => (None, body),
    };
    let ok = match (expected, given) {
        (Some(e), Some(g)) => !e.is_empty() && bool::from(e.as_bytes().ct_eq(g.as_bytes())),
        _ => false,
    };
    if !ok {
        return Err(Error::Forbidden(
            "Phiên làm việc đã hết hạn hoặc yêu cầu không hợp lệ. Hãy tải lại trang và thử lại."
                .to_owned(),
        ));
    }
    Ok(Request::from_parts(parts, body))
}

/// A logged-in user (second factor done) with what handlers need.
pub struct Admin {
    pub app: SharedApp,
    pub session: Session,
    pub ip: String,
    pub secure: bool,
    pub query: Option<String>,
}

impl Admin {
    pub fn user(&self) -> &User {
        &self.session.user
    }

    pub fn actor(&self) -> Actor<'_> {
        Actor {
            user: &self.session.user,
            ip: &self.ip,
        }
    }

    /// Refuses with 403 unless the user's role allows `action`.
    pub fn require(&self, action: Action) -> Result<()> {
        if can(self.session.user.role, action) {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "Bạn không có quyền thực hiện thao tác này.".to_owned(),
            ))
        }
    }

    pub fn role(&self) -> Role {
        self.session.user.role
    }
}

/// Where an unauthenticated browser is sent.
#[derive(Debug)]
pub struct ToLogin;

impl FromRequestParts<SharedApp> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &SharedApp) -> Result<Self, Response> {
        let session = look_up(app, parts)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(session) = session else {
            return Err(login_redirect(parts));
        };
        if session.pending_totp {
            return Err(redirect("/dang-nhap/xac-thuc"));
        }
        // A role that must use a second factor: until enrolled, only the account page.
        let path = parts.uri.path();
        if !session.user.totp_enabled
            && !path.starts_with("/quan-tri/tai-khoan")
            && app
                .auth
                .totp_required_roles()
                .await
                .map_err(|e| Error::from(e).into_response())?
                .contains(&session.user.role)
        {
            return Err(redirect("/quan-tri/tai-khoan?can-2fa=1"));
        }
        let (peer, ip) = client_ip(app, &parts.extensions, &parts.headers);
        Ok(Admin {
            secure: is_secure(app, peer, &parts.headers),
            app: app.clone(),
            session,
            ip,
            query: parts.uri.query().map(str::to_owned),
        })
    }
}

/// The half-open session of the second-factor step.
pub struct Pending {
    pub app: SharedApp,
    pub session: Session,
    pub ip: String,
    pub user_agent: String,
    pub secure: bool,
}

impl FromRequestParts<SharedApp> for Pending {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &SharedApp) -> Result<Self, Response> {
        let session = look_up(app, parts)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(session) = session.filter(|s| s.pending_totp) else {
            return Err(redirect("/dang-nhap"));
        };
        let (peer, ip) = client_ip(app, &parts.extensions, &parts.headers);
        Ok(Pending {
            secure: is_secure(app, peer, &parts.headers),
            app: app.clone(),
            session,
            ip,
            user_agent: parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
        })
    }
}

/// A 303 redirect (after a POST, the browser GETs the target).
pub fn redirect(to: &str) -> Response {
    let mut res = axum::http::StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

fn login_redirect(parts: &Parts) -> Response {
    let next = parts
        .uri
        .path_and_query()
        .map_or("/quan-tri", |p| p.as_str());
    let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    redirect(&format!("/dang-nhap?tiep={next}"))
}
