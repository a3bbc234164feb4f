//! Which certificate a TLS handshake gets: the one for the name the client asks for (SNI),
//! else the fallback (a single certificate from files, or a connection by address); a
//! TLS-ALPN-01 check gets its challenge certificate.

use crate::ACME_TLS_ALPN;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

#[derive(Debug, Default)]
struct Served {
    by_name: HashMap<String, Arc<CertifiedKey>>,
    fallback: Option<Arc<CertifiedKey>>,
    alpn: HashMap<String, Arc<CertifiedKey>>,
}

/// The certificates being served; swapped whole, so a handshake sees one set or the next.
/// Connections already open keep theirs: a renewal drops none.
#[derive(Debug, Default)]
pub struct Resolver {
    served: RwLock<Arc<Served>>,
}

impl Resolver {
    fn now(&self) -> Arc<Served> {
        Arc::clone(&self.served.read().unwrap_or_else(|p| p.into_inner()))
    }

    fn swap(&self, f: impl FnOnce(&mut Served)) {
        let mut guard = self.served.write().unwrap_or_else(|p| p.into_inner());
        let mut next = Served {
            by_name: guard.by_name.clone(),
            fallback: guard.fallback.clone(),
            alpn: guard.alpn.clone(),
        };
        f(&mut next);
        *guard = Arc::new(next);
    }

    /// Serves `key` to every handshake that names no known host (mode "files": to all).
    pub fn set_fallback(&self, key: Option<Arc<CertifiedKey>>) {
        self.swap(|s| s.fallback = key);
    }

    /// Serves these certificates by name from now on (every site's, replacing the set).
    pub fn set_names(&self, by_name: HashMap<String, Arc<CertifiedKey>>) {
        self.swap(|s| s.by_name = by_name);
    }

    /// Serves `key` for these names, leaving the others' as they are.
    pub fn add_names(&self, names: &[String], key: &Arc<CertifiedKey>) {
        self.swap(|s| {
            for n in names {
                s.by_name.insert(n.clone(), Arc::clone(key));
            }
        });
    }

    /// The TLS-ALPN-01 challenge certificates, by name.
    pub fn set_alpn(&self, alpn: HashMap<String, Arc<CertifiedKey>>) {
        self.swap(|s| s.alpn = alpn);
    }

    /// Adds TLS-ALPN-01 challenge certificates (this node's own order).
    pub fn add_alpn(&self, name: &str, key: Arc<CertifiedKey>) {
        self.swap(|s| {
            s.alpn.insert(name.to_owned(), key);
        });
    }
}

impl ResolvesServerCert for Resolver {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let served = self.now();
        let name = hello.server_name().map(str::to_ascii_lowercase);
        let challenge = hello
            .alpn()
            .is_some_and(|mut protocols| protocols.any(|p| p == ACME_TLS_ALPN));
        if challenge {
            return name.and_then(|n| served.alpn.get(&n).cloned());
        }
        name.and_then(|n| served.by_name.get(&n).cloned())
            .or_else(|| served.fallback.clone())
            // Any certificate rather than a failed handshake: the client then says which
            // name it did not get, which is easier to diagnose than a bare alert.
            .or_else(|| served.by_name.values().next().cloned())
    }
}
