//! `/quan-tri/to-chuc`: the units' tree, a unit's form (add, edit), delete (refused, with
//! why, while it holds people or units) and Lên/Xuống among its siblings.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::Result;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::organisation::{Move, UnitForm};
use cong_store::organisation::{UnitId, UnitKind};
use serde::Serialize;

pub(super) const LIST: &str = "/quan-tri/to-chuc";

#[derive(Serialize)]
struct UnitItem {
    id: i64,
    name: String,
    kind: &'static str,
    depth: usize,
    url: String,
    people: usize,
    first: bool,
    last: bool,
}

#[derive(Serialize)]
struct ListPage {
    units: Vec<UnitItem>,
}

async fn show_list(admin: &Admin, errors: Vec<String>, status: StatusCode) -> Result<Response> {
    let org = &admin.app.organisation;
    let units = org.units(admin.site.id).await?;
    let people = org.people(admin.site.id).await?;
    let items = units
        .iter()
        .map(|(depth, u)| {
            // First or last of its group of siblings (the same parent and kind): the
            // buttons that could not move it are not shown.
            let group: Vec<_> = units
                .iter()
                .filter(|(_, s)| s.parent_id == u.parent_id && s.kind == u.kind)
                .map(|(_, s)| s.id)
                .collect();
            UnitItem {
                id: u.id.0,
                name: u.name.clone(),
                kind: u.kind.as_str(),
                depth: *depth,
                url: admin.public_url(&format!("/co-cau-to-chuc/{}", u.slug)),
                people: people.iter().filter(|p| p.unit_id == u.id).count(),
                first: group.first() == Some(&u.id),
                last: group.last() == Some(&u.id),
            }
        })
        .collect();
    let html = admin
        .render(
            "admin/organisation.html",
            "Cơ cấu tổ chức",
            LIST,
            errors,
            ListPage { units: items },
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn list(admin: Admin) -> Result<Response> {
    admin.require(Action::ManageOrganisation)?;
    show_list(&admin, vec![], StatusCode::OK).await
}

#[derive(Serialize)]
struct EditPage {
    id: Option<i64>,
    kind: String,
    name: String,
    name_en: String,
    slug: String,
    duties: String,
    duties_en: String,
    address: String,
    phone: String,
    email: String,
    parent: String,
    kinds: Vec<&'static str>,
    /// (id, name, depth) of the units it may go under.
    parents: Vec<(i64, String, usize)>,
    /// (field, message) for each refused field.
    bad: Vec<(String, String)>,
}

async fn show_form(
    admin: &Admin,
    id: Option<UnitId>,
    f: UnitForm,
    bad: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response> {
    let units = admin.app.organisation.units(admin.site.id).await?;
    // Not itself nor anything under it: the tree order puts those right after it, deeper.
    let mut skip_below: Option<usize> = None;
    let mut parents = Vec::new();
    for (depth, u) in &units {
        if let Some(d) = skip_below {
            if *depth > d {
                continue;
            }
            skip_below = None;
        }
        if Some(u.id) == id {
            skip_below = Some(*depth);
            continue;
        }
        parents.push((u.id.0, u.name.clone(), *depth));
    }
    let title = if id.is_some() {
        "Sửa đơn vị"
    } else {
        "Thêm đơn vị"
    };
    let view = EditPage {
        id: id.map(|i| i.0),
        kind: f.kind,
        name: f.name,
        name_en: f.name_en,
        slug: f.slug,
        duties: f.duties,
        duties_en: f.duties_en,
        address: f.address,
        phone: f.phone,
        email: f.email,
        parent: f.parent,
        kinds: UnitKind::ALL.iter().map(|k| k.as_str()).collect(),
        parents,
        bad,
    };
    let html = admin
        .render("admin/org_unit_edit.html", title, LIST, vec![], view)
        .await?;
    Ok((status, html).into_response())
}

fn form_of(f: &FormData) -> UnitForm {
    UnitForm {
        kind: f.get("kind").to_owned(),
        name: f.get("name").to_owned(),
        name_en: f.get("name_en").to_owned(),
        slug: f.get("slug").to_owned(),
        duties: f.get("duties").to_owned(),
        duties_en: f.get("duties_en").to_owned(),
        address: f.get("address").to_owned(),
        phone: f.get("phone").to_owned(),
        email: f.get("email").to_owned(),
        parent: f.get("parent").to_owned(),
    }
}

pub async fn new_form(admin: Admin) -> Result<Response> {
    admin.require(Action::ManageOrganisation)?;
    let f = UnitForm {
        kind: UnitKind::Department.as_str().to_owned(),
        ..UnitForm::default()
    };
    show_form(&admin, None, f, vec![], StatusCode::OK).await
}

pub async fn edit_form(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    admin.require(Action::ManageOrganisation)?;
    let units = admin.app.organisation.units(admin.site.id).await?;
    let (_, u) = units
        .into_iter()
        .find(|(_, u)| u.id.0 == id)
        .ok_or(crate::error::Error::NotFound)?;
    let f = UnitForm {
        kind: u.kind.as_str().to_owned(),
        name: u.name,
        name_en: u.name_en,
        slug: u.slug,
        duties: u.duties,
        duties_en: u.duties_en,
        address: u.address,
        phone: u.phone,
        email: u.email,
        parent: u.parent_id.map(|p| p.0.to_string()).unwrap_or_default(),
    };
    show_form(&admin, Some(u.id), f, vec![], StatusCode::OK).await
}

async fn save(admin: Admin, id: Option<UnitId>, form: FormData) -> Result<Response> {
    let f = form_of(&form);
    match admin
        .app
        .organisation
        .save_unit(admin.actor(), id, &f)
        .await
    {
        Ok(_) => Ok(redirect(&format!("{LIST}?ok=luu"))),
        Err(cong_domain::Error::Fields(bad)) => {
            show_form(&admin, id, f, bad, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(admin: Admin, form: FormData) -> Result<Response> {
    save(admin, None, form).await
}

pub async fn update(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    save(admin, Some(UnitId(id)), form).await
}

pub async fn delete(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    match admin
        .app
        .organisation
        .delete_unit(admin.actor(), UnitId(id))
        .await
    {
        Ok(()) => Ok(redirect(&format!("{LIST}?ok=xoa"))),
        // Why it stays, on the list itself.
        Err(cong_domain::Error::Conflict(why)) => {
            show_list(&admin, vec![why], StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn move_unit(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    let way = match form.get("huong") {
        "len" => Move::Up,
        "xuong" => Move::Down,
        _ => {
            return Err(crate::error::Error::BadRequest(
                "Hướng phải là “len” hoặc “xuong”.".to_owned(),
            ));
        }
    };
    admin
        .app
        .organisation
        .move_unit(admin.actor(), UnitId(id), way)
        .await?;
    Ok(redirect(&format!("{LIST}#don-vi-{id}")))
}
