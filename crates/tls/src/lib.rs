//! HTTPS for cong: the certificates each site is served with (from files, or obtained and
//! renewed over ACME and kept in the store for every node), the rustls configuration the
//! listener uses, and the challenges a CA checks.

mod acme;
mod error;
mod files;
mod keys;
mod renew;
mod resolver;
mod sealing;
mod service;

pub use error::{Error, Result};
pub use keys::{CertInfo, inspect_pem};
pub use resolver::Resolver;
pub use sealing::reseal;
pub use service::{CertStatus, Tls, hsts, names_of};

/// The ALPN protocol of the TLS-ALPN-01 challenge (RFC 8737): a connection that negotiates it
/// is a CA's check, answered by the handshake alone.
pub const ACME_TLS_ALPN: &[u8] = b"acme-tls/1";

/// The path prefix of HTTP-01 challenges.
pub const HTTP_CHALLENGE_PREFIX: &str = "/.well-known/acme-challenge/";
