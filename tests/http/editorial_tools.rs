//! The newsroom's safety nets over HTTP: optimistic locking (a stale save is refused with
//! the differences), the trash, sections per user, previews and preview links.

use crate::support::*;
use cong_store::SiteId;

const ADMIN_PW: &str = "Đồng hồ cát 2026";
const EDITOR_PW: &str = "Giấy trắng 2026!";
const EDITOR2_PW: &str = "Mực tím đậm 2026";
const AUTHOR_PW: &str = "Bút bi xanh 2026";

/// The value of the hidden input `name` in a form page.
fn hidden(html: &str, name: &str) -> String {
    let at = html
        .find(&format!(r#"name="{name}" value=""#))
        .unwrap_or_else(|| panic!("hidden {name}"));
    let rest = &html[at + name.len() + 15..];
    rest.split('"').next().expect("value").to_owned()
}

/// The article form's fields as the back office sends them: in section 2, with no summary
/// nor byline until a test sets them ([`ArticleForm::with`]).
struct ArticleForm<'a>(Vec<(&'a str, &'a str)>);

impl<'a> ArticleForm<'a> {
    fn new(title: &'a str, body: &'a str) -> Self {
        ArticleForm(vec![
            ("title", title),
            ("section_id", "2"),
            ("summary", ""),
            ("body_html", body),
            ("author", ""),
        ])
    }

    /// The form with field `name` set to `value`: its default replaced, or a field added
    /// (`revision`, `id`).
    fn with(mut self, name: &'a str, value: &'a str) -> Self {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(field) => field.1 = value,
            None => self.0.push((name, value)),
        }
        self
    }

    fn fields(&self) -> &[(&'a str, &'a str)] {
        &self.0
    }
}

#[tokio::test]
async fn a_save_over_a_newer_version_is_refused_with_the_differences() {
    let app = TestApp::start().await;
    app.add_user("bientap", "editor", EDITOR_PW);
    app.add_user("bientap2", "editor", EDITOR2_PW);
    let mut a = app.login("bientap", EDITOR_PW).await;
    let mut b = app.login("bientap2", EDITOR2_PW).await;
    let id = a
        .publish(
            "Lịch tiếp công dân tháng 12",
            2,
            "Tóm tắt",
            "<p>Bản đầu.</p>",
        )
        .await;
    let path = format!("/quan-tri/bai-viet/{id}");
    let edited = |body, revision| {
        ArticleForm::new("Lịch tiếp công dân tháng 12", body)
            .with("summary", "Tóm tắt")
            .with("author", "Kiều Diễm")
            .with("revision", revision)
    };
    // Both open the form at the same revision.
    let (_, form_a) = a.get_page(&path).await;
    let (_, form_b) = b.get_page(&path).await;
    let rev = hidden(&form_a, "revision");
    assert_eq!(rev, hidden(&form_b, "revision"));
    assert!(rev.parse::<i64>().expect("number") > 0);

    let res = a
        .post(&path, edited("<p>Sửa của A.</p>", &rev).fields())
        .await;
    assert_eq!(res.status(), 303, "the first save goes through");

    // B saves over A's version without having seen it: refused, nothing lost.
    let res = b
        .post(&path, edited("<p>Sửa của B.</p>", &rev).fields())
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.expect("body");
    assert!(html.contains("Bản đã lưu khác với bản của bạn"));
    assert!(html.contains("bientap"), "who saved is named");
    assert!(
        html.contains("- &lt;p&gt;Sửa của A.&lt;/p&gt;"),
        "theirs in the comparison: {html}"
    );
    assert!(
        html.contains("+ &lt;p&gt;Sửa của B.&lt;/p&gt;"),
        "mine in the comparison"
    );
    assert!(html.contains("Sửa của B."), "B's text is still in the form");
    let public = app
        .peek(&format!("/bai-viet/{}", slug_of(&app, id).await))
        .await;
    assert!(public.contains("Sửa của A.") && !public.contains("Sửa của B."));

    // B merges and saves again at the version the refusal named: a deliberate overwrite.
    let newer = hidden(&html, "revision");
    assert_ne!(newer, rev);
    let res = b
        .post(
            &path,
            edited("<p>Sửa của A.</p><p>Sửa của B.</p>", &newer).fields(),
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, form) = a.get_page(&path).await;
    assert!(form.contains("Sửa của A.") && form.contains("Sửa của B."));

    // A static page: the same rule, by its version.
    a.get_page("/quan-tri/trang/moi").await;
    let res = a
        .post(
            "/quan-tri/trang/moi",
            &[
                ("title", "Giới thiệu chung"),
                ("slug", ""),
                ("body_html", "<p>Một.</p>"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page_path = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .split('?')
        .next()
        .expect("path")
        .to_owned();
    let (_, pa) = a.get_page(&page_path).await;
    let (_, pb) = b.get_page(&page_path).await;
    let v = hidden(&pa, "version");
    assert_eq!(v, hidden(&pb, "version"));
    let fields = |body: &'static str, v: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("title", "Giới thiệu chung"),
            ("slug", ""),
            ("body_html", body),
            ("version", v),
        ]
    };
    let v: &'static str = Box::leak(v.into_boxed_str());
    assert_eq!(
        a.post(&page_path, &fields("<p>Hai.</p>", v)).await.status(),
        303
    );
    let res = b.post(&page_path, &fields("<p>Ba.</p>", v)).await;
    assert_eq!(res.status(), 409, "a stale page save is refused");
    let html = res.text().await.expect("body");
    assert!(html.contains("Ba."), "what B typed stays");
    let (_, now) = a.get_page(&page_path).await;
    assert!(now.contains("Hai.") && !now.contains("Ba."));
}

/// The slug of article `id`, from the store.
async fn slug_of(app: &TestApp, id: i64) -> String {
    app.store()
        .await
        .editorial(SiteId(1))
        .find(id)
        .await
        .expect("read")
        .expect("article")
        .slug
}

#[tokio::test]
async fn the_trash_hides_restores_as_a_draft_and_empties() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", ADMIN_PW);
    app.add_user("bientap", "editor", EDITOR_PW);
    app.add_user("phongvien", "author", AUTHOR_PW);
    let mut editor = app.login("bientap", EDITOR_PW).await;
    let mut admin = app.login("quantri", ADMIN_PW).await;
    let mut author = app.login("phongvien", AUTHOR_PW).await;
    let id = editor
        .publish(
            "Thông báo tuyển dụng viên chức 2026",
            2,
            "Tóm tắt",
            "<p>Nội dung.</p>",
        )
        .await;
    let slug = slug_of(&app, id).await;
    let url = format!("/bai-viet/{slug}");
    assert_eq!(app.get(&url).await.status(), 200);

    // An author may not delete an editor's published article, nor see the trash.
    author.get_page("/quan-tri").await;
    assert_eq!(
        author
            .post(&format!("/quan-tri/bai-viet/{id}/xoa"), &[])
            .await
            .status(),
        403
    );
    assert_eq!(author.get("/quan-tri/thung-rac").await.status(), 403);

    editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let res = editor
        .post(&format!("/quan-tri/bai-viet/{id}/xoa"), &[])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.get(&url).await.status(),
        404,
        "gone from the public site"
    );
    let (_, list) = editor.get_page("/quan-tri/bai-viet").await;
    assert!(
        !list.contains("Thông báo tuyển dụng viên chức 2026"),
        "gone from the list"
    );
    let home = app.peek("/").await;
    assert!(
        !home.contains("Thông báo tuyển dụng viên chức 2026"),
        "gone from the home page"
    );
    let (status, trash) = editor.get_page("/quan-tri/thung-rac").await;
    assert_eq!(status, 200);
    assert!(trash.contains("Thông báo tuyển dụng viên chức 2026"));
    assert!(
        !trash.contains("Dọn sạch thùng rác"),
        "emptying is the administrator's"
    );
    // Editing it is refused while it is in the trash.
    let res = editor
        .post(&format!("/quan-tri/bai-viet/{id}/xuat-ban"), &[])
        .await;
    assert_eq!(res.status(), 409);

    // Restored: a draft, not public until published again.
    let id_s = id.to_string();
    let res = editor
        .post(
            "/quan-tri/thung-rac",
            &[("action", "restore"), ("kind", "article"), ("id", &id_s)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, form) = editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    assert!(form.contains("Bản nháp"));
    assert_eq!(app.get(&url).await.status(), 404);

    // A page and a document go the same way; an image in use cannot.
    let store = app.store().await;
    let doc = store
        .documents(SiteId(1))
        .find_by_slug("544-qd-skhcn", "2026-12-07")
        .await
        .expect("read")
        .expect("demo document");
    assert_eq!(app.get("/van-ban/544-qd-skhcn").await.status(), 200);
    admin.get_page("/quan-tri").await;
    assert_eq!(
        admin
            .post(&format!("/quan-tri/van-ban/{}/xoa", doc.id), &[])
            .await
            .status(),
        303
    );
    assert_eq!(app.get("/van-ban/544-qd-skhcn").await.status(), 404);
    let pages = store.pages(SiteId(1)).list_all().await.expect("pages");
    let page = pages.first().expect("a demo page");
    let page_url = format!("/trang/{}", page.slug);
    assert_eq!(app.get(&page_url).await.status(), 200);
    assert_eq!(
        admin
            .post(&format!("/quan-tri/trang/{}/xoa", page.id), &[])
            .await
            .status(),
        303
    );
    assert_eq!(app.get(&page_url).await.status(), 404);
    // An image some article shows stays out of the trash; an unused one goes.
    let used = demo_cover(&store).await;
    let res = admin.post(&format!("/quan-tri/anh/{used}/xoa"), &[]).await;
    assert_eq!(res.status(), 409, "an image in use is not trashed");
    let res = admin
        .upload("so-do.jpg", noisy_jpeg(300, 200, 7), "Sơ đồ tổ chức")
        .await;
    let media_path = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .split('?')
        .next()
        .expect("path")
        .to_owned();
    let (_, library) = admin.get_page("/quan-tri/anh").await;
    assert!(library.contains("Sơ đồ tổ chức"));
    assert_eq!(
        admin.post(&format!("{media_path}/xoa"), &[]).await.status(),
        303
    );
    let (_, library) = admin.get_page("/quan-tri/anh").await;
    assert!(
        !library.contains("Sơ đồ tổ chức"),
        "a trashed image leaves the library"
    );

    // The administrator deletes one for good, then empties the rest.
    let (_, trash) = admin.get_page("/quan-tri/thung-rac").await;
    assert!(trash.contains("Dọn sạch thùng rác"));
    assert!(trash.contains("544/QĐ-SKHCN"));
    let doc_s = doc.id.to_string();
    assert_eq!(
        editor
            .post(
                "/quan-tri/thung-rac",
                &[("action", "purge"), ("kind", "document"), ("id", &doc_s)]
            )
            .await
            .status(),
        403,
        "an editor restores but does not delete for good"
    );
    let res = admin
        .post(
            "/quan-tri/thung-rac",
            &[("action", "purge"), ("kind", "document"), ("id", &doc_s)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        store
            .documents(SiteId(1))
            .find_by_id(doc.id, "2026-12-07")
            .await
            .expect("read")
            .is_none()
    );
    let res = admin
        .post("/quan-tri/thung-rac", &[("action", "empty")])
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        store
            .pages(SiteId(1))
            .find_by_id(page.id)
            .await
            .expect("read")
            .is_none()
    );
    let (_, trash) = admin.get_page("/quan-tri/thung-rac").await;
    assert!(trash.contains("Thùng rác trống."));

    // Every move is in the audit log.
    let (_, log) = admin.get_page("/quan-tri/nhat-ky").await;
    for action in [
        "article.trash",
        "article.untrash",
        "document.trash",
        "page.trash",
        "document.purge",
        "page.purge",
    ] {
        assert!(log.contains(action), "{action} in the audit log");
    }
}

/// The id of an image a demo article uses as its cover.
async fn demo_cover(store: &cong_store::Store) -> i64 {
    let (rows, _) = store
        .editorial(SiteId(1))
        .list(&Default::default(), 100, 0)
        .await
        .expect("list");
    for r in rows {
        if let Some(m) = store
            .editorial(SiteId(1))
            .find(r.id)
            .await
            .expect("read")
            .and_then(|a| a.cover_media_id)
        {
            return m;
        }
    }
    panic!("no demo article with a cover")
}

/// Section `name`'s id on the article form.
fn section_id(form: &str, name: &str) -> String {
    let end = form
        .find(&format!(">{name}</option>"))
        .expect("section option");
    let start = form[..end].rfind("value=\"").expect("value") + 7;
    form[start..end].split('"').next().expect("id").to_owned()
}

#[tokio::test]
async fn a_user_limited_to_sections_is_refused_elsewhere() {
    let app = TestApp::start().await;
    app.add_user("quantri", "admin", ADMIN_PW);
    app.add_user("phongvien", "author", AUTHOR_PW);
    app.add_user("bientap", "editor", EDITOR_PW);
    let mut admin = app.login("quantri", ADMIN_PW).await;
    let (_, form) = admin.get_page("/quan-tri/bai-viet/moi").await;
    let news = section_id(&form, "Tin tức - Sự kiện");
    let other = form
        .split("<option value=\"")
        .skip(2)
        .map(|s| s.split('"').next().expect("id").to_owned())
        .find(|id| *id != news && !id.is_empty())
        .expect("another section");
    let other_article = admin
        .publish(
            "Bài ở chuyên mục khác",
            other.parse().expect("id"),
            "Tóm",
            "<p>Khác.</p>",
        )
        .await;
    let news_article = admin
        .publish(
            "Bài ở Tin tức",
            news.parse().expect("id"),
            "Tóm",
            "<p>Tin.</p>",
        )
        .await;

    // The administrator limits the reporter and the editor to "Tin tức - Sự kiện".
    let store = app.store().await;
    for name in ["phongvien", "bientap"] {
        let user = store
            .users()
            .find_by_username(name)
            .await
            .expect("read")
            .expect("user");
        let (_, users) = admin.get_page("/quan-tri/nguoi-dung").await;
        assert!(
            users.contains(&format!(r#"id="us-{}-{news}""#, user.id)),
            "a section box per user"
        );
        let res = admin
            .post(
                &format!("/quan-tri/nguoi-dung/{}", user.id),
                &[("action", "sections"), ("section", &news)],
            )
            .await;
        assert_eq!(res.status(), 303);
    }
    let (_, log) = admin.get_page("/quan-tri/nhat-ky").await;
    assert!(log.contains("user.sections"));

    let mut author = app.login("phongvien", AUTHOR_PW).await;
    let new_in = |section| ArticleForm::new("Tin mới", "<p>x</p>").with("section_id", section);
    author.get_page("/quan-tri/bai-viet/moi").await;
    assert_eq!(
        author
            .post("/quan-tri/bai-viet/moi", new_in(news.as_str()).fields())
            .await
            .status(),
        303
    );
    let res = author
        .post("/quan-tri/bai-viet/moi", new_in(other.as_str()).fields())
        .await;
    assert_eq!(res.status(), 403, "not in another section");

    let mut editor = app.login("bientap", EDITOR_PW).await;
    assert_eq!(
        editor
            .get(&format!("/quan-tri/bai-viet/{other_article}"))
            .await
            .status(),
        403
    );
    assert_eq!(
        editor
            .get(&format!("/quan-tri/bai-viet/{news_article}"))
            .await
            .status(),
        200
    );
    editor.get_page("/quan-tri/bai-viet").await;
    assert_eq!(
        editor
            .post(&format!("/quan-tri/bai-viet/{other_article}/go-xuong"), &[])
            .await
            .status(),
        403
    );
    assert_eq!(
        editor
            .post(&format!("/quan-tri/bai-viet/{other_article}/xoa"), &[])
            .await
            .status(),
        403
    );
    // Moving an article of theirs into another section is refused too.
    let res = editor
        .post(
            &format!("/quan-tri/bai-viet/{news_article}"),
            ArticleForm::new("Bài ở Tin tức", "<p>Tin.</p>")
                .with("section_id", &other)
                .fields(),
        )
        .await;
    assert_eq!(res.status(), 403);
    let (_, list) = editor.get_page("/quan-tri/bai-viet").await;
    assert!(
        list.contains("Bài ở Tin tức") && !list.contains("Bài ở chuyên mục khác"),
        "the list shows their sections only"
    );
    assert_eq!(
        editor
            .post(&format!("/quan-tri/bai-viet/{news_article}/go-xuong"), &[])
            .await
            .status(),
        303
    );

    // Taken off again: every section.
    let user = store
        .users()
        .find_by_username("bientap")
        .await
        .expect("read")
        .expect("user");
    admin.get_page("/quan-tri/nguoi-dung").await;
    assert_eq!(
        admin
            .post(
                &format!("/quan-tri/nguoi-dung/{}", user.id),
                &[("action", "sections")]
            )
            .await
            .status(),
        303
    );
    assert_eq!(
        editor
            .get(&format!("/quan-tri/bai-viet/{other_article}"))
            .await
            .status(),
        200
    );
}

/// The page's `<main>`: what a preview must show as the public page does.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("main");
    let end = html.find("</main>").expect("main end");
    &html[start..end]
}

#[tokio::test]
async fn a_preview_is_the_public_page_of_the_unsaved_form() {
    let app = TestApp::start().await;
    app.add_user("bientap", "editor", EDITOR_PW);
    let mut editor = app.login("bientap", EDITOR_PW).await;
    let id = editor
        .publish(
            "Hội thảo khoa học công nghệ",
            2,
            "Tóm tắt hội thảo",
            "<p>Nội dung đã đăng.</p>",
        )
        .await;
    let slug = slug_of(&app, id).await;
    assert_eq!(app.get(&format!("/bai-viet/{slug}")).await.status(), 200);

    // The form as it stands, unsaved, previewed.
    let (_, form) = editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let rev = hidden(&form, "revision");
    let id_s = id.to_string();
    let as_is = |body| {
        ArticleForm::new("Hội thảo khoa học công nghệ", body)
            .with("author", "Kiều Diễm")
            .with("revision", &rev)
            .with("id", &id_s)
    };
    let unsaved = as_is("<p>Nội dung chưa lưu.</p><script>x()</script>").with("summary", "Tóm tắt");
    let res = editor
        .post("/quan-tri/bai-viet/xem-truoc", unsaved.fields())
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-robots-tag"], "noindex, nofollow");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let preview = res.text().await.expect("body");
    assert!(preview.contains("Nội dung chưa lưu."));
    assert!(
        !preview.contains("<script>x()"),
        "through the allow-list like a save"
    );
    assert!(
        preview.contains("Tin khác") && preview.contains("Lượt xem"),
        "the public page's parts"
    );
    assert_eq!(
        widget(&preview),
        widget(&app.peek("/").await),
        "live numbers filled in, nothing counted"
    );
    assert!(!preview.contains("{{"), "no placeholder left");
    // Nothing was saved.
    let public_now = app.peek(&format!("/bai-viet/{slug}")).await;
    assert!(public_now.contains("Nội dung đã đăng.") && !public_now.contains("chưa lưu"));

    // Without a section there is no page to draw yet: said, not a 404.
    let res = editor
        .post(
            "/quan-tri/bai-viet/xem-truoc",
            ArticleForm::new("Chưa chọn chuyên mục", "")
                .with("section_id", "")
                .fields(),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("Chọn chuyên mục trước khi xem trước.")
    );

    // The form unchanged, previewed: the published page itself.
    let unchanged = as_is("<p>Nội dung đã đăng.</p>").with("summary", "Tóm tắt hội thảo");
    let public = app.peek(&format!("/bai-viet/{slug}")).await;
    let preview = editor
        .post("/quan-tri/bai-viet/xem-truoc", unchanged.fields())
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(
        main_of(&preview),
        main_of(&public),
        "preview equals the published render"
    );
}

#[tokio::test]
async fn preview_links_open_a_draft_until_they_expire() {
    let app = TestApp::start().await;
    app.add_user("phongvien", "author", AUTHOR_PW);
    let mut author = app.login("phongvien", AUTHOR_PW).await;
    author.get_page("/quan-tri/bai-viet/moi").await;
    let res = author
        .post(
            "/quan-tri/bai-viet/moi",
            ArticleForm::new("Dự thảo quy chế", "<p>Bản nháp gửi xem.</p>").fields(),
        )
        .await;
    assert_eq!(res.status(), 303);
    let id: i64 = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .trim_start_matches("/quan-tri/bai-viet/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let slug = slug_of(&app, id).await;
    assert_eq!(
        app.get(&format!("/bai-viet/{slug}")).await.status(),
        404,
        "a draft is not public"
    );

    author.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let res = author
        .post(&format!("/quan-tri/bai-viet/{id}/lien-ket-xem-truoc"), &[])
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    let start = html.find("/xem-truoc/").expect("the link");
    let token = html[start + "/xem-truoc/".len()..]
        .split('"')
        .next()
        .expect("token")
        .to_owned();

    // Anyone with the link, no account: the draft as saved, never counted nor kept.
    let res = app.get(&format!("/xem-truoc/{token}")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-robots-tag"], "noindex, nofollow");
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("Bản nháp gửi xem.")
    );

    // A forged or altered link opens nothing.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[0] = (id + 1).to_string();
    assert_eq!(
        app.get(&format!("/xem-truoc/{}", parts.join(".")))
            .await
            .status(),
        404
    );
    assert_eq!(app.get("/xem-truoc/abc").await.status(), 404);

    // One the portal made whose time is over: 410 with why.
    let secrets = cong_domain::secrets::Secrets::load(&cong_config::SecretsConfig {
        key_file: app
            .dir
            .path()
            .join("data/secret.key")
            .to_string_lossy()
            .into_owned(),
        old_key_files: vec![],
    })
    .expect("the node's key");
    let links = cong_domain::editorial::PreviewLinks::new(std::sync::Arc::new(secrets));
    let past = jiff::Timestamp::now().as_second() - 60;
    let expired = links.make(SiteId(1), id, past).expect("token");
    let res = app.get(&format!("/xem-truoc/{expired}")).await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.expect("body").contains("hết hạn"));
    let later = links.make(SiteId(1), id, past + 3600).expect("token");
    assert_eq!(
        app.get(&format!("/xem-truoc/{later}")).await.status(),
        200,
        "the same key opens a live one"
    );

    // In the trash, the link opens nothing.
    author.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    assert_eq!(
        author
            .post(&format!("/quan-tri/bai-viet/{id}/xoa"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(app.get(&format!("/xem-truoc/{token}")).await.status(), 404);
}
