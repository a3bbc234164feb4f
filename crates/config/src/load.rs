//! Reading the configuration: defaults, then the TOML file, then `CONG_<SECTION>__<KEY>`.

use crate::Config;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// What went wrong reading or checking the configuration; printed to the operator as is.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration: {0}")]
    Read(#[from] config::ConfigError),
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("invalid setting {key}: {reason}")]
    Invalid { key: &'static str, reason: String },
}

/// Where the effective configuration came from, for `cong config check`.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub file: Option<PathBuf>,
    pub env: Vec<String>,
}

/// Environment variables that carry settings: `CONG_SECTION__KEY`. Others with the `CONG_`
/// prefix (such as `CONG_CONFIG`, the file path) are the command line's, not settings.
const PREFIX: &str = "CONG_";
const LIST_KEYS: [&str; 6] = [
    "files.scanner",
    "server.listen",
    "server.tls.listen",
    "server.trusted_proxies",
    "stats.extra_bot_patterns",
    "secrets.old_key_files",
];

/// Loads the configuration. `file` is read when given (and must exist); otherwise `cong.toml`
/// in the working directory is read if present.
pub fn load(file: Option<&Path>) -> Result<(Config, Source), ConfigError> {
    let mut source = Source::default();
    let mut builder = config::Config::builder();
    match file {
        Some(path) if !path.exists() => return Err(ConfigError::MissingFile(path.to_owned())),
        Some(path) => source.file = Some(path.to_owned()),
        None if Path::new("cong.toml").exists() => source.file = Some(PathBuf::from("cong.toml")),
        None => {}
    }
    if let Some(path) = &source.file {
        builder = builder.add_source(config::File::from(path.as_path()));
    }
    let vars: HashMap<String, String> = std::env::vars()
        .filter(|(k, _)| k.starts_with(PREFIX) && k[PREFIX.len()..].contains("__"))
        .collect();
    source.env = vars.keys().cloned().collect();
    source.env.sort();
    let mut env = config::Environment::with_prefix("CONG")
        .prefix_separator("_")
        .separator("__")
        .list_separator(",")
        .try_parsing(true)
        .source(Some(vars));
    for key in LIST_KEYS {
        env = env.with_list_parse_key(key);
    }
    let config: Config = builder.add_source(env).build()?.try_deserialize()?;
    validate(&config)?;
    Ok((config, source))
}

fn validate_tls(t: &crate::TlsConfig) -> Result<(), ConfigError> {
    use crate::TlsMode;
    if t.mode == TlsMode::Off {
        return Ok(());
    }
    if t.listen.is_empty() {
        return Err(invalid(
            "server.tls.listen",
            "at least one address is needed",
        ));
    }
    for addr in &t.listen {
        addr.parse::<SocketAddr>().map_err(|_| {
            invalid(
                "server.tls.listen",
                format!("{addr:?} is not an address with a port, such as \"[::]:443\""),
            )
        })?;
    }
    if t.mode == TlsMode::Files && (t.cert_file.is_empty() || t.key_file.is_empty()) {
        return Err(invalid(
            "server.tls.cert_file",
            "mode \"files\" needs cert_file and key_file",
        ));
    }
    if t.mode == TlsMode::Acme
        && !(t.acme_directory.starts_with("https://") || t.acme_directory.starts_with("http://"))
    {
        return Err(invalid(
            "server.tls.acme_directory",
            "must be the directory's https:// address",
        ));
    }
    if t.hsts_max_age.is_negative() || t.renew_before.is_negative() {
        return Err(invalid(
            "server.tls.hsts_max_age",
            "durations cannot be negative",
        ));
    }
    Ok(())
}

/// With mail on, what a send needs at all: a server, a port, a sender's address.
fn validate_mail(m: &crate::MailConfig) -> Result<(), ConfigError> {
    if !m.enabled {
        return Ok(());
    }
    if m.smtp_host.trim().is_empty() {
        return Err(invalid(
            "mail.smtp_host",
            "needed when mail.enabled is true",
        ));
    }
    if m.smtp_port == 0 || m.smtp_port > 65_535 {
        return Err(invalid("mail.smtp_port", "must be a port, 1 to 65535"));
    }
    let from = m.from_address.trim();
    if from.len() < 3 || !from.contains('@') || from.contains(char::is_whitespace) {
        return Err(invalid(
            "mail.from_address",
            "needed when mail.enabled is true: an address such as no-reply@example.gov.vn",
        ));
    }
    if m.max_attempts == 0 {
        return Err(invalid("mail.max_attempts", "must be at least 1"));
    }
    if m.retry_after.is_negative() || m.poll_interval.as_millis() < 100 {
        return Err(invalid(
            "mail.retry_after",
            "durations cannot be negative, and mail.poll_interval is at least 100ms",
        ));
    }
    Ok(())
}

fn invalid(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key,
        reason: reason.into(),
    }
}

/// Checks what types alone cannot: addresses, the time zone, URL schemes, positive intervals.
fn validate(c: &Config) -> Result<(), ConfigError> {
    if !c.metrics.listen.is_empty() && c.metrics.listen.parse::<SocketAddr>().is_err() {
        return Err(invalid(
            "metrics.listen",
            format!(
                "{:?} is not an address such as 127.0.0.1:9464",
                c.metrics.listen
            ),
        ));
    }
    if c.metrics
        .token
        .as_ref()
        .is_some_and(|t| t.expose().len() < 16)
    {
        return Err(invalid(
            "metrics.token",
            "use at least 16 characters (a random string)",
        ));
    }
    if c.server.listen.is_empty() {
        return Err(invalid("server.listen", "at least one address is needed"));
    }
    for addr in &c.server.listen {
        addr.parse::<SocketAddr>().map_err(|_| {
            invalid(
                "server.listen",
                format!("{addr:?} is not an address with a port, such as \"[::]:8080\" or \"127.0.0.1:8080\""),
            )
        })?;
    }
    validate_tls(&c.server.tls)?;
    validate_mail(&c.mail)?;
    if let Some(u) = &c.server.public_url
        && !(u.starts_with("http://") || u.starts_with("https://"))
    {
        return Err(invalid(
            "server.public_url",
            "must start with http:// or https://",
        ));
    }
    if c.server.max_uri_bytes < 256 {
        return Err(invalid("server.max_uri_bytes", "must be at least 256"));
    }
    if !c.database.url.starts_with("sqlite:") && !c.database.url.starts_with("postgres") {
        return Err(invalid(
            "database.url",
            "must start with sqlite:// or postgres://",
        ));
    }
    if c.database.max_connections == 0 {
        return Err(invalid("database.max_connections", "must be at least 1"));
    }
    jiff::tz::TimeZone::get(&c.site.timezone).map_err(|e| {
        invalid(
            "site.timezone",
            format!("{:?} is not a known IANA time zone: {e}", c.site.timezone),
        )
    })?;
    let positive = [
        ("server.request_timeout", c.server.request_timeout),
        ("server.header_timeout", c.server.header_timeout),
        ("database.acquire_timeout", c.database.acquire_timeout),
        ("database.changes_keep", c.database.changes_keep),
        ("stats.flush_interval", c.stats.flush_interval),
        ("stats.visit_idle", c.stats.visit_idle),
        ("stats.online_window", c.stats.online_window),
    ];
    for (key, d) in positive {
        if !d.is_positive() {
            return Err(invalid(key, "must be longer than zero"));
        }
    }
    if c.stats.view_dedupe.is_negative() || c.server.shutdown_grace.is_negative() {
        return Err(invalid("stats.view_dedupe", "durations cannot be negative"));
    }
    for p in &c.stats.extra_bot_patterns {
        if p.trim().is_empty() {
            return Err(invalid("stats.extra_bot_patterns", "empty pattern"));
        }
    }
    if !["auto", "always", "never"].contains(&c.auth.secure_cookie.as_str()) {
        return Err(invalid(
            "auth.secure_cookie",
            "must be \"auto\", \"always\" or \"never\"",
        ));
    }
    if c.auth.min_password_chars < 8 {
        return Err(invalid("auth.min_password_chars", "must be at least 8"));
    }
    for (key, d) in [
        ("auth.session_idle", c.auth.session_idle),
        ("auth.session_absolute", c.auth.session_absolute),
        ("auth.failure_window", c.auth.failure_window),
        ("auth.max_wait", c.auth.max_wait),
    ] {
        if !d.is_positive() {
            return Err(invalid(key, "must be longer than zero"));
        }
    }
    if !(1..=64).contains(&c.auth.password_checks_at_once) {
        return Err(invalid(
            "auth.password_checks_at_once",
            "must be between 1 and 64",
        ));
    }
    if c.auth.password_check_wait.is_negative() {
        return Err(invalid(
            "auth.password_check_wait",
            "durations cannot be negative",
        ));
    }
    if c.secrets.key_file.trim().is_empty() {
        return Err(invalid("secrets.key_file", "a file path is needed"));
    }
    if c.secrets.old_key_files.contains(&c.secrets.key_file) {
        return Err(invalid(
            "secrets.old_key_files",
            "lists secrets.key_file itself",
        ));
    }
    let sizes = [
        ("listing.section_page_size", c.listing.section_page_size),
        (
            "listing.other_news_page_size",
            c.listing.other_news_page_size,
        ),
        ("listing.home_per_section", c.listing.home_per_section),
        ("listing.feed_items", c.listing.feed_items),
        ("listing.search_page_size", c.listing.search_page_size),
    ];
    for (key, n) in sizes {
        if !(1..=100).contains(&n) {
            return Err(invalid(key, "must be between 1 and 100"));
        }
    }
    if !(10..=50_000).contains(&c.listing.sitemap_urls) {
        return Err(invalid(
            "listing.sitemap_urls",
            "must be between 10 and 50,000 (the sitemaps.org limit)",
        ));
    }
    if c.backup.keep == 0 {
        return Err(invalid(
            "backup.keep",
            "must be at least 1 (the newest backup is always kept)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let c = Config::default();
        validate(&c).expect("defaults validate");
        assert_eq!(c.server.listen, ["[::]:8080"]);
        assert_eq!(c.stats.view_dedupe, jiff::SignedDuration::from_mins(10));
    }

    #[test]
    fn file_settings_and_docs() {
        let dir = std::env::temp_dir().join(format!("cong-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("cong.toml");
        std::fs::write(
            &path,
            "[stats]\nview_dedupe = \"0s\"\ntotal_offset = 1200\n[server]\nlisten = [\"127.0.0.1:9000\"]\ntrusted_proxies = [\"10.0.0.0/8\", \"fd00::/8\"]\n",
        )
        .expect("write");
        let (c, source) = load(Some(&path)).expect("loads");
        assert_eq!(source.file.as_deref(), Some(path.as_path()));
        assert!(c.stats.view_dedupe.is_zero());
        assert_eq!(c.stats.total_offset, 1200);
        assert_eq!(c.server.trusted_proxies.len(), 2);
        let s = c
            .settings()
            .into_iter()
            .find(|s| s.key == "stats.total_offset")
            .expect("listed");
        assert_eq!(s.value, "1200");
        assert!(s.doc.contains("older portal"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let dir = std::env::temp_dir().join(format!("cong-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("cong.toml");
        std::fs::write(&path, "[stats]\nview_dedup = \"1m\"\n").expect("write");
        assert!(matches!(load(Some(&path)), Err(ConfigError::Read(_))));
        std::fs::write(&path, "[site]\ntimezone = \"Mars/Olympus\"\n").expect("write");
        let err = load(Some(&path)).expect_err("bad zone");
        assert!(err.to_string().contains("site.timezone"), "{err}");
        assert!(matches!(
            load(Some(&dir.join("missing.toml"))),
            Err(ConfigError::MissingFile(_))
        ));
    }

    #[test]
    fn backup_settings_are_read_and_checked() {
        let dir = std::env::temp_dir().join(format!("cong-config-backup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("cong.toml");
        std::fs::write(
            &path,
            "[backup]\nfolder = \"/srv/backup\"\nschedule = \"every 6h\"\nkeep = 3\n",
        )
        .expect("write");
        let (c, _) = load(Some(&path)).expect("loads");
        assert_eq!(c.backup.folder, "/srv/backup");
        assert_eq!(
            c.backup.schedule,
            crate::Schedule::Every(jiff::SignedDuration::from_hours(6))
        );
        let s = c
            .settings()
            .into_iter()
            .find(|s| s.key == "backup.schedule")
            .expect("listed");
        assert_eq!(s.value, "\"every 6h\"");
        std::fs::write(&path, "[backup]\nschedule = \"hourly\"\n").expect("write");
        let err = load(Some(&path)).expect_err("bad schedule");
        assert!(err.to_string().contains("daily HH:MM"), "{err}");
        std::fs::write(&path, "[backup]\nkeep = 0\n").expect("write");
        let err = load(Some(&path)).expect_err("keep nothing");
        assert!(err.to_string().contains("backup.keep"), "{err}");
    }

    #[test]
    fn mail_settings_are_read_and_checked() {
        let dir = std::env::temp_dir().join(format!("cong-config-mail-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("cong.toml");
        std::fs::write(
            &path,
            "[mail]\nenabled = true\nsmtp_host = \"smtp.example.vn\"\nsmtp_port = 465\n\
             security = \"tls\"\nfrom_address = \"no-reply@example.vn\"\npassword = \"bi-mat\"\n",
        )
        .expect("write");
        let (c, _) = load(Some(&path)).expect("loads");
        assert_eq!(c.mail.security, crate::SmtpSecurity::Tls);
        let s = c
            .settings()
            .into_iter()
            .find(|s| s.key == "mail.password")
            .expect("listed");
        assert_eq!(s.value, "\"********\"", "the password is never printed");
        std::fs::write(
            &path,
            "[mail]\nenabled = true\nsmtp_host = \"smtp.example.vn\"\n",
        )
        .expect("write");
        let err = load(Some(&path)).expect_err("no sender");
        assert!(err.to_string().contains("mail.from_address"), "{err}");
        std::fs::write(&path, "[mail]\nsecurity = \"ssl\"\n").expect("write");
        assert!(load(Some(&path)).is_err(), "an unknown security");
    }
}
