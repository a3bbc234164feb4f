//! HTTPS rows: each site's certificate and the state of its renewal, the ACME accounts, the
//! challenges being answered, and the leases that let one node at a time order a
//! certificate.

use crate::changes::ChangeKind;
use crate::{Result, SiteId, Store, Tx};
use sqlx::Row;

/// A site's certificate as stored: the chain in clear (it is public), the key sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRow {
    pub site_id: SiteId,
    /// The names the certificate was ordered for, space-separated.
    pub names: String,
    /// `None` until the first order succeeds.
    pub chain_pem: Option<String>,
    pub key_sealed: Option<String>,
    pub issuer: String,
    pub not_before: i64,
    pub not_after: i64,
    pub obtained_at: i64,
    /// Orders failed in a row since the last success.
    pub failures: i64,
    pub last_error: String,
    pub last_attempt: i64,
    /// Not before this time is the next order tried (back-off after a failure).
    pub next_attempt: i64,
}

/// What an order obtained.
#[derive(Debug, Clone)]
pub struct Obtained<'a> {
    pub names: &'a str,
    pub chain_pem: &'a str,
    pub key_sealed: &'a str,
    pub issuer: &'a str,
    pub not_before: i64,
    pub not_after: i64,
}

/// An ACME challenge being answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeRow {
    pub token: String,
    /// "http-01" or "tls-alpn-01".
    pub kind: String,
    /// The name (host) being proved.
    pub name: String,
    /// http-01: the key authorization; tls-alpn-01: the digest, base64.
    pub value: String,
    pub expires_at: i64,
}

pub struct Tls<'a>(&'a Store);

impl Store {
    pub fn tls(&self) -> Tls<'_> {
        Tls(self)
    }
}

const CERT_COLUMNS: &str = "site_id, names, chain_pem, key_sealed, issuer, not_before, \
     not_after, obtained_at, failures, last_error, last_attempt, next_attempt";

fn cert_row(r: &sqlx::any::AnyRow) -> Result<CertificateRow> {
    Ok(CertificateRow {
        site_id: SiteId(r.try_get("site_id")?),
        names: r.try_get("names")?,
        chain_pem: r.try_get("chain_pem")?,
        key_sealed: r.try_get("key_sealed")?,
        issuer: r.try_get("issuer")?,
        not_before: r.try_get("not_before")?,
        not_after: r.try_get("not_after")?,
        obtained_at: r.try_get("obtained_at")?,
        failures: r.try_get("failures")?,
        last_error: r.try_get("last_error")?,
        last_attempt: r.try_get("last_attempt")?,
        next_attempt: r.try_get("next_attempt")?,
    })
}

impl Tls<'_> {
    /// Every site's certificate row, by site.
    pub async fn list_certificates(&self) -> Result<Vec<CertificateRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CERT_COLUMNS} FROM tls_certificates ORDER BY site_id"
        )))
        .fetch_all(self.0.read())
        .await?;
        rows.iter().map(cert_row).collect()
    }

    /// One site's certificate row.
    pub async fn find_certificate(&self, site: SiteId) -> Result<Option<CertificateRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CERT_COLUMNS} FROM tls_certificates WHERE site_id = $1"
        )))
        .bind(site.0)
        .fetch_optional(self.0.read())
        .await?;
        row.as_ref().map(cert_row).transpose()
    }

    /// Keeps a new certificate for a site, clears its failures, and tells every node.
    pub async fn save_certificate(&self, site: SiteId, c: &Obtained<'_>, now: i64) -> Result<()> {
        let mut tx = self.0.begin().await?;
        sqlx::query(
            "INSERT INTO tls_certificates (site_id, names, chain_pem, key_sealed, issuer, \
             not_before, not_after, obtained_at, failures, last_error, last_attempt, next_attempt) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, '', $8, 0) \
             ON CONFLICT (site_id) DO UPDATE SET names = excluded.names, \
             chain_pem = excluded.chain_pem, key_sealed = excluded.key_sealed, \
             issuer = excluded.issuer, not_before = excluded.not_before, \
             not_after = excluded.not_after, obtained_at = excluded.obtained_at, failures = 0, \
             last_error = '', last_attempt = excluded.last_attempt, next_attempt = 0",
        )
        .bind(site.0)
        .bind(c.names)
        .bind(c.chain_pem)
        .bind(c.key_sealed)
        .bind(c.issuer)
        .bind(c.not_before)
        .bind(c.not_after)
        .bind(now)
        .execute(tx.conn())
        .await?;
        self.commit_announced(tx, site, now).await
    }

    /// Records a failed order (the certificate kept, if any, stays served) and when to try
    /// again, and tells every node (their `/healthz` and metrics show it).
    pub async fn record_failure(
        &self,
        site: SiteId,
        names: &str,
        error: &str,
        next_attempt: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.0.begin().await?;
        sqlx::query(
            "INSERT INTO tls_certificates (site_id, names, failures, last_error, last_attempt, \
             next_attempt) VALUES ($1, $2, 1, $3, $4, $5) \
             ON CONFLICT (site_id) DO UPDATE SET failures = tls_certificates.failures + 1, \
             last_error = excluded.last_error, last_attempt = excluded.last_attempt, \
             next_attempt = excluded.next_attempt",
        )
        .bind(site.0)
        .bind(names)
        .bind(error)
        .bind(now)
        .bind(next_attempt)
        .execute(tx.conn())
        .await?;
        self.commit_announced(tx, site, now).await
    }

    /// The sealed credentials of the ACME account at a directory.
    pub async fn find_account(&self, directory: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT credentials FROM acme_accounts WHERE directory = $1")
                .bind(directory)
                .fetch_optional(self.0.read())
                .await?,
        )
    }

    /// Keeps the sealed credentials of a new ACME account.
    pub async fn save_account(&self, directory: &str, sealed: &str, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO acme_accounts (directory, credentials, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (directory) DO UPDATE SET credentials = excluded.credentials",
        )
        .bind(directory)
        .bind(sealed)
        .bind(now)
        .execute(self.0.write())
        .await?;
        Ok(())
    }

    /// Every ACME account: directory and sealed credentials (for `cong secrets rotate`).
    pub async fn list_accounts(&self) -> Result<Vec<(String, String)>> {
        let rows =
            sqlx::query("SELECT directory, credentials FROM acme_accounts ORDER BY directory")
                .fetch_all(self.0.read())
                .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("directory")?, r.try_get("credentials")?)))
            .collect()
    }

    /// Replaces a sealed certificate key, if it is still `old`; true when replaced.
    pub async fn reseal_key(&self, site: SiteId, old: &str, new: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE tls_certificates SET key_sealed = $3 WHERE site_id = $1 AND key_sealed = $2",
        )
        .bind(site.0)
        .bind(old)
        .bind(new)
        .execute(self.0.write())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Replaces an account's sealed credentials, if they are still `old`.
    pub async fn reseal_account(&self, directory: &str, old: &str, new: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE acme_accounts SET credentials = $3 WHERE directory = $1 AND credentials = $2",
        )
        .bind(directory)
        .bind(old)
        .bind(new)
        .execute(self.0.write())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Publishes challenges for every node to answer, and tells the nodes (entity: `site`).
    pub async fn put_challenges(
        &self,
        site: SiteId,
        challenges: &[ChallengeRow],
        now: i64,
    ) -> Result<()> {
        let mut tx = self.0.begin().await?;
        sqlx::query("DELETE FROM acme_challenges WHERE expires_at < $1")
            .bind(now)
            .execute(tx.conn())
            .await?;
        for c in challenges {
            sqlx::query(
                "INSERT INTO acme_challenges (token, kind, name, value, expires_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (token) DO UPDATE SET \
                 kind = excluded.kind, name = excluded.name, value = excluded.value, \
                 expires_at = excluded.expires_at",
            )
            .bind(&c.token)
            .bind(&c.kind)
            .bind(&c.name)
            .bind(&c.value)
            .bind(c.expires_at)
            .execute(tx.conn())
            .await?;
        }
        self.commit_announced(tx, site, now).await
    }

    /// Removes answered challenges.
    pub async fn delete_challenges(&self, tokens: &[String]) -> Result<()> {
        for t in tokens {
            sqlx::query("DELETE FROM acme_challenges WHERE token = $1")
                .bind(t)
                .execute(self.0.write())
                .await?;
        }
        Ok(())
    }

    /// The answer to one challenge of this kind, if it is published and not expired.
    pub async fn find_challenge(
        &self,
        token: &str,
        kind: &str,
        now: i64,
    ) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT value FROM acme_challenges WHERE token = $1 AND kind = $2 AND expires_at >= $3",
        )
        .bind(token)
        .bind(kind)
        .bind(now)
        .fetch_optional(self.0.read())
        .await?)
    }

    /// Challenges not expired at `now`.
    pub async fn list_challenges(&self, now: i64) -> Result<Vec<ChallengeRow>> {
        let rows = sqlx::query(
            "SELECT token, kind, name, value, expires_at FROM acme_challenges \
             WHERE expires_at >= $1",
        )
        .bind(now)
        .fetch_all(self.0.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ChallengeRow {
                    token: r.try_get("token")?,
                    kind: r.try_get("kind")?,
                    name: r.try_get("name")?,
                    value: r.try_get("value")?,
                    expires_at: r.try_get("expires_at")?,
                })
            })
            .collect()
    }

    /// Records that `site`'s certificate or challenges changed, in `tx`, and commits: every
    /// node reads them again.
    async fn commit_announced(&self, mut tx: Tx, site: SiteId, now: i64) -> Result<()> {
        self.0
            .changes()
            .record(&mut tx, ChangeKind::Certificate, site.0, now)
            .await?;
        tx.commit().await
    }

    /// Takes the lease `name` for `holder` until `until`, if nobody else holds it now (a
    /// lease runs out on its own, so a node that died does not hold it for ever). True when
    /// taken (or still held by `holder`).
    pub async fn take_lease(&self, name: &str, holder: &str, until: i64, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
             WHERE leases.until < $4 OR leases.holder = excluded.holder",
        )
        .bind(name)
        .bind(holder)
        .bind(until)
        .bind(now)
        .execute(self.0.write())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Gives the lease back (only if `holder` still has it).
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(self.0.write())
            .await?;
        Ok(())
    }
}
