//! The ranking rules: marks typed rank marked matches first; no marks still finds marked
//! text; titles beat bodies; quoted phrases are adjacent words.

use crate::corpus::index;
use crate::{rank, search, slugs};

#[test]
fn marks_typed_rank_the_same_marks_first() {
    let index = index();
    let r = search(&index, "đường");
    let road = rank(&r, "duong-giao-thong-nong-thon-ve-dich");
    // Folding still finds the look-alikes, below.
    assert!(
        road < rank(&r, "cay-duong-lieu-ven-bien"),
        "{:?}",
        slugs(&r)
    );
    assert!(road < rank(&r, "chu-tich-duong-nhiem-tiep-cong-dan"));
    assert!(r.hits[0].title_html.contains("<mark>"));
    assert!(
        [
            "duong-giao-thong-nong-thon-ve-dich",
            "mua-lu-gay-sat-lo-duong-mien-nui"
        ]
        .contains(&r.hits[0].slug.as_str())
    );

    let r = search(&index, "dương");
    assert_eq!(r.hits[0].slug, "cay-duong-lieu-ven-bien", "{:?}", slugs(&r));
    assert!(
        rank(&r, "hoc-tap-va-lam-theo-tu-tuong-ho-chi-minh")
            < rank(&r, "duong-giao-thong-nong-thon-ve-dich")
    );

    let r = search(&index, "đương");
    assert_eq!(r.hits[0].slug, "chu-tich-duong-nhiem-tiep-cong-dan");
}

#[test]
fn dang_with_marks_ranks_the_party_above_registration() {
    let index = index();
    let r = search(&index, "Đảng");
    let registration = rank(&r, "dang-ky-ket-hon-truc-tuyen");
    for party in [
        "dai-hoi-dang-bo-tinh-lan-thu-xv",
        "hoi-nghi-ban-chap-hanh-dang-bo",
        "dang-bo-xa-lanh-dao-kinh-te-tap-the",
        "ket-nap-dang-vien-moi",
    ] {
        assert!(rank(&r, party) < registration, "{party}: {:?}", slugs(&r));
    }
    let r = search(&index, "Đăng");
    assert!(
        rank(&r, "dang-ky-ket-hon-truc-tuyen") < rank(&r, "dai-hoi-dang-bo-tinh-lan-thu-xv"),
        "{:?}",
        slugs(&r)
    );
    assert!(
        rank(&r, "tinh-dang-cai-giai-bong-da-thieu-nien")
            < rank(&r, "hoi-nghi-ban-chap-hanh-dang-bo")
    );
}

#[test]
fn queries_without_marks_find_marked_text() {
    let index = index();
    let r = search(&index, "hoi nghi");
    for slug in [
        "hoi-nghi-tap-huan-chuyen-doi-so",
        "hoi-nghi-ban-chap-hanh-dang-bo",
        "hoi-nghi-xuc-tien-dau-tu-2025",
        "hoi-nghi-tong-ket-nganh-nong-nghiep-2024",
    ] {
        assert!(rank(&r, slug) < 4, "{slug}: {:?}", slugs(&r));
    }
    assert!(
        r.hits[0]
            .title_html
            .contains("<mark>Hội</mark> <mark>nghị</mark>"),
        "{}",
        r.hits[0].title_html
    );

    let r = search(&index, "dang");
    rank(&r, "dai-hoi-dang-bo-tinh-lan-thu-xv");
    rank(&r, "dang-ky-ket-hon-truc-tuyen");

    let r = search(&index, "cai cach hanh chinh");
    assert_eq!(
        r.hits[0].slug,
        "cai-cach-hanh-chinh-2025",
        "{:?}",
        slugs(&r)
    );
    assert!(
        r.hits[0]
            .title_html
            .contains("<mark>cải</mark> <mark>cách</mark> <mark>hành</mark> <mark>chính</mark>")
    );

    let r = search(&index, "DAI HOI DANG BO TINH");
    assert_eq!(r.hits[0].slug, "dai-hoi-dang-bo-tinh-lan-thu-xv");
}

#[test]
fn title_matches_rank_above_body_only_matches() {
    let index = index();
    let r = search(&index, "học bổng");
    assert_eq!(
        slugs(&r),
        [
            "trao-hoc-bong-hoc-sinh-ngheo",
            "quy-khuyen-hoc-van-dong-3-ty-dong"
        ]
    );
    let r = search(&index, "hoc bong");
    assert_eq!(r.hits[0].slug, "trao-hoc-bong-hoc-sinh-ngheo");
    // "cải cách hành chính" is in a title, in a summary and in a body.
    let r = search(&index, "cải cách hành chính");
    let title = rank(&r, "cai-cach-hanh-chinh-2025");
    assert!(title < rank(&r, "chi-so-par-index-tang-5-bac"));
    assert!(title < rank(&r, "dai-hoi-dang-bo-tinh-lan-thu-xv"));
}

#[test]
fn quoted_phrases_need_adjacent_words() {
    let index = index();
    let phrase = search(&index, "\"hội nghị tập huấn\"");
    assert_eq!(
        slugs(&phrase),
        [
            "hoi-nghi-tap-huan-chuyen-doi-so",
            "tap-huan-ky-nang-phong-chong-thien-tai"
        ],
        "title match first, then the body match"
    );
    assert_eq!(phrase.total, 2);
    // Unquoted, the article with the four words scattered matches too, but below.
    let words = search(&index, "hội nghị tập huấn");
    let scattered = rank(&words, "tap-huan-nghiep-vu-hoi-nong-dan");
    assert!(rank(&words, "hoi-nghi-tap-huan-chuyen-doi-so") < scattered);
    assert!(rank(&words, "tap-huan-ky-nang-phong-chong-thien-tai") < scattered);
    // Typographic quotes and phrases without marks work the same.
    assert_eq!(
        slugs(&search(&index, "“hoi nghi tap huan”")),
        slugs(&phrase)
    );
    // A phrase and a word together: both required.
    let r = search(&index, "\"tập huấn\" nông dân");
    assert_eq!(slugs(&r), ["tap-huan-nghiep-vu-hoi-nong-dan"]);
}

#[test]
fn scores_are_ordered_and_hits_carry_their_article() {
    let index = index();
    let r = search(&index, "chuyển đổi số");
    assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score));
    let hit = &r.hits[rank(&r, "hoi-nghi-tap-huan-chuyen-doi-so")];
    assert_eq!(hit.id, 1);
    assert_eq!(hit.section_id, 6);
    assert_eq!(hit.section_name, "Khoa học - Công nghệ");
    assert_eq!(
        hit.published_at,
        crate::corpus::JAN_1_2025 + 10 * crate::corpus::DAY + 8 * 3600
    );
}
