//! Loading content without a back-office user (the demo, imports): every text stored NFC,
//! every body through the allow-list, every slug folded from Vietnamese and made unique, and
//! each item with its change record in one transaction.

use super::Content;
use crate::navigation::Lang;
use crate::text::{nfc, sanitize_html, slugify};
use crate::{Error, Result};
use cong_store::SiteId;
use cong_store::changes::ChangeKind;

/// A new article as the demo (or an import) gives it; the body may be untrusted HTML.
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
        site: SiteId,
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
        let mut tx = self.store.begin().await?;
        let mut slug = base.clone();
        let mut n = 1;
        while self
            .store
            .editorial(site)
            .slug_taken(&mut tx, &slug, None)
            .await?
        {
            if n >= SLUG_TRIES {
                return Err(Error::Conflict(format!("slug {base} taken too often")));
            }
            n += 1;
            slug = format!("{base}-{n}");
        }
        let row = cong_store::articles::NewArticle {
            site_id: site,
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
        let id = self.store.articles().insert(&mut tx, &row, now).await?;
        for (pos, img) in images.iter().enumerate() {
            self.store
                .articles()
                .insert_image(
                    &mut tx,
                    id,
                    i64::try_from(pos).unwrap_or(i64::MAX),
                    img.media_id,
                    &nfc(img.caption.trim()),
                    &nfc(img.alt.trim()),
                )
                .await?;
        }
        self.store
            .videos(site)
            .set_for_article(&mut tx, id, &crate::media::videos::in_body(&body))
            .await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Article, id, now)
            .await?;
        tx.commit().await?;
        self.forget_counts(None);
        Ok((id, slug))
    }

    /// Stores a static page; returns its id.
    pub async fn create_page(
        &self,
        site: SiteId,
        slug: &str,
        title: &str,
        body_html: &str,
    ) -> Result<i64> {
        let slug = slugify(slug);
        if slug.is_empty() {
            return Err(Error::Invalid("a page needs a slug".to_owned()));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let id = self
            .store
            .pages(site)
            .insert(
                &mut tx,
                &slug,
                &nfc(title.trim()),
                &sanitize_html(body_html),
                now,
            )
            .await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Page, id, now)
            .await?;
        tx.commit().await?;
        self.forget_counts(None);
        Ok(id)
    }

    /// Sets a static page's language and the page it translates (for the demo and tools;
    /// the back office saves both with the page).
    pub async fn set_page_language(
        &self,
        site: SiteId,
        id: i64,
        lang: Lang,
        translation_of: Option<i64>,
    ) -> Result<()> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        self.store
            .pages(site)
            .set_language(&mut tx, id, lang.code(), translation_of)
            .await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Page, id, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the article (in another language) an article translates (for the demo and
    /// tools; the back office saves it with the article).
    pub async fn set_article_translation(
        &self,
        site: SiteId,
        id: i64,
        translation_of: Option<i64>,
    ) -> Result<()> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        self.store
            .articles()
            .set_translation(&mut tx, site, id, translation_of)
            .await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Article, id, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a section; returns its id.
    pub async fn create_section(
        &self,
        site: SiteId,
        name: &str,
        position: i64,
        page_id: Option<i64>,
    ) -> Result<i64> {
        self.create_section_in(site, Lang::Vi, name, position, page_id)
            .await
    }

    /// Stores a section whose articles are in `lang`; returns its id.
    pub async fn create_section_in(
        &self,
        site: SiteId,
        lang: Lang,
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
            lang: lang.code(),
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let id = self.store.sections(site).insert(&mut tx, &row, now).await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Section, id, now)
            .await?;
        tx.commit().await?;
        self.forget_counts(None);
        Ok(id)
    }

    /// Sets the sites a section gathers from, for seeding (the demo, tools): the back
    /// office sets them through [`Content::save_section`], checked and audited.
    pub async fn set_section_sources(
        &self,
        site: SiteId,
        section: i64,
        sources: &[SiteId],
    ) -> Result<()> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        self.store
            .sections(site)
            .set_sources(&mut tx, section, sources)
            .await?;
        self.store
            .changes()
            .record(&mut tx, ChangeKind::Section, section, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every static page with its body.
    pub async fn all_pages(&self, site: SiteId) -> Result<Vec<super::Page>> {
        Ok(self
            .store
            .pages(site)
            .list_all()
            .await?
            .into_iter()
            .map(super::Page::from)
            .collect())
    }

    pub async fn page_by_id(&self, site: SiteId, id: i64) -> Result<super::Page> {
        self.store
            .pages(site)
            .find_by_id(id)
            .await?
            .map(super::Page::from)
            .ok_or(Error::NotFound)
    }
}
