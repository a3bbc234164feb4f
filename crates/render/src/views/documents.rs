//! The documents library's views: the filtered list (`documents.html`) and one document
//! (`document.html`), with its files and its related documents.

use super::{Layout, Pagination};
use crate::format::number;
use crate::urls;
use cong_domain::content::Paged;
use cong_domain::documents::{
    Detail, DocumentRow, Effect, FileRow, Lists, Relation, TermRow, effect_label, parse_day,
    relation_label,
};
use cong_domain::files::TextState;
use serde::Serialize;

/// The list's query parameters.
pub const TYPE_PARAM: &str = "loai";
pub const ISSUER_PARAM: &str = "co-quan";
pub const FIELD_PARAM: &str = "linh-vuc";
pub const YEAR_PARAM: &str = "nam";
pub const EFFECT_PARAM: &str = "hieu-luc";
pub const TEXT_PARAM: &str = "q";

/// What the filter form holds, as the reader sent it (slugs, a year, words).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LibraryForm {
    pub q: String,
    pub type_slug: String,
    pub issuer_slug: String,
    pub field_slug: String,
    pub year: String,
    pub effect: String,
}

impl LibraryForm {
    /// The list's address with these filters (and no page number).
    pub fn url(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            (TYPE_PARAM, &self.type_slug),
            (ISSUER_PARAM, &self.issuer_slug),
            (FIELD_PARAM, &self.field_slug),
            (YEAR_PARAM, &self.year),
            (EFFECT_PARAM, &self.effect),
            (TEXT_PARAM, &self.q),
        ] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        let q = q.finish();
        if q.is_empty() {
            urls::DOCUMENTS.to_owned()
        } else {
            format!("{}?{q}", urls::DOCUMENTS)
        }
    }

    /// True when anything narrows the list.
    pub fn filtered(&self) -> bool {
        *self != LibraryForm::default()
    }
}

/// The slug a status of effect has in the list's address.
pub fn effect_slug(e: Effect) -> &'static str {
    match e {
        Effect::NotYet => "chua-co-hieu-luc",
        Effect::InForce => "con-hieu-luc",
        Effect::PartlyExpired => "het-hieu-luc-mot-phan",
        Effect::Expired => "het-hieu-luc",
    }
}

/// The status of effect a slug names.
pub fn effect_of_slug(s: &str) -> Option<Effect> {
    Effect::ALL.into_iter().find(|e| effect_slug(*e) == s)
}

/// One option of a filter.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices(terms: &[TermRow], selected: &str) -> Vec<Choice> {
    terms
        .iter()
        .map(|t| Choice {
            value: t.slug.clone(),
            label: t.name.clone(),
            selected: t.slug == selected,
        })
        .collect()
}

/// 'YYYY-MM-DD' as readers write it: "15/03/2024" ("15 March 2024" on English pages).
pub fn day(d: &str) -> String {
    parse_day(d).map_or_else(String::new, shown_day)
}

/// A day as the page's language writes it: "15/03/2024", "15 March 2024".
pub fn shown_day(d: jiff::civil::Date) -> String {
    let pattern = match crate::i18n::current() {
        cong_domain::navigation::Lang::Vi => "%d/%m/%Y",
        cong_domain::navigation::Lang::En => "%-d %B %Y",
    };
    d.strftime(pattern).to_string()
}

/// A document's line in a list.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentLine {
    pub id: i64,
    pub number: String,
    pub url: String,
    pub issued: String,
    pub issued_iso: String,
    pub summary: String,
    pub type_name: String,
    pub issuer_name: String,
    pub effect: &'static str,
    /// The status of effect's slug: the template's message is `effect-{slug}`.
    pub effect_key: &'static str,
    /// For the label's colour: "not_yet", "in_force" …
    pub effect_class: &'static str,
    pub status: &'static str,
    /// The workflow state as the back office says it.
    pub status_label: &'static str,
}

/// A workflow state in the back office's words.
pub fn status_label(s: cong_domain::documents::Status) -> &'static str {
    use cong_domain::documents::Status;
    match s {
        Status::Draft => "Bản nháp",
        Status::Pending => "Chờ duyệt",
        Status::Published => "Đã đăng",
        Status::Unpublished => "Đã gỡ",
    }
}

impl DocumentLine {
    pub fn new(d: &DocumentRow) -> Self {
        DocumentLine {
            id: d.id,
            number: d.number.clone(),
            url: urls::document(&d.slug),
            issued: day(&d.issued_on),
            issued_iso: d.issued_on.clone(),
            summary: d.summary.clone(),
            type_name: d.type_name.clone(),
            issuer_name: d.issuer_name.clone(),
            effect: effect_label(d.effect),
            effect_key: effect_slug(d.effect),
            effect_class: d.effect.as_str(),
            status: d.status.as_str(),
            status_label: status_label(d.status),
        }
    }
}

/// `documents.html`
#[derive(Debug, Clone, Serialize)]
pub struct DocumentsView {
    pub layout: Layout,
    pub form: LibraryForm,
    pub types: Vec<Choice>,
    pub issuers: Vec<Choice>,
    pub fields: Vec<Choice>,
    pub years: Vec<Choice>,
    pub effects: Vec<Choice>,
    pub rows: Vec<DocumentLine>,
    pub total: i64,
    pub total_text: String,
    pub pagination: Option<Pagination>,
    pub filtered: bool,
    /// What is wrong with the filters (a 400), in a sentence.
    pub error: Option<String>,
    pub clear_url: &'static str,
}

impl DocumentsView {
    pub fn new(
        layout: Layout,
        form: LibraryForm,
        lists: &Lists,
        years: &[i32],
        paged: Option<&Paged<DocumentRow>>,
        error: Option<String>,
    ) -> Self {
        let base = form.url();
        DocumentsView {
            layout,
            types: choices(&lists.types, &form.type_slug),
            issuers: choices(&lists.issuers, &form.issuer_slug),
            fields: choices(&lists.fields, &form.field_slug),
            years: years
                .iter()
                .map(|y| Choice {
                    value: y.to_string(),
                    label: y.to_string(),
                    selected: y.to_string() == form.year,
                })
                .collect(),
            effects: Effect::ALL
                .into_iter()
                .map(|e| Choice {
                    value: effect_slug(e).to_owned(),
                    label: effect_label(e).to_owned(),
                    selected: effect_slug(e) == form.effect,
                })
                .collect(),
            rows: paged.map_or_else(Vec::new, |p| {
                p.items.iter().map(DocumentLine::new).collect()
            }),
            total: paged.map_or(0, |p| p.total),
            total_text: number(paged.map_or(0, |p| p.total)),
            pagination: paged
                .filter(|p| p.pages > 1)
                .map(|p| Pagination::new(p, &base, urls::PAGE_PARAM, "danh-sach")),
            filtered: form.filtered(),
            form,
            error,
            clear_url: urls::DOCUMENTS,
        }
    }
}

/// An attached file as a list under a document, article or page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FileLink {
    pub name: String,
    pub url: String,
    /// For PDFs: the address that opens it in the browser.
    pub view_url: Option<String>,
    pub kind: String,
    pub size: String,
    /// The search could not read it (a scan): said beside it.
    pub no_text: bool,
}

impl FileLink {
    pub fn new(f: &FileRow) -> Self {
        let url = urls::file(f.id, &f.name);
        FileLink {
            name: f.name.clone(),
            view_url: (f.kind == "pdf").then(|| format!("{url}?xem=1")),
            url,
            kind: f.kind.to_uppercase(),
            size: cong_files::file_size(u64::try_from(f.bytes).unwrap_or(0)),
            no_text: f.text_state != TextState::Found,
        }
    }

    pub fn list(files: &[FileRow]) -> Vec<FileLink> {
        files.iter().map(FileLink::new).collect()
    }
}

/// The catalogue's name (`relation-…`) for how a related document relates.
pub fn relation_key(r: Relation, outgoing: bool) -> &'static str {
    match (r, outgoing) {
        (Relation::Replaces, true) => "replaces",
        (Relation::Replaces, false) => "replaced-by",
        (Relation::PartlyReplaces, true) => "partly-replaces",
        (Relation::PartlyReplaces, false) => "partly-replaced-by",
        (Relation::Amends, true) => "amends",
        (Relation::Amends, false) => "amended-by",
        (Relation::Repeals, true) => "repeals",
        (Relation::Repeals, false) => "repealed-by",
        (Relation::Guides, true) => "guides",
        (Relation::Guides, false) => "guided-by",
    }
}

/// A related document, with how it relates.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedLine {
    pub label: &'static str,
    /// How it relates as the template's message `relation-{key}` says it.
    pub key: &'static str,
    pub number: String,
    pub summary: String,
    pub url: String,
}

/// `document.html`
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub layout: Layout,
    pub doc: DocumentLine,
    pub signer: String,
    pub effective: String,
    pub expires: String,
    pub fields: Vec<String>,
    pub body_html: String,
    pub files: Vec<FileLink>,
    pub related: Vec<RelatedLine>,
    pub library_url: &'static str,
    /// The document is a draft out for comment (Lấy ý kiến dự thảo).
    pub consultation: Option<super::consultations::ConsultationBox>,
}

impl DocumentView {
    pub fn new(layout: Layout, d: &Detail) -> Self {
        DocumentView {
            layout,
            doc: DocumentLine::new(&d.doc),
            signer: d.doc.signer.clone(),
            effective: d.doc.effective_on.as_deref().map(day).unwrap_or_default(),
            expires: d.doc.expires_on.as_deref().map(day).unwrap_or_default(),
            fields: d.fields.iter().map(|f| f.name.clone()).collect(),
            body_html: d.doc.body_html.clone(),
            files: FileLink::list(&d.files),
            related: d
                .related
                .iter()
                .map(|r| RelatedLine {
                    label: relation_label(r.relation, r.outgoing),
                    key: relation_key(r.relation, r.outgoing),
                    number: r.number.clone(),
                    summary: r.summary.clone(),
                    url: urls::document(&r.slug),
                })
                .collect(),
            library_url: urls::DOCUMENTS,
            consultation: None,
        }
    }
}
