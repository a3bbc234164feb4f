//! cong's rules: what the portal's content and counters mean, with no HTTP and no SQL.
//!
//! The web layer calls the services here ([`content::Content`], [`stats::Stats`],
//! [`search::Search`], …); they call
//! the store and return domain types and [`Error`]. Time comes from a [`Clock`], so tests can
//! move it across midnight or a 30-minute visit boundary.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod changes;
pub mod clock;
pub mod consultations;
pub mod content;
pub mod documents;
pub mod editorial;
mod error;
pub mod feedback;
pub mod files;
pub mod forms;
pub mod import;
pub mod mail;
pub mod media;
pub mod navigation;
pub mod organisation;
pub mod privacy;
pub mod questions;
pub mod redirects;
pub mod schedule;
pub mod search;
pub mod secrets;
pub mod sites;
pub mod stats;
pub mod text;
pub mod trash;
pub mod upkeep;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{Error, Result, StaleEdit};
