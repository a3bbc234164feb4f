//! `/quan-tri/lich-cong-tac?ngay=…` — a week of the leaders' schedule as one form of rows
//! (editors, administrators): saved in one transaction, last week's recurring entries copied,
//! the week published, a published entry postponed or cancelled.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::schedule::calendar::{self, add_days, dmy, monday_of};
use cong_domain::schedule::{CallOff, EntryRow, EntryStatus, RowInput};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Blank rows offered under a week's entries.
const BLANK_ROWS: usize = 3;
/// Most rows one form may send.
const MAX_ROWS: usize = 300;

#[derive(Serialize)]
struct RowView {
    index: usize,
    id: Option<i64>,
    date: String,
    start: String,
    end: String,
    leaders: String,
    content: String,
    place: String,
    host: String,
    participants: String,
    notes: String,
    recurring: bool,
    /// `new`, `draft`, `published`, `postponed`, `cancelled` (the template says which).
    status: &'static str,
    adjusted: Option<String>,
    error: Option<String>,
}

#[derive(Serialize)]
struct DayChoice {
    iso: String,
    weekday: i8,
    date: String,
}

#[derive(Serialize)]
struct WeekForm {
    monday: String,
    sunday: String,
    picked: String,
    /// `dd/mm/yyyy` of the day shown, for the forms' `ngay`.
    ngay: String,
    prev_url: String,
    next_url: String,
    days: Vec<DayChoice>,
    rows: Vec<RowView>,
    drafts: usize,
    public_url: String,
}

fn status_code(s: EntryStatus) -> &'static str {
    match s {
        EntryStatus::Draft => "draft",
        EntryStatus::Published => "published",
        EntryStatus::Postponed => "postponed",
        EntryStatus::Cancelled => "cancelled",
    }
}

/// The day the query (or the form) names; today when none.
fn day_of(admin: &Admin, value: &str) -> Result<Date> {
    if value.trim().is_empty() {
        Ok(admin.app.schedule.today())
    } else {
        calendar::parse_day(value).map_err(Error::BadRequest)
    }
}

fn admin_url(day: Date) -> String {
    format!("/quan-tri/lich-cong-tac?ngay={}", dmy(day))
}

/// The form: the week's entries (or the rows as typed, with their errors) and blank rows.
async fn page(
    admin: &Admin,
    day: Date,
    typed: Option<(&[RowInput], &BTreeMap<usize, String>)>,
    status: StatusCode,
) -> Result<Response> {
    let service = &admin.app.schedule;
    let week = service.draft_week(admin.actor(), day).await?;
    let tz = service.tz();
    let stored: HashMap<i64, &EntryRow> = week.entries().map(|e| (e.id, e)).collect();
    let view = |index: usize, r: &RowInput, error: Option<String>| {
        let e = r.id.and_then(|id| stored.get(&id));
        RowView {
            index,
            id: r.id,
            date: calendar::parse_day(&r.date)
                .map(|d| d.to_string())
                .unwrap_or_else(|_| r.date.clone()),
            start: r.start.clone(),
            end: r.end.clone(),
            leaders: r.leaders.clone(),
            content: r.content.clone(),
            place: r.place.clone(),
            host: r.host.clone(),
            participants: r.participants.clone(),
            notes: r.notes.clone(),
            recurring: r.recurring,
            status: e.map_or("new", |e| status_code(e.status)),
            adjusted: e
                .and_then(|e| e.adjusted_at)
                .and_then(|a| jiff::Timestamp::from_second(a).ok())
                .map(|t| cong_render::date_time(t, tz)),
            error,
        }
    };
    let mut rows: Vec<RowView> = match typed {
        Some((typed, errors)) => typed
            .iter()
            .enumerate()
            .map(|(i, r)| view(i, r, errors.get(&i).cloned()))
            .collect(),
        None => week
            .entries()
            .enumerate()
            .map(|(i, e)| view(i, &RowInput::of(e, tz), None))
            .collect(),
    };
    if typed.is_none() {
        for _ in 0..BLANK_ROWS {
            let blank = RowInput {
                date: week.monday.to_string(),
                ..RowInput::default()
            };
            rows.push(view(rows.len(), &blank, None));
        }
    }
    let form = WeekForm {
        monday: dmy(week.monday),
        sunday: dmy(week.sunday()),
        picked: day.to_string(),
        ngay: dmy(day),
        prev_url: admin_url(add_days(monday_of(day), -7)),
        next_url: admin_url(add_days(monday_of(day), 7)),
        days: week
            .days
            .iter()
            .map(|d| DayChoice {
                iso: d.date.to_string(),
                weekday: d.date.weekday().to_monday_one_offset(),
                date: dmy(d.date),
            })
            .collect(),
        drafts: week
            .entries()
            .filter(|e| e.status == EntryStatus::Draft)
            .count(),
        rows,
        public_url: admin.public_url(&format!(
            "{}?ngay={}",
            cong_render::urls::SCHEDULE,
            dmy(day)
        )),
    };
    let title = format!("Lịch công tác tuần {} – {}", form.monday, form.sunday);
    let errors = match typed {
        Some((_, e)) if !e.is_empty() => {
            vec!["Chưa lưu: có dòng chưa đúng (xem thông báo ở từng dòng).".to_owned()]
        }
        _ => Vec::new(),
    };
    let html = admin
        .render(
            "admin/schedule.html",
            &title,
            "/quan-tri/lich-cong-tac",
            errors,
            form,
        )
        .await?;
    Ok((status, html).into_response())
}

pub async fn show(admin: Admin) -> Result<Response> {
    admin.require(Action::ManageSchedule)?;
    let day = day_of(&admin, &admin.param("ngay"))?;
    page(&admin, day, None, StatusCode::OK).await
}

/// The rows the form sent, in order.
fn rows_of(f: &FormData) -> Result<Vec<RowInput>> {
    let n: usize = f.get("so-dong").trim().parse().unwrap_or(0);
    if n > MAX_ROWS {
        return Err(Error::BadRequest(format!(
            "Mỗi lần lưu tối đa {MAX_ROWS} dòng."
        )));
    }
    (0..n)
        .map(|i| {
            let g = |name: &str| f.get(&format!("r{i}-{name}")).to_owned();
            Ok(RowInput {
                id: f.id(&format!("r{i}-id"))?,
                date: g("ngay"),
                start: g("gio"),
                end: g("den"),
                leaders: g("lanh-dao"),
                content: g("noi-dung"),
                place: g("dia-diem"),
                host: g("chu-tri"),
                participants: g("thanh-phan"),
                notes: g("ghi-chu"),
                recurring: f.checked(&format!("r{i}-lap-lai")),
            })
        })
        .collect()
}

/// `action` = `luu` (save the rows), `chep` (copy last week's recurring entries), `congbo`
/// (publish the week's drafts), `hoan-{id}` / `huy-{id}` (save, then postpone or cancel).
pub async fn save(admin: Admin, form: FormData) -> Result<Response> {
    admin.require(Action::ManageSchedule)?;
    let day = day_of(&admin, form.get("ngay"))?;
    let service = &admin.app.schedule;
    let back = |flash: &str| redirect(&format!("{}&ok={flash}", admin_url(day)));
    match form.action() {
        "chep" => {
            service.copy_recurring(admin.actor(), day).await?;
            return Ok(back("lich-chep"));
        }
        "congbo" => {
            service.publish_week(admin.actor(), day).await?;
            return Ok(back("lich-congbo"));
        }
        _ => {}
    }
    let rows = rows_of(&form)?;
    match service.save_week(admin.actor(), day, &rows).await {
        Ok(_) => {}
        Err(cong_domain::Error::Fields(fields)) => {
            let errors: BTreeMap<usize, String> = fields
                .into_iter()
                .filter_map(|(k, m)| {
                    k.strip_prefix("row-")
                        .and_then(|i| i.parse().ok())
                        .map(|i| (i, m))
                })
                .collect();
            return page(
                &admin,
                day,
                Some((&rows, &errors)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    let action = form.action();
    let call_off = [("hoan-", CallOff::Postpone), ("huy-", CallOff::Cancel)]
        .into_iter()
        .find_map(|(p, how)| action.strip_prefix(p).map(|id| (id, how)));
    if let Some((id, how)) = call_off {
        let id: i64 = id
            .parse()
            .map_err(|_| Error::BadRequest("Việc đã chọn không hợp lệ.".to_owned()))?;
        service.call_off(admin.actor(), id, how).await?;
        return Ok(back(match how {
            CallOff::Postpone => "lich-hoan",
            CallOff::Cancel => "lich-huy",
        }));
    }
    Ok(back("luu"))
}
