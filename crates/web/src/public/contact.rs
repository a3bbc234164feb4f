//! `/lien-he` — Góp ý / Liên hệ: the form, and the answer to a sending.

use super::forms::{FormKind, Policy, Posted, Sending, form_view, render_form, respond};
use crate::error::Result;
use crate::extract::PageContext;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::Response;
use cong_domain::feedback::Message;
use cong_render::i18n::either;
use cong_render::views::forms::FormText;
use std::collections::BTreeMap;

fn kind() -> FormKind {
    FormKind {
        text: FormText {
            action: "/lien-he",
            heading: "contact-heading",
            lead: "contact-lead",
            submit: "contact-submit",
            received: "contact-received",
            track_url: None,
            attachment: None,
        },
        purpose: "contact-purpose",
        title: "contact-heading",
        description: "contact-description",
        subject_label: "contact-subject",
        body_label: "contact-body",
    }
}

async fn topics(ctx: &PageContext) -> Result<Vec<(i64, String)>> {
    Ok(ctx
        .app
        .feedback
        .topics(ctx.site.id)
        .await?
        .into_iter()
        .map(|t| (t.id, either(&t.name, &t.name_en).to_owned()))
        .collect())
}

pub async fn show(ctx: PageContext) -> Result<Response> {
    let topics = topics(&ctx).await?;
    let policy = Policy::of(&ctx).await?;
    let view = form_view(
        &ctx,
        policy.as_ref(),
        &kind(),
        topics,
        &Message::default(),
        false,
        BTreeMap::new(),
    )
    .await?;
    render_form(&ctx, view, StatusCode::OK)
}

pub async fn send(ctx: PageContext, req: Request) -> Result<Response> {
    let posted = Posted::read(&ctx.app, req).await?;
    let msg = posted.message();
    let sending = Sending::of(&ctx).await?;
    let venue = sending.venue(&ctx);
    let result = ctx.app.feedback.submit(&venue, &msg, &posted.proof()).await;
    let policy = sending.policy.as_ref();
    respond(
        &ctx,
        policy,
        &kind(),
        topics(&ctx).await?,
        &posted,
        &msg,
        result,
    )
    .await
}
