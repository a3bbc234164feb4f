//! The store's one error type: what the layers above need to tell apart, nothing more.

/// A store failure. `Unavailable` means "try again later" (503), `Conflict` names the unique
/// constraint a write broke; anything else is a bug or a damaged database (500).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    #[error("conflict with existing data ({constraint})")]
    Conflict { constraint: String },
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("cannot prepare the database: {0}")]
    Setup(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A file of a backup or of the media folder could not be read or written.
    #[error("{context}: {source}")]
    File {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// A backup cannot be made, or a backup file is not one this version can trust
    /// (truncated, damaged, another format): the message says which and where.
    #[error("{0}")]
    Backup(String),
}

impl Error {
    /// An I/O failure on `path`, saying what was being done ("cannot read", …).
    pub(crate) fn file(what: &str, path: &std::path::Path, source: std::io::Error) -> Error {
        Error::File {
            context: format!("{what} {}", path.display()),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        let e = match &e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => Error::Unavailable(e),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                // An expected answer (a taken slug), not a failure.
                return Error::Conflict {
                    constraint: db.constraint().unwrap_or("unique").to_owned(),
                };
            }
            _ => Error::Database(e),
        };
        let kind = match e {
            Error::Unavailable(_) => "unavailable",
            _ => "database",
        };
        metrics::counter!("cong_db_errors_total", "kind" => kind).increment(1);
        e
    }
}
