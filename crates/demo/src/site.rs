//! The demo site's own data: names, footer, links to other state agencies, static pages
//! and the sections of the menu.

use cong_domain::content::Content;
use cong_store::SiteId;
use cong_store::feedback::TopicName;
use std::collections::HashMap;

const SETTINGS: [(&str, &str); 9] = [
    ("site.name", "Sở Khoa học và Công nghệ"),
    ("site.parent", "Ủy ban nhân dân tỉnh Bình Thuận"),
    ("site.tagline", "Cổng thông tin điện tử"),
    (
        "footer.address",
        "Số 5 Nguyễn Tất Thành, phường Phú Thủy, tỉnh Bình Thuận (địa chỉ minh họa)",
    ),
    ("footer.phone", "0252 3 000 000 (số minh họa)"),
    ("footer.email", "skhcn@example.gov.vn"),
    ("footer.responsible", "Giám đốc Sở Khoa học và Công nghệ"),
    (
        "footer.license",
        "Nội dung minh họa của phần mềm cong; không phải trang chính thức của cơ quan nhà nước.",
    ),
    (
        "footer.copyright",
        "© Sở Khoa học và Công nghệ. Ghi rõ nguồn khi phát hành lại thông tin từ trang này.",
    ),
];

const LINKS: [(&str, &str); 5] = [
    ("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn"),
    ("Bộ Khoa học và Công nghệ", "https://mst.gov.vn"),
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"),
    (
        "Cơ sở dữ liệu quốc gia về văn bản pháp luật",
        "https://vbpl.vn",
    ),
    (
        "Báo điện tử Đảng Cộng sản Việt Nam",
        "https://dangcongsan.vn",
    ),
];

const INTRO: &str = "<p>Sở Khoa học và Công nghệ là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, \
tham mưu, giúp Ủy ban nhân dân tỉnh quản lý nhà nước về khoa học và công nghệ; phát triển tiềm lực \
khoa học và công nghệ; tiêu chuẩn, đo lường, chất lượng; sở hữu trí tuệ; ứng dụng bức xạ và đồng vị \
phóng xạ; an toàn bức xạ và hạt nhân; chuyển đổi số theo quy định của pháp luật.</p>\
<h2>Chức năng</h2><p>Sở có tư cách pháp nhân, có con dấu và tài khoản riêng; chịu sự chỉ đạo, quản lý \
về tổ chức, biên chế và công tác của Ủy ban nhân dân tỉnh, đồng thời chịu sự chỉ đạo, kiểm tra, \
hướng dẫn về chuyên môn, nghiệp vụ của Bộ Khoa học và Công nghệ.</p>\
<h2>Cơ cấu tổ chức</h2><ul><li>Văn phòng Sở</li><li>Thanh tra Sở</li><li>Phòng Quản lý khoa học</li>\
<li>Phòng Quản lý công nghệ và Sở hữu trí tuệ</li><li>Chi cục Tiêu chuẩn Đo lường Chất lượng</li>\
<li>Trung tâm Ứng dụng tiến bộ khoa học và công nghệ</li></ul>";

const CONTACT: &str = "<p>Mọi ý kiến, câu hỏi và góp ý của tổ chức, cá nhân xin gửi về:</p>\
<p><strong>Văn phòng Sở Khoa học và Công nghệ</strong><br>Địa chỉ: Số 5 Nguyễn Tất Thành, phường Phú Thủy \
(địa chỉ minh họa)<br>Điện thoại: 0252 3 000 000<br>Thư điện tử: <a href=\"mailto:skhcn@example.gov.vn\">\
skhcn@example.gov.vn</a></p><p>Giờ tiếp nhận: sáng từ 7 giờ đến 11 giờ 30, chiều từ 13 giờ 30 đến 17 giờ, \
thứ Hai đến thứ Sáu.</p><p>Hoặc gửi trực tuyến qua biểu mẫu <a href=\"/lien-he\">Góp ý, liên hệ</a>.</p>";

const PRIVACY: &str = "<p>Chính sách này nói đúng những gì phần mềm của cổng thông tin làm với dữ liệu \
cá nhân, theo Nghị định số 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân.</p>\
<h2>Bạn đọc</h2><p>Trang không dùng cookie để theo dõi bạn đọc và không nhúng mã của bên thứ ba. Số liệu thống \
kê truy cập được tính từ một mã băm của địa chỉ IP và trình duyệt, ghép với một khóa bí mật thay đổi mỗi ngày; \
khóa cũ bị xóa nên không thể liên kết lượt truy cập của một người qua các ngày. Địa chỉ IP không được lưu ở dạng \
gốc.</p>\
<h2>Góp ý, liên hệ</h2><p>Khi gửi góp ý qua biểu mẫu <a href=\"/lien-he\">Góp ý, liên hệ</a>, cơ quan lưu: họ \
tên, thư điện tử, số điện thoại và địa chỉ (nếu bạn ghi), tiêu đề và nội dung, thời điểm bạn đồng ý và phiên \
bản của chính sách này tại thời điểm đó. Mục đích duy nhất là tiếp nhận và trả lời góp ý; thư xác nhận kèm mã \
góp ý được gửi tới địa chỉ thư điện tử bạn ghi. Góp ý được chuyển tới hộp thư của bộ phận phụ trách chủ đề bạn \
chọn.</p><p>Để chống thư rác, trình duyệt của bạn giải một bài toán nhỏ (không dùng cookie, không gửi dữ liệu \
cho bên thứ ba); số lần gửi từ một địa chỉ mạng trong một giờ được đếm và quên sau một giờ.</p>\
<h2>Thời hạn lưu giữ</h2><p>Sau khi góp ý đã được xử lý hoặc lưu trữ, họ tên, thư điện tử, số điện thoại và \
địa chỉ của người gửi được tự động xóa sau 365 ngày; nội dung góp ý được giữ lại không kèm thông tin cá nhân.</p>\
<h2>Quyền của chủ thể dữ liệu</h2><p>Bạn có quyền được biết, yêu cầu truy cập, nhận bản sao, chỉnh sửa hoặc \
xóa dữ liệu cá nhân của mình. Khi bạn yêu cầu (qua trang Liên hệ), quản trị viên tra cứu mọi dữ liệu lưu theo \
địa chỉ thư điện tử của bạn, gửi bạn bản sao (tệp JSON) hoặc xóa toàn bộ; mỗi thao tác được ghi nhật ký.</p>";

/// The demo's answered question: title, question, answer.
const QA: (&str, &str, &str) = (
    "Hồ sơ đăng ký nhãn hiệu gồm những gì?",
    "Doanh nghiệp tôi muốn đăng ký nhãn hiệu cho sản phẩm cà phê. Xin hỏi hồ sơ cần những giấy \
     tờ gì và nộp ở đâu?",
    "Hồ sơ đăng ký nhãn hiệu gồm tờ khai theo mẫu, mẫu nhãn hiệu và danh mục hàng hóa, dịch vụ \
     mang nhãn hiệu, cùng chứng từ nộp phí, lệ phí.\n\nHồ sơ nộp trực tiếp hoặc trực tuyến tại \
     Cục Sở hữu trí tuệ; Sở Khoa học và Công nghệ hướng dẫn miễn phí tại Bộ phận một cửa.",
);

/// Section ids by name.
pub type Sections = HashMap<&'static str, i64>;

pub const GIOI_THIEU: &str = "Giới thiệu";
pub const TIN_TUC: &str = "Tin tức - Sự kiện";
pub const CCHC: &str = "Cải cách hành chính";
pub const KHCN: &str = "Khoa học - Công nghệ";
pub const VAN_BAN: &str = "Văn bản";
pub const LIEN_HE: &str = "Liên hệ";

pub async fn seed(content: &Content) -> anyhow::Result<Sections> {
    let store = content.store();
    let mut tx = store.begin().await?;
    for (k, v) in SETTINGS {
        store.settings(SiteId::FIRST).set(&mut tx, k, v).await?;
    }
    tx.commit().await?;
    if store.settings(SiteId::FIRST).list_links().await?.is_empty() {
        for (i, (title, url)) in LINKS.iter().enumerate() {
            store
                .settings(SiteId::FIRST)
                .insert_link(title, url, i64::try_from(i)?)
                .await?;
        }
    }
    let mut pages = HashMap::new();
    for (slug, title, body) in [
        ("gioi-thieu", "Giới thiệu", INTRO),
        ("lien-he", "Liên hệ", CONTACT),
        (
            "chinh-sach-bao-ve-du-lieu-ca-nhan",
            "Chính sách bảo vệ dữ liệu cá nhân",
            PRIVACY,
        ),
    ] {
        let id = match store.pages(SiteId::FIRST).find_by_slug(slug).await? {
            Some(p) => p.id,
            None => {
                content
                    .create_page(SiteId::FIRST, slug, title, body)
                    .await?
            }
        };
        pages.insert(slug, id);
    }
    // Góp ý topics, each to the unit that answers it (addresses of the example domain).
    if store.feedback().topics(SiteId::FIRST).await?.is_empty() {
        let mut tx = store.begin().await?;
        for (i, (vi, en, mailbox)) in [
            (
                "Góp ý chung",
                "General comments",
                "vanphong@skhcn.example.gov.vn",
            ),
            (
                "Phản ánh, kiến nghị",
                "Complaints and recommendations",
                "thanhtra@skhcn.example.gov.vn",
            ),
            (
                "Thủ tục hành chính",
                "Administrative procedures",
                "motcua@skhcn.example.gov.vn",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            store
                .feedback()
                .insert_topic(
                    &mut tx,
                    SiteId::FIRST,
                    &TopicName { vi, en },
                    mailbox,
                    i64::try_from(i)?,
                )
                .await?;
        }
        tx.commit().await?;
    }
    // Hỏi đáp: the department's fields, and one question answered and published.
    if store.questions().topics(SiteId::FIRST).await?.is_empty() {
        let mut tx = store.begin().await?;
        let q = store.questions();
        let mut first = None;
        for (i, (vi, en)) in [
            ("Sở hữu trí tuệ", "Intellectual property"),
            (
                "Tiêu chuẩn - Đo lường - Chất lượng",
                "Standards, metrology and quality",
            ),
            (
                "Nhiệm vụ khoa học và công nghệ",
                "Science and technology tasks",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let id = q
                .insert_topic(
                    &mut tx,
                    SiteId::FIRST,
                    &TopicName { vi, en },
                    i64::try_from(i)?,
                )
                .await?;
            first.get_or_insert(id);
        }
        let now = jiff::Timestamp::now().as_second();
        let id = q
            .insert(
                &mut tx,
                &cong_store::questions::NewQuestion {
                    site_id: SiteId::FIRST,
                    topic_id: first,
                    code: "HD-DEMO0001",
                    name: "",
                    email: "",
                    phone: "",
                    address: "",
                    title: QA.0,
                    body: QA.1,
                    created_at: now - 7 * 86_400,
                    consent_version: "demo",
                },
            )
            .await?;
        let key = format!(
            "-{}-",
            cong_domain::text::fold_words(&format!("{} {} {}", QA.0, QA.1, QA.2))
        );
        q.step(
            &mut tx,
            SiteId::FIRST,
            id,
            &[cong_store::questions::QuestionStatus::New],
            &cong_store::questions::Step {
                status: Some(cong_store::questions::QuestionStatus::Published),
                answer: Some(QA.2),
                published_at: Some(now - 86_400),
                search_key: Some(&key),
                ..Default::default()
            },
            now - 86_400,
        )
        .await?;
        tx.commit().await?;
    }
    let mut sections = HashMap::new();
    for (i, (name, page)) in [
        (GIOI_THIEU, Some("gioi-thieu")),
        (TIN_TUC, None),
        (CCHC, None),
        (KHCN, None),
        (VAN_BAN, None),
        (LIEN_HE, Some("lien-he")),
    ]
    .into_iter()
    .enumerate()
    {
        let slug = cong_domain::text::slugify(name);
        let id = match store.sections(SiteId::FIRST).find_by_slug(&slug).await? {
            Some(s) => s.id,
            None => {
                let page_id = page.and_then(|p| pages.get(p).copied());
                content
                    .create_section(SiteId::FIRST, name, i64::try_from(i)?, page_id)
                    .await?
            }
        };
        sections.insert(name, id);
    }
    Ok(sections)
}
