//! The public URL of everything, in one place; the web layer's routes match these.

/// `/chuyen-muc/{slug}` — a section's listing.
pub fn section(slug: &str) -> String {
    format!("/chuyen-muc/{slug}")
}

/// `/bai-viet/{slug}` — an article.
pub fn article(slug: &str) -> String {
    format!("/bai-viet/{slug}")
}

/// `/trang/{slug}` — a static page.
pub fn page(slug: &str) -> String {
    format!("/trang/{slug}")
}

/// `/media/{file}` — a stored image.
pub fn media(file: &str) -> String {
    format!("/media/{file}")
}

/// The documents library (`?loai=…&co-quan=…&linh-vuc=…&nam=…&hieu-luc=…&q=…&page=N`).
pub const DOCUMENTS: &str = "/van-ban";
/// Lấy ý kiến dự thảo: the drafts out for comment, open and closed.
pub const CONSULTATIONS: &str = "/lay-y-kien";
/// The photo library: the galleries published.
pub const PHOTOS: &str = "/thu-vien-anh";
/// The video library.
pub const VIDEOS: &str = "/video";

/// Hỏi đáp: the published questions and their answers.
pub const QUESTIONS: &str = "/hoi-dap";

/// Danh bạ: the contact directory (`?q=…&don-vi=SLUG`).
pub const DIRECTORY: &str = "/danh-ba";

/// Where an asker follows a question by its code (`?ma=HD-…`).
pub const QUESTION_TRACK: &str = "/hoi-dap/tra-cuu";

/// `/hoi-dap/{id}` — a published question with its answer.
pub fn question(id: &str) -> String {
    format!("{QUESTIONS}/{id}")
}

/// `/van-ban/{slug}` — a legal document.
pub fn document(slug: &str) -> String {
    format!("/van-ban/{slug}")
}

/// `/tep/{id}/{name}` — an attached file, downloaded under its name (the name in the path
/// is for people and for saving; the id finds it).
pub fn file(id: i64, name: &str) -> String {
    let name: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    format!("/tep/{id}/{}", name.replace('+', "%20"))
}

/// The search page (`?q=…&chuyen-muc=…&tu-ngay=…&den-ngay=…&page=N`).
pub const SEARCH: &str = "/tim-kiem";

/// The login page.
pub const LOGIN: &str = "/dang-nhap";

/// Query parameter of a section's page number.
pub const PAGE_PARAM: &str = "page";

/// Query parameter of the page number of "Tin khác" under an article.
pub const OTHERS_PARAM: &str = "tin-khac";

/// `base` at page `n` of the list numbered by `param` (page 1 is `base` itself), with an
/// optional fragment to land on the list.
pub fn paged(base: &str, param: &str, n: u32, fragment: &str) -> String {
    let mut url = if n <= 1 {
        base.to_owned()
    } else {
        let join = if base.contains('?') { '&' } else { '?' };
        format!("{base}{join}{param}={n}")
    };
    if !fragment.is_empty() {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

/// The `srcset` lists of a stored image's resized copies: (WebP, fallback), empty when it
/// has none. Files are "{hash}-{width}.webp" and "{hash}-{width}.{ext}" beside the original.
pub fn srcsets(file: &str, widths: &[u32]) -> (String, String) {
    let Some((hash, ext)) = file.rsplit_once('.') else {
        return (String::new(), String::new());
    };
    let list = |e: &str| {
        widths
            .iter()
            .map(|w| format!("{} {w}w", media(&format!("{hash}-{w}.{e}"))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    (list("webp"), list(ext))
}
