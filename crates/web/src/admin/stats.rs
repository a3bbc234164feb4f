//! `/quan-tri/thong-ke` — the site's statistics for editors and administrators: visits and
//! page views per day (a chart and its table), this month against last, the most-read
//! articles, articles published per section and per author; each table also as CSV and
//! XLSX (`/quan-tri/thong-ke/xuat`).

use super::session::Admin;
use crate::error::{Error, Result};
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::stats::{DayFigures, PublishedCount, ReadPeriod};
use cong_files::make::Cell;
use cong_render::chart::Chart;
use cong_render::number;
use serde::Serialize;

/// The ranges the daily chart offers, in days.
const RANGES: [i64; 3] = [30, 90, 365];
/// Articles per most-read list.
const MOST_READ: i64 = 10;
/// Months of the "published" tables.
const MONTHS: i32 = 12;

/// A table of the page, as exported too.
#[derive(Debug, Clone)]
struct Table {
    key: String,
    title: String,
    head: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

#[derive(Serialize)]
struct TableView {
    key: String,
    title: String,
    head: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    csv: String,
    xlsx: String,
}

#[derive(Serialize)]
struct StatsPage {
    days: i64,
    ranges: Vec<(i64, String, bool)>,
    chart: Chart,
    tables: Vec<TableView>,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn dmy(d: jiff::civil::Date) -> String {
    d.strftime("%d/%m/%Y").to_string()
}

fn my(d: jiff::civil::Date) -> String {
    d.strftime("%m/%Y").to_string()
}

/// The range asked for with `?so-ngay=`, one of [`RANGES`] (30 when absent).
fn range(admin: &Admin) -> Result<i64> {
    let asked = admin
        .query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "so-ngay"))
        .map(|(_, v)| v.into_owned());
    match asked {
        None => Ok(RANGES[0]),
        Some(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| RANGES.contains(n))
            .ok_or_else(|| {
                Error::BadRequest("Khoảng thời gian chỉ có thể là 30, 90 hoặc 365 ngày.".to_owned())
            }),
    }
}

fn published_table(key: &str, title: &str, name: &'static str, rows: &[PublishedCount]) -> Table {
    Table {
        key: key.to_owned(),
        title: title.to_owned(),
        head: vec!["Tháng", name, "Số bài"],
        rows: rows
            .iter()
            .map(|p| {
                vec![
                    text(my(p.month)),
                    text(p.name.clone()),
                    Cell::Number(p.articles),
                ]
            })
            .collect(),
    }
}

/// Every table of the page, in page order.
async fn tables(admin: &Admin, days: &[DayFigures]) -> Result<Vec<Table>> {
    let stats = &admin.app.stats;
    let site = admin.site.id;
    let mut out = vec![Table {
        key: "ngay".to_owned(),
        title: format!("Lượt truy cập và lượt xem trang {} ngày qua", days.len()),
        head: vec!["Ngày", "Lượt truy cập", "Lượt xem trang"],
        rows: days
            .iter()
            .map(|d| {
                vec![
                    text(dmy(d.date)),
                    Cell::Number(d.visits),
                    Cell::Number(d.page_views),
                ]
            })
            .collect(),
    }];
    let (this, last) = stats.months(site).await?;
    let change = |a: i64, b: i64| Cell::Number(a - b);
    out.push(Table {
        key: "thang".to_owned(),
        title: "Tháng này so với tháng trước".to_owned(),
        head: vec![
            "Chỉ số",
            "Tháng này (đến hôm nay)",
            "Tháng trước",
            "Chênh lệch",
        ],
        rows: vec![
            vec![
                text("Lượt truy cập"),
                Cell::Number(this.visits),
                Cell::Number(last.visits),
                change(this.visits, last.visits),
            ],
            vec![
                text("Lượt xem trang"),
                Cell::Number(this.page_views),
                Cell::Number(last.page_views),
                change(this.page_views, last.page_views),
            ],
        ],
    });
    if let Some(t) = out.last_mut() {
        t.title = format!("Tháng {} so với tháng {}", my(this.first), my(last.first));
    }
    for period in ReadPeriod::ALL {
        let list = stats.most_read(site, period, MOST_READ).await?;
        out.push(Table {
            key: format!("xem-nhieu-{}", period.key()),
            title: format!("Bài xem nhiều: {}", period.label().to_lowercase()),
            head: vec!["Hạng", "Bài viết", "Chuyên mục", "Lượt xem"],
            rows: list
                .into_iter()
                .enumerate()
                .map(|(i, m)| {
                    vec![
                        Cell::Number(i64::try_from(i).unwrap_or(0) + 1),
                        text(m.title),
                        text(m.section_name),
                        Cell::Number(m.views),
                    ]
                })
                .collect(),
        });
    }
    let (sections, authors) = stats.published_per_month(site, MONTHS).await?;
    out.push(published_table(
        "chuyen-muc",
        "Bài đã xuất bản theo chuyên mục, 12 tháng qua",
        "Chuyên mục",
        &sections,
    ));
    out.push(published_table(
        "tac-gia",
        "Bài đã xuất bản theo tác giả, 12 tháng qua",
        "Tác giả",
        &authors,
    ));
    Ok(out)
}

async fn figures(admin: &Admin) -> Result<(i64, Vec<DayFigures>)> {
    admin.require(Action::Publish)?;
    let days = range(admin)?;
    Ok((days, admin.app.stats.daily(admin.site.id, days).await?))
}

pub async fn show(admin: Admin) -> Result<Response> {
    let (n, days) = figures(&admin).await?;
    let labels: Vec<String> = days
        .iter()
        .map(|d| d.date.strftime("%d/%m").to_string())
        .collect();
    let total = |f: fn(&DayFigures) -> i64| number(days.iter().map(f).sum());
    let chart = Chart::lines(
        "bieu-do-ngay",
        &format!("Lượt truy cập và lượt xem trang theo ngày, {n} ngày qua"),
        &format!(
            "Biểu đồ đường: {} lượt truy cập và {} lượt xem trang từ {} đến {}. Số liệu từng ngày ở bảng ngay dưới.",
            total(|d| d.visits),
            total(|d| d.page_views),
            days.first().map(|d| dmy(d.date)).unwrap_or_default(),
            days.last().map(|d| dmy(d.date)).unwrap_or_default(),
        ),
        &labels,
        &[
            ("Lượt truy cập", days.iter().map(|d| d.visits).collect()),
            (
                "Lượt xem trang",
                days.iter().map(|d| d.page_views).collect(),
            ),
        ],
    );
    let tables = tables(&admin, &days)
        .await?
        .into_iter()
        .map(|t| TableView {
            csv: format!(
                "/quan-tri/thong-ke/xuat?bang={}&dinh-dang=csv&so-ngay={n}",
                t.key
            ),
            xlsx: format!(
                "/quan-tri/thong-ke/xuat?bang={}&dinh-dang=xlsx&so-ngay={n}",
                t.key
            ),
            key: t.key,
            title: t.title,
            head: t.head,
            rows: t
                .rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|c| match c {
                            Cell::Text(s) => s,
                            Cell::Number(v) => number(v),
                        })
                        .collect()
                })
                .collect(),
        })
        .collect();
    let view = StatsPage {
        days: n,
        ranges: RANGES
            .iter()
            .map(|r| (*r, format!("/quan-tri/thong-ke?so-ngay={r}"), *r == n))
            .collect(),
        chart,
        tables,
    };
    Ok(admin
        .render(
            "admin/stats.html",
            "Thống kê",
            "/quan-tri/thong-ke",
            vec![],
            view,
        )
        .await?
        .into_response())
}

/// One table as CSV (UTF-8 with a byte-order mark, so Excel reads the marks) or XLSX.
pub async fn export(admin: Admin) -> Result<Response> {
    let (n, days) = figures(&admin).await?;
    let q = |name: &str| admin.param(name);
    let (key, format) = (q("bang"), q("dinh-dang"));
    if format != "csv" && format != "xlsx" {
        return Err(Error::BadRequest(
            "Định dạng tải về chỉ có thể là csv hoặc xlsx.".to_owned(),
        ));
    }
    let table = tables(&admin, &days)
        .await?
        .into_iter()
        .find(|t| t.key == key)
        .ok_or_else(|| Error::BadRequest("Không có bảng thống kê này.".to_owned()))?;
    let mut rows: Vec<Vec<Cell>> = vec![table.head.iter().map(|h| text(*h)).collect()];
    rows.extend(table.rows);
    let (body, mime) = if format == "csv" {
        (csv_bytes(&rows)?, "text/csv; charset=utf-8")
    } else {
        (
            cong_files::make::xlsx_sheet(&table.title, &rows),
            super::download::XLSX,
        )
    };
    let name = format!("thong-ke-{}-{}-ngay.{format}", table.key, n);
    Ok(super::download::attachment(body, mime, &name))
}

fn csv_bytes(rows: &[Vec<Cell>]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in rows {
        w.write_record(r.iter().map(|c| match c {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
        }))
        .map_err(|e| Error::Internal(format!("csv: {e}")))?;
    }
    w.into_inner()
        .map_err(|e| Error::Internal(format!("csv: {e}")))
}
