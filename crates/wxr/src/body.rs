//! What a post's body holds that an import must act on: shortcodes (WordPress's `[name …]`
//! macros), the pictures it shows, and the uploads they come from.

use regex::Regex;
use std::sync::LazyLock;

/// One shortcode in a body, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// What stands between `[name]` and `[/name]`, when it encloses.
    pub inner: Option<String>,
    /// Byte range of the whole shortcode (closing tag included) in the body.
    pub start: usize,
    pub end: usize,
}

impl Shortcode {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `ids="3,4,5"` as numbers.
    pub fn ids(&self) -> Vec<i64> {
        self.attr("ids")
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect()
    }
}

static OPEN: LazyLock<Regex> = LazyLock::new(|| {
    // `[[name]]` is WordPress's way to write a literal `[name]`: not matched (no `[` before).
    Regex::new(r"\[([A-Za-z][A-Za-z0-9_-]*)((?:\s+[^\]\[]*?)?)\s*(/)?\]").expect("regex")
});
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))"#).expect("regex")
});

/// The shortcodes of a body in order, outermost only (a shortcode inside a caption's text
/// is part of that caption).
pub fn shortcodes(body: &str) -> Vec<Shortcode> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(m) = OPEN.captures_at(body, at) {
        let whole = m.get(0).expect("match");
        let name = m[1].to_owned();
        // `[[x]]` escapes; a `[` right before means a literal.
        if whole.start() > 0 && body.as_bytes()[whole.start() - 1] == b'[' {
            at = whole.end();
            continue;
        }
        let attrs = ATTR
            .captures_iter(m.get(2).map_or("", |a| a.as_str()))
            .map(|a| {
                let v = a
                    .get(2)
                    .or_else(|| a.get(3))
                    .or_else(|| a.get(4))
                    .map_or("", |v| v.as_str());
                (a[1].to_ascii_lowercase(), v.to_owned())
            })
            .collect();
        let closing = format!("[/{name}]");
        let self_closed = m.get(3).is_some();
        let (inner, end) = match body[whole.end()..].find(&closing) {
            Some(i) if !self_closed => (
                Some(body[whole.end()..whole.end() + i].to_owned()),
                whole.end() + i + closing.len(),
            ),
            _ => (None, whole.end()),
        };
        out.push(Shortcode {
            name,
            attrs,
            inner,
            start: whole.start(),
            end,
        });
        at = end;
    }
    out
}

static IMG_SRC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']"#).expect("regex")
});

/// Every picture's address in a body, in order, repeats kept once.
pub fn image_sources(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in IMG_SRC.captures_iter(body) {
        let src = c[1].trim().replace("&amp;", "&");
        if !out.contains(&src) {
            out.push(src);
        }
    }
    out
}

static SIZED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+)-\d{1,5}x\d{1,5}(\.[A-Za-z0-9]+)$").expect("regex"));

/// The uploaded original behind one of WordPress's resized copies: `a-300x200.jpg` → `a.jpg`
/// (a query or fragment dropped). Other addresses come back as they are, less the query.
pub fn original_upload(url: &str) -> String {
    let bare = url.split(['?', '#']).next().unwrap_or(url);
    match SIZED.captures(bare) {
        Some(c) => format!("{}{}", &c[1], &c[2]),
        None => bare.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_with_attributes_enclosing_and_escaped() {
        let body = r#"Trước [gallery ids="3, 4,5" columns=3] giữa [caption id="attachment_7" width='300']<img src="a.jpg"> Chú thích[/caption] [[gallery]] [contact-form-7 id="12" title="Liên hệ"/] hết"#;
        let found = shortcodes(body);
        let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["gallery", "caption", "contact-form-7"]);
        assert_eq!(found[0].ids(), [3, 4, 5]);
        assert_eq!(found[0].attr("columns"), Some("3"));
        assert_eq!(found[1].attr("width"), Some("300"));
        assert_eq!(
            found[1].inner.as_deref(),
            Some(r#"<img src="a.jpg"> Chú thích"#)
        );
        let caption = &body[found[1].start..found[1].end];
        assert!(caption.starts_with("[caption id=") && caption.ends_with("Chú thích[/caption]"));
        assert_eq!(found[2].attr("title"), Some("Liên hệ"));
        assert_eq!(found[2].inner, None);
    }

    #[test]
    fn pictures_and_their_originals() {
        let body = r#"<p><img class="x" src="http://old.vn/wp-content/uploads/2023/05/a-300x200.jpg" alt=""><IMG SRC='b.png'><img src="http://old.vn/wp-content/uploads/2023/05/a-300x200.jpg"></p>"#;
        assert_eq!(
            image_sources(body),
            [
                "http://old.vn/wp-content/uploads/2023/05/a-300x200.jpg",
                "b.png"
            ]
        );
        assert_eq!(
            original_upload("http://old.vn/wp-content/uploads/2023/05/a-300x200.jpg?ver=2"),
            "http://old.vn/wp-content/uploads/2023/05/a.jpg"
        );
        assert_eq!(
            original_upload("/u/hoi-nghi-2023.png"),
            "/u/hoi-nghi-2023.png"
        );
    }
}
