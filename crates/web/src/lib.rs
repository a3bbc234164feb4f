//! cong's HTTP layer: routes, extractors, error pages, security headers, listening.
//!
//! Handlers are thin: parse the request ([`extract`]), ask the domain, render; the page
//! cache ([`cache`]) in front of them keeps pages, counts views and splices live numbers. Every error becomes a themed page with the right status ([`error`],
//! [`error_pages`]); nothing a client sends can produce a panic or a stack trace.

pub mod admin;
mod app;
pub mod cache;
mod error;
mod error_pages;
mod extract;
pub mod headers;
mod lang;
pub mod metrics;
mod public;
pub mod redirect;
mod routes;
mod server;
pub mod sites;

pub use app::App;
pub use error::Error;
/// The query-string readers, public for the fuzz targets (fuzz/).
pub use extract::{accepts, page_number};
pub use routes::router;
pub use server::{
    Clients, ConnectionGauge, Limits, Listeners, bind, raise_open_files_limit, serve,
};
