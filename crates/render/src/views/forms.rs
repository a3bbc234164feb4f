//! The public forms' views: each field with what was typed and what is wrong with it, and
//! the guard's part (purpose, policy, consent, proof of work).

use super::Layout;
use serde::Serialize;
use std::collections::BTreeMap;

/// The end of every public form: `partials/forms.html`'s `guard`.
#[derive(Debug, Clone, Serialize)]
pub struct GuardView {
    /// Why the personal data is asked for (Decree 13/2023: a stated purpose).
    pub purpose: String,
    pub policy_url: Option<String>,
    pub policy_title: String,
    /// The box was ticked (kept when the form comes back).
    pub consent: bool,
    /// Where the widget fetches its challenge.
    pub challenge_url: String,
}

/// One input of a public form.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    pub id: &'static str,
    pub name: &'static str,
    pub label: String,
    /// The input's type ("text", "email", "tel").
    pub kind: &'static str,
    pub value: String,
    pub max: usize,
    pub required: bool,
    pub multiline: bool,
    pub autocomplete: Option<&'static str>,
    pub error: Option<String>,
}

/// A choice of a select.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

/// What a public form says: where it posts, its heading, lead, button and receipt. Each
/// text is a message id of the catalogue, or (a form not yet moved to the catalogue) the
/// Vietnamese text itself; [`FormWords::new`] reads them in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct FormText {
    pub action: &'static str,
    pub heading: &'static str,
    pub lead: &'static str,
    pub submit: &'static str,
    /// "Cơ quan đã nhận góp ý", "Cơ quan đã nhận câu hỏi" (the code follows).
    pub received: &'static str,
    /// A link to follow the item by its code, if there is such a page.
    pub track_url: Option<String>,
    /// The form takes an optional file: the hint under its field (kinds and size).
    pub attachment: Option<String>,
}

/// A [`FormText`] in the page's language, as `contact.html` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FormWords {
    pub action: &'static str,
    pub heading: String,
    pub lead: String,
    pub submit: String,
    pub received: String,
    pub track_url: Option<String>,
    pub attachment: Option<String>,
}

impl FormWords {
    /// `say` turns a message id into its text (and leaves any other text as it is).
    pub fn new(text: &FormText, say: impl Fn(&str) -> String) -> FormWords {
        FormWords {
            action: text.action,
            heading: say(text.heading),
            lead: say(text.lead),
            submit: say(text.submit),
            received: say(text.received),
            track_url: text.track_url.clone(),
            attachment: text.attachment.clone(),
        }
    }
}

/// `contact.html`: a public form (Góp ý / Liên hệ, Hỏi đáp), or the receipt once sent.
#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub layout: Layout,
    pub text: FormWords,
    pub topics: Vec<Choice>,
    pub fields: Vec<FieldView>,
    pub guard_view: GuardView,
    /// Field name → what is wrong with it.
    pub errors: BTreeMap<String, String>,
    /// Why the whole form was refused (spam checks, limits).
    pub refusal: Option<String>,
    /// The code of the message just stored.
    pub sent: Option<String>,
    /// A receipt was mailed to the sender.
    pub mail_sent: bool,
}
