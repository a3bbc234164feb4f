//! What an import brings (from WordPress, from NukeViet): each section, article or page is
//! written with where it came from and its old addresses in one transaction, so that the old
//! links answer as soon as the item exists and a second import of the same source updates
//! what the first made instead of adding it again.

use super::Content;
use super::write::{NewArticle, NewImage};
use crate::navigation::Lang;
use crate::text::{nfc, sanitize_html, slugify};
use crate::{Error, Result};
use cong_store::changes::ChangeKind;
use cong_store::editorial::{EditFields, GalleryItem, Status};
use cong_store::{SiteId, Tx};

/// Where an imported item came from: the system ("wordpress", "nukeviet"), the kind of item
/// there ("post", "page", "category", …) and its id there.
#[derive(Debug, Clone, Copy)]
pub struct ImportOrigin<'a> {
    pub source: &'a str,
    pub kind: &'a str,
    pub id: &'a str,
}

/// What an import did with one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Added(i64),
    /// Imported before, and changed since: written again.
    Updated(i64),
    /// Imported before, the same now.
    Unchanged(i64),
}

impl Written {
    pub fn id(self) -> i64 {
        match self {
            Written::Added(id) | Written::Updated(id) | Written::Unchanged(id) => id,
        }
    }
}

/// How many numbered variants of a taken slug are tried before giving up.
const SLUG_TRIES: u32 = 50;

impl Content {
    /// A section for an imported category (its name and slug as the old site had them).
    pub async fn import_section(
        &self,
        site: SiteId,
        origin: ImportOrigin<'_>,
        name: &str,
        slug: &str,
        old: &[String],
    ) -> Result<(Written, String)> {
        let name = nfc(name.trim());
        let slug = match slugify(slug) {
            s if s.is_empty() => slugify(&name),
            s => s,
        };
        if slug.is_empty() {
            return Err(Error::Invalid(format!(
                "the category {} has no name",
                origin.id
            )));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let sections = self.store.sections(site);
        let known = self.origin(site, origin).await?;
        let (written, slug) = match known {
            Some(id) if sections.find_by_id(id).await?.is_some() => {
                let row = sections.find_by_id(id).await?.ok_or(Error::NotFound)?;
                (Written::Unchanged(id), row.slug)
            }
            _ => {
                let slug = match sections.find_by_slug(&slug).await? {
                    // A section of that name already on the site (made by hand): taken as it is.
                    Some(row) => {
                        let target = format!("/chuyen-muc/{}", row.slug);
                        self.remember(&mut tx, site, origin, row.id, old, &target, now, true)
                            .await?;
                        tx.commit().await?;
                        return Ok((Written::Unchanged(row.id), row.slug));
                    }
                    None => slug,
                };
                let position = i64::try_from(self.sections(site).await?.len()).unwrap_or(0);
                let row = cong_store::sections::NewSection {
                    slug: &slug,
                    name: &name,
                    description: "",
                    position,
                    parent_id: None,
                    in_menu: true,
                    page_id: None,
                    lang: Lang::Vi.code(),
                };
                let id = sections.insert(&mut tx, &row, now).await?;
                self.store
                    .changes()
                    .record(&mut tx, ChangeKind::Section, id, now)
                    .await?;
                (Written::Added(id), slug)
            }
        };
        let target = format!("/chuyen-muc/{slug}");
        self.remember(&mut tx, site, origin, written.id(), old, &target, now, true)
            .await?;
        tx.commit().await?;
        if matches!(written, Written::Added(_)) {
            self.forget_counts(None);
        }
        Ok((written, slug))
    }

    /// An imported article, published (from `published_at`, later ones scheduled) or a draft,
    /// with its gallery; its slug is kept when free. Returns what was done and its slug.
    pub async fn import_article(
        &self,
        site: SiteId,
        origin: ImportOrigin<'_>,
        a: &NewArticle<'_>,
        draft: bool,
        images: &[NewImage<'_>],
        old: &[String],
    ) -> Result<(Written, String)> {
        let title = nfc(a.title.trim());
        if title.is_empty() {
            return Err(Error::Invalid(format!(
                "the item {} has no title",
                origin.id
            )));
        }
        let summary = nfc(a.summary.trim());
        let body = sanitize_html(a.body_html);
        let author = nfc(a.author.trim());
        let gallery_title = nfc(a.gallery_title.trim());
        let gallery: Vec<GalleryItem> = images
            .iter()
            .map(|i| GalleryItem {
                media_id: i.media_id,
                caption: nfc(i.caption.trim()),
                alt: nfc(i.alt.trim()),
            })
            .collect();
        let now = self.now();
        let status = if draft {
            Status::Draft
        } else {
            Status::Published
        };
        let known = self.origin(site, origin).await?;
        let mut tx = self.store.begin().await?;
        let editorial = self.store.editorial(site);
        let existing = match known {
            Some(id) => editorial.find_for_update(&mut tx, id).await?,
            None => None,
        };
        let wanted = match a.slug {
            "" => slugify(&title),
            s => slugify(s),
        };
        let wanted = if wanted.is_empty() {
            slugify(&title)
        } else {
            wanted
        };
        let (written, slug) = match existing {
            Some(row) => {
                let same = row.title == title
                    && row.summary == summary
                    && row.body_html == body
                    && row.author == author
                    && row.section_id == a.section_id
                    && row.featured == a.featured
                    && row.cover_media_id == a.cover_media_id
                    && row.published_at == a.published_at.as_second()
                    && row.status == status
                    && editorial.gallery(row.id).await? == gallery;
                if same {
                    (Written::Unchanged(row.id), row.slug)
                } else {
                    let fields = EditFields {
                        section_id: a.section_id,
                        slug: &row.slug,
                        title: &title,
                        summary: &summary,
                        body_html: &body,
                        author: &author,
                        featured: a.featured,
                        cover_media_id: a.cover_media_id,
                        gallery_title: &gallery_title,
                        published_at: a.published_at.as_second(),
                    };
                    editorial
                        .update(&mut tx, row.id, &fields, &gallery, now)
                        .await?;
                    if row.status != status {
                        editorial
                            .set_status(&mut tx, row.id, status, "", None, now)
                            .await?;
                    }
                    (Written::Updated(row.id), row.slug)
                }
            }
            None => {
                let slug = self.free_slug(&mut tx, site, &wanted).await?;
                let row = cong_store::articles::NewArticle {
                    site_id: site,
                    section_id: a.section_id,
                    slug: &slug,
                    title: &title,
                    summary: &summary,
                    body_html: &body,
                    author: &author,
                    status: status.as_str(),
                    featured: a.featured,
                    cover_media_id: a.cover_media_id,
                    gallery_title: &gallery_title,
                    published_at: a.published_at.as_second(),
                };
                let id = self.store.articles().insert(&mut tx, &row, now).await?;
                for (pos, g) in gallery.iter().enumerate() {
                    self.store
                        .articles()
                        .insert_image(
                            &mut tx,
                            id,
                            i64::try_from(pos).unwrap_or(i64::MAX),
                            g.media_id,
                            &g.caption,
                            &g.alt,
                        )
                        .await?;
                }
                (Written::Added(id), slug)
            }
        };
        if !matches!(written, Written::Unchanged(_)) {
            self.store
                .videos(site)
                .set_for_article(&mut tx, written.id(), &crate::media::videos::in_body(&body))
                .await?;
            self.store
                .changes()
                .record(&mut tx, ChangeKind::Article, written.id(), now)
                .await?;
        }
        let target = format!("/bai-viet/{slug}");
        self.remember(
            &mut tx,
            site,
            origin,
            written.id(),
            old,
            &target,
            now,
            !draft,
        )
        .await?;
        tx.commit().await?;
        if !matches!(written, Written::Unchanged(_)) {
            self.forget_counts(None);
        }
        Ok((written, slug))
    }

    /// An imported static page. Returns what was done and its slug.
    pub async fn import_page(
        &self,
        site: SiteId,
        origin: ImportOrigin<'_>,
        slug: &str,
        title: &str,
        body_html: &str,
        old: &[String],
    ) -> Result<(Written, String)> {
        let title = nfc(title.trim());
        let wanted = match slugify(slug) {
            s if s.is_empty() => slugify(&title),
            s => s,
        };
        if wanted.is_empty() {
            return Err(Error::Invalid(format!(
                "the page {} has no title",
                origin.id
            )));
        }
        let body = sanitize_html(body_html);
        let now = self.now();
        let known = self.origin(site, origin).await?;
        let mut tx = self.store.begin().await?;
        let pages = self.store.pages(site);
        let existing = match known {
            Some(id) => pages.find_for_update(&mut tx, id).await?,
            None => None,
        };
        let (written, slug) = match existing {
            Some(row) if row.title == title && row.body_html == body => {
                (Written::Unchanged(row.id), row.slug)
            }
            Some(row) => {
                pages
                    .update(&mut tx, row.id, &row.slug, &title, &body, now)
                    .await?;
                (Written::Updated(row.id), row.slug)
            }
            None => {
                let mut slug = wanted.clone();
                let mut n = 1;
                while pages.find_by_slug(&slug).await?.is_some() {
                    if n >= SLUG_TRIES {
                        return Err(Error::Conflict(format!(
                            "page slug {wanted} taken too often"
                        )));
                    }
                    n += 1;
                    slug = format!("{wanted}-{n}");
                }
                let id = pages.insert(&mut tx, &slug, &title, &body, now).await?;
                (Written::Added(id), slug)
            }
        };
        if !matches!(written, Written::Unchanged(_)) {
            self.store
                .changes()
                .record(&mut tx, ChangeKind::Page, written.id(), now)
                .await?;
        }
        let target = format!("/trang/{slug}");
        self.remember(&mut tx, site, origin, written.id(), old, &target, now, true)
            .await?;
        tx.commit().await?;
        Ok((written, slug))
    }

    /// Records where an item kept elsewhere (a picture of the media library) came from and
    /// its old addresses, leading to `target`.
    pub async fn import_place(
        &self,
        site: SiteId,
        origin: ImportOrigin<'_>,
        id: i64,
        old: &[String],
        target: &str,
    ) -> Result<()> {
        let mut tx = self.store.begin().await?;
        self.remember(&mut tx, site, origin, id, old, target, self.now(), true)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The cong item an item of `origin` became, if imported before.
    pub async fn origin(&self, site: SiteId, origin: ImportOrigin<'_>) -> Result<Option<i64>> {
        Ok(self
            .store
            .redirects()
            .origin(site, origin.source, origin.kind, origin.id)
            .await?)
    }

    /// Records the origin and, for what the public may see, the old addresses.
    #[allow(clippy::too_many_arguments)]
    async fn remember(
        &self,
        tx: &mut Tx,
        site: SiteId,
        origin: ImportOrigin<'_>,
        id: i64,
        old: &[String],
        target: &str,
        now: i64,
        public: bool,
    ) -> Result<()> {
        let redirects = self.store.redirects();
        redirects
            .put_origin(tx, site, origin.source, origin.kind, origin.id, id)
            .await?;
        if public {
            for path in old {
                if path != target {
                    redirects.put(tx, site, path, target, now).await?;
                }
            }
        }
        Ok(())
    }

    /// `base`, or `base-2`, `base-3`, … the first no article of the site has or left behind.
    async fn free_slug(&self, tx: &mut Tx, site: SiteId, base: &str) -> Result<String> {
        let editorial = self.store.editorial(site);
        let mut slug = base.to_owned();
        let mut n = 1;
        while editorial.slug_taken(tx, &slug, None).await? {
            if n >= SLUG_TRIES {
                return Err(Error::Conflict(format!("slug {base} taken too often")));
            }
            n += 1;
            slug = format!("{base}-{n}");
        }
        Ok(slug)
    }
}
