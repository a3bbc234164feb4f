//! The search page: the form as the reader filled it, and a page of results.

use super::Layout;
use super::lists::Pagination;
use crate::format::{date, iso};
use crate::urls;
use cong_domain::content::{Paged, Section};
use cong_domain::search::{Hit, Kind, Results};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

/// The form's fields as the reader sent them (dates as `yyyy-mm-dd`, for `<input type=date>`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchForm {
    pub q: String,
    pub section: String,
    pub from: String,
    pub until: String,
    /// `tat-ca`: every site (offered on the portal), else this site only.
    pub scope: String,
    /// `bai-viet` (articles), `van-ban` (documents), `hoi-dap` (questions), empty for all.
    pub kind: String,
}

/// The values of `loai`: articles only, documents only, questions only.
pub const ARTICLES: &str = "bai-viet";
pub const DOCUMENTS: &str = "van-ban";
pub const QUESTIONS: &str = "hoi-dap";

/// The value of `pham-vi` that searches every site.
pub const ALL_SITES: &str = "tat-ca";

impl SearchForm {
    /// This search's address at page 1, for the page numbers and the canonical link.
    pub fn url(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("q", &self.q);
        for (key, value) in [
            ("chuyen-muc", &self.section),
            ("tu-ngay", &self.from),
            ("den-ngay", &self.until),
            ("pham-vi", &self.scope),
            ("loai", &self.kind),
        ] {
            if !value.is_empty() {
                query.append_pair(key, value);
            }
        }
        format!("{}?{}", urls::SEARCH, query.finish())
    }
}

/// One result: its title and snippet come from the index already escaped, with `<mark>`s.
#[derive(Debug, Clone, Serialize)]
pub struct ResultItem {
    pub url: String,
    pub title_html: String,
    pub snippet_html: String,
    pub date: String,
    pub datetime: String,
    pub section_name: String,
    pub section_url: String,
    /// The article's site, when it is another than this one.
    pub site_name: Option<String>,
    /// What it is when it is not an article: the message id of its label ("Văn bản",
    /// "Hỏi đáp").
    pub kind_message: Option<&'static str>,
    /// The words were found in its attached files only: the snippet is from there.
    pub in_files: bool,
}

/// A site results may come from: its id, name and address.
#[derive(Debug, Clone)]
pub struct ResultSite {
    pub id: i64,
    pub name: String,
    pub address: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    pub layout: Layout,
    pub form: SearchForm,
    /// Every section, for the filter, as (slug, name, selected).
    pub sections: Vec<(String, String, bool)>,
    /// A message for the reader instead of results (a malformed query, a bad date).
    pub error: Option<String>,
    /// Whether a search ran (else the page shows only the form).
    pub searched: bool,
    pub total: usize,
    pub total_text: String,
    /// More matched than were counted: the page says "hơn" before the number.
    pub total_is_lower_bound: bool,
    /// The first result's number on this page ("11" on page 2), for `<ol start>`.
    pub start: usize,
    pub results: Vec<ResultItem>,
    pub pagination: Option<Pagination>,
    /// The index is being rebuilt: results may be incomplete for a moment.
    pub building: bool,
    /// This site may search every site (the portal): the form offers the choice.
    pub offer_all_sites: bool,
    /// Whether this search covers every site.
    pub all_sites: bool,
    #[serde(skip)]
    site_id: i64,
    #[serde(skip)]
    sites: Vec<ResultSite>,
}

impl SearchView {
    pub fn new(layout: Layout, form: SearchForm, sections: &[Section], building: bool) -> Self {
        let sections = sections
            .iter()
            .map(|s| (s.slug.clone(), s.name.clone(), s.slug == form.section))
            .collect();
        SearchView {
            layout,
            form,
            sections,
            error: None,
            searched: false,
            total: 0,
            total_text: String::new(),
            total_is_lower_bound: false,
            start: 1,
            results: Vec::new(),
            pagination: None,
            building,
            offer_all_sites: false,
            all_sites: false,
            site_id: 0,
            sites: Vec::new(),
        }
    }

    /// On the portal: offers the choice of every site, and labels results of other sites
    /// (of `sites`) with their name, linked to their own address. `site_id` is this site.
    pub fn across_sites(mut self, site_id: i64, sites: Vec<ResultSite>) -> Self {
        self.offer_all_sites = true;
        self.all_sites = self.form.scope == ALL_SITES;
        self.site_id = site_id;
        self.sites = sites;
        self
    }

    pub fn failed(mut self, message: String) -> Self {
        self.error = Some(message);
        self
    }

    /// The results; section names and addresses are today's (a section renamed since the
    /// article was indexed shows its new name).
    pub fn with_results(mut self, r: &Results, sections: &[Section], tz: &TimeZone) -> Self {
        let per = r.hits.len().max(1);
        self.searched = true;
        self.total = r.total;
        self.total_text = crate::format::number(i64::try_from(r.total).unwrap_or(i64::MAX));
        self.total_is_lower_bound = r.total_is_lower_bound;
        self.start = (r.page.max(1) as usize - 1) * per + 1;
        self.results = r
            .hits
            .iter()
            .map(|h| {
                let other = (self.site_id != 0 && h.site_id != self.site_id)
                    .then(|| self.sites.iter().find(|s| s.id == h.site_id))
                    .flatten();
                match other {
                    None => item(h, sections, tz),
                    Some(site) => ResultItem {
                        url: format!("{}{}", site.address, path_of(h)),
                        section_url: String::new(),
                        section_name: h.section_name.clone(),
                        site_name: Some(site.name.clone()),
                        ..item(h, &[], tz)
                    },
                }
            })
            .collect();
        if r.pages > 1 {
            let paged = Paged::<()> {
                items: Vec::new(),
                page: r.page,
                pages: r.pages,
                total: i64::try_from(r.total).unwrap_or(i64::MAX),
            };
            self.pagination = Some(Pagination::new(
                &paged,
                &self.form.url(),
                urls::PAGE_PARAM,
                "",
            ));
        }
        self
    }
}

/// A hit's address on its site.
fn path_of(h: &Hit) -> String {
    match h.kind {
        Kind::Document => urls::document(&h.slug),
        Kind::Question => urls::question(&h.slug),
        Kind::Article => urls::article(&h.slug),
    }
}

fn item(h: &Hit, sections: &[Section], tz: &TimeZone) -> ResultItem {
    let t = Timestamp::from_second(h.published_at).unwrap_or(Timestamp::UNIX_EPOCH);
    let section = sections
        .iter()
        .find(|s| h.kind == Kind::Article && s.id == h.section_id);
    ResultItem {
        url: path_of(h),
        kind_message: match h.kind {
            Kind::Article => None,
            Kind::Document => Some("search-result-document"),
            Kind::Question => Some("search-result-question"),
        },
        in_files: h.snippet_in_files,
        title_html: h.title_html.clone(),
        snippet_html: h.snippet_html.clone(),
        date: date(t, tz),
        datetime: iso(t, tz),
        section_name: section.map_or_else(|| h.section_name.clone(), |s| s.name.clone()),
        section_url: match h.kind {
            Kind::Document => urls::DOCUMENTS.to_owned(),
            Kind::Question => urls::QUESTIONS.to_owned(),
            Kind::Article => section.map(|s| urls::section(&s.slug)).unwrap_or_default(),
        },
        site_name: None,
    }
}
