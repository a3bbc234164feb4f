//! Content: sections, articles, static pages and the site's own data, read for the public
//! site and written (sanitized, slugged, NFC) for the demo and the back office.

mod counts;
mod manage;
mod model;
mod paging;
mod read;
mod share;
#[cfg(test)]
mod tests;
mod write;

pub use cong_store::SiteId;
pub use manage::SectionForm;
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
        }
    }

    /// Forgets the kept article count of a section whose list changed (`None`: of every
    /// section). Writes through this service do it themselves; the node's change follower
    /// does it for everything else.
    pub fn forget_counts(&self, section: Option<i64>) {
        self.counts.forget(section);
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
