//! Demo images, painted by code (nothing is downloaded): a conference hall seen from a few
//! angles for the reference gallery, and a few covers for the lists; and one short video (a
//! test pattern, the only file not made here) with a painted poster. Stored through the
//! media library like uploads: checked, resized, named by the hash of their bytes.

use cong_domain::media::MediaLibrary;
use cong_media::Limits;
use cong_store::SiteId;
use cong_store::Store;
use image::{ImageBuffer, Rgb, RgbImage};
use std::path::Path;

/// Media ids of what was stored.
#[derive(Debug, Clone)]
pub struct DemoMedia {
    /// The reference gallery, in order.
    pub gallery: Vec<i64>,
    /// Covers used round-robin by the other articles.
    pub covers: Vec<i64>,
    /// The demo video as one article's body shows it (`<figure><video …>`).
    pub video_html: String,
}

/// A three-second WebM of colour bars (see data/README).
const DEMO_VIDEO: &[u8] = include_bytes!("../data/quang-canh.webm");

fn blend(a: [u8; 3], b: [u8; 3], t: f32) -> Rgb<u8> {
    let mix = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Rgb([mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2])])
}

fn fill(img: &mut RgbImage, x0: u32, y0: u32, x1: u32, y1: u32, c: Rgb<u8>) {
    for y in y0..y1.min(img.height()) {
        for x in x0..x1.min(img.width()) {
            img.put_pixel(x, y, c);
        }
    }
}

fn ellipse(img: &mut RgbImage, cx: i64, cy: i64, rx: i64, ry: i64, c: Rgb<u8>) {
    for y in (cy - ry).max(0)..(cy + ry).min(i64::from(img.height())) {
        for x in (cx - rx).max(0)..(cx + rx).min(i64::from(img.width())) {
            let (dx, dy) = ((x - cx) as f32 / rx as f32, (y - cy) as f32 / ry as f32);
            if dx * dx + dy * dy <= 1.0 {
                img.put_pixel(x as u32, y as u32, c);
            }
        }
    }
}

/// A hall: wall, a red banner over a stage, a table, rows of seated people.
fn hall(w: u32, h: u32, variant: u32) -> RgbImage {
    let wall_top = [
        [222, 214, 196],
        [205, 214, 226],
        [230, 222, 205],
        [214, 205, 190],
    ][variant as usize % 4];
    let mut img: RgbImage = ImageBuffer::from_fn(w, h, |_, y| {
        blend(wall_top, [150, 140, 128], y as f32 / h as f32)
    });
    let stage_h = h * 45 / 100;
    // Banner with a gold border.
    let (bx0, bx1) = (w / 8 + variant * 12, w * 7 / 8 - variant * 12);
    fill(
        &mut img,
        bx0,
        h / 12,
        bx1,
        stage_h * 2 / 3,
        Rgb([176, 22, 32]),
    );
    fill(&mut img, bx0, h / 12, bx1, h / 12 + 4, Rgb([236, 196, 64]));
    fill(
        &mut img,
        bx0 + w / 10,
        h / 6,
        bx1 - w / 10,
        h / 6 + h / 28,
        Rgb([246, 214, 96]),
    );
    fill(
        &mut img,
        bx0 + w / 6,
        h / 6 + h / 18,
        bx1 - w / 6,
        h / 6 + h / 18 + h / 40,
        Rgb([246, 214, 96]),
    );
    // Stage floor and table with a blue cloth.
    fill(
        &mut img,
        0,
        stage_h,
        w,
        stage_h + h / 20,
        Rgb([120, 82, 52]),
    );
    fill(
        &mut img,
        w / 4,
        stage_h - h / 14,
        w * 3 / 4,
        stage_h,
        Rgb([28, 64, 140]),
    );
    for i in 0..5 {
        let cx = i64::from(w / 4 + w / 10 + i * w / 10);
        ellipse(
            &mut img,
            cx,
            i64::from(stage_h - h / 11),
            i64::from(w / 60),
            i64::from(h / 32),
            Rgb([40, 34, 30]),
        );
    }
    // Rows of the audience, darker and larger towards the camera.
    let rows = 5 + variant % 3;
    for r in 0..rows {
        let t = r as f32 / rows as f32;
        let y = stage_h + h / 12 + (t * (h - stage_h - h / 8) as f32) as u32;
        let size = 10.0 + 16.0 * t;
        let step = (size * 2.6) as u32;
        let shirt = blend(
            [236, 236, 240],
            [60, 72, 110],
            (r + variant) as f32 % 3.0 / 3.0,
        );
        let mut x = (r * 7 + variant * 5) % step;
        while x < w {
            ellipse(
                &mut img,
                i64::from(x),
                i64::from(y) + (size * 1.6) as i64,
                (size * 1.1) as i64,
                (size * 1.2) as i64,
                shirt,
            );
            ellipse(
                &mut img,
                i64::from(x),
                i64::from(y),
                (size * 0.7) as i64,
                (size * 0.8) as i64,
                Rgb([34, 28, 26]),
            );
            x += step;
        }
    }
    img
}

/// A cover: a sky-to-field gradient with a few buildings, in one of several palettes.
fn cover(w: u32, h: u32, variant: u32) -> RgbImage {
    let palettes = [
        ([38, 94, 170], [238, 218, 170]),
        ([24, 120, 110], [220, 236, 200]),
        ([120, 60, 140], [250, 214, 190]),
        ([200, 90, 40], [250, 236, 190]),
        ([30, 60, 90], [190, 210, 230]),
        ([60, 130, 60], [230, 240, 180]),
    ];
    let (top, bottom) = palettes[variant as usize % palettes.len()];
    let mut img: RgbImage =
        ImageBuffer::from_fn(w, h, |_, y| blend(top, bottom, y as f32 / h as f32));
    let ground = h * 3 / 4;
    fill(&mut img, 0, ground, w, h, Rgb([70, 110, 60]));
    let mut x = variant * 17 % 40;
    let mut i = 0;
    while x < w {
        let bh = h / 6 + ((i * 37 + variant * 11) % 5) * h / 14;
        let bw = w / 12 + (i * 13 % 3) * w / 40;
        fill(
            &mut img,
            x,
            ground - bh,
            x + bw,
            ground,
            Rgb([236, 232, 224]),
        );
        let mut wy = ground - bh + 8;
        while wy + 8 < ground {
            let mut wx = x + 6;
            while wx + 8 < x + bw {
                fill(&mut img, wx, wy, wx + 6, wy + 6, Rgb([90, 120, 160]));
                wx += 12;
            }
            wy += 14;
        }
        x += bw + w / 30;
        i += 1;
    }
    img
}

fn jpeg(img: &RgbImage) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82).encode_image(img)?;
    Ok(out)
}

/// Stores a painted image like an upload: checked, resized, named by its hash.
async fn store_jpeg(library: &MediaLibrary, img: &RgbImage, name: &str) -> anyhow::Result<i64> {
    Ok(library
        .upload(SiteId::FIRST, None, jpeg(img)?, name, "")
        .await?)
}

pub async fn seed(store: &Store, dir: &Path) -> anyhow::Result<DemoMedia> {
    let library = MediaLibrary::new(store.clone(), dir.to_owned(), Limits::default());
    let mut gallery = Vec::new();
    for v in 0..4 {
        gallery.push(
            store_jpeg(
                &library,
                &hall(960, 640, v),
                &format!("hoi-nghi-{}.jpg", v + 1),
            )
            .await?,
        );
    }
    let mut covers = Vec::new();
    for v in 0..6 {
        covers.push(
            store_jpeg(
                &library,
                &cover(480, 320, v),
                &format!("anh-bia-{}.jpg", v + 1),
            )
            .await?,
        );
    }
    let video = library
        .upload_video(
            SiteId::FIRST,
            None,
            cong_domain::media::videos::VideoUpload {
                bytes: DEMO_VIDEO.to_vec(),
                original_name: "quang-canh-su-kien.webm".to_owned(),
                title: "Quang cảnh sự kiện".to_owned(),
                poster: Some((
                    "quang-canh-su-kien.jpg".to_owned(),
                    jpeg(&hall(640, 360, 2))?,
                )),
            },
        )
        .await?;
    let v = library.find_video(SiteId::FIRST, video).await?;
    let poster = v
        .poster_file
        .as_deref()
        .map(|f| format!(r#" poster="/media/{f}""#))
        .unwrap_or_default();
    let video_html = format!(
        r#"<figure><video src="/media/{}"{poster} title="{}" controls preload="metadata"></video><figcaption>{}</figcaption></figure>"#,
        v.file_name, v.title, v.title
    );
    Ok(DemoMedia {
        gallery,
        covers,
        video_html,
    })
}
