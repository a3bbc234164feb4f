//! Decoding an upload to pixels, upright, without letting it claim more memory than allowed.

use crate::{Format, Limits, Rejection, jpeg_end};
use image::{DynamicImage, ImageDecoder, ImageError, ImageReader};
use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};

/// JPEG's own ceiling; a longer side is a strip no page shows, refused like a bomb.
const MAX_SIDE: u32 = 65_535;
/// Bytes per pixel of the widest layout a decoder may hand back (RGBA, 16 bits a channel).
const MAX_BYTES_PER_PIXEL: u64 = 8;
/// Room for a decoder's working buffers beside the image itself.
const DECODER_SLACK: u64 = 64 * 1024 * 1024;

/// The first frame of the upload, with its EXIF orientation applied.
pub(crate) fn decode(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<DynamicImage, Rejection> {
    // The decoders are fuzzed but third-party; a panic on a hostile file must still end as a
    // refusal, not as a failed request.
    panic::catch_unwind(AssertUnwindSafe(|| decode_unguarded(bytes, format, limits)))
        .unwrap_or_else(|cause| Err(Rejection::Corrupt(panic_message(&*cause))))
}

/// The upload's dimensions from its header alone, checked against the limits; no pixel
/// buffer exists.
pub(crate) fn dimensions(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<(u32, u32), Rejection> {
    panic::catch_unwind(AssertUnwindSafe(|| {
        checked_decoder(bytes, format, limits).map(|d| d.dimensions())
    }))
    .unwrap_or_else(|cause| Err(Rejection::Corrupt(panic_message(&*cause))))
}

/// A decoder that has read the header, once the image it announces is within the limits.
fn checked_decoder<'a>(
    bytes: &'a [u8],
    format: Format,
    limits: &Limits,
) -> Result<impl ImageDecoder + 'a, Rejection> {
    if format == Format::Jpeg && !jpeg_end::reaches_end(bytes) {
        return Err(Rejection::Corrupt(
            "JPEG ends before its EOI marker".to_owned(),
        ));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.to_image());
    // Our own check below must see the header first, so it can say how big the image claims to
    // be; the decoder's limits are set right after it.
    reader.no_limits();
    // Creating the decoder reads the header only: no pixel buffer exists yet.
    let decoder = reader.into_decoder().map_err(rejection)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(Rejection::Corrupt(format!("empty image: {width}×{height}")));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels
        || width > MAX_SIDE
        || height > MAX_SIDE
    {
        return Err(Rejection::TooManyPixels {
            width,
            height,
            max: limits.max_pixels,
        });
    }
    Ok(decoder)
}

fn decode_unguarded(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<DynamicImage, Rejection> {
    let mut decoder = checked_decoder(bytes, format, limits)?;
    let orientation = decoder.orientation().map_err(rejection)?;

    // Second guard, in case a decoder allocates more than the header announced (a GIF frame
    // larger than its screen, say).
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(MAX_SIDE);
    decoder_limits.max_image_height = Some(MAX_SIDE);
    decoder_limits.max_alloc = Some(
        limits
            .max_pixels
            .saturating_mul(MAX_BYTES_PER_PIXEL)
            .saturating_add(DECODER_SLACK),
    );
    // `from_decoder` allocates the image without consulting the limits; `ImageReader::decode`
    // reserves it first, and so do we.
    decoder_limits
        .reserve(decoder.total_bytes())
        .and_then(|()| decoder.set_limits(decoder_limits))
        .map_err(rejection)?;

    let mut image = DynamicImage::from_decoder(decoder).map_err(rejection)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn rejection(error: ImageError) -> Rejection {
    match error {
        // The header passed our check, so a decoder that wants more memory than it announced
        // is reading a malformed file.
        ImageError::Limits(e) => Rejection::Corrupt(format!("over the decoder limits: {e}")),
        ImageError::Unsupported(e) => Rejection::Unsupported(e.to_string()),
        other => Rejection::Corrupt(other.to_string()),
    }
}

fn panic_message(cause: &(dyn std::any::Any + Send)) -> String {
    let message = cause
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| cause.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    format!("decoder panicked: {message}")
}
