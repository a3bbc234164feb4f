//! Slugs for URLs: Vietnamese folded to ASCII ("Hội nghị" → `hoi-nghi`, đ → d).

use unicode_normalization::UnicodeNormalization;

/// Longest slug kept; cut at a word boundary.
const MAX_LEN: usize = 120;

/// NFC, fold to ASCII (deunicode maps đ/Đ to d/D and drops the marks), lower-case, and join
/// runs of anything else with one `-`.
pub fn slugify(text: &str) -> String {
    let mut out = fold_words(text);
    if out.len() > MAX_LEN {
        let cut = out[..MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
        out.truncate(cut);
    }
    out
}

/// A slug of any length: the key that "hoi nghi", "HỘI NGHỊ" and "Hội nghị" all fold to, for
/// matching what someone typed against stored text.
pub fn fold_words(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    let ascii = deunicode::deunicode(&nfc);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn vietnamese_slugs() {
        let cases = [
            ("Hội nghị", "hoi-nghi"),
            ("Đảng", "dang"),
            ("ĐẠI HỘI ĐẢNG BỘ TỈNH", "dai-hoi-dang-bo-tinh"),
            (
                "Thủ tướng: \"Phải xử lý nghiêm!\"",
                "thu-tuong-phai-xu-ly-nghiem",
            ),
            (
                "Ưu tiên phát triển kinh tế số năm 2026",
                "uu-tien-phat-trien-kinh-te-so-nam-2026",
            ),
            (
                "Những người lính giữ nước ở Quảng Trị",
                "nhung-nguoi-linh-giu-nuoc-o-quang-tri",
            ),
            (
                "Ho\u{323}\u{302}i nghi\u{323} (NFD input)",
                "hoi-nghi-nfd-input",
            ),
            ("Khoa học - Công nghệ", "khoa-hoc-cong-nghe"),
            ("  --Cải cách hành chính--  ", "cai-cach-hanh-chinh"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "{input:?}");
        }
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let long = "Hội nghị ".repeat(40);
        let s = slugify(&long);
        assert!(s.len() <= 120);
        assert!(s.ends_with("nghi"), "{s}");
    }
}
