//! Files attached to an article or a static page: the panel under their edit form (its own
//! multipart form, so the editor's form stays as it is), upload with it, remove, keep order.

use super::form::{FormData, Sent, multipart_of};
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::{Path, Request};
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
        Owner::Report => format!("/quan-tri/van-ban/{id}/lay-y-kien"),
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

/// The files a form keeps: those listed (`file`), less those ticked off (`drop_file`).
pub(super) fn kept_files(f: &FormData) -> Vec<i64> {
    let ids =
        |name: &str| -> Vec<i64> { f.all(name).iter().filter_map(|v| v.parse().ok()).collect() };
    let dropped = ids("drop_file");
    ids("file")
        .into_iter()
        .filter(|id| !dropped.contains(id))
        .collect()
}

/// Uploads the files sent with a form; returns the ids of those accepted and a sentence for
/// each refused, naming it.
pub(super) async fn upload_all(admin: &Admin, sent: Vec<Sent>) -> Result<(Vec<i64>, Vec<String>)> {
    let mut ids = Vec::new();
    let mut refused = Vec::new();
    for s in sent {
        match admin
            .app
            .files
            .upload(admin.site.id, Some(admin.actor()), s.bytes, &s.name)
            .await
        {
            Ok(f) => ids.push(f.id),
            Err(
                cong_domain::Error::Unsupported(m)
                | cong_domain::Error::TooLarge(m)
                | cong_domain::Error::Invalid(m),
            ) => refused.push(format!("Tệp “{}”: {m}", s.name)),
            Err(e) => return Err(e.into()),
        }
    }
    Ok((ids, refused))
}

/// Keeps the files listed (`file`, less `drop_file`), adds those uploaded (`upload`), and
/// saves the list through the owner's service. Refused uploads are named in a 422 after the
/// others are kept.
async fn save(admin: Admin, owner: Owner, id: i64, req: Request) -> Result<Response> {
    // Whose it is first: another site's article or page is not found, whatever was sent.
    match owner {
        Owner::Article => {
            admin.app.editorial.get(admin.actor(), id).await?;
        }
        Owner::Page => {
            admin.require(cong_domain::auth::Action::ManagePages)?;
            admin.app.content.page_by_id(admin.site.id, id).await?;
        }
        Owner::Document | Owner::Report => return Err(Error::NotFound),
    }
    admin.require(cong_domain::auth::Action::UploadFile)?;
    let limits = admin.app.files.limits();
    let (f, sent) = multipart_of(req, &["upload"], limits.max_pdf.max(limits.max_office)).await?;
    let mut files = kept_files(&f);
    let (added, refused) = upload_all(&admin, sent).await?;
    files.extend(added);
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
        Owner::Document | Owner::Report => return Err(Error::NotFound),
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

pub async fn article(admin: Admin, Path(id): Path<i64>, req: Request) -> Result<Response> {
    save(admin, Owner::Article, id, req).await
}

pub async fn page(admin: Admin, Path(id): Path<i64>, req: Request) -> Result<Response> {
    save(admin, Owner::Page, id, req).await
}

#[derive(Serialize)]
struct LibraryView {
    files: Vec<LibraryLine>,
    pages: Vec<(u32, String, bool)>,
    can_delete: bool,
}

#[derive(Serialize)]
struct LibraryLine {
    id: i64,
    link: FileLink,
    uses: i64,
    uploaded: String,
}

/// Files a page of the library shows.
const PER_PAGE: i64 = 50;

/// `/quan-tri/tep`: every file of the site, newest first, with how many things carry it;
/// unused ones can be deleted.
pub async fn library(admin: Admin) -> Result<Response> {
    admin.require(cong_domain::auth::Action::UploadFile)?;
    show_library(&admin, vec![], axum::http::StatusCode::OK).await
}

async fn show_library(
    admin: &Admin,
    errors: Vec<String>,
    status: axum::http::StatusCode,
) -> Result<Response> {
    use axum::response::IntoResponse;
    let page = crate::extract::page_number(admin.query.as_deref(), "page")?;
    let offset = i64::from(page - 1) * PER_PAGE;
    // One more than a page: is there a next one?
    let mut rows = admin
        .app
        .files
        .list(admin.site.id, PER_PAGE + 1, offset)
        .await?;
    let more = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    if rows.is_empty() && page > 1 {
        return Err(Error::NotFound);
    }
    let tz = &admin.app.tz;
    let view = LibraryView {
        files: rows
            .iter()
            .map(|(f, uses)| LibraryLine {
                id: f.id,
                link: FileLink::new(f),
                uses: *uses,
                uploaded: jiff::Timestamp::from_second(f.created_at)
                    .map(|t| cong_render::date(t, tz))
                    .unwrap_or_default(),
            })
            .collect(),
        pages: (1..=page + u32::from(more))
            .map(|n| (n, format!("/quan-tri/tep?page={n}"), n == page))
            .collect(),
        can_delete: admin.may(cong_domain::auth::Action::ManageMedia),
    };
    let html = admin
        .render(
            "admin/files.html",
            "Tệp đính kèm",
            "/quan-tri/tep",
            errors,
            view,
        )
        .await?;
    Ok((status, html).into_response())
}

/// Deletes a file nothing carries; one in use is refused with a 409 saying so.
pub async fn delete(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    match admin.app.files.delete(admin.actor(), id).await {
        Ok(()) => Ok(redirect("/quan-tri/tep?ok=xoa")),
        Err(cong_domain::Error::Conflict(m)) => {
            show_library(&admin, vec![m], axum::http::StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
