//! The user's own account: e-mail address and notices, password, and the second factor (enrol with a QR
//! code, confirm with a code, keep the recovery codes; turn it off). Confirming a factor and turning it
//! off need the current password (and a current code when a factor is active): a session
//! alone cannot weaken the account.

use super::form::FormData;
use super::session::{Admin, SESSION_COOKIE, redirect, set_cookie};
use crate::error::Result;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cong_domain::auth::{By, ReauthError};
use serde::Serialize;

#[derive(Serialize, Default)]
struct AccountPage {
    username: String,
    /// Where password-reset links go ("" = none).
    email: String,
    /// Whether the workflow's notices come by mail.
    notices: bool,
    totp_enabled: bool,
    totp_required: bool,
    codes_left: i64,
    /// Enrolment in progress: the QR code (inline SVG, made by the server) and the secret.
    qr_svg: Option<String>,
    secret: Option<String>,
    /// Shown once, right after enrolment.
    recovery_codes: Vec<String>,
}

async fn page(admin: &Admin) -> Result<AccountPage> {
    let user = admin.user();
    Ok(AccountPage {
        username: user.username.clone(),
        email: admin.app.auth.email_of(user.id).await?.unwrap_or_default(),
        notices: admin.app.auth.notices_of(user.id).await?,
        totp_enabled: user.totp_enabled,
        totp_required: admin.app.auth.must_use_totp(user).await?,
        codes_left: admin.app.auth.recovery_codes_left(user).await?,
        ..Default::default()
    })
}

async fn render(
    admin: &Admin,
    view: AccountPage,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response> {
    let html = admin
        .render(
            "admin/account.html",
            "Tài khoản",
            "/quan-tri/tai-khoan",
            errors,
            view,
        )
        .await?;
    let mut res = (status, html).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

pub async fn show(admin: Admin) -> Result<Response> {
    let view = page(&admin).await?;
    render(&admin, view, vec![], StatusCode::OK).await
}

/// Sets the user's own e-mail address (empty clears it).
pub async fn set_email(admin: Admin, form: FormData) -> Result<Response> {
    let r = admin
        .app
        .auth
        .set_email(By::User(admin.actor()), admin.user(), form.get("email"))
        .await;
    match r {
        Ok(()) => Ok(redirect("/quan-tri/tai-khoan?ok=thu-dien-tu")),
        Err(cong_domain::Error::Invalid(m)) => {
            let view = page(&admin).await?;
            render(&admin, view, vec![m], StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Turns the user's own workflow notices on (the box ticked) or off.
pub async fn set_notices(admin: Admin, form: FormData) -> Result<Response> {
    admin
        .app
        .auth
        .set_notices(
            By::User(admin.actor()),
            admin.user(),
            form.checked("notices"),
        )
        .await?;
    Ok(redirect("/quan-tri/tai-khoan?ok=thong-bao"))
}

pub async fn change_password(admin: Admin, form: FormData) -> Result<Response> {
    if form.get("new") != form.get("repeat") {
        let view = page(&admin).await?;
        return render(
            &admin,
            view,
            vec!["Hai lần nhập mật khẩu mới không khớp.".to_owned()],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    // The current password is checked like a login (and throttled like one).
    let r = admin
        .app
        .auth
        .change_own_password(admin.actor(), form.get("current"), form.get("new"))
        .await;
    if let Err(e) = r {
        let (status, message, retry) = match e {
            ReauthError::Other(cong_domain::Error::Invalid(m)) => {
                (StatusCode::UNPROCESSABLE_ENTITY, m, None)
            }
            e => refusal(e)?,
        };
        let view = page(&admin).await?;
        let res = render(&admin, view, vec![message], status).await?;
        return Ok(retry_after(res, retry));
    }
    // Every session ended with the change; this browser logs in again.
    let mut res = redirect("/dang-nhap");
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), admin.secure, false),
    );
    Ok(res)
}

/// The status and message of a refused change to the second factor (`Retry-After` when
/// throttled); other errors go up.
fn refusal(e: ReauthError) -> Result<(StatusCode, String, Option<i64>)> {
    match e {
        ReauthError::Other(cong_domain::Error::Conflict(m)) => Ok((StatusCode::CONFLICT, m, None)),
        ReauthError::Other(e) => Err(e.into()),
        ReauthError::Throttled(s) => Ok((StatusCode::TOO_MANY_REQUESTS, e.to_string(), Some(s))),
        ReauthError::Busy(s) => Ok((StatusCode::SERVICE_UNAVAILABLE, e.to_string(), Some(s))),
        e => Ok((StatusCode::UNPROCESSABLE_ENTITY, e.to_string(), None)),
    }
}

fn retry_after(mut res: Response, secs: Option<i64>) -> Response {
    if let Some(s) = secs
        && let Ok(v) = axum::http::HeaderValue::from_str(&s.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// Starts an enrolment: a new secret and its QR code. Nothing changes for the factor in use
/// (if any) until the new one is confirmed with the password, so this needs no more than
/// the session.
pub async fn begin_totp(admin: Admin) -> Result<Response> {
    let enrolment = admin.app.auth.begin_totp(admin.user()).await?;
    let mut view = page(&admin).await?;
    view.qr_svg = Some(enrolment.qr_svg);
    view.secret = Some(enrolment.secret);
    render(&admin, view, vec![], StatusCode::OK).await
}

/// Confirms the enrolment: a code from the new app, the current password and, when a factor
/// is active (it is being replaced), a current code from it or a recovery code.
pub async fn confirm_totp(admin: Admin, form: FormData) -> Result<Response> {
    let r = admin
        .app
        .auth
        .confirm_totp(
            admin.actor(),
            form.get("password"),
            form.get("current_code"),
            form.get("code"),
        )
        .await;
    match r {
        Ok(codes) => {
            let mut view = page(&admin).await?;
            view.totp_enabled = true;
            view.recovery_codes = codes;
            render(&admin, view, vec![], StatusCode::OK).await
        }
        Err(e) => {
            let (status, message, retry) = refusal(e)?;
            // The same enrolment again (the user has scanned it already), if still pending.
            let mut view = page(&admin).await?;
            if let Some(enrolment) = admin.app.auth.pending_totp(admin.user()).await? {
                view.qr_svg = Some(enrolment.qr_svg);
                view.secret = Some(enrolment.secret);
            }
            let res = render(&admin, view, vec![message], status).await?;
            Ok(retry_after(res, retry))
        }
    }
}

/// Turns the factor off, with the current password and a current code (or a recovery code);
/// refused (409) for roles that must use it.
pub async fn disable_totp(admin: Admin, form: FormData) -> Result<Response> {
    let r = admin
        .app
        .auth
        .disable_totp(admin.actor(), form.get("password"), form.get("code"))
        .await;
    if let Err(e) = r {
        let (status, message, retry) = refusal(e)?;
        let view = page(&admin).await?;
        let res = render(&admin, view, vec![message], status).await?;
        return Ok(retry_after(res, retry));
    }
    Ok(redirect("/quan-tri/tai-khoan?ok=2fa-tat"))
}
