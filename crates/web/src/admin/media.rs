//! The media library in the back office: upload (checked, cleaned, resized), browse, search
//! by name or caption, see where an image is used, delete it when unused.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::Result;
use axum::extract::{Multipart, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_render::{date, urls};
use serde::Serialize;

#[derive(Serialize)]
struct Item {
    id: i64,
    thumb: String,
    name: String,
    caption: String,
    size: String,
}

#[derive(Serialize)]
struct Library {
    items: Vec<Item>,
    total: i64,
    search: String,
    max_mb: u64,
    pages: Vec<(u32, String, bool)>,
}

const PER_PAGE: u32 = 40;

pub(super) fn thumb(m: &cong_store::media::MediaRow) -> String {
    smallest(&m.file_name, &m.widths)
}

/// An image's smallest resized copy (`{hash}-{width}.{ext}`) when it has one, else its
/// original: what a list of thumbnails shows.
pub(super) fn smallest(file_name: &str, widths: &str) -> String {
    match (
        widths.split(',').find(|w| !w.is_empty()),
        file_name.rsplit_once('.'),
    ) {
        (Some(w), Some((hash, ext))) => urls::media(&format!("{hash}-{w}.{ext}")),
        _ => urls::media(file_name),
    }
}

async fn show_library(admin: &Admin, errors: Vec<String>, status: StatusCode) -> Result<Response> {
    let search = admin.param("tim");
    let page = crate::extract::page_number(admin.query.as_deref(), "page")?;
    let lib = &admin.app.media;
    let (_, total) = lib.list(admin.site.id, Some(&search), 0, 0).await?;
    let offset = cong_domain::content::offset_of(page, total, PER_PAGE)?;
    let (rows, total) = lib
        .list(admin.site.id, Some(&search), i64::from(PER_PAGE), offset)
        .await?;
    let pages_n = cong_domain::content::page_count(total, PER_PAGE);
    let q: String = form_urlencoded::byte_serialize(search.as_bytes()).collect();
    let view = Library {
        items: rows
            .iter()
            .map(|m| Item {
                id: m.id,
                thumb: thumb(m),
                name: m.original_name.clone(),
                caption: m.caption.clone(),
                size: format!("{} × {}", m.width, m.height),
            })
            .collect(),
        total,
        search,
        max_mb: lib.limits().max_bytes / (1024 * 1024),
        pages: (1..=pages_n)
            .map(|n| (n, format!("/quan-tri/anh?tim={q}&page={n}"), n == page))
            .collect(),
    };
    let html = admin
        .render(
            "admin/media.html",
            "Thư viện ảnh",
            "/quan-tri/anh",
            errors,
            view,
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn library(admin: Admin) -> Result<Response> {
    admin.require(Action::UploadMedia)?;
    show_library(&admin, vec![], StatusCode::OK).await
}

/// An image sent as `multipart/form-data`: its file (name and bytes; `None` when none came)
/// and its caption.
pub(super) struct Sent {
    pub file: Option<(String, Vec<u8>)>,
    pub caption: String,
}

/// Reads an upload's `file` and `caption` fields, refusing one over the library's limit.
pub(super) async fn read_upload(admin: &Admin, multipart: Multipart) -> Result<Sent> {
    let max = admin.app.media.limits().max_bytes;
    let mut parts = super::upload::read(multipart, &[("file", max, "anh")]).await?;
    Ok(Sent {
        file: parts.take_file("file"),
        caption: parts.text("caption").to_owned(),
    })
}

/// `multipart/form-data` with `file` and `caption`; the CSRF token comes in the query.
pub async fn upload(admin: Admin, multipart: Multipart) -> Result<Response> {
    admin.require(Action::UploadMedia)?;
    let Sent { file, caption } = read_upload(&admin, multipart).await?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return show_library(
            &admin,
            vec!["Chọn một tệp ảnh để tải lên.".to_owned()],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match admin
        .app
        .media
        .upload(admin.site.id, Some(admin.actor()), bytes, &name, &caption)
        .await
    {
        Ok(id) => Ok(redirect(&format!("/quan-tri/anh/{id}?ok=taive"))),
        Err(cong_domain::Error::Fields(f)) => {
            let msgs = f.into_iter().map(|(_, m)| m).collect();
            show_library(&admin, msgs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct Detail {
    id: i64,
    src: String,
    name: String,
    caption: String,
    size: String,
    bytes: String,
    uploaded: String,
    widths: String,
    used_in: Vec<(i64, String)>,
    /// Articles using it that this user may not see (only counted).
    used_elsewhere: usize,
    /// Static pages whose body shows it.
    used_in_pages: Vec<(i64, String)>,
    can_manage: bool,
}

pub async fn detail(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    admin.require(Action::UploadMedia)?;
    let m = admin.app.media.find(admin.site.id, id).await?;
    let (used_in, used_elsewhere) = admin.app.media.usage(admin.actor(), id).await?;
    let used_in_pages = admin.app.media.pages_using(admin.site.id, id).await?;
    let view = Detail {
        id,
        src: urls::media(&m.file_name),
        name: m.original_name.clone(),
        caption: m.caption.clone(),
        size: format!("{} × {}", m.width, m.height),
        bytes: format!("{} KB", m.bytes / 1024),
        uploaded: jiff::Timestamp::from_second(m.created_at)
            .map(|t| date(t, &admin.app.tz))
            .unwrap_or_default(),
        widths: m.widths.replace(',', ", "),
        used_in,
        used_elsewhere,
        used_in_pages,
        can_manage: admin.may(Action::ManageMedia),
    };
    Ok(admin
        .render(
            "admin/media_item.html",
            "Ảnh",
            "/quan-tri/anh",
            vec![],
            view,
        )
        .await?
        .into_response())
}

pub async fn save_caption(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    admin
        .app
        .media
        .set_caption(admin.actor(), id, form.get("caption"))
        .await?;
    Ok(redirect(&format!("/quan-tri/anh/{id}?ok=luu")))
}
