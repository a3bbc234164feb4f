//! cong's media intake: checks an uploaded image, strips it to its pixels and makes its sizes.
//!
//! [`process`] is the whole job and a pure function: bytes in, files to store out (or a
//! [`Rejection`] an editor can read). The format is decided from the bytes alone; size and
//! pixel count are refused before any pixel buffer exists; the original is re-encoded from
//! pixels so no metadata (EXIF, GPS, XMP, comments) survives; each width in [`WIDTHS`] gets a
//! lossy WebP plus a JPEG or PNG fallback. It is CPU-bound (see the crate's timing test), so
//! an async caller runs it on a blocking thread and bounds how many run at once: a 50-megapixel
//! upload holds a few hundred megabytes while it is processed.

mod decode;
mod encode;
mod format;
mod jpeg_end;
mod names;
mod pixels;
mod rejection;
mod resize;
mod variants;
mod video;

#[cfg(test)]
mod tests;

pub use format::Format;
pub use names::{original_name, variant_names};
pub use rejection::Rejection;
pub use video::{Video, VideoFormat, VideoRejection, check_video};

use std::fmt;

/// The widths (in pixels) of the resized copies offered to browsers through `srcset`.
pub const WIDTHS: [u32; 4] = [320, 640, 1024, 1600];

/// What an upload may weigh, before and after decompression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_bytes: u64,
    /// Largest accepted width × height; guards memory against decompression bombs.
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            // About 8660 × 5773: above any phone or common camera, far below a bomb.
            max_pixels: 50_000_000,
        }
    }
}

/// One resized copy, in WebP and in a format every browser reads.
#[derive(Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Lossy WebP.
    pub webp: Vec<u8>,
    /// JPEG, or PNG when the image has transparency.
    pub fallback: Vec<u8>,
    pub fallback_format: Format,
}

/// An accepted image: the clean original and its resized copies.
#[derive(Clone, PartialEq, Eq)]
pub struct Processed {
    /// First 32 hex digits of the BLAKE3 hash of `original`: the name it is stored under.
    pub hash: String,
    /// JPEG, or PNG when the image has transparency, whatever the upload's format was.
    pub format: Format,
    /// Dimensions after the EXIF orientation has been applied.
    pub width: u32,
    pub height: u32,
    /// Re-encoded from the pixels: nothing of the upload's metadata is in it.
    pub original: Vec<u8>,
    /// One per [`WIDTHS`] entry narrower than the image, or one at the image's own width when
    /// none is.
    pub variants: Vec<Variant>,
}

/// Checks, cleans and resizes an uploaded image.
pub fn process(bytes: &[u8], limits: &Limits) -> Result<Processed, Rejection> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limits.max_bytes {
        return Err(Rejection::TooLarge {
            bytes: size,
            max: limits.max_bytes,
        });
    }
    let upload_format = format::sniff(bytes)?;
    let image = decode::decode(bytes, upload_format, limits)?;
    let pixels = pixels::Pixels::from_image(image);
    let original = encode::jpeg_or_png(&pixels)?;
    let variants = variants::make(&pixels)?;
    Ok(Processed {
        hash: content_hash(&original),
        format: pixels.format(),
        width: pixels.width(),
        height: pixels.height(),
        original,
        variants,
    })
}

/// What an upload claims to be, from its header alone: the format from its magic numbers and
/// the dimensions its header announces, refused like [`process`] refuses them, without
/// decoding a pixel. Cheap enough for every byte string a fuzzer makes up.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<(Format, u32, u32), Rejection> {
    let format = format::sniff(bytes)?;
    let (width, height) = decode::dimensions(bytes, format, limits)?;
    Ok((format, width, height))
}

fn content_hash(bytes: &[u8]) -> String {
    let mut hex = blake3::hash(bytes).to_hex().to_string();
    // 128 bits: collisions stay out of reach while names stay short.
    hex.truncate(32);
    hex
}

// By hand, so that logging a value prints sizes rather than megabytes of bytes.
impl fmt::Debug for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Variant")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("webp", &ByteCount(self.webp.len()))
            .field("fallback", &ByteCount(self.fallback.len()))
            .field("fallback_format", &self.fallback_format)
            .finish()
    }
}

impl fmt::Debug for Processed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Processed")
            .field("hash", &self.hash)
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("original", &ByteCount(self.original.len()))
            .field("variants", &self.variants)
            .finish()
    }
}

struct ByteCount(usize);

impl fmt::Debug for ByteCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}
