//! The TLS service of a node: what it serves (the resolver and the rustls configuration),
//! the challenges it answers, and the work that keeps certificates fresh — reading changed
//! files again, or ordering over ACME what is due ([`crate::renew`]).

use crate::acme;
use crate::files::Watched;
use crate::keys::{alpn_challenge_key, certified_key};
use crate::{CertInfo, Error, Resolver, Result};
use cong_config::{TlsConfig, TlsMode};
use cong_domain::Clock;
use cong_domain::secrets::Secrets;
use cong_domain::sites::{SiteInfo, Sites, host_of};
use cong_store::{SiteId, Store};
use rustls::ServerConfig;
use rustls::sign::CertifiedKey;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::Notify;

/// The sealing context of a site's certificate key (a value copied to another row does not
/// open).
pub(crate) fn key_context(site: SiteId) -> String {
    format!("tls_certificates.key_sealed:{}", site.0)
}
/// The lease that lets one node at a time order certificates.
pub(crate) const LEASE: &str = "acme-order";
/// How long an order may take before it counts as failed.
pub(crate) const ORDER_TIMEOUT: Duration = Duration::from_secs(300);
/// How often certificate files are looked at.
const FILES_EVERY: Duration = Duration::from_secs(2);

/// A certificate as `/healthz`, the metrics and `cong tls status` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertStatus {
    /// `None`: the certificate of the files, served for every site.
    pub site: Option<SiteId>,
    pub names: Vec<String>,
    /// Empty until one is obtained.
    pub issuer: String,
    pub not_after: i64,
    /// When it is renewed (or the next try, after a failure).
    pub renew_at: i64,
    /// Orders failed in a row.
    pub failures: i64,
    pub last_error: String,
}

/// A node's HTTPS.
pub struct Tls {
    pub(crate) cfg: TlsConfig,
    pub(crate) store: Store,
    pub(crate) secrets: Arc<Secrets>,
    pub(crate) sites: Arc<Sites>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) resolver: Arc<Resolver>,
    pub(crate) server: Arc<ServerConfig>,
    /// HTTP-01 answers this node knows: token → key authorization.
    pub(crate) http: RwLock<HashMap<String, String>>,
    pub(crate) status: RwLock<Vec<CertStatus>>,
    pub(crate) files: Mutex<Option<Watched>>,
    pub(crate) wake: Notify,
    /// This node, as lease holder.
    pub(crate) holder: String,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("mode", &self.cfg.mode)
            .finish_non_exhaustive()
    }
}

/// The rustls configuration: TLS 1.3 and 1.2 only, the ring provider's cipher suites (all
/// with forward secrecy and AEAD), HTTP/2 then HTTP/1.1 by ALPN, stateless resumption.
fn server_config(resolver: Arc<Resolver>) -> Result<Arc<ServerConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut cfg = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| Error::Certificate(e.to_string()))?
        .with_no_client_auth()
        .with_cert_resolver(resolver);
    cfg.alpn_protocols = vec![
        b"h2".to_vec(),
        b"http/1.1".to_vec(),
        crate::ACME_TLS_ALPN.to_vec(),
    ];
    cfg.ticketer =
        rustls::crypto::ring::Ticketer::new().map_err(|e| Error::Certificate(e.to_string()))?;
    Ok(Arc::new(cfg))
}

/// The names a site's certificate covers: its address's host and its aliases (host names
/// only: CAs do not certify bare addresses).
pub fn names_of(site: &SiteInfo) -> Vec<String> {
    let mut names: Vec<String> = host_of(&site.address).into_iter().collect();
    names.extend(site.aliases.iter().cloned());
    names.retain(|n| !n.starts_with('[') && n.parse::<std::net::IpAddr>().is_err());
    names.dedup();
    names
}

impl Tls {
    /// The service for the configured mode; `None` when TLS is off. Mode "files" reads the
    /// files now, so a wrong path or a key of another certificate stops the start with the
    /// reason.
    pub fn new(
        cfg: &TlsConfig,
        store: Store,
        secrets: Arc<Secrets>,
        sites: Arc<Sites>,
        clock: Arc<dyn Clock>,
    ) -> Result<Option<Arc<Tls>>> {
        if cfg.mode == TlsMode::Off {
            return Ok(None);
        }
        let resolver = Arc::new(Resolver::default());
        let server = server_config(Arc::clone(&resolver))?;
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| Error::Certificate(e.to_string()))?;
        let tls = Tls {
            cfg: cfg.clone(),
            store,
            secrets,
            sites,
            clock,
            resolver,
            server,
            http: RwLock::default(),
            status: RwLock::default(),
            files: Mutex::new(None),
            wake: Notify::new(),
            holder: acme::hex(&bytes),
        };
        if cfg.mode == TlsMode::Files {
            let mut watched = Watched::new(&cfg.cert_file, &cfg.key_file);
            let (key, info) = watched.load()?;
            tls.serve_files(key, &info);
            *tls.files.lock().unwrap_or_else(|p| p.into_inner()) = Some(watched);
        }
        Ok(Some(Arc::new(tls)))
    }

    pub fn mode(&self) -> TlsMode {
        self.cfg.mode
    }

    /// What the HTTPS listener accepts connections with.
    pub fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        tokio_rustls::TlsAcceptor::from(Arc::clone(&self.server))
    }

    /// The key authorization for an HTTP-01 token this node knows of.
    pub fn http_answer(&self, token: &str) -> Option<String> {
        self.http
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(token)
            .cloned()
    }

    /// The same, asking the store (another node's order, not heard of yet).
    pub async fn http_answer_stored(&self, token: &str) -> Option<String> {
        match self
            .store
            .tls()
            .find_challenge(token, "http-01", self.now())
            .await
        {
            Ok(answer) => answer,
            Err(e) => {
                tracing::warn!(error = %e, "ACME challenges not read");
                None
            }
        }
    }

    /// Certificates as this node last read them.
    pub fn status(&self) -> Vec<CertStatus> {
        self.status
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Asks the renewal work to look again now (a site was added or given other names).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    pub(crate) fn renew_before(&self) -> i64 {
        self.cfg.renew_before.as_secs()
    }

    fn serve_files(&self, key: Arc<CertifiedKey>, info: &CertInfo) {
        self.resolver.set_fallback(Some(key));
        *self.status.write().unwrap_or_else(|p| p.into_inner()) = vec![CertStatus {
            site: None,
            names: info.names.clone(),
            issuer: info.issuer.clone(),
            not_after: info.not_after,
            renew_at: info.not_after,
            failures: 0,
            last_error: String::new(),
        }];
    }

    /// Reads the files again if either changed; a pair that does not load (a half-written
    /// file, a key of another certificate) leaves the current one served.
    fn check_files(&self) {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let Some(watched) = files.as_mut() else {
            return;
        };
        if !watched.changed() {
            return;
        }
        match watched.load() {
            Ok((key, info)) => {
                self.serve_files(key, &info);
                tracing::info!(names = ?info.names, issuer = %info.issuer, "certificate files read again");
            }
            Err(e) => {
                tracing::warn!(error = %e, "changed certificate files not served; the previous certificate stays");
            }
        }
    }

    /// Reads every stored certificate and challenge again (at start, and when a change says
    /// one was obtained, failed, or is being checked).
    pub async fn reload(&self) -> Result<()> {
        if self.cfg.mode != TlsMode::Acme {
            return Ok(());
        }
        let now = self.now();
        let rows = self.store.tls().list_certificates().await?;
        let mut by_name = HashMap::new();
        let mut status = Vec::with_capacity(rows.len());
        for r in rows {
            if let (Some(chain), Some(sealed)) = (&r.chain_pem, &r.key_sealed) {
                let key = self
                    .secrets
                    .unseal(&key_context(r.site_id), sealed)
                    .map_err(Error::from)
                    .and_then(|key| certified_key(chain, &key));
                match key {
                    Ok(key) => {
                        for n in r.names.split_whitespace() {
                            by_name.insert(n.to_owned(), Arc::clone(&key));
                        }
                    }
                    Err(e) => {
                        tracing::error!(site = %r.site_id, error = %e, "stored certificate not served")
                    }
                }
            }
            let renew_at = if r.failures > 0 {
                r.next_attempt
            } else {
                r.not_after - self.renew_before()
            };
            status.push(CertStatus {
                site: Some(r.site_id),
                names: r.names.split_whitespace().map(str::to_owned).collect(),
                issuer: r.issuer,
                not_after: r.not_after,
                renew_at,
                failures: r.failures,
                last_error: r.last_error,
            });
        }
        self.resolver.set_names(by_name);
        *self.status.write().unwrap_or_else(|p| p.into_inner()) = status;
        let mut http = HashMap::new();
        let mut alpn = HashMap::new();
        for c in self.store.tls().list_challenges(now).await? {
            if c.kind == "http-01" {
                http.insert(c.token, c.value);
            } else if let Some(digest) = acme::unhex(&c.value) {
                match alpn_challenge_key(&c.name, &digest) {
                    Ok(key) => {
                        alpn.insert(c.name, key);
                    }
                    Err(e) => tracing::warn!(error = %e, "TLS-ALPN challenge not answered"),
                }
            }
        }
        *self.http.write().unwrap_or_else(|p| p.into_inner()) = http;
        self.resolver.set_alpn(alpn);
        Ok(())
    }

    /// The node's TLS work until `stop`: files looked at every two seconds, or certificates
    /// ordered when due (at most an hour between looks; at once when woken).
    pub async fn run(self: Arc<Self>, stop: impl std::future::Future<Output = ()>) {
        let mut stop = std::pin::pin!(stop);
        loop {
            let wait = match self.cfg.mode {
                TlsMode::Off => return,
                TlsMode::Files => {
                    self.check_files();
                    FILES_EVERY
                }
                TlsMode::Acme => {
                    let (_, next) = self.renew(None, false).await;
                    let secs = (next - self.now()).clamp(1, 3600);
                    Duration::from_secs(u64::try_from(secs).unwrap_or(3600))
                }
            };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.wake.notified() => {}
                () = &mut stop => return,
            }
        }
    }
}

/// The `Strict-Transport-Security` value for these settings.
pub fn hsts(cfg: &TlsConfig) -> Option<String> {
    let age = cfg.hsts_max_age.as_secs();
    (age > 0).then(|| {
        if cfg.hsts_include_subdomains {
            format!("max-age={age}; includeSubDomains")
        } else {
            format!("max-age={age}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_says_subdomains_only_when_asked() {
        let mut cfg = TlsConfig::default();
        assert_eq!(hsts(&cfg).as_deref(), Some("max-age=31536000"));
        cfg.hsts_include_subdomains = true;
        assert_eq!(
            hsts(&cfg).as_deref(),
            Some("max-age=31536000; includeSubDomains")
        );
        cfg.hsts_max_age = jiff::SignedDuration::ZERO;
        assert_eq!(hsts(&cfg), None);
    }
}
