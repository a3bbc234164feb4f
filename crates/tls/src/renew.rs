//! The renewal work: which certificates are due, the lease that lets one node at a time
//! order, the order itself, and where its challenge answers are put.

use crate::acme::{self, Publish};
use crate::keys::certified_key;
use crate::service::{LEASE, ORDER_TIMEOUT, Tls, key_context, names_of};
use crate::{CertInfo, Error, Result};
use cong_config::TlsMode;
use cong_store::SiteId;
use cong_store::tls::{ChallengeRow, Obtained};
use rustls::sign::CertifiedKey;
use std::sync::{Arc, Mutex};

/// The wait before the next try after `failures` failed orders in a row: a minute, doubling,
/// at most six hours (a certificate is renewed weeks before it expires, so tries go on).
fn backoff(failures: i64) -> i64 {
    let exp = u32::try_from(failures.clamp(1, 20) - 1).unwrap_or(0);
    60i64.saturating_mul(1i64 << exp.min(9)).min(6 * 3600)
}

impl Tls {
    /// Orders what is due (with `force`, every site's, or `only` that one's), one node at a
    /// time. Returns each order's result and when to look again.
    pub async fn renew(
        &self,
        only: Option<SiteId>,
        force: bool,
    ) -> (Vec<(SiteId, Result<CertInfo>)>, i64) {
        let now = self.now();
        let mut next = now + 3600;
        let mut results = Vec::new();
        if self.cfg.mode != TlsMode::Acme {
            return (results, next);
        }
        let rows = match self.store.tls().list_certificates().await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "certificates not read; trying again in a minute");
                return (results, now + 60);
            }
        };
        let sites = self.sites.directory();
        for site in sites.all() {
            if site.disabled || only.is_some_and(|o| o != site.id) {
                continue;
            }
            let names = names_of(site);
            if names.is_empty() {
                continue;
            }
            let joined = names.join(" ");
            let row = rows.iter().find(|r| r.site_id == site.id);
            let due_at = match row {
                Some(r) if r.chain_pem.is_some() && r.names == joined => {
                    (r.not_after - self.renew_before()).max(r.next_attempt)
                }
                Some(r) => r.next_attempt,
                None => now,
            };
            if !force && due_at > now {
                next = next.min(due_at);
                continue;
            }
            match self
                .store
                .tls()
                .take_lease(LEASE, &self.holder, now + 600, now)
                .await
            {
                Ok(true) => {}
                Ok(false) => {
                    // Another node is ordering: look again soon (its result comes as a change).
                    next = next.min(now + 30);
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "ACME lease not taken");
                    next = next.min(now + 60);
                    continue;
                }
            }
            let result = self.order_for(site.id, &names, &joined, force).await;
            if let Err(e) = self.store.tls().release_lease(LEASE, &self.holder).await {
                tracing::warn!(error = %e, "ACME lease not given back (it runs out by itself)");
            }
            match result {
                Ok(Some(info)) => results.push((site.id, Ok(info))),
                Ok(None) => {}
                Err(e) => {
                    next = next.min(self.now() + backoff(row.map_or(0, |r| r.failures) + 1));
                    results.push((site.id, Err(e)));
                }
            }
        }
        (results, next)
    }

    /// One site's order under the lease; `None` when another node renewed it meanwhile.
    async fn order_for(
        &self,
        site: SiteId,
        names: &[String],
        joined: &str,
        force: bool,
    ) -> Result<Option<CertInfo>> {
        let now = self.now();
        let fresh = self.store.tls().find_certificate(site).await?;
        if !force
            && let Some(r) = &fresh
            && r.chain_pem.is_some()
            && r.names == joined
            && r.not_after - self.renew_before() > now
        {
            return Ok(None);
        }
        tracing::info!(site = %site, names = %joined, "ordering a certificate");
        let ordered = tokio::time::timeout(ORDER_TIMEOUT, async {
            let account = acme::account(&self.cfg, &self.store, &self.secrets, now).await?;
            let publisher = Publisher {
                tls: self,
                site,
                tokens: Mutex::default(),
            };
            let issued =
                acme::order(&account, self.cfg.acme_challenge, names, &publisher, now).await;
            publisher.clean_up().await;
            issued
        })
        .await
        .unwrap_or_else(|_| Err(Error::Acme("the order took too long".to_owned())));
        match ordered {
            Ok(issued) => {
                let sealed = self.secrets.seal(&key_context(site), &issued.key_pem)?;
                let key = certified_key(&issued.chain_pem, &issued.key_pem)?;
                self.store
                    .tls()
                    .save_certificate(
                        site,
                        &Obtained {
                            names: joined,
                            chain_pem: &issued.chain_pem,
                            key_sealed: &sealed,
                            issuer: &issued.info.issuer,
                            not_before: issued.info.not_before,
                            not_after: issued.info.not_after,
                        },
                        self.now(),
                    )
                    .await?;
                // Served here at once; the other nodes read it on the change.
                self.resolver.add_names(names, &key);
                tracing::info!(
                    site = %site,
                    names = %joined,
                    issuer = %issued.info.issuer,
                    not_after = issued.info.not_after,
                    "certificate obtained"
                );
                Ok(Some(issued.info))
            }
            Err(e) => {
                let failures = fresh.as_ref().map_or(0, |r| r.failures) + 1;
                let retry = self.now() + backoff(failures);
                tracing::error!(
                    site = %site,
                    names = %joined,
                    failures,
                    retry_in_seconds = retry - self.now(),
                    error = %e,
                    "certificate not obtained; the current one (if any) stays served"
                );
                self.store
                    .tls()
                    .record_failure(site, joined, &e.to_string(), retry, self.now())
                    .await?;
                Err(e)
            }
        }
    }
}

/// Puts an order's answers where the CA's checks find them: this node's memory at once,
/// and the store for every other node.
struct Publisher<'a> {
    tls: &'a Tls,
    site: SiteId,
    tokens: Mutex<Vec<String>>,
}

impl Publish for Publisher<'_> {
    async fn publish(
        &self,
        rows: Vec<ChallengeRow>,
        alpn: Vec<(String, Arc<CertifiedKey>)>,
    ) -> Result<()> {
        {
            let mut http = self.tls.http.write().unwrap_or_else(|p| p.into_inner());
            for r in rows.iter().filter(|r| r.kind == "http-01") {
                http.insert(r.token.clone(), r.value.clone());
            }
        }
        for (name, key) in alpn {
            self.tls.resolver.add_alpn(&name, key);
        }
        self.tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(rows.iter().map(|r| r.token.clone()));
        self.tls
            .store
            .tls()
            .put_challenges(self.site, &rows, self.tls.now())
            .await?;
        Ok(())
    }
}

impl Publisher<'_> {
    async fn clean_up(&self) {
        let tokens = std::mem::take(&mut *self.tokens.lock().unwrap_or_else(|p| p.into_inner()));
        {
            let mut http = self.tls.http.write().unwrap_or_else(|p| p.into_inner());
            for t in &tokens {
                http.remove(t);
            }
        }
        if let Err(e) = self.tls.store.tls().delete_challenges(&tokens).await {
            tracing::debug!(error = %e, "answered challenges not removed (they expire)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_back_off_from_a_minute_to_six_hours() {
        assert_eq!(backoff(1), 60);
        assert_eq!(backoff(2), 120);
        assert_eq!(backoff(5), 960);
        assert_eq!(backoff(12), 6 * 3600);
        assert_eq!(backoff(1000), 6 * 3600);
    }
}
