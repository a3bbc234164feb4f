//! Hỏi đáp in the back office: the queue with counts and filters, and one question with the
//! steps its status allows (accept, reject, merge, edit, assign, answer, approve).

use super::form::FormData;
use super::list_filter;
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::questions::{Decision, Venue};
use cong_render::date_time;
use cong_store::questions::{QuestionFilter, QuestionRow, QuestionStatus};
use serde::Serialize;

const PER_PAGE: u32 = 30;

fn label(s: QuestionStatus) -> &'static str {
    match s {
        QuestionStatus::New => "Mới",
        QuestionStatus::Accepted => "Đã tiếp nhận",
        QuestionStatus::Assigned => "Đã giao",
        QuestionStatus::Answered => "Chờ duyệt",
        QuestionStatus::Published => "Đã đăng",
        QuestionStatus::Rejected => "Từ chối",
        QuestionStatus::Merged => "Đã gộp",
    }
}

fn time(t: i64, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_second(t)
        .map(|t| date_time(t, tz))
        .unwrap_or_default()
}

#[derive(Serialize)]
struct Line {
    id: i64,
    code: String,
    created: String,
    title: String,
    topic: String,
    assignee: String,
    status: &'static str,
}

#[derive(Serialize)]
struct ListPage {
    lines: Vec<Line>,
    total: i64,
    counts: Vec<(&'static str, &'static str, i64)>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    topics: Vec<(i64, String, bool)>,
    /// The people questions may be given to (handlers only).
    assignees: Vec<(i64, String, bool)>,
    from: String,
    until: String,
    mine: bool,
    /// May handle questions (the counts, the export).
    handler: bool,
    /// May arrange the fields (administrators).
    may_edit_topics: bool,
    export_url: String,
    pages: Vec<(u32, String, bool)>,
}

/// The query parameters of the list's filters.
const FILTERS: [&str; 6] = [
    "trang-thai",
    "chu-de",
    "nguoi-tra-loi",
    "tu-ngay",
    "den-ngay",
    "cua-toi",
];

/// The list's filters from the address. "Của tôi" (what is given to me to answer) is all
/// someone who does not handle questions sees.
fn filter(admin: &Admin) -> Result<(QuestionFilter, bool)> {
    let tz = &admin.app.tz;
    let mine = admin.param("cua-toi") == "1" || !admin.may(Action::HandleQuestions);
    let f = QuestionFilter {
        status: list_filter::status(admin, QuestionStatus::parse)?,
        topic_id: list_filter::id(admin, "chu-de", "Lĩnh vực")?,
        assignee_id: if mine {
            Some(admin.user().id)
        } else {
            list_filter::id(admin, "nguoi-tra-loi", "Người trả lời")?
        },
        from: list_filter::day(admin, "tu-ngay", false, tz)?,
        until: list_filter::day(admin, "den-ngay", true, tz)?,
    };
    Ok((f, mine))
}

pub async fn list(admin: Admin) -> Result<Response> {
    let (f, mine) = filter(&admin)?;
    let page = crate::extract::page_number(admin.query.as_deref(), "page")?;
    let service = &admin.app.questions;
    let tz = &admin.app.tz;
    let handler = admin.may(Action::HandleQuestions);
    let found = service.list(admin.actor(), &f, page, PER_PAGE).await?;
    let counts = if handler {
        service.counts(admin.actor()).await?
    } else {
        Vec::new()
    };
    let assignees = if handler {
        service.assignable(admin.site.id).await?
    } else {
        Vec::new()
    };
    let pages_n = cong_domain::content::page_count(found.total, PER_PAGE);
    let query = list_filter::query(&admin, &FILTERS);
    let view = ListPage {
        lines: found
            .rows
            .iter()
            .map(|q| Line {
                id: q.id,
                code: q.code.clone(),
                created: time(q.created_at, tz),
                title: q.public_title.clone(),
                topic: q.topic.clone().unwrap_or_default(),
                assignee: q.assignee.clone().unwrap_or_default(),
                status: label(q.status),
            })
            .collect(),
        total: found.total,
        counts: QuestionStatus::ALL
            .iter()
            .map(|s| {
                let n = counts.iter().find(|(c, _)| c == s).map_or(0, |(_, n)| *n);
                (s.as_str(), label(*s), n)
            })
            .collect(),
        statuses: QuestionStatus::ALL
            .iter()
            .map(|s| (s.as_str(), label(*s), f.status == Some(*s)))
            .collect(),
        topics: service
            .topics(admin.site.id)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name, f.topic_id == Some(t.id)))
            .collect(),
        assignees: assignees
            .into_iter()
            .map(|(id, name)| (id, name, !mine && f.assignee_id == Some(id)))
            .collect(),
        from: admin.param("tu-ngay"),
        until: admin.param("den-ngay"),
        mine,
        handler,
        may_edit_topics: admin.may(Action::ManageSettings),
        export_url: format!("/quan-tri/hoi-dap/xuat?{query}"),
        pages: (1..=pages_n)
            .map(|n| {
                (
                    n,
                    list_filter::page_url("/quan-tri/hoi-dap", &query, n),
                    n == page,
                )
            })
            .collect(),
    };
    Ok(admin
        .render(
            "admin/questions.html",
            "Hỏi đáp",
            "/quan-tri/hoi-dap",
            vec![],
            view,
        )
        .await?
        .into_response())
}

/// The questions as filtered, as an Excel workbook: handlers only (the asker's contact data
/// is in it).
pub async fn export(admin: Admin) -> Result<Response> {
    use cong_files::make::Cell;
    admin.require(Action::HandleQuestions)?;
    let (f, _) = filter(&admin)?;
    let found = admin
        .app
        .questions
        .list(admin.actor(), &f, 1, 10_000)
        .await?;
    let tz = &admin.app.tz;
    let text = |s: &str| Cell::Text(s.to_owned());
    let mut rows = vec![
        [
            "Mã",
            "Ngày gửi",
            "Lĩnh vực",
            "Họ tên",
            "Thư điện tử",
            "Điện thoại",
            "Câu hỏi",
            "Nội dung",
            "Trạng thái",
            "Người trả lời",
            "Câu trả lời",
            "Ngày đăng",
        ]
        .iter()
        .map(|h| text(h))
        .collect::<Vec<_>>(),
    ];
    for q in &found.rows {
        rows.push(vec![
            text(&q.code),
            text(&time(q.created_at, tz)),
            text(q.topic.as_deref().unwrap_or("")),
            text(&q.name),
            text(&q.email),
            text(&q.phone),
            text(&q.public_title),
            text(&q.public_body),
            text(label(q.status)),
            text(q.assignee.as_deref().unwrap_or("")),
            text(&q.answer),
            text(&q.published_at.map(|t| time(t, tz)).unwrap_or_default()),
        ]);
    }
    let body = cong_files::make::xlsx_sheet("Hỏi đáp", &rows);
    Ok(super::download::attachment(
        body,
        super::download::XLSX,
        "hoi-dap.xlsx",
    ))
}

#[derive(Serialize)]
struct ItemPage {
    q: QuestionRow,
    created: String,
    status: &'static str,
    handler: bool,
    may_moderate: bool,
    may_edit: bool,
    may_assign: bool,
    may_answer: bool,
    may_approve: bool,
    users: Vec<(i64, String, bool)>,
    public_url: Option<String>,
    /// The attached file's kind and size, as people read them ("PDF, 1,2 MB").
    file_size: String,
}

/// The file the asker attached: for whoever may see the question, downloaded, never shown.
pub async fn attachment(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    let (file, bytes) = admin.app.questions.attachment(admin.actor(), id).await?;
    Ok(super::download::file(bytes, &file.kind, &file.name))
}

pub async fn show(admin: Admin, Path(id): Path<i64>) -> Result<Response> {
    item(&admin, id, vec![], StatusCode::OK).await
}

async fn item(admin: &Admin, id: i64, errors: Vec<String>, status: StatusCode) -> Result<Response> {
    let q = admin.app.questions.find(admin.actor(), id).await?;
    let handler = admin.may(Action::HandleQuestions);
    let mine = q.assignee_id == Some(admin.user().id);
    use QuestionStatus as S;
    let view = ItemPage {
        created: time(q.created_at, &admin.app.tz),
        status: label(q.status),
        handler,
        may_moderate: handler && matches!(q.status, S::New | S::Accepted),
        may_edit: handler && !matches!(q.status, S::Rejected | S::Merged),
        may_assign: handler && matches!(q.status, S::Accepted | S::Assigned | S::Answered),
        may_answer: (handler || mine) && matches!(q.status, S::Assigned | S::Answered),
        may_approve: handler && q.status == S::Answered,
        users: admin
            .app
            .questions
            .assignable(admin.site.id)
            .await?
            .into_iter()
            .map(|(uid, name)| (uid, name, q.assignee_id == Some(uid)))
            .collect(),
        public_url: (q.status == S::Published).then(|| format!("/hoi-dap/{}", q.id)),
        file_size: q.file.as_ref().map_or_else(String::new, |f| {
            let size = cong_files::file_size(u64::try_from(f.size).unwrap_or(0));
            format!("{}, {size}", f.kind.to_uppercase())
        }),
        q,
    };
    let title = format!("Câu hỏi {}", view.q.code);
    let mut res = admin
        .render(
            "admin/question_item.html",
            &title,
            "/quan-tri/hoi-dap",
            errors,
            view,
        )
        .await?
        .into_response();
    *res.status_mut() = status;
    Ok(res)
}

pub async fn step(admin: Admin, Path(id): Path<i64>, form: FormData) -> Result<Response> {
    let text = |k: &str| form.get(k).to_owned();
    let decision = match form.get("step") {
        "accept" => Decision::Accept {
            title: text("title"),
            body: text("body"),
        },
        "edit" => Decision::Edit {
            title: text("title"),
            body: text("body"),
        },
        "reject" => Decision::Reject {
            reason: text("reason"),
        },
        "merge" => Decision::Merge { into: text("into") },
        "assign" => Decision::Assign {
            user_id: form
                .get("assignee")
                .parse()
                .map_err(|_| Error::BadRequest("Hãy chọn người trả lời.".to_owned()))?,
        },
        "answer" => Decision::Answer {
            text: text("answer"),
        },
        "approve" => Decision::Approve,
        _ => return Err(Error::BadRequest("Bước xử lý không có.".to_owned())),
    };
    let base = cong_domain::mail::link_base(&admin.site.address, admin.app.public_url.as_deref());
    let venue = Venue {
        site: admin.site.id,
        site_name: &admin.site.name,
        base_url: base.as_deref(),
        policy_version: "",
    };
    match admin
        .app
        .questions
        .decide(admin.actor(), &venue, id, decision)
        .await
    {
        Ok(()) => Ok(redirect(&format!("/quan-tri/hoi-dap/{id}?ok=luu"))),
        Err(cong_domain::Error::Fields(f)) => {
            let errors = f.into_iter().map(|(_, m)| m).collect();
            item(&admin, id, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
