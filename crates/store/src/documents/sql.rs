//! Queries of the library built piece by piece: filters add their text and their values
//! together, numbered as they come.

use super::{EFFECT, Filter};
use crate::sites::SiteId;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe};

/// A value bound to a built query.
pub(super) enum Bound {
    Int(i64),
    Text(String),
}

/// A query being written: its text and its values, numbered as they are added. PostgreSQL
/// refuses a placeholder it cannot see used, so a value is added only with the text that
/// uses it.
pub(super) struct Sql {
    text: String,
    values: Vec<Bound>,
}

impl Sql {
    /// Starts with the site as `$1`.
    pub(super) fn new(site: SiteId) -> Sql {
        Sql {
            text: String::new(),
            values: vec![Bound::Int(site.0)],
        }
    }

    /// Adds a value; returns its placeholder.
    pub(super) fn value(&mut self, v: Bound) -> String {
        self.values.push(v);
        format!("${}", self.values.len())
    }

    /// The status of effect on `day`, as an SQL expression.
    pub(super) fn effect(&mut self, day: &str) -> String {
        let p = self.value(Bound::Text(day.to_owned()));
        EFFECT.replace("$D", &p)
    }

    pub(super) fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// ` WHERE` the site, then ` AND …` for each filter.
    pub(super) fn filter(&mut self, f: &Filter, day: &str) {
        self.push(" WHERE d.site_id = $1");
        // The trash shows only to its own page (where a document is unpublished anyway).
        self.push(if f.trashed {
            " AND d.trashed_at IS NOT NULL"
        } else {
            " AND d.trashed_at IS NULL"
        });
        if let Some(s) = f.status {
            let p = self.value(Bound::Text(s.as_str().to_owned()));
            self.push(&format!(" AND d.status = {p}"));
        }
        if let Some(id) = f.type_id {
            let p = self.value(Bound::Int(id));
            self.push(&format!(" AND d.type_id = {p}"));
        }
        if let Some(id) = f.issuer_id {
            let p = self.value(Bound::Int(id));
            self.push(&format!(" AND d.issuer_id = {p}"));
        }
        if let Some(id) = f.field_id {
            let p = self.value(Bound::Int(id));
            self.push(&format!(
                " AND EXISTS (SELECT 1 FROM document_fields df \
                 WHERE df.document_id = d.id AND df.term_id = {p})"
            ));
        }
        if let Some(y) = f.year {
            let from = self.value(Bound::Text(format!("{y:04}-01-01")));
            let to = self.value(Bound::Text(format!("{:04}-01-01", y + 1)));
            self.push(&format!(
                " AND d.issued_on >= {from} AND d.issued_on < {to}"
            ));
        }
        if let Some(e) = f.effect {
            let expr = self.effect(day);
            let p = self.value(Bound::Text(e.as_str().to_owned()));
            self.push(&format!(" AND ({expr}) = {p}"));
        }
        for w in &f.words {
            let escaped = w
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let p = self.value(Bound::Text(format!("%{escaped}%")));
            self.push(&format!(" AND d.search_key LIKE {p} ESCAPE '\\'"));
        }
        if let Some(ids) = &f.ids {
            if ids.is_empty() {
                self.push(" AND 1 = 0");
            } else {
                // Ids are numbers: written in, not bound, so a long answer needs no chunking.
                let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                self.push(&format!(" AND d.id IN ({})", list.join(", ")));
            }
        }
    }

    pub(super) fn query(self) -> Query<'static, Any, AnyArguments> {
        let mut q = sqlx::query(AssertSqlSafe(self.text));
        for v in self.values {
            q = match v {
                Bound::Int(i) => q.bind(i),
                Bound::Text(s) => q.bind(s),
            };
        }
        q
    }

    pub(super) fn scalar(self) -> sqlx::query::QueryScalar<'static, Any, i64, AnyArguments> {
        let mut q = sqlx::query_scalar(AssertSqlSafe(self.text));
        for v in self.values {
            q = match v {
                Bound::Int(i) => q.bind(i),
                Bound::Text(s) => q.bind(s),
            };
        }
        q
    }
}
