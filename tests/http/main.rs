//! HTTP integration tests: the real `cong` binary on a random port, a real SQLite file per
//! test, real requests. One test binary (modules mirror the routes) to link once.

mod support;

mod admin_auth;
mod admin_csrf;
mod admin_media;
mod admin_workflow;
mod backup;
mod bad_input;
mod cache;
mod counting;
mod discovery;
mod headers;
mod lifecycle;
mod network;
mod overload;
mod pages;
mod search;
