//! The back office's first page: counts of articles by state, what came back to the author,
//! what waits for an editor.

use super::articles::{Row, ts};
use super::session::Admin;
use crate::error::Result;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::editorial::{ListFilter, Status, status_label};
use cong_render::date_time;
use serde::Serialize;

#[derive(Serialize)]
struct Dashboard {
    counts: Vec<(&'static str, i64, String)>,
    returned: Vec<Row>,
    pending: Vec<Row>,
    role: &'static str,
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
    let view = Dashboard {
        counts,
        returned,
        pending,
        role: admin.role().label(),
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
