//! The allow-list every stored body passes: what an article or page may contain.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Editorial HTML: text structure, tables, figures and images, links. No scripts, styles,
/// event handlers, frames or forms; links get `rel="noopener noreferrer"`; only http(s),
/// mailto and tel URLs, or paths on this site.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "small",
        "mark",
        "blockquote",
        "q",
        "cite",
        "abbr",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "a",
        "img",
        "figure",
        "figcaption",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "span",
        "div",
    ]
    .into_iter()
    .collect();
    let mut b = ammonia::Builder::default();
    b.tags(tags)
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("img", ["src", "alt", "width", "height", "loading"])
        .add_tag_attributes("th", ["scope", "colspan", "rowspan"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("abbr", ["title"])
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"));
    b
});

/// Cleans untrusted HTML against the allow-list; what is not allowed is dropped.
pub fn sanitize_html(html: &str) -> String {
    CLEANER.clean(&super::nfc(html)).to_string()
}

#[cfg(test)]
mod tests {
    use super::sanitize_html;

    #[test]
    fn scripts_handlers_and_bad_urls_are_removed() {
        let dirty = r#"<p onclick="x()">Xin chào <b>Hà Nội</b><script>alert(1)</script>
            <a href="javascript:alert(1)">x</a><img src="/media/a.jpg" alt="Ảnh" onerror="y()">
            <iframe src="https://evil"></iframe><style>p{}</style></p>"#;
        let clean = sanitize_html(dirty);
        for banned in [
            "onclick",
            "<script",
            "javascript:",
            "onerror",
            "<iframe",
            "<style",
        ] {
            assert!(!clean.contains(banned), "{banned} survived: {clean}");
        }
        assert!(clean.contains("<b>Hà Nội</b>"));
        assert!(
            clean.contains(r#"<img src="/media/a.jpg" alt="Ảnh">"#),
            "{clean}"
        );
    }

    #[test]
    fn links_get_rel_and_keep_href() {
        let clean = sanitize_html(r#"<a href="https://chinhphu.vn">Chính phủ</a>"#);
        assert_eq!(
            clean,
            r#"<a href="https://chinhphu.vn" rel="noopener noreferrer">Chính phủ</a>"#
        );
    }

    #[test]
    fn stored_text_is_nfc() {
        assert_eq!(sanitize_html("<p>Ho\u{323}\u{302}i</p>"), "<p>Hội</p>");
    }
}
