//! The legal documents library (văn bản): documents, the lists they are classed by, their
//! relations and revisions. A document's status of effect is computed here, in SQL, for the
//! day the caller names, so the list can be filtered and paged by it. Reading in [`read`]
//! (queries built by [`sql`]), writing in [`write`], the lists in [`terms`], the search
//! index's rows in [`index`].

mod index;
mod read;
mod sql;
mod terms;
mod write;

pub use index::DocumentIndexRow;

use crate::editorial::Status;
use crate::sites::SiteId;
use crate::{Result, Store};
use sqlx::Row;
use sqlx::any::AnyRow;

/// The lists a site's administrator edits: types of document, issuing bodies, fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vocabulary {
    Type,
    Issuer,
    Field,
}

impl Vocabulary {
    pub const ALL: [Vocabulary; 3] = [Vocabulary::Type, Vocabulary::Issuer, Vocabulary::Field];

    pub fn as_str(self) -> &'static str {
        match self {
            Vocabulary::Type => "type",
            Vocabulary::Issuer => "issuer",
            Vocabulary::Field => "field",
        }
    }

    pub fn parse(name: &str) -> Option<Vocabulary> {
        Vocabulary::ALL.into_iter().find(|v| v.as_str() == name)
    }
}

/// Whether a document is in force on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Its date of effect has not come (chưa có hiệu lực).
    NotYet,
    /// Còn hiệu lực.
    InForce,
    /// Partly replaced or amended by a document in force (hết hiệu lực một phần).
    PartlyExpired,
    /// Past its expiry date, or replaced or repealed by a document in force (hết hiệu lực).
    Expired,
}

impl Effect {
    pub const ALL: [Effect; 4] = [
        Effect::NotYet,
        Effect::InForce,
        Effect::PartlyExpired,
        Effect::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Effect::NotYet => "not_yet",
            Effect::InForce => "in_force",
            Effect::PartlyExpired => "partly_expired",
            Effect::Expired => "expired",
        }
    }

    pub fn parse(name: &str) -> Option<Effect> {
        Effect::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

/// How one document bears on another ("from replaces to").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Replaces,
    PartlyReplaces,
    Amends,
    Repeals,
    Guides,
}

impl Relation {
    pub const ALL: [Relation; 5] = [
        Relation::Replaces,
        Relation::PartlyReplaces,
        Relation::Amends,
        Relation::Repeals,
        Relation::Guides,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Replaces => "replaces",
            Relation::PartlyReplaces => "partly_replaces",
            Relation::Amends => "amends",
            Relation::Repeals => "repeals",
            Relation::Guides => "guides",
        }
    }

    pub fn parse(name: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// A document's status of effect on the day put in for `$D` ([`Sql::effect`]), for a row aliased `d`. A
/// relation counts once the document it comes from is published and in effect itself.
const EFFECT: &str = "CASE \
     WHEN d.effective_on IS NOT NULL AND d.effective_on > $D THEN 'not_yet' \
     WHEN (d.expires_on IS NOT NULL AND d.expires_on <= $D) OR EXISTS (SELECT 1 FROM document_relations r \
       JOIN documents n ON n.id = r.from_id WHERE r.to_id = d.id AND r.kind IN ('replaces', 'repeals') \
       AND n.status = 'published' AND COALESCE(n.effective_on, n.issued_on) <= $D) THEN 'expired' \
     WHEN EXISTS (SELECT 1 FROM document_relations r JOIN documents n ON n.id = r.from_id \
       WHERE r.to_id = d.id AND r.kind IN ('partly_replaces', 'amends') \
       AND n.status = 'published' AND COALESCE(n.effective_on, n.issued_on) <= $D) THEN 'partly_expired' \
     ELSE 'in_force' END";

/// One of a site's list entries, with how many documents use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermRow {
    pub id: i64,
    pub vocabulary: Vocabulary,
    pub name: String,
    pub slug: String,
    pub position: i64,
    pub uses: i64,
}

/// A document with its type's and issuer's names and its status of effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: i64,
    pub slug: String,
    pub number: String,
    pub type_id: i64,
    pub type_name: String,
    pub issuer_id: i64,
    pub issuer_name: String,
    pub signer: String,
    pub summary: String,
    pub body_html: String,
    /// 'YYYY-MM-DD' in the site's calendar.
    pub issued_on: String,
    pub effective_on: Option<String>,
    pub expires_on: Option<String>,
    pub status: Status,
    pub published_at: i64,
    pub effect: Effect,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What a permission check reads of a document: its number, its author and where it stands
/// in the workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentStanding {
    pub number: String,
    pub created_by: Option<i64>,
    pub status: Status,
}

/// What a save writes (the status changes only through the workflow).
#[derive(Debug, Clone)]
pub struct DocumentFields<'a> {
    pub slug: &'a str,
    pub number: &'a str,
    pub type_id: i64,
    pub issuer_id: i64,
    pub signer: &'a str,
    pub summary: &'a str,
    pub body_html: &'a str,
    pub issued_on: &'a str,
    pub effective_on: Option<&'a str>,
    pub expires_on: Option<&'a str>,
    /// Number, abstract, type and issuer folded for the back office's search.
    pub search_key: &'a str,
}

/// Which documents a list shows; every filter is optional and they combine.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<Status>,
    pub type_id: Option<i64>,
    pub issuer_id: Option<i64>,
    pub field_id: Option<i64>,
    pub year: Option<i32>,
    pub effect: Option<Effect>,
    /// Folded words, each of which the search key must contain.
    pub words: Vec<String>,
    /// Only these documents (the search index's answer), when given.
    pub ids: Option<Vec<i64>>,
    /// The trash instead of the rest.
    pub trashed: bool,
}

/// Another document named by a relation, as a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedRow {
    pub relation: Relation,
    /// True: this document bears on the other ("replaces"); false: the other on this one.
    pub outgoing: bool,
    pub id: i64,
    pub slug: String,
    pub number: String,
    pub summary: String,
    pub status: Status,
}

/// A saved state of a document, as JSON the domain writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionRow {
    pub id: i64,
    pub document_id: i64,
    pub created_at: i64,
    pub username: String,
    pub snapshot: String,
    pub note: String,
}

const COLUMNS: &str = "d.id, d.slug, d.number, d.type_id, t.name AS type_name, d.issuer_id, \
         i.name AS issuer_name, d.signer, d.summary, d.body_html, d.issued_on, d.effective_on, \
         d.expires_on, d.status, d.published_at, d.created_by, d.created_at, d.updated_at";

const FROM: &str = " FROM documents d JOIN document_terms t ON t.id = d.type_id \
                     JOIN document_terms i ON i.id = d.issuer_id";

fn decode<T>(col: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    parse(value).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: col.to_owned(),
        source: format!("unknown value {value:?}").into(),
    })
}

fn from_row(r: &AnyRow) -> Result<DocumentRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    let effect: String = r.try_get("effect")?;
    Ok(DocumentRow {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        number: r.try_get("number")?,
        type_id: r.try_get("type_id")?,
        type_name: r.try_get("type_name")?,
        issuer_id: r.try_get("issuer_id")?,
        issuer_name: r.try_get("issuer_name")?,
        signer: r.try_get("signer")?,
        summary: r.try_get("summary")?,
        body_html: r.try_get("body_html")?,
        issued_on: r.try_get("issued_on")?,
        effective_on: r.try_get("effective_on")?,
        expires_on: r.try_get("expires_on")?,
        status: decode("status", &status, Status::parse)?,
        published_at: r.try_get("published_at")?,
        effect: decode("effect", &effect, Effect::parse)?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn term_from_row(r: &AnyRow) -> Result<TermRow, sqlx::Error> {
    let vocabulary: String = r.try_get("vocabulary")?;
    Ok(TermRow {
        id: r.try_get("id")?,
        vocabulary: decode("vocabulary", &vocabulary, Vocabulary::parse)?,
        name: r.try_get("name")?,
        slug: r.try_get("slug")?,
        position: r.try_get("position")?,
        uses: r.try_get("uses")?,
    })
}

/// One site's documents library.
pub struct Documents<'a>(&'a Store, SiteId);

impl Store {
    pub fn documents(&self, site: SiteId) -> Documents<'_> {
        Documents(self, site)
    }

    /// The site a document belongs to (a change names the document only).
    pub async fn site_of_document(&self, id: i64) -> Result<Option<SiteId>> {
        let site: Option<i64> = sqlx::query_scalar("SELECT site_id FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(self.read())
            .await?;
        Ok(site.map(SiteId))
    }
}
