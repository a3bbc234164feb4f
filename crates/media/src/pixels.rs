//! The one pixel layout every later step works on: 8-bit RGB, or RGBA when transparency is real.

use crate::Format;
use image::{DynamicImage, RgbImage, RgbaImage};

/// Decoded pixels, reduced to what the encoders need.
pub(crate) enum Pixels {
    Opaque(RgbImage),
    Transparent(RgbaImage),
}

impl Pixels {
    /// Keeps the alpha channel only if some pixel uses it: GIF decodes to RGBA always, and many
    /// PNGs carry an alpha channel that is 255 everywhere; both are photos to store as JPEG.
    pub(crate) fn from_image(image: DynamicImage) -> Self {
        if !image.color().has_alpha() {
            return Pixels::Opaque(image.into_rgb8());
        }
        let rgba = image.into_rgba8();
        if rgba.pixels().all(|p| p.0[3] == u8::MAX) {
            Pixels::Opaque(DynamicImage::ImageRgba8(rgba).into_rgb8())
        } else {
            Pixels::Transparent(rgba)
        }
    }

    /// The format of the stored original and of the fallbacks.
    pub(crate) fn format(&self) -> Format {
        match self {
            Pixels::Opaque(_) => Format::Jpeg,
            Pixels::Transparent(_) => Format::Png,
        }
    }

    pub(crate) fn width(&self) -> u32 {
        match self {
            Pixels::Opaque(img) => img.width(),
            Pixels::Transparent(img) => img.width(),
        }
    }

    pub(crate) fn height(&self) -> u32 {
        match self {
            Pixels::Opaque(img) => img.height(),
            Pixels::Transparent(img) => img.height(),
        }
    }
}
