//! The page cache: public pages rendered once and kept in memory until what they show
//! changes. The live numbers (view count, visitor widget) are placeholders in the kept bytes
//! and spliced in as each copy is served ([`page`]); compressed copies are assembled from
//! parts compressed once ([`encode`]); concurrent misses for one page render it once and a
//! page being rendered again is served as it was meanwhile ([`serve`]). Every invalidation
//! goes through [`PageCache::apply`], fed by the change feed.

mod encode;
mod page;
mod serve;

pub use page::{LivePage, Page, Tag};
pub use serve::pages;

use cong_config::CacheConfig;
use cong_render::live::Marker;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// What a change touches, as the cache sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// An article changed (saved, published, unpublished, moved): its page, its section's
    /// pages, the home page, the site feeds and the sitemap. `section` is where it is now.
    Article { id: i64, section: Option<i64> },
    /// A section's list of articles changed (an article left it).
    Listing(i64),
    /// The menu, a static page, the settings: every page shows them.
    Everything,
}

impl Scope {
    fn touches(self, tags: &[Tag]) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Listing(s) => tags.contains(&Tag::Section(s)),
            Scope::Article { id, section } => tags.iter().any(|t| match *t {
                Tag::Article(a) => a == id,
                Tag::Section(s) => Some(s) == section,
                Tag::Home | Tag::Feeds | Tag::Sitemap => true,
            }),
        }
    }
}

#[derive(Debug)]
pub struct PageCache {
    enabled: bool,
    max_pages: usize,
    max_age: Duration,
    marker: Marker,
    pages: RwLock<HashMap<String, Arc<Page>>>,
    /// One lock per page being rendered, so concurrent misses wait for one render.
    rendering: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    renders: AtomicU64,
}

impl PageCache {
    pub fn new(cfg: &CacheConfig) -> Self {
        PageCache {
            enabled: cfg.enabled && cfg.max_pages > 0,
            max_pages: usize::try_from(cfg.max_pages).unwrap_or(usize::MAX),
            max_age: Duration::from_millis(u64::try_from(cfg.max_age.as_millis()).unwrap_or(0)),
            marker: Marker::new(),
            pages: RwLock::new(HashMap::new()),
            rendering: Mutex::new(HashMap::new()),
            renders: AtomicU64::new(0),
        }
    }

    /// The placeholders public pages are rendered with.
    pub fn marker(&self) -> &Marker {
        &self.marker
    }

    /// How many pages have been rendered into the cache since start.
    pub fn renders(&self) -> u64 {
        self.renders.load(Ordering::Relaxed)
    }

    /// How many pages are kept.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<Page>>> {
        self.pages.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Arc<Page>>> {
        self.pages.write().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, key: &str) -> Option<Arc<Page>> {
        self.read().get(key).cloned()
    }

    fn put(&self, key: String, page: Arc<Page>) {
        self.renders.fetch_add(1, Ordering::Relaxed);
        let mut pages = self.write();
        if pages.len() >= self.max_pages && !pages.contains_key(&key) {
            // Full: drop the oldest eighth at once, so this scan is rare.
            let mut born: Vec<_> = pages.values().map(|p| p.born()).collect();
            born.sort_unstable();
            let cut = born[(born.len() / 8).min(born.len() - 1)];
            pages.retain(|_, p| p.born() > cut);
        }
        pages.insert(key, page);
    }

    fn remove(&self, key: &str) {
        self.write().remove(key);
    }

    fn render_lock(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.rendering.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(map.entry(key.to_owned()).or_default())
    }

    fn rendered(&self, key: &str) {
        let mut map = self.rendering.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(key);
    }

    /// Marks every kept page that shows what changed as stale: the next request renders it
    /// again, and other requests meanwhile get it as it was. Returns how many were marked.
    pub fn apply(&self, scope: Scope) -> usize {
        let pages = self.read();
        let mut n = 0;
        for page in pages.values() {
            if scope.touches(page.tags()) {
                page.mark_stale();
                n += 1;
            }
        }
        n
    }
}
