//! Test images made in code: photo-like pixels, each format's encoding, hand-built headers.

use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{
    Delay, DynamicImage, Frame, ImageEncoder, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage,
};
use std::io::Cursor;

/// Smooth gradients, a few hard edges and grain: compresses roughly like a photo, unlike a
/// flat fill, and is the same on every run.
pub fn photo(width: u32, height: u32) -> RgbImage {
    let mut noise = 0x2545_f491_u32;
    RgbImage::from_fn(width, height, |x, y| {
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        let grain = (noise % 17) as f32 - 8.0;
        let fx = x as f32 / width as f32;
        let fy = y as f32 / height as f32;
        let sky = fy < 0.45 + 0.08 * (fx * 9.0).sin();
        let base = if sky {
            [90.0 + 80.0 * fy, 140.0 + 60.0 * fy, 220.0 - 40.0 * fx]
        } else {
            let ripple = 30.0 * ((fx * 40.0).sin() * (fy * 25.0).cos());
            [60.0 + 90.0 * fx + ripple, 110.0 + ripple, 50.0 + 40.0 * fy]
        };
        Rgb(base.map(|c| (c + grain).clamp(0.0, 255.0) as u8))
    })
}

/// One colour on the left half, another on the right: shows which way an image was turned.
pub fn halves(width: u32, height: u32, left: [u8; 3], right: [u8; 3]) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| {
        Rgb(if x < width / 2 { left } else { right })
    })
}

pub fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(img)
        .expect("encode JPEG fixture");
    out
}

pub fn png_rgba(img: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgba8,
        )
        .expect("encode PNG fixture");
    out
}

/// A photo with a transparent border: a cut-out, as logos and stickers come.
pub fn cut_out(width: u32, height: u32) -> RgbaImage {
    let photo = photo(width, height);
    RgbaImage::from_fn(width, height, |x, y| {
        let Rgb([r, g, b]) = *photo.get_pixel(x, y);
        let inside = x > width / 8 && x < width * 7 / 8 && y > height / 8 && y < height * 7 / 8;
        Rgba([r, g, b, if inside { 255 } else { 0 }])
    })
}

/// An animated GIF: a red first frame, then a blue one.
pub fn animated_gif(width: u32, height: u32) -> Vec<u8> {
    let frame = |colour: [u8; 4]| {
        Frame::from_parts(
            RgbaImage::from_pixel(width, height, Rgba(colour)),
            0,
            0,
            Delay::from_numer_denom_ms(100, 1),
        )
    };
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        encoder
            .encode_frames([frame([220, 20, 20, 255]), frame([20, 20, 220, 255])])
            .expect("encode GIF fixture");
    }
    out
}

/// Lossy WebP, as cameras, phones and browsers save it.
pub fn webp_lossy(img: &RgbImage) -> Vec<u8> {
    webp::Encoder::from_rgb(img.as_raw(), img.width(), img.height())
        .encode_simple(false, 90.0)
        .expect("encode lossy WebP fixture")
        .to_vec()
}

/// Lossless WebP, from image's own encoder.
pub fn webp_lossless(img: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out)
        .encode(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgba8,
        )
        .expect("encode lossless WebP fixture");
    out
}

pub fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).expect("our own output decodes")
}

pub fn decode_as(bytes: &[u8], format: ImageFormat) -> DynamicImage {
    image::ImageReader::with_format(Cursor::new(bytes), format)
        .decode()
        .expect("our own output decodes")
}

/// A PNG chunk: length, type, data, CRC.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = Vec::with_capacity(data.len() + 12);
    chunk.extend_from_slice(&u32::try_from(data.len()).expect("small").to_be_bytes());
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    chunk
}

/// PNG's CRC-32 (IEEE, reflected), bit by bit: slow, but only for a few bytes.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Inserts `chunk` right after the IHDR chunk of a PNG (8-byte signature + 25-byte IHDR).
pub fn png_with_chunk_after_header(png: &[u8], chunk: &[u8]) -> Vec<u8> {
    let split = 8 + 25;
    let mut out = png[..split].to_vec();
    out.extend_from_slice(chunk);
    out.extend_from_slice(&png[split..]);
    out
}

/// Whether `needle` occurs anywhere in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
