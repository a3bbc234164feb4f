//! The crate's tests, on fixtures made in code (only the ignored timing run may read a photo).

mod accept;
mod fixtures;
mod jpeg_segments;
mod metadata;
mod reject;
mod timing;
