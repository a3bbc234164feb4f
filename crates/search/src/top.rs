//! The best hits of a [`Plan`] without scoring every match, and a count that stops early.
//!
//! A plan's score is BM25 over the required words plus constant bonuses (marks, title,
//! neighbours), and the bonuses are far larger than the BM25 part. tantivy's block-max WAND
//! only prunes pure unions or pure intersections of terms, so the same ranking as one
//! boolean query scores every match: at a million articles a common word matches most of
//! them, and that was most of the time of a search. Here, once the page is full, its worst
//! score θ prunes three ways:
//! - MaxScore (Turtle & Flood) on the bonuses: the commonest bonuses that together with the
//!   highest BM25 still cannot beat θ are "spare"; an entry needs one of the others, so only
//!   their postings give candidates, and WAND's pivot skips to the first entry where the
//!   bonuses met so far could add up to enough;
//! - block-max on the words: each block of 128 entries of a word's postings records its
//!   highest BM25, so a stretch where words and bonuses together cannot beat θ is skipped
//!   without looking at its entries;
//! - order of checks: the words first (their BM25 says whether the entry could make it),
//!   then pairs and filters that narrow nothing, then phrases (positions) last, only for an
//!   entry that could make the page.
//!
//! Scores are the same sums the boolean query gives, so the hits are the same (ties go to the
//! lower address, as in tantivy's `TopDocs`); a test checks it against that query.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering as AtomicOrdering};

use tantivy::SeekDangerResult;
use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{Bm25Weight, EnableScoring, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, TERMINATED};
use tantivy::{SegmentReader, Term};

use crate::plan::{Dates, Must, Plan, Shape};

/// The count (and whether it is exact), and the best hits with their scores.
pub(crate) type Found = ((usize, bool), Vec<(Score, DocAddress)>);

/// Segments longer than this are cut in pieces of about this many entries when two threads
/// share a search, so that both have work whatever the segments' sizes.
const PIECE: u32 = 1 << 18;

/// The best `k` entries of the plan, best first (score descending, then address ascending),
/// and how many entries match, counted up to `limit` (see [`count`]). With `threads` 2,
/// a second thread shares the work: the count is one task, each segment (or piece of a large
/// one) another, and each thread takes the next task left. Both keep their own best `k`
/// and publish their worst score, which the other may prune with (strictly below it only,
/// so ties are still decided by address when the two are merged).
pub(crate) fn search(
    searcher: &Searcher,
    plan: &Plan,
    k: usize,
    limit: usize,
    threads: usize,
) -> tantivy::Result<Found> {
    let must = MustWeights::new(searcher, plan, false)?;
    let mut bonuses = Vec::with_capacity(plan.bonuses.len());
    for (query, score) in &plan.bonuses {
        let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        bonuses.push((weight, *score));
    }
    let mut pieces = Vec::new();
    if k > 0 {
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let max = reader.max_doc();
            let step = if threads > 1 { PIECE } else { max.max(1) };
            let mut start = 0;
            while start < max {
                let end = start.saturating_add(step).min(max);
                pieces.push((ord as u32, start, end));
                start = end;
            }
        }
    }
    // Scores are never negative, so their bits order as they do; 0 is "nothing yet".
    let shared = AtomicU32::new(0);
    let next = AtomicUsize::new(0);
    let work = || -> tantivy::Result<(Option<(usize, bool)>, Best)> {
        let mut best = Best::new(k.max(1));
        let mut counted = None;
        loop {
            let task = next.fetch_add(1, AtomicOrdering::Relaxed);
            if task == 0 {
                counted = Some(count(searcher, plan, limit)?);
                continue;
            }
            let Some(&(ord, start, end)) = pieces.get(task - 1) else {
                break;
            };
            let reader = searcher.segment_reader(ord);
            let Some(mut req) = must.required(reader)? else {
                continue;
            };
            let mut optional = Vec::with_capacity(bonuses.len());
            for (weight, score) in &bonuses {
                let scorer = weight.scorer(reader, 1.0)?;
                if scorer.doc() != TERMINATED {
                    optional.push(Optional {
                        scorer,
                        score: *score,
                    });
                }
            }
            // Commonest first: the ones to leave unwalked when the threshold allows, since
            // walking long postings is what costs.
            optional.sort_by_key(|o| std::cmp::Reverse(o.scorer.cost()));
            let alive = reader.alive_bitset();
            segment(
                &mut req,
                &mut optional,
                |doc| alive.is_none_or(|a| a.is_alive(doc)),
                (ord, start, end),
                &mut best,
                &shared,
            );
        }
        Ok((counted, best))
    };
    let mut results = Vec::with_capacity(2);
    if threads > 1 {
        let (other, mine) = std::thread::scope(|scope| {
            let other = scope.spawn(work);
            let mine = work();
            let other = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (other, mine)
        });
        results.push(other?);
        results.push(mine?);
    } else {
        results.push(work()?);
    }
    let mut counted = (0, true);
    let mut all = Vec::new();
    for (c, best) in results {
        if let Some(c) = c {
            counted = c;
        }
        all.extend(best.into_sorted());
    }
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    all.truncate(k);
    Ok((counted, all))
}

/// The best `k` entries of the plan, best first, on one thread.
#[cfg(test)]
pub(crate) fn top(
    searcher: &Searcher,
    plan: &Plan,
    k: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    Ok(search(searcher, plan, k, 0, 1)?.1)
}

/// A segment's required clauses: the words' terms (rarest first), then cheap clauses, then
/// costly ones, each with the most it can score.
#[derive(Default)]
struct Required {
    terms: Vec<Word>,
    cheap: Vec<(Box<dyn Scorer>, Score, u64)>,
    /// Cheap clauses no rarer than the rarest word (a phrase's pairs): they narrow nothing
    /// down, so they are checked with the costly ones, for entries that could make the page.
    late: Vec<(Box<dyn Scorer>, Score, u64)>,
    /// Phrases, each with what is known of where it stands (see [`Costly`]).
    costly: Vec<Costly>,
    /// The most `cheap`, `late` and `costly` can score together.
    bound: Score,
    /// The words and cheap clauses, rarest first: the order `align` seeks them in.
    order: Vec<(bool, usize)>,
    /// The publication dates' column and the range wanted.
    dates: Option<(Column<i64>, i64, i64)>,
}

/// A phrase filter. A phrase scorer's `seek` goes on to the next entry where the phrase
/// occurs, reading positions all the way; asked whether one entry holds it, `seek_danger`
/// reads that entry's positions only, and answers with where to look next otherwise (a
/// lower bound, after which only `seek_danger` may be called, with growing targets).
struct Costly {
    /// Where it may hold (text, files text): it holds where one of them does.
    parts: Vec<Part>,
    cost: u64,
}

struct Part {
    scorer: Box<dyn Scorer>,
    /// No entry before this one holds the phrase; `at_floor`: this one does.
    floor: DocId,
    at_floor: bool,
}

impl Costly {
    fn holds(&mut self, doc: DocId) -> Result<(), DocId> {
        let mut next = TERMINATED;
        for part in &mut self.parts {
            match part.holds(doc) {
                Ok(()) => return Ok(()),
                Err(at) => next = next.min(at),
            }
        }
        Err(next)
    }
}

impl Part {
    fn holds(&mut self, doc: DocId) -> Result<(), DocId> {
        if doc < self.floor || (doc == self.floor && self.at_floor) {
            return if doc == self.floor {
                Ok(())
            } else {
                Err(self.floor)
            };
        }
        match self.scorer.seek_danger(doc) {
            SeekDangerResult::Found => {
                self.floor = doc;
                self.at_floor = true;
                Ok(())
            }
            SeekDangerResult::SeekLowerBound(next) => {
                self.floor = next.max(doc + 1);
                self.at_floor = false;
                Err(self.floor)
            }
        }
    }
}

/// A word in one segment: its postings in the text, and in the files text where some holds
/// it; it is where either is, and scores their (weighted) sum.
struct Word {
    parts: Vec<TermCursor>,
    doc: DocId,
    cost: u32,
    most: Score,
}

impl Word {
    fn open(reader: &SegmentReader, terms: &[(Term, Bm25Weight)]) -> tantivy::Result<Option<Word>> {
        let mut parts = Vec::with_capacity(terms.len());
        for (term, bm25) in terms {
            if let Some(cursor) = TermCursor::open(reader, term, bm25.clone())? {
                parts.push(cursor);
            }
        }
        let doc = parts.iter().map(|p| p.doc).min().unwrap_or(TERMINATED);
        if doc == TERMINATED {
            return Ok(None);
        }
        Ok(Some(Word {
            cost: parts.iter().map(|p| p.cost).sum(),
            most: parts.iter().map(|p| p.bm25.max_score()).sum(),
            parts,
            doc,
        }))
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let mut doc = TERMINATED;
        for p in &mut self.parts {
            doc = doc.min(p.seek(target));
        }
        self.doc = doc;
        doc
    }

    fn score(&self) -> Score {
        let mut score = 0.0;
        for p in &self.parts {
            if p.doc == self.doc {
                score += p.score();
            }
        }
        score
    }

    /// The most the word scores from its current entry to `block_last`.
    fn block_max(&mut self) -> Score {
        let mut most = 0.0;
        for p in &mut self.parts {
            if p.doc != TERMINATED {
                most += p.block_max();
            }
        }
        most
    }

    fn block_last(&self) -> DocId {
        let mut last = TERMINATED;
        for p in &self.parts {
            if p.doc != TERMINATED {
                last = last.min(p.block_last());
            }
        }
        last
    }
}

/// A word's postings in one segment, read block by block as tantivy's own term scorer does
/// (which tantivy does not export): its BM25 per entry, and each block's highest.
struct TermCursor {
    block: BlockSegmentPostings,
    norms: FieldNormReader,
    bm25: Bm25Weight,
    /// Where the cursor is in the current block, and the entry there.
    at: usize,
    doc: DocId,
    cost: u32,
}

impl TermCursor {
    fn open(
        reader: &SegmentReader,
        term: &Term,
        bm25: Bm25Weight,
    ) -> tantivy::Result<Option<TermCursor>> {
        let Some(block) = reader
            .inverted_index(term.field())?
            .read_block_postings(term, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        let norms = reader.get_fieldnorms_reader(term.field())?;
        let cost = block.doc_freq();
        let mut cursor = TermCursor {
            block,
            norms,
            bm25,
            at: 0,
            doc: 0,
            cost,
        };
        cursor.load(0);
        Ok((cursor.doc != TERMINATED).then_some(cursor))
    }

    fn load(&mut self, target: DocId) {
        self.at = self.block.seek(target);
        self.doc = self
            .block
            .docs()
            .get(self.at)
            .copied()
            .unwrap_or(TERMINATED);
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let docs = self.block.docs();
        if docs.last().is_some_and(|&last| target <= last) {
            // Targets are mostly a few entries ahead: look there before bisecting.
            let rest = &docs[self.at..];
            let near = rest.iter().take(8).position(|&d| d >= target);
            self.at += near.unwrap_or_else(|| rest.partition_point(|&d| d < target));
            self.doc = docs[self.at];
        } else {
            self.load(target);
        }
        self.doc
    }

    fn score(&self) -> Score {
        let freq = self.block.freqs().get(self.at).copied().unwrap_or(1);
        self.bm25.score(self.norms.fieldnorm_id(self.doc), freq)
    }

    fn block_max(&mut self) -> Score {
        self.block.block_max_score(&self.norms, &self.bm25)
    }

    /// The last entry of the current block.
    fn block_last(&self) -> DocId {
        self.block.docs().last().copied().unwrap_or(TERMINATED)
    }
}

/// A block's highest BM25 as tantivy stores it can fall a little short of a score in it when
/// segments' average lengths differ; this margin keeps the bound above every score.
const BLOCK_MAX_MARGIN: Score = 1.05;

impl Required {
    /// The first entry at or after `target` that the terms and cheap clauses all hold, in
    /// the dates asked for.
    fn align(&mut self, mut target: DocId) -> DocId {
        'again: loop {
            if target == TERMINATED {
                return TERMINATED;
            }
            let mut rarest = true;
            for &(is_term, i) in &self.order {
                let doc = if is_term {
                    let t = &mut self.terms[i];
                    if t.doc() < target {
                        t.seek(target)
                    } else {
                        t.doc()
                    }
                } else {
                    let c = &mut self.cheap[i].0;
                    if c.doc() < target {
                        c.seek(target)
                    } else {
                        c.doc()
                    }
                };
                if doc > target {
                    target = doc;
                    continue 'again;
                }
                if rarest && !self.in_dates(target) {
                    // The cheapest check, once the rarest clause holds the entry.
                    target += 1;
                    continue 'again;
                }
                rarest = false;
            }
            return target;
        }
    }

    /// Whether the entry was published in the range asked for, if any.
    fn in_dates(&self, doc: DocId) -> bool {
        match &self.dates {
            None => true,
            Some((column, from, until)) => column
                .values_for_doc(doc)
                .any(|v| (*from..=*until).contains(&v)),
        }
    }

    /// Whether the late and costly clauses hold `doc` too; if not, where to look next.
    /// `doc` only grows from one call to the next.
    fn verify(&mut self, doc: DocId) -> Result<(), DocId> {
        for (c, _, _) in &mut self.late {
            let at = if c.doc() < doc { c.seek(doc) } else { c.doc() };
            if at != doc {
                return Err(at);
            }
        }
        for c in &mut self.costly {
            c.holds(doc)?;
        }
        Ok(())
    }

    /// The words' BM25 at the aligned entry.
    fn terms_score(&mut self) -> Score {
        self.terms.iter_mut().map(|t| t.score()).sum()
    }

    /// The other clauses' score at the aligned and verified entry.
    fn others_score(&mut self) -> Score {
        let mut score = 0.0;
        // Phrases are filters: they score nothing.
        for (c, bound, _) in self.cheap.iter_mut().chain(&mut self.late) {
            if *bound > 0.0 {
                score += c.score();
            }
        }
        score
    }

    /// The most the words can score anywhere up to `until` (inclusive), the end of the
    /// shortest of their current blocks.
    fn block_bound(&mut self) -> (Score, DocId) {
        let mut bound = 0.0;
        let mut until = TERMINATED;
        for t in &mut self.terms {
            bound += t.block_max() * BLOCK_MAX_MARGIN;
            until = until.min(t.block_last());
        }
        (bound, until)
    }
}

/// How many entries match the plan, counting no further than `limit`: `(count, exact)`.
/// Counting every match of a common word is visiting every one; past `limit` the page says
/// "more than". Phrases are checked last, on entries that hold all their pairs.
pub(crate) fn count(
    searcher: &Searcher,
    plan: &Plan,
    limit: usize,
) -> tantivy::Result<(usize, bool)> {
    let must = MustWeights::new(searcher, plan, true)?;
    let mut total = 0usize;
    for reader in searcher.segment_readers() {
        let Some(mut req) = must.required(reader)? else {
            continue;
        };
        let alive = reader.alive_bitset();
        let mut target = 0;
        loop {
            let doc = req.align(target);
            if doc == TERMINATED {
                break;
            }
            target = doc + 1;
            if let Err(next) = req.verify(doc) {
                target = next.max(doc + 1);
                continue;
            }
            if alive.is_none_or(|a| a.is_alive(doc)) {
                total += 1;
                if total > limit {
                    return Ok((limit, false));
                }
            }
        }
    }
    Ok((total, true))
}

/// A clause's weight, a word's BM25 weight, the clause, and for a phrase the weights of the
/// places it may hold.
type MustWeight<'a> = (
    Box<dyn Weight>,
    Vec<(Term, Bm25Weight)>,
    &'a Must,
    Vec<Box<dyn Weight>>,
);

/// The plan's required clauses, ready to open in each segment.
struct MustWeights<'a> {
    must: Vec<MustWeight<'a>>,
    dates: Option<Dates>,
}

impl<'a> MustWeights<'a> {
    /// `counting`: no scores are wanted, and clauses implied by others are left out.
    fn new(searcher: &Searcher, plan: &'a Plan, counting: bool) -> tantivy::Result<Self> {
        let scored = EnableScoring::enabled_from_searcher(searcher);
        let mut must = Vec::with_capacity(plan.must.len());
        for m in plan.must.iter().filter(|m| !(counting && m.implied)) {
            let mut bm25 = Vec::with_capacity(m.terms.len());
            for (term, weight) in &m.terms {
                let w = Bm25Weight::for_terms(searcher, std::slice::from_ref(term))?;
                bm25.push((term.clone(), w.boost_by(*weight)));
            }
            let mut parts = Vec::new();
            if let Shape::Costly(any_of) = &m.shape {
                for q in any_of {
                    parts.push(q.weight(EnableScoring::disabled_from_searcher(searcher))?);
                }
            }
            must.push((m.query.weight(scored)?, bm25, m, parts));
        }
        Ok(Self {
            must,
            dates: plan.dates,
        })
    }

    /// The segment's required clauses; `None` when one of them has nothing there.
    fn required(&self, reader: &SegmentReader) -> tantivy::Result<Option<Required>> {
        let mut req = Required::default();
        for (weight, bm25, m, parts) in &self.must {
            if !bm25.is_empty() {
                let Some(word) = Word::open(reader, bm25)? else {
                    return Ok(None);
                };
                req.terms.push(word);
                continue;
            }
            if !parts.is_empty() {
                let mut costly = Costly {
                    parts: Vec::with_capacity(parts.len()),
                    cost: 0,
                };
                for weight in parts {
                    let scorer = weight.scorer(reader, 1.0)?;
                    if scorer.doc() != TERMINATED {
                        costly.cost += scorer.cost();
                        costly.parts.push(Part {
                            floor: scorer.doc(),
                            at_floor: true,
                            scorer,
                        });
                    }
                }
                if costly.parts.is_empty() {
                    return Ok(None);
                }
                req.costly.push(costly);
                continue;
            }
            let scorer = weight.scorer(reader, 1.0)?;
            if scorer.doc() == TERMINATED {
                return Ok(None);
            }
            let cost = scorer.cost();
            req.cheap.push((scorer, m.bound, cost));
        }
        req.terms.sort_by_key(|t| t.cost);
        req.cheap.sort_by_key(|c| c.2);
        req.costly.sort_by_key(|c| c.cost);
        if let Some(rarest) = req.terms.first().map(|t| u64::from(t.cost)) {
            let at = req.cheap.partition_point(|c| c.2 < rarest);
            req.late = req.cheap.split_off(at);
        }
        req.bound = req.cheap.iter().chain(&req.late).map(|c| c.1).sum();
        let mut order: Vec<(bool, usize, u64)> = (req.terms.iter().enumerate())
            .map(|(i, t)| (true, i, u64::from(t.cost)))
            .chain(req.cheap.iter().enumerate().map(|(i, c)| (false, i, c.2)))
            .collect();
        order.sort_by_key(|o| o.2);
        req.order = order.into_iter().map(|(t, i, _)| (t, i)).collect();
        if let Some(d) = self.dates {
            let name = reader.schema().get_field_name(d.field);
            req.dates = Some((reader.fast_fields().i64(name)?, d.from, d.until));
        }
        Ok(Some(req))
    }
}

struct Optional {
    scorer: Box<dyn Scorer>,
    score: Score,
}

fn segment(
    req: &mut Required,
    optional: &mut [Optional],
    alive: impl Fn(DocId) -> bool,
    (ord, start, end): (u32, DocId, DocId),
    best: &mut Best,
    shared: &AtomicU32,
) {
    let bonuses: Score = optional.iter().map(|o| o.score).sum();
    let max_terms: Score = req.terms.iter().map(|t| t.most).sum();
    // The most an entry's required part can score.
    let bound = max_terms + req.bound;
    // Which bonuses an entry can do without and still be out of reach (commonest first,
    // while they fit under the threshold), and what they add up to.
    let mut spare = vec![false; optional.len()];
    let mut spare_sum: Score = 0.0;
    // Whether an entry needs some bonus at all to beat the threshold: then only the entries
    // in the postings of the bonuses that are not spare are candidates.
    let mut by_bonuses = false;
    let mut seen: Option<Score> = None;
    let mut heads: Vec<(DocId, Score)> = Vec::with_capacity(optional.len());
    // The words' highest BM25 in their current blocks, and where the first of these ends.
    let mut blocks: (Score, DocId) = (0.0, TERMINATED);
    let mut target: DocId = start;
    loop {
        // The other thread's worst kept score, just below: an entry equal to it may still
        // win on address.
        let theirs = f32::from_bits(shared.load(AtomicOrdering::Relaxed));
        let theirs = (theirs > 0.0).then(|| theirs.next_down());
        let threshold = match (best.threshold(), theirs) {
            (Some(mine), Some(theirs)) => Some(mine.max(theirs)),
            (mine, theirs) => mine.or(theirs),
        };
        if threshold != seen {
            seen = threshold;
            if let Some(t) = threshold {
                if bound + bonuses <= t {
                    return;
                }
                by_bonuses = bound <= t;
                spare_sum = 0.0;
                for (i, o) in optional.iter().enumerate() {
                    spare[i] = bound + spare_sum + o.score <= t;
                    if spare[i] {
                        spare_sum += o.score;
                    }
                }
            }
        }
        if let (true, Some(t)) = (by_bonuses, seen) {
            // WAND's pivot: taking the bonuses' postings in the order of their next entry,
            // the first entry where those up to it could lift an entry over the threshold.
            // An entry before it is in none of the later postings: out of reach.
            heads.clear();
            for (o, _) in optional.iter_mut().zip(&spare).filter(|(_, s)| !**s) {
                if o.scorer.doc() < target {
                    o.scorer.seek(target);
                }
                heads.push((o.scorer.doc(), o.score));
            }
            heads.sort_unstable_by_key(|h| h.0);
            let mut reach = bound + spare_sum;
            target = TERMINATED;
            for &(doc, score) in &heads {
                reach += score;
                if reach > t {
                    target = doc;
                    break;
                }
            }
        }
        if target >= end {
            return;
        }
        let doc = req.align(target);
        if doc >= end {
            return;
        }
        if doc != target && by_bonuses {
            // Past the candidate: find the next one from here.
            target = doc;
            continue;
        }
        target = doc + 1;
        if let Some(t) = seen
            && !req.terms.is_empty()
        {
            // Nothing up to the end of the words' current blocks can make it: skip them.
            // The bound holds until the first of those blocks ends.
            if blocks.1 < doc || blocks.1 == TERMINATED {
                blocks = req.block_bound();
            }
            let (most, until) = blocks;
            if most + req.bound + bonuses <= t {
                target = until.saturating_add(1).max(doc + 1);
                continue;
            }
        }
        if !alive(doc) {
            continue;
        }
        // The bonuses whose postings are at `doc` already, then whether the rest could
        // still lift it over the threshold, then BM25, then the rest one by one.
        // BM25 and bonuses apart, added last, as the boolean query adds its required and
        // optional parts: the same sums round the same way, so near ties fall as they did.
        let mut bonus: Score = 0.0;
        for (o, _) in optional.iter_mut().zip(&spare).filter(|(_, s)| !**s) {
            if o.scorer.doc() < doc {
                o.scorer.seek(doc);
            }
            if o.scorer.doc() == doc {
                bonus += o.score;
            }
        }
        let out_of_reach = |score: Score, left: Score| seen.is_some_and(|t| score + left <= t);
        let mut bm25 = req.terms_score();
        let mut left = spare_sum;
        if out_of_reach(bm25 + req.bound + bonus, left) {
            continue;
        }
        if let Err(next) = req.verify(doc) {
            target = next.max(doc + 1);
            continue;
        }
        bm25 += req.others_score();
        let mut in_reach = true;
        for (o, _) in optional.iter_mut().zip(&spare).filter(|(_, s)| **s) {
            if out_of_reach(bm25 + bonus, left) {
                in_reach = false;
                break;
            }
            if o.scorer.doc() < doc {
                o.scorer.seek(doc);
            }
            if o.scorer.doc() == doc {
                bonus += o.score;
            }
            left -= o.score;
        }
        if in_reach {
            best.offer(bm25 + bonus, DocAddress::new(ord, doc));
            if let Some(mine) = best.threshold() {
                shared.fetch_max(mine.to_bits(), AtomicOrdering::Relaxed);
            }
        }
    }
}

/// An entry of the page: better is a higher score, then a lower address.
#[derive(Clone, Copy, PartialEq)]
struct Ranked {
    score: Score,
    address: DocAddress,
}

impl Eq for Ranked {}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.address.cmp(&self.address))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The best `k` so far; the worst of them on top.
struct Best {
    k: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl Best {
    fn new(k: usize) -> Self {
        Self {
            k,
            heap: BinaryHeap::with_capacity(k.min(1 << 16) + 1),
        }
    }

    /// The score an entry must beat, once `k` are kept. Entries come in address order, so
    /// one that only equals it ranks after every entry kept.
    fn threshold(&self) -> Option<Score> {
        if self.heap.len() < self.k {
            None
        } else {
            self.heap.peek().map(|Reverse(r)| r.score)
        }
    }

    fn offer(&mut self, score: Score, address: DocAddress) {
        if let Some(t) = self.threshold() {
            if score <= t {
                return;
            }
            self.heap.pop();
        }
        self.heap.push(Reverse(Ranked { score, address }));
    }

    fn into_sorted(self) -> Vec<(Score, DocAddress)> {
        let mut all: Vec<Ranked> = self.heap.into_iter().map(|Reverse(r)| r).collect();
        all.sort_by(|a, b| b.cmp(a));
        all.into_iter().map(|r| (r.score, r.address)).collect()
    }
}
