//! Static pages (trang tĩnh) in the back office: list, create, edit with the same editor.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::Result;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::content::PageInput;
use cong_domain::navigation::Lang;
use serde::Serialize;

#[derive(Serialize)]
struct PagesList {
    pages: Vec<(i64, String, String)>,
}

pub async fn list(admin: Admin) -> Result<Response> {
    admin.require(Action::ManagePages)?;
    let pages = admin
        .app
        .content
        .all_pages(admin.site.id)
        .await?
        .into_iter()
        .map(|p| (p.id, p.title, cong_render::urls::page(&p.slug)))
        .collect();
    Ok(admin
        .render(
            "admin/pages.html",
            "Trang tĩnh",
            "/quan-tri/trang",
            vec![],
            PagesList { pages },
        )
        .await?
        .into_response())
}

#[derive(Serialize, Default)]
struct PageForm {
    id: Option<i64>,
    title: String,
    slug: String,
    body_html: String,
    url: Option<String>,
    removed: Vec<String>,
    files: Option<super::attachments::FilesPanel>,
    /// The version the form was opened at (optimistic locking).
    version: i64,
    /// Its language's code ("vi", "en").
    lang: &'static str,
    translation_of: Option<i64>,
    /// The pages it may translate: (id, title, language code), every other page.
    originals: Vec<(i64, String, &'static str)>,
}

/// The language and original a submitted form names.
fn language_of(form: &FormData) -> Result<(Lang, Option<i64>)> {
    Ok((
        Lang::parse(form.get("lang")).unwrap_or_default(),
        form.id("translation_of")?,
    ))
}

/// The form as it was sent, for showing it again with its errors.
fn as_sent(form: &FormData, id: Option<i64>, version: i64) -> Result<PageForm> {
    let (lang, translation_of) = language_of(form)?;
    Ok(PageForm {
        id,
        title: form.get("title").to_owned(),
        slug: form.get("slug").to_owned(),
        body_html: form.get("body_html").to_owned(),
        version,
        lang: lang.code(),
        translation_of,
        ..Default::default()
    })
}

/// Saves the page the form describes (new when `id` is None).
async fn save_form(
    admin: &Admin,
    id: Option<i64>,
    version: Option<i64>,
    form: &FormData,
) -> Result<cong_domain::Result<(i64, Vec<String>)>> {
    let (lang, translation_of) = language_of(form)?;
    let input = PageInput {
        slug: form.get("slug"),
        title: form.get("title"),
        body_html: form.get("body_html"),
        lang,
        translation_of,
    };
    Ok(admin
        .app
        .content
        .save_page(admin.actor(), id, version, &input)
        .await)
}

async fn show(
    admin: &Admin,
    mut page: PageForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response> {
    if let Some(id) = page.id {
        page.files =
            Some(super::attachments::panel(admin, cong_domain::files::Owner::Page, id).await?);
    }
    if page.lang.is_empty() {
        page.lang = Lang::Vi.code();
    }
    page.originals = admin
        .app
        .content
        .all_pages(admin.site.id)
        .await?
        .into_iter()
        .filter(|p| Some(p.id) != page.id)
        .map(|p| (p.id, p.title, p.lang.code()))
        .collect();
    let html = admin
        .render(
            "admin/page_edit.html",
            "Trang tĩnh",
            "/quan-tri/trang",
            errors,
            page,
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn new_form(admin: Admin) -> Result<Response> {
    admin.require(Action::ManagePages)?;
    show(&admin, PageForm::default(), vec![], StatusCode::OK).await
}

pub async fn create(admin: Admin, form: FormData) -> Result<Response> {
    let saved = save_form(&admin, None, None, &form).await?;
    match saved {
        Ok((id, _)) => Ok(redirect(&format!("/quan-tri/trang/{id}?ok=tao"))),
        Err(cong_domain::Error::Fields(f)) => {
            let page = as_sent(&form, None, 0)?;
            show(
                &admin,
                page,
                f.into_iter().map(|(_, m)| m).collect(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    admin.require(Action::ManagePages)?;
    let p = admin.app.content.page_by_id(admin.site.id, id).await?;
    let page = PageForm {
        id: Some(p.id),
        url: Some(admin.public_url(&cong_render::urls::page(&p.slug))),
        title: p.title,
        slug: p.slug,
        body_html: p.body_html,
        removed: vec![],
        files: None,
        version: p.version,
        lang: p.lang.code(),
        translation_of: p.translation_of,
        originals: vec![],
    };
    show(&admin, page, vec![], StatusCode::OK).await
}

pub async fn save(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    match save_form(&admin, Some(id), form.id("version")?, &form).await? {
        Ok((_, removed)) => {
            if removed.is_empty() {
                return Ok(redirect(&format!("/quan-tri/trang/{id}?ok=luu")));
            }
            let p = admin.app.content.page_by_id(admin.site.id, id).await?;
            let page = PageForm {
                id: Some(id),
                url: Some(admin.public_url(&cong_render::urls::page(&p.slug))),
                title: p.title,
                slug: p.slug,
                body_html: p.body_html,
                removed,
                files: None,
                version: p.version,
                lang: p.lang.code(),
                translation_of: p.translation_of,
                originals: vec![],
            };
            show(&admin, page, vec![], StatusCode::OK).await
        }
        Err(cong_domain::Error::Stale(stale)) => {
            // What this editor wrote stays in the form; saving again overwrites on purpose.
            let page = as_sent(&form, Some(id), stale.version)?;
            let at = cong_render::date_time(super::articles::ts(stale.at), &admin.app.tz);
            show(
                &admin,
                page,
                vec![format!(
                    "Trang đã được người khác lưu lúc {at}, sau khi bạn mở. Nội dung của bạn chưa được lưu: \
                     mở trang ở thẻ khác để xem bản mới, gộp thay đổi vào đây rồi lưu lại."
                )],
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(cong_domain::Error::Fields(f)) => {
            let page = as_sent(&form, Some(id), form.id("version")?.unwrap_or(0))?;
            show(
                &admin,
                page,
                f.into_iter().map(|(_, m)| m).collect(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
