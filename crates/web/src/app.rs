//! The state every handler shares.

use cong_domain::auth::Auth;
use cong_domain::changes::{ChangeFeed, ChangeKind, ChangeRow};
use cong_domain::content::Content;
use cong_domain::editorial::Editorial;
use cong_domain::media::MediaLibrary;
use cong_domain::stats::Stats;
use cong_render::Renderer;
use cong_store::SiteId;
use jiff::tz::TimeZone;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Services and settings of one running portal.
#[derive(Debug)]
pub struct App {
    pub content: Content,
    pub auth: Auth,
    pub editorial: Editorial,
    pub trash: cong_domain::trash::Trash,
    /// How long a preview link works, in days (`editorial.preview_link_days`).
    pub preview_link_days: u32,
    /// Days things stay in the trash (`editorial.trash_keep_days`; 0: until emptied).
    pub trash_keep_days: u32,
    /// Makes and checks preview links.
    pub previews: cong_domain::editorial::PreviewLinks,
    pub media: MediaLibrary,
    /// The legal documents library.
    pub documents: cong_domain::documents::Documents,
    /// Attachments: checked, read for the search, stored.
    pub files: cong_domain::files::FileIntake,
    pub search: cong_domain::search::Search,
    /// The configured public address, without a trailing slash (else each request's Host).
    pub public_url: Option<String>,
    /// Peers whose X-Forwarded-For and X-Forwarded-Proto are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// A lone site sends names it does not hold to its address (`server.canonical_redirect`).
    pub canonical_redirect: bool,
    pub stats: Arc<Stats>,
    pub renderer: Renderer,
    /// The outbound mail queue (`[mail]`).
    pub mailer: cong_domain::mail::Mailer,
    /// What every public form must pass (`[forms]`): proof of work, limits, consent.
    pub forms: cong_domain::forms::FormGuard,
    /// Hỏi đáp, behind the public forms' guard.
    pub questions: cong_domain::questions::QuestionService,
    /// Góp ý / Liên hệ, behind the public forms' guard.
    pub feedback: cong_domain::feedback::FeedbackService,
    /// Lấy ý kiến dự thảo: documents out for comment, behind the same guard.
    pub consultations: cong_domain::consultations::Consultations,
    /// The menu, home-page blocks, banners and links as the webmaster arranged them.
    pub navigation: cong_domain::navigation::Navigation,
    /// Lịch công tác: the leaders' weekly work schedule.
    pub schedule: cong_domain::schedule::Schedule,
    /// The old addresses a site brought from the system it ran before (301s).
    pub redirects: cong_domain::redirects::Redirects,
    /// Cơ cấu tổ chức and Danh bạ: the site's units and people.
    pub organisation: cong_domain::organisation::Organisation,
    /// What is stored about a person: found, exported, erased, expired.
    pub privacy: cong_domain::privacy::Privacy,
    pub tz: TimeZone,
    pub media_dir: PathBuf,
    /// This node's copies of the stored media files (`/media/*`).
    pub media_cache: Arc<cong_domain::media::cache::MediaCache>,
    pub max_uri_bytes: usize,
    /// Permits for requests handled at once (`server.max_in_flight`); `None`: no limit.
    pub in_flight: Option<Arc<tokio::sync::Semaphore>>,
    pub request_timeout: std::time::Duration,
    /// Set once the store is migrated and the counters are loaded; until then every page
    /// is a 503 (a node may start while its database is down).
    pub ready: AtomicBool,
    /// Each site's content security policy (footer badges add origins to it).
    pub csp: crate::headers::Policies,
    /// The sites, and which one each host name reaches.
    pub sites: Arc<cong_domain::sites::Sites>,
    pub cache: crate::cache::PageCache,
    /// The change log as this node follows it.
    pub feed: Arc<ChangeFeed>,
    /// The newest change whose effects on memory (cache, policy) are applied.
    pub applied: tokio::sync::watch::Sender<i64>,
    /// Connections open now (the listener keeps it).
    pub connections: Arc<crate::server::ConnectionGauge>,
    /// The metrics recorder, when `/metrics` is on (a separate listener or a token).
    pub metrics: Option<crate::metrics::Metrics>,
    /// The token that opens `/metrics` on the public listener (`metrics.token`).
    pub metrics_token: Option<String>,
    /// This node's scheduled backups (`/healthz?details` shows the last one).
    pub backups: Arc<cong_domain::backup::BackupStatus>,
    /// HTTPS served by this node (`server.tls`); `None`: plain HTTP, a proxy may do TLS.
    pub tls: Option<Arc<cong_tls::Tls>>,
    /// The `Strict-Transport-Security` value sent over HTTPS; `None`: none is sent.
    pub hsts: Option<axum::http::HeaderValue>,
}

/// A request's place under `server.max_in_flight` (a request extension): work a request
/// starts that outlives it (a page render in a task of its own) keeps a clone, so it still
/// counts against the limit.
#[derive(Debug, Clone)]
pub struct InFlight {
    _permit: Arc<tokio::sync::OwnedSemaphorePermit>,
}

impl InFlight {
    pub fn new(permit: tokio::sync::OwnedSemaphorePermit) -> Self {
        InFlight {
            _permit: Arc::new(permit),
        }
    }
}

impl App {
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    pub fn set_ready(&self) {
        self.ready.store(true, Ordering::Release);
    }

    /// Recomputes every site's content security policy (at start, and when changes may
    /// have been missed).
    pub async fn refresh_csp(&self) -> cong_domain::Result<()> {
        for info in self.sites.directory().all() {
            self.refresh_csp_of(info.id).await?;
        }
        Ok(())
    }

    /// Recomputes one site's content security policy from its settings (its badges).
    pub async fn refresh_csp_of(&self, site: SiteId) -> cong_domain::Result<()> {
        let (img, script) = self.content.site(site).await?.badge_origins();
        let policy = crate::headers::csp(&img, &script);
        let policy = axum::http::HeaderValue::from_str(&policy)
            .map_err(|e| cong_domain::Error::Invalid(format!("security policy: {e}")))?;
        self.csp.set(site, policy);
        Ok(())
    }
}

impl App {
    /// Applies a change to what this node keeps in memory besides the search index: the
    /// page cache and the security policy. The one path by which cached pages go stale.
    pub async fn follow(&self, change: &ChangeRow) {
        use crate::cache::Scope;
        let scope = match change.kind {
            Some(ChangeKind::Article) => {
                let place = match self.content.place_of_article(change.entity_id).await {
                    Ok(p) => p,
                    Err(e) => {
                        tracing::warn!(error = %e, "article's section unknown; every page goes stale");
                        self.go_stale(Scope::Everything);
                        return self.mark_applied(change.id);
                    }
                };
                // The original of a translation links to it: its page changes too.
                if let Ok(Some(original)) = self.content.translation_of(change.entity_id).await {
                    self.go_stale(Scope::Article {
                        id: original,
                        section: None,
                        site: place.map(|p| p.0),
                    });
                }
                Scope::Article {
                    id: change.entity_id,
                    section: place.map(|p| p.1),
                    site: place.map(|p| p.0),
                }
            }
            Some(ChangeKind::Listing) => Scope::Listing(change.entity_id),
            Some(ChangeKind::Settings) => Scope::Site(SiteId(change.entity_id)),
            Some(ChangeKind::Site) => match self.sites.load().await {
                Ok(()) => {
                    // New names may need a certificate.
                    if let Some(tls) = &self.tls {
                        tls.wake();
                    }
                    Scope::Site(SiteId(change.entity_id))
                }
                Err(e) => {
                    tracing::warn!(error = %e, "sites not read again; every page goes stale");
                    Scope::Everything
                }
            },
            // A document: its site's library pages, feeds, sitemap and search results.
            Some(ChangeKind::Document) => site_scope(
                self.content
                    .store()
                    .site_of_document(change.entity_id)
                    .await,
                "document",
                Scope::Site,
            ),
            // A question published or its published text edited: its site's Hỏi đáp pages.
            Some(ChangeKind::Question) => site_scope(
                self.content
                    .store()
                    .questions()
                    .site_of(change.entity_id)
                    .await,
                "question",
                Scope::Questions,
            ),
            // A site's work schedule: its Lịch công tác pages and feeds.
            Some(ChangeKind::Schedule) => Scope::Schedule(SiteId(change.entity_id)),
            // A site's units or people: its organisation pages (the entity is the site).
            Some(ChangeKind::Organisation) => Scope::Organisation(SiteId(change.entity_id)),
            // The search index alone: no page shows it.
            Some(ChangeKind::Reindex) => return self.mark_applied(change.id),
            // What the TLS listener serves; no page shows it.
            Some(ChangeKind::Certificate) => {
                if let Some(tls) = &self.tls
                    && let Err(e) = tls.reload().await
                {
                    tracing::warn!(error = %e, "certificates not read again");
                }
                return self.mark_applied(change.id);
            }
            // An image nothing used left the library: no page shows it; this node's copies
            // of its files go.
            Some(ChangeKind::Media) => {
                if let Err(e) = self.media_cache.drop_unstored().await {
                    tracing::warn!(error = %e, "copies of deleted media files not dropped");
                }
                return self.mark_applied(change.id);
            }
            // The menu, a static page, or a kind a newer node wrote.
            Some(ChangeKind::Page | ChangeKind::Section) | None => Scope::Everything,
        };
        let n = self.go_stale(scope);
        tracing::debug!(
            change = change.id,
            kind = ?change.kind,
            pages = n,
            "pages gone stale"
        );
        if matches!(change.kind, Some(ChangeKind::Settings | ChangeKind::Site))
            && let Err(e) = self.refresh_csp_of(SiteId(change.entity_id)).await
        {
            tracing::warn!(error = %e, "security policy not refreshed");
        }
        self.mark_applied(change.id);
    }

    /// After the feed lost track (lagged): nothing kept can be trusted.
    pub async fn follow_lost(&self) {
        self.go_stale(crate::cache::Scope::Everything);
        if let Err(e) = self.refresh_csp().await {
            tracing::warn!(error = %e, "security policy not refreshed");
        }
        self.mark_applied(self.feed.last_delivered());
    }

    /// Lets kept pages go stale when a scheduled article comes out (nothing is written
    /// then, so no change says so). Runs until the task is dropped.
    pub async fn follow_schedule(&self) {
        let mut changed = self.applied.subscribe();
        loop {
            let next = match self.content.next_publication().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::debug!(error = %e, "next scheduled article not known");
                    None
                }
            };
            let now = jiff::Timestamp::now();
            let wait = next.map_or(std::time::Duration::from_secs(3600), |t| {
                let ms = (t - now).as_millis().clamp(0, 3_600_000);
                // Just past the second it comes out, when the store shows it.
                std::time::Duration::from_millis(u64::try_from(ms).unwrap_or(0) + 20)
            });
            tokio::select! {
                () = tokio::time::sleep(wait) => {
                    if next.is_some_and(|t| t <= jiff::Timestamp::now()) {
                        let n = self.go_stale(crate::cache::Scope::Everything);
                        tracing::info!(pages = n, "a scheduled article came out; pages gone stale");
                    }
                }
                r = changed.changed() => if r.is_err() { return },
            }
        }
    }

    /// At each midnight in the site's zone, banners start or stop showing with no edit: the
    /// pages of every site where one did go stale then, on every node alike.
    pub async fn follow_midnight(&self) {
        loop {
            // Just past it, when the day has turned everywhere.
            let wait = self.navigation.until_midnight() + std::time::Duration::from_millis(500);
            tokio::time::sleep(wait).await;
            for site in self.sites.directory().all() {
                match self.navigation.banners_changed_today(site.id).await {
                    Ok(false) => {}
                    Ok(true) => {
                        let n = self.go_stale(crate::cache::Scope::Site(site.id));
                        tracing::info!(
                            site = site.id.0,
                            pages = n,
                            "a new day for the banners; pages gone stale"
                        );
                    }
                    Err(e) => tracing::warn!(error = %e, "banners not read at midnight"),
                }
            }
        }
    }

    /// Makes stale what `scope` touches: kept pages, and the section counts they are
    /// rendered from. Returns how many pages went stale.
    fn go_stale(&self, scope: crate::cache::Scope) -> usize {
        use crate::cache::Scope;
        if let Scope::Questions(_) | Scope::Schedule(_) | Scope::Organisation(_) = scope {
            // No article count shows a question, the schedule or a unit.
            return self.cache.apply(scope);
        }
        self.content.forget_counts(match scope {
            Scope::Article { section, .. } => section,
            Scope::Listing(s) => Some(s),
            Scope::Site(_)
            | Scope::Everything
            | Scope::Questions(_)
            | Scope::Schedule(_)
            | Scope::Organisation(_) => None,
        });
        // An article (or a listing of unknown site) may change its site's own count.
        match scope {
            Scope::Article { site, .. } => self.content.forget_site_counts(site),
            Scope::Listing(_) => self.content.forget_site_counts(None),
            Scope::Site(_)
            | Scope::Everything
            | Scope::Questions(_)
            | Scope::Schedule(_)
            | Scope::Organisation(_) => {}
        }
        self.cache.apply(scope)
    }

    fn mark_applied(&self, id: i64) {
        self.applied.send_if_modified(|a| {
            let newer = id > *a;
            *a = (*a).max(id);
            newer
        });
    }

    /// Waits (briefly) until every change recorded so far is applied on this node, so an
    /// editor who saves sees the public site change on their next request.
    pub async fn settle(&self) {
        if let Err(e) = self.feed.catch_up().await {
            tracing::debug!(error = %e, "change log not read after a write");
            return;
        }
        let last = self.feed.last_delivered();
        let mut rx = self.applied.subscribe();
        let wait = rx.wait_for(|a| *a >= last);
        if tokio::time::timeout(std::time::Duration::from_secs(2), wait)
            .await
            .is_err()
        {
            tracing::warn!(change = last, "change not applied within 2 s of the write");
        }
    }
}

pub(crate) type SharedApp = Arc<App>;

/// The pages of the site a `what` belongs to, by `scope`; every page when it is gone (with
/// its site) or its site cannot be read, since then nothing kept can be trusted.
fn site_scope(
    found: cong_store::Result<Option<SiteId>>,
    what: &str,
    scope: fn(SiteId) -> crate::cache::Scope,
) -> crate::cache::Scope {
    match found {
        Ok(Some(site)) => scope(site),
        Ok(None) => crate::cache::Scope::Everything,
        Err(e) => {
            tracing::warn!(error = %e, what, "site unknown; every page goes stale");
            crate::cache::Scope::Everything
        }
    }
}
