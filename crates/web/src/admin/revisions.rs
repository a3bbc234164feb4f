//! An article's revisions: the list, one revision compared with another, restoring one.

use super::articles::{query_param, ts};
use super::session::{Admin, redirect};
use crate::error::Result;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::editorial::{Status, status_label};
use cong_render::date_time;
use serde::Serialize;

#[derive(Serialize)]
struct RevisionLine {
    id: i64,
    at: String,
    by: String,
    status: &'static str,
    title: String,
    note: String,
}

#[derive(Serialize)]
struct RevisionsPage {
    id: i64,
    title: String,
    revisions: Vec<RevisionLine>,
}

pub async fn revisions(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    let (row, _) = admin.app.editorial.get(admin.actor(), id).await?;
    let tz = &admin.app.tz;
    let revisions = admin
        .app
        .editorial
        .revisions(admin.actor(), id)
        .await?
        .into_iter()
        .map(|r| RevisionLine {
            id: r.id,
            at: date_time(ts(r.created_at), tz),
            by: r.username,
            status: status_label(r.status, ""),
            title: r.title,
            note: r.note,
        })
        .collect();
    let view = RevisionsPage {
        id,
        title: row.title,
        revisions,
    };
    Ok(admin
        .render(
            "admin/revisions.html",
            "Các phiên bản",
            "/quan-tri/bai-viet",
            vec![],
            view,
        )
        .await?
        .into_response())
}

#[derive(Serialize)]
struct RevisionPage {
    id: i64,
    rev: i64,
    at: String,
    by: String,
    title: String,
    summary: String,
    body_html: String,
    compare_to: Option<i64>,
    diff: Vec<cong_domain::editorial::DiffLine>,
    can_restore: bool,
}

pub async fn revision(admin: Admin, Path((id, rev)): Path<(i64, i64)>) -> Result<Response> {
    let r = admin
        .app
        .editorial
        .revision_of(admin.actor(), id, rev)
        .await?;
    let compare_to: Option<i64> = query_param(&admin, "so-voi").parse().ok();
    let diff = match compare_to {
        Some(other) => {
            admin
                .app
                .editorial
                .compare(admin.actor(), id, other, rev)
                .await?
        }
        None => Vec::new(),
    };
    let (row, _) = admin.app.editorial.get(admin.actor(), id).await?;
    let own = row.created_by == Some(admin.user().id);
    let view = RevisionPage {
        id,
        rev,
        at: date_time(ts(r.created_at), &admin.app.tz),
        by: r.username,
        title: r.title,
        summary: r.summary,
        body_html: r.body_html,
        compare_to,
        diff,
        can_restore: admin.may(Action::RestoreRevision {
            own,
            draft: row.status == Status::Draft,
        }),
    };
    Ok(admin
        .render(
            "admin/revision.html",
            "Phiên bản",
            "/quan-tri/bai-viet",
            vec![],
            view,
        )
        .await?
        .into_response())
}

pub async fn restore(admin: Admin, Path((id, rev)): Path<(i64, i64)>) -> Result<Response> {
    admin.app.editorial.restore(admin.actor(), id, rev).await?;
    Ok(redirect(&format!("/quan-tri/bai-viet/{id}?ok=khoiphuc")))
}
