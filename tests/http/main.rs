//! HTTP integration tests: the real `cong` binary on a random port, a real SQLite file per
//! test, real requests. One test binary (modules mirror the routes) to link once.

mod pebble;
mod support;

mod acme;
mod admin_auth;
mod admin_csrf;
mod admin_media;
mod admin_workflow;
mod atomic;
mod auth_limits;
mod auth_second_factor;
mod backup;
mod bad_input;
mod cache;
mod connections;
mod consultations;
mod counting;
mod discovery;
mod documents;
mod editor;
mod editorial_tools;
mod feedback;
mod headers;
mod lifecycle;
mod mail;
mod media_store;
mod media_usage;
mod metrics;
mod network;
mod notices;
mod organisation;
mod overload;
mod pages;
mod photos;
mod portal;
mod question_files;
mod questions;
mod search;
mod secrets;
mod site_roles;
mod site_stats;
mod sites;
mod stats_page;
mod tls;
mod videos;
