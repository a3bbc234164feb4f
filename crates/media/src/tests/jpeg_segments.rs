//! Hand-built JPEG metadata segments: EXIF (orientation, GPS), XMP and a comment.

/// GPSLatitude 21° 1' 42.42" as three big-endian RATIONALs: the bytes that must not survive.
pub const LATITUDE: [u8; 24] = rationals([(21, 1), (1, 1), (4242, 100)]);
/// GPSLongitude 105° 51' 15.15".
pub const LONGITUDE: [u8; 24] = rationals([(105, 1), (51, 1), (1515, 100)]);
pub const DATUM: &[u8] = b"WGS-84\0";
pub const DESCRIPTION: &[u8] = b"cong-secret-description\0";
pub const XMP_SECRET: &[u8] = b"cong-secret-xmp";
pub const COMMENT: &[u8] = b"cong-secret-comment";

const fn rationals(values: [(u32, u32); 3]) -> [u8; 24] {
    let mut out = [0; 24];
    let mut i = 0;
    while i < 3 {
        let (num, den) = values[i];
        let (n, d) = (num.to_be_bytes(), den.to_be_bytes());
        let mut k = 0;
        while k < 4 {
            out[i * 8 + k] = n[k];
            out[i * 8 + 4 + k] = d[k];
            k += 1;
        }
        i += 1;
    }
    out
}

/// What goes into the EXIF segment.
pub struct Exif {
    pub orientation: u16,
    pub gps: bool,
}

/// An APP1 segment: `Exif\0\0` and a big-endian TIFF structure with IFD0 (ImageDescription,
/// Orientation, GPS pointer) and, if asked, a GPS IFD (version, latitude, longitude, datum).
pub fn exif_segment(exif: &Exif) -> Vec<u8> {
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    const BYTE: u16 = 1;

    let ifd0_entries: u16 = if exif.gps { 3 } else { 2 };
    let ifd0_at = 8u32;
    let description_at = ifd0_at + ifd_len(ifd0_entries);
    let gps_ifd_at = even(description_at + len(DESCRIPTION));
    let gps_entries = 6;
    let latitude_at = gps_ifd_at + ifd_len(gps_entries);
    let longitude_at = latitude_at + 24;
    let datum_at = longitude_at + 24;

    let mut tiff = Tiff::default();
    tiff.bytes(b"MM\0\x2a");
    tiff.u32(ifd0_at);
    tiff.u16(ifd0_entries);
    tiff.entry(0x010e, ASCII, len(DESCRIPTION), description_at);
    tiff.entry(0x0112, SHORT, 1, u32::from(exif.orientation) << 16);
    if exif.gps {
        tiff.entry(0x8825, LONG, 1, gps_ifd_at);
    }
    tiff.u32(0);
    tiff.bytes(DESCRIPTION);
    if exif.gps {
        tiff.pad_to(gps_ifd_at);
        tiff.u16(gps_entries);
        tiff.entry(0x0000, BYTE, 4, 0x0202_0000);
        tiff.entry(0x0001, ASCII, 2, u32::from_be_bytes(*b"N\0\0\0"));
        tiff.entry(0x0002, RATIONAL, 3, latitude_at);
        tiff.entry(0x0003, ASCII, 2, u32::from_be_bytes(*b"E\0\0\0"));
        tiff.entry(0x0004, RATIONAL, 3, longitude_at);
        tiff.entry(0x0012, ASCII, len(DATUM), datum_at);
        tiff.u32(0);
        tiff.bytes(&LATITUDE);
        tiff.bytes(&LONGITUDE);
        tiff.bytes(DATUM);
    }

    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff.0);
    segment(0xe1, &payload)
}

/// An APP1 XMP packet carrying a location and a marker string.
pub fn xmp_segment() -> Vec<u8> {
    let mut payload = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    payload.extend_from_slice(
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF \
          xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description \
          xmlns:exif='http://ns.adobe.com/exif/1.0/' exif:GPSLatitude='21,1.707N' \
          exif:UserComment='",
    );
    payload.extend_from_slice(XMP_SECRET);
    payload.extend_from_slice(b"'/></rdf:RDF></x:xmpmeta>");
    segment(0xe1, &payload)
}

/// A COM segment.
pub fn comment_segment() -> Vec<u8> {
    segment(0xfe, COMMENT)
}

/// `jpeg` with `segments` inserted right after its SOI marker, where cameras put EXIF.
pub fn with_segments(jpeg: &[u8], segments: &[Vec<u8>]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], [0xff, 0xd8], "a JPEG starts with SOI");
    let mut out = jpeg[..2].to_vec();
    for s in segments {
        out.extend_from_slice(s);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let length = u16::try_from(payload.len() + 2).expect("segment under 64 KiB");
    let mut out = vec![0xff, marker];
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

fn ifd_len(entries: u16) -> u32 {
    2 + 12 * u32::from(entries) + 4
}

fn len(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.len()).expect("small")
}

fn even(offset: u32) -> u32 {
    offset + offset % 2
}

#[derive(Default)]
struct Tiff(Vec<u8>);

impl Tiff {
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    fn u16(&mut self, v: u16) {
        self.bytes(&v.to_be_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.bytes(&v.to_be_bytes());
    }
    /// A 12-byte IFD entry; `value` is the offset, or the value itself left-aligned.
    fn entry(&mut self, tag: u16, kind: u16, count: u32, value: u32) {
        self.u16(tag);
        self.u16(kind);
        self.u32(count);
        self.u32(value);
    }
    fn pad_to(&mut self, offset: u32) {
        let offset = usize::try_from(offset).expect("small");
        assert!(self.0.len() <= offset, "layout overlaps");
        self.0.resize(offset, 0);
    }
}
