//! The demo's Lấy ý kiến dự thảo: a draft decision of the department open for comment from
//! the day the demo is loaded for thirty days, and a draft of the province closed last month
//! with the comments it received and its summary report.

use cong_domain::auth::By;
use cong_domain::consultations::Consultations;
use cong_domain::documents::{DocumentDraft, Documents, Status, Vocabulary};
use cong_domain::files::FileIntake;
use cong_store::SiteId;
use cong_store::consultations::NewComment;
use jiff::civil::Date;

/// The open draft's address (the browser tests and the validators open it).
pub const OPEN_SLUG: &str = "du-thao-quyet-dinh-cong-bo-thu-tuc-hanh-chinh";
/// The closed draft's address.
pub const CLOSED_SLUG: &str = "du-thao-quy-dinh-quan-ly-do-luong-chat-luong";

/// A draft put out for comment: its fields, the file of its text, and its window as days
/// from the day the demo is loaded.
struct Draft {
    slug: &'static str,
    /// A draft has no number yet: it is left blank, as on the paper.
    number: &'static str,
    issuer: &'static str,
    summary: &'static str,
    field: &'static str,
    file: &'static str,
    text: &'static [&'static str],
    opens: i64,
    closes: i64,
}

const OPEN: Draft = Draft {
    slug: OPEN_SLUG,
    number: "…/QĐ-SKHCN",
    issuer: "Sở Khoa học và Công nghệ",
    summary: "Dự thảo Quyết định công bố danh mục thủ tục hành chính được sửa đổi, bổ sung và \
              quy trình nội bộ giải quyết thủ tục hành chính thuộc phạm vi chức năng quản lý \
              của Sở Khoa học và Công nghệ",
    field: "Cải cách hành chính",
    file: "Du-thao-Quyet-dinh-cong-bo-thu-tuc-hanh-chinh.pdf",
    text: &[
        "Điều 1. Công bố kèm theo Quyết định này danh mục 12 thủ tục hành chính được sửa đổi, \
         bổ sung trong lĩnh vực hoạt động khoa học và công nghệ, sở hữu trí tuệ và an toàn bức \
         xạ thuộc phạm vi chức năng quản lý của Sở Khoa học và Công nghệ.",
        "Điều 2. Phê duyệt quy trình nội bộ giải quyết các thủ tục hành chính nêu tại Điều 1; \
         thời hạn giải quyết được rút ngắn từ 15 xuống 10 ngày làm việc đối với 5 thủ tục.",
        "Điều 3. Bộ phận Một cửa của Sở tiếp nhận hồ sơ trực tiếp, qua dịch vụ bưu chính công \
         ích và trên Cổng Dịch vụ công quốc gia.",
        "Tổ chức, cá nhân gửi ý kiến góp ý về dự thảo qua Cổng thông tin điện tử của Sở trong \
         thời hạn lấy ý kiến.",
    ],
    opens: 0,
    closes: 30,
};

const CLOSED: Draft = Draft {
    slug: CLOSED_SLUG,
    number: "…/QĐ-UBND",
    issuer: "UBND tỉnh",
    summary: "Dự thảo Quyết định ban hành Quy định quản lý nhà nước về đo lường, chất lượng \
              sản phẩm, hàng hóa trên địa bàn tỉnh",
    field: "Tiêu chuẩn, đo lường, chất lượng",
    file: "Du-thao-Quy-dinh-quan-ly-do-luong-chat-luong.pdf",
    text: &[
        "Quy định này quy định trách nhiệm của các sở, ngành, Ủy ban nhân dân cấp huyện trong \
         quản lý nhà nước về đo lường, chất lượng sản phẩm, hàng hóa trên địa bàn tỉnh.",
        "Phương tiện đo nhóm 2 dùng trong mua bán tại chợ, cửa hàng xăng dầu phải được kiểm \
         định ban đầu, định kỳ theo quy định.",
    ],
    opens: -75,
    closes: -45,
};

/// What the closed draft received: name, organisation, address, comment, day of the window.
const COMMENTS: [(&str, &str, &str, &str, i64); 3] = [
    (
        "Nguyễn Thị Hoa",
        "Công ty TNHH Thực phẩm Phan Thiết",
        "hoa.nguyen@example.vn",
        "Đề nghị Điều 5 quy định rõ thời hạn cơ quan kiểm tra thông báo kết quả cho doanh \
         nghiệp, tránh để việc kiểm tra kéo dài.",
        3,
    ),
    (
        "Trần Minh Quân",
        "Hội Doanh nghiệp nhỏ và vừa tỉnh",
        "quan.tran@example.vn",
        "Khoản 2 Điều 8 nên cho phép doanh nghiệp nộp hồ sơ công bố hợp quy qua dịch vụ công \
         trực tuyến toàn trình.",
        10,
    ),
    (
        "Phạm Văn Lộc",
        "",
        "loc.pham@example.vn",
        "Xin bổ sung việc kiểm tra định kỳ cân tại các chợ đầu mối và công khai kết quả để \
         người mua biết.",
        21,
    ),
];

/// The closed draft's summary report (báo cáo tổng hợp, giải trình, tiếp thu).
const REPORT: (&str, &[&str]) = (
    "Bao-cao-tong-hop-y-kien-gop-y-du-thao.docx",
    &[
        "Báo cáo tổng hợp, giải trình, tiếp thu ý kiến góp ý dự thảo Quy định quản lý nhà nước \
         về đo lường, chất lượng sản phẩm, hàng hóa trên địa bàn tỉnh.",
        "Cơ quan soạn thảo nhận được 03 ý kiến qua Cổng thông tin điện tử; tiếp thu 02 ý kiến \
         (thời hạn thông báo kết quả kiểm tra tại Điều 5; nộp hồ sơ trực tuyến tại Điều 8), \
         giải trình 01 ý kiến (việc kiểm tra cân tại chợ đã có trong kế hoạch kiểm tra hằng năm).",
    ],
);

/// Seeds the two consultations on `site` through the services the back office uses, the
/// operator acting; returns how many.
pub async fn seed(
    store: &cong_store::Store,
    docs: &Documents,
    files: &FileIntake,
    consultations: &Consultations,
    site: SiteId,
) -> anyhow::Result<usize> {
    let today: Date = consultations.today().parse()?;
    let day = |n: i64| -> anyhow::Result<String> {
        Ok(today.checked_add(jiff::Span::new().days(n))?.to_string())
    };
    let kind = docs
        .ensure_term(site, Vocabulary::Type, "Quyết định")
        .await?;
    let mut ids = Vec::new();
    for d in [&OPEN, &CLOSED] {
        let pdf = files
            .upload(site, None, cong_files::make::pdf(d.summary, d.text), d.file)
            .await?;
        let draft = DocumentDraft {
            number: d.number.to_owned(),
            type_id: kind,
            issuer_id: docs.ensure_term(site, Vocabulary::Issuer, d.issuer).await?,
            signer: String::new(),
            summary: d.summary.to_owned(),
            body_html: String::new(),
            issued_on: day(d.opens)?,
            effective_on: String::new(),
            expires_on: String::new(),
            fields: vec![docs.ensure_term(site, Vocabulary::Field, d.field).await?],
            relations: Vec::new(),
            files: vec![pdf.id],
            slug: d.slug.to_owned(),
        };
        let id = docs.import(site, &draft, Status::Published).await?.id;
        consultations
            .configure_by(
                By::CommandLine,
                site,
                id,
                Some((&day(d.opens)?, &day(d.closes)?)),
            )
            .await?;
        ids.push(id);
    }
    let closed = ids[1];
    // The comments came in while it was open, on its days 3, 10 and 21: written as the
    // public form writes them (the form itself takes none outside the window).
    let now = jiff::Timestamp::now().as_second();
    let mut tx = store.begin().await?;
    for (name, organisation, email, body, after) in COMMENTS {
        let at = now + (CLOSED.opens + after) * 86_400;
        store
            .consultations()
            .insert_comment(
                &mut tx,
                &NewComment {
                    document_id: closed,
                    name,
                    email,
                    organisation,
                    body,
                    created_at: at,
                    consent_version: "demo",
                },
            )
            .await?;
    }
    tx.commit().await?;
    let (name, text) = REPORT;
    let report = files
        .upload(
            site,
            None,
            cong_files::make::docx("Báo cáo tổng hợp ý kiến góp ý", text),
            name,
        )
        .await?;
    consultations
        .set_report_by(By::CommandLine, site, closed, &[report.id])
        .await?;
    Ok(ids.len())
}
