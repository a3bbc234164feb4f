//! TLS secrets at rest under `cong secrets rotate`: every certificate key and ACME account
//! re-sealed under the current key, each replaced only if it is still the value read.

use crate::Result;
use crate::acme::account_context;
use crate::service::key_context;
use cong_domain::auth::SealReport;
use cong_domain::secrets::{Secrets, key_of};
use cong_store::Store;

/// Re-seals what is not under the current key, counting into `report`.
pub async fn reseal(store: &Store, secrets: &Secrets, report: &mut SealReport) -> Result<()> {
    let tls = store.tls();
    for row in tls.list_certificates().await? {
        let Some(stored) = row.key_sealed else {
            continue;
        };
        let context = key_context(row.site_id);
        if let Some(clear) = open(secrets, &context, &stored, report)? {
            let sealed = secrets.seal(&context, &clear)?;
            if tls.reseal_key(row.site_id, &stored, &sealed).await? {
                report.sealed += 1;
            }
        }
    }
    for (directory, stored) in tls.list_accounts().await? {
        let context = account_context(&directory);
        if let Some(clear) = open(secrets, &context, &stored, report)? {
            let sealed = secrets.seal(&context, &clear)?;
            if tls.reseal_account(&directory, &stored, &sealed).await? {
                report.sealed += 1;
            }
        }
    }
    Ok(())
}

/// The value in clear when it needs re-sealing; `None` when it is under the current key
/// already, or under a key not loaded (counted as missing).
fn open(
    secrets: &Secrets,
    context: &str,
    stored: &str,
    report: &mut SealReport,
) -> Result<Option<String>> {
    let Some(key) = key_of(stored) else {
        return Ok(None);
    };
    if !secrets.has_key(key) {
        *report.missing.entry(key.to_owned()).or_default() += 1;
        return Ok(None);
    }
    if secrets.current_id().as_deref() == Some(key) {
        report.unchanged += 1;
        return Ok(None);
    }
    Ok(Some(secrets.unseal(context, stored)?))
}
