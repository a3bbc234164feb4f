//! Every public page: what a reader sees.

use crate::support::*;
use regex::Regex;

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[tokio::test]
async fn home_has_menu_widget_login_and_latest_articles() {
    let app = TestApp::start().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    let html = res.text().await.expect("body");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
    for item in [
        "Giới thiệu",
        "Tin tức - Sự kiện",
        "Cải cách hành chính",
        "Khoa học - Công nghệ",
        "Văn bản",
        "Liên hệ",
    ] {
        assert!(html.contains(&format!(">{item}</a>")), "menu item {item}");
    }
    for row in [
        "Thống kê truy cập",
        "Đang truy cập",
        "Hôm nay",
        "Trong tuần",
        "Tháng hiện tại",
        "Tổng lượt truy cập",
    ] {
        assert!(html.contains(row), "widget row {row}");
    }
    assert!(html.contains(r#"<a class="login-link" href="/dang-nhap">Đăng nhập</a>"#));
    assert!(html.contains("Tin nổi bật") && html.contains("Tin mới nhất"));
    assert!(html.contains("Sở Khoa học và Công nghệ"));
    // Blocks per section link to the sections.
    assert!(
        html.contains(r#"<a href="/chuyen-muc/cai-cach-hanh-chinh">Cải cách hành chính</a></h2>"#)
    );
}

#[tokio::test]
async fn section_pages_paginate_newest_first_like_the_reference() {
    let app = TestApp::start().await;
    let html = app
        .get("/chuyen-muc/tin-tuc-su-kien")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains(r#"<h1 class="page-title">Tin tức - Sự kiện</h1>"#));
    assert_eq!(count(&html, r#"<li class="card">"#), 10, "ten per page");
    // 32 articles: pages 1 2 3 4, current page marked, a "next" link.
    let pager = &html[html.find(r#"<nav class="pager""#).expect("pager")..];
    assert!(pager.contains(r#"<a href="/chuyen-muc/tin-tuc-su-kien" aria-current="page">1</a>"#));
    assert!(pager.contains(r#"<a href="/chuyen-muc/tin-tuc-su-kien?page=4">4</a>"#));
    assert!(pager.contains(r#"rel="next">Sau »</a>"#));
    assert!(!pager.contains("?page=5"));
    // Newest first.
    let dates: Vec<String> = Regex::new(r#"<time datetime="([^"]+)">"#)
        .expect("regex")
        .captures_iter(&html[html.find("<main").expect("main")..])
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(dates.len(), 10);
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    // Page 2 has other articles and a "previous" link; the current page is marked.
    let two = app
        .get("/chuyen-muc/tin-tuc-su-kien?page=2")
        .await
        .text()
        .await
        .expect("body");
    assert!(two.contains(r#"aria-current="page">2</a>"#));
    assert!(two.contains(r#"rel="prev">« Trước</a>"#));
    let first_title = |h: &str| {
        Regex::new(r#"class="card-title"><a href="([^"]+)""#)
            .expect("regex")
            .captures(h)
            .expect("a card")[1]
            .to_owned()
    };
    assert_ne!(first_title(&html), first_title(&two));
    let four = app
        .get("/chuyen-muc/tin-tuc-su-kien?page=4")
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(count(&four, r#"<li class="card">"#), 2, "32 = 3 × 10 + 2");
}

/// The page numbers (and gaps) of a page's pager, as shown.
fn pager_numbers(html: &str) -> Vec<String> {
    let pager = &html[html.find(r#"<nav class="pager""#).expect("pager")..];
    Regex::new(r">(\d+|…)</(?:a|span)>")
        .expect("regex")
        .captures_iter(pager)
        .map(|c| c[1].to_owned())
        .collect()
}

#[tokio::test]
async fn long_lists_show_gaps_like_one_two_three_four_five_dots_last() {
    let app = TestApp::builder()
        .env("CONG_LISTING__SECTION_PAGE_SIZE", "2")
        .start()
        .await;
    let first = app.peek("/chuyen-muc/tin-tuc-su-kien").await;
    assert_eq!(pager_numbers(&first), ["1", "2", "3", "4", "5", "…", "16"]);
    let mid = app.peek("/chuyen-muc/tin-tuc-su-kien?page=8").await;
    assert_eq!(
        pager_numbers(&mid),
        ["1", "…", "6", "7", "8", "9", "10", "…", "16"]
    );
}

#[tokio::test]
async fn the_reference_article_as_on_the_seed_page() {
    let app = TestApp::start().await;
    let res = app.get(&format!("/bai-viet/{REFERENCE_SLUG}")).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    assert!(html.contains(&format!(
        r#"<h1 class="article-title">{REFERENCE_TITLE}</h1>"#
    )));
    assert!(html.contains(r#"<time datetime="2023-05-17T15:20:00+07:00">17/05/2023 15:20</time>"#));
    assert!(html.contains("Lượt xem: "));
    let seed = include_str!("../../crates/demo/data/reference-article.txt");
    for para in seed.lines().skip(1) {
        let escaped = para.replace('&', "&amp;");
        assert!(html.contains(&escaped), "paragraph missing: {para}");
    }
    assert!(html.contains(r#"<h2 id="gallery-title">Một số hình ảnh tại Hội nghị</h2>"#));
    let images = Regex::new(
        r#"<img src="(/media/[0-9a-f]+\.jpg)"[^>]* alt="([^"]+)" width="960" height="640""#,
    )
    .expect("regex");
    let found: Vec<(String, String)> = images
        .captures_iter(&html)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect();
    assert!(found.len() >= 3, "gallery images: {found:?}");
    assert_eq!(count(&html, "<figcaption>"), found.len());
    assert_eq!(
        count(&html, r#"<source type="image/webp" srcset="/media/"#),
        found.len(),
        "every gallery image offers resized WebP copies"
    );
    assert!(
        html.contains("<figcaption>Quang cảnh Hội nghị tập huấn tại Hội trường A</figcaption>")
    );
    assert!(html.contains(r#"<p class="byline">Kiều Diễm</p>"#));
    // The gallery's images are real JPEGs, cached for good.
    let img = app.get(&found[0].0).await;
    assert_eq!(img.status(), 200);
    assert_eq!(img.headers()["content-type"], "image/jpeg");
    assert!(
        img.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );
    let bytes = img.bytes().await.expect("bytes");
    assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF]);
    // "Tin khác": the section's other articles, paginated on their own.
    let others = &html[html.find(r#"id="tin-khac""#).expect("Tin khác")..];
    assert!(others.contains("Tin khác"));
    let list = &others[others.find(r#"<ul class="titles">"#).expect("list")..];
    let list = &list[..list.find("</ul>").expect("end of list")];
    assert_eq!(count(list, "<li><a href=\"/bai-viet/"), 5, "five a page");
    assert!(others.contains(&format!(
        r#"href="/bai-viet/{REFERENCE_SLUG}?tin-khac=2#tin-khac">2</a>"#
    )));
    let page2 = app
        .get(&format!("/bai-viet/{REFERENCE_SLUG}?tin-khac=2"))
        .await
        .text()
        .await
        .expect("body");
    assert!(page2.contains(r#"aria-current="page">2</a>"#));
    // The article itself is never among its own "Tin khác".
    let own = format!(r#"<li><a href="/bai-viet/{REFERENCE_SLUG}">"#);
    assert!(!html.contains(&own) && !page2.contains(&own));
}

#[tokio::test]
async fn static_pages_and_section_landing_pages() {
    let app = TestApp::start().await;
    for (path, title) in [
        ("/trang/gioi-thieu", "Giới thiệu"),
        ("/trang/lien-he", "Liên hệ"),
        (
            "/trang/chinh-sach-bao-ve-du-lieu-ca-nhan",
            "Chính sách bảo vệ dữ liệu cá nhân",
        ),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().await.expect("body");
        assert!(
            html.contains(&format!(r#"<h1 class="page-title">{title}</h1>"#)),
            "{path}"
        );
        assert!(html.contains("Thống kê truy cập"));
    }
    // "Liên hệ" in the menu shows the contact page's text.
    let html = app
        .get("/chuyen-muc/lien-he")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("Giờ tiếp nhận"));
    assert!(!html.contains("Chuyên mục chưa có bài viết"));
    // The footer links the static pages.
    assert!(html.contains(r#"<a href="/trang/chinh-sach-bao-ve-du-lieu-ca-nhan">"#));
}

#[tokio::test]
async fn login_link_leads_to_the_login_form() {
    let app = TestApp::start().await;
    let res = app.get("/dang-nhap").await;
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        cookie.starts_with("cong_pre="),
        "a pre-session token: {cookie}"
    );
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let html = res.text().await.expect("body");
    assert!(html.contains("<h1>Đăng nhập</h1>"));
    assert!(html.contains(r#"<form method="post" action="/dang-nhap">"#));
    assert!(html.contains(r#"name="csrf""#) && html.contains(r#"type="password""#));
}

#[tokio::test]
async fn unknown_paths_and_slugs_get_the_sites_404_page() {
    let app = TestApp::start().await;
    for path in [
        "/khong-co-trang-nay",
        "/bai-viet/khong-co-bai-nay",
        "/chuyen-muc/khong-co",
        "/trang/khong-co",
        "/bai-viet/",
        "/static/khong-co.css",
        "/media/khong-co.jpg",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(
            res.headers()["content-type"],
            "text/html; charset=utf-8",
            "{path}"
        );
        let html = res.text().await.expect("body");
        assert!(html.contains("Không tìm thấy trang"), "{path}");
        assert!(
            html.contains("Cải cách hành chính"),
            "404 keeps the menu: {path}"
        );
        assert!(html.contains("Thống kê truy cập"), "{path}");
    }
}

#[tokio::test]
async fn static_files_have_hashed_names_etags_and_304() {
    let app = TestApp::start().await;
    let html = app.get("/").await.text().await.expect("body");
    let css = Regex::new(r#"href="(/static/site\.[0-9a-f]{10}\.css)""#)
        .expect("regex")
        .captures(&html)
        .expect("stylesheet link")[1]
        .to_owned();
    let res = app.get(&css).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/css; charset=utf-8");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = res.headers()["etag"].to_str().expect("ascii").to_owned();
    let again = app
        .client()
        .get(app.url(&css))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), 304);
    // The plain name works too, briefly cached.
    let plain = app.get("/static/site.css").await;
    assert_eq!(plain.status(), 200);
    assert_eq!(plain.headers()["cache-control"], "public, max-age=300");
}
