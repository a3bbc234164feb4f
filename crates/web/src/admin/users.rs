//! Users (administrators only): create, change role, disable, reset password, last login.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::{Action, Role};
use cong_render::date_time;
use serde::Serialize;

#[derive(Serialize)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: &'static str,
    role_key: &'static str,
    disabled: bool,
    totp: bool,
    last_login: String,
    me: bool,
}

#[derive(Serialize)]
struct UsersPage {
    users: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
}

async fn show(admin: &Admin, errors: Vec<String>, status: StatusCode) -> Result<Response> {
    let tz = &admin.app.tz;
    let users = admin
        .app
        .auth
        .users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            me: u.id == admin.user().id,
            id: u.id,
            role: u.role.label(),
            role_key: u.role.as_str(),
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

pub async fn create(admin: Admin, form: FormData) -> Result<Response> {
    admin.require(Action::ManageUsers)?;
    let role = role_of(&form)?;
    match admin
        .app
        .auth
        .create_user(
            form.get("username"),
            form.get("display_name"),
            role,
            form.get("password"),
        )
        .await
    {
        Ok(u) => {
            admin
                .app
                .auth
                .record(
                    admin.actor(),
                    "user.create",
                    u.id,
                    &format!("{} ({})", u.username, role.as_str()),
                )
                .await?;
            Ok(redirect("/quan-tri/nguoi-dung?ok=tao"))
        }
        Err(cong_domain::Error::Invalid(m)) => {
            show(&admin, vec![m], StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One form per user; `action` says what to do: role, disable, enable, password.
pub async fn update(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    admin.require(Action::ManageUsers)?;
    let user = admin.app.auth.user(id).await?.ok_or(Error::NotFound)?;
    let me = user.id == admin.user().id;
    let auth = &admin.app.auth;
    let (action, detail) = match form.action() {
        "role" => {
            let role = role_of(&form)?;
            if me && role != Role::Admin {
                return show(
                    &admin,
                    vec!["Không thể tự bỏ quyền quản trị của chính mình.".to_owned()],
                    StatusCode::CONFLICT,
                )
                .await;
            }
            auth.set_role(&user, role).await?;
            auth.set_display_name(&user, form.get("display_name"))
                .await?;
            ("user.role", role.as_str().to_owned())
        }
        "disable" => {
            if me {
                return show(
                    &admin,
                    vec!["Không thể tự khoá tài khoản của chính mình.".to_owned()],
                    StatusCode::CONFLICT,
                )
                .await;
            }
            auth.set_disabled(&user, true).await?;
            ("user.disable", String::new())
        }
        "enable" => {
            auth.set_disabled(&user, false).await?;
            ("user.enable", String::new())
        }
        "password" => match auth.set_password(&user, form.get("password")).await {
            Ok(()) => ("user.password_reset", String::new()),
            Err(cong_domain::Error::Invalid(m)) => {
                return show(&admin, vec![m], StatusCode::UNPROCESSABLE_ENTITY).await;
            }
            Err(e) => return Err(e.into()),
        },
        _ => return Err(Error::BadRequest("Thao tác không hợp lệ.".to_owned())),
    };
    admin
        .app
        .auth
        .record(
            admin.actor(),
            action,
            user.id,
            &format!("{} {detail}", user.username),
        )
        .await?;
    Ok(redirect("/quan-tri/nguoi-dung?ok=luu"))
}
