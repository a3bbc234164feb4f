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
use cong_domain::forms::{Fault, Message, Proof, Refusal, SubmitError};
use cong_domain::navigation::Lang;
use cong_render::i18n::{Arg, Catalogue, current};
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
            let errors = faults_by_field(ctx.app.renderer.catalogue(), faults);
            let view = form_view(ctx, policy, kind, topics, msg, consent, errors).await?;
            render_form(ctx, view, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(SubmitError::Refused(why)) => {
            let mut errors = BTreeMap::new();
            let said = refusal_words(ctx.app.renderer.catalogue(), why);
            if why == Refusal::NoConsent {
                errors.insert("consent".to_owned(), said.clone());
            }
            let mut view = form_view(ctx, policy, kind, topics, msg, consent, errors).await?;
            view.refusal = Some(said);
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

/// A field's fault in the page's language.
pub fn fault_words(words: &Catalogue, fault: &Fault) -> String {
    let size = |bytes: u64| {
        if current() == Lang::En {
            cong_files::file_size_en(bytes)
        } else {
            cong_files::file_size(bytes)
        }
    };
    match fault {
        Fault::Said(said) => said.clone(),
        Fault::File(refusal) => {
            let mut args = vec![("said", Arg::from(refusal.to_string()))];
            if let Some((bytes, max)) = refusal.sizes() {
                args.push(("size", Arg::from(size(bytes))));
                args.push(("max", Arg::from(size(max))));
            }
            let why = words.say(&format!("form-file-{}", refusal.code()), &args);
            format!("{why} {}", words.text("form-fault-file-again"))
        }
        Fault::FileTooLarge { name, max } => words.say(
            "form-fault-file-too-large",
            &[
                ("name", Arg::from(name.as_str())),
                ("max", Arg::from(size(*max))),
            ],
        ),
        other => words.text(&format!("form-fault-{}", other.code())),
    }
}

/// The faults by field, worded for the form shown again.
pub fn faults_by_field(
    words: &Catalogue,
    faults: Vec<(String, Fault)>,
) -> BTreeMap<String, String> {
    faults
        .into_iter()
        .map(|(field, why)| {
            let said = fault_words(words, &why);
            (field, said)
        })
        .collect()
}

/// The guard's refusal in the page's language.
pub fn refusal_words(words: &Catalogue, why: Refusal) -> String {
    let args: Vec<(&str, Arg)> = why
        .wait()
        .map(|(name, n)| vec![(name, Arg::from(n))])
        .unwrap_or_default();
    words.say(&format!("form-refusal-{}", why.code()), &args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cong_render::i18n::sync_scope;

    #[test]
    fn every_fault_and_refusal_has_words_in_every_language() {
        let renderer = cong_render::Renderer::new(None).expect("theme loads");
        let words = renderer.catalogue();
        let refusals = [
            Refusal::NoConsent,
            Refusal::HiddenField,
            Refusal::NoProof,
            Refusal::WrongProof,
            Refusal::ExpiredProof,
            Refusal::SpentProof,
            Refusal::TooFast(3),
            Refusal::TooMany(90),
        ];
        let files = [
            cong_files::Refusal::Empty,
            cong_files::Refusal::Executable("PE".to_owned()),
            cong_files::Refusal::Markup("HTML".to_owned()),
            cong_files::Refusal::MacroEnabled {
                kind: cong_files::Kind::Docx,
                detail: String::new(),
            },
            cong_files::Refusal::ZipBomb(String::new()),
            cong_files::Refusal::TooLarge {
                kind: cong_files::Kind::Pdf,
                bytes: 64_172_851,
                max: 50 << 20,
            },
            cong_files::Refusal::Corrupt(String::new()),
            cong_files::Refusal::Protected(String::new()),
            cong_files::Refusal::Image("PNG".to_owned()),
            cong_files::Refusal::Unsupported("RAR".to_owned()),
        ];
        let mut faults = vec![
            Fault::Name,
            Fault::Email,
            Fault::EmailInvalid,
            Fault::Phone,
            Fault::Address,
            Fault::Subject,
            Fault::Body,
            Fault::Topic,
            Fault::TopicGone,
            Fault::Organisation,
            Fault::Comment,
            Fault::FileTooLarge {
                name: "scan.pdf".to_owned(),
                max: 10 << 20,
            },
        ];
        faults.extend(files.iter().cloned().map(Fault::File));
        for lang in Lang::ALL {
            sync_scope(lang, || {
                for r in refusals {
                    let said = refusal_words(words, r);
                    assert!(!said.starts_with("form-"), "{lang:?} {r:?}: {said}");
                    assert!(!said.contains('{'), "{said}");
                }
                for f in &faults {
                    let said = fault_words(words, f);
                    assert!(!said.contains("form-"), "{lang:?} {f:?}: {said}");
                    assert!(!said.contains('{'), "{said}");
                }
            });
        }
        let vi = |f: &Fault| sync_scope(Lang::Vi, || fault_words(words, f));
        let en = |f: &Fault| sync_scope(Lang::En, || fault_words(words, f));
        // In Vietnamese a file refusal is the file rules' own sentence; in English, its
        // words with the sizes written the English way.
        let too_large = Fault::File(files[5].clone());
        assert!(vi(&too_large).starts_with("Tệp PDF quá lớn: 61,2 MB; tối đa 50 MB."));
        assert!(vi(&too_large).ends_with("Hãy chọn lại tệp (hoặc gửi không kèm tệp)."));
        assert!(en(&too_large).starts_with("The file is too large: 61.2 MB; at most 50 MB."));
        assert_eq!(
            sync_scope(Lang::En, || refusal_words(words, Refusal::TooMany(90))),
            "Your network address has sent many forms in the past hour. Send again in about 2 minutes."
        );
        assert_eq!(
            sync_scope(Lang::Vi, || refusal_words(words, Refusal::TooFast(3))),
            "Biểu mẫu được gửi quá nhanh sau khi mở. Hãy kiểm tra lại nội dung và gửi lại sau 3 giây."
        );
        assert_eq!(
            vi(&Fault::Said("Thiếu.".to_owned())),
            "Thiếu.",
            "another check's words stay"
        );
    }
}
