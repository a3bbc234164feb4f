//! What the media library tells about where an image is used: only what the reader may see.

use crate::support::*;

const PW: &str = "Đồng hồ cát 2026";

/// Defect 11: the media library's "used in" listed other authors' draft titles.
#[tokio::test]
async fn an_author_sees_only_their_own_and_published_articles_using_an_image() {
    let app = TestApp::start().await;
    app.add_user("phongvien", "author", PW);
    app.add_user("phongvien2", "author", PW);
    app.add_user("bientap", "editor", PW);
    let mut a = app.login("phongvien", PW).await;
    a.get_page("/quan-tri/bai-viet/moi").await;
    // Image 1 is in the reference article's gallery (published); the draft uses it too.
    let res = a
        .post(
            "/quan-tri/bai-viet/moi",
            &[
                ("title", "Bản nháp chưa công bố về nhân sự"),
                ("section_id", "2"),
                ("body_html", "<p>Nháp.</p>"),
                ("cover_media_id", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let draft = "Bản nháp chưa công bố về nhân sự";
    let (_, own) = a.get_page("/quan-tri/anh/1").await;
    assert!(own.contains(draft), "the author sees their own draft");
    let mut other = app.login("phongvien2", PW).await;
    let (status, html) = other.get_page("/quan-tri/anh/1").await;
    assert_eq!(status, 200);
    assert!(!html.contains(draft), "another author does not");
    assert!(
        html.contains("Hội nghị"),
        "published articles are public anyway"
    );
    let mut editor = app.login("bientap", PW).await;
    let (_, html) = editor.get_page("/quan-tri/anh/1").await;
    assert!(
        html.contains(draft) && html.contains("Hội nghị"),
        "an editor sees all"
    );
}
