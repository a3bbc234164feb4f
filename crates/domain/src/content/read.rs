//! Reading content for the public site: only what is published now.

use super::paging::{offset_of, page_count};
use super::{
    Article, ArticlePage, ArticleSummary, Content, GalleryImage, Home, Link, Origin, Page, Paged,
    Section, SectionPage, Site, SiteLabel,
};
use crate::navigation::{BlockKind, Lang};
use crate::{Error, Result};
use cong_store::SiteId;

pub(super) fn summaries(rows: Vec<cong_store::articles::ArticleSummaryRow>) -> Vec<ArticleSummary> {
    rows.into_iter().map(ArticleSummary::from).collect()
}

/// The most a gathering section lists: the newest, as its readers look for (older ones are
/// on each site's own pages). A page costs what it reads from every source down to it, so
/// this also bounds what a walk through deep pages can cost (page 100 of 49 sources took a
/// second, bench/sites.sh).
pub const GATHERED_MAX: i64 = 500;

impl Content {
    /// Every site's name and address (a handful: read when a page names another site).
    async fn site_labels(&self) -> Result<Vec<SiteLabel>> {
        Ok(self
            .store
            .sites()
            .list_all()
            .await?
            .into_iter()
            .map(|r| SiteLabel {
                id: r.id,
                name: r.name,
                address: r.address,
            })
            .collect())
    }

    /// The sites a section gathers from (for its form).
    pub async fn section_sources(&self, site: SiteId, id: i64) -> Result<Vec<SiteId>> {
        Ok(self.store.sections(site).sources(id).await?)
    }

    /// Every site but `site`, by id: what a section of `site` may gather from.
    pub async fn other_sites(&self, site: SiteId) -> Result<Vec<SiteLabel>> {
        let mut all = self.site_labels().await?;
        all.retain(|l| l.id != site);
        Ok(all)
    }

    /// Names the site of every article in `items` that is not of `site`.
    async fn label_others(&self, site: SiteId, items: &mut [ArticleSummary]) -> Result<()> {
        if items.iter().all(|a| a.site_id == site) {
            return Ok(());
        }
        let labels = self.site_labels().await?;
        for a in items.iter_mut().filter(|a| a.site_id != site) {
            a.from_site = labels.iter().find(|l| l.id == a.site_id).cloned();
        }
        Ok(())
    }

    /// Page `offset / limit` of a gathering section's merged list, labelled.
    async fn gathered(
        &self,
        site: SiteId,
        section: i64,
        sources: &[SiteId],
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleSummary>> {
        let rows = self
            .store
            .articles()
            .list_gathered(section, sources, now, limit, offset)
            .await?;
        let mut items = summaries(rows);
        self.label_others(site, &mut items).await?;
        Ok(items)
    }

    /// Every section, in menu order.
    pub async fn sections(&self, site: SiteId) -> Result<Vec<Section>> {
        let rows = self.store.sections(site).list_all().await?;
        Ok(rows.into_iter().map(Section::from).collect())
    }

    /// The menu of the pages in `lang`: its sections shown in it, top level, in order.
    pub async fn menu(&self, site: SiteId, lang: Lang) -> Result<Vec<Section>> {
        let mut all = self.sections(site).await?;
        all.retain(|s| s.in_menu && s.parent_id.is_none() && s.lang == lang);
        Ok(all)
    }

    /// The site and section an article is in, whatever its state (what a change to it
    /// affects).
    pub async fn place_of_article(&self, id: i64) -> Result<Option<(SiteId, i64)>> {
        Ok(self.store.articles().place_of(id).await?)
    }

    /// The article `id` translates, if any (whose page shows a link to it).
    pub async fn translation_of(&self, id: i64) -> Result<Option<i64>> {
        Ok(self.store.articles().translation_of(id).await?)
    }

    /// When the next scheduled article comes out, if one is waiting.
    pub async fn next_publication(&self) -> Result<Option<jiff::Timestamp>> {
        let at = self
            .store
            .articles()
            .next_publication_after(self.now())
            .await?;
        Ok(at.and_then(|s| jiff::Timestamp::from_second(s).ok()))
    }

    /// The site's settings and links.
    pub async fn site(&self, site: SiteId) -> Result<Site> {
        let settings = self
            .store
            .settings(site)
            .list_all()
            .await?
            .into_iter()
            .collect();
        let links = self.store.settings(site).list_links().await?;
        Ok(Site {
            settings,
            links: links.into_iter().map(Link::from).collect(),
        })
    }

    /// The home page in `lang`: featured, latest, and a block per section, of the sections
    /// in that language.
    pub async fn home(&self, site: SiteId, lang: Lang) -> Result<Home> {
        let now = self.now();
        let articles = self.store.articles();
        let code = lang.code();
        let featured = summaries(articles.list_featured(site, code, now, 5).await?);
        let latest = summaries(articles.list_latest(site, code, now, 8).await?);
        let per = i64::from(self.listing.home_per_section);
        let mut sections = Vec::new();
        let all_sources = self.store.sections(site).all_sources().await?;
        let mut gathers: Vec<SiteId> = Vec::new();
        for s in self.menu(site, lang).await? {
            let sources: Vec<SiteId> = all_sources
                .iter()
                .filter(|(id, _)| *id == s.id)
                .map(|(_, src)| *src)
                .collect();
            let items = if sources.is_empty() {
                summaries(
                    articles
                        .list_published_in_section(s.id, now, per, 0)
                        .await?,
                )
            } else {
                gathers.extend(&sources);
                self.gathered(site, s.id, &sources, now, per, 0).await?
            };
            if !items.is_empty() {
                sections.push((s, items));
            }
        }
        gathers.sort_unstable();
        gathers.dedup();
        Ok(Home {
            featured,
            latest,
            sections,
            gathers,
        })
    }

    /// The articles of one block of an arranged home page: featured, latest, a section's
    /// (gathered like the default page's), or the newest galleries or videos; None for a
    /// section no longer there. The sites it gathers are added to `gathers`.
    pub async fn block_articles(
        &self,
        site: SiteId,
        lang: Lang,
        kind: BlockKind,
        section: Option<i64>,
        count: u32,
        gathers: &mut Vec<SiteId>,
    ) -> Result<Option<(Vec<ArticleSummary>, Option<Section>)>> {
        let now = self.now();
        let n = i64::from(count);
        let articles = self.store.articles();
        Ok(Some(match kind {
            BlockKind::Featured => (
                summaries(articles.list_featured(site, lang.code(), now, n).await?),
                None,
            ),
            BlockKind::Latest => (
                summaries(articles.list_latest(site, lang.code(), now, n).await?),
                None,
            ),
            BlockKind::Photos | BlockKind::Videos => {
                let mut found = if kind == BlockKind::Photos {
                    self.photo_library(site, 1).await?
                } else {
                    self.video_library(site, 1).await?
                };
                found.items.truncate(count as usize);
                (found.items, None)
            }
            BlockKind::Section => {
                let Some(s) = self
                    .sections(site)
                    .await?
                    .into_iter()
                    .find(|s| Some(s.id) == section)
                else {
                    return Ok(None);
                };
                let sources: Vec<SiteId> = self
                    .store
                    .sections(site)
                    .all_sources()
                    .await?
                    .into_iter()
                    .filter(|(id, _)| *id == s.id)
                    .map(|(_, src)| src)
                    .collect();
                let items = if sources.is_empty() {
                    summaries(articles.list_published_in_section(s.id, now, n, 0).await?)
                } else {
                    gathers.extend(&sources);
                    self.gathered(site, s.id, &sources, now, n, 0).await?
                };
                (items, Some(s))
            }
            _ => return Ok(None),
        }))
    }

    /// Page `page` of a section, newest first; a page past the end is not found.
    pub async fn section_page(&self, site: SiteId, slug: &str, page: u32) -> Result<SectionPage> {
        let now = self.now();
        let section: Section = self
            .store
            .sections(site)
            .find_by_slug(slug)
            .await?
            .ok_or(Error::NotFound)?
            .into();
        let per = self.listing.section_page_size;
        let sources = self.store.sections(site).sources(section.id).await?;
        let (total, items) = if sources.is_empty() {
            let total = self.section_count(section.id, now).await?;
            let offset = offset_of(page, total, per)?;
            let items = summaries(
                self.section_rows(section.id, now, i64::from(per), offset)
                    .await?,
            );
            (total, items)
        } else {
            let total = self
                .gathered_count(section.id, &sources, now)
                .await?
                .min(GATHERED_MAX);
            let offset = offset_of(page, total, per)?;
            let items = self
                .gathered(site, section.id, &sources, now, i64::from(per), offset)
                .await?;
            (total, items)
        };
        let landing = match section.page_id {
            Some(id) => self.store.pages(site).find_by_id(id).await?.map(Page::from),
            None => None,
        };
        let all = self.sections(site).await?;
        let parent = section
            .parent_id
            .and_then(|p| all.iter().find(|s| s.id == p).cloned());
        let children = all
            .into_iter()
            .filter(|s| s.parent_id == Some(section.id) && s.in_menu)
            .collect();
        Ok(SectionPage {
            parent,
            children,
            section,
            landing,
            articles: Paged {
                items,
                page,
                pages: page_count(total, per),
                total,
            },
            sources,
        })
    }

    /// A published article with its gallery, and page `others_page` of "Tin khác".
    pub async fn article_page(
        &self,
        site: SiteId,
        slug: &str,
        others_page: u32,
    ) -> Result<ArticlePage> {
        let now = self.now();
        let articles = self.store.articles();
        let mut row = articles
            .find_published_by_slug(site, slug, now)
            .await?
            .ok_or(Error::NotFound)?;
        // A shared copy shows its original as it is now; gone when the original is.
        let mut origin = None;
        if let Some(origin_id) = row.origin_article_id {
            let (origin_site, o) = articles
                .find_published_by_id(origin_id, now)
                .await?
                .ok_or(Error::NotFound)?;
            let label = self
                .site_labels()
                .await?
                .into_iter()
                .find(|l| l.id == origin_site)
                .ok_or(Error::NotFound)?;
            origin = Some(Origin {
                article_id: o.id,
                site: label,
                slug: o.slug.clone(),
            });
            row.title = o.title;
            row.summary = o.summary;
            row.body_html = o.body_html;
            row.author = o.author;
            row.cover_file = o.cover_file;
            row.cover_widths = o.cover_widths;
            row.gallery_title = o.gallery_title;
            row.updated_at = row.updated_at.max(o.updated_at);
        }
        let versions = articles
            .published_versions(site, &row, now)
            .await?
            .into_iter()
            .filter_map(|(lang, slug)| Some((Lang::parse(&lang)?, slug)))
            .collect();
        let gallery_of = origin.as_ref().map_or(row.id, |o| o.article_id);
        let gallery = articles
            .list_images(gallery_of)
            .await?
            .into_iter()
            .map(GalleryImage::from)
            .collect();
        let mut article = Article::from_row(row, gallery);
        article.origin = origin;
        let section: Section = self
            .store
            .sections(site)
            .find_by_id(article.section_id)
            .await?
            .ok_or_else(|| Error::Internal(format!("article {} has no section", article.id)))?
            .into();
        let per = self.listing.other_news_page_size;
        // Every other published article of its section (it is published itself).
        let total = (self.section_count(section.id, now).await? - 1).max(0);
        let offset = offset_of(others_page, total, per)?;
        let items = summaries(
            articles
                .list_others_in_section(section.id, article.id, now, i64::from(per), offset)
                .await?,
        );
        Ok(ArticlePage {
            article,
            section,
            others: Paged {
                items,
                page: others_page,
                pages: page_count(total, per),
                total,
            },
            versions,
        })
    }

    /// The newest published articles whole, of a section (by slug) or of the whole site.
    pub async fn feed(
        &self,
        site: SiteId,
        section_slug: Option<&str>,
        lang: Lang,
    ) -> Result<(Option<Section>, Vec<Article>)> {
        let limit = i64::from(self.listing.feed_items);
        let section = match section_slug {
            Some(slug) => Some(Section::from(
                self.store
                    .sections(site)
                    .find_by_slug(slug)
                    .await?
                    .ok_or(Error::NotFound)?,
            )),
            None => None,
        };
        let rows = self
            .store
            .articles()
            .list_feed(
                site,
                self.now(),
                section.as_ref().map(|s| s.id),
                lang.code(),
                limit,
            )
            .await?;
        Ok((
            section,
            rows.into_iter()
                .map(|r| Article::from_row(r, Vec::new()))
                .collect(),
        ))
    }

    /// How many articles are published now (for sitemaps).
    pub async fn count_published(&self, site: SiteId) -> Result<i64> {
        Ok(self
            .store
            .articles()
            .count_published(site, self.now())
            .await?)
    }

    /// URLs per sitemap file (`listing.sitemap_urls`).
    pub fn sitemap_size(&self) -> i64 {
        i64::from(self.listing.sitemap_urls)
    }

    /// Page `page` (from 1) of published articles as (slug, last change), a sitemap's worth.
    pub async fn sitemap_page(
        &self,
        site: SiteId,
        page: i64,
    ) -> Result<Vec<(String, jiff::Timestamp, Lang)>> {
        let per = self.sitemap_size();
        let rows = self
            .store
            .articles()
            .list_sitemap(site, self.now(), per, (page - 1).max(0) * per)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(slug, t, lang)| {
                (
                    slug,
                    jiff::Timestamp::from_second(t).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
                    Lang::parse(&lang).unwrap_or_default(),
                )
            })
            .collect())
    }

    /// The current slug of a published article that had `old_slug` before.
    pub async fn renamed_article(&self, site: SiteId, old_slug: &str) -> Result<Option<String>> {
        Ok(self
            .store
            .editorial(site)
            .find_redirect(old_slug, self.now())
            .await?)
    }

    /// A static page.
    pub async fn page(&self, site: SiteId, slug: &str) -> Result<Page> {
        self.store
            .pages(site)
            .find_by_slug(slug)
            .await?
            .map(Page::from)
            .ok_or(Error::NotFound)
    }

    /// A static page with its versions in each language (itself included), by slug.
    pub async fn page_versions(
        &self,
        site: SiteId,
        slug: &str,
    ) -> Result<(Page, Vec<(Lang, String)>)> {
        let pages = self.store.pages(site);
        let row = pages.find_by_slug(slug).await?.ok_or(Error::NotFound)?;
        let versions = pages
            .versions(&row)
            .await?
            .into_iter()
            .filter_map(|(lang, slug)| Some((Lang::parse(&lang)?, slug)))
            .collect();
        Ok((Page::from(row), versions))
    }

    /// The slug and title of every static page in `lang` (for the footer).
    pub async fn page_titles(&self, site: SiteId, lang: Lang) -> Result<Vec<(String, String)>> {
        Ok(self.store.pages(site).list_titles(lang.code()).await?)
    }
}
