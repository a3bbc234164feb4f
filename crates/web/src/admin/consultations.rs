//! A document's consultation in the back office (editors, administrators): the dates (or
//! none), the summary report's files uploaded through the attachments' intake, and the
//! comments to publish or reject.

use super::attachments::{kept_files, upload_all};
use super::form::{FormData, multipart_of};
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::{Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::consultations::{CommentStatus, State};
use cong_render::views::documents::FileLink;
use serde::Serialize;

pub fn status_label(s: CommentStatus) -> &'static str {
    match s {
        CommentStatus::New => "Chờ duyệt",
        CommentStatus::Published => "Đã đăng",
        CommentStatus::Rejected => "Không đăng",
    }
}

#[derive(Serialize)]
struct CommentLine {
    id: i64,
    date: String,
    name: String,
    email: String,
    organisation: String,
    body: String,
    status: &'static str,
    status_label: &'static str,
    moderated_by: Option<String>,
}

#[derive(Serialize)]
struct ConsultationPage {
    id: i64,
    number: String,
    summary: String,
    enabled: bool,
    opens_on: String,
    closes_on: String,
    state: &'static str,
    files: Vec<(i64, FileLink)>,
    comments: Vec<CommentLine>,
    url: Option<String>,
}

async fn page(admin: &Admin, id: i64, errors: Vec<String>, status: StatusCode) -> Result<Response> {
    admin.require(Action::ManageConsultation)?;
    let detail = admin.app.documents.by_id(admin.site.id, id).await?;
    let c = admin.app.consultations.get(admin.site.id, id).await?;
    let files = admin.app.consultations.report(admin.site.id, id).await?;
    let tz = &admin.app.tz;
    let comments = admin
        .app
        .consultations
        .moderation(admin.actor(), id)
        .await?
        .into_iter()
        .map(|m| CommentLine {
            id: m.id,
            date: jiff::Timestamp::from_second(m.created_at)
                .map(|t| cong_render::date_time(t, tz))
                .unwrap_or_default(),
            name: m.name,
            email: m.email,
            organisation: m.organisation,
            body: m.body,
            status: m.status.as_str(),
            status_label: status_label(m.status),
            moderated_by: m.moderated_by,
        })
        .collect();
    let view = ConsultationPage {
        id,
        number: detail.doc.number.clone(),
        summary: detail.doc.summary.clone(),
        enabled: c.is_some(),
        opens_on: c
            .as_ref()
            .map(|c| c.row.opens_on.clone())
            .unwrap_or_default(),
        closes_on: c
            .as_ref()
            .map(|c| c.row.closes_on.clone())
            .unwrap_or_default(),
        state: match c.as_ref().map(|c| c.state) {
            None => "Không lấy ý kiến",
            Some(State::Upcoming) => "Sắp lấy ý kiến",
            Some(State::Open) => "Đang lấy ý kiến",
            Some(State::Closed) => "Đã hết hạn lấy ý kiến",
        },
        files: files.iter().map(|f| (f.id, FileLink::new(f))).collect(),
        comments,
        url: (detail.doc.status == cong_domain::documents::Status::Published)
            .then(|| admin.public_url(&cong_render::urls::document(&detail.doc.slug))),
    };
    let html = admin
        .render(
            "admin/consultation.html",
            "Lấy ý kiến dự thảo",
            "/quan-tri/van-ban",
            errors,
            view,
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn show(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    page(&admin, id, vec![], StatusCode::OK).await
}

/// One multipart form: the flag and dates, the report's files kept, dropped and uploaded.
pub async fn save(admin: Admin, Path(id): Path<i64>, req: Request) -> Result<Response> {
    admin.require(Action::ManageConsultation)?;
    // Another site's document is not found, whatever was sent.
    admin.app.documents.by_id(admin.site.id, id).await?;
    let limits = admin.app.files.limits();
    let (f, sent) = multipart_of(req, &["upload"], limits.max_pdf.max(limits.max_office)).await?;
    let mut files = kept_files(&f);
    let (added, mut errors) = upload_all(&admin, sent).await?;
    files.extend(added);
    let dates = (f.get("enabled") == "1").then(|| (f.get("opens_on"), f.get("closes_on")));
    let service = &admin.app.consultations;
    match service.configure(admin.actor(), id, dates).await {
        Ok(()) => {}
        Err(cong_domain::Error::Fields(fields)) => {
            errors.extend(fields.into_iter().map(|(_, m)| m));
        }
        Err(e) => return Err(e.into()),
    }
    service.set_report(admin.actor(), id, &files).await?;
    if errors.is_empty() {
        Ok(redirect(&format!(
            "/quan-tri/van-ban/{id}/lay-y-kien?ok=luu"
        )))
    } else {
        page(&admin, id, errors, StatusCode::UNPROCESSABLE_ENTITY).await
    }
}

/// `to` = published | rejected | new.
pub async fn moderate(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    let to = CommentStatus::parse(form.get("to"))
        .ok_or_else(|| Error::BadRequest("Trạng thái không hợp lệ.".to_owned()))?;
    let document = admin
        .app
        .consultations
        .moderate(admin.actor(), id, to)
        .await?;
    Ok(redirect(&format!(
        "/quan-tri/van-ban/{document}/lay-y-kien?ok=luu#y-kien-{id}"
    )))
}
