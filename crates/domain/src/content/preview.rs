//! An article as its public page would show it, before it is saved or published: the data of
//! the back office's preview and of preview links. Read only; nothing is counted.

use super::model::widths;
use super::read::summaries;
use super::{Article, ArticlePage, Content, GalleryImage, Paged, Section, offset_of, page_count};
use crate::{Error, Result};
use cong_store::SiteId;
use jiff::Timestamp;

/// The fields a preview shows (the body already through the allow-list).
#[derive(Debug, Clone, Default)]
pub struct PreviewArticle {
    /// 0 for an article not saved yet.
    pub id: i64,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub author: String,
    pub cover_media_id: Option<i64>,
    pub gallery_title: String,
    /// (image, caption, alt), in order.
    pub gallery: Vec<(i64, String, String)>,
    pub published_at: i64,
    pub updated_at: i64,
}

impl Content {
    /// The article page `p` would make: its pictures from the library, its section, and the
    /// first page of "Tin khác" as readers see it now.
    pub async fn preview_page(&self, site: SiteId, p: PreviewArticle) -> Result<ArticlePage> {
        let now = self.now();
        let media = self.store.media(site);
        let cover = match p.cover_media_id {
            Some(id) => media.find_by_id(id).await?,
            None => None,
        };
        let mut gallery = Vec::with_capacity(p.gallery.len());
        for (id, caption, alt) in p.gallery {
            if let Some(m) = media.find_by_id(id).await? {
                gallery.push(GalleryImage {
                    file_name: m.file_name,
                    caption,
                    alt,
                    width: m.width,
                    height: m.height,
                    widths: widths(Some(&m.widths)),
                });
            }
        }
        let section: Section = self
            .store
            .sections(site)
            .find_by_id(p.section_id)
            .await?
            .ok_or(Error::NotFound)?
            .into();
        let articles = self.store.articles();
        let published = articles.find_published_by_id(p.id, now).await?;
        let (views, seq) = published
            .as_ref()
            .map_or((0, 0), |(_, r)| (r.views, r.flush_seq));
        // "Tin khác" leaves the article itself out when it is published in this section.
        let listed_here = published
            .as_ref()
            .is_some_and(|(s, r)| *s == site && r.section_id == section.id);
        let total = (self.section_count(section.id, now).await? - i64::from(listed_here)).max(0);
        let per = self.listing.other_news_page_size;
        let offset = offset_of(1, total, per)?;
        let items = summaries(
            articles
                .list_others_in_section(section.id, p.id, now, i64::from(per), offset)
                .await?,
        );
        let at = |s: i64| Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH);
        let article = Article {
            id: p.id,
            section_id: section.id,
            slug: p.slug,
            title: p.title,
            summary: p.summary,
            body_html: p.body_html,
            author: p.author,
            cover: cover.as_ref().map(|m| m.file_name.clone()),
            cover_widths: cover.map(|m| widths(Some(&m.widths))).unwrap_or_default(),
            gallery_title: p.gallery_title,
            gallery,
            published_at: at(p.published_at),
            updated_at: at(p.updated_at),
            stored_views: views,
            stored_views_seq: seq,
            origin: None,
            translation_of: None,
        };
        // A preview is nobody's translation yet: its switch leads to the other home page.
        let versions = vec![(section.lang, article.slug.clone())];
        Ok(ArticlePage {
            versions,
            article,
            section,
            others: Paged {
                items,
                page: 1,
                pages: page_count(total, per),
                total,
            },
        })
    }
}
