//! Text of word-processing and presentation files: DOCX, PPTX, ODT, ODP.

use crate::bounded::{self, Archive, EntryError};
use crate::tidy::{has_words, tidy};
use crate::{Kind, Limits, Text, container};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};

/// Which elements make paragraphs, tabs and text in one XML dialect.
struct Dialect {
    /// Element whose end is a line break (`w:p`, `a:p`, `text:p`, `text:h`).
    paragraph: &'static [&'static str],
    /// Elements standing for a space (`w:tab`, `text:s`, `text:tab`).
    space: &'static [&'static str],
    /// Elements standing for a line break inside a paragraph.
    line: &'static [&'static str],
    /// Element whose text is document text; `None`: all text is.
    text: Option<&'static str>,
}

const WORD: Dialect = Dialect {
    paragraph: &["p"],
    space: &["tab"],
    line: &["br", "cr"],
    // Field codes (`w:instrText`) and the like are not document text.
    text: Some("t"),
};

const DRAWING: Dialect = Dialect {
    paragraph: &["p"],
    space: &[],
    line: &["br"],
    text: Some("t"),
};

const ODF: Dialect = Dialect {
    paragraph: &["p", "h"],
    space: &["s", "tab"],
    line: &["line-break"],
    text: None,
};

pub(crate) fn extract(kind: Kind, bytes: &[u8], limits: &Limits) -> Text {
    let mut archive = match container::open(bytes) {
        Ok(a) => a,
        Err(r) => return Text::Unreadable(format!("{r:?}")),
    };
    let parts: Vec<(String, &Dialect)> = match kind {
        Kind::Docx => std::iter::once("word/document.xml".to_owned())
            .chain(numbered(&archive, "word/header"))
            .chain(numbered(&archive, "word/footer"))
            .map(|n| (n, &WORD))
            .collect(),
        Kind::Odt | Kind::Odp => vec![("content.xml".to_owned(), &ODF)],
        Kind::Pptx => numbered(&archive, "ppt/slides/slide")
            .into_iter()
            .map(|s| (s, &DRAWING))
            .collect(),
        _ => return Text::None,
    };
    let mut raw = String::new();
    let mut left = limits.max_unpacked;
    // A damaged header or slide costs its own text, not the rest of the document's.
    let mut failure = None;
    for (name, dialect) in parts {
        let xml = match bounded::read_entry(&mut archive, &name, left) {
            Ok(xml) => xml,
            Err(EntryError::TooBig) => {
                return Text::Unreadable(format!("{name} unpacks too large"));
            }
            Err(EntryError::Broken(why)) => {
                failure = Some(why);
                continue;
            }
        };
        left = left.saturating_sub(u64::try_from(xml.len()).unwrap_or(u64::MAX));
        if let Err(why) = text_of(
            &String::from_utf8_lossy(&xml),
            dialect,
            &mut raw,
            limits.max_text,
        ) {
            failure = Some(format!("{name}: {why}"));
        }
        raw.push('\n');
    }
    match failure {
        _ if has_words(&raw) => Text::Found(tidy(&raw, limits.max_text)),
        Some(why) => Text::Unreadable(why),
        None => Text::None,
    }
}

/// `{prefix}N.xml` parts (slides, headers, footers) in number order; the zip's order is the
/// writer's whim.
fn numbered(archive: &Archive<'_>, prefix: &str) -> Vec<String> {
    let mut parts: Vec<(u32, String)> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter_map(|n| {
            let number = n.strip_prefix(prefix)?.strip_suffix(".xml")?.parse().ok()?;
            Some((number, n.into_owned()))
        })
        .collect();
    parts.sort();
    parts.into_iter().map(|(_, n)| n).collect()
}

/// Appends the text of `xml` to `out`, stopping once `out` is well past what will be kept.
fn text_of(xml: &str, dialect: &Dialect, out: &mut String, max_text: usize) -> Result<(), String> {
    let mut reader = Reader::from_str(xml);
    let mut depth_in_text = 0usize;
    let budget = max_text.saturating_mul(8);
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        let in_text = dialect.text.is_none() || depth_in_text > 0;
        match event {
            Event::Start(e) => {
                let qname = e.name();
                let name = local(qname.as_ref());
                if dialect.text == Some(name) {
                    depth_in_text += 1;
                }
            }
            Event::Empty(e) => {
                let qname = e.name();
                let name = local(qname.as_ref());
                if dialect.space.contains(&name) {
                    out.push(' ');
                } else if dialect.line.contains(&name) || dialect.paragraph.contains(&name) {
                    out.push('\n');
                }
            }
            Event::End(e) => {
                let qname = e.name();
                let name = local(qname.as_ref());
                if dialect.text == Some(name) {
                    depth_in_text = depth_in_text.saturating_sub(1);
                } else if dialect.paragraph.contains(&name) {
                    out.push('\n');
                }
            }
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Some(c) = entity(&r) {
                    out.push(c);
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        if out.len() > budget {
            return Ok(());
        }
    }
}

/// `w:t` → `t`.
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

pub(crate) fn entity(r: &BytesRef<'_>) -> Option<char> {
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
