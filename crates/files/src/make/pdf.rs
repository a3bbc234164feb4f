//! PDFs with a real text layer: DejaVu Sans embedded as a CID font with a `ToUnicode` map, so
//! viewers draw the Vietnamese marks and text extraction gets them back.

use pdf_writer::Filter;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// Subset of DejaVu Sans: Latin, Vietnamese, combining marks, punctuation (see fonts/README).
pub(crate) static FONT: &[u8] = include_bytes!("../../fonts/DejaVuSans-vi.ttf");

const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;
const BODY: f32 = 11.0;
const TITLE: f32 = 16.0;
const LEADING: f32 = 1.45;

/// Glyph lookup and advances from the embedded font.
struct Font<'a> {
    face: ttf_parser::Face<'a>,
    units: f32,
}

impl Font<'_> {
    fn load() -> Option<Font<'static>> {
        let face = ttf_parser::Face::parse(FONT, 0).ok()?;
        let units = f32::from(face.units_per_em());
        Some(Font { face, units })
    }

    fn glyph(&self, c: char) -> u16 {
        self.face.glyph_index(c).map_or(0, |g| g.0)
    }

    /// Advance of a glyph in thousandths of the font size, as PDF widths are given.
    fn advance(&self, glyph: u16) -> f32 {
        let adv = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0);
        f32::from(adv) * 1000.0 / self.units
    }

    fn width(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.advance(self.glyph(c))).sum::<f32>() * size / 1000.0
    }
}

/// One line of a page: its size and text.
struct Line {
    size: f32,
    text: String,
}

/// A PDF (A4, as many pages as the text needs) with `title` and then `paragraphs`, wrapped.
pub fn pdf(title: &str, paragraphs: &[&str]) -> Vec<u8> {
    let Some(font) = Font::load() else {
        // The font is compiled in and parsed by the crate's tests; this cannot happen.
        return pdf_without_text();
    };
    let width = A4.0 - 2.0 * MARGIN;
    let mut lines = Vec::new();
    for l in wrap(&font, &title.nfc().collect::<String>(), TITLE, width) {
        lines.push(Line {
            size: TITLE,
            text: l,
        });
    }
    for p in paragraphs {
        lines.push(Line {
            size: BODY,
            text: String::new(),
        });
        for l in wrap(&font, &p.nfc().collect::<String>(), BODY, width) {
            lines.push(Line {
                size: BODY,
                text: l,
            });
        }
    }
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut y = A4.1 - MARGIN;
    for line in lines {
        let step = line.size * LEADING;
        if y - step < MARGIN {
            pages.push(Vec::new());
            y = A4.1 - MARGIN;
        }
        y -= step;
        if let Some(page) = pages.last_mut() {
            page.push(line);
        }
    }
    write(&font, title, &pages)
}

/// Greedy word wrap; a word longer than the line is cut by characters. Widths are added up
/// as the line grows rather than measured again for every candidate line.
fn wrap(font: &Font<'_>, text: &str, size: f32, width: f32) -> Vec<String> {
    let space = font.width(" ", size);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in text.split_whitespace() {
        let w = font.width(word, size);
        let needed = if line.is_empty() {
            w
        } else {
            line_width + space + w
        };
        if needed <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            line_width = needed;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        }
        if w <= width {
            line.push_str(word);
            line_width = w;
            continue;
        }
        for c in word.chars() {
            let cw = font.advance(font.glyph(c)) * size / 1000.0;
            if line_width + cw > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(c);
            line_width += cw;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn write(font: &Font<'_>, title: &str, pages: &[Vec<Line>]) -> Vec<u8> {
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree = alloc();
    let info = alloc();
    let type0 = alloc();
    let cid = alloc();
    let descriptor = alloc();
    let file = alloc();
    let cmap_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    let mut pdf = Pdf::new();
    // Encryption and incremental updates key on the file ID; the same text gives the same ID.
    let mut hasher = blake3::Hasher::new();
    hasher.update(title.as_bytes());
    for line in pages.iter().flatten() {
        hasher.update(line.text.as_bytes());
    }
    let id = hasher.finalize().as_bytes()[..16].to_vec();
    pdf.set_file_id((id.clone(), id));
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|&(p, _)| p))
        .count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("cong-files"));

    let mut used: BTreeMap<u16, char> = BTreeMap::new();
    for (page, &(page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut content = Content::new();
        let mut y = A4.1 - MARGIN;
        for line in page {
            y -= line.size * LEADING;
            if line.text.is_empty() {
                continue;
            }
            let mut encoded = Vec::with_capacity(line.text.len() * 2);
            for c in line.text.chars() {
                let g = font.glyph(c);
                used.entry(g).or_insert(c);
                encoded.extend_from_slice(&g.to_be_bytes());
            }
            // One text object per line: extractors end a line at `ET`.
            content.begin_text();
            content.set_font(Name(b"F1"), line.size);
            content.set_text_matrix([1.0, 0.0, 0.0, 1.0, MARGIN, y]);
            content.show(Str(&encoded));
            content.end_text();
        }
        pdf.stream(content_id, &deflate(&content.finish()))
            .filter(Filter::FlateDecode);
        let mut p = pdf.page(page_id);
        p.parent(tree)
            .media_box(Rect::new(0.0, 0.0, A4.0, A4.1))
            .contents(content_id);
        p.resources().fonts().pair(Name(b"F1"), type0);
        p.finish();
    }

    let base = Name(b"DejaVuSans");
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap_id);
    let glyphs = font.face.number_of_glyphs();
    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(system)
        .font_descriptor(descriptor)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid_font
        .widths()
        .consecutive(0, (0..glyphs).map(|g| font.advance(g)));
    cid_font.finish();

    let scale = 1000.0 / font.units;
    let bbox = font.face.global_bounding_box();
    pdf.font_descriptor(descriptor)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            f32::from(bbox.x_min) * scale,
            f32::from(bbox.y_min) * scale,
            f32::from(bbox.x_max) * scale,
            f32::from(bbox.y_max) * scale,
        ))
        .italic_angle(0.0)
        .ascent(f32::from(font.face.ascender()) * scale)
        .descent(f32::from(font.face.descender()) * scale)
        .cap_height(f32::from(font.face.capital_height().unwrap_or(1493)) * scale)
        .stem_v(80.0)
        .font_file2(file);
    let length = i32::try_from(FONT.len()).unwrap_or(i32::MAX);
    pdf.stream(file, &deflate(FONT))
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), length);

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
    for (g, c) in used {
        cmap.pair(g, c);
    }
    pdf.cmap(cmap_id, &cmap.finish());
    pdf.finish()
}

/// Zlib, as `FlateDecode` wants: the embedded font halves.
fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail; an error would leave a stream viewers reject, not a panic.
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

/// A one-page PDF with a drawing and no text operators: what a scan looks like to search.
pub fn pdf_without_text() -> Vec<u8> {
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let page_id = Ref::new(3);
    let content_id = Ref::new(4);
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page_id]).count(1);
    let mut content = Content::new();
    content.set_fill_rgb(0.8, 0.1, 0.1);
    content.rect(MARGIN, A4.1 - 200.0, 300.0, 120.0);
    content.fill_nonzero();
    content.set_fill_rgb(0.2, 0.2, 0.2);
    content.rect(MARGIN, MARGIN, A4.0 - 2.0 * MARGIN, 400.0);
    content.fill_nonzero();
    pdf.stream(content_id, &content.finish());
    pdf.page(page_id)
        .parent(tree)
        .media_box(Rect::new(0.0, 0.0, A4.0, A4.1))
        .contents(content_id)
        .resources();
    pdf.finish()
}
