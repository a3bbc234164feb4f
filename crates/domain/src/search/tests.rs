//! The index follows the change log without losing a change: one that fails to apply is
//! caught up later, even when the next change applies and would have moved the marker.

use super::{Query, Search};
use crate::ManualClock;
use crate::changes::ChangeKind;
use crate::content::{Content, NewArticle};
use cong_config::ListingConfig;
use cong_store::testing::execute;
use std::sync::Arc;

fn article(section: i64, title: &str) -> NewArticle<'_> {
    NewArticle {
        section_id: section,
        title,
        slug: "",
        summary: "",
        body_html: "<p>Nội dung.</p>",
        author: "",
        featured: false,
        cover_media_id: None,
        gallery_title: "",
        published_at: jiff::Timestamp::from_second(1_780_000_000).expect("time"),
    }
}

#[tokio::test]
async fn a_change_that_failed_is_applied_later_not_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let clock = Arc::new(ManualClock::new(
        jiff::Timestamp::from_second(1_780_000_100).expect("time"),
    ));
    let content = Content::new(store.clone(), ListingConfig::default(), clock.clone());
    let section = content
        .create_section(cong_store::SiteId::FIRST, "Tin tức", 1, None)
        .await
        .expect("section");
    content
        .create_article(
            cong_store::SiteId::FIRST,
            &article(section, "Hội nghị chuyển đổi số"),
            &[],
        )
        .await
        .expect("first");
    let (search, _) =
        Search::open(&dir.path().join("index"), store.clone(), clock, 10).expect("open the index");
    search.rebuild(|_, _| {}).await.expect("rebuild");
    let found = |q: &'static str| {
        let search = search.clone();
        async move { search.search(Query::text(q)).await.expect("search").total }
    };
    assert_eq!(found("chuyen doi so").await, 1);

    let changes = |after: i64| {
        let store = store.clone();
        async move {
            store
                .changes()
                .list_after(after, 100)
                .await
                .expect("changes")
        }
    };
    let last = changes(0).await.last().map(|c| c.id).expect("a change");
    content
        .create_article(
            cong_store::SiteId::FIRST,
            &article(section, "Tập huấn an toàn thông tin"),
            &[],
        )
        .await
        .expect("second");
    let second = changes(last).await.pop().expect("its change");
    assert_eq!(second.kind, Some(ChangeKind::Article));
    // The article cannot be read while its change is applied.
    execute(db.url(), &["ALTER TABLE articles RENAME TO articles_away"]).await;
    assert!(search.apply(&second).await.is_err(), "the change fails");
    assert!(search.is_behind());
    execute(db.url(), &["ALTER TABLE articles_away RENAME TO articles"]).await;

    content
        .create_article(
            cong_store::SiteId::FIRST,
            &article(section, "Hội thảo khoa học"),
            &[],
        )
        .await
        .expect("third");
    let third = changes(second.id).await.pop().expect("its change");
    search.apply(&third).await.expect("applies");
    assert!(!search.is_behind(), "caught up");
    assert_eq!(
        found("an toan thong tin").await,
        1,
        "the failed change is in"
    );
    assert_eq!(found("hoi thao").await, 1);
    assert_eq!(search.last_applied(), Some(third.id));
}

#[tokio::test]
async fn a_node_that_missed_pruned_changes_rebuilds_its_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let clock = Arc::new(ManualClock::new(
        jiff::Timestamp::from_second(1_780_000_100).expect("time"),
    ));
    let content = Content::new(store.clone(), ListingConfig::default(), clock.clone());
    let section = content
        .create_section(cong_store::SiteId::FIRST, "Tin tức", 1, None)
        .await
        .expect("section");
    let (search, _) =
        Search::open(&dir.path().join("index"), store.clone(), clock, 10).expect("open the index");
    search.rebuild(|_, _| {}).await.expect("rebuild");
    // Written while this node was stopped; the log then pruned past it.
    content
        .create_article(
            cong_store::SiteId::FIRST,
            &article(section, "Tập huấn an toàn thông tin"),
            &[],
        )
        .await
        .expect("article");
    let pruned = store.changes().prune(1_780_000_101).await.expect("prune");
    assert!(
        pruned >= 2,
        "the section's and the article's changes: {pruned}"
    );
    assert!(
        store
            .changes()
            .list_after(0, 10)
            .await
            .expect("log")
            .is_empty()
    );
    search.catch_up().await.expect("catch up");
    let hits = search
        .search(Query::text("an toan thong tin"))
        .await
        .expect("search");
    assert_eq!(
        hits.total, 1,
        "rebuilt from the store, not from the pruned log"
    );
}
