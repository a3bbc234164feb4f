//! A write transaction: every row one domain write touches (the content, its revision, the
//! audit entry, the change record) goes through one [`Tx`] and commits or vanishes together.

use crate::{Backend, Result, Store};
use sqlx::{Any, AnyConnection, Transaction};

/// One write transaction. Dropped without [`Tx::commit`], it rolls back: a failure anywhere
/// in a domain write leaves nothing behind, so no node ever misses half of a change.
pub struct Tx {
    inner: Transaction<'static, Any>,
    store: Store,
    /// A change was recorded: ring this process's bell once the commit makes it readable.
    changed: bool,
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx")
            .field("changed", &self.changed)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Starts a write transaction (on SQLite it takes the write lock at once).
    pub async fn begin(&self) -> Result<Tx> {
        Ok(Tx {
            inner: self.begin_write().await?,
            store: self.clone(),
            changed: false,
        })
    }
}

impl Tx {
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }

    pub(crate) fn backend(&self) -> Backend {
        self.store.backend()
    }

    pub(crate) fn note_change(&mut self) {
        self.changed = true;
    }

    /// Makes every write of this transaction visible at once, then tells this process's
    /// change listener (other nodes hear PostgreSQL's NOTIFY, sent at the same commit).
    pub async fn commit(self) -> Result<()> {
        self.inner.commit().await?;
        if self.changed {
            self.store.ring();
        }
        Ok(())
    }
}
