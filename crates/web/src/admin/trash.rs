//! The trash in the back office: deleting an article, page, document, image or video puts it
//! there; an editor restores, an administrator deletes for good or empties it.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::trash::{TrashKind, kind_label};
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    kind: &'static str,
    kind_label: &'static str,
    id: i64,
    title: String,
    trashed: String,
}

#[derive(Serialize)]
struct TrashPage {
    rows: Vec<Row>,
    can_empty: bool,
    keep_days: u32,
}

pub async fn list(admin: Admin) -> Result<Response> {
    let rows = admin.app.trash.list(admin.actor()).await?;
    let tz = &admin.app.tz;
    let view = TrashPage {
        rows: rows
            .into_iter()
            .map(|r| Row {
                kind: r.kind.as_str(),
                kind_label: kind_label(r.kind),
                id: r.id,
                title: r.title,
                trashed: cong_render::date_time(super::articles::ts(r.trashed_at), tz),
            })
            .collect(),
        can_empty: admin.may(Action::EmptyTrash),
        keep_days: admin.app.trash_keep_days,
    };
    Ok(admin
        .render(
            "admin/trash.html",
            "Thùng rác",
            "/quan-tri/thung-rac",
            vec![],
            view,
        )
        .await?
        .into_response())
}

/// `action` = restore | purge (with `kind` and `id`) or empty.
pub async fn act(admin: Admin, form: FormData) -> Result<Response> {
    let app = &admin.app;
    if form.action() == "empty" {
        app.trash.empty(admin.actor()).await?;
        return Ok(redirect("/quan-tri/thung-rac?ok=xoa"));
    }
    let kind = TrashKind::parse(form.get("kind"))
        .ok_or_else(|| Error::BadRequest("Loại nội dung không hợp lệ.".to_owned()))?;
    let id = form
        .id("id")?
        .ok_or_else(|| Error::BadRequest("Thiếu mục cần xử lý.".to_owned()))?;
    match form.action() {
        "restore" => {
            app.trash.restore(admin.actor(), kind, id).await?;
            Ok(redirect("/quan-tri/thung-rac?ok=rachoi"))
        }
        "purge" => {
            app.trash.purge(admin.actor(), kind, id).await?;
            Ok(redirect("/quan-tri/thung-rac?ok=xoa"))
        }
        _ => Err(Error::BadRequest("Thao tác không hợp lệ.".to_owned())),
    }
}

async fn put(admin: &Admin, kind: TrashKind, id: i64, back: &str) -> Result<Response> {
    admin.app.trash.put(admin.actor(), kind, id).await?;
    Ok(redirect(&format!("{back}?ok=thungrac")))
}

pub async fn article(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    put(&admin, TrashKind::Article, id, "/quan-tri/bai-viet").await
}

pub async fn page(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    put(&admin, TrashKind::Page, id, "/quan-tri/trang").await
}

pub async fn document(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    put(&admin, TrashKind::Document, id, "/quan-tri/van-ban").await
}

pub async fn media(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    put(&admin, TrashKind::Media, id, "/quan-tri/anh").await
}

pub async fn video(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    put(&admin, TrashKind::Video, id, "/quan-tri/video").await
}
