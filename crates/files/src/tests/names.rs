//! Download names and `Content-Disposition`.

use crate::{Kind, content_disposition, download_name};

#[test]
fn slashes_and_controls_go_and_the_extension_follows_the_kind() {
    assert_eq!(
        download_name("Quyết định số 544/QĐ-SKHCN.pdf", Kind::Pdf),
        "Quyết định số 544QĐ-SKHCN.pdf"
    );
    assert_eq!(
        download_name("Quyết định 544.PDF", Kind::Pdf),
        "Quyết định 544.PDF"
    );
    assert_eq!(download_name("to-trinh", Kind::Docx), "to-trinh.docx");
    assert_eq!(download_name("a.pdf", Kind::Docx), "a.docx");
    assert_eq!(
        download_name("..\\..\\etc\\passwd\u{0}\n", Kind::Pdf),
        "etcpasswd.pdf"
    );
    assert_eq!(
        download_name("Báo cáo v1.2 bản cuối", Kind::Xlsx),
        "Báo cáo v1.2 bản cuối.xlsx"
    );
    assert_eq!(download_name("", Kind::Odt), "tep-dinh-kem.odt");
    assert_eq!(download_name("...", Kind::Odt), "tep-dinh-kem.odt");
}

#[test]
fn names_are_nfc_and_at_most_200_characters() {
    let nfd = "Quye\u{302}\u{301}t \u{111}i\u{323}nh.pdf";
    assert_eq!(download_name(nfd, Kind::Pdf), "Quyết định.pdf");
    let long = format!("{}.pdf", "Đ".repeat(500));
    let name = download_name(&long, Kind::Pdf);
    assert_eq!(name.chars().count(), 200);
    assert!(name.ends_with("Đ.pdf"));
}

#[test]
fn content_disposition_has_an_ascii_fallback_and_the_utf8_name() {
    let name = download_name("Quyết định số 544/QĐ-SKHCN.pdf", Kind::Pdf);
    assert_eq!(
        content_disposition(&name, false),
        "attachment; filename=\"Quyet dinh so 544QD-SKHCN.pdf\"; \
         filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20s%E1%BB%91%20544Q%C4%90-SKHCN.pdf"
    );
    assert!(content_disposition("a.pdf", true).starts_with("inline; filename=\"a.pdf\""));
}

#[test]
fn quotes_and_backslashes_cannot_break_the_header() {
    let h = content_disposition("bao \"cao\"; x=1 \\ ;.docx", false);
    assert_eq!(
        h,
        "attachment; filename=\"bao cao; x=1  ;.docx\"; filename*=UTF-8''bao%20%22cao%22%3B%20x%3D1%20%5C%20%3B.docx"
    );
    assert!(!h.contains('\n') && !h.contains('\r'));
}

#[test]
fn long_names_stay_one_header_line() {
    let name = download_name(&"Kế hoạch ".repeat(100), Kind::Docx);
    let h = content_disposition(&name, false);
    assert!(h.is_ascii());
    assert!(!h.contains('\n'));
}
