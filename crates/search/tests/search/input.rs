//! Whatever a reader types: errors for what cannot be searched, never a panic, NFD like NFC,
//! and nothing from an article's text reaching the page unescaped.

use cong_search::{Doc, Query, QueryError, SearchError};
use unicode_normalization::UnicodeNormalization;

use crate::corpus::{JAN_1_2025, index};
use crate::{search, slugs};

fn query_error(index: &cong_search::Index, text: &str) -> QueryError {
    match index.search(&Query::text(text)) {
        Err(SearchError::Query(e)) => e,
        other => panic!("{text:?}: expected a query error, got {other:?}"),
    }
}

#[test]
fn unsearchable_queries_are_errors_with_vietnamese_messages() {
    let index = index();
    for text in [
        "",
        "   ",
        "!!!",
        "?? .. ,, ;; :: ^^ ~~ () [] {}",
        "\"\"",
        "“ ”",
        "AND OR NOT",
        "-+*/\\",
    ] {
        assert_eq!(query_error(&index, text), QueryError::Empty, "{text:?}");
    }
    for text in ["\"hội nghị", "hội nghị\"", "\"a\" \"b", "“chuyển đổi số"] {
        let e = query_error(&index, text);
        assert!(matches!(e, QueryError::UnclosedQuote), "{text:?}: {e:?}");
        assert!(e.to_string().contains("ngoặc kép"), "{e}");
    }
    assert_eq!(
        query_error(&index, &"hội nghị ".repeat(60)),
        QueryError::TooLong
    );
    assert_eq!(
        query_error(&index, &"x".repeat(10_000)),
        QueryError::TooLong
    );
    assert_eq!(query_error(&index, &"a".repeat(501)), QueryError::TooLong);
    assert!(QueryError::TooLong.to_string().contains("quá dài"));
    // Trimmed first: 500 characters surrounded by spaces are fine.
    let padded = format!("   {}   ", "chuyển đổi số ".repeat(35).trim());
    assert!(padded.trim().chars().count() <= 500);
    index
        .search(&Query::text(padded))
        .expect("500 characters are allowed");
}

#[test]
fn query_syntax_is_only_punctuation() {
    let index = index();
    // tantivy would read these as field, boost, fuzziness, grouping and boolean operators.
    assert_eq!(
        slugs(&search(&index, "Đảng^ bộ~ (tỉnh)")),
        slugs(&search(&index, "Đảng bộ tỉnh"))
    );
    // Their numbers are words like any other: "^5" asks for a 5.
    assert!(search(&index, "Đảng^5").hits.is_empty());
    assert_eq!(
        slugs(&search(&index, "dương AND liễu")),
        slugs(&search(&index, "dương liễu"))
    );
    assert_eq!(
        slugs(&search(&index, "+học -bổng")),
        slugs(&search(&index, "học bổng"))
    );
    for text in [
        "title:Đảng",
        "body_fold:dang",
        "id:1",
        "*",
        "hội*",
        "[1 TO 5]",
        "a:b:c",
        "\\\"",
        "\"a\" OR \"b\"",
        "NOT đảng",
        "đ\u{0}ảng",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%00 %27",
        "𝕳𝖔̣̂𝖎 🇻🇳 ☃",
    ] {
        let _ = index.search(&Query::text(text));
    }
}

#[test]
fn random_input_never_panics() {
    let index = index();
    let pool: Vec<char> = "aăâđeêioôơuưy ĐẢNG hội \"“”:^~()[]{}!*?+-\\/&|<>'\u{300}\u{301}\u{323}\u{0}\t\n 0123456789𝕳🇻"
        .chars()
        .collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..2_000 {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| pool[(next() % pool.len() as u64) as usize])
            .collect();
        let mut q = Query::text(text);
        q.page = (next() % 4) as u32;
        q.per_page = (next() % 30) as u32;
        let _ = index.search(&q);
    }
}

#[test]
fn decomposed_text_is_normalised_on_both_sides() {
    let index = index();
    let nfd_query: String = "Đảng bộ tỉnh".nfd().collect();
    assert_ne!(nfd_query, "Đảng bộ tỉnh");
    assert_eq!(
        slugs(&search(&index, &nfd_query)),
        slugs(&search(&index, "Đảng bộ tỉnh"))
    );

    let nfd_title: String = "Hội nghị khoa học về rừng ngập mặn".nfd().collect();
    index
        .upsert(Doc {
            site_id: 1,
            id: 900,
            title: nfd_title,
            summary: String::new(),
            body_html: "<p>Ngập mặn</p>".nfd().collect(),
            section_id: 6,
            section_name: "Khoa học - Công nghệ".to_owned(),
            slug: "rung-ngap-man".to_owned(),
            published_at: JAN_1_2025,
            ..Doc::default()
        })
        .expect("upsert");
    for text in ["rừng ngập mặn", "rung ngap man", "\"rừng ngập mặn\""] {
        let r = search(&index, text);
        assert_eq!(slugs(&r), ["rung-ngap-man"], "{text}");
        // Displayed text is NFC too, with the marks where the query matched.
        assert!(
            r.hits[0]
                .title_html
                .contains("<mark>rừng</mark> <mark>ngập</mark> <mark>mặn</mark>"),
            "{}",
            r.hits[0].title_html
        );
    }
}

#[test]
fn snippets_escape_markup_from_articles() {
    let index = index();
    let r = search(&index, "mã độc");
    let hit = &r.hits[0];
    assert_eq!(hit.slug, "canh-bao-ma-doc-email");
    let all_html = format!("{} {}", hit.title_html, hit.snippet_html);
    assert!(!all_html.contains("<script"), "{all_html}");
    let r = search(&index, "đoạn mã trình duyệt");
    let snippet = &r.hits[0].snippet_html;
    assert!(snippet.contains("&lt;script&gt;"), "{snippet}");
    assert!(!snippet.contains("<script"), "{snippet}");
    assert!(
        snippet.contains("<mark>trình</mark> <mark>duyệt</mark>"),
        "{snippet}"
    );
    // What was inside a <script> element is not text and was not indexed.
    assert!(search(&index, "lập chỉ mục").hits.is_empty());

    index
        .upsert(Doc {
            site_id: 1,
            id: 901,
            title: "Tiêu đề có <b>thẻ</b> & \"nháy\"".to_owned(),
            summary: "<img src=x onerror=alert(1)> tóm tắt".to_owned(),
            body_html: "<p>a</p>".to_owned(),
            section_id: 1,
            section_name: "Tin".to_owned(),
            slug: "the".to_owned(),
            published_at: JAN_1_2025,
            ..Doc::default()
        })
        .expect("upsert");
    let hit = &search(&index, "tiêu đề thẻ tóm tắt").hits[0];
    assert_eq!(
        hit.title_html,
        "<mark>Tiêu</mark> <mark>đề</mark> có &lt;b&gt;<mark>thẻ</mark>&lt;/b&gt; &amp; &quot;nháy&quot;"
    );
    assert!(
        hit.snippet_html
            .starts_with("&lt;img src=x onerror=alert(1)&gt; <mark>tóm</mark>"),
        "{}",
        hit.snippet_html
    );
}

#[test]
fn snippets_are_about_200_characters_around_the_match() {
    let index = index();
    let filler = "Nội dung bài viết dài về nhiều chủ đề khác nhau của địa phương. ".repeat(30);
    index
        .upsert(Doc {
            site_id: 1,
            id: 902,
            title: "Bài dài".to_owned(),
            summary: "Tóm tắt ngắn.".to_owned(),
            body_html: format!(
                "<p>{filler}</p><p>Giữa bài có cụm từ hiếm gặp là kỳ nhông.</p><p>{filler}</p>"
            ),
            section_id: 1,
            section_name: "Tin".to_owned(),
            slug: "bai-dai".to_owned(),
            published_at: JAN_1_2025,
            ..Doc::default()
        })
        .expect("upsert");
    let snippet = &search(&index, "kỳ nhông").hits[0].snippet_html;
    assert!(
        snippet.starts_with("… ") && snippet.ends_with(" …"),
        "{snippet}"
    );
    assert!(
        snippet.contains("<mark>kỳ</mark> <mark>nhông</mark>"),
        "{snippet}"
    );
    let visible = snippet.replace("<mark>", "").replace("</mark>", "");
    let n = visible.chars().count();
    assert!((160..=210).contains(&n), "{n} characters: {snippet}");
}
