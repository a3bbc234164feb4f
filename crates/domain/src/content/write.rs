//! Writing content: every text stored NFC, every body through the allow-list, every slug
//! folded from Vietnamese and made unique.

use super::Content;
use crate::text::{nfc, sanitize_html, slugify};
use crate::{Error, Result};
use cong_store::Error as StoreError;

/// A new article as an editor (or the demo) gives it; the body may be untrusted HTML.
#[derive(Debug, Clone)]
pub struct NewArticle<'a> {
    pub section_id: i64,
    pub title: &'a str,
    /// Empty to derive it from the title.
    pub slug: &'a str,
    pub summary: &'a str,
    pub body_html: &'a str,
    pub author: &'a str,
    pub featured: bool,
    pub cover_media_id: Option<i64>,
    pub gallery_title: &'a str,
    pub published_at: jiff::Timestamp,
}

/// An image of a gallery; `alt` is required.
#[derive(Debug, Clone)]
pub struct NewImage<'a> {
    pub media_id: i64,
    pub caption: &'a str,
    pub alt: &'a str,
}

/// How many numbered variants of a taken slug are tried before giving up.
const SLUG_TRIES: u32 = 50;

impl Content {
    /// Stores a published article with its gallery; returns its id and slug.
    pub async fn create_article(
        &self,
        a: &NewArticle<'_>,
        images: &[NewImage<'_>],
    ) -> Result<(i64, String)> {
        let title = nfc(a.title.trim());
        if title.is_empty() {
            return Err(Error::Invalid("an article needs a title".to_owned()));
        }
        if let Some(i) = images.iter().find(|i| i.alt.trim().is_empty()) {
            return Err(Error::Invalid(format!(
                "every gallery image needs alt text (media {})",
                i.media_id
            )));
        }
        let base = if a.slug.is_empty() {
            slugify(&title)
        } else {
            slugify(a.slug)
        };
        if base.is_empty() {
            return Err(Error::Invalid("the title gives an empty slug".to_owned()));
        }
        let summary = nfc(a.summary.trim());
        let body = sanitize_html(a.body_html);
        let author = nfc(a.author.trim());
        let gallery_title = nfc(a.gallery_title.trim());
        let now = self.now();
        let mut slug = base.clone();
        let mut n = 1;
        let id = loop {
            let row = cong_store::articles::NewArticle {
                section_id: a.section_id,
                slug: &slug,
                title: &title,
                summary: &summary,
                body_html: &body,
                author: &author,
                status: "published",
                featured: a.featured,
                cover_media_id: a.cover_media_id,
                gallery_title: &gallery_title,
                published_at: a.published_at.as_second(),
            };
            match self.store.articles().insert(&row, now).await {
                Ok(id) => break id,
                Err(StoreError::Conflict { .. }) if n < SLUG_TRIES => {
                    n += 1;
                    slug = format!("{base}-{n}");
                }
                Err(e) => return Err(e.into()),
            }
        };
        self.store.changes().record("article", id, now).await?;
        self.forget_counts(None);
        for (pos, img) in images.iter().enumerate() {
            self.store
                .articles()
                .insert_image(
                    id,
                    i64::try_from(pos).unwrap_or(i64::MAX),
                    img.media_id,
                    &nfc(img.caption.trim()),
                    &nfc(img.alt.trim()),
                )
                .await?;
        }
        Ok((id, slug))
    }

    /// Stores a static page; returns its id.
    pub async fn create_page(&self, slug: &str, title: &str, body_html: &str) -> Result<i64> {
        let slug = slugify(slug);
        if slug.is_empty() {
            return Err(Error::Invalid("a page needs a slug".to_owned()));
        }
        let now = self.now();
        let id = self
            .store
            .pages()
            .insert(&slug, &nfc(title.trim()), &sanitize_html(body_html), now)
            .await?;
        self.store.changes().record("page", id, now).await?;
        self.forget_counts(None);
        Ok(id)
    }

    /// Stores a section; returns its id.
    pub async fn create_section(
        &self,
        name: &str,
        position: i64,
        page_id: Option<i64>,
    ) -> Result<i64> {
        let name = nfc(name.trim());
        let slug = slugify(&name);
        if slug.is_empty() {
            return Err(Error::Invalid("a section needs a name".to_owned()));
        }
        let row = cong_store::sections::NewSection {
            slug: &slug,
            name: &name,
            description: "",
            position,
            parent_id: None,
            in_menu: true,
            page_id,
        };
        let now = self.now();
        let id = self.store.sections().insert(&row, now).await?;
        self.store.changes().record("section", id, now).await?;
        self.forget_counts(None);
        Ok(id)
    }
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
}

impl Content {
    async fn check_section(&self, id: Option<i64>, f: &SectionForm) -> Result<String> {
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
            let all = self.store.sections().list_all().await?;
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
        Ok(slug)
    }

    /// Creates a section from the back office's form; returns its id.
    pub async fn add_section(&self, f: &SectionForm) -> Result<i64> {
        let slug = self.check_section(None, f).await?;
        let name = nfc(f.name.trim());
        let row = cong_store::sections::NewSection {
            slug: &slug,
            name: &name,
            description: &nfc(f.description.trim()),
            position: f.position,
            parent_id: f.parent_id,
            in_menu: f.in_menu,
            page_id: f.page_id,
        };
        let now = self.now();
        let id = match self.store.sections().insert(&row, now).await {
            Err(StoreError::Conflict { .. }) => {
                return Err(Error::Fields(vec![(
                    "slug".into(),
                    format!("Đường dẫn “{slug}” đã được dùng."),
                )]));
            }
            other => other?,
        };
        self.store.changes().record("section", id, now).await?;
        self.forget_counts(None);
        Ok(id)
    }

    /// Renames, moves, reorders, shows or hides a section.
    pub async fn update_section(&self, id: i64, f: &SectionForm) -> Result<()> {
        let slug = self.check_section(Some(id), f).await?;
        let name = nfc(f.name.trim());
        let row = cong_store::sections::NewSection {
            slug: &slug,
            name: &name,
            description: &nfc(f.description.trim()),
            position: f.position,
            parent_id: f.parent_id,
            in_menu: f.in_menu,
            page_id: f.page_id,
        };
        let now = self.now();
        match self.store.sections().update(id, &row, now).await {
            Ok(true) => {}
            Ok(false) => return Err(Error::NotFound),
            Err(StoreError::Conflict { .. }) => {
                return Err(Error::Fields(vec![(
                    "slug".into(),
                    format!("Đường dẫn “{slug}” đã được dùng."),
                )]));
            }
            Err(e) => return Err(e.into()),
        }
        self.store.changes().record("section", id, now).await?;
        self.forget_counts(None);
        Ok(())
    }

    /// Saves a static page's title, slug and body (sanitized); returns what was removed.
    pub async fn update_page(
        &self,
        id: i64,
        slug: &str,
        title: &str,
        body_html: &str,
    ) -> Result<Vec<String>> {
        let title = nfc(title.trim());
        if title.is_empty() {
            return Err(Error::Fields(vec![(
                "title".into(),
                "Nhập tiêu đề.".into(),
            )]));
        }
        let slug = slugify(if slug.trim().is_empty() { &title } else { slug });
        let (body, removed) = crate::text::sanitize_report(body_html);
        let now = self.now();
        match self
            .store
            .pages()
            .update(id, &slug, &title, &body, now)
            .await
        {
            Ok(true) => {}
            Ok(false) => return Err(Error::NotFound),
            Err(StoreError::Conflict { .. }) => {
                return Err(Error::Fields(vec![(
                    "slug".into(),
                    format!("Đường dẫn “{slug}” đã được dùng."),
                )]));
            }
            Err(e) => return Err(e.into()),
        }
        self.store.changes().record("page", id, now).await?;
        self.forget_counts(None);
        Ok(removed)
    }

    /// Every static page with its body.
    pub async fn all_pages(&self) -> Result<Vec<super::Page>> {
        Ok(self
            .store
            .pages()
            .list_all()
            .await?
            .into_iter()
            .map(super::Page::from)
            .collect())
    }

    pub async fn page_by_id(&self, id: i64) -> Result<super::Page> {
        self.store
            .pages()
            .find_by_id(id)
            .await?
            .map(super::Page::from)
            .ok_or(Error::NotFound)
    }

    /// Sets a site setting (names, footer); only keys of [`super::Site::KEYS`].
    pub async fn set_site_setting(&self, key: &str, value: &str) -> Result<()> {
        if !super::Site::KEYS.iter().any(|(k, _)| *k == key) {
            return Err(Error::Invalid(format!("unknown setting {key}")));
        }
        if let Some(why) = super::Site::check(key, value) {
            return Err(Error::Invalid(why.to_owned()));
        }
        self.store.settings().set(key, &nfc(value.trim())).await?;
        self.store
            .changes()
            .record("settings", 0, self.now())
            .await?;
        Ok(())
    }
}
