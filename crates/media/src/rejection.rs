//! Why an upload was refused, worded for the editor who sent it.

/// A refused upload. `Display` is the Vietnamese sentence to show the editor; the strings
/// inside `Corrupt` are technical details for the log, not for the editor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error(
        "Tệp quá lớn: {}, tối đa {}. Hãy giảm kích thước ảnh rồi tải lên lại.",
        file_size(*.bytes),
        file_size(*.max)
    )]
    TooLarge { bytes: u64, max: u64 },
    #[error(
        "Ảnh quá lớn: {} × {} = {} điểm ảnh, tối đa {} điểm ảnh. Hãy thu nhỏ ảnh rồi tải lên lại.",
        grouped(u64::from(*.width)),
        grouped(u64::from(*.height)),
        pixel_count(u64::from(*.width) * u64::from(*.height)),
        pixel_count(*.max)
    )]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("Tệp này không phải là ảnh. Hãy chọn một ảnh JPEG, PNG, WebP hoặc GIF.")]
    NotAnImage,
    /// The format's name (or the unsupported variant of a format).
    #[error(
        "Định dạng ảnh {0} chưa được hỗ trợ. Hãy lưu ảnh sang JPEG, PNG, WebP hoặc GIF rồi tải lên lại."
    )]
    Unsupported(String),
    /// What the decoder said; for the log.
    #[error(
        "Tệp ảnh bị hỏng hoặc không đầy đủ nên không đọc được. Hãy xuất lại ảnh rồi tải lên lại."
    )]
    Corrupt(String),
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

/// "25,3 MB", "20 MB", "512 KB", "900 byte": one decimal at most, Vietnamese decimal comma.
pub(crate) fn file_size(bytes: u64) -> String {
    if bytes >= MIB {
        format!("{} MB", tenths(bytes, MIB))
    } else if bytes >= KIB {
        format!("{} KB", tenths(bytes, KIB))
    } else {
        format!("{bytes} byte")
    }
}

/// "50 triệu", "1.600 triệu", "60.000".
fn pixel_count(pixels: u64) -> String {
    const MILLION: u64 = 1_000_000;
    if pixels >= MILLION {
        format!("{} triệu", tenths(pixels, MILLION))
    } else {
        grouped(pixels)
    }
}

/// `value / unit` rounded to one decimal, without a trailing ",0".
fn tenths(value: u64, unit: u64) -> String {
    let tenths = (u128::from(value) * 10 + u128::from(unit) / 2) / u128::from(unit);
    let whole = u64::try_from(tenths / 10).unwrap_or(u64::MAX);
    match tenths % 10 {
        0 => grouped(whole),
        decimal => format!("{},{decimal}", grouped(whole)),
    }
}

/// Thousands separated by dots, as Vietnamese writes them: 40.000.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_reads_like_the_editor_expects() {
        let r = Rejection::TooLarge {
            bytes: 26_529_792,
            max: 20 * MIB,
        };
        assert!(
            r.to_string()
                .starts_with("Tệp quá lớn: 25,3 MB, tối đa 20 MB."),
            "{r}"
        );
    }

    #[test]
    fn too_many_pixels_names_both_sides() {
        let r = Rejection::TooManyPixels {
            width: 40_000,
            height: 40_000,
            max: 50_000_000,
        };
        assert!(
            r.to_string().starts_with(
                "Ảnh quá lớn: 40.000 × 40.000 = 1.600 triệu điểm ảnh, tối đa 50 triệu điểm ảnh."
            ),
            "{r}"
        );
    }

    #[test]
    fn numbers_use_vietnamese_separators() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1.000");
        assert_eq!(grouped(12_345_678), "12.345.678");
        assert_eq!(file_size(900), "900 byte");
        assert_eq!(file_size(1536), "1,5 KB");
        assert_eq!(file_size(20 * MIB), "20 MB");
        assert_eq!(pixel_count(60_000), "60.000");
        assert_eq!(pixel_count(12_500_000), "12,5 triệu");
    }

    #[test]
    fn corrupt_keeps_the_decoder_detail_out_of_the_message() {
        let r = Rejection::Corrupt("unexpected EOF in scan".to_owned());
        assert!(!r.to_string().contains("EOF"));
    }
}
