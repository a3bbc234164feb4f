//! How long `process` takes and how big its files are; printed, never asserted.

// cargo test -p cong-media --release -- --ignored --nocapture timing
// (CONG_MEDIA_SAMPLE=photo.jpg adds a real photo to the synthetic one; the synthetic grain
// compresses worse than a real photo, so both are worth a look.)

use super::fixtures;
use crate::pixels::Pixels;
use crate::resize::Scaler;
use crate::{Format, Limits, decode, encode, process};
use std::time::{Duration, Instant};

#[test]
#[ignore = "a measurement: run in release with --nocapture"]
fn timing() {
    report(
        "synthetic photo 2000×1500",
        &fixtures::jpeg(&fixtures::photo(2000, 1500)),
    );
    if let Ok(path) = std::env::var("CONG_MEDIA_SAMPLE") {
        let bytes = std::fs::read(&path).expect("read CONG_MEDIA_SAMPLE");
        report(&path, &bytes);
    }
}

fn report(name: &str, upload: &[u8]) {
    const RUNS: u32 = 5;
    let limits = Limits::default();
    let mut total = Duration::ZERO;
    let mut processed = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        processed = Some(process(upload, &limits).expect("accepted"));
        total += start.elapsed();
    }
    let p = processed.expect("ran at least once");
    println!("\n{name}: {} KB upload", upload.len() / 1024);
    println!(
        "  process: {:.0} ms (mean of {RUNS}) -> {}×{} {:?}, original {} KB",
        ms(total / RUNS),
        p.width,
        p.height,
        p.format,
        p.original.len() / 1024
    );

    let start = Instant::now();
    let image = decode::decode(upload, Format::Jpeg, &limits).expect("decodes");
    let decoded = start.elapsed();
    let start = Instant::now();
    let pixels = Pixels::from_image(image);
    let normalised = start.elapsed();
    let start = Instant::now();
    let _ = encode::jpeg_or_png(&pixels).expect("encodes");
    let original = start.elapsed();
    println!(
        "  stages: decode {:.0} ms, normalise {:.0} ms, encode original {:.0} ms",
        ms(decoded),
        ms(normalised),
        ms(original),
    );

    let mut scaler = Scaler::new();
    for v in &p.variants {
        let start = Instant::now();
        let scaled = scaler.scale(&pixels, v.width, v.height).expect("scales");
        let resized = start.elapsed();
        let start = Instant::now();
        let _ = encode::webp(&scaled).expect("encodes");
        let webp = start.elapsed();
        let start = Instant::now();
        let _ = encode::jpeg_or_png(&scaled).expect("encodes");
        let fallback = start.elapsed();
        println!(
            "  {:>4}×{:<4} webp {:>6} B  {:?} {:>7} B  ({:.0}%)   resize {:.1} ms, webp {:.1} ms, {:?} {:.1} ms",
            v.width,
            v.height,
            v.webp.len(),
            v.fallback_format,
            v.fallback.len(),
            100.0 * v.webp.len() as f64 / v.fallback.len() as f64,
            ms(resized),
            ms(webp),
            v.fallback_format,
            ms(fallback),
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
