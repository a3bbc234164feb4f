//! Security headers on every response: the national web-trust baseline (Tín Nhiệm Mạng)
//! asks for them, and they cost nothing.

use crate::app::SharedApp;
use crate::sites::CurrentSite;
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use cong_store::SiteId;
use std::collections::HashMap;
use std::net::SocketAddr;
use tower_http::set_header::SetResponseHeaderLayer;

/// The `Strict-Transport-Security` value these settings ask for (a year by default; not
/// `includeSubDomains` unless the operator says so: a department's portal does not own its
/// parent domain, whose other hosts may still serve plain HTTP); `None` when max-age is 0.
pub fn hsts(cfg: &cong_config::TlsConfig) -> Option<HeaderValue> {
    cong_tls::hsts(cfg).and_then(|v| HeaderValue::from_str(&v).ok())
}

/// Only our own origin may supply scripts, styles, images and frames; nothing may frame us.
/// An enabled footer badge adds exactly the origins it needs ([`csp`]).
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
     frame-ancestors 'none'";

/// Each site's policy (its badges' origins); a site not in it yet has [`CSP`].
#[derive(Debug, Default)]
pub struct Policies(std::sync::RwLock<HashMap<SiteId, HeaderValue>>);

impl Policies {
    pub fn get(&self, site: Option<SiteId>) -> HeaderValue {
        // A HeaderValue clone shares its bytes: no copy per response.
        site.and_then(|s| {
            self.0
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .get(&s)
                .cloned()
        })
        .unwrap_or_else(|| HeaderValue::from_static(CSP))
    }

    pub fn set(&self, site: SiteId, policy: HeaderValue) {
        self.0
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(site, policy);
    }
}

/// The policy with the badges' origins added.
pub fn csp(img: &[String], script: &[String]) -> String {
    let extra = |list: &[String]| list.iter().map(|o| format!(" {o}")).collect::<String>();
    format!(
        "default-src 'self'; img-src 'self' data:{}; style-src 'self'; script-src 'self'{}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        extra(img),
        extra(script)
    )
}

/// A policy that also lets the no-cookie YouTube player be framed: for a page whose body
/// plays a video, and only those.
pub fn with_video(policy: &HeaderValue) -> HeaderValue {
    let mut v = policy.as_bytes().to_vec();
    v.extend_from_slice(
        format!(
            "; frame-src 'self' {}",
            cong_domain::text::embed::YOUTUBE_ORIGIN
        )
        .as_bytes(),
    );
    HeaderValue::from_bytes(&v).unwrap_or_else(|_| policy.clone())
}

/// The back office's policy: the site's, and the page may play a video file the editor has
/// just chosen (a `blob:` address) to draw its poster frame from it.
pub async fn set_admin_csp(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let site = req.extensions().get::<CurrentSite>().map(|s| s.id);
    let mut res = next.run(req).await;
    if !res.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        let mut v = app.csp.get(site).as_bytes().to_vec();
        v.extend_from_slice(b"; media-src 'self' blob:");
        if let Ok(policy) = HeaderValue::from_bytes(&v) {
            res.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    res
}

/// Sets the current content security policy (it changes when a badge is turned on).
pub async fn set_csp(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let site = req.extensions().get::<CurrentSite>().map(|s| s.id);
    let mut res = next.run(req).await;
    // A handler's own, stricter policy stands (a PDF opened in the browser is sandboxed).
    if !res.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = app.csp.get(site);
        res.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    res
}

/// Sends HSTS on every response to a request that came over HTTPS — served here, or as a
/// trusted proxy says: the same rule as the `Secure` cookie flag — and never over plain HTTP
/// (where browsers ignore it anyway, and where it would be a lie behind an untrusted hop).
pub async fn set_hsts(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let https = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|c| crate::admin::session::is_secure_proxy(&app, c.0.ip(), req.headers()));
    let mut res = next.run(req).await;
    if https && let Some(hsts) = &app.hsts {
        res.headers_mut()
            .insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    res
}

/// The fixed headers every response carries.
fn fixed() -> [(HeaderName, &'static str); 5] {
    [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ]
}

/// Puts every security header on a response built outside the router's layers (a kept
/// page served by the page cache's fast path): the same set [`add`] puts on the others.
pub fn put(app: &SharedApp, site: Option<SiteId>, https: bool, h: &mut axum::http::HeaderMap) {
    for (name, value) in fixed() {
        h.insert(name, HeaderValue::from_static(value));
    }
    // A kept page's own policy (one with a video) stands.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, app.csp.get(site));
    }
    if https && let Some(hsts) = &app.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
}

pub fn add(router: Router<SharedApp>, app: SharedApp) -> Router<SharedApp> {
    let mut router = router
        .layer(axum::middleware::from_fn_with_state(app.clone(), set_csp))
        .layer(axum::middleware::from_fn_with_state(app, set_hsts));
    for (name, value) in fixed() {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}

#[cfg(test)]
mod tests {
    use super::{CSP, HeaderValue, with_video};

    #[test]
    fn only_a_video_page_may_frame_the_player() {
        assert!(!CSP.contains("frame-src"));
        let v = with_video(&HeaderValue::from_static(CSP));
        let v = v.to_str().expect("ascii");
        assert!(v.starts_with(CSP), "{v}");
        assert!(
            v.ends_with("; frame-src 'self' https://www.youtube-nocookie.com"),
            "{v}"
        );
    }
}
