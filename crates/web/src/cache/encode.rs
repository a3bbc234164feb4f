//! Compressed copies of a page assembled per request from parts compressed once: the text
//! between two live values (numbers, the site's address) is compressed on its own when the
//! page is first asked for compressed, and each request only adds its values and joins the
//! parts.
//!
//! gzip: each part is a raw deflate stream ended by a sync flush (so it ends on a byte and
//! refers to nothing before it); values go in as stored blocks; the CRC-32 of the whole is
//! combined from the parts' CRCs. brotli: each part is a "catable" stream, values are joined
//! from one-character streams made once, and `BroCatli` splices the streams into one.

use axum::body::Bytes;
use brotli::concat::{BroCatli, BroCatliResult};
use brotli::enc::BrotliEncoderParams;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use std::io::Write;
use std::sync::LazyLock;

/// gzip header: deflate, no name, no time, unknown OS.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// A final, empty stored block.
const DEFLATE_END: [u8; 5] = [1, 0, 0, 0xff, 0xff];
/// Level for the kept parts: compressed once, served many times.
const GZIP_LEVEL: u32 = 9;
const BROTLI_QUALITY: i32 = 9;
/// One window size for every stream: `BroCatli` joins streams of equal windows.
const BROTLI_LGWIN: i32 = 22;

#[derive(Debug, thiserror::Error)]
#[error("compressing a page part: {0}")]
pub struct EncodeError(String);

#[derive(Debug)]
struct GzPart {
    deflated: Vec<u8>,
    crc: crc32fast::Hasher,
    len: usize,
}

#[derive(Debug)]
pub struct Gzip {
    parts: Vec<GzPart>,
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, EncodeError> {
    let mut e = DeflateEncoder::new(
        Vec::with_capacity(data.len() / 3 + 64),
        Compression::new(GZIP_LEVEL),
    );
    e.write_all(data).map_err(|e| EncodeError(e.to_string()))?;
    // A sync flush: everything so far is out, ending on a byte, and the stream is not ended.
    e.flush().map_err(|e| EncodeError(e.to_string()))?;
    // What dropping the encoder writes (the final block) goes into the emptied buffer.
    Ok(std::mem::take(e.get_mut()))
}

impl Gzip {
    pub fn new(parts: &[Bytes]) -> Result<Self, EncodeError> {
        let parts = parts
            .iter()
            .map(|p| {
                let mut crc = crc32fast::Hasher::new();
                crc.update(p);
                Ok(GzPart {
                    deflated: deflate(p)?,
                    crc,
                    len: p.len(),
                })
            })
            .collect::<Result<_, EncodeError>>()?;
        Ok(Gzip { parts })
    }

    pub fn assemble(&self, numbers: &[&[u8]]) -> Bytes {
        let size = GZIP_HEADER.len()
            + self.parts.iter().map(|p| p.deflated.len()).sum::<usize>()
            + numbers.iter().map(|n| n.len() + 5).sum::<usize>()
            + DEFLATE_END.len()
            + 8;
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(&GZIP_HEADER);
        let mut crc = crc32fast::Hasher::new();
        let mut len = 0usize;
        for (i, part) in self.parts.iter().enumerate() {
            out.extend_from_slice(&part.deflated);
            crc.combine(&part.crc);
            len += part.len;
            if let Some(n) = numbers.get(i).filter(|n| !n.is_empty()) {
                // A stored block: header bits 000, padded to the byte, then LEN and NLEN.
                let l = u16::try_from(n.len()).unwrap_or(u16::MAX);
                let n = &n[..usize::from(l)];
                out.push(0);
                out.extend_from_slice(&l.to_le_bytes());
                out.extend_from_slice(&(!l).to_le_bytes());
                out.extend_from_slice(n);
                crc.update(n);
                len += n.len();
            }
        }
        out.extend_from_slice(&DEFLATE_END);
        out.extend_from_slice(&crc.finalize().to_le_bytes());
        // ISIZE is the length modulo 2^32.
        out.extend_from_slice(&((len & 0xffff_ffff) as u32).to_le_bytes());
        out.into()
    }
}

fn brotli_params(quality: i32) -> BrotliEncoderParams {
    BrotliEncoderParams {
        quality,
        lgwin: BROTLI_LGWIN,
        catable: true,
        appendable: true,
        use_dictionary: false,
        ..BrotliEncoderParams::default()
    }
}

fn catable(data: &[u8], quality: i32) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(data.len() / 3 + 16);
    brotli::BrotliCompress(&mut &data[..], &mut out, &brotli_params(quality))
        .map_err(|e| EncodeError(e.to_string()))?;
    Ok(out)
}

/// One catable stream per byte that spliced values are written with: numbers, and site
/// addresses (a scheme and a lower-cased host name or address with its port).
static SPLICED_BYTES: LazyLock<Vec<(u8, Vec<u8>)>> = LazyLock::new(|| {
    b"0123456789.-abcdefghijklmnopqrstuvwxyz:/[]"
        .iter()
        .filter_map(|b| catable(&[*b], 2).ok().map(|s| (*b, s)))
        .collect()
});

#[derive(Debug)]
pub struct Brotli {
    parts: Vec<Vec<u8>>,
}

impl Brotli {
    pub fn new(parts: &[Bytes]) -> Result<Self, EncodeError> {
        let parts = parts
            .iter()
            .map(|p| catable(p, BROTLI_QUALITY))
            .collect::<Result<_, _>>()?;
        Ok(Brotli { parts })
    }

    /// `None` when a value holds a byte spliced values are not written with, or streams would
    /// not join (neither happens with pages cong renders).
    pub fn assemble(&self, numbers: &[&[u8]]) -> Option<Bytes> {
        let mut streams: Vec<&[u8]> = Vec::with_capacity(self.parts.len() + 16);
        let mut size = 16;
        for (i, part) in self.parts.iter().enumerate() {
            streams.push(part);
            size += part.len();
            for b in numbers.get(i).copied().unwrap_or_default() {
                let s = SPLICED_BYTES.iter().find(|(c, _)| c == b)?;
                streams.push(&s.1);
                size += s.1.len();
            }
        }
        join(&streams, size).map(Bytes::from)
    }
}

fn join(streams: &[&[u8]], size: usize) -> Option<Vec<u8>> {
    let mut cat = BroCatli::new_with_window_size(u8::try_from(BROTLI_LGWIN).ok()?);
    let mut out = vec![0u8; size];
    let mut at = 0;
    for s in streams {
        cat.new_brotli_file();
        let mut read = 0;
        loop {
            match cat.stream(s, &mut read, &mut out, &mut at) {
                BroCatliResult::NeedsMoreInput => break,
                BroCatliResult::NeedsMoreOutput => out.resize(out.len() * 2, 0),
                BroCatliResult::Success => break,
                _ => return None,
            }
        }
    }
    loop {
        match cat.finish(&mut out, &mut at) {
            BroCatliResult::Success => break,
            BroCatliResult::NeedsMoreOutput => out.resize(out.len() * 2, 0),
            _ => return None,
        }
    }
    out.truncate(at);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn parts() -> Vec<Bytes> {
        let long = "Hội nghị tập huấn công tác xây dựng Đảng. ".repeat(400);
        vec![
            Bytes::from(format!("<html><p>Lượt xem: {long}")),
            Bytes::from_static(b"</p><dd>"),
            Bytes::from(format!("</dd>{long}</html>")),
        ]
    }

    fn plain(parts: &[Bytes], numbers: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            out.extend_from_slice(p);
            if let Some(n) = numbers.get(i) {
                out.extend_from_slice(n);
            }
        }
        out
    }

    #[test]
    fn gzip_parts_join_into_the_page_with_its_numbers() {
        let parts = parts();
        let gz = Gzip::new(&parts).expect("gzip");
        for numbers in [
            [&b"1.234"[..], b"0"],
            [b"", b"99.999.999"],
            [b"http://[2001:db8::7]:8080", b"https://portal.gov.vn"],
        ] {
            let body = gz.assemble(&numbers);
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut out)
                .expect("valid gzip, CRC and length included");
            assert_eq!(out, plain(&parts, &numbers));
            assert!(
                body.len() < out.len() / 5,
                "{} of {}",
                body.len(),
                out.len()
            );
        }
    }

    #[test]
    fn brotli_streams_join_into_the_page_with_its_numbers() {
        let parts = parts();
        let br = Brotli::new(&parts).expect("brotli");
        for numbers in [
            [&b"1.234"[..], b"0"],
            [b"-5", b"99.999.999"],
            [b"http://[2001:db8::7]:8080", b"https://portal.gov.vn"],
        ] {
            let body = br.assemble(&numbers).expect("joined");
            let mut out = Vec::new();
            brotli::Decompressor::new(&body[..], 4096)
                .read_to_end(&mut out)
                .expect("valid brotli");
            assert_eq!(out, plain(&parts, &numbers));
            assert!(
                body.len() < out.len() / 5,
                "{} of {}",
                body.len(),
                out.len()
            );
        }
        assert!(
            br.assemble(&[b"1E5", b""]).is_none(),
            "not a spliced value's byte"
        );
    }
}
