//! The back office's writes to sections, static pages and the site's settings: each checks
//! the acting user's role, then writes the change, its audit entry and its change record in
//! one transaction.

use super::Content;
use crate::audit::{self, Actor, Entry};
use crate::auth::{Action, Role, TOTP_REQUIRED_KEY};
use crate::text::{nfc, slugify};
use crate::{Error, Result};
use cong_store::Error as StoreError;
use cong_store::changes::ChangeKind;

/// A static page as the back office saves it.
#[derive(Debug, Clone, Copy)]
pub struct PageInput<'a> {
    /// Empty: derived from the title.
    pub slug: &'a str,
    pub title: &'a str,
    /// Anything a browser can send; sanitized on save.
    pub body_html: &'a str,
    pub lang: crate::navigation::Lang,
    /// The page (in another language) it translates.
    pub translation_of: Option<i64>,
}

/// A section as the back office edits it.
#[derive(Debug, Clone, Default)]
pub struct SectionForm {
    pub name: String,
    /// Empty: derived from the name.
    pub slug: String,
    pub description: String,
    pub position: i64,
    pub parent_id: Option<i64>,
    pub in_menu: bool,
    pub page_id: Option<i64>,
    /// Other sites whose newest articles the section gathers (a portal's "Tin từ các sở,
    /// ngành"); empty for an ordinary section.
    pub sources: Vec<cong_store::SiteId>,
    /// The language of its articles.
    pub lang: crate::navigation::Lang,
}

fn slug_taken(slug: &str) -> Error {
    Error::Fields(vec![(
        "slug".into(),
        format!("Đường dẫn “{slug}” đã được dùng."),
    )])
}

impl Content {
    async fn check_section(
        &self,
        site: cong_store::SiteId,
        id: Option<i64>,
        f: &SectionForm,
    ) -> Result<String> {
        let name = nfc(f.name.trim());
        if name.is_empty() {
            return Err(Error::Fields(vec![(
                "name".into(),
                "Nhập tên chuyên mục.".into(),
            )]));
        }
        let slug = slugify(if f.slug.trim().is_empty() {
            &name
        } else {
            &f.slug
        });
        if slug.is_empty() {
            return Err(Error::Fields(vec![(
                "slug".into(),
                "Đường dẫn cần có chữ hoặc số.".into(),
            )]));
        }
        if let Some(parent) = f.parent_id {
            let all = self.store.sections(site).list_all().await?;
            let p = all.iter().find(|s| s.id == parent).ok_or_else(|| {
                Error::Fields(vec![(
                    "parent_id".into(),
                    "Chuyên mục cha không có.".into(),
                )])
            })?;
            // One level of nesting: a parent must be top level, and not the section itself
            // nor one that has children of its own.
            let has_children = id.is_some_and(|me| all.iter().any(|s| s.parent_id == Some(me)));
            if p.parent_id.is_some() || Some(parent) == id || has_children {
                return Err(Error::Fields(vec![(
                    "parent_id".into(),
                    "Chuyên mục chỉ lồng được một cấp.".into(),
                )]));
            }
        }
        if let Some(page) = f.page_id
            && self.store.pages(site).find_by_id(page).await?.is_none()
        {
            return Err(Error::Fields(vec![(
                "page_id".into(),
                "Trang tĩnh này không có.".into(),
            )]));
        }
        if !f.sources.is_empty() {
            let sites = self.store.sites().list_all().await?;
            if f.sources
                .iter()
                .any(|src| *src == site || !sites.iter().any(|s| s.id == *src))
            {
                return Err(Error::Fields(vec![(
                    "sources".into(),
                    "Chỉ lấy tin được từ các trang thành phần khác.".into(),
                )]));
            }
        }
        Ok(slug)
    }

    /// Creates a section, or (with `id`) renames, moves, reorders, shows or hides one;
    /// returns its id.
    pub async fn save_section(
        &self,
        actor: Actor<'_>,
        id: Option<i64>,
        f: &SectionForm,
    ) -> Result<i64> {
        actor.require(Action::ManageSections)?;
        let site = actor.site;
        let slug = self.check_section(actor.site, id, f).await?;
        let name = nfc(f.name.trim());
        let row = cong_store::sections::NewSection {
            slug: &slug,
            name: &name,
            description: &nfc(f.description.trim()),
            position: f.position,
            parent_id: f.parent_id,
            in_menu: f.in_menu,
            page_id: f.page_id,
            lang: f.lang.code(),
        };
        let now = self.now();
        let sections = self.store.sections(site);
        let mut tx = self.store.begin().await?;
        let (id, action) = match id {
            None => match sections.insert(&mut tx, &row, now).await {
                Ok(id) => (id, "section.create"),
                Err(StoreError::Conflict { .. }) => return Err(slug_taken(&slug)),
                Err(e) => return Err(e.into()),
            },
            Some(id) => match sections.update(&mut tx, id, &row, now).await {
                Ok(true) => (id, "section.update"),
                Ok(false) => return Err(Error::NotFound),
                Err(StoreError::Conflict { .. }) => return Err(slug_taken(&slug)),
                Err(e) => return Err(e.into()),
            },
        };
        let entry = Entry {
            action,
            kind: "section",
            id: Some(id),
            detail: &name,
        };
        let mut sources = f.sources.clone();
        sources.sort_unstable();
        sources.dedup();
        sections.set_sources(&mut tx, id, &sources).await?;
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Section, id, now)
            .await?;
        tx.commit().await?;
        self.forget_counts(None);
        Ok(id)
    }

    /// Creates a static page, or (with `id`) saves one: title, slug and body (sanitized).
    /// Returns its id and what the allow-list removed from the body. A save that names the
    /// `version` its form was opened at is refused ([`Error::Stale`]) if another came between.
    pub async fn save_page(
        &self,
        actor: Actor<'_>,
        id: Option<i64>,
        version: Option<i64>,
        input: &PageInput<'_>,
    ) -> Result<(i64, Vec<String>)> {
        actor.require(Action::ManagePages)?;
        let site = actor.site;
        let PageInput {
            slug,
            title,
            body_html,
            lang,
            translation_of,
        } = *input;
        let title = nfc(title.trim());
        if title.is_empty() {
            return Err(Error::Fields(vec![(
                "title".into(),
                "Nhập tiêu đề.".into(),
            )]));
        }
        let slug = slugify(if slug.trim().is_empty() { &title } else { slug });
        if slug.is_empty() {
            return Err(Error::Fields(vec![(
                "slug".into(),
                "Đường dẫn cần có chữ hoặc số.".into(),
            )]));
        }
        if let Some(original) = translation_of {
            let found = self.store.pages(site).find_by_id(original).await?;
            if found.is_none_or(|o| o.lang == lang.code() || Some(o.id) == id) {
                return Err(Error::Fields(vec![(
                    "translation_of".into(),
                    "Trang được dịch phải là một trang khác, bằng ngôn ngữ khác.".into(),
                )]));
            }
        }
        let (body, removed) = crate::text::sanitize_report(body_html);
        let body = crate::media::pictures::enrich_body(&self.store, site, body).await?;
        let now = self.now();
        let pages = self.store.pages(site);
        let mut tx = self.store.begin().await?;
        let (id, action) = match id {
            None => match pages.insert(&mut tx, &slug, &title, &body, now).await {
                Ok(id) => (id, "page.create"),
                Err(StoreError::Conflict { .. }) => return Err(slug_taken(&slug)),
                Err(e) => return Err(e.into()),
            },
            Some(id) => match pages.find_for_update(&mut tx, id).await? {
                None => return Err(Error::NotFound),
                Some(p) if version.is_some_and(|v| v != p.version) => {
                    return Err(Error::Stale(crate::StaleEdit {
                        by: String::new(),
                        at: p.updated_at,
                        version: p.version,
                    }));
                }
                Some(_) => match pages.update(&mut tx, id, &slug, &title, &body, now).await {
                    Ok(true) => (id, "page.update"),
                    Ok(false) => return Err(Error::NotFound),
                    Err(StoreError::Conflict { .. }) => return Err(slug_taken(&slug)),
                    Err(e) => return Err(e.into()),
                },
            },
        };
        pages
            .set_language(&mut tx, id, lang.code(), translation_of)
            .await?;
        let entry = Entry {
            action,
            kind: "page",
            id: Some(id),
            detail: &title,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Page, id, now)
            .await?;
        tx.commit().await?;
        self.forget_counts(None);
        Ok((id, removed))
    }

    /// Sets the files a static page carries (in order).
    pub async fn set_page_files(&self, actor: Actor<'_>, id: i64, files: &[i64]) -> Result<()> {
        actor.require(Action::ManagePages)?;
        if self.store.pages(actor.site).find_by_id(id).await?.is_none() {
            return Err(Error::NotFound);
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        crate::files::attach_in(
            &self.store,
            &mut tx,
            crate::auth::By::User(actor),
            actor.site,
            cong_store::files::Owner::Page,
            id,
            files,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Saves the settings form: the site's own data (every key of [`super::Site::KEYS`],
    /// each checked before any is written) and the roles that must use a second factor.
    /// The errors name the fields, in the form's words.
    pub async fn save_settings(
        &self,
        actor: Actor<'_>,
        value: impl Fn(&str) -> String,
        totp_roles: &[Role],
    ) -> Result<()> {
        actor.require(Action::ManageSettings)?;
        let site = actor.site;
        let values: Vec<(&str, String)> = super::Site::KEYS
            .iter()
            .map(|(key, _)| (*key, nfc(value(key).trim())))
            .collect();
        let errors: Vec<(String, String)> = super::Site::KEYS
            .iter()
            .zip(&values)
            .filter_map(|((key, label), (_, v))| {
                super::Site::check(key, v).map(|why| ((*key).to_owned(), format!("{label}: {why}")))
            })
            .collect();
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let roles: Vec<&str> = totp_roles.iter().map(|r| r.as_str()).collect();
        let now = self.now();
        let settings = self.store.settings(site);
        let mut tx = self.store.begin().await?;
        for (key, v) in &values {
            settings.set(&mut tx, key, v).await?;
        }
        settings
            .set(&mut tx, TOTP_REQUIRED_KEY, &roles.join(","))
            .await?;
        let entry = Entry {
            action: "settings.update",
            kind: "settings",
            id: None,
            detail: "",
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Settings, site.0, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
