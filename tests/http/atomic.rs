//! A back-office write is all or nothing: when any of its rows cannot be written (here the
//! audit entry, broken by a trigger), the article, its revision and its change record are
//! not written either, so no node's cache or search index can miss half of it.

use crate::support::*;
use cong_store::testing::{break_audit, heal_audit, query_i64};

const EDITOR_PW: &str = "Giấy trắng 2026!";

fn counts_sql(id: i64) -> [String; 3] {
    [
        format!("SELECT COUNT(*) FROM articles WHERE id = {id} AND title = 'Bản đầu'"),
        format!("SELECT COUNT(*) FROM article_revisions WHERE article_id = {id}"),
        format!("SELECT COUNT(*) FROM changes WHERE kind = 'article' AND entity_id = {id}"),
    ]
}

async fn counts(app: &TestApp, id: i64) -> [i64; 3] {
    let url = app.db_url();
    let [a, b, c] = counts_sql(id);
    [
        query_i64(&url, &a).await,
        query_i64(&url, &b).await,
        query_i64(&url, &c).await,
    ]
}

#[tokio::test]
async fn a_save_whose_audit_entry_fails_leaves_nothing_behind() {
    let app = TestApp::start().await;
    app.add_user("bientap", "editor", EDITOR_PW);
    let mut editor = app.login("bientap", EDITOR_PW).await;
    editor.get_page("/quan-tri/bai-viet/moi").await;
    let form = |title: &'static str| {
        [
            ("title", title),
            ("section_id", "2"),
            ("summary", "Tóm tắt"),
            ("body_html", "<p>Nội dung.</p>"),
        ]
    };
    let res = editor
        .post("/quan-tri/bai-viet/moi", &form("Bản đầu"))
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
    let before = counts(&app, id).await;
    assert_eq!(
        before,
        [1, 1, 1],
        "created: the article, a revision, a change"
    );

    break_audit(&app.db_url(), "article.save").await;
    editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let res = editor
        .post(&format!("/quan-tri/bai-viet/{id}"), &form("Bản sửa"))
        .await;
    assert_eq!(res.status(), 500, "the database refused part of the write");
    let body = res.text().await.expect("body");
    assert!(
        !body.contains("injected failure"),
        "no database message reaches the client"
    );
    assert_eq!(
        counts(&app, id).await,
        before,
        "title, revisions and change log exactly as before the failed save"
    );

    heal_audit(&app.db_url()).await;
    editor.get_page(&format!("/quan-tri/bai-viet/{id}")).await;
    let res = editor
        .post(&format!("/quan-tri/bai-viet/{id}"), &form("Bản sửa"))
        .await;
    assert_eq!(res.status(), 303, "the same save goes through once healed");
    assert_eq!(counts(&app, id).await, [0, 2, 2]);
}
