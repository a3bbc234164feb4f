//! The state every handler shares.

use cong_domain::auth::Auth;
use cong_domain::content::Content;
use cong_domain::editorial::Editorial;
use cong_domain::media::MediaLibrary;
use cong_domain::stats::Stats;
use cong_render::Renderer;
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
    pub media: MediaLibrary,
    pub search: cong_domain::search::Search,
    /// The configured public address, without a trailing slash (else each request's Host).
    pub public_url: Option<String>,
    /// Peers whose X-Forwarded-For and X-Forwarded-Proto are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub stats: Arc<Stats>,
    pub renderer: Renderer,
    pub tz: TimeZone,
    pub media_dir: PathBuf,
    pub max_uri_bytes: usize,
    /// Permits for requests handled at once (`server.max_in_flight`); `None`: no limit.
    pub in_flight: Option<tokio::sync::Semaphore>,
    pub request_timeout: std::time::Duration,
    /// Set once the store is migrated and the counters are loaded; until then every page
    /// is a 503 (a node may start while its database is down).
    pub ready: AtomicBool,
    /// The content security policy in force (footer badges add origins to it).
    pub csp: std::sync::RwLock<String>,
}

impl App {
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    pub fn set_ready(&self) {
        self.ready.store(true, Ordering::Release);
    }

    /// Recomputes the content security policy from the site's settings (its badges).
    pub async fn refresh_csp(&self) -> cong_domain::Result<()> {
        let site = self.content.site().await?;
        let (img, script) = site.badge_origins();
        let policy = crate::headers::csp(&img, &script);
        *self.csp.write().unwrap_or_else(|p| p.into_inner()) = policy;
        Ok(())
    }
}

pub(crate) type SharedApp = Arc<App>;
