//! Search ("Tìm kiếm") through the real binary: Vietnamese typed with or without marks,
//! phrases, section and date filters, the reader's mistakes as clear 400s, the index
//! following the back office within a second, rebuilt by itself when missing or damaged;
//! and the relevance table (`tests/http/search_relevance.tsv`) over the demo content.

use crate::support::*;
use std::time::{Duration, Instant};

const ADMIN_PW: &str = "Đồng hồ cát 2026";
const REF_SLUG: &str = "hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang";

/// `/tim-kiem?…` with every value form-encoded.
fn search_url(params: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    format!("/tim-kiem?{}", s.finish())
}

/// The article slugs of a results page, in order.
fn result_slugs(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"<h2 class="result-title"><a href="/bai-viet/([^"]+)">"#)
        .expect("regex");
    re.captures_iter(html).map(|c| c[1].to_owned()).collect()
}

/// The number in "Tìm thấy <strong>N</strong> kết quả".
fn result_count(html: &str) -> Option<u64> {
    let re = regex::Regex::new(r"Tìm thấy <strong>([\d.]+)</strong> kết quả").expect("regex");
    re.captures(html)
        .and_then(|c| c[1].replace('.', "").parse().ok())
}

async fn search(app: &TestApp, params: &[(&str, &str)]) -> (u16, String) {
    let res = app.get(&search_url(params)).await;
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

/// Polls the search until `found(slugs)` holds, for up to `limit`; returns how long it took.
async fn until_search(
    app: &TestApp,
    q: &str,
    limit: Duration,
    found: impl Fn(&[String]) -> bool,
) -> Option<Duration> {
    let start = Instant::now();
    loop {
        let (status, html) = search(app, &[("q", q)]).await;
        assert_eq!(status, 200, "{q:?}");
        if found(&result_slugs(&html)) {
            return Some(start.elapsed());
        }
        if start.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The index is built in the background after start: wait until a known word finds the
/// reference article.
async fn index_ready(app: &TestApp) {
    let took = until_search(app, "tập huấn", Duration::from_secs(30), |s| {
        s.iter().any(|s| s == REF_SLUG)
    })
    .await;
    assert!(took.is_some(), "the index was built on start");
}

#[tokio::test]
async fn queries_without_marks_find_marked_text() {
    let app = TestApp::start().await;
    index_ready(&app).await;
    for q in [
        "hoi nghi tap huan",
        "Hội nghị tập huấn",
        "HOI NGHI TAP HUAN",
        "khoi dang",
    ] {
        let (status, html) = search(&app, &[("q", q)]).await;
        assert_eq!(status, 200, "{q}");
        let slugs = result_slugs(&html);
        assert!(
            slugs.iter().take(3).any(|s| s == REF_SLUG),
            "{q:?} finds the reference article in the top 3: {slugs:?}"
        );
        assert!(
            result_count(&html).is_some_and(|n| n >= 1),
            "{q:?}: a count"
        );
    }
    // đ folds to d: "dang" finds "Đảng".
    let (_, html) = search(&app, &[("q", "dang")]).await;
    assert!(
        html.contains("<mark>Đảng</mark>"),
        "Đảng highlighted for dang"
    );

    // A result shows its title (highlighted), date, section and snippet.
    let (_, html) = search(&app, &[("q", "tap huan")]).await;
    let item = html
        .split("<li>")
        .find(|li| li.contains(REF_SLUG))
        .expect("the reference article's result");
    assert!(
        item.contains("<mark>Tập huấn</mark>")
            || item.contains("<mark>tập huấn</mark>")
            || item.contains("<mark>Tập</mark>"),
        "{item}"
    );
    assert!(item.contains("17/05/2023"), "date as dd/mm/yyyy: {item}");
    assert!(item.contains("Khoa học - Công nghệ"), "section: {item}");
    assert!(
        item.contains(r#"class="result-snippet""#),
        "a snippet: {item}"
    );
    // The page is the site's, with the query kept in the form and out of search engines.
    assert!(
        html.contains(r#"value="tap huan""#),
        "query kept in the box"
    );
    assert!(
        html.contains(r#"<meta name="robots" content="noindex, follow">"#)
            || html.contains(r#"<meta name="robots" content="noindex,follow">"#)
    );
    assert!(html.contains("Thống kê truy cập"), "the site's layout");
}

#[tokio::test]
async fn marked_queries_rank_exact_marks_first_and_phrases_are_exact() {
    let app = TestApp::start().await;
    index_ready(&app).await;
    app.add_user("quantri", "admin", ADMIN_PW);
    let mut admin = app.login("quantri", ADMIN_PW).await;
    let road = admin
        .publish(
            "Nâng cấp đường liên xã Tân Thành",
            2,
            "Con đường mới.",
            "<p>Con đường mới rộng 7 mét.</p>",
        )
        .await;
    let sun = admin
        .publish(
            "Phong trào dương liễu xanh Tân Thành",
            2,
            "Trồng cây dương.",
            "<p>Trồng cây dương ven biển.</p>",
        )
        .await;
    assert!(road != sun);
    let both = |s: &[String]| {
        s.iter().any(|s| s.starts_with("nang-cap-duong-lien-xa"))
            && s.iter().any(|s| s.starts_with("phong-trao-duong-lieu"))
    };
    assert!(
        until_search(&app, "duong tan thanh", Duration::from_secs(2), both)
            .await
            .is_some(),
        "without marks, both found"
    );
    let (_, html) = search(&app, &[("q", "đường Tân Thành")]).await;
    let slugs = result_slugs(&html);
    assert!(
        slugs
            .first()
            .is_some_and(|s| s.starts_with("nang-cap-duong-lien-xa")),
        "“đường” ranks “đường” first: {slugs:?}"
    );
    let (_, html) = search(&app, &[("q", "dương Tân Thành")]).await;
    let slugs = result_slugs(&html);
    assert!(
        slugs
            .first()
            .is_some_and(|s| s.starts_with("phong-trao-duong-lieu")),
        "“dương” ranks “dương” first: {slugs:?}"
    );

    // A phrase in quotes matches those words adjacent, in order.
    let (_, html) = search(&app, &[("q", "\"duong lieu xanh\"")]).await;
    assert_eq!(
        result_slugs(&html)
            .iter()
            .filter(|s| s.contains("tan-thanh"))
            .count(),
        1,
        "phrase found once"
    );
    let (status, html) = search(&app, &[("q", "\"xanh duong lieu\"")]).await;
    assert_eq!(status, 200);
    assert!(
        !result_slugs(&html)
            .iter()
            .any(|s| s.starts_with("phong-trao-duong-lieu")),
        "words out of order are not the phrase"
    );
    assert!(
        html.contains("Không tìm thấy kết quả nào"),
        "a clear no-results message"
    );
}

#[tokio::test]
async fn section_and_date_filters() {
    let app = TestApp::start().await;
    index_ready(&app).await;
    // "khoa học" is everywhere in the demo; the section filter keeps one section.
    let (status, html) = search(&app, &[("q", "khoa hoc"), ("chuyen-muc", "van-ban")]).await;
    assert_eq!(status, 200);
    let in_section = result_count(&html).expect("a count");
    let (_, all) = search(&app, &[("q", "khoa hoc")]).await;
    let everywhere = result_count(&all).expect("a count");
    assert!(
        in_section >= 1 && in_section < everywhere,
        "{in_section} < {everywhere}"
    );
    assert!(
        html.contains(r#"<option value="van-ban" selected>"#),
        "the chosen section stays selected"
    );
    for li in html.split("<li>").filter(|li| li.contains("result-title")) {
        assert!(li.contains("Văn bản"), "only Văn bản: {li}");
    }

    // The day of the reference article, written both ways.
    for (from, until) in [("17/05/2023", "17/05/2023"), ("2023-05-17", "2023-05-17")] {
        let (status, html) = search(
            &app,
            &[("q", "hoi nghi"), ("tu-ngay", from), ("den-ngay", until)],
        )
        .await;
        assert_eq!(status, 200);
        let slugs = result_slugs(&html);
        assert!(slugs.contains(&REF_SLUG.to_owned()), "{from}: {slugs:?}");
        assert!(
            html.contains(r#"value="2023-05-17""#),
            "the date shown back in the form"
        );
    }
    let (_, html) = search(
        &app,
        &[
            ("q", "hoi nghi"),
            ("tu-ngay", "18/05/2023"),
            ("den-ngay", "20/05/2023"),
        ],
    )
    .await;
    assert!(
        !result_slugs(&html).contains(&REF_SLUG.to_owned()),
        "outside the range"
    );
    // A range in the future finds nothing, and says so.
    let (status, html) = search(&app, &[("q", "hoi nghi"), ("tu-ngay", "01/01/2999")]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Không tìm thấy kết quả nào"));
}

#[tokio::test]
async fn mistakes_are_clear_400s_never_500s() {
    let app = TestApp::start().await;
    index_ready(&app).await;
    let long = "hoi nghi ".repeat(60);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("q", "\"hội nghị")], "Từ khóa không hợp lệ"),
        (vec![("q", "?!.,;:()")], "Vui lòng nhập từ khóa"),
        (vec![("q", "\"\"")], "Vui lòng nhập từ khóa"),
        (vec![("q", long.as_str())], "Từ khóa quá dài"),
        (
            vec![("q", "hoi nghi"), ("chuyen-muc", "khong-co")],
            "Chuyên mục đã chọn không có",
        ),
        (
            vec![("q", "hoi nghi"), ("tu-ngay", "31/02/2023")],
            "“Từ ngày” không phải là một ngày",
        ),
        (
            vec![("q", "hoi nghi"), ("den-ngay", "hôm qua")],
            "“Đến ngày” không phải là một ngày",
        ),
    ];
    for (params, message) in cases {
        let (status, html) = search(&app, &params).await;
        assert_eq!(status, 400, "{params:?}");
        assert!(html.contains(message), "{params:?} says {message:?}");
        assert!(html.contains(r#"role="alert""#), "{params:?}: announced");
        assert!(
            html.contains(r#"<form class="search-form""#),
            "{params:?}: the form to fix it"
        );
    }
    // tantivy's syntax is just text here.
    for q in [
        "title:x",
        "a AND OR",
        "*",
        "hội~2",
        "(((",
        "\\",
        "'; DROP TABLE articles;--",
        "<script>alert(1)</script>",
    ] {
        let (status, html) = search(&app, &[("q", q)]).await;
        assert!(status == 200 || status == 400, "{q:?} → {status}");
        assert!(!html.contains("<script>alert"), "{q:?} escaped");
    }
    // Ten thousand characters: too long for an address; a clear refusal, not a 500.
    let huge = "a".repeat(10_000);
    let (status, html) = search(&app, &[("q", huge.as_str())]).await;
    assert!(status == 414 || status == 400, "{status}");
    assert!(
        html.contains("Địa chỉ quá dài") && html.contains("rút gọn từ khóa"),
        "says it is too long"
    );
    // Bad page numbers, and a page past the end.
    let (status, _) = search(&app, &[("q", "hoi nghi"), ("page", "abc")]).await;
    assert_eq!(status, 400);
    let (status, _) = search(&app, &[("q", "hoi nghi"), ("page", "999")]).await;
    assert_eq!(status, 404);
    // An empty box is the search form, not an error.
    let (status, html) = search(&app, &[("q", "")]).await;
    assert_eq!(status, 200);
    assert!(!html.contains(r#"role="alert""#));
    assert!(
        app.stderr().lines().all(|l| !l.contains("panicked")),
        "no panic"
    );
}

#[tokio::test]
async fn results_paginate_with_numbered_pages() {
    let app = TestApp::start().await;
    index_ready(&app).await;
    let (_, html) = search(&app, &[("q", "khoa hoc")]).await;
    let total = result_count(&html).expect("a count");
    assert!(total > 10, "enough demo results to paginate: {total}");
    // Articles and documents alike: ten results a page.
    assert_eq!(html.matches(r#"<h2 class="result-title">"#).count(), 10);
    assert!(
        html.contains(r#"aria-current="page""#),
        "current page marked"
    );
    assert!(
        html.contains("/tim-kiem?q=khoa+hoc&amp;page=2")
            || html.contains("/tim-kiem?q=khoa%20hoc&amp;page=2"),
        "page 2 keeps the query"
    );
    let (status, page2) = search(&app, &[("q", "khoa hoc"), ("page", "2")]).await;
    assert_eq!(status, 200);
    // Articles and documents alike.
    let links = |h: &str| -> Vec<String> {
        regex::Regex::new(r#"<h2 class="result-title"><a href="([^"]+)">"#)
            .expect("regex")
            .captures_iter(h)
            .map(|c| c[1].to_owned())
            .collect()
    };
    let first = links(&html);
    let second = links(&page2);
    assert!(
        !second.is_empty() && second.iter().all(|s| !first.contains(s)),
        "page 2 is new results"
    );
    assert!(
        page2.contains(r#"<ol class="search-results" start="11">"#),
        "numbering continues"
    );
}

#[tokio::test]
async fn a_search_box_on_every_public_page() {
    let app = TestApp::start().await;
    let ref_path = format!("/bai-viet/{REF_SLUG}");
    for path in [
        "/",
        "/chuyen-muc/khoa-hoc-cong-nghe",
        ref_path.as_str(),
        "/trang/gioi-thieu",
        "/khong-co-trang-nay",
    ] {
        let html = app.get(path).await.text().await.expect("body");
        assert!(
            html.contains(r#"action="/tim-kiem""#) && html.contains(r#"role="search""#),
            "{path}: a search form"
        );
        assert!(
            html.contains(r#"<label for="o-tim-kiem""#)
                || html.contains(r#"aria-label="Tìm kiếm trên cổng""#),
            "{path}: labelled"
        );
    }
    let robots = app.get("/robots.txt").await.text().await.expect("body");
    assert!(
        robots.contains("Disallow: /tim-kiem"),
        "results kept out of crawlers"
    );
}

#[tokio::test]
async fn the_index_follows_the_back_office_within_a_second() {
    let app = TestApp::start().await;
    index_ready(&app).await;
    app.add_user("quantri", "admin", ADMIN_PW);
    let mut admin = app.login("quantri", ADMIN_PW).await;

    let id = admin
        .publish(
            "Khai trương chợ phiên Xuân Quang",
            2,
            "Chợ phiên mới.",
            "<p>Chợ phiên họp mỗi rằm.</p>",
        )
        .await;
    let took = until_search(&app, "cho phien xuan quang", Duration::from_secs(5), |s| {
        s.iter()
            .any(|s| s.starts_with("khai-truong-cho-phien-xuan-quang"))
    })
    .await
    .expect("a published article is found");
    println!("published → found in {took:?}");
    assert!(took < Duration::from_secs(1), "within a second: {took:?}");

    // An edit replaces what is indexed.
    admin.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let res = admin
        .post(
            &format!("/quan-tri/bai-viet/{id}"),
            &[
                ("title", "Khai trương chợ phiên Xuân Quang"),
                ("slug", "khai-truong-cho-phien-xuan-quang"),
                ("section_id", "2"),
                ("summary", "Chợ phiên mới."),
                ("body_html", "<p>Chợ phiên bán gốm Bàu Trúc mỗi rằm.</p>"),
                ("author", "Kiều Diễm"),
            ],
        )
        .await;
    assert!(
        res.status().is_redirection() || res.status().is_success(),
        "{}",
        res.status()
    );
    let took = until_search(&app, "gom bau truc", Duration::from_secs(5), |s| {
        s.iter()
            .any(|s| s.starts_with("khai-truong-cho-phien-xuan-quang"))
    })
    .await
    .expect("an edit is found");
    assert!(
        took < Duration::from_secs(1),
        "edit within a second: {took:?}"
    );

    // Unpublished: gone from the results.
    let res = admin
        .post(&format!("/quan-tri/bai-viet/{id}/go-xuong"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let took = until_search(&app, "cho phien xuan quang", Duration::from_secs(5), |s| {
        !s.iter()
            .any(|s| s.starts_with("khai-truong-cho-phien-xuan-quang"))
    })
    .await
    .expect("an unpublished article is gone");
    assert!(
        took < Duration::from_secs(1),
        "unpublish within a second: {took:?}"
    );
}

#[tokio::test]
async fn a_missing_or_damaged_index_is_rebuilt_on_start() {
    let mut app = TestApp::start().await;
    index_ready(&app).await;
    let dir = app.dir.path().join("search");
    assert!(
        dir.join("meta.json").exists(),
        "the index lives in site.search_dir"
    );

    // Deleted while stopped.
    app.stop().await;
    std::fs::remove_dir_all(&dir).expect("rm index");
    app.restart().await;
    index_ready(&app).await;

    // Damaged while stopped: meta.json overwritten with garbage.
    app.stop().await;
    std::fs::write(dir.join("meta.json"), b"{ not json").expect("damage");
    app.restart().await;
    index_ready(&app).await;
    assert!(
        app.stderr().contains("rebuilding"),
        "the log says why: {}",
        app.stderr()
    );

    // The marker lost: the index cannot be trusted to be complete, so it is rebuilt too.
    app.stop().await;
    std::fs::remove_file(dir.join("cong-last-change")).expect("rm marker");
    app.restart().await;
    index_ready(&app).await;
}

#[tokio::test]
async fn reindex_rebuilds_and_refuses_while_a_node_holds_the_index() {
    let mut app = TestApp::start().await;
    index_ready(&app).await;
    let dir = app.dir.path().join("search");
    let run = |app: &TestApp| {
        std::process::Command::new(BIN)
            .args(["reindex", "--database", &app.db_url()])
            .env_remove("CONG_CONFIG")
            .env("CONG_SITE__SEARCH_DIR", &dir)
            .current_dir(app.dir.path())
            .output()
            .expect("cong reindex")
    };
    let out = run(&app);
    assert!(!out.status.success(), "refused while the node runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("held by another process"), "{err}");

    app.stop().await;
    let out = run(&app);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("search index rebuilt")
            && said.contains("136 articles, documents and questions"),
        "{said}"
    );
    app.restart().await;
    index_ready(&app).await;
}

/// One line of `search_relevance.tsv`.
struct Case {
    line: usize,
    query: String,
    slug: String,
    limit: usize,
    filters: Vec<(String, String)>,
}

fn relevance_cases() -> Vec<Case> {
    let table = include_str!("search_relevance.tsv");
    let mut cases = Vec::new();
    for (i, line) in table.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 3, "line {}: query, slug, limit", i + 1);
        let filters = cols
            .get(3)
            .map(|f| {
                f.split_whitespace()
                    .map(|kv| {
                        let (k, v) = kv.split_once('=').expect("filter as key=value");
                        (k.to_owned(), v.to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default();
        cases.push(Case {
            line: i + 1,
            query: cols[0].to_owned(),
            slug: cols[1].to_owned(),
            limit: cols[2].parse().expect("limit"),
            filters,
        });
    }
    cases
}

#[tokio::test]
async fn relevance_over_the_demo_content() {
    let app = TestApp::start().await;
    index_ready(&app).await;
    let cases = relevance_cases();
    assert!(cases.len() >= 30, "at least 30 cases: {}", cases.len());
    let mut failures = Vec::new();
    let mut first = 0;
    for case in &cases {
        // The slug must exist: a typo in the table fails instead of passing quietly.
        let page = app.get(&format!("/bai-viet/{}", case.slug)).await;
        assert_eq!(
            page.status(),
            200,
            "line {}: {} exists",
            case.line,
            case.slug
        );
        let mut params = vec![("q", case.query.as_str())];
        for (k, v) in &case.filters {
            params.push((k.as_str(), v.as_str()));
        }
        let (status, html) = search(&app, &params).await;
        assert_eq!(status, 200, "line {}", case.line);
        let slugs = result_slugs(&html);
        match slugs.iter().position(|s| *s == case.slug) {
            Some(0) => first += 1,
            Some(p) if p < case.limit => {}
            _ => failures.push(format!(
                "line {}: {:?} expected {} in the top {}; got {:?}",
                case.line,
                case.query,
                case.slug,
                case.limit,
                slugs.iter().take(5).collect::<Vec<_>>()
            )),
        }
    }
    println!(
        "relevance: {} cases, {first} first, {} failed",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `cong generate N` adds N articles over the demo sections while a node serves; the node
/// hears the one "reindex" change and rebuilds its index, so generated articles are found.
#[tokio::test]
async fn generated_articles_are_listed_and_found() {
    let app = TestApp::start().await;
    index_ready(&app).await;
    let out = std::process::Command::new(BIN)
        .args(["generate", "1200", "--database", &app.db_url()])
        .env_remove("CONG_CONFIG")
        .env("CONG_SITE__MEDIA_DIR", app.dir.path().join("media"))
        .current_dir(app.dir.path())
        .output()
        .expect("cong generate");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("generated 1200 articles") && said.contains("1293 articles in all"),
        "{said}"
    );
    // News gets 9 of every 20: its listing grows from 32 to 572 articles, 58 pages.
    let html = app
        .get("/chuyen-muc/tin-tuc-su-kien?page=58")
        .await
        .text()
        .await
        .expect("body");
    assert!(
        html.contains(r#"aria-current="page">58<"#),
        "the last page exists"
    );
    let res = app.get("/chuyen-muc/tin-tuc-su-kien?page=59").await;
    assert_eq!(res.status(), 404, "and no further");
    // Generated slugs end in their number; the first of them is the newest: #94, after the
    // 90 demo articles and the 3 English ones.
    let newest = app.get("/").await.text().await.expect("body");
    let slug = regex::Regex::new(r#"href="/bai-viet/([a-z0-9-]+-94)""#)
        .expect("regex")
        .captures(&newest)
        .expect("the newest generated article on the home page")[1]
        .to_owned();
    let words = slug.trim_end_matches("-94").replace('-', " ");
    let took = until_search(&app, &words, Duration::from_secs(20), |s| s.contains(&slug)).await;
    assert!(took.is_some(), "{words:?} finds {slug} after the rebuild");
}
