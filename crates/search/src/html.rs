//! HTML in and out: article bodies to plain text for indexing, and text escaped for output.

/// Elements whose content is not reading text.
const SKIPPED: [&str; 6] = ["script", "style", "template", "noscript", "iframe", "svg"];

/// Elements that sit inside a word's run of text: dropping them must not split "H<b>à</b>".
const INLINE: [&str; 17] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small",
    "span", "strong", "u",
];
const INLINE_MORE: [&str; 3] = ["sub", "sup", "wbr"];

/// The reading text of an HTML fragment: tags dropped (block tags become spaces, inline ones
/// nothing), script and style content skipped, character references decoded, whitespace
/// collapsed to single spaces. Not a full HTML parser: bodies were already cleaned against an
/// allow-list when saved, so the input is tame; malformed markup still cannot panic here, it
/// just yields some text.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let tag = &rest[lt..];
        if let Some(comment) = tag.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(gt) = tag.find('>') else {
            // "a < b" in text that was never escaped: keep it as text.
            push_decoded(&mut out, tag);
            rest = "";
            break;
        };
        let name = tag_name(&tag[1..gt]);
        rest = &tag[gt + 1..];
        if name.is_empty() {
            // "<" followed by a space or digit is text, not a tag.
            if !tag[1..].starts_with(['/', '!', '?']) {
                push_decoded(&mut out, &tag[..=gt]);
            }
            continue;
        }
        let closing = tag[1..].starts_with('/');
        let self_closing = tag[..gt].ends_with('/');
        if !closing && !self_closing && SKIPPED.contains(&name.as_str()) {
            rest = skip_to_close(rest, &name);
            out.push(' ');
        } else if !INLINE.contains(&name.as_str()) && !INLINE_MORE.contains(&name.as_str()) {
            out.push(' ');
        }
    }
    push_decoded(&mut out, rest);
    collapse_whitespace(&out)
}

/// `<p class=x>` → "p", `</DIV>` → "div", `<br/>` → "br"; "" when it is not a tag.
fn tag_name(inside: &str) -> String {
    let inside = inside.strip_prefix('/').unwrap_or(inside);
    let name: String = inside
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.to_ascii_lowercase()
    } else {
        String::new()
    }
}

/// What follows the closing tag of `name` (case-insensitive), or nothing when it never closes.
fn skip_to_close<'a>(rest: &'a str, name: &str) -> &'a str {
    let closing = format!("</{name}");
    let lower = rest.to_ascii_lowercase();
    // ASCII lower-casing keeps byte offsets, so positions in `lower` are positions in `rest`.
    match lower.find(&closing) {
        Some(at) => rest[at..].find('>').map_or("", |gt| &rest[at + gt + 1..]),
        None => "",
    }
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match after.find(';').filter(|&semi| semi <= 10) {
            Some(semi) => match decode_reference(&after[..semi]) {
                Some(c) => {
                    out.push(c);
                    rest = &after[semi + 1..];
                }
                None => {
                    out.push('&');
                    rest = after;
                }
            },
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// The character of `&name;` or `&#n;`: the common named references and every numeric one.
fn decode_reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "copy" => '©',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        _ => return None,
    })
}

/// Runs of whitespace become one space; the ends are trimmed. Snippet lengths are counted in
/// characters of this text, so stray newlines and indentation must not eat into them.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Text made safe inside HTML elements and attribute values.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_keeps_words_whole() {
        assert_eq!(
            to_text("<p>Sở <b>Khoa</b> học</p><p>và Công&nbsp;nghệ</p>"),
            "Sở Khoa học và Công nghệ"
        );
        assert_eq!(to_text("H<b>à</b> N<i>ội</i>"), "Hà Nội");
        assert_eq!(to_text("một<br>hai<br/>ba"), "một hai ba");
    }

    #[test]
    fn skips_script_style_and_comments() {
        assert_eq!(
            to_text("a<script>alert('x<p>')</script>b<STYLE>p{}</STYLE>c<!-- d -->e"),
            "a b ce"
        );
        assert_eq!(to_text("mở <script>không đóng"), "mở");
        assert_eq!(to_text("mở <!-- không đóng"), "mở");
        assert_eq!(to_text("a<svg/>b"), "a b");
    }

    #[test]
    fn decodes_references_and_keeps_stray_ampersands_and_brackets() {
        assert_eq!(
            to_text("&lt;script&gt; &amp; &#7897; &#x1EC7; &bogus; AT&T 3 < 4 > 2"),
            "<script> & ộ ệ &bogus; AT&T 3 < 4 > 2"
        );
        assert_eq!(to_text("a &#0; &#xFFFFFFFF; b"), "a &#0; &#xFFFFFFFF; b");
        assert_eq!(to_text("x <"), "x <");
    }

    #[test]
    fn escapes_markup_characters() {
        let mut out = String::new();
        escape_into(&mut out, "<script>\"a\" & 'b'</script>");
        assert_eq!(
            out,
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
