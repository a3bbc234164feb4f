//! Sections (chuyên mục): create, rename, reorder, nest one level, show or hide in the menu.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::Result;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::content::SectionForm;
use serde::Serialize;

#[derive(Serialize)]
struct SectionRow {
    id: i64,
    name: String,
    slug: String,
    description: String,
    position: i64,
    parent_id: Option<i64>,
    in_menu: bool,
    page_id: Option<i64>,
    /// The language of its articles ("vi", "en").
    lang: &'static str,
    url: String,
    /// The sites it gathers from.
    sources: Vec<i64>,
}

#[derive(Serialize)]
struct SectionsPage {
    sections: Vec<SectionRow>,
    parents: Vec<(i64, String)>,
    pages: Vec<(i64, String)>,
    /// The other sites a section may gather from, as (id, name).
    sites: Vec<(i64, String)>,
}

async fn show(admin: &Admin, errors: Vec<String>, status: StatusCode) -> Result<Response> {
    let sections = admin.app.content.sections(admin.site.id).await?;
    let parents = sections
        .iter()
        .filter(|s| s.parent_id.is_none())
        .map(|s| (s.id, s.name.clone()))
        .collect();
    let pages = admin
        .app
        .content
        .all_pages(admin.site.id)
        .await?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect();
    let content = &admin.app.content;
    let sites = content
        .other_sites(admin.site.id)
        .await?
        .into_iter()
        .map(|l| (l.id.0, l.name))
        .collect();
    let mut sources = Vec::with_capacity(sections.len());
    for s in &sections {
        let of = content.section_sources(admin.site.id, s.id).await?;
        sources.push(of.into_iter().map(|x| x.0).collect::<Vec<_>>());
    }
    let view = SectionsPage {
        sections: sections
            .into_iter()
            .zip(sources)
            .map(|(s, sources)| SectionRow {
                sources,
                url: admin.public_url(&cong_render::i18n::localize_in(
                    s.lang,
                    &cong_render::urls::section(&s.slug),
                )),
                lang: s.lang.code(),
                id: s.id,
                name: s.name,
                slug: s.slug,
                description: s.description,
                position: 0,
                parent_id: s.parent_id,
                in_menu: s.in_menu,
                page_id: s.page_id,
            })
            .enumerate()
            .map(|(i, mut r)| {
                r.position = i64::try_from(i).unwrap_or(0) + 1;
                r
            })
            .collect(),
        parents,
        pages,
        sites,
    };
    let html = admin
        .render(
            "admin/sections.html",
            "Chuyên mục",
            "/quan-tri/chuyen-muc",
            errors,
            view,
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn list(admin: Admin) -> Result<Response> {
    admin.require(Action::ManageSections)?;
    show(&admin, vec![], StatusCode::OK).await
}

fn form_of(f: &FormData) -> Result<SectionForm> {
    Ok(SectionForm {
        name: f.get("name").to_owned(),
        slug: f.get("slug").to_owned(),
        description: f.get("description").to_owned(),
        position: f.id("position")?.unwrap_or(0),
        parent_id: f.id("parent_id")?,
        in_menu: f.checked("in_menu"),
        page_id: f.id("page_id")?,
        lang: cong_domain::navigation::Lang::parse(f.get("lang")).unwrap_or_default(),
        sources: f
            .all("sources")
            .into_iter()
            .map(|v| {
                v.trim().parse().map(cong_store::SiteId).map_err(|_| {
                    crate::error::Error::BadRequest("Trường “sources” phải là số.".into())
                })
            })
            .collect::<Result<_>>()?,
    })
}

async fn done(admin: &Admin, r: cong_domain::Result<i64>) -> Result<Response> {
    match r {
        Ok(_) => Ok(redirect("/quan-tri/chuyen-muc?ok=luu")),
        Err(cong_domain::Error::Fields(f)) => {
            show(
                admin,
                f.into_iter().map(|(_, m)| m).collect(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(admin: Admin, form: FormData) -> Result<Response> {
    let f = form_of(&form)?;
    let r = admin
        .app
        .content
        .save_section(admin.actor(), None, &f)
        .await;
    done(&admin, r).await
}

pub async fn update(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    let f = form_of(&form)?;
    let r = admin
        .app
        .content
        .save_section(admin.actor(), Some(id), &f)
        .await;
    done(&admin, r).await
}
