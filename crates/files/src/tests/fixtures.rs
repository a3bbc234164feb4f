//! Hand-made files for the refusal tests: raw zips, compound files, programs, markup.

#![allow(clippy::unwrap_used)]

use flate2::{Compress, Compression, FlushCompress};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

pub const TITLE: &str = "Quyết định số 544/QĐ-SKHCN";
pub const SENTENCE: &str =
    "Quyết định về việc ban hành Quy chế tiếp nhận, xử lý phản ánh, kiến nghị";

pub fn rows() -> Vec<Vec<String>> {
    vec![
        vec!["STT".into(), "Thủ tục".into(), "Thời hạn giải quyết".into()],
        vec!["1".into(), SENTENCE.into(), "15 ngày làm việc".into()],
        vec![
            "2".into(),
            "Cấp giấy chứng nhận đăng ký hoạt động khoa học & công nghệ".into(),
            "10 ngày".into(),
        ],
    ]
}

/// A zip of `(name, content)` entries, deflated (`mimetype` stored), in order.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        let method = if *name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        zip.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The entries of a zip, to rebuild it with changes.
pub fn entries_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

pub fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_of(&refs)
}

/// Raw deflate of `megabytes` MiB of zeros, made without ever holding them: one MiB
/// compressed with sync flushes (byte-aligned, non-final blocks) repeated, then a final
/// empty block.
pub fn deflated_zeros(megabytes: usize) -> Vec<u8> {
    let zeros = vec![0u8; 1024 * 1024];
    let mut c = Compress::new(Compression::best(), false);
    let mut block = Vec::with_capacity(8 * 1024);
    c.compress_vec(&zeros, &mut block, FlushCompress::Sync)
        .unwrap();
    assert_eq!(c.total_in(), 1024 * 1024, "one call took the whole MiB");
    let mut out = Vec::with_capacity(block.len() * megabytes + 8);
    for _ in 0..megabytes {
        out.extend_from_slice(&block);
    }
    // A final, empty stored block.
    out.extend_from_slice(&[0x01, 0x00, 0x00, 0xFF, 0xFF]);
    out
}

/// One raw zip entry, written by hand so that its header may lie.
pub struct RawEntry<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
    pub deflated: bool,
    pub crc: u32,
    pub declared_size: u32,
}

/// A zip written byte by byte from raw entries (no data descriptors, no zip64).
pub fn raw_zip(entries: &[RawEntry<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = u32::try_from(out.len()).unwrap();
        let method: u16 = if e.deflated { 8 } else { 0 };
        let csize = u32::try_from(e.data.len()).unwrap();
        let name = e.name.as_bytes();
        let nlen = u16::try_from(name.len()).unwrap();
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]); // time, date: 1980-01-01
        out.extend_from_slice(&e.crc.to_le_bytes());
        out.extend_from_slice(&csize.to_le_bytes());
        out.extend_from_slice(&e.declared_size.to_le_bytes());
        out.extend_from_slice(&nlen.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(e.data);

        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&method.to_le_bytes());
        central.extend_from_slice(&[0, 0, 0x21, 0]);
        central.extend_from_slice(&e.crc.to_le_bytes());
        central.extend_from_slice(&csize.to_le_bytes());
        central.extend_from_slice(&e.declared_size.to_le_bytes());
        central.extend_from_slice(&nlen.to_le_bytes());
        central.extend_from_slice(&[0; 12]); // extra, comment, disk, internal and external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let cd_offset = u32::try_from(out.len()).unwrap();
    let cd_size = u32::try_from(central.len()).unwrap();
    let count = u16::try_from(entries.len()).unwrap();
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

pub const DOCX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

pub fn crc_of_zeros(megabytes: usize) -> u32 {
    let zeros = vec![0u8; 1024 * 1024];
    let mut h = crc32fast::Hasher::new();
    for _ in 0..megabytes {
        h.update(&zeros);
    }
    h.finalize()
}

/// An OLE compound file with the given streams (storages created as needed).
pub fn ole(streams: &[&str]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for path in streams {
        if let Some((dir, _)) = path.rsplit_once('/') {
            file.create_storage_all(dir).unwrap();
        }
        let mut s = file.create_stream(path).unwrap();
        s.write_all(b"\x00\x01 not really a document").unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// The smallest valid ELF header start and a PE stub, as a renamed program would begin.
pub fn elf() -> Vec<u8> {
    let mut b = b"\x7FELF\x02\x01\x01\x00".to_vec();
    b.resize(64, 0);
    b
}

pub fn pe() -> Vec<u8> {
    let mut b = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec();
    b.resize(128, 0);
    b.extend_from_slice(b"This program cannot be run in DOS mode.");
    b
}

/// Bytes from a fixed xorshift, so the "random" file is the same on every run.
pub fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}
