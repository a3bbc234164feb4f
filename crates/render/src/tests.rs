//! Every page template renders with sample data, escapes what it must, and keeps bodies.

use crate::Renderer;
use crate::views::*;
use cong_domain::content::*;
use cong_domain::stats::Widget;
use jiff::Timestamp;
use jiff::tz::TimeZone;

pub(crate) fn tz() -> TimeZone {
    TimeZone::get("Asia/Ho_Chi_Minh").expect("zone")
}

pub(crate) fn at() -> Timestamp {
    "2023-05-17T08:20:00Z".parse().expect("ts")
}

pub(crate) fn section() -> Section {
    Section {
        id: 1,
        slug: "khoa-hoc-cong-nghe".into(),
        name: "Khoa học - Công nghệ".into(),
        description: String::new(),
        parent_id: None,
        in_menu: true,
        page_id: None,
        lang: Default::default(),
    }
}

pub(crate) fn summary(i: i64) -> ArticleSummary {
    ArticleSummary {
        id: i,
        site_id: SiteId(1),
        from_site: None,
        section_id: 1,
        slug: format!("bai-{i}"),
        title: format!("Bài <{i}> & \"trích\""),
        summary: "Tóm tắt".into(),
        author: "Kiều Diễm".into(),
        featured: i == 1,
        cover: Some("abc.jpg".into()),
        cover_widths: vec![320, 640],
        published_at: at(),
    }
}

/// An article of another site, as a gathering section lists it.
fn gathered(i: i64) -> ArticleSummary {
    ArticleSummary {
        site_id: SiteId(2),
        from_site: Some(SiteLabel {
            id: SiteId(2),
            name: "Sở Tư pháp".into(),
            address: "https://stp.example.vn".into(),
        }),
        ..summary(i)
    }
}

pub(crate) fn paged(items: Vec<ArticleSummary>, page: u32, pages: u32) -> Paged<ArticleSummary> {
    Paged {
        total: i64::try_from(items.len()).unwrap_or(0),
        items,
        page,
        pages,
    }
}

pub(crate) fn layout(current: Option<&str>) -> Layout {
    let mut site = Site::default();
    site.settings
        .insert("site.name".into(), "Sở <KH&CN>".into());
    site.links.push(Link {
        title: "Chính phủ".into(),
        url: "https://chinhphu.vn".into(),
    });
    Layout::new(
        SiteView::new(&site, &[("lien-he".into(), "Liên hệ".into())]),
        &[section()],
        Widget {
            online: 1,
            today: 12,
            week: 345,
            month: 6789,
            total: 1_234_567,
        },
        current,
        None,
    )
}

#[test]
fn every_page_template_renders() {
    let r = Renderer::new(None).expect("theme loads");
    let home = Home {
        featured: vec![summary(1), summary(2)],
        latest: vec![summary(3)],
        sections: vec![(section(), vec![summary(4)])],
        gathers: vec![],
    };
    let html = r
        .render("home.html", &HomeView::new(layout(None), &home, &tz()))
        .expect("home");
    assert!(
        html.contains("Sở &lt;KH&amp;CN&gt;"),
        "site data is escaped"
    );
    assert!(
        html.contains("Bài &lt;3&gt; &amp; &quot;trích&quot;"),
        "titles are escaped"
    );
    assert!(html.contains(r#"data-stat="total">1.234.567<"#));
    assert!(html.contains("17/05/2023"));
    assert!(
        html.contains("/media/abc-320.webp 320w, /media/abc-640.webp 640w"),
        "cover srcset"
    );

    let sp = SectionPage {
        parent: None,
        children: vec![],
        section: section(),
        landing: None,
        articles: paged(vec![summary(5), gathered(6)], 2, 12),
        sources: vec![SiteId(2)],
    };
    let html = r
        .render(
            "section.html",
            &SectionView::new(layout(Some("khoa-hoc-cong-nghe")), &sp, &tz()),
        )
        .expect("section");
    assert!(html.contains(
        r#"<a href="/chuyen-muc/khoa-hoc-cong-nghe" aria-current="page">Khoa học - Công nghệ</a>"#
    ));
    assert!(
        html.contains(r#"href="/chuyen-muc/khoa-hoc-cong-nghe?page=2" aria-current="page">2</a>"#)
    );
    assert!(html.contains(r#"<span class="gap">…</span>"#));
    // A gathered article links to its own site and names it; the section's own do not.
    assert!(html.contains(r#"href="https://stp.example.vn/bai-viet/bai-6""#));
    assert!(html.contains(r#"<span class="card-site">Sở Tư pháp</span>"#));
    assert!(html.contains(r#"href="/bai-viet/bai-5""#));
    assert_eq!(html.matches("card-site").count(), 1);

    let article = Article {
        id: 9,
        section_id: 1,
        slug: "hoi-nghi".into(),
        title: "Hội nghị".into(),
        summary: String::new(),
        body_html: "<p>Nội dung <b>đậm</b></p>".into(),
        author: "Kiều Diễm".into(),
        cover: None,
        cover_widths: vec![],
        gallery_title: "Một số hình ảnh tại Hội nghị".into(),
        gallery: vec![GalleryImage {
            file_name: "a.jpg".into(),
            caption: "Quang cảnh".into(),
            alt: "Hội trường".into(),
            width: 960,
            height: 640,
            widths: vec![320],
        }],
        published_at: at(),
        updated_at: at(),
        stored_views: 250,
        stored_views_seq: 0,
        origin: None,
        translation_of: None,
    };
    let ap = ArticlePage {
        article,
        section: section(),
        others: paged(vec![summary(6)], 1, 3),
        versions: Vec::new(),
    };
    let html = r
        .render(
            "article.html",
            &ArticleView::new(layout(None), &ap, crate::number(252), &tz()),
        )
        .expect("article");
    assert!(
        html.contains("<p>Nội dung <b>đậm</b></p>"),
        "sanitized bodies are kept"
    );
    assert!(html.contains(r#"Lượt xem: <span data-stat="views">252</span>"#));
    assert!(html.contains(r#"alt="Hội trường" width="960" height="640""#));
    assert!(html.contains("<figcaption>Quang cảnh</figcaption>"));
    assert!(html.contains(r#"<source type="image/webp" srcset="/media/a-320.webp 320w""#));
    assert!(html.contains(r#"srcset="/media/a-320.jpg 320w""#));
    assert!(html.contains(r#"<a href="/bai-viet/hoi-nghi?tin-khac=2#tin-khac">2</a>"#));

    let page = Page {
        id: 1,
        slug: "lien-he".into(),
        title: "Liên hệ".into(),
        body_html: "<p>Địa chỉ</p>".into(),
        updated_at: at(),
        version: 1,
        lang: Default::default(),
        translation_of: None,
    };
    let html = r
        .render(
            "page.html",
            &StaticPageView {
                layout: layout(None),
                page: PageView::body(&page, &tz()),
                files: Vec::new(),
            },
        )
        .expect("page");
    assert!(html.contains("Cập nhật: 17/05/2023"));

    let html = r
        .render(
            "admin/login.html",
            &admin::LoginView {
                site_name: "Sở <KH>".into(),
                csrf: "tok\"en".into(),
                username: "kieudiem".into(),
                next: "/quan-tri".into(),
                error: Some("Sai".into()),
                second_factor: false,
                reset_offered: false,
            },
        )
        .expect("login");
    assert!(html.contains(r#"name="csrf" value="tok&quot;en""#));
    assert!(html.contains("Sở &lt;KH&gt;"));
    assert!(html.contains(r#"type="password""#));
    let frame = admin::AdminLayout {
        site_url: String::new(),
        sites: Vec::new(),
        site_name: "Sở".into(),
        user_name: "Kiều Diễm".into(),
        role_label: "Phóng viên",
        csrf: "t".into(),
        nav: vec![admin::NavItem {
            label: "Bài viết",
            url: "/quan-tri/bai-viet",
            current: true,
        }],
        title: "Tổng quan".into(),
        flash: Some("Đã lưu.".into()),
        errors: vec!["<b>lỗi</b>".into()],
    };
    let html = r
        .render(
            "admin/pages.html",
            &admin::AdminPage {
                admin: frame,
                page: serde_json::json!({"pages": [[1, "Liên hệ", "/trang/lien-he"]]}),
            },
        )
        .expect("admin page");
    assert!(html.contains(r#"<a href="/quan-tri/bai-viet" aria-current="page">Bài viết</a>"#));
    assert!(
        html.contains("&lt;b&gt;lỗi&lt;/b&gt;"),
        "errors are escaped"
    );
    assert!(
        html.contains(r#"<input type="hidden" name="csrf" value="t">"#),
        "logout form carries the token"
    );
    let html = r
        .render(
            "error.html",
            &ErrorView {
                layout: layout(None),
                status: 404,
                title: "Không tìm thấy trang".into(),
                message: "<script>".into(),
            },
        )
        .expect("error");
    assert!(html.contains("&lt;script&gt;"));
}

#[test]
fn the_organisation_chart_is_nested_lists_with_text_escaped() {
    let r = Renderer::new(None).expect("theme loads");
    let unit = |name: &str, kind: &str, children: serde_json::Value| {
        serde_json::json!({
            "name": name, "name_en": "", "kind": kind, "url": "/co-cau-to-chuc/x",
            "duties": ["<i>a</i>"], "address": "", "phone": "", "tel": "", "email": "",
            "people": [{"name": "Nguyễn <An>", "title": "Giám đốc", "unit": name,
                "unit_url": "/co-cau-to-chuc/x", "phone": "", "tel": "", "email": "",
                "photo": null, "from": "", "until": ""}],
            "children": children,
        })
    };
    let view = serde_json::json!({
        "layout": layout(None),
        "units": [unit("Ban Giám đốc", "leadership", serde_json::json!([])),
                  unit("Văn phòng", "department", serde_json::json!([unit("Tổ <1>", "department", serde_json::json!([]))]))],
    });
    let html = r.render("organisation.html", &view).expect("chart");
    assert!(html.contains("Nguyễn &lt;An&gt;"), "names are escaped");
    let nested = unit_holds_a_list(&html);
    assert!(
        nested,
        "a unit's own units are a list inside its item: {html}"
    );
    let unit_page = serde_json::json!({
        "layout": layout(None),
        "unit": unit("Văn phòng", "department", serde_json::json!([])),
        "parent": null,
    });
    let html = r.render("org_unit.html", &unit_page).expect("unit");
    assert!(
        html.contains("<p>&lt;i&gt;a&lt;/i&gt;</p>"),
        "duties are text"
    );
}

/// Whether an item of the chart holds a list of units.
fn unit_holds_a_list(html: &str) -> bool {
    html.find("Văn phòng</a>")
        .and_then(|i| html[i..].find("<ul>").map(|j| (i, j)))
        .is_some_and(|(i, j)| html[i + j..].contains(r#"<li class="org-unit org-department">"#))
}

#[test]
fn a_theme_folder_overrides_file_by_file() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("static")).expect("mkdir");
    std::fs::write(
        dir.path().join("templates/error.html"),
        "{% extends \"base.html\" %}{% block main %}<p>Cổng riêng</p>{% endblock %}",
    )
    .expect("write");
    std::fs::write(dir.path().join("static/site.css"), "body{color:red}").expect("write");
    let r = Renderer::new(Some(dir.path().to_owned())).expect("theme");
    let html = r
        .render(
            "error.html",
            &ErrorView {
                layout: layout(None),
                status: 404,
                title: "x".into(),
                message: "y".into(),
            },
        )
        .expect("login");
    assert!(html.contains("<p>Cổng riêng</p>"), "overridden template");
    assert!(
        html.contains("Thống kê truy cập"),
        "base template still the default"
    );
    let (css, _) = r.assets().find("site.css").expect("css");
    assert_eq!(css.bytes, b"body{color:red}");
    assert!(r.assets().find("emblem.svg").is_some(), "other files stay");
}

#[test]
fn the_schedule_strikes_through_what_was_called_off_and_escapes_what_was_typed() {
    use crate::views::schedule::*;
    let r = Renderer::new(None).expect("theme loads");
    let entry = |id, status, adjusted: Option<&str>| EntryView {
        id,
        session: "chieu",
        time: "14:00–16:30".into(),
        leaders: vec!["Giám đốc <Trần>".into(), "Phó Giám đốc Lê".into()],
        content: "Họp \"hội đồng\" & <xét duyệt>".into(),
        place: "Phòng họp tầng 3".into(),
        host: "Phòng Quản lý khoa học".into(),
        participants: String::new(),
        notes: String::new(),
        status,
        adjusted: adjusted.map(str::to_owned),
        adjusted_iso: adjusted.map(|_| "2026-12-07T09:00:00+07:00".to_owned()),
    };
    let view = ScheduleView {
        layout: layout(None),
        monday: "07/12/2026".into(),
        sunday: "13/12/2026".into(),
        picked: "2026-12-07".into(),
        day_view: false,
        days: vec![DayView {
            weekday: 7,
            date: "13/12/2026".into(),
            iso: "2026-12-13".into(),
            today: true,
            url: "/lich-cong-tac?ngay=13/12/2026&xem=ngay".into(),
            entries: vec![
                entry(1, "published", None),
                entry(2, "cancelled", Some("07/12/2026 09:00")),
            ],
        }],
        prev_url: "/lich-cong-tac?ngay=30/11/2026".into(),
        next_url: "/lich-cong-tac?ngay=14/12/2026".into(),
        this_week_url: "/lich-cong-tac".into(),
        week_url: "/lich-cong-tac?ngay=07/12/2026".into(),
        leaders: vec![],
        leader: None,
        leader_slug: String::new(),
        feed_url: "/lich-cong-tac.ics".into(),
        entries: 2,
    };
    let html = r.render("schedule.html", &view).expect("schedule");
    assert!(html.contains("Lịch công tác tuần từ 07/12/2026 đến 13/12/2026"));
    assert!(html.contains("Chủ nhật, 13/12/2026"));
    assert!(html.contains("Giám đốc &lt;Trần&gt;<br>Phó Giám đốc Lê"));
    assert!(html.contains("Họp &quot;hội đồng&quot; &amp; &lt;xét duyệt&gt;"));
    assert!(html.contains(r#"<span class="session">Chiều</span>"#));
    assert!(html.contains("Hủy:</strong> <del>Họp"));
    assert_eq!(html.matches("Điều chỉnh <time").count(), 1);
    assert_eq!(html.matches("<del>").count(), 1);
}
