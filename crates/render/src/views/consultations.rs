//! Lấy ý kiến dự thảo's views: the public list, and the box a consultation's document page
//! shows (dates, state, the form while open, published comments, the count and the report).

use super::Layout;
use super::documents::FileLink;
use super::forms::{FieldView, GuardView};
use super::lists::Pagination;
use serde::Serialize;
use std::collections::BTreeMap;

/// The state's class suffix and its words.
pub fn state_label(state: &str) -> &'static str {
    match state {
        "upcoming" => "Sắp lấy ý kiến",
        "open" => "Đang lấy ý kiến",
        _ => "Đã hết hạn lấy ý kiến",
    }
}

/// A published comment as the page shows it (never the e-mail address).
#[derive(Debug, Clone, Serialize)]
pub struct CommentView {
    pub name: String,
    pub organisation: String,
    pub date: String,
    pub body: String,
}

/// The comment form while the consultation is open.
#[derive(Debug, Clone, Serialize)]
pub struct CommentForm {
    pub action: String,
    pub fields: Vec<FieldView>,
    pub guard_view: GuardView,
    /// Field name → what is wrong with it.
    pub errors: BTreeMap<String, String>,
}

/// The consultation's part of a document page.
#[derive(Debug, Clone, Serialize)]
pub struct ConsultationBox {
    /// "upcoming", "open" or "closed".
    pub state: &'static str,
    pub state_label: &'static str,
    pub opens: String,
    pub closes: String,
    pub opens_iso: String,
    pub closes_iso: String,
    /// Every comment received (shown once closed).
    pub received: i64,
    pub comments: Vec<CommentView>,
    pub report: Vec<FileLink>,
    /// Only while open.
    pub form: Option<CommentForm>,
    /// Why the sent comment was not taken.
    pub refusal: Option<String>,
    /// A comment was just taken.
    pub sent: bool,
    pub list_url: &'static str,
}

/// A line of the public list.
#[derive(Debug, Clone, Serialize)]
pub struct ConsultationLine {
    pub url: String,
    pub number: String,
    pub type_name: String,
    pub summary: String,
    pub opens: String,
    pub closes: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub received: i64,
}

/// `consultations.html`: `/lay-y-kien`.
#[derive(Debug, Clone, Serialize)]
pub struct ConsultationsView {
    pub layout: Layout,
    pub rows: Vec<ConsultationLine>,
    pub total: i64,
    /// (address, words, current) of each filter.
    pub tabs: Vec<(String, &'static str, bool)>,
    pub pagination: Option<Pagination>,
}
