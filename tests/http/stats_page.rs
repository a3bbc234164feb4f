//! The statistics page (`/quan-tri/thong-ke`) and "Tin xem nhiều" over real HTTP: readers
//! read two new articles, the flush stores what they did, an editor sees the same numbers
//! in the page's tables, its CSV and its XLSX (opened with openpyxl); an author is refused;
//! the home and article pages list the most read first.

use crate::support::*;
use regex::Regex;

const PW: &str = "Sổ tay thống kê 2026";

/// The cells of the table with id `id` in `html`, row by row (header row left out).
fn table(html: &str, id: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!(r#"<table class="list" id="{id}">"#))
        .unwrap_or_else(|| panic!("table {id} on the page"));
    let rest = &html[start..];
    let body = &rest[rest.find("<tbody>").expect("tbody")..rest.find("</tbody>").expect("end")];
    let cell = Regex::new(r"<t[hd][^>]*>([^<]*)</t[hd]>").expect("regex");
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            cell.captures_iter(row)
                .map(|c| c[1].replace("&amp;", "&"))
                .collect()
        })
        .collect()
}

/// Page numbers are written "1.234"; exports keep plain digits.
fn plain(cells: &[Vec<String>]) -> Vec<Vec<String>> {
    let digits = Regex::new(r"^[0-9.\-]+$").expect("regex");
    cells
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| {
                    if digits.is_match(c) && !c.contains('/') {
                        c.replace('.', "")
                    } else {
                        c.clone()
                    }
                })
                .collect()
        })
        .collect()
}

fn python() -> String {
    if let Ok(p) = std::env::var("CONG_TEST_PYTHON") {
        return p;
    }
    let dir = std::env::var("TEST_TOOLS_DIR").unwrap_or_else(|_| {
        let cache = std::env::var("XDG_CACHE_HOME")
            .unwrap_or_else(|_| format!("{}/.cache", std::env::var("HOME").unwrap_or_default()));
        format!("{cache}/portal-test-tools")
    });
    format!("{dir}/venv/bin/python")
}

/// The rows of an XLSX file's first sheet as openpyxl reads them (numbers as numbers).
fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<serde_json::Value>> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("bang.xlsx");
    std::fs::write(&path, bytes).expect("write");
    let out = std::process::Command::new(python())
        .args([
            "-c",
            "import json, sys, openpyxl\n\
             wb = openpyxl.load_workbook(sys.argv[1])\n\
             print(json.dumps([list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]))",
        ])
        .arg(&path)
        .output()
        .expect("python with openpyxl (scripts/install-test-tools.sh)");
    assert!(
        out.status.success(),
        "openpyxl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("csv record").iter().map(str::to_owned).collect())
        .collect()
}

async fn export(b: &Browser, table: &str, format: &str) -> Vec<u8> {
    let res = b
        .get(&format!(
            "/quan-tri/thong-ke/xuat?bang={table}&dinh-dang={format}&so-ngay=30"
        ))
        .await;
    assert_eq!(res.status(), 200, "{table}.{format}");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment"),
    );
    res.bytes().await.expect("body").to_vec()
}

/// The titles in the "Tin xem nhiều" block of a public page, in order.
fn most_read_block(html: &str) -> Vec<String> {
    let start = html
        .find(r#"id="xem-nhieu-title""#)
        .expect("Tin xem nhiều block");
    let rest = &html[start..];
    let block = &rest[..rest.find("</ol>").expect("list end")];
    Regex::new(r#"<a href="[^"]+">([^<]+)</a>"#)
        .expect("regex")
        .captures_iter(block)
        .map(|c| c[1].to_owned())
        .collect()
}

#[tokio::test]
async fn statistics_page_exports_and_most_read_agree() {
    let app = TestApp::builder()
        .env("CONG_CACHE__MAX_AGE", "1s")
        .start()
        .await;
    app.add_user("bientap", "editor", PW);
    app.add_user("phongvien", "author", PW);
    let mut editor = app.login("bientap", PW).await;
    let body = "<p>Nội dung bài viết.</p>";
    editor
        .publish("Bài nhiều người đọc", 2, "Tóm tắt", body)
        .await;
    editor.publish("Bài ít người đọc", 2, "Tóm tắt", body).await;
    let (more, less) = (
        "/bai-viet/bai-nhieu-nguoi-doc",
        "/bai-viet/bai-it-nguoi-doc",
    );

    // Three readers of one article (one of them twice: a page view, not a second article
    // view), one reader of the other; a crawler counts for nothing.
    for ip in ["127.0.0.41", "127.0.0.42", "127.0.0.43"] {
        assert_eq!(app.get_from(ip, CHROME, more).await.status(), 200);
    }
    app.get_from("127.0.0.41", CHROME, more).await;
    app.get_from("127.0.0.44", CHROME, less).await;
    app.get_from("127.0.0.45", GOOGLEBOT, less).await;
    after_flush().await;

    let (status, page) = editor.get_page("/quan-tri/thong-ke").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"role="img""#), "the chart is an image");
    let today = table(&page, "so-lieu-xem-nhieu-hom-nay");
    assert_eq!(
        today,
        vec![
            vec!["1", "Bài nhiều người đọc", "Tin tức - Sự kiện", "3"],
            vec!["2", "Bài ít người đọc", "Tin tức - Sự kiện", "1"],
        ],
        "most read today, with their section"
    );
    let days = table(&page, "so-lieu-ngay");
    assert_eq!(days.len(), 30);
    let last = days.last().expect("today");
    assert_eq!(
        (last[1].as_str(), last[2].as_str()),
        ("4", "5"),
        "four readers' visits, five counted page views"
    );

    // The exports hold the page's numbers.
    for key in [
        "ngay",
        "thang",
        "xem-nhieu-hom-nay",
        "xem-nhieu-tat-ca",
        "chuyen-muc",
        "tac-gia",
    ] {
        let shown = plain(&table(&page, &format!("so-lieu-{key}")));
        let csv = csv_rows(&export(&editor, key, "csv").await);
        assert_eq!(csv, shown, "{key}.csv");
        let xlsx = xlsx_rows(&export(&editor, key, "xlsx").await);
        let as_text: Vec<Vec<String>> = xlsx
            .iter()
            .skip(1)
            .map(|r| {
                r.iter()
                    .map(|v| match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(as_text, shown, "{key}.xlsx");
    }
    let xlsx = xlsx_rows(&export(&editor, "xem-nhieu-hom-nay", "xlsx").await);
    assert_eq!(xlsx[1][3], serde_json::json!(3), "numbers stay numbers");

    // Bad choices are clear 400s, in Vietnamese.
    let res = editor.get("/quan-tri/thong-ke?so-ngay=7").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.expect("body").contains("30, 90 hoặc 365"));
    let res = editor
        .get("/quan-tri/thong-ke/xuat?bang=khong-co&dinh-dang=csv")
        .await;
    assert_eq!(res.status(), 400);
    let res = editor
        .get("/quan-tri/thong-ke/xuat?bang=ngay&dinh-dang=pdf")
        .await;
    assert_eq!(res.status(), 400);
    for range in ["90", "365"] {
        let (status, _) = editor
            .get_page(&format!("/quan-tri/thong-ke?so-ngay={range}"))
            .await;
        assert_eq!(status, 200, "{range} days");
    }

    // Authors do not see the site's statistics.
    let author = app.login("phongvien", PW).await;
    assert_eq!(author.get("/quan-tri/thong-ke").await.status(), 403);
    assert_eq!(
        author
            .get("/quan-tri/thong-ke/xuat?bang=ngay&dinh-dang=csv")
            .await
            .status(),
        403
    );

    // Readers see the most read first, on the home page and on article pages (their cached
    // copies are at most `cache.max_age` old).
    let home = app.peek("/").await;
    let listed = most_read_block(&home);
    assert_eq!(
        listed[..2],
        [
            "Bài nhiều người đọc".to_owned(),
            "Bài ít người đọc".to_owned()
        ]
    );
    let article = app.peek(less).await;
    assert_eq!(most_read_block(&article)[..2], listed[..2]);
}

#[tokio::test]
async fn dashboard_shows_what_needs_attention() {
    let app = TestApp::start().await;
    app.add_user("bientap", "editor", PW);
    app.add_user("phongvien", "author", PW);
    let mut editor = app.login("bientap", PW).await;
    // A draft scheduled for 2030.
    editor.get_page("/quan-tri/bai-viet/moi").await;
    let res = editor
        .post(
            "/quan-tri/bai-viet/moi",
            &[
                ("title", "Bài hẹn giờ năm 2030"),
                ("section_id", "2"),
                ("summary", "Tóm tắt"),
                ("body_html", "<p>Nội dung.</p>"),
                ("author", "Kiều Diễm"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let edit = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let id = edit
        .trim_start_matches("/quan-tri/bai-viet/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    let res = editor
        .post(
            &format!("/quan-tri/bai-viet/{id}/xuat-ban"),
            &[("publish_at", "2030-01-01T08:00")],
        )
        .await;
    assert_eq!(res.status(), 303, "scheduled");
    app.get_from("127.0.0.51", CHROME, "/").await;
    after_flush().await;

    let (status, page) = editor.get_page("/quan-tri").await;
    assert_eq!(status, 200);
    assert!(page.contains("Bài hẹn giờ xuất bản"), "scheduled block");
    assert!(page.contains("Bài hẹn giờ năm 2030"));
    assert!(page.contains("Lượt xem trang"), "today's figures");
    assert!(page.contains("Thao tác gần đây"));
    assert!(
        page.contains("article.publish") || page.contains("article."),
        "{page}"
    );

    // An author: no site figures, no one else's actions, no one else's scheduled articles.
    let mut author = app.login("phongvien", PW).await;
    let (status, page) = author.get_page("/quan-tri").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Lượt xem trang"));
    assert!(!page.contains("Bài hẹn giờ năm 2030"));
    assert!(!page.contains("bientap"));
}
