//! Refused uploads: programs, markup, macros, bombs, oversized, damaged and foreign files.

#![allow(clippy::unwrap_used)]

use super::fixtures::{
    self, DOCX_TYPES, RawEntry, SENTENCE, TITLE, crc_of_zeros, deflated_zeros, elf, noise, ole, pe,
    raw_zip, zip_of,
};
use crate::{Kind, Limits, Refusal, Text, check, extract, make};

fn refuse(bytes: &[u8]) -> Refusal {
    check(bytes, &Limits::default()).expect_err("the upload is refused")
}

#[test]
fn empty_file_has_its_own_message() {
    let r = refuse(b"");
    assert_eq!(r, Refusal::Empty);
    assert!(r.to_string().starts_with("Tệp rỗng"));
}

#[test]
fn programs_are_refused_whatever_their_name() {
    let cases: [(Vec<u8>, &str); 7] = [
        (elf(), "ELF"),
        (pe(), "Windows PE"),
        (b"\xCF\xFA\xED\xFE\x07\x00\x00\x01".to_vec(), "Mach-O"),
        (b"\xFE\xED\xFA\xCE\x00\x00\x00\x12".to_vec(), "Mach-O"),
        (
            b"\xCA\xFE\xBA\xBE\x00\x00\x00\x41".to_vec(),
            "Java class / Mach-O",
        ),
        (b"#!/bin/sh\nrm -rf /\n".to_vec(), "script"),
        (b"\xEF\xBB\xBF#!/usr/bin/env python3\n".to_vec(), "script"),
    ];
    for (bytes, what) in cases {
        let r = refuse(&bytes);
        assert_eq!(r, Refusal::Executable(what.to_owned()));
        assert!(r.to_string().contains("chương trình"), "{r}");
    }
}

#[test]
fn html_svg_and_xml_are_refused_even_named_pdf() {
    let cases: [(&[u8], &str); 8] = [
        (b"<!DOCTYPE html><html><body>x</body></html>", "HTML"),
        (b"\xEF\xBB\xBF \r\n\t<HTML lang=\"vi\">", "HTML"),
        (b"<script>alert(1)</script>", "HTML"),
        (b"Hello\n<body onload=alert(1)>", "HTML"),
        (b"\xFF\xFE<\x00h\x00t\x00m\x00l\x00>\x00", "HTML"),
        (
            b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>",
            "SVG",
        ),
        (b"<svg onload=\"alert(1)\"/>", "SVG"),
        (
            b"<?xml version=\"1.0\"?><note>xin ch\xC3\xA0o</note>",
            "XML",
        ),
    ];
    for (bytes, what) in cases {
        let r = refuse(bytes);
        assert_eq!(
            r,
            Refusal::Markup(what.to_owned()),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
        assert!(r.to_string().starts_with("Tệp HTML/SVG"), "{r}");
    }
}

#[test]
fn markup_in_front_of_a_pdf_is_refused() {
    let mut polyglot = b"<html><body><script>alert(1)</script>".to_vec();
    polyglot.extend(make::pdf(TITLE, &[SENTENCE]));
    assert_eq!(refuse(&polyglot), Refusal::Markup("HTML".to_owned()));
}

fn docx_with_types(types: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut entries = fixtures::entries_of(&make::docx(TITLE, &[SENTENCE]));
    entries[0].1 = types.as_bytes().to_vec();
    for (n, d) in extra {
        entries.push(((*n).to_owned(), d.to_vec()));
    }
    fixtures::rezip(&entries)
}

#[test]
fn macro_enabled_ooxml_is_refused() {
    let docm = DOCX_TYPES.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    );
    let r = refuse(&docx_with_types(&docm, &[]));
    assert!(
        matches!(
            r,
            Refusal::MacroEnabled {
                kind: Kind::Docx,
                ..
            }
        ),
        "{r:?}"
    );
    assert!(r.to_string().contains("macro"), "{r}");

    // Declared as a plain document but carrying the VBA project anyway.
    let r = refuse(&docx_with_types(
        DOCX_TYPES,
        &[("word/vbaProject.bin", b"\xD0\xCF\x11\xE0")],
    ));
    assert!(
        matches!(
            r,
            Refusal::MacroEnabled {
                kind: Kind::Docx,
                ..
            }
        ),
        "{r:?}"
    );

    let xlsm = fixtures::entries_of(&make::xlsx(&fixtures::rows()));
    let mut xlsm = xlsm;
    let types = String::from_utf8(xlsm[0].1.clone()).unwrap().replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    );
    xlsm[0].1 = types.into_bytes();
    let r = refuse(&fixtures::rezip(&xlsm));
    assert!(
        matches!(
            r,
            Refusal::MacroEnabled {
                kind: Kind::Xlsx,
                ..
            }
        ),
        "{r:?}"
    );
}

#[test]
fn odf_with_basic_modules_is_refused() {
    let mut entries = fixtures::entries_of(&make::odt(TITLE, &[SENTENCE]));
    entries.push((
        "Basic/script-lc.xml".to_owned(),
        b"<library:libraries/>".to_vec(),
    ));
    entries.push((
        "Basic/Standard/Module1.xml".to_owned(),
        b"<script:module>Sub Main\nShell(\"calc\")\nEnd Sub</script:module>".to_vec(),
    ));
    let r = refuse(&fixtures::rezip(&entries));
    assert_eq!(
        r,
        Refusal::MacroEnabled {
            kind: Kind::Odt,
            detail: "Basic/Standard/Module1.xml".to_owned()
        }
    );
}

#[test]
fn legacy_office_with_macro_storages_is_refused() {
    let r = refuse(&ole(&["WordDocument", "Macros/VBA/ThisDocument"]));
    assert!(
        matches!(
            r,
            Refusal::MacroEnabled {
                kind: Kind::Doc,
                ..
            }
        ),
        "{r:?}"
    );
    let r = refuse(&ole(&["Workbook", "_VBA_PROJECT_CUR/VBA/Module1"]));
    assert!(
        matches!(
            r,
            Refusal::MacroEnabled {
                kind: Kind::Xls,
                ..
            }
        ),
        "{r:?}"
    );
}

#[test]
fn password_protected_office_files_are_refused_as_such() {
    // Word and Excel wrap an encrypted OOXML in a compound file.
    let r = refuse(&ole(&["EncryptionInfo", "EncryptedPackage"]));
    assert!(matches!(r, Refusal::Protected(_)), "{r:?}");
    assert!(r.to_string().contains("mật khẩu"), "{r}");
    // A zip whose entries carry the encryption flag.
    let mut zip = make::docx(TITLE, &[SENTENCE]);
    for at in 0..zip.len() - 4 {
        match &zip[at..at + 4] {
            b"PK\x03\x04" => zip[at + 6] |= 1,
            b"PK\x01\x02" => zip[at + 8] |= 1,
            _ => {}
        }
    }
    let r = refuse(&zip);
    assert!(
        matches!(r, Refusal::Protected(_) | Refusal::Corrupt(_)),
        "{r:?}"
    );
}

#[test]
fn other_compound_files_are_unsupported() {
    assert!(matches!(
        refuse(&ole(&["SummaryInformation"])),
        Refusal::Unsupported(_)
    ));
}

#[test]
fn zip_bomb_declaring_its_size_is_refused_before_unpacking() {
    // 1 GiB of zeros in about a megabyte, named and typed as a DOCX.
    let data = deflated_zeros(1024);
    let bomb = raw_zip(&[
        RawEntry {
            name: "[Content_Types].xml",
            data: DOCX_TYPES.as_bytes(),
            deflated: false,
            crc: crc32fast::hash(DOCX_TYPES.as_bytes()),
            declared_size: u32::try_from(DOCX_TYPES.len()).unwrap(),
        },
        RawEntry {
            name: "word/document.xml",
            data: &data,
            deflated: true,
            crc: crc_of_zeros(1024),
            declared_size: 1 << 30,
        },
    ]);
    assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
    let r = refuse(&bomb);
    assert!(matches!(r, Refusal::ZipBomb(_)), "{r:?}");
    assert!(r.to_string().contains("giải nén"), "{r}");
}

#[test]
fn zip_bomb_lying_about_its_size_is_caught_while_unpacking() {
    // The header says 5 KB; the deflate stream holds 300 MiB (over the 200 MiB limit).
    let data = deflated_zeros(300);
    let bomb = raw_zip(&[
        RawEntry {
            name: "[Content_Types].xml",
            data: DOCX_TYPES.as_bytes(),
            deflated: false,
            crc: crc32fast::hash(DOCX_TYPES.as_bytes()),
            declared_size: u32::try_from(DOCX_TYPES.len()).unwrap(),
        },
        RawEntry {
            name: "word/document.xml",
            data: &data,
            deflated: true,
            crc: 0,
            declared_size: 5000,
        },
    ]);
    // The zip crate stops at the declared size and reports the lie; our own cap
    // (`bounded`) is the second line should it ever stop doing so.
    let r = refuse(&bomb);
    assert!(matches!(r, Refusal::Corrupt(_)), "{r:?}");
    // Extraction, even without `check` first, stops at the limit instead of unpacking it all.
    assert!(matches!(
        extract(Kind::Docx, &bomb, &Limits::default()),
        Text::Unreadable(_)
    ));
    assert!(matches!(
        extract(Kind::Xlsx, &bomb, &Limits::default()),
        Text::Unreadable(_)
    ));
}

#[test]
fn zip_with_too_many_entries_or_a_high_ratio_is_refused() {
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let names: Vec<String> = (0..11).map(|i| format!("word/part{i}.xml")).collect();
    let mut entries: Vec<(&str, &[u8])> = vec![("[Content_Types].xml", DOCX_TYPES.as_bytes())];
    entries.extend(names.iter().map(|n| (n.as_str(), &b"<x/>"[..])));
    let many = zip_of(&entries);
    let r = check(&many, &limits).unwrap_err();
    assert!(matches!(r, Refusal::ZipBomb(_)), "{r:?}");
    // Without the end record's count (as a zip64 would have it) the archive's own count
    // still catches it.
    let mut no_count = many.clone();
    let eocd = no_count.len() - 22;
    no_count[eocd + 8..eocd + 12].copy_from_slice(&[0xFF; 4]);
    let r = check(&no_count, &limits).unwrap_err();
    assert!(
        matches!(r, Refusal::ZipBomb(_) | Refusal::Corrupt(_)),
        "{r:?}"
    );

    // 8 MiB of one letter: far under the unpacked limit, but a ratio no office file has.
    let flat = vec![b'a'; 8 * 1024 * 1024];
    let r = refuse(&zip_of(&[
        ("[Content_Types].xml", DOCX_TYPES.as_bytes()),
        ("word/document.xml", &flat),
    ]));
    assert!(matches!(r, Refusal::ZipBomb(_)), "{r:?}");
}

#[test]
fn each_kind_group_has_its_own_size_limit() {
    let pdf = make::pdf(TITLE, &[SENTENCE]);
    let docx = make::docx(TITLE, &[SENTENCE]);
    let limits = Limits {
        max_pdf: 1000,
        max_office: 100_000,
        ..Limits::default()
    };
    let r = check(&pdf, &limits).unwrap_err();
    assert_eq!(
        r,
        Refusal::TooLarge {
            kind: Kind::Pdf,
            bytes: pdf.len() as u64,
            max: 1000
        }
    );
    assert!(r.to_string().starts_with("Tệp PDF quá lớn: "), "{r}");
    assert!(check(&docx, &limits).is_ok());

    let limits = Limits {
        max_pdf: 1_000_000,
        max_office: 500,
        ..Limits::default()
    };
    assert!(check(&pdf, &limits).is_ok());
    let r = check(&docx, &limits).unwrap_err();
    assert!(matches!(r, Refusal::TooLarge { max: 500, .. }), "{r:?}");
    assert!(r.to_string().contains("tối đa 500 byte"), "{r}");
}

#[test]
fn damaged_files_are_corrupt() {
    let corrupt = |bytes: &[u8]| matches!(refuse(bytes), Refusal::Corrupt(_));
    assert!(corrupt(b"%PDF-1.7\nthis is not a pdf at all"));
    let pdf = make::pdf(TITLE, &[SENTENCE]);
    assert!(corrupt(&pdf[..20]));
    let docx = make::docx(TITLE, &[SENTENCE]);
    assert!(corrupt(&docx[..docx.len() / 2]));
    // OOXML parts without `[Content_Types].xml`.
    let mut entries = fixtures::entries_of(&docx);
    entries.remove(0);
    assert!(corrupt(&fixtures::rezip(&entries)));
    // ODF whose `mimetype` is wrong, or not first.
    let mut entries = fixtures::entries_of(&make::odt(TITLE, &[SENTENCE]));
    entries[0].1 = b"text/html".to_vec();
    assert!(corrupt(&fixtures::rezip(&entries)));
    let mut entries = fixtures::entries_of(&make::odt(TITLE, &[SENTENCE]));
    entries.swap(0, 2);
    assert!(corrupt(&fixtures::rezip(&entries)));
    // A flipped byte in deflated data fails its CRC (or its inflate).
    let mut flipped = make::docx(TITLE, &[&SENTENCE.repeat(20)]);
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    assert!(matches!(
        refuse(&flipped),
        Refusal::Corrupt(_) | Refusal::ZipBomb(_)
    ));
}

#[test]
fn images_are_sent_to_the_photo_library() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";
    let r = refuse(png);
    assert_eq!(r, Refusal::Image("PNG".to_owned()));
    assert!(
        r.to_string().contains("Ảnh hãy tải lên thư viện ảnh"),
        "{r}"
    );
    assert_eq!(
        refuse(b"\xFF\xD8\xFF\xE0\x00\x10JFIF"),
        Refusal::Image("JPEG".to_owned())
    );
}

#[test]
fn archives_and_unknown_bytes_are_unsupported() {
    for (bytes, what) in [
        (&b"Rar!\x1A\x07\x01\x00"[..], "RAR"),
        (b"7z\xBC\xAF\x27\x1C\x00\x04", "7z"),
        (b"\x1F\x8B\x08\x00", "gzip"),
    ] {
        assert_eq!(refuse(bytes), Refusal::Unsupported(what.to_owned()));
    }
    let r = refuse(&noise(4096));
    assert_eq!(r, Refusal::Unsupported("không rõ".to_owned()));
    assert!(r.to_string().contains("PDF, Word"), "{r}");
    assert_eq!(
        refuse("Kính gửi Sở.".as_bytes()),
        Refusal::Unsupported("không rõ".to_owned())
    );
    // A zip of anything but an office document.
    let r = refuse(&zip_of(&[
        ("anh.jpg", b"\xFF\xD8\xFF"),
        ("readme.txt", b"x"),
    ]));
    assert_eq!(r, Refusal::Unsupported("ZIP".to_owned()));
}

#[test]
fn encrypted_pdf_is_accepted_without_text() {
    let mut doc = lopdf::Document::load_mem(&make::pdf(TITLE, &[SENTENCE])).unwrap();
    let version = lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "chu-so-huu",
        user_password: "mat-khau",
        key_length: 128,
        permissions: lopdf::Permissions::default(),
    };
    let state = lopdf::EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    assert_eq!(check(&bytes, &Limits::default()).unwrap().kind, Kind::Pdf);
    assert_eq!(
        extract(Kind::Pdf, &bytes, &Limits::default()),
        Text::Unreadable("mã hóa".to_owned())
    );
}

#[test]
fn extract_on_the_wrong_kind_does_not_panic() {
    let pdf = make::pdf(TITLE, &[SENTENCE]);
    let docx = make::docx(TITLE, &[SENTENCE]);
    for kind in Kind::ALL {
        for bytes in [&pdf[..], &docx[..], b"", &noise(1000)[..]] {
            let _ = extract(kind, bytes, &Limits::default());
        }
    }
}

#[test]
fn pdf_whose_content_cannot_be_inflated_gives_no_text() {
    let mut doc = lopdf::Document::load_mem(&make::pdf(TITLE, &[SENTENCE])).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let contents = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"Contents")
        .unwrap()
        .as_reference()
        .unwrap();
    // Declared as deflated, holding garbage.
    let mut dict = lopdf::Dictionary::new();
    dict.set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
    let stream = lopdf::Stream::new(dict, b"\x78\x9c not deflate at all".to_vec());
    doc.objects.insert(contents, lopdf::Object::Stream(stream));
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    assert_eq!(check(&bytes, &Limits::default()).unwrap().kind, Kind::Pdf);
    // lopdf is lenient about the stream itself; either way nothing is made up.
    let text = extract(Kind::Pdf, &bytes, &Limits::default());
    assert!(matches!(text, Text::None | Text::Unreadable(_)), "{text:?}");
}
