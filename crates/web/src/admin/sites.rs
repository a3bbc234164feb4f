//! Trang thành phần (system administrators only): the instance's sites, a new one, each
//! one's name, address, aliases, kind, and whether it answers.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::{Action, By};
use cong_domain::sites::SiteForm;
use cong_store::SiteId;
use cong_store::sites::SiteKind;
use serde::Serialize;

#[derive(Serialize)]
struct SiteRow {
    id: i64,
    name: String,
    address: String,
    aliases: String,
    kind: &'static str,
    disabled: bool,
    here: bool,
}

#[derive(Serialize)]
struct SitesPage {
    sites: Vec<SiteRow>,
    kinds: [(&'static str, &'static str); 2],
}

async fn show(admin: &Admin, errors: Vec<String>, status: StatusCode) -> Result<Response> {
    let sites = admin
        .app
        .sites
        .directory()
        .all()
        .iter()
        .map(|s| SiteRow {
            id: s.id.0,
            name: s.name.clone(),
            address: s.address.clone(),
            aliases: s.aliases.join(", "),
            kind: s.kind.as_str(),
            disabled: s.disabled,
            here: s.id == admin.site.id,
        })
        .collect();
    let view = SitesPage {
        sites,
        kinds: [
            ("portal", "Cổng tỉnh (tập hợp các trang thành phần)"),
            ("component", "Trang thành phần"),
        ],
    };
    let html = admin
        .render(
            "admin/sites.html",
            "Trang thành phần",
            "/quan-tri/trang-thanh-phan",
            errors,
            view,
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn list(admin: Admin) -> Result<Response> {
    admin.require(Action::ManageSites)?;
    show(&admin, vec![], StatusCode::OK).await
}

fn form_of(f: &FormData) -> Result<SiteForm> {
    Ok(SiteForm {
        name: f.get("name").to_owned(),
        address: f.get("address").to_owned(),
        kind: SiteKind::parse(f.get("kind"))
            .ok_or_else(|| Error::BadRequest("Loại trang không hợp lệ.".to_owned()))?,
        aliases: f
            .get("aliases")
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

pub async fn create(admin: Admin, form: FormData) -> Result<Response> {
    let site = form_of(&form)?;
    match admin.app.sites.add(By::User(admin.actor()), &site).await {
        Ok(_) => Ok(redirect("/quan-tri/trang-thanh-phan?ok=tao")),
        Err(e) => refused(&admin, e).await,
    }
}

/// One form per site; `action` says what to do: save, disable, enable.
pub async fn update(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    admin.require(Action::ManageSites)?;
    let by = By::User(admin.actor());
    let sites = &admin.app.sites;
    let r = match form.action() {
        "save" => sites.update(by, SiteId(id), &form_of(&form)?).await,
        "disable" if SiteId(id) == admin.site.id => Err(cong_domain::Error::Conflict(
            "Không tắt được trang đang quản trị; hãy tắt nó từ địa chỉ của trang khác.".to_owned(),
        )),
        "disable" => sites.set_disabled(by, SiteId(id), true).await,
        "enable" => sites.set_disabled(by, SiteId(id), false).await,
        _ => return Err(Error::BadRequest("Thao tác không hợp lệ.".to_owned())),
    };
    match r {
        Ok(()) => Ok(redirect("/quan-tri/trang-thanh-phan?ok=luu")),
        Err(e) => refused(&admin, e).await,
    }
}

/// A refused change, shown on the page with its messages (422 for what the form got wrong,
/// 409 for what cannot be done); other errors go up.
async fn refused(admin: &Admin, e: cong_domain::Error) -> Result<Response> {
    match e {
        cong_domain::Error::Fields(fields) => {
            let messages = fields.into_iter().map(|(_, m)| m).collect();
            show(admin, messages, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        cong_domain::Error::Conflict(m) => show(admin, vec![m], StatusCode::CONFLICT).await,
        e => Err(e.into()),
    }
}
