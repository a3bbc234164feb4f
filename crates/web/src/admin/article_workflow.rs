//! The editorial workflow's steps on an article in the back office: submit, return with a
//! comment, publish (now or scheduled), unpublish, share to the portal.

use super::articles::{draft_of, field_errors, show_form};
use super::form::{FormData, parse_local};
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;

pub async fn submit(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    admin.app.editorial.submit(admin.actor(), id).await?;
    Ok(redirect(&format!("/quan-tri/bai-viet/{id}?ok=gui")))
}

pub async fn return_to_author(
    admin: Admin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response> {
    match admin
        .app
        .editorial
        .return_to_author(admin.actor(), id, form.get("comment"))
        .await
    {
        Ok(()) => Ok(redirect(&format!("/quan-tri/bai-viet/{id}?ok=tralai"))),
        Err(e) => refused_on_form(&admin, id, e).await,
    }
}

pub async fn publish(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    let at = parse_local(form.get("publish_at"), &admin.app.tz)?;
    admin.app.editorial.publish(admin.actor(), id, at).await?;
    let scheduled = at.is_some_and(|t| t > jiff::Timestamp::now());
    Ok(redirect(&format!(
        "/quan-tri/bai-viet/{id}?ok={}",
        if scheduled { "henngay" } else { "xuatban" }
    )))
}

pub async fn unpublish(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    admin.app.editorial.unpublish(admin.actor(), id).await?;
    Ok(redirect(&format!("/quan-tri/bai-viet/{id}?ok=go")))
}

/// Shares the article to the portal (`action=share`, `share_section`) or takes its copy off
/// (`action=unshare`).
pub async fn share(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    let content = &admin.app.content;
    let portal = admin
        .app
        .sites
        .directory()
        .portal()
        .map(|s| s.id)
        .ok_or(Error::NotFound)?;
    let r = match form.action() {
        "unshare" => content.unshare_from_portal(admin.actor(), portal, id).await,
        _ => {
            let section = form.id("share_section")?.unwrap_or(0);
            content
                .share_to_portal(admin.actor(), portal, id, section)
                .await
                .map(|_| ())
        }
    };
    match r {
        Ok(()) => Ok(redirect(&format!("/quan-tri/bai-viet/{id}?ok=luu"))),
        Err(e) => refused_on_form(&admin, id, e).await,
    }
}

/// A workflow step or a share the domain refused: the article's form again, with why.
async fn refused_on_form(admin: &Admin, id: i64, e: cong_domain::Error) -> Result<Response> {
    let errors = field_errors(e)?;
    let (row, gallery) = admin.app.editorial.get(admin.actor(), id).await?;
    show_form(
        admin,
        Some(&row),
        &draft_of(&row, gallery),
        vec![],
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
