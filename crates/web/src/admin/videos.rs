//! Videos in the back office: upload (checked; a poster frame drawn by the browser or chosen
//! by the editor), browse and search, rename, change the poster, see where one plays; and the
//! same as JSON for the editor's video dialog (`/quan-tri/video/chon`, `/quan-tri/video/chen`).

use super::media_pick::{json, refusal};
use super::session::{Admin, redirect};
use super::upload::{self, Parts};
use crate::error::{Error, Result};
use axum::extract::{Multipart, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::media::videos::VideoUpload;
use cong_render::{date, urls};
use cong_store::videos::VideoRow;
use serde::Serialize;
use serde_json::json as value;

const PER_PAGE: u32 = 24;
/// How many videos the editor's chooser lists at once.
const PICK: i64 = 24;

#[derive(Serialize)]
struct Item {
    id: i64,
    src: String,
    poster: String,
    title: String,
    name: String,
    length: String,
    size: String,
}

fn item(v: &VideoRow) -> Item {
    Item {
        id: v.id,
        src: urls::media(&v.file_name),
        poster: poster(v),
        title: v.title.clone(),
        name: v.original_name.clone(),
        length: length(v.duration_ms),
        size: format!("{} × {}, {}", v.width, v.height, megabytes(v.bytes)),
    }
}

/// The poster's smallest copy, or nothing (the page shows a plain tile).
fn poster(v: &VideoRow) -> String {
    v.poster_file.as_deref().map_or_else(String::new, |file| {
        super::media::smallest(file, v.poster_widths.as_deref().unwrap_or(""))
    })
}

/// "1:05", "12:00:30".
pub(crate) fn length(ms: i64) -> String {
    let s = ms / 1000;
    match s / 3600 {
        0 => format!("{}:{:02}", s / 60, s % 60),
        h => format!("{h}:{:02}:{:02}", (s / 60) % 60, s % 60),
    }
}

fn megabytes(bytes: i64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0).replace('.', ",")
}

#[derive(Serialize)]
struct Library {
    items: Vec<Item>,
    total: i64,
    search: String,
    max_mb: u64,
    pages: Vec<(u32, String, bool)>,
}

fn search_of(admin: &Admin, key: &str) -> String {
    admin.param(key).chars().take(200).collect()
}

async fn show_library(admin: &Admin, errors: Vec<String>, status: StatusCode) -> Result<Response> {
    let search = search_of(admin, "tim");
    let page = crate::extract::page_number(admin.query.as_deref(), "page")?;
    let lib = &admin.app.media;
    let (_, total) = lib.list_videos(admin.site.id, Some(&search), 0, 0).await?;
    let offset = cong_domain::content::offset_of(page, total, PER_PAGE)?;
    let (rows, total) = lib
        .list_videos(admin.site.id, Some(&search), i64::from(PER_PAGE), offset)
        .await?;
    let q: String = form_urlencoded::byte_serialize(search.as_bytes()).collect();
    let view = Library {
        items: rows.iter().map(item).collect(),
        total,
        search,
        max_mb: lib.max_video_bytes() / (1024 * 1024),
        pages: (1..=cong_domain::content::page_count(total, PER_PAGE))
            .map(|n| (n, format!("/quan-tri/video?tim={q}&page={n}"), n == page))
            .collect(),
    };
    let html = admin
        .render(
            "admin/videos.html",
            "Video",
            "/quan-tri/video",
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

/// The video (`file`), its poster (`poster`, optional) and the other fields.
async fn read(admin: &Admin, multipart: Multipart) -> Result<Parts> {
    let lib = &admin.app.media;
    upload::read(
        multipart,
        &[
            ("file", lib.max_video_bytes(), "video"),
            ("poster", lib.limits().max_bytes, "anh-dai-dien.jpg"),
        ],
    )
    .await
}

/// Stores what came, or says what is missing.
async fn store(admin: &Admin, mut parts: Parts) -> cong_domain::Result<i64> {
    let Some((name, bytes)) = parts.take_file("file") else {
        return Err(cong_domain::Error::Fields(vec![(
            "file".to_owned(),
            "Chọn một tệp video (MP4 hoặc WebM) để tải lên.".to_owned(),
        )]));
    };
    let up = VideoUpload {
        bytes,
        original_name: name,
        title: parts.text("title").to_owned(),
        poster: parts.take_file("poster"),
    };
    admin
        .app
        .media
        .upload_video(admin.site.id, Some(admin.actor()), up)
        .await
}

/// `multipart/form-data`: `csrf` first, then `file`, `title` and optionally `poster`.
pub async fn upload(admin: Admin, multipart: Multipart) -> Result<Response> {
    admin.require(Action::UploadMedia)?;
    let parts = read(&admin, multipart).await?;
    match store(&admin, parts).await {
        Ok(id) => Ok(redirect(&format!("/quan-tri/video/{id}?ok=taivideo"))),
        Err(cong_domain::Error::Fields(f)) => {
            let msgs = f.into_iter().map(|(_, m)| m).collect();
            show_library(&admin, msgs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct Detail {
    video: Item,
    mime: String,
    codec: String,
    uploaded: String,
    used_in: Vec<(i64, String)>,
    in_page: bool,
    can_manage: bool,
}

pub async fn detail(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    admin.require(Action::UploadMedia)?;
    let lib = &admin.app.media;
    let v = lib.find_video(admin.site.id, id).await?;
    let (used, in_page) = lib.video_usage(admin.site.id, id).await?;
    let view = Detail {
        video: item(&v),
        mime: v.mime.clone(),
        codec: v.codec.clone(),
        uploaded: jiff::Timestamp::from_second(v.created_at)
            .map(|t| date(t, &admin.app.tz))
            .unwrap_or_default(),
        used_in: used.into_iter().map(|u| (u.article_id, u.title)).collect(),
        in_page,
        can_manage: admin.may(Action::ManageMedia),
    };
    Ok(admin
        .render(
            "admin/video_item.html",
            "Video",
            "/quan-tri/video",
            vec![],
            view,
        )
        .await?
        .into_response())
}

/// `multipart/form-data`: `csrf`, `title`, optionally a new `poster`.
pub async fn save(admin: Admin, Path(id): Path<i64>, multipart: Multipart) -> Result<Response> {
    admin.require(Action::ManageMedia)?;
    let mut parts = read(&admin, multipart).await?;
    let title = parts.text("title").to_owned();
    admin
        .app
        .media
        .update_video(admin.actor(), id, &title, parts.take_file("poster"))
        .await?;
    Ok(redirect(&format!("/quan-tri/video/{id}?ok=luu")))
}

fn pick_item(v: &VideoRow) -> serde_json::Value {
    let it = item(v);
    value!({
        "id": it.id,
        "src": it.src,
        "thumb": it.poster,
        "poster": v.poster_file.as_deref().map(urls::media).unwrap_or_default(),
        "name": it.name,
        "caption": it.title,
        "title": it.title,
        "length": it.length,
        "width": v.width,
        "height": v.height,
    })
}

/// The newest videos whose title or file name holds `q`, as JSON.
pub async fn pick(admin: Admin) -> Response {
    if let Err(e) = admin.require(Action::UploadMedia) {
        return refusal(e);
    }
    let q = search_of(&admin, "q");
    match admin
        .app
        .media
        .list_videos(admin.site.id, Some(&q), PICK, 0)
        .await
    {
        Ok((rows, _)) => json(
            StatusCode::OK,
            &serde_json::Value::Array(rows.iter().map(pick_item).collect()),
        ),
        Err(e) => refusal(e.into()),
    }
}

/// Stores one video as the library's form does and answers with its row, as JSON.
pub async fn insert(admin: Admin, multipart: Multipart) -> Response {
    if let Err(e) = admin.require(Action::UploadMedia) {
        return refusal(e);
    }
    let parts = match read(&admin, multipart).await {
        Ok(p) => p,
        Err(e) => return refusal(e),
    };
    let lib = &admin.app.media;
    match store(&admin, parts).await {
        Ok(id) => match lib.find_video(admin.site.id, id).await {
            Ok(v) => json(StatusCode::CREATED, &pick_item(&v)),
            Err(e) => refusal(e.into()),
        },
        Err(cong_domain::Error::Fields(f)) => refusal(Error::Unprocessable(
            f.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "),
        )),
        Err(e) => refusal(e.into()),
    }
}
