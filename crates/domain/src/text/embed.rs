//! The videos a body may play: YouTube through its no-cookie player (the one kind of frame
//! kept), and the library's own MP4/WebM files.

use std::sync::LazyLock;

/// Where every kept video plays from: YouTube's player that sets no cookie until played.
pub const YOUTUBE_EMBED: &str = "https://www.youtube-nocookie.com/embed/";

/// The origin the content security policy must let frames come from on a page with a video.
pub const YOUTUBE_ORIGIN: &str = "https://www.youtube-nocookie.com";

static YOUTUBE: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(
        r"^https?://(?:(?:www\.|m\.)?youtube(?:-nocookie)?\.com/(?:embed/|shorts/|live/|watch\?(?:[^#]*&)?v=)|youtu\.be/)([A-Za-z0-9_-]{11})(?:[?&#/]|$)",
    )
    .expect("youtube pattern")
});

/// The no-cookie player address of a YouTube link in any of its usual forms (watch, short
/// link, embed, shorts, live); `None` for anything else.
pub fn youtube_embed(url: &str) -> Option<String> {
    let url = url.trim().replace("&amp;", "&");
    YOUTUBE
        .captures(&url)
        .map(|c| format!("{YOUTUBE_EMBED}{}", &c[1]))
}

/// Whether an address is a video of the library: `/media/{hash}.mp4` or `.webm`.
pub fn is_uploaded_video(src: &str) -> bool {
    src.strip_prefix("/media/")
        .and_then(|n| n.rsplit_once('.'))
        .is_some_and(|(hash, ext)| {
            hash.len() == 32
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                && matches!(ext, "mp4" | "webm")
        })
}

/// Whether an address is an image of the library (a poster frame): `/media/{name}.jpg` and
/// the like.
pub fn is_library_image(src: &str) -> bool {
    src.strip_prefix("/media/")
        .and_then(|n| n.rsplit_once('.'))
        .is_some_and(|(name, ext)| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && matches!(ext, "jpg" | "png" | "webp" | "gif")
        })
}

/// Whether a stored body plays a video (its page needs the player's origin in `frame-src`).
pub fn has_video(body_html: &str) -> bool {
    body_html.contains(YOUTUBE_EMBED)
}

#[cfg(test)]
mod tests {
    use super::youtube_embed;

    #[test]
    fn youtube_links_become_the_nocookie_player() {
        let want = Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ".to_owned());
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=10",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "https://www.youtube.com/embed/dQw4w9WgXcQ?si=x",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        ] {
            assert_eq!(youtube_embed(url), want, "{url}");
        }
        for url in [
            "https://evil.example/embed/dQw4w9WgXcQ",
            "https://www.youtube.com.evil.example/embed/dQw4w9WgXcQ",
            "javascript:alert(1)",
            "https://www.youtube.com/embed/short",
            "https://vimeo.com/123",
        ] {
            assert_eq!(youtube_embed(url), None, "{url}");
        }
    }
}
