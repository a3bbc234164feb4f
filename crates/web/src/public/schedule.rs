//! `/lich-cong-tac?ngay=…&xem=ngay&lanh-dao=…` — the leaders' week (or one day), and its
//! iCalendar feeds `/lich-cong-tac.ics` and `/lich-cong-tac/lanh-dao/{slug}.ics`.

use crate::cache::{LivePage, Tag};
use crate::error::{Error, Result};
use crate::extract::PageContext;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cong_domain::schedule::calendar::{self, add_days, dmy, monday_of};
use cong_domain::schedule::{
    EntryRow, EntryStatus, FEED_WEEKS_BACK, Week, leader_names, leader_slug, names_leader,
};
use cong_render::ical;
use cong_render::urls;
use cong_render::views::documents::shown_day;
use cong_render::views::schedule::{DayView, EntryView, LeaderLink, ScheduleView};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

/// What the page's query asks for.
struct Query {
    day: Option<Date>,
    one_day: bool,
    leader: Option<String>,
}

fn query(ctx: &PageContext) -> Result<Query> {
    let mut q = Query {
        day: None,
        one_day: false,
        leader: None,
    };
    for (k, v) in form_urlencoded::parse(ctx.query.as_deref().unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "ngay" if !v.trim().is_empty() => {
                q.day = Some(calendar::parse_day(&v).map_err(Error::BadRequest)?);
            }
            "xem" => match v.as_ref() {
                "ngay" => q.one_day = true,
                "tuan" | "" => q.one_day = false,
                _ => {
                    return Err(Error::BadRequest(
                        ctx.app.renderer.catalogue().text("schedule-bad-view"),
                    ));
                }
            },
            "lanh-dao" if !v.is_empty() => {
                if v.len() > 120 || !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    return Err(Error::BadRequest(
                        ctx.app.renderer.catalogue().text("schedule-bad-leader"),
                    ));
                }
                q.leader = Some(v.to_ascii_lowercase());
            }
            _ => {}
        }
    }
    Ok(q)
}

/// The page cache's key for a query of the week page: the day asked for (as a date) and
/// the view; `None` (not kept) for a leader's page (endless addresses) or a bad query.
pub fn cache_key(query: Option<&str>) -> Option<String> {
    let mut day = None;
    let mut one_day = false;
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "ngay" if !v.trim().is_empty() => day = Some(calendar::parse_day(&v).ok()?),
            "xem" => match v.as_ref() {
                "ngay" => one_day = true,
                "tuan" | "" => one_day = false,
                _ => return None,
            },
            "lanh-dao" if !v.is_empty() => return None,
            _ => {}
        }
    }
    Some(format!(
        "ngay={}&xem={}",
        day.map(|d| d.to_string()).unwrap_or_default(),
        u8::from(one_day)
    ))
}

/// The page's address for a day, keeping the view and the leader.
fn url(day: Option<Date>, one_day: bool, leader: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(d) = day {
        parts.push(format!("ngay={}", dmy(d)));
    }
    if one_day {
        parts.push("xem=ngay".to_owned());
    }
    if let Some(l) = leader {
        parts.push(format!("lanh-dao={l}"));
    }
    if parts.is_empty() {
        urls::SCHEDULE.to_owned()
    } else {
        format!("{}?{}", urls::SCHEDULE, parts.join("&"))
    }
}

fn entry_view(e: &EntryRow, tz: &TimeZone) -> EntryView {
    let f = &e.fields;
    let start = calendar::local_time(f.starts_at, tz);
    let session = if f.all_day {
        "ca-ngay"
    } else if start.hour() < 12 {
        "sang"
    } else {
        "chieu"
    };
    let time = if f.all_day {
        String::new()
    } else {
        match f.ends_at {
            Some(end) => format!(
                "{}–{}",
                calendar::hm(start),
                calendar::hm(calendar::local_time(end, tz))
            ),
            None => calendar::hm(start),
        }
    };
    let adjusted = e
        .adjusted_at
        .and_then(|a| jiff::Timestamp::from_second(a).ok());
    EntryView {
        id: e.id,
        session,
        time,
        leaders: leader_names(&f.leaders).map(str::to_owned).collect(),
        content: f.content.clone(),
        place: f.place.clone(),
        host: f.host.clone(),
        participants: f.participants.clone(),
        notes: f.notes.clone(),
        status: match e.status {
            EntryStatus::Postponed => "postponed",
            EntryStatus::Cancelled => "cancelled",
            EntryStatus::Draft | EntryStatus::Published => "published",
        },
        adjusted: adjusted.map(|t| cong_render::date_time(t, tz)),
        adjusted_iso: adjusted.map(|t| cong_render::iso(t, tz)),
    }
}

/// The leaders a week names, by key, in the order first met.
fn leaders_of(week: &Week) -> Vec<(String, String)> {
    let mut seen = BTreeMap::new();
    let mut out = Vec::new();
    for e in week.entries() {
        for n in leader_names(&e.fields.leaders) {
            let slug = leader_slug(n);
            if !slug.is_empty() && seen.insert(slug.clone(), ()).is_none() {
                out.push((slug, n.to_owned()));
            }
        }
    }
    out
}

pub async fn week(ctx: PageContext) -> Result<Response> {
    let q = query(&ctx)?;
    let service = &ctx.app.schedule;
    let tz = service.tz().clone();
    let today = service.today();
    let day = q.day.unwrap_or(today);
    let week = service.week(ctx.site.id, day).await?;
    let leaders = leaders_of(&week);
    let leader = q.leader.as_deref();
    let leader_name = leader.map(|slug| {
        leaders
            .iter()
            .find(|(s, _)| s == slug)
            .map_or_else(|| slug.to_owned(), |(_, n)| n.clone())
    });
    let shown: Vec<_> = week
        .days
        .iter()
        .filter(|d| !q.one_day || d.date == day)
        .map(|d| DayView {
            weekday: d.date.weekday().to_monday_one_offset(),
            date: shown_day(d.date),
            iso: d.date.to_string(),
            today: d.date == today,
            url: url(Some(d.date), true, leader),
            entries: d
                .entries
                .iter()
                .filter(|e| leader.is_none_or(|l| names_leader(e, l)))
                .map(|e| entry_view(e, &tz))
                .collect(),
        })
        .collect();
    let step = if q.one_day { 1 } else { 7 };
    let anchor = if q.one_day { day } else { monday_of(day) };
    let entries = shown.iter().map(|d| d.entries.len()).sum();
    let words = ctx.app.renderer.catalogue();
    let title = if q.one_day {
        format!("{} {}", words.text("schedule-title-day"), shown_day(day))
    } else {
        format!(
            "{} {} {} {}",
            words.text("schedule-title-week"),
            shown_day(week.monday),
            words.text("schedule-title-to"),
            shown_day(week.sunday())
        )
    };
    let mut layout = ctx
        .layout(None, None)
        .await?
        .titled(&title, &words.text("schedule-description"));
    super::meta::page(&mut layout, &ctx.base, &url(q.day, q.one_day, leader));
    let view = ScheduleView {
        layout,
        monday: shown_day(week.monday),
        sunday: shown_day(week.sunday()),
        picked: day.to_string(),
        day_view: q.one_day,
        days: shown,
        prev_url: url(Some(add_days(anchor, -step)), q.one_day, leader),
        next_url: url(Some(add_days(anchor, step)), q.one_day, leader),
        this_week_url: url(None, q.one_day, leader),
        week_url: url(Some(day), false, None),
        leaders: leaders
            .iter()
            .map(|(slug, name)| LeaderLink {
                name: name.clone(),
                url: url(q.day, q.one_day, Some(slug)),
                feed: format!("{}/lanh-dao/{slug}.ics", urls::SCHEDULE),
                current: Some(slug.as_str()) == leader,
            })
            .collect(),
        leader: leader_name,
        leader_slug: leader.unwrap_or_default().to_owned(),
        feed_url: match leader {
            Some(l) => format!("{}/lanh-dao/{l}.ics", urls::SCHEDULE),
            None => format!("{}.ics", urls::SCHEDULE),
        },
        entries,
    };
    // Today's week (and its "today") changes at midnight without an edit: kept until then.
    let live = LivePage {
        until: (q.day.is_none() || monday_of(day) == monday_of(today))
            .then(|| service.today_good_until()),
        ..LivePage::page(vec![Tag::Schedule])
    };
    ctx.render("schedule.html", &view, live)
}

/// `/lich-cong-tac.ics`: the site's published entries, from eight weeks back on.
pub async fn feed(ctx: PageContext) -> Result<Response> {
    ics(&ctx, None).await
}

/// `/lich-cong-tac/lanh-dao/{slug}.ics`: one leader's.
pub async fn leader_feed(ctx: PageContext, Path(file): Path<String>) -> Result<Response> {
    let slug = file.strip_suffix(".ics").ok_or(Error::NotFound)?;
    if slug.is_empty() || !slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(Error::NotFound);
    }
    ics(&ctx, Some(slug)).await
}

async fn ics(ctx: &PageContext, leader: Option<&str>) -> Result<Response> {
    let service = &ctx.app.schedule;
    let tz = service.tz();
    let rows = service.feed(ctx.site.id).await?;
    let rows: Vec<_> = rows
        .iter()
        .filter(|e| leader.is_none_or(|l| names_leader(e, l)))
        .collect();
    let leader_name = leader.and_then(|l| {
        rows.iter()
            .flat_map(|e| leader_names(&e.fields.leaders))
            .find(|n| leader_slug(n) == l)
            .map(str::to_owned)
    });
    if leader.is_some() && leader_name.is_none() {
        return Err(Error::NotFound);
    }
    let site = ctx.app.content.site(ctx.site.id).await?;
    let site_name = match site.get("site.name") {
        "" => "Cổng thông tin điện tử",
        n => n,
    };
    let events: Vec<ical::Event> = rows.iter().map(|e| event(ctx, e, tz)).collect();
    let name = match &leader_name {
        Some(n) => format!("Lịch công tác - {n} - {site_name}"),
        None => format!("Lịch công tác - {site_name}"),
    };
    let description =
        format!("Lịch công tác của lãnh đạo {site_name}, từ {FEED_WEEKS_BACK} tuần trước trở đi");
    let body = ical::render(&ical::Calendar {
        name: &name,
        description: &description,
        tz: "Asia/Ho_Chi_Minh",
        events: &events,
    });
    let mut res = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        body,
    )
        .into_response();
    res.extensions_mut().insert(LivePage {
        until: Some(service.today_good_until()),
        ..LivePage::document(vec![Tag::Schedule])
    });
    Ok(res)
}

fn event(ctx: &PageContext, e: &EntryRow, tz: &TimeZone) -> ical::Event {
    let f = &e.fields;
    let mut description = Vec::new();
    let leaders: Vec<_> = leader_names(&f.leaders).collect();
    if !leaders.is_empty() {
        description.push(format!("Lãnh đạo: {}", leaders.join(", ")));
    }
    if !f.host.is_empty() {
        description.push(format!("Chủ trì: {}", f.host));
    }
    if !f.participants.is_empty() {
        description.push(format!("Thành phần: {}", f.participants));
    }
    if !f.notes.is_empty() {
        description.push(format!("Ghi chú: {}", f.notes));
    }
    let off = matches!(e.status, EntryStatus::Postponed | EntryStatus::Cancelled);
    let summary = match e.status {
        EntryStatus::Postponed => format!("Hoãn: {}", f.content),
        EntryStatus::Cancelled => format!("Hủy: {}", f.content),
        _ => f.content.clone(),
    };
    ical::Event {
        uid: format!("lich-cong-tac-{}-{}@cong", ctx.site.id.0, e.id),
        starts_at: f.starts_at,
        ends_at: f.ends_at,
        all_day: f.all_day.then(|| calendar::local_day(f.starts_at, tz)),
        summary,
        location: f.place.clone(),
        description: description.join("\n"),
        sequence: e.sequence,
        stamp: e.updated_at,
        cancelled: off,
    }
}
