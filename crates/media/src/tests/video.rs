//! Videos: real MP4 and WebM files are taken and described; a renamed picture, sound alone,
//! a codec browsers do not play, Matroska that is not WebM, or a cut file are refused.

use crate::{VideoFormat, VideoRejection, check_video};

const MP4: &[u8] = include_bytes!("data/clip.mp4");
const WEBM: &[u8] = include_bytes!("data/clip.webm");
const MAX: u64 = 1024 * 1024;

#[test]
fn an_mp4_and_a_webm_are_described() {
    let v = check_video(MP4, MAX).expect("mp4");
    assert_eq!(v.format, VideoFormat::Mp4);
    assert_eq!((v.width, v.height, v.codec), (160, 90, "H.264"));
    assert!((1900..=2100).contains(&v.duration_ms), "{v:?}");
    assert_eq!(v.hash.len(), 32);
    let w = check_video(WEBM, MAX).expect("webm");
    assert_eq!(w.format, VideoFormat::Webm);
    assert_eq!((w.width, w.height, w.codec), (160, 90, "VP9"));
    assert!((1900..=2100).contains(&w.duration_ms), "{w:?}");
    assert_ne!(v.hash, w.hash);
    assert_eq!(VideoFormat::from_ext("webm"), Some(VideoFormat::Webm));
    assert_eq!(w.format.mime(), "video/webm");
}

#[test]
fn what_is_not_a_playable_video_is_refused() {
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1];
    assert_eq!(check_video(&jpeg, MAX), Err(VideoRejection::NotAVideo));
    assert_eq!(check_video(b"", MAX), Err(VideoRejection::NotAVideo));
    assert_eq!(
        check_video(include_bytes!("data/sound.m4a"), MAX),
        Err(VideoRejection::NoVideoTrack)
    );
    assert!(matches!(
        check_video(include_bytes!("data/mpeg4.mp4"), MAX),
        Err(VideoRejection::Unsupported(_))
    ));
    assert_eq!(
        check_video(include_bytes!("data/clip.mkv"), MAX),
        Err(VideoRejection::NotAVideo)
    );
    assert_eq!(
        check_video(MP4, 1000),
        Err(VideoRejection::TooLarge {
            bytes: MP4.len() as u64,
            max: 1000
        })
    );
    let msg = VideoRejection::NotAVideo.to_string();
    assert!(msg.contains("MP4 hoặc WebM"), "{msg}");
}

#[test]
fn a_cut_or_scrambled_file_is_refused() {
    for cut in [MP4.len() / 2, MP4.len() - 100, 64] {
        let r = check_video(&MP4[..cut], MAX);
        assert!(r.is_err(), "mp4 cut at {cut}: {r:?}");
    }
    for cut in [WEBM.len() / 2, 200] {
        let r = check_video(&WEBM[..cut], MAX);
        assert!(r.is_err(), "webm cut at {cut}: {r:?}");
    }
    // A header that promises a video and bytes that are noise after it.
    let mut noise = MP4[..40].to_vec();
    noise.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    assert!(check_video(&noise, MAX).is_err());
}
