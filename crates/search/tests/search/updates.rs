//! Upserts and deletes are visible to the very next search; a rebuild replaces everything.

use cong_search::{Doc, Index, Kind};

use crate::corpus::{JAN_1_2025, corpus, doc, index};
use crate::{search, slugs};

fn article(id: i64, slug: &str, title: &str) -> Doc {
    Doc {
        site_id: 1,
        id,
        title: title.to_owned(),
        summary: String::new(),
        body_html: "<p>Nội dung.</p>".to_owned(),
        section_id: 1,
        section_name: "Tin tức - Sự kiện".to_owned(),
        slug: slug.to_owned(),
        published_at: JAN_1_2025,
        ..Doc::default()
    }
}

#[test]
fn upsert_is_visible_at_once_and_replaces_by_id() {
    let index = index();
    let before = index.len();
    index
        .upsert(article(
            1000,
            "ky-lan-xuat-hien",
            "Kỳ lân xuất hiện ở vườn quốc gia",
        ))
        .expect("upsert");
    assert_eq!(index.len(), before + 1);
    // First, not alone: folded, "ky lan" is also in "nhiệm kỳ … lần thứ".
    assert_eq!(search(&index, "kỳ lân").hits[0].slug, "ky-lan-xuat-hien");
    // Same id, new title: the old text is gone, the new one found, the count unchanged.
    index
        .upsert(article(
            1000,
            "phuong-hoang-xuat-hien",
            "Phượng hoàng xuất hiện ở vườn quốc gia",
        ))
        .expect("upsert");
    assert_eq!(index.len(), before + 1);
    assert!(!slugs(&search(&index, "kỳ lân")).contains(&"ky-lan-xuat-hien"));
    assert!(!slugs(&search(&index, "kỳ lân")).contains(&"phuong-hoang-xuat-hien"));
    assert_eq!(
        search(&index, "phuong hoang").hits[0].slug,
        "phuong-hoang-xuat-hien"
    );
    // Editing a corpus article moves it in the ranking at once.
    let mut edited = doc("cay-duong-lieu-ven-bien");
    edited.title = "Trồng cây chắn cát ven biển".to_owned();
    edited.summary = String::new();
    edited.body_html = "<p>Rừng phòng hộ.</p>".to_owned();
    index.upsert(edited).expect("upsert");
    assert!(!slugs(&search(&index, "dương liễu")).contains(&"cay-duong-lieu-ven-bien"));
}

#[test]
fn delete_is_visible_at_once() {
    let index = index();
    let before = index.len();
    let gone = doc("dang-ky-ket-hon-truc-tuyen");
    index.delete(Kind::Article, gone.id).expect("delete");
    assert_eq!(index.len(), before - 1);
    assert!(
        search(&index, "kết hôn")
            .hits
            .iter()
            .all(|h| h.id != gone.id)
    );
    // Deleting what is not there is not an error.
    index.delete(Kind::Article, gone.id).expect("delete again");
    index.delete(Kind::Article, -5).expect("delete unknown");
    assert_eq!(index.len(), before - 1);
}

#[test]
fn rebuild_replaces_everything_and_reports_progress() {
    let index = index();
    index
        .upsert(article(5000, "bai-cu", "Bài cũ sẽ biến mất"))
        .expect("upsert");
    let docs: Vec<Doc> = corpus().into_iter().take(10).collect();
    let mut seen = Vec::new();
    let n = index
        .rebuild(docs, |count| seen.push(count))
        .expect("rebuild");
    assert_eq!(n, 10);
    assert_eq!(seen.last(), Some(&10));
    assert_eq!(index.len(), 10);
    assert!(search(&index, "biến mất").hits.is_empty());
    // Writes still work after a rebuild (the editing writer came back).
    index
        .upsert(article(5001, "bai-moi", "Bài mới"))
        .expect("upsert");
    assert_eq!(index.len(), 11);
    // An empty rebuild empties the index.
    assert_eq!(
        index.rebuild(Vec::<Doc>::new(), |_| {}).expect("rebuild"),
        0
    );
    assert!(index.is_empty());
}

#[test]
fn searches_run_while_another_thread_writes() {
    let index = std::sync::Arc::new(index());
    let writer = {
        let index = index.clone();
        std::thread::spawn(move || {
            for i in 0..20 {
                index
                    .upsert(article(
                        2000 + i,
                        &format!("bai-{i}"),
                        &format!("Bài số {i} về hội nghị"),
                    ))
                    .expect("upsert");
            }
        })
    };
    for _ in 0..50 {
        let r = search(&index, "hội nghị");
        assert!(r.total >= 4);
    }
    writer.join().expect("writer thread");
    assert_eq!(Index::len(&index), 46 + 20);
}

#[test]
fn a_site_filter_finds_that_sites_articles_only() {
    let index = index();
    let mut other = article(
        2000,
        "hop-bao-chi-so-tu-phap",
        "Họp báo kỳ lân của Sở Tư pháp",
    );
    other.site_id = 2;
    index.upsert(other).expect("upsert");
    index
        .upsert(article(
            2001,
            "hop-bao-chi-so-khcn",
            "Họp báo kỳ lân của Sở KH&CN",
        ))
        .expect("upsert");
    let mut q = cong_search::Query::text("họp báo kỳ lân");
    q.site_id = Some(2);
    let found = index.search(&q).expect("search");
    assert_eq!(slugs(&found), vec!["hop-bao-chi-so-tu-phap"]);
    assert_eq!(found.hits[0].site_id, 2);
    q.site_id = None;
    assert_eq!(index.search(&q).expect("search").hits.len(), 2);
}
