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
    /// The user may not do this (403), with a message saying so.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request conflicts with the current state, such as publishing a draft that was
    /// never submitted (409).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The form was opened at a version someone else has saved over since (409): the save
    /// is refused rather than overwrite theirs; what is stored now is described.
    #[error("edited by someone else since the form was opened")]
    Stale(StaleEdit),
    /// A form whose fields do not pass (422): what is wrong, field by field.
    #[error("invalid fields")]
    Fields(Vec<(String, String)>),
    /// Not a kind of file that is accepted (415), with a message.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// Too big (413), with a message.
    #[error("too large: {0}")]
    TooLarge(String),
    /// Too many tries; wait this many seconds (429).
    #[error("too many requests; retry in {0} s")]
    TooMany(i64),
    /// The store is down or overloaded; the reader should try again soon (503).
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bug or a damaged store (500, logged).
    #[error("internal error: {0}")]
    Internal(String),
}

/// Who saved over the version a form was opened at, when, and the version now stored (a
/// form sent again with it overwrites deliberately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleEdit {
    /// Their user name (empty when not recorded).
    pub by: String,
    pub at: i64,
    pub version: i64,
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
