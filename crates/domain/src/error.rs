//! The domain's error: what went wrong in terms a reader of the site understands.

/// A domain failure; the web layer maps each kind to one status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such article, section, page or page number (404).
    #[error("not found")]
    NotFound,
    /// The request asked for something malformed, with a message for the reader (400).
    #[error("invalid request: {0}")]
    Invalid(String),
    /// The store is down or overloaded; the reader should try again soon (503).
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bug or a damaged store (500, logged).
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<cong_store::Error> for Error {
    fn from(e: cong_store::Error) -> Self {
        match e {
            cong_store::Error::Unavailable(_) => Error::Unavailable(e.to_string()),
            cong_store::Error::Conflict { constraint } => {
                Error::Invalid(format!("conflicts with existing data ({constraint})"))
            }
            other => Error::Internal(other.to_string()),
        }
    }
}
