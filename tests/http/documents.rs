//! The documents library over HTTP on the demo's forty-two documents: the list's filters alone
//! and together, the pager, a bad filter, a document's page with its relations both ways,
//! its files' downloads, feeds and sitemap; then the back office: a document with files
//! found by words that are only inside its files, and uploads refused one by one.

use crate::support::*;
use std::time::{Duration, Instant};

const PW: &str = "Giấy trắng 2026!";

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

/// The numbers of the documents a list shows, in order.
fn numbers(html: &str) -> Vec<String> {
    html.split(r#"<td class="doc-number"><a href=""#)
        .skip(1)
        .filter_map(|s| {
            s.split_once("\">")?
                .1
                .split_once("</a>")
                .map(|(n, _)| n.to_owned())
        })
        .collect()
}

/// The total the list states.
fn total(html: &str) -> i64 {
    html.split_once("Có <strong>")
        .and_then(|(_, r)| r.split_once("</strong>"))
        .and_then(|(n, _)| n.replace('.', "").parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn the_library_filters_pages_and_refuses_a_bad_filter() {
    let app = TestApp::start().await;
    let (status, html) = page(&app, "/van-ban").await;
    assert_eq!(status, 200);
    assert_eq!(total(&html), 42);
    let first = numbers(&html);
    assert_eq!(first.len(), 20);
    assert!(html.contains(r#"href="/van-ban?page=2"#), "a pager");
    // The menu leads here.
    assert!(html.contains(r#"<a href="/van-ban""#), "in the menu");
    let (status, html) = page(&app, "/van-ban?page=2").await;
    assert_eq!(status, 200);
    let second = numbers(&html);
    assert_eq!(second.len(), 20);
    assert!(
        second.iter().all(|n| !first.contains(n)),
        "no document twice"
    );
    let (_, third) = page(&app, "/van-ban?page=3").await;
    assert_eq!(numbers(&third).len(), 2, "the last two");
    assert_eq!(page(&app, "/van-ban?page=4").await.0, 404);

    // Each filter alone, then together: decisions; of the province; of 2025.
    // (The two drafts out for comment are decisions, one of the province.)
    let (_, html) = page(&app, "/van-ban?loai=quyet-dinh").await;
    assert_eq!(total(&html), 16);
    let (_, html) = page(&app, "/van-ban?co-quan=ubnd-tinh").await;
    assert_eq!(total(&html), 11);
    let (_, html) = page(&app, "/van-ban?loai=quyet-dinh&co-quan=ubnd-tinh").await;
    assert_eq!(total(&html), 9);
    let (_, html) = page(&app, "/van-ban?loai=quyet-dinh&co-quan=ubnd-tinh&nam=2025").await;
    assert_eq!(numbers(&html), ["1876/QĐ-UBND", "07/2025/QĐ-UBND"]);
    let (_, html) = page(&app, "/van-ban?linh-vuc=chuyen-doi-so").await;
    assert_eq!(total(&html), 8);
    // The form shows what was chosen, so the address can be shared and changed.
    assert!(html.contains(r#"<option value="chuyen-doi-so" selected>"#));
    // Whole words, with or without marks.
    let (_, html) = page(&app, "/van-ban?q=phan+anh+kien+nghi").await;
    assert_eq!(numbers(&html), ["544/QĐ-SKHCN"]);
    // Replaced long ago: expired for good, whatever day the test runs.
    let (_, html) = page(&app, "/van-ban?hieu-luc=het-hieu-luc").await;
    let expired = numbers(&html);
    for n in ["45/KH-SKHCN", "14/2021/QĐ-UBND"] {
        assert!(expired.iter().any(|e| e == n), "{n} in {expired:?}");
    }
    assert_eq!(
        html.matches("effect effect-expired").count(),
        expired.len(),
        "every row says so"
    );
    // A filter value that is not in the lists is the reader's mistake, said in a sentence.
    for bad in [
        "/van-ban?loai=sac-lenh",
        "/van-ban?nam=hai-nghin",
        "/van-ban?hieu-luc=x",
    ] {
        let (status, html) = page(&app, bad).await;
        assert_eq!(status, 400, "{bad}");
        assert!(html.contains(r#"role="alert""#), "{bad}");
    }
}

#[tokio::test]
async fn a_document_shows_its_fields_files_and_relations_both_ways() {
    let app = TestApp::start().await;
    let (status, html) = page(&app, "/van-ban/45-kh-skhcn").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<meta name="DC.identifier" content="45/KH-SKHCN">"#));
    assert!(html.contains("Hết hiệu lực"));
    assert!(html.contains("Bị thay thế bởi:"), "the other way");
    assert!(html.contains(r#"<a href="/van-ban/52-kh-skhcn">52/KH-SKHCN</a>"#));
    let (_, html) = page(&app, "/van-ban/52-kh-skhcn").await;
    assert!(html.contains("Thay thế:"));
    assert!(html.contains(r#"<a href="/van-ban/45-kh-skhcn">45/KH-SKHCN</a>"#));
    assert!(html.contains(r#""@type":"Legislation""#), "JSON-LD");

    // 544 carries a PDF and a DOCX; both download under their names, the PDF also opens.
    let (_, html) = page(&app, "/van-ban/544-qd-skhcn").await;
    let links: Vec<&str> = html
        .split(r#"<a href="/tep/"#)
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(l, _)| l))
        .collect();
    let pdf = links
        .iter()
        .find(|l| l.ends_with(".pdf"))
        .expect("a pdf link");
    let res = app.get(&format!("/tep/{pdf}")).await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let cd = h["content-disposition"].to_str().expect("ascii");
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert!(cd.contains("filename*=UTF-8''"), "{cd}");
    let bytes = res.bytes().await.expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    let res = app.get(&format!("/tep/{pdf}?xem=1")).await;
    let h = res.headers();
    assert!(
        h["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("inline;")
    );
    assert!(
        h["content-security-policy"]
            .to_str()
            .expect("ascii")
            .contains("sandbox")
    );
    // Ranges work (PDF viewers read pieces).
    let res = app
        .client()
        .get(app.url(&format!("/tep/{pdf}")))
        .header("range", "bytes=0-4")
        .send()
        .await
        .expect("range");
    assert_eq!(res.status(), 206);
    assert_eq!(&res.bytes().await.expect("part")[..], b"%PDF-");
    let docx = links
        .iter()
        .find(|l| l.ends_with(".docx"))
        .expect("a docx link");
    let res = app.get(&format!("/tep/{docx}")).await;
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    // Not through /media (which would skip the check that it is published), not by a wrong id.
    let store = app.store().await;
    let hash: String = {
        let id: i64 = pdf
            .split('/')
            .next()
            .and_then(|i| i.parse().ok())
            .expect("id");
        store
            .files(cong_store::SiteId::FIRST)
            .find_by_id(id)
            .await
            .expect("row")
            .expect("file")
            .hash
    };
    assert_eq!(app.get(&format!("/media/{hash}.pdf")).await.status(), 404);
    assert_eq!(app.get("/tep/999999/x.pdf").await.status(), 404);
    assert_eq!(app.get("/tep/abc/x.pdf").await.status(), 404);

    // New documents in feeds; every document in the sitemap.
    let (_, rss) = page(&app, "/van-ban/rss.xml").await;
    assert_eq!(rss.matches("<item>").count(), 30);
    let (_, atom) = page(&app, "/van-ban/atom.xml").await;
    assert!(atom.contains("<entry>"));
    let (_, map) = page(&app, "/sitemap.xml").await;
    assert!(map.contains("/van-ban/544-qd-skhcn</loc>"));
    assert!(map.contains("/van-ban</loc>"));
}

/// A multipart POST of the document form, files included.
pub(crate) async fn post_document(
    b: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    files: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("csrf", b.csrf.clone());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in files {
        form = form.part(
            "upload",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    }
    b.client
        .post(b.url(path))
        .multipart(form)
        .send()
        .await
        .expect("post")
}

/// The id of the first `<option>` whose label is `label` in `html`.
pub(crate) fn option_value(html: &str, label: &str) -> String {
    let end = html.find(&format!(">{label}</option>")).expect("option");
    let start = html[..end].rfind("value=\"").expect("value") + 7;
    html[start..end].split('"').next().expect("id").to_owned()
}

async fn search_html(app: &TestApp, q: &str, kind: &str) -> String {
    let q: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("q", q)
        .append_pair("loai", kind)
        .finish();
    page(app, &format!("/tim-kiem?{q}")).await.1
}

#[tokio::test]
async fn words_only_inside_the_files_find_the_document() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let mut admin = app.login("quantri", PW).await;
    let (_, form) = admin.get_page("/quan-tri/van-ban/moi").await;
    let type_id = option_value(&form, "Quyết định");
    let issuer = option_value(&form, "UBND tỉnh");
    let pdf = cong_files::make::pdf(
        "Phụ lục",
        &["Danh mục giống thanh long ruột đỏ được khuyến khích xuất khẩu sang Nhật Bản."],
    );
    let docx = cong_files::make::docx(
        "Mẫu đơn",
        &["Đơn đề nghị cấp giấy chứng nhận nuôi cấy mô phong lan hồ điệp."],
    );
    let xlsx = cong_files::make::xlsx(&[
        vec!["STT".into(), "Đơn vị".into(), "Kinh phí".into()],
        vec![
            "1".into(),
            "Trạm khí tượng hải văn Phú Quý".into(),
            "120".into(),
        ],
    ]);
    let res = post_document(
        &admin,
        "/quan-tri/van-ban/moi",
        &[
            ("number", "77/2026/QĐ-UBND"),
            ("type_id", &type_id),
            ("issuer_id", &issuer),
            ("summary", "Về việc ban hành một quy định"),
            ("issued_on", "2026-02-03"),
        ],
        vec![
            ("Phụ lục giống cây.pdf", pdf),
            ("Mẫu đơn.docx", docx),
            ("Bảng kinh phí.xlsx", xlsx),
        ],
    )
    .await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let location = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let id = location
        .trim_start_matches("/quan-tri/van-ban/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    let (_, edit) = admin.get_page(&location).await;
    assert_eq!(
        edit.matches(r#"name="file" value=""#).count(),
        3,
        "three files kept"
    );
    let res = admin
        .post(
            &format!("/quan-tri/van-ban/{id}/trang-thai"),
            &[("to", "published")],
        )
        .await;
    assert_eq!(res.status(), 303);
    // In a PDF, a DOCX and an XLSX; typed without marks and with them.
    for q in [
        "thanh long ruot do",
        "thanh long ruột đỏ",
        "phong lan ho diep",
        "khí tượng hải văn Phú Quý",
    ] {
        let start = Instant::now();
        loop {
            let html = search_html(&app, q, "").await;
            if html.contains("/van-ban/77-2026-qd-ubnd") {
                assert!(html.contains("Trong tệp đính kèm:"), "{q}: said where");
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "{q} found");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let only_documents = search_html(&app, q, "van-ban").await;
        assert!(only_documents.contains("/van-ban/77-2026-qd-ubnd"), "{q}");
        let only_articles = search_html(&app, q, "bai-viet").await;
        assert!(!only_articles.contains("/van-ban/77-2026-qd-ubnd"), "{q}");
    }
    // Articles, documents and questions mix when no filter is chosen: all is their sum.
    let found = |html: &str| -> i64 {
        html.split_once("Tìm thấy <strong>")
            .and_then(|(_, r)| r.split_once("</strong>"))
            .and_then(|(n, _)| n.replace('.', "").parse().ok())
            .unwrap_or(0)
    };
    let all = found(&search_html(&app, "khoa học công nghệ", "").await);
    let articles = found(&search_html(&app, "khoa học công nghệ", "bai-viet").await);
    let documents_html = search_html(&app, "khoa học công nghệ", "van-ban").await;
    let documents = found(&documents_html);
    let questions = found(&search_html(&app, "khoa học công nghệ", "hoi-dap").await);
    assert!(articles > 0 && documents > 0, "{articles} {documents}");
    assert_eq!(all, articles + documents + questions);
    assert!(
        !documents_html.contains(r#"<a href="/bai-viet/"#),
        "documents only"
    );
    assert!(documents_html.contains(r#"<span class="result-kind">Văn bản</span>"#));
}

/// A zip holding `entries` (name, bytes), deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            z.start_file(*name, opts).expect("entry");
            z.write_all(bytes).expect("write");
        }
        z.finish().expect("finish");
    }
    out.into_inner()
}

const MACRO_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>"#;
const DOCX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

#[tokio::test]
async fn dangerous_or_oversized_uploads_are_refused_each_with_its_reason() {
    let app = TestApp::builder()
        .env("CONG_FILES__MAX_PDF_BYTES", "60000")
        .start()
        .await;
    app.add_user("quantri", "admin", PW);
    let mut admin = app.login("quantri", PW).await;
    let (_, form) = admin.get_page("/quan-tri/van-ban/moi").await;
    let type_id = option_value(&form, "Thông báo");
    let issuer = option_value(&form, "Sở Khoa học và Công nghệ");
    let store = app.store().await;
    let files_before = store
        .files(cong_store::SiteId::FIRST)
        .list(10_000, 0)
        .await
        .expect("files")
        .len();
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.resize(4096, 0);
    let big_pdf = {
        let para = "Nội dung rất dài của một văn bản được lặp lại nhiều lần để tệp vượt giới hạn. ";
        let text = para.repeat(60);
        let paras: Vec<&str> = std::iter::repeat_n(text.as_str(), 80).collect();
        cong_files::make::pdf("Tệp lớn", &paras)
    };
    assert!(
        big_pdf.len() > 60_000,
        "the big PDF is big: {}",
        big_pdf.len()
    );
    let zeros = vec![0u8; 300 * 1024 * 1024];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("hoa-don.pdf", elf, "chương trình"),
        (
            "bao-cao.docm",
            zip_of(&[
                ("[Content_Types].xml", MACRO_TYPES.as_bytes()),
                ("word/document.xml", b"<w:document/>"),
            ]),
            "macro",
        ),
        (
            "thong-bao.pdf",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".to_vec(),
            "HTML",
        ),
        (
            "mau-don.docx",
            zip_of(&[
                ("[Content_Types].xml", DOCX_TYPES.as_bytes()),
                ("word/document.xml", &zeros),
            ]),
            "",
        ),
        ("lon.pdf", big_pdf, "quá lớn"),
    ];
    drop(zeros);
    let mut messages = Vec::new();
    for (name, bytes, says) in cases {
        let res = post_document(
            &admin,
            "/quan-tri/van-ban/moi",
            &[
                ("number", "1/TB-THU"),
                ("type_id", &type_id),
                ("issuer_id", &issuer),
                ("summary", "Thử tải tệp"),
                ("issued_on", "2026-02-03"),
            ],
            vec![(name, bytes)],
        )
        .await;
        assert_eq!(res.status(), 422, "{name} refused");
        let html = res.text().await.expect("body");
        let message = html
            .split_once(&format!("Tệp “{name}”:"))
            .and_then(|(_, r)| r.split_once('<'))
            .map(|(m, _)| m.trim().to_owned())
            .unwrap_or_else(|| panic!("{name}: a message naming the file in {html}"));
        assert!(message.contains(says), "{name}: {message}");
        // What the person typed is still there.
        assert!(
            html.contains(r#"value="1/TB-THU""#),
            "{name}: the form kept"
        );
        messages.push(message);
    }
    let mut distinct = messages.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), messages.len(), "each its own: {messages:?}");
    let files_after = store
        .files(cong_store::SiteId::FIRST)
        .list(10_000, 0)
        .await
        .expect("files")
        .len();
    assert_eq!(files_before, files_after, "nothing stored");
    assert_eq!(
        admin
            .get_page("/quan-tri/van-ban?tim=1%2FTB-THU")
            .await
            .1
            .matches("/quan-tri/van-ban/")
            .count()
            - admin
                .get_page("/quan-tri/van-ban?tim=zzzz")
                .await
                .1
                .matches("/quan-tri/van-ban/")
                .count(),
        0,
        "no document saved"
    );
    // A real PDF and DOCX are taken.
    let res = post_document(
        &admin,
        "/quan-tri/van-ban/moi",
        &[
            ("number", "2/TB-THU"),
            ("type_id", &type_id),
            ("issuer_id", &issuer),
            ("summary", "Thử tải tệp hợp lệ"),
            ("issued_on", "2026-02-03"),
        ],
        vec![
            (
                "Thông báo.pdf",
                cong_files::make::pdf("Thông báo", &["Nội dung."]),
            ),
            (
                "Mẫu đơn.docx",
                cong_files::make::docx("Mẫu", &["Nội dung."]),
            ),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn a_sheet_and_its_files_import_in_the_back_office_and_at_the_command_line() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let mut admin = app.login("quantri", PW).await;
    admin.get_page("/quan-tri/van-ban/nhap").await;
    let row = |n: &str, date: &str, file: &str| -> Vec<String> {
        [
            n,
            "Quyết định",
            "UBND tỉnh",
            "Lê Văn B",
            &format!("Về việc số {n}"),
            date,
            "Chuyển đổi số",
            file,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let sheet = cong_files::make::xlsx(&[
        [
            "Số ký hiệu",
            "Loại văn bản",
            "Cơ quan ban hành",
            "Người ký",
            "Trích yếu",
            "Ngày ban hành",
            "Lĩnh vực",
            "Tệp",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        row("901/QĐ-UBND", "05/01/2026", "Quyết định 901.pdf"),
        row("902/QĐ-UBND", "06/01/2026", ""),
        row("903/QĐ-UBND", "07/01/2026", "khong-gui.pdf"),
    ]);
    let form = reqwest::multipart::Form::new()
        .text("csrf", admin.csrf.clone())
        .part(
            "sheet",
            reqwest::multipart::Part::bytes(sheet).file_name("danh-muc.xlsx"),
        )
        .part(
            "upload",
            reqwest::multipart::Part::bytes(cong_files::make::pdf("QĐ 901", &["Nội dung."]))
                .file_name("Quyết định 901.pdf"),
        );
    let res = admin
        .client
        .post(admin.url("/quan-tri/van-ban/nhap"))
        .multipart(form)
        .send()
        .await
        .expect("import");
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("report");
    assert!(
        html.contains("Đã nhập <strong>2</strong> văn bản"),
        "{html}"
    );
    assert!(html.contains("khong-gui.pdf"), "the refused row says why");
    let (status, html) = admin.get_page("/van-ban/901-qd-ubnd").await;
    assert_eq!(status, 200);
    assert!(html.contains("Quyết định 901.pdf"), "its file");

    // The same from a CSV and a folder, at the command line; a bad row makes the exit 1.
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("Kế hoạch 15.pdf"),
        cong_files::make::pdf("KH 15", &["Kế hoạch."]),
    )
    .expect("pdf");
    let csv = "Số ký hiệu,Loại văn bản,Cơ quan ban hành,Trích yếu,Ngày ban hành,Tệp\n\
               15/KH-SKHCN,Kế hoạch,Sở Khoa học và Công nghệ,Kế hoạch năm,10/02/2026,Kế hoạch 15.pdf\n\
               16/KH-SKHCN,Kế hoạch,Sở Khoa học và Công nghệ,Kế hoạch quý,32/02/2026,\n";
    let sheet = dir.path().join("bang.csv");
    std::fs::write(&sheet, csv).expect("csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cong"))
        .args(["documents", "--database", &app.db_url(), "import"])
        .arg(&sheet)
        .arg("--files")
        .arg(dir.path())
        .env_remove("CONG_CONFIG")
        .output()
        .expect("cong documents import");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("1 documents imported, 1 rows refused"),
        "{stdout}"
    );
    assert!(stdout.contains("row 3 refused"), "{stdout}");
    let start = Instant::now();
    loop {
        let (status, _) = page(&app, "/van-ban/15-kh-skhcn").await;
        if status == 200 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the node sees it"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn articles_carry_files_and_a_file_in_use_cannot_be_deleted() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", PW);
    let mut admin = app.login("quantri", PW).await;
    let id = admin
        .publish(
            "Thông báo tuyển chọn nhiệm vụ năm 2027",
            2,
            "Kèm mẫu đơn.",
            "<p>Xem các mẫu đơn đính kèm.</p>",
        )
        .await;
    let (_, edit) = admin.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    assert!(
        edit.contains(&format!(r#"action="/quan-tri/bai-viet/{id}/tep""#)),
        "the panel"
    );
    let form = reqwest::multipart::Form::new()
        .text("csrf", admin.csrf.clone())
        .part(
            "upload",
            reqwest::multipart::Part::bytes(cong_files::make::docx("Mẫu đơn", &["Đơn đăng ký."]))
                .file_name("Mẫu đơn đăng ký.docx"),
        )
        .part(
            "upload",
            reqwest::multipart::Part::bytes(cong_files::make::pdf_without_text())
                .file_name("Bản quét.pdf"),
        );
    let res = admin
        .client
        .post(admin.url(&format!("/quan-tri/bai-viet/{id}/tep")))
        .multipart(form)
        .send()
        .await
        .expect("attach");
    assert_eq!(res.status(), 303);
    let (_, edit) = admin.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let end = edit
        .find(">Xem trên trang</a>")
        .expect("the public address");
    let start = edit[..end].rfind("/bai-viet/").expect("an article address") + "/bai-viet/".len();
    let slug = edit[start..end].trim_end_matches('"').to_owned();
    let start = Instant::now();
    let html = loop {
        let (_, html) = page(&app, &format!("/bai-viet/{slug}")).await;
        if html.contains("Tệp đính kèm") {
            break html;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the page shows the files"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(html.contains("Mẫu đơn đăng ký.docx"));
    // The scan is taken, and said to have no text to search.
    assert!(html.contains("Bản quét.pdf"));
    assert!(html.contains("không tìm kiếm được nội dung"));
    let file_id: String = html
        .split_once(r#"<a href="/tep/"#)
        .and_then(|(_, r)| r.split_once('/'))
        .map(|(i, _)| i.to_owned())
        .expect("a file link");
    // In use: refused with a sentence, still served.
    admin.get_page("/quan-tri/tep").await;
    let res = admin
        .post(&format!("/quan-tri/tep/{file_id}/xoa"), &[])
        .await;
    assert_eq!(res.status(), 409);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("đang được đính kèm")
    );
    // Taken off the article, it can go; then it is not found.
    let (_, edit) = admin.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let kept: Vec<String> = edit
        .split(r#"<input type="hidden" name="file" value=""#)
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(v, _)| v.to_owned()))
        .collect();
    assert_eq!(kept.len(), 2);
    let mut form = reqwest::multipart::Form::new().text("csrf", admin.csrf.clone());
    for k in &kept {
        form = form.text("file", k.clone());
    }
    form = form.text("drop_file", file_id.clone());
    let res = admin
        .client
        .post(admin.url(&format!("/quan-tri/bai-viet/{id}/tep")))
        .multipart(form)
        .send()
        .await
        .expect("drop");
    assert_eq!(res.status(), 303);
    admin.get_page("/quan-tri/tep").await;
    let res = admin
        .post(&format!("/quan-tri/tep/{file_id}/xoa"), &[])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.get(&format!("/tep/{file_id}/x.docx")).await.status(),
        404
    );
}

#[tokio::test]
async fn the_operators_scanner_refuses_what_it_rejects() {
    let app = TestApp::builder()
        .env("CONG_FILES__SCANNER", "/bin/false")
        .start()
        .await;
    app.add_user("quantri", "admin", PW);
    let mut admin = app.login("quantri", PW).await;
    let (_, form) = admin.get_page("/quan-tri/van-ban/moi").await;
    let type_id = option_value(&form, "Thông báo");
    let issuer = option_value(&form, "Sở Khoa học và Công nghệ");
    let res = post_document(
        &admin,
        "/quan-tri/van-ban/moi",
        &[
            ("number", "3/TB-THU"),
            ("type_id", &type_id),
            ("issuer_id", &issuer),
            ("summary", "Thử trình quét"),
            ("issued_on", "2026-02-03"),
        ],
        vec![(
            "Thông báo.pdf",
            cong_files::make::pdf("Thông báo", &["Nội dung."]),
        )],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("trình quét"));
}
