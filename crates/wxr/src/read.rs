//! The export read in one pass with quick-xml's streaming reader: memory holds what is read,
//! never a tree of the file.

use crate::model::{Author, Comment, Export, Item, ItemCategory, Meta, PostType, Status, Term};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::io::BufRead;

/// Why a file is not a WordPress export that can be read.
#[derive(Debug, thiserror::Error)]
pub enum WxrError {
    /// Broken XML, with where.
    #[error("the file is not well-formed XML (near byte {position}): {message}")]
    Xml { position: u64, message: String },
    /// Well-formed, but no `<channel>` with WordPress's elements in it.
    #[error("the file is not a WordPress export (no wp:wxr_version in its channel)")]
    NotWxr,
}

/// Where in the file the reader is: the element whose fields are being collected.
enum Open {
    Channel,
    Author(Author),
    Term(Term),
    Item(Box<Item>),
    Meta(Box<Item>, Meta),
    Comment(Box<Item>, Comment),
}

/// Reads a whole export.
pub fn parse(input: impl BufRead) -> Result<Export, WxrError> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut export = Export::default();
    let mut open = Open::Channel;
    let mut text = String::new();
    let mut seen_terms = std::collections::HashSet::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| WxrError::Xml {
                position: reader.error_position(),
                message: e.to_string(),
            })?;
        match event {
            Event::Start(e) => {
                text.clear();
                open = start(open, &e);
            }
            Event::Empty(e) => {
                text.clear();
                open = start(open, &e);
                open = end(open, &e_name(&e), &mut text, &mut export, &mut seen_terms);
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Some(c) = entity(&r) {
                    text.push(c);
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_owned();
                open = end(open, &name, &mut text, &mut export, &mut seen_terms);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if export.wxr_version.is_empty() {
        return Err(WxrError::NotWxr);
    }
    Ok(export)
}

fn e_name(e: &BytesStart<'_>) -> String {
    e.name().as_ref().to_owned()
}

fn attr(e: &BytesStart<'_>, name: &str) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::default())
                .ok()
                .map(|v| v.into_owned())
        })
        .unwrap_or_default()
}

/// An element opens: a new record, or (an item's category) the attributes it carries.
fn start(open: Open, e: &BytesStart<'_>) -> Open {
    match (open, e_name(e).as_str()) {
        (Open::Channel, "wp:author") => Open::Author(Author::default()),
        (Open::Channel, "wp:category") => Open::Term(Term {
            taxonomy: "category".to_owned(),
            ..Term::default()
        }),
        (Open::Channel, "wp:tag") => Open::Term(Term {
            taxonomy: "post_tag".to_owned(),
            ..Term::default()
        }),
        (Open::Channel, "wp:term") => Open::Term(Term::default()),
        (Open::Channel, "item") => Open::Item(Box::default()),
        (Open::Item(mut item), "category") => {
            item.categories.push(ItemCategory {
                domain: attr(e, "domain"),
                slug: attr(e, "nicename"),
                name: String::new(),
            });
            Open::Item(item)
        }
        (Open::Item(item), "wp:postmeta") => Open::Meta(item, Meta::default()),
        (Open::Item(item), "wp:comment") => Open::Comment(item, Comment::default()),
        (open, _) => open,
    }
}

fn number(s: &str) -> i64 {
    s.trim().parse().unwrap_or(0)
}

/// An element closes: its text goes to the field it names.
fn end(
    open: Open,
    name: &str,
    text: &mut String,
    export: &mut Export,
    seen: &mut std::collections::HashSet<(String, String)>,
) -> Open {
    let value = std::mem::take(text);
    match open {
        Open::Channel => {
            match name {
                "title" => export.title = value,
                "link" => export.link = value,
                "description" => export.description = value,
                "wp:wxr_version" => export.wxr_version = value.trim().to_owned(),
                "wp:base_site_url" => {
                    export.base_site_url = value.trim().trim_end_matches('/').to_owned();
                }
                "wp:base_blog_url" => {
                    export.base_blog_url = value.trim().trim_end_matches('/').to_owned();
                }
                _ => {}
            }
            Open::Channel
        }
        Open::Author(mut a) => {
            match name {
                "wp:author_id" => a.id = number(&value),
                "wp:author_login" => a.login = value,
                "wp:author_email" => a.email = value,
                "wp:author_display_name" => a.display_name = value,
                "wp:author_first_name" => a.first_name = value,
                "wp:author_last_name" => a.last_name = value,
                "wp:author" => {
                    export.authors.push(a);
                    return Open::Channel;
                }
                _ => {}
            }
            Open::Author(a)
        }
        Open::Term(mut t) => {
            match name {
                "wp:term_id" => t.id = number(&value),
                "wp:term_taxonomy" => t.taxonomy = value,
                "wp:category_nicename" | "wp:tag_slug" | "wp:term_slug" => t.slug = value,
                "wp:category_parent" | "wp:term_parent" => t.parent = value,
                "wp:cat_name" | "wp:tag_name" | "wp:term_name" => t.name = value,
                "wp:category_description" | "wp:tag_description" | "wp:term_description" => {
                    t.description = value;
                }
                "wp:category" | "wp:tag" | "wp:term" => {
                    // Since WordPress 4.5 categories and tags come twice (as themselves and
                    // as `wp:term`): one of each.
                    if seen.insert((t.taxonomy.clone(), t.slug.clone())) {
                        export.terms.push(t);
                    }
                    return Open::Channel;
                }
                _ => {}
            }
            Open::Term(t)
        }
        Open::Item(mut item) => {
            match name {
                "title" => item.title = value,
                "link" => item.link = value.trim().to_owned(),
                "guid" => item.guid = value.trim().to_owned(),
                "dc:creator" => item.creator = value,
                "content:encoded" => item.content = value,
                "excerpt:encoded" => item.excerpt = value,
                "wp:post_id" => item.id = number(&value),
                "wp:post_date" => item.date = value,
                "wp:post_date_gmt" => item.date_gmt = value,
                "wp:post_modified_gmt" => item.modified_gmt = value,
                "wp:post_name" => item.name = value,
                "wp:status" => item.status = Status::parse(value.trim()),
                "wp:post_parent" => item.parent = number(&value),
                "wp:menu_order" => item.menu_order = number(&value),
                "wp:post_type" => item.post_type = PostType::parse(value.trim()),
                "wp:post_password" => item.password = value,
                "wp:is_sticky" => item.sticky = value.trim() == "1",
                "wp:attachment_url" => item.attachment_url = value.trim().to_owned(),
                "category" => {
                    if let Some(c) = item.categories.last_mut() {
                        c.name = value;
                    }
                }
                "item" => {
                    export.items.push(*item);
                    return Open::Channel;
                }
                _ => {}
            }
            Open::Item(item)
        }
        Open::Meta(item, mut m) => match name {
            "wp:meta_key" => {
                m.key = value;
                Open::Meta(item, m)
            }
            "wp:meta_value" => {
                m.value = value;
                Open::Meta(item, m)
            }
            "wp:postmeta" => {
                let mut item = item;
                item.meta.push(m);
                Open::Item(item)
            }
            _ => Open::Meta(item, m),
        },
        Open::Comment(item, mut c) => match name {
            "wp:comment_id" => {
                c.id = number(&value);
                Open::Comment(item, c)
            }
            "wp:comment_author" => {
                c.author = value;
                Open::Comment(item, c)
            }
            "wp:comment_approved" => {
                c.approved = value;
                Open::Comment(item, c)
            }
            "wp:comment_content" => {
                c.content = value;
                Open::Comment(item, c)
            }
            "wp:comment" => {
                let mut item = item;
                item.comments.push(c);
                Open::Item(item)
            }
            _ => Open::Comment(item, c),
        },
    }
}

/// A character or one of XML's five entities; others (undeclared) are dropped.
fn entity(r: &BytesRef<'_>) -> Option<char> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten();
    }
    match &**r {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}
