//! Articles in the back office: the list, the edit form and the workflow (submit, return,
//! publish or schedule, unpublish).

use super::form::{FormData, parse_local, to_local};
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::editorial::{Draft, EditRow, GalleryItem, Status, status_label};
use cong_domain::files::Owner;
use cong_render::{date_time, urls};
use jiff::Timestamp;
use serde::Serialize;

pub(super) fn ts(epoch: i64) -> Timestamp {
    Timestamp::from_second(epoch).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[derive(Serialize)]
pub(super) struct Option_ {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

pub(super) fn query_param(admin: &Admin, name: &str) -> String {
    admin.param(name)
}

pub(super) async fn section_options(admin: &Admin, selected: i64) -> Result<Vec<Option_>> {
    Ok(admin
        .app
        .content
        .sections(admin.site.id)
        .await?
        .into_iter()
        .map(|s| Option_ {
            value: s.id.to_string(),
            selected: s.id == selected,
            label: s.name,
        })
        .collect())
}

#[derive(Serialize, Default)]
struct GalleryRow {
    media_id: String,
    caption: String,
    alt: String,
}

#[derive(Serialize)]
pub(super) struct MediaChoice {
    id: i64,
    label: String,
    thumb: String,
}

#[derive(Serialize)]
struct EditPage {
    /// The id of the article (in another language) this one translates; empty for none.
    translation_of: String,
    id: Option<i64>,
    title: String,
    slug: String,
    url: Option<String>,
    summary: String,
    body_html: String,
    author: String,
    featured: bool,
    cover_media_id: String,
    gallery_title: String,
    gallery: Vec<GalleryRow>,
    published_at: String,
    sections: Vec<Option_>,
    media: Vec<MediaChoice>,
    status: &'static str,
    status_key: String,
    review_note: String,
    removed: Vec<String>,
    can_edit: bool,
    can_submit: bool,
    can_publish: bool,
    can_return: bool,
    can_unpublish: bool,
    scheduled: bool,
    /// Sharing a published article of a component site to the portal.
    share: Option<SharePanel>,
    /// Attached files (once the article exists).
    files: Option<super::attachments::FilesPanel>,
    /// The revision the form was opened at (sent back with a save: optimistic locking).
    revision: i64,
    /// A save refused because someone saved since: who, when, and what differs.
    conflict: Option<ConflictPanel>,
    can_trash: bool,
}

#[derive(Serialize)]
struct ConflictPanel {
    by: String,
    at: String,
    lines: Vec<cong_domain::editorial::DiffLine>,
}

#[derive(Serialize)]
struct SharePanel {
    /// The portal's sections to choose from.
    sections: Vec<Option_>,
    /// The portal section the article is shared to now, by name.
    shared_in: Option<String>,
}

/// Extra empty gallery rows offered (more can be added by saving and editing again).
const EMPTY_GALLERY_ROWS: usize = 3;

pub(super) async fn media_choices(admin: &Admin) -> Result<Vec<MediaChoice>> {
    let (rows, _) = admin
        .app
        .content
        .store()
        .media(admin.site.id)
        .list(None, 500, 0)
        .await
        .map_err(cong_domain::Error::from)?;
    Ok(rows
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
        .collect())
}

struct Perms {
    edit: bool,
    submit: bool,
    publish: bool,
}

fn perms(admin: &Admin, row: Option<&EditRow>) -> Perms {
    match row {
        None => Perms {
            edit: admin.may(Action::CreateArticle),
            submit: false,
            publish: false,
        },
        Some(r) => {
            let own = r.created_by == Some(admin.user().id);
            Perms {
                edit: admin.may(Action::EditArticle {
                    own,
                    draft: r.status == Status::Draft,
                }),
                submit: r.status == Status::Draft && admin.may(Action::SubmitArticle { own }),
                publish: admin.may(Action::Publish),
            }
        }
    }
}

async fn edit_page(
    admin: &Admin,
    row: Option<&EditRow>,
    draft: &Draft,
    removed: Vec<String>,
) -> Result<EditPage> {
    let tz = &admin.app.tz;
    let p = perms(admin, row);
    let mut gallery: Vec<GalleryRow> = draft
        .gallery
        .iter()
        .map(|g| GalleryRow {
            media_id: g.media_id.to_string(),
            caption: g.caption.clone(),
            alt: g.alt.clone(),
        })
        .collect();
    gallery.extend((0..EMPTY_GALLERY_ROWS).map(|_| GalleryRow::default()));
    let now = jiff::Timestamp::now().as_second();
    let share = match row {
        Some(r) if p.publish && r.status == Status::Published && r.published_at <= now => admin
            .app
            .content
            .share_target(admin.site.id, admin.portal_to_publish_on(), r.id)
            .await?
            .map(|t| SharePanel {
                shared_in: t.shared.and_then(|(_, section)| {
                    t.sections
                        .iter()
                        .find(|s| s.id == section)
                        .map(|s| s.name.clone())
                }),
                sections: t
                    .sections
                    .iter()
                    .map(|s| Option_ {
                        value: s.id.to_string(),
                        label: s.name.clone(),
                        selected: false,
                    })
                    .collect(),
            }),
        _ => None,
    };
    let files = match row {
        Some(r) if p.edit => Some(super::attachments::panel(admin, Owner::Article, r.id).await?),
        _ => None,
    };
    Ok(EditPage {
        revision: draft.base_revision.unwrap_or(0),
        translation_of: draft
            .translation_of
            .map(|i| i.to_string())
            .unwrap_or_default(),
        conflict: None,
        can_trash: p.edit && row.is_some(),
        files,
        share,
        id: row.map(|r| r.id),
        title: draft.title.clone(),
        slug: row.map_or_else(|| draft.slug.clone(), |r| r.slug.clone()),
        url: row
            .filter(|r| r.status == Status::Published && r.published_at <= now)
            .map(|r| admin.public_url(&urls::article(&r.slug))),
        summary: draft.summary.clone(),
        body_html: draft.body_html.clone(),
        author: draft.author.clone(),
        featured: draft.featured,
        cover_media_id: draft
            .cover_media_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        gallery_title: draft.gallery_title.clone(),
        gallery,
        published_at: draft
            .published_at
            .map(|t| to_local(t.as_second(), tz))
            .unwrap_or_default(),
        sections: section_options(admin, draft.section_id).await?,
        media: media_choices(admin).await?,
        status: row.map_or("Bài mới", |r| status_label(r.status, &r.review_note)),
        status_key: row.map_or_else(|| "new".to_owned(), |r| r.status.as_str().to_owned()),
        review_note: row.map(|r| r.review_note.clone()).unwrap_or_default(),
        removed,
        can_edit: p.edit,
        can_submit: p.submit,
        can_publish: p.publish && row.is_some(),
        can_return: p.publish && row.is_some_and(|r| r.status == Status::Pending),
        can_unpublish: p.publish && row.is_some_and(|r| r.status == Status::Published),
        scheduled: row.is_some_and(|r| r.status == Status::Published && r.published_at > now),
    })
}

pub(super) fn draft_of(row: &EditRow, gallery: Vec<GalleryItem>) -> Draft {
    Draft {
        section_id: row.section_id,
        title: row.title.clone(),
        slug: row.slug.clone(),
        summary: row.summary.clone(),
        body_html: row.body_html.clone(),
        author: row.author.clone(),
        featured: row.featured,
        cover_media_id: row.cover_media_id,
        gallery_title: row.gallery_title.clone(),
        gallery,
        published_at: Some(ts(row.published_at)),
        base_revision: Some(row.revision),
        translation_of: row.translation_of,
    }
}

/// The draft a submitted edit form describes.
pub(super) fn draft_from(form: &FormData, admin: &Admin) -> Result<Draft> {
    let ids = form.all("gallery_media");
    let captions = form.all("gallery_caption");
    let alts = form.all("gallery_alt");
    let mut gallery = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let id = id.trim();
        if id.is_empty() {
            continue;
        }
        let media_id = id
            .parse()
            .map_err(|_| Error::BadRequest("Ảnh trong bộ sưu tập không hợp lệ.".to_owned()))?;
        gallery.push(GalleryItem {
            media_id,
            caption: captions.get(i).copied().unwrap_or_default().to_owned(),
            alt: alts.get(i).copied().unwrap_or_default().to_owned(),
        });
    }
    Ok(Draft {
        section_id: form.id("section_id")?.unwrap_or(0),
        title: form.get("title").to_owned(),
        slug: form.get("slug").to_owned(),
        summary: form.get("summary").to_owned(),
        body_html: form.get("body_html").to_owned(),
        author: form.get("author").to_owned(),
        featured: form.checked("featured"),
        cover_media_id: form.id("cover_media_id")?,
        gallery_title: form.get("gallery_title").to_owned(),
        gallery,
        published_at: parse_local(form.get("published_at"), &admin.app.tz)?,
        base_revision: form.id("revision")?,
        translation_of: form.id("translation_of")?,
    })
}

pub(super) async fn show_form(
    admin: &Admin,
    row: Option<&EditRow>,
    draft: &Draft,
    removed: Vec<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response> {
    let page = edit_page(admin, row, draft, removed).await?;
    let title = if row.is_some() {
        "Sửa bài viết"
    } else {
        "Viết bài mới"
    };
    let html = admin
        .render(
            "admin/article_edit.html",
            title,
            "/quan-tri/bai-viet",
            errors,
            page,
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn new_form(admin: Admin) -> Result<Response> {
    admin.require(Action::CreateArticle)?;
    let draft = Draft {
        author: admin.user().name().to_owned(),
        ..Default::default()
    };
    show_form(&admin, None, &draft, vec![], vec![], StatusCode::OK).await
}

/// Field errors become a 422 with the form as it was sent.
pub(super) fn field_errors(e: cong_domain::Error) -> std::result::Result<Vec<String>, Error> {
    match e {
        cong_domain::Error::Fields(f) => Ok(f.into_iter().map(|(_, m)| m).collect()),
        other => Err(other.into()),
    }
}

pub async fn create(admin: Admin, form: FormData) -> Result<Response> {
    let draft = draft_from(&form, &admin)?;
    match admin.app.editorial.create(admin.actor(), &draft).await {
        Ok(saved) if saved.removed.is_empty() => {
            Ok(redirect(&format!("/quan-tri/bai-viet/{}?ok=tao", saved.id)))
        }
        Ok(saved) => {
            let (row, gallery) = admin.app.editorial.get(admin.actor(), saved.id).await?;
            show_form(
                &admin,
                Some(&row),
                &draft_of(&row, gallery),
                saved.removed,
                vec![],
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let errors = field_errors(e)?;
            show_form(
                &admin,
                None,
                &draft,
                vec![],
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn edit_form(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    let (row, gallery) = admin.app.editorial.get(admin.actor(), id).await?;
    show_form(
        &admin,
        Some(&row),
        &draft_of(&row, gallery),
        vec![],
        vec![],
        StatusCode::OK,
    )
    .await
}

pub async fn save(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    let draft = draft_from(&form, &admin)?;
    match admin.app.editorial.save(admin.actor(), id, &draft).await {
        Ok(saved) if saved.removed.is_empty() => {
            Ok(redirect(&format!("/quan-tri/bai-viet/{id}?ok=luu")))
        }
        Ok(saved) => {
            let (row, gallery) = admin.app.editorial.get(admin.actor(), id).await?;
            show_form(
                &admin,
                Some(&row),
                &draft_of(&row, gallery),
                saved.removed,
                vec![],
                StatusCode::OK,
            )
            .await
        }
        Err(cong_domain::Error::Stale(stale)) => conflict(&admin, id, draft, stale).await,
        Err(e) => {
            let errors = field_errors(e)?;
            let (row, _) = admin.app.editorial.get(admin.actor(), id).await?;
            show_form(
                &admin,
                Some(&row),
                &draft,
                vec![],
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// A save refused because another came since the form was opened: the form again with
/// what this editor wrote, what differs from the stored version, and that version's number
/// (so that saving again, after merging by hand, is a deliberate overwrite). A 409.
async fn conflict(
    admin: &Admin,
    id: i64,
    mut draft: Draft,
    stale: cong_domain::StaleEdit,
) -> Result<Response> {
    let (row, _) = admin.app.editorial.get(admin.actor(), id).await?;
    let lines = cong_domain::editorial::compare_with(&row, &draft);
    draft.base_revision = Some(stale.version);
    let mut page = edit_page(admin, Some(&row), &draft, vec![]).await?;
    page.conflict = Some(ConflictPanel {
        by: stale.by,
        at: date_time(ts(stale.at), &admin.app.tz),
        lines,
    });
    let html = admin
        .render(
            "admin/article_edit.html",
            "Sửa bài viết",
            "/quan-tri/bai-viet",
            vec![
                "Bài đã được người khác lưu sau khi bạn mở. Nội dung của bạn chưa được lưu."
                    .to_owned(),
            ],
            page,
        )
        .await?;
    Ok((StatusCode::CONFLICT, html).into_response())
}
