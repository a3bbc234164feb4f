//! The lists documents are classed by, as administrators edit them (types, issuers,
//! fields: add, rename, order, delete when unused), and the relation picker's suggestions.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::documents::Vocabulary;
use serde::Serialize;

#[derive(Serialize)]
struct ListsView {
    lists: Vec<(&'static str, &'static str, Vec<TermLine>)>,
}

#[derive(Serialize)]
struct TermLine {
    id: i64,
    name: String,
    position: i64,
    uses: i64,
}

fn vocabulary_label(v: Vocabulary) -> &'static str {
    match v {
        Vocabulary::Type => "Loại văn bản",
        Vocabulary::Issuer => "Cơ quan ban hành",
        Vocabulary::Field => "Lĩnh vực",
    }
}

async fn show_lists(admin: &Admin, errors: Vec<String>, status: StatusCode) -> Result<Response> {
    let lists = admin.app.documents.lists(admin.site.id).await?;
    let line = |t: &cong_domain::documents::TermRow| TermLine {
        id: t.id,
        name: t.name.clone(),
        position: t.position,
        uses: t.uses,
    };
    let view = ListsView {
        lists: vec![
            (
                Vocabulary::Type.as_str(),
                vocabulary_label(Vocabulary::Type),
                lists.types.iter().map(line).collect(),
            ),
            (
                Vocabulary::Issuer.as_str(),
                vocabulary_label(Vocabulary::Issuer),
                lists.issuers.iter().map(line).collect(),
            ),
            (
                Vocabulary::Field.as_str(),
                vocabulary_label(Vocabulary::Field),
                lists.fields.iter().map(line).collect(),
            ),
        ],
    };
    let html = admin
        .render(
            "admin/document_lists.html",
            "Danh mục văn bản",
            "/quan-tri/van-ban",
            errors,
            view,
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn lists(admin: Admin) -> Result<Response> {
    admin.require(Action::ManageDocumentLists)?;
    show_lists(&admin, vec![], StatusCode::OK).await
}

/// Adds (`vocabulary`, `name`), renames (`id`, `name`, `position`) or deletes (`id`,
/// `action=delete`) an entry.
pub async fn edit_lists(admin: Admin, form: FormData) -> Result<Response> {
    let docs = &admin.app.documents;
    let result = match (form.id("id")?, form.action()) {
        (Some(id), "delete") => docs.delete_term(admin.actor(), id).await,
        (Some(id), _) => {
            let position = form.get("position").trim().parse().unwrap_or(0);
            docs.edit_term(admin.actor(), id, form.get("name"), position)
                .await
        }
        (None, _) => {
            let v = Vocabulary::parse(form.get("vocabulary"))
                .ok_or_else(|| Error::BadRequest("Danh mục không hợp lệ.".to_owned()))?;
            docs.add_term(admin.actor(), v, form.get("name"))
                .await
                .map(|_| ())
        }
    };
    match result {
        Ok(()) => Ok(redirect("/quan-tri/van-ban/danh-muc?ok=luu")),
        Err(cong_domain::Error::Fields(f)) => {
            show_lists(
                &admin,
                f.into_iter().map(|(_, m)| m).collect(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(cong_domain::Error::Conflict(m)) => {
            show_lists(&admin, vec![m], StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `/quan-tri/van-ban/chon?q=…`: documents whose number or abstract has the words typed, as
/// JSON for the relation fields' suggestions (`[{"number", "summary"}]`, newest first).
pub async fn pick(admin: Admin) -> Result<Response> {
    admin.require(Action::CreateDocument)?;
    let q: String = admin.param("q").chars().take(200).collect();
    let found = admin.app.documents.pick(admin.site.id, &q).await?;
    let list: Vec<serde_json::Value> = found
        .into_iter()
        .map(|(_, number, summary)| serde_json::json!({ "number": number, "summary": summary }))
        .collect();
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        serde_json::Value::Array(list).to_string(),
    )
        .into_response())
}
