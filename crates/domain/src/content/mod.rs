//! Content: sections, articles, static pages and the site's own data, read for the public
//! site and written (sanitized, slugged, NFC) for the demo and the back office.

mod counts;
mod galleries;
mod import;
pub use import::{ImportOrigin, Written};
mod manage;
mod model;
mod paging;
mod preview;
pub use preview::PreviewArticle;
mod read;
pub use read::GATHERED_MAX;
#[cfg(test)]
mod language_tests;
mod share;
#[cfg(test)]
mod tests;
mod write;

pub use cong_store::SiteId;
pub use manage::{PageInput, SectionForm};
pub(crate) use model::widths;
pub use model::{
    Article, ArticlePage, ArticleSummary, GalleryImage, Home, Link, Origin, Page, Section,
    SectionPage, Site, SiteLabel,
};
pub use paging::{PageLink, Paged, links, offset_of, page_count};
pub use share::ShareTarget;
pub use write::{NewArticle, NewImage};

use cong_config::ListingConfig;
use cong_store::Store;
use std::sync::Arc;

/// The content service.
#[derive(Clone)]
pub struct Content {
    store: Store,
    listing: ListingConfig,
    clock: Arc<dyn crate::Clock>,
    counts: Arc<counts::Counts>,
    /// Each site's own published articles, by site id (what gathering sections add up).
    site_counts: Arc<counts::Counts>,
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Content").finish_non_exhaustive()
    }
}

impl Content {
    pub fn new(store: Store, listing: ListingConfig, clock: Arc<dyn crate::Clock>) -> Self {
        Content {
            store,
            listing,
            clock,
            counts: Arc::default(),
            site_counts: Arc::default(),
        }
    }

    /// Forgets the kept article count of a section whose list changed (`None`: of every
    /// section). Writes through this service do it themselves; the node's change follower
    /// does it for everything else.
    pub fn forget_counts(&self, section: Option<i64>) {
        self.counts.forget(section);
        if section.is_none() {
            self.site_counts.forget(None);
        }
    }

    /// Forgets the kept count of a site's own published articles (`None`: of every site),
    /// which gathering sections add up.
    pub fn forget_site_counts(&self, site: Option<SiteId>) {
        self.site_counts.forget(site.map(|s| s.0));
    }

    /// How many articles a gathering section lists: its own, every source's own published
    /// articles (each kept, so one site's change recounts that site only), less the sources'
    /// articles it shows as a copy. Counting them in one query read every source's rows:
    /// over 2 s for 49 sites of 20,000 articles.
    async fn gathered_count(
        &self,
        section: i64,
        sources: &[SiteId],
        now: i64,
    ) -> crate::Result<i64> {
        let mut total = self.section_count(section, now).await?;
        for site in sources {
            total += match self.site_counts.get(site.0) {
                Ok(n) => n,
                Err(generation) => {
                    let n = self
                        .store
                        .articles()
                        .count_published_originals(*site, now)
                        .await?;
                    self.site_counts.keep(site.0, n, generation);
                    n
                }
            };
        }
        let copied = self
            .store
            .articles()
            .count_copied_into(section, sources, now)
            .await?;
        Ok(total - copied)
    }

    /// A page of a section's list: from the top when near it, else from the nearest mark
    /// above it, so page 5,000 reads about as few index entries as page 1.
    async fn section_rows(
        &self,
        section: i64,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> crate::Result<Vec<cong_store::articles::ArticleSummaryRow>> {
        let articles = self.store.articles();
        if offset < counts::MARK_EVERY {
            return Ok(articles
                .list_published_in_section(section, now, limit, offset)
                .await?);
        }
        let marks = match self.counts.marks(section) {
            Ok(m) => m,
            Err(generation) => {
                let m = Arc::new(
                    articles
                        .section_marks(section, now, counts::MARK_EVERY)
                        .await?,
                );
                self.counts.keep_marks(section, Arc::clone(&m), generation);
                m
            }
        };
        let i = usize::try_from(offset / counts::MARK_EVERY).unwrap_or(usize::MAX);
        // Past the last mark (a list that shrank since): from the top after all.
        let (from, skip) = marks
            .get(i)
            .map_or((cong_store::articles::TOP, offset), |&m| {
                (m, offset % counts::MARK_EVERY)
            });
        Ok(articles
            .list_published_in_section_from(section, now, from, limit, skip)
            .await?)
    }

    /// How many published articles the section has now.
    async fn section_count(&self, section: i64, now: i64) -> crate::Result<i64> {
        match self.counts.get(section) {
            Ok(n) => Ok(n),
            Err(generation) => {
                let n = self
                    .store
                    .articles()
                    .count_published_in_section(section, now)
                    .await?;
                self.counts.keep(section, n, generation);
                Ok(n)
            }
        }
    }

    fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
