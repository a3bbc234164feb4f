//! Who is logged in, and the CSRF check every state-changing request passes.
//!
//! The session cookie holds a random token; the store keeps its hash. Every POST (and any
//! other unsafe method) must carry the session's CSRF token — as the `csrf` form field (in a
//! multipart upload, its first field), or the `X-CSRF-Token` header — or it is refused with
//! 403 before any handler runs. Never in the URL, where logs and `Referer` would keep it.
//! Before login, the token comes from a short-lived pre-session cookie (double submit); the
//! login form's POST accepts it whatever session the browser holds (a half-open
//! second-factor login left for a new one). On top, tower-http's CSRF layer refuses
//! cross-site requests by `Sec-Fetch-Site`/`Origin`.

use crate::app::SharedApp;
use crate::error::{Error, Result};
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::{Action, Role, Session, User};
use cong_domain::editorial::Actor;
use std::net::{IpAddr, SocketAddr};
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "cong_sid";
pub const PRE_COOKIE: &str = "cong_pre";

/// The login form's address: its POST is checked against the pre-session token too.
const LOGIN_PATH: &str = "/dang-nhap";

/// Largest form body read for its CSRF field.
const MAX_FORM: usize = 1024 * 1024;

/// How much of a multipart body is read for its first field, the CSRF token; the rest (the
/// file) streams on to the handler unread.
const MAX_MULTIPART_HEAD: usize = 16 * 1024;

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

/// True when the request came over HTTPS: this node serves TLS (with TLS on, plain HTTP
/// only redirects, so every request the router sees came over it), or a trusted proxy says so.
pub fn is_secure_proxy(app: &SharedApp, peer: IpAddr, headers: &HeaderMap) -> bool {
    if app.tls.is_some() {
        return true;
    }
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

pub(super) async fn look_up(app: &SharedApp, parts: &mut Parts) -> Result<Option<Session>> {
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
    let session = look_up(app, &mut parts).await?.map(|s| s.csrf_token);
    let pre = cookie(&parts.headers, PRE_COOKIE).map(str::to_owned);
    // The login form carries the pre-session token it was served with, whatever session
    // the browser holds meanwhile (a half-open second-factor login left for a new one).
    let expected: Vec<String> = if parts.uri.path() == LOGIN_PATH {
        session.into_iter().chain(pre).collect()
    } else {
        session.or(pre).into_iter().collect()
    };
    let from_header = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (given, body) = match from_header {
        Some(t) => (Some(t), body),
        None if content_type.starts_with("application/x-www-form-urlencoded") => {
            let bytes = to_bytes(body, MAX_FORM)
                .await
                .map_err(|_| Error::TooLarge("Dữ liệu gửi lên quá lớn.".to_owned()))?;
            let t = form_urlencoded::parse(&bytes)
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v.into_owned());
            (t, Body::from(bytes))
        }
        None if content_type.starts_with("multipart/form-data") => {
            multipart_token(content_type, body).await?
        }
        None => (None, body),
    };
    let ok = given.is_some_and(|g| {
        expected
            .iter()
            .any(|e| !e.is_empty() && bool::from(e.as_bytes().ct_eq(g.as_bytes())))
    });
    if !ok {
        return Err(Error::Forbidden(
            "Phiên làm việc đã hết hạn hoặc yêu cầu không hợp lệ. Hãy tải lại trang và thử lại."
                .to_owned(),
        ));
    }
    Ok(Request::from_parts(parts, body))
}

/// The token of a multipart body: its first field, which must be named `csrf` (a form
/// lists its fields in order, so the hidden input goes first). Reads only as far as the end
/// of that field, and hands the body on whole, the part read put back in front.
async fn multipart_token(content_type: &str, body: Body) -> Result<(Option<String>, Body)> {
    use futures_util::StreamExt;
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return Ok((None, body));
    };
    let end_of_first = format!("\r\n--{boundary}");
    let mut rest = body.into_data_stream();
    let mut head = Vec::new();
    while head.len() < MAX_MULTIPART_HEAD && !contains(&head, end_of_first.as_bytes()) {
        match rest.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) => {
                return Err(Error::BadRequest(
                    "Không đọc được dữ liệu gửi lên.".to_owned(),
                ));
            }
            None => break,
        }
    }
    let head = axum::body::Bytes::from(head);
    let token = first_field_if_csrf(head.clone(), boundary).await;
    let whole = futures_util::stream::once(async move { Ok::<_, axum::Error>(head) }).chain(rest);
    Ok((token, Body::from_stream(whole)))
}

async fn first_field_if_csrf(head: axum::body::Bytes, boundary: String) -> Option<String> {
    let once = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(head) });
    let mut form = multer::Multipart::new(once, boundary);
    let field = form.next_field().await.ok()??;
    if field.name() != Some("csrf") {
        return None;
    }
    field.text().await.ok()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The cookie that names the site a user works on, when it is not the one their host name
/// reaches (one login, every site the account has a role on).
pub const WORK_SITE_COOKIE: &str = "cong_trang";

/// A logged-in user (second factor done) with what handlers need.
pub struct Admin {
    pub app: SharedApp,
    /// The site whose back office this is: the one the user chose to work on, else the one
    /// the request's host name reached.
    pub site: crate::sites::CurrentSite,
    /// The user's role on that site.
    pub role: Role,
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
            site: self.site.id,
            role: self.role,
        }
    }

    /// True when the user's role on this site allows `action`.
    pub fn may(&self, action: Action) -> bool {
        self.actor().may(action)
    }

    /// Refuses with 403 unless the user's role on this site allows `action`.
    pub fn require(&self, action: Action) -> Result<()> {
        Ok(self.actor().require(action)?)
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The portal, when the user may publish there (what sharing an article needs).
    pub fn portal_to_publish_on(&self) -> Option<cong_store::SiteId> {
        let portal = self.app.sites.directory().portal()?.id;
        self.actor()
            .on(portal)
            .require(Action::Publish)
            .is_ok()
            .then_some(portal)
    }

    /// A query-string parameter, trimmed ("" when absent).
    pub fn param(&self, name: &str) -> String {
        self.query
            .as_deref()
            .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name))
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// `path` on this site's public address (the back office may be another site's host).
    pub fn public_url(&self, path: &str) -> String {
        format!("{}{path}", self.site.address)
    }
}

/// The site the user chose to work on (the cookie), if it exists, is enabled and the
/// account has a role there; else the one the host name reached.
fn work_site(
    app: &SharedApp,
    parts: &Parts,
    user: &User,
    host_site: crate::sites::CurrentSite,
) -> crate::sites::CurrentSite {
    cookie(&parts.headers, WORK_SITE_COOKIE)
        .and_then(|v| v.parse::<i64>().ok())
        .map(cong_store::SiteId)
        .filter(|id| *id != host_site.id && user.role_on(*id).is_some())
        .and_then(|id| app.sites.directory().find(id))
        .filter(|s| !s.disabled)
        .map_or(host_site, crate::sites::CurrentSite)
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
                .must_use_totp(&session.user)
                .await
                .map_err(|e| Error::from(e).into_response())?
        {
            return Err(redirect("/quan-tri/tai-khoan?can-2fa=1"));
        }
        let host_site = crate::sites::CurrentSite::from_request_parts(parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        let site = work_site(app, parts, &session.user, host_site);
        let (peer, ip) = client_ip(app, &parts.extensions, &parts.headers);
        let Some(role) = session.user.role_on(site.id) else {
            // Not this site's: say so, and offer the sites the account works on.
            return Err(super::switch::not_here(app, &session, &site).into_response());
        };
        Ok(Admin {
            secure: is_secure(app, peer, &parts.headers),
            app: app.clone(),
            site,
            role,
            session,
            ip,
            query: parts.uri.query().map(str::to_owned),
        })
    }
}

/// The half-open session of the second-factor step.
pub struct Pending {
    pub app: SharedApp,
    /// The site the host name reached (its name is on the page).
    pub site: Option<cong_store::SiteId>,
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
            site: parts
                .extensions
                .get::<crate::sites::CurrentSite>()
                .map(|s| s.id),
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
