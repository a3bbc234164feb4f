//! RSS 2.0 and Atom feeds: the newest articles (or documents) with absolute links, dates in
//! the site's zone, and their text escaped by the feed crates.

use crate::urls;
use cong_domain::content::Article;
use cong_domain::documents::DocumentRow;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// One entry of a feed.
#[derive(Debug, Clone)]
pub struct Item {
    pub title: String,
    /// Site-relative ("/bai-viet/…").
    pub path: String,
    pub summary: String,
    /// Empty: the site is the author.
    pub author: String,
    /// Empty: no content element.
    pub body_html: String,
    pub published_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Item {
    pub fn article(a: &Article) -> Item {
        Item {
            title: a.title.clone(),
            path: urls::article(&a.slug),
            summary: a.summary.clone(),
            author: a.author.clone(),
            body_html: a.body_html.clone(),
            published_at: a.published_at,
            updated_at: a.updated_at.max(a.published_at),
        }
    }

    /// A document: "Quyết định 544/QĐ-SKHCN", its abstract, its issuer as author.
    pub fn document(d: &DocumentRow) -> Item {
        let published = Timestamp::from_second(d.published_at).unwrap_or(Timestamp::UNIX_EPOCH);
        Item {
            title: format!("{} {}: {}", d.type_name, d.number, d.summary),
            path: urls::document(&d.slug),
            summary: d.summary.clone(),
            author: d.issuer_name.clone(),
            body_html: String::new(),
            published_at: published,
            updated_at: Timestamp::from_second(d.updated_at)
                .unwrap_or(published)
                .max(published),
        }
    }
}

/// What a feed is about.
#[derive(Debug, Clone)]
pub struct FeedInfo<'a> {
    /// "https://portal.gov.vn", no trailing slash.
    pub base: &'a str,
    pub site_name: &'a str,
    /// The section's name, for a section's feed.
    pub section: Option<&'a str>,
    /// The page the feed is the feed of ("/", "/chuyen-muc/…"), and the feed's own path.
    pub page_path: &'a str,
    pub self_path: &'a str,
    pub description: &'a str,
    /// The language of the feed's items ("vi", "en").
    pub language: &'a str,
}

fn title(info: &FeedInfo<'_>) -> String {
    match info.section {
        Some(s) => format!("{s} | {}", info.site_name),
        None => info.site_name.to_owned(),
    }
}

/// RFC 2822, in the site's zone: "Wed, 17 May 2023 15:20:00 +0700".
fn rfc2822(t: Timestamp, tz: &TimeZone) -> String {
    tz.to_datetime(t)
        .strftime("%a, %d %b %Y %H:%M:%S")
        .to_string()
        + &format!(" {}", offset(t, tz))
}

fn offset(t: Timestamp, tz: &TimeZone) -> String {
    let secs = tz.to_offset(t).seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}{:02}", secs / 3600, (secs % 3600) / 60)
}

fn atom_time(t: Timestamp, tz: &TimeZone) -> atom_syndication::FixedDateTime {
    atom_syndication::FixedDateTime::parse_from_rfc3339(&crate::iso(t, tz)).unwrap_or_default()
}

/// The RSS 2.0 document.
pub fn rss(info: &FeedInfo<'_>, articles: &[Item], tz: &TimeZone) -> String {
    let items = articles
        .iter()
        .map(|a| {
            let link = format!("{}{}", info.base, a.path);
            let mut item = rss::Item::default();
            item.set_title(a.title.clone());
            item.set_link(link.clone());
            item.set_description(if a.summary.is_empty() {
                a.title.clone()
            } else {
                a.summary.clone()
            });
            if !a.author.is_empty() {
                item.set_dublin_core_ext(rss::extension::dublincore::DublinCoreExtension {
                    creators: vec![a.author.clone()],
                    ..Default::default()
                });
            }
            item.set_guid(rss::Guid {
                value: link,
                permalink: true,
            });
            item.set_pub_date(rfc2822(a.published_at, tz));
            item
        })
        .collect::<Vec<_>>();
    let mut channel = rss::Channel::default();
    channel.set_title(title(info));
    channel.set_link(format!("{}{}", info.base, info.page_path));
    channel.set_description(info.description.to_owned());
    channel.set_language(info.language.to_owned());
    if let Some(first) = articles.first() {
        channel.set_last_build_date(rfc2822(first.published_at, tz));
    }
    let mut ns = std::collections::BTreeMap::new();
    ns.insert("atom".to_owned(), "http://www.w3.org/2005/Atom".to_owned());
    ns.insert(
        "dc".to_owned(),
        "http://purl.org/dc/elements/1.1/".to_owned(),
    );
    channel.set_namespaces(ns);
    channel.set_atom_ext(rss::extension::atom::AtomExtension {
        links: vec![rss::extension::atom::Link {
            href: format!("{}{}", info.base, info.self_path),
            rel: "self".to_owned(),
            mime_type: Some("application/rss+xml".to_owned()),
            ..Default::default()
        }],
    });
    channel.set_items(items);
    channel.to_string()
}

/// The Atom (RFC 4287) document.
pub fn atom(info: &FeedInfo<'_>, articles: &[Item], tz: &TimeZone) -> String {
    use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
    let link = |href: String, rel: &str, mime: Option<&str>| Link {
        href,
        rel: rel.to_owned(),
        mime_type: mime.map(str::to_owned),
        ..Default::default()
    };
    let entries: Vec<Entry> = articles
        .iter()
        .map(|a| {
            let url = format!("{}{}", info.base, a.path);
            Entry {
                title: Text::plain(a.title.clone()),
                id: url.clone(),
                updated: atom_time(a.updated_at, tz),
                published: Some(atom_time(a.published_at, tz)),
                authors: vec![Person {
                    name: if a.author.is_empty() {
                        info.site_name.to_owned()
                    } else {
                        a.author.clone()
                    },
                    ..Default::default()
                }],
                links: vec![link(url.clone(), "alternate", Some("text/html"))],
                summary: (!a.summary.is_empty()).then(|| Text::plain(a.summary.clone())),
                content: (!a.body_html.is_empty()).then(|| Content {
                    // The body's links and images are site-relative ("/media/…").
                    base: Some(url.clone()),
                    value: Some(a.body_html.clone()),
                    content_type: Some("html".to_owned()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let updated = articles
        .iter()
        .map(|a| a.updated_at)
        .max()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let feed = Feed {
        title: Text::plain(title(info)),
        id: format!("{}{}", info.base, info.self_path),
        updated: atom_time(updated, tz),
        authors: vec![Person {
            name: info.site_name.to_owned(),
            ..Default::default()
        }],
        links: vec![
            link(
                format!("{}{}", info.base, info.self_path),
                "self",
                Some("application/atom+xml"),
            ),
            link(
                format!("{}{}", info.base, info.page_path),
                "alternate",
                Some("text/html"),
            ),
        ],
        subtitle: (!info.description.is_empty()).then(|| Text::plain(info.description.to_owned())),
        lang: Some(info.language.to_owned()),
        entries,
        ..Default::default()
    };
    feed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2822_in_hanoi() {
        let tz = TimeZone::get("Asia/Ho_Chi_Minh").expect("zone");
        let t: Timestamp = "2023-05-17T08:20:00Z".parse().expect("ts");
        assert_eq!(rfc2822(t, &tz), "Wed, 17 May 2023 15:20:00 +0700");
    }
}
