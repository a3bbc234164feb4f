//! Why an attachment was refused, worded for the editor who sent it.

use crate::Kind;

/// The types named in refusals, so the editor knows what to send instead.
const ACCEPTED: &str = "PDF, Word (.docx, .doc), Excel (.xlsx, .xls), PowerPoint (.pptx, .ppt) hoặc OpenDocument (.odt, .ods, .odp)";

/// A refused upload. `Display` is the Vietnamese sentence to show the editor; the strings
/// inside variants are technical details for the log, not for the editor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Tệp rỗng (0 byte). Hãy chọn lại tệp cần đính kèm.")]
    Empty,
    /// What was recognised: "PE", "ELF", "Mach-O", "script", "Java class".
    #[error(
        "Tệp này là chương trình chạy được ({0}), không được phép tải lên dù đổi tên thế nào. Chỉ nhận {ACCEPTED}."
    )]
    Executable(String),
    /// "HTML", "SVG" or "XML".
    #[error(
        "Tệp HTML/SVG/XML không được phép tải lên vì có thể chứa mã chạy trong trình duyệt ({0}). Hãy xuất nội dung sang PDF rồi tải lên lại."
    )]
    Markup(String),
    /// Where the macros were found.
    #[error(
        "Tệp {} có chứa macro (mã lệnh tự động), không được phép tải lên. Hãy lưu lại thành tệp không có macro (.docx, .xlsx, .pptx hoặc PDF) rồi tải lên lại.",
        .kind.label()
    )]
    MacroEnabled { kind: Kind, detail: String },
    /// What tripped the limit.
    #[error(
        "Tệp nén bên trong quá lớn hoặc bất thường khi giải nén, có thể là tệp độc hại nên không được nhận. Hãy lưu lại tệp bằng Word/Excel/LibreOffice rồi tải lên lại."
    )]
    ZipBomb(String),
    /// `kind` is the file's kind; an office file over every limit is refused unopened, and
    /// `Docx` (zip) or `Doc` (compound file) then stands for its family.
    #[error(
        "Tệp {} quá lớn: {}; tối đa {}. Hãy giảm dung lượng tệp rồi tải lên lại.",
        .kind.noun(),
        file_size(*.bytes),
        file_size(*.max)
    )]
    TooLarge { kind: Kind, bytes: u64, max: u64 },
    /// What the parser said; for the log.
    #[error(
        "Tệp bị hỏng hoặc không đầy đủ nên không đọc được. Hãy mở tệp bằng phần mềm đã tạo ra nó, lưu lại rồi tải lên lại."
    )]
    Corrupt(String),
    /// A password-protected office file (its content is encrypted, so it cannot be checked).
    #[error(
        "Tệp có đặt mật khẩu nên không kiểm tra được nội dung. Hãy gỡ mật khẩu (lưu lại không có mật khẩu) rồi tải lên lại."
    )]
    Protected(String),
    /// An image: those belong in the media library.
    #[error("Tệp này là ảnh ({0}). Ảnh hãy tải lên thư viện ảnh; ở đây chỉ nhận {ACCEPTED}.")]
    Image(String),
    /// What the file looked like, when known ("RAR", "7z", "ZIP", "không rõ").
    #[error("Định dạng tệp này ({0}) không được nhận. Chỉ nhận {ACCEPTED}.")]
    Unsupported(String),
}

impl Refusal {
    /// A stable name for the kind of refusal (catalogue ids, logs).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::Executable(_) => "executable",
            Refusal::Markup(_) => "markup",
            Refusal::MacroEnabled { .. } => "macro",
            Refusal::ZipBomb(_) => "zip-bomb",
            Refusal::TooLarge { .. } => "too-large",
            Refusal::Corrupt(_) => "corrupt",
            Refusal::Protected(_) => "protected",
            Refusal::Image(_) => "image",
            Refusal::Unsupported(_) => "unsupported",
        }
    }

    /// A file over its limit: its size and the limit, in bytes.
    pub fn sizes(&self) -> Option<(u64, u64)> {
        match self {
            Refusal::TooLarge { bytes, max, .. } => Some((*bytes, *max)),
            _ => None,
        }
    }
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

/// "61,2 MB", "50 MB", "512 KB", "900 byte": one decimal at most, Vietnamese decimal comma.
pub fn file_size(bytes: u64) -> String {
    sized(bytes, ',', '.', "byte")
}

/// The same in English: "61.2 MB", "1,024 KB", "900 bytes".
pub fn file_size_en(bytes: u64) -> String {
    sized(bytes, '.', ',', "bytes")
}

fn sized(bytes: u64, decimal: char, group: char, byte: &str) -> String {
    if bytes >= MIB {
        format!("{} MB", tenths(bytes, MIB, decimal, group))
    } else if bytes >= KIB {
        format!("{} KB", tenths(bytes, KIB, decimal, group))
    } else {
        format!("{} {byte}", grouped(bytes, group))
    }
}

/// `value / unit` rounded to one decimal, without a trailing zero decimal.
fn tenths(value: u64, unit: u64, decimal: char, group: char) -> String {
    let tenths = (u128::from(value) * 10 + u128::from(unit) / 2) / u128::from(unit);
    let whole = u64::try_from(tenths / 10).unwrap_or(u64::MAX);
    match tenths % 10 {
        0 => grouped(whole, group),
        d => format!("{}{decimal}{d}", grouped(whole, group)),
    }
}

/// Thousands separated: 1.024 as Vietnamese writes them, 1,024 in English.
fn grouped(n: u64, group: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_names_the_kind_and_both_sizes() {
        let r = Refusal::TooLarge {
            kind: Kind::Pdf,
            bytes: 64_172_851,
            max: 50 * MIB,
        };
        assert!(
            r.to_string()
                .starts_with("Tệp PDF quá lớn: 61,2 MB; tối đa 50 MB."),
            "{r}"
        );
    }

    #[test]
    fn sizes_use_vietnamese_separators() {
        assert_eq!(file_size(900), "900 byte");
        assert_eq!(file_size(1536), "1,5 KB");
        assert_eq!(file_size(20 * MIB), "20 MB");
        assert_eq!(file_size(2000 * MIB), "2.000 MB");
    }

    #[test]
    fn english_sizes_use_english_separators() {
        assert_eq!(file_size_en(900), "900 bytes");
        assert_eq!(file_size_en(1536), "1.5 KB");
        assert_eq!(file_size_en(2000 * MIB), "2,000 MB");
        assert_eq!(file_size_en(64_172_851), "61.2 MB");
    }

    #[test]
    fn details_stay_out_of_the_message() {
        let r = Refusal::Corrupt("xref offset 1234 out of range".to_owned());
        assert!(!r.to_string().contains("xref"));
        let r = Refusal::ZipBomb("entry word/document.xml ratio 1000".to_owned());
        assert!(!r.to_string().contains("ratio"));
    }
}
