//! Bulk import: a sheet (XLSX or CSV) of documents, one per row, and the files it names,
//! from a folder or uploaded beside it. Every row is its own write: a bad row is reported
//! with its reason and the others go in. Types, issuers and fields the lists lack are added
//! (and reported), so an agency's existing classification comes over as it is.

use super::write::DocumentDraft;
use super::{Documents, Status, Vocabulary, parse_day};
use crate::auth::{Action, By};
use crate::files::FileIntake;
use crate::text::{fold_words, nfc};
use crate::{Error, Result};
use cong_store::SiteId;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What an import did, row by row (rows are numbered as a spreadsheet shows them, the
/// header being row 1).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// (row, number) of each document made.
    pub imported: Vec<(usize, String)>,
    /// (row, number, why) of each row refused.
    pub refused: Vec<(usize, String, String)>,
    /// Entries added to the lists: "Loại văn bản: Hướng dẫn".
    pub added: Vec<String>,
}

/// Where the files a sheet names are.
pub enum Source {
    /// A folder (names compared in NFC, so a name written on a Mac matches).
    Folder(PathBuf),
    /// Files sent with the sheet: name → bytes.
    Sent(HashMap<String, Vec<u8>>),
}

impl Source {
    /// The folder's files by NFC name (read once).
    fn index(&self) -> std::io::Result<HashMap<String, PathBuf>> {
        let mut names = HashMap::new();
        if let Source::Folder(dir) = self {
            for e in std::fs::read_dir(dir)? {
                let e = e?;
                if e.file_type()?.is_file()
                    && let Some(name) = e.file_name().to_str()
                {
                    names.insert(nfc(name), e.path());
                }
            }
        }
        Ok(names)
    }

    fn read(&self, folder: &HashMap<String, PathBuf>, name: &str) -> Option<Vec<u8>> {
        let name = nfc(name.trim());
        match self {
            Source::Folder(_) => std::fs::read(folder.get(&name)?).ok(),
            Source::Sent(files) => files
                .iter()
                .find(|(k, _)| nfc(k) == name)
                .map(|(_, v)| v.clone()),
        }
    }
}

/// The columns an import reads, found by their folded header.
#[derive(Debug, Default, Clone, Copy)]
struct Columns {
    number: Option<usize>,
    kind: Option<usize>,
    issuer: Option<usize>,
    signer: Option<usize>,
    summary: Option<usize>,
    issued: Option<usize>,
    effective: Option<usize>,
    expires: Option<usize>,
    fields: Option<usize>,
    files: Option<usize>,
}

impl Columns {
    fn of(header: &[String]) -> std::result::Result<Columns, String> {
        let mut c = Columns::default();
        for (i, h) in header.iter().enumerate() {
            let slot = match fold_words(h).as_str() {
                "so-ky-hieu" | "so-hieu" | "so" | "ky-hieu" | "so-van-ban" => &mut c.number,
                "loai-van-ban" | "loai" | "hinh-thuc-van-ban" => &mut c.kind,
                "co-quan-ban-hanh" | "co-quan" | "noi-ban-hanh" => &mut c.issuer,
                "nguoi-ky" => &mut c.signer,
                "trich-yeu" | "trich-yeu-noi-dung" | "noi-dung" => &mut c.summary,
                "ngay-ban-hanh" => &mut c.issued,
                "ngay-hieu-luc" | "ngay-co-hieu-luc" => &mut c.effective,
                "ngay-het-hieu-luc" => &mut c.expires,
                "linh-vuc" => &mut c.fields,
                "tep" | "tep-dinh-kem" | "file" | "tap-tin" => &mut c.files,
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        let missing: Vec<&str> = [
            (c.number, "Số ký hiệu"),
            (c.kind, "Loại văn bản"),
            (c.issuer, "Cơ quan ban hành"),
            (c.summary, "Trích yếu"),
            (c.issued, "Ngày ban hành"),
        ]
        .into_iter()
        .filter(|(col, _)| col.is_none())
        .map(|(_, name)| name)
        .collect();
        if missing.is_empty() {
            Ok(c)
        } else {
            Err(format!(
                "Bảng thiếu cột: {}. Dòng đầu của bảng phải là tên các cột.",
                missing.join(", ")
            ))
        }
    }
}

fn cell(row: &[String], col: Option<usize>) -> &str {
    col.and_then(|c| row.get(c)).map_or("", |s| s.trim())
}

/// A list cell: "Khoa học; Chuyển đổi số".
fn items(s: &str) -> Vec<&str> {
    s.split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

impl Documents {
    /// Imports the rows of `sheet` into `site`, each as a document in `status`, with the
    /// files each row names from `source`. `by`: who imports (a back-office user must be
    /// allowed to create documents, and to publish them when `status` is published).
    pub async fn import_sheet(
        &self,
        by: By<'_>,
        site: SiteId,
        files: &FileIntake,
        sheet: &[u8],
        source: &Source,
        status: Status,
    ) -> Result<ImportReport> {
        by.require(Action::CreateDocument)?;
        if status != Status::Draft {
            by.require(Action::PublishDocument)?;
        }
        let rows =
            cong_files::table(sheet, files.limits()).map_err(|e| Error::Invalid(e.to_string()))?;
        let Some((header, rows)) = rows.split_first() else {
            return Err(Error::Invalid("Bảng không có dòng nào.".to_owned()));
        };
        let cols = Columns::of(header).map_err(Error::Invalid)?;
        let folder = source
            .index()
            .map_err(|e| Error::Invalid(format!("Không đọc được thư mục tệp: {e}")))?;
        let mut report = ImportReport::default();
        let mut terms: HashMap<(Vocabulary, String), i64> = HashMap::new();
        for v in Vocabulary::ALL {
            for t in self.store.documents(site).terms(v).await? {
                terms.insert((v, t.slug.clone()), t.id);
            }
        }
        for (i, row) in rows.iter().enumerate() {
            let line = i + 2;
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let number = cell(row, cols.number).to_owned();
            match self
                .import_row(
                    by,
                    site,
                    files,
                    row,
                    cols,
                    source,
                    &folder,
                    status,
                    &mut terms,
                    &mut report,
                )
                .await
            {
                Ok(()) => report.imported.push((line, number)),
                Err(Refused(why)) => report.refused.push((line, number, why)),
            }
        }
        Ok(report)
    }

    #[allow(clippy::too_many_arguments)]
    async fn import_row(
        &self,
        by: By<'_>,
        site: SiteId,
        files: &FileIntake,
        row: &[String],
        cols: Columns,
        source: &Source,
        folder: &HashMap<String, PathBuf>,
        status: Status,
        terms: &mut HashMap<(Vocabulary, String), i64>,
        report: &mut ImportReport,
    ) -> std::result::Result<(), Refused> {
        let number = cell(row, cols.number);
        if number.is_empty() {
            return Err(Refused("thiếu số, ký hiệu.".to_owned()));
        }
        if self.by_number(site, number).await?.is_some() {
            return Err(Refused(format!("đã có văn bản số {number} trên trang.")));
        }
        // Dates first: a row refused for them uploads nothing.
        for (col, what) in [
            (cols.issued, "Ngày ban hành"),
            (cols.effective, "Ngày hiệu lực"),
            (cols.expires, "Ngày hết hiệu lực"),
        ] {
            let v = cell(row, col);
            if !v.is_empty() && parse_day(v).is_none() {
                return Err(Refused(format!(
                    "{what} “{v}” không phải là ngày (ngày/tháng/năm)."
                )));
            }
        }
        let mut ids = HashMap::new();
        for (v, name) in [
            (Vocabulary::Type, cell(row, cols.kind)),
            (Vocabulary::Issuer, cell(row, cols.issuer)),
        ] {
            if !name.is_empty() {
                ids.insert(v, self.term_id(site, v, name, terms, report).await?);
            }
        }
        let mut fields = Vec::new();
        for name in items(cell(row, cols.fields)) {
            fields.push(
                self.term_id(site, Vocabulary::Field, name, terms, report)
                    .await?,
            );
        }
        let mut file_ids = Vec::new();
        for name in items(cell(row, cols.files)) {
            let Some(bytes) = source.read(folder, name) else {
                return Err(Refused(format!("không tìm thấy tệp “{name}”.")));
            };
            let base = Path::new(name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(name);
            match files.upload(site, by.actor(), bytes, base).await {
                Ok(f) => file_ids.push(f.id),
                Err(Error::Unsupported(m) | Error::TooLarge(m) | Error::Invalid(m)) => {
                    return Err(Refused(format!("tệp “{name}”: {m}")));
                }
                Err(e) => return Err(e.into()),
            }
        }
        let draft = DocumentDraft {
            number: number.to_owned(),
            type_id: ids.get(&Vocabulary::Type).copied().unwrap_or(0),
            issuer_id: ids.get(&Vocabulary::Issuer).copied().unwrap_or(0),
            signer: cell(row, cols.signer).to_owned(),
            summary: cell(row, cols.summary).to_owned(),
            body_html: String::new(),
            issued_on: cell(row, cols.issued).to_owned(),
            effective_on: cell(row, cols.effective).to_owned(),
            expires_on: cell(row, cols.expires).to_owned(),
            fields,
            relations: Vec::new(),
            files: file_ids,
            slug: String::new(),
        };
        self.create_by(by, site, &draft, status).await?;
        Ok(())
    }
}

impl Documents {
    /// The id of a list's entry by name, added (and reported) when the list lacks it.
    async fn term_id(
        &self,
        site: SiteId,
        v: Vocabulary,
        name: &str,
        terms: &mut HashMap<(Vocabulary, String), i64>,
        report: &mut ImportReport,
    ) -> Result<i64> {
        let key = (v, crate::text::slugify(name));
        if let Some(id) = terms.get(&key) {
            return Ok(*id);
        }
        let id = self.ensure_term(site, v, name).await?;
        report
            .added
            .push(format!("{}: {}", vocabulary_label(v), nfc(name)));
        terms.insert(key, id);
        Ok(id)
    }
}

fn vocabulary_label(v: Vocabulary) -> &'static str {
    match v {
        Vocabulary::Type => "Loại văn bản",
        Vocabulary::Issuer => "Cơ quan ban hành",
        Vocabulary::Field => "Lĩnh vực",
    }
}

/// A row refused, and why (a sentence for the report). Failures of the store are reported
/// as such on the row, so one bad moment does not lose the rest of the sheet.
struct Refused(String);

impl From<Error> for Refused {
    fn from(e: Error) -> Self {
        Refused(match e {
            Error::Fields(f) => f.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "),
            Error::Invalid(m) | Error::Conflict(m) | Error::Unsupported(m) | Error::TooLarge(m) => {
                m
            }
            other => format!("lỗi khi ghi: {other}"),
        })
    }
}
