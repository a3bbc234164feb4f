//! The public pages of group A in English: the same templates and sample data as
//! `tests.rs`, rendered in `Lang::En`, say their words in English and link to English pages.

use crate::Renderer;
use crate::i18n::sync_scope;
use crate::tests::{at, layout, paged, section, summary, tz};
use crate::views::documents::FileLink;
use crate::views::forms::{Choice, ContactView, FieldView, FormText, FormWords, GuardView};
use crate::views::*;
use cong_domain::content::*;
use cong_domain::navigation::Lang;
use cong_domain::search::{Hit, Kind, Results};
use std::collections::BTreeMap;

/// Renders `template` in English, and checks what every English page has.
fn english(r: &Renderer, template: &str, view: &impl serde::Serialize) -> String {
    let html = sync_scope(Lang::En, || r.render(template, view)).expect(template);
    assert!(html.contains(r#"<html lang="en">"#), "{template}: lang=en");
    assert!(
        !html.contains(r#"href="/chuyen-muc"#) && !html.contains(r#"href="/bai-viet"#),
        "{template}: internal links stay in English"
    );
    html
}

fn has(html: &str, words: &[&str]) {
    for w in words {
        assert!(html.contains(w), "{w:?} in the English page");
    }
}

#[test]
fn group_a_pages_render_in_english() {
    let r = Renderer::new(None).expect("theme loads");
    // The views are made in English too: their dates and numbers are written then.
    sync_scope(Lang::En, || pages_in_english(&r));
}

fn pages_in_english(r: &Renderer) {
    let home = Home {
        featured: vec![summary(1), summary(2)],
        latest: vec![summary(3)],
        sections: vec![(section(), vec![summary(4)])],
        gathers: vec![],
    };
    let html = english(r, "home.html", &HomeView::new(layout(None), &home, &tz()));
    has(
        &html,
        &[
            ">Featured</h2>",
            ">Latest news</h2>",
            r#"href="/en/bai-viet/bai-3""#,
            r#"href="/en/chuyen-muc/khoa-hoc-cong-nghe""#,
            ">Visits</h2>",
            "<dt>Online now</dt>",
            "<dt>Total visits</dt>",
        ],
    );

    let sp = SectionPage {
        parent: None,
        children: vec![],
        section: section(),
        landing: None,
        articles: paged(vec![summary(5)], 2, 12),
        sources: vec![],
    };
    let html = english(
        r,
        "section.html",
        &SectionView::new(layout(Some("khoa-hoc-cong-nghe")), &sp, &tz()),
    );
    has(
        &html,
        &[
            r#"aria-label="You are here""#,
            r#"<a href="/en/">Home</a>"#,
            r#"aria-label="Pages of Khoa học - Công nghệ""#,
            r#"rel="prev">« Previous</a>"#,
            r#"rel="next">Next »</a>"#,
            r#"href="/en/chuyen-muc/khoa-hoc-cong-nghe?page=2" aria-current="page">2</a>"#,
        ],
    );
    let empty = SectionPage {
        articles: paged(vec![], 1, 1),
        ..sp
    };
    let html = english(
        r,
        "section.html",
        &SectionView::new(layout(None), &empty, &tz()),
    );
    has(&html, &["This section has no articles yet."]);

    let article = Article {
        id: 9,
        section_id: 1,
        slug: "hoi-nghi".into(),
        title: "Hội nghị".into(),
        summary: String::new(),
        body_html: "<p>Nội dung</p>".into(),
        author: String::new(),
        cover: None,
        cover_widths: vec![],
        gallery_title: String::new(),
        gallery: vec![GalleryImage {
            file_name: "a.jpg".into(),
            caption: String::new(),
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
    let html = english(
        r,
        "article.html",
        &ArticleView::new(layout(None), &ap, crate::number(1252), &tz()),
    );
    has(
        &html,
        &[
            r#"Views: <span data-stat="views">1,252</span>"#,
            ">Print this article</button>",
            r#"<h2 id="gallery-title">Pictures</h2>"#,
            r#"<a href="/en/thu-vien-anh">Photos</a>"#,
            ">Other news</h2>",
            r#"aria-label="Pages of other news""#,
            "17 May 2023",
        ],
    );

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
    let html = english(
        r,
        "page.html",
        &StaticPageView {
            layout: layout(None),
            page: PageView::body(&page, &tz()),
            files: vec![FileLink {
                name: "quyet-dinh.pdf".into(),
                url: "/tep/1/quyet-dinh.pdf".into(),
                view_url: Some("/tep/1/quyet-dinh.pdf?xem=1".into()),
                kind: "PDF".into(),
                size: "12 KB".into(),
                no_text: true,
            }],
        },
    );
    has(
        &html,
        &[
            "Updated: 17 May 2023",
            r#"<h2 id="tep-dinh-kem">Attached files</h2>"#,
            r#"<a href="/tep/1/quyet-dinh.pdf" download>"#,
            ">View in the browser</a>",
            "scanned picture, its text cannot be searched",
        ],
    );

    let html = english(
        r,
        "error.html",
        &ErrorView {
            layout: layout(None),
            status: 404,
            title: "Page not found".into(),
            message: "Gone.".into(),
        },
    );
    has(&html, &[r#"<a href="/en/">Back to the home page</a>"#]);

    for (template, base, words) in [
        (
            "photos.html",
            crate::urls::PHOTOS,
            [
                "<h1 class=\"page-title\">Photos</h1>",
                "2 galleries from published articles, newest first.",
                "aria-label=\"Pages of the photo library\"",
            ],
        ),
        (
            "videos.html",
            crate::urls::VIDEOS,
            [
                "<h1 class=\"page-title\">Videos</h1>",
                "2 published articles with a video, newest first.",
                "aria-label=\"Pages of the video library\"",
            ],
        ),
    ] {
        let found = paged(vec![summary(1), summary(2)], 1, 2);
        let html = english(
            r,
            template,
            &LibraryView::new(layout(None), &found, &tz(), base),
        );
        has(&html, &words);
        let one = paged(vec![summary(1)], 1, 1);
        let html = english(
            r,
            template,
            &LibraryView::new(layout(None), &one, &tz(), base),
        );
        assert!(!html.contains("1 galleries") && !html.contains("1 published articles"));
        let none = paged(vec![], 1, 1);
        let html = english(
            r,
            template,
            &LibraryView::new(layout(None), &none, &tz(), base),
        );
        assert!(html.contains("There are no"), "{template}: empty library");
    }

    let form = SearchForm {
        q: "dat dai".into(),
        ..SearchForm::default()
    };
    let hit = |kind, id| Hit {
        kind,
        id,
        slug: format!("muc-{id}"),
        title_html: "Đất <mark>đai</mark>".into(),
        snippet_html: "… <mark>đai</mark> …".into(),
        snippet_in_files: kind == Kind::Document,
        section_id: 1,
        site_id: 1,
        section_name: "Khoa học - Công nghệ".into(),
        published_at: at().as_second(),
        score: 1.0,
    };
    let results = Results {
        hits: vec![
            hit(Kind::Article, 1),
            hit(Kind::Document, 2),
            hit(Kind::Question, 3),
        ],
        total: 30,
        total_is_lower_bound: false,
        page: 1,
        pages: 10,
    };
    let view = SearchView::new(layout(None), form.clone(), &[section()], true).with_results(
        &results,
        &[section()],
        &tz(),
    );
    let html = english(r, "search.html", &view);
    has(
        &html,
        &[
            r#"<h1 class="page-title">Search</h1>"#,
            r#"action="/en/tim-kiem""#,
            r#"<label for="tu-khoa">Search terms</label>"#,
            "<option value=\"\">All sections</option>",
            "The search index is being rebuilt",
            "Found <strong>30</strong> results for “dat dai”.",
            r#"<span class="result-kind">Document</span>"#,
            r#"<span class="result-kind">Question</span>"#,
            "In attached files:",
            r#"aria-label="Search result pages""#,
            r#"href="/en/bai-viet/muc-1""#,
        ],
    );
    let nothing = Results {
        hits: vec![],
        total: 0,
        total_is_lower_bound: false,
        page: 1,
        pages: 0,
    };
    let view = SearchView::new(layout(None), form, &[section()], false).with_results(
        &nothing,
        &[section()],
        &tz(),
    );
    let html = english(r, "search.html", &view);
    has(
        &html,
        &[
            "No results for “dat dai”.",
            "Check the spelling, or type without accents.",
        ],
    );

    let text = FormText {
        action: "/lien-he",
        heading: "contact-heading",
        lead: "contact-lead",
        submit: "contact-submit",
        received: "contact-received",
        track_url: None,
        attachment: Some("PDF, 10 MB".into()),
    };
    let say = |key: &str| {
        r.catalogue()
            .message(Lang::En, key, None)
            .unwrap_or_default()
    };
    let contact = |sent: Option<String>, errors: BTreeMap<String, String>| ContactView {
        layout: layout(None),
        text: FormWords::new(&text, say),
        topics: vec![Choice {
            id: 1,
            name: "Đất đai".into(),
            selected: false,
        }],
        fields: vec![FieldView {
            id: "ho-ten",
            name: "name",
            label: say("form-name"),
            kind: "text",
            value: String::new(),
            max: 200,
            required: true,
            multiline: false,
            autocomplete: Some("name"),
            error: None,
        }],
        guard_view: GuardView {
            purpose: say("contact-purpose"),
            policy_url: Some("/trang/chinh-sach".into()),
            policy_title: "Chính sách".into(),
            consent: false,
            challenge_url: "/bieu-mau/thu-thach".into(),
        },
        errors,
        refusal: None,
        sent,
        mail_sent: true,
    };
    let errors = BTreeMap::from([("topic".to_owned(), "Required.".to_owned())]);
    let html = english(r, "contact.html", &contact(None, errors));
    has(
        &html,
        &[
            r#"<h1 class="page-title">Feedback and contact</h1>"#,
            "Fields marked with * are required.",
            "Not sent yet: please correct the fields marked below.",
            r#"action="/en/lien-he""#,
            r#"<label for="chu-de">Topic *</label>"#,
            "— Choose a topic —",
            r#"<label for="ho-ten">Full name *</label>"#,
            "Attached file (optional)",
            r#"See <a href="/en/trang/chinh-sach">"#,
            "I agree to the agency processing the personal data",
            "Leave this field empty",
            r#"language="en""#,
            "This form needs JavaScript",
            ">Send feedback</button>",
        ],
    );
    let html = english(
        r,
        "contact.html",
        &contact(Some("GY-1".into()), BTreeMap::new()),
    );
    has(
        &html,
        &[
            "Thank you. The agency has received your feedback under the code <strong class=\"code\">GY-1</strong>.",
            "A confirmation has been sent to your e-mail address.",
            r#"<a href="/en/lien-he">Send another</a>"#,
        ],
    );
}

/// The Vietnamese pages keep their words, read from the catalogue now.
#[test]
fn group_a_pages_keep_their_vietnamese() {
    let r = Renderer::new(None).expect("theme loads");
    let form = SearchForm {
        q: "đất đai".into(),
        ..SearchForm::default()
    };
    let results = Results {
        hits: vec![],
        total: 12_000,
        total_is_lower_bound: true,
        page: 1,
        pages: 0,
    };
    let view = SearchView::new(layout(None), form, &[section()], false).with_results(
        &results,
        &[section()],
        &tz(),
    );
    let html = r.render("search.html", &view).expect("search");
    assert!(html.contains(r#"<html lang="vi">"#));
    assert!(html.contains("Tìm thấy hơn <strong>12.000</strong> kết quả cho “đất đai”."));
    assert!(html.contains(r#"<label for="tu-khoa">Từ khóa</label>"#));
    assert!(html.contains(r#"action="/tim-kiem""#));
    let found = paged(vec![summary(1)], 1, 1);
    let html = r
        .render(
            "photos.html",
            &LibraryView::new(layout(None), &found, &tz(), crate::urls::PHOTOS),
        )
        .expect("photos");
    assert!(html.contains("1 bộ ảnh kèm các bài đã đăng, mới nhất trước."));
    assert!(html.contains(r#"<a href="/">Trang chủ</a>"#));
    assert!(html.contains("<dt>Tổng lượt truy cập</dt>"));
}
