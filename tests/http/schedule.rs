//! Lịch công tác over HTTP on the demo's two weeks: the week page and its neighbours, the
//! day view, the leader filter, bad dates answered 400 with the reason, the iCalendar feeds
//! (headers, folding, and a parse by Python's icalendar with each start at the right
//! instant), the back office's week form (a bad row kept with its error, drafts not public
//! until the week is published, a cancelled entry struck through), 403 for authors, and
//! the kept page going stale on a change.

use crate::support::TestApp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

fn tz() -> TimeZone {
    TimeZone::get("Asia/Ho_Chi_Minh").expect("tz")
}

/// This week's Monday in Hà Nội (the demo was loaded this week).
fn monday() -> Date {
    let today = tz().to_datetime(Timestamp::now()).date();
    let back = i64::from(today.weekday().to_monday_zero_offset());
    today.checked_sub(Span::new().days(back)).expect("monday")
}

fn plus(d: Date, days: i64) -> Date {
    d.checked_add(Span::new().days(days)).expect("date")
}

fn dmy(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

#[tokio::test]
async fn the_week_its_neighbours_its_days_and_its_leaders() {
    let app = TestApp::start().await;
    let mon = monday();
    let res = app.get("/lich-cong-tac").await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.expect("body");
    assert!(
        page.contains(&format!("tuần từ {} đến {}", dmy(mon), dmy(plus(mon, 6)))),
        "{page}"
    );
    for words in [
        "Thứ Hai",
        "Chủ nhật",
        "Giao ban lãnh đạo Sở đầu tuần",
        "Kiểm tra thực tế nhiệm vụ khoa học",
        "Sáng",
        "Chiều",
        "Điều chỉnh",
        "Giám đốc Trần Minh Khoa",
        r#"<input type="date" id="ngay" name="ngay""#,
        &format!(
            r#"href="/lich-cong-tac?ngay={}" rel="prev""#,
            dmy(plus(mon, -7))
        ),
        &format!(
            r#"href="/lich-cong-tac?ngay={}" rel="next""#,
            dmy(plus(mon, 7))
        ),
        r#"href="/lich-cong-tac.ics""#,
    ] {
        assert!(page.contains(words), "{words} missing");
    }
    // The next week: the giao ban copied, and what was planned for it.
    let next = app
        .peek(&format!("/lich-cong-tac?ngay={}", plus(mon, 9)))
        .await;
    assert!(next.contains("Giao ban lãnh đạo Sở đầu tuần"));
    assert!(
        next.contains("Chuyển đổi số trong doanh nghiệp nhỏ và vừa"),
        "{next}"
    );
    assert!(!next.contains("Tiếp công dân định kỳ"));
    assert!(next.contains("Cả ngày"));
    // The day view: Monday alone.
    let day = app
        .peek(&format!("/lich-cong-tac?xem=ngay&ngay={}", dmy(mon)))
        .await;
    assert!(day.contains(&format!("Lịch công tác ngày {}", dmy(mon))));
    assert!(day.contains("Giao ban lãnh đạo Sở đầu tuần"));
    assert!(!day.contains("Hội nghị tổng kết công tác cải cách hành chính"));
    assert!(day.contains(&format!(
        r#"href="/lich-cong-tac?ngay={}&amp;xem=ngay" rel="next""#,
        dmy(plus(mon, 1))
    )));
    // One leader's week.
    let bao = app
        .peek(&format!(
            "/lich-cong-tac?ngay={}&lanh-dao=pho-giam-doc-pham-quoc-bao",
            dmy(mon)
        ))
        .await;
    assert!(bao.contains("Lịch của <strong>Phó Giám đốc Phạm Quốc Bảo</strong>"));
    assert!(bao.contains("Kiểm tra thực tế nhiệm vụ khoa học"));
    assert!(!bao.contains("Tiếp công dân định kỳ"));
    assert!(bao.contains(r#"href="/lich-cong-tac/lanh-dao/pho-giam-doc-pham-quoc-bao.ics""#));

    // Bad input: 400 with the reason, never 500.
    for (query, reason) in [
        ("ngay=31/02/2026", "không có trong lịch"),
        ("ngay=hom-nay", "không hợp lệ"),
        ("ngay=2026-13-45", "không"),
        ("ngay=01/01/99999", "không hợp lệ"),
        ("ngay=01/01/0001", "nằm ngoài khoảng"),
        ("xem=thang", "Cách xem"),
        ("lanh-dao=%3Cscript%3E", "Lãnh đạo đã chọn không hợp lệ"),
    ] {
        let res = app.get(&format!("/lich-cong-tac?{query}")).await;
        assert_eq!(res.status(), 400, "{query}");
        let body = res.text().await.expect("body");
        assert!(body.contains(reason), "{query}: {body}");
    }
}

/// The test tools' Python (with icalendar; see scripts/install-test-tools.sh).
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

/// The events of a feed as Python's icalendar reads them.
fn parsed(ics: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("lich.ics");
    std::fs::write(&path, ics).expect("write");
    let out = std::process::Command::new(python())
        .args([
            "-c",
            "import json, sys, datetime, icalendar\n\
             cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
             out = []\n\
             for e in cal.walk('VEVENT'):\n\
             \x20   s = e.decoded('DTSTART')\n\
             \x20   start = s.astimezone(datetime.timezone.utc).isoformat() if isinstance(s, datetime.datetime) else s.isoformat()\n\
             \x20   out.append({'uid': str(e['UID']), 'summary': str(e['SUMMARY']), 'start': start,\n\
             \x20     'sequence': int(e.get('SEQUENCE', 0)), 'status': str(e.get('STATUS', '')),\n\
             \x20     'location': str(e.get('LOCATION', ''))})\n\
             print(json.dumps(out))",
        ])
        .arg(&path)
        .output()
        .expect("python with icalendar (scripts/install-test-tools.sh)");
    assert!(
        out.status.success(),
        "icalendar: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[tokio::test]
async fn the_feeds_are_icalendar() {
    let app = TestApp::start().await;
    let res = app.get("/lich-cong-tac.ics").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let ics = res.text().await.expect("body");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        assert!(!line.contains('\n'), "a bare LF: {line:?}");
    }
    let events = parsed(&ics);
    // Six this week, four next week (the giao ban copied).
    assert_eq!(events.len(), 10, "{events:?}");
    let giao_ban: Vec<_> = events
        .iter()
        .filter(|e| e["summary"] == "Giao ban lãnh đạo Sở đầu tuần")
        .collect();
    assert_eq!(giao_ban.len(), 2);
    // 07:30 in Hà Nội is 00:30 UTC.
    let mon = monday();
    assert_eq!(
        giao_ban[0]["start"],
        format!("{mon}T00:30:00+00:00"),
        "{giao_ban:?}"
    );
    assert_ne!(giao_ban[0]["uid"], giao_ban[1]["uid"]);
    let moved = events
        .iter()
        .find(|e| {
            e["summary"]
                .as_str()
                .is_some_and(|s| s.starts_with("Họp Hội đồng"))
        })
        .expect("the council");
    assert_eq!(moved["sequence"], 1);
    assert_eq!(moved["start"], format!("{}T07:30:00+00:00", plus(mon, 3)));
    assert_eq!(moved["location"], "Hội trường tầng 1, trụ sở Sở");
    let all_day = events
        .iter()
        .find(|e| {
            e["summary"]
                .as_str()
                .is_some_and(|s| s.starts_with("Làm việc tại huyện"))
        })
        .expect("all day");
    assert_eq!(all_day["start"], plus(mon, 11).to_string());

    // One leader's feed.
    let res = app
        .get("/lich-cong-tac/lanh-dao/pho-giam-doc-pham-quoc-bao.ics")
        .await;
    assert_eq!(res.status(), 200);
    let bao = parsed(&res.text().await.expect("body"));
    assert_eq!(bao.len(), 4, "{bao:?}");
    assert!(bao.iter().all(|e| e["summary"] != "Tiếp công dân định kỳ"));
    for missing in [
        "/lich-cong-tac/lanh-dao/khong-co-ai.ics",
        "/lich-cong-tac/lanh-dao/pho-giam-doc-pham-quoc-bao",
    ] {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
}

#[tokio::test]
async fn the_back_office_drafts_publishes_and_calls_off() {
    let app = TestApp::start().await;
    app.add_user("bientap", "editor", "mat-khau-bien-tap-1");
    app.add_user("phongvien", "author", "mat-khau-phong-vien-1");
    // A week of its own, a month ahead, empty in the demo.
    let mon = plus(monday(), 28);
    let week = format!("/lich-cong-tac?ngay={}", dmy(mon));
    let admin_week = format!("/quan-tri{week}");

    let mut author = app.login("phongvien", "mat-khau-phong-vien-1").await;
    let (status, _) = author.get_page(&admin_week).await;
    assert_eq!(status, 403);
    let res = author
        .post(
            "/quan-tri/lich-cong-tac",
            &[("ngay", &dmy(mon)), ("action", "congbo")],
        )
        .await;
    assert_eq!(res.status(), 403);

    let mut editor = app.login("bientap", "mat-khau-bien-tap-1").await;
    let (status, form) = editor.get_page(&admin_week).await;
    assert_eq!(status, 200);
    assert!(form.contains("Sao chép lịch lặp lại của tuần trước"));
    assert!(
        form.contains(r#"name="so-dong" value="3""#),
        "three blank rows"
    );
    // The public page, kept before the change.
    let before = app.peek(&week).await;
    assert!(before.contains("Chưa có lịch công tác trong tuần này"));

    let iso = plus(mon, 2).to_string();
    let row = |start: &'static str| {
        vec![
            ("ngay", dmy(mon)),
            ("so-dong", "2".to_owned()),
            ("r0-ngay", iso.clone()),
            ("r0-gio", start.to_owned()),
            ("r0-lanh-dao", "Giám đốc Trần Minh Khoa".to_owned()),
            (
                "r0-noi-dung",
                "Họp bàn kế hoạch <kiểm tra> cuối năm".to_owned(),
            ),
            ("r0-dia-diem", "Phòng họp số 2".to_owned()),
            ("r1-ngay", iso.clone()),
            ("r1-gio", "15:00".to_owned()),
            (
                "r1-noi-dung",
                "Làm việc với Phòng Quản lý khoa học".to_owned(),
            ),
            ("action", "luu".to_owned()),
        ]
    };
    let fields = |v: &[(&'static str, String)]| -> Vec<(&'static str, String)> { v.to_vec() };
    let bad = fields(&row("25:00"));
    let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = editor.post("/quan-tri/lich-cong-tac", &refs).await;
    assert_eq!(res.status(), 422);
    let again = res.text().await.expect("body");
    assert!(again.contains("Giờ “25:00” không hợp lệ"), "{again}");
    assert!(again.contains("Họp bàn kế hoạch &lt;kiểm tra&gt; cuối năm"));
    assert!(again.contains("Làm việc với Phòng Quản lý khoa học"));
    assert!(again.contains(r#"value="25:00""#));

    let good = fields(&row("08:00"));
    let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = editor.post("/quan-tri/lich-cong-tac", &refs).await;
    assert_eq!(res.status(), 303);
    // Drafts are not public.
    let page = app.peek(&week).await;
    assert!(!page.contains("Họp bàn kế hoạch"));
    let res = editor
        .post(
            "/quan-tri/lich-cong-tac",
            &[("ngay", &dmy(mon)), ("action", "congbo")],
        )
        .await;
    assert_eq!(res.status(), 303);
    // The kept page went stale: the week shows both, the first at its time.
    let page = app.peek(&week).await;
    assert!(
        page.contains("Họp bàn kế hoạch &lt;kiểm tra&gt; cuối năm"),
        "{page}"
    );
    assert!(page.contains(r#"<span class="time">08:00</span>"#));
    assert!(!page.contains("Điều chỉnh"));

    // Cancel the first: struck through, marked adjusted, in the feed as cancelled.
    let (_, form) = editor.get_page(&admin_week).await;
    let id = regex::Regex::new(r#"name="r0-id" value="(\d+)""#)
        .expect("regex")
        .captures(&form)
        .expect("the row's id")[1]
        .to_owned();
    let mut all = vec![("ngay", dmy(mon)), ("so-dong", "0".to_owned())];
    all.push(("action", format!("huy-{id}")));
    let refs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = editor.post("/quan-tri/lich-cong-tac", &refs).await;
    assert_eq!(res.status(), 303);
    let page = app.peek(&week).await;
    assert!(
        page.contains("Hủy:</strong> <del>Họp bàn kế hoạch"),
        "{page}"
    );
    assert!(page.contains("Điều chỉnh"));
    let ics = app.peek("/lich-cong-tac.ics").await;
    let cancelled = parsed(&ics)
        .into_iter()
        .find(|e| {
            e["uid"]
                .as_str()
                .is_some_and(|u| u.contains(&format!("-{id}@")))
        })
        .expect("in the feed");
    assert_eq!(cancelled["status"], "CANCELLED");
    assert_eq!(cancelled["sequence"], 1);

    // Audited.
    let store = app.store().await;
    let (audit, _) = store
        .audit()
        .list(&cong_store::audit::AuditFilter::default(), 100, 0)
        .await
        .expect("audit");
    for action in ["schedule.save", "schedule.publish", "schedule.cancel"] {
        assert!(
            audit
                .iter()
                .any(|e| e.action == action && e.username == "bientap"),
            "{action}"
        );
    }
}
