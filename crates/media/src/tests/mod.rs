//! The crate's tests, on fixtures made in code (only the ignored timing run may read a photo;
//! videos are small files in `data/`, made once with ffmpeg, see its README).

mod accept;
mod fixtures;
mod jpeg_segments;
mod metadata;
mod reject;
mod timing;
mod video;
