//! Văn bản in the back office: the list with the public library's filters (and the
//! workflow state), the form (one multipart form: fields, lists, relations by number, files
//! uploaded with it), the workflow buttons, and the lists administrators edit.

use super::attachments::{kept_files, upload_all};
use super::form::{FormData, multipart_of};
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::{Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::documents::{DocumentDraft, Lists, Query, Relation, Status, relation_label};
use cong_render::views::documents::{Choice, DocumentLine, FileLink, status_label};
use serde::Serialize;

/// Rows for new relations shown under the existing ones.
const EMPTY_RELATIONS: usize = 3;

#[derive(Serialize)]
struct ListView {
    rows: Vec<DocumentLine>,
    total: i64,
    q: String,
    types: Vec<Choice>,
    issuers: Vec<Choice>,
    fields: Vec<Choice>,
    years: Vec<Choice>,
    status: String,
    statuses: Vec<(&'static str, &'static str, bool)>,
    pages: Vec<(u32, String, bool)>,
    can_manage_lists: bool,
}

pub async fn list(admin: Admin) -> Result<Response> {
    admin.require(Action::CreateDocument)?;
    let raw = admin.query.clone().unwrap_or_default();
    let mut q = Query::default();
    let mut status = String::new();
    let id = |v: &str| v.parse::<i64>().ok().filter(|i| *i > 0);
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        match k.as_ref() {
            "tim" => q.text = v.chars().take(200).collect(),
            "loai" => q.type_id = id(&v),
            "co-quan" => q.issuer_id = id(&v),
            "linh-vuc" => q.field_id = id(&v),
            "nam" => q.year = v.parse().ok().filter(|y| (1900..=2200).contains(y)),
            "trang-thai" => {
                q.status = Status::parse(&v);
                status = q.status.map(|s| s.as_str().to_owned()).unwrap_or_default();
            }
            _ => {}
        }
    }
    let page = crate::extract::page_number(admin.query.as_deref(), "page")?;
    let paged = admin
        .app
        .documents
        .list(admin.site.id, &q, page, false)
        .await?;
    let lists = admin.app.documents.lists(admin.site.id).await?;
    let years = admin.app.documents.years(admin.site.id).await?;
    let base = format!(
        "/quan-tri/van-ban?tim={}&trang-thai={status}&loai={}&co-quan={}&linh-vuc={}&nam={}",
        form_urlencoded::byte_serialize(q.text.as_bytes()).collect::<String>(),
        q.type_id.unwrap_or(0),
        q.issuer_id.unwrap_or(0),
        q.field_id.unwrap_or(0),
        q.year.map(|y| y.to_string()).unwrap_or_default(),
    );
    let view = ListView {
        types: options(&lists.types, &q.type_id.into_iter().collect::<Vec<_>>()),
        issuers: options(&lists.issuers, &q.issuer_id.into_iter().collect::<Vec<_>>()),
        fields: options(&lists.fields, &q.field_id.into_iter().collect::<Vec<_>>()),
        years: years
            .iter()
            .map(|y| Choice {
                value: y.to_string(),
                label: y.to_string(),
                selected: Some(*y) == q.year,
            })
            .collect(),
        rows: paged.items.iter().map(DocumentLine::new).collect(),
        total: paged.total,
        q: q.text.clone(),
        statuses: Status::ALL
            .into_iter()
            .map(|s| (s.as_str(), status_label(s), s.as_str() == status))
            .collect(),
        status,
        pages: (1..=paged.pages)
            .map(|n| (n, format!("{base}&page={n}"), n == page))
            .collect(),
        can_manage_lists: admin.may(Action::ManageDocumentLists),
    };
    Ok(admin
        .render(
            "admin/documents.html",
            "Văn bản",
            "/quan-tri/van-ban",
            vec![],
            view,
        )
        .await?
        .into_response())
}

#[derive(Serialize, Default)]
struct DocForm {
    id: Option<i64>,
    number: String,
    signer: String,
    summary: String,
    body_html: String,
    issued_on: String,
    effective_on: String,
    expires_on: String,
    slug: String,
    types: Vec<Choice>,
    issuers: Vec<Choice>,
    fields: Vec<Choice>,
    /// (kind, number) rows, the empty ones last.
    relations: Vec<(String, String)>,
    relation_kinds: Vec<(&'static str, &'static str)>,
    /// What others say of this document (read-only here).
    related_from: Vec<(String, String, String)>,
    files: Vec<(i64, FileLink)>,
    status: &'static str,
    status_label: &'static str,
    url: Option<String>,
    can_publish: bool,
    can_submit: bool,
    /// May put the document out for comment and open the consultation's page.
    can_consult: bool,
    /// Lấy ý kiến dự thảo: marked, and its inclusive dates ('YYYY-MM-DD').
    consult: bool,
    consult_opens: String,
    consult_closes: String,
    max_pdf_mb: u64,
    max_office_mb: u64,
    removed: Vec<String>,
    /// (when, who, what) of each saved state, newest first.
    revisions: Vec<(String, String, String)>,
}

fn options(terms: &[cong_domain::documents::TermRow], selected: &[i64]) -> Vec<Choice> {
    terms
        .iter()
        .map(|t| Choice {
            value: t.id.to_string(),
            label: t.name.clone(),
            selected: selected.contains(&t.id),
        })
        .collect()
}

impl DocForm {
    fn new(admin: &Admin, lists: &Lists) -> DocForm {
        let limits = admin.app.files.limits();
        DocForm {
            types: options(&lists.types, &[]),
            issuers: options(&lists.issuers, &[]),
            fields: options(&lists.fields, &[]),
            relations: vec![(String::new(), String::new()); EMPTY_RELATIONS],
            relation_kinds: Relation::ALL
                .into_iter()
                .map(|r| (r.as_str(), relation_label(r, true)))
                .collect(),
            status: "draft",
            status_label: status_label(Status::Draft),
            max_pdf_mb: limits.max_pdf / (1024 * 1024),
            max_office_mb: limits.max_office / (1024 * 1024),
            can_consult: admin.may(Action::ManageConsultation),
            ..DocForm::default()
        }
    }

    /// The form as it was sent, to show again with what was wrong.
    async fn from_sent(admin: &Admin, lists: &Lists, f: &FormData, files: &[i64]) -> DocForm {
        let ids = |name: &str| -> Vec<i64> {
            f.all(name).iter().filter_map(|v| v.parse().ok()).collect()
        };
        let mut form = DocForm::new(admin, lists);
        form.number = f.get("number").to_owned();
        form.signer = f.get("signer").to_owned();
        form.summary = f.get("summary").to_owned();
        form.body_html = f.get("body_html").to_owned();
        form.issued_on = f.get("issued_on").to_owned();
        form.effective_on = f.get("effective_on").to_owned();
        form.expires_on = f.get("expires_on").to_owned();
        form.slug = f.get("slug").to_owned();
        form.consult = f.get("consult") == "1";
        form.consult_opens = f.get("consult_opens").to_owned();
        form.consult_closes = f.get("consult_closes").to_owned();
        form.types = options(&lists.types, &ids("type_id"));
        form.issuers = options(&lists.issuers, &ids("issuer_id"));
        form.fields = options(&lists.fields, &ids("field"));
        let mut rel: Vec<(String, String)> = f
            .all("rel_kind")
            .into_iter()
            .zip(f.all("rel_number"))
            .filter(|(_, n)| !n.trim().is_empty())
            .map(|(k, n)| (k.to_owned(), n.to_owned()))
            .collect();
        rel.extend(std::iter::repeat_n(
            (String::new(), String::new()),
            EMPTY_RELATIONS,
        ));
        form.relations = rel;
        for id in files {
            if let Ok(file) = admin.app.files.find(admin.site.id, *id).await {
                form.files.push((*id, FileLink::new(&file)));
            }
        }
        form
    }
}

async fn show(
    admin: &Admin,
    form: DocForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response> {
    let html = admin
        .render(
            "admin/document_edit.html",
            "Văn bản",
            "/quan-tri/van-ban",
            errors,
            form,
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn new_form(admin: Admin) -> Result<Response> {
    admin.require(Action::CreateDocument)?;
    let lists = admin.app.documents.lists(admin.site.id).await?;
    let mut form = DocForm::new(&admin, &lists);
    form.can_submit = false;
    show(&admin, form, vec![], StatusCode::OK).await
}

pub async fn edit_form(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    admin.require(Action::CreateDocument)?;
    let detail = admin.app.documents.by_id(admin.site.id, id).await?;
    let lists = admin.app.documents.lists(admin.site.id).await?;
    let d = &detail.doc;
    let mut form = DocForm::new(&admin, &lists);
    form.id = Some(id);
    form.number = d.number.clone();
    form.signer = d.signer.clone();
    form.summary = d.summary.clone();
    form.body_html = d.body_html.clone();
    form.issued_on = d.issued_on.clone();
    form.effective_on = d.effective_on.clone().unwrap_or_default();
    form.expires_on = d.expires_on.clone().unwrap_or_default();
    form.slug = d.slug.clone();
    form.types = options(&lists.types, &[d.type_id]);
    form.issuers = options(&lists.issuers, &[d.issuer_id]);
    let fields: Vec<i64> = detail.fields.iter().map(|f| f.id).collect();
    form.fields = options(&lists.fields, &fields);
    let mut rel: Vec<(String, String)> = detail
        .related
        .iter()
        .filter(|r| r.outgoing)
        .map(|r| (r.relation.as_str().to_owned(), r.number.clone()))
        .collect();
    rel.extend(std::iter::repeat_n(
        (String::new(), String::new()),
        EMPTY_RELATIONS,
    ));
    form.relations = rel;
    form.related_from = detail
        .related
        .iter()
        .filter(|r| !r.outgoing)
        .map(|r| {
            (
                relation_label(r.relation, false).to_owned(),
                r.number.clone(),
                format!("/quan-tri/van-ban/{}", r.id),
            )
        })
        .collect();
    form.files = detail
        .files
        .iter()
        .map(|f| (f.id, FileLink::new(f)))
        .collect();
    form.status = d.status.as_str();
    form.status_label = status_label(d.status);
    form.url = (d.status == Status::Published)
        .then(|| admin.public_url(&cong_render::urls::document(&d.slug)));
    form.can_publish = admin.may(Action::PublishDocument);
    if let Some(c) = admin.app.consultations.get(admin.site.id, id).await? {
        form.consult = true;
        form.consult_opens = c.row.opens_on;
        form.consult_closes = c.row.closes_on;
    }
    form.revisions = admin
        .app
        .documents
        .revisions(admin.site.id, id)
        .await?
        .into_iter()
        .map(|r| {
            let when = jiff::Timestamp::from_second(r.created_at)
                .map(|t| cong_render::date_time(t, &admin.app.tz))
                .unwrap_or_default();
            let what = match r.note.as_str() {
                "document.create" => "Tạo",
                "document.save" => "Sửa",
                _ => "Lưu",
            };
            (when, r.username, what.to_owned())
        })
        .collect();
    form.can_submit = d.status == Status::Draft
        && admin.may(Action::EditDocument {
            own: d.created_by == Some(admin.session.user.id),
            draft: true,
        });
    show(&admin, form, vec![], StatusCode::OK).await
}

/// The draft a submitted form describes: relations by number, files kept and added.
async fn draft_of(
    admin: &Admin,
    f: &FormData,
    files: &[i64],
    errors: &mut Vec<String>,
) -> Result<DocumentDraft> {
    let id = |name: &str| f.get(name).trim().parse::<i64>().unwrap_or(0);
    let mut relations = Vec::new();
    for (kind, number) in f.all("rel_kind").into_iter().zip(f.all("rel_number")) {
        if number.trim().is_empty() {
            continue;
        }
        let Some(kind) = Relation::parse(kind) else {
            errors.push(format!("Chọn quan hệ với văn bản “{number}”."));
            continue;
        };
        match admin.app.documents.by_number(admin.site.id, number).await? {
            Some(other) => relations.push((kind, other)),
            None => errors.push(format!(
                "Không tìm thấy văn bản số “{}” trên trang này.",
                number.trim()
            )),
        }
    }
    Ok(DocumentDraft {
        number: f.get("number").to_owned(),
        type_id: id("type_id"),
        issuer_id: id("issuer_id"),
        signer: f.get("signer").to_owned(),
        summary: f.get("summary").to_owned(),
        body_html: f.get("body_html").to_owned(),
        issued_on: f.get("issued_on").to_owned(),
        effective_on: f.get("effective_on").to_owned(),
        expires_on: f.get("expires_on").to_owned(),
        fields: f
            .all("field")
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect(),
        relations,
        files: files.to_vec(),
        slug: f.get("slug").to_owned(),
    })
}

/// The largest attachment accepted, for reading the form.
fn max_file(admin: &Admin) -> u64 {
    let l = admin.app.files.limits();
    l.max_pdf.max(l.max_office)
}

async fn submit_form(admin: Admin, id: Option<i64>, req: Request) -> Result<Response> {
    admin.require(Action::CreateDocument)?;
    if let Some(id) = id {
        // Another site's document is not found, whatever was sent.
        admin.app.documents.by_id(admin.site.id, id).await?;
    }
    let (f, sent) = multipart_of(req, &["upload"], max_file(&admin)).await?;
    let mut files = kept_files(&f);
    let (added, mut errors) = upload_all(&admin, sent).await?;
    files.extend(added);
    let draft = draft_of(&admin, &f, &files, &mut errors).await?;
    let result = if errors.is_empty() {
        Some(match id {
            None => admin.app.documents.create(admin.actor(), &draft).await,
            Some(id) => admin.app.documents.save(admin.actor(), id, &draft).await,
        })
    } else {
        None
    };
    match result {
        Some(Ok(saved)) => {
            // The consultation's part, when the form showed it (editors, administrators).
            if f.get("consult_form") == "1" && admin.may(Action::ManageConsultation) {
                let dates = (f.get("consult") == "1")
                    .then(|| (f.get("consult_opens"), f.get("consult_closes")));
                let service = &admin.app.consultations;
                match service.configure(admin.actor(), saved.id, dates).await {
                    Ok(()) => {}
                    Err(cong_domain::Error::Fields(fields)) => {
                        errors.push(
                            "Văn bản đã được lưu, nhưng chưa lưu được thời hạn lấy ý kiến:"
                                .to_owned(),
                        );
                        errors.extend(fields.into_iter().map(|(_, m)| m));
                        return again(&admin, Some(saved.id), &f, &files, errors).await;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(redirect(&format!(
                "/quan-tri/van-ban/{}?ok={}",
                saved.id,
                if id.is_some() { "luu" } else { "tao" }
            )))
        }
        Some(Err(cong_domain::Error::Fields(fields))) => {
            errors.extend(fields.into_iter().map(|(_, m)| m));
            again(&admin, id, &f, &files, errors).await
        }
        Some(Err(e)) => Err(e.into()),
        None => again(&admin, id, &f, &files, errors).await,
    }
}

/// The form again, as sent, with the files already taken and what is wrong.
async fn again(
    admin: &Admin,
    id: Option<i64>,
    f: &FormData,
    files: &[i64],
    errors: Vec<String>,
) -> Result<Response> {
    let lists = admin.app.documents.lists(admin.site.id).await?;
    let mut form = DocForm::from_sent(admin, &lists, f, files).await;
    form.id = id;
    show(admin, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub async fn create(admin: Admin, req: Request) -> Result<Response> {
    submit_form(admin, None, req).await
}

pub async fn save(admin: Admin, Path(id): Path<i64>, req: Request) -> Result<Response> {
    submit_form(admin, Some(id), req).await
}

/// `to` = draft | pending | published | unpublished.
pub async fn set_status(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    // Another site's document is not found, whatever was sent.
    admin.app.documents.by_id(admin.site.id, id).await?;
    let to = Status::parse(form.get("to"))
        .ok_or_else(|| Error::BadRequest("Trạng thái không hợp lệ.".to_owned()))?;
    admin
        .app
        .documents
        .set_status(admin.actor(), id, to)
        .await?;
    Ok(redirect(&format!(
        "/quan-tri/van-ban/{id}?ok={}",
        to.as_str()
    )))
}
