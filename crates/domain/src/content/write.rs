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
        Ok(id)
    }
}
