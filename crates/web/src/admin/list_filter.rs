//! The back office's queue filters read from the address (a status, a chosen topic or
//! person, a range of days in the site's zone) and the query string that keeps them in the
//! pager's and the export's links.

use super::session::Admin;
use crate::error::{Error, Result};
use jiff::tz::TimeZone;

/// A status by its stored name (`""`: any); an unknown one is the reader's mistake.
pub fn status<T>(admin: &Admin, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>> {
    match admin.param("trang-thai").as_str() {
        "" => Ok(None),
        s => parse(s)
            .map(Some)
            .ok_or_else(|| Error::BadRequest("Trạng thái không có.".to_owned())),
    }
}

/// A chosen id (a topic, a person; `""`: any).
pub fn id(admin: &Admin, name: &str, what: &str) -> Result<Option<i64>> {
    match admin.param(name).as_str() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| Error::BadRequest(format!("{what} không hợp lệ."))),
    }
}

/// The start of a day given as `yyyy-mm-dd` (`<input type=date>`) in the site's zone; with
/// `next`, the start of the day after (an inclusive "until").
pub fn day(admin: &Admin, name: &str, next: bool, tz: &TimeZone) -> Result<Option<i64>> {
    let raw = admin.param(name);
    if raw.is_empty() {
        return Ok(None);
    }
    let d: jiff::civil::Date = raw.parse().map_err(|_| {
        Error::BadRequest(format!("Ngày “{raw}” không hợp lệ (dạng năm-tháng-ngày)."))
    })?;
    let d = if next { d.tomorrow().unwrap_or(d) } else { d };
    Ok(d.to_zoned_datetime(tz.clone())
        .ok()
        .map(|z| z.timestamp().as_second()))
}

/// The given parameters that are set, as a query string (no `?`).
pub fn query(admin: &Admin, keys: &[&str]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for k in keys {
        let v = admin.param(k);
        if !v.is_empty() {
            q.append_pair(k, &v);
        }
    }
    q.finish()
}

/// `path?query` with `page=n` added.
pub fn page_url(path: &str, query: &str, n: u32) -> String {
    if query.is_empty() {
        format!("{path}?page={n}")
    } else {
        format!("{path}?{query}&page={n}")
    }
}
