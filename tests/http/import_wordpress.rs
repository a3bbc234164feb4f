//! A real WordPress site moved in: the export WordPress itself wrote
//! (scripts/wordpress-fixture.sh) imported by `cong import wordpress`, then read back over
//! HTTP: the posts, pages and pictures are there, bodies point at cong's pictures, the old
//! addresses redirect, a second import changes nothing, the report says what was not taken.

use crate::support::*;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// The fixture, built anew once per test process (from what the seed says now; installing
/// WordPress the first time on a machine).
fn fixture() -> PathBuf {
    static BUILT: Mutex<bool> = Mutex::new(false);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/wp-fixture");
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if !*built {
        let out = Command::new("bash")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/scripts/wordpress-fixture.sh"
            ))
            .arg(&dir)
            .stdin(Stdio::null())
            .output()
            .expect("run scripts/wordpress-fixture.sh");
        assert!(
            out.status.success(),
            "wordpress-fixture.sh: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    *built = true;
    dir
}

/// `cong import --database … wordpress EXPORT --media-from FIXTURE [extra]`: exit code and
/// report.
fn import(app: &TestApp, fixture: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let url = app.db_url();
    let export = fixture.join("export.xml");
    let out = Command::new(BIN)
        .args(["import", "--database", &url, "wordpress"])
        .arg(&export)
        .arg("--media-from")
        .arg(fixture)
        .args(extra)
        .env_remove("CONG_CONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("cong import");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.code().is_some(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), report)
}

/// The count check's line for `kind`: (in the source, in cong).
fn counted(report: &str, kind: &str) -> (usize, usize) {
    let line = report
        .lines()
        .find(|l| l.split_whitespace().next() == Some(kind) && l.split_whitespace().count() == 3)
        .unwrap_or_else(|| panic!("no count of {kind}"));
    let n: Vec<usize> = line
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().expect("number"))
        .collect();
    (n[0], n[1])
}

async fn moved(app: &TestApp, old: &str) -> String {
    let res = app.get(old).await;
    assert_eq!(res.status(), 301, "{old}");
    res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

#[tokio::test]
async fn a_wordpress_site_moves_in_with_its_pictures_and_old_addresses() {
    let fixture = fixture();
    let app = TestApp::builder().empty().start().await;

    let (code, report) = import(&app, &fixture, &["--dry-run"]);
    assert_eq!(code, 0, "{report}");
    assert!(
        report.contains(
            "post 9 “Hội nghị tổng kết hoạt động khoa học & công nghệ năm 2022”: would be added"
        ),
        "{report}"
    );
    assert_eq!(
        app.get("/bai-viet/hoi-nghi-tong-ket-2022").await.status(),
        404,
        "a dry run writes nothing"
    );

    let (code, report) = import(&app, &fixture, &[]);
    assert_eq!(code, 0, "{report}");
    // The count check: every post, page, picture and used category of the source is in cong.
    for (kind, n) in [("post", 6), ("attachment", 5), ("category", 4)] {
        assert_eq!(counted(&report, kind), (n, n), "{kind} in {report}");
    }
    assert!(
        report.contains("page 3 “Privacy Policy”: skipped: not published"),
        "{report}"
    );
    // What cong does not take is said, not dropped.
    assert!(
        report.contains("shortcode [contact-form-7] is not supported"),
        "{report}"
    );
    assert!(report.contains("<script> removed by the sanitizer"));
    assert!(report.contains("1 comment(s) not taken"));
    assert!(report.contains("cong has no tags; not taken: Chuyển đổi số, Hội nghị"));
    assert!(report.contains("a child of page 14"));

    // A post with a captioned picture, a linked one, its author and its featured image.
    let html = app.peek("/bai-viet/hoi-nghi-tong-ket-2022").await;
    assert!(html.contains("Hội nghị tổng kết hoạt động khoa học &amp; công nghệ năm 2022"));
    assert!(
        html.contains("Nguyễn Thị Hoa"),
        "the author's name as byline"
    );
    assert!(
        html.contains("<figcaption>Quang cảnh hội nghị</figcaption>"),
        "the caption a figure"
    );
    assert!(
        !html.contains("wp.cong-fixture.test"),
        "no picture left at the old site"
    );
    assert!(!html.contains("[caption"), "no shortcode left");
    let pictures: Vec<String> = regex::Regex::new(r#"src="(/media/[0-9a-f]{32}\.(?:jpg|png))""#)
        .expect("regex")
        .captures_iter(&html)
        .map(|c| c[1].to_owned())
        .collect();
    assert!(pictures.len() >= 2, "{pictures:?}");
    for p in &pictures {
        let res = app.get(p).await;
        assert_eq!(res.status(), 200, "{p}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .expect("type")
                .starts_with("image/")
        );
    }
    // The gallery post: its three pictures are the article's gallery, with their alt text.
    let html = app.peek("/bai-viet/ngay-hoi-sang-tao-anh").await;
    assert!(!html.contains("[gallery"));
    for alt in [
        "Lễ trao giải",
        "Gian trưng bày sản phẩm",
        "Phòng thí nghiệm của Trung tâm",
    ] {
        assert!(html.contains(&format!(r#"alt="{alt}""#)), "{alt}");
    }
    // The sticky post leads the home page; the draft and the scheduled post are not public.
    let home = app.peek("/").await;
    assert!(home.contains("/bai-viet/hoi-nghi-tong-ket-2022"));
    assert_eq!(app.get("/bai-viet/ke-hoach-2024").await.status(), 404);
    assert_eq!(
        app.get("/bai-viet/hoi-thao-sap-dien-ra").await.status(),
        404
    );
    let html = app.peek("/trang/chuc-nang-nhiem-vu").await;
    assert!(html.contains("Tham mưu, giúp UBND tỉnh"));

    // The old addresses.
    assert_eq!(
        moved(&app, "/?p=9").await,
        "/bai-viet/hoi-nghi-tong-ket-2022"
    );
    assert_eq!(
        moved(&app, "/2023/05/17/hoi-nghi-tong-ket-2022/").await,
        "/bai-viet/hoi-nghi-tong-ket-2022"
    );
    assert_eq!(moved(&app, "/?page_id=14").await, "/trang/gioi-thieu");
    assert_eq!(moved(&app, "/?cat=3").await, "/chuyen-muc/hoat-dong-cua-so");
    assert_eq!(
        moved(&app, "/category/tin-tuc-su-kien/hoat-dong-cua-so/").await,
        "/chuyen-muc/hoat-dong-cua-so"
    );
    assert!(
        moved(&app, "/?attachment_id=4")
            .await
            .starts_with("/media/")
    );
    assert_eq!(
        app.get("/?p=12").await.status(),
        200,
        "a draft's address is not sent on"
    );

    // Again: nothing added, nothing doubled.
    let (code, again) = import(&app, &fixture, &[]);
    assert_eq!(code, 0, "{again}");
    assert!(
        !again.contains(": added") && !again.contains(": updated"),
        "{again}"
    );
    let articles =
        cong_store::testing::query_i64(&app.db_url(), "SELECT COUNT(*) FROM articles").await;
    assert_eq!(articles, 6);
    let media = cong_store::testing::query_i64(&app.db_url(), "SELECT COUNT(*) FROM media").await;
    assert_eq!(media, 5);
}
