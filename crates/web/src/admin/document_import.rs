//! Importing many documents at once in the back office: a sheet (XLSX or CSV) and the files
//! it names, sent together; the report says what came in and, row by row, what did not and
//! why. (For hundreds of files at once, `cong documents import` reads a folder instead.)

use super::form::multipart_of;
use super::session::Admin;
use crate::error::{Error, Result};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::{Action, By};
use cong_domain::documents::{ImportReport, Source, Status};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize, Default)]
struct ImportView {
    report: Option<ImportReport>,
    max_mb: u64,
    can_publish: bool,
}

async fn show(
    admin: &Admin,
    view: ImportView,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response> {
    let html = admin
        .render(
            "admin/document_import.html",
            "Nhập văn bản từ bảng",
            "/quan-tri/van-ban",
            errors,
            view,
        )
        .await?;
    Ok((status, html).into_response())
}

fn view(admin: &Admin) -> ImportView {
    let l = admin.app.files.limits();
    ImportView {
        report: None,
        max_mb: l.max_pdf.max(l.max_office) / (1024 * 1024),
        can_publish: admin.may(Action::PublishDocument),
    }
}

pub async fn form(admin: Admin) -> Result<Response> {
    admin.require(Action::CreateDocument)?;
    show(&admin, view(&admin), vec![], StatusCode::OK).await
}

/// `sheet` (one file), `upload` (the files it names), `draft` (a checkbox).
pub async fn import(admin: Admin, req: Request) -> Result<Response> {
    admin.require(Action::CreateDocument)?;
    let l = admin.app.files.limits();
    let (f, sent) = multipart_of(req, &["sheet", "upload"], l.max_pdf.max(l.max_office)).await?;
    let mut sheet = None;
    let mut files = HashMap::new();
    for s in sent {
        if s.field == "sheet" {
            sheet = Some(s.bytes);
        } else {
            files.insert(s.name, s.bytes);
        }
    }
    let Some(sheet) = sheet else {
        return show(
            &admin,
            view(&admin),
            vec!["Chọn tệp bảng (.xlsx hoặc .csv) để nhập.".to_owned()],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let status = if f.checked("draft") || !admin.may(Action::PublishDocument) {
        Status::Draft
    } else {
        Status::Published
    };
    let report = admin
        .app
        .documents
        .import_sheet(
            By::User(admin.actor()),
            admin.site.id,
            &admin.app.files,
            &sheet,
            &Source::Sent(files),
            status,
        )
        .await;
    match report {
        Ok(report) => {
            let mut v = view(&admin);
            v.report = Some(report);
            show(&admin, v, vec![], StatusCode::OK).await
        }
        Err(cong_domain::Error::Invalid(m)) => {
            show(
                &admin,
                view(&admin),
                vec![m],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(Error::from(e)),
    }
}
