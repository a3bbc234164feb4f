//! The ranking: how a parsed query becomes a tantivy query, and the weights behind it.
//!
//! Every word (or phrase) must match in the folded title, summary or body, so "hoi nghi"
//! finds "Hội nghị". On top of BM25 over those fields, constant bonuses per word set the
//! order readers expect, strongest first:
//! 1. found with the marks the reader typed ("đường" over "dương" and "đương"; never given
//!    for a word typed without marks, which says nothing about which one is meant);
//! 2. found in the title (a title match over a body-only one), and words typed next to each
//!    other found next to each other: a Vietnamese word is often two or three syllables, so
//!    "hội" and "nghị" apart are not the word "hội nghị", and these two weigh the same.
//!
//! The bonuses are well above what BM25 gives a word in practice (a few units to a few
//! tens), so they act as tiers and BM25 orders articles within a tier.
//!
//! A document's files text is a second place a word may be found: its own folded field, its
//! BM25 weighted by [`FILES_WEIGHT`], and consulted only for words some files text holds (the
//! term dictionary says), so a query no files text answers has the articles-only shape.

use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery,
    Query as TantivyQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::analysis;
use crate::doc::Kind;
use crate::query::{Parsed, Part, Word};
use crate::schema::Fields;

const EXACT_BONUS: f32 = 100.0;
const TITLE_BONUS: f32 = 40.0;
const NEIGHBOUR_BONUS: f32 = 40.0;
/// What a word's BM25 in the files text counts for, against 1 in the title, summary and body:
/// what the document says of itself (abstract, number, full text) outweighs a mention on page
/// 40 of an attachment.
const FILES_WEIGHT: f32 = 0.5;

/// Filters besides the text.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Filters {
    pub site_id: Option<i64>,
    pub section_id: Option<i64>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub kind: Option<Kind>,
}

type Clause = (Occur, Box<dyn TantivyQuery>);

/// A query taken apart for [`crate::top`]: what must match, and the constant bonuses.
pub(crate) struct Plan {
    pub must: Vec<Must>,
    pub bonuses: Vec<(Box<dyn TantivyQuery>, f32)>,
    /// Only entries published in this range.
    pub dates: Option<Dates>,
}

/// A range of a fast i64 field, both ends included.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dates {
    pub field: Field,
    pub from: i64,
    pub until: i64,
}

/// A required clause.
pub(crate) struct Must {
    /// A [`Shape::Term`] word's terms and their weights (text_fold 1; files_fold
    /// [`FILES_WEIGHT`] where some files text holds it), which [`crate::top`] reads itself:
    /// the word's score is their weighted BM25 summed.
    pub terms: Vec<(Term, f32)>,
    pub query: Box<dyn TantivyQuery>,
    /// The most it can score: a word's highest possible BM25; 0 for a filter.
    pub bound: f32,
    pub shape: Shape,
    /// Holds wherever another clause does (a phrase word, where its pair is): a count,
    /// which needs no scores, can leave it out.
    pub implied: bool,
}

pub(crate) enum Shape {
    /// A word's terms, BM25-scored: their blocks' highest scores let whole blocks be
    /// skipped.
    Term,
    /// Cheap to check: a term (a pair, a filter).
    Cheap,
    /// Positions to read (a phrase, in the text or in the files text: the queries it holds
    /// when one of them does): checked last, an entry at a time, and only for an entry that
    /// could make the page.
    Costly(Vec<Box<dyn TantivyQuery>>),
}

impl Plan {
    /// The whole ranking as one tantivy query: what [`crate::top`] computes, scoring every
    /// match (for tests).
    #[cfg(test)]
    pub(crate) fn query(&self) -> BooleanQuery {
        let mut clauses: Vec<Clause> = self
            .must
            .iter()
            .map(|m| (Occur::Must, m.query.box_clone()))
            .collect();
        for (q, score) in &self.bonuses {
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(q.box_clone(), *score)),
            ));
        }
        if let Some(d) = self.dates {
            let bound = |v| std::ops::Bound::Included(Term::from_field_i64(d.field, v));
            let q = tantivy::query::RangeQuery::new(bound(d.from), bound(d.until));
            clauses.push(filter(Box::new(q)));
        }
        BooleanQuery::new(clauses)
    }

    fn push(&mut self, clause: Clause) {
        self.must.push(Must {
            terms: Vec::new(),
            query: clause.1,
            bound: 0.0,
            shape: Shape::Cheap,
            implied: false,
        });
    }
}

/// Builds the plan. The searcher's document frequencies let a bonus be left out when every
/// candidate would get it (it could not change the order, only cost time): a word typed with
/// marks whose folded form only ever occurs with those marks, or two neighbours that are
/// always side by side where the rarer one occurs. On common words that is most of the work.
pub(crate) fn build(
    parsed: &Parsed,
    filters: Filters,
    f: &Fields,
    searcher: &Searcher,
) -> tantivy::Result<Plan> {
    let plan = Planner { f, searcher };
    let mut out = Plan {
        must: Vec::new(),
        bonuses: Vec::new(),
        dates: None,
    };
    for part in &parsed.parts {
        match part {
            Part::Word(word) => {
                plan.word(word, &mut out)?;
                out.bonuses.push(bonus(
                    term(f.title_fold, &word.folded, IndexRecordOption::Basic),
                    TITLE_BONUS,
                ));
            }
            Part::Phrase(words) => plan.phrase(words, &mut out)?,
        }
    }
    for &(a, b) in &parsed.neighbours {
        if let (Part::Word(a), Part::Word(b)) = (&parsed.parts[a], &parsed.parts[b]) {
            // A word's candidates are in text_fold or files_fold (counted twice when in both):
            // as many pairs as the rarer word's count means every candidate has the pair.
            let pairs = plan.df(f.text_pairs, &analysis::pair(&a.folded, &b.folded))?;
            let rarer = plan.candidates(a)?.min(plan.candidates(b)?);
            if pairs != rarer {
                out.bonuses.push(bonus(pair(f, a, b), NEIGHBOUR_BONUS));
            }
        }
    }
    filter_clauses(filters, f, &mut out);
    for m in &mut out.must {
        if !m.bound.is_finite() {
            // No statistics to bound BM25 with (an empty index): nothing is pruned.
            m.bound = f32::INFINITY;
        }
    }
    Ok(out)
}

struct Planner<'a> {
    f: &'a Fields,
    searcher: &'a Searcher,
}

impl Planner<'_> {
    /// The highest BM25 the word can have in `field`, as tantivy scores it.
    fn most(&self, field: Field, text: &str) -> tantivy::Result<f32> {
        let term = Term::from_field_text(field, text);
        if self.searcher.doc_freq(&term)? == 0 {
            return Ok(0.0);
        }
        Ok(Bm25Weight::for_terms(self.searcher, &[term])?.max_score())
    }

    fn df(&self, field: Field, text: &str) -> tantivy::Result<u64> {
        self.searcher.doc_freq(&Term::from_field_text(field, text))
    }

    /// Whether some files text holds the word.
    fn in_files(&self, word: &Word) -> tantivy::Result<bool> {
        Ok(self.df(self.f.files_fold, &word.folded)? > 0)
    }

    /// The entries holding the word in their text plus those holding it in their files: an
    /// upper bound of how many it matches, exact when no entry has it in both.
    fn candidates(&self, word: &Word) -> tantivy::Result<u64> {
        Ok(self.df(self.f.text_fold, &word.folded)? + self.df(self.f.files_fold, &word.folded)?)
    }

    /// The word must be there (folded), scored by BM25; with the bonus for its marks. Where
    /// some files text holds it, there counts too, weighted less: one union of two terms.
    fn word(&self, word: &Word, out: &mut Plan) -> tantivy::Result<()> {
        let f = self.f;
        let text = term(f.text_fold, &word.folded, IndexRecordOption::WithFreqs);
        let files_df = self.df(f.files_fold, &word.folded)?;
        let in_files = files_df > 0;
        let must: Box<dyn TantivyQuery> = if in_files {
            let files = term(f.files_fold, &word.folded, IndexRecordOption::WithFreqs);
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, text),
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(files, FILES_WEIGHT)),
                ),
            ]))
        } else {
            text
        };
        let mut bound = self.most(f.text_fold, &word.folded)?;
        if in_files {
            bound += FILES_WEIGHT * self.most(f.files_fold, &word.folded)?;
        }
        let mut terms = vec![(Term::from_field_text(f.text_fold, &word.folded), 1.0)];
        if in_files {
            terms.push((
                Term::from_field_text(f.files_fold, &word.folded),
                FILES_WEIGHT,
            ));
        }
        out.must.push(Must {
            terms,
            query: must,
            bound,
            shape: Shape::Term,
            implied: false,
        });
        // text_exact holds the files text too: as many entries with the marks as the text and
        // files counts together means every candidate has them (see `candidates`).
        if word.marked()
            && self.df(f.text_exact, &word.exact)? != self.df(f.text_fold, &word.folded)? + files_df
        {
            out.bonuses.push(bonus(
                term(f.text_exact, &word.exact, IndexRecordOption::Basic),
                EXACT_BONUS,
            ));
        }
        Ok(())
    }

    /// Its words, each as [`Planner::word`]; then that they are side by side. Every adjacent
    /// pair is a cheap term of the pairs field, so the costly position check runs only on
    /// articles holding all the pairs, and only to see whether the phrase occurs (it is a
    /// filter: the words' BM25 scores it). Two words side by side are exactly their pair.
    fn phrase(&self, words: &[(usize, Word)], out: &mut Plan) -> tantivy::Result<()> {
        let f = self.f;
        let mut clauses = Vec::with_capacity(words.len());
        for (_, word) in words {
            self.word(word, out)?;
            clauses.push(out.must.len() - 1);
        }
        let mut contiguous = true;
        for (i, window) in words.windows(2).enumerate() {
            let ((at_a, a), (at_b, b)) = (&window[0], &window[1]);
            if at_a + 1 == *at_b {
                out.push(filter(pair(f, a, b)));
                // The pair is in the text or files text: so are both words.
                out.must[clauses[i]].implied = true;
                out.must[clauses[i + 1]].implied = true;
            } else {
                contiguous = false;
            }
        }
        if words.len() > 2 || !contiguous {
            let mut in_files = false;
            for (_, word) in words {
                in_files |= self.in_files(word)?;
            }
            let mut any_of = vec![phrase(f.text_fold, words)];
            if in_files {
                any_of.push(phrase(f.files_fold, words));
            }
            let either = BooleanQuery::new(
                any_of
                    .iter()
                    .map(|q| (Occur::Should, q.box_clone()))
                    .collect(),
            );
            let (_, query) = filter(Box::new(either));
            out.must.push(Must {
                terms: Vec::new(),
                query,
                bound: 0.0,
                shape: Shape::Costly(any_of),
                implied: false,
            });
        }
        // A phrase counts as its words do, so a three-word phrase weighs as three words.
        out.bonuses.push(bonus(
            phrase(f.title_fold, words),
            TITLE_BONUS * words.len() as f32,
        ));
        Ok(())
    }
}

fn filter_clauses(filters: Filters, f: &Fields, clauses: &mut Plan) {
    if let Some(kind) = filters.kind {
        let q = TermQuery::new(
            Term::from_field_i64(f.kind, kind.code()),
            IndexRecordOption::Basic,
        );
        clauses.push(filter(Box::new(q)));
    }
    if let Some(site) = filters.site_id {
        let q = TermQuery::new(
            Term::from_field_i64(f.site_id, site),
            IndexRecordOption::Basic,
        );
        clauses.push(filter(Box::new(q)));
    }
    if let Some(section) = filters.section_id {
        let q = TermQuery::new(
            Term::from_field_i64(f.section_id, section),
            IndexRecordOption::Basic,
        );
        clauses.push(filter(Box::new(q)));
    }
    // Checked entry by entry from the fast column by [`crate::top`], not as a clause.
    if filters.from.is_some() || filters.until.is_some() {
        clauses.dates = Some(Dates {
            field: f.published_at,
            from: filters.from.unwrap_or(i64::MIN),
            until: filters.until.unwrap_or(i64::MAX),
        });
    }
}

fn term(field: Field, text: &str, option: IndexRecordOption) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), option))
}

/// The two words side by side, as a term of the pairs field.
fn pair(f: &Fields, a: &Word, b: &Word) -> Box<dyn TantivyQuery> {
    term(
        f.text_pairs,
        &analysis::pair(&a.folded, &b.folded),
        IndexRecordOption::Basic,
    )
}

/// The folded words at their offsets.
fn phrase(field: Field, words: &[(usize, Word)]) -> Box<dyn TantivyQuery> {
    let terms = words
        .iter()
        .map(|(offset, w)| (*offset, Term::from_field_text(field, &w.folded)))
        .collect();
    Box::new(PhraseQuery::new_with_offset(terms))
}

/// An optional clause worth `score` when it matches, whatever BM25 would say.
fn bonus(q: Box<dyn TantivyQuery>, score: f32) -> (Box<dyn TantivyQuery>, f32) {
    (q, score)
}

/// A required clause that adds nothing to the score.
fn filter(q: Box<dyn TantivyQuery>) -> Clause {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}
