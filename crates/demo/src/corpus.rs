//! About ninety believable Vietnamese articles over the sections, made from phrase lists
//! with a fixed pattern, so every run gives the same site.

use crate::images::DemoMedia;
use crate::reference::escape;
use crate::site::{CCHC, GIOI_THIEU, KHCN, Sections, TIN_TUC, VAN_BAN};
use cong_domain::content::{Content, NewArticle};
use cong_store::SiteId;
use jiff::{SignedDuration, Timestamp};

const TOPICS: [&str; 12] = [
    "chuyển đổi số",
    "sở hữu trí tuệ",
    "tiêu chuẩn, đo lường, chất lượng",
    "đổi mới sáng tạo",
    "ứng dụng công nghệ cao trong nông nghiệp",
    "an toàn bức xạ",
    "phát triển thị trường khoa học và công nghệ",
    "khởi nghiệp đổi mới sáng tạo",
    "nâng cao năng suất, chất lượng",
    "truy xuất nguồn gốc sản phẩm",
    "phát triển năng lượng tái tạo",
    "nuôi trồng thủy sản bền vững",
];

const PLACES: [&str; 10] = [
    "huyện Tuy Phong",
    "huyện Bắc Bình",
    "huyện Hàm Thuận Bắc",
    "huyện Hàm Thuận Nam",
    "huyện Hàm Tân",
    "huyện Đức Linh",
    "huyện Tánh Linh",
    "huyện Phú Quý",
    "thị xã La Gi",
    "thành phố Phan Thiết",
];

const FIELDS: [&str; 6] = [
    "trồng thanh long",
    "nuôi tôm thẻ chân trắng",
    "chế biến nước mắm",
    "sản xuất muối sạch",
    "trồng lúa chất lượng cao",
    "chăn nuôi bò thịt",
];

const PRODUCTS: [&str; 5] = [
    "Thanh long Bình Thuận",
    "Nước mắm Phan Thiết",
    "Mực một nắng Phú Quý",
    "Hạt điều Đức Linh",
    "Sầu riêng Tánh Linh",
];

const TECHS: [&str; 4] = [
    "tưới tiết kiệm nước",
    "sấy nông sản bằng năng lượng mặt trời",
    "nhân giống cây trồng bằng nuôi cấy mô",
    "xử lý chất thải chăn nuôi bằng chế phẩm sinh học",
];

const ADMIN_FIELDS: [&str; 5] = [
    "hoạt động khoa học và công nghệ",
    "sở hữu trí tuệ",
    "tiêu chuẩn, đo lường, chất lượng",
    "an toàn bức xạ và hạt nhân",
    "chuyển giao công nghệ",
];

const DOC_SUBJECTS: [&str; 5] = [
    "làm việc của cơ quan",
    "quản lý nhiệm vụ khoa học và công nghệ",
    "tiếp nhận, xử lý phản ánh, kiến nghị của người dân, doanh nghiệp",
    "công tác văn thư, lưu trữ",
    "tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ khoa học và công nghệ",
];

pub(crate) const AUTHORS: [&str; 6] = [
    "Kiều Diễm",
    "Minh Trí",
    "Thanh Hà",
    "Ngọc Ánh",
    "Quốc Bảo",
    "Văn phòng Sở",
];

const OPENINGS: [&str; 3] = [
    "Sáng ngày {date}, tại Hội trường Sở Khoa học và Công nghệ,",
    "Chiều ngày {date}, tại trụ sở Ủy ban nhân dân {place},",
    "Ngày {date}, theo kế hoạch đã ban hành,",
];

const MIDDLES: [&str; 3] = [
    "Theo báo cáo, thời gian qua công tác {topic} trên địa bàn tỉnh đã đạt nhiều kết quả tích cực, góp phần nâng cao năng suất, chất lượng và sức cạnh tranh của sản phẩm, hàng hóa. Tuy nhiên, vẫn còn những khó khăn như nguồn lực đầu tư hạn chế, sự phối hợp giữa các cơ quan có lúc chưa chặt chẽ.",
    "Các đại biểu đã tập trung thảo luận, làm rõ những kết quả đạt được, những tồn tại, hạn chế và nguyên nhân; đồng thời đề xuất nhiều giải pháp thiết thực để đẩy mạnh {topic} trong thời gian tới, nhất là ở các xã vùng sâu, vùng xa.",
    "Trong năm, Sở đã tham mưu Ủy ban nhân dân tỉnh ban hành nhiều văn bản chỉ đạo, điều hành; hướng dẫn các tổ chức, doanh nghiệp tiếp cận chính sách hỗ trợ về {topic}; số hồ sơ được giải quyết đúng và trước hạn đạt trên 98%.",
];

const CLOSINGS: [&str; 3] = [
    "Phát biểu kết luận, lãnh đạo Sở đề nghị các đơn vị tiếp tục quán triệt, triển khai đồng bộ các giải pháp, đẩy mạnh chuyển đổi số và tăng cường thông tin, tuyên truyền để người dân, doanh nghiệp nắm bắt và tham gia.",
    "Dịp này, Sở Khoa học và Công nghệ cũng giới thiệu các chương trình hỗ trợ của tỉnh và giải đáp những kiến nghị của doanh nghiệp, hợp tác xã về thủ tục, hồ sơ.",
    "Sở Khoa học và Công nghệ sẽ phối hợp với các sở, ngành và địa phương theo dõi, đôn đốc việc thực hiện, định kỳ báo cáo Ủy ban nhân dân tỉnh theo quy định.",
];

pub(crate) fn pick<'a>(list: &[&'a str], i: usize) -> &'a str {
    list[i % list.len()]
}

/// The title and topic of article `i` of a section; `v` varies the phrases when an
/// earlier article already took the title.
pub(crate) fn title(section: &str, i: usize, v: usize, year: i16) -> (String, &'static str) {
    let topic = pick(&TOPICS, i * 5 + 1 + v * 7);
    let place = pick(&PLACES, i * 3 + v);
    let t = match section {
        TIN_TUC => match i % 6 {
            0 => format!("Hội thảo khoa học về {topic} năm {year}"),
            1 => format!("Tập huấn về {topic} cho doanh nghiệp tại {place}"),
            2 => format!("Đoàn công tác của Sở làm việc với {place} về {topic}"),
            3 => format!(
                "Tổng kết công tác {topic} năm {year}, triển khai nhiệm vụ năm {}",
                year + 1
            ),
            4 => format!(
                "Phát động phong trào thi đua về {topic} giai đoạn {year} - {}",
                year + 2
            ),
            _ => format!("Ký kết chương trình phối hợp về {topic} với Ủy ban nhân dân {place}"),
        },
        KHCN => match i % 5 {
            0 => format!("Nghiệm thu nhiệm vụ khoa học và công nghệ cấp tỉnh về {topic}"),
            1 => format!(
                "Ứng dụng tiến bộ kỹ thuật trong {} tại {place}",
                pick(&FIELDS, i + v)
            ),
            2 => format!(
                "Chuyển giao công nghệ {} cho hợp tác xã ở {place}",
                pick(&TECHS, i + v)
            ),
            3 => format!(
                "Hỗ trợ đăng ký bảo hộ nhãn hiệu chứng nhận \u{201c}{}\u{201d}",
                pick(&PRODUCTS, i + v)
            ),
            _ => format!(
                "Kết quả thực hiện đề tài về {topic} giai đoạn {year} - {}",
                year + 2
            ),
        },
        CCHC => match i % 4 {
            0 if v == 0 => {
                format!("Kế hoạch cải cách hành chính năm {year} của Sở Khoa học và Công nghệ")
            }
            0 => format!(
                "Kế hoạch kiểm tra công tác cải cách hành chính năm {year} lĩnh vực {}",
                pick(&ADMIN_FIELDS, i + v)
            ),
            1 => format!(
                "Công bố danh mục thủ tục hành chính lĩnh vực {}",
                pick(&ADMIN_FIELDS, i + v)
            ),
            2 if v == 0 => format!("Kết quả chỉ số cải cách hành chính năm {} của Sở", year - 1),
            2 => format!(
                "Kết quả khảo sát sự hài lòng về thủ tục lĩnh vực {} năm {year}",
                pick(&ADMIN_FIELDS, i + v)
            ),
            _ => format!(
                "Triển khai dịch vụ công trực tuyến toàn trình lĩnh vực {}",
                pick(&ADMIN_FIELDS, i + 2 + v)
            ),
        },
        VAN_BAN => {
            let n = 100 + i * 37;
            match i % 4 {
                0 => format!(
                    "Quyết định số {n}/QĐ-SKHCN ban hành quy chế {}",
                    pick(&DOC_SUBJECTS, i + v)
                ),
                1 => format!("Kế hoạch số {n}/KH-SKHCN về {topic} năm {year}"),
                2 => format!(
                    "Thông báo số {n}/TB-SKHCN về việc {}",
                    pick(&DOC_SUBJECTS, i + 4 + v)
                ),
                _ => format!(
                    "Công văn số {n}/SKHCN-VP hướng dẫn {}",
                    pick(&DOC_SUBJECTS, i + 1 + v)
                ),
            }
        }
        _ => match i % 3 {
            0 => "Lịch sử hình thành và phát triển của Sở Khoa học và Công nghệ".to_owned(),
            1 => "Lãnh đạo Sở Khoa học và Công nghệ qua các thời kỳ".to_owned(),
            _ => "Những thành tích nổi bật của ngành khoa học và công nghệ tỉnh".to_owned(),
        },
    };
    (t, topic)
}

pub(crate) fn body(i: usize, date: &str, topic: &str, title: &str) -> (String, String) {
    let place = pick(&PLACES, i * 7 + 2);
    let opening = pick(&OPENINGS, i)
        .replace("{date}", date)
        .replace("{place}", place);
    let summary = format!(
        "{opening} Sở Khoa học và Công nghệ triển khai nội dung: {}.",
        title.trim_end_matches('.')
    );
    let middle = pick(&MIDDLES, i / 2).replace("{topic}", topic);
    let closing = pick(&CLOSINGS, i / 3);
    let extra = format!(
        "Tham dự có đại diện lãnh đạo các sở, ngành, Ủy ban nhân dân các huyện, thị xã, thành phố cùng đại diện nhiều doanh nghiệp, hợp tác xã; trong đó có {} đơn vị của {place}.",
        3 + i % 9
    );
    let html = [extra.as_str(), middle.as_str(), closing]
        .iter()
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect();
    (summary, html)
}

/// How many articles each section gets (plus the reference article in Khoa học - Công nghệ).
const PLAN: [(&str, usize); 5] = [
    (TIN_TUC, 32),
    (KHCN, 24),
    (CCHC, 16),
    (VAN_BAN, 14),
    (GIOI_THIEU, 3),
];

/// One article to write.
#[derive(Debug)]
struct Planned {
    section: &'static str,
    i: usize,
    k: usize,
    title: String,
    topic: &'static str,
    published: Timestamp,
}

/// Every article of the corpus, titles unique, in a fixed order.
fn plan() -> anyhow::Result<Vec<Planned>> {
    let total: usize = PLAN.iter().map(|(_, n)| n).sum();
    // Spread over the days from 01/03/2022 to 20/11/2026, between 07:30 and 16:30 in
    // Hà Nội (00:30 to 09:30 UTC).
    let start: Timestamp = "2022-03-01T00:30:00Z".parse()?;
    let end: Timestamp = "2026-11-20T00:30:00Z".parse()?;
    let days = (end.as_second() - start.as_second()) / 86_400;
    let tz = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh")?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(total);
    let mut k = 0usize;
    for (section, count) in PLAN {
        for i in 0..count {
            // Interleave the sections over time: a fixed permutation of the span.
            let slot = i64::try_from((k * 37) % total)?;
            let at = start.as_second() + days * slot / i64::try_from(total)? * 86_400;
            let minutes = i64::try_from((k * 53) % 540)?;
            let published =
                Timestamp::from_second(at)?.checked_add(SignedDuration::from_mins(minutes))?;
            let year = tz.to_datetime(published).year();
            let (title, topic) = (0..50)
                .map(|v| title(section, i, v, year))
                .find(|(t, _)| !seen.contains(&cong_domain::text::slugify(t)))
                .ok_or_else(|| anyhow::anyhow!("no unique title for {section} #{i}"))?;
            seen.insert(cong_domain::text::slugify(&title));
            out.push(Planned {
                section,
                i,
                k,
                title,
                topic,
                published,
            });
            k += 1;
        }
    }
    Ok(out)
}

/// The article of the corpus that plays the demo video (so that /video is not empty).
const VIDEO_ARTICLE: usize = 4;

pub async fn seed(
    content: &Content,
    sections: &Sections,
    media: &DemoMedia,
) -> anyhow::Result<usize> {
    let tz = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh")?;
    let store = content.store();
    let mut made = 0;
    for p in plan()? {
        let section_id = sections
            .get(p.section)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("no section {}", p.section))?;
        let slug = cong_domain::text::slugify(&p.title);
        if store
            .articles()
            .find_published_by_slug(SiteId::FIRST, &slug, i64::MAX)
            .await?
            .is_some()
        {
            // Written by an earlier, interrupted seed.
            continue;
        }
        let date = tz.to_datetime(p.published).strftime("%d/%m/%Y").to_string();
        let (summary, mut html) = body(p.i, &date, p.topic, &p.title);
        if p.k == VIDEO_ARTICLE {
            html = format!("{}{html}", media.video_html);
        }
        let cover = (p.i % 3 != 2).then(|| media.covers[(p.i + p.k) % media.covers.len()]);
        content
            .create_article(
                SiteId::FIRST,
                &NewArticle {
                    section_id,
                    title: &p.title,
                    slug: "",
                    summary: &summary,
                    body_html: &html,
                    author: pick(&AUTHORS, p.i + 1),
                    featured: p.k % 11 == 3,
                    cover_media_id: cover,
                    gallery_title: "",
                    published_at: p.published,
                },
                &[],
            )
            .await?;
        made += 1;
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    #[test]
    fn enough_articles_with_unique_titles_in_every_section() {
        let plan = super::plan().expect("plan");
        assert!(plan.len() >= 85, "{} articles", plan.len());
        let slugs: std::collections::HashSet<String> = plan
            .iter()
            .map(|p| cong_domain::text::slugify(&p.title))
            .collect();
        assert_eq!(slugs.len(), plan.len(), "titles repeat");
        for (section, n) in super::PLAN {
            assert_eq!(plan.iter().filter(|p| p.section == section).count(), n);
        }
    }
}
