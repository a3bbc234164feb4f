//! The index: opening (and recovering) it, replacing it wholesale, keeping it current one
//! article or document at a time, and answering searches.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use tantivy::directory::error::LockError;
use tantivy::directory::{INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::indexer::IndexWriterOptions;
use tantivy::schema::Value;
use tantivy::{
    DocAddress, IndexReader, IndexWriter, ReloadPolicy, Score, Searcher, TantivyDocument,
    TantivyError, Term,
};

use crate::analysis::{self, EXACT, FOLD, PAIRS};
use crate::doc::{Doc, Kind};
use crate::error::SearchError;
use crate::highlight::Highlighter;
use crate::plan::{self, Filters};
use crate::query::{self, DEFAULT_PER_PAGE, MAX_PER_PAGE, Query, QueryError};
use crate::schema::Fields;
use crate::top;

/// Written with every commit and checked at opening: change it whenever the schema or the
/// analysis changes, and an index built by the old code is recreated instead of misread.
const FORMAT: &str = "cong-search 2";

/// The writer kept for edits: one thread, tantivy's minimum budget. Its memory is held while
/// it lives, and edits come one article at a time.
const EDIT_BUDGET: usize = 20 << 20;
/// Per indexing thread during a rebuild: large enough that 100,000 articles make a handful of
/// segments rather than dozens, so no merge is needed before searches are fast.
const BULK_BUDGET_PER_THREAD: usize = 256 << 20;
/// Rebuild threads, at most; more only contend with the thread preparing documents.
const MAX_BULK_THREADS: usize = 4;
const PROGRESS_EVERY: u64 = 1_000;
/// Deepest result tantivy is asked for: the collector keeps `offset + limit` hits in memory,
/// so a hand-made `?page=99999999` must not size it.
const MAX_OFFSET: usize = 10_000;
/// Matches are counted up to this many, as Elasticsearch does by default; the pages reach
/// no further anyway ([`MAX_OFFSET`]).
pub const MAX_COUNT: usize = 10_000;

/// How [`Index::open_or_create`] found the directory. Anything but `Existing` means the
/// index is empty and the caller should [`Index::rebuild`] it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    Existing,
    Created,
    /// The directory held an index that could not be used; it was cleared.
    Recreated {
        reason: String,
    },
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Matching articles and documents in all, counted up to [`MAX_COUNT`]: when more match,
    /// this is `MAX_COUNT` and `total_is_lower_bound` is set.
    pub total: usize,
    /// More than `total` match: the page says "more than 10,000 results" ("Tìm thấy hơn
    /// 10.000 kết quả"), not "10,000 results". Counting every match of a common word is
    /// visiting every one of them, which is most of the time at a million articles.
    pub total_is_lower_bound: bool,
    /// The page shown (from 1).
    pub page: u32,
    /// Pages in all (of the counted matches); 0 when nothing matched.
    pub pages: u32,
}

/// One matching article or document, ready for the results page.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: Kind,
    /// The article's or document's id (the two are numbered separately).
    pub id: i64,
    pub slug: String,
    /// The title, HTML-escaped, matched words in `<mark>`.
    pub title_html: String,
    /// About 200 characters of the summary or body around the matches, HTML-escaped, matched
    /// words in `<mark>`, "… " / " …" where text was cut. For a document it may come from its
    /// files text instead, when that is where the words are: then `snippet_in_files`.
    pub snippet_html: String,
    /// The snippet was cut from the document's files text (the page may say so).
    pub snippet_in_files: bool,
    pub section_id: i64,
    pub site_id: i64,
    pub section_name: String,
    pub published_at: i64,
    pub score: f32,
}

/// The full-text index of published articles and documents. Cheap to share (`Arc<Index>`): searches run
/// concurrently; writes take turns.
pub struct Index {
    index: tantivy::Index,
    fields: Fields,
    reader: IndexReader,
    /// `None` only while a rebuild holds a bulk writer, or after reopening one failed (the next
    /// write tries again).
    writer: Mutex<Option<IndexWriter>>,
    /// For messages: where the index lives, if on disk.
    location: PathBuf,
    /// Searches running now: one running alone may use a second core.
    searching: AtomicUsize,
    /// Most threads a search running alone may use.
    search_threads: AtomicUsize,
}

/// One search running, for [`Index::searching`].
struct Searching<'a> {
    running: &'a AtomicUsize,
    /// No other search was running when this one started.
    alone: bool,
}

impl<'a> Searching<'a> {
    fn start(running: &'a AtomicUsize) -> Self {
        let before = running.fetch_add(1, Ordering::AcqRel);
        Self {
            running,
            alone: before == 0,
        }
    }
}

impl Drop for Searching<'_> {
    fn drop(&mut self) {
        self.running.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Index {
    /// Opens the index in `dir` (created if missing). A missing index is created empty; one
    /// that cannot be read, or was written by an older format, is cleared and created empty.
    /// Either way the caller then rebuilds it. Only the index's own files are ever deleted.
    ///
    /// The index belongs to one process: a second one gets [`SearchError::Locked`].
    pub fn open_or_create(dir: &Path) -> Result<(Index, Opened), SearchError> {
        fs::create_dir_all(dir).map_err(io(dir))?;
        let (schema, fields) = Fields::schema();
        let existing = match open_existing(dir, &schema) {
            Ok(existing) => existing,
            Err(reason) => {
                clear_index_files(dir)?;
                let index = create(dir, schema)?;
                let opened = Opened::Recreated { reason };
                return Ok((Self::from_tantivy(index, fields, dir, true)?, opened));
            }
        };
        if let Some(index) = existing {
            return Ok((
                Self::from_tantivy(index, fields, dir, false)?,
                Opened::Existing,
            ));
        }
        let opened = if clear_index_files(dir)? {
            Opened::Recreated {
                reason: "meta.json is missing but index files remain".to_owned(),
            }
        } else {
            Opened::Created
        };
        let index = create(dir, schema)?;
        Ok((Self::from_tantivy(index, fields, dir, true)?, opened))
    }

    /// An empty index in memory: for tests, and for checking relevance without a directory.
    pub fn in_memory() -> Result<Index, SearchError> {
        let (schema, fields) = Fields::schema();
        let index = tantivy::Index::create_in_ram(schema);
        Self::from_tantivy(index, fields, Path::new("(memory)"), true)
    }

    fn from_tantivy(
        index: tantivy::Index,
        fields: Fields,
        location: &Path,
        fresh: bool,
    ) -> Result<Index, SearchError> {
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            // Writes reload explicitly after committing, so a search right after an upsert
            // sees it; no file watcher thread is needed.
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let this = Index {
            index,
            fields,
            reader,
            writer: Mutex::new(None),
            location: location.to_owned(),
            searching: AtomicUsize::new(0),
            search_threads: AtomicUsize::new(2),
        };
        let mut slot = this.lock_writer();
        let writer = this.editing_writer(&mut slot)?;
        if fresh {
            // Records the format in meta.json from the start.
            commit(writer)?;
        }
        drop(slot);
        Ok(this)
    }

    /// Replaces the whole index with `docs` (articles and documents; each kind and id once),
    /// calling `progress` with the number indexed so far every thousand entries and at the end.
    /// Searches see the old index until the new one is complete; if this fails, the old one
    /// stays.
    pub fn rebuild(
        &self,
        docs: impl IntoIterator<Item = Doc>,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, SearchError> {
        let mut slot = self.lock_writer();
        // tantivy allows one writer per index: the editing writer makes way for a bulk one,
        // and edits wait on the lock until the rebuild is done.
        drop(slot.take());
        let indexed = self.bulk_load(docs, &mut progress);
        let reopened = self.editing_writer(&mut slot).map(|_| ());
        let indexed = indexed?;
        reopened?;
        self.reader.reload()?;
        progress(indexed);
        Ok(indexed)
    }

    fn bulk_load(
        &self,
        docs: impl IntoIterator<Item = Doc>,
        progress: &mut impl FnMut(u64),
    ) -> Result<u64, SearchError> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, MAX_BULK_THREADS);
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(BULK_BUDGET_PER_THREAD)
            .num_merge_threads(threads)
            .build();
        let mut writer = self
            .index
            .writer_with_options(options)
            .map_err(|e| self.locked_or(e))?;
        writer.delete_all_documents()?;
        let mut indexed = 0;
        for doc in docs {
            writer.add_document(doc.to_document(&self.fields))?;
            indexed += 1;
            if indexed % PROGRESS_EVERY == 0 {
                progress(indexed);
            }
        }
        commit(&mut writer)?;
        writer.wait_merging_threads()?;
        Ok(indexed)
    }

    /// Adds the article or document, or replaces the one with its kind and id; searches see
    /// it when this returns.
    pub fn upsert(&self, doc: Doc) -> Result<(), SearchError> {
        let document = doc.to_document(&self.fields);
        let key = self.key(doc.kind, doc.id);
        self.write(move |w| {
            w.delete_term(key);
            w.add_document(document).map(|_| ())
        })
    }

    /// Removes the article or document (nothing happens if it is not there); searches stop
    /// finding it when this returns. The other kind's entry with the same id stays.
    pub fn delete(&self, kind: Kind, id: i64) -> Result<(), SearchError> {
        let key = self.key(kind, id);
        self.write(move |w| {
            w.delete_term(key);
            Ok(())
        })
    }

    fn key(&self, kind: Kind, id: i64) -> Term {
        Term::from_field_text(self.fields.key, &kind.key(id))
    }

    /// One change, committed and made visible. A commit per change suits an editorial
    /// workload (a few changes a minute); each costs a few milliseconds.
    fn write(
        &self,
        change: impl FnOnce(&mut IndexWriter) -> tantivy::Result<()>,
    ) -> Result<(), SearchError> {
        let mut slot = self.lock_writer();
        let writer = self.editing_writer(&mut slot)?;
        if let Err(e) = change(writer).and_then(|()| commit(writer)) {
            // Leaves nothing half-applied for the next change to commit by accident.
            let _ = writer.rollback();
            return Err(e.into());
        }
        drop(slot);
        self.reader.reload()?;
        Ok(())
    }

    /// How many threads a search may use when no other search is running: 2 by default
    /// (counting and finding the page then share two cores), 1 to keep every search on the
    /// caller's thread. Concurrent searches always use one each.
    pub fn set_search_threads(&self, threads: usize) {
        self.search_threads
            .store(threads.clamp(1, 2), Ordering::Relaxed);
    }

    /// Number of articles and documents in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One page of the articles and documents matching `q`, best first. A reader's mistake comes back as
    /// [`SearchError::Query`] with a message to show them.
    pub fn search(&self, q: &Query) -> Result<Results, SearchError> {
        let parsed = query::parse(&q.text)?;
        if let (Some(from), Some(until)) = (q.from, q.until)
            && from > until
        {
            return Err(QueryError::DatesReversed.into());
        }
        let filters = Filters {
            site_id: q.site_id,
            section_id: q.section_id,
            from: q.from,
            until: q.until,
            kind: q.kind,
        };
        let searcher = self.reader.searcher();
        let plan = plan::build(&parsed, filters, &self.fields, &searcher)?;
        let per_page = match q.per_page {
            0 => DEFAULT_PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        };
        let page = q.page.max(1);
        let offset = (page as usize - 1).saturating_mul(per_page as usize);
        // Deeper than MAX_OFFSET, only the count.
        let k = if offset >= MAX_OFFSET {
            0
        } else {
            offset + per_page as usize
        };
        // With no other search running, this one may take the second core.
        let searching = Searching::start(&self.searching);
        let threads = if searching.alone {
            self.search_threads.load(Ordering::Relaxed)
        } else {
            1
        };
        let ((total, exact), mut top) = top::search(&searcher, &plan, k, MAX_COUNT, threads)?;
        drop(searching);
        top.drain(..offset.min(top.len()));
        let mut highlighter = Highlighter::new(parsed.words());
        let hits = top
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, address, score, &mut highlighter))
            .collect::<Result<Vec<_>, _>>()?;
        let pages = total.div_ceil(per_page as usize);
        Ok(Results {
            hits,
            total,
            total_is_lower_bound: !exact,
            page,
            pages: u32::try_from(pages).unwrap_or(u32::MAX),
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: Score,
        highlighter: &mut Highlighter<'_>,
    ) -> Result<Hit, SearchError> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
        };
        let number = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_i64())
                .unwrap_or_default()
        };
        let (snippet_html, snippet_in_files) =
            highlighter.snippet(text(f.summary), text(f.body), text(f.files));
        Ok(Hit {
            kind: Kind::from_code(number(f.kind)),
            id: number(f.id),
            slug: text(f.slug).to_owned(),
            title_html: highlighter.mark_all(text(f.title)),
            snippet_html,
            snippet_in_files,
            section_id: number(f.section_id),
            site_id: number(f.site_id),
            section_name: text(f.section_name).to_owned(),
            published_at: number(f.published_at),
            score,
        })
    }

    fn lock_writer(&self) -> MutexGuard<'_, Option<IndexWriter>> {
        // A panic while writing cannot leave the writer inconsistent for tantivy (uncommitted
        // work is rolled back or never committed), so a poisoned lock is still usable.
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The editing writer, opened if it is not.
    fn editing_writer<'a>(
        &self,
        slot: &'a mut MutexGuard<'_, Option<IndexWriter>>,
    ) -> Result<&'a mut IndexWriter, SearchError> {
        if slot.is_none() {
            let options = IndexWriterOptions::builder()
                .num_worker_threads(1)
                .memory_budget_per_thread(EDIT_BUDGET)
                .num_merge_threads(1)
                .build();
            let writer = self
                .index
                .writer_with_options(options)
                .map_err(|e| self.locked_or(e))?;
            **slot = Some(writer);
        }
        slot.as_mut()
            .ok_or_else(|| TantivyError::InternalError("editing writer missing".into()).into())
    }

    fn locked_or(&self, e: TantivyError) -> SearchError {
        match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => {
                SearchError::Locked(self.location.clone())
            }
            e => e.into(),
        }
    }
}

fn register_tokenizers(index: &tantivy::Index) {
    index.tokenizers().register(FOLD, analysis::folded());
    index.tokenizers().register(EXACT, analysis::exact());
    index.tokenizers().register(PAIRS, analysis::pairs());
}

fn commit(writer: &mut IndexWriter) -> tantivy::Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(FORMAT);
    prepared.commit()?;
    Ok(())
}

fn create(dir: &Path, schema: tantivy::schema::Schema) -> Result<tantivy::Index, SearchError> {
    let directory = MmapDirectory::open(dir).map_err(TantivyError::from)?;
    Ok(tantivy::Index::create(
        directory,
        schema,
        tantivy::IndexSettings::default(),
    )?)
}

/// The index in `dir` if there is one and it is usable; `Ok(None)` when there is none; why
/// not when it is unusable.
fn open_existing(
    dir: &Path,
    schema: &tantivy::schema::Schema,
) -> Result<Option<tantivy::Index>, String> {
    if !dir.join("meta.json").exists() {
        return Ok(None);
    }
    let directory = MmapDirectory::open(dir).map_err(|e| format!("cannot open: {e}"))?;
    let index = tantivy::Index::open(directory).map_err(|e| format!("cannot read: {e}"))?;
    if index.schema() != *schema {
        return Err("its fields differ from this version's".to_owned());
    }
    let metas = index
        .load_metas()
        .map_err(|e| format!("cannot read meta.json: {e}"))?;
    if metas.payload.as_deref() != Some(FORMAT) {
        return Err(format!(
            "it was written in format {:?}, this version writes {FORMAT:?}",
            metas.payload.as_deref().unwrap_or("unknown")
        ));
    }
    register_tokenizers(&index);
    // Opening a reader opens every segment: a missing or truncated file shows up here.
    let reader: IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| format!("cannot open its segments: {e}"))?;
    drop(reader);
    Ok(Some(index))
}

/// Deletes tantivy's files from `dir` (and nothing else: the caller might have pointed us at
/// a folder shared with other data). Refuses while another writer holds the index. Returns
/// whether there was anything to delete.
fn clear_index_files(dir: &Path) -> Result<bool, SearchError> {
    let directory = MmapDirectory::open(dir).map_err(TantivyError::from)?;
    let _lock =
        tantivy::Directory::acquire_lock(&directory, &INDEX_WRITER_LOCK).map_err(|e| match e {
            LockError::LockBusy => SearchError::Locked(dir.to_owned()),
            LockError::IoError(e) => SearchError::Io {
                path: dir.to_owned(),
                source: std::io::Error::other(e.to_string()),
            },
        })?;
    let mut deleted = false;
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_index_file(name) {
            fs::remove_file(entry.path()).map_err(io(&entry.path()))?;
            deleted = true;
        }
    }
    Ok(deleted)
}

/// `meta.json`, `.managed.json`, and segment files: 32 hex digits (the segment id) and an
/// extension (`.idx`, `.pos`, `.store`, `.fast`, `.fieldnorm`, `.term`, `.<opstamp>.del` …).
fn is_index_file(name: &str) -> bool {
    if name == "meta.json" || name == ".managed.json" {
        return true;
    }
    let bytes = name.as_bytes();
    bytes.len() > 33 && bytes[..32].iter().all(u8::is_ascii_hexdigit) && bytes[32] == b'.'
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_files_are_recognised_and_nothing_else() {
        for name in [
            "meta.json",
            ".managed.json",
            "0123456789abcdef0123456789abcdef.idx",
            "0123456789abcdef0123456789abcdef.12.del",
        ] {
            assert!(is_index_file(name), "{name}");
        }
        for name in [
            "cong.db",
            ".tantivy-writer.lock",
            "0123456789abcdef0123456789abcdeg.idx",
            "0123456789abcdef0123456789abcdef",
            "notes.json",
        ] {
            assert!(!is_index_file(name), "{name}");
        }
    }

    /// The pruned top hits are exactly those of the whole ranking as one boolean query
    /// scoring every match, on a corpus where bonuses, BM25 and ties all vary, at every
    /// depth; with deletions, several segments, filters and documents' files text.
    #[test]
    fn pruned_top_hits_are_the_boolean_querys() {
        use tantivy::collector::TopDocs;

        const WORDS: [&str; 16] = [
            "hội",
            "hồi",
            "hoi",
            "nghị",
            "nghi",
            "tỉnh",
            "tình",
            "xã",
            "xa",
            "đường",
            "dương",
            "số",
            "chuyển",
            "đổi",
            "dân",
            "tổ",
        ];
        let index = Index::in_memory().unwrap_or_else(|e| panic!("{e}"));
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let text = |len: usize, next: &mut dyn FnMut(usize) -> usize| {
            (0..len)
                .map(|_| WORDS[next(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let docs: Vec<Doc> = (0..600)
            .map(|id| {
                let document = id % 7 == 0;
                Doc {
                    kind: if document {
                        Kind::Document
                    } else {
                        Kind::Article
                    },
                    id,
                    slug: format!("s{id}"),
                    title: text(1 + next(5), &mut next),
                    summary: text(next(8), &mut next),
                    body_html: text(next(40), &mut next),
                    files_text: if document {
                        text(next(60), &mut next)
                    } else {
                        String::new()
                    },
                    section_id: id % 3,
                    site_id: 1,
                    published_at: id,
                    ..Doc::default()
                }
            })
            .collect();
        index
            .rebuild(docs[..400].to_vec(), |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        for doc in &docs[400..] {
            index.upsert(doc.clone()).unwrap_or_else(|e| panic!("{e}"));
        }
        for id in (0..600).step_by(11) {
            index
                .delete(Kind::Article, id)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let searcher = index.reader.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let texts = [
            "hội",
            "hoi nghi",
            "hội nghị tỉnh",
            "xã đường",
            "xa duong so",
            "\"chuyển đổi\" số",
            "\"hội nghị\" dân tổ",
            "tình tỉnh xã xa",
            "đổi",
            "\"hội nghị tỉnh\"",
            "\"xã đường dân\" hội",
            "\"tỉnh xã\" \"số chuyển đổi\"",
        ];
        for text in texts {
            for filters in [
                Filters::default(),
                Filters {
                    section_id: Some(1),
                    from: Some(100),
                    ..Filters::default()
                },
            ] {
                let parsed = query::parse(text).unwrap_or_else(|e| panic!("{e}"));
                let plan = plan::build(&parsed, filters, &index.fields, &searcher)
                    .unwrap_or_else(|e| panic!("{e}"));
                // Every match's score as the boolean query gives it.
                let scores: std::collections::HashMap<DocAddress, Score> = searcher
                    .search(&plan.query(), &TopDocs::with_limit(10_000).order_by_score())
                    .unwrap_or_else(|e| panic!("{e}"))
                    .into_iter()
                    .map(|(score, address)| (address, score))
                    .collect();
                for k in [1, 3, 10, 50, 1000] {
                    let expected = searcher
                        .search(&plan.query(), &TopDocs::with_limit(k).order_by_score())
                        .unwrap_or_else(|e| panic!("{e}"));
                    let got = top::top(&searcher, &plan, k).unwrap_or_else(|e| panic!("{e}"));
                    assert_eq!(got.len(), expected.len(), "{text} k={k}");
                    // Two threads sharing the work find the same hits.
                    let (_, shared) =
                        top::search(&searcher, &plan, k, 10, 2).unwrap_or_else(|e| panic!("{e}"));
                    assert_eq!(shared.len(), got.len(), "{text} k={k}, two threads");
                    for (i, (s, g)) in shared.iter().zip(&got).enumerate() {
                        let own = scores.get(&s.1).copied().unwrap_or(f32::NAN);
                        assert!(
                            (s.0 - g.0).abs() < 1e-3 && (s.0 - own).abs() < 1e-3,
                            "{text} k={k} rank {i}, two threads: {} vs {}",
                            s.0,
                            g.0
                        );
                    }
                    // The same scores at every rank (sums in another order may differ in
                    // the last bits, and reorder exact ties), each the hit's own.
                    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
                        assert!(
                            (g.0 - e.0).abs() < 1e-3,
                            "{text} k={k} rank {i}: {} vs {}",
                            g.0,
                            e.0
                        );
                        let own = scores.get(&g.1).copied().unwrap_or(f32::NAN);
                        assert!((g.0 - own).abs() < 1e-3, "{text} k={k} rank {i}: {own}");
                    }
                }
                let all = searcher
                    .search(&plan.query(), &tantivy::collector::Count)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(top::count(&searcher, &plan, 10_000).ok(), Some((all, true)));
                if all > 2 {
                    assert_eq!(
                        top::count(&searcher, &plan, all - 1).ok(),
                        Some((all - 1, false))
                    );
                }
            }
        }
    }

    #[test]
    fn index_is_shareable_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Index>();
    }
}
