//! Demo content that makes a fresh portal look real: the reference article from the seed
//! page (exact title and text, its gallery and byline), about ninety more Vietnamese
//! articles over the usual sections, static pages and the site's own data; a documents
//! library with two drafts put out for comment (one open, one closed with its report).
//!
//! Seeding runs only on a database without articles, writes through the domain (so bodies
//! are sanitized and slugs folded like an editor's), and marks its progress in the site
//! settings: a second start adds nothing, and a start after an interrupted seed finishes
//! it instead of duplicating what was there.

mod consultations;
mod corpus;
mod documents;
mod english;
mod generate;
mod images;
mod organisation;
mod reference;
mod schedule;
mod site;
mod sites;

use cong_domain::content::Content;
use cong_store::SiteId;
pub use consultations::{CLOSED_SLUG, OPEN_SLUG};
pub use english::seed as seed_english;
pub use generate::generate;
pub use sites::seed_sites;
use std::path::Path;

/// What seeding did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    /// The database already had the demo (or other content): nothing was written.
    AlreadyThere,
    /// The demo was written: this many articles.
    Created { articles: usize },
}

impl std::fmt::Display for Seeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seeded::AlreadyThere => f.write_str("demo content: already there, nothing added"),
            Seeded::Created { articles } => write!(f, "demo content: created {articles} articles"),
        }
    }
}

const STARTED: &str = "demo.seeding";
const DONE: &str = "demo.seeded";

/// Seeds the demo into an empty database; its images are stored with it (`media_dir` is the
/// folder the library copies older files from).
pub async fn seed(content: &Content, media_dir: &Path) -> anyhow::Result<Seeded> {
    let store = content.store();
    let settings = store.settings(SiteId::FIRST);
    if settings.find(DONE).await?.is_some() {
        return Ok(Seeded::AlreadyThere);
    }
    let resuming = settings.find(STARTED).await?.is_some();
    if !resuming && store.articles().count().await? > 0 {
        // Real content: the demo never mixes itself in.
        return Ok(Seeded::AlreadyThere);
    }
    mark(store, STARTED).await?;
    let sections = site::seed(content).await?;
    let media = images::seed(store, media_dir).await?;
    let mut articles = reference::seed(content, &sections, &media).await?;
    articles += corpus::seed(content, &sections, &media).await?;
    mark(store, DONE).await?;
    Ok(Seeded::Created { articles })
}

const DOCUMENTS_DONE: &str = "demo.documents";

/// Seeds the demo's documents library into a demo database (one the demo seeded) that has
/// none yet, also one seeded by an older cong; returns how many documents were made.
pub async fn seed_documents(
    content: &Content,
    docs: &cong_domain::documents::Documents,
    files: &cong_domain::files::FileIntake,
) -> anyhow::Result<usize> {
    let store = content.store();
    let settings = store.settings(SiteId::FIRST);
    if settings.find(DONE).await?.is_none() || settings.find(DOCUMENTS_DONE).await?.is_some() {
        return Ok(0);
    }
    let any = docs
        .list(SiteId::FIRST, &Default::default(), 1, false)
        .await?
        .total;
    let n = if any == 0 {
        documents::seed(docs, files, SiteId::FIRST).await?
    } else {
        0
    };
    mark(store, DOCUMENTS_DONE).await?;
    Ok(n)
}

const CONSULTATIONS_DONE: &str = "demo.consultations";

/// Puts two drafts of the demo's library out for comment (one open from today, one closed
/// with its comments and report), once, on a demo database whose library is the demo's and
/// has no consultation yet, also one seeded by an older cong; returns how many.
pub async fn seed_consultations(
    content: &Content,
    docs: &cong_domain::documents::Documents,
    files: &cong_domain::files::FileIntake,
    consultations: &cong_domain::consultations::Consultations,
) -> anyhow::Result<usize> {
    let store = content.store();
    let settings = store.settings(SiteId::FIRST);
    if settings.find(DOCUMENTS_DONE).await?.is_none()
        || settings.find(CONSULTATIONS_DONE).await?.is_some()
    {
        return Ok(0);
    }
    let any = consultations
        .list(SiteId::FIRST, cong_domain::consultations::Window::All, 1)
        .await?
        .total;
    // The library is the demo's when its decision 544 is there.
    let ours = match docs.published(SiteId::FIRST, "544-qd-skhcn").await {
        Ok(_) => true,
        Err(cong_domain::Error::NotFound) => false,
        Err(e) => return Err(e.into()),
    };
    let n = if any == 0 && ours {
        consultations::seed(store, docs, files, consultations, SiteId::FIRST).await?
    } else {
        0
    };
    mark(store, CONSULTATIONS_DONE).await?;
    Ok(n)
}

const SCHEDULE_DONE: &str = "demo.schedule";

/// Fills Lịch công tác with the week the demo is loaded in and the next, once, on a demo
/// database whose schedule is empty; returns how many entries.
pub async fn seed_schedule(
    content: &Content,
    schedule: &cong_domain::schedule::Schedule,
) -> anyhow::Result<usize> {
    let store = content.store();
    let settings = store.settings(SiteId::FIRST);
    if settings.find(SCHEDULE_DONE).await?.is_some() {
        return Ok(0);
    }
    let empty = store
        .schedule()
        .between(SiteId::FIRST, 0, None, false)
        .await?
        .is_empty();
    let n = if empty {
        schedule::seed(schedule, SiteId::FIRST).await?
    } else {
        0
    };
    mark(store, SCHEDULE_DONE).await?;
    Ok(n)
}

const ORGANISATION_DONE: &str = "demo.organisation";

/// Gives a demo database (one the demo seeded, also by an older cong) the department's
/// structure and people, once, when it has no unit yet; returns how many people.
pub async fn seed_organisation(
    content: &Content,
    org: &cong_domain::organisation::Organisation,
) -> anyhow::Result<usize> {
    let store = content.store();
    let settings = store.settings(SiteId::FIRST);
    if settings.find(DONE).await?.is_none() || settings.find(ORGANISATION_DONE).await?.is_some() {
        return Ok(0);
    }
    let n = if org.units(SiteId::FIRST).await?.is_empty() {
        organisation::seed(store, org, SiteId::FIRST).await?
    } else {
        0
    };
    mark(store, ORGANISATION_DONE).await?;
    Ok(n)
}

/// Sets a marker setting of the demo's own.
async fn mark(store: &cong_store::Store, key: &str) -> anyhow::Result<()> {
    let mut tx = store.begin().await?;
    store.settings(SiteId::FIRST).set(&mut tx, key, "1").await?;
    tx.commit().await?;
    Ok(())
}
