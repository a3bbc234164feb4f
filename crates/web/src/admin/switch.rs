//! The site switcher: one login reaches every site the account has a role on. The chosen
//! site is kept in a cookie; each request checks it again against the account's roles.

use super::session::{WORK_SITE_COOKIE, is_secure, look_up, redirect, set_cookie};
use crate::app::SharedApp;
use crate::error::{Error, Result};
use crate::sites::CurrentSite;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cong_domain::auth::{Session, User};
use cong_render::views::admin::SiteChoice;
use cong_store::SiteId;
use serde::Serialize;
use std::net::SocketAddr;

/// Every enabled site `user` works on, in id order.
fn sites_of(app: &SharedApp, user: &User, current: SiteId) -> Vec<SiteChoice> {
    app.sites
        .directory()
        .all()
        .iter()
        .filter(|s| !s.disabled && user.role_on(s.id).is_some())
        .map(|s| SiteChoice {
            id: s.id.0,
            name: s.name.clone(),
            current: s.id == current,
        })
        .collect()
}

/// The sites to offer in the switcher: only when there is more than one to choose.
pub fn choices(app: &SharedApp, user: &User, current: SiteId) -> Vec<SiteChoice> {
    let list = sites_of(app, user, current);
    if list.len() > 1 { list } else { Vec::new() }
}

#[derive(Serialize)]
struct NotHere<'a> {
    site_name: &'a str,
    user_name: &'a str,
    csrf: &'a str,
    sites: Vec<SiteChoice>,
}

/// 403 for an account with no role on `site`: which site this is, and a way to the sites
/// the account works on.
pub fn not_here(app: &SharedApp, session: &Session, site: &CurrentSite) -> Response {
    // Even one site elsewhere is somewhere to go (this one is not among them).
    let sites = sites_of(app, &session.user, site.id);
    let view = NotHere {
        site_name: &site.name,
        user_name: session.user.name(),
        csrf: &session.csrf_token,
        sites,
    };
    match app.renderer.render("admin/not_here.html", &view) {
        Ok(html) => (StatusCode::FORBIDDEN, axum::response::Html(html)).into_response(),
        Err(e) => Error::from(e).into_response(),
    }
}

/// `POST /quan-tri/chon-trang`: work on another site (one the account has a role on).
pub async fn choose(State(app): State<SharedApp>, req: Request) -> Result<Response> {
    let (mut parts, body) = req.into_parts();
    let Some(session) = look_up(&app, &mut parts).await? else {
        return Ok(redirect("/dang-nhap"));
    };
    if session.pending_totp {
        return Ok(redirect("/dang-nhap/xac-thuc"));
    }
    let body = axum::body::to_bytes(body, 4096)
        .await
        .map_err(|_| Error::BadRequest("Không đọc được dữ liệu gửi lên.".to_owned()))?;
    let id = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "site")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .map(SiteId)
        .ok_or_else(|| Error::BadRequest("Trang không hợp lệ.".to_owned()))?;
    let site = app
        .sites
        .directory()
        .find(id)
        .filter(|s| !s.disabled && session.user.role_on(s.id).is_some())
        .ok_or_else(|| {
            Error::Forbidden("Tài khoản của bạn không làm việc trên trang này.".to_owned())
        })?;
    let host_site = parts.extensions.get::<CurrentSite>().map(|s| s.id);
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let secure = is_secure(&app, peer, &parts.headers);
    let mut res = redirect("/quan-tri");
    // The host's own site needs no cookie.
    let cookie = if host_site == Some(site.id) {
        set_cookie(WORK_SITE_COOKIE, "", Some(0), secure, true)
    } else {
        set_cookie(WORK_SITE_COOKIE, &site.id.to_string(), None, secure, true)
    };
    res.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(res)
}
