//! Writing documents and their lists. Each write is one transaction: the document, its
//! fields, relations and files, its revision, the audit entry and the change record.

use super::rules::parse_day;
use super::{Documents, Relation, Status, Vocabulary};
use crate::audit::{self, Actor, Entry};
use crate::auth::{Action, By};
use crate::text::{fold_words, nfc, sanitize_report, slugify};
use crate::{Error, Result};
use cong_store::changes::ChangeKind;
use cong_store::documents::DocumentFields;
use cong_store::files::Owner;
use cong_store::{SiteId, Tx};

/// A document as the back-office form (or a bulk import) sends it.
#[derive(Debug, Clone, Default)]
pub struct DocumentDraft {
    /// Số/ký hiệu, such as "544/QĐ-SKHCN".
    pub number: String,
    pub type_id: i64,
    pub issuer_id: i64,
    pub signer: String,
    /// Trích yếu.
    pub summary: String,
    /// The full text, optional (HTML, through the allow-list).
    pub body_html: String,
    /// Days as typed: `2024-03-15` or `15/03/2024`; the last two may be empty.
    pub issued_on: String,
    pub effective_on: String,
    pub expires_on: String,
    /// Lĩnh vực.
    pub fields: Vec<i64>,
    /// What this document does to others.
    pub relations: Vec<(Relation, i64)>,
    /// Attached files, in order.
    pub files: Vec<i64>,
    /// Empty: derived from the number (a new document) or kept.
    pub slug: String,
}

/// What a save did.
#[derive(Debug, Clone)]
pub struct Saved {
    pub id: i64,
    pub slug: String,
    /// What the allow-list removed from the full text.
    pub removed: Vec<String>,
}

/// Longest number and abstract kept.
const MAX_NUMBER: usize = 100;
const MAX_SUMMARY: usize = 2000;

/// A draft checked and cleaned: what is stored.
#[derive(serde::Serialize)]
struct Clean {
    number: String,
    type_id: i64,
    issuer_id: i64,
    signer: String,
    summary: String,
    body_html: String,
    issued_on: String,
    effective_on: Option<String>,
    expires_on: Option<String>,
    fields: Vec<i64>,
    relations: Vec<(Relation, i64)>,
    files: Vec<i64>,
    #[serde(skip)]
    removed: Vec<String>,
    #[serde(skip)]
    search_key: String,
}

impl Clean {
    fn fields<'a>(&'a self, slug: &'a str) -> DocumentFields<'a> {
        DocumentFields {
            slug,
            number: &self.number,
            type_id: self.type_id,
            issuer_id: self.issuer_id,
            signer: &self.signer,
            summary: &self.summary,
            body_html: &self.body_html,
            issued_on: &self.issued_on,
            effective_on: self.effective_on.as_deref(),
            expires_on: self.expires_on.as_deref(),
            search_key: &self.search_key,
        }
    }
}

/// A line of text as stored: NFC, spaces tidied.
pub(super) fn one_line(s: &str) -> String {
    nfc(s.trim())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Documents {
    /// Checks a draft against the site's lists and documents; returns it cleaned, or the
    /// errors field by field (`id`: the document being saved, never related to itself).
    async fn clean(
        &self,
        tx: &mut Tx,
        site: SiteId,
        d: &DocumentDraft,
        id: Option<i64>,
    ) -> Result<Clean> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut err = |f: &str, m: &str| errors.push((f.to_owned(), m.to_owned()));
        let number = one_line(&d.number);
        if number.is_empty() {
            err("number", "Nhập số, ký hiệu văn bản (ví dụ 544/QĐ-SKHCN).");
        } else if number.chars().count() > MAX_NUMBER {
            err("number", "Số, ký hiệu dài quá 100 ký tự.");
        }
        let summary = one_line(&d.summary);
        if summary.is_empty() {
            err("summary", "Nhập trích yếu nội dung văn bản.");
        } else if summary.chars().count() > MAX_SUMMARY {
            err("summary", "Trích yếu dài quá 2.000 ký tự.");
        }
        let docs = self.store.documents(site);
        let type_row = docs.find_term(Vocabulary::Type, d.type_id).await?;
        if type_row.is_none() {
            err("type_id", "Chọn loại văn bản.");
        }
        let issuer_row = docs.find_term(Vocabulary::Issuer, d.issuer_id).await?;
        if issuer_row.is_none() {
            err("issuer_id", "Chọn cơ quan ban hành.");
        }
        let day = |s: &str| -> std::result::Result<Option<String>, ()> {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                parse_day(s).map(|d| Some(d.to_string())).ok_or(())
            }
        };
        let issued_on = match day(&d.issued_on) {
            Ok(Some(d)) => d,
            Ok(None) => {
                err("issued_on", "Nhập ngày ban hành.");
                String::new()
            }
            Err(()) => {
                err("issued_on", "Ngày ban hành không hợp lệ (dd/mm/yyyy).");
                String::new()
            }
        };
        let effective_on = day(&d.effective_on).unwrap_or_else(|()| {
            err(
                "effective_on",
                "Ngày có hiệu lực không hợp lệ (dd/mm/yyyy).",
            );
            None
        });
        let expires_on = day(&d.expires_on).unwrap_or_else(|()| {
            err("expires_on", "Ngày hết hiệu lực không hợp lệ (dd/mm/yyyy).");
            None
        });
        let start = effective_on.as_deref().unwrap_or(&issued_on);
        if let Some(end) = &expires_on
            && !start.is_empty()
            && end.as_str() <= start
        {
            err("expires_on", "Ngày hết hiệu lực phải sau ngày có hiệu lực.");
        }
        let mut fields = Vec::new();
        for f in &d.fields {
            if docs.find_term(Vocabulary::Field, *f).await?.is_some() && !fields.contains(f) {
                fields.push(*f);
            }
        }
        let mut relations = Vec::new();
        let targets: Vec<i64> = d.relations.iter().map(|r| r.1).collect();
        let known = docs.existing(tx, &targets).await?;
        for (kind, other) in &d.relations {
            if Some(*other) == id {
                err("relations", "Văn bản không thể liên quan đến chính nó.");
            } else if !known.contains(other) {
                err("relations", "Văn bản liên quan không tồn tại.");
            } else if !relations.contains(&(*kind, *other)) {
                relations.push((*kind, *other));
            }
        }
        let known_files = self.store.files(site).existing(tx, &d.files).await?;
        let mut files = Vec::new();
        for f in &d.files {
            if !known_files.contains(f) {
                err("files", "Tệp đính kèm không tồn tại.");
            } else if !files.contains(f) {
                files.push(*f);
            }
        }
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let (body_html, removed) = sanitize_report(&d.body_html);
        let signer = one_line(&d.signer);
        let type_name = type_row.map(|t| t.name).unwrap_or_default();
        let issuer_name = issuer_row.map(|t| t.name).unwrap_or_default();
        let search_key = format!(
            "-{}-",
            fold_words(&format!(
                "{number} {summary} {signer} {type_name} {issuer_name}"
            ))
        );
        Ok(Clean {
            number,
            type_id: d.type_id,
            issuer_id: d.issuer_id,
            signer,
            summary,
            body_html,
            issued_on,
            effective_on,
            expires_on,
            fields,
            relations,
            files,
            removed,
            search_key,
        })
    }

    async fn unique_slug(
        &self,
        tx: &mut Tx,
        site: SiteId,
        base: &str,
        id: Option<i64>,
    ) -> Result<String> {
        let base = if base.is_empty() { "van-ban" } else { base };
        let docs = self.store.documents(site);
        let mut slug = base.to_owned();
        for n in 2..500 {
            if !docs.slug_taken(tx, &slug, id).await? {
                return Ok(slug);
            }
            slug = format!("{base}-{n}");
        }
        Err(Error::Conflict(format!(
            "Đường dẫn “{base}” đã được dùng quá nhiều lần."
        )))
    }

    /// Writes what follows a save in `tx`: fields, relations, files, the revision, the
    /// audit entry and the change record.
    #[allow(clippy::too_many_arguments)]
    async fn record(
        &self,
        tx: &mut Tx,
        by: By<'_>,
        site: SiteId,
        id: i64,
        clean: &Clean,
        entry: Entry<'_>,
        now: i64,
    ) -> Result<()> {
        let docs = self.store.documents(site);
        docs.set_fields(tx, id, &clean.fields).await?;
        docs.set_relations(tx, id, &clean.relations).await?;
        self.store
            .files(site)
            .attach(tx, Owner::Document, id, &clean.files)
            .await?;
        let snapshot = serde_json::to_string(clean).map_err(|e| Error::Internal(e.to_string()))?;
        let user = match by {
            By::User(a) => Some((a.user.id, a.user.username.as_str())),
            By::CommandLine => None,
        };
        docs.insert_revision(tx, id, user, &snapshot, entry.action, now)
            .await?;
        audit::append_by(&self.store, tx, by, entry, Some(site), now).await?;
        self.store
            .changes()
            .record(tx, ChangeKind::Document, id, now)
            .await?;
        Ok(())
    }

    /// Creates a draft made by the actor.
    pub async fn create(&self, actor: Actor<'_>, d: &DocumentDraft) -> Result<Saved> {
        actor.require(Action::CreateDocument)?;
        self.create_by(By::User(actor), actor.site, d, Status::Draft)
            .await
    }

    /// Creates a document as the operator (the demo, an import from the command line), in
    /// the state given.
    pub async fn import(&self, site: SiteId, d: &DocumentDraft, status: Status) -> Result<Saved> {
        self.create_by(By::CommandLine, site, d, status).await
    }

    /// Creates a document in `status` (checked by the caller).
    pub(crate) async fn create_by(
        &self,
        by: By<'_>,
        site: SiteId,
        d: &DocumentDraft,
        status: Status,
    ) -> Result<Saved> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let clean = self.clean(&mut tx, site, d, None).await?;
        let base = slugify(if d.slug.trim().is_empty() {
            &clean.number
        } else {
            &d.slug
        });
        let slug = self.unique_slug(&mut tx, site, &base, None).await?;
        let by_id = match by {
            By::User(a) => Some(a.user.id),
            By::CommandLine => None,
        };
        let docs = self.store.documents(site);
        let id = docs
            .insert(&mut tx, &clean.fields(&slug), by_id, now)
            .await?;
        if status != Status::Draft {
            docs.set_status(&mut tx, id, status, now).await?;
        }
        let entry = Entry {
            action: "document.create",
            kind: "document",
            id: Some(id),
            detail: &clean.number,
        };
        self.record(&mut tx, by, site, id, &clean, entry, now)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            id,
            slug,
            removed: clean.removed,
        })
    }

    /// Saves an edit of a document the actor may edit.
    pub async fn save(&self, actor: Actor<'_>, id: i64, d: &DocumentDraft) -> Result<Saved> {
        let current = self
            .store
            .documents(actor.site)
            .find_by_id(id, &self.today())
            .await?
            .ok_or(Error::NotFound)?;
        actor.require(Action::EditDocument {
            own: current.created_by == Some(actor.user.id),
            draft: current.status == Status::Draft,
        })?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let clean = self.clean(&mut tx, actor.site, d, Some(id)).await?;
        let slug = if d.slug.trim().is_empty() {
            current.slug.clone()
        } else {
            self.unique_slug(&mut tx, actor.site, &slugify(&d.slug), Some(id))
                .await?
        };
        if !self
            .store
            .documents(actor.site)
            .update(&mut tx, id, &clean.fields(&slug), now)
            .await?
        {
            return Err(Error::NotFound);
        }
        let entry = Entry {
            action: "document.save",
            kind: "document",
            id: Some(id),
            detail: &clean.number,
        };
        self.record(&mut tx, By::User(actor), actor.site, id, &clean, entry, now)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            id,
            slug,
            removed: clean.removed,
        })
    }

    /// Adds relations to what a document says of others, as the operator (the demo,
    /// imports, whose documents arrive before the ones they name).
    pub async fn relate(&self, site: SiteId, id: i64, to: &[(Relation, i64)]) -> Result<()> {
        let docs = self.store.documents(site);
        let mut all: Vec<(Relation, i64)> = docs
            .relations_of(id)
            .await?
            .into_iter()
            .filter(|r| r.outgoing)
            .map(|r| (r.relation, r.id))
            .collect();
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let known = docs
            .existing(&mut tx, &to.iter().map(|r| r.1).collect::<Vec<_>>())
            .await?;
        for r in to {
            if r.1 != id && known.contains(&r.1) && !all.contains(r) {
                all.push(*r);
            }
        }
        docs.set_relations(&mut tx, id, &all).await?;
        audit::append_by(
            &self.store,
            &mut tx,
            By::CommandLine,
            Entry {
                action: "document.relate",
                kind: "document",
                id: Some(id),
                detail: "",
            },
            Some(site),
            now,
        )
        .await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Document, id, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a document in the workflow: an author submits their draft (pending); an editor
    /// publishes, unpublishes, or returns it to draft.
    pub async fn set_status(&self, actor: Actor<'_>, id: i64, to: Status) -> Result<()> {
        let current = self
            .store
            .documents(actor.site)
            .find_by_id(id, &self.today())
            .await?
            .ok_or(Error::NotFound)?;
        let own = current.created_by == Some(actor.user.id);
        match to {
            Status::Pending => actor.require(Action::EditDocument {
                own,
                draft: current.status == Status::Draft,
            })?,
            Status::Published | Status::Unpublished | Status::Draft => {
                actor.require(Action::PublishDocument)?
            }
        }
        if current.status == to {
            return Ok(());
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        self.store
            .documents(actor.site)
            .set_status(&mut tx, id, to, now)
            .await?;
        let action = match to {
            Status::Draft => "document.return",
            Status::Pending => "document.submit",
            Status::Published => "document.publish",
            Status::Unpublished => "document.unpublish",
        };
        audit::append(
            &self.store,
            &mut tx,
            actor,
            Entry {
                action,
                kind: "document",
                id: Some(id),
                detail: &current.number,
            },
            now,
        )
        .await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Document, id, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
