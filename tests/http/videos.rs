//! Videos: uploaded through the library's form (with its poster) and the editor's JSON
//! endpoint, refused when they are not real MP4/WebM, played in an article through the
//! browser's own player, served by ranges and never recompressed, listed in the public video
//! library with YouTube ones, and kept while an article plays them.

use crate::support::*;

const PW: &str = "Đồng hồ cát 2026";
const WEBM: &[u8] = include_bytes!("../../crates/media/src/tests/data/clip.webm");
const MP4: &[u8] = include_bytes!("../../crates/media/src/tests/data/clip.mp4");

async fn admin(app: &TestApp) -> Browser {
    app.add_user("quantri", "admin", PW);
    let mut b = app.login("quantri", PW).await;
    b.get_page("/quan-tri/video").await;
    b
}

fn file(name: &str, bytes: &[u8]) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned())
}

/// The library's form: the token first, then the video, its title and its poster.
async fn upload_form(
    b: &Browser,
    video: (&str, &[u8]),
    title: &str,
    poster: Option<Vec<u8>>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", b.csrf.clone())
        .part("file", file(video.0, video.1))
        .text("title", title.to_owned());
    if let Some(p) = poster {
        form = form.part("poster", file("khung.jpg", &p));
    }
    b.client
        .post(b.url("/quan-tri/video/tai-len"))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

async fn json(res: reqwest::Response) -> serde_json::Value {
    serde_json::from_str(&res.text().await.expect("body")).expect("json")
}

#[tokio::test]
async fn a_video_is_checked_stored_played_served_by_ranges_and_listed() {
    let app = TestApp::start().await;
    let mut b = admin(&app).await;
    let (status, page) = b.get_page("/quan-tri/video").await;
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"action="/quan-tri/video/tai-len""#),
        "{page}"
    );

    // Not a video: a picture renamed, sound alone. Refused, with why, and nothing stored.
    let res = upload_form(&b, ("hop-bao.mp4", &jpeg(64, 48)), "Giả", None).await;
    assert_eq!(res.status(), 415, "a JPEG named .mp4");
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("không phải là video MP4 hoặc WebM")
    );
    let cut = &WEBM[..WEBM.len() / 2];
    let res = upload_form(&b, ("cat-doi.webm", cut), "Cắt", None).await;
    assert_eq!(res.status(), 422, "a cut file");
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("bị hỏng hoặc không đầy đủ")
    );
    let (_, page) = b.get_page("/quan-tri/video").await;
    assert!(
        page.contains("<p>1 video.</p>"),
        "nothing stored but the demo's: {page}"
    );

    // A real WebM with a poster through the form.
    let res = upload_form(
        &b,
        ("hop-bao.webm", WEBM),
        "Họp báo quý IV",
        Some(jpeg(320, 180)),
    )
    .await;
    assert_eq!(res.status(), 303, "stored");
    let detail = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(detail.starts_with("/quan-tri/video/"), "{detail}");
    let (status, page) = b.get_page(&detail).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Họp báo quý IV") && page.contains("VP9") && page.contains("0:02"),
        "{page}"
    );
    assert!(page.contains("160 × 90"), "{page}");

    // An MP4 through the editor's endpoint, without a poster; the chooser finds both.
    let res = b
        .client
        .post(b.url("/quan-tri/video/chen"))
        .header("x-csrf-token", &b.csrf)
        .multipart(
            reqwest::multipart::Form::new()
                .part("file", file("phong-su.mp4", MP4))
                .text("title", "Phóng sự đồng bằng"),
        )
        .send()
        .await
        .expect("insert");
    assert_eq!(res.status(), 201);
    let mp4 = json(res).await;
    let mp4_src = mp4["src"].as_str().expect("src").to_owned();
    assert!(mp4_src.ends_with(".mp4") && mp4["poster"] == "", "{mp4}");
    let res = b
        .client
        .post(b.url("/quan-tri/video/chen"))
        .header("x-csrf-token", &b.csrf)
        .multipart(reqwest::multipart::Form::new().part("file", file("x.mp4", b"ftypnot really")))
        .send()
        .await
        .expect("insert");
    assert_eq!(res.status(), 415);
    assert!(
        json(res).await["error"]
            .as_str()
            .is_some_and(|e| e.contains("MP4"))
    );
    let picks = json(b.get("/quan-tri/video/chon?q=hop bao").await).await;
    assert_eq!(picks.as_array().map(Vec::len), Some(1), "{picks}");
    let webm_src = picks[0]["src"].as_str().expect("src").to_owned();
    let poster = picks[0]["poster"].as_str().expect("poster").to_owned();
    assert!(
        webm_src.ends_with(".webm") && poster.ends_with(".jpg"),
        "{picks}"
    );
    assert_eq!(
        json(b.get("/quan-tri/video/chon?q=").await)
            .await
            .as_array()
            .map(Vec::len),
        Some(3),
        "with the demo's"
    );
    // The back office may play a chosen file to draw its poster (blob:), the public site not.
    let res = b.get("/quan-tri/video").await;
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
            .contains("media-src 'self' blob:")
    );

    // A video from elsewhere or with attributes of its own: the editor is told what went.
    b.get_page("/quan-tri/bai-viet/moi").await;
    let hostile = format!(
        r#"<video src="{webm_src}" autoplay onplay="x()"></video><video src="https://evil.example/a.mp4"></video>"#
    );
    let res = b
        .post(
            "/quan-tri/bai-viet/moi",
            &[
                ("title", "Thử video"),
                ("section_id", "2"),
                ("summary", "T"),
                ("body_html", &hostile),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "saved, and shown again with what was removed"
    );
    let warned = res.text().await.expect("body");
    assert!(
        warned.contains("thuộc tính autoplay") && warned.contains("thuộc tính onplay"),
        "{warned}"
    );

    // An article plays both and a YouTube video, as the editor writes them.
    let body = format!(
        r#"<p>Mở đầu</p><figure><video src="{webm_src}" poster="{poster}" title="Họp báo quý IV" controls="" preload="metadata"></video><figcaption>Họp báo quý IV</figcaption></figure><figure><video src="{mp4_src}" controls="" preload="metadata"></video></figure><iframe src="https://youtu.be/dQw4w9WgXcQ" title="Clip"></iframe>"#
    );
    let id = b.publish("Họp báo cuối năm", 2, "Tóm tắt", &body).await;
    let res = app.get("/bai-viet/hop-bao-cuoi-nam").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    assert!(
        html.contains(&format!(
            r#"<video src="{webm_src}" poster="{poster}" title="Họp báo quý IV" controls="" preload="metadata"><a href="{webm_src}">Tải video</a></video>"#
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        r#"<video src="{mp4_src}" controls="" preload="metadata">"#
    )));
    assert_eq!(html.matches("<video").count(), 2);

    // Played by ranges, as stored: never compressed, whatever the browser accepts.
    let res = app
        .client()
        .get(app.url(&webm_src))
        .header("range", "bytes=0-99")
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .expect("range");
    assert_eq!(res.status(), 206);
    assert_eq!(res.headers()["content-type"], "video/webm");
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes 0-99/{}", WEBM.len()).as_str()
    );
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), &WEBM[..100]);

    // The video library: the article once, its first video's title and poster, three videos.
    let res = app.get("/video").await;
    assert_eq!(res.status(), 200);
    let lib = res.text().await.expect("body");
    assert!(
        lib.contains("Họp báo quý IV") && lib.contains("3 video · Họp báo cuối năm"),
        "{lib}"
    );
    assert!(lib.contains("/bai-viet/hop-bao-cuoi-nam"));
    let poster_hash = poster
        .trim_start_matches("/media/")
        .trim_end_matches(".jpg");
    assert!(
        lib.contains(poster_hash),
        "the poster as the card's picture: {lib}"
    );
    assert_eq!(app.get("/video?page=2").await.status(), 404);
    assert_eq!(app.get("/video?page=x").await.status(), 400);

    // Played by an article: the detail page says so and offers no delete.
    let (_, page) = b.get_page(&detail).await;
    assert!(
        page.contains("Họp báo cuối năm") && !page.contains("/xoa\""),
        "{page}"
    );

    // Taken down: gone from the library.
    let res = b
        .post(&format!("/quan-tri/bai-viet/{id}/go-xuong"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let lib = app.get("/video").await.text().await.expect("body");
    assert!(
        !lib.contains("Họp báo cuối năm") && lib.contains("Quang cảnh sự kiện"),
        "{lib}"
    );
}

/// A video goes to the trash like an image: refused while an article plays it, out of the
/// library and the chooser once there, restored, then deleted for good with its file.
#[tokio::test]
async fn a_video_goes_through_the_trash_and_its_file_with_it() {
    let app = TestApp::start().await;
    let mut b = admin(&app).await;
    let res = upload_form(&b, ("hop-bao.webm", WEBM), "Họp báo", None).await;
    assert_eq!(res.status(), 303);
    let detail = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let id: i64 = detail
        .trim_start_matches("/quan-tri/video/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let src = json(b.get("/quan-tri/video/chon?q=hop").await).await[0]["src"]
        .as_str()
        .expect("src")
        .to_owned();
    let (_, page) = b.get_page(&format!("/quan-tri/video/{id}")).await;
    assert!(
        page.contains(&format!(r#"action="/quan-tri/video/{id}/xoa""#)),
        "unused: deletable"
    );

    // Played by an article: refused, with the article's title.
    let article = b
        .publish(
            "Bản tin video",
            2,
            "T",
            &format!(
                r#"<figure><video src="{src}" controls="" preload="metadata"></video></figure>"#
            ),
        )
        .await;
    let res = b.post(&format!("/quan-tri/video/{id}/xoa"), &[]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.expect("body").contains("Bản tin video"));

    // Once the article no longer plays it: to the trash, out of the library and the chooser.
    let res = b
        .post(&format!("/quan-tri/bai-viet/{article}/xoa"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let res = b
        .post(
            "/quan-tri/thung-rac",
            &[
                ("action", "purge"),
                ("kind", "article"),
                ("id", &article.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "the article deleted for good");
    let res = b.post(&format!("/quan-tri/video/{id}/xoa"), &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        json(b.get("/quan-tri/video/chon?q=hop").await).await,
        serde_json::json!([])
    );
    let (_, trash) = b.get_page("/quan-tri/thung-rac").await;
    assert!(
        trash.contains("Video") && trash.contains("Họp báo"),
        "{trash}"
    );

    // Restored, then deleted for good: the row and the file.
    let id_s = id.to_string();
    let res = b
        .post(
            "/quan-tri/thung-rac",
            &[("action", "restore"), ("kind", "video"), ("id", &id_s)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        json(b.get("/quan-tri/video/chon?q=hop").await)
            .await
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        b.post(&format!("/quan-tri/video/{id}/xoa"), &[])
            .await
            .status(),
        303
    );
    let res = b
        .post(
            "/quan-tri/thung-rac",
            &[("action", "purge"), ("kind", "video"), ("id", &id_s)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(b.get(&format!("/quan-tri/video/{id}")).await.status(), 404);
    assert_eq!(app.get(&src).await.status(), 404, "its file is gone");
}
