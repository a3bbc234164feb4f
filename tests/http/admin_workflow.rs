//! The editorial workflow over HTTP: an author's draft, review, return with a comment,
//! publication (now or scheduled), unpublishing, revisions, renamed slugs.

use crate::support::*;

const ADMIN_PW: &str = "Đồng hồ cát 2026";
const AUTHOR_PW: &str = "Bút bi xanh 2026";
const EDITOR_PW: &str = "Giấy trắng 2026!";

struct Staff {
    app: TestApp,
    author: Browser,
    editor: Browser,
}

async fn staff() -> Staff {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", ADMIN_PW);
    app.add_user("phongvien", "author", AUTHOR_PW);
    app.add_user("bientap", "editor", EDITOR_PW);
    let author = app.login("phongvien", AUTHOR_PW).await;
    let editor = app.login("bientap", EDITOR_PW).await;
    Staff {
        app,
        author,
        editor,
    }
}

/// Creates a draft as `b`; returns its id.
async fn draft(b: &mut Browser, title: &str, body: &str) -> i64 {
    b.get_page("/quan-tri/bai-viet/moi").await;
    let res = b
        .post(
            "/quan-tri/bai-viet/moi",
            &[
                ("title", title),
                ("section_id", "2"),
                ("summary", "Tóm tắt bài"),
                ("body_html", body),
                ("author", "Kiều Diễm"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "draft created");
    let loc = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    loc.trim_start_matches("/quan-tri/bai-viet/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id in the location")
}

#[tokio::test]
async fn draft_review_return_fix_resubmit_publish() {
    let Staff {
        app,
        mut author,
        mut editor,
    } = staff().await;
    let id = draft(
        &mut author,
        "Hội nghị tập huấn chuyển đổi số",
        "<p>Bản đầu.</p>",
    )
    .await;
    let slug = "hoi-nghi-tap-huan-chuyen-doi-so";
    assert_eq!(
        app.get(&format!("/bai-viet/{slug}")).await.status(),
        404,
        "a draft is not public"
    );
    // The author cannot publish.
    author.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    assert_eq!(
        author
            .post(&format!("/quan-tri/bai-viet/{id}/xuat-ban"), &[])
            .await
            .status(),
        403
    );
    // Submit for review.
    assert_eq!(
        author
            .post(&format!("/quan-tri/bai-viet/{id}/gui-duyet"), &[])
            .await
            .status(),
        303
    );
    // While pending, the author can no longer change it.
    let res = author
        .post(
            &format!("/quan-tri/bai-viet/{id}"),
            &[("title", "Đổi lén"), ("section_id", "2")],
        )
        .await;
    assert_eq!(res.status(), 403);
    // The editor returns it with a comment; returning needs a reason.
    editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let res = editor
        .post(
            &format!("/quan-tri/bai-viet/{id}/tra-lai"),
            &[("comment", " ")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = editor
        .post(
            &format!("/quan-tri/bai-viet/{id}/tra-lai"),
            &[("comment", "Thêm số liệu cụ thể.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    // The author sees the note, fixes and resubmits.
    let (_, html) = author.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    assert!(html.contains("Bị trả lại") && html.contains("Thêm số liệu cụ thể."));
    let res = author
        .post(
            &format!("/quan-tri/bai-viet/{id}"),
            &[
                ("title", "Hội nghị tập huấn chuyển đổi số"),
                ("section_id", "2"),
                ("body_html", "<p>Bản sửa: 120 đại biểu.</p>"),
                ("author", "Kiều Diễm"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        author
            .post(&format!("/quan-tri/bai-viet/{id}/gui-duyet"), &[])
            .await
            .status(),
        303
    );
    // The editor publishes; it shows on the public site at once, in its section.
    let res = editor
        .post(&format!("/quan-tri/bai-viet/{id}/xuat-ban"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let html = app.peek(&format!("/bai-viet/{slug}")).await;
    assert!(html.contains("Bản sửa: 120 đại biểu."));
    assert!(html.contains(r#"<p class="byline">Kiều Diễm</p>"#));
    let section = app.peek("/chuyen-muc/tin-tuc-su-kien").await;
    assert!(section.contains(slug), "newest in its section");
    // Unpublish: gone from the public site.
    assert_eq!(
        editor
            .post(&format!("/quan-tri/bai-viet/{id}/go-xuong"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(app.get(&format!("/bai-viet/{slug}")).await.status(), 404);
    // Publishing twice from the wrong state is a conflict, not a silent success.
    assert_eq!(
        author
            .post(&format!("/quan-tri/bai-viet/{id}/gui-duyet"), &[])
            .await
            .status(),
        409
    );
    // The audit log tells the whole story.
    let mut admin = app.login("quantri", ADMIN_PW).await;
    let (_, log) = admin.get_page("/quan-tri/nhat-ky?thao-tac=").await;
    for a in [
        "article.create",
        "article.submit",
        "article.return",
        "article.save",
        "article.publish",
        "article.unpublish",
    ] {
        assert!(log.contains(a), "{a}");
    }
}

#[tokio::test]
async fn scheduled_publication_appears_on_its_own() {
    let Staff {
        app,
        mut author,
        mut editor,
    } = staff().await;
    let id = draft(&mut author, "Thông báo lịch tiếp công dân", "<p>Lịch.</p>").await;
    editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    // Three seconds from now, in Hà Nội time, as a datetime-local field sends it.
    let tz = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").expect("zone");
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3);
    let local = tz.to_datetime(at).strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let res = editor
        .post(
            &format!("/quan-tri/bai-viet/{id}/xuat-ban"),
            &[("publish_at", &local)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .expect("ascii")
            .ends_with("ok=henngay")
    );
    let path = "/bai-viet/thong-bao-lich-tiep-cong-dan";
    assert_eq!(app.get(path).await.status(), 404, "not before its time");
    let (_, html) = editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    assert!(html.contains("hẹn giờ xuất bản"));
    let mut shown = false;
    for _ in 0..40 {
        if app.get(path).await.status() == 200 {
            shown = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(shown, "published by itself, without a restart");
}

#[tokio::test]
async fn revisions_compare_and_restore() {
    let Staff {
        app,
        mut author,
        mut editor,
    } = staff().await;
    let id = draft(&mut author, "Bài có nhiều phiên bản", "<p>Đoạn một.</p>").await;
    author.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let res = author
        .post(
            &format!("/quan-tri/bai-viet/{id}"),
            &[
                ("title", "Bài có nhiều phiên bản"),
                ("section_id", "2"),
                ("body_html", "<p>Đoạn hai.</p>"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, list) = editor
        .get_page(&format!("/quan-tri/bai-viet/{id}/phien-ban"))
        .await;
    let revs: Vec<i64> = regex::Regex::new(&format!(r#"/quan-tri/bai-viet/{id}/phien-ban/(\d+)""#))
        .expect("regex")
        .captures_iter(&list)
        .map(|c| c[1].parse().expect("id"))
        .collect();
    assert!(revs.len() >= 2, "every save is a revision: {revs:?}");
    let (newest, oldest) = (revs[0], *revs.last().expect("one"));
    let (_, diff) = editor
        .get_page(&format!(
            "/quan-tri/bai-viet/{id}/phien-ban/{newest}?so-voi={oldest}"
        ))
        .await;
    assert!(
        diff.contains(r#"<span class="diff-del">- &lt;p&gt;Đoạn một.&lt;/p&gt;</span>"#),
        "{diff}"
    );
    assert!(diff.contains(r#"<span class="diff-add">+ &lt;p&gt;Đoạn hai.&lt;/p&gt;</span>"#));
    let res = editor
        .post(
            &format!("/quan-tri/bai-viet/{id}/phien-ban/{oldest}/khoi-phuc"),
            &[],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    assert!(
        html.contains("&lt;p&gt;Đoạn một.&lt;/p&gt;"),
        "restored body in the form"
    );
    let (_, list) = editor
        .get_page(&format!("/quan-tri/bai-viet/{id}/phien-ban"))
        .await;
    assert!(list.contains(&format!("Khôi phục phiên bản #{oldest}")));
    drop(app);
}

#[tokio::test]
async fn a_renamed_article_redirects_from_its_old_url() {
    let Staff {
        app,
        author: _,
        mut editor,
    } = staff().await;
    let id = draft(&mut editor, "Tên cũ của bài", "<p>x</p>").await;
    editor
        .post(&format!("/quan-tri/bai-viet/{id}/xuat-ban"), &[])
        .await;
    assert_eq!(app.get("/bai-viet/ten-cu-cua-bai").await.status(), 200);
    editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let res = editor
        .post(
            &format!("/quan-tri/bai-viet/{id}"),
            &[
                ("title", "Tên mới của bài"),
                ("slug", "ten-moi-cua-bai"),
                ("section_id", "2"),
                ("body_html", "<p>x</p>"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app.get("/bai-viet/ten-cu-cua-bai").await;
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/bai-viet/ten-moi-cua-bai");
    assert_eq!(app.get("/bai-viet/ten-moi-cua-bai").await.status(), 200);
    // A new article cannot take the old slug while it redirects.
    let other = draft(&mut editor, "Tên cũ của bài", "<p>y</p>").await;
    let (_, html) = editor
        .get_page(&format!("/quan-tri/bai-viet/{other}"))
        .await;
    assert!(
        html.contains(r#"value="ten-cu-cua-bai-2""#),
        "a unique slug"
    );
}

#[tokio::test]
async fn bodies_are_sanitized_and_the_editor_is_told() {
    let Staff {
        app: _app,
        author: _,
        mut editor,
    } = staff().await;
    editor.get_page("/quan-tri/bai-viet/moi").await;
    let res = editor
        .post(
            "/quan-tri/bai-viet/moi",
            &[
                ("title", "Bài có mã độc"),
                ("section_id", "2"),
                ("body_html", r#"<p onclick="steal()">Chữ <script>alert(1)</script><a href="javascript:x()">liên kết</a></p>"#),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "shown again with what was removed");
    let html = res.text().await.expect("body");
    for r in [
        "thẻ &lt;script&gt;",
        "thuộc tính onclick",
        "liên kết javascript:",
    ] {
        assert!(html.contains(r), "{r} reported");
    }
    assert!(!html.contains("alert(1)"));
}

#[tokio::test]
async fn the_role_matrix_over_http() {
    let Staff {
        app,
        mut author,
        mut editor,
    } = staff().await;
    let mut admin = app.login("quantri", ADMIN_PW).await;
    let mine = draft(&mut author, "Bài của phóng viên", "<p>a</p>").await;
    let theirs = draft(&mut editor, "Bài của biên tập", "<p>b</p>").await;
    // (who, method, path, expected status)
    let checks: Vec<(&str, &str, String, u16)> = vec![
        ("author", "get", format!("/quan-tri/bai-viet/{theirs}"), 403),
        ("author", "get", format!("/quan-tri/bai-viet/{mine}"), 200),
        ("author", "get", "/quan-tri/chuyen-muc".into(), 403),
        ("author", "get", "/quan-tri/trang".into(), 403),
        ("author", "get", "/quan-tri/nguoi-dung".into(), 403),
        ("author", "get", "/quan-tri/nhat-ky".into(), 403),
        ("author", "get", "/quan-tri/cai-dat".into(), 403),
        ("author", "get", "/quan-tri/anh".into(), 200),
        (
            "author",
            "post",
            format!("/quan-tri/bai-viet/{theirs}/gui-duyet"),
            403,
        ),
        (
            "author",
            "post",
            format!("/quan-tri/bai-viet/{mine}/xuat-ban"),
            403,
        ),
        ("author", "post", "/quan-tri/chuyen-muc".into(), 403),
        ("author", "get", "/quan-tri/giao-dien".into(), 403),
        ("author", "get", "/quan-tri/to-chuc".into(), 403),
        ("author", "get", "/quan-tri/lich-cong-tac".into(), 403),
        ("editor", "get", format!("/quan-tri/bai-viet/{mine}"), 200),
        ("editor", "get", "/quan-tri/giao-dien".into(), 200),
        ("editor", "get", "/quan-tri/to-chuc".into(), 200),
        ("editor", "get", "/quan-tri/lich-cong-tac".into(), 200),
        ("editor", "get", "/quan-tri/chuyen-muc".into(), 200),
        ("editor", "get", "/quan-tri/trang".into(), 200),
        ("editor", "get", "/quan-tri/nguoi-dung".into(), 403),
        ("editor", "get", "/quan-tri/nhat-ky".into(), 403),
        ("editor", "get", "/quan-tri/cai-dat".into(), 403),
        (
            "editor",
            "post",
            format!("/quan-tri/bai-viet/{mine}/xuat-ban"),
            303,
        ),
        ("editor", "post", "/quan-tri/nguoi-dung".into(), 403),
        ("admin", "get", "/quan-tri/nguoi-dung".into(), 200),
        ("admin", "get", "/quan-tri/nhat-ky".into(), 200),
        ("admin", "get", "/quan-tri/cai-dat".into(), 200),
        (
            "admin",
            "post",
            format!("/quan-tri/bai-viet/{theirs}/xuat-ban"),
            303,
        ),
    ];
    for (who, method, path, want) in checks {
        let b = match who {
            "author" => &mut author,
            "editor" => &mut editor,
            _ => &mut admin,
        };
        b.get_page("/quan-tri").await;
        let status = if method == "get" {
            b.get(&path).await.status().as_u16()
        } else {
            b.post(
                &path,
                &[
                    ("name", "Chuyên mục thử"),
                    ("username", "u"),
                    ("role", "author"),
                ],
            )
            .await
            .status()
            .as_u16()
        };
        assert_eq!(status, want, "{who} {method} {path}");
    }
    // The author's list shows only their own articles.
    let (_, list) = author.get_page("/quan-tri/bai-viet").await;
    assert!(list.contains("Bài của phóng viên") && !list.contains("Bài của biên tập"));

    // Limited to another section (3), the author and the editor lose the articles of
    // section 2, their own included; the administrator is never limited.
    let store = app.store().await;
    admin.get_page("/quan-tri/nguoi-dung").await;
    for name in ["phongvien", "bientap"] {
        let user = store
            .users()
            .find_by_username(name)
            .await
            .expect("read")
            .expect("user");
        let res = admin
            .post(
                &format!("/quan-tri/nguoi-dung/{}", user.id),
                &[("action", "sections"), ("section", "3")],
            )
            .await;
        assert_eq!(res.status(), 303, "{name} limited");
    }
    for (b, id) in [(&author, mine), (&editor, theirs)] {
        let status = b.get(&format!("/quan-tri/bai-viet/{id}")).await.status();
        assert_eq!(status, 403, "a section-limited user, article {id}");
    }
    let status = admin
        .get(&format!("/quan-tri/bai-viet/{mine}"))
        .await
        .status();
    assert_eq!(status, 200);
}

#[tokio::test]
async fn sections_nest_one_level_and_hide_from_the_menu() {
    let Staff {
        app,
        author: _,
        mut editor,
    } = staff().await;
    editor.get_page("/quan-tri/chuyen-muc").await;
    // "Tin tức - Sự kiện" is section 2 in the demo.
    let res = editor
        .post(
            "/quan-tri/chuyen-muc",
            &[
                ("name", "Tin địa phương"),
                ("parent_id", "2"),
                ("in_menu", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let child = app.peek("/chuyen-muc/tin-dia-phuong").await;
    assert!(
        child.contains(r#"<li><a href="/chuyen-muc/tin-tuc-su-kien">Tin tức - Sự kiện</a></li>"#),
        "parent in the breadcrumb"
    );
    let parent = app.peek("/chuyen-muc/tin-tuc-su-kien").await;
    assert!(
        parent.contains(r#"<a href="/chuyen-muc/tin-dia-phuong">Tin địa phương</a>"#),
        "child listed on the parent"
    );
    // Not two levels deep.
    let (_, html) = editor.get_page("/quan-tri/chuyen-muc").await;
    let id = regex::Regex::new(r#"<form method="post" action="/quan-tri/chuyen-muc/(\d+)"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]*">\s*<fieldset>\s*<legend>Tin địa phương"#)
        .expect("regex")
        .captures(&html)
        .expect("the new section's form")[1]
        .to_owned();
    let res = editor
        .post(
            "/quan-tri/chuyen-muc",
            &[("name", "Tin xã"), ("parent_id", &id)],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("một cấp"));
    // Renamed and hidden from the menu.
    let res = editor
        .post(
            "/quan-tri/chuyen-muc/6",
            &[
                ("name", "Liên hệ - Góp ý"),
                ("slug", "lien-he"),
                ("position", "9"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let home = app.peek("/").await;
    assert!(
        !home.contains(">Liên hệ - Góp ý</a>"),
        "hidden from the menu"
    );
    assert_eq!(
        app.get("/chuyen-muc/lien-he").await.status(),
        200,
        "still reachable"
    );
}

/// The list's title filter finds Vietnamese titles however the words are typed: with or
/// without marks, in any case (SQLite's LOWER() alone only folds ASCII).
#[tokio::test]
async fn the_title_filter_folds_case_and_marks() {
    let Staff {
        app: _app,
        author: _author,
        mut editor,
    } = staff().await;
    for q in [
        "khối Đảng",
        "KHỐI ĐẢNG",
        "khoi dang",
        "Khoi Dang",
        "tập huấn",
    ] {
        let url = format!(
            "/quan-tri/bai-viet?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("tieu-de", q)
                .finish()
        );
        let (status, html) = editor.get_page(&url).await;
        assert_eq!(status, 200, "{q}");
        assert!(
            html.contains("cơ quan khối Đảng"),
            "{q:?} finds the reference article"
        );
        assert!(
            !html.contains("Hạt điều Đức Linh"),
            "{q:?} filters the others out"
        );
    }
}
