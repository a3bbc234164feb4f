//! Góp ý / Liên hệ in the back office: the list with its filters and export, one message
//! with its status and note, and the topics (each routed to a mailbox).

use super::form::FormData;
use super::list_filter;
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use cong_files::make::Cell;
use cong_render::date_time;
use cong_store::feedback::{FeedbackFilter, FeedbackRow, FeedbackStatus};
use serde::Serialize;

const PER_PAGE: u32 = 30;
/// The export's ceiling: a year of a busy department's messages.
const EXPORT_MAX: u32 = 10_000;

pub fn status_label(s: FeedbackStatus) -> &'static str {
    match s {
        FeedbackStatus::New => "Mới",
        FeedbackStatus::Handled => "Đã xử lý",
        FeedbackStatus::Archived => "Lưu trữ",
    }
}

#[derive(Serialize)]
struct Line {
    id: i64,
    code: String,
    created: String,
    name: String,
    email: String,
    subject: String,
    topic: String,
    status: &'static str,
    status_key: &'static str,
}

#[derive(Serialize)]
struct ListPage {
    lines: Vec<Line>,
    total: i64,
    counts: Vec<(&'static str, &'static str, i64)>,
    topics: Vec<(i64, String, bool)>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    from: String,
    until: String,
    export_url: String,
    pages: Vec<(u32, String, bool)>,
    may_edit_topics: bool,
}

/// The list's filters from the query string, and that query string again (for the pager
/// and the export).
fn filter(admin: &Admin, tz: &jiff::tz::TimeZone) -> Result<(FeedbackFilter, String)> {
    let f = FeedbackFilter {
        status: list_filter::status(admin, FeedbackStatus::parse)?,
        topic_id: list_filter::id(admin, "chu-de", "Chủ đề")?,
        from: list_filter::day(admin, "tu-ngay", false, tz)?,
        until: list_filter::day(admin, "den-ngay", true, tz)?,
    };
    let query = list_filter::query(admin, &["trang-thai", "chu-de", "tu-ngay", "den-ngay"]);
    Ok((f, query))
}

pub async fn list(admin: Admin) -> Result<Response> {
    let tz = admin.app.tz.clone();
    let (f, query) = filter(&admin, &tz)?;
    let page = crate::extract::page_number(admin.query.as_deref(), "page")?;
    let service = &admin.app.feedback;
    let found = service.list(admin.actor(), &f, page, PER_PAGE).await?;
    let counts = service.counts(admin.actor()).await?;
    let topics = service.topics(admin.site.id).await?;
    let pages_n = cong_domain::content::page_count(found.total, PER_PAGE);
    let view = ListPage {
        lines: found.rows.iter().map(|r| line(r, &tz)).collect(),
        total: found.total,
        counts: FeedbackStatus::ALL
            .iter()
            .map(|s| {
                let n = counts.iter().find(|(c, _)| c == s).map_or(0, |(_, n)| *n);
                (s.as_str(), status_label(*s), n)
            })
            .collect(),
        topics: topics
            .into_iter()
            .map(|t| (t.id, t.name, f.topic_id == Some(t.id)))
            .collect(),
        statuses: FeedbackStatus::ALL
            .iter()
            .map(|s| (s.as_str(), status_label(*s), f.status == Some(*s)))
            .collect(),
        from: admin.param("tu-ngay"),
        until: admin.param("den-ngay"),
        export_url: format!("/quan-tri/gop-y/xuat?{query}"),
        pages: (1..=pages_n)
            .map(|n| {
                (
                    n,
                    list_filter::page_url("/quan-tri/gop-y", &query, n),
                    n == page,
                )
            })
            .collect(),
        may_edit_topics: admin.may(cong_domain::auth::Action::ManageSettings),
    };
    Ok(admin
        .render(
            "admin/feedback.html",
            "Góp ý, liên hệ",
            "/quan-tri/gop-y",
            vec![],
            view,
        )
        .await?
        .into_response())
}

fn line(r: &FeedbackRow, tz: &jiff::tz::TimeZone) -> Line {
    Line {
        id: r.id,
        code: r.code.clone(),
        created: time(r.created_at, tz),
        name: r.name.clone(),
        email: r.email.clone(),
        subject: r.subject.clone(),
        topic: r.topic.clone().unwrap_or_default(),
        status: status_label(r.status),
        status_key: r.status.as_str(),
    }
}

fn time(t: i64, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_second(t)
        .map(|t| date_time(t, tz))
        .unwrap_or_default()
}

/// The list as filtered, as an Excel workbook (every matching message, up to a ceiling).
pub async fn export(admin: Admin) -> Result<Response> {
    let tz = admin.app.tz.clone();
    let (f, _) = filter(&admin, &tz)?;
    let found = admin
        .app
        .feedback
        .list(admin.actor(), &f, 1, EXPORT_MAX)
        .await?;
    let text = |s: &str| Cell::Text(s.to_owned());
    let mut rows = vec![
        [
            "Mã",
            "Ngày gửi",
            "Chủ đề",
            "Họ tên",
            "Thư điện tử",
            "Điện thoại",
            "Địa chỉ",
            "Tiêu đề",
            "Nội dung",
            "Trạng thái",
            "Ghi chú",
            "Người xử lý",
            "Ngày xử lý",
        ]
        .iter()
        .map(|h| text(h))
        .collect::<Vec<_>>(),
    ];
    for r in &found.rows {
        rows.push(vec![
            text(&r.code),
            text(&time(r.created_at, &tz)),
            text(r.topic.as_deref().unwrap_or("")),
            text(&r.name),
            text(&r.email),
            text(&r.phone),
            text(&r.address),
            text(&r.subject),
            text(&r.body),
            text(status_label(r.status)),
            text(&r.note),
            text(r.handled_by.as_deref().unwrap_or("")),
            text(&r.handled_at.map(|t| time(t, &tz)).unwrap_or_default()),
        ]);
    }
    let body = cong_files::make::xlsx_sheet("Góp ý", &rows);
    Ok(super::download::attachment(
        body,
        super::download::XLSX,
        "gop-y.xlsx",
    ))
}

#[derive(Serialize)]
struct ItemPage {
    item: FeedbackRow,
    created: String,
    handled: String,
    status: &'static str,
    statuses: Vec<(&'static str, &'static str, bool)>,
}

pub async fn show(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    let item = admin.app.feedback.find(admin.actor(), id).await?;
    item_page(&admin, item, vec![]).await
}

async fn item_page(admin: &Admin, item: FeedbackRow, errors: Vec<String>) -> Result<Response> {
    let tz = &admin.app.tz;
    let title = format!("Góp ý {}", item.code);
    let view = ItemPage {
        created: time(item.created_at, tz),
        handled: item.handled_at.map(|t| time(t, tz)).unwrap_or_default(),
        status: status_label(item.status),
        statuses: FeedbackStatus::ALL
            .iter()
            .map(|s| (s.as_str(), status_label(*s), item.status == *s))
            .collect(),
        item,
    };
    Ok(admin
        .render(
            "admin/feedback_item.html",
            &title,
            "/quan-tri/gop-y",
            errors,
            view,
        )
        .await?
        .into_response())
}

pub async fn save(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    let status = FeedbackStatus::parse(form.get("status"))
        .ok_or_else(|| Error::BadRequest("Trạng thái không có.".to_owned()))?;
    match admin
        .app
        .feedback
        .set_status(admin.actor(), id, status, form.get("note"))
        .await
    {
        Ok(()) => Ok(redirect(&format!("/quan-tri/gop-y/{id}?ok=luu"))),
        Err(cong_domain::Error::Fields(f)) => {
            let item = admin.app.feedback.find(admin.actor(), id).await?;
            item_page(&admin, item, f.into_iter().map(|(_, m)| m).collect()).await
        }
        Err(e) => Err(e.into()),
    }
}
