//! The article of the seed page, word for word: title, text, date 17/05/2023, byline
//! "Kiều Diễm", and its gallery "Một số hình ảnh tại Hội nghị".

use crate::images::DemoMedia;
use crate::site::{KHCN, Sections};
use cong_domain::content::{Content, NewArticle, NewImage};
use cong_store::SiteId;

/// First line: the title; then one paragraph a line.
const TEXT: &str = include_str!("../data/reference-article.txt");

const GALLERY: [(&str, &str); 4] = [
    (
        "Quang cảnh Hội nghị tập huấn tại Hội trường A",
        "Toàn cảnh hội trường: phông nền đỏ trên sân khấu, đại biểu ngồi kín các hàng ghế",
    ),
    (
        "Lãnh đạo Sở Khoa học và Công nghệ phát biểu khai mạc Hội nghị",
        "Bàn chủ tọa phủ khăn xanh trên sân khấu, phía sau là phông nền đỏ của Hội nghị",
    ),
    (
        "Đại biểu các cơ quan khối Đảng tham dự Hội nghị",
        "Các đại biểu ngồi theo hàng ghế trong hội trường, hướng về sân khấu",
    ),
    (
        "Báo cáo viên hướng dẫn quy trình đề xuất nhiệm vụ khoa học và công nghệ",
        "Sân khấu với bàn chủ tọa và phông nền đỏ, nhìn từ cuối hội trường",
    ),
];

pub async fn seed(
    content: &Content,
    sections: &Sections,
    media: &DemoMedia,
) -> anyhow::Result<usize> {
    let mut lines = TEXT.lines().filter(|l| !l.trim().is_empty());
    let title = lines.next().unwrap_or_default();
    let slug = cong_domain::text::slugify(title);
    if content
        .store()
        .articles()
        .find_published_by_slug(SiteId::FIRST, &slug, i64::MAX)
        .await?
        .is_some()
    {
        return Ok(0);
    }
    let paragraphs: Vec<&str> = lines.collect();
    let (summary, rest) = paragraphs
        .split_first()
        .map_or(("", &[][..]), |(f, r)| (*f, r));
    let body: String = rest
        .iter()
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect();
    let images: Vec<NewImage<'_>> = GALLERY
        .iter()
        .zip(&media.gallery)
        .map(|((caption, alt), id)| NewImage {
            media_id: *id,
            caption,
            alt,
        })
        .collect();
    let section_id = sections
        .get(KHCN)
        .copied()
        .ok_or_else(|| anyhow::anyhow!("no section {KHCN}"))?;
    content
        .create_article(
            SiteId::FIRST,
            &NewArticle {
                section_id,
                title,
                slug: "",
                summary,
                body_html: &body,
                author: "Kiều Diễm",
                featured: true,
                cover_media_id: media.gallery.first().copied(),
                gallery_title: "Một số hình ảnh tại Hội nghị",
                // 17/05/2023 15:20 in Hà Nội.
                published_at: "2023-05-17T08:20:00Z".parse()?,
            },
            &images,
        )
        .await?;
    Ok(1)
}

/// The text holds `&` ("KH&CN") and quotes; as HTML they must be escaped.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
