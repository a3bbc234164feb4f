//! `/lay-y-kien?tinh-trang=…&page=N` — the drafts out for comment, open and closed; the
//! consultation's box on its document page; `POST /van-ban/{slug}/y-kien` — a comment,
//! answered with the document page (the thanks, or the form again with what was typed).

use super::forms::{Policy, Posted, guard_view, refusal_status, with_retry};
use crate::cache::LivePage;
use crate::error::{Error, Result};
use crate::extract::{PageContext, Slug};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use cong_domain::consultations::{Comment, Consultation, State, Window};
use cong_domain::documents::Detail;
use cong_domain::forms::{Refusal, SubmitError};
use cong_render::urls::{self, PAGE_PARAM};
use cong_render::views::Pagination;
use cong_render::views::consultations::{
    CommentForm, CommentView, ConsultationBox, ConsultationLine, ConsultationsView, state_label,
};
use cong_render::views::documents::{DocumentView, FileLink, day};
use cong_render::views::forms::FieldView;
use std::collections::BTreeMap;

const STATE_PARAM: &str = "tinh-trang";

fn state_str(s: State) -> &'static str {
    match s {
        State::Upcoming => "upcoming",
        State::Open => "open",
        State::Closed => "closed",
    }
}

pub async fn list(ctx: PageContext) -> Result<Response> {
    let page = ctx.page_number(PAGE_PARAM)?;
    let mut window = Window::All;
    let mut chosen = String::new();
    for (k, v) in form_urlencoded::parse(ctx.query.as_deref().unwrap_or("").as_bytes()) {
        if k == STATE_PARAM {
            window = match v.as_ref() {
                "" => Window::All,
                "dang-lay" => Window::Open,
                "da-ket-thuc" => Window::Closed,
                _ => {
                    return Err(Error::BadRequest(
                        ctx.app.renderer.catalogue().text("consultations-bad-state"),
                    ));
                }
            };
            chosen = v.into_owned();
        }
    }
    let base = if chosen.is_empty() {
        urls::CONSULTATIONS.to_owned()
    } else {
        format!("{}?{STATE_PARAM}={chosen}", urls::CONSULTATIONS)
    };
    let paged = ctx
        .app
        .consultations
        .list(ctx.site.id, window, page)
        .await?;
    let words = ctx.app.renderer.catalogue();
    let title = if page > 1 {
        format!(
            "{} - {} {page}",
            words.text("nav-consultations"),
            words.text("documents-page")
        )
    } else {
        words.text("nav-consultations")
    };
    let mut layout = ctx
        .layout(None, None)
        .await?
        .titled(&title, &words.text("consultations-description"));
    super::meta::page(
        &mut layout,
        &ctx.base,
        &urls::paged(&base, PAGE_PARAM, page, ""),
    );
    let tabs = [
        ("", "consultations-tab-all"),
        ("dang-lay", "consultations-tab-open"),
        ("da-ket-thuc", "consultations-tab-closed"),
    ]
    .into_iter()
    .map(|(v, words)| {
        let url = if v.is_empty() {
            urls::CONSULTATIONS.to_owned()
        } else {
            format!("{}?{STATE_PARAM}={v}", urls::CONSULTATIONS)
        };
        (url, words, v == chosen)
    })
    .collect();
    let view = ConsultationsView {
        layout,
        rows: paged.items.iter().map(line).collect(),
        total: paged.total,
        tabs,
        pagination: (paged.pages > 1)
            .then(|| Pagination::new(&paged, &base, PAGE_PARAM, "danh-sach")),
    };
    // Open and closed change with the day, not with an edit: kept until the day ends.
    let live = LivePage {
        until: Some(ctx.app.consultations.state_good_until()),
        ..LivePage::page(Vec::new())
    };
    ctx.render("consultations.html", &view, live)
}

fn line(c: &Consultation) -> ConsultationLine {
    let state = state_str(c.state);
    ConsultationLine {
        url: urls::document(&c.row.slug),
        number: c.row.number.clone(),
        type_name: c.row.type_name.clone(),
        summary: c.row.summary.clone(),
        opens: day(&c.row.opens_on),
        closes: day(&c.row.closes_on),
        state,
        state_label: state_label(state),
        received: c.row.comments,
    }
}

/// What a commenter sent, and what became of it.
#[derive(Default)]
pub struct Typed {
    pub comment: Comment,
    pub consent: bool,
    pub errors: BTreeMap<String, String>,
    pub refusal: Option<String>,
    pub sent: bool,
}

/// The consultation's box for a published document's page, if it is one.
pub async fn consultation_box(
    ctx: &PageContext,
    detail: &Detail,
    typed: &Typed,
) -> Result<Option<ConsultationBox>> {
    let site = ctx.site.id;
    let Some(c) = ctx.app.consultations.get(site, detail.doc.id).await? else {
        return Ok(None);
    };
    let tz = &ctx.app.tz;
    let comments = ctx
        .app
        .consultations
        .published_comments(detail.doc.id)
        .await?
        .into_iter()
        .map(|m| CommentView {
            name: if m.name.is_empty() {
                ctx.app.renderer.catalogue().text("consultation-anonymous")
            } else {
                m.name
            },
            organisation: m.organisation,
            date: jiff::Timestamp::from_second(m.created_at)
                .map(|t| cong_render::date(t, tz))
                .unwrap_or_default(),
            body: m.body,
        })
        .collect();
    let report = if c.state == State::Closed {
        FileLink::list(&ctx.app.consultations.report(site, detail.doc.id).await?)
    } else {
        Vec::new()
    };
    let form = if c.state == State::Open && !typed.sent {
        let policy = Policy::of(ctx).await?;
        Some(CommentForm {
            action: format!("{}/y-kien#lay-y-kien", urls::document(&detail.doc.slug)),
            fields: fields(&typed.comment, &typed.errors),
            guard_view: guard_view(
                &ctx.app.renderer.catalogue().text("consultation-purpose"),
                policy.as_ref(),
                typed.consent,
            ),
            errors: typed.errors.clone(),
        })
    } else {
        None
    };
    let state = state_str(c.state);
    Ok(Some(ConsultationBox {
        state,
        state_label: state_label(state),
        opens: day(&c.row.opens_on),
        closes: day(&c.row.closes_on),
        opens_iso: c.row.opens_on.clone(),
        closes_iso: c.row.closes_on.clone(),
        received: c.row.comments,
        comments,
        report,
        form,
        refusal: typed.refusal.clone(),
        sent: typed.sent,
        list_url: urls::CONSULTATIONS,
    }))
}

fn fields(c: &Comment, errors: &BTreeMap<String, String>) -> Vec<FieldView> {
    let field = |id, name: &'static str, label: &str, kind, value: &str, max, required| FieldView {
        id,
        name,
        label: label.to_owned(),
        kind,
        value: value.to_owned(),
        max,
        required,
        multiline: name == "body",
        autocomplete: match name {
            "name" => Some("name"),
            "email" => Some("email"),
            "organisation" => Some("organization"),
            _ => None,
        },
        error: errors.get(name).cloned(),
    };
    vec![
        field("ho-ten", "name", "Họ và tên", "text", &c.name, 200, true),
        field(
            "thu-dien-tu",
            "email",
            "Thư điện tử (không công bố)",
            "email",
            &c.email,
            254,
            true,
        ),
        field(
            "co-quan",
            "organisation",
            "Cơ quan, tổ chức",
            "text",
            &c.organisation,
            300,
            false,
        ),
        field(
            "y-kien",
            "body",
            "Ý kiến góp ý",
            "text",
            &c.body,
            10_000,
            true,
        ),
    ]
}

/// A document page (with its consultation's box as `typed` left it).
pub async fn document_page(
    ctx: &PageContext,
    detail: &Detail,
    typed: &Typed,
    status: StatusCode,
) -> Result<Response> {
    let d = &detail.doc;
    let title = format!("{} {}", d.type_name, d.number);
    let mut layout = ctx.layout(None, None).await?.titled(&title, &d.summary);
    super::meta::document(&mut layout, &ctx.base, detail);
    let mut view = DocumentView::new(layout, detail);
    view.consultation = consultation_box(ctx, detail, typed).await?;
    // A consultation's page changes with the day (the form opens and closes): kept until
    // the day ends.
    let live = LivePage {
        until: view
            .consultation
            .is_some()
            .then(|| ctx.app.consultations.state_good_until()),
        ..LivePage::page(Vec::new())
    };
    let mut res = ctx.render("document.html", &view, live)?;
    *res.status_mut() = status;
    if status != StatusCode::OK || typed.sent {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

pub async fn comment(Slug(slug): Slug, ctx: PageContext, req: Request) -> Result<Response> {
    let detail = ctx.app.documents.published(ctx.site.id, &slug).await?;
    let posted = Posted::read(&ctx.app, req).await?;
    let form = &posted.form;
    let typed_comment = Comment {
        name: form.get("name").to_owned(),
        email: form.get("email").to_owned(),
        organisation: form.get("organisation").to_owned(),
        body: form.get("body").to_owned(),
    };
    let policy = Policy::of(&ctx).await?;
    let result = ctx
        .app
        .consultations
        .comment(
            &ctx.app.forms,
            ctx.site.id,
            detail.doc.id,
            Policy::version_of(policy.as_ref()),
            &typed_comment,
            &posted.proof(),
        )
        .await;
    let mut typed = Typed {
        comment: typed_comment,
        consent: posted.consent(),
        ..Typed::default()
    };
    match result {
        Ok(_) => {
            let typed = Typed {
                sent: true,
                ..Typed::default()
            };
            document_page(&ctx, &detail, &typed, StatusCode::OK).await
        }
        Err(SubmitError::Fields(faults)) => {
            typed.errors = super::forms::faults_by_field(ctx.app.renderer.catalogue(), faults);
            document_page(&ctx, &detail, &typed, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(SubmitError::Refused(why)) => {
            let said = super::forms::refusal_words(ctx.app.renderer.catalogue(), why);
            if why == Refusal::NoConsent {
                typed.errors.insert("consent".to_owned(), said.clone());
            }
            typed.refusal = Some(said);
            let (status, retry) = refusal_status(why);
            let res = document_page(&ctx, &detail, &typed, status).await?;
            Ok(with_retry(res, retry))
        }
        // Outside the dates: the page as it stands (no form once closed) and why.
        Err(SubmitError::Failed(cong_domain::Error::Invalid(why))) => {
            typed.refusal = Some(outside_words(&ctx, detail.doc.id).await.unwrap_or(why));
            document_page(&ctx, &detail, &typed, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(SubmitError::Failed(e)) => Err(e.into()),
    }
}

/// Why a comment is not taken outside the draft's dates, in the page's language.
async fn outside_words(ctx: &PageContext, document_id: i64) -> Option<String> {
    let found = ctx
        .app
        .consultations
        .get(ctx.site.id, document_id)
        .await
        .ok()??;
    let (id, iso) = match found.state {
        State::Upcoming => ("consultation-not-yet", &found.row.opens_on),
        State::Closed => ("consultation-over", &found.row.closes_on),
        State::Open => return None,
    };
    let words = ctx.app.renderer.catalogue();
    Some(words.say(id, &[("date", day(iso).into())]))
}
