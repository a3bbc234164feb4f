//! Metadata: nothing of EXIF, GPS, XMP or comments survives, and the EXIF orientation is applied.

use super::fixtures::{self, contains};
use super::jpeg_segments::{self as seg, Exif};
use crate::{Format, Limits, Processed, process};
use image::GenericImageView;

/// Every file `process` hands back: the original, then each variant's WebP and fallback.
fn outputs(p: &Processed) -> Vec<&[u8]> {
    let mut all = vec![p.original.as_slice()];
    for v in &p.variants {
        all.push(&v.webp);
        all.push(&v.fallback);
    }
    all
}

/// The bytes that identify the metadata we planted.
fn planted() -> [&'static [u8]; 9] {
    [
        b"Exif",
        &seg::LATITUDE,
        &seg::LONGITUDE,
        seg::DATUM,
        seg::DESCRIPTION,
        b"http://ns.adobe.com/xap",
        b"GPSLatitude",
        seg::XMP_SECRET,
        seg::COMMENT,
    ]
}

#[test]
fn exif_gps_xmp_and_comments_are_stripped() {
    let jpeg = fixtures::jpeg(&fixtures::photo(900, 600));
    let upload = seg::with_segments(
        &jpeg,
        &[
            seg::exif_segment(&Exif {
                orientation: 1,
                gps: true,
            }),
            seg::xmp_segment(),
            seg::comment_segment(),
        ],
    );
    for marker in planted() {
        assert!(contains(&upload, marker), "the fixture carries {marker:?}");
    }

    let p = process(&upload, &Limits::default()).expect("accepted");
    assert_eq!((p.width, p.height), (900, 600));
    assert_eq!(p.variants.len(), 2);
    for (i, file) in outputs(&p).into_iter().enumerate() {
        for marker in planted() {
            assert!(
                !contains(file, marker),
                "output {i} still carries {:?}",
                String::from_utf8_lossy(marker)
            );
        }
        assert!(!contains(file, b"XMP "), "no WebP XMP chunk in output {i}");
        assert!(!contains(file, b"EXIF"), "no WebP EXIF chunk in output {i}");
    }
}

#[test]
fn png_text_chunks_are_stripped() {
    let png = fixtures::png_rgba(&fixtures::cut_out(400, 300));
    let text = fixtures::png_chunk(b"tEXt", b"Comment\0cong-secret-comment");
    let upload = fixtures::png_with_chunk_after_header(&png, &text);
    assert!(contains(&upload, seg::COMMENT));

    let p = process(&upload, &Limits::default()).expect("accepted");
    assert_eq!(p.format, Format::Png);
    for file in outputs(&p) {
        assert!(!contains(file, seg::COMMENT));
        assert!(!contains(file, b"tEXt"));
    }
}

#[test]
fn orientation_6_turns_the_image_upright() {
    let red = [230, 20, 20];
    let blue = [20, 20, 230];
    let jpeg = fixtures::jpeg(&fixtures::halves(300, 200, red, blue));
    let upload = seg::with_segments(
        &jpeg,
        &[seg::exif_segment(&Exif {
            orientation: 6,
            gps: true,
        })],
    );

    let p = process(&upload, &Limits::default()).expect("accepted");
    assert_eq!((p.width, p.height), (200, 300));
    assert_eq!(p.variants.len(), 1);
    assert_eq!((p.variants[0].width, p.variants[0].height), (200, 300));

    // Orientation 6 means "rotate 90° clockwise to view": the left half ends up on top.
    let upright = fixtures::decode(&p.original);
    assert_eq!(upright.dimensions(), (200, 300));
    let top = upright.get_pixel(100, 60).0;
    let bottom = upright.get_pixel(100, 240).0;
    assert!(top[0] > 180 && top[2] < 80, "top is red: {top:?}");
    assert!(
        bottom[2] > 180 && bottom[0] < 80,
        "bottom is blue: {bottom:?}"
    );
    for file in outputs(&p) {
        assert!(
            !contains(file, b"Exif"),
            "no orientation left to apply twice"
        );
    }
}

#[test]
fn orientation_1_leaves_the_image_as_it_is() {
    let jpeg = fixtures::jpeg(&fixtures::photo(300, 200));
    let upload = seg::with_segments(
        &jpeg,
        &[seg::exif_segment(&Exif {
            orientation: 1,
            gps: false,
        })],
    );
    let p = process(&upload, &Limits::default()).expect("accepted");
    assert_eq!((p.width, p.height), (300, 200));
}
