//! cong's configuration: one typed struct, read from a TOML file and `CONG_*` variables.
//!
//! Every setting is declared once, in `sections.rs`, with its default and its doc line;
//! `cong config check` prints those docs beside the effective values. Nothing here reads a
//! global: the loaded `Config` is passed to each layer, which takes the section it needs.

mod load;
mod schedule;
mod sections;
mod setting;

pub use load::{ConfigError, Source, load};
pub use schedule::Schedule;
pub use sections::{
    AcmeChallenge, AuthConfig, BackupConfig, CacheConfig, Config, DatabaseConfig, EditorialConfig,
    FilesConfig, FormsConfig, ListingConfig, MailConfig, MediaConfig, MetricsConfig, SecretsConfig,
    ServerConfig, SiteConfig, SmtpSecurity, StatsConfig, TlsConfig, TlsMode,
};
pub use setting::{Secret, Setting, redact_url};
