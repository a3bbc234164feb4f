//! `/hoi-dap` — Hỏi đáp: the published questions with their answers (by field, searched),
//! one question, the form to ask, and `/hoi-dap/tra-cuu` to follow a question by its code.

use super::forms::{FormKind, Policy, Posted, Sending, form_view, render_form, respond};
use crate::cache::{LivePage, Tag};
use crate::error::{Error, Result};
use crate::extract::PageContext;
use axum::extract::{Path, Request};
use axum::http::StatusCode;
use axum::response::Response;
use cong_domain::content::{Paged, page_count};
use cong_domain::forms::{Fault, Message, SubmitError};
use cong_domain::questions::{ATTACHMENT_FIELD, Attachment};
use cong_render::i18n::either;
use cong_render::views::Pagination;
use cong_render::views::forms::FormText;
use cong_store::questions::{QuestionRow, QuestionStatus};
use serde::Serialize;
use std::collections::BTreeMap;

const PER_PAGE: u32 = 10;

fn kind(ctx: &PageContext) -> FormKind {
    let max = cong_files::file_size(ctx.app.questions.max_attachment());
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("max", max);
    let attachment = ctx
        .app
        .renderer
        .catalogue()
        .message(
            cong_render::i18n::current(),
            "question-form-attachment",
            Some(&args),
        )
        .unwrap_or_default();
    FormKind {
        text: FormText {
            action: "/hoi-dap/gui",
            heading: "question-form-heading",
            lead: "question-form-lead",
            submit: "question-form-heading",
            received: "question-form-received",
            track_url: Some(format!("{}?ma=", cong_render::urls::QUESTION_TRACK)),
            attachment: Some(attachment),
        },
        purpose: "question-form-purpose",
        title: "question-form-heading",
        description: "question-form-description",
        subject_label: "question-form-subject",
        body_label: "question-form-body",
    }
}

/// A published question as the public pages show it: never the asker's contact data.
#[derive(Serialize)]
struct Shown {
    id: i64,
    url: String,
    title: String,
    body: Vec<String>,
    answer: Vec<String>,
    topic: Option<String>,
    asked: String,
    published: String,
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

fn shown(q: &QuestionRow, tz: &jiff::tz::TimeZone) -> Shown {
    let date = |t: i64| {
        jiff::Timestamp::from_second(t)
            .map(|t| cong_render::date(t, tz))
            .unwrap_or_default()
    };
    Shown {
        id: q.id,
        url: format!("/hoi-dap/{}", q.id),
        title: q.public_title.clone(),
        body: paragraphs(&q.public_body),
        answer: paragraphs(&q.answer),
        topic: q
            .topic
            .as_deref()
            .map(|vi| either(vi, q.topic_en.as_deref().unwrap_or_default()).to_owned()),
        asked: date(q.created_at),
        published: q.published_at.map(date).unwrap_or_default(),
    }
}

#[derive(Serialize)]
struct ListView {
    layout: cong_render::views::Layout,
    items: Vec<Shown>,
    total: i64,
    q: String,
    topics: Vec<(i64, String, bool)>,
    pagination: Pagination,
}

/// The list and a question's page are kept until a question of the site is published or
/// edited (the change says so on every node); a search or a field chosen is never kept (the
/// cache's key rules), nor is a tracking answer.
fn kept() -> LivePage {
    LivePage::page(vec![Tag::Questions])
}

pub async fn list(ctx: PageContext) -> Result<Response> {
    let param = |name: &str| {
        ctx.query
            .as_deref()
            .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name))
            .map(|(_, v)| v.trim().chars().take(200).collect::<String>())
            .unwrap_or_default()
    };
    let q = param("q");
    let topic = match param("linh-vuc").as_str() {
        "" => None,
        t => Some(t.parse::<i64>().map_err(|_| {
            Error::BadRequest(ctx.app.renderer.catalogue().text("questions-bad-topic"))
        })?),
    };
    let page = ctx.page_number("page")?;
    let service = &ctx.app.questions;
    let found = service
        .published(ctx.site.id, topic, &q, page, PER_PAGE)
        .await?;
    let pages = page_count(found.total, PER_PAGE);
    if page > pages {
        return Err(Error::NotFound);
    }
    let base = list_url(&q, topic);
    let paged = Paged {
        items: Vec::<()>::new(),
        page,
        pages,
        total: found.total,
    };
    let view = ListView {
        layout: ctx.layout(None, None).await?.titled(
            &ctx.app.renderer.catalogue().text("nav-questions"),
            &ctx.app.renderer.catalogue().text("questions-description"),
        ),
        items: found.rows.iter().map(|r| shown(r, &ctx.app.tz)).collect(),
        total: found.total,
        topics: service
            .topics(ctx.site.id)
            .await?
            .into_iter()
            .map(|t| {
                let name = either(&t.name, &t.name_en).to_owned();
                (t.id, name, Some(t.id) == topic)
            })
            .collect(),
        q,
        pagination: Pagination::new(&paged, &base, "page", ""),
    };
    ctx.render("questions.html", &view, kept())
}

/// The list's address with its search and field (the pager adds the page).
fn list_url(q: &str, topic: Option<i64>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if !q.is_empty() {
        query.append_pair("q", q);
    }
    if let Some(t) = topic {
        query.append_pair("linh-vuc", &t.to_string());
    }
    match query.finish() {
        s if s.is_empty() => "/hoi-dap".to_owned(),
        s => format!("/hoi-dap?{s}"),
    }
}

#[derive(Serialize)]
struct OneView {
    layout: cong_render::views::Layout,
    item: Shown,
}

pub async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound)?;
    let q = ctx.app.questions.public(ctx.site.id, id).await?;
    let item = shown(&q, &ctx.app.tz);
    let view = OneView {
        layout: ctx.layout(None, None).await?.titled(&item.title, ""),
        item,
    };
    ctx.render("question.html", &view, kept())
}

async fn topics(ctx: &PageContext) -> Result<Vec<(i64, String)>> {
    Ok(ctx
        .app
        .questions
        .topics(ctx.site.id)
        .await?
        .into_iter()
        .map(|t| (t.id, either(&t.name, &t.name_en).to_owned()))
        .collect())
}

pub async fn ask_form(ctx: PageContext) -> Result<Response> {
    let topics = topics(&ctx).await?;
    let policy = Policy::of(&ctx).await?;
    let view = form_view(
        &ctx,
        policy.as_ref(),
        &kind(&ctx),
        topics,
        &Message::default(),
        false,
        BTreeMap::new(),
    )
    .await?;
    render_form(&ctx, view, StatusCode::OK)
}

pub async fn ask(ctx: PageContext, req: Request) -> Result<Response> {
    let service = &ctx.app.questions;
    let mut posted =
        Posted::read_with_file(&ctx.app, req, ATTACHMENT_FIELD, service.max_attachment()).await?;
    let msg = posted.message();
    let sending = Sending::of(&ctx).await?;
    let venue = sending.venue(&ctx);
    let result = match &posted.file_too_large {
        // Dropped unread: the form comes back with the text and why.
        Some(name) => Err(SubmitError::Fields(vec![(
            ATTACHMENT_FIELD.to_owned(),
            Fault::FileTooLarge {
                name: name.clone(),
                max: service.max_attachment(),
            },
        )])),
        None => {
            let file = posted.file.take().map(|f| Attachment {
                name: f.name,
                bytes: f.bytes,
            });
            service.ask(&venue, &msg, &posted.proof(), file).await
        }
    };
    let policy = sending.policy.as_ref();
    respond(
        &ctx,
        policy,
        &kind(&ctx),
        topics(&ctx).await?,
        &posted,
        &msg,
        result,
    )
    .await
}

/// Where a question stands, in the asker's words: the catalogue's message.
fn status_key(s: QuestionStatus) -> &'static str {
    match s {
        QuestionStatus::New => "question-status-new",
        QuestionStatus::Accepted => "question-status-accepted",
        QuestionStatus::Assigned => "question-status-assigned",
        QuestionStatus::Answered => "question-status-answered",
        QuestionStatus::Published => "question-status-published",
        QuestionStatus::Rejected => "question-status-rejected",
        QuestionStatus::Merged => "question-status-merged",
    }
}

#[derive(Serialize)]
struct TrackView {
    layout: cong_render::views::Layout,
    code: String,
    searched: bool,
    found: Option<Tracked>,
}

#[derive(Serialize)]
struct Tracked {
    code: String,
    /// The status's message (`question-status-…`).
    status: &'static str,
    asked: String,
    reason: String,
    url: Option<String>,
}

pub async fn track(ctx: PageContext) -> Result<Response> {
    let code = ctx
        .query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "ma"))
        .map(|(_, v)| v.trim().chars().take(40).collect::<String>())
        .unwrap_or_default();
    let found = if code.is_empty() {
        None
    } else {
        ctx.app.questions.track(ctx.site.id, &code).await?
    };
    let tz = &ctx.app.tz;
    let searched = !code.is_empty();
    let status = if searched && found.is_none() {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    let found = found.map(|q| Tracked {
        code: q.code.clone(),
        status: status_key(q.status),
        asked: jiff::Timestamp::from_second(q.created_at)
            .map(|t| cong_render::date(t, tz))
            .unwrap_or_default(),
        reason: if q.status == QuestionStatus::Rejected {
            q.reject_reason.clone()
        } else {
            String::new()
        },
        url: (q.status == QuestionStatus::Published).then(|| format!("/hoi-dap/{}", q.id)),
    });
    let view = TrackView {
        layout: ctx
            .layout(None, None)
            .await?
            .titled(&ctx.app.renderer.catalogue().text("track-title"), ""),
        code,
        searched,
        found,
    };
    let live = LivePage {
        keep: false,
        ..LivePage::page(Vec::new())
    };
    let mut res = ctx.render("question_track.html", &view, live)?;
    *res.status_mut() = status;
    Ok(res)
}
