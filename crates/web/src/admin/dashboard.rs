//! The back office's first page: counts of articles by state, what came back to the author,
//! what waits for an editor, what is scheduled, today's figures, the last actions the user
//! may see.

use super::article_list::Row;
use super::articles::ts;
use super::session::Admin;
use crate::error::Result;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::editorial::{ListFilter, Status, status_label};
use cong_render::{date_time, number};
use serde::Serialize;

#[derive(Serialize)]
struct Dashboard {
    counts: Vec<(&'static str, i64, String)>,
    returned: Vec<Row>,
    pending: Vec<Row>,
    /// (id, title, when it comes out).
    scheduled: Vec<(i64, String, String)>,
    /// Today's visits, page views, readers online (formatted).
    today: Option<(String, String, String)>,
    /// The last actions: (when, who, what, object).
    actions: Vec<(String, String, String, String)>,
    /// Where the rest of the log is (administrators), else "".
    audit_url: &'static str,
    /// The citizens' queues waiting: (label, how many, where).
    queues: Vec<(&'static str, i64, String)>,
    role: &'static str,
}

/// What waits for the user among citizens' messages and questions: new feedback, questions
/// to moderate and answers to approve (for those who handle them), questions given to the
/// user to answer (for anyone).
async fn queues(admin: &Admin) -> Result<Vec<(&'static str, i64, String)>> {
    use cong_store::feedback::FeedbackStatus;
    use cong_store::questions::QuestionStatus;
    let mut out = Vec::new();
    if admin.may(Action::HandleFeedback) {
        let counts = admin.app.feedback.counts(admin.actor()).await?;
        let n = counts
            .iter()
            .find(|(s, _)| *s == FeedbackStatus::New)
            .map_or(0, |(_, n)| *n);
        out.push(("góp ý mới", n, "/quan-tri/gop-y?trang-thai=new".to_owned()));
    }
    if admin.may(Action::HandleQuestions) {
        let counts = admin.app.questions.counts(admin.actor()).await?;
        let n = |st| counts.iter().find(|(s, _)| *s == st).map_or(0, |(_, n)| *n);
        out.push((
            "câu hỏi chờ xem xét",
            n(QuestionStatus::New),
            "/quan-tri/hoi-dap?trang-thai=new".to_owned(),
        ));
        out.push((
            "câu trả lời chờ duyệt",
            n(QuestionStatus::Answered),
            "/quan-tri/hoi-dap?trang-thai=answered".to_owned(),
        ));
    }
    let (mine, _) = admin
        .app
        .questions
        .assigned_to(
            admin.actor(),
            Some(cong_store::questions::QuestionStatus::Assigned),
            1,
            1,
        )
        .await?;
    if mine > 0 || !out.is_empty() {
        out.push((
            "câu hỏi giao cho bạn trả lời",
            mine,
            "/quan-tri/hoi-dap?trang-thai=assigned&cua-toi=1".to_owned(),
        ));
    }
    Ok(out)
}

/// How many scheduled articles and actions the dashboard lists.
const LISTED: i64 = 10;

/// The last actions the user may see: an administrator their site's, anyone else their own.
async fn last_actions(admin: &Admin) -> Result<Vec<(String, String, String, String)>> {
    let filter = cong_store::audit::AuditFilter {
        site: Some(admin.site.id),
        username: (!admin.may(Action::ViewAudit)).then(|| admin.user().username.clone()),
        ..Default::default()
    };
    let (rows, _) = admin
        .app
        .editorial
        .audit_log(&filter, LISTED as u32, 1)
        .await?;
    let tz = &admin.app.tz;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                jiff::Timestamp::from_second(r.at)
                    .map(|t| date_time(t, tz))
                    .unwrap_or_default(),
                r.username,
                r.action,
                match r.object_id {
                    Some(id) => format!("{} #{id}", r.object_kind),
                    None => r.object_kind,
                },
            )
        })
        .collect())
}

pub async fn dashboard(admin: Admin) -> Result<Response> {
    let counts = admin.app.editorial.counts(admin.actor()).await?;
    let counts = Status::ALL
        .iter()
        .map(|k| {
            let n = counts.iter().find(|(s, _)| s == k).map_or(0, |(_, n)| *n);
            (
                status_label(*k, ""),
                n,
                format!("/quan-tri/bai-viet?trang-thai={}", k.as_str()),
            )
        })
        .collect();
    let tz = &admin.app.tz;
    let to_rows = |items: Vec<cong_domain::editorial::ListRow>| -> Vec<Row> {
        items
            .into_iter()
            .map(|r| Row {
                id: r.id,
                status: status_label(r.status, &r.review_note),
                status_key: r.status.as_str().to_owned(),
                title: r.title,
                section: String::new(),
                updated: date_time(ts(r.updated_at), tz),
                note: r.review_note,
            })
            .collect()
    };
    let drafts = admin
        .app
        .editorial
        .list(
            admin.actor(),
            ListFilter {
                status: Some(Status::Draft),
                created_by: Some(admin.user().id),
                ..Default::default()
            },
            1,
        )
        .await?;
    let returned = to_rows(
        drafts
            .items
            .into_iter()
            .filter(|r| !r.review_note.is_empty())
            .collect(),
    );
    let pending = if admin.may(Action::Publish) {
        to_rows(
            admin
                .app
                .editorial
                .list(
                    admin.actor(),
                    ListFilter {
                        status: Some(Status::Pending),
                        ..Default::default()
                    },
                    1,
                )
                .await?
                .items,
        )
    } else {
        Vec::new()
    };
    let queues = queues(&admin).await?;
    let scheduled = admin
        .app
        .editorial
        .scheduled(admin.actor(), LISTED)
        .await?
        .into_iter()
        .map(|s| (s.id, s.title, date_time(ts(s.published_at), tz)))
        .collect();
    // Today's figures are the site's statistics: for those who may read them.
    let today = if admin.may(Action::Publish) {
        let w = admin.app.stats.widget(admin.site.id);
        let views = admin.app.stats.page_views_today(admin.site.id).await?;
        Some((number(w.today), number(views), number(w.online)))
    } else {
        None
    };
    let view = Dashboard {
        counts,
        returned,
        pending,
        scheduled,
        today,
        actions: last_actions(&admin).await?,
        audit_url: if admin.may(Action::ViewAudit) {
            "/quan-tri/nhat-ky"
        } else {
            ""
        },
        role: admin.role().label(),
        queues,
    };
    Ok(admin
        .render(
            "admin/dashboard.html",
            "Tổng quan",
            "/quan-tri",
            vec![],
            view,
        )
        .await?
        .into_response())
}
