//! Users (administrators): create, give a role on this site, e-mail address, disable, reset
//! password, last login. A site's administrator sees the accounts that work on the site; the system
//! administrator every account, and who is a system administrator.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::{Action, By, Grant, Role, User};
use cong_render::date_time;
use serde::Serialize;

#[derive(Serialize)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    /// Where password-reset links go ("" = none).
    email: String,
    /// The role on this site ("" = none), for the select.
    role_key: &'static str,
    /// Roles elsewhere, for the system administrator's view ("Biên tập · Sở Tư pháp").
    elsewhere: Vec<String>,
    system_admin: bool,
    /// The acting user may change the account itself (password, locking).
    manage: bool,
    disabled: bool,
    totp: bool,
    last_login: String,
    me: bool,
    /// The sections the user is limited to here (ids; empty: every one).
    sections: Vec<i64>,
}

#[derive(Serialize)]
struct UsersPage {
    users: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
    site_name: String,
    /// The system administrator's view: every account, and the system role.
    system: bool,
    /// This site's sections, for limiting an author or editor to some.
    all_sections: Vec<(i64, String)>,
}

/// Whether the acting user sees account `u` at all: the system administrator every
/// account, a site's administrator those that work on the site (not system administrators).
fn visible(admin: &Admin, u: &User) -> bool {
    admin.user().system_admin
        || (!u.system_admin && u.roles.iter().any(|(s, _)| *s == admin.site.id))
}

async fn show(admin: &Admin, errors: Vec<String>, status: StatusCode) -> Result<Response> {
    let tz = &admin.app.tz;
    let by = By::User(admin.actor());
    let directory = admin.app.sites.directory();
    let site_name = |id| {
        directory
            .find(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let mut limits = std::collections::HashMap::new();
    let users: Vec<User> = admin
        .app
        .auth
        .users()
        .await?
        .into_iter()
        .filter(|u| visible(admin, u))
        .collect();
    let mut emails = admin.app.auth.emails().await?;
    for u in &users {
        limits.insert(u.id, admin.app.auth.sections_of(u, admin.site.id).await?);
    }
    let users = users
        .into_iter()
        .map(|u| UserRow {
            sections: limits.remove(&u.id).unwrap_or_default(),
            email: emails.remove(&u.id).unwrap_or_default(),
            me: u.id == admin.user().id,
            id: u.id,
            role_key: u
                .roles
                .iter()
                .find(|(s, _)| *s == admin.site.id)
                .map_or("", |(_, r)| r.as_str()),
            elsewhere: u
                .roles
                .iter()
                .filter(|(s, _)| *s != admin.site.id)
                .map(|(s, r)| format!("{} · {}", r.label(), site_name(*s)))
                .collect(),
            system_admin: u.system_admin,
            manage: by.require_over(&u).is_ok(),
            last_login: u
                .last_login_at
                .and_then(|t| jiff::Timestamp::from_second(t).ok())
                .map(|t| date_time(t, tz))
                .unwrap_or_else(|| "chưa đăng nhập".to_owned()),
            username: u.username,
            display_name: u.display_name,
            disabled: u.disabled,
            totp: u.totp_enabled,
        })
        .collect();
    let view = UsersPage {
        users,
        roles: Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        site_name: admin.site.name.clone(),
        system: admin.user().system_admin,
        all_sections: admin
            .app
            .content
            .sections(admin.site.id)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
    };
    let html = admin
        .render(
            "admin/users.html",
            "Người dùng",
            "/quan-tri/nguoi-dung",
            errors,
            view,
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn list(admin: Admin) -> Result<Response> {
    admin.require(Action::ManageUsers)?;
    show(&admin, vec![], StatusCode::OK).await
}

fn role_of(f: &FormData) -> Result<Role> {
    Role::parse(f.get("role")).ok_or_else(|| Error::BadRequest("Vai trò không hợp lệ.".to_owned()))
}

/// The role on this site a form gives: none (""), or one of the roles.
fn site_role_of(f: &FormData) -> Result<Option<Role>> {
    match f.get("role") {
        "" => Ok(None),
        _ => role_of(f).map(Some),
    }
}

pub async fn create(admin: Admin, form: FormData) -> Result<Response> {
    let role = role_of(&form)?;
    let r = admin
        .app
        .auth
        .create_user(
            By::User(admin.actor()),
            form.get("username"),
            form.get("display_name"),
            Grant::On(admin.site.id, role),
            form.get("password"),
        )
        .await;
    // The address is set with the account; a wrong one leaves the account made, and says so.
    let r = match r {
        Ok(user) if !form.get("email").trim().is_empty() => admin
            .app
            .auth
            .set_email(By::User(admin.actor()), &user, form.get("email"))
            .await
            .map(|()| user),
        r => r,
    };
    match r {
        Ok(_) => Ok(redirect("/quan-tri/nguoi-dung?ok=tao")),
        Err(e) => refused(&admin, e).await,
    }
}

/// A refused change, shown on the page with its message (422 for what the form got wrong,
/// 409 for what cannot be done); other errors go up.
async fn refused(admin: &Admin, e: cong_domain::Error) -> Result<Response> {
    match e {
        cong_domain::Error::Invalid(m) => {
            show(admin, vec![m], StatusCode::UNPROCESSABLE_ENTITY).await
        }
        cong_domain::Error::Conflict(m) => show(admin, vec![m], StatusCode::CONFLICT).await,
        e => Err(e.into()),
    }
}

/// One form per user; `action` says what to do: role, disable, enable, password. The domain
/// checks the permission and writes the change with its audit entry.
pub async fn update(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    // Not even whether an account exists, to those who may not manage them.
    admin.require(Action::ManageUsers)?;
    let user = admin
        .app
        .auth
        .user(id)
        .await?
        .filter(|u| visible(&admin, u))
        .ok_or(Error::NotFound)?;
    let auth = &admin.app.auth;
    let by = By::User(admin.actor());
    let r = match form.action() {
        "role" => {
            let role = site_role_of(&form)?;
            auth.update_profile(by, &user, admin.site.id, role, form.get("display_name"))
                .await
        }
        "system" => {
            auth.set_system_admin(by, &user, form.get("on") == "1")
                .await
        }
        "sections" => {
            let ids = form
                .all("section")
                .iter()
                .map(|v| v.parse::<i64>())
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|_| Error::BadRequest("Chuyên mục không hợp lệ.".to_owned()))?;
            auth.set_sections(by, &user, admin.site.id, &ids).await
        }
        "email" => auth.set_email(by, &user, form.get("email")).await,
        "disable" => auth.set_disabled(by, &user, true).await,
        "enable" => auth.set_disabled(by, &user, false).await,
        "password" => auth.reset_password(by, &user, form.get("password")).await,
        _ => return Err(Error::BadRequest("Thao tác không hợp lệ.".to_owned())),
    };
    match r {
        Ok(()) => Ok(redirect("/quan-tri/nguoi-dung?ok=luu")),
        Err(e) => refused(&admin, e).await,
    }
}
