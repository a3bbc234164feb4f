//! One ACME order: the account (created once per directory, kept sealed in the store), the
//! challenges published for every node to answer, the certificate fetched.

use crate::keys::{alpn_challenge_key, inspect_pem};
use crate::{Error, Result};
use cong_config::{AcmeChallenge, TlsConfig};
use cong_domain::secrets::Secrets;
use cong_store::Store;
use cong_store::tls::ChallengeRow;
use instant_acme::{
    Account, AccountCredentials, AuthorizationStatus, ChallengeType, Identifier, NewAccount,
    NewOrder, OrderStatus, RetryPolicy,
};
use rustls::sign::CertifiedKey;
use std::sync::Arc;
use std::time::Duration;

/// The sealing context of the ACME account at a directory (a value copied to another row
/// does not open).
pub(crate) fn account_context(directory: &str) -> String {
    format!("acme_accounts.credentials:{directory}")
}

/// What a successful order brings back.
pub(crate) struct Issued {
    pub chain_pem: String,
    pub key_pem: String,
    pub info: crate::CertInfo,
}

/// Where an order puts the answers to its challenges before telling the CA to check.
pub(crate) trait Publish: Send + Sync {
    /// This node answers these at once; the store has them for the others.
    fn publish(
        &self,
        rows: Vec<ChallengeRow>,
        alpn: Vec<(String, Arc<CertifiedKey>)>,
    ) -> impl std::future::Future<Output = Result<()>> + Send;
}

/// The account at the configured directory: the stored one, else a new one (stored).
pub(crate) async fn account(
    cfg: &TlsConfig,
    store: &Store,
    secrets: &Secrets,
    now: i64,
) -> Result<Account> {
    let builder = || -> Result<instant_acme::AccountBuilder> {
        Ok(if cfg.acme_ca_file.is_empty() {
            Account::builder()?
        } else {
            Account::builder_with_root(&cfg.acme_ca_file)?
        })
    };
    if let Some(sealed) = store.tls().find_account(&cfg.acme_directory).await? {
        let json = secrets.unseal(&account_context(&cfg.acme_directory), &sealed)?;
        let credentials: AccountCredentials = serde_json::from_str(&json)
            .map_err(|e| Error::Acme(format!("stored account not readable: {e}")))?;
        return Ok(builder()?.from_credentials(credentials).await?);
    }
    let contact = format!("mailto:{}", cfg.acme_email);
    let contacts: Vec<&str> = if cfg.acme_email.is_empty() {
        Vec::new()
    } else {
        vec![contact.as_str()]
    };
    let (account, credentials) = builder()?
        .create(
            &NewAccount {
                contact: &contacts,
                terms_of_service_agreed: true,
                only_return_existing: false,
            },
            cfg.acme_directory.clone(),
            None,
        )
        .await?;
    let json = serde_json::to_string(&credentials)
        .map_err(|e| Error::Acme(format!("account not stored: {e}")))?;
    let sealed = secrets.seal(&account_context(&cfg.acme_directory), &json)?;
    store
        .tls()
        .save_account(&cfg.acme_directory, &sealed, now)
        .await?;
    tracing::info!(directory = %cfg.acme_directory, "ACME account created");
    Ok(account)
}

/// Orders a certificate for `names` and waits for it.
pub(crate) async fn order(
    account: &Account,
    kind: AcmeChallenge,
    names: &[String],
    publish: &impl Publish,
    now: i64,
) -> Result<Issued> {
    let identifiers: Vec<Identifier> = names.iter().map(|n| Identifier::Dns(n.clone())).collect();
    let mut order = account.new_order(&NewOrder::new(&identifiers)).await?;
    let ty = match kind {
        AcmeChallenge::Http01 => ChallengeType::Http01,
        AcmeChallenge::TlsAlpn01 => ChallengeType::TlsAlpn01,
    };
    // First every answer is put in place, then the CA is told to check them.
    let (mut rows, mut alpn) = (Vec::new(), Vec::new());
    let mut auths = order.authorizations();
    while let Some(auth) = auths.next().await {
        let mut auth = auth?;
        match auth.status {
            AuthorizationStatus::Pending => {}
            AuthorizationStatus::Valid => continue,
            other => return Err(Error::Acme(format!("authorization is {other:?}"))),
        }
        let challenge = auth
            .challenge(ty.clone())
            .ok_or_else(|| Error::Acme(format!("the CA offers no {ty:?} challenge")))?;
        let name = challenge.identifier().to_string();
        let key_auth = challenge.key_authorization();
        let value = match kind {
            AcmeChallenge::Http01 => key_auth.as_str().to_owned(),
            AcmeChallenge::TlsAlpn01 => {
                let digest = key_auth.digest();
                alpn.push((name.clone(), alpn_challenge_key(&name, digest.as_ref())?));
                hex(digest.as_ref())
            }
        };
        rows.push(ChallengeRow {
            token: challenge.token.clone(),
            kind: kind_name(kind).to_owned(),
            name,
            value,
            expires_at: now + 3600,
        });
    }
    publish.publish(rows, alpn).await?;
    let mut auths = order.authorizations();
    while let Some(auth) = auths.next().await {
        let mut auth = auth?;
        if auth.status != AuthorizationStatus::Pending {
            continue;
        }
        if let Some(mut challenge) = auth.challenge(ty.clone()) {
            challenge.set_ready().await?;
        }
    }
    let retries = RetryPolicy::new()
        .initial_delay(Duration::from_millis(250))
        .timeout(Duration::from_secs(120));
    let status = order.poll_ready(&retries).await?;
    if status != OrderStatus::Ready {
        return Err(Error::Acme(failure(&mut order, status).await));
    }
    let key_pem = order.finalize().await?;
    let chain_pem = order.poll_certificate(&retries).await?;
    let info = inspect_pem(&chain_pem)?;
    Ok(Issued {
        chain_pem,
        key_pem,
        info,
    })
}

/// Why an order did not become ready: the CA's own words where it gave them.
async fn failure(order: &mut instant_acme::Order, status: OrderStatus) -> String {
    let mut reasons = Vec::new();
    if let Some(detail) = order.state().error.as_ref().and_then(|p| p.detail.clone()) {
        reasons.push(detail);
    }
    let mut auths = order.authorizations();
    while let Some(Ok(mut auth)) = auths.next().await {
        if auth.refresh().await.is_err() {
            continue;
        }
        for c in &auth.challenges {
            if let Some(detail) = c.error.as_ref().and_then(|p| p.detail.clone()) {
                reasons.push(detail);
            }
        }
    }
    if reasons.is_empty() {
        format!("the order is {status:?}")
    } else {
        format!("the order is {status:?}: {}", reasons.join("; "))
    }
}

pub(crate) fn kind_name(kind: AcmeChallenge) -> &'static str {
    match kind {
        AcmeChallenge::Http01 => "http-01",
        AcmeChallenge::TlsAlpn01 => "tls-alpn-01",
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}
