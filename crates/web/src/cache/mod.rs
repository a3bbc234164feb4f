//! The page cache: public pages rendered once and kept in memory until what they show
//! changes. The live values (view count, visitor widget, the site's address as each request
//! names it) are placeholders in the kept bytes and spliced in as each copy is served
//! ([`page`]); compressed copies are assembled from
//! parts compressed once ([`encode`]); concurrent misses for one page render it once and a
//! page being rendered again is served as it was meanwhile ([`serve`]). Every invalidation
//! goes through [`PageCache::apply`], fed by the change feed.

mod body;
mod encode;
mod page;
mod serve;

pub use page::{LivePage, Page, Tag};
pub use serve::{kept, pages};

use cong_config::CacheConfig;
use cong_render::live::Marker;
use cong_store::SiteId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// What a change touches, as the cache sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// An article changed (saved, published, unpublished, moved): its page (and the pages
    /// of its shared copies, tagged with it), its section's pages, its site's home page,
    /// feeds and sitemap (every site's, when `site` is not known), and the pages of other
    /// sites that gather its site. `section` is where it is now.
    Article {
        id: i64,
        section: Option<i64>,
        site: Option<SiteId>,
    },
    /// A section's list of articles changed (an article left it).
    Listing(i64),
    /// A site's settings or addresses: every page of that site shows them, and the pages of
    /// other sites that gather its articles (they name it and link to its address).
    Site(SiteId),
    /// A site's published questions changed: its Hỏi đáp pages.
    Questions(SiteId),
    /// A site's work schedule changed: its Lịch công tác pages and feeds.
    Schedule(SiteId),
    /// A site's units or people changed: its organisation pages.
    Organisation(SiteId),
    /// The menu, a static page: every page shows them.
    Everything,
}

/// The start of every kept page's key: the site it belongs to.
pub fn key_prefix(site: SiteId) -> String {
    format!("{site}|")
}

fn of_site(key: &str, site: SiteId) -> bool {
    key.split_once('|')
        .is_some_and(|(s, _)| s.parse::<i64>() == Ok(site.0))
}

impl Scope {
    fn touches(self, key: &str, tags: &[Tag]) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Site(site) => of_site(key, site) || tags.contains(&Tag::Gathers(site)),
            Scope::Listing(s) => tags.contains(&Tag::Section(s)),
            Scope::Questions(site) => of_site(key, site) && tags.contains(&Tag::Questions),
            Scope::Schedule(site) => of_site(key, site) && tags.contains(&Tag::Schedule),
            Scope::Organisation(site) => of_site(key, site) && tags.contains(&Tag::Organisation),
            Scope::Article { id, section, site } => tags.iter().any(|t| match *t {
                Tag::Article(a) => a == id,
                Tag::Section(s) => Some(s) == section,
                Tag::Home | Tag::Feeds | Tag::Sitemap => site.is_none_or(|s| of_site(key, s)),
                Tag::Gathers(g) => site.is_none_or(|s| s == g),
                Tag::Questions | Tag::Schedule | Tag::Organisation => false,
            }),
        }
    }
}

/// The kept pages and the memory they are reckoned to take.
#[derive(Debug, Default)]
struct Pages {
    map: HashMap<String, Arc<Page>>,
    bytes: usize,
}

impl Pages {
    fn remove(&mut self, key: &str) {
        if let Some(p) = self.map.remove(key) {
            self.bytes -= p.weight();
        }
    }
}

#[derive(Debug)]
pub struct PageCache {
    enabled: bool,
    max_bytes: usize,
    max_age: Duration,
    marker: Marker,
    pages: RwLock<Pages>,
    /// One lock per page being rendered, so concurrent misses wait for one render.
    rendering: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    renders: AtomicU64,
    /// Pages compressed at once. Brotli at the kept pages' quality takes some 35 MB while it
    /// works; unbounded, a burst of first visits to distinct pages (a crawler, an attacker)
    /// held a gigabyte. A page waiting for a permit is served by the router's compression.
    compressing: Arc<tokio::sync::Semaphore>,
}

impl PageCache {
    pub fn new(cfg: &CacheConfig) -> Self {
        PageCache {
            enabled: cfg.enabled && cfg.max_mb > 0,
            max_bytes: usize::try_from(cfg.max_mb)
                .unwrap_or(usize::MAX)
                .saturating_mul(1024 * 1024),
            max_age: Duration::from_millis(u64::try_from(cfg.max_age.as_millis()).unwrap_or(0)),
            marker: Marker::new(),
            pages: RwLock::new(Pages::default()),
            rendering: Mutex::new(HashMap::new()),
            renders: AtomicU64::new(0),
            compressing: Arc::new(tokio::sync::Semaphore::new(compressions_at_once())),
        }
    }

    /// Makes a kept page's compressed forms in the background when a permit is free and
    /// nobody is making them yet; otherwise a later request for the page tries again.
    pub(super) fn compress(&self, page: &Arc<Page>) {
        let Ok(permit) = Arc::clone(&self.compressing).try_acquire_owned() else {
            return;
        };
        if page.claim_compression() {
            let page = Arc::clone(page);
            tokio::task::spawn_blocking(move || {
                page.prepare_encodings();
                drop(permit);
            });
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
        self.read().map.len()
    }

    /// The memory the kept pages are reckoned to take.
    pub fn bytes(&self) -> usize {
        self.read().bytes
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Pages> {
        self.pages.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Pages> {
        self.pages.write().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, key: &str) -> Option<Arc<Page>> {
        self.read().map.get(key).cloned()
    }

    fn put(&self, key: String, page: Arc<Page>) {
        self.renders.fetch_add(1, Ordering::Relaxed);
        let weight = page.weight();
        if weight > self.max_bytes / 4 {
            return;
        }
        let mut pages = self.write();
        pages.remove(&key);
        if pages.bytes + weight > self.max_bytes {
            // Full: drop the oldest pages down to seven eighths at once, so this is rare.
            let mut by_age: Vec<_> = pages
                .map
                .iter()
                .map(|(k, p)| (p.born(), k.clone()))
                .collect();
            by_age.sort_unstable();
            let goal = (self.max_bytes / 8 * 7).saturating_sub(weight);
            for (_, k) in by_age {
                if pages.bytes <= goal {
                    break;
                }
                pages.remove(&k);
            }
        }
        pages.bytes += weight;
        pages.map.insert(key, page);
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
        for (key, page) in &pages.map {
            if scope.touches(key, page.tags()) {
                page.mark_stale();
                n += 1;
            }
        }
        n
    }
}

/// One compression per core, at most four: the rest of the node keeps a core.
fn compressions_at_once() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(cache: &PageCache, tags: Vec<Tag>, size: usize) -> Arc<Page> {
        let (head, ()) = axum::http::Response::new(()).into_parts();
        let body = "x".repeat(size);
        Arc::new(Page::new(
            &head,
            body.as_bytes(),
            cache.marker(),
            LivePage::page(tags),
        ))
    }

    fn cache(max_mb: u32) -> PageCache {
        PageCache::new(&CacheConfig {
            max_mb,
            ..CacheConfig::default()
        })
    }

    #[test]
    fn memory_stays_within_the_limit_and_the_oldest_go_first() {
        let c = cache(1);
        for i in 0..100 {
            c.put(format!("/p{i}"), page(&c, Vec::new(), 20_000));
            assert!(c.bytes() <= 1024 * 1024, "{} after {i}", c.bytes());
        }
        assert!(c.get("/p99").is_some() && c.get("/p0").is_none());
        assert!(c.len() > 20, "most of the room is used: {}", c.len());
        c.put("/p99".to_owned(), page(&c, Vec::new(), 20_000));
        let n = c.len();
        c.remove("/p99");
        assert_eq!(c.len(), n - 1);
    }

    #[test]
    fn a_change_makes_stale_only_the_pages_that_show_it() {
        let c = cache(8);
        let article = page(&c, vec![Tag::Article(7), Tag::Section(2)], 100);
        let neighbour = page(&c, vec![Tag::Article(8), Tag::Section(2)], 100);
        let other = page(&c, vec![Tag::Article(9), Tag::Section(3)], 100);
        let home = page(&c, vec![Tag::Home], 100);
        let about = page(&c, Vec::new(), 100);
        let other_site_home = page(&c, vec![Tag::Home], 100);
        for (k, p) in [
            ("1|a", &article),
            ("1|n", &neighbour),
            ("1|o", &other),
            ("1|h", &home),
            ("1|s", &about),
            ("2|h", &other_site_home),
        ] {
            c.put(k.to_owned(), Arc::clone(p));
        }
        let fresh = Duration::from_secs(600);
        let stale = |p: &Arc<Page>| p.is_stale(fresh);
        assert_eq!(c.apply(Scope::Listing(3)), 1);
        assert!(stale(&other) && !stale(&article));
        assert_eq!(
            c.apply(Scope::Article {
                id: 7,
                section: Some(2),
                site: Some(SiteId(1)),
            }),
            3
        );
        assert!(stale(&article) && stale(&neighbour) && stale(&home));
        assert!(!stale(&about), "a static page shows no article");
        assert!(!stale(&other_site_home), "another site's home page");
        assert_eq!(c.apply(Scope::Site(SiteId(2))), 1);
        assert!(stale(&other_site_home) && !stale(&about));
        assert_eq!(c.apply(Scope::Everything), 6);
        assert!(stale(&about));
    }

    #[test]
    fn a_change_on_a_component_makes_stale_the_portal_pages_that_gather_it() {
        let c = cache(8);
        let gathering = page(&c, vec![Tag::Section(5), Tag::Gathers(SiteId(2))], 100);
        let portal_home = page(&c, vec![Tag::Home, Tag::Gathers(SiteId(3))], 100);
        let portal_other = page(&c, vec![Tag::Section(6)], 100);
        let copy = page(&c, vec![Tag::Article(40), Tag::Article(7)], 100);
        for (k, p) in [
            ("1|g", &gathering),
            ("1|h", &portal_home),
            ("1|o", &portal_other),
            ("1|c", &copy),
        ] {
            c.put(k.to_owned(), Arc::clone(p));
        }
        let fresh = Duration::from_secs(600);
        let stale = |p: &Arc<Page>| p.is_stale(fresh);
        // Article 7 of site 2, in section 9 there; a copy of it is kept as article 40.
        assert_eq!(
            c.apply(Scope::Article {
                id: 7,
                section: Some(9),
                site: Some(SiteId(2)),
            }),
            2
        );
        assert!(stale(&gathering) && stale(&copy));
        assert!(!stale(&portal_home) && !stale(&portal_other));
        assert_eq!(c.apply(Scope::Site(SiteId(3))), 1);
        assert!(stale(&portal_home) && !stale(&portal_other));
    }

    #[test]
    fn a_question_published_makes_stale_only_its_sites_question_pages() {
        let c = cache(8);
        let list = page(&c, vec![Tag::Questions], 100);
        let other_site_list = page(&c, vec![Tag::Questions], 100);
        let home = page(&c, vec![Tag::Home], 100);
        for (k, p) in [("1|q", &list), ("2|q", &other_site_list), ("1|h", &home)] {
            c.put(k.to_owned(), Arc::clone(p));
        }
        let stale = |p: &Arc<Page>| p.is_stale(Duration::from_secs(600));
        assert_eq!(c.apply(Scope::Questions(SiteId(1))), 1);
        assert!(stale(&list) && !stale(&other_site_list) && !stale(&home));
        // An article's change leaves the questions alone.
        c.apply(Scope::Article {
            id: 7,
            section: Some(2),
            site: Some(SiteId(2)),
        });
        assert!(!stale(&other_site_list));
    }
}
