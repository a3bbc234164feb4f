//! The demo's documents library: forty documents of a Sở KH&CN over several types, issuers,
//! fields and years, each with a generated PDF or DOCX (or both) whose text is searchable,
//! and relations among some of them (a plan replaced by the next, a decision amended).

use cong_domain::documents::{DocumentDraft, Documents, Relation, Status, Vocabulary};
use cong_domain::files::FileIntake;
use cong_store::SiteId;
use std::collections::HashMap;

const TYPES: [&str; 9] = [
    "Luật",
    "Nghị định",
    "Thông tư",
    "Quyết định",
    "Chỉ thị",
    "Kế hoạch",
    "Công văn",
    "Thông báo",
    "Báo cáo",
];

const ISSUERS: [&str; 5] = [
    "Quốc hội",
    "Chính phủ",
    "Bộ Khoa học và Công nghệ",
    "UBND tỉnh",
    "Sở Khoa học và Công nghệ",
];

const FIELDS: [&str; 7] = [
    "Khoa học và công nghệ",
    "Sở hữu trí tuệ",
    "Tiêu chuẩn, đo lường, chất lượng",
    "Chuyển đổi số",
    "Cải cách hành chính",
    "Năng lượng nguyên tử, an toàn bức xạ",
    "Đổi mới sáng tạo",
];

/// How a document's file is made.
#[derive(Clone, Copy)]
enum Made {
    Pdf,
    Docx,
    Both,
}

/// One demo document: number, type, issuer, signer, abstract, day of issue, days to effect,
/// fields (indexes), files, and the body of its file.
struct Demo {
    number: &'static str,
    kind: &'static str,
    issuer: &'static str,
    signer: &'static str,
    summary: &'static str,
    issued: &'static str,
    effect_after_days: i64,
    expires: Option<&'static str>,
    fields: &'static [usize],
    made: Made,
    text: &'static [&'static str],
}

const SKHCN: &str = "Sở Khoa học và Công nghệ";
const UBND: &str = "UBND tỉnh";
const BO: &str = "Bộ Khoa học và Công nghệ";

#[rustfmt::skip]
const DEMOS: &[Demo] = &[
    Demo { number: "29/2013/QH13", kind: "Luật", issuer: "Quốc hội", signer: "Nguyễn Sinh Hùng", summary: "Luật Khoa học và công nghệ", issued: "2013-06-18", effect_after_days: 197, expires: None, fields: &[0], made: Made::Pdf, text: &["Luật này quy định về tổ chức khoa học và công nghệ, cá nhân hoạt động khoa học và công nghệ; việc tổ chức thực hiện hoạt động khoa học và công nghệ.", "Nhà nước bảo đảm quyền tự do sáng tạo, phát huy vai trò của tổ chức, cá nhân trong hoạt động khoa học và công nghệ."] },
    Demo { number: "08/2014/NĐ-CP", kind: "Nghị định", issuer: "Chính phủ", signer: "Nguyễn Tấn Dũng", summary: "Quy định chi tiết và hướng dẫn thi hành một số điều của Luật Khoa học và công nghệ", issued: "2014-01-27", effect_after_days: 45, expires: None, fields: &[0], made: Made::Pdf, text: &["Nghị định này quy định chi tiết về thành lập và hoạt động của tổ chức khoa học và công nghệ, hội đồng tư vấn khoa học và công nghệ.", "Tuyển chọn, giao trực tiếp tổ chức và cá nhân thực hiện nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà nước."] },
    Demo { number: "70/2018/NĐ-CP", kind: "Nghị định", issuer: "Chính phủ", signer: "Nguyễn Xuân Phúc", summary: "Quy định việc quản lý, sử dụng tài sản được hình thành thông qua việc triển khai thực hiện nhiệm vụ khoa học và công nghệ sử dụng vốn nhà nước", issued: "2018-05-15", effect_after_days: 0, expires: None, fields: &[0], made: Made::Pdf, text: &["Tài sản được hình thành thông qua việc triển khai thực hiện nhiệm vụ khoa học và công nghệ bao gồm tài sản là kết quả của nhiệm vụ và tài sản trang bị để thực hiện nhiệm vụ.", "Việc xử lý tài sản phải công khai, minh bạch, đúng quy định của pháp luật."] },
    Demo { number: "13/2023/NĐ-CP", kind: "Nghị định", issuer: "Chính phủ", signer: "Trần Lưu Quang", summary: "Bảo vệ dữ liệu cá nhân", issued: "2023-04-17", effect_after_days: 75, expires: None, fields: &[3], made: Made::Pdf, text: &["Nghị định này quy định về bảo vệ dữ liệu cá nhân và trách nhiệm bảo vệ dữ liệu cá nhân của cơ quan, tổ chức, cá nhân có liên quan.", "Dữ liệu cá nhân chỉ được xử lý khi có sự đồng ý của chủ thể dữ liệu, trừ trường hợp luật có quy định khác."] },
    Demo { number: "42/2022/NĐ-CP", kind: "Nghị định", issuer: "Chính phủ", signer: "Lê Minh Khái", summary: "Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng", issued: "2022-06-24", effect_after_days: 45, expires: None, fields: &[3, 4], made: Made::Pdf, text: &["Cổng thông tin điện tử của cơ quan nhà nước phải cung cấp thông tin về tổ chức, chức năng, nhiệm vụ, quyền hạn và văn bản quy phạm pháp luật.", "Thông tin trên cổng phải bảo đảm chính xác, kịp thời và có phiên bản tiếng Anh đối với các thông tin chủ yếu."] },
    Demo { number: "22/2023/TT-BTTTT", kind: "Thông tư", issuer: BO, signer: "Nguyễn Huy Dũng", summary: "Quy định về yêu cầu chức năng, tính năng kỹ thuật của cổng thông tin điện tử và cổng dịch vụ công", issued: "2023-12-29", effect_after_days: 60, expires: None, fields: &[3], made: Made::Pdf, text: &["Cổng thông tin điện tử phải có chức năng tìm kiếm, chức năng cung cấp thông tin theo định dạng RSS và bản đồ cổng.", "Hệ thống phải bảo đảm an toàn thông tin theo cấp độ và hỗ trợ giao thức IPv6."] },
    Demo { number: "02/2020/TT-BKHCN", kind: "Thông tư", issuer: BO, signer: "Phạm Công Tạc", summary: "Hướng dẫn việc xây dựng, thẩm định và ban hành quy chuẩn kỹ thuật địa phương", issued: "2020-06-05", effect_after_days: 45, expires: None, fields: &[2], made: Made::Docx, text: &["Quy chuẩn kỹ thuật địa phương do Ủy ban nhân dân cấp tỉnh ban hành để áp dụng trong phạm vi quản lý của địa phương.", "Hồ sơ dự thảo quy chuẩn kỹ thuật địa phương phải được lấy ý kiến rộng rãi."] },
    Demo { number: "544/QĐ-SKHCN", kind: "Quyết định", issuer: SKHCN, signer: "Nguyễn Văn Minh", summary: "Ban hành Quy chế tiếp nhận, xử lý phản ánh, kiến nghị của tổ chức, cá nhân tại Sở Khoa học và Công nghệ", issued: "2024-09-12", effect_after_days: 0, expires: None, fields: &[4], made: Made::Both, text: &["Quyết định ban hành kèm theo Quy chế tiếp nhận, xử lý phản ánh, kiến nghị của tổ chức, cá nhân về quy định hành chính và thủ tục hành chính.", "Bộ phận Một cửa của Sở có trách nhiệm tiếp nhận phản ánh qua Cổng thông tin điện tử, thư điện tử và đường bưu chính; phân loại và chuyển đến phòng chuyên môn trong 02 ngày làm việc."] },
    Demo { number: "1203/QĐ-UBND", kind: "Quyết định", issuer: UBND, signer: "Đoàn Anh Dũng", summary: "Phê duyệt Chương trình phát triển khoa học, công nghệ và đổi mới sáng tạo tỉnh giai đoạn 2021 - 2025", issued: "2021-05-20", effect_after_days: 0, expires: Some("2025-12-31"), fields: &[0, 6], made: Made::Pdf, text: &["Mục tiêu của Chương trình là nâng cao tiềm lực khoa học và công nghệ, hỗ trợ doanh nghiệp đổi mới công nghệ và phát triển hệ sinh thái khởi nghiệp sáng tạo.", "Kinh phí thực hiện Chương trình từ ngân sách sự nghiệp khoa học và công nghệ của tỉnh và các nguồn vốn hợp pháp khác."] },
    Demo { number: "987/QĐ-UBND", kind: "Quyết định", issuer: UBND, signer: "Đoàn Anh Dũng", summary: "Phê duyệt Chương trình phát triển khoa học, công nghệ và đổi mới sáng tạo tỉnh giai đoạn 2026 - 2030", issued: "2026-03-18", effect_after_days: 0, expires: None, fields: &[0, 6], made: Made::Pdf, text: &["Chương trình giai đoạn 2026 - 2030 kế thừa kết quả giai đoạn trước, tập trung vào chuyển đổi số, trí tuệ nhân tạo và công nghệ sinh học phục vụ nông nghiệp.", "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành tổ chức thực hiện."] },
    Demo { number: "215/QĐ-SKHCN", kind: "Quyết định", issuer: SKHCN, signer: "Nguyễn Văn Minh", summary: "Ban hành Quy chế làm việc của Sở Khoa học và Công nghệ", issued: "2022-04-08", effect_after_days: 0, expires: None, fields: &[4], made: Made::Docx, text: &["Quy chế này quy định nguyên tắc, chế độ trách nhiệm, lề lối làm việc, quan hệ công tác của Sở Khoa học và Công nghệ.", "Giám đốc Sở làm việc theo chế độ thủ trưởng, chịu trách nhiệm trước Ủy ban nhân dân tỉnh về toàn bộ hoạt động của Sở."] },
    Demo { number: "318/QĐ-SKHCN", kind: "Quyết định", issuer: SKHCN, signer: "Nguyễn Văn Minh", summary: "Sửa đổi, bổ sung một số điều của Quy chế làm việc của Sở Khoa học và Công nghệ", issued: "2025-07-01", effect_after_days: 0, expires: None, fields: &[4], made: Made::Docx, text: &["Sửa đổi Điều 7 về phân công nhiệm vụ của Phó Giám đốc Sở phụ trách lĩnh vực chuyển đổi số và thông tin khoa học.", "Bổ sung Điều 12a về chế độ họp trực tuyến và ký số văn bản."] },
    Demo { number: "45/KH-SKHCN", kind: "Kế hoạch", issuer: SKHCN, signer: "Trần Thị Lan", summary: "Kế hoạch chuyển đổi số của Sở Khoa học và Công nghệ năm 2024", issued: "2024-01-15", effect_after_days: 0, expires: Some("2024-12-31"), fields: &[3], made: Made::Docx, text: &["Năm 2024, 100% hồ sơ công việc tại Sở được xử lý trên môi trường mạng, trừ hồ sơ mật.", "Triển khai ký số cho lãnh đạo và công chức; kết nối hệ thống quản lý văn bản với trục liên thông của tỉnh."] },
    Demo { number: "52/KH-SKHCN", kind: "Kế hoạch", issuer: SKHCN, signer: "Trần Thị Lan", summary: "Kế hoạch chuyển đổi số của Sở Khoa học và Công nghệ năm 2025", issued: "2025-01-10", effect_after_days: 0, expires: None, fields: &[3], made: Made::Docx, text: &["Kế hoạch này thay thế Kế hoạch chuyển đổi số năm 2024; đặt mục tiêu dữ liệu mở về nhiệm vụ khoa học và công nghệ.", "Cung cấp 100% thủ tục hành chính đủ điều kiện dưới dạng dịch vụ công trực tuyến toàn trình."] },
    Demo { number: "18/KH-SKHCN", kind: "Kế hoạch", issuer: SKHCN, signer: "Lê Quang Huy", summary: "Kế hoạch tổ chức Ngày Khoa học và Công nghệ Việt Nam 18/5 năm 2025", issued: "2025-04-02", effect_after_days: 0, expires: Some("2025-06-30"), fields: &[0], made: Made::Pdf, text: &["Tổ chức hội thảo khoa học, triển lãm kết quả nghiên cứu và tôn vinh các nhà khoa học tiêu biểu của tỉnh.", "Thời gian: ngày 18 tháng 5 năm 2025 tại Trung tâm Hội nghị tỉnh."] },
    Demo { number: "77/KH-UBND", kind: "Kế hoạch", issuer: UBND, signer: "Nguyễn Hồng Hải", summary: "Kế hoạch thực hiện Đề án hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh đến năm 2025", issued: "2022-08-22", effect_after_days: 0, expires: Some("2025-12-31"), fields: &[6], made: Made::Pdf, text: &["Hỗ trợ ít nhất 20 dự án khởi nghiệp đổi mới sáng tạo và 5 doanh nghiệp khởi nghiệp gọi được vốn đầu tư.", "Xây dựng không gian làm việc chung cho cộng đồng khởi nghiệp tại thành phố."] },
    Demo { number: "03/CT-UBND", kind: "Chỉ thị", issuer: UBND, signer: "Đoàn Anh Dũng", summary: "Về tăng cường công tác bảo đảm an toàn, an ninh thông tin mạng trong các cơ quan nhà nước trên địa bàn tỉnh", issued: "2023-02-14", effect_after_days: 0, expires: None, fields: &[3], made: Made::Pdf, text: &["Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm trực tiếp về bảo đảm an toàn thông tin trong cơ quan, đơn vị mình.", "Triển khai mô hình bảo vệ bốn lớp; diễn tập ứng cứu sự cố ít nhất một lần mỗi năm."] },
    Demo { number: "1150/SKHCN-QLCN", kind: "Công văn", issuer: SKHCN, signer: "Lê Quang Huy", summary: "Về việc đề xuất đặt hàng nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2026", issued: "2025-05-06", effect_after_days: 0, expires: None, fields: &[0], made: Made::Both, text: &["Đề nghị các sở, ban, ngành, Ủy ban nhân dân cấp huyện đề xuất nhiệm vụ khoa học và công nghệ cấp tỉnh thực hiện từ năm 2026 theo mẫu đính kèm.", "Hồ sơ gửi về Sở Khoa học và Công nghệ trước ngày 30 tháng 6 năm 2025."] },
    Demo { number: "980/SKHCN-TĐC", kind: "Công văn", issuer: SKHCN, signer: "Phan Thanh Tùng", summary: "Về việc kiểm tra nhà nước về đo lường đối với cột đo xăng dầu năm 2024", issued: "2024-06-11", effect_after_days: 0, expires: None, fields: &[2], made: Made::Docx, text: &["Chi cục Tiêu chuẩn Đo lường Chất lượng phối hợp với Ủy ban nhân dân cấp huyện kiểm tra cột đo xăng dầu tại các cửa hàng bán lẻ.", "Kết quả kiểm tra được công khai trên Cổng thông tin điện tử của Sở."] },
    Demo { number: "1322/SKHCN-VP", kind: "Công văn", issuer: SKHCN, signer: "Trần Thị Lan", summary: "Về việc triển khai tiếp nhận hồ sơ thủ tục hành chính trực tuyến toàn trình", issued: "2024-10-03", effect_after_days: 0, expires: None, fields: &[4, 3], made: Made::Pdf, text: &["Từ ngày 01 tháng 11 năm 2024, các thủ tục hành chính trong lĩnh vực sở hữu trí tuệ và tiêu chuẩn đo lường chất lượng được tiếp nhận trực tuyến toàn trình.", "Tổ chức, cá nhân nộp hồ sơ qua Cổng Dịch vụ công quốc gia."] },
    Demo { number: "12/TB-SKHCN", kind: "Thông báo", issuer: SKHCN, signer: "Lê Quang Huy", summary: "Thông báo tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2025", issued: "2025-02-20", effect_after_days: 0, expires: Some("2025-04-30"), fields: &[0], made: Made::Both, text: &["Sở Khoa học và Công nghệ thông báo tuyển chọn tổ chức, cá nhân chủ trì thực hiện 08 nhiệm vụ khoa học và công nghệ cấp tỉnh.", "Hồ sơ đăng ký gồm đơn đăng ký, thuyết minh nhiệm vụ và lý lịch khoa học theo các biểu mẫu kèm theo."] },
    Demo { number: "21/TB-SKHCN", kind: "Thông báo", issuer: SKHCN, signer: "Nguyễn Văn Minh", summary: "Thông báo kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 9 năm 2025", issued: "2025-09-29", effect_after_days: 0, expires: None, fields: &[4], made: Made::Docx, text: &["Giám đốc Sở yêu cầu các phòng đẩy nhanh tiến độ giải ngân vốn sự nghiệp khoa học và công nghệ.", "Văn phòng Sở theo dõi, đôn đốc việc thực hiện các nhiệm vụ được giao."] },
    Demo { number: "05/TB-SKHCN", kind: "Thông báo", issuer: SKHCN, signer: "Phan Thanh Tùng", summary: "Thông báo lịch tiếp công dân của lãnh đạo Sở năm 2026", issued: "2026-01-05", effect_after_days: 0, expires: Some("2026-12-31"), fields: &[4], made: Made::Pdf, text: &["Lãnh đạo Sở tiếp công dân định kỳ vào ngày thứ Năm của tuần đầu tiên hằng tháng tại trụ sở Sở.", "Công dân có thể gửi đơn qua Cổng thông tin điện tử hoặc thư điện tử của Sở."] },
    Demo { number: "88/BC-SKHCN", kind: "Báo cáo", issuer: SKHCN, signer: "Nguyễn Văn Minh", summary: "Báo cáo kết quả hoạt động khoa học và công nghệ năm 2024 và phương hướng nhiệm vụ năm 2025", issued: "2024-12-10", effect_after_days: 0, expires: None, fields: &[0], made: Made::Pdf, text: &["Năm 2024, Sở đã quản lý 42 nhiệm vụ khoa học và công nghệ cấp tỉnh, nghiệm thu 15 nhiệm vụ, trong đó 6 nhiệm vụ được ứng dụng vào sản xuất.", "Phương hướng năm 2025: tăng cường đặt hàng nhiệm vụ gắn với nhu cầu của doanh nghiệp."] },
    Demo { number: "93/BC-SKHCN", kind: "Báo cáo", issuer: SKHCN, signer: "Nguyễn Văn Minh", summary: "Báo cáo kết quả hoạt động khoa học và công nghệ năm 2025 và phương hướng nhiệm vụ năm 2026", issued: "2025-12-08", effect_after_days: 0, expires: None, fields: &[0], made: Made::Pdf, text: &["Năm 2025, tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình đạt 96%.", "Năm 2026 tập trung triển khai Chương trình phát triển khoa học, công nghệ và đổi mới sáng tạo giai đoạn mới."] },
    Demo { number: "41/BC-SKHCN", kind: "Báo cáo", issuer: SKHCN, signer: "Trần Thị Lan", summary: "Báo cáo công tác cải cách hành chính quý III năm 2025", issued: "2025-09-15", effect_after_days: 0, expires: None, fields: &[4], made: Made::Docx, text: &["Trong quý III, Sở tiếp nhận 312 hồ sơ thủ tục hành chính, giải quyết đúng hạn 100%.", "Không có phản ánh, kiến nghị về quy định hành chính trong kỳ báo cáo."] },
    Demo { number: "2345/QĐ-UBND", kind: "Quyết định", issuer: UBND, signer: "Nguyễn Hồng Hải", summary: "Công bố danh mục thủ tục hành chính lĩnh vực khoa học và công nghệ thuộc thẩm quyền giải quyết của Sở Khoa học và Công nghệ", issued: "2023-10-30", effect_after_days: 0, expires: None, fields: &[4], made: Made::Pdf, text: &["Công bố kèm theo Quyết định này 54 thủ tục hành chính lĩnh vực khoa học và công nghệ.", "Thủ tục cấp giấy chứng nhận đăng ký hoạt động khoa học và công nghệ được giải quyết trong 15 ngày làm việc."] },
    Demo { number: "1876/QĐ-UBND", kind: "Quyết định", issuer: UBND, signer: "Nguyễn Hồng Hải", summary: "Công bố danh mục thủ tục hành chính được sửa đổi, bổ sung lĩnh vực tiêu chuẩn, đo lường, chất lượng", issued: "2025-08-14", effect_after_days: 0, expires: None, fields: &[2, 4], made: Made::Pdf, text: &["Sửa đổi, bổ sung 6 thủ tục hành chính lĩnh vực tiêu chuẩn, đo lường, chất lượng.", "Thời hạn giải quyết thủ tục đăng ký công bố hợp chuẩn được rút ngắn còn 03 ngày làm việc."] },
    Demo { number: "602/QĐ-SKHCN", kind: "Quyết định", issuer: SKHCN, signer: "Lê Quang Huy", summary: "Phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng thực hiện năm 2026", issued: "2025-10-20", effect_after_days: 0, expires: None, fields: &[0], made: Made::Both, text: &["Phê duyệt 11 nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng, trong đó có nhiệm vụ ứng dụng trí tuệ nhân tạo dự báo sâu bệnh trên cây thanh long.", "Giao phòng Quản lý khoa học tổ chức tuyển chọn theo quy định."] },
    Demo { number: "118/QĐ-SKHCN", kind: "Quyết định", issuer: SKHCN, signer: "Phan Thanh Tùng", summary: "Ban hành Quy trình nội bộ giải quyết thủ tục cấp giấy phép tiến hành công việc bức xạ", issued: "2023-03-27", effect_after_days: 10, expires: None, fields: &[5, 4], made: Made::Docx, text: &["Quy trình nội bộ áp dụng đối với thủ tục cấp giấy phép sử dụng thiết bị X-quang chẩn đoán trong y tế.", "Thời gian giải quyết 10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ."] },
    Demo { number: "09/2024/TT-BKHCN", kind: "Thông tư", issuer: BO, signer: "Lê Xuân Định", summary: "Quy định về an toàn bức xạ trong y tế", issued: "2024-09-30", effect_after_days: 60, expires: None, fields: &[5], made: Made::Pdf, text: &["Cơ sở y tế sử dụng thiết bị bức xạ phải có người phụ trách an toàn và thực hiện kiểm xạ định kỳ.", "Liều giới hạn đối với nhân viên bức xạ là 20 mSv trong một năm lấy trung bình trong 5 năm liên tiếp."] },
    Demo { number: "07/2025/QĐ-UBND", kind: "Quyết định", issuer: UBND, signer: "Đoàn Anh Dũng", summary: "Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Khoa học và Công nghệ", issued: "2025-03-01", effect_after_days: 10, expires: None, fields: &[4], made: Made::Pdf, text: &["Sở Khoa học và Công nghệ là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, tham mưu quản lý nhà nước về khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số, bưu chính và viễn thông.", "Cơ cấu tổ chức gồm Văn phòng, Thanh tra, các phòng chuyên môn và đơn vị sự nghiệp trực thuộc."] },
    Demo { number: "14/2021/QĐ-UBND", kind: "Quyết định", issuer: UBND, signer: "Lê Tuấn Phong", summary: "Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Khoa học và Công nghệ", issued: "2021-04-12", effect_after_days: 10, expires: None, fields: &[4], made: Made::Pdf, text: &["Sở Khoa học và Công nghệ tham mưu, giúp Ủy ban nhân dân tỉnh quản lý nhà nước về hoạt động khoa học và công nghệ, phát triển tiềm lực khoa học và công nghệ.", "Quyết định này có hiệu lực sau 10 ngày kể từ ngày ký."] },
    Demo { number: "33/HD-SKHCN", kind: "Công văn", issuer: SKHCN, signer: "Lê Quang Huy", summary: "Hướng dẫn xây dựng thuyết minh nhiệm vụ khoa học và công nghệ cấp tỉnh", issued: "2025-03-05", effect_after_days: 0, expires: None, fields: &[0], made: Made::Docx, text: &["Thuyết minh nhiệm vụ phải nêu rõ tính cấp thiết, mục tiêu, nội dung, phương pháp nghiên cứu và dự kiến sản phẩm.", "Dự toán kinh phí lập theo định mức tại Thông tư liên tịch số 55/2015/TTLT-BTC-BKHCN."] },
    Demo { number: "1520/SKHCN-SHTT", kind: "Công văn", issuer: SKHCN, signer: "Phan Thanh Tùng", summary: "Về việc hỗ trợ đăng ký bảo hộ chỉ dẫn địa lý cho sản phẩm đặc sản của tỉnh", issued: "2025-11-12", effect_after_days: 0, expires: None, fields: &[1], made: Made::Pdf, text: &["Sở đề nghị các huyện rà soát sản phẩm đặc sản có tiềm năng đăng ký bảo hộ chỉ dẫn địa lý, nhãn hiệu chứng nhận.", "Kinh phí hỗ trợ từ Chương trình phát triển tài sản trí tuệ của tỉnh."] },
    Demo { number: "64/KH-SKHCN", kind: "Kế hoạch", issuer: SKHCN, signer: "Trần Thị Lan", summary: "Kế hoạch chuyển đổi số của Sở Khoa học và Công nghệ năm 2026", issued: "2026-01-08", effect_after_days: 0, expires: None, fields: &[3], made: Made::Docx, text: &["Năm 2026 triển khai nền tảng dữ liệu khoa học và công nghệ dùng chung của tỉnh.", "Tích hợp tìm kiếm toàn văn trong văn bản, tài liệu đính kèm trên Cổng thông tin điện tử."] },
    Demo { number: "27/TB-SKHCN", kind: "Thông báo", issuer: SKHCN, signer: "Lê Quang Huy", summary: "Thông báo nhận hồ sơ xét tặng Giải thưởng sáng tạo khoa học công nghệ tỉnh lần thứ V", issued: "2026-10-15", effect_after_days: 0, expires: Some("2027-02-28"), fields: &[0, 6], made: Made::Both, text: &["Giải thưởng xét tặng cho công trình, giải pháp khoa học và công nghệ đã được áp dụng hiệu quả trên địa bàn tỉnh.", "Hồ sơ nhận đến hết ngày 28 tháng 02 năm 2027 tại Sở Khoa học và Công nghệ."] },
    Demo { number: "11/2026/QĐ-UBND", kind: "Quyết định", issuer: UBND, signer: "Đoàn Anh Dũng", summary: "Ban hành Quy định quản lý nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà nước trên địa bàn tỉnh", issued: "2026-11-20", effect_after_days: 40, expires: None, fields: &[0], made: Made::Pdf, text: &["Quy định này áp dụng đối với nhiệm vụ khoa học và công nghệ cấp tỉnh và cấp cơ sở sử dụng ngân sách nhà nước.", "Quyết định có hiệu lực từ ngày 01 tháng 01 năm 2027."] },
    Demo { number: "19/2019/QĐ-UBND", kind: "Quyết định", issuer: UBND, signer: "Lê Tuấn Phong", summary: "Ban hành Quy định quản lý nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà nước trên địa bàn tỉnh", issued: "2019-07-09", effect_after_days: 10, expires: None, fields: &[0], made: Made::Pdf, text: &["Quy định về đề xuất, xác định, tuyển chọn, giao trực tiếp, kiểm tra, đánh giá, nghiệm thu nhiệm vụ khoa học và công nghệ.", "Hội đồng tư vấn gồm 07 hoặc 09 thành viên là chuyên gia có trình độ phù hợp."] },
    Demo { number: "256/QĐ-SKHCN", kind: "Quyết định", issuer: SKHCN, signer: "Nguyễn Văn Minh", summary: "Ban hành Kế hoạch kiểm tra chuyên ngành năm 2026", issued: "2025-12-22", effect_after_days: 0, expires: Some("2026-12-31"), fields: &[2, 5], made: Made::Docx, text: &["Kiểm tra chất lượng sản phẩm, hàng hóa lưu thông trên thị trường, đo lường và nhãn hàng hóa.", "Kiểm tra an toàn bức xạ tại các cơ sở X-quang y tế trên địa bàn tỉnh."] },
];

/// (from, to, relation): numbers of documents in [`DEMOS`].
const RELATIONS: [(&str, &str, Relation); 6] = [
    ("52/KH-SKHCN", "45/KH-SKHCN", Relation::Replaces),
    ("318/QĐ-SKHCN", "215/QĐ-SKHCN", Relation::Amends),
    ("07/2025/QĐ-UBND", "14/2021/QĐ-UBND", Relation::Replaces),
    ("11/2026/QĐ-UBND", "19/2019/QĐ-UBND", Relation::Replaces),
    ("08/2014/NĐ-CP", "29/2013/QH13", Relation::Guides),
    ("1876/QĐ-UBND", "2345/QĐ-UBND", Relation::PartlyReplaces),
];

/// Seeds the library of `site`; returns how many documents were made.
pub async fn seed(docs: &Documents, files: &FileIntake, site: SiteId) -> anyhow::Result<usize> {
    let mut terms: HashMap<&str, i64> = HashMap::new();
    for (v, names) in [
        (Vocabulary::Type, &TYPES[..]),
        (Vocabulary::Issuer, &ISSUERS[..]),
        (Vocabulary::Field, &FIELDS[..]),
    ] {
        for name in names {
            terms.insert(name, docs.ensure_term(site, v, name).await?);
        }
    }
    let mut ids: HashMap<&str, i64> = HashMap::new();
    for d in DEMOS {
        let title = format!("{} số {}", d.kind, d.number);
        let mut file_ids = Vec::new();
        let base = cong_domain::text::slugify(d.number);
        if matches!(d.made, Made::Pdf | Made::Both) {
            let bytes = cong_files::make::pdf(&title, d.text);
            let f = files
                .upload(site, None, bytes, &format!("{base}.pdf"))
                .await?;
            file_ids.push(f.id);
        }
        if matches!(d.made, Made::Docx | Made::Both) {
            let name = if matches!(d.made, Made::Both) {
                format!("Mau-kem-theo-{base}.docx")
            } else {
                format!("{base}.docx")
            };
            let bytes = cong_files::make::docx(&title, d.text);
            let f = files.upload(site, None, bytes, &name).await?;
            file_ids.push(f.id);
        }
        let issued = jiff::civil::Date::strptime("%Y-%m-%d", d.issued)?;
        let effective = if d.effect_after_days > 0 {
            issued
                .checked_add(jiff::Span::new().days(d.effect_after_days))?
                .to_string()
        } else {
            String::new()
        };
        let draft = DocumentDraft {
            number: d.number.to_owned(),
            type_id: terms[d.kind],
            issuer_id: terms[d.issuer],
            signer: d.signer.to_owned(),
            summary: d.summary.to_owned(),
            body_html: String::new(),
            issued_on: d.issued.to_owned(),
            effective_on: effective,
            expires_on: d.expires.unwrap_or_default().to_owned(),
            fields: d.fields.iter().map(|i| terms[FIELDS[*i]]).collect(),
            relations: Vec::new(),
            files: file_ids,
            slug: String::new(),
        };
        let saved = docs.import(site, &draft, Status::Published).await?;
        ids.insert(d.number, saved.id);
    }
    for (from, to, rel) in RELATIONS {
        docs.relate(site, ids[from], &[(rel, ids[to])]).await?;
    }
    Ok(DEMOS.len())
}
