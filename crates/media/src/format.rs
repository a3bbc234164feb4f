//! Image formats: which ones cong takes, and recognising them from the bytes alone.

use crate::Rejection;
use image::ImageFormat;

/// A format cong reads. Stored originals and fallbacks are only ever `Jpeg` or `Png`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl Format {
    /// File extension, without the dot.
    pub fn ext(&self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Gif => "gif",
        }
    }

    /// Media type for `Content-Type`.
    pub fn mime(&self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Gif => "image/gif",
        }
    }

    pub(crate) fn to_image(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::Webp => ImageFormat::WebP,
            Format::Gif => ImageFormat::Gif,
        }
    }
}

/// Decides the format from the magic numbers; the file name and declared type are never
/// asked, since both are the uploader's word.
pub(crate) fn sniff(bytes: &[u8]) -> Result<Format, Rejection> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(Format::Jpeg),
        Ok(ImageFormat::Png) => Ok(Format::Png),
        Ok(ImageFormat::WebP) => Ok(Format::Webp),
        Ok(ImageFormat::Gif) => Ok(Format::Gif),
        Ok(other) => Err(Rejection::Unsupported(image_format_name(other))),
        // image does not know the formats phones and drawing tools produce most often after
        // ours; naming them tells the editor what to convert.
        Err(_) => match other_image_format(bytes) {
            Some(name) => Err(Rejection::Unsupported(name.to_owned())),
            None => Err(Rejection::NotAnImage),
        },
    }
}

fn image_format_name(format: ImageFormat) -> String {
    match format {
        ImageFormat::Tiff => "TIFF".to_owned(),
        ImageFormat::Bmp => "BMP".to_owned(),
        ImageFormat::Ico => "ICO".to_owned(),
        ImageFormat::Avif => "AVIF".to_owned(),
        ImageFormat::OpenExr => "OpenEXR".to_owned(),
        ImageFormat::Hdr => "HDR".to_owned(),
        ImageFormat::Dds => "DDS".to_owned(),
        ImageFormat::Qoi => "QOI".to_owned(),
        ImageFormat::Pnm => "PNM".to_owned(),
        ImageFormat::Farbfeld => "Farbfeld".to_owned(),
        other => format!("{other:?}").to_uppercase(),
    }
}

fn other_image_format(bytes: &[u8]) -> Option<&'static str> {
    // ISO BMFF: a size, then `ftyp` and the major brand.
    if bytes.get(4..8) == Some(b"ftyp") {
        return match bytes.get(8..12) {
            Some(b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1") => {
                Some("HEIC")
            }
            Some(b"avif" | b"avis") => Some("AVIF"),
            _ => None,
        };
    }
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("<svg") || (text.starts_with("<?xml") && text.contains("<svg")) {
        return Some("SVG");
    }
    if bytes.starts_with(b"8BPS") {
        return Some("PSD");
    }
    None
}
