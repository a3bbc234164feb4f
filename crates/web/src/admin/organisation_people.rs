//! `/quan-tri/to-chuc/nguoi`: the people of the organisation (current and past), a person's
//! form with the photo chosen from the library by the media picker, and delete.

use super::form::FormData;
use super::organisation::LIST;
use super::session::{Admin, redirect};
use crate::error::Result;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::organisation::{PersonForm, past, serving};
use cong_render::urls;
use cong_store::organisation::PersonId;
use serde::Serialize;

const PEOPLE: &str = "/quan-tri/to-chuc/nguoi";

#[derive(Serialize)]
struct PersonItem {
    id: i64,
    name: String,
    title: String,
    unit: String,
    /// `current`, `past` or `future`.
    state: &'static str,
    from: String,
    until: String,
}

#[derive(Serialize)]
struct ListPage {
    people: Vec<PersonItem>,
    has_units: bool,
}

fn shown_day(day: Option<&str>) -> String {
    day.and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .map(|d| d.strftime("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

async fn show_list(admin: &Admin) -> Result<Response> {
    let org = &admin.app.organisation;
    let today = org.today();
    let people = org
        .people(admin.site.id)
        .await?
        .into_iter()
        .map(|p| PersonItem {
            state: if serving(&p, today) {
                "current"
            } else if past(&p, today) {
                "past"
            } else {
                "future"
            },
            id: p.id.0,
            from: shown_day(p.served_from.as_deref()),
            until: shown_day(p.served_until.as_deref()),
            name: p.name,
            title: p.title,
            unit: p.unit_name,
        })
        .collect();
    let has_units = !org.units(admin.site.id).await?.is_empty();
    let html = admin
        .render(
            "admin/org_people.html",
            "Cán bộ, lãnh đạo",
            LIST,
            vec![],
            ListPage { people, has_units },
        )
        .await?;
    Ok(html.into_response())
}

pub async fn list(admin: Admin) -> Result<Response> {
    admin.require(Action::ManageOrganisation)?;
    show_list(&admin).await
}

#[derive(Serialize)]
struct MediaChoice {
    id: i64,
    label: String,
    thumb: String,
}

#[derive(Serialize)]
struct EditPage {
    id: Option<i64>,
    unit: String,
    name: String,
    title: String,
    title_en: String,
    photo: String,
    phone: String,
    email: String,
    precedence: String,
    served_from: String,
    served_until: String,
    /// (id, name, depth).
    units: Vec<(i64, String, usize)>,
    media: Vec<MediaChoice>,
    bad: Vec<(String, String)>,
}

async fn show_form(
    admin: &Admin,
    id: Option<PersonId>,
    f: PersonForm,
    bad: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response> {
    let units = admin
        .app
        .organisation
        .units(admin.site.id)
        .await?
        .into_iter()
        .map(|(d, u)| (u.id.0, u.name, d))
        .collect();
    let (rows, _) = admin
        .app
        .content
        .store()
        .media(admin.site.id)
        .list(None, 500, 0)
        .await
        .map_err(cong_domain::Error::from)?;
    let media = rows
        .into_iter()
        .map(|m| MediaChoice {
            id: m.id,
            label: if m.caption.is_empty() {
                format!("#{} {}", m.id, m.original_name)
            } else {
                format!("#{} {}", m.id, m.caption)
            },
            thumb: urls::media(&m.file_name),
        })
        .collect();
    let view = EditPage {
        id: id.map(|i| i.0),
        unit: f.unit,
        name: f.name,
        title: f.title,
        title_en: f.title_en,
        photo: f.photo,
        phone: f.phone,
        email: f.email,
        precedence: f.precedence,
        served_from: f.served_from,
        served_until: f.served_until,
        units,
        media,
        bad,
    };
    let title = if id.is_some() {
        "Sửa thông tin cán bộ"
    } else {
        "Thêm cán bộ"
    };
    let html = admin
        .render("admin/org_person_edit.html", title, LIST, vec![], view)
        .await?;
    Ok((status, html).into_response())
}

fn form_of(f: &FormData) -> PersonForm {
    PersonForm {
        unit: f.get("unit").to_owned(),
        name: f.get("name").to_owned(),
        title: f.get("title").to_owned(),
        title_en: f.get("title_en").to_owned(),
        photo: f.get("photo").to_owned(),
        phone: f.get("phone").to_owned(),
        email: f.get("email").to_owned(),
        precedence: f.get("precedence").to_owned(),
        served_from: f.get("served_from").to_owned(),
        served_until: f.get("served_until").to_owned(),
    }
}

pub async fn new_form(admin: Admin) -> Result<Response> {
    admin.require(Action::ManageOrganisation)?;
    show_form(&admin, None, PersonForm::default(), vec![], StatusCode::OK).await
}

pub async fn edit_form(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    admin.require(Action::ManageOrganisation)?;
    let p = admin
        .app
        .organisation
        .person(admin.site.id, PersonId(id))
        .await?;
    let f = PersonForm {
        unit: p.unit_id.0.to_string(),
        name: p.name,
        title: p.title,
        title_en: p.title_en,
        photo: p.photo_media_id.map(|m| m.to_string()).unwrap_or_default(),
        phone: p.phone,
        email: p.email,
        precedence: p.precedence.to_string(),
        served_from: shown_day(p.served_from.as_deref()),
        served_until: shown_day(p.served_until.as_deref()),
    };
    show_form(&admin, Some(p.id), f, vec![], StatusCode::OK).await
}

async fn save(admin: Admin, id: Option<PersonId>, form: FormData) -> Result<Response> {
    let f = form_of(&form);
    match admin
        .app
        .organisation
        .save_person(admin.actor(), id, &f)
        .await
    {
        Ok(_) => Ok(redirect(&format!("{PEOPLE}?ok=luu"))),
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
    save(admin, Some(PersonId(id)), form).await
}

pub async fn delete(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    admin
        .app
        .organisation
        .delete_person(admin.actor(), PersonId(id))
        .await?;
    Ok(redirect(&format!("{PEOPLE}?ok=xoa")))
}
