//! The coverage-guided fuzz targets: each takes the bytes afl makes up and passes them to a
//! parser that reads outside input. A panic is a crash; `tests/fuzz_replay.rs` in the
//! workspace runs every file of `corpus/` and `regressions/` through the same functions.

use std::sync::LazyLock;

/// A target: the bytes afl made up go in; a panic is a crash.
pub type Target = fn(&[u8]);

/// Every target, by the name of its folder under `corpus/` and `regressions/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("form_query", form_query),
    ("search_query", search_query),
    ("sanitize", sanitize),
    ("image_header", image_header),
];

/// Query strings and URL-encoded form bodies, as the public pages and the back office read
/// them: page numbers, Accept-Encoding, form fields, datetime-local values.
pub fn form_query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for name in ["page", "tin-khac"] {
        if let Ok(n) = cong_web::page_number(Some(&text), name) {
            assert!(n >= 1, "page numbers start at 1");
        }
    }
    let _ = cong_web::accepts(&text, "br");
    let _ = cong_web::accepts(&text, "gzip");
    let form = cong_web::admin::form::FormData::parse(data);
    for (name, _) in form.0.iter().take(32) {
        let _ = form.get(name);
        let _ = form.all(name);
        let _ = form.id(name);
    }
    let _ = form.checked("published");
    static HANOI: LazyLock<jiff::tz::TimeZone> = LazyLock::new(|| {
        jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap_or(jiff::tz::TimeZone::UTC)
    });
    let _ = cong_web::admin::form::parse_local(&text, &HANOI);
}

/// The search box's text: parsed as a search parses it; its words come from the text.
pub fn search_query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(words) = cong_search::query_words(&text) {
        assert!(!words.is_empty(), "a query that parses asks for a word");
    }
    let _ = cong_search::html_to_text(&text);
}

/// Article HTML from an editor: what the sanitizer keeps, sanitized again, loses no tag,
/// attribute or link scheme (a second pass finding something to remove would mean the first
/// let through markup that reads differently once parsed again).
pub fn sanitize(data: &[u8]) {
    let html = String::from_utf8_lossy(data);
    let (clean, _removed) = cong_domain::text::sanitize_report(&html);
    let (_, removed_again) = cong_domain::text::sanitize_report(&clean);
    assert!(
        removed_again.is_empty(),
        "a second pass removed {removed_again:?} from {clean:?}"
    );
}

/// An upload's header: format and dimensions, refused or accepted without a panic; a small
/// image that passes is also decoded, cleaned and resized.
pub fn image_header(data: &[u8]) {
    let small = cong_media::Limits {
        max_bytes: 1024 * 1024,
        max_pixels: 64 * 64,
    };
    if let Ok((_format, width, height)) = cong_media::inspect(data, &small) {
        assert!(width > 0 && height > 0);
        assert!(u64::from(width) * u64::from(height) <= small.max_pixels);
        let _ = cong_media::process(data, &small);
    }
}
