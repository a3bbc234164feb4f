//! Whether a JPEG file reaches its end marker, i.e. was not cut short.

// The JPEG decoder pads a cut-off scan with grey instead of failing, so without this check a
// half-uploaded photo would be stored as if it were whole.

const EOI: u8 = 0xd9;
const SOI: u8 = 0xd8;
const TEM: u8 = 0x01;
const RST0: u8 = 0xd0;
const RST7: u8 = 0xd7;

/// Walks the markers from SOI to EOI, stepping over each segment by its length (so an EXIF
/// thumbnail's own EOI is never mistaken for ours) and over entropy-coded data, where a
/// 0xFF is always followed by 0x00 or a restart marker. Bytes after EOI are allowed: phones
/// append things there (Motion Photo videos, maker trailers).
pub(crate) fn reaches_end(bytes: &[u8]) -> bool {
    let mut i = 2;
    loop {
        let Some(ff) = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| b == 0xff))
        else {
            return false;
        };
        let mut at = i + ff + 1;
        // Any number of 0xFF may pad before a marker.
        while bytes.get(at) == Some(&0xff) {
            at += 1;
        }
        let Some(&marker) = bytes.get(at) else {
            return false;
        };
        i = match marker {
            EOI => return true,
            // Stuffed zero or restart inside a scan, or a marker without a length.
            0x00 | TEM | SOI | RST0..=RST7 => at + 1,
            _ => {
                let Some(length) = bytes.get(at + 1..at + 3) else {
                    return false;
                };
                at + 1 + usize::from(u16::from_be_bytes([length[0], length[1]]))
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::reaches_end;

    #[test]
    fn finds_the_end_past_segments_and_scan_data() {
        // SOI, an APP1 whose payload holds a fake EOI, SOS, scan data with a stuffed 0xFF and
        // a restart marker, EOI, then trailing bytes.
        let jpeg = [
            0xff, 0xd8, 0xff, 0xe1, 0x00, 0x04, 0xff, 0xd9, 0xff, 0xda, 0x00, 0x02, 0x12, 0xff,
            0x00, 0x34, 0xff, 0xd3, 0x56, 0xff, 0xff, 0xd9, 0x00, 0x00,
        ];
        assert!(reaches_end(&jpeg));
        // Cut anywhere before the real EOI, it does not.
        for cut in 0..22 {
            assert!(!reaches_end(&jpeg[..cut]), "cut at {cut}");
        }
    }

    #[test]
    fn a_segment_length_running_past_the_end_is_not_an_end() {
        assert!(!reaches_end(&[
            0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 0xff, 0xd9
        ]));
    }
}
