//! A WordPress export (WXR) into a cong site: categories become sections, posts articles
//! (sticky ones featured, galleries the article's gallery, captions figures), pages static
//! pages, attachments pictures of the media library; every old address is kept.

use super::body::{Body, Stored, plain};
use super::{Files, Outcome, Report};
use crate::Result;
use crate::content::{Content, ImportOrigin, NewArticle, NewImage, Written};
use crate::media::MediaLibrary;
use crate::redirects::old_address_of;
use cong_store::SiteId;
use cong_wxr::{Export, Item, PostType, Status};
use std::collections::HashMap;

pub(super) const SOURCE: &str = "wordpress";

/// What an import needs.
pub struct Import<'a, F: Files> {
    pub content: &'a Content,
    pub media: &'a MediaLibrary,
    pub files: &'a F,
    pub site: SiteId,
    /// Reports what would be done, writes nothing.
    pub dry_run: bool,
}

impl<F: Files> Import<'_, F> {
    pub async fn run(&self, export: &Export) -> Result<Report> {
        let mut report = Report::default();
        let sections = self.categories(export, &mut report).await?;
        let pictures = self.attachments(export, &mut report).await?;
        let fallback = sections.values().next().copied();
        for item in &export.items {
            match item.post_type {
                PostType::Post => {
                    self.post(export, item, &sections, fallback, &pictures, &mut report)
                        .await?
                }
                PostType::Page => self.page(export, item, &pictures, &mut report).await?,
                PostType::Attachment => {}
                PostType::Other(ref kind) => report.line(
                    kind,
                    item.id,
                    &plain(&item.title),
                    Outcome::Skipped(format!("cong has no items of the kind “{kind}”")),
                    None,
                ),
            }
        }
        let tags: Vec<&str> = export
            .taxonomy("post_tag")
            .map(|t| t.name.as_str())
            .collect();
        if !tags.is_empty() {
            report.notice(
                "post_tag",
                "",
                format!("cong has no tags; not taken: {}", tags.join(", ")),
            );
        }
        for (kind, wp) in [
            ("category", "category"),
            ("attachment", "attachment"),
            ("post", "post"),
            ("page", "page"),
        ] {
            let in_source = if kind == "category" {
                export.taxonomy("category").count()
            } else {
                export
                    .items
                    .iter()
                    .filter(|i| i.post_type.as_str() == wp)
                    .count()
            };
            let imported = report.count(kind, |o| {
                matches!(
                    o,
                    Outcome::Added
                        | Outcome::Updated
                        | Outcome::Unchanged
                        | Outcome::WouldAdd
                        | Outcome::WouldUpdate
                )
            });
            report.counts.push(super::Count {
                kind: kind.to_owned(),
                in_source,
                imported,
            });
        }
        Ok(report)
    }

    /// What a dry run says of an item: added, or updated if imported before.
    pub(super) async fn would(&self, kind: &str, id: &str) -> Result<Outcome> {
        let origin = ImportOrigin {
            source: SOURCE,
            kind,
            id,
        };
        Ok(match self.content.origin(self.site, origin).await? {
            Some(_) => Outcome::WouldUpdate,
            None => Outcome::WouldAdd,
        })
    }

    /// Sections for the categories posts are filed under, parents first; by slug.
    async fn categories(
        &self,
        export: &Export,
        report: &mut Report,
    ) -> Result<HashMap<String, i64>> {
        let mut out = HashMap::new();
        let used = |slug: &str| {
            export.items.iter().any(|i| {
                i.post_type == PostType::Post && i.terms("category").any(|c| c.slug == slug)
            })
        };
        let mut terms: Vec<_> = export.taxonomy("category").collect();
        // Parents before children, so a child's old address can name its parent's.
        terms.sort_by_key(|t| !t.parent.is_empty());
        for t in terms {
            let name = plain(&t.name);
            let id = t.id.to_string();
            if !used(&t.slug) {
                report.line(
                    "category",
                    &id,
                    &name,
                    Outcome::Skipped("no post is filed under it".to_owned()),
                    None,
                );
                continue;
            }
            let mut old = vec![format!("/?cat={}", t.id), format!("/category/{}", t.slug)];
            if !t.parent.is_empty() {
                old.push(format!("/category/{}/{}", t.parent, t.slug));
            }
            let old: Vec<String> = old.iter().filter_map(|u| old_address_of(u)).collect();
            if self.dry_run {
                let outcome = self.would("category", &id).await?;
                report.line("category", &id, &name, outcome, None);
                out.insert(t.slug.clone(), 0);
                continue;
            }
            let origin = ImportOrigin {
                source: SOURCE,
                kind: "category",
                id: &id,
            };
            match self
                .content
                .import_section(self.site, origin, &name, &t.slug, &old)
                .await
            {
                Ok((written, slug)) => {
                    out.insert(t.slug.clone(), written.id());
                    report.line(
                        "category",
                        &id,
                        &name,
                        written.into(),
                        Some(format!("/chuyen-muc/{slug}")),
                    );
                }
                Err(e) => report.line("category", &id, &name, Outcome::Failed(e.to_string()), None),
            }
        }
        Ok(out)
    }

    async fn post(
        &self,
        export: &Export,
        item: &Item,
        sections: &HashMap<String, i64>,
        fallback: Option<i64>,
        pictures: &HashMap<i64, Stored>,
        report: &mut Report,
    ) -> Result<()> {
        let id = item.id.to_string();
        let title = plain(&item.title);
        let draft = match &item.status {
            Status::Publish | Status::Future => false,
            Status::Draft | Status::Pending | Status::Private => true,
            other => {
                report.line(
                    "post",
                    &id,
                    &title,
                    Outcome::Skipped(format!("its status is {other:?}")),
                    None,
                );
                return Ok(());
            }
        };
        if !item.password.is_empty() {
            report.notice(
                "post",
                &id,
                "protected by a password on the old site: imported as a draft",
            );
        }
        let draft = draft || !item.password.is_empty();
        let Some(section) = item
            .terms("category")
            .filter_map(|c| sections.get(&c.slug))
            .next()
            .copied()
            .or(fallback)
        else {
            report.line(
                "post",
                &id,
                &title,
                Outcome::Skipped("no section to file it under".to_owned()),
                None,
            );
            return Ok(());
        };
        let body = Body::of(&item.content, pictures, export);
        for n in &body.notices {
            report.notice("post", &id, n.clone());
        }
        if !item.comments.is_empty() {
            report.notice(
                "post",
                &id,
                format!(
                    "{} comment(s) not taken: cong has no comments on articles",
                    item.comments.len()
                ),
            );
        }
        let old: Vec<String> = [
            format!("/?p={}", item.id),
            item.link.clone(),
            item.guid.clone(),
        ]
        .iter()
        .filter_map(|u| old_address_of(u))
        .collect();
        if self.dry_run {
            let outcome = self.would("post", &id).await?;
            report.line("post", &id, &title, outcome, None);
            return Ok(());
        }
        let author = export
            .author(&item.creator)
            .map(|a| a.byline())
            .unwrap_or_default();
        let summary = plain(&item.excerpt);
        // A draft never published has no date: its last change, or when it was written,
        // stands in (the same on every run, so a second import leaves it unchanged).
        let published_at = item
            .published()
            .or_else(|| item.modified())
            .or_else(|| item.written())
            .unwrap_or_else(jiff::Timestamp::now);
        let cover = item
            .thumbnail()
            .and_then(|t| pictures.get(&t))
            .map(|p| p.id);
        let images: Vec<NewImage<'_>> = body
            .gallery
            .iter()
            .filter_map(|g| pictures.get(g))
            .map(|p| NewImage {
                media_id: p.id,
                caption: &p.caption,
                alt: if p.alt.is_empty() { &p.caption } else { &p.alt },
            })
            .filter(|i| !i.alt.trim().is_empty() || !i.caption.is_empty())
            .collect();
        let article = NewArticle {
            section_id: section,
            title: &title,
            slug: &item.name,
            summary: &summary,
            body_html: &body.html,
            author: &author,
            featured: item.sticky,
            cover_media_id: cover,
            gallery_title: "",
            published_at,
        };
        let origin = ImportOrigin {
            source: SOURCE,
            kind: "post",
            id: &id,
        };
        match self
            .content
            .import_article(self.site, origin, &article, draft, &images, &old)
            .await
        {
            Ok((written, slug)) => report.line(
                "post",
                &id,
                &title,
                written.into(),
                Some(format!("/bai-viet/{slug}")),
            ),
            Err(e) => report.line("post", &id, &title, Outcome::Failed(e.to_string()), None),
        }
        Ok(())
    }

    async fn page(
        &self,
        export: &Export,
        item: &Item,
        pictures: &HashMap<i64, Stored>,
        report: &mut Report,
    ) -> Result<()> {
        let id = item.id.to_string();
        let title = plain(&item.title);
        if item.status != Status::Publish {
            report.line(
                "page",
                &id,
                &title,
                Outcome::Skipped(format!(
                    "not published ({:?}): cong's pages are public",
                    item.status
                )),
                None,
            );
            return Ok(());
        }
        if item.parent != 0 {
            report.notice("page", &id, format!("a child of page {} on the old site: cong's pages stand alone (link it from the menu)", item.parent));
        }
        let body = Body::of(&item.content, pictures, export);
        for n in &body.notices {
            report.notice("page", &id, n.clone());
        }
        let old: Vec<String> = [
            format!("/?page_id={}", item.id),
            item.link.clone(),
            item.guid.clone(),
        ]
        .iter()
        .filter_map(|u| old_address_of(u))
        .collect();
        if self.dry_run {
            let outcome = self.would("page", &id).await?;
            report.line("page", &id, &title, outcome, None);
            return Ok(());
        }
        let origin = ImportOrigin {
            source: SOURCE,
            kind: "page",
            id: &id,
        };
        match self
            .content
            .import_page(self.site, origin, &item.name, &title, &body.html, &old)
            .await
        {
            Ok((written, slug)) => report.line(
                "page",
                &id,
                &title,
                Written::into(written),
                Some(format!("/trang/{slug}")),
            ),
            Err(e) => report.line("page", &id, &title, Outcome::Failed(e.to_string()), None),
        }
        Ok(())
    }
}
