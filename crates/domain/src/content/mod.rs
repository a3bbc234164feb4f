//! Content: sections, articles, static pages and the site's own data, read for the public
//! site and written (sanitized, slugged, NFC) for the demo and the back office.

mod model;
mod paging;
mod read;
mod write;

pub use model::{
    Article, ArticlePage, ArticleSummary, GalleryImage, Home, Link, Page, Section, SectionPage,
    Site,
};
pub use paging::{PageLink, Paged, links, offset_of, page_count};
pub use write::{NewArticle, NewImage, SectionForm};

use cong_config::ListingConfig;
use cong_store::Store;
use std::sync::Arc;

/// The content service.
#[derive(Clone)]
pub struct Content {
    store: Store,
    listing: ListingConfig,
    clock: Arc<dyn crate::Clock>,
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
        }
    }

    fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
