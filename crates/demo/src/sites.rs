//! The demo as a province runs it: the reference department's site becomes one component
//! site beside the provincial portal and a second department, all on one machine with no
//! DNS set-up (names under `.localhost` reach the loopback address in browsers and curl).

use cong_domain::auth::By;
use cong_domain::content::{Content, NewArticle};
use cong_domain::sites::{SiteForm, Sites};
use cong_store::SiteId;
use cong_store::sites::SiteKind;

/// One site the demo adds: its name, banner and footer, pages, sections and articles.
struct Plan {
    name: &'static str,
    host: &'static str,
    kind: SiteKind,
    /// Host names that redirect to the site (the portal takes the loopback address, so
    /// `http://127.0.0.1:8080/` still leads somewhere).
    aliases: &'static [&'static str],
    parent: &'static str,
    tagline: &'static str,
    email: &'static str,
    intro: &'static str,
    sections: &'static [&'static str],
    /// (section, title, summary, author)
    articles: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

const PORTAL: Plan = Plan {
    name: "Cổng thông tin điện tử tỉnh Bình Thuận",
    host: "localhost",
    kind: SiteKind::Portal,
    aliases: &["127.0.0.1"],
    parent: "Ủy ban nhân dân tỉnh Bình Thuận",
    tagline: "Cổng thông tin điện tử",
    email: "banbientap@example.gov.vn",
    intro: "<p>Cổng thông tin điện tử tỉnh là kênh thông tin chính thức của Ủy ban nhân dân tỉnh \
trên Internet; các trang của sở, ban, ngành và địa phương là trang thành phần của Cổng.</p>",
    sections: &["Tin tức - Sự kiện", "Chỉ đạo điều hành", "Thông báo"],
    articles: &[
        (
            "Tin tức - Sự kiện",
            "Ủy ban nhân dân tỉnh họp phiên thường kỳ tháng 11",
            "Phiên họp đánh giá tình hình kinh tế - xã hội tháng 11 và nhiệm vụ những tháng cuối năm.",
            "Văn phòng UBND tỉnh",
        ),
        (
            "Tin tức - Sự kiện",
            "Tỉnh phát động phong trào thi đua chuyển đổi số năm 2027",
            "Phong trào hướng tới mỗi cơ quan nhà nước có ít nhất một dịch vụ công trực tuyến toàn trình mới.",
            "Ban Biên tập",
        ),
        (
            "Chỉ đạo điều hành",
            "Chủ tịch UBND tỉnh chỉ đạo triển khai các giải pháp phòng, chống mưa lũ",
            "Các sở, ngành và địa phương rà soát phương án bảo đảm an toàn cho người dân vùng trũng thấp.",
            "Văn phòng UBND tỉnh",
        ),
        (
            "Chỉ đạo điều hành",
            "Đẩy mạnh giải ngân vốn đầu tư công những tháng cuối năm",
            "Yêu cầu các chủ đầu tư báo cáo tiến độ hằng tuần và xử lý dứt điểm vướng mắc về mặt bằng.",
            "Ban Biên tập",
        ),
        (
            "Thông báo",
            "Thông báo lịch tiếp công dân định kỳ của Chủ tịch UBND tỉnh",
            "Lịch tiếp công dân định kỳ tháng 12 tại Trụ sở Tiếp công dân tỉnh.",
            "Ban Tiếp công dân",
        ),
    ],
};

const STP: Plan = Plan {
    name: "Sở Tư pháp",
    host: "stp.localhost",
    kind: SiteKind::Component,
    aliases: &[],
    parent: "Ủy ban nhân dân tỉnh Bình Thuận",
    tagline: "Trang thông tin điện tử",
    email: "stp@example.gov.vn",
    intro: "<p>Sở Tư pháp là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, tham mưu, giúp Ủy ban \
nhân dân tỉnh quản lý nhà nước về công tác xây dựng và thi hành pháp luật, phổ biến, giáo dục pháp \
luật, hộ tịch, quốc tịch, chứng thực, lý lịch tư pháp, bổ trợ tư pháp và các công tác tư pháp khác.</p>",
    sections: &[
        "Tin tức - Sự kiện",
        "Phổ biến pháp luật",
        "Hành chính tư pháp",
    ],
    articles: &[
        (
            "Tin tức - Sự kiện",
            "Hội nghị tập huấn nghiệp vụ hộ tịch cho công chức tư pháp cấp xã",
            "Hơn 120 công chức tư pháp - hộ tịch được hướng dẫn đăng ký hộ tịch trực tuyến.",
            "Văn phòng Sở",
        ),
        (
            "Phổ biến pháp luật",
            "Hưởng ứng Ngày Pháp luật Việt Nam 9/11",
            "Chuỗi hoạt động tuyên truyền, phổ biến pháp luật đến người dân và doanh nghiệp.",
            "Phòng Phổ biến, giáo dục pháp luật",
        ),
        (
            "Phổ biến pháp luật",
            "Phổ biến Luật Hộ tịch tại xã Hàm Mỹ",
            "Buổi tuyên truyền thu hút đông đảo người dân địa phương tham dự.",
            "Phòng Phổ biến, giáo dục pháp luật",
        ),
        (
            "Hành chính tư pháp",
            "Cấp phiếu lý lịch tư pháp trực tuyến trên Cổng Dịch vụ công",
            "Người dân có thể nộp hồ sơ và nhận kết quả qua dịch vụ bưu chính công ích.",
            "Phòng Hành chính tư pháp",
        ),
    ],
};

/// Set once the demo's sites are made.
const SITES_DONE: &str = "demo.sites";

fn address(host: &str, port: u16) -> String {
    format!("http://{host}:{port}")
}

/// Turns a one-site demo into three sites answering on `port`: the reference department at
/// `skhcn.localhost`, the provincial portal at `localhost`, Sở Tư pháp at `stp.localhost`.
/// Only a database the demo filled, and only once: real content, or sites someone made,
/// are never touched (false).
pub async fn seed_sites(content: &Content, sites: &Sites, port: u16) -> anyhow::Result<bool> {
    let settings = content.store().settings(SiteId::FIRST);
    if settings.find(super::DONE).await?.is_none() || settings.find(SITES_DONE).await?.is_some() {
        return Ok(false);
    }
    sites.load().await?;
    let directory = sites.directory();
    if directory.all().len() > 1 {
        return Ok(false);
    }
    let first = directory
        .find(SiteId::FIRST)
        .ok_or_else(|| anyhow::anyhow!("no site 1"))?;
    sites
        .update(
            By::CommandLine,
            SiteId::FIRST,
            &SiteForm {
                name: "Sở Khoa học và Công nghệ".to_owned(),
                address: address("skhcn.localhost", port),
                kind: SiteKind::Component,
                aliases: first.aliases.clone(),
            },
        )
        .await?;
    let mut ids = Vec::new();
    for plan in [&PORTAL, &STP] {
        let id = sites
            .add(
                By::CommandLine,
                &SiteForm {
                    name: plan.name.to_owned(),
                    address: address(plan.host, port),
                    kind: plan.kind,
                    aliases: plan.aliases.iter().map(|a| (*a).to_owned()).collect(),
                },
            )
            .await?;
        fill(content, id, plan).await?;
        ids.push(id);
    }
    // The portal carries its departments' news.
    let (portal, stp) = (ids[0], ids[1]);
    let gathering = content
        .create_section(portal, "Tin từ các sở, ngành", 4, None)
        .await?;
    content
        .set_section_sources(portal, gathering, &[SiteId::FIRST, stp])
        .await?;
    super::mark(content.store(), SITES_DONE).await?;
    sites.load().await?;
    Ok(true)
}

/// A new site's settings, pages, sections and articles.
async fn fill(content: &Content, site: SiteId, plan: &Plan) -> anyhow::Result<()> {
    let store = content.store();
    let footer = format!("© {}. Nội dung minh họa của phần mềm cong.", plan.name);
    let mut tx = store.begin().await?;
    for (k, v) in [
        ("site.name", plan.name),
        ("site.parent", plan.parent),
        ("site.tagline", plan.tagline),
        ("footer.email", plan.email),
        ("footer.address", "Tỉnh Bình Thuận (địa chỉ minh họa)"),
        (
            "footer.license",
            "Nội dung minh họa của phần mềm cong; không phải trang chính thức của cơ quan nhà nước.",
        ),
        ("footer.copyright", &footer),
    ] {
        store.settings(site).set(&mut tx, k, v).await?;
    }
    tx.commit().await?;
    store
        .settings(site)
        .insert_link("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn", 0)
        .await?;
    let intro = content
        .create_page(site, "gioi-thieu", "Giới thiệu", plan.intro)
        .await?;
    content
        .create_section(site, "Giới thiệu", 0, Some(intro))
        .await?;
    let mut sections = Vec::new();
    for (i, name) in plan.sections.iter().enumerate() {
        let id = content
            .create_section(site, name, i64::try_from(i)? + 1, None)
            .await?;
        sections.push((*name, id));
    }
    let now = jiff::Timestamp::now();
    for (i, (section, title, summary, author)) in plan.articles.iter().enumerate() {
        let section_id = sections
            .iter()
            .find(|(n, _)| n == section)
            .map(|(_, id)| *id)
            .ok_or_else(|| anyhow::anyhow!("no section {section}"))?;
        let body = format!(
            "<p>{summary}</p><p>Nội dung minh họa của trang “{}”.</p>",
            plan.name
        );
        let hours = 5 + 26 * i64::try_from(i)?;
        content
            .create_article(
                site,
                &NewArticle {
                    section_id,
                    title,
                    slug: "",
                    summary,
                    body_html: &body,
                    author,
                    featured: i == 0,
                    cover_media_id: None,
                    gallery_title: "",
                    published_at: now - jiff::SignedDuration::from_hours(hours),
                },
                &[],
            )
            .await?;
    }
    Ok(())
}
