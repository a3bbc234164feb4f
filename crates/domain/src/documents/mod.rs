//! The legal documents library (văn bản): what a document is, its lists (types, issuers,
//! fields), its status of effect on a given day, and the public and back-office lists with
//! their filters. Writes are in [`write`]; the rules for dates and relations in [`rules`].

mod bulk;
mod lists;
mod rules;
#[cfg(test)]
mod tests;
mod write;

pub use bulk::{ImportReport, Source};
pub use cong_store::documents::{
    DocumentRow, Effect, RelatedRow, Relation, RevisionRow, TermRow, Vocabulary,
};
pub use cong_store::editorial::Status;
pub use cong_store::files::FileRow;
pub use rules::{effect_label, parse_day, relation_label};
pub use write::{DocumentDraft, Saved};

use crate::content::{Paged, offset_of, page_count};
use crate::{Clock, Error, Result};
use cong_store::documents::Filter;
use cong_store::files::Owner;
use cong_store::{SiteId, Store};
use jiff::tz::TimeZone;
use std::sync::Arc;

/// Documents a page of the public and back-office lists shows.
pub const PER_PAGE: u32 = 20;

/// What a reader or an editor asks the list for; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub type_id: Option<i64>,
    pub issuer_id: Option<i64>,
    pub field_id: Option<i64>,
    pub year: Option<i32>,
    pub effect: Option<Effect>,
    /// Words typed in the search box.
    pub text: String,
    /// The back office only: a workflow state (the public list shows published ones).
    pub status: Option<Status>,
}

/// One document in full, as its page shows it.
#[derive(Debug, Clone)]
pub struct Detail {
    pub doc: DocumentRow,
    pub fields: Vec<TermRow>,
    pub files: Vec<FileRow>,
    /// Both ways; for the public page only published ones.
    pub related: Vec<RelatedRow>,
}

/// The three lists a document is classed by.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub types: Vec<TermRow>,
    pub issuers: Vec<TermRow>,
    pub fields: Vec<TermRow>,
}

#[derive(Clone)]
pub struct Documents {
    store: Store,
    clock: Arc<dyn Clock>,
    tz: TimeZone,
}

impl std::fmt::Debug for Documents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documents").finish_non_exhaustive()
    }
}

/// The words of a search box, folded, each to be found whole.
fn words_of(text: &str) -> Vec<String> {
    crate::text::fold_words(text)
        .split('-')
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("-{w}-"))
        .collect()
}

impl Documents {
    pub fn new(store: Store, clock: Arc<dyn Clock>, tz: TimeZone) -> Self {
        Documents { store, clock, tz }
    }

    /// Today in the site's calendar, as the store compares days ('YYYY-MM-DD').
    pub fn today(&self) -> String {
        self.tz.to_datetime(self.clock.now()).date().to_string()
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    fn filter(q: &Query, public: bool) -> Filter {
        Filter {
            status: if public {
                Some(Status::Published)
            } else {
                q.status
            },
            type_id: q.type_id,
            issuer_id: q.issuer_id,
            field_id: q.field_id,
            year: q.year,
            effect: q.effect,
            words: words_of(&q.text),
            ids: None,
            trashed: false,
        }
    }

    /// A page of the list, newest first: published documents for the public, any for the back
    /// office (`public` false). A page past the end is `NotFound`.
    pub async fn list(
        &self,
        site: SiteId,
        q: &Query,
        page: u32,
        public: bool,
    ) -> Result<Paged<DocumentRow>> {
        let f = Self::filter(q, public);
        let today = self.today();
        let docs = self.store.documents(site);
        let total = docs.count(&f, &today).await?;
        let offset = offset_of(page, total, PER_PAGE)?;
        let items = docs.list(&f, &today, i64::from(PER_PAGE), offset).await?;
        Ok(Paged {
            items,
            page,
            pages: page_count(total, PER_PAGE),
            total,
        })
    }

    /// A published document by its slug, in full.
    pub async fn published(&self, site: SiteId, slug: &str) -> Result<Detail> {
        let doc = self
            .store
            .documents(site)
            .find_by_slug(slug, &self.today())
            .await?
            .filter(|d| d.status == Status::Published)
            .ok_or(Error::NotFound)?;
        self.detail(site, doc, true).await
    }

    /// Any document of the site by id, in full (the back office).
    pub async fn by_id(&self, site: SiteId, id: i64) -> Result<Detail> {
        let doc = self
            .store
            .documents(site)
            .find_by_id(id, &self.today())
            .await?
            .ok_or(Error::NotFound)?;
        self.detail(site, doc, false).await
    }

    async fn detail(&self, site: SiteId, doc: DocumentRow, public: bool) -> Result<Detail> {
        let docs = self.store.documents(site);
        let fields = docs
            .fields_of(&[doc.id])
            .await?
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        let related = docs
            .relations_of(doc.id)
            .await?
            .into_iter()
            .filter(|r| !public || r.status == Status::Published)
            .collect();
        let files = self
            .store
            .files(site)
            .attached(Owner::Document, doc.id)
            .await?;
        Ok(Detail {
            doc,
            fields,
            files,
            related,
        })
    }

    /// The site's types, issuers and fields, in their order.
    pub async fn lists(&self, site: SiteId) -> Result<Lists> {
        let docs = self.store.documents(site);
        Ok(Lists {
            types: docs.terms(Vocabulary::Type).await?,
            issuers: docs.terms(Vocabulary::Issuer).await?,
            fields: docs.terms(Vocabulary::Field).await?,
        })
    }

    /// True when the site has a published document (the menu shows the library then).
    pub async fn any_published(&self, site: SiteId) -> Result<bool> {
        Ok(self.store.documents(site).any_published().await?)
    }

    /// The years documents were issued in, newest first.
    pub async fn years(&self, site: SiteId) -> Result<Vec<i32>> {
        Ok(self.store.documents(site).years().await?)
    }

    /// The newest published documents (the feeds).
    pub async fn recent(&self, site: SiteId, limit: i64) -> Result<Vec<DocumentRow>> {
        Ok(self
            .store
            .documents(site)
            .list_published_recent(&self.today(), limit)
            .await?)
    }

    /// How many documents are published (to split the sitemap without reading them all).
    pub async fn count_published(&self, site: SiteId) -> Result<i64> {
        Ok(self.store.documents(site).count_published().await?)
    }

    /// Every published document's slug and last change (the sitemap).
    pub async fn sitemap(&self, site: SiteId) -> Result<Vec<(String, i64)>> {
        Ok(self.store.documents(site).list_published_slugs().await?)
    }

    /// Documents whose number or abstract has the words typed (the relation picker).
    pub async fn pick(&self, site: SiteId, text: &str) -> Result<Vec<(i64, String, String)>> {
        let words = words_of(text);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.store.documents(site).pick(&words, 20).await?)
    }

    /// The site's document with this number, compared folded ("544/qđ-skhcn" finds
    /// "544/QĐ-SKHCN"); the newest when two share it.
    pub async fn by_number(&self, site: SiteId, number: &str) -> Result<Option<i64>> {
        let key = crate::text::fold_words(number);
        if key.is_empty() {
            return Ok(None);
        }
        let candidates = self
            .store
            .documents(site)
            .pick(&words_of(number), 50)
            .await?;
        Ok(candidates
            .into_iter()
            .find(|(_, n, _)| crate::text::fold_words(n) == key)
            .map(|(id, ..)| id))
    }

    pub async fn revisions(&self, site: SiteId, id: i64) -> Result<Vec<RevisionRow>> {
        Ok(self.store.documents(site).list_revisions(id).await?)
    }
}
