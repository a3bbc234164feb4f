//! The demo's Cơ cấu tổ chức: the department's leadership, offices, divisions and the two
//! units attached to it, with fictional people (some with a photo from the library), and two
//! past directors.

use cong_domain::organisation::{Organisation, PersonForm, UnitForm};
use cong_store::SiteId;
use cong_store::organisation::UnitId;

struct Unit {
    kind: &'static str,
    name: &'static str,
    name_en: &'static str,
    duties: &'static str,
    duties_en: &'static str,
    phone: &'static str,
    email: &'static str,
    /// (name, title, title_en, phone, email local part, precedence, from, until).
    people: &'static [Person],
}

type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
);

const ADDRESS: &str = "Số 5 Nguyễn Tất Thành, phường Phú Thủy, tỉnh Bình Thuận (địa chỉ minh họa)";
const DOMAIN: &str = "skhcn.example.vn";

const UNITS: &[Unit] = &[
    Unit {
        kind: "leadership",
        name: "Ban Giám đốc",
        name_en: "Board of Directors",
        duties: "Ban Giám đốc Sở gồm Giám đốc và các Phó Giám đốc, lãnh đạo, điều hành toàn bộ \
                 hoạt động của Sở theo chế độ thủ trưởng.\n\nGiám đốc Sở chịu trách nhiệm trước \
                 Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh và trước pháp luật về thực \
                 hiện chức năng, nhiệm vụ, quyền hạn của Sở; các Phó Giám đốc giúp Giám đốc phụ \
                 trách một số lĩnh vực công tác do Giám đốc phân công.",
        duties_en: "The Board of Directors of the Department consists of the Director and the Deputy Directors, who lead and run all of the Department's work under the principle of the head's responsibility.\n\nThe Director answers to the Provincial People's Committee, its Chairman and the law for carrying out the Department's functions, duties and powers; the Deputy Directors assist the Director in the fields of work the Director assigns to them.",
        phone: "0252 3822 101",
        email: "skhcn",
        people: &[
            (
                "Nguyễn Minh Khoa",
                "Giám đốc Sở",
                "Director",
                "0252 3822 102",
                "nmkhoa",
                1,
                "2020-10-01",
                "",
            ),
            (
                "Trần Thị Thu Hà",
                "Phó Giám đốc Sở",
                "Deputy Director",
                "0252 3822 103",
                "ttthuha",
                2,
                "2019-03-15",
                "",
            ),
            (
                "Lê Quang Vinh",
                "Phó Giám đốc Sở",
                "Deputy Director",
                "0252 3822 104",
                "lqvinh",
                3,
                "2022-07-01",
                "",
            ),
            (
                "Hoàng Văn Bình",
                "Giám đốc Sở",
                "Director",
                "",
                "",
                1,
                "2015-01-01",
                "2020-09-30",
            ),
            (
                "Phạm Đức Thắng",
                "Giám đốc Sở",
                "Director",
                "",
                "",
                1,
                "2008-06-01",
                "2014-12-31",
            ),
        ],
    },
    Unit {
        kind: "department",
        name: "Văn phòng Sở",
        name_en: "Office of the Department",
        duties: "Tham mưu, tổng hợp, điều phối hoạt động của Sở theo chương trình, kế hoạch công \
                 tác; thực hiện công tác hành chính, văn thư, lưu trữ, tổ chức cán bộ, thi đua \
                 khen thưởng.\n\nTiếp nhận và trả kết quả giải quyết thủ tục hành chính tại Bộ \
                 phận Một cửa của Sở.",
        duties_en: "Advises on, coordinates and reports on the Department's work according to its programmes and work plans; handles administration, correspondence, archives, personnel, and emulation and commendation.\n\nReceives applications and returns the results of administrative procedures at the Department's one-stop desk.",
        phone: "0252 3822 110",
        email: "vanphong.skhcn",
        people: &[
            (
                "Đặng Thị Mai",
                "Chánh Văn phòng",
                "Chief of Office",
                "0252 3822 111",
                "dtmai",
                1,
                "2021-01-01",
                "",
            ),
            (
                "Võ Thanh Tùng",
                "Phó Chánh Văn phòng",
                "Deputy Chief of Office",
                "0252 3822 112",
                "vttung",
                2,
                "2023-05-01",
                "",
            ),
        ],
    },
    Unit {
        kind: "department",
        name: "Thanh tra Sở",
        name_en: "Department Inspectorate",
        duties: "Thanh tra hành chính và thanh tra chuyên ngành về khoa học và công nghệ; tiếp \
                 công dân, giải quyết khiếu nại, tố cáo và phòng, chống tham nhũng theo quy định \
                 của pháp luật.",
        duties_en: "Carries out administrative inspection and specialised inspection in science and technology; receives citizens, settles complaints and denunciations, and prevents and fights corruption as the law provides.",
        phone: "0252 3822 120",
        email: "thanhtra.skhcn",
        people: &[
            (
                "Bùi Văn Hải",
                "Chánh Thanh tra",
                "Chief Inspector",
                "0252 3822 121",
                "bvhai",
                1,
                "2020-04-01",
                "",
            ),
            (
                "Ngô Thị Lan",
                "Phó Chánh Thanh tra",
                "Deputy Chief Inspector",
                "0252 3822 122",
                "ntlan",
                2,
                "2022-02-01",
                "",
            ),
        ],
    },
    Unit {
        kind: "department",
        name: "Phòng Kế hoạch – Tài chính",
        name_en: "Planning and Finance Division",
        duties: "Tham mưu xây dựng kế hoạch, dự toán ngân sách khoa học và công nghệ hằng năm; \
                 quản lý tài chính, tài sản của Sở; hướng dẫn, kiểm tra việc sử dụng kinh phí \
                 các nhiệm vụ khoa học và công nghệ.",
        duties_en: "Advises on the yearly science and technology plan and budget estimates; manages the Department's finances and assets; guides and checks the use of the funds of science and technology tasks.",
        phone: "0252 3822 130",
        email: "khtc.skhcn",
        people: &[
            (
                "Huỳnh Ngọc Ánh",
                "Trưởng phòng",
                "Head of Division",
                "0252 3822 131",
                "hnanh",
                1,
                "2018-09-01",
                "",
            ),
            (
                "Phan Văn Lộc",
                "Phó Trưởng phòng",
                "Deputy Head of Division",
                "0252 3822 132",
                "pvloc",
                2,
                "2021-06-01",
                "",
            ),
        ],
    },
    Unit {
        kind: "department",
        name: "Phòng Quản lý khoa học",
        name_en: "Science Management Division",
        duties: "Tham mưu quản lý các nhiệm vụ khoa học và công nghệ cấp tỉnh: xác định, tuyển \
                 chọn, kiểm tra, đánh giá nghiệm thu và ứng dụng kết quả; quản lý hoạt động khoa \
                 học xã hội và nhân văn, khoa học tự nhiên.",
        duties_en: "Advises on the management of provincial science and technology tasks: defining, selecting, checking, evaluating and accepting them and applying their results; manages work in the social sciences and humanities and the natural sciences.",
        phone: "0252 3822 140",
        email: "qlkh.skhcn",
        people: &[(
            "Trịnh Thị Hồng",
            "Trưởng phòng",
            "Head of Division",
            "0252 3822 141",
            "tthong",
            1,
            "2019-11-01",
            "",
        )],
    },
    Unit {
        kind: "department",
        name: "Phòng Quản lý công nghệ và Thông tin KH&CN",
        name_en: "Technology Management and S&T Information Division",
        duties: "Tham mưu quản lý hoạt động chuyển giao, đánh giá, thẩm định công nghệ, phát triển \
                 thị trường khoa học và công nghệ, doanh nghiệp khoa học và công nghệ.\n\nQuản lý \
                 hoạt động thông tin, thống kê khoa học và công nghệ; sở hữu trí tuệ; an toàn bức \
                 xạ và hạt nhân.",
        duties_en: "Advises on the management of technology transfer, assessment and appraisal, and on developing the science and technology market and science and technology enterprises.\n\nManages science and technology information and statistics, intellectual property, and radiation and nuclear safety.",
        phone: "0252 3822 150",
        email: "qlcn.skhcn",
        people: &[
            (
                "Lâm Quốc Bảo",
                "Trưởng phòng",
                "Head of Division",
                "0252 3822 151",
                "lqbao",
                1,
                "2020-08-01",
                "",
            ),
            (
                "Đỗ Thị Ngọc Trâm",
                "Phó Trưởng phòng",
                "Deputy Head of Division",
                "0252 3822 152",
                "dtntram",
                2,
                "2023-01-01",
                "",
            ),
        ],
    },
    Unit {
        kind: "affiliate",
        name: "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        name_en: "Sub-department of Standards, Metrology and Quality",
        duties: "Tham mưu, giúp Giám đốc Sở quản lý nhà nước về tiêu chuẩn, đo lường, chất lượng \
                 sản phẩm, hàng hóa; mã số, mã vạch; năng suất chất lượng; kiểm tra nhà nước về \
                 đo lường và chất lượng hàng hóa lưu thông trên thị trường.",
        duties_en: "Advises and assists the Director of the Department in the state management of standards, metrology and the quality of products and goods; codes and barcodes; productivity and quality; and state inspection of measurement and of the quality of goods on the market.",
        phone: "0252 3822 160",
        email: "tdc.skhcn",
        people: &[
            (
                "Mai Xuân Trường",
                "Chi cục trưởng",
                "Director of the Sub-department",
                "0252 3822 161",
                "mxtruong",
                1,
                "2021-03-01",
                "",
            ),
            (
                "Cao Thị Bích Ngọc",
                "Phó Chi cục trưởng",
                "Deputy Director of the Sub-department",
                "0252 3822 162",
                "ctbngoc",
                2,
                "2022-09-01",
                "",
            ),
        ],
    },
    Unit {
        kind: "affiliate",
        name: "Trung tâm Ứng dụng tiến bộ KH&CN",
        name_en: "Centre for Application of Scientific and Technological Advances",
        duties: "Đơn vị sự nghiệp công lập trực thuộc Sở: nghiên cứu, ứng dụng, chuyển giao tiến \
                 bộ khoa học và công nghệ vào sản xuất và đời sống; dịch vụ phân tích, thử nghiệm, \
                 tư vấn, đào tạo.",
        duties_en: "A public service unit attached to the Department: researches, applies and transfers scientific and technological advances into production and daily life; offers analysis, testing, consulting and training services.",
        phone: "0252 3822 170",
        email: "ttud.skhcn",
        people: &[(
            "Tạ Minh Quân",
            "Giám đốc Trung tâm",
            "Director of the Centre",
            "0252 3822 171",
            "tmquan",
            1,
            "2020-01-01",
            "",
        )],
    },
];

/// Writes the structure through the domain (as the command line); returns how many people.
pub async fn seed(
    store: &cong_store::Store,
    org: &Organisation,
    site: SiteId,
) -> anyhow::Result<usize> {
    // A few of the library's pictures stand for portraits; the rest have none.
    let (media, _) = store.media(site).list(None, 4, 0).await?;
    let mut photos = media.iter().map(|m| m.id.to_string());
    let mut people = 0;
    for u in UNITS {
        let id: UnitId = org
            .seed_unit(
                site,
                &UnitForm {
                    kind: u.kind.to_owned(),
                    name: u.name.to_owned(),
                    name_en: u.name_en.to_owned(),
                    duties: u.duties.to_owned(),
                    duties_en: u.duties_en.to_owned(),
                    address: ADDRESS.to_owned(),
                    phone: u.phone.to_owned(),
                    email: format!("{}@{DOMAIN}", u.email),
                    ..UnitForm::default()
                },
            )
            .await?;
        for (i, p) in u.people.iter().enumerate() {
            let (name, title, title_en, phone, email, precedence, from, until) = *p;
            let photo = if i == 0 && until.is_empty() {
                photos.next().unwrap_or_default()
            } else {
                String::new()
            };
            org.seed_person(
                site,
                &PersonForm {
                    unit: id.0.to_string(),
                    name: name.to_owned(),
                    title: title.to_owned(),
                    title_en: title_en.to_owned(),
                    photo,
                    phone: phone.to_owned(),
                    email: if email.is_empty() {
                        String::new()
                    } else {
                        format!("{email}@{DOMAIN}")
                    },
                    precedence: precedence.to_string(),
                    served_from: from.to_owned(),
                    served_until: until.to_owned(),
                },
            )
            .await?;
            people += 1;
        }
    }
    Ok(people)
}
