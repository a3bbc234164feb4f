//! The crate's tests, on documents made in code by [`crate::make`] and by the fixtures here.

mod accept;
mod dump;
mod fixtures;
mod fuzzish;
mod names;
mod pdf_layout;
mod refuse;
mod sheets;
