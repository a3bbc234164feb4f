//! Pages in two languages: a section's language decides where its articles are listed, and
//! an article or a page names its translation (both databases).

use super::Content;
use crate::ManualClock;
use crate::navigation::Lang;
use cong_config::ListingConfig;
use cong_store::SiteId;
use cong_store::articles::NewArticle;
use std::sync::Arc;

fn article(section: i64, slug: &str, published_at: i64) -> NewArticle<'_> {
    NewArticle {
        site_id: SiteId::FIRST,
        section_id: section,
        slug,
        title: slug,
        summary: "",
        body_html: "<p>x</p>",
        author: "",
        status: "published",
        featured: true,
        cover_media_id: None,
        gallery_title: "",
        published_at,
    }
}

#[tokio::test]
async fn each_language_lists_its_own_articles_and_translations_name_each_other() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let now = jiff::Timestamp::from_second(1_780_000_000).expect("time");
    let content = Content::new(
        store.clone(),
        ListingConfig::default(),
        Arc::new(ManualClock::new(now)),
    );
    let site = SiteId::FIRST;
    let tin = content
        .create_section(site, "Tin tức", 1, None)
        .await
        .expect("section");
    let news = content
        .create_section_in(site, Lang::En, "News", 2, None)
        .await
        .expect("section");
    let t = now.as_second() - 60;
    store
        .articles()
        .insert_many(
            &[
                article(tin, "hoi-nghi", t),
                article(news, "conference", t),
                article(tin, "chua-dich", t - 60),
            ],
            t,
        )
        .await
        .expect("articles");
    let id_of = |slug: &'static str| {
        let store = store.clone();
        async move {
            store
                .articles()
                .find_published_by_slug(site, slug, i64::MAX)
                .await
                .expect("find")
                .expect("there")
                .id
        }
    };
    let (hoi_nghi, conference) = (id_of("hoi-nghi").await, id_of("conference").await);
    content
        .set_article_translation(site, conference, Some(hoi_nghi))
        .await
        .expect("translation");

    let slugs = |list: &[super::ArticleSummary]| -> Vec<String> {
        list.iter().map(|a| a.slug.clone()).collect()
    };
    let vi = content.home(site, Lang::Vi).await.expect("home");
    let en = content.home(site, Lang::En).await.expect("home");
    assert_eq!(slugs(&vi.latest), ["hoi-nghi", "chua-dich"]);
    assert_eq!(slugs(&vi.featured), ["hoi-nghi", "chua-dich"]);
    assert_eq!(slugs(&en.latest), ["conference"]);
    assert_eq!(slugs(&en.featured), ["conference"]);
    let menu = |lang| {
        let content = content.clone();
        async move {
            content
                .menu(site, lang)
                .await
                .expect("menu")
                .into_iter()
                .map(|s| s.slug)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(menu(Lang::Vi).await, ["tin-tuc"]);
    assert_eq!(menu(Lang::En).await, ["news"]);

    // The translation and its original name each other; an untranslated article only itself.
    let both = vec![
        (Lang::Vi, "hoi-nghi".to_owned()),
        (Lang::En, "conference".to_owned()),
    ];
    for slug in ["hoi-nghi", "conference"] {
        let page = content.article_page(site, slug, 1).await.expect("page");
        assert_eq!(page.versions, both, "{slug}");
    }
    let alone = content
        .article_page(site, "chua-dich", 1)
        .await
        .expect("page");
    assert_eq!(alone.versions, [(Lang::Vi, "chua-dich".to_owned())]);
    assert_eq!(
        content
            .article_page(site, "conference", 1)
            .await
            .expect("page")
            .section
            .lang,
        Lang::En
    );

    // Pages: each footer lists its language's; a translation names its original.
    let intro = content
        .create_page(site, "gioi-thieu", "Giới thiệu", "<p>a</p>")
        .await
        .expect("page");
    let english = content
        .create_page(site, "introduction", "Introduction", "<p>a</p>")
        .await
        .expect("page");
    content
        .set_page_language(site, english, Lang::En, Some(intro))
        .await
        .expect("language");
    assert_eq!(
        content.page_titles(site, Lang::En).await.expect("titles"),
        [("introduction".to_owned(), "Introduction".to_owned())]
    );
    assert_eq!(
        content.page_titles(site, Lang::Vi).await.expect("titles"),
        [("gioi-thieu".to_owned(), "Giới thiệu".to_owned())]
    );
    let (page, versions) = content
        .page_versions(site, "gioi-thieu")
        .await
        .expect("versions");
    assert_eq!(page.lang, Lang::Vi);
    assert_eq!(
        versions,
        [
            (Lang::Vi, "gioi-thieu".to_owned()),
            (Lang::En, "introduction".to_owned())
        ]
    );
    // A page cannot translate itself: the link is dropped.
    content
        .set_page_language(site, intro, Lang::Vi, Some(intro))
        .await
        .expect("language");
    let (page, _) = content
        .page_versions(site, "gioi-thieu")
        .await
        .expect("versions");
    assert_eq!(page.translation_of, None);
}
