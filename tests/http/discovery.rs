//! How machines find the portal: RSS and Atom feeds (site and sections), the sitemap (and
//! its index), robots.txt, the page heads (canonical, Open Graph, Dublin Core, JSON-LD) and
//! the footer badges with the content security policy they open.

use crate::support::*;
use std::collections::BTreeSet;

const ADMIN_PW: &str = "Đồng hồ cát 2026";
const REF: &str = "/bai-viet/hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang";
const TRICKY_TITLE: &str = "Tôm & cá <chợ> \"quê\" 'xưa' </script>";

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The content of `<meta name|property="key" content="…">`.
fn meta(html: &str, key: &str) -> Option<String> {
    let re = regex::Regex::new(&format!(
        r#"<meta (?:name|property)="{}" content="([^"]*)">"#,
        regex::escape(key)
    ))
    .expect("regex");
    re.captures(html).map(|c| unescape(&c[1]))
}

/// Every `<link rel="alternate" type=… href=…>` as (type, href).
fn alternates(html: &str) -> Vec<(String, String)> {
    let re =
        regex::Regex::new(r#"<link rel="alternate" type="([^"]*)" title="[^"]*" href="([^"]*)">"#)
            .expect("regex");
    re.captures_iter(html)
        .map(|c| (c[1].to_owned(), unescape(&c[2])))
        .collect()
}

fn canonical(html: &str) -> String {
    let re = regex::Regex::new(r#"<link rel="canonical" href="([^"]*)">"#).expect("regex");
    unescape(&re.captures(html).expect("a canonical link")[1])
}

fn json_ld(html: &str) -> serde_json::Value {
    let re = regex::Regex::new(r#"(?s)<script type="application/ld\+json">(.*?)</script>"#)
        .expect("regex");
    let text = &re.captures(html).expect("a JSON-LD block")[1];
    serde_json::from_str(text).expect("JSON-LD parses")
}

/// The `<loc>`s of a sitemap document.
fn locs(xml: &str) -> Vec<String> {
    let re = regex::Regex::new(r"<loc>([^<]*)</loc>").expect("regex");
    re.captures_iter(xml).map(|c| unescape(&c[1])).collect()
}

async fn rss(app: &TestApp, path: &str) -> rss::Channel {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    assert_eq!(
        res.headers()["content-type"],
        "application/rss+xml; charset=utf-8"
    );
    let body = res.bytes().await.expect("body");
    rss::Channel::read_from(&body[..]).expect("RSS parses")
}

async fn atom(app: &TestApp, path: &str) -> atom_syndication::Feed {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    assert_eq!(
        res.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let body = res.bytes().await.expect("body");
    atom_syndication::Feed::read_from(&body[..]).expect("Atom parses")
}

fn rss_date(s: &str) -> jiff::Timestamp {
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(s)
        .unwrap_or_else(|e| panic!("{s:?} is not RFC 2822: {e}"))
}

#[tokio::test]
async fn the_site_feeds_carry_the_newest_twenty_with_absolute_links_and_local_dates() {
    let app = TestApp::start().await;
    let channel = rss(&app, "/rss.xml").await;
    assert_eq!(channel.items().len(), 20, "the newest 20");
    assert_eq!(channel.link(), app.url("/"));
    assert_eq!(channel.language(), Some("vi"));
    let selves = &channel.atom_ext().expect("atom:link").links;
    assert_eq!(selves[0].rel, "self");
    assert_eq!(selves[0].href, app.url("/rss.xml"));
    let mut previous: Option<jiff::Timestamp> = None;
    for item in channel.items() {
        let link = item.link().expect("link");
        assert!(link.starts_with(&app.url("/bai-viet/")), "absolute: {link}");
        let guid = item.guid().expect("guid");
        assert!(guid.is_permalink());
        assert_eq!(guid.value(), link);
        assert!(!item.description().unwrap_or("").is_empty());
        let date = item.pub_date().expect("pubDate");
        assert!(date.ends_with(" +0700"), "Asia/Ho_Chi_Minh: {date}");
        let t = rss_date(date);
        assert!(previous.is_none_or(|p| p >= t), "newest first");
        previous = Some(t);
    }
    // The items are real pages.
    let first = channel.items()[0].link().expect("link");
    let path = first.trim_start_matches(&app.url(""));
    assert_eq!(app.get(path).await.status(), 200);

    let feed = atom(&app, "/atom.xml").await;
    assert_eq!(feed.entries().len(), 20);
    assert_eq!(feed.lang(), Some("vi"));
    assert!(
        feed.links()
            .iter()
            .any(|l| l.rel() == "self" && l.href() == app.url("/atom.xml"))
    );
    assert!(!feed.authors().is_empty());
    for (entry, item) in feed.entries().iter().zip(channel.items()) {
        assert_eq!(
            Some(entry.id()),
            item.link(),
            "the same articles, same order"
        );
        assert_eq!(entry.updated().offset().local_minus_utc(), 7 * 3600);
        let published = entry.published().expect("published");
        assert_eq!(
            published.timestamp(),
            rss_date(item.pub_date().expect("date")).as_second()
        );
        assert!(
            entry
                .links()
                .iter()
                .any(|l| l.rel() == "alternate" && l.href() == entry.id())
        );
        assert!(!entry.authors().is_empty() && !entry.authors()[0].name().is_empty());
        let content = entry.content().expect("content");
        assert_eq!(content.content_type(), Some("html"));
        assert_eq!(content.base(), Some(entry.id()), "relative images resolve");
    }
}

#[tokio::test]
async fn publishing_and_unpublishing_show_in_the_feeds_with_text_escaped() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", ADMIN_PW);
    let mut admin = app.login("quantri", ADMIN_PW).await;
    let id = admin
        .publish(TRICKY_TITLE, 2, "Giá & chất lượng <tốt>", "<p>Chợ quê.</p>")
        .await;
    let raw = app.peek("/rss.xml").await;
    assert!(!raw.contains("<chợ>"), "markup in a title is escaped");
    let channel = rss(&app, "/rss.xml").await;
    let item = &channel.items()[0];
    assert_eq!(
        item.title(),
        Some(TRICKY_TITLE),
        "newest first, text intact"
    );
    assert_eq!(item.description(), Some("Giá & chất lượng <tốt>"));
    let link = item.link().expect("link").to_owned();
    assert_eq!(
        atom(&app, "/atom.xml").await.entries()[0].title().as_str(),
        TRICKY_TITLE
    );
    // In its section's feeds, not in another section's.
    let section = rss(&app, "/chuyen-muc/tin-tuc-su-kien/rss.xml").await;
    assert_eq!(section.items()[0].link(), Some(link.as_str()));
    let other = rss(&app, "/chuyen-muc/cai-cach-hanh-chinh/rss.xml").await;
    assert!(
        other
            .items()
            .iter()
            .all(|i| i.link() != Some(link.as_str()))
    );
    assert!(!other.items().is_empty());
    assert_eq!(
        atom(&app, "/chuyen-muc/tin-tuc-su-kien/atom.xml")
            .await
            .entries()[0]
            .id(),
        link
    );

    let res = admin
        .post(&format!("/quan-tri/bai-viet/{id}/go-xuong"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let channel = rss(&app, "/rss.xml").await;
    assert!(
        channel
            .items()
            .iter()
            .all(|i| i.link() != Some(link.as_str())),
        "unpublished: gone"
    );
    assert_eq!(channel.items().len(), 20);
}

#[tokio::test]
async fn section_feeds_name_their_section_and_unknown_ones_are_404() {
    let app = TestApp::start().await;
    let channel = rss(&app, "/chuyen-muc/cai-cach-hanh-chinh/rss.xml").await;
    assert!(
        channel.title().starts_with("Cải cách hành chính | "),
        "{}",
        channel.title()
    );
    assert_eq!(channel.link(), app.url("/chuyen-muc/cai-cach-hanh-chinh"));
    assert_eq!(
        channel.items().len(),
        16,
        "all 16 of the section (fewer than 20)"
    );
    let feed = atom(&app, "/chuyen-muc/cai-cach-hanh-chinh/atom.xml").await;
    assert_eq!(feed.entries().len(), 16);
    assert!(
        feed.links().iter().any(|l| l.rel() == "self"
            && l.href() == app.url("/chuyen-muc/cai-cach-hanh-chinh/atom.xml"))
    );
    // A section without articles has an empty, valid feed.
    assert!(
        rss(&app, "/chuyen-muc/lien-he/rss.xml")
            .await
            .items()
            .is_empty()
    );
    assert!(
        atom(&app, "/chuyen-muc/lien-he/atom.xml")
            .await
            .entries()
            .is_empty()
    );
    for path in [
        "/chuyen-muc/khong-co/rss.xml",
        "/chuyen-muc/khong-co/atom.xml",
        "/chuyen-muc/%00/rss.xml",
    ] {
        let status = app.get(path).await.status();
        assert!(status == 404 || status == 400, "{path}: {status}");
    }
}

#[tokio::test]
async fn every_page_head_points_to_its_feeds() {
    let app = TestApp::start().await;
    let home = app.peek("/").await;
    let feeds = alternates(&home);
    assert!(feeds.contains(&("application/rss+xml".into(), app.url("/rss.xml"))));
    assert!(feeds.contains(&("application/atom+xml".into(), app.url("/atom.xml"))));
    let section = app.peek("/chuyen-muc/khoa-hoc-cong-nghe").await;
    let feeds = alternates(&section);
    assert_eq!(
        feeds[0],
        (
            "application/rss+xml".into(),
            app.url("/chuyen-muc/khoa-hoc-cong-nghe/rss.xml")
        ),
        "the section's own feed first"
    );
    for (_, href) in &feeds {
        let path = href.trim_start_matches(&app.url(""));
        assert_eq!(app.get(path).await.status(), 200, "{href}");
    }
    assert!(alternates(&app.peek(REF).await).len() >= 2);
}

#[tokio::test]
async fn the_sitemap_lists_every_public_url_with_real_change_times() {
    let app = TestApp::start().await;
    let res = app.get("/sitemap.xml").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    let xml = res.text().await.expect("body");
    assert!(xml.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let all = locs(&xml);
    let unique: BTreeSet<_> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "no URL twice");
    assert!(all.contains(&app.url("/")));
    assert!(all.contains(&app.url("/chuyen-muc/tin-tuc-su-kien")));
    assert!(all.contains(&app.url("/trang/gioi-thieu")));
    assert!(all.contains(&app.url(REF)));
    let articles = all
        .iter()
        .filter(|l| l.contains("/bai-viet/") && !l.contains("/en/"))
        .count();
    assert_eq!(articles, 90, "every published demo article");
    let english = all.iter().filter(|l| l.contains("/en/bai-viet/")).count();
    assert_eq!(
        english, 3,
        "the demo's English articles, at their English address"
    );
    for path in [
        "/en/",
        "/en/trang/introduction",
        "/en/chuyen-muc/news",
        "/co-cau-to-chuc",
        "/danh-ba",
    ] {
        assert!(all.contains(&app.url(path)), "{path}");
    }
    let lastmod = regex::Regex::new(r"<lastmod>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00)</lastmod>")
        .expect("regex");
    assert!(lastmod.captures_iter(&xml).count() >= 90);
    // A single sitemap has no parts.
    assert_eq!(app.get("/sitemap-1.xml").await.status(), 404);
    assert_eq!(app.get("/sitemap-trang.xml").await.status(), 404);

    // An edit moves the article's lastmod to the time of the edit.
    app.add_user("quantri", "admin", ADMIN_PW);
    let mut admin = app.login("quantri", ADMIN_PW).await;
    let before = jiff::Timestamp::now().as_second();
    admin
        .publish("Thông báo về lịch tiếp công dân", 2, "", "<p>Lịch.</p>")
        .await;
    let xml = app.peek("/sitemap.xml").await;
    let entry = regex::Regex::new(
        r"<loc>[^<]*/bai-viet/thong-bao-ve-lich-tiep-cong-dan</loc><lastmod>([^<]*)</lastmod>",
    )
    .expect("regex");
    let changed: jiff::Timestamp = entry.captures(&xml).expect("the new article")[1]
        .parse()
        .expect("RFC 3339");
    assert!(changed.as_second() >= before, "lastmod is when it changed");
}

#[tokio::test]
async fn a_large_site_gets_a_sitemap_index_whose_parts_hold_every_url_once() {
    let (single, split) = tokio::join!(
        TestApp::start(),
        TestApp::builder()
            .env("CONG_LISTING__SITEMAP_URLS", "10")
            .start()
    );
    let expected: BTreeSet<String> = locs(&single.peek("/sitemap.xml").await)
        .into_iter()
        .map(|l| l.trim_start_matches(&single.url("")).to_owned())
        .collect();
    let index = split.peek("/sitemap.xml").await;
    assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let parts = locs(&index);
    assert_eq!(parts[0], split.url("/sitemap-trang.xml"));
    assert_eq!(
        parts.len(),
        1 + 10 + 5,
        "the other pages, then 93 articles (90 Vietnamese, 3 English) in tens, then the library \
         and 42 documents in tens"
    );
    let mut seen = BTreeSet::new();
    for part in &parts {
        let path = part.trim_start_matches(&split.url(""));
        let res = split.get(path).await;
        assert_eq!(res.status(), 200, "{part}");
        let xml = res.text().await.expect("body");
        assert!(xml.contains("<urlset"));
        let urls = locs(&xml);
        // The other pages are few whatever the site's size: only the lists are split.
        if !part.ends_with("/sitemap-trang.xml") {
            assert!(urls.len() <= 10, "{part} holds {}", urls.len());
        }
        for u in urls {
            let rel = u.trim_start_matches(&split.url("")).to_owned();
            assert!(seen.insert(rel), "{u} twice");
        }
    }
    assert_eq!(
        seen, expected,
        "the parts hold exactly what one sitemap would"
    );
    for path in [
        "/sitemap-11.xml",
        "/sitemap-0.xml",
        "/sitemap-01.xml",
        "/sitemap-+1.xml",
        "/sitemap-x.xml",
    ] {
        assert_eq!(split.get(path).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_back_office() {
    let app = TestApp::start().await;
    let res = app.get("/robots.txt").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
    let text = res.text().await.expect("body");
    assert!(text.contains(&format!("Sitemap: {}", app.url("/sitemap.xml"))));
    assert!(text.contains("Disallow: /quan-tri"));
    assert!(text.contains("User-agent: *"));
}

#[tokio::test]
async fn an_article_head_has_canonical_open_graph_dublin_core_and_news_article() {
    let app = TestApp::start().await;
    let html = app.peek(&format!("{REF}?tin-khac=2")).await;
    let url = app.url(REF);
    assert_eq!(canonical(&html), url, "one address whatever the query");
    let title = meta(&html, "og:title").expect("og:title");
    assert!(
        title.starts_with("Hội nghị “Tập huấn về đề xuất"),
        "{title}"
    );
    assert_eq!(meta(&html, "og:type").as_deref(), Some("article"));
    assert_eq!(meta(&html, "og:url").as_deref(), Some(url.as_str()));
    assert_eq!(meta(&html, "og:locale").as_deref(), Some("vi_VN"));
    let image = meta(&html, "og:image").expect("og:image from the cover");
    assert!(image.starts_with(&app.url("/media/")), "{image}");
    let res = app.get(image.trim_start_matches(&app.url(""))).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("image/")
    );
    assert_eq!(
        meta(&html, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    assert_eq!(meta(&html, "twitter:image"), Some(image.clone()));
    assert!(meta(&html, "description").is_some_and(|d| !d.is_empty()));

    assert_eq!(meta(&html, "DC.title"), Some(title.clone()));
    assert_eq!(meta(&html, "DC.identifier"), Some(url.clone()));
    assert_eq!(meta(&html, "DC.language").as_deref(), Some("vi"));
    assert_eq!(
        meta(&html, "DC.subject").as_deref(),
        Some("Khoa học - Công nghệ")
    );
    assert!(meta(&html, "DC.creator").is_some_and(|c| !c.is_empty()));
    assert!(meta(&html, "DC.publisher").is_some_and(|c| !c.is_empty()));
    assert!(meta(&html, "DC.description").is_some_and(|c| !c.is_empty()));
    let date = meta(&html, "DC.date").expect("DC.date");
    assert!(
        regex::Regex::new(r"^\d{4}-\d\d-\d\d$")
            .expect("re")
            .is_match(&date),
        "{date}"
    );

    let ld = json_ld(&html);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], title.as_str());
    assert_eq!(ld["mainEntityOfPage"], url.as_str());
    assert_eq!(ld["image"][0], image.as_str());
    assert_eq!(ld["inLanguage"], "vi");
    let published = ld["datePublished"].as_str().expect("datePublished");
    assert!(
        published.ends_with("+07:00") && published.starts_with(&date),
        "{published}"
    );
    assert!(
        ld["publisher"]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );
    assert!(ld["author"]["name"].as_str().is_some_and(|n| !n.is_empty()));
}

#[tokio::test]
async fn every_page_has_a_canonical_url_title_and_description() {
    let app = TestApp::start().await;
    for (path, want) in [
        ("/", "/"),
        ("/?utm_source=zalo", "/"),
        ("/chuyen-muc/tin-tuc-su-kien", "/chuyen-muc/tin-tuc-su-kien"),
        (
            "/chuyen-muc/tin-tuc-su-kien?page=2",
            "/chuyen-muc/tin-tuc-su-kien?page=2",
        ),
        ("/trang/gioi-thieu", "/trang/gioi-thieu"),
    ] {
        let html = app.peek(path).await;
        assert_eq!(canonical(&html), app.url(want), "{path}");
        assert_eq!(meta(&html, "DC.identifier"), Some(app.url(want)));
        assert_eq!(meta(&html, "DC.language").as_deref(), Some("vi"));
        assert!(
            meta(&html, "og:title").is_some_and(|t| !t.is_empty()),
            "{path}"
        );
        assert!(html.contains("<title>") && !html.contains("<title></title>"));
        assert!(
            meta(&html, "description").is_some(),
            "{path}: a description"
        );
    }
    assert!(
        meta(&app.peek("/chuyen-muc/tin-tuc-su-kien").await, "DC.subject").as_deref()
            == Some("Tin tức - Sự kiện")
    );
}

#[tokio::test]
async fn the_configured_public_address_wins_over_the_host_header() {
    let app = TestApp::builder()
        .env("CONG_SERVER__PUBLIC_URL", "https://sokhcn.example.gov.vn/")
        .start()
        .await;
    let html = app
        .client()
        .get(app.url(REF))
        .header("host", "evil.example")
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    assert_eq!(
        canonical(&html),
        format!("https://sokhcn.example.gov.vn{REF}")
    );
    let channel = rss(&app, "/rss.xml").await;
    assert!(
        channel.items()[0]
            .link()
            .expect("link")
            .starts_with("https://sokhcn.example.gov.vn/bai-viet/")
    );
    assert!(
        app.peek("/robots.txt")
            .await
            .contains("Sitemap: https://sokhcn.example.gov.vn/sitemap.xml")
    );
    assert!(
        app.peek("/sitemap.xml")
            .await
            .contains("<loc>https://sokhcn.example.gov.vn/</loc>")
    );
}

#[tokio::test]
async fn json_ld_cannot_be_closed_by_a_title() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", ADMIN_PW);
    let mut admin = app.login("quantri", ADMIN_PW).await;
    admin.publish(TRICKY_TITLE, 2, "", "<p>Chợ.</p>").await;
    let html = app.peek("/bai-viet/tom-ca-cho-que-xua-script").await;
    let ld = json_ld(&html);
    assert_eq!(
        ld["headline"], TRICKY_TITLE,
        "the title intact inside the JSON"
    );
    assert_eq!(meta(&html, "og:title").as_deref(), Some(TRICKY_TITLE));
    assert_eq!(
        html.matches("</script>").count(),
        html.matches("<script").count()
    );
}

fn csp(res: &reqwest::Response) -> String {
    res.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// The settings form's current values, to post back with a few changed.
async fn settings(b: &mut Browser) -> Vec<(String, String)> {
    let (status, html) = b.get_page("/quan-tri/cai-dat").await;
    assert_eq!(status, 200);
    let re =
        regex::Regex::new(r#"<input id="set-\d+" name="([^"]+)" value="([^"]*)">"#).expect("re");
    re.captures_iter(&html)
        .map(|c| (c[1].to_owned(), unescape(&c[2])))
        .collect()
}

async fn save(b: &mut Browser, changes: &[(&str, &str)]) -> reqwest::Response {
    let mut fields = settings(b).await;
    for (k, v) in changes {
        fields
            .iter_mut()
            .filter(|(key, _)| key == k)
            .for_each(|f| f.1 = (*v).to_owned());
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.post("/quan-tri/cai-dat", &pairs).await
}

#[tokio::test]
async fn badges_are_off_by_default_and_each_opens_only_the_origin_it_needs() {
    let app = TestApp::start().await;
    let res = app.get("/").await;
    let default_csp = csp(&res);
    let html = res.text().await.expect("body");
    assert!(!html.contains("tinnhiemmang") && !html.contains("ipv6-ready"));
    assert!(
        !default_csp.contains("https://"),
        "no outside origin: {default_csp}"
    );

    app.add_user("quantri", "admin", ADMIN_PW);
    let mut admin = app.login("quantri", ADMIN_PW).await;
    let res = save(&mut admin, &[("badge.tinnhiemmang", "abc-123")]).await;
    assert_eq!(res.status(), 303);
    let res = app.get("/").await;
    let policy = csp(&res);
    assert!(
        policy.contains("img-src 'self' data: https://tinnhiemmang.vn;"),
        "{policy}"
    );
    assert!(
        policy.contains("script-src 'self';"),
        "no script origin for an image badge"
    );
    let html = res.text().await.expect("body");
    assert!(html.contains("https://tinnhiemmang.vn/handle_cert?id=abc-123"));
    assert!(!html.contains("ipv6-ready"));

    let res = save(
        &mut admin,
        &[
            ("badge.ipv6", "1"),
            ("badge.emc", "https://emc.example.gov.vn/monitor.js?site=42"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let res = app.get(REF).await;
    let policy = csp(&res);
    assert!(
        policy.contains("script-src 'self' https://emc.example.gov.vn;"),
        "{policy}"
    );
    let html = res.text().await.expect("body");
    assert!(html.contains(
        r#"<script src="https://emc.example.gov.vn/monitor.js?site=42" async></script>"#
    ));
    let svg = regex::Regex::new(r#"src="(/static/ipv6-ready\.[0-9a-f]+\.svg)""#).expect("re");
    let svg = &svg.captures(&html).expect("the IPv6 Ready badge")[1];
    assert_eq!(app.get(svg).await.status(), 200);

    // A bad value is refused with the form as typed, and nothing is saved.
    let res = save(
        &mut admin,
        &[
            ("site.name", "Tên mới"),
            ("badge.emc", "javascript:alert(1)"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("body");
    assert!(html.contains("Mã theo dõi EMC phải là một địa chỉ https://"));
    assert!(
        html.contains(r#"value="Tên mới""#),
        "what was typed is kept"
    );
    assert!(!app.peek("/").await.contains("Tên mới"), "nothing saved");

    // All off again: the policy is the default one.
    let res = save(
        &mut admin,
        &[
            ("badge.tinnhiemmang", ""),
            ("badge.ipv6", ""),
            ("badge.emc", ""),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(csp(&app.get("/").await), default_csp);
}

#[tokio::test]
async fn every_article_offers_print_with_its_source_address() {
    let app = TestApp::start().await;
    let html = app.peek(REF).await;
    assert!(html.contains(r#"class="print-button" data-print hidden>In bài viết</button>"#));
    assert!(html.contains(&format!(
        r#"<p class="print-source">Nguồn: {}</p>"#,
        app.url(REF)
    )));
    let css = app.peek(&stylesheet(&html)).await;
    assert!(css.contains("@media print"), "a print stylesheet");
}
