//! Deep pages: a page reached from a mark lists exactly what OFFSET from the top lists,
//! ties in publication time included, and again after the list changes.

use super::Content;
use crate::ManualClock;
use cong_config::ListingConfig;
use cong_store::articles::NewArticle;
use std::sync::Arc;

/// A published article of `section`.
fn article(section: i64, slug: &str, published_at: i64) -> NewArticle<'_> {
    NewArticle {
        site_id: cong_store::SiteId::FIRST,
        section_id: section,
        slug,
        title: slug,
        summary: "",
        body_html: "<p>x</p>",
        author: "",
        status: "published",
        featured: false,
        cover_media_id: None,
        gallery_title: "",
        published_at,
    }
}

#[tokio::test]
async fn deep_pages_from_marks_equal_pages_from_the_top() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let now = jiff::Timestamp::from_second(1_780_000_000).expect("time");
    let content = Content::new(
        store.clone(),
        ListingConfig::default(),
        Arc::new(ManualClock::new(now)),
    );
    let section = content
        .create_section(cong_store::SiteId::FIRST, "Tin tức", 1, None)
        .await
        .expect("section");
    let slugs: Vec<String> = (0..2_345).map(|i| format!("bai-{i}")).collect();
    for chunk in slugs.chunks(500) {
        let rows: Vec<NewArticle<'_>> = chunk
            .iter()
            .map(|slug| {
                let i: i64 = slug[4..].parse().expect("n");
                // Three at a time share a minute: ties are broken by id.
                article(section, slug, now.as_second() - 60 * (1 + i / 3))
            })
            .collect();
        store
            .articles()
            .insert_many(&rows, now.as_second())
            .await
            .expect("insert");
    }
    let same = |page: u32| {
        let content = content.clone();
        let store = store.clone();
        async move {
            let shown: Vec<i64> = content
                .section_page(cong_store::SiteId::FIRST, "tin-tuc", page)
                .await
                .expect("page")
                .articles
                .items
                .iter()
                .map(|a| a.id)
                .collect();
            let top: Vec<i64> = store
                .articles()
                .list_published_in_section(section, now.as_second(), 10, i64::from(page - 1) * 10)
                .await
                .expect("rows")
                .iter()
                .map(|r| r.id)
                .collect();
            assert_eq!(shown, top, "page {page}");
            assert!(!shown.is_empty(), "page {page}");
        }
    };
    for page in [1, 100, 101, 150, 200, 201, 234, 235] {
        same(page).await;
    }
    // Newer articles push every row down: marks kept from before must not be used.
    let newer: Vec<NewArticle<'_>> = ["moi-1", "moi-2", "moi-3"]
        .iter()
        .map(|slug| article(section, slug, now.as_second() - 1))
        .collect();
    store
        .articles()
        .insert_many(&newer, now.as_second())
        .await
        .expect("insert");
    content.forget_counts(Some(section));
    for page in [101, 150, 235] {
        same(page).await;
    }
}
