//! What can go wrong besides the reader's query: the index itself. Worded for the log.

use std::path::PathBuf;

use crate::query::QueryError;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The reader's query cannot be run; show its message.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// Another `IndexWriter` (this process or another) holds the index directory.
    #[error("search index {0} is in use by another writer")]
    Locked(PathBuf),
    #[error("search index directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    /// The reader's mistake, if that is what it is (a 400, not a 500).
    pub fn query_error(&self) -> Option<&QueryError> {
        match self {
            SearchError::Query(q) => Some(q),
            _ => None,
        }
    }
}
