//! Deep pages: a page reached from a mark lists exactly what OFFSET from the top lists,
//! ties in publication time included, and again after the list changes.

use super::{Content, GATHERED_MAX};
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

/// A published article of `site`'s `section`.
fn article_of(
    site: cong_store::SiteId,
    section: i64,
    slug: &str,
    published_at: i64,
) -> NewArticle<'_> {
    NewArticle {
        site_id: site,
        ..article(section, slug, published_at)
    }
}

#[tokio::test]
async fn a_gathering_section_merges_its_sources_newest_first_page_by_page() {
    use cong_store::SiteId;
    let dir = tempfile::tempdir().expect("temp dir");
    let (_db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let now = jiff::Timestamp::from_second(1_780_000_000).expect("time");
    let t = now.as_second();
    let content = Content::new(
        store.clone(),
        ListingConfig::default(),
        Arc::new(ManualClock::new(now)),
    );
    let mut tx = store.begin().await.expect("tx");
    let mut sites = Vec::new();
    for name in ["Sở Tư pháp", "Sở Y tế"] {
        let new = cong_store::sites::NewSite {
            name,
            address: "",
            kind: cong_store::sites::SiteKind::Component,
        };
        sites.push(store.sites().insert(&mut tx, &new, t).await.expect("site"));
    }
    tx.commit().await.expect("commit");
    let gathering = content
        .create_section(SiteId::FIRST, "Tin từ các sở, ngành", 1, None)
        .await
        .expect("section");
    let mut expected: Vec<(i64, String)> = Vec::new();
    let mut rows = Vec::new();
    let slugs: Vec<String> = (0..75).map(|i| format!("bai-{i}")).collect();
    for (i, slug) in slugs.iter().enumerate() {
        let i = i64::try_from(i).expect("small");
        // Three lists, interleaved in time, with ties: own, site 2, site 3.
        let site = [SiteId::FIRST, sites[0], sites[1]][usize::try_from(i % 3).expect("0..3")];
        let section = if site == SiteId::FIRST {
            gathering
        } else {
            content
                .create_section(site, &format!("Tin {i}"), 1, None)
                .await
                .expect("section of a source")
        };
        rows.push(article_of(site, section, slug, t - 60 * (1 + i / 2)));
        expected.push((t - 60 * (1 + i / 2), slug.clone()));
    }
    // A draft of a source and an article of a site not gathered are not listed.
    let other = {
        let mut tx = store.begin().await.expect("tx");
        let new = cong_store::sites::NewSite {
            name: "Huyện",
            address: "",
            kind: cong_store::sites::SiteKind::Component,
        };
        let id = store.sites().insert(&mut tx, &new, t).await.expect("site");
        tx.commit().await.expect("commit");
        id
    };
    let other_section = content
        .create_section(other, "Tin huyện", 1, None)
        .await
        .expect("section");
    rows.push(article_of(other, other_section, "khong-lay", t - 1));
    let mut draft = article_of(sites[0], gathering, "nhap", t - 1);
    draft.status = "draft";
    rows.push(draft);
    store
        .articles()
        .insert_many(&rows, t)
        .await
        .expect("insert");
    content
        .set_section_sources(SiteId::FIRST, gathering, &sites)
        .await
        .expect("sources");

    let mut shown = Vec::new();
    let mut labelled = 0;
    for page in 1..=8 {
        let sp = content
            .section_page(SiteId::FIRST, "tin-tu-cac-so-nganh", page)
            .await
            .expect("page");
        assert_eq!(sp.articles.total, 75);
        assert_eq!(sp.articles.pages, 8);
        assert_eq!(sp.sources, sites);
        for a in &sp.articles.items {
            assert_eq!(
                a.from_site.is_some(),
                a.site_id != SiteId::FIRST,
                "{}: labelled when another site's",
                a.slug
            );
            labelled += usize::from(
                a.from_site
                    .as_ref()
                    .is_some_and(|l| l.name.starts_with("Sở")),
            );
            shown.push((a.published_at.as_second(), a.slug.clone(), a.id));
        }
    }
    assert_eq!(labelled, 50);
    // The kept counts add up to what one query over every source's rows counts.
    assert_eq!(
        store
            .articles()
            .count_gathered(gathering, &sites, t)
            .await
            .expect("count"),
        75
    );
    // Newest first, ties by id (later inserted first), every article once.
    expected.sort_by_key(|a| std::cmp::Reverse(a.0));
    let mut by_order = shown.clone();
    by_order.sort_by(|a, b| b.0.cmp(&a.0).then(b.2.cmp(&a.2)));
    assert_eq!(shown, by_order, "merged newest first");
    let mut slugs_shown: Vec<&str> = shown.iter().map(|s| s.1.as_str()).collect();
    slugs_shown.sort_unstable();
    let mut slugs_expected: Vec<&str> = expected.iter().map(|s| s.1.as_str()).collect();
    slugs_expected.sort_unstable();
    assert_eq!(slugs_shown, slugs_expected);
    assert!(matches!(
        content
            .section_page(SiteId::FIRST, "tin-tu-cac-so-nganh", 9)
            .await,
        Err(crate::Error::NotFound)
    ));
    // The home page's block for the section is the first of that list.
    let home = content
        .home(SiteId::FIRST, crate::navigation::Lang::Vi)
        .await
        .expect("home");
    let (_, block) = home
        .sections
        .iter()
        .find(|(s, _)| s.id == gathering)
        .expect("the section's block");
    let first: Vec<&str> = block.iter().map(|a| a.slug.as_str()).collect();
    let top: Vec<&str> = shown
        .iter()
        .take(first.len())
        .map(|s| s.1.as_str())
        .collect();
    assert_eq!(first, top);
    assert_eq!(home.gathers, sites);
}

/// A gathering section lists the newest `GATHERED_MAX` of its sources; deeper pages are
/// not found, so walking them cannot cost what the whole of every source would.
#[tokio::test]
async fn a_gathering_section_lists_only_the_newest() {
    use cong_store::SiteId;
    let dir = tempfile::tempdir().expect("temp dir");
    let (_db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let now = jiff::Timestamp::from_second(1_780_000_000).expect("time");
    let t = now.as_second();
    let content = Content::new(
        store.clone(),
        ListingConfig::default(),
        Arc::new(ManualClock::new(now)),
    );
    let mut tx = store.begin().await.expect("tx");
    let new = cong_store::sites::NewSite {
        name: "Sở Tư pháp",
        address: "",
        kind: cong_store::sites::SiteKind::Component,
    };
    let source = store.sites().insert(&mut tx, &new, t).await.expect("site");
    tx.commit().await.expect("commit");
    let gathering = content
        .create_section(SiteId::FIRST, "Tin từ các sở, ngành", 1, None)
        .await
        .expect("section");
    let theirs = content
        .create_section(source, "Tin tức", 1, None)
        .await
        .expect("section");
    let slugs: Vec<String> = (0..GATHERED_MAX + 30).map(|i| format!("bai-{i}")).collect();
    let rows: Vec<NewArticle<'_>> = slugs
        .iter()
        .zip(0..)
        .map(|(slug, i)| article_of(source, theirs, slug, t - 60 * (i + 1)))
        .collect();
    store
        .articles()
        .insert_many(&rows, t)
        .await
        .expect("insert");
    content
        .set_section_sources(SiteId::FIRST, gathering, &[source])
        .await
        .expect("sources");
    let per = i64::from(ListingConfig::default().section_page_size);
    let last = u32::try_from((GATHERED_MAX + per - 1) / per).expect("pages");
    let sp = content
        .section_page(SiteId::FIRST, "tin-tu-cac-so-nganh", last)
        .await
        .expect("the last page");
    assert_eq!(sp.articles.total, GATHERED_MAX);
    assert_eq!(sp.articles.pages, last);
    let oldest = sp.articles.items.last().expect("rows").slug.clone();
    assert_eq!(
        oldest,
        format!("bai-{}", GATHERED_MAX - 1),
        "the newest only"
    );
    assert!(matches!(
        content
            .section_page(SiteId::FIRST, "tin-tu-cac-so-nganh", last + 1)
            .await,
        Err(crate::Error::NotFound)
    ));
}
