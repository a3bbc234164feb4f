//! The legal documents library (văn bản): documents, the lists they are classed by, their
//! relations and revisions. A document's status of effect is computed here, in SQL, for the
//! day the caller names, so the list can be filtered and paged by it.

use crate::editorial::Status;
use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe, Row};

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

macro_rules! columns {
    () => {
        "d.id, d.slug, d.number, d.type_id, t.name AS type_name, d.issuer_id, \
         i.name AS issuer_name, d.signer, d.summary, d.body_html, d.issued_on, d.effective_on, \
         d.expires_on, d.status, d.published_at, d.created_by, d.created_at, d.updated_at"
    };
}

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

/// A value bound to a built query.
enum Bound {
    Int(i64),
    Text(String),
}

/// A query being written: its text and its values, numbered as they are added. PostgreSQL
/// refuses a placeholder it cannot see used, so a value is added only with the text that
/// uses it.
struct Sql {
    text: String,
    values: Vec<Bound>,
}

impl Sql {
    /// Starts with the site as `$1`.
    fn new(site: SiteId) -> Sql {
        Sql {
            text: String::new(),
            values: vec![Bound::Int(site.0)],
        }
    }

    /// Adds a value; returns its placeholder.
    fn value(&mut self, v: Bound) -> String {
        self.values.push(v);
        format!("${}", self.values.len())
    }

    /// The status of effect on `day`, as an SQL expression.
    fn effect(&mut self, day: &str) -> String {
        let p = self.value(Bound::Text(day.to_owned()));
        EFFECT.replace("$D", &p)
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// ` WHERE` the site, then ` AND …` for each filter.
    fn filter(&mut self, f: &Filter, day: &str) {
        self.push(" WHERE d.site_id = $1");
        if let Some(s) = f.status {
            let p = self.value(Bound::Text(s.as_str().to_owned()));
            self.push(&format!(" AND d.status = {p}"));
        }
        if let Some(id) = f.type_id {
            let p = self.value(Bound::Int(id));
            self.push(&format!(" AND d.type_id = {p}"));
        }
        if let Some(id) = f.issuer_id {
            let p = self.value(Bound::Int(id));
            self.push(&format!(" AND d.issuer_id = {p}"));
        }
        if let Some(id) = f.field_id {
            let p = self.value(Bound::Int(id));
            self.push(&format!(
                " AND EXISTS (SELECT 1 FROM document_fields df \
                 WHERE df.document_id = d.id AND df.term_id = {p})"
            ));
        }
        if let Some(y) = f.year {
            let from = self.value(Bound::Text(format!("{y:04}-01-01")));
            let to = self.value(Bound::Text(format!("{:04}-01-01", y + 1)));
            self.push(&format!(
                " AND d.issued_on >= {from} AND d.issued_on < {to}"
            ));
        }
        if let Some(e) = f.effect {
            let expr = self.effect(day);
            let p = self.value(Bound::Text(e.as_str().to_owned()));
            self.push(&format!(" AND ({expr}) = {p}"));
        }
        for w in &f.words {
            let escaped = w
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let p = self.value(Bound::Text(format!("%{escaped}%")));
            self.push(&format!(" AND d.search_key LIKE {p} ESCAPE '\\'"));
        }
        if let Some(ids) = &f.ids {
            if ids.is_empty() {
                self.push(" AND 1 = 0");
            } else {
                // Ids are numbers: written in, not bound, so a long answer needs no chunking.
                let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                self.push(&format!(" AND d.id IN ({})", list.join(", ")));
            }
        }
    }

    fn query(self) -> Query<'static, Any, AnyArguments> {
        let mut q = sqlx::query(AssertSqlSafe(self.text));
        for v in self.values {
            q = match v {
                Bound::Int(i) => q.bind(i),
                Bound::Text(s) => q.bind(s),
            };
        }
        q
    }

    fn scalar(self) -> sqlx::query::QueryScalar<'static, Any, i64, AnyArguments> {
        let mut q = sqlx::query_scalar(AssertSqlSafe(self.text));
        for v in self.values {
            q = match v {
                Bound::Int(i) => q.bind(i),
                Bound::Text(s) => q.bind(s),
            };
        }
        q
    }
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

impl Documents<'_> {
    /// `SELECT` the columns and the status of effect on `today`, from the joined tables.
    fn select(&self, today: &str) -> Sql {
        let mut sql = Sql::new(self.1);
        let effect = sql.effect(today);
        sql.push(&format!("SELECT {}, {effect} AS effect{FROM}", columns!()));
        sql
    }

    /// A page of documents, newest issue date first; `today` decides the status of effect.
    pub async fn list(
        &self,
        f: &Filter,
        today: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<DocumentRow>> {
        let mut sql = self.select(today);
        sql.filter(f, today);
        sql.push(&format!(
            " ORDER BY d.issued_on DESC, d.id DESC LIMIT {limit} OFFSET {offset}"
        ));
        let rows = sql.query().fetch_all(self.0.read()).await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// How many documents a filter selects.
    pub async fn count(&self, f: &Filter, today: &str) -> Result<i64> {
        let mut sql = Sql::new(self.1);
        sql.push("SELECT COUNT(*) FROM documents d");
        sql.filter(f, today);
        Ok(sql.scalar().fetch_one(self.0.read()).await?)
    }

    pub async fn find_by_slug(&self, slug: &str, today: &str) -> Result<Option<DocumentRow>> {
        self.find_where("d.slug", Bound::Text(slug.to_owned()), today)
            .await
    }

    pub async fn find_by_id(&self, id: i64, today: &str) -> Result<Option<DocumentRow>> {
        self.find_where("d.id", Bound::Int(id), today).await
    }

    async fn find_where(&self, column: &str, v: Bound, today: &str) -> Result<Option<DocumentRow>> {
        let mut sql = self.select(today);
        let p = sql.value(v);
        sql.push(&format!(" WHERE d.site_id = $1 AND {column} = {p}"));
        let row = sql.query().fetch_optional(self.0.read()).await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The fields (lĩnh vực) of each of `ids`: (document id, term).
    pub async fn fields_of(&self, ids: &[i64]) -> Result<Vec<(i64, TermRow)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT df.document_id, t.id, t.vocabulary, t.name, t.slug, t.position, 0 AS uses \
             FROM document_fields df JOIN document_terms t ON t.id = df.term_id \
             WHERE df.document_id IN ({}) ORDER BY t.position, t.name",
            list.join(", ")
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(self.0.read())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("document_id")?, term_from_row(r)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// The documents related to `id`, both ways, published or not (the caller shows what it
    /// may), in the order of their kind and number.
    pub async fn relations_of(&self, id: i64) -> Result<Vec<RelatedRow>> {
        let rows = sqlx::query(
            "SELECT r.kind, 1 AS outgoing, d.id, d.slug, d.number, d.summary, d.status \
             FROM document_relations r JOIN documents d ON d.id = r.to_id WHERE r.from_id = $1 \
             UNION ALL \
             SELECT r.kind, 0 AS outgoing, d.id, d.slug, d.number, d.summary, d.status \
             FROM document_relations r JOIN documents d ON d.id = r.from_id WHERE r.to_id = $1 \
             ORDER BY 2 DESC, 1, 5",
        )
        .bind(id)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let status: String = r.try_get("status")?;
                Ok(RelatedRow {
                    relation: decode("kind", &kind, Relation::parse)?,
                    outgoing: r.try_get::<i64, _>("outgoing")? != 0,
                    id: r.try_get("id")?,
                    slug: r.try_get("slug")?,
                    number: r.try_get("number")?,
                    summary: r.try_get("summary")?,
                    status: decode("status", &status, Status::parse)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Documents whose number or abstract contains every folded word (the relation picker).
    pub async fn pick(&self, words: &[String], limit: i64) -> Result<Vec<(i64, String, String)>> {
        let f = Filter {
            words: words.to_vec(),
            ..Filter::default()
        };
        let mut sql = Sql::new(self.1);
        sql.push("SELECT d.id, d.number, d.summary FROM documents d");
        sql.filter(&f, "");
        sql.push(&format!(
            " ORDER BY d.issued_on DESC, d.id DESC LIMIT {limit}"
        ));
        let rows = sql.query().fetch_all(self.0.read()).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    r.try_get("number")?,
                    r.try_get("summary")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Published documents, newest publication first (feeds).
    pub async fn list_published_recent(&self, today: &str, limit: i64) -> Result<Vec<DocumentRow>> {
        let mut sql = self.select(today);
        sql.push(&format!(
            " WHERE d.site_id = $1 AND d.status = 'published' \
             ORDER BY d.published_at DESC, d.id DESC LIMIT {limit}"
        ));
        let rows = sql.query().fetch_all(self.0.read()).await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Every published document's slug and last change (the sitemap).
    pub async fn list_published_slugs(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT slug, updated_at FROM documents WHERE site_id = $1 AND status = 'published' \
             ORDER BY id",
        )
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("slug")?, r.try_get("updated_at")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    pub async fn slug_taken(&self, tx: &mut Tx, slug: &str, except: Option<i64>) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM documents WHERE slug = $1 AND id <> $2 AND site_id = $3",
        )
        .bind(slug)
        .bind(except.unwrap_or(0))
        .bind(self.1.0)
        .fetch_one(tx.conn())
        .await?;
        Ok(n > 0)
    }

    /// Inserts a draft; returns its id.
    pub async fn insert(
        &self,
        tx: &mut Tx,
        f: &DocumentFields<'_>,
        by: Option<i64>,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO documents (site_id, slug, number, type_id, issuer_id, signer, summary, \
             body_html, issued_on, effective_on, expires_on, status, published_at, search_key, \
             created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $14, $12, $12) \
             RETURNING id",
        )
        .bind(self.1.0)
        .bind(f.slug)
        .bind(f.number)
        .bind(f.type_id)
        .bind(f.issuer_id)
        .bind(f.signer)
        .bind(f.summary)
        .bind(f.body_html)
        .bind(f.issued_on)
        .bind(f.effective_on)
        .bind(f.expires_on)
        .bind(now)
        .bind(f.search_key)
        .bind(by)
        .fetch_one(tx.conn())
        .await?)
    }

    /// Saves the fields of an edit; false when there is no such document on this site.
    pub async fn update(
        &self,
        tx: &mut Tx,
        id: i64,
        f: &DocumentFields<'_>,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE documents SET slug = $3, number = $4, type_id = $5, issuer_id = $6, \
             signer = $7, summary = $8, body_html = $9, issued_on = $10, effective_on = $11, \
             expires_on = $12, search_key = $13, updated_at = $14 WHERE id = $1 AND site_id = $2",
        )
        .bind(id)
        .bind(self.1.0)
        .bind(f.slug)
        .bind(f.number)
        .bind(f.type_id)
        .bind(f.issuer_id)
        .bind(f.signer)
        .bind(f.summary)
        .bind(f.body_html)
        .bind(f.issued_on)
        .bind(f.effective_on)
        .bind(f.expires_on)
        .bind(f.search_key)
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Moves a document in the workflow; `published_at` is set when it is first published.
    pub async fn set_status(&self, tx: &mut Tx, id: i64, status: Status, now: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE documents SET status = $3, updated_at = $4, published_at = CASE \
             WHEN $3 = 'published' AND status <> 'published' THEN $4 ELSE published_at END \
             WHERE id = $1 AND site_id = $2",
        )
        .bind(id)
        .bind(self.1.0)
        .bind(status.as_str())
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Replaces a document's fields (lĩnh vực).
    pub async fn set_fields(&self, tx: &mut Tx, id: i64, terms: &[i64]) -> Result<()> {
        sqlx::query("DELETE FROM document_fields WHERE document_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        for t in terms {
            sqlx::query("INSERT INTO document_fields (document_id, term_id) VALUES ($1, $2)")
                .bind(id)
                .bind(t)
                .execute(tx.conn())
                .await?;
        }
        Ok(())
    }

    /// Replaces what a document says of others ("this replaces …"); what others say of it
    /// stays theirs.
    pub async fn set_relations(&self, tx: &mut Tx, id: i64, to: &[(Relation, i64)]) -> Result<()> {
        sqlx::query("DELETE FROM document_relations WHERE from_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        for (kind, other) in to {
            sqlx::query(
                "INSERT INTO document_relations (from_id, to_id, kind) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(other)
            .bind(kind.as_str())
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }

    /// Which of `ids` are documents of this site (relations stay within a site).
    pub async fn existing(&self, tx: &mut Tx, ids: &[i64]) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT id FROM documents WHERE site_id = $1 AND id IN ({}) ORDER BY id",
            list.join(", ")
        );
        Ok(sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(self.1.0)
            .fetch_all(tx.conn())
            .await?)
    }

    pub async fn insert_revision(
        &self,
        tx: &mut Tx,
        id: i64,
        user: Option<(i64, &str)>,
        snapshot: &str,
        note: &str,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO document_revisions (document_id, created_at, user_id, username, snapshot, note) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(now)
        .bind(user.map(|u| u.0))
        .bind(user.map_or("", |u| u.1))
        .bind(snapshot)
        .bind(note)
        .fetch_one(tx.conn())
        .await?)
    }

    /// A document's revisions, newest first.
    pub async fn list_revisions(&self, id: i64) -> Result<Vec<RevisionRow>> {
        let rows = sqlx::query(
            "SELECT r.id, r.document_id, r.created_at, r.username, r.snapshot, r.note \
             FROM document_revisions r JOIN documents d ON d.id = r.document_id \
             WHERE r.document_id = $1 AND d.site_id = $2 ORDER BY r.id DESC",
        )
        .bind(id)
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RevisionRow {
                    id: r.try_get("id")?,
                    document_id: r.try_get("document_id")?,
                    created_at: r.try_get("created_at")?,
                    username: r.try_get("username")?,
                    snapshot: r.try_get("snapshot")?,
                    note: r.try_get("note")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// A list's entries in their order, with how many documents use each.
    pub async fn terms(&self, v: Vocabulary) -> Result<Vec<TermRow>> {
        let rows = sqlx::query(
            "SELECT t.id, t.vocabulary, t.name, t.slug, t.position, \
             (SELECT COUNT(*) FROM documents d WHERE d.type_id = t.id OR d.issuer_id = t.id) \
             + (SELECT COUNT(*) FROM document_fields f WHERE f.term_id = t.id) AS uses \
             FROM document_terms t WHERE t.site_id = $1 AND t.vocabulary = $2 \
             ORDER BY t.position, t.name",
        )
        .bind(self.1.0)
        .bind(v.as_str())
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(term_from_row).collect::<Result<_, _>>()?)
    }

    pub async fn insert_term(
        &self,
        tx: &mut Tx,
        v: Vocabulary,
        name: &str,
        slug: &str,
        position: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO document_terms (site_id, vocabulary, name, slug, position) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(self.1.0)
        .bind(v.as_str())
        .bind(name)
        .bind(slug)
        .bind(position)
        .fetch_one(tx.conn())
        .await?)
    }

    pub async fn update_term(
        &self,
        tx: &mut Tx,
        id: i64,
        name: &str,
        slug: &str,
        position: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE document_terms SET name = $3, slug = $4, position = $5 \
             WHERE id = $1 AND site_id = $2",
        )
        .bind(id)
        .bind(self.1.0)
        .bind(name)
        .bind(slug)
        .bind(position)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Deletes an entry no document uses; false when it is used or not there.
    pub async fn delete_unused_term(&self, tx: &mut Tx, id: i64) -> Result<bool> {
        let r = sqlx::query(
            "DELETE FROM document_terms WHERE id = $1 AND site_id = $2 \
             AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.type_id = $1 OR d.issuer_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM document_fields f WHERE f.term_id = $1)",
        )
        .bind(id)
        .bind(self.1.0)
        .execute(tx.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The entry of a list with this id, if it is this site's and of this list.
    pub async fn find_term(&self, v: Vocabulary, id: i64) -> Result<Option<TermRow>> {
        let row = sqlx::query(
            "SELECT id, vocabulary, name, slug, position, 0 AS uses FROM document_terms \
             WHERE id = $1 AND site_id = $2 AND vocabulary = $3",
        )
        .bind(id)
        .bind(self.1.0)
        .bind(v.as_str())
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(term_from_row).transpose()?)
    }

    pub async fn any_published(&self) -> Result<bool> {
        let n: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM documents WHERE site_id = $1 AND status = 'published' LIMIT 1",
        )
        .bind(self.1.0)
        .fetch_optional(self.0.read())
        .await?;
        Ok(n.is_some())
    }

    /// The years in which published documents were issued, newest first (the year filter).
    pub async fn years(&self) -> Result<Vec<i32>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT SUBSTR(issued_on, 1, 4) FROM documents \
             WHERE site_id = $1 AND status = 'published' ORDER BY 1 DESC",
        )
        .bind(self.1.0)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().filter_map(|y| y.parse().ok()).collect())
    }
}

/// A published document as the search index takes it, with the text of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentIndexRow {
    pub id: i64,
    pub site_id: SiteId,
    pub slug: String,
    pub number: String,
    pub type_name: String,
    pub issuer_name: String,
    pub summary: String,
    pub body_html: String,
    pub issued_on: String,
    /// The extracted text of its files, one after the other.
    pub files_text: String,
}

const INDEX_COLUMNS: &str = "d.id, d.site_id, d.slug, d.number, t.name AS type_name, \
     i.name AS issuer_name, d.summary, d.body_html, d.issued_on";

impl Store {
    /// Published documents of every site after id `after`, in id order (the index rebuild).
    pub async fn documents_for_index(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<DocumentIndexRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INDEX_COLUMNS}{FROM} WHERE d.status = 'published' AND d.id > $1 \
             ORDER BY d.id LIMIT $2"
        )))
        .bind(after)
        .bind(limit)
        .fetch_all(self.read())
        .await?;
        let mut docs = rows.iter().map(index_row).collect::<Result<Vec<_>, _>>()?;
        self.add_files_text(&mut docs).await?;
        Ok(docs)
    }

    /// How many documents [`Store::documents_for_index`] walks through.
    pub async fn count_indexable_documents(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE status = 'published'")
                .fetch_one(self.read())
                .await?,
        )
    }

    /// One document for the index, if it is published.
    pub async fn document_for_index(&self, id: i64) -> Result<Option<DocumentIndexRow>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INDEX_COLUMNS}{FROM} WHERE d.status = 'published' AND d.id = $1"
        )))
        .bind(id)
        .fetch_optional(self.read())
        .await?;
        let mut docs: Vec<DocumentIndexRow> = row
            .as_ref()
            .map(index_row)
            .transpose()?
            .into_iter()
            .collect();
        self.add_files_text(&mut docs).await?;
        Ok(docs.pop())
    }

    async fn add_files_text(&self, docs: &mut [DocumentIndexRow]) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = docs.iter().map(|d| d.id.to_string()).collect();
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT a.owner_id, f.text FROM attachments a JOIN files f ON f.id = a.file_id \
             WHERE a.owner_kind = 'document' AND a.owner_id IN ({}) ORDER BY a.owner_id, a.position",
            list.join(", ")
        )))
        .fetch_all(self.read())
        .await?;
        for r in &rows {
            let owner: i64 = r.try_get("owner_id")?;
            let text: String = r.try_get("text")?;
            if let Some(d) = docs.iter_mut().find(|d| d.id == owner)
                && !text.is_empty()
            {
                if !d.files_text.is_empty() {
                    d.files_text.push('\n');
                }
                d.files_text.push_str(&text);
            }
        }
        Ok(())
    }
}

fn index_row(r: &AnyRow) -> Result<DocumentIndexRow, sqlx::Error> {
    Ok(DocumentIndexRow {
        id: r.try_get("id")?,
        site_id: SiteId(r.try_get("site_id")?),
        slug: r.try_get("slug")?,
        number: r.try_get("number")?,
        type_name: r.try_get("type_name")?,
        issuer_name: r.try_get("issuer_name")?,
        summary: r.try_get("summary")?,
        body_html: r.try_get("body_html")?,
        issued_on: r.try_get("issued_on")?,
        files_text: String::new(),
    })
}
