//! The resized copies: which widths an image gets, and each one's WebP and fallback.

use crate::pixels::Pixels;
use crate::resize::Scaler;
use crate::{Rejection, Variant, WIDTHS, encode};

/// One variant per width in `WIDTHS` below the image's own, largest last.
pub(crate) fn make(pixels: &Pixels) -> Result<Vec<Variant>, Rejection> {
    let mut scaler = Scaler::new();
    widths(pixels.width())
        .into_iter()
        .map(|width| {
            let height = scaled_height(pixels.width(), pixels.height(), width);
            // A variant at the image's own width is the same pixels, re-encoded.
            let scaled;
            let source = if width == pixels.width() {
                pixels
            } else {
                scaled = scaler.scale(pixels, width, height)?;
                &scaled
            };
            Ok(Variant {
                width,
                height: source.height(),
                webp: encode::webp(source)?,
                fallback: encode::jpeg_or_png(source)?,
                fallback_format: source.format(),
            })
        })
        .collect()
}

/// The narrower `WIDTHS`; an image no wider than the smallest still gets one variant, at its
/// own width, so every image has a WebP to offer.
pub(crate) fn widths(image_width: u32) -> Vec<u32> {
    let smaller: Vec<u32> = WIDTHS.into_iter().filter(|&w| w < image_width).collect();
    if smaller.is_empty() {
        vec![image_width]
    } else {
        smaller
    }
}

/// Height at `width` keeping the aspect ratio, rounded, never zero.
fn scaled_height(image_width: u32, image_height: u32, width: u32) -> u32 {
    let scaled = (u64::from(image_height) * u64::from(width) + u64::from(image_width) / 2)
        / u64::from(image_width);
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_image() {
        assert_eq!(widths(2000), vec![320, 640, 1024, 1600]);
        assert_eq!(widths(1600), vec![320, 640, 1024]);
        assert_eq!(widths(700), vec![320, 640]);
        assert_eq!(widths(321), vec![320]);
        assert_eq!(widths(320), vec![320]);
        assert_eq!(widths(100), vec![100]);
        assert_eq!(widths(1), vec![1]);
    }

    #[test]
    fn heights_keep_the_aspect_ratio() {
        assert_eq!(scaled_height(2000, 1500, 320), 240);
        assert_eq!(scaled_height(1000, 333, 640), 213);
        assert_eq!(scaled_height(10_000, 10, 320), 1);
        assert_eq!(scaled_height(400, 300, 400), 300);
    }
}
