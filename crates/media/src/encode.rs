//! Encoding pixels to the stored files: JPEG or PNG for originals and fallbacks, lossy WebP.

// None of these encoders is given metadata, so none is written: that is what strips EXIF, GPS,
// XMP and comments from the upload.

use crate::Rejection;
use crate::pixels::Pixels;
use image::ImageEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};

/// Below 80 photos start to show blocking around text and edges; above 85 files grow fast.
const JPEG_QUALITY: u8 = 82;
/// libwebp's quality scale runs lower than JPEG's: 80 looks like JPEG 82-85 at about a third
/// of the size.
const WEBP_QUALITY: f32 = 80.0;

/// JPEG for opaque pixels, PNG for transparent ones.
pub(crate) fn jpeg_or_png(pixels: &Pixels) -> Result<Vec<u8>, Rejection> {
    let mut out = Vec::new();
    let written = match pixels {
        Pixels::Opaque(img) => {
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(img)
        }
        Pixels::Transparent(img) => {
            PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
                .write_image(
                    img.as_raw(),
                    img.width(),
                    img.height(),
                    image::ExtendedColorType::Rgba8,
                )
        }
    };
    written.map_err(|e| failed("JPEG/PNG", e))?;
    Ok(out)
}

/// Lossy WebP, with its alpha channel when the pixels have one.
pub(crate) fn webp(pixels: &Pixels) -> Result<Vec<u8>, Rejection> {
    let encoder = match pixels {
        Pixels::Opaque(img) => webp::Encoder::from_rgb(img.as_raw(), img.width(), img.height()),
        Pixels::Transparent(img) => {
            webp::Encoder::from_rgba(img.as_raw(), img.width(), img.height())
        }
    };
    // `encode_simple` returns libwebp's error where `encode` would panic on it.
    let memory = encoder
        .encode_simple(false, WEBP_QUALITY)
        .map_err(|e| failed("WebP", format!("{e:?}")))?;
    Ok(memory.to_vec())
}

// Encoding pixels we decoded ourselves fails only on a bug or exhausted memory; there is no
// better variant for it, and the detail reaches the log.
fn failed(what: &str, error: impl std::fmt::Display) -> Rejection {
    Rejection::Corrupt(format!("{what} encoding failed: {error}"))
}
