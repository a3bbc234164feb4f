//! Static pages (trang tĩnh) in the back office: list, create, edit with the same editor.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::Result;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
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
        .all_pages()
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
}

async fn show(
    admin: &Admin,
    page: PageForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response> {
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
    admin.require(Action::ManagePages)?;
    let title = form.get("title");
    let slug = if form.get("slug").trim().is_empty() {
        title
    } else {
        form.get("slug")
    };
    if title.trim().is_empty() {
        let page = PageForm {
            body_html: form.get("body_html").to_owned(),
            ..Default::default()
        };
        return show(
            &admin,
            page,
            vec!["Nhập tiêu đề.".to_owned()],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let id = admin
        .app
        .content
        .create_page(slug, title, form.get("body_html"))
        .await?;
    admin
        .app
        .editorial
        .audit(admin.actor(), "page.create", "page", Some(id), title)
        .await?;
    Ok(redirect(&format!("/quan-tri/trang/{id}?ok=tao")))
}

pub async fn edit_form(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    admin.require(Action::ManagePages)?;
    let p = admin.app.content.page_by_id(id).await?;
    let page = PageForm {
        id: Some(p.id),
        url: Some(cong_render::urls::page(&p.slug)),
        title: p.title,
        slug: p.slug,
        body_html: p.body_html,
        removed: vec![],
    };
    show(&admin, page, vec![], StatusCode::OK).await
}

pub async fn save(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    admin.require(Action::ManagePages)?;
    match admin
        .app
        .content
        .update_page(
            id,
            form.get("slug"),
            form.get("title"),
            form.get("body_html"),
        )
        .await
    {
        Ok(removed) => {
            admin
                .app
                .editorial
                .audit(
                    admin.actor(),
                    "page.update",
                    "page",
                    Some(id),
                    form.get("title"),
                )
                .await?;
            if removed.is_empty() {
                return Ok(redirect(&format!("/quan-tri/trang/{id}?ok=luu")));
            }
            let p = admin.app.content.page_by_id(id).await?;
            let page = PageForm {
                id: Some(id),
                url: Some(cong_render::urls::page(&p.slug)),
                title: p.title,
                slug: p.slug,
                body_html: p.body_html,
                removed,
            };
            show(&admin, page, vec![], StatusCode::OK).await
        }
        Err(cong_domain::Error::Fields(f)) => {
            let page = PageForm {
                id: Some(id),
                title: form.get("title").to_owned(),
                slug: form.get("slug").to_owned(),
                body_html: form.get("body_html").to_owned(),
                ..Default::default()
            };
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
