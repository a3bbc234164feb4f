//! The allow-list every stored body passes: what an article or page may contain.

use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

/// Editorial HTML: text structure, tables, figures and images, links, YouTube videos and the
/// library's own videos (played by the browser, from `/media/`). No
/// scripts, styles, event handlers, forms, or frames but the no-cookie YouTube player; links
/// get `rel="noopener noreferrer"`; only http(s), mailto and tel URLs, or paths on this site.
/// A figure's class is one the theme lays out (`wide`, `left`, `right`), nothing else.
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
        "iframe",
        "video",
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
        .add_tag_attributes("iframe", ["src", "title"])
        .add_tag_attributes("video", ["src", "poster", "title", "width", "height"])
        .add_allowed_classes("figure", ["wide", "left", "right"])
        // A frame's address becomes the no-cookie player's, or goes (and the frame after it).
        .attribute_filter(|tag, attr, value| match (tag, attr) {
            ("iframe", "src") => super::embed::youtube_embed(value).map(Into::into),
            ("video", "src") => super::embed::is_uploaded_video(value).then(|| value.into()),
            ("video", "poster") => super::embed::is_library_image(value).then(|| value.into()),
            _ => Some(value.into()),
        })
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"));
    b
});

static FRAME: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r"(?is)<iframe\b([^>]*)>.*?</iframe>").expect("frame pattern")
});

static VIDEO: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r"(?is)<video\b([^>]*)>.*?</video>").expect("video pattern")
});

/// Cleans untrusted HTML against the allow-list; what is not allowed is dropped.
pub fn sanitize_html(html: &str) -> String {
    let clean = CLEANER.clean(&super::nfc(html)).to_string();
    let clean = if clean.contains("<video") {
        videos(&clean)
    } else {
        clean
    };
    if !clean.contains("<iframe") {
        return clean;
    }
    // Frames left without an address (not YouTube) go whole; a kept one is written the one
    // way, its player attributes ours whatever came in.
    FRAME
        .replace_all(&clean, |c: &regex::Captures| {
            let attr = |name: &str| {
                ATTR.captures_iter(&c[1])
                    .find(|a| &a[1] == name)
                    .map(|a| a[2].trim_matches('"').to_owned())
            };
            match attr("src").filter(|s| s.starts_with(super::embed::YOUTUBE_EMBED)) {
                Some(src) => format!(
                    "<iframe src=\"{src}\" title=\"{}\" loading=\"lazy\" allowfullscreen=\"\" \
                     referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>",
                    attr("title").unwrap_or_else(|| "Video YouTube".to_owned())
                ),
                None => String::new(),
            }
        })
        .into_owned()
}

/// A kept video is written the one way: the browser's own controls, only its metadata loaded
/// before it is played, a download link for a browser that cannot play it; one without an
/// address of the library (not ours) goes whole.
fn videos(clean: &str) -> String {
    VIDEO
        .replace_all(clean, |c: &regex::Captures| {
            let attr = |name: &str| {
                ATTR.captures_iter(&c[1])
                    .find(|a| &a[1] == name)
                    .map(|a| a[2].trim_matches('"').to_owned())
            };
            let Some(src) = attr("src") else {
                return String::new();
            };
            let mut tag = format!("<video src=\"{src}\"");
            for name in ["poster", "title", "width", "height"] {
                if let Some(v) = attr(name) {
                    tag.push_str(&format!(" {name}=\"{v}\""));
                }
            }
            format!(
                "{tag} controls=\"\" preload=\"metadata\"><a href=\"{src}\">Tải video</a></video>"
            )
        })
        .into_owned()
}

/// Attributes the save puts back on a body's own pictures (`pictures::enrich`): not
/// reported when the allow-list drops them from HTML that was saved before.
const REMADE: [&str; 2] = ["srcset", "sizes"];

static TAG: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>").expect("tag pattern")
});
static ATTR: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r#"([a-zA-Z_:][a-zA-Z0-9_:.-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)"#)
        .expect("attribute pattern")
});

/// An attribute with or without a value (`controls`, `autoplay` have none).
static ANY_ATTR: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r#"([a-zA-Z_:][a-zA-Z0-9_:.-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?"#)
        .expect("attribute pattern")
});

/// Tag names, attribute names and URL schemes found in some HTML.
fn inventory(html: &str) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let (mut tags, mut attrs, mut schemes) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for t in TAG.captures_iter(html) {
        tags.insert(t[1].to_ascii_lowercase());
        for a in ANY_ATTR.captures_iter(&t[2]) {
            let name = a[1].to_ascii_lowercase();
            let value = a
                .get(2)
                .map_or("", |v| v.as_str())
                .trim_matches(['"', '\''])
                .trim()
                .to_ascii_lowercase();
            if (name == "href" || name == "src")
                && let Some((scheme, _)) = value.split_once(':')
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
            {
                schemes.insert(scheme.to_owned());
            }
            attrs.insert(name);
        }
    }
    (tags, attrs, schemes)
}

/// Cleans like [`sanitize_html`] and says what was removed, so an editor is told instead of
/// finding it silently gone: "thẻ <script>", "thuộc tính onclick", "liên kết javascript:".
pub fn sanitize_report(html: &str) -> (String, Vec<String>) {
    let clean = sanitize_html(html);
    let (t0, a0, s0) = inventory(html);
    let (t1, a1, s1) = inventory(&clean);
    let mut removed: Vec<String> = t0
        .difference(&t1)
        .filter(|t| *t != "picture" && *t != "source")
        .map(|t| format!("thẻ <{t}>"))
        .collect();
    let frames = |h: &str| h.matches("<iframe").count();
    if frames(&clean) < frames(&html.to_ascii_lowercase()) {
        removed.push("khung nhúng <iframe> không phải video YouTube".to_owned());
    }
    removed.extend(
        a0.difference(&a1)
            .filter(|a| !REMADE.contains(&a.as_str()))
            .map(|a| format!("thuộc tính {a}")),
    );
    removed.extend(s0.difference(&s1).map(|s| format!("liên kết {s}:")));
    (clean, removed)
}

#[cfg(test)]
mod tests {
    use super::{sanitize_html, sanitize_report};

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
    fn what_was_removed_is_reported() {
        let (clean, removed) = sanitize_report(
            r#"<p onclick="x()" style="color:red">A <script>alert(1)</script><a href="javascript:alert(1)">b</a> <a href="https://x.vn">c</a></p><iframe src="https://e.com"></iframe>"#,
        );
        assert!(!clean.contains("script"));
        for r in [
            "thẻ <script>",
            "thẻ <iframe>",
            "thuộc tính onclick",
            "thuộc tính style",
            "liên kết javascript:",
        ] {
            assert!(
                removed.iter().any(|x| x == r),
                "{r} not reported: {removed:?}"
            );
        }
        assert!(
            !removed.iter().any(|x| x == "liên kết https:"),
            "{removed:?}"
        );
        let (_, nothing) =
            sanitize_report("<p>Xin <b>chào</b> <a href=\"/trang/lien-he\">Liên hệ</a></p>");
        assert!(nothing.is_empty(), "{nothing:?}");
    }

    #[test]
    fn a_youtube_frame_is_kept_with_only_safe_attributes() {
        let (clean, removed) = sanitize_report(
            r#"<iframe width="560" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=x" title="Video" onload="x()" allow="autoplay" sandbox="">alert(1)</iframe>"#,
        );
        assert_eq!(
            clean,
            r#"<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Video" loading="lazy" allowfullscreen="" referrerpolicy="strict-origin-when-cross-origin"></iframe>"#
        );
        assert!(
            removed.iter().any(|r| r == "thuộc tính onload"),
            "{removed:?}"
        );
        assert!(!removed.iter().any(|r| r.contains("khung")), "{removed:?}");
        // What the editor sends back is kept as it is, nothing reported.
        let (again, nothing) = sanitize_report(&clean);
        assert_eq!(again, clean);
        assert!(nothing.is_empty(), "{nothing:?}");
    }

    #[test]
    fn other_frames_are_removed_and_reported() {
        let (clean, removed) = sanitize_report(
            r#"<p>a</p><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe><iframe src="https://evil.example/embed/dQw4w9WgXcQ"></iframe><IFRAME SRC="javascript:alert(1)"></IFRAME><iframe srcdoc="<script>x</script>"></iframe>"#,
        );
        assert_eq!(clean.matches("<iframe").count(), 1, "{clean}");
        assert!(
            !clean.contains("evil") && !clean.contains("script"),
            "{clean}"
        );
        assert!(
            removed
                .iter()
                .any(|r| r == "khung nhúng <iframe> không phải video YouTube"),
            "{removed:?}"
        );
        let (none, removed) = sanitize_report(r#"<iframe src="https://vimeo.com/1"></iframe>"#);
        assert_eq!(none, "");
        assert!(removed.iter().any(|r| r == "thẻ <iframe>"), "{removed:?}");
    }

    #[test]
    fn figure_classes_are_the_themes_only() {
        let clean = sanitize_html(
            r#"<figure class="wide evil"><img src="/media/a.jpg" alt="Ảnh"><figcaption>Chú thích</figcaption></figure><figure class="left"></figure><figure class="right x"></figure><figure class="huge"></figure><p class="wide">x</p>"#,
        );
        assert_eq!(
            clean,
            r#"<figure class="wide"><img src="/media/a.jpg" alt="Ảnh"><figcaption>Chú thích</figcaption></figure><figure class="left"></figure><figure class="right"></figure><figure class=""></figure><p>x</p>"#
        );
    }

    #[test]
    fn tables_with_header_rows_are_kept() {
        let t = "<table><tbody><tr><th scope=\"col\">Năm</th><th>Số</th></tr><tr><td>2026</td><td colspan=\"2\">5</td></tr></tbody></table>";
        assert_eq!(sanitize_html(t), t);
    }

    #[test]
    fn stored_text_is_nfc() {
        assert_eq!(sanitize_html("<p>Ho\u{323}\u{302}i</p>"), "<p>Hội</p>");
    }

    /// A video plays only from the library, with the browser's controls, loading only its
    /// metadata first; anything else about it is dropped and reported.
    #[test]
    fn only_the_librarys_videos_play_and_always_the_same_way() {
        let hash = "0123456789abcdef0123456789abcdef";
        let (clean, removed) = sanitize_report(&format!(
            r#"<video src="/media/{hash}.webm" poster="/media/{hash}-640.jpg" title="Họp" autoplay onplay="x()" loop muted></video><video src="https://evil.example/a.mp4" controls></video><video src="/media/../etc.mp4"></video><video src="/media/{hash}.webm" poster="javascript:alert(1)"><source src="x"><script>x</script></video>"#
        ));
        assert_eq!(
            clean,
            format!(
                r#"<video src="/media/{hash}.webm" poster="/media/{hash}-640.jpg" title="Họp" controls="" preload="metadata"><a href="/media/{hash}.webm">Tải video</a></video><video src="/media/{hash}.webm" controls="" preload="metadata"><a href="/media/{hash}.webm">Tải video</a></video>"#
            )
        );
        for r in [
            "thuộc tính autoplay",
            "thuộc tính onplay",
            "thuộc tính loop",
            "thẻ <script>",
        ] {
            assert!(removed.iter().any(|x| x == r), "{r}: {removed:?}");
        }
        assert!(!sanitize_html("<p>a</p>").contains("video"));
    }
}
