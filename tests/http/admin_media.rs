//! Uploads: only real images of the accepted kinds, within the limits, stored under their
//! content hash without location metadata, resized, and deleted only when unused.

use crate::support::*;

const PW: &str = "Giấy trắng 2026!";

/// A PNG chunk with its CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut c = kind.to_vec();
    c.extend_from_slice(data);
    out.extend_from_slice(&crc32(&c).to_be_bytes());
    out
}

/// A PNG that says it is 40000 × 40000 pixels, in a few dozen bytes.
fn bomb() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = 40_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&40_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// A JPEG with an EXIF segment that carries GPS tags.
fn jpeg_with_location() -> Vec<u8> {
    let plain = jpeg(400, 300);
    // TIFF (big endian): IFD0 with one entry pointing to a GPS IFD holding a latitude ref.
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend_from_slice(&[
        0x00, 0x01, 0x88, 0x25, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a,
    ]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(&[
        0x00, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, b'N', 0, 0, 0,
    ]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend(tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend(app1);
    out.extend_from_slice(&plain[2..]);
    out
}

async fn editor(app: &TestApp) -> Browser {
    app.add_user("bientap", "editor", PW);
    let mut b = app.login("bientap", PW).await;
    b.get_page("/quan-tri/anh").await;
    b
}

#[tokio::test]
async fn a_real_image_is_stored_cleaned_and_resized() {
    let app = TestApp::start().await;
    let mut b = editor(&app).await;
    let res = b
        .upload(
            "ảnh hội nghị.jpg",
            jpeg_with_location(),
            "Quang cảnh hội nghị",
        )
        .await;
    assert_eq!(res.status(), 303, "uploaded");
    let loc = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let (_, html) = b.get_page(loc.split('?').next().unwrap_or(&loc)).await;
    assert!(html.contains("ảnh hội nghị.jpg") && html.contains("Quang cảnh hội nghị"));
    let src = regex::Regex::new(r#"<img src="(/media/([0-9a-f]{32})\.jpg)""#)
        .expect("regex")
        .captures(&html)
        .expect("the stored original");
    let (path, hash) = (src[1].to_owned(), src[2].to_owned());
    let stored = app.get(&path).await;
    assert_eq!(stored.status(), 200);
    assert!(
        stored.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );
    let bytes = stored.bytes().await.expect("bytes");
    assert_eq!(&bytes[..2], &[0xFF, 0xD8]);
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "location metadata is gone"
    );
    // Resized copies: WebP and JPEG at 320 (the image is 400 wide).
    let webp = app.get(&format!("/media/{hash}-320.webp")).await;
    assert_eq!(webp.status(), 200);
    assert_eq!(webp.headers()["content-type"], "image/webp");
    assert_eq!(
        app.get(&format!("/media/{hash}-320.jpg")).await.status(),
        200
    );
    // The same image again is the same row.
    let again = b.upload("ten-khac.jpg", jpeg_with_location(), "").await;
    assert_eq!(
        again.headers()["location"]
            .to_str()
            .expect("ascii")
            .split('?')
            .next(),
        loc.split('?').next()
    );
}

#[tokio::test]
async fn what_is_not_an_image_is_refused_clearly() {
    let app = TestApp::builder()
        .env("CONG_MEDIA__MAX_BYTES", "300000")
        .start()
        .await;
    let b = editor(&app).await;
    let text = b
        .upload(
            "bao-cao.jpg",
            b"Day khong phai la anh, chi la chu.".to_vec(),
            "",
        )
        .await;
    assert_eq!(text.status(), 415, "a renamed text file");
    assert!(
        text.text()
            .await
            .expect("body")
            .contains("không phải là ảnh")
    );
    let mut truncated = jpeg(800, 600);
    truncated.truncate(truncated.len() / 2);
    let cut = b.upload("cat-doi.jpg", truncated, "").await;
    assert_eq!(cut.status(), 422, "a truncated image");
    let big = b.upload("lon.jpg", vec![0xFF; 400_000], "").await;
    assert_eq!(big.status(), 413, "over the size limit");
    let res = b.upload("bom.png", bomb(), "").await;
    assert_eq!(res.status(), 413, "a decompression bomb");
    assert!(res.text().await.expect("body").contains("triệu điểm ảnh"));
    // The server is fine and nothing was stored.
    assert_eq!(app.get("/").await.status(), 200);
    let (_, lib) = editor_page(&app).await;
    // The demo's ten pictures and its video's poster.
    assert!(lib.contains("<p>11 ảnh.</p>"), "only the demo's images");
}

async fn editor_page(app: &TestApp) -> (u16, String) {
    let mut b = app.login("bientap", PW).await;
    b.get_page("/quan-tri/anh").await
}

#[tokio::test]
async fn an_image_in_use_cannot_be_deleted_an_unused_one_can() {
    let app = TestApp::start().await;
    let mut b = editor(&app).await;
    // Image 1 is in the reference article's gallery.
    let (_, html) = b.get_page("/quan-tri/anh/1").await;
    assert!(
        html.contains("Hội nghị") && !html.contains("Xoá ảnh"),
        "used, so no delete button"
    );
    assert_eq!(b.post("/quan-tri/anh/1/xoa", &[]).await.status(), 409);
    let res = b.upload("moi.jpg", jpeg(500, 400), "").await;
    let loc = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let id = loc
        .trim_start_matches("/quan-tri/anh/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_owned();
    let (_, html) = b.get_page(&format!("/quan-tri/anh/{id}")).await;
    let src = regex::Regex::new(r#"<img src="(/media/[0-9a-f]+\.jpg)""#)
        .expect("regex")
        .captures(&html)
        .expect("src")[1]
        .to_owned();
    // Deleting puts it in the trash: out of the library, its files kept until it is
    // deleted for good there (by an administrator), then gone too.
    assert_eq!(
        b.post(&format!("/quan-tri/anh/{id}/xoa"), &[])
            .await
            .status(),
        303
    );
    let (_, library) = b.get_page("/quan-tri/anh").await;
    assert!(!library.contains(&format!(r#"href="/quan-tri/anh/{id}""#)));
    app.add_user("quantri", "admin", "Quản trị ảnh 2026!");
    let mut admin = app.login("quantri", "Quản trị ảnh 2026!").await;
    admin.get_page("/quan-tri/thung-rac").await;
    let res = admin
        .post(
            "/quan-tri/thung-rac",
            &[("action", "purge"), ("kind", "media"), ("id", &id)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.get(&src).await.status(), 404, "its files are gone too");
}

/// Saves the demo's first static page ("Giới thiệu") with `body`.
async fn save_intro(b: &Browser, body: &str) -> u16 {
    let fields = [
        ("title", "Giới thiệu"),
        ("slug", "gioi-thieu"),
        ("body_html", body),
    ];
    b.post("/quan-tri/trang/1", &fields).await.status().as_u16()
}

#[tokio::test]
async fn an_image_only_a_static_page_shows_stays_out_of_the_trash_until_the_page_lets_go() {
    let app = TestApp::start().await;
    let mut b = editor(&app).await;
    let res = b.upload("so-do.jpg", jpeg(400, 300), "").await;
    let id = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .trim_start_matches("/quan-tri/anh/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_owned();
    let (_, html) = b.get_page(&format!("/quan-tri/anh/{id}")).await;
    let src = regex::Regex::new(r#"<img src="(/media/[0-9a-f]+\.jpg)""#)
        .expect("regex")
        .captures(&html)
        .expect("src")[1]
        .to_owned();
    b.get_page("/quan-tri/trang/1").await;
    let shown = format!(r#"<p>Sơ đồ</p><figure><img src="{src}" alt="Sơ đồ"></figure>"#);
    assert_eq!(
        save_intro(&b, &shown).await,
        303,
        "the page shows the image"
    );
    let (_, html) = b.get_page(&format!("/quan-tri/anh/{id}")).await;
    assert!(
        html.contains(r#"<a href="/quan-tri/trang/1">Giới thiệu</a>"#) && !html.contains("Xoá ảnh"),
        "the page is listed, and there is no delete button"
    );
    let res = b.post(&format!("/quan-tri/anh/{id}/xoa"), &[]).await;
    assert_eq!(res.status(), 409, "an image a page shows is not trashed");
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("Ảnh đang được dùng trong trang «Giới thiệu»")
    );
    b.get_page("/quan-tri/trang/1").await;
    assert_eq!(save_intro(&b, "<p>Không còn ảnh.</p>").await, 303);
    b.get_page(&format!("/quan-tri/anh/{id}")).await;
    let res = b.post(&format!("/quan-tri/anh/{id}/xoa"), &[]).await;
    assert_eq!(res.status(), 303, "no longer used: trashed");
}

#[tokio::test]
async fn public_pages_use_the_resized_images() {
    let app = TestApp::start().await;
    let mut b = editor(&app).await;
    let res = b.upload("anh-lon.jpg", jpeg(1800, 1200), "Ảnh lớn").await;
    let loc = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let id = loc
        .trim_start_matches("/quan-tri/anh/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_owned();
    b.get_page("/quan-tri/bai-viet/moi").await;
    let res = b
        .post(
            "/quan-tri/bai-viet/moi",
            &[
                ("title", "Bài có ảnh lớn"),
                ("section_id", "2"),
                ("body_html", "<p>x</p>"),
                ("cover_media_id", &id),
                ("gallery_title", "Ảnh"),
                ("gallery_media", &id),
                ("gallery_caption", "Chú thích"),
                ("gallery_alt", "Mô tả ảnh lớn"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let art = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let art = art
        .trim_start_matches("/quan-tri/bai-viet/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_owned();
    b.post(&format!("/quan-tri/bai-viet/{art}/xuat-ban"), &[])
        .await;
    let html = app.peek("/bai-viet/bai-co-anh-lon").await;
    assert!(html.contains(r#"type="image/webp""#), "a WebP source");
    for w in [320, 640, 1024, 1600] {
        assert!(html.contains(&format!("-{w}.webp {w}w")), "srcset has {w}w");
    }
    assert!(html.contains("sizes="));
    // Galleries need alt text.
    let res = b
        .post(
            "/quan-tri/bai-viet/moi",
            &[
                ("title", "Thiếu alt"),
                ("section_id", "2"),
                ("gallery_media", &id),
                ("gallery_alt", " "),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("mô tả thay thế"));
}

/// The library's search box finds an image by its caption or name whatever the case and
/// marks typed (the demo's images, named `hoi-nghi-N.jpg`, went through the same upload).
#[tokio::test]
async fn the_library_search_folds_case_and_marks() {
    let app = TestApp::start().await;
    let mut b = editor(&app).await;
    let res = b
        .upload("Hội trường A.jpg", jpeg(400, 300), "Lễ khai mạc")
        .await;
    assert_eq!(res.status(), 303);
    for (q, want) in [
        ("HỘI TRƯỜNG A", "Lễ khai mạc"),
        ("hoi truong a", "Lễ khai mạc"),
        ("LE KHAI", "Lễ khai mạc"),
        ("HỘI NGHỊ 2", "hoi-nghi-2.jpg"),
    ] {
        let url = format!(
            "/quan-tri/anh?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("tim", q)
                .finish()
        );
        let (status, html) = b.get_page(&url).await;
        assert_eq!(status, 200, "{q}");
        assert!(html.contains("<p>1 ảnh.</p>"), "{q:?} finds one image");
        assert!(html.contains(want), "{q:?} finds {want:?}");
    }
    let (_, none) = b.get_page("/quan-tri/anh?tim=kh%C3%B4ng+c%C3%B3").await;
    assert!(none.contains("<p>0 ảnh.</p>"));
}
