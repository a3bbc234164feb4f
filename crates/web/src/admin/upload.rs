//! Reading a `multipart/form-data` upload: its files, each under its own size limit, and its
//! text fields. An over-limit file is read to its end and dropped before the 413, so that a
//! client still sending when the answer comes sees the answer, not a cut connection; the
//! router's body limit bounds how much is read.

use crate::error::{Error, Result};
use axum::extract::Multipart;

/// What came: files by field name (their name and bytes, empty when none was chosen) and
/// text fields.
#[derive(Default)]
pub(super) struct Parts {
    files: Vec<(String, String, Vec<u8>)>,
    texts: Vec<(String, String)>,
}

impl Parts {
    /// A file field's name and bytes; `None` when it is missing or empty.
    pub(super) fn take_file(&mut self, field: &str) -> Option<(String, Vec<u8>)> {
        let i = self
            .files
            .iter()
            .position(|(f, _, b)| f == field && !b.is_empty())?;
        let (_, name, bytes) = self.files.swap_remove(i);
        Some((name, bytes))
    }

    /// A text field, empty when missing.
    pub(super) fn text(&self, field: &str) -> &str {
        self.texts
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Reads the files named in `limits` (field, largest size in bytes, its name when the client
/// gives none) and every short text field; other file fields are skipped.
pub(super) async fn read(mut multipart: Multipart, limits: &[(&str, u64, &str)]) -> Result<Parts> {
    let mut parts = Parts::default();
    let bad = |_| Error::BadRequest("Không đọc được tệp gửi lên.".to_owned());
    let mut over: Option<u64> = None;
    let too_large =
        |max: u64| Error::TooLarge(format!("Tệp quá lớn: tối đa {} MB.", max / (1024 * 1024)));
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) if over.is_some() => return Err(too_large(over.unwrap_or(0))),
            Err(e) => return Err(bad(e)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(&(_, max, default_name)) = limits.iter().find(|(f, _, _)| *f == name) {
            let file_name = field.file_name().unwrap_or(default_name).to_owned();
            let mut bytes = Vec::new();
            loop {
                let chunk = match field.chunk().await {
                    Ok(Some(c)) => c,
                    Ok(None) => break,
                    Err(_) if over.is_some() => return Err(too_large(over.unwrap_or(max))),
                    Err(e) => return Err(bad(e)),
                };
                if over.is_some() || (bytes.len() + chunk.len()) as u64 > max {
                    over.get_or_insert(max);
                    bytes = Vec::new();
                    continue;
                }
                bytes.extend_from_slice(&chunk);
            }
            parts.files.push((name, file_name, bytes));
        } else if field.file_name().is_none() {
            let text = field.text().await.map_err(bad)?;
            parts.texts.push((name, text));
        }
    }
    match over {
        Some(max) => Err(too_large(max)),
        None => Ok(parts),
    }
}
