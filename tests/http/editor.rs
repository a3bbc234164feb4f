//! The rich-text editor's server side: a body with a picture, a table and a YouTube video
//! saved, cleaned and shown; the picture's copies; the video's content security policy only
//! where it plays; the editor's JSON upload and chooser.

use crate::support::*;

const PW: &str = "Đồng hồ cát 2026";

async fn admin(app: &TestApp) -> Browser {
    app.add_user("quantri", "admin", PW);
    let mut b = app.login("quantri", PW).await;
    b.get_page("/quan-tri/bai-viet/moi").await;
    b
}

/// Sends a file to the editor's upload endpoint, the token in the header as editor.js does.
async fn insert(b: &Browser, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    b.client
        .post(b.url("/quan-tri/anh/chen"))
        .header("x-csrf-token", &b.csrf)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload")
}

async fn json(res: reqwest::Response) -> serde_json::Value {
    serde_json::from_str(&res.text().await.expect("body")).expect("json")
}

fn csp(res: &reqwest::Response) -> String {
    res.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

#[tokio::test]
async fn a_picture_a_table_and_a_video_survive_the_save_and_show() {
    let app = TestApp::start().await;
    let mut b = admin(&app).await;
    let res = insert(&b, "khai-mac.jpg", jpeg(1600, 1000)).await;
    assert_eq!(res.status(), 201, "uploaded through the editor");
    let m = json(res).await;
    let src = m["src"].as_str().expect("src").to_owned();
    assert!(src.starts_with("/media/") && src.ends_with(".jpg"), "{m}");
    // The chooser finds it by its name.
    let picks = json(b.get("/quan-tri/anh/chon?q=khai-mac").await).await;
    assert_eq!(picks[0]["src"], src.as_str(), "{picks}");
    assert!(
        picks[0]["thumb"]
            .as_str()
            .is_some_and(|t| t.starts_with("/media/"))
    );

    let body = format!(
        r#"<p>Mở đầu</p><figure class="wide"><img src="{src}" alt="Toàn cảnh lễ khai mạc"><figcaption>Quang cảnh buổi lễ</figcaption></figure><table><tbody><tr><th>Năm</th><th>Lượt khách</th></tr><tr><td>2026</td><td>5.000</td></tr></tbody></table><iframe src="https://www.youtube.com/watch?v=dQw4w9WgXcQ" title="Phóng sự"></iframe>"#
    );
    b.publish("Ngày hội sách 2026", 2, "Tóm tắt", &body).await;
    let page = "/bai-viet/ngay-hoi-sach-2026";
    let res = app.get(page).await;
    assert_eq!(res.status(), 200);
    let policy = csp(&res);
    let html = res.text().await.expect("body");
    let hash = src.trim_start_matches("/media/").trim_end_matches(".jpg");
    assert!(
        html.contains(&format!(
            r#"<source type="image/webp" srcset="/media/{hash}-"#
        )),
        "WebP copies: {html}"
    );
    assert!(html.contains(&format!(r#"<img src="{src}" alt="Toàn cảnh lễ khai mạc""#)));
    assert!(html.contains(&format!(r#"srcset="/media/{hash}-"#)));
    assert!(html.contains("<figure class=\"wide\">"));
    assert!(html.contains("<figcaption>Quang cảnh buổi lễ</figcaption>"));
    assert!(html.contains("<th>Năm</th>") && html.contains("<td>5.000</td>"));
    assert!(
        html.contains(
            r#"<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Phóng sự""#
        ),
        "{html}"
    );
    // The video's page, and only it, may frame the player; the kept copy says so too.
    assert!(
        policy.contains("frame-src 'self' https://www.youtube-nocookie.com"),
        "{policy}"
    );
    let again = app.get(page).await;
    assert_eq!(again.headers()["x-cache"], "hit");
    assert_eq!(csp(&again), policy);
    // The picture is in use now: the library lists the article and keeps the image.
    let id = m["id"].as_i64().expect("id");
    let (_, detail) = b.get_page(&format!("/quan-tri/anh/{id}")).await;
    assert!(
        detail.contains("Ngày hội sách 2026"),
        "usage lists the article"
    );
    let res = b.post(&format!("/quan-tri/anh/{id}/xoa"), &[]).await;
    assert_eq!(res.status(), 409, "an image shown in a body is not deleted");
    for other in ["/", "/trang/gioi-thieu"] {
        let res = app.get(other).await;
        assert_eq!(res.status(), 200, "{other}");
        let p = csp(&res);
        assert!(
            !p.contains("youtube") && !p.contains("frame-src"),
            "{other}: {p}"
        );
    }
}

#[tokio::test]
async fn other_frames_are_removed_and_the_editor_is_told() {
    let app = TestApp::start().await;
    let mut b = admin(&app).await;
    let (status, _) = b.get_page("/quan-tri/trang/1").await;
    assert_eq!(status, 200);
    let res = b
        .post(
            "/quan-tri/trang/1",
            &[
                ("title", "Giới thiệu"),
                ("slug", "gioi-thieu"),
                (
                    "body_html",
                    r#"<p>Bản đồ</p><iframe src="https://maps.example/embed?x=1"></iframe><figure class="huge"><img src="/media/x.jpg" alt="x"></figure>"#,
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "shown again with what was removed");
    let html = res.text().await.expect("body");
    assert!(
        html.contains("khung nhúng &lt;iframe&gt; không phải video YouTube")
            || html.contains("khung nhúng <iframe> không phải video YouTube"),
        "{html}"
    );
    let public = app
        .get("/trang/gioi-thieu")
        .await
        .text()
        .await
        .expect("body");
    assert!(!public.contains("maps.example") && !public.contains("huge"));
    assert!(public.contains("<p>Bản đồ</p>"));
}

#[tokio::test]
async fn the_editor_upload_refuses_what_is_not_an_image_in_vietnamese() {
    let app = TestApp::start().await;
    let b = admin(&app).await;
    let res = insert(&b, "bao-cao.jpg", b"Day khong phai la anh.".to_vec()).await;
    assert_eq!(res.status(), 415);
    let j = json(res).await;
    assert!(
        j["error"]
            .as_str()
            .is_some_and(|e| e.contains("không phải là ảnh")),
        "{j}"
    );
    let res = insert(&b, "rong.png", Vec::new()).await;
    assert_eq!(res.status(), 422);
    // Without the token: refused before the handler.
    let part = reqwest::multipart::Part::bytes(jpeg(10, 10)).file_name("a.jpg");
    let res = b
        .client
        .post(b.url("/quan-tri/anh/chen"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
    // Nobody logged in: the chooser lists nothing.
    let res = app.get("/quan-tri/anh/chon?q=a").await;
    assert!(res.status().is_client_error() || res.status().is_redirection());
}
