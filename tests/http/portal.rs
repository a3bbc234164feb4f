//! The portal carries its components: a gathering section lists a component's newest
//! articles (linked on the component's own address) and follows its changes through the page
//! cache; an article shared to the portal names its origin and points its canonical link
//! there; the portal's search covers every site when asked.

use crate::support::*;
use cong_store::SiteId;
use std::time::Duration;

const PASSWORD: &str = "mat-khau-du-dai-123";

async fn page(client: &reqwest::Client, url: &str) -> (u16, String, String) {
    let res = client.get(url).send().await.expect("request");
    let how = res
        .headers()
        .get("x-cache")
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    (res.status().as_u16(), how, res.text().await.expect("body"))
}

/// Asks for `url` until `ok` holds of its status and body (a change reaches the cache and
/// the search index through the change log), at most 10 s; panics with the last answer.
async fn until(
    client: &reqwest::Client,
    url: &str,
    what: &str,
    ok: impl Fn(u16, &str) -> bool,
) -> String {
    let mut last = (0, String::new());
    for _ in 0..200 {
        let (status, _, body) = page(client, url).await;
        if ok(status, &body) {
            return body;
        }
        last = (status, body);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url}: never {what}; last answer {}:\n{}", last.0, last.1);
}

#[tokio::test]
async fn the_portal_gathers_shares_and_searches_its_components() {
    let app = TestApp::start().await;
    let (portal, stp) = (app.address("portal.test"), app.address("stp.test"));
    let client = app.client_for(&["portal.test", "stp.test"]);
    app.site_command(&["set", "1", "--address", &portal, "--kind", "portal"]);
    app.site_command(&["add", "Sở Tư pháp", "--address", &stp]);
    until(&client, &format!("{stp}/"), "answers", |s, _| s == 200).await;
    app.add_user("quantri", "admin", PASSWORD);

    // The component: a section and a first article.
    let mut component = app.browser_at("stp.test");
    assert_eq!(component.try_login("quantri", PASSWORD).await.status(), 303);
    component.get_page("/quan-tri/chuyen-muc").await;
    let res = component
        .post(
            "/quan-tri/chuyen-muc",
            &[
                ("name", "Tin tư pháp"),
                ("position", "1"),
                ("in_menu", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let store = app.store().await;
    let stp_section = store
        .sections(SiteId(2))
        .find_by_slug("tin-tu-phap")
        .await
        .expect("read")
        .expect("section of site 2");
    let first = "Phổ biến Luật Hộ tịch tại xã Hàm Mỹ";
    let first_slug = "pho-bien-luat-ho-tich-tai-xa-ham-my";
    let first_id = component
        .publish(
            first,
            stp_section.id,
            "Tuyên truyền.",
            "<p>Nội dung hộ tịch.</p>",
        )
        .await;

    // The portal: a section that gathers the component's newest articles.
    let mut editor = app.browser_at("portal.test");
    assert_eq!(editor.try_login("quantri", PASSWORD).await.status(), 303);
    let (_, form) = editor.get_page("/quan-tri/chuyen-muc").await;
    assert!(
        form.contains("Lấy tin mới nhất từ các trang thành phần") && form.contains("Sở Tư pháp"),
        "the section form offers the other sites"
    );
    let res = editor
        .post(
            "/quan-tri/chuyen-muc",
            &[
                ("name", "Tin từ các sở, ngành"),
                ("position", "9"),
                ("in_menu", "on"),
                ("sources", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // A section cannot gather from its own site.
    let res = editor
        .post(
            "/quan-tri/chuyen-muc",
            &[("name", "Vòng"), ("position", "10"), ("sources", "1")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let gathering = store
        .sections(SiteId(1))
        .find_by_slug("tin-tu-cac-so-nganh")
        .await
        .expect("read")
        .expect("the portal's gathering section");
    let (_, form) = editor.get_page("/quan-tri/chuyen-muc").await;
    assert!(
        form.contains(&format!(
            r#"id="src-{}-2" name="sources" value="2" checked"#,
            gathering.id
        )),
        "the form shows what the section gathers"
    );

    let section_url = format!("{portal}/chuyen-muc/tin-tu-cac-so-nganh");
    let first_link = format!(r#"href="{stp}/bai-viet/{first_slug}""#);
    let (status, _, html) = page(&client, &section_url).await;
    assert_eq!(status, 200);
    assert!(html.contains(&first_link), "linked on its own site: {html}");
    assert!(html.contains(r#"<span class="card-site">Sở Tư pháp</span>"#));
    // Kept: the second request is served from the cache.
    let (_, how, _) = page(&client, &section_url).await;
    assert_eq!(how, "hit");
    let (_, _, home) = page(&client, &format!("{portal}/")).await;
    assert!(home.contains(&first_link), "the home page's block too");
    let (_, how, _) = page(&client, &format!("{portal}/")).await;
    assert_eq!(how, "hit");

    // A new article on the component: the portal's kept pages follow.
    let second = "Trợ giúp pháp lý lưu động tại huyện Tuy Phong";
    component
        .publish(second, stp_section.id, "", "<p>Trợ giúp.</p>")
        .await;
    let html = until(&client, &section_url, "shows the new article", |s, b| {
        s == 200 && b.contains(second)
    })
    .await;
    assert!(html.find(second) < html.find(first), "newest first: {html}");
    until(&client, &format!("{portal}/"), "home shows it", |s, b| {
        s == 200 && b.contains(second)
    })
    .await;

    // Sharing the first article to the portal.
    let (_, edit) = component
        .get_page(&format!("/quan-tri/bai-viet/{first_id}"))
        .await;
    assert!(edit.contains("Chia sẻ lên cổng"));
    let section_id = gathering.id.to_string();
    let res = component
        .post(
            &format!("/quan-tri/bai-viet/{first_id}/chia-se"),
            &[("action", "share"), ("share_section", &section_id)],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Twice is refused, with the form and its message.
    let res = component
        .post(
            &format!("/quan-tri/bai-viet/{first_id}/chia-se"),
            &[("action", "share"), ("share_section", &section_id)],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("đã được chia sẻ"));
    let copy_url = format!("{portal}/bai-viet/{first_slug}");
    let original = format!("{stp}/bai-viet/{first_slug}");
    let copy = until(&client, &copy_url, "shows the copy", |s, _| s == 200).await;
    assert!(
        copy.contains(&format!(r#"<link rel="canonical" href="{original}">"#)),
        "canonical to the original: {copy}"
    );
    assert!(copy.contains(&format!(r#"Nguồn: <a href="{original}">Sở Tư pháp</a>"#)));
    assert!(copy.contains("Nội dung hộ tịch."));
    let audit = cong_store::testing::query_i64(
        &app.db_url(),
        "SELECT COUNT(*) FROM audit_log WHERE action = 'article.share' AND site_id = 2",
    )
    .await;
    assert_eq!(audit, 1);

    // The copy follows its original: taken down there, gone here (its kept page too).
    let (_, how, _) = page(&client, &copy_url).await;
    assert_eq!(how, "hit");
    let res = component
        .post(&format!("/quan-tri/bai-viet/{first_id}/go-xuong"), &[])
        .await;
    assert_eq!(res.status(), 303);
    until(&client, &copy_url, "is gone", |s, _| s == 404).await;
    let res = component
        .post(&format!("/quan-tri/bai-viet/{first_id}/xuat-ban"), &[])
        .await;
    assert_eq!(res.status(), 303);
    until(&client, &copy_url, "is back", |s, _| s == 200).await;

    // Unsharing removes the copy.
    component
        .get_page(&format!("/quan-tri/bai-viet/{first_id}"))
        .await;
    let res = component
        .post(
            &format!("/quan-tri/bai-viet/{first_id}/chia-se"),
            &[("action", "unshare")],
        )
        .await;
    assert_eq!(res.status(), 303);
    until(&client, &copy_url, "is unshared", |s, _| s == 404).await;
    let copies = cong_store::testing::query_i64(
        &app.db_url(),
        "SELECT COUNT(*) FROM articles WHERE origin_article_id IS NOT NULL",
    )
    .await;
    assert_eq!(copies, 0);

    // The portal's search: every site when asked, each result labelled with its site.
    let all = format!("{portal}/tim-kiem?q=ho+tich&pham-vi=tat-ca");
    let html = until(&client, &all, "finds the component's article", |s, b| {
        s == 200 && b.contains(&format!(r#"href="{original}""#))
    })
    .await;
    assert!(html.contains(r#"<span class="result-site">Sở Tư pháp</span>"#));
    assert!(html.contains(r#"<option value="tat-ca" selected>Tất cả các trang</option>"#));
    let (status, _, html) = page(&client, &format!("{portal}/tim-kiem?q=ho+tich")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("stp.test"), "this site only by default");
    assert!(html.contains("Tất cả các trang"), "the choice is offered");
    // A component's search stays its own, and offers no choice.
    let (_, _, html) = page(&client, &format!("{stp}/tim-kiem?q=ho+tich")).await;
    assert!(!html.contains("Tất cả các trang"));
}
