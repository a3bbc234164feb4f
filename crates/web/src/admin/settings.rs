//! Settings (administrators only): the site's own data, and which roles must use a second
//! factor.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::Result;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::{Action, Role};
use cong_domain::content::Site;
use serde::Serialize;

#[derive(Serialize)]
struct Field {
    key: &'static str,
    label: &'static str,
    value: String,
}

#[derive(Serialize)]
struct SettingsPage {
    fields: Vec<Field>,
    roles: Vec<(&'static str, &'static str, bool)>,
}

pub async fn show(admin: Admin) -> Result<Response> {
    admin.require(Action::ManageSettings)?;
    let site = admin.app.content.site(admin.site.id).await?;
    page(admin, |key| site.get(key).to_owned(), Vec::new()).await
}

/// The form, with each field's value from `value` and the errors above it.
async fn page(
    admin: Admin,
    value: impl Fn(&str) -> String,
    errors: Vec<String>,
) -> Result<Response> {
    let required = admin.app.auth.totp_required_roles().await?;
    let view = SettingsPage {
        fields: Site::KEYS
            .iter()
            .map(|(key, label)| Field {
                key,
                label,
                value: value(key),
            })
            .collect(),
        roles: Role::ALL
            .iter()
            .map(|r| (r.as_str(), r.label(), required.contains(r)))
            .collect(),
    };
    Ok(admin
        .render(
            "admin/settings.html",
            "Cài đặt",
            "/quan-tri/cai-dat",
            errors,
            view,
        )
        .await?
        .into_response())
}

pub async fn save(admin: Admin, form: FormData) -> Result<Response> {
    let roles: Vec<Role> = form
        .all("totp_role")
        .into_iter()
        .filter_map(Role::parse)
        .collect();
    // Every field is checked before any is saved: a mistake in one keeps all of what was typed.
    let saved = admin
        .app
        .content
        .save_settings(admin.actor(), |key| form.get(key).to_owned(), &roles)
        .await;
    match saved {
        Ok(()) => {}
        Err(cong_domain::Error::Fields(f)) => {
            let errors = f.into_iter().map(|(_, m)| m).collect();
            let mut res = page(admin, |key| form.get(key).to_owned(), errors).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
        Err(e) => return Err(e.into()),
    }
    // This node at once; the others when the change feed reaches them.
    admin.app.refresh_csp_of(admin.site.id).await?;
    Ok(redirect("/quan-tri/cai-dat?ok=luu"))
}
