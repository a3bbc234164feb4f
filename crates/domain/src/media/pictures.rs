//! A body's own pictures made responsive when it is saved: an `<img>` showing an image of the
//! library gets its resized copies (`srcset`, WebP in a `<picture>`) and its size, like a
//! cover, written into the stored HTML so that showing the page parses nothing.

use crate::Result;
use cong_store::{SiteId, Store};
use std::collections::HashMap;
use std::sync::LazyLock;

/// How wide a body picture shows: the whole screen on a phone, the text column beyond.
const SIZES: &str = "(max-width: 48rem) 100vw, 48rem";

static IMG: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r#"<img\b([^>]*)>"#).expect("img pattern")
});
static MEDIA_SRC: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r#"\ssrc="/media/([0-9A-Za-z_-]+)\.([a-z0-9]+)""#).expect("src pattern")
});

/// What the page needs of one library image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub ext: String,
    pub widths: Vec<u32>,
    pub width: i64,
    pub height: i64,
}

/// The library images (by hash) a sanitized body shows.
pub fn hashes(html: &str) -> Vec<String> {
    let mut found: Vec<String> = IMG
        .captures_iter(html)
        .filter_map(|c| MEDIA_SRC.captures(&c[1]).map(|s| s[1].to_owned()))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The body with each known image's `<img>` inside a `<picture>` offering its WebP copies,
/// its own copies in `srcset`, and its width and height (so the page does not jump).
pub fn enrich(html: &str, known: &HashMap<String, Known>) -> String {
    IMG.replace_all(html, |c: &regex::Captures| {
        let attrs = &c[1];
        let Some(k) = MEDIA_SRC.captures(attrs).and_then(|s| {
            known
                .get(&s[1])
                .filter(|k| k.ext == s[2])
                .map(|k| (s[1].to_owned(), k))
        }) else {
            return c[0].to_owned();
        };
        let (hash, k) = k;
        let list = |ext: &str| {
            k.widths
                .iter()
                .map(|w| format!("/media/{hash}-{w}.{ext} {w}w"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut img = format!("<img{attrs}");
        if !attrs.contains(" width=") && !attrs.contains(" height=") && k.width > 0 {
            img.push_str(&format!(r#" width="{}" height="{}""#, k.width, k.height));
        }
        if !attrs.contains(" loading=") {
            img.push_str(r#" loading="lazy""#);
        }
        if k.widths.is_empty() {
            img.push('>');
            return img;
        }
        img.push_str(&format!(r#" srcset="{}" sizes="{SIZES}">"#, list(&k.ext)));
        format!(
            r#"<picture><source type="image/webp" srcset="{}" sizes="{SIZES}">{img}</picture>"#,
            list("webp")
        )
    })
    .into_owned()
}

/// [`enrich`] with what the site's library knows of the body's images (one look-up each).
pub async fn enrich_body(store: &Store, site: SiteId, html: String) -> Result<String> {
    let wanted = hashes(&html);
    if wanted.is_empty() {
        return Ok(html);
    }
    let media = store.media(site);
    let mut known = HashMap::new();
    for hash in wanted {
        if let Some(m) = media.find_by_hash(&hash).await? {
            let ext = m
                .file_name
                .rsplit_once('.')
                .map_or("", |(_, e)| e)
                .to_owned();
            let widths = m
                .widths
                .split(',')
                .filter_map(|w| w.trim().parse().ok())
                .collect();
            known.insert(
                hash,
                Known {
                    ext,
                    widths,
                    width: m.width,
                    height: m.height,
                },
            );
        }
    }
    Ok(enrich(&html, &known))
}

#[cfg(test)]
mod tests {
    use super::{Known, enrich, hashes};
    use std::collections::HashMap;

    #[test]
    fn a_library_image_gets_its_copies_and_others_stay() {
        let html = r#"<figure class="wide"><img src="/media/ab12.jpg" alt="Ảnh"><figcaption>C</figcaption></figure><img src="/media/zz.png" alt=""><img src="https://x.vn/a.jpg" alt="">"#;
        assert_eq!(hashes(html), vec!["ab12".to_owned(), "zz".to_owned()]);
        let known = HashMap::from([(
            "ab12".to_owned(),
            Known {
                ext: "jpg".into(),
                widths: vec![320, 640],
                width: 1200,
                height: 800,
            },
        )]);
        let out = enrich(html, &known);
        assert_eq!(
            out,
            r#"<figure class="wide"><picture><source type="image/webp" srcset="/media/ab12-320.webp 320w, /media/ab12-640.webp 640w" sizes="(max-width: 48rem) 100vw, 48rem"><img src="/media/ab12.jpg" alt="Ảnh" width="1200" height="800" loading="lazy" srcset="/media/ab12-320.jpg 320w, /media/ab12-640.jpg 640w" sizes="(max-width: 48rem) 100vw, 48rem"></picture><figcaption>C</figcaption></figure><img src="/media/zz.png" alt=""><img src="https://x.vn/a.jpg" alt="">"#
        );
    }
}
