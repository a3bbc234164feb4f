//! The public site: one handler per page kind.

pub mod article;
pub mod assets;
pub mod consultations;
pub mod contact;
pub mod documents;
pub mod feeds;
pub mod files;
pub mod forms;
pub mod home;
pub mod media_files;
mod meta;
mod most_read;
pub mod moved;
pub mod organisation;
pub mod page;
pub mod photos;
pub mod questions;
pub mod schedule;
pub mod search;
pub mod section;
pub mod videos;
