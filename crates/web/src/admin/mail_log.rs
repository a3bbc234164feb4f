//! The mail log (administrators): what this site queued and sent, its status, attempts and
//! last error; read only, and never the bodies (they hold links such as password resets).

use super::session::Admin;
use crate::error::Result;
use axum::response::{IntoResponse, Response};
use cong_render::date_time;
use cong_store::mail::MailStatus;
use serde::Serialize;

#[derive(Serialize)]
struct Line {
    created: String,
    recipient: String,
    subject: String,
    kind: String,
    status: &'static str,
    /// The status as a class name ("sent", "failed"…).
    status_key: &'static str,
    attempts: i64,
    /// When it was sent, or when it is tried next ("" when neither).
    when: String,
    last_error: String,
}

#[derive(Serialize)]
struct MailLogPage {
    lines: Vec<Line>,
    total: i64,
    enabled: bool,
    pages: Vec<(u32, String, bool)>,
}

const PER_PAGE: u32 = 50;

fn label(s: MailStatus) -> &'static str {
    match s {
        MailStatus::Queued => "Chờ gửi",
        MailStatus::Sending => "Đang gửi",
        MailStatus::Sent => "Đã gửi",
        MailStatus::Failed => "Không gửi được",
    }
}

pub async fn list(admin: Admin) -> Result<Response> {
    let page = crate::extract::page_number(admin.query.as_deref(), "page")?;
    let log = admin.app.mailer.log(admin.actor(), page, PER_PAGE).await?;
    let tz = &admin.app.tz;
    let time = |t: i64| {
        jiff::Timestamp::from_second(t)
            .map(|t| date_time(t, tz))
            .unwrap_or_default()
    };
    let pages_n = cong_domain::content::page_count(log.total, PER_PAGE);
    let view = MailLogPage {
        lines: log
            .mails
            .into_iter()
            .map(|m| Line {
                created: time(m.created_at),
                when: match (m.status, m.sent_at) {
                    (MailStatus::Sent, Some(at)) => format!("gửi lúc {}", time(at)),
                    (MailStatus::Queued, _) => format!("thử lại lúc {}", time(m.next_attempt_at)),
                    _ => String::new(),
                },
                recipient: m.recipient,
                subject: m.subject,
                kind: m.kind,
                status: label(m.status),
                status_key: m.status.as_str(),
                attempts: m.attempts,
                last_error: m.last_error,
            })
            .collect(),
        total: log.total,
        enabled: admin.app.mailer.enabled(),
        pages: (1..=pages_n)
            .map(|n| (n, format!("/quan-tri/thu-gui?page={n}"), n == page))
            .collect(),
    };
    Ok(admin
        .render(
            "admin/mail_log.html",
            "Thư gửi",
            "/quan-tri/thu-gui",
            vec![],
            view,
        )
        .await?
        .into_response())
}
