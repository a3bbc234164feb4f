//! Full-text search of published articles: this node's index (cong-search), kept in step with
//! the store through the change log.
//!
//! The index is derived data. It is rebuilt from the store when missing or damaged; after
//! that every change to an article (on any node) reaches it through the change feed, and a
//! marker file beside it remembers the last change applied, so a node that was stopped
//! catches up on start instead of rebuilding. Scheduled articles are indexed when they are
//! published and hidden by the query until their time comes.

use crate::{Clock, Error, Result};
pub use cong_search::{
    Hit, Kind, MAX_QUERY_CHARS, MAX_QUERY_WORDS, Opened, Query, QueryError, Results,
};
use cong_store::Store;
use cong_store::articles::IndexRow;
use cong_store::changes::ChangeKind;
use cong_store::documents::DocumentIndexRow;
use cong_store::questions::QuestionIndexRow;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Articles read from the store at once while rebuilding.
const BATCH: i64 = 500;
/// Documents read at once: each carries its files' text (up to megabytes).
const DOCUMENT_BATCH: i64 = 50;
/// The marker file in the index folder: the id of the last change the index includes.
const MARKER: &str = "cong-last-change";

/// Why a search did not run.
#[derive(Debug, thiserror::Error)]
pub enum SearchFailure {
    /// The reader's query cannot be run: show them the message (400).
    #[error(transparent)]
    Query(#[from] QueryError),
    /// Anything else.
    #[error(transparent)]
    Other(#[from] Error),
}

#[derive(Clone)]
pub struct Search {
    index: Arc<cong_search::Index>,
    store: Store,
    clock: Arc<dyn Clock>,
    marker: PathBuf,
    building: Arc<AtomicBool>,
    /// A change failed to apply: the marker stays at the last change applied in order, and
    /// the next change (or [`Search::retry`]) catches up from there instead of skipping it.
    behind: Arc<AtomicBool>,
    /// One follower at a time moves the marker (the feed's and the retry timer's).
    applying: Arc<tokio::sync::Mutex<()>>,
    per_page: u32,
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search")
            .field("marker", &self.marker)
            .finish_non_exhaustive()
    }
}

fn internal(e: cong_search::SearchError) -> Error {
    match e {
        cong_search::SearchError::Locked(dir) => Error::Unavailable(format!(
            "the search index {} is held by another process (a running `cong serve`?)",
            dir.display()
        )),
        other => Error::Internal(other.to_string()),
    }
}

fn joined(e: tokio::task::JoinError) -> Error {
    Error::Internal(format!("search task failed: {e}"))
}

impl Search {
    /// Opens (or creates) the index in `dir`. Anything but [`Opened::Existing`] with a marker
    /// means the caller must [`Search::rebuild`].
    pub fn open(
        dir: &Path,
        store: Store,
        clock: Arc<dyn Clock>,
        per_page: u32,
    ) -> Result<(Search, Opened)> {
        let (index, opened) = cong_search::Index::open_or_create(dir).map_err(internal)?;
        let search = Search {
            index: Arc::new(index),
            store,
            clock,
            marker: dir.join(MARKER),
            building: Arc::new(AtomicBool::new(false)),
            behind: Arc::new(AtomicBool::new(false)),
            applying: Arc::default(),
            per_page,
        };
        let opened = match (opened, search.last_applied()) {
            (Opened::Existing, None) => Opened::Recreated {
                reason: format!("{MARKER} is missing: the index may be incomplete"),
            },
            (o, _) => o,
        };
        Ok((search, opened))
    }

    /// The id of the last change the index includes, from the marker file.
    pub fn last_applied(&self) -> Option<i64> {
        std::fs::read_to_string(&self.marker)
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    fn set_last_applied(&self, id: i64) -> Result<()> {
        // Write then rename: a crash leaves the old marker or the new one, never half of one.
        let tmp = self.marker.with_extension("tmp");
        std::fs::write(&tmp, id.to_string())
            .and_then(|()| std::fs::rename(&tmp, &self.marker))
            .map_err(|e| Error::Internal(format!("{}: {e}", self.marker.display())))
    }

    /// True while a rebuild runs (searches then see the old index, or an empty new one).
    pub fn is_building(&self) -> bool {
        self.building.load(Ordering::Acquire)
    }

    /// Articles in the index.
    pub fn len(&self) -> u64 {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    async fn section_names(&self) -> Result<HashMap<i64, String>> {
        Ok(self.store.section_names().await?.into_iter().collect())
    }

    fn doc(row: IndexRow, sections: &HashMap<i64, String>) -> cong_search::Doc {
        cong_search::Doc {
            id: row.id,
            section_name: sections.get(&row.section_id).cloned().unwrap_or_default(),
            title: row.title,
            summary: row.summary,
            body_html: row.body_html,
            section_id: row.section_id,
            site_id: row.site_id.0,
            slug: row.slug,
            published_at: row.published_at,
            ..cong_search::Doc::default()
        }
    }

    /// A document as the index takes it: its abstract as the title, "number · type" as the
    /// summary, its files' text beside; dated by its day of issue (its start
    /// in UTC: that day in Việt Nam, so it is found from that morning and shown under it).
    fn document(row: DocumentIndexRow) -> cong_search::Doc {
        let issued = row
            .issued_on
            .parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| jiff::tz::TimeZone::UTC.to_timestamp(d.at(0, 0, 0, 0)).ok())
            .map_or(0, |t| t.as_second());
        cong_search::Doc {
            kind: Kind::Document,
            id: row.id,
            title: row.summary,
            // The issuer is a filter of the library, not words to rank by: "Sở Khoa học và
            // Công nghệ" on every document would make it match every query of those words.
            summary: format!("{} · {}", row.number, row.type_name),
            body_html: row.body_html,
            files_text: row.files_text,
            section_id: 0,
            site_id: row.site_id.0,
            section_name: row.type_name,
            slug: row.slug,
            published_at: issued,
        }
    }

    /// A published question as the index takes it: its public title, its text as the
    /// summary, the answer as the body (plain text, escaped: the index reads bodies as HTML);
    /// under its field's name; found at `/hoi-dap/{id}`.
    fn question(row: QuestionIndexRow) -> cong_search::Doc {
        cong_search::Doc {
            kind: Kind::Question,
            id: row.id,
            title: row.title,
            summary: row.body,
            body_html: row.answer.replace('&', "&amp;").replace('<', "&lt;"),
            section_id: 0,
            site_id: row.site_id.0,
            section_name: row.topic.unwrap_or_default(),
            slug: row.id.to_string(),
            published_at: row.published_at,
            ..cong_search::Doc::default()
        }
    }

    /// Replaces the index with every published article in the store, calling `progress`
    /// with the number done so far (and `total` first); returns how many were indexed.
    /// Changes made meanwhile are applied by the change feed afterwards.
    pub async fn rebuild(
        &self,
        mut progress: impl FnMut(u64, u64) + Send + 'static,
    ) -> Result<u64> {
        self.building.store(true, Ordering::Release);
        let result = self.rebuild_inner(&mut progress).await;
        self.building.store(false, Ordering::Release);
        result
    }

    async fn rebuild_inner(
        &self,
        progress: &mut (impl FnMut(u64, u64) + Send + 'static),
    ) -> Result<u64> {
        // Read before the articles: a change after this point is replayed afterwards.
        let last_change = self.store.changes().last_id().await?;
        let total = u64::try_from(
            self.store.articles().count_indexable().await?
                + self.store.count_indexable_documents().await?
                + self.store.questions().count_indexable().await?,
        )
        .unwrap_or(0);
        let sections = self.section_names().await?;
        progress(0, total);
        // The store is read here, a batch at a time; the index is written on a blocking
        // thread from the other end of a bounded channel, so memory holds two batches at most.
        let (tx, rx) = std::sync::mpsc::sync_channel::<cong_search::Doc>(BATCH as usize * 2);
        let index = self.index.clone();
        let (ptx, mut prx) = tokio::sync::mpsc::unbounded_channel::<u64>();
        let writer = tokio::task::spawn_blocking(move || {
            index.rebuild(rx, move |n| {
                let _ = ptx.send(n);
            })
        });
        let mut tick = || {
            while let Ok(n) = prx.try_recv() {
                progress(n, total);
            }
        };
        let mut fed = feed(
            |after| async move { self.store.articles().list_for_index(after, BATCH).await },
            BATCH,
            |r| r.id,
            |r| Self::doc(r, &sections),
            &tx,
            &mut tick,
        )
        .await;
        // Then the documents, into the same index.
        if fed.is_ok() {
            fed = feed(
                |after| async move { self.store.documents_for_index(after, DOCUMENT_BATCH).await },
                DOCUMENT_BATCH,
                |r| r.id,
                Self::document,
                &tx,
                &mut tick,
            )
            .await;
        }
        // And the published questions.
        if fed.is_ok() {
            fed = feed(
                |after| async move { self.store.questions().list_for_index(after, BATCH).await },
                BATCH,
                |r| r.id,
                Self::question,
                &tx,
                &mut tick,
            )
            .await;
        }
        // Closing the channel ends the rebuild's input. A failed read must not leave a
        // partial index looking complete: the marker is only written on success.
        drop(tx);
        let indexed = writer.await.map_err(joined)?.map_err(internal);
        tick();
        fed?;
        let indexed = indexed?;
        self.set_last_applied(last_change)?;
        self.catch_up().await?;
        Ok(indexed)
    }

    /// Applies every change logged since the marker; returns how many articles were
    /// refreshed. Without a marker there is nothing to start from: rebuild instead.
    pub async fn catch_up(&self) -> Result<usize> {
        let Some(mut last) = self.last_applied() else {
            return Err(Error::Internal("the search index has no marker".to_owned()));
        };
        if last < self.store.changes().pruned_through().await? {
            // Stopped longer than the change log is kept: what it missed is gone from the log.
            let n = Box::pin(self.rebuild(|_, _| {})).await?;
            return Ok(usize::try_from(n).unwrap_or(usize::MAX));
        }
        let mut refreshed = 0;
        loop {
            let rows = self.store.changes().list_after(last, BATCH).await?;
            let Some(end) = rows.last().map(|r| r.id) else {
                return Ok(refreshed);
            };
            if rows.iter().any(|r| r.kind == Some(ChangeKind::Reindex)) {
                // The rebuild moves the marker past this change and catches up after it.
                let n = Box::pin(self.rebuild(|_, _| {})).await?;
                return Ok(refreshed + usize::try_from(n).unwrap_or(usize::MAX));
            }
            let ids: BTreeSet<(Kind, i64)> = rows
                .iter()
                .filter_map(|r| Some((r.kind.and_then(indexed_kind)?, r.entity_id)))
                .collect();
            for (kind, id) in ids {
                self.refresh_kind(kind, id).await?;
                refreshed += 1;
            }
            last = end;
            self.set_last_applied(last)?;
        }
    }

    /// Follows one change from the feed. A change that fails leaves the marker where it was:
    /// later changes then catch up from the marker (every change since, again) until one
    /// catch-up succeeds, so a failure delays a change, never loses it.
    pub async fn apply(&self, change: &cong_store::changes::ChangeRow) -> Result<()> {
        let _one = self.applying.lock().await;
        if self.is_behind() {
            return self.catch_up_behind().await.map(|_| ());
        }
        let applied = match change.kind {
            Some(ChangeKind::Reindex) => {
                return Box::pin(self.rebuild(|_, _| {})).await.map(|_| ());
            }
            kind => match kind.and_then(indexed_kind) {
                Some(k) => self.refresh_kind(k, change.entity_id).await,
                None => Ok(()),
            },
        };
        if let Err(e) = applied {
            self.behind.store(true, Ordering::Release);
            return Err(e);
        }
        // The feed delivers in id order (re-reads aside): the marker only moves forward.
        if self.last_applied().is_none_or(|m| change.id > m) {
            self.set_last_applied(change.id)?;
        }
        Ok(())
    }

    /// True when a change failed to apply and no catch-up has succeeded since.
    pub fn is_behind(&self) -> bool {
        self.behind.load(Ordering::Acquire)
    }

    /// Catches up from the marker when a change failed to apply; returns how many articles
    /// were refreshed (0 when nothing was behind).
    pub async fn retry(&self) -> Result<usize> {
        let _one = self.applying.lock().await;
        if !self.is_behind() {
            return Ok(0);
        }
        self.catch_up_behind().await
    }

    async fn catch_up_behind(&self) -> Result<usize> {
        let n = self.catch_up().await?;
        self.behind.store(false, Ordering::Release);
        Ok(n)
    }

    /// Puts the article's current state in the index: there if published, gone if not.
    pub async fn refresh(&self, id: i64) -> Result<()> {
        let row = self.store.articles().find_for_index(id).await?;
        let doc = match row {
            Some(row) => {
                let sections = self.section_names().await?;
                Some(Self::doc(row, &sections))
            }
            None => None,
        };
        self.put(Kind::Article, id, doc).await
    }

    /// Writes an entry's current state: `doc` when it is published, else no entry.
    async fn put(&self, kind: Kind, id: i64, doc: Option<cong_search::Doc>) -> Result<()> {
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || match doc {
            Some(doc) => index.upsert(doc),
            None => index.delete(kind, id),
        })
        .await
        .map_err(joined)?
        .map_err(internal)
    }

    /// Puts the document's current state in the index: there if published, gone if not.
    pub async fn refresh_document(&self, id: i64) -> Result<()> {
        let doc = self.store.document_for_index(id).await?.map(Self::document);
        self.put(Kind::Document, id, doc).await
    }

    /// Puts the question's current state in the index: there if published, gone if not.
    pub async fn refresh_question(&self, id: i64) -> Result<()> {
        let doc = self
            .store
            .questions()
            .find_for_index(id)
            .await?
            .map(Self::question);
        self.put(Kind::Question, id, doc).await
    }

    async fn refresh_kind(&self, kind: Kind, id: i64) -> Result<()> {
        match kind {
            Kind::Article => self.refresh(id).await,
            Kind::Document => self.refresh_document(id).await,
            Kind::Question => self.refresh_question(id).await,
        }
    }

    /// One page of results. Articles scheduled for later are not found before their time.
    pub async fn search(&self, mut q: Query) -> Result<Results, SearchFailure> {
        let now = self.clock.now().as_second();
        let reversed = matches!((q.from, q.until), (Some(f), Some(u)) if f > u);
        if !reversed {
            // The reader's own range is checked by the index; "not after now" is ours.
            q.until = Some(q.until.map_or(now, |u| u.min(now)));
            if q.from.is_some_and(|f| f > now) {
                let page = q.page.max(1);
                return Ok(Results {
                    hits: Vec::new(),
                    total: 0,
                    total_is_lower_bound: false,
                    page,
                    pages: 0,
                });
            }
        }
        if q.per_page == 0 {
            q.per_page = self.per_page;
        }
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.search(&q))
            .await
            .map_err(|e| SearchFailure::Other(joined(e)))?
            .map_err(|e| match e {
                cong_search::SearchError::Query(q) => SearchFailure::Query(q),
                other => SearchFailure::Other(internal(other)),
            })
    }
}

/// The index entry a change is about, if it is about one.
fn indexed_kind(change: ChangeKind) -> Option<Kind> {
    match change {
        ChangeKind::Article => Some(Kind::Article),
        ChangeKind::Document => Some(Kind::Document),
        ChangeKind::Question => Some(Kind::Question),
        _ => None,
    }
}

/// Sends the rebuild every row `read` gives, a batch at a time after the last id read (`id`),
/// made a document by `doc`; `tick` reports progress after each batch. Stops early when the
/// writer is gone (its own error is what the rebuild reports).
async fn feed<R, Fut>(
    mut read: impl FnMut(i64) -> Fut,
    batch: i64,
    id: impl Fn(&R) -> i64,
    doc: impl Fn(R) -> cong_search::Doc,
    tx: &std::sync::mpsc::SyncSender<cong_search::Doc>,
    tick: &mut impl FnMut(),
) -> Result<()>
where
    Fut: Future<Output = cong_store::Result<Vec<R>>>,
{
    let mut after = 0;
    loop {
        let rows = read(after).await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = id(last);
        let done = rows.len() < usize::try_from(batch).unwrap_or(usize::MAX);
        for row in rows {
            if tx.send(doc(row)).is_err() {
                return Ok(());
            }
        }
        tick();
        if done {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests;
