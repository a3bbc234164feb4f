//! The back office's list of articles: filtered by state, section and title, paged.

use super::articles::{Option_, query_param, section_options, ts};
use super::session::Admin;
use crate::error::Result;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::editorial::{ListFilter, Status, status_label};
use cong_render::date_time;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Row {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) status: &'static str,
    pub(super) status_key: String,
    pub(super) section: String,
    pub(super) updated: String,
    pub(super) note: String,
}

#[derive(Serialize)]
struct ListPage {
    rows: Vec<Row>,
    total: i64,
    statuses: Vec<Option_>,
    sections: Vec<Option_>,
    title: String,
    pages: Vec<(u32, String, bool)>,
    can_create: bool,
}

/// The list's status filter: every state, then each one.
const STATUSES: [(Option<Status>, &str); 5] = [
    (None, "Mọi trạng thái"),
    (Some(Status::Draft), "Bản nháp / bị trả lại"),
    (Some(Status::Pending), "Chờ duyệt"),
    (Some(Status::Published), "Đã xuất bản"),
    (Some(Status::Unpublished), "Đã gỡ xuống"),
];

pub async fn list(admin: Admin) -> Result<Response> {
    let status = query_param(&admin, "trang-thai");
    let section: i64 = query_param(&admin, "chuyen-muc").parse().unwrap_or(0);
    let title = query_param(&admin, "tieu-de");
    let page = crate::extract::page_number(admin.query.as_deref(), "page")?;
    let filter = ListFilter {
        status: Status::parse(&status),
        section_id: (section > 0).then_some(section),
        created_by: None,
        title: (!title.trim().is_empty()).then(|| title.clone()),
        ..Default::default()
    };
    let paged = admin
        .app
        .editorial
        .list(admin.actor(), filter, page)
        .await?;
    let sections = admin.app.content.sections(admin.site.id).await?;
    let tz = &admin.app.tz;
    let rows = paged
        .items
        .iter()
        .map(|r| Row {
            id: r.id,
            title: r.title.clone(),
            status: status_label(r.status, &r.review_note),
            status_key: r.status.as_str().to_owned(),
            section: sections
                .iter()
                .find(|s| s.id == r.section_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            updated: date_time(ts(r.updated_at), tz),
            note: r.review_note.clone(),
        })
        .collect();
    let base = format!(
        "/quan-tri/bai-viet?trang-thai={}&chuyen-muc={section}&tieu-de={}",
        form_urlencoded::byte_serialize(status.as_bytes()).collect::<String>(),
        form_urlencoded::byte_serialize(title.as_bytes()).collect::<String>()
    );
    let pages = (1..=paged.pages)
        .map(|n| (n, format!("{base}&page={n}"), n == paged.page))
        .collect();
    let view = ListPage {
        rows,
        total: paged.total,
        statuses: STATUSES
            .iter()
            .map(|(k, l)| Option_ {
                value: k.map_or("", Status::as_str).to_owned(),
                label: (*l).to_owned(),
                selected: k.map_or("", Status::as_str) == status,
            })
            .collect(),
        sections: section_options(&admin, section).await?,
        title,
        pages,
        can_create: admin.may(Action::CreateArticle),
    };
    Ok(admin
        .render(
            "admin/articles.html",
            "Bài viết",
            "/quan-tri/bai-viet",
            vec![],
            view,
        )
        .await?
        .into_response())
}
