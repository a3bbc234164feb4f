//! What every public form shares: the proof-of-work challenge, the sender's proof read from
//! the form, the policy's address and version, and a refusal's status.

use crate::admin::form::{FormData, Sent, read_multipart};
use crate::admin::session::client_ip;
use crate::app::SharedApp;
use crate::cache::LivePage;
use crate::error::{Error, Result};
use crate::extract::PageContext;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cong_domain::feedback::{Receipt, Venue};
use cong_domain::forms::{Message, Proof, Refusal, SubmitError};
use cong_render::views::forms::{Choice, ContactView, FieldView, FormText, FormWords, GuardView};
use std::collections::BTreeMap;

/// The site's personal-data policy: a static page with this address.
pub const POLICY_SLUG: &str = "chinh-sach-bao-ve-du-lieu-ca-nhan";
/// Where every form's widget fetches its challenge.
pub const CHALLENGE_URL: &str = "/bieu-mau/thu-thach";

/// The widget's challenge: fresh for every form opened, never kept by anyone.
pub async fn challenge(State(app): State<SharedApp>) -> Result<Response> {
    let challenge = app.forms.challenge()?;
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

/// A posted public form: its fields, the file sent with it, and the sender's address.
pub struct Posted {
    pub form: FormData,
    pub ip: String,
    /// The file of the form's file field ([`Posted::read_with_file`]), if one was chosen.
    pub file: Option<Sent>,
    /// A file over the limit was chosen (its name): dropped, the form shown again.
    pub file_too_large: Option<String>,
}

impl Posted {
    pub async fn read(app: &SharedApp, req: Request) -> Result<Posted> {
        let (parts, body) = req.into_parts();
        let (_, ip) = client_ip(app, &parts.extensions, &parts.headers);
        let form = <FormData as axum::extract::FromRequest<SharedApp>>::from_request(
            Request::from_parts(parts, body),
            app,
        )
        .await?;
        Ok(Posted {
            form,
            ip,
            file: None,
            file_too_large: None,
        })
    }

    /// A form that may carry one file in `field` (sent as `multipart/form-data`; a form sent
    /// URL-encoded is read as such, without a file), up to `max` bytes.
    pub async fn read_with_file(
        app: &SharedApp,
        req: Request,
        field: &str,
        max: u64,
    ) -> Result<Posted> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            return Posted::read(app, req).await;
        }
        let (parts, body) = req.into_parts();
        let (_, ip) = client_ip(app, &parts.extensions, &parts.headers);
        let m = <axum::extract::Multipart as axum::extract::FromRequest<()>>::from_request(
            Request::from_parts(parts, body),
            &(),
        )
        .await
        .map_err(|_| Error::BadRequest(app.renderer.catalogue().text("form-unreadable")))?;
        let (form, files, over) = read_multipart(m, &[field], max).await?;
        Ok(Posted {
            form,
            ip,
            file: files.into_iter().next(),
            file_too_large: over,
        })
    }

    /// The guard's part of the form (fields `altcha`, `website`, `consent`).
    pub fn proof(&self) -> Proof<'_> {
        Proof {
            answer: self.form.get("altcha"),
            hidden: self.form.get("website"),
            consent: self.consent(),
            ip: &self.ip,
        }
    }

    pub fn consent(&self) -> bool {
        self.form.get("consent") == "1"
    }
}

/// The site's policy page: its address, title and version (save number and date).
pub struct Policy {
    pub url: String,
    pub title: String,
    pub version: String,
}

impl Policy {
    pub async fn of(ctx: &PageContext) -> Result<Option<Policy>> {
        match ctx.app.content.page(ctx.site.id, POLICY_SLUG).await {
            Ok(p) => Ok(Some(Policy {
                url: cong_render::urls::page(&p.slug),
                version: format!(
                    "{} ({})",
                    p.version,
                    cong_render::date(p.updated_at, &ctx.app.tz)
                ),
                title: p.title,
            })),
            Err(cong_domain::Error::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// What a consent is recorded against when the site has no policy page.
    pub fn version_of(p: Option<&Policy>) -> &str {
        p.map_or("(chưa có trang chính sách)", |p| p.version.as_str())
    }
}

/// What a sending needs of its site, read once: the policy (shown on the form again, and
/// recorded with the consent) and where links in the mails point.
pub struct Sending {
    pub policy: Option<Policy>,
    pub base: Option<String>,
}

impl Sending {
    pub async fn of(ctx: &PageContext) -> Result<Sending> {
        Ok(Sending {
            policy: Policy::of(ctx).await?,
            base: cong_domain::mail::link_base(&ctx.site.address, ctx.app.public_url.as_deref()),
        })
    }

    pub fn venue<'a>(&'a self, ctx: &'a PageContext) -> Venue<'a> {
        Venue {
            site: ctx.site.id,
            site_name: &ctx.site.name,
            base_url: self.base.as_deref(),
            policy_version: Policy::version_of(self.policy.as_ref()),
        }
    }
}

/// The guard's part of a form's view.
pub fn guard_view(purpose: &str, policy: Option<&Policy>, consent: bool) -> GuardView {
    GuardView {
        purpose: purpose.to_owned(),
        policy_url: policy.map(|p| p.url.clone()),
        policy_title: policy.map_or_else(String::new, |p| p.title.clone()),
        consent,
        challenge_url: CHALLENGE_URL.to_owned(),
    }
}

/// A refusal's status, and its Retry-After in seconds for a limit.
pub fn refusal_status(why: Refusal) -> (StatusCode, Option<i64>) {
    match why {
        Refusal::TooMany(s) => (StatusCode::TOO_MANY_REQUESTS, Some(s)),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, None),
    }
}

/// Sets Retry-After on a refusal's page.
pub fn with_retry(mut res: Response, retry: Option<i64>) -> Response {
    if let Some(v) = retry.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
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

/// One kind of message form (Góp ý, a question): what it says and asks. Its texts are
/// message ids of the catalogue, or (a form not yet moved there) the Vietnamese itself.
pub struct FormKind {
    pub text: FormText,
    pub purpose: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub subject_label: &'static str,
    pub body_label: &'static str,
}

/// The form with what was typed, its faults, and its topics (the one chosen selected).
pub async fn form_view(
    ctx: &PageContext,
    policy: Option<&Policy>,
    kind: &FormKind,
    topics: Vec<(i64, String)>,
    msg: &Message,
    consent: bool,
    errors: BTreeMap<String, String>,
) -> Result<ContactView> {
    let catalogue = ctx.app.renderer.catalogue();
    let say = |key: &str| catalogue.text(key);
    let layout = ctx
        .layout(None, None)
        .await?
        .titled(&say(kind.title), &say(kind.description));
    let topics = topics
        .into_iter()
        .map(|(id, name)| Choice {
            selected: msg.topic_id == Some(id),
            id,
            name,
        })
        .collect();
    let field = |id, name: &'static str, label: &str, kind, value: &str, max, required| FieldView {
        id,
        name,
        label: say(label),
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
        field("ho-ten", "name", "form-name", "text", &msg.name, 200, true),
        field(
            "thu-dien-tu",
            "email",
            "form-email",
            "email",
            &msg.email,
            254,
            true,
        ),
        field(
            "dien-thoai",
            "phone",
            "form-phone",
            "tel",
            &msg.phone,
            30,
            false,
        ),
        field(
            "dia-chi",
            "address",
            "form-address",
            "text",
            &msg.address,
            300,
            false,
        ),
        field(
            "tieu-de",
            "subject",
            kind.subject_label,
            "text",
            &msg.subject,
            300,
            true,
        ),
        field(
            "noi-dung-gui",
            "body",
            kind.body_label,
            "text",
            &msg.body,
            10_000,
            true,
        ),
    ];
    Ok(ContactView {
        layout,
        text: FormWords::new(&kind.text, say),
        topics,
        fields,
        guard_view: guard_view(&say(kind.purpose), policy, consent),
        errors,
        refusal: None,
        sent: None,
        mail_sent: false,
    })
}

/// Counted like any page, never kept: what it shows depends on what was sent.
pub fn render_form(ctx: &PageContext, view: ContactView, status: StatusCode) -> Result<Response> {
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

/// The answer to a sending: the receipt, or the form again with what was typed and why.
pub async fn respond(
    ctx: &PageContext,
    policy: Option<&Policy>,
    kind: &FormKind,
    topics: Vec<(i64, String)>,
    posted: &Posted,
    msg: &Message,
    result: std::result::Result<Receipt, SubmitError>,
) -> Result<Response> {
    let consent = posted.consent();
    match result {
        Ok(receipt) => {
            let mut view = form_view(
                ctx,
                policy,
                kind,
                topics,
                &Message::default(),
                false,
                BTreeMap::new(),
            )
            .await?;
            if let Some(url) = &mut view.text.track_url {
                url.push_str(&receipt.code);
            }
            view.sent = Some(receipt.code);
            view.mail_sent = ctx.app.mailer.enabled();
            render_form(ctx, view, StatusCode::OK)
        }
        Err(SubmitError::Fields(faults)) => {
            let errors = faults.into_iter().collect();
            let view = form_view(ctx, policy, kind, topics, msg, consent, errors).await?;
            render_form(ctx, view, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(SubmitError::Refused(why)) => {
            let mut errors = BTreeMap::new();
            if why == Refusal::NoConsent {
                errors.insert("consent".to_owned(), why.message());
            }
            let mut view = form_view(ctx, policy, kind, topics, msg, consent, errors).await?;
            view.refusal = Some(why.message());
            let (status, retry) = refusal_status(why);
            Ok(with_retry(render_form(ctx, view, status)?, retry))
        }
        Err(SubmitError::Failed(e)) => Err(e.into()),
    }
}

impl Posted {
    /// The message fields every message form has.
    pub fn message(&self) -> Message {
        let f = &self.form;
        Message {
            topic_id: f.get("topic").trim().parse().ok(),
            name: f.get("name").to_owned(),
            email: f.get("email").to_owned(),
            phone: f.get("phone").to_owned(),
            address: f.get("address").to_owned(),
            subject: f.get("subject").to_owned(),
            body: f.get("body").to_owned(),
        }
    }
}
