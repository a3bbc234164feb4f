//! The audit log (administrators): read and filter, never edit. A site's administrator
//! reads their site's entries; the system administrator every site's, filtered by site.

use super::session::Admin;
use crate::error::Result;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_render::date_time;
use cong_store::SiteId;
use cong_store::audit::AuditFilter;
use serde::Serialize;

#[derive(Serialize)]
struct Line {
    at: String,
    /// The site the entry concerned ("" for accounts and logins).
    site: String,
    username: String,
    action: String,
    object: String,
    detail: String,
    ip: String,
}

#[derive(Serialize)]
struct AuditPage {
    lines: Vec<Line>,
    total: i64,
    username: String,
    action: String,
    pages: Vec<(u32, String, bool)>,
    /// Failed logins with names that match no account, over [`UNKNOWN_DAYS`] days: counted,
    /// never written down one by one (what is typed there is often a password).
    unknown_names: i64,
    unknown_days: i64,
    /// The system administrator's choice of site ("" = every site); a site's administrator
    /// sees their site's entries only.
    sites: Vec<(String, String, bool)>,
    site: String,
}

const UNKNOWN_DAYS: i64 = 7;

const PER_PAGE: u32 = 50;

pub async fn list(admin: Admin) -> Result<Response> {
    admin.require(Action::ViewAudit)?;
    let q = |name: &str| admin.param(name);
    let (username, action) = (q("nguoi-dung"), q("thao-tac"));
    let page = crate::extract::page_number(admin.query.as_deref(), "page")?;
    let system = admin.user().system_admin;
    let directory = admin.app.sites.directory();
    // Only the system administrator reads across sites (and what concerned none).
    let site = if system {
        q("trang").parse::<i64>().ok().map(SiteId)
    } else {
        Some(admin.site.id)
    };
    let filter = AuditFilter {
        username: (!username.is_empty()).then(|| username.clone()),
        action: (!action.is_empty()).then(|| action.clone()),
        site,
        ..Default::default()
    };
    let (rows, total) = admin
        .app
        .editorial
        .audit_log(&filter, PER_PAGE, page)
        .await?;
    let tz = &admin.app.tz;
    let pages_n = cong_domain::content::page_count(total, PER_PAGE);
    let site_key = site
        .filter(|_| system)
        .map_or(String::new(), |s| s.to_string());
    let base = format!(
        "/quan-tri/nhat-ky?nguoi-dung={}&thao-tac={}&trang={site_key}",
        form_urlencoded::byte_serialize(username.as_bytes()).collect::<String>(),
        form_urlencoded::byte_serialize(action.as_bytes()).collect::<String>()
    );
    let view = AuditPage {
        lines: rows
            .into_iter()
            .map(|r| Line {
                site: r
                    .site_id
                    .and_then(|s| directory.find(s))
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                at: jiff::Timestamp::from_second(r.at)
                    .map(|t| date_time(t, tz))
                    .unwrap_or_default(),
                username: r.username,
                action: r.action,
                object: match r.object_id {
                    Some(id) => format!("{} #{id}", r.object_kind),
                    None => r.object_kind,
                },
                detail: r.detail,
                ip: r.ip,
            })
            .collect(),
        total,
        username,
        action,
        unknown_names: admin.app.auth.unknown_name_failures(UNKNOWN_DAYS).await?,
        unknown_days: UNKNOWN_DAYS,
        sites: if system {
            directory
                .all()
                .iter()
                .map(|s| {
                    (
                        s.id.to_string(),
                        s.name.clone(),
                        s.id.to_string() == site_key,
                    )
                })
                .collect()
        } else {
            Vec::new()
        },
        site: site_key.clone(),
        pages: (1..=pages_n)
            .map(|n| (n, format!("{base}&page={n}"), n == page))
            .collect(),
    };
    Ok(admin
        .render(
            "admin/audit.html",
            "Nhật ký",
            "/quan-tri/nhat-ky",
            vec![],
            view,
        )
        .await?
        .into_response())
}
