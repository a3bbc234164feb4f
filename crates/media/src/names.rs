//! The file names under which the caller stores an original and its variants.

use crate::{Format, Variant};

/// `"{hash}.{ext}"`, e.g. `3f…a9.jpg`. `hash` is [`crate::Processed::hash`].
pub fn original_name(hash: &str, format: Format) -> String {
    format!("{hash}.{}", format.ext())
}

/// `("{hash}-{width}.webp", "{hash}-{width}.{ext}")`: the WebP and the fallback of a variant.
pub fn variant_names(hash: &str, v: &Variant) -> (String, String) {
    (
        format!("{hash}-{}.webp", v.width),
        format!("{hash}-{}.{}", v.width, v.fallback_format.ext()),
    )
}
