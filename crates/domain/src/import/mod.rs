//! Moving a site in from the system it ran before: what an import did, item by item, for the
//! report a webmaster reads at the end (and checks before, with a dry run).

mod attachments;
mod body;
pub mod wordpress;

use crate::content::Written;

/// What happened to one item of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
    /// Not taken, and why.
    Skipped(String),
    /// A dry run: what would be done.
    WouldAdd,
    WouldUpdate,
    /// It failed, and why (the import goes on with the next item).
    Failed(String),
}

impl From<Written> for Outcome {
    fn from(w: Written) -> Self {
        match w {
            Written::Added(_) => Outcome::Added,
            Written::Updated(_) => Outcome::Updated,
            Written::Unchanged(_) => Outcome::Unchanged,
        }
    }
}

/// One item of the source and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// "category", "post", "page", "attachment", …
    pub kind: String,
    /// Its id in the source.
    pub origin: String,
    pub title: String,
    pub outcome: Outcome,
    /// Its address in cong, when it has one.
    pub address: Option<String>,
}

/// A picture the source's items use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Its address on the old site.
    pub url: String,
    /// Its address in cong, or why it is missing.
    pub outcome: std::result::Result<String, String>,
}

/// Something in an item cong does not take as it was, said so rather than dropped quietly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: String,
    pub origin: String,
    pub what: String,
}

/// Everything an import did, in the order it did it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<Line>,
    pub pictures: Vec<Picture>,
    pub notices: Vec<Notice>,
    /// How many items of each kind the source holds, and how many cong holds from it now.
    pub counts: Vec<Count>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub kind: String,
    pub in_source: usize,
    pub imported: usize,
}

impl Report {
    pub fn line(
        &mut self,
        kind: &str,
        origin: impl ToString,
        title: &str,
        outcome: Outcome,
        address: Option<String>,
    ) {
        self.lines.push(Line {
            kind: kind.to_owned(),
            origin: origin.to_string(),
            title: title.to_owned(),
            outcome,
            address,
        });
    }

    pub fn notice(&mut self, kind: &str, origin: impl ToString, what: impl Into<String>) {
        self.notices.push(Notice {
            kind: kind.to_owned(),
            origin: origin.to_string(),
            what: what.into(),
        });
    }

    /// The lines of one kind with one outcome.
    pub fn count(&self, kind: &str, pred: impl Fn(&Outcome) -> bool) -> usize {
        self.lines
            .iter()
            .filter(|l| l.kind == kind && pred(&l.outcome))
            .count()
    }

    /// True when an item failed or a picture is missing: the webmaster has something to do.
    pub fn has_problems(&self) -> bool {
        self.lines
            .iter()
            .any(|l| matches!(l.outcome, Outcome::Failed(_)))
            || self.pictures.iter().any(|p| p.outcome.is_err())
    }
}

/// Where the old site's files are read from: a copy of its uploads folder, or the site
/// itself (or a copy of it) over HTTP. The command line gives one; tests give their own.
pub trait Files {
    /// The bytes at an address of the old site, or why they cannot be had.
    fn get(
        &self,
        url: &str,
    ) -> impl std::future::Future<Output = std::result::Result<Vec<u8>, String>> + Send;
}
