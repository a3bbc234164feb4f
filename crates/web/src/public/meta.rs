//! What a page tells search engines, feed readers and the national monitoring systems: the
//! canonical URL, Open Graph and Twitter cards, Dublin Core, JSON-LD, its feeds.

use cong_domain::content::{Article, Section};
use cong_render::views::{Head, Layout};
use cong_render::{iso, urls};
use jiff::tz::TimeZone;
use serde_json::json;

/// The site's own feeds, for every page's head.
fn site_feeds(base: &str, site: &str) -> Vec<(String, String, &'static str)> {
    vec![
        (
            format!("{site} (RSS)"),
            format!("{base}{}", cong_render::i18n::localize("/rss.xml")),
            "application/rss+xml",
        ),
        (
            format!("{site} (Atom)"),
            format!("{base}{}", cong_render::i18n::localize("/atom.xml")),
            "application/atom+xml",
        ),
    ]
}

/// The elements every page carries.
fn common(layout: &mut Layout, base: &str, path: &str) {
    let h = &mut layout.head;
    // The page's own address: an English page's is under /en/.
    h.canonical = format!("{base}{}", cong_render::i18n::localize(path));
    h.feeds = site_feeds(base, &layout.site.name);
    h.dc = vec![
        ("title", h.name.clone()),
        ("publisher", layout.site.name.clone()),
        ("identifier", h.canonical.clone()),
        ("language", cong_render::i18n::current().code().to_owned()),
    ];
    if !h.description.is_empty() {
        h.dc.push(("description", h.description.clone()));
    }
}

pub fn home(layout: &mut Layout, base: &str) {
    common(layout, base, "/");
}

pub fn page(layout: &mut Layout, base: &str, path: &str) {
    common(layout, base, path);
}

/// Results pages are for readers, not for search engines' indexes; their links are followed.
pub fn search(layout: &mut Layout, base: &str, form: &cong_render::views::SearchForm) {
    let path = if form.q.trim().is_empty() {
        cong_render::urls::SEARCH.to_owned()
    } else {
        form.url()
    };
    common(layout, base, &path);
    layout.head.robots = Some("noindex, follow");
}

pub fn section(layout: &mut Layout, base: &str, s: &Section, page: u32) {
    let path = urls::paged(&urls::section(&s.slug), urls::PAGE_PARAM, page, "");
    common(layout, base, &path);
    let name = &layout.site.name;
    let mut feeds = vec![
        (
            format!("{} (RSS)", s.name),
            format!("{base}{}/rss.xml", urls::section(&s.slug)),
            "application/rss+xml",
        ),
        (
            format!("{} (Atom)", s.name),
            format!("{base}{}/atom.xml", urls::section(&s.slug)),
            "application/atom+xml",
        ),
    ];
    feeds.extend(site_feeds(base, name));
    layout.head.feeds = feeds;
    layout.head.dc.push(("subject", s.name.clone()));
}

/// The address of a shared copy's original, on its own site.
pub fn origin_url(a: &Article) -> Option<String> {
    a.origin
        .as_ref()
        .map(|o| format!("{}{}", o.site.address, urls::article(&o.slug)))
}

/// The largest copy of an image, as an absolute URL (social cards want a big one).
fn image_url(base: &str, file: &str, widths: &[u32]) -> String {
    match (widths.iter().max(), file.rsplit_once('.')) {
        (Some(w), Some((hash, ext))) => {
            format!("{base}{}", urls::media(&format!("{hash}-{w}.{ext}")))
        }
        _ => format!("{base}{}", urls::media(file)),
    }
}

pub fn article(layout: &mut Layout, base: &str, a: &Article, s: &Section, tz: &TimeZone) {
    common(layout, base, &urls::article(&a.slug));
    // A shared copy: the original is the page search engines should know.
    if let Some(url) = origin_url(a) {
        let h = &mut layout.head;
        h.canonical.clone_from(&url);
        for (name, value) in &mut h.dc {
            if *name == "identifier" {
                value.clone_from(&url);
            }
        }
    }
    let image = a
        .cover
        .as_deref()
        .map(|f| image_url(base, f, &a.cover_widths))
        .or_else(|| {
            a.gallery
                .first()
                .map(|g| image_url(base, &g.file_name, &g.widths))
        });
    let h = &mut layout.head;
    h.og_type = "article";
    h.image = image.clone();
    let published = iso(a.published_at, tz);
    let modified = iso(a.updated_at.max(a.published_at), tz);
    if !a.author.is_empty() {
        h.dc.push(("creator", a.author.clone()));
    }
    h.dc.push(("date", published[..10].to_owned()));
    h.dc.push(("subject", s.name.clone()));
    h.dc.push(("type", "Text".to_owned()));
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": cong_render::i18n::current().code(),
        "articleSection": s.name,
        "mainEntityOfPage": h.canonical,
        "url": h.canonical,
        "publisher": { "@type": "Organization", "name": layout.site.name },
        "author": if a.author.is_empty() {
            json!({ "@type": "Organization", "name": layout.site.name })
        } else {
            json!({ "@type": "Person", "name": a.author })
        },
    });
    if !a.summary.is_empty() {
        ld["description"] = json!(a.summary);
    }
    if let Some(img) = image {
        ld["image"] = json!([img]);
    }
    h.json_ld = Some(Head::json_ld(&ld));
}

/// A legal document: Dublin Core as a library describes one (identifier = its number,
/// creator = the issuing body, date = the day of issue, subject = its fields) and a
/// schema.org `Legislation`.
pub fn document(layout: &mut Layout, base: &str, d: &cong_domain::documents::Detail) {
    let doc = &d.doc;
    common(layout, base, &urls::document(&doc.slug));
    let h = &mut layout.head;
    h.dc.retain(|(name, _)| *name != "identifier");
    h.dc.push(("identifier", doc.number.clone()));
    h.dc.push(("creator", doc.issuer_name.clone()));
    h.dc.push(("date", doc.issued_on.clone()));
    h.dc.push(("type", doc.type_name.clone()));
    h.dc.push(("format", "text/html".to_owned()));
    for f in &d.fields {
        h.dc.push(("subject", f.name.clone()));
    }
    h.og_type = "article";
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": format!("{} {}", doc.type_name, doc.number),
        "legislationIdentifier": doc.number,
        "legislationType": doc.type_name,
        "legislationDate": doc.issued_on,
        "abstract": doc.summary,
        "inLanguage": cong_render::i18n::current().code(),
        "url": h.canonical,
        "legislationPassedBy": { "@type": "GovernmentOrganization", "name": doc.issuer_name },
    });
    use cong_domain::documents::Effect;
    ld["legislationLegalForce"] = json!(match doc.effect {
        Effect::InForce => "https://schema.org/InForce",
        Effect::PartlyExpired => "https://schema.org/PartiallyInForce",
        Effect::NotYet | Effect::Expired => "https://schema.org/NotInForce",
    });
    h.json_ld = Some(Head::json_ld(&ld));
}
