//! Security headers on every response, whatever its status.

use crate::support::*;

#[tokio::test]
async fn every_response_has_the_security_headers() {
    let app = TestApp::start().await;
    let html = app.get("/").await.text().await.expect("body");
    let css = stylesheet(&html);
    let img = regex::Regex::new(r#"src="(/media/[0-9a-f]+\.jpg)""#)
        .expect("regex")
        .captures(&html)
        .expect("img")[1]
        .to_owned();
    for path in [
        "/",
        "/chuyen-muc/van-ban",
        &format!("/bai-viet/{REFERENCE_SLUG}"),
        "/trang/lien-he",
        "/khong-co",
        "/chuyen-muc/van-ban?page=abc",
        &css,
        &img,
    ] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().expect("ascii");
        assert!(csp.contains("default-src 'self'"), "{path}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(csp.contains("script-src 'self'"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert!(h.contains_key("x-request-id"), "{path}");
    }
}

#[tokio::test]
async fn pages_are_compressed_for_clients_that_ask() {
    let app = TestApp::start().await;
    let res = app
        .client()
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
}

/// Static text files are compressed once, after start, and sent in the form the client takes,
/// each form with its own ETag; every form decodes to the same bytes.
#[tokio::test]
async fn static_files_go_out_precompressed() {
    use std::io::Read;
    let app = TestApp::start().await;
    let html = app.get("/").await.text().await.expect("body");
    let css = stylesheet(&html);
    let fetch = |accept: &'static str| {
        let req = app
            .client()
            .get(app.url(&css))
            .header("accept-encoding", accept);
        async move { req.send().await.expect("request") }
    };
    let plain = fetch("identity").await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["vary"], "accept-encoding");
    assert!(
        plain.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );
    let plain_tag = plain.headers()["etag"].clone();
    let plain = plain.bytes().await.expect("body").to_vec();

    let br = fetch("gzip, deflate, br").await;
    assert_eq!(br.headers()["content-encoding"], "br");
    let br_tag = br.headers()["etag"].clone();
    let packed = br.bytes().await.expect("body");
    assert!(
        packed.len() * 3 < plain.len(),
        "brotli saves: {} of {}",
        packed.len(),
        plain.len()
    );
    let mut unpacked = Vec::new();
    brotli::Decompressor::new(&packed[..], 4096)
        .read_to_end(&mut unpacked)
        .expect("brotli");
    assert_eq!(unpacked, plain);

    let gz = fetch("gzip").await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let gz_tag = gz.headers()["etag"].clone();
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&gz.bytes().await.expect("body")[..])
        .read_to_end(&mut unpacked)
        .expect("gzip");
    assert_eq!(unpacked, plain);
    assert!(plain_tag != br_tag && br_tag != gz_tag, "one ETag per form");

    // Revalidation: 304 without a body, whichever form was cached.
    for tag in [&plain_tag, &br_tag, &gz_tag] {
        let res = app
            .client()
            .get(app.url(&css))
            .header("accept-encoding", "br")
            .header("if-none-match", tag.clone())
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 304);
        assert!(res.bytes().await.expect("body").is_empty());
    }
    // q=0 refuses a coding.
    let res = fetch("br;q=0, gzip").await;
    assert_eq!(res.headers()["content-encoding"], "gzip");
}

/// HSTS only when the request came over HTTPS as a trusted proxy says: never on plain HTTP,
/// and never because an untrusted client claims `X-Forwarded-Proto: https`.
#[tokio::test]
async fn hsts_only_behind_a_trusted_https_proxy() {
    let app = TestApp::builder()
        .env("CONG_SERVER__TRUSTED_PROXIES", "127.0.0.1/32")
        .start()
        .await;
    let client = app.client();
    for path in ["/", "/khong-co", "/dang-nhap"] {
        let res = client
            .get(app.url(path))
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .expect("get");
        assert_eq!(
            res.headers()
                .get("strict-transport-security")
                .map(|v| v.to_str().expect("ascii")),
            Some("max-age=31536000"),
            "{path} over HTTPS"
        );
        let plain = app.get(path).await;
        assert!(
            plain.headers().get("strict-transport-security").is_none(),
            "{path} over plain HTTP"
        );
    }
    // The same claim from a peer that is not a trusted proxy is ignored.
    let untrusted = TestApp::start().await;
    let res = untrusted
        .client()
        .get(untrusted.url("/"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("get");
    assert!(res.headers().get("strict-transport-security").is_none());
}
