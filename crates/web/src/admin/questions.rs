//! Hỏi đáp in the back office: the queue with counts and filters, and one question with the
//! steps its status allows (accept, reject, merge, edit, assign, answer, approve).

use super::form::FormData;
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
    /// The status filtered on ("" for all), for the export's link.
    status: &'static str,
    mine: bool,
    pages: Vec<(u32, String, bool)>,
}

pub async fn list(admin: Admin) -> Result<Response> {
    let status = match admin.param("trang-thai").as_str() {
        "" => None,
        s => Some(
            QuestionStatus::parse(s)
                .ok_or_else(|| Error::BadRequest("Trạng thái không có.".to_owned()))?,
        ),
    };
    // "Của tôi": what is given to me to answer (all an author sees).
    let mine = admin.param("cua-toi") == "1" || !admin.may(Action::HandleQuestions);
    let f = QuestionFilter {
        status,
        topic_id: None,
        assignee_id: mine.then(|| admin.user().id),
    };
    let page = crate::extract::page_number(admin.query.as_deref(), "page")?;
    let service = &admin.app.questions;
    let tz = &admin.app.tz;
    let (found, counts) = if mine {
        let (total, rows) = admin
            .app
            .questions
            .assigned_to(admin.actor(), status, page, PER_PAGE)
            .await?;
        (
            cong_domain::questions::QuestionPage { rows, total },
            Vec::new(),
        )
    } else {
        (
            service.list(admin.actor(), &f, page, PER_PAGE).await?,
            service.counts(admin.actor()).await?,
        )
    };
    let pages_n = cong_domain::content::page_count(found.total, PER_PAGE);
    let query = format!(
        "trang-thai={}&cua-toi={}",
        status.map_or("", QuestionStatus::as_str),
        u8::from(mine)
    );
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
            .map(|s| (s.as_str(), label(*s), status == Some(*s)))
            .collect(),
        status: status.map_or("", QuestionStatus::as_str),
        mine,
        pages: (1..=pages_n)
            .map(|n| (n, format!("/quan-tri/hoi-dap?{query}&page={n}"), n == page))
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

/// The questions as filtered (status), as an Excel workbook: handlers only.
pub async fn export(admin: Admin) -> Result<Response> {
    use cong_files::make::Cell;
    let status = match admin.param("trang-thai").as_str() {
        "" => None,
        s => Some(
            QuestionStatus::parse(s)
                .ok_or_else(|| Error::BadRequest("Trạng thái không có.".to_owned()))?,
        ),
    };
    let f = QuestionFilter {
        status,
        ..QuestionFilter::default()
    };
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
