//! The TLS layer's errors.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A certificate or key that cannot be used (with what is wrong with it).
    #[error("{0}")]
    Certificate(String),
    /// The ACME CA refused, or could not be reached.
    #[error("ACME: {0}")]
    Acme(String),
    #[error("{path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] cong_store::Error),
    #[error(transparent)]
    Secret(#[from] cong_domain::secrets::SecretError),
}

impl From<instant_acme::Error> for Error {
    fn from(e: instant_acme::Error) -> Self {
        Error::Acme(e.to_string())
    }
}

impl From<rcgen::Error> for Error {
    fn from(e: rcgen::Error) -> Self {
        Error::Certificate(e.to_string())
    }
}
