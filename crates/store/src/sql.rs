//! Small helpers for building SQL that both backends accept.

use sqlx::Row;
use sqlx::any::AnyRow;

/// `$first, $first+1, …` for `count` bound values; sqlx's query builder would write `?`
/// for the Any driver, which PostgreSQL refuses.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    let mut s = String::with_capacity(count * 4);
    for i in 0..count {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('$');
        s.push_str(&(first + i).to_string());
    }
    s
}

/// A LIKE pattern for "contains `text`", its own wildcards and escape character dropped
/// (the text is a folded search key, where they mean nothing).
pub(crate) fn contains_pattern(text: &str) -> String {
    format!("%{}%", text.replace(['%', '_', '\\'], ""))
}

/// Reads a 0/1 integer column as a flag (both backends store flags as integers).
pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<i64, _>(col)? != 0)
}

/// Values bound per statement when a list is split into chunks; below SQLite's and
/// PostgreSQL's limits on bound parameters with room to spare.
pub(crate) const CHUNK: usize = 400;

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_from_first() {
        assert_eq!(super::placeholders(3, 3), "$3, $4, $5");
        assert_eq!(super::placeholders(1, 0), "");
    }
}
