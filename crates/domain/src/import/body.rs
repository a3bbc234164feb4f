//! A WordPress body made cong's: captions as figures, the first gallery taken out (it becomes
//! the article's), pictures and links pointing at cong's copies and paths, and a word on
//! whatever is left over or removed.

use crate::text::sanitize_html;
use cong_wxr::{Export, PostType};
use std::collections::HashMap;

/// Shortcodes cong turns into its own markup; any other is reported and kept as text.
const TAKEN: [&str; 2] = ["caption", "gallery"];

/// A picture as cong has it: its library id and its address.
#[derive(Debug, Clone)]
pub(super) struct Stored {
    pub(super) id: i64,
    pub(super) url: String,
    pub(super) alt: String,
    pub(super) caption: String,
}

/// A post's body made cong's: captions as figures, the gallery taken out (it becomes the
/// article's), pictures pointing at cong's copies; what is left over, said.
pub(super) struct Body {
    pub(super) html: String,
    pub(super) gallery: Vec<i64>,
    pub(super) notices: Vec<String>,
}

impl Body {
    pub(super) fn of(content: &str, pictures: &HashMap<i64, Stored>, export: &Export) -> Body {
        let mut html = String::with_capacity(content.len());
        let mut gallery = Vec::new();
        let mut notices = Vec::new();
        let mut at = 0;
        for sc in cong_wxr::shortcodes(content) {
            html.push_str(&content[at..sc.start]);
            match sc.name.as_str() {
                "caption" => {
                    let inner = sc.inner.as_deref().unwrap_or_default();
                    // The picture (maybe in a link), then its caption text.
                    let split = inner.rfind('>').map_or(0, |i| i + 1);
                    html.push_str("<figure>");
                    html.push_str(&inner[..split]);
                    let text = inner[split..].trim();
                    if !text.is_empty() {
                        html.push_str("<figcaption>");
                        html.push_str(text);
                        html.push_str("</figcaption>");
                    }
                    html.push_str("</figure>");
                }
                "gallery" if gallery.is_empty() => gallery = sc.ids(),
                "gallery" => {
                    notices.push("a second gallery: cong shows one gallery per article; its pictures are in the media library".to_owned());
                }
                name => {
                    html.push_str(&content[sc.start..sc.end]);
                    if !TAKEN.contains(&name) {
                        notices.push(format!("shortcode [{name}] is not supported: kept as text, to be replaced by hand"));
                    }
                }
            }
            at = sc.end;
        }
        html.push_str(&content[at..]);
        // Paragraphs: WordPress adds <p> when it shows a classic post (wpautop).
        if !html.contains("<p") && !html.contains("<!-- wp:") {
            html = html
                .split("\n\n")
                .filter(|p| !p.trim().is_empty())
                .map(|p| format!("<p>{}</p>", p.trim()))
                .collect();
        }
        // Pictures and links to the old uploads point at cong's copies.
        let by_url: HashMap<String, &Stored> = export
            .items
            .iter()
            .filter(|i| i.post_type == PostType::Attachment)
            .filter_map(|i| pictures.get(&i.id).map(|p| (i.attachment_url.clone(), p)))
            .collect();
        for src in cong_wxr::image_sources(&html) {
            match by_url.get(&cong_wxr::original_upload(&src)) {
                Some(p) => html = html.replace(&src, &p.url),
                None => notices.push(format!(
                    "a picture not in the export's media library stays at its old address: {src}"
                )),
            }
        }
        for (old, p) in &by_url {
            html = html.replace(old.as_str(), &p.url);
        }
        // Links to the old site's own pages become the site's paths: the old addresses
        // this import keeps lead on from there, on whatever name the site now has.
        for base in [&export.base_site_url, &export.base_blog_url] {
            if !base.is_empty() {
                for quote in ['"', '\''] {
                    html = html.replace(&format!("href={quote}{base}/"), &format!("href={quote}/"));
                }
            }
        }
        let clean = sanitize_html(&html);
        for tag in ["script", "iframe", "object", "embed", "form", "style"] {
            let open = format!("<{tag}");
            if html.to_ascii_lowercase().contains(&open) && !clean.contains(&open) {
                notices.push(format!("<{tag}> removed by the sanitizer"));
            }
        }
        if html.contains(" on") && regex_event().is_match(&html) {
            notices.push("script attributes (onclick, …) removed by the sanitizer".to_owned());
        }
        Body {
            html,
            gallery,
            notices,
        }
    }
}

fn regex_event() -> &'static regex::Regex {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?i)<[^>]+\son[a-z]+\s*="#).expect("regex")
    });
    &RE
}

/// WordPress's titles and names are HTML (`&amp;`, `&#8211;`): cong's are plain text.
pub(super) fn plain(s: &str) -> String {
    cong_search::html_to_text(s).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cong_wxr::Item;

    fn export_with_picture() -> (Export, HashMap<i64, Stored>) {
        let export = Export {
            base_site_url: "http://old.vn".to_owned(),
            base_blog_url: "http://old.vn".to_owned(),
            items: vec![Item {
                id: 4,
                post_type: PostType::Attachment,
                attachment_url: "http://old.vn/wp-content/uploads/2023/05/a.jpg".to_owned(),
                ..Item::default()
            }],
            ..Export::default()
        };
        let stored = Stored {
            id: 40,
            url: "/media/abc.jpg".to_owned(),
            alt: "Hội trường".to_owned(),
            caption: String::new(),
        };
        (export, HashMap::from([(4, stored)]))
    }

    #[test]
    fn a_body_becomes_cong_markup_and_says_what_it_left() {
        let (export, pictures) = export_with_picture();
        let body = Body::of(
            concat!(
                r#"<p>Mở đầu</p>[caption id="attachment_4" width="300"]<img src="http://old.vn/wp-content/uploads/2023/05/a-300x200.jpg" alt="Hội trường" /> Quang cảnh[/caption]"#,
                r#"[gallery ids="4,5"][gallery ids="6"][contact-form-7 id="1"]"#,
                r#"<p><a href="http://old.vn/?p=12">bài cũ</a> <img src="http://other.vn/x.png"></p><script>x()</script>"#
            ),
            &pictures,
            &export,
        );
        assert!(
            body.html.contains(r#"<figure><img src="/media/abc.jpg" alt="Hội trường" /><figcaption>Quang cảnh</figcaption></figure>"#),
            "{}",
            body.html
        );
        assert_eq!(body.gallery, [4, 5], "the first gallery is the article's");
        assert!(!body.html.contains("[gallery"));
        assert!(
            body.html.contains(r#"[contact-form-7 id="1"]"#),
            "kept as text"
        );
        assert!(
            body.html.contains(r#"<a href="/?p=12">"#),
            "the old site's link a path"
        );
        let said = body.notices.join("\n");
        for n in [
            "a second gallery",
            "shortcode [contact-form-7] is not supported",
            "a picture not in the export's media library stays at its old address: http://other.vn/x.png",
            "<script> removed by the sanitizer",
        ] {
            assert!(said.contains(n), "{n} in {said}");
        }
    }

    #[test]
    fn a_classic_body_gets_its_paragraphs() {
        let body = Body::of("Một.\n\nHai.", &HashMap::new(), &Export::default());
        assert_eq!(body.html, "<p>Một.</p><p>Hai.</p>");
    }
}
