//! Uploads that are taken: each input format, the stored format, dimensions, variants, hashes.

use super::fixtures::{self, contains};
use crate::{Format, Limits, Processed, WIDTHS, original_name, process, variant_names};
use image::{GenericImageView, ImageFormat, Rgba, RgbaImage};

fn accept(bytes: &[u8]) -> Processed {
    process(bytes, &Limits::default()).expect("the upload is accepted")
}

/// Every variant decodes to its stated size, in the stated formats, and its WebP is lossy.
fn assert_variants(p: &Processed, widths: &[u32]) {
    let got: Vec<u32> = p.variants.iter().map(|v| v.width).collect();
    assert_eq!(got, widths);
    for v in &p.variants {
        let webp = fixtures::decode_as(&v.webp, ImageFormat::WebP);
        assert_eq!(webp.dimensions(), (v.width, v.height));
        assert!(contains(&v.webp, b"VP8 "), "lossy WebP (VP8), not VP8L");
        assert!(!contains(&v.webp, b"VP8L"));
        assert_eq!(v.fallback_format, p.format);
        let fallback = fixtures::decode_as(&v.fallback, v.fallback_format.to_image());
        assert_eq!(fallback.dimensions(), (v.width, v.height));
    }
}

#[test]
fn jpeg_photo_is_stored_as_jpeg_with_every_width() {
    let p = accept(&fixtures::jpeg(&fixtures::photo(1700, 1100)));
    assert_eq!(p.format, Format::Jpeg);
    assert_eq!((p.width, p.height), (1700, 1100));
    assert_eq!(
        fixtures::decode_as(&p.original, ImageFormat::Jpeg).dimensions(),
        (1700, 1100)
    );
    assert_variants(&p, &WIDTHS);
    let heights: Vec<u32> = p.variants.iter().map(|v| v.height).collect();
    assert_eq!(heights, [207, 414, 663, 1035]);
}

#[test]
fn png_with_alpha_stays_png_and_keeps_its_transparency() {
    let p = accept(&fixtures::png_rgba(&fixtures::cut_out(800, 600)));
    assert_eq!(p.format, Format::Png);
    assert_eq!((p.width, p.height), (800, 600));
    assert_variants(&p, &[320, 640]);
    let original = fixtures::decode_as(&p.original, ImageFormat::Png);
    assert_eq!(original.get_pixel(0, 0).0[3], 0, "corner stays transparent");
    assert_eq!(original.get_pixel(400, 300).0[3], 255);
    for v in &p.variants {
        assert!(
            contains(&v.webp, b"ALPH"),
            "lossy WebP carries an alpha chunk"
        );
        let corner = fixtures::decode_as(&v.webp, ImageFormat::WebP).get_pixel(0, 0);
        assert_eq!(corner.0[3], 0);
    }
}

#[test]
fn png_whose_alpha_is_all_opaque_is_stored_as_jpeg() {
    let opaque = RgbaImage::from_fn(400, 300, |x, y| {
        Rgba([(x % 256) as u8, (y % 256) as u8, 90, 255])
    });
    let p = accept(&fixtures::png_rgba(&opaque));
    assert_eq!(p.format, Format::Jpeg);
    assert_variants(&p, &[320]);
}

#[test]
fn animated_gif_keeps_its_first_frame_as_jpeg() {
    let p = accept(&fixtures::animated_gif(500, 400));
    assert_eq!(p.format, Format::Jpeg);
    assert_eq!((p.width, p.height), (500, 400));
    assert_variants(&p, &[320]);
    let [r, _, b, _] = fixtures::decode(&p.original).get_pixel(250, 200).0;
    assert!(r > 180 && b < 60, "the red first frame, got r={r} b={b}");
}

#[test]
fn lossy_webp_is_stored_as_jpeg() {
    let p = accept(&fixtures::webp_lossy(&fixtures::photo(1100, 700)));
    assert_eq!(p.format, Format::Jpeg);
    assert_eq!((p.width, p.height), (1100, 700));
    assert_variants(&p, &[320, 640, 1024]);
}

#[test]
fn lossless_webp_with_alpha_is_stored_as_png() {
    let p = accept(&fixtures::webp_lossless(&fixtures::cut_out(700, 500)));
    assert_eq!(p.format, Format::Png);
    assert_eq!((p.width, p.height), (700, 500));
    assert_variants(&p, &[320, 640]);
}

#[test]
fn jpeg_with_bytes_after_its_end_is_accepted() {
    // Phones append videos (Motion Photos) and maker trailers after the EOI marker.
    let mut upload = fixtures::jpeg(&fixtures::photo(400, 300));
    upload.extend_from_slice(b"\0\0\0\x18ftypmp42 trailing video");
    let p = accept(&upload);
    assert_eq!((p.width, p.height), (400, 300));
}

#[test]
fn narrow_image_gets_one_variant_at_its_own_width() {
    let p = accept(&fixtures::jpeg(&fixtures::photo(100, 80)));
    assert_eq!((p.width, p.height), (100, 80));
    assert_variants(&p, &[100]);
    assert_eq!(p.variants[0].height, 80);
}

#[test]
fn hash_is_stable_and_tells_images_apart() {
    let upload = fixtures::jpeg(&fixtures::photo(400, 300));
    let first = accept(&upload);
    let again = accept(&upload);
    assert_eq!(first.hash, again.hash);
    assert_eq!(first.original, again.original);

    let other = accept(&fixtures::jpeg(&fixtures::photo(401, 300)));
    assert_ne!(first.hash, other.hash);

    assert_eq!(first.hash.len(), 32);
    assert!(
        first
            .hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert!(
        blake3::hash(&first.original)
            .to_hex()
            .starts_with(&first.hash)
    );
}

#[test]
fn names_follow_the_hash_and_format() {
    let p = accept(&fixtures::png_rgba(&fixtures::cut_out(700, 500)));
    assert_eq!(original_name(&p.hash, p.format), format!("{}.png", p.hash));
    let (webp, fallback) = variant_names(&p.hash, &p.variants[1]);
    assert_eq!(webp, format!("{}-640.webp", p.hash));
    assert_eq!(fallback, format!("{}-640.png", p.hash));
    assert_eq!(original_name("ab", Format::Jpeg), "ab.jpg");
}

#[test]
fn formats_have_their_extension_and_media_type() {
    let all = [Format::Jpeg, Format::Png, Format::Webp, Format::Gif];
    let ext: Vec<&str> = all.iter().map(Format::ext).collect();
    let mime: Vec<&str> = all.iter().map(Format::mime).collect();
    assert_eq!(ext, ["jpg", "png", "webp", "gif"]);
    assert_eq!(mime, ["image/jpeg", "image/png", "image/webp", "image/gif"]);
}

#[test]
fn debug_output_shows_sizes_not_bytes() {
    let p = accept(&fixtures::jpeg(&fixtures::photo(100, 80)));
    let shown = format!("{p:?}");
    assert!(
        shown.contains(&format!("<{} bytes>", p.original.len())),
        "{shown}"
    );
    assert!(shown.len() < 500);
}
