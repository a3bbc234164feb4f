//! Writing articles: create, save, restore a revision. Each is one transaction: the article
//! and its gallery, a redirect from a changed slug, the revision, the audit entry and the
//! change record commit together or not at all.

use super::{
    Draft, EditRow, Editorial, GalleryItem, RevisionRow, Saved, Status, forbidden, in_trash,
};
use crate::audit::{self, Actor, Entry};
use crate::auth::Action;
use crate::text::{nfc, sanitize_report, slugify};
use crate::{Error, Result};
use cong_store::Tx;
use cong_store::changes::ChangeKind;
use cong_store::editorial::EditFields;

/// A draft's texts as stored: NFC, trimmed, the body through the allow-list.
pub(super) struct Clean {
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) body: String,
    pub(super) author: String,
    pub(super) gallery_title: String,
    pub(super) gallery: Vec<GalleryItem>,
    /// What the allow-list removed from the body.
    pub(super) removed: Vec<String>,
}

impl Clean {
    pub(super) fn of(d: &Draft) -> Clean {
        let (body, removed) = sanitize_report(&d.body_html);
        Clean {
            title: nfc(d.title.trim()),
            summary: nfc(d.summary.trim()),
            body,
            author: nfc(d.author.trim()),
            gallery_title: nfc(d.gallery_title.trim()),
            gallery: d
                .gallery
                .iter()
                .map(|g| GalleryItem {
                    media_id: g.media_id,
                    caption: nfc(g.caption.trim()),
                    alt: nfc(g.alt.trim()),
                })
                .collect(),
            removed,
        }
    }

    fn fields<'a>(&'a self, d: &Draft, slug: &'a str, published_at: i64) -> EditFields<'a> {
        EditFields {
            section_id: d.section_id,
            slug,
            title: &self.title,
            summary: &self.summary,
            body_html: &self.body,
            author: &self.author,
            featured: d.featured,
            cover_media_id: d.cover_media_id,
            gallery_title: &self.gallery_title,
            published_at,
        }
    }
}

/// What a save leaves in the article, for its revision.
struct SavedState<'a> {
    fields: &'a EditFields<'a>,
    gallery: &'a [GalleryItem],
    status: Status,
    note: &'a str,
}

impl Editorial {
    /// The draft's texts as stored, the body's library pictures made responsive.
    async fn clean(&self, site: cong_store::SiteId, d: &Draft) -> Result<Clean> {
        let mut c = Clean::of(d);
        let body = std::mem::take(&mut c.body);
        c.body = crate::media::pictures::enrich_body(&self.store, site, body).await?;
        Ok(c)
    }

    /// A unique slug: `base`, else `base-2`, `base-3` … (read in `tx`, which holds the write
    /// lock on SQLite and the article's row on PostgreSQL; the unique index has the last word).
    async fn unique_slug(
        &self,
        tx: &mut Tx,
        site: cong_store::SiteId,
        base: &str,
        id: Option<i64>,
    ) -> Result<String> {
        let ed = self.store.editorial(site);
        let mut slug = base.to_owned();
        for n in 2..200 {
            if !ed.slug_taken(tx, &slug, id).await? {
                return Ok(slug);
            }
            slug = format!("{base}-{n}");
        }
        Err(Error::Conflict(format!(
            "Đường dẫn “{base}” đã được dùng quá nhiều lần."
        )))
    }

    /// Writes the revision, the audit entry and the change record of a save, in `tx`.
    async fn record_save(
        &self,
        tx: &mut Tx,
        actor: Actor<'_>,
        id: i64,
        saved: &SavedState<'_>,
        entry: Entry<'_>,
        now: i64,
    ) -> Result<()> {
        let f = saved.fields;
        let gallery_json =
            serde_json::to_string(saved.gallery).map_err(|e| Error::Internal(e.to_string()))?;
        self.store
            .editorial(actor.site)
            .insert_revision(
                tx,
                &RevisionRow {
                    id: 0,
                    article_id: id,
                    created_at: now,
                    user_id: Some(actor.user.id),
                    username: actor.user.username.clone(),
                    status: saved.status,
                    section_id: f.section_id,
                    slug: f.slug.to_owned(),
                    title: f.title.to_owned(),
                    summary: f.summary.to_owned(),
                    body_html: f.body_html.to_owned(),
                    author: f.author.to_owned(),
                    cover_media_id: f.cover_media_id,
                    gallery_title: f.gallery_title.to_owned(),
                    gallery_json,
                    published_at: f.published_at,
                    note: saved.note.to_owned(),
                },
            )
            .await?;
        audit::append(&self.store, tx, actor, entry, now).await?;
        self.store
            .changes()
            .record(tx, ChangeKind::Article, id, now)
            .await?;
        Ok(())
    }

    /// Creates a draft owned by the actor: the article, its gallery, its first revision, the
    /// audit entry and the change record, in one transaction.
    pub async fn create(&self, actor: Actor<'_>, d: &Draft) -> Result<Saved> {
        if !actor.may(Action::CreateArticle) {
            return Err(forbidden());
        }
        self.require_section(actor, d.section_id).await?;
        let errors = self.check(actor.site, d).await?;
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let clean = self.clean(actor.site, d).await?;
        let base = if d.slug.trim().is_empty() {
            slugify(&clean.title)
        } else {
            slugify(&d.slug)
        };
        let now = self.now();
        let ed = self.store.editorial(actor.site);
        let mut tx = self.store.begin().await?;
        let slug = self.unique_slug(&mut tx, actor.site, &base, None).await?;
        let fields = clean.fields(d, &slug, d.published_at.map_or(now, |t| t.as_second()));
        let id = ed
            .insert_draft(&mut tx, &fields, actor.user.id, now)
            .await?;
        ed.update(&mut tx, id, &fields, &clean.gallery, now).await?;
        self.set_translation(&mut tx, actor.site, id, d).await?;
        self.store
            .videos(actor.site)
            .set_for_article(&mut tx, id, &crate::media::videos::in_body(&clean.body))
            .await?;
        let state = SavedState {
            fields: &fields,
            gallery: &clean.gallery,
            status: Status::Draft,
            note: "Tạo bài",
        };
        let entry = Entry {
            action: "article.create",
            kind: "article",
            id: Some(id),
            detail: &clean.title,
        };
        self.record_save(&mut tx, actor, id, &state, entry, now)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            id,
            slug,
            removed: clean.removed,
        })
    }

    /// Links the article to the one it translates: another article of the site, in a
    /// section of another language.
    async fn set_translation(
        &self,
        tx: &mut Tx,
        site: cong_store::SiteId,
        id: i64,
        d: &Draft,
    ) -> Result<()> {
        if let Some(original) = d.translation_of {
            let ed = self.store.editorial(site);
            let sections = self.store.sections(site);
            let lang_of =
                |section: Option<cong_store::sections::SectionRow>| section.map(|s| s.lang);
            let other = ed.find(original).await?;
            let theirs = match &other {
                Some(o) if o.id != id => lang_of(sections.find_by_id(o.section_id).await?),
                _ => None,
            };
            let ours = lang_of(sections.find_by_id(d.section_id).await?);
            if theirs.is_none() || theirs == ours {
                return Err(Error::Fields(vec![(
                    "translation_of".into(),
                    "Bài được dịch phải là một bài khác của trang, ở chuyên mục bằng ngôn ngữ khác."
                        .into(),
                )]));
            }
        }
        self.store
            .articles()
            .set_translation(tx, site, id, d.translation_of)
            .await?;
        Ok(())
    }

    /// Saves an edit. A changed slug leaves a redirect from the old one.
    pub async fn save(&self, actor: Actor<'_>, id: i64, d: &Draft) -> Result<Saved> {
        self.save_as(actor, id, d, None).await
    }

    /// A save, or (with `restored`, the revision's id) the restore of an old revision.
    async fn save_as(
        &self,
        actor: Actor<'_>,
        id: i64,
        d: &Draft,
        restored: Option<i64>,
    ) -> Result<Saved> {
        let may_edit = |row: &EditRow| {
            let own = row.created_by == Some(actor.user.id);
            let draft = row.status == Status::Draft;
            match restored {
                Some(_) => actor.may(Action::RestoreRevision { own, draft }),
                None => actor.may(Action::EditArticle { own, draft }),
            }
        };
        // Refused before the form is looked at; checked again below on the locked row.
        let ed = self.store.editorial(actor.site);
        let row = ed.find(id).await?.ok_or(Error::NotFound)?;
        if !may_edit(&row) {
            return Err(forbidden());
        }
        self.require_section(actor, row.section_id).await?;
        self.require_section(actor, d.section_id).await?;
        let errors = self.check(actor.site, d).await?;
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let clean = self.clean(actor.site, d).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let row = ed
            .find_for_update(&mut tx, id)
            .await?
            .ok_or(Error::NotFound)?;
        if !may_edit(&row) {
            return Err(forbidden());
        }
        if row.trashed_at.is_some() {
            return Err(in_trash());
        }
        // Optimistic locking: the form names the revision it was opened at; another save
        // since is refused, never silently overwritten (a restore names none).
        if restored.is_none()
            && let Some(base) = d.base_revision
            && base != row.revision
        {
            let newest = ed.find_revision(id, row.revision).await?;
            return Err(Error::Stale(crate::StaleEdit {
                by: newest
                    .as_ref()
                    .map(|r| r.username.clone())
                    .unwrap_or_default(),
                at: newest.map_or(row.updated_at, |r| r.created_at),
                version: row.revision,
            }));
        }
        let wanted = if d.slug.trim().is_empty() {
            row.slug.clone()
        } else {
            slugify(&d.slug)
        };
        let slug = if wanted == row.slug {
            wanted
        } else {
            self.unique_slug(&mut tx, actor.site, &wanted, Some(id))
                .await?
        };
        let fields = clean.fields(
            d,
            &slug,
            d.published_at.map_or(row.published_at, |t| t.as_second()),
        );
        ed.update(&mut tx, id, &fields, &clean.gallery, now).await?;
        if restored.is_none() {
            self.set_translation(&mut tx, actor.site, id, d).await?;
        }
        self.store
            .videos(actor.site)
            .set_for_article(&mut tx, id, &crate::media::videos::in_body(&clean.body))
            .await?;
        if slug != row.slug {
            ed.add_redirect(&mut tx, &row.slug, id).await?;
            ed.remove_redirect(&mut tx, &slug).await?;
        }
        if row.section_id != d.section_id {
            // The section it left lists one article fewer: its pages change too.
            self.store
                .changes()
                .record(&mut tx, ChangeKind::Listing, row.section_id, now)
                .await?;
        }
        let note;
        let (action, detail) = match restored {
            Some(rev) => {
                note = format!("Khôi phục phiên bản #{rev}");
                ("article.restore", format!("phiên bản #{rev}"))
            }
            None => {
                note = "Lưu".to_owned();
                let detail = if slug == row.slug {
                    clean.title.clone()
                } else {
                    format!("{} (đường dẫn: {} → {slug})", clean.title, row.slug)
                };
                ("article.save", detail)
            }
        };
        let state = SavedState {
            fields: &fields,
            gallery: &clean.gallery,
            status: row.status,
            note: &note,
        };
        let entry = Entry {
            action,
            kind: "article",
            id: Some(id),
            detail: &detail,
        };
        self.record_save(&mut tx, actor, id, &state, entry, now)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            id,
            slug,
            removed: clean.removed,
        })
    }

    /// Restores an old revision: a save with its content, itself a new revision.
    pub async fn restore(&self, actor: Actor<'_>, id: i64, rev: i64) -> Result<Saved> {
        let r = self.revision_of(actor, id, rev).await?;
        let row = self
            .store
            .editorial(actor.site)
            .find(id)
            .await?
            .ok_or(Error::NotFound)?;
        let gallery: Vec<GalleryItem> = serde_json::from_str(&r.gallery_json).unwrap_or_default();
        let draft = Draft {
            section_id: r.section_id,
            title: r.title,
            slug: r.slug,
            summary: r.summary,
            body_html: r.body_html,
            author: r.author,
            featured: row.featured,
            cover_media_id: r.cover_media_id,
            gallery_title: r.gallery_title,
            gallery,
            published_at: jiff::Timestamp::from_second(r.published_at).ok(),
            base_revision: None,
            translation_of: row.translation_of,
        };
        self.save_as(actor, id, &draft, Some(rev)).await
    }
}
