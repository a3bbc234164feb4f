//! Files attached to an article or a static page: the panel under their edit form (its own
//! multipart form, so the editor's form stays as it is), upload with it, remove, keep order.

use super::form::multipart;
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::{Multipart, Path};
use axum::response::Response;
use cong_domain::files::Owner;
use cong_render::views::documents::FileLink;
use serde::Serialize;

/// The panel's view: where it posts, the files carried, the limits.
#[derive(Debug, Serialize)]
pub struct FilesPanel {
    pub action: String,
    pub files: Vec<(i64, FileLink)>,
    pub max_pdf_mb: u64,
    pub max_office_mb: u64,
}

fn base(owner: Owner, id: i64) -> String {
    match owner {
        Owner::Article => format!("/quan-tri/bai-viet/{id}"),
        Owner::Page => format!("/quan-tri/trang/{id}"),
        Owner::Document => format!("/quan-tri/van-ban/{id}"),
    }
}

pub async fn panel(admin: &Admin, owner: Owner, id: i64) -> Result<FilesPanel> {
    let files = admin.app.files.attached(admin.site.id, owner, id).await?;
    let limits = admin.app.files.limits();
    Ok(FilesPanel {
        action: format!("{}/tep", base(owner, id)),
        files: files.iter().map(|f| (f.id, FileLink::new(f))).collect(),
        max_pdf_mb: limits.max_pdf / (1024 * 1024),
        max_office_mb: limits.max_office / (1024 * 1024),
    })
}

/// Keeps the files listed (`file`, less `drop_file`), adds those uploaded (`upload`), and
/// saves the list through the owner's service. Refused uploads are named in a 422 after the
/// others are kept.
async fn save(admin: Admin, owner: Owner, id: i64, m: Multipart) -> Result<Response> {
    let limits = admin.app.files.limits();
    let (f, sent) = multipart(m, &["upload"], limits.max_pdf.max(limits.max_office)).await?;
    let dropped: Vec<i64> = f
        .all("drop_file")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let mut files: Vec<i64> = f
        .all("file")
        .iter()
        .filter_map(|v| v.parse().ok())
        .filter(|id| !dropped.contains(id))
        .collect();
    let mut refused = Vec::new();
    for s in sent {
        match admin
            .app
            .files
            .upload(admin.site.id, Some(admin.actor()), s.bytes, &s.name)
            .await
        {
            Ok(file) => files.push(file.id),
            Err(
                cong_domain::Error::Unsupported(m)
                | cong_domain::Error::TooLarge(m)
                | cong_domain::Error::Invalid(m),
            ) => refused.push(format!("Tệp “{}”: {m}", s.name)),
            Err(e) => return Err(e.into()),
        }
    }
    match owner {
        Owner::Article => {
            admin
                .app
                .editorial
                .set_files(admin.actor(), id, &files)
                .await?
        }
        Owner::Page => {
            admin
                .app
                .content
                .set_page_files(admin.actor(), id, &files)
                .await?
        }
        Owner::Document => return Err(Error::NotFound),
    }
    if refused.is_empty() {
        Ok(redirect(&format!(
            "{}?ok=luu#tep-dinh-kem",
            base(owner, id)
        )))
    } else {
        Err(Error::Unprocessable(refused.join(" ")))
    }
}

pub async fn article(admin: Admin, Path(id): Path<i64>, m: Multipart) -> Result<Response> {
    save(admin, Owner::Article, id, m).await
}

pub async fn page(admin: Admin, Path(id): Path<i64>, m: Multipart) -> Result<Response> {
    save(admin, Owner::Page, id, m).await
}
