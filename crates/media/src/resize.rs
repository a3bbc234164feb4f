//! Scaling pixels down with a Lanczos3 filter (fast_image_resize, SIMD where the CPU has it).

use crate::Rejection;
use crate::pixels::Pixels;
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{RgbImage, RgbaImage};

/// Reused across the variants of one image so its working buffers are allocated once.
pub(crate) struct Scaler {
    resizer: Resizer,
    options: ResizeOptions,
}

impl Scaler {
    pub(crate) fn new() -> Self {
        Self {
            resizer: Resizer::new(),
            // Lanczos3 keeps thumbnails sharp; alpha is premultiplied by default, so
            // transparent pixels do not bleed their hidden colour into the edges.
            options: ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
        }
    }

    pub(crate) fn scale(
        &mut self,
        src: &Pixels,
        width: u32,
        height: u32,
    ) -> Result<Pixels, Rejection> {
        let scaled = match src {
            Pixels::Opaque(img) => {
                let mut dst = RgbImage::new(width, height);
                self.resizer
                    .resize(img, &mut dst, &self.options)
                    .map(|()| Pixels::Opaque(dst))
            }
            Pixels::Transparent(img) => {
                let mut dst = RgbaImage::new(width, height);
                self.resizer
                    .resize(img, &mut dst, &self.options)
                    .map(|()| Pixels::Transparent(dst))
            }
        };
        scaled.map_err(|e| Rejection::Corrupt(format!("resize failed: {e}")))
    }
}
