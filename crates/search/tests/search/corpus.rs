//! A small Vietnamese corpus for the tests and `relevance.tsv`: short articles of a
//! provincial portal, with minimal pairs on purpose (Đảng/Đăng/đang, đường/dương/đương), a
//! phrase that also appears scattered, a title-only and a body-only match for the same words,
//! and a body that carries markup.
//!
//! To write a relevance table for other content, follow the same pattern: a few articles per
//! section, each with a distinctive title, and queries whose best answer a person would agree on.

use cong_search::{Doc, Index};

/// 2025-01-01T00:00:00Z.
pub const JAN_1_2025: i64 = 1_735_689_600;
pub const DAY: i64 = 86_400;

pub const SECTIONS: [(i64, &str); 8] = [
    (1, "Tin tức - Sự kiện"),
    (2, "Xây dựng Đảng"),
    (3, "Kinh tế"),
    (4, "Giao thông - Xây dựng"),
    (5, "Cải cách hành chính"),
    (6, "Khoa học - Công nghệ"),
    (7, "Văn hóa - Xã hội"),
    (8, "Nông nghiệp - Nông thôn"),
];

/// (slug, section, day of 2025 from 0, title, summary, body HTML)
const ARTICLES: [(&str, i64, i64, &str, &str, &str); 46] = [
    (
        "hoi-nghi-tap-huan-chuyen-doi-so",
        6,
        10,
        "Hội nghị tập huấn về chuyển đổi số cho cán bộ cấp xã",
        "Sở Khoa học và Công nghệ tổ chức hội nghị tập huấn về chuyển đổi số cho hơn 300 cán bộ, công chức cấp xã.",
        "<p>Sáng 10/1, Sở Khoa học và Công nghệ phối hợp với Sở Thông tin và Truyền thông tổ chức <strong>hội nghị tập huấn</strong> về chuyển đổi số cho cán bộ, công chức cấp xã trên địa bàn tỉnh.</p><p>Tại hội nghị, các báo cáo viên giới thiệu nền tảng số dùng chung, chữ ký số và cách cung cấp dịch vụ công trực tuyến toàn trình cho người dân.</p>",
    ),
    (
        "tap-huan-nghiep-vu-hoi-nong-dan",
        8,
        40,
        "Tập huấn nghiệp vụ cho cán bộ Hội Nông dân",
        "Lớp tập huấn giúp cán bộ hội cơ sở nắm vững kỹ năng vận động hội viên.",
        "<p>Hội Nông dân tỉnh mở lớp tập huấn nghiệp vụ cho 120 cán bộ hội cơ sở. Học viên được phổ biến nghị quyết của Ban Chấp hành về phát triển hội viên và kỹ năng tuyên truyền pháp luật.</p>",
    ),
    (
        "dang-ky-ket-hon-truc-tuyen",
        5,
        55,
        "Đăng ký kết hôn trực tuyến: người dân không phải đến trụ sở",
        "Từ tháng 3, người dân có thể đăng ký kết hôn qua Cổng dịch vụ công và nhận kết quả tại nhà.",
        "<p>Ủy ban nhân dân tỉnh triển khai thủ tục đăng ký kết hôn trực tuyến trên Cổng dịch vụ công quốc gia. Hai bên nam, nữ khai thông tin, tải bản chụp giấy tờ và đặt lịch nhận giấy chứng nhận kết hôn.</p><p>Lệ phí được thanh toán trực tuyến.</p>",
    ),
    (
        "dai-hoi-dang-bo-tinh-lan-thu-xv",
        2,
        120,
        "Đại hội Đảng bộ tỉnh lần thứ XV, nhiệm kỳ 2025–2030",
        "Đại hội đã bầu Ban Chấp hành Đảng bộ tỉnh gồm 55 đồng chí và thông qua nghị quyết đại hội.",
        "<p>Đại hội đại biểu Đảng bộ tỉnh lần thứ XV diễn ra trong ba ngày với sự tham dự của 350 đại biểu, đại diện cho hơn 90.000 đảng viên.</p><p>Đại hội xác định ba đột phá chiến lược: hạ tầng giao thông, nguồn nhân lực và cải cách hành chính.</p>",
    ),
    (
        "hoi-nghi-ban-chap-hanh-dang-bo",
        2,
        150,
        "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ hai",
        "Hội nghị cho ý kiến về chương trình làm việc toàn khóa và quy chế làm việc.",
        "<p>Hội nghị Ban Chấp hành Đảng bộ tỉnh khóa XV đã thảo luận, thống nhất chương trình làm việc toàn khóa, quy chế làm việc của Ban Chấp hành, Ban Thường vụ và Thường trực Tỉnh ủy.</p>",
    ),
    (
        "ket-nap-dang-vien-moi",
        2,
        200,
        "Kết nạp 1.200 đảng viên mới trong sáu tháng đầu năm",
        "Công tác phát triển đảng viên được chú trọng ở khu vực doanh nghiệp ngoài nhà nước.",
        "<p>Các tổ chức cơ sở đảng đã kết nạp 1.200 đảng viên mới, trong đó 40% là đoàn viên thanh niên. Nhiều chi bộ được thành lập tại doanh nghiệp tư nhân.</p>",
    ),
    (
        "duong-giao-thong-nong-thon-ve-dich",
        4,
        60,
        "Đường giao thông nông thôn về đích sớm hai năm",
        "Toàn tỉnh đã cứng hóa 1.500 km đường giao thông nông thôn, vượt kế hoạch đề ra.",
        "<p>Với phương châm nhà nước và nhân dân cùng làm, các địa phương đã bê tông hóa 1.500 km đường giao thông nông thôn. Nhiều tuyến đường liên xã được mở rộng lên 5 mét, có rãnh thoát nước và đèn chiếu sáng.</p>",
    ),
    (
        "cay-duong-lieu-ven-bien",
        8,
        75,
        "Trồng 20.000 cây dương liễu chắn cát ven biển",
        "Rừng dương liễu phòng hộ giúp giữ đất, chắn gió cát cho các làng ven biển.",
        "<p>Ban quản lý rừng phòng hộ trồng mới 20.000 cây dương liễu trên dải cát ven biển. Cây dương có sức sống tốt, chịu được gió mặn và giúp cố định cồn cát.</p>",
    ),
    (
        "chu-tich-duong-nhiem-tiep-cong-dan",
        1,
        90,
        "Chủ tịch đương nhiệm tiếp công dân định kỳ",
        "Chủ tịch Ủy ban nhân dân tỉnh đương nhiệm trực tiếp tiếp công dân, giải quyết kiến nghị tồn đọng.",
        "<p>Tại buổi tiếp công dân định kỳ tháng 4, Chủ tịch Ủy ban nhân dân tỉnh đã nghe và giải quyết 12 kiến nghị liên quan đến đất đai, bồi thường giải phóng mặt bằng.</p>",
    ),
    (
        "cai-cach-hanh-chinh-2025",
        5,
        30,
        "Đẩy mạnh cải cách hành chính, nâng cao sự hài lòng của người dân",
        "Tỉnh đặt mục tiêu 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình.",
        "<p>Kế hoạch cải cách hành chính năm 2025 tập trung vào cắt giảm thủ tục, số hóa hồ sơ và nâng cao chất lượng phục vụ tại Trung tâm Phục vụ hành chính công.</p>",
    ),
    (
        "chi-so-par-index-tang-5-bac",
        5,
        100,
        "Chỉ số PAR INDEX của tỉnh tăng 5 bậc",
        "Kết quả công bố chỉ số cải cách hành chính năm 2024 cho thấy nhiều tiến bộ.",
        "<p>Bộ Nội vụ công bố chỉ số cải cách hành chính (PAR INDEX) năm 2024; tỉnh xếp thứ 12/63, tăng 5 bậc so với năm trước.</p>",
    ),
    (
        "trao-hoc-bong-hoc-sinh-ngheo",
        7,
        250,
        "Trao 500 suất học bổng cho học sinh nghèo vượt khó",
        "Mỗi suất trị giá 2 triệu đồng, do các doanh nghiệp và nhà hảo tâm tài trợ.",
        "<p>Quỹ Khuyến học tỉnh phối hợp với các doanh nghiệp trao 500 suất cho học sinh có hoàn cảnh khó khăn, học giỏi.</p>",
    ),
    (
        "quy-khuyen-hoc-van-dong-3-ty-dong",
        7,
        260,
        "Quỹ khuyến học vận động được 3 tỷ đồng",
        "Số tiền vận động sẽ dùng để trao học bổng và hỗ trợ sinh viên.",
        "<p>Năm học này, quỹ dành 1 tỷ đồng cho học bổng đại học, 1 tỷ đồng cho học bổng phổ thông và phần còn lại để hỗ trợ học sinh vùng cao. Các suất học bổng được xét công khai.</p>",
    ),
    (
        "canh-bao-ma-doc-email",
        6,
        280,
        "Cảnh báo mã độc ẩn trong tệp đính kèm email",
        "Tin tặc chèn đoạn mã <script> vào tệp HTML gửi qua thư điện tử.",
        "<p>Trung tâm An toàn thông tin cảnh báo: tệp đính kèm chứa đoạn mã &lt;script&gt;alert('x')&lt;/script&gt; sẽ chạy khi người dùng mở bằng trình duyệt.</p><script>document.write('không được lập chỉ mục')</script><p>Người dùng không nên mở tệp đính kèm lạ.</p>",
    ),
    (
        "ngay-hoi-van-hoa-cac-dan-toc",
        7,
        300,
        "Ngày hội văn hóa các dân tộc miền núi",
        "Hơn 1.000 nghệ nhân, diễn viên tham gia trình diễn trang phục, ẩm thực truyền thống.",
        "<p>Ngày hội văn hóa, thể thao và du lịch các dân tộc thiểu số được tổ chức tại huyện miền núi với nhiều hoạt động: thi cồng chiêng, dệt thổ cẩm, giã bánh giầy.</p>",
    ),
    (
        "them-15-xa-dat-chuan-nong-thon-moi-nang-cao",
        8,
        20,
        "Thêm 15 xã đạt chuẩn nông thôn mới nâng cao",
        "Chương trình xây dựng nông thôn mới đã thay đổi diện mạo nhiều vùng quê.",
        "<p>Đến nay toàn tỉnh có 85% số xã đạt chuẩn nông thôn mới, 15 xã đạt chuẩn nông thôn mới nâng cao. Thu nhập bình quân của người dân nông thôn đạt 60 triệu đồng mỗi năm.</p>",
    ),
    (
        "gia-lua-tang-nong-dan-phan-khoi",
        8,
        110,
        "Giá lúa tăng, nông dân phấn khởi vào vụ thu hoạch",
        "Thương lái thu mua lúa tươi tại ruộng với giá 8.000 đồng/kg.",
        "<p>Vụ đông xuân năm nay năng suất lúa đạt 7 tấn/ha. Giá lúa tăng giúp nông dân có lãi 30 triệu đồng mỗi héc-ta.</p>",
    ),
    (
        "khoi-cong-cau-vuot-song-noi-hai-huyen",
        4,
        130,
        "Khởi công cầu vượt sông nối hai huyện",
        "Cây cầu dài 800 m với tổng vốn đầu tư 600 tỷ đồng, dự kiến hoàn thành năm 2027.",
        "<p>Cầu được thiết kế 4 làn xe, kết nối tuyến đường tỉnh với quốc lộ, rút ngắn thời gian đi lại giữa hai huyện.</p>",
    ),
    (
        "cao-toc-bac-nam-thong-xe-ky-thuat",
        4,
        170,
        "Cao tốc Bắc – Nam đoạn qua tỉnh thông xe kỹ thuật",
        "Tuyến cao tốc dài 65 km giúp giảm tải cho quốc lộ 1.",
        "<p>Sau hai năm thi công, đoạn cao tốc qua tỉnh đã thông xe kỹ thuật. Nhà thầu đang hoàn thiện hệ thống an toàn giao thông và trạm dừng nghỉ.</p>",
    ),
    (
        "thu-hut-500-trieu-usd-von-fdi",
        3,
        140,
        "Thu hút 500 triệu USD vốn đầu tư trực tiếp nước ngoài",
        "Các dự án FDI tập trung vào công nghiệp chế biến, năng lượng tái tạo.",
        "<p>Sáu tháng đầu năm, tỉnh cấp mới 15 dự án FDI với tổng vốn đăng ký 500 triệu USD. Khu công nghiệp phía Bắc thu hút nhiều nhà đầu tư Hàn Quốc, Nhật Bản.</p>",
    ),
    (
        "hop-tac-xa-kieu-moi",
        8,
        210,
        "Phát triển hợp tác xã kiểu mới gắn với chuỗi giá trị",
        "Nhiều hợp tác xã ứng dụng công nghệ cao, liên kết tiêu thụ nông sản.",
        "<p>Tỉnh hiện có 320 hợp tác xã nông nghiệp, trong đó 45 hợp tác xã ứng dụng công nghệ cao trong sản xuất rau, quả.</p>",
    ),
    (
        "98-phan-tram-ho-so-truc-tuyen-toan-trinh",
        5,
        180,
        "98% hồ sơ được giải quyết qua dịch vụ công trực tuyến toàn trình",
        "Người dân nộp hồ sơ, theo dõi tiến độ và nhận kết quả ngay trên điện thoại.",
        "<p>Trung tâm Phục vụ hành chính công tỉnh cho biết tỷ lệ hồ sơ trực tuyến toàn trình đạt 98%. Các thủ tục phổ biến gồm cấp giấy phép xây dựng, đăng ký hộ kinh doanh và chứng thực.</p>",
    ),
    (
        "cap-the-can-cuoc-cho-tre-em",
        5,
        195,
        "Cấp thẻ căn cước cho trẻ em dưới 14 tuổi",
        "Công an tỉnh hướng dẫn thủ tục cấp căn cước cho trẻ em theo Luật Căn cước.",
        "<p>Cha mẹ có thể đăng ký cấp căn cước cho con qua ứng dụng định danh điện tử VNeID hoặc tại bộ phận một cửa.</p>",
    ),
    (
        "ung-dung-tri-tue-nhan-tao-trong-y-te",
        6,
        220,
        "Ứng dụng trí tuệ nhân tạo trong chẩn đoán hình ảnh y tế",
        "Bệnh viện đa khoa tỉnh thí điểm phần mềm AI đọc phim X-quang.",
        "<p>Phần mềm trí tuệ nhân tạo hỗ trợ bác sĩ phát hiện tổn thương phổi trên phim X-quang với độ chính xác 95%. Đây là bước quan trọng trong chuyển đổi số ngành y tế.</p>",
    ),
    (
        "khanh-thanh-trung-tam-du-lieu-tinh",
        6,
        240,
        "Khánh thành Trung tâm dữ liệu tỉnh",
        "Trung tâm lưu trữ cơ sở dữ liệu dùng chung của các sở, ngành và địa phương.",
        "<p>Trung tâm dữ liệu đạt tiêu chuẩn Tier III, bảo đảm an toàn thông tin và là hạ tầng cốt lõi cho chuyển đổi số, chính quyền số của tỉnh.</p>",
    ),
    (
        "phong-chong-dich-sot-xuat-huyet",
        7,
        230,
        "Chủ động phòng chống dịch sốt xuất huyết mùa mưa",
        "Ngành y tế ra quân diệt lăng quăng, bọ gậy tại các khu dân cư.",
        "<p>Số ca mắc sốt xuất huyết tăng 20% so với cùng kỳ. Người dân cần đậy kín dụng cụ chứa nước và ngủ màn kể cả ban ngày.</p>",
    ),
    (
        "hon-20000-thi-sinh-thi-tot-nghiep",
        7,
        175,
        "Hơn 20.000 thí sinh dự thi tốt nghiệp trung học phổ thông",
        "Kỳ thi diễn ra an toàn, nghiêm túc tại 45 điểm thi.",
        "<p>Sở Giáo dục và Đào tạo bố trí 2.000 cán bộ coi thi. Thí sinh ở vùng sâu được hỗ trợ chỗ ở, phương tiện đi lại.</p>",
    ),
    (
        "le-hoi-dua-thuyen-truyen-thong",
        7,
        244,
        "Lễ hội đua thuyền truyền thống trên sông",
        "Hàng nghìn người dân cổ vũ các đội đua thuyền rồng.",
        "<p>Lễ hội đua thuyền được tổ chức vào dịp Quốc khánh, thu hút 24 đội thuyền của các xã ven sông tham gia.</p>",
    ),
    (
        "hoi-thao-phat-trien-kinh-te-bien",
        3,
        160,
        "Hội thảo phát triển kinh tế biển bền vững",
        "Các chuyên gia đề xuất giải pháp phát triển cảng biển, du lịch và nuôi trồng thủy sản.",
        "<p>Hội thảo quy tụ hơn 200 nhà khoa học, doanh nghiệp bàn về quy hoạch không gian biển và bảo vệ môi trường biển.</p>",
    ),
    (
        "hoi-nghi-xuc-tien-dau-tu-2025",
        3,
        300,
        "Hội nghị xúc tiến đầu tư năm 2025 thu hút 40 dự án",
        "Tại hội nghị, tỉnh trao quyết định chủ trương đầu tư cho 12 dự án.",
        "<p>Hội nghị xúc tiến đầu tư có sự tham dự của đại diện các đại sứ quán, hiệp hội doanh nghiệp. Tổng vốn đăng ký đạt 2 tỷ USD.</p>",
    ),
    (
        "hoi-nghi-tong-ket-nganh-nong-nghiep-2024",
        8,
        5,
        "Hội nghị tổng kết ngành nông nghiệp năm 2024",
        "Giá trị sản xuất nông nghiệp tăng 3,5%; sản lượng lương thực đạt 1,2 triệu tấn.",
        "<p>Hội nghị đánh giá kết quả thực hiện kế hoạch năm 2024, triển khai nhiệm vụ năm 2025 với trọng tâm là nông nghiệp sinh thái, nông thôn hiện đại, nông dân văn minh.</p>",
    ),
    (
        "dang-bo-xa-lanh-dao-kinh-te-tap-the",
        2,
        290,
        "Đảng bộ xã lãnh đạo phát triển kinh tế tập thể",
        "Nghị quyết chuyên đề của Đảng bộ xã đang phát huy hiệu quả.",
        "<p>Sau hai năm thực hiện nghị quyết, thu nhập của xã viên hợp tác xã tăng gấp đôi. Đảng bộ xã đang tiếp tục chỉ đạo mở rộng mô hình.</p>",
    ),
    (
        "tinh-dang-cai-giai-bong-da-thieu-nien",
        7,
        265,
        "Tỉnh đăng cai giải bóng đá thiếu niên toàn quốc",
        "Giải đấu quy tụ 16 đội bóng đến từ các địa phương.",
        "<p>Sân vận động tỉnh được nâng cấp mặt cỏ, hệ thống chiếu sáng để phục vụ giải đấu.</p>",
    ),
    (
        "cac-xa-so-hoa-so-ho-tich",
        5,
        270,
        "Các xã đang khẩn trương số hóa sổ hộ tịch",
        "Dữ liệu hộ tịch từ năm 1945 đến nay sẽ được đưa vào cơ sở dữ liệu điện tử.",
        "<p>Công chức tư pháp – hộ tịch các xã đang nhập liệu, đối chiếu hơn 2 triệu trang sổ khai sinh, kết hôn, khai tử.</p>",
    ),
    (
        "quy-hoach-khu-do-thi-moi-phia-nam",
        4,
        150,
        "Phê duyệt quy hoạch khu đô thị mới phía Nam thành phố",
        "Khu đô thị rộng 300 ha gồm nhà ở xã hội, công viên và trường học.",
        "<p>Quy hoạch chi tiết tỷ lệ 1/500 xác định mạng lưới đường nội bộ, hệ thống cấp thoát nước và cây xanh.</p>",
    ),
    (
        "khoi-cong-nha-o-xa-hoi-cho-cong-nhan",
        4,
        215,
        "Khởi công dự án nhà ở xã hội cho công nhân",
        "Dự án 1.000 căn hộ dành cho công nhân khu công nghiệp, giá bán dưới 15 triệu đồng/m².",
        "<p>Người mua nhà ở xã hội được vay ưu đãi lãi suất 6,6%/năm trong 25 năm.</p>",
    ),
    (
        "xuat-khau-thuy-san-dat-300-trieu-usd",
        3,
        190,
        "Xuất khẩu thủy sản đạt 300 triệu USD",
        "Tôm và cá tra là hai mặt hàng chủ lực, thị trường chính là Mỹ và EU.",
        "<p>Kim ngạch xuất khẩu thủy sản tăng 12%. Doanh nghiệp đẩy mạnh truy xuất nguồn gốc để đáp ứng yêu cầu của thị trường châu Âu.</p>",
    ),
    (
        "hoi-cho-san-pham-ocop",
        3,
        255,
        "Hội chợ sản phẩm OCOP và đặc sản vùng miền",
        "Hơn 200 gian hàng giới thiệu sản phẩm đạt chuẩn OCOP 3 sao trở lên.",
        "<p>Hội chợ là dịp để các hợp tác xã, hộ kinh doanh quảng bá sản phẩm, kết nối tiêu thụ với hệ thống siêu thị.</p>",
    ),
    (
        "an-toan-giao-thong-dip-tet",
        1,
        25,
        "Bảo đảm trật tự an toàn giao thông dịp Tết Nguyên đán",
        "Lực lượng cảnh sát giao thông tăng cường tuần tra, xử lý vi phạm nồng độ cồn.",
        "<p>Trong 9 ngày nghỉ Tết, toàn tỉnh xảy ra 5 vụ tai nạn giao thông, giảm 3 vụ so với cùng kỳ. Người dân đã có ý thức không lái xe sau khi uống rượu bia.</p>",
    ),
    (
        "mua-lu-gay-sat-lo-duong-mien-nui",
        1,
        285,
        "Mưa lũ gây sạt lở nhiều tuyến đường miền núi",
        "Lực lượng chức năng khẩn trương khắc phục, bảo đảm thông tuyến.",
        "<p>Mưa lớn kéo dài khiến 12 điểm sạt lở trên quốc lộ và đường tỉnh. Các đơn vị đã huy động máy móc dọn đất đá, lập biển cảnh báo.</p>",
    ),
    (
        "thong-bao-tuyen-dung-cong-chuc-2025",
        1,
        205,
        "Thông báo tuyển dụng công chức năm 2025",
        "Tỉnh tuyển 150 chỉ tiêu công chức hành chính cấp tỉnh, cấp huyện.",
        "<p>Thí sinh nộp phiếu đăng ký dự tuyển trực tuyến. Thi tuyển gồm hai vòng: thi trắc nghiệm trên máy tính và thi viết.</p>",
    ),
    (
        "hoc-tap-va-lam-theo-tu-tuong-ho-chi-minh",
        2,
        135,
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Nhiều tập thể, cá nhân được biểu dương vì có cách làm sáng tạo.",
        "<p>Hội nghị sơ kết 5 năm thực hiện Chỉ thị 05 của Bộ Chính trị biểu dương 50 tập thể và 100 cá nhân tiêu biểu.</p>",
    ),
    (
        "ho-tro-doanh-nghiep-nho-chuyen-doi-so",
        6,
        225,
        "Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số",
        "Chương trình miễn phí phần mềm kế toán, hóa đơn điện tử trong một năm.",
        "<p>Hơn 500 doanh nghiệp nhỏ và vừa đăng ký tham gia chương trình. Doanh nghiệp được tư vấn lộ trình chuyển đổi số phù hợp.</p>",
    ),
    (
        "khuyen-khich-dien-mat-troi-mai-nha",
        3,
        245,
        "Khuyến khích lắp điện mặt trời mái nhà tự sản tự tiêu",
        "Hộ gia đình, doanh nghiệp được hướng dẫn thủ tục đấu nối.",
        "<p>Điện mặt trời mái nhà giúp doanh nghiệp giảm 30% chi phí điện năng.</p>",
    ),
    (
        "cuoc-thi-sang-tao-thanh-thieu-nien",
        6,
        275,
        "Cuộc thi sáng tạo thanh thiếu niên nhi đồng",
        "Ban tổ chức nhận 150 mô hình, sản phẩm sáng tạo.",
        "<p>Nhiều sản phẩm ứng dụng Internet vạn vật (IoT) vào tưới tiêu tự động, cảnh báo cháy rừng.</p>",
    ),
    (
        "tap-huan-ky-nang-phong-chong-thien-tai",
        1,
        281,
        "Tập huấn kỹ năng phòng chống thiên tai cho lực lượng xung kích",
        "Hơn 200 thành viên đội xung kích các xã được hướng dẫn kỹ năng cứu hộ.",
        "<p>Sáng 8/10, Ban Chỉ huy phòng chống thiên tai tỉnh tổ chức hội nghị tập huấn kỹ năng cứu hộ, cứu nạn cho thành viên đội xung kích các xã.</p>",
    ),
];

pub fn section_name(id: i64) -> String {
    SECTIONS
        .iter()
        .find(|(s, _)| *s == id)
        .map_or_else(String::new, |(_, name)| (*name).to_owned())
}

/// The corpus; ids from 1 in table order, published at 08:00 UTC on their day.
pub fn corpus() -> Vec<Doc> {
    ARTICLES
        .iter()
        .zip(1..)
        .map(|(&(slug, section, day, title, summary, body), id)| Doc {
            site_id: 1,
            id,
            title: title.to_owned(),
            summary: summary.to_owned(),
            body_html: body.to_owned(),
            section_id: section,
            section_name: section_name(section),
            slug: slug.to_owned(),
            published_at: JAN_1_2025 + day * DAY + 8 * 3600,
            ..Doc::default()
        })
        .collect()
}

pub fn doc(slug: &str) -> Doc {
    corpus()
        .into_iter()
        .find(|d| d.slug == slug)
        .unwrap_or_else(|| panic!("no article {slug} in the corpus"))
}

/// An in-memory index of the corpus.
pub fn index() -> Index {
    let index = Index::in_memory().expect("in-memory index");
    let n = index.rebuild(corpus(), |_| {}).expect("rebuild");
    assert_eq!(n, ARTICLES.len() as u64);
    index
}
