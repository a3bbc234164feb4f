//! `/lien-he` — Góp ý / Liên hệ: the form, and the answer to a sending (the receipt, or the
//! form again with what was typed and why it was not taken).

use super::forms::{Policy, Posted, guard_view, refusal_status, with_retry};
use crate::cache::LivePage;
use crate::error::Result;
use crate::extract::PageContext;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use cong_domain::feedback::{Message, Venue};
use cong_domain::forms::{Refusal, SubmitError};
use cong_render::views::forms::{Choice, ContactView, FieldView};
use std::collections::BTreeMap;

const PURPOSE: &str = "Họ tên, thư điện tử và số điện thoại chỉ được dùng để cơ quan trả lời \
     góp ý của bạn; địa chỉ thư điện tử nhận thư xác nhận kèm mã góp ý.";

pub async fn show(ctx: PageContext) -> Result<Response> {
    let view = view(&ctx, &Message::default(), false, BTreeMap::new()).await?;
    render(&ctx, view, StatusCode::OK)
}

pub async fn send(ctx: PageContext, req: Request) -> Result<Response> {
    let posted = Posted::read(&ctx.app, req).await?;
    let form = &posted.form;
    let msg = Message {
        topic_id: form.get("topic").trim().parse().ok(),
        name: form.get("name").to_owned(),
        email: form.get("email").to_owned(),
        phone: form.get("phone").to_owned(),
        address: form.get("address").to_owned(),
        subject: form.get("subject").to_owned(),
        body: form.get("body").to_owned(),
    };
    let consent = posted.consent();
    let policy = Policy::of(&ctx).await?;
    let base = cong_domain::mail::link_base(&ctx.site.address, ctx.app.public_url.as_deref());
    let venue = Venue {
        site: ctx.site.id,
        site_name: &ctx.site.name,
        base_url: base.as_deref(),
        policy_version: Policy::version_of(policy.as_ref()),
    };
    match ctx.app.feedback.submit(&venue, &msg, &posted.proof()).await {
        Ok(receipt) => {
            let mut view = view(&ctx, &Message::default(), false, BTreeMap::new()).await?;
            view.sent = Some(receipt.code);
            view.mail_sent = ctx.app.mailer.enabled();
            render(&ctx, view, StatusCode::OK)
        }
        Err(SubmitError::Fields(faults)) => {
            let errors = faults.into_iter().collect();
            let view = view(&ctx, &msg, consent, errors).await?;
            render(&ctx, view, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(SubmitError::Refused(why)) => {
            let mut errors = BTreeMap::new();
            if why == Refusal::NoConsent {
                errors.insert("consent".to_owned(), why.message());
            }
            let mut view = view(&ctx, &msg, consent, errors).await?;
            view.refusal = Some(why.message());
            let (status, retry) = refusal_status(why);
            Ok(with_retry(render(&ctx, view, status)?, retry))
        }
        Err(SubmitError::Failed(e)) => Err(e.into()),
    }
}

async fn view(
    ctx: &PageContext,
    msg: &Message,
    consent: bool,
    errors: BTreeMap<String, String>,
) -> Result<ContactView> {
    let layout = ctx.layout(None, None).await?.titled(
        "Góp ý, liên hệ",
        "Gửi góp ý, phản ánh, kiến nghị tới cơ quan",
    );
    let topics = ctx
        .app
        .feedback
        .topics(ctx.site.id)
        .await?
        .into_iter()
        .map(|t| Choice {
            selected: msg.topic_id == Some(t.id),
            id: t.id,
            name: t.name,
        })
        .collect();
    let policy = Policy::of(ctx).await?;
    let field = |id, name: &'static str, label, kind, value: &str, max, required| FieldView {
        id,
        name,
        label,
        kind,
        value: value.to_owned(),
        max,
        required,
        multiline: name == "body",
        autocomplete: match name {
            "name" => Some("name"),
            "email" => Some("email"),
            "phone" => Some("tel"),
            "address" => Some("address-line1"),
            _ => None,
        },
        error: errors.get(name).cloned(),
    };
    let fields = vec![
        field("ho-ten", "name", "Họ và tên", "text", &msg.name, 200, true),
        field(
            "thu-dien-tu",
            "email",
            "Thư điện tử",
            "email",
            &msg.email,
            254,
            true,
        ),
        field(
            "dien-thoai",
            "phone",
            "Điện thoại",
            "tel",
            &msg.phone,
            30,
            false,
        ),
        field(
            "dia-chi",
            "address",
            "Địa chỉ",
            "text",
            &msg.address,
            300,
            false,
        ),
        field(
            "tieu-de",
            "subject",
            "Tiêu đề",
            "text",
            &msg.subject,
            300,
            true,
        ),
        field(
            "noi-dung-gop-y",
            "body",
            "Nội dung",
            "text",
            &msg.body,
            10_000,
            true,
        ),
    ];
    Ok(ContactView {
        layout,
        topics,
        fields,
        guard_view: guard_view(PURPOSE, policy.as_ref(), consent),
        errors,
        refusal: None,
        sent: None,
        mail_sent: false,
    })
}

/// Counted like any page, never kept: what it shows depends on what was sent.
fn render(ctx: &PageContext, view: ContactView, status: StatusCode) -> Result<Response> {
    let live = LivePage {
        keep: false,
        ..LivePage::page(Vec::new())
    };
    let mut res = ctx.render("contact.html", &view, live)?;
    *res.status_mut() = status;
    if status != StatusCode::OK || view.sent.is_some() {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}
