//! How many published articles each section has, counted once and kept until a change says
//! the section's list changed: counting a section of hundreds of thousands of articles took
//! 130 ms on SQLite, on every render of its pages and of its articles' "Tin khác". Beside
//! the count, marks every thousand rows let a deep page start near its rows (keyset).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Marks of a section's list: (publication time, id) of every [`MARK_EVERY`]th row.
pub(super) type Marks = Arc<Vec<(i64, i64)>>;

/// Rows between two marks: the most a deep page skips.
pub(super) const MARK_EVERY: i64 = 1000;

#[derive(Debug, Default)]
struct Kept {
    by_section: HashMap<i64, i64>,
    marks: HashMap<i64, Marks>,
    /// Bumped by every change: a count read before it is not kept.
    generation: u64,
}

#[derive(Debug, Default)]
pub(super) struct Counts {
    kept: Mutex<Kept>,
}

impl Counts {
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The kept count, or the generation to hand back to [`Counts::keep`].
    pub(super) fn get(&self, section: i64) -> Result<i64, u64> {
        self.read(section, |k| &k.by_section)
    }

    pub(super) fn keep(&self, section: i64, count: i64, generation: u64) {
        self.write(section, count, generation, |k| &mut k.by_section);
    }

    /// The kept marks, or the generation to hand back to [`Counts::keep_marks`].
    pub(super) fn marks(&self, section: i64) -> Result<Marks, u64> {
        self.read(section, |k| &k.marks)
    }

    pub(super) fn keep_marks(&self, section: i64, marks: Marks, generation: u64) {
        self.write(section, marks, generation, |k| &mut k.marks);
    }

    fn read<V: Clone>(
        &self,
        section: i64,
        map: impl FnOnce(&Kept) -> &HashMap<i64, V>,
    ) -> Result<V, u64> {
        let k = self.lock();
        map(&k).get(&section).cloned().ok_or(k.generation)
    }

    /// Keeps `value` unless a change came since `generation` was handed out: it may have
    /// been read before that change.
    fn write<V>(
        &self,
        section: i64,
        value: V,
        generation: u64,
        map: impl FnOnce(&mut Kept) -> &mut HashMap<i64, V>,
    ) {
        let mut k = self.lock();
        if k.generation == generation {
            map(&mut k).insert(section, value);
        }
    }

    /// Forgets one section's count and marks, or everything.
    pub(super) fn forget(&self, section: Option<i64>) {
        let mut k = self.lock();
        k.generation += 1;
        match section {
            Some(s) => {
                k.by_section.remove(&s);
                k.marks.remove(&s);
            }
            None => {
                k.by_section.clear();
                k.marks.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Counts;

    #[test]
    fn kept_until_forgotten_and_a_count_read_across_a_change_is_not_kept() {
        let c = Counts::default();
        let generation = c.get(2).expect_err("nothing kept yet");
        c.keep(2, 450, generation);
        assert_eq!(c.get(2), Ok(450));
        c.forget(Some(3));
        assert_eq!(c.get(2), Ok(450), "another section's change");
        c.forget(Some(2));
        let before = c.get(2).expect_err("forgotten");
        // A change lands while the count is being read: what was read may predate it.
        c.forget(Some(7));
        c.keep(2, 451, before);
        assert!(c.get(2).is_err(), "not kept");
        c.keep(5, 10, c.get(5).expect_err("none"));
        c.forget(None);
        assert!(c.get(5).is_err());
    }
}
