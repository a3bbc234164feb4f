//! HTTP integration tests: the real `cong` binary on a random port, a real SQLite file per
//! test, real requests. One test binary (modules mirror the routes) to link once.

mod support;

mod bad_input;
mod counting;
mod headers;
mod lifecycle;
mod network;
mod pages;
