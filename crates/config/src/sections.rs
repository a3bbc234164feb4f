//! Every setting cong has, with its default and its doc line, grouped by section.

use crate::Schedule;
use crate::setting::section;
use jiff::SignedDuration;

/// The whole configuration. Sections map to TOML tables and to `CONG_<SECTION>__<KEY>`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub site: SiteConfig,
    pub stats: StatsConfig,
    pub listing: ListingConfig,
    pub auth: AuthConfig,
    pub media: MediaConfig,
    pub files: FilesConfig,
    pub editorial: EditorialConfig,
    pub cache: CacheConfig,
    pub metrics: MetricsConfig,
    pub secrets: SecretsConfig,
    pub backup: BackupConfig,
    pub mail: MailConfig,
    pub forms: FormsConfig,
}

impl Config {
    /// Every setting of every section, in file order.
    pub fn settings(&self) -> Vec<crate::Setting> {
        // The `[server.tls]` table is listed setting by setting, not as one value.
        let mut all: Vec<crate::Setting> = self
            .server
            .settings()
            .into_iter()
            .filter(|s| s.key != "server.tls")
            .collect();
        all.extend(self.server.tls.settings());
        all.extend(self.database.settings());
        all.extend(self.site.settings());
        all.extend(self.stats.settings());
        all.extend(self.listing.settings());
        all.extend(self.auth.settings());
        all.extend(self.media.settings());
        all.extend(self.files.settings());
        all.extend(self.editorial.settings());
        all.extend(self.cache.settings());
        all.extend(self.metrics.settings());
        all.extend(self.secrets.settings());
        all.extend(self.backup.settings());
        all.extend(self.mail.settings());
        all.extend(self.forms.settings());
        all
    }
}

section! {
    /// How cong listens and which peers it believes.
    pub struct ServerConfig ("server") {
        /// Addresses to listen on. "[::]:8080" is dual stack: it takes IPv4 and IPv6 alike.
        pub listen: Vec<String> = vec!["[::]:8080".to_owned()],
        /// The site's public address ("https://skhcn.example.gov.vn") for canonical links, feeds and the sitemap; unset, each request's Host is used.
        pub public_url: Option<String> = None,
        /// Peers (reverse proxies, load balancers) whose X-Forwarded-For is believed, as CIDRs.
        pub trusted_proxies: Vec<ipnet::IpNet> = Vec::new(),
        /// A lone site with an address answers a request on any other name (www., a bare IP) with a 301 to that address, as it does for its aliases; off, it answers on any name.
        pub canonical_redirect: bool = false,
        /// Longest request target (path and query) accepted, in bytes; longer gets 414.
        pub max_uri_bytes: u32 = 2048,
        /// A request that takes longer than this is answered 503.
        pub request_timeout: SignedDuration = SignedDuration::from_secs(30),
        /// Requests handled at once; past it a request is answered 503 with Retry-After at once, instead of every request slowing down (0: no limit).
        pub max_in_flight: u32 = 1024,
        /// How long a client has to send a request's headers, counted from when its connection is ready for one: this also closes a kept-alive connection left idle that long.
        pub header_timeout: SignedDuration = SignedDuration::from_secs(10),
        /// Connections open at once; past it new connections wait until one closes. Kept below the process's open-file limit (raised to its hard limit at start).
        pub max_connections: u32 = 4096,
        /// Connections open at once from one client (an IPv4 address or an IPv6 /64; trusted proxies are exempt); past it a new one is closed at once (0: no limit).
        pub max_connections_per_client: u32 = 256,
        /// How long a graceful stop waits for requests in flight before it flushes and exits.
        pub shutdown_grace: SignedDuration = SignedDuration::from_secs(10),
        /// HTTPS (the `[server.tls]` table; listed below under `server.tls.*`).
        pub tls: TlsConfig = TlsConfig::default(),
    }
}

/// How HTTPS is served: not at all (a proxy in front does it), from certificate files, or
/// with certificates cong obtains and renews itself over ACME.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    #[default]
    Off,
    Files,
    Acme,
}

impl crate::setting::TomlValue for TlsMode {
    fn toml(&self) -> String {
        match self {
            TlsMode::Off => "\"off\"",
            TlsMode::Files => "\"files\"",
            TlsMode::Acme => "\"acme\"",
        }
        .to_owned()
    }
}

/// The ACME challenge cong answers to prove it holds a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
pub enum AcmeChallenge {
    /// A file under `/.well-known/acme-challenge/` on port 80.
    #[default]
    #[serde(rename = "http-01")]
    Http01,
    /// A special certificate on port 443 (no port 80 needed).
    #[serde(rename = "tls-alpn-01")]
    TlsAlpn01,
}

impl crate::setting::TomlValue for AcmeChallenge {
    fn toml(&self) -> String {
        match self {
            AcmeChallenge::Http01 => "\"http-01\"",
            AcmeChallenge::TlsAlpn01 => "\"tls-alpn-01\"",
        }
        .to_owned()
    }
}

impl crate::setting::TomlValue for TlsConfig {
    fn toml(&self) -> String {
        "# (the server.tls.* settings)".to_owned()
    }
}

section! {
    /// HTTPS in the binary: listeners, certificates, ACME and HSTS.
    pub struct TlsConfig ("server.tls") {
        /// "off": plain HTTP only (a proxy in front terminates TLS); "files": the certificate and key below; "acme": certificates obtained and renewed for every site's address and aliases.
        pub mode: TlsMode = TlsMode::Off,
        /// HTTPS addresses (HTTP/2 and HTTP/1.1). With TLS on, server.listen answers only ACME challenges and redirects to https://.
        pub listen: Vec<String> = vec!["[::]:443".to_owned()],
        /// The certificate chain, PEM, leaf first (mode "files"); re-read when it changes.
        pub cert_file: String = String::new(),
        /// The certificate's private key, PEM (mode "files"); re-read when it changes.
        pub key_file: String = String::new(),
        /// The ACME directory: Let's Encrypt by default, or a national or internal CA's.
        pub acme_directory: String = "https://acme-v02.api.letsencrypt.org/directory".to_owned(),
        /// The contact e-mail given to the ACME CA (expiry warnings go there).
        pub acme_email: String = String::new(),
        /// How cong proves it holds a name: "http-01" (port 80 must reach it) or "tls-alpn-01" (port 443 must).
        pub acme_challenge: AcmeChallenge = AcmeChallenge::Http01,
        /// A PEM root certificate to trust for the ACME directory's own HTTPS (an internal CA); empty: the system's roots.
        pub acme_ca_file: String = String::new(),
        /// A certificate is renewed this long before it expires (failures are retried with back-off meanwhile).
        pub renew_before: SignedDuration = SignedDuration::from_hours(30 * 24),
        /// HSTS max-age sent over HTTPS (0 sends none).
        pub hsts_max_age: SignedDuration = SignedDuration::from_hours(365 * 24),
        /// Add includeSubDomains to HSTS: only when every name under the site's domain serves HTTPS.
        pub hsts_include_subdomains: bool = false,
    }
}

section! {
    /// Where the content lives.
    pub struct DatabaseConfig ("database") {
        /// Store URL: "sqlite://path" (embedded, created on first start) or "postgres://…".
        pub url: String = "sqlite://data/cong.db".to_owned(),
        /// Most connections in the read pool (SQLite always writes through one connection).
        pub max_connections: u32 = 8,
        /// How long a request waits for a free connection before it gets a 503.
        pub acquire_timeout: SignedDuration = SignedDuration::from_secs(5),
        /// How long the change log (how nodes follow each other) is kept; a node stopped for longer rebuilds its search index at start.
        pub changes_keep: SignedDuration = SignedDuration::from_hours(7 * 24),
    }
}

section! {
    /// The site itself.
    pub struct SiteConfig ("site") {
        /// IANA time zone for dates shown and for the day, week and month of the statistics.
        pub timezone: String = "Asia/Ho_Chi_Minh".to_owned(),
        /// This node's copies of the images kept in the database (uploads and demo), served under /media/; a cache bounded by media.cache_max_mb.
        pub media_dir: String = "data/media".to_owned(),
        /// Folder of this node's full-text index (rebuilt from the database when missing).
        pub search_dir: String = "data/search".to_owned(),
        /// Folder whose templates and static files override the built-in theme, file by file.
        pub theme_dir: Option<String> = None,
        /// Fill an empty database with demo content at start (same as `cong serve --demo`).
        pub demo_content: bool = false,
    }
}

section! {
    /// Visitor statistics and view counts; the meanings are those of DESIGN.md.
    pub struct StatsConfig ("stats") {
        /// How often counts gathered in memory are written to the store.
        pub flush_interval: SignedDuration = SignedDuration::from_secs(1),
        /// A visit ends after this long without a counted page view.
        pub visit_idle: SignedDuration = SignedDuration::from_mins(30),
        /// "Đang truy cập" counts visitors with a counted page view this recently.
        pub online_window: SignedDuration = SignedDuration::from_mins(5),
        /// A repeat view of an article by the same visitor within this window is not counted; 0 counts every view.
        pub view_dedupe: SignedDuration = SignedDuration::from_mins(10),
        /// Added to the all-time total, for a site that moves here from an older portal.
        pub total_offset: u64 = 0,
        /// More User-Agent patterns (case-insensitive regular expressions) never counted.
        pub extra_bot_patterns: Vec<String> = Vec::new(),
        /// Visitors (and, apart, visitor–article pairs) a node remembers between flushes; past it the longest unseen are forgotten first, which changes only this node's numbers before a flush, never what is stored.
        pub max_visitors: u32 = 500_000,
        /// Sightings (visitors plus visitor–article pairs) waiting for a flush; past it (the database away for long, or a flood) views of visitors new to the batch are not counted, and are logged and counted as dropped.
        pub max_pending: u32 = 250_000,
    }
}

section! {
    /// How many items lists show.
    pub struct ListingConfig ("listing") {
        /// Articles per page of a section.
        pub section_page_size: u32 = 10,
        /// Articles per page of "Tin khác" under an article.
        pub other_news_page_size: u32 = 5,
        /// Articles per section block on the home page.
        pub home_per_section: u32 = 4,
        /// Results per page of a search.
        pub search_page_size: u32 = 10,
        /// Newest articles in each RSS and Atom feed.
        pub feed_items: u32 = 20,
        /// URLs per sitemap file; past this, `/sitemap.xml` becomes an index (at most 50,000).
        pub sitemap_urls: u32 = 50_000,
    }
}

section! {
    /// The back office: sessions, passwords, login throttling.
    pub struct AuthConfig ("auth") {
        /// A session ends after this long without a request.
        pub session_idle: SignedDuration = SignedDuration::from_mins(30),
        /// A session ends this long after login, however busy.
        pub session_absolute: SignedDuration = SignedDuration::from_hours(12),
        /// Shortest password accepted, in characters.
        pub min_password_chars: u32 = 10,
        /// Failed logins for one account from one address before each further try waits.
        pub free_failures_per_account: u32 = 5,
        /// Failed logins from one address (any account) before each further try waits.
        pub free_failures_per_address: u32 = 20,
        /// Failures older than this are forgotten.
        pub failure_window: SignedDuration = SignedDuration::from_mins(15),
        /// Longest wait imposed after failed logins (the wait doubles with each failure).
        pub max_wait: SignedDuration = SignedDuration::from_mins(15),
        /// Session cookies get "Secure": "auto" (when the request came over HTTPS, as a trusted proxy's X-Forwarded-Proto says), "always" or "never".
        pub secure_cookie: String = "auto".to_owned(),
        /// Password checks (Argon2, about 19 MB of memory each) run at once; more wait their turn.
        pub password_checks_at_once: u32 = 4,
        /// How long a login waits for its turn to check a password before it gets 503 with Retry-After.
        pub password_check_wait: SignedDuration = SignedDuration::from_secs(2),
    }
}

section! {
    /// Uploaded images and videos.
    pub struct MediaConfig ("media") {
        /// Largest file accepted, in bytes (larger gets 413 before it is read whole).
        pub max_bytes: u64 = 20 * 1024 * 1024,
        /// Largest width × height accepted, checked from the header before decoding.
        pub max_pixels: u64 = 50_000_000,
        /// Largest video (MP4 or WebM) accepted, in bytes; requests are bounded by the largest of the upload limits.
        pub max_video_bytes: u64 = 100 * 1024 * 1024,
        /// Disk for this node's copies of the stored media files (site.media_dir), in MB; past it the least recently served are deleted, to be read from the database again when asked for (0: no bound).
        pub cache_max_mb: u32 = 1024,
    }
}

section! {
    /// Attached files (PDF, Word, Excel, OpenDocument): limits, and an optional scanner.
    pub struct FilesConfig ("files") {
        /// Largest PDF accepted, in bytes.
        pub max_pdf_bytes: u64 = 50 * 1024 * 1024,
        /// Largest Word, Excel, PowerPoint or OpenDocument file accepted, in bytes.
        pub max_office_bytes: u64 = 20 * 1024 * 1024,
        /// Most bytes an Office or OpenDocument file may unpack to (a zip bomb is refused past it).
        pub max_unpacked_bytes: u64 = 200 * 1024 * 1024,
        /// A command run on each upload with the file's path appended ("clamdscan --no-summary"); it is refused unless the command exits 0. Empty: none.
        pub scanner: Vec<String> = Vec::new(),
    }
}

section! {
    /// The back office's editorial tools: the trash and preview links.
    pub struct EditorialConfig ("editorial") {
        /// Days an article, page, document or image stays in the trash before it is deleted for good (0: until an administrator empties it).
        pub trash_keep_days: u32 = 30,
        /// How long a preview link sent to a reviewer without an account works, in days.
        pub preview_link_days: u32 = 7,
    }
}

section! {
    /// The page cache: public pages kept rendered in memory, live numbers spliced in.
    pub struct CacheConfig ("cache") {
        /// Keep rendered public pages in memory until what they show changes.
        pub enabled: bool = true,
        /// Memory for kept pages, in MB (their plain and compressed bytes); past it the oldest are dropped.
        pub max_mb: u32 = 128,
        /// A page older than this is rendered again (served as it was meanwhile), for what changes without an edit.
        pub max_age: SignedDuration = SignedDuration::from_mins(10),
    }
}

section! {
    /// `/metrics` for Prometheus: off unless one of the two is set.
    pub struct MetricsConfig ("metrics") {
        /// A separate address that serves only /metrics ("127.0.0.1:9464"), kept off the public listener; empty: none.
        pub listen: String = String::new(),
        /// A token that opens /metrics on the public listener (sent as "Authorization: Bearer …"); unset: /metrics is not there.
        pub token: Option<crate::Secret> = None,
    }
}

section! {
    /// Secrets the database keeps (second-factor keys, later certificates) are sealed with a key kept outside it.
    pub struct SecretsConfig ("secrets") {
        /// The key file (256 random bits), made with mode 0600 when first needed. Keep it out of database backups, and give every node the same file.
        pub key_file: String = "data/secret.key".to_owned(),
        /// Former key files, still read but never used to seal: for `cong secrets rotate`, which re-seals every value under key_file.
        pub old_key_files: Vec<String> = Vec::new(),
    }
}

section! {
    /// Scheduled backups made by the running node (`cong backup` makes one by hand).
    pub struct BackupConfig ("backup") {
        /// Folder for scheduled backups; empty: no scheduled backups. Keep it on another disk, or copy it off the machine.
        pub folder: String = String::new(),
        /// When: "daily HH:MM" in site.timezone, or "every DURATION" (such as "every 6h", counted from 00:00 UTC). A node that was down at that time makes the missed backup when it starts; of several nodes on one database, one makes each.
        pub schedule: Schedule = Schedule::Daily { hour: 3, minute: 0 },
        /// How many backups to keep in the folder; older ones are deleted after each new one.
        pub keep: u32 = 7,
    }
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

impl crate::setting::TomlValue for SmtpSecurity {
    fn toml(&self) -> String {
        match self {
            SmtpSecurity::Starttls => "\"starttls\"",
            SmtpSecurity::Tls => "\"tls\"",
            SmtpSecurity::None => "\"none\"",
        }
        .to_owned()
    }
}

section! {
    /// Outbound e-mail (password resets): queued in the database, sent over SMTP by the nodes.
    pub struct MailConfig ("mail") {
        /// Send queued mail; off, mail stays queued and the password-reset link is not offered.
        pub enabled: bool = false,
        /// The SMTP server (the agency's relay or a mail provider's).
        pub smtp_host: String = String::new(),
        /// Its port: 587 for "starttls", 465 for "tls", often 25 for "none".
        pub smtp_port: u32 = 587,
        /// "starttls" (required, not opportunistic), "tls" (from the first byte) or "none".
        pub security: SmtpSecurity = SmtpSecurity::Starttls,
        /// The SMTP login; empty: none.
        pub username: String = String::new(),
        /// The SMTP password.
        pub password: Option<crate::Secret> = None,
        /// The sender's address ("no-reply@skhcn.example.gov.vn").
        pub from_address: String = String::new(),
        /// The sender's name shown to recipients.
        pub from_name: String = "Cổng thông tin điện tử".to_owned(),
        /// Accept a server certificate that does not verify (a test relay only).
        pub accept_invalid_certs: bool = false,
        /// Attempts before a mail is given up (marked failed in the mail log).
        pub max_attempts: u32 = 6,
        /// The first retry waits this long; later ones 5, 30, 120 and 360 times as long.
        pub retry_after: SignedDuration = SignedDuration::from_mins(1),
        /// How often each node looks for mail that is due.
        pub poll_interval: SignedDuration = SignedDuration::from_secs(10),
    }
}

section! {
    /// The public forms (Góp ý / Liên hệ): what keeps spam out and how long personal data stays.
    pub struct FormsConfig ("forms") {
        /// The proof of work's cost: PBKDF2 rounds per guess (the browser makes thousands).
        pub pow_cost: u32 = 1000,
        /// The proof of work's size: the answer is a number between half this and this.
        pub pow_max_number: u32 = 10000,
        /// How long a challenge may be answered, from the moment the form is opened.
        pub challenge_ttl: SignedDuration = SignedDuration::from_mins(30),
        /// A form sent sooner than this after it was opened is refused (a person reads first).
        pub min_fill_time: SignedDuration = SignedDuration::from_secs(5),
        /// Forms one address (an IPv6 /64) may send an hour, all forms together.
        pub per_address_per_hour: u32 = 5,
        /// Days the sender's personal data of a handled or archived message is kept.
        pub retain_days: u32 = 365,
        /// Largest file a citizen may attach to a question, in bytes (kinds and checks: `[files]`).
        pub max_attachment_bytes: u64 = 10 * 1024 * 1024,
    }
}
