//! Mode "files": the certificate and key an operator (or certbot) keeps on disk, read at
//! start and read again whenever either file changes, without a restart.

use crate::keys::{certified_key, inspect_pem};
use crate::{CertInfo, Error, Result};
use rustls::sign::CertifiedKey;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// What identifies a version of a file: its modification time and size (after symlinks, so
/// a certbot-style link swap counts).
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The two files and the versions last read.
#[derive(Debug)]
pub(crate) struct Watched {
    cert: PathBuf,
    key: PathBuf,
    seen: (Stamp, Stamp),
}

impl Watched {
    pub(crate) fn new(cert: &str, key: &str) -> Watched {
        Watched {
            cert: PathBuf::from(cert),
            key: PathBuf::from(key),
            seen: (None, None),
        }
    }

    /// Reads both files now.
    pub(crate) fn load(&mut self) -> Result<(Arc<CertifiedKey>, CertInfo)> {
        self.seen = (stamp(&self.cert), stamp(&self.key));
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| Error::File {
                path: p.display().to_string(),
                source,
            })
        };
        let chain = read(&self.cert)?;
        let key = read(&self.key)?;
        Ok((certified_key(&chain, &key)?, inspect_pem(&chain)?))
    }

    /// Whether either file is another version than the one last read.
    pub(crate) fn changed(&self) -> bool {
        (stamp(&self.cert), stamp(&self.key)) != self.seen
    }
}
