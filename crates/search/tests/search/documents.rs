//! Legal documents beside articles: keyed by kind and id, filtered by kind, found by their
//! number and by words only their attached files hold, ranked below what they say of
//! themselves.

use cong_search::{Doc, Index, Kind, Query};

use crate::corpus::{JAN_1_2025, corpus, doc};
use crate::{rank, search, slugs};

/// Filler of an attachment: administrative prose that matches none of the queries below.
const PAGE: &str = "Các cơ quan, đơn vị có trách nhiệm thực hiện theo đúng thẩm quyền, \
    bảo đảm thời hạn và lưu trữ hồ sơ đầy đủ. ";

/// A document as the caller builds it: the abstract as title, number · type · issuer as
/// summary, the type as section name.
fn document(id: i64, number: &str, kind: &str, abstract_: &str, files: &str) -> Doc {
    Doc {
        kind: Kind::Document,
        id,
        title: abstract_.to_owned(),
        summary: format!("{number} · {kind} · Sở Khoa học và Công nghệ"),
        body_html: String::new(),
        files_text: files.to_owned(),
        section_id: 0,
        site_id: 1,
        section_name: kind.to_owned(),
        slug: format!("van-ban-{id}"),
        published_at: JAN_1_2025 + id * 86_400,
    }
}

/// Ids 1 to 3 on purpose: articles 1 to 3 exist too.
fn documents() -> Vec<Doc> {
    vec![
        document(
            1,
            "544/QĐ-SKHCN",
            "Quyết định",
            "Về việc ban hành văn bản nội bộ của Sở",
            // Its own 60 pages, which state its number once.
            &format!(
                "Số: 544/QĐ-SKHCN. QUYẾT ĐỊNH {}Điều 1. Ban hành kèm theo Quyết định này Quy chế \
                 tiếp nhận, xử lý phản ánh, kiến nghị của tổ chức, cá nhân. {}",
                PAGE.repeat(5),
                PAGE.repeat(1600)
            ),
        ),
        document(
            2,
            "12/2025/TT-BKHCN",
            "Thông tư",
            "Quy định về đo lường đối với phương tiện đo nhóm 2",
            // A 60-page attachment that cites decision 544 far in, and again and again.
            &format!(
                "{}Căn cứ Quyết định số 544/QĐ-SKHCN của Sở. {}",
                PAGE.repeat(800),
                "Theo Quyết định 544/QĐ-SKHCN. ".repeat(8) + &PAGE.repeat(800)
            ),
        ),
        document(
            3,
            "07/KH-SKHCN",
            "Kế hoạch",
            "Kế hoạch tiếp nhận phản ánh về thủ tục đo lường",
            &PAGE.repeat(3),
        ),
    ]
}

/// The article corpus and the documents in one index.
fn mixed() -> Index {
    let index = Index::in_memory().expect("in-memory index");
    let all = corpus().into_iter().chain(documents());
    let n = index.rebuild(all, |_| {}).expect("rebuild");
    assert_eq!(n, 46 + 3);
    index
}

fn with_kind(index: &Index, text: &str, kind: Option<Kind>) -> Vec<(Kind, i64)> {
    let mut q = Query::text(text);
    q.per_page = 100;
    q.kind = kind;
    let r = index.search(&q).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    r.hits.iter().map(|h| (h.kind, h.id)).collect()
}

#[test]
fn articles_and_documents_are_found_together_and_filtered_by_kind() {
    let index = mixed();
    // "sở" is in articles 1 (Sở Khoa học …) and in every document's summary.
    let all = with_kind(&index, "sở khoa học", None);
    assert!(all.contains(&(Kind::Article, 1)), "{all:?}");
    for id in 1..=3 {
        assert!(all.contains(&(Kind::Document, id)), "{all:?}");
    }
    let articles = with_kind(&index, "sở khoa học", Some(Kind::Article));
    assert!(articles.iter().all(|(k, _)| *k == Kind::Article));
    assert!(articles.contains(&(Kind::Article, 1)));
    let documents = with_kind(&index, "sở khoa học", Some(Kind::Document));
    assert_eq!(documents.len(), 3, "{documents:?}");
    assert!(documents.iter().all(|(k, _)| *k == Kind::Document));
    assert_eq!(articles.len() + documents.len(), all.len());
    // Hits say what they are.
    let r = search(&index, "đo lường");
    let hit = &r.hits[rank(&r, "van-ban-2")];
    assert_eq!((hit.kind, hit.id, hit.section_id), (Kind::Document, 2, 0));
    assert_eq!(hit.section_name, "Thông tư");
    let r = search(&index, "hội nghị tập huấn");
    assert_eq!(r.hits[0].kind, Kind::Article);
}

#[test]
fn words_only_in_the_files_find_the_document_with_or_without_marks() {
    let index = mixed();
    for text in [
        "quy che tiep nhan phan anh",
        "quy chế tiếp nhận phản ánh",
        "\"quy chế tiếp nhận\"",
        "\"quy che tiep nhan, xu ly phan anh\"",
    ] {
        let r = search(&index, text);
        let hit = &r.hits[rank(&r, "van-ban-1")];
        assert!(hit.snippet_in_files, "{text}: {}", hit.snippet_html);
        assert!(
            hit.snippet_html
                .contains("<mark>Quy</mark> <mark>chế</mark>"),
            "{text}: {}",
            hit.snippet_html
        );
        assert!(!hit.title_html.contains("<mark>"), "{}", hit.title_html);
    }
    // The phrase must be in the files as typed: the words apart do not do.
    let r = search(&index, "\"quy chế nội bộ\"");
    assert!(!slugs(&r).contains(&"van-ban-1"), "{:?}", slugs(&r));
    // A match in the summary is shown from the summary.
    let r = search(&index, "thông tư");
    let hit = &r.hits[rank(&r, "van-ban-2")];
    assert!(!hit.snippet_in_files, "{}", hit.snippet_html);
    assert!(
        hit.snippet_html
            .contains("<mark>Thông</mark> <mark>tư</mark>")
    );
}

#[test]
fn a_match_past_the_stored_start_of_the_files_still_finds_the_document() {
    let index = mixed();
    // Document 2 cites 544 some 90 KB into its files, past what is kept for snippets.
    let r = search(&index, "căn cứ quyết định số");
    let hit = &r.hits[rank(&r, "van-ban-2")];
    assert!(!hit.snippet_in_files, "{}", hit.snippet_html);
    assert!(hit.snippet_html.starts_with("12/2025/TT-BKHCN"));
}

#[test]
fn document_numbers_are_found_as_typed_folded_or_split() {
    let index = mixed();
    for text in [
        "544/QĐ-SKHCN",
        "544/qd-skhcn",
        "544 QĐ",
        "544 qd skhcn",
        "\"544/QĐ\"",
    ] {
        let r = search(&index, text);
        assert_eq!(r.hits[0].slug, "van-ban-1", "{text}: {:?}", slugs(&r));
        assert!(
            r.hits[0]
                .snippet_html
                .contains("<mark>544</mark>/<mark>QĐ</mark>"),
            "{text}: {}",
            r.hits[0].snippet_html
        );
    }
    let r = search(&index, "12/2025/TT-BKHCN");
    assert_eq!(r.hits[0].slug, "van-ban-2", "{:?}", slugs(&r));
    assert!(search(&index, "545/QĐ-SKHCN").hits.is_empty());
}

#[test]
fn what_a_document_says_of_itself_ranks_above_its_files() {
    let index = mixed();
    // Document 1's number is in its summary; document 2's 60-page files cite it.
    let r = search(&index, "544/QĐ-SKHCN");
    assert!(
        rank(&r, "van-ban-1") < rank(&r, "van-ban-2"),
        "{:?}",
        slugs(&r)
    );
    // Document 3's abstract says "tiếp nhận phản ánh"; document 1's files do.
    let r = search(&index, "tiếp nhận phản ánh");
    assert!(
        rank(&r, "van-ban-3") < rank(&r, "van-ban-1"),
        "{:?}",
        slugs(&r)
    );
}

#[test]
fn a_document_and_an_article_with_the_same_id_are_two_entries() {
    let index = mixed();
    let article = doc("hoi-nghi-tap-huan-chuyen-doi-so");
    assert_eq!(article.id, 1);
    let before = index.len();
    // Deleting document 1 leaves article 1.
    index.delete(Kind::Document, 1).expect("delete");
    assert_eq!(index.len(), before - 1);
    assert!(with_kind(&index, "quy che tiep nhan", None).is_empty());
    assert_eq!(
        with_kind(&index, "hội nghị tập huấn chuyển đổi số", None)[0],
        (Kind::Article, 1)
    );
    // Deleting article 2 leaves document 2.
    index.delete(Kind::Article, 2).expect("delete");
    assert_eq!(index.len(), before - 2);
    assert_eq!(
        with_kind(&index, "12/2025/TT-BKHCN", None),
        [(Kind::Document, 2)]
    );
    // Upserting document 3 replaces document 3, not article 3.
    let mut edited = documents().remove(2);
    edited.title = "Kế hoạch kiểm định phương tiện đo".to_owned();
    index.upsert(edited).expect("upsert");
    assert_eq!(index.len(), before - 2);
    assert!(!with_kind(&index, "tiếp nhận phản ánh", None).contains(&(Kind::Document, 3)));
    assert_eq!(
        with_kind(&index, "kiểm định phương tiện đo", None)[0],
        (Kind::Document, 3)
    );
    assert!(with_kind(&index, "đăng ký kết hôn", None).contains(&(Kind::Article, 3)));
    // Upserting document 1 into the articles-only index adds an entry beside article 1.
    let articles = crate::corpus::index();
    articles.upsert(documents().remove(0)).expect("upsert");
    assert_eq!(articles.len(), 47);
}

#[test]
fn files_text_of_an_upserted_document_is_replaced() {
    let index = mixed();
    let mut edited = documents().remove(0);
    edited.files_text = "Điều 1. Bãi bỏ quy chế cũ.".to_owned();
    index.upsert(edited).expect("upsert");
    assert!(!slugs(&search(&index, "phan anh kien nghi")).contains(&"van-ban-1"));
    assert_eq!(search(&index, "bãi bỏ").hits[0].slug, "van-ban-1");
}

#[test]
fn documents_in_the_index_leave_the_relevance_table_passing() {
    // The files text has its own field, so it shifts neither which articles match nor the
    // average length the articles' BM25 is measured against.
    let table = include_str!("../relevance.tsv");
    let failures =
        cong_search::relevance::run(corpus().into_iter().chain(documents()), table).expect("run");
    let report: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(failures.is_empty(), "{}", report.join("\n"));
}

#[test]
fn marks_typed_count_in_the_files_too() {
    let index = Index::in_memory().expect("in-memory index");
    let mut road = document(
        1,
        "1/KH",
        "Kế hoạch",
        "Kế hoạch năm 2025",
        "Làm đường liên xã.",
    );
    road.slug = "duong".to_owned();
    let mut tree = document(2, "2/KH", "Kế hoạch", "Trồng dương liễu", "Ven biển.");
    tree.slug = "duong-lieu".to_owned();
    index.rebuild([tree, road], |_| {}).expect("rebuild");
    assert_eq!(slugs(&search(&index, "đường")), ["duong", "duong-lieu"]);
    assert_eq!(slugs(&search(&index, "dương")), ["duong-lieu", "duong"]);
    // Typed without marks, the title decides.
    assert_eq!(slugs(&search(&index, "duong")), ["duong-lieu", "duong"]);
    // Side by side in the files counts as in the text: "liên xã" beats "xã … liên".
    let mut apart = document(3, "3/KH", "Kế hoạch", "Kế hoạch khác", "Xã Tân Liên.");
    apart.slug = "apart".to_owned();
    index.upsert(apart).expect("upsert");
    assert_eq!(search(&index, "liên xã").hits[0].slug, "duong");
}
