//! The node's services, built once from the configuration: the store, the domain services,
//! the renderer, and the web layer's `App` that holds them for every request.

use crate::to_std;
use cong_config::Config;
use cong_domain::auth::Auth;
use cong_domain::changes::ChangeFeed;
use cong_domain::content::Content;
use cong_domain::editorial::Editorial;
use cong_domain::media::MediaLibrary;
use cong_domain::media::cache::MediaCache;
use cong_domain::search::{Opened, Search};
use cong_domain::secrets::Secrets;
use cong_domain::stats::{Calendar, Stats};
use cong_domain::{Clock, SystemClock};
use cong_render::Renderer;
use cong_store::Store;
use cong_web::App;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use tokio::sync::watch;

/// What a running node is made of.
pub(crate) struct Node {
    pub app: Arc<App>,
    pub store: Store,
    pub feed: Arc<ChangeFeed>,
    /// How the search index was found on disk (the bring-up rebuilds or catches it up).
    pub opened: Opened,
    pub clock: Arc<dyn Clock>,
    /// How long the change log is kept, in seconds (`database.changes_keep`).
    pub changes_keep: i64,
    /// `editorial.trash_keep_days`.
    pub trash_keep_days: u32,
    pub backup: cong_config::BackupConfig,
    pub mail: cong_config::MailConfig,
}

impl Node {
    /// Opens the store (without touching it: the database may be away) and builds every
    /// service on it.
    pub async fn build(config: &Config) -> anyhow::Result<Node> {
        let store = Store::open(&config.database).await?;
        let secrets = Arc::new(Secrets::load(&config.secrets)?);
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let calendar = Calendar::named(&config.site.timezone)?;
        let stats = Arc::new(Stats::new(
            store.clone(),
            &config.stats,
            calendar.clone(),
            config.server.trusted_proxies.clone(),
            clock.clone(),
        )?);
        let feed = Arc::new(ChangeFeed::new(store.clone()));
        let (search, opened) = Search::open(
            Path::new(&config.site.search_dir),
            store.clone(),
            clock.clone(),
            config.listing.search_page_size,
        )?;
        let media_dir = PathBuf::from(&config.site.media_dir);
        let media = MediaLibrary::new(
            store.clone(),
            media_dir.clone(),
            cong_media::Limits {
                max_bytes: config.media.max_bytes,
                max_pixels: config.media.max_pixels,
            },
        )
        .with_max_video_bytes(config.media.max_video_bytes);
        let media_cache = Arc::new(MediaCache::new(
            store.clone(),
            media_dir.clone(),
            u64::from(config.media.cache_max_mb) * 1024 * 1024,
        ));
        let server = &config.server;
        let sites = Arc::new(cong_domain::sites::Sites::new(store.clone(), clock.clone()));
        let tls = cong_tls::Tls::new(
            &server.tls,
            store.clone(),
            Arc::clone(&secrets),
            Arc::clone(&sites),
            clock.clone(),
        )
        .map_err(|e| anyhow::anyhow!("server.tls: {e}"))?;
        let hsts = cong_web::headers::hsts(&server.tls);
        let public_url = server
            .public_url
            .as_deref()
            .map(|u| u.trim_end_matches('/').to_owned());
        let mailer = cong_domain::mail::Mailer::new(
            store.clone(),
            clock.clone(),
            Arc::new(cong_render::mail::MailTheme::new(
                config.site.theme_dir.as_ref().map(PathBuf::from),
            )?),
            config.mail.enabled,
        );
        let forms = &config.forms;
        let guard = cong_domain::forms::FormGuard::new(
            store.clone(),
            clock.clone(),
            cong_domain::forms::Puzzles::new(
                [
                    secrets.derive("cong form challenges v1")?,
                    secrets.derive("cong form challenge keys v1")?,
                ],
                forms.pow_cost,
                forms.pow_max_number,
                forms.challenge_ttl.as_secs(),
            ),
            cong_domain::forms::Limits {
                min_fill_secs: forms.min_fill_time.as_secs(),
                per_address_per_hour: forms.per_address_per_hour,
            },
        );
        let notices = cong_domain::editorial::Notices::new(
            mailer.clone(),
            Arc::clone(&sites),
            public_url.clone(),
            calendar.time_zone().clone(),
        );
        let app = Arc::new(App {
            content: Content::new(store.clone(), config.listing.clone(), clock.clone()),
            auth: Auth::new(
                store.clone(),
                config.auth.clone(),
                Arc::clone(&secrets),
                clock.clone(),
            ),
            editorial: Editorial::new(store.clone(), clock.clone()).with_notices(notices),
            trash: cong_domain::trash::Trash::new(store.clone(), clock.clone(), media.clone()),
            preview_link_days: config.editorial.preview_link_days,
            trash_keep_days: config.editorial.trash_keep_days,
            previews: cong_domain::editorial::PreviewLinks::new(Arc::clone(&secrets)),
            media,
            documents: cong_domain::documents::Documents::new(
                store.clone(),
                clock.clone(),
                calendar.time_zone().clone(),
            ),
            files: cong_domain::files::FileIntake::new(
                store.clone(),
                file_limits(&config.files),
                Some(config.files.scanner.clone()),
            ),
            search,
            trusted_proxies: server.trusted_proxies.clone(),
            canonical_redirect: server.canonical_redirect,
            public_url,
            stats,
            renderer: Renderer::new(config.site.theme_dir.as_ref().map(PathBuf::from))?,
            feedback: cong_domain::feedback::FeedbackService::new(
                store.clone(),
                clock.clone(),
                guard.clone(),
                mailer.clone(),
            ),
            questions: cong_domain::questions::QuestionService::new(
                store.clone(),
                clock.clone(),
                guard.clone(),
                mailer.clone(),
            )
            .with_attachments(cong_files::Limits {
                max_pdf: forms.max_attachment_bytes.min(config.files.max_pdf_bytes),
                max_office: forms
                    .max_attachment_bytes
                    .min(config.files.max_office_bytes),
                ..file_limits(&config.files)
            }),
            navigation: cong_domain::navigation::Navigation::new(
                store.clone(),
                clock.clone(),
                calendar.time_zone().clone(),
            ),
            consultations: cong_domain::consultations::Consultations::new(
                store.clone(),
                clock.clone(),
                calendar.time_zone().clone(),
            ),
            schedule: cong_domain::schedule::Schedule::new(
                store.clone(),
                clock.clone(),
                calendar.time_zone().clone(),
            ),
            redirects: cong_domain::redirects::Redirects::new(store.clone()),
            organisation: cong_domain::organisation::Organisation::new(
                store.clone(),
                clock.clone(),
                calendar.time_zone().clone(),
            ),
            forms: guard,
            privacy: cong_domain::privacy::Privacy::new(
                store.clone(),
                clock.clone(),
                forms.retain_days,
            ),
            mailer,
            tz: calendar.time_zone().clone(),
            media_dir,
            media_cache,
            max_uri_bytes: usize::try_from(server.max_uri_bytes).unwrap_or(2048),
            in_flight: (server.max_in_flight > 0).then(|| {
                Arc::new(tokio::sync::Semaphore::new(
                    usize::try_from(server.max_in_flight).unwrap_or(usize::MAX),
                ))
            }),
            request_timeout: to_std(server.request_timeout),
            ready: AtomicBool::new(false),
            csp: cong_web::headers::Policies::default(),
            sites,
            cache: cong_web::cache::PageCache::new(&config.cache),
            feed: feed.clone(),
            applied: watch::channel(0).0,
            connections: Arc::default(),
            metrics: crate::listen::metrics_recorder(config)?,
            metrics_token: config.metrics.token.as_ref().map(|t| t.expose().to_owned()),
            backups: Arc::default(),
            tls,
            hsts,
        });
        Ok(Node {
            app,
            store,
            feed,
            opened,
            clock,
            changes_keep: config.database.changes_keep.as_secs(),
            trash_keep_days: config.editorial.trash_keep_days,
            backup: config.backup.clone(),
            mail: config.mail.clone(),
        })
    }
}

/// The attachment limits of the `[files]` settings (the rest as `cong-files` sets them).
pub fn file_limits(c: &cong_config::FilesConfig) -> cong_files::Limits {
    cong_files::Limits {
        max_pdf: c.max_pdf_bytes,
        max_office: c.max_office_bytes,
        max_unpacked: c.max_unpacked_bytes,
        ..cong_files::Limits::default()
    }
}
