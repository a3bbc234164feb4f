//! Personal data in the back office (administrators): find what is stored about an e-mail
//! address, export it as JSON, erase it. Every step is a POST (the address stays out of
//! URLs and logs) and is audited by the domain service.

use super::form::FormData;
use super::session::Admin;
use crate::error::Result;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use serde::Serialize;

#[derive(Serialize, Default)]
struct Found {
    email: String,
    /// (code, date, subject, status) of each message.
    feedback: Vec<(String, String, String, &'static str)>,
    /// (date, start of the text, status) of each comment on a draft document.
    comments: Vec<(String, String, &'static str)>,
    /// (date, subject, status) of each mail.
    mails: Vec<(String, String, &'static str)>,
}

#[derive(Serialize, Default)]
struct PrivacyPage {
    email: String,
    found: Option<Found>,
    erased: Option<(u64, u64, u64)>,
    retain_days: u32,
}

pub async fn show(admin: Admin) -> Result<Response> {
    admin.require(Action::ManagePersonalData)?;
    page(&admin, PrivacyPage::default(), vec![], StatusCode::OK).await
}

async fn page(
    admin: &Admin,
    mut view: PrivacyPage,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response> {
    view.retain_days = admin.app.privacy.retain_days();
    let mut res = admin
        .render(
            "admin/privacy.html",
            "Dữ liệu cá nhân",
            "/quan-tri/du-lieu-ca-nhan",
            errors,
            view,
        )
        .await?
        .into_response();
    *res.status_mut() = status;
    Ok(res)
}

pub async fn act(admin: Admin, form: FormData) -> Result<Response> {
    let email = form.get("email").trim().to_owned();
    let privacy = &admin.app.privacy;
    let refused = |e: cong_domain::Error| -> Result<(Vec<String>, StatusCode)> {
        match e {
            cong_domain::Error::Invalid(m) => Ok((vec![m], StatusCode::UNPROCESSABLE_ENTITY)),
            e => Err(e.into()),
        }
    };
    let base = PrivacyPage {
        email: email.clone(),
        ..PrivacyPage::default()
    };
    match form.get("action") {
        "xuat" => match privacy.find(admin.actor(), &email, true).await {
            Ok(data) => {
                let body = serde_json::to_vec_pretty(&data.to_json())
                    .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
                Ok(super::download::attachment(
                    body,
                    "application/json; charset=utf-8",
                    "du-lieu-ca-nhan.json",
                ))
            }
            Err(e) => {
                let (errors, status) = refused(e)?;
                page(&admin, base, errors, status).await
            }
        },
        "xoa" => {
            if form.get("chac-chan") != "1" {
                let errors = vec!["Hãy đánh dấu ô xác nhận trước khi xoá.".to_owned()];
                return page(&admin, base, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
            match privacy.erase(admin.actor(), &email).await {
                Ok(n) => {
                    let view = PrivacyPage {
                        erased: Some((n.feedback, n.comments, n.mails)),
                        ..base
                    };
                    page(&admin, view, vec![], StatusCode::OK).await
                }
                Err(e) => {
                    let (errors, status) = refused(e)?;
                    page(&admin, base, errors, status).await
                }
            }
        }
        _ => match privacy.find(admin.actor(), &email, false).await {
            Ok(data) => {
                let tz = &admin.app.tz;
                let time = |t: i64| {
                    jiff::Timestamp::from_second(t)
                        .map(|t| cong_render::date_time(t, tz))
                        .unwrap_or_default()
                };
                let found = Found {
                    email: data.email.clone(),
                    feedback: data
                        .feedback
                        .iter()
                        .map(|f| {
                            (
                                f.code.clone(),
                                time(f.created_at),
                                f.subject.clone(),
                                super::feedback::status_label(f.status),
                            )
                        })
                        .collect(),
                    comments: data
                        .comments
                        .iter()
                        .map(|c| {
                            (
                                time(c.created_at),
                                c.body.chars().take(120).collect(),
                                super::consultations::status_label(c.status),
                            )
                        })
                        .collect(),
                    mails: data
                        .mails
                        .iter()
                        .map(|m| (time(m.created_at), m.subject.clone(), m.status.as_str()))
                        .collect(),
                };
                let view = PrivacyPage {
                    found: Some(found),
                    ..base
                };
                page(&admin, view, vec![], StatusCode::OK).await
            }
            Err(e) => {
                let (errors, status) = refused(e)?;
                page(&admin, base, errors, status).await
            }
        },
    }
}
