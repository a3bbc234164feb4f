//! Second-factor secrets at rest: clear ones (from before sealing) sealed at start, and
//! every one re-sealed under the current key by `cong secrets rotate`.

use super::Auth;
use crate::Error;
use crate::secrets;
use std::collections::BTreeMap;

/// What a pass over the sealed values did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SealReport {
    /// Values sealed (or re-sealed) under the current key.
    pub sealed: u64,
    /// Values already as wanted.
    pub unchanged: u64,
    /// Values whose key is not loaded, by key id: they cannot be opened until it is.
    pub missing: BTreeMap<String, u64>,
}

impl Auth {
    /// Seals what is still in clear (`all` false: at start), or re-seals every value not
    /// under the current key (`all` true: after a rotation). Each value is replaced only if
    /// it is still the one read, so an enrolment meanwhile is never undone.
    pub async fn reseal_secrets(&self, all: bool) -> Result<SealReport, Error> {
        let mut report = SealReport::default();
        let users = self.store.users();
        for (id, column, stored) in users.list_secrets().await? {
            if let Some(key) = secrets::key_of(&stored) {
                if !self.secrets.has_key(key) {
                    *report.missing.entry(key.to_owned()).or_default() += 1;
                    continue;
                }
                if !all || self.secrets.current_id().as_deref() == Some(key) {
                    report.unchanged += 1;
                    continue;
                }
            }
            let clear = self.open_totp(id, &stored)?;
            let sealed = self.secrets.seal(&super::totp_context(id), &clear)?;
            let mut tx = self.store.begin().await?;
            if users
                .reseal_secret(&mut tx, id, column, &stored, &sealed)
                .await?
            {
                report.sealed += 1;
            }
            tx.commit().await?;
        }
        for (key, n) in &report.missing {
            tracing::error!(
                key = %key,
                values = n,
                "second-factor secrets are sealed under key {key}, which is not loaded: \
                 give its file in secrets.key_file or secrets.old_key_files"
            );
        }
        Ok(report)
    }
}
