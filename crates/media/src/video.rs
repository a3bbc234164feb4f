//! Video intake: an upload is taken only if its container really is MP4 or WebM, holds a
//! video track in a codec browsers play, and reads to its end; what is learnt on the way
//! (size, length, codec) describes it. The bytes are stored as they came: re-encoding video
//! is out of reach of a pure-Rust server, so nothing is stripped (see the README).

use std::io::Cursor;

/// A container cong accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VideoFormat {
    Mp4,
    Webm,
}

impl VideoFormat {
    /// File extension, without the dot.
    pub fn ext(&self) -> &'static str {
        match self {
            VideoFormat::Mp4 => "mp4",
            VideoFormat::Webm => "webm",
        }
    }

    /// Media type for `Content-Type`.
    pub fn mime(&self) -> &'static str {
        match self {
            VideoFormat::Mp4 => "video/mp4",
            VideoFormat::Webm => "video/webm",
        }
    }

    /// The format a stored file's extension names.
    pub fn from_ext(ext: &str) -> Option<VideoFormat> {
        match ext {
            "mp4" => Some(VideoFormat::Mp4),
            "webm" => Some(VideoFormat::Webm),
            _ => None,
        }
    }
}

/// An accepted video.
#[derive(Clone, PartialEq, Eq)]
pub struct Video {
    /// First 32 hex digits of the BLAKE3 hash of the bytes: the name it is stored under.
    pub hash: String,
    pub format: VideoFormat,
    pub width: u32,
    pub height: u32,
    /// Length in milliseconds, 0 when the container does not say.
    pub duration_ms: u64,
    /// The video track's codec, as a name for the back office ("H.264", "VP9", "AV1").
    pub codec: &'static str,
}

impl std::fmt::Debug for Video {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Video")
            .field("hash", &self.hash)
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("duration_ms", &self.duration_ms)
            .field("codec", &self.codec)
            .finish()
    }
}

/// A refused video. `Display` is the Vietnamese sentence for the editor; `Corrupt` carries
/// the parser's words for the log only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VideoRejection {
    #[error(
        "Tệp quá lớn: {}, tối đa {}. Hãy nén video nhỏ hơn (ví dụ 720p) rồi tải lên lại.",
        crate::rejection::file_size(*.bytes),
        crate::rejection::file_size(*.max)
    )]
    TooLarge { bytes: u64, max: u64 },
    #[error("Tệp này không phải là video MP4 hoặc WebM. Hãy chọn một video MP4 hoặc WebM.")]
    NotAVideo,
    #[error("Tệp không có hình ảnh (chỉ có âm thanh hoặc trống). Hãy chọn một video.")]
    NoVideoTrack,
    /// The codec's name.
    #[error(
        "Video dùng mã hoá {0}, trình duyệt không phát được. Hãy xuất lại video dạng MP4 (H.264) hoặc WebM (VP9)."
    )]
    Unsupported(String),
    #[error(
        "Tệp video bị hỏng hoặc không đầy đủ nên không đọc được. Hãy xuất lại rồi tải lên lại."
    )]
    Corrupt(String),
}

/// Checks an uploaded video: its size, its container from the bytes alone (never the name),
/// then the container's structure to its end.
pub fn check_video(bytes: &[u8], max_bytes: u64) -> Result<Video, VideoRejection> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > max_bytes {
        return Err(VideoRejection::TooLarge {
            bytes: size,
            max: max_bytes,
        });
    }
    let (format, (width, height, duration_ms, codec)) = match sniff(bytes) {
        Some(VideoFormat::Mp4) => (VideoFormat::Mp4, mp4(bytes)?),
        Some(VideoFormat::Webm) => (VideoFormat::Webm, webm(bytes)?),
        None => return Err(VideoRejection::NotAVideo),
    };
    let mut hash = blake3::hash(bytes).to_hex().to_string();
    hash.truncate(32);
    Ok(Video {
        hash,
        format,
        width,
        height,
        duration_ms,
        codec,
    })
}

/// The container from its first bytes: an ISO file-type box, or the EBML magic.
fn sniff(bytes: &[u8]) -> Option<VideoFormat> {
    if bytes.get(4..8) == Some(b"ftyp") {
        Some(VideoFormat::Mp4)
    } else if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some(VideoFormat::Webm)
    } else {
        None
    }
}

type Described = (u32, u32, u64, &'static str);

fn mp4(bytes: &[u8]) -> Result<Described, VideoRejection> {
    use mp4parse::{CodecType, SampleEntry, TrackType};
    // Reads every top-level box to the end of the file: a truncated `mdat` fails here.
    let ctx = mp4parse::read_mp4(&mut Cursor::new(bytes))
        .map_err(|e| VideoRejection::Corrupt(format!("{e:?}")))?;
    for track in ctx.tracks.iter() {
        let Some(stsd) = &track.stsd else { continue };
        for entry in stsd.descriptions.iter() {
            if let (SampleEntry::Video(v), TrackType::Video) = (entry, &track.track_type) {
                let codec = match v.codec_type {
                    CodecType::H264 => "H.264",
                    CodecType::AV1 => "AV1",
                    CodecType::VP9 => "VP9",
                    CodecType::VP8 => "VP8",
                    other => return Err(VideoRejection::Unsupported(format!("{other:?}"))),
                };
                let samples = track.stsz.as_ref().map_or(0, |s| {
                    if s.sample_size > 0 {
                        1
                    } else {
                        s.sample_sizes.len()
                    }
                });
                if samples == 0 && ctx.mvex.is_none() {
                    return Err(VideoRejection::NoVideoTrack);
                }
                let duration_ms = match (&track.duration, &track.timescale) {
                    (Some(d), Some(t)) if t.0 > 0 => {
                        u64::try_from(u128::from(d.0) * 1000 / u128::from(t.0)).unwrap_or(u64::MAX)
                    }
                    _ => 0,
                };
                return Ok((u32::from(v.width), u32::from(v.height), duration_ms, codec));
            }
        }
    }
    // A file with only sound (an .m4a renamed) or tracks of no kind a browser shows.
    Err(VideoRejection::NoVideoTrack)
}

fn webm(bytes: &[u8]) -> Result<Described, VideoRejection> {
    use matroska_demuxer::{Frame, MatroskaFile, TrackType};
    let corrupt = |e: matroska_demuxer::DemuxError| VideoRejection::Corrupt(e.to_string());
    let mut file = MatroskaFile::open(Cursor::new(bytes)).map_err(corrupt)?;
    if file.ebml_header().doc_type() != "webm" {
        // Matroska (.mkv) may carry any codec; browsers play only its WebM subset.
        return Err(VideoRejection::NotAVideo);
    }
    let video = file
        .tracks()
        .iter()
        .find(|t| t.track_type() == TrackType::Video)
        .ok_or(VideoRejection::NoVideoTrack)?;
    let codec = match video.codec_id() {
        "V_VP8" => "VP8",
        "V_VP9" => "VP9",
        "V_AV1" => "AV1",
        other => return Err(VideoRejection::Unsupported(other.to_owned())),
    };
    let number = video.track_number().get();
    let (width, height) = video.video().map_or((0, 0), |v| {
        (
            u32::try_from(v.pixel_width().get()).unwrap_or(0),
            u32::try_from(v.pixel_height().get()).unwrap_or(0),
        )
    });
    let duration_ms = file.info().duration().map_or(0, |d| {
        // Duration is in timestamp units of `timestamp_scale` nanoseconds.
        let ns = d * file.info().timestamp_scale().get() as f64;
        (ns / 1_000_000.0) as u64
    });
    // Every frame is read to the end: a cut or scrambled file fails here, and a file with a
    // video track but not one frame of it is no video.
    let mut frame = Frame::default();
    let mut frames = 0u64;
    while file.next_frame(&mut frame).map_err(corrupt)? {
        if frame.track == number {
            frames += 1;
        }
    }
    if frames == 0 {
        return Err(VideoRejection::NoVideoTrack);
    }
    Ok((width, height, duration_ms, codec))
}
