//! `/lien-he` — Góp ý / Liên hệ: the form, its challenge, and the answer to a sending (the
//! receipt, or the form again with what was typed and why it was not taken).

use crate::admin::form::FormData;
use crate::admin::session::client_ip;
use crate::cache::LivePage;
use crate::error::{Error, Result};
use crate::extract::PageContext;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cong_domain::feedback::{Message, Venue};
use cong_domain::forms::{Proof, Refusal, SubmitError};
use cong_render::views::forms::{Choice, ContactView, FieldView, GuardView};
use std::collections::BTreeMap;

use crate::app::SharedApp;

/// The site's personal-data policy: a static page with this address.
pub const POLICY_SLUG: &str = "chinh-sach-bao-ve-du-lieu-ca-nhan";
const CHALLENGE_URL: &str = "/lien-he/thu-thach";
const PURPOSE: &str = "Họ tên, thư điện tử và số điện thoại chỉ được dùng để cơ quan trả lời \
     góp ý của bạn; địa chỉ thư điện tử nhận thư xác nhận kèm mã góp ý.";

pub async fn show(ctx: PageContext) -> Result<Response> {
    let view = view(&ctx, &Message::default(), false, BTreeMap::new()).await?;
    render(&ctx, view, StatusCode::OK)
}

/// The widget's challenge: fresh for every form opened, never kept by anyone.
pub async fn challenge(State(app): State<SharedApp>) -> Result<Response> {
    let challenge = app.feedback.guard().challenge()?;
    let body = serde_json::to_vec(&challenge).map_err(|e| Error::Internal(e.to_string()))?;
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

pub async fn send(ctx: PageContext, req: Request) -> Result<Response> {
    let (parts, body) = req.into_parts();
    let (_, ip) = client_ip(&ctx.app, &parts.extensions, &parts.headers);
    let form = <FormData as axum::extract::FromRequest<SharedApp>>::from_request(
        Request::from_parts(parts, body),
        &ctx.app,
    )
    .await?;
    let msg = Message {
        topic_id: form.get("topic").trim().parse().ok(),
        name: form.get("name").to_owned(),
        email: form.get("email").to_owned(),
        phone: form.get("phone").to_owned(),
        address: form.get("address").to_owned(),
        subject: form.get("subject").to_owned(),
        body: form.get("body").to_owned(),
    };
    let consent = form.get("consent") == "1";
    let proof = Proof {
        answer: form.get("altcha"),
        hidden: form.get("website"),
        consent,
        ip: &ip,
    };
    let policy = policy(&ctx).await?;
    let site_name = ctx.site.name.clone();
    let base = crate::admin::mail_base_url(&ctx.app, &ctx.site);
    let venue = Venue {
        site: ctx.site.id,
        site_name: &site_name,
        base_url: base.as_deref(),
        policy_version: policy
            .as_ref()
            .map_or("(chưa có trang chính sách)", |p| p.2.as_str()),
    };
    match ctx.app.feedback.submit(&venue, &msg, &proof).await {
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
            let (status, retry) = match why {
                Refusal::TooMany(s) => (StatusCode::TOO_MANY_REQUESTS, Some(s)),
                _ => (StatusCode::UNPROCESSABLE_ENTITY, None),
            };
            let mut res = render(&ctx, view, status)?;
            if let Some(s) = retry.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
                res.headers_mut().insert(header::RETRY_AFTER, s);
            }
            Ok(res)
        }
        Err(SubmitError::Failed(e)) => Err(e.into()),
    }
}

/// The policy page's address, title and version (its number of saves and date), if the
/// site has one.
async fn policy(ctx: &PageContext) -> Result<Option<(String, String, String)>> {
    match ctx.app.content.page(ctx.site.id, POLICY_SLUG).await {
        Ok(p) => {
            let date = cong_render::date(p.updated_at, &ctx.app.tz);
            Ok(Some((
                cong_render::urls::page(&p.slug),
                p.title,
                format!("{} ({date})", p.version),
            )))
        }
        Err(cong_domain::Error::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
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
    let policy = policy(ctx).await?;
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
            "address" => Some("street-address"),
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
            "noi-dung",
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
        guard_view: GuardView {
            purpose: PURPOSE.to_owned(),
            policy_url: policy.as_ref().map(|p| p.0.clone()),
            policy_title: policy.map_or_else(String::new, |p| p.1),
            consent,
            challenge_url: CHALLENGE_URL.to_owned(),
        },
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

impl From<SubmitError> for Error {
    fn from(e: SubmitError) -> Self {
        match e {
            SubmitError::Failed(e) => e.into(),
            SubmitError::Fields(f) => {
                Error::Unprocessable(f.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))
            }
            SubmitError::Refused(Refusal::TooMany(s)) => Error::TooMany(s),
            SubmitError::Refused(r) => Error::Unprocessable(r.message()),
        }
    }
}
