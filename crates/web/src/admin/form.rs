//! Reading submitted forms: repeated fields (gallery rows), checkboxes, dates in the
//! site's zone. The CSRF field was checked before any handler runs.

use crate::app::SharedApp;
use crate::error::{Error, Result};
use axum::body::to_bytes;
use axum::extract::{FromRequest, Request};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// A URL-encoded form, every field in order.
#[derive(Debug, Default)]
pub struct FormData(pub Vec<(String, String)>);

const MAX_FORM: usize = 1024 * 1024;

impl FromRequest<SharedApp> for FormData {
    type Rejection = Error;

    async fn from_request(req: Request, _: &SharedApp) -> Result<Self> {
        let bytes = to_bytes(req.into_body(), MAX_FORM)
            .await
            .map_err(|_| Error::TooLarge("Dữ liệu gửi lên quá lớn.".to_owned()))?;
        Ok(FormData::parse(&bytes))
    }
}

impl FormData {
    /// Decodes a URL-encoded body; bytes that are not UTF-8 become U+FFFD, never an error.
    pub fn parse(bytes: &[u8]) -> Self {
        FormData(
            form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// A field's value ("" when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated field, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A checkbox: present means on.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// A whole number field; empty is `None`.
    pub fn id(&self, name: &str) -> Result<Option<i64>> {
        let v = self.get(name).trim();
        if v.is_empty() {
            return Ok(None);
        }
        v.parse()
            .map(Some)
            .map_err(|_| Error::BadRequest(format!("Trường “{name}” phải là số.")))
    }

    /// Which submit button was pressed.
    pub fn action(&self) -> &str {
        self.get("action")
    }
}

/// A file sent with a multipart form: its field, its name as the browser gave it, and its
/// bytes.
#[derive(Debug)]
pub struct Sent {
    pub field: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A `multipart/form-data` form: its text fields (as [`FormData`]) and its files (the
/// fields named in `file_fields`, empty ones skipped). A file over `max` bytes is read to the
/// end and dropped, and the whole form refused with 413 naming it: a client still sending
/// when the answer comes would see its connection cut, not the answer.
pub async fn multipart(
    m: axum::extract::Multipart,
    file_fields: &[&str],
    max: u64,
) -> Result<(FormData, Vec<Sent>)> {
    match read_multipart(m, file_fields, max).await? {
        (_, _, Some(n)) => Err(too_large(&n, max)),
        (form, files, None) => Ok((form, files)),
    }
}

/// [`multipart`], with a file over `max` dropped and named rather than refusing the form:
/// a public form shows itself again with what was typed and says which file was too large.
pub async fn read_multipart(
    mut m: axum::extract::Multipart,
    file_fields: &[&str],
    max: u64,
) -> Result<(FormData, Vec<Sent>, Option<String>)> {
    let bad = |_| Error::BadRequest("Không đọc được dữ liệu gửi lên.".to_owned());
    let mut fields = Vec::new();
    let mut files = Vec::new();
    let mut over: Option<String> = None;
    loop {
        let mut field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(over.map_or_else(|| bad(e), |n| too_large(&n, max))),
        };
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        if file_fields.contains(&name.as_str()) {
            let file_name = field.file_name().unwrap_or("tep").to_owned();
            let mut bytes = Vec::new();
            loop {
                let chunk = match field.chunk().await {
                    Ok(Some(c)) => c,
                    Ok(None) => break,
                    Err(e) => {
                        return Err(over.map_or_else(|| bad(e), |n| too_large(&n, max)));
                    }
                };
                if over.is_some() || (bytes.len() + chunk.len()) as u64 > max {
                    over.get_or_insert_with(|| file_name.clone());
                    bytes = Vec::new();
                    continue;
                }
                bytes.extend_from_slice(&chunk);
            }
            if !bytes.is_empty() {
                files.push(Sent {
                    field: name,
                    name: file_name,
                    bytes,
                });
            }
        } else {
            let value = field.text().await.map_err(bad)?;
            fields.push((name, value));
        }
    }
    Ok((FormData(fields), files, over))
}

/// [`multipart`] of a request the handler has already checked the user may send (so that
/// a refusal is a 403 or 404, whatever the body).
pub async fn multipart_of(
    req: axum::extract::Request,
    file_fields: &[&str],
    max: u64,
) -> Result<(FormData, Vec<Sent>)> {
    use axum::extract::FromRequest;
    let m = axum::extract::Multipart::from_request(req, &())
        .await
        .map_err(|_| Error::BadRequest("Biểu mẫu phải gửi dạng multipart/form-data.".to_owned()))?;
    multipart(m, file_fields, max).await
}

fn too_large(name: &str, max: u64) -> Error {
    Error::TooLarge(format!(
        "Tệp “{name}” quá lớn: tối đa {} MB.",
        max / (1024 * 1024)
    ))
}

/// `<input type="datetime-local">` ("2026-11-26T14:30") in the site's zone; empty is `None`.
pub fn parse_local(value: &str, tz: &TimeZone) -> Result<Option<Timestamp>> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let dt: DateTime = v.parse().map_err(|_| {
        Error::BadRequest("Thời gian không hợp lệ (ngày/tháng/năm giờ:phút).".to_owned())
    })?;
    let ts = tz
        .to_ambiguous_timestamp(dt)
        .compatible()
        .map_err(|_| Error::BadRequest("Thời gian không hợp lệ.".to_owned()))?;
    Ok(Some(ts))
}

/// The value for a `datetime-local` input.
pub fn to_local(ts: i64, tz: &TimeZone) -> String {
    Timestamp::from_second(ts)
        .map(|t| tz.to_datetime(t).strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_round_trip_in_hanoi() {
        let tz = TimeZone::get("Asia/Ho_Chi_Minh").expect("zone");
        let t = parse_local("2023-05-17T15:20", &tz)
            .expect("parse")
            .expect("some");
        assert_eq!(t.to_string(), "2023-05-17T08:20:00Z");
        assert_eq!(to_local(t.as_second(), &tz), "2023-05-17T15:20");
        assert!(parse_local("", &tz).expect("empty").is_none());
        assert!(parse_local("17/05/2023", &tz).is_err());
    }
}
