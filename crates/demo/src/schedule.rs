//! The demo's Lịch công tác: the week the demo is loaded in and the next, for the Sở Khoa
//! học và Công nghệ's Giám đốc and two Phó Giám đốc (fictional names): the Monday giao ban
//! (recurring, copied into the next week), meetings, field visits; one entry adjusted after
//! publication.

use cong_domain::auth::By;
use cong_domain::schedule::calendar::{add_days, monday_of};
use cong_domain::schedule::{RowInput, Schedule};
use cong_store::SiteId;

const GIAM_DOC: &str = "Giám đốc Trần Minh Khoa";
const PGD_1: &str = "Phó Giám đốc Lê Thị Hồng Nhung";
const PGD_2: &str = "Phó Giám đốc Phạm Quốc Bảo";

/// (day of the week from 0 = Monday, start, end, leaders, content, place, host,
/// participants, recurring)
type Line = (
    i64,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

const THIS_WEEK: &[Line] = &[
    (
        0,
        "07:30",
        "09:00",
        &[GIAM_DOC, PGD_1, PGD_2],
        "Giao ban lãnh đạo Sở đầu tuần",
        "Phòng họp tầng 2, trụ sở Sở",
        "Văn phòng Sở",
        "Ban Giám đốc; Chánh Văn phòng; Trưởng các phòng, đơn vị trực thuộc",
        true,
    ),
    (
        0,
        "14:00",
        "",
        &[PGD_1],
        "Làm việc với Trung tâm Ứng dụng tiến bộ khoa học và công nghệ về kế hoạch năm sau",
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
        "Phòng Kế hoạch - Tài chính",
        "Lãnh đạo Trung tâm; Phòng Kế hoạch - Tài chính",
        false,
    ),
    (
        1,
        "08:00",
        "11:30",
        &[GIAM_DOC],
        "Dự Hội nghị tổng kết công tác cải cách hành chính của tỉnh",
        "Hội trường UBND tỉnh",
        "Sở Nội vụ",
        "Theo giấy mời của UBND tỉnh",
        false,
    ),
    (
        2,
        "08:30",
        "16:30",
        &[PGD_2],
        "Kiểm tra thực tế nhiệm vụ khoa học và công nghệ cấp tỉnh: mô hình trồng nấm dược liệu \
         ứng dụng công nghệ cao",
        "Hợp tác xã Nông nghiệp Tân Tiến, huyện Đông Sơn",
        "Phòng Quản lý khoa học",
        "Phòng Quản lý khoa học; chủ nhiệm nhiệm vụ; đại diện UBND huyện",
        false,
    ),
    (
        3,
        "14:00",
        "17:00",
        &[GIAM_DOC, PGD_1],
        "Họp Hội đồng tư vấn xét duyệt thuyết minh nhiệm vụ khoa học và công nghệ",
        "Phòng họp tầng 3, trụ sở Sở",
        "Phòng Quản lý khoa học",
        "Thành viên Hội đồng theo quyết định; chủ nhiệm nhiệm vụ",
        false,
    ),
    (
        4,
        "07:30",
        "11:30",
        &[GIAM_DOC],
        "Tiếp công dân định kỳ",
        "Phòng tiếp công dân, trụ sở Sở",
        "Thanh tra Sở",
        "Chánh Thanh tra Sở; chuyên viên Văn phòng",
        false,
    ),
];

const NEXT_WEEK: &[Line] = &[
    (
        1,
        "08:00",
        "11:30",
        &[GIAM_DOC, PGD_1],
        "Hội thảo khoa học “Chuyển đổi số trong doanh nghiệp nhỏ và vừa”",
        "Hội trường Trung tâm Hội nghị tỉnh",
        "Phòng Quản lý công nghệ và Đổi mới sáng tạo",
        "Đại diện các sở, ngành; Hiệp hội Doanh nghiệp tỉnh; các doanh nghiệp",
        false,
    ),
    (
        3,
        "08:00",
        "",
        &[PGD_2],
        "Kiểm tra an toàn bức xạ tại cơ sở y tế",
        "Bệnh viện Đa khoa tỉnh",
        "Phòng Quản lý chuyên ngành",
        "Đoàn kiểm tra theo quyết định của Giám đốc Sở",
        false,
    ),
    (
        4,
        "",
        "",
        &[PGD_1],
        "Làm việc tại huyện miền núi: khảo sát nhu cầu ứng dụng khoa học và công nghệ",
        "UBND huyện Bá Thước",
        "Văn phòng Sở",
        "Phòng Quản lý khoa học; Phòng Kế hoạch - Tài chính",
        false,
    ),
];

fn rows(monday: jiff::civil::Date, lines: &[Line]) -> Vec<RowInput> {
    lines
        .iter()
        .map(
            |&(day, start, end, leaders, content, place, host, participants, recurring)| RowInput {
                id: None,
                date: add_days(monday, day).to_string(),
                start: start.into(),
                end: end.into(),
                leaders: leaders.join("\n"),
                content: content.into(),
                place: place.into(),
                host: host.into(),
                participants: participants.into(),
                notes: String::new(),
                recurring,
            },
        )
        .collect()
}

/// Drafts, copies and publishes the two weeks, then moves one meeting; how many entries.
pub(crate) async fn seed(schedule: &Schedule, site: SiteId) -> anyhow::Result<usize> {
    let by = By::CommandLine;
    let this = monday_of(schedule.today());
    let next = add_days(this, 7);
    let mut n = schedule
        .save_week_by(by, site, this, &rows(this, THIS_WEEK))
        .await?
        .added;
    schedule.publish_week_by(by, site, this).await?;
    n += schedule.copy_recurring_by(by, site, next).await?;
    n += schedule
        .save_week_by(by, site, next, &rows(next, NEXT_WEEK))
        .await?
        .added;
    schedule.publish_week_by(by, site, next).await?;
    // The council's meeting moved to another room after publication: "Điều chỉnh".
    let week = schedule.week(site, this).await?;
    if let Some(e) = week
        .entries()
        .find(|e| e.fields.content.starts_with("Họp Hội đồng"))
    {
        let mut row = RowInput::of(e, schedule.tz());
        row.start = "14:30".into();
        row.place = "Hội trường tầng 1, trụ sở Sở".into();
        row.notes = "Đổi giờ và phòng họp".into();
        schedule.save_week_by(by, site, this, &[row]).await?;
    }
    Ok(n)
}
