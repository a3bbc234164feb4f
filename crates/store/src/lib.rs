//! cong's store: every line of SQL, for embedded SQLite and for PostgreSQL.
//!
//! Queries are written once, with `$1…$n` placeholders that both drivers take; where the two
//! databases differ, the function concerned matches on [`Backend`] itself. Each entity has its
//! own module with an accessor (`store.articles()`) whose functions are named `find_by_*`,
//! `list_*`, `count_*`, `insert`; rows are plain structs, times are UTC epoch seconds.

mod backend;
mod error;
mod migrate;
mod sql;
mod tx;

pub mod articles;
pub mod audit;
pub mod backup;
pub mod changes;
pub mod consultations;
pub mod copy;
pub mod documents;
pub mod editorial;
pub mod feedback;
pub mod files;
mod galleries;
pub mod mail;
pub mod media;
pub mod media_files;
pub mod navigation;
pub mod organisation;
pub mod pages;
pub mod password_resets;
mod question_topics;
pub mod questions;
pub mod redirects;
pub mod schedule;
pub mod sections;
pub mod sessions;
pub mod settings;
pub mod sites;
pub mod stats;
pub mod stats_days;
pub mod testing;
pub mod throttle;
pub mod tls;
pub mod trash;
mod user_sections;
pub mod users;
pub mod videos;

pub use backend::{Backend, Store};
pub use error::{Error, Result};
pub use migrate::schema_version;
pub use sites::SiteId;
pub use tx::Tx;
