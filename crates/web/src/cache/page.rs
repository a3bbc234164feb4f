//! A kept page: its bytes cut at the live numbers, what it shows (tags), and whether it is
//! stale.

use super::encode::{Brotli, Gzip};
use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use cong_render::live::{Live, Marker};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Content a page shows, for invalidation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// The article itself (its page).
    Article(i64),
    /// The section's list of articles (its pages, its feeds, "Tin khác" of its articles).
    Section(i64),
    /// The latest articles of every section.
    Home,
    /// The site-wide feeds.
    Feeds,
    /// The sitemap.
    Sitemap,
    /// Articles of another site, gathered (a portal section showing its components'
    /// newest articles): a change to that site's articles or to the site itself.
    Gathers(cong_store::SiteId),
    /// The site's published questions (Hỏi đáp's list and pages).
    Questions,
    /// The site's work schedule (Lịch công tác's pages and feeds).
    Schedule,
    /// The site's units and people (Cơ cấu tổ chức, Danh bạ, past leaders).
    Organisation,
}

/// What a public handler says about the page it rendered (a response extension): the
/// middleware counts it, splices its numbers, and keeps it when it may.
#[derive(Debug, Clone, Default)]
pub struct LivePage {
    /// A page view, counted by the rules of DESIGN.md (feeds and the sitemap are not).
    pub counted: bool,
    /// May be kept (search results are not: their keys are endless).
    pub keep: bool,
    /// The article shown, with its stored view count and the flush sequence of that count.
    pub article: Option<(i64, i64, i64)>,
    pub tags: Vec<Tag>,
    /// Its body plays a YouTube video: its policy lets that player be framed.
    pub video: bool,
    /// Content not public yet, shown to whoever may see it: not for a search engine, a proxy
    /// or the browser's history (noindex, no-store).
    pub private: bool,
    /// Kept until this Unix time at most: what it shows changes then without an edit (a
    /// consultation opening or closing at midnight).
    pub until: Option<i64>,
}

impl LivePage {
    /// A page view that may be kept.
    pub fn page(tags: Vec<Tag>) -> Self {
        LivePage {
            counted: true,
            keep: true,
            article: None,
            tags,
            video: false,
            private: false,
            until: None,
        }
    }

    /// A document for machines (feed, sitemap): kept, not counted.
    pub fn document(tags: Vec<Tag>) -> Self {
        LivePage {
            counted: false,
            keep: true,
            article: None,
            tags,
            video: false,
            private: false,
            until: None,
        }
    }

    /// A preview of an article (`article`: its id, stored view count and that count's flush
    /// sequence, for one already saved): given its numbers, but never counted nor kept, and
    /// private.
    pub fn preview(article: Option<(i64, i64, i64)>) -> Self {
        LivePage {
            counted: false,
            keep: false,
            article,
            tags: Vec::new(),
            // Set from the body by the article page's code.
            video: false,
            private: true,
            until: None,
        }
    }
}

/// Most values spliced into a page assembled from compressed parts (see [`Page::prepare_encodings`]).
const MAX_SPLICED: usize = 256;

#[derive(Debug)]
pub struct Page {
    status: StatusCode,
    content_type: HeaderValue,
    cache_control: Option<HeaderValue>,
    /// A refusal's Retry-After (a form sent past its limit).
    retry_after: Option<HeaderValue>,
    /// Text between the placeholders: one more than `slots`.
    parts: Vec<Bytes>,
    slots: Vec<Live>,
    pub(super) live: LivePage,
    gzip: OnceLock<Option<Gzip>>,
    brotli: OnceLock<Option<Brotli>>,
    born: Instant,
    stale: AtomicBool,
    refreshing: AtomicBool,
    /// Its compressed forms are being (or have been) made.
    compressing: AtomicBool,
}

impl Page {
    /// The page a handler rendered: `head` gives its status and headers.
    pub fn new(
        head: &axum::http::response::Parts,
        body: &[u8],
        marker: &Marker,
        live: LivePage,
    ) -> Self {
        let (parts, slots) = match std::str::from_utf8(body) {
            Ok(text) => {
                let (parts, slots) = marker.split(text);
                let parts = parts
                    .into_iter()
                    .map(|p| Bytes::copy_from_slice(p.as_bytes()))
                    .collect();
                (parts, slots)
            }
            Err(_) => (vec![Bytes::copy_from_slice(body)], Vec::new()),
        };
        Page {
            status: head.status,
            content_type: head
                .headers
                .get(header::CONTENT_TYPE)
                .cloned()
                .unwrap_or_else(|| HeaderValue::from_static("text/html; charset=utf-8")),
            cache_control: head.headers.get(header::CACHE_CONTROL).cloned(),
            retry_after: head.headers.get(header::RETRY_AFTER).cloned(),
            parts,
            slots,
            live,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            born: Instant::now(),
            stale: AtomicBool::new(false),
            refreshing: AtomicBool::new(false),
            compressing: AtomicBool::new(false),
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn content_type(&self) -> &HeaderValue {
        &self.content_type
    }

    pub fn cache_control(&self) -> Option<&HeaderValue> {
        self.cache_control.as_ref()
    }

    pub fn retry_after(&self) -> Option<&HeaderValue> {
        self.retry_after.as_ref()
    }

    /// A page view to count (a 200 page, not a document for machines).
    pub fn counted(&self) -> bool {
        self.live.counted && self.status == StatusCode::OK
    }

    /// May be kept: a 200 its handler allows to keep.
    pub fn keepable(&self) -> bool {
        self.live.keep && self.status == StatusCode::OK
    }

    pub fn slots(&self) -> &[Live] {
        &self.slots
    }

    pub fn tags(&self) -> &[Tag] {
        &self.live.tags
    }

    /// Memory it is reckoned to take once both compressed forms are made (each about a
    /// quarter of the plain bytes), with the key and bookkeeping.
    pub(super) fn weight(&self) -> usize {
        let plain: usize = self.parts.iter().map(Bytes::len).sum();
        plain + plain / 2 + 512
    }

    pub(super) fn born(&self) -> Instant {
        self.born
    }

    pub(super) fn mark_stale(&self) {
        self.stale.store(true, Ordering::Release);
    }

    /// Whether it should be rendered again (stale, older than `max_age`, or past the time
    /// its handler said it is good until).
    pub(super) fn is_stale(&self, max_age: Duration) -> bool {
        self.stale.load(Ordering::Acquire)
            || self.born.elapsed() >= max_age
            || self
                .live
                .until
                .is_some_and(|u| jiff::Timestamp::now().as_second() >= u)
    }

    /// Claims the one re-render of a stale page; false when another request has it.
    pub(super) fn claim_refresh(&self) -> bool {
        !self.refreshing.swap(true, Ordering::AcqRel)
    }

    /// Gives the claim back (the re-render failed; the next request tries again).
    /// Claims the making of its compressed forms: false when they are made or being made.
    pub(super) fn claim_compression(&self) -> bool {
        !self.compressing.swap(true, Ordering::AcqRel)
    }

    pub(super) fn release_refresh(&self) {
        self.refreshing.store(false, Ordering::Release);
    }

    /// The page with `numbers` (one per slot) spliced in, as a body of its parts.
    pub fn plain(&self, numbers: Vec<Bytes>) -> super::body::Spliced {
        let mut chunks = std::collections::VecDeque::with_capacity(self.parts.len() * 2);
        let mut numbers = numbers.into_iter();
        for part in &self.parts {
            chunks.push_back(part.clone());
            if let Some(n) = numbers.next().filter(|n| !n.is_empty()) {
                chunks.push_back(n);
            }
        }
        super::body::Spliced::new(chunks)
    }

    /// Compresses the parts for gzip and brotli (tens of milliseconds: run it off the
    /// request threads). Until it is done the page goes out uncompressed. A page with more
    /// than [`MAX_SPLICED`] slots (a large sitemap, one site address per URL) is not: each
    /// spliced value is joined uncompressed, so the router's compression layer does better.
    pub fn prepare_encodings(&self) {
        let few = self.slots.len() <= MAX_SPLICED;
        self.gzip
            .get_or_init(|| few.then(|| Gzip::new(&self.parts).ok()).flatten());
        self.brotli
            .get_or_init(|| few.then(|| Brotli::new(&self.parts).ok()).flatten());
    }

    /// Its compressed forms are made and can be assembled.
    pub fn compressed_ready(&self) -> bool {
        self.brotli.get().is_some_and(Option::is_some)
            && self.gzip.get().is_some_and(Option::is_some)
    }

    /// The page gzip-compressed with `numbers` spliced in (`None` until prepared).
    pub fn gzip(&self, numbers: &[&[u8]]) -> Option<Bytes> {
        let gz = self.gzip.get()?.as_ref()?;
        Some(gz.assemble(numbers))
    }

    /// The page brotli-compressed with `numbers` spliced in (`None` until prepared).
    pub fn brotli(&self, numbers: &[&[u8]]) -> Option<Bytes> {
        self.brotli.get()?.as_ref()?.assemble(numbers)
    }
}
