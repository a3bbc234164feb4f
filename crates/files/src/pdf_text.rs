//! A page's text from its content stream, with spaces and line breaks put back from where
//! the glyphs sit: many writers (cairo, Skia, LibreOffice) place each line or word with a
//! move inside one text object, and joining the strings as they come glues "ban" to "hành".

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};
use std::collections::BTreeMap;

/// A gap wider than this share of the font size between two strings on one line is a space.
const SPACE_GAP: f32 = 0.15;
/// A vertical move over this share of the font size starts a new line.
const LINE_MOVE: f32 = 0.5;

/// Glyph widths of one font, in thousandths of the font size.
struct Metrics {
    two_byte: bool,
    first: u32,
    widths: Vec<f32>,
    /// CID fonts: `(first, last, width)`.
    ranges: Vec<(u32, u32, f32)>,
    default: f32,
}

impl Metrics {
    fn of(doc: &Document, font: &Dictionary) -> Metrics {
        let mut m = Metrics {
            two_byte: false,
            first: 0,
            widths: Vec::new(),
            ranges: Vec::new(),
            default: 500.0,
        };
        if font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0") {
            m.two_byte = true;
            m.default = 1000.0;
            let descendant = font
                .get_deref(b"DescendantFonts", doc)
                .and_then(Object::as_array)
                .ok()
                .and_then(|a| a.first())
                .and_then(|d| deref(doc, d).as_dict().ok());
            if let Some(cid) = descendant {
                if let Ok(dw) = cid.get_deref(b"DW", doc).and_then(Object::as_float) {
                    m.default = dw;
                }
                if let Ok(w) = cid.get_deref(b"W", doc).and_then(Object::as_array) {
                    m.ranges = cid_widths(doc, w);
                    m.ranges.sort_by_key(|r| r.0);
                }
            }
        } else {
            m.first = font
                .get_deref(b"FirstChar", doc)
                .and_then(Object::as_i64)
                .ok()
                .and_then(|f| u32::try_from(f).ok())
                .unwrap_or(0);
            if let Ok(w) = font.get_deref(b"Widths", doc).and_then(Object::as_array) {
                m.widths = w
                    .iter()
                    .map(|o| deref(doc, o).as_float().unwrap_or(0.0))
                    .collect();
            }
            if let Ok(missing) = font
                .get_deref(b"FontDescriptor", doc)
                .and_then(Object::as_dict)
                .and_then(|d| d.get_deref(b"MissingWidth", doc))
                .and_then(Object::as_float)
                && missing > 0.0
            {
                m.default = missing;
            }
        }
        m
    }

    fn width(&self, code: u32) -> f32 {
        if self.two_byte {
            // `ranges` is sorted by start: a hostile W array must not make this a scan.
            let after = self.ranges.partition_point(|r| r.0 <= code);
            return match after.checked_sub(1).and_then(|i| self.ranges.get(i)) {
                Some(&(_, last, w)) if code <= last => w,
                _ => self.default,
            };
        }
        code.checked_sub(self.first)
            .and_then(|i| self.widths.get(usize::try_from(i).ok()?))
            .copied()
            .unwrap_or(self.default)
    }

    fn codes<'b>(&self, bytes: &'b [u8]) -> impl Iterator<Item = u32> + 'b {
        let step = if self.two_byte { 2 } else { 1 };
        bytes
            .chunks(step)
            .map(|c| c.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
    }
}

/// `[c [w1 w2 …]]` and `[c_first c_last w]` runs of a CID font's `W` array.
fn cid_widths(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    let num = |o: Option<&Object>| o.and_then(|o| deref(doc, o).as_float().ok());
    while let Some(start) = num(w.get(i)) {
        let start = start.max(0.0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate() {
                    let code = start.saturating_add(u32::try_from(k).unwrap_or(u32::MAX));
                    out.push((code, code, deref(doc, o).as_float().unwrap_or(0.0)));
                }
                i += 2;
            }
            Some(_) => {
                let (Some(last), Some(width)) = (num(w.get(i + 1)), num(w.get(i + 2))) else {
                    break;
                };
                out.push((start, last.max(0.0) as u32, width));
                i += 3;
            }
            None => break,
        }
        // A hostile W array may be huge; the widths only steer spacing.
        if out.len() > 100_000 {
            break;
        }
    }
    out
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map_or(o, |(_, o)| o)
}

struct Font<'a> {
    encoding: Encoding<'a>,
    metrics: Metrics,
}

/// The parts of the graphics state that `q`/`Q` save and text placement needs.
#[derive(Clone, Copy)]
struct TextState<'n> {
    font: Option<&'n [u8]>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    leading: f32,
    scale: f32,
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `[1 0 0 1 tx ty] × m`.
fn translate(m: &Matrix, tx: f32, ty: f32) -> Matrix {
    [
        m[0],
        m[1],
        m[2],
        m[3],
        tx * m[0] + ty * m[2] + m[4],
        tx * m[1] + ty * m[3] + m[5],
    ]
}

/// Appends the text of one page to `out`; `limit` bounds each decompressed stream. Returns
/// the size of the page's decompressed content, so the caller can bound the whole document.
pub(crate) fn page_text(
    doc: &Document,
    page: ObjectId,
    limit: usize,
    out: &mut String,
) -> lopdf::Result<usize> {
    let fonts: BTreeMap<Vec<u8>, Font<'_>> = doc
        .get_page_fonts(page)?
        .into_iter()
        .filter_map(|(name, dict)| {
            let encoding = dict.get_font_encoding_with_limit(doc, limit).ok()?;
            let metrics = Metrics::of(doc, dict);
            Some((name, Font { encoding, metrics }))
        })
        .collect();
    let data = doc.get_page_content_with_limit(page, limit)?;
    let content = Content::decode(&data)?;

    let mut state = TextState {
        font: None,
        size: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        leading: 0.0,
        scale: 1.0,
    };
    let mut saved = Vec::new();
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    // Where the previous string ended, and the font size there (in user space).
    let mut end: Option<(f32, f32, f32)> = None;
    let num = |ops: &[Object], i: usize| ops.get(i).and_then(|o| o.as_float().ok()).unwrap_or(0.0);

    for op in &content.operations {
        let ops = &op.operands;
        match op.operator.as_str() {
            "q" => saved.push(state),
            "Q" => state = saved.pop().unwrap_or(state),
            "BT" => (tm, tlm) = (IDENTITY, IDENTITY),
            "Tf" => {
                state.font = ops.first().and_then(|o| o.as_name().ok());
                state.size = num(ops, 1);
            }
            "Tc" => state.char_spacing = num(ops, 0),
            "Tw" => state.word_spacing = num(ops, 0),
            "TL" => state.leading = num(ops, 0),
            "Tz" => state.scale = num(ops, 0) / 100.0,
            "Td" => {
                tlm = translate(&tlm, num(ops, 0), num(ops, 1));
                tm = tlm;
            }
            "TD" => {
                state.leading = -num(ops, 1);
                tlm = translate(&tlm, num(ops, 0), num(ops, 1));
                tm = tlm;
            }
            "Tm" => {
                tlm = [
                    num(ops, 0),
                    num(ops, 1),
                    num(ops, 2),
                    num(ops, 3),
                    num(ops, 4),
                    num(ops, 5),
                ];
                tm = tlm;
            }
            "T*" => {
                tlm = translate(&tlm, 0.0, -state.leading);
                tm = tlm;
            }
            "Tj" | "'" | "\"" | "TJ" => {
                if matches!(op.operator.as_str(), "'" | "\"") {
                    tlm = translate(&tlm, 0.0, -state.leading);
                    tm = tlm;
                }
                let Some(font) = state.font.and_then(|f| fonts.get(f)) else {
                    continue;
                };
                let items: &[Object] = match op.operator.as_str() {
                    "TJ" => ops
                        .first()
                        .and_then(|o| o.as_array().ok())
                        .map_or(&[], Vec::as_slice),
                    "\"" => ops.get(2).map_or(&[], std::slice::from_ref),
                    _ => ops.first().map_or(&[], std::slice::from_ref),
                };
                for item in items {
                    match item {
                        Object::String(bytes, _) => {
                            show(font, &state, bytes, &mut tm, &mut end, out);
                        }
                        o => {
                            let adjust = o.as_float().unwrap_or(0.0);
                            let tx = -adjust / 1000.0 * state.size * state.scale;
                            tm = translate(&tm, tx, 0.0);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out.push('\n');
    Ok(data.len())
}

/// Appends one string, preceded by a line break or a space when its position says so, and
/// moves the text matrix past it.
fn show(
    font: &Font<'_>,
    state: &TextState<'_>,
    bytes: &[u8],
    tm: &mut Matrix,
    end: &mut Option<(f32, f32, f32)>,
    out: &mut String,
) {
    let em = (state.size * tm[3].hypot(tm[2])).abs().max(0.1);
    let (x, y) = (tm[4], tm[5]);
    if let Some((ex, ey, prev_em)) = *end {
        let em_here = em.max(prev_em);
        let ends_blank = out.ends_with(char::is_whitespace) || out.is_empty();
        if (y - ey).abs() > LINE_MOVE * em_here {
            if !out.ends_with('\n') {
                out.push('\n');
            }
        } else if !ends_blank && (x - ex > SPACE_GAP * em_here || ex - x > LINE_MOVE * em_here) {
            out.push(' ');
        }
    }
    if let Ok(text) = Document::decode_text(&font.encoding, bytes) {
        out.push_str(&text);
    }
    let mut advance = 0.0;
    for code in font.metrics.codes(bytes) {
        advance += font.metrics.width(code) / 1000.0 * state.size + state.char_spacing;
        if !font.metrics.two_byte && code == 32 {
            advance += state.word_spacing;
        }
    }
    *tm = translate(tm, advance * state.scale, 0.0);
    *end = Some((tm[4], tm[5], em));
}
