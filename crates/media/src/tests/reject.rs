//! Uploads that are refused: not images, other formats, damaged files, too big, bombs.

use super::fixtures::{self, png_chunk};
use crate::{Limits, Rejection, process};

fn refuse(bytes: &[u8]) -> Rejection {
    process(bytes, &Limits::default()).expect_err("the upload is refused")
}

fn is_corrupt(r: &Rejection) -> bool {
    matches!(r, Rejection::Corrupt(_))
}

#[test]
fn text_named_jpg_is_not_an_image() {
    // The name never reaches `process`; only the bytes decide.
    let text = "Kính gửi Sở Khoa học và Công nghệ,\nđây là một tệp văn bản đổi tên thành anh.jpg\n";
    assert_eq!(refuse(text.as_bytes()), Rejection::NotAnImage);
}

#[test]
fn other_documents_and_empty_files_are_not_images() {
    assert_eq!(
        refuse(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        Rejection::NotAnImage
    );
    assert_eq!(refuse(b"PK\x03\x04\x14\x00\x06\x00"), Rejection::NotAnImage);
    assert_eq!(refuse(b""), Rejection::NotAnImage);
}

#[test]
fn other_image_formats_are_named_as_unsupported() {
    let cases: [(&[u8], &str); 5] = [
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00", "BMP"),
        (b"II*\x00\x08\x00\x00\x00", "TIFF"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", "AVIF"),
        (
            b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "SVG",
        ),
    ];
    for (bytes, name) in cases {
        assert_eq!(refuse(bytes), Rejection::Unsupported(name.to_owned()));
    }
}

#[test]
fn truncated_files_are_corrupt() {
    let photo = fixtures::photo(300, 200);
    let jpeg = fixtures::jpeg(&photo);
    let png = fixtures::png_rgba(&fixtures::cut_out(300, 200));
    let gif = fixtures::animated_gif(300, 200);
    let webp = fixtures::webp_lossy(&photo);
    // The JPEG decoder itself would pad these with grey; see `jpeg_end`.
    for cut in [jpeg.len() / 2, jpeg.len() - 2] {
        let r = refuse(&jpeg[..cut]);
        assert!(is_corrupt(&r), "JPEG cut at {cut}: {r:?}");
    }
    for (name, bytes) in [("JPEG", jpeg), ("PNG", png), ("GIF", gif), ("WebP", webp)] {
        for cut in [bytes.len() / 2, 40] {
            let r = refuse(&bytes[..cut]);
            assert!(is_corrupt(&r), "{name} cut at {cut}: {r:?}");
        }
    }
}

#[test]
fn damaged_jpeg_is_corrupt() {
    let mut jpeg = fixtures::jpeg(&fixtures::photo(300, 200));
    // Scribble over the tables and the start of the scan.
    for b in &mut jpeg[20..400] {
        *b = 0xff;
    }
    let r = refuse(&jpeg);
    assert!(is_corrupt(&r), "{r:?}");
}

#[test]
fn file_over_max_bytes_is_too_large_whatever_it_contains() {
    let jpeg = fixtures::jpeg(&fixtures::photo(300, 200));
    let limits = Limits {
        max_bytes: 1000,
        ..Limits::default()
    };
    let bytes = u64::try_from(jpeg.len()).expect("small");
    assert_eq!(
        process(&jpeg, &limits),
        Err(Rejection::TooLarge { bytes, max: 1000 })
    );
    // Checked before anything else: not even the format is looked at.
    assert_eq!(
        process(&[b'x'; 1001], &limits),
        Err(Rejection::TooLarge {
            bytes: 1001,
            max: 1000
        })
    );
    assert_eq!(process(&[b'x'; 1000], &limits), Err(Rejection::NotAnImage));
}

#[test]
fn pixel_limit_is_exact() {
    let jpeg = fixtures::jpeg(&fixtures::photo(300, 200));
    let limits = |max_pixels| Limits {
        max_pixels,
        ..Limits::default()
    };
    assert_eq!(
        process(&jpeg, &limits(59_999)),
        Err(Rejection::TooManyPixels {
            width: 300,
            height: 200,
            max: 59_999
        })
    );
    assert!(process(&jpeg, &limits(60_000)).is_ok());
}

const BOMB: Rejection = Rejection::TooManyPixels {
    width: 40_000,
    height: 40_000,
    max: 50_000_000,
};

// The bombs below declare 40000 × 40000 (6.4 GB as RGBA) and carry no pixel data worth the
// name: reaching the decoder would end in `Corrupt`, so `TooManyPixels` shows the header
// check refused them before any pixel buffer was asked for.

#[test]
fn png_bomb_is_refused_from_its_header() {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&40_000u32.to_be_bytes());
    ihdr.extend_from_slice(&40_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA, deflate, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(png_chunk(b"IEND", &[]));
    assert!(png.len() < 100);
    assert_eq!(refuse(&png), BOMB);
}

#[test]
fn gif_bomb_is_refused_from_its_header() {
    assert_eq!(refuse(&gif(40_000, 40_000, 40_000, 40_000)), BOMB);
}

#[test]
fn jpeg_bomb_is_refused_from_its_header() {
    let mut jpeg = fixtures::jpeg(&fixtures::photo(16, 16));
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xff, 0xc0])
        .expect("baseline SOF0");
    // SOF0: marker, length (2), precision (1), height (2), width (2).
    jpeg[sof + 5..sof + 7].copy_from_slice(&40_000u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&40_000u16.to_be_bytes());
    assert_eq!(refuse(&jpeg), BOMB);
}

#[test]
fn gif_frame_larger_than_its_screen_is_stopped_by_the_decoder_limits() {
    // The screen is 16 × 16, so the header check passes; the frame then asks for 6.4 GB.
    let r = refuse(&gif(16, 16, 40_000, 40_000));
    assert!(is_corrupt(&r), "{r:?}");
}

/// A GIF with a `screen` and one `frame`, both declared, with a few bytes of LZW data.
fn gif(screen_w: u16, screen_h: u16, frame_w: u16, frame_h: u16) -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&screen_w.to_le_bytes());
    gif.extend_from_slice(&screen_h.to_le_bytes());
    gif.extend_from_slice(&[0x80, 0, 0]); // global palette of 2 colours, background, aspect
    gif.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    gif.push(0x2c); // image descriptor at 0,0
    gif.extend_from_slice(&[0, 0, 0, 0]);
    gif.extend_from_slice(&frame_w.to_le_bytes());
    gif.extend_from_slice(&frame_h.to_le_bytes());
    gif.push(0);
    gif.extend_from_slice(&[2, 2, 0x4c, 0x01, 0, 0x3b]); // LZW: clear, 0, end; trailer
    gif
}

#[test]
fn every_refusal_speaks_vietnamese() {
    for r in [
        BOMB,
        Rejection::TooLarge {
            bytes: 26_529_792,
            max: 20 * 1024 * 1024,
        },
        Rejection::NotAnImage,
        Rejection::Unsupported("HEIC".to_owned()),
        Rejection::Corrupt("unexpected EOF".to_owned()),
    ] {
        let message = r.to_string();
        assert!(message.starts_with(['T', 'Ả', 'Đ']), "{message}");
        assert!(message.ends_with('.'), "{message}");
        let as_error: &dyn std::error::Error = &r;
        assert_eq!(as_error.to_string(), message);
    }
}
