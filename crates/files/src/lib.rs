//! cong's attachment intake: recognises an uploaded document, refuses the dangerous ones and
//! extracts its text for the site search.
//!
//! [`check`] decides the [`Kind`] from the bytes alone (never the name), and refuses
//! programs, HTML/SVG, macro-carrying office files, zip bombs, oversized and damaged files
//! with a [`Refusal`] whose `Display` is the sentence to show the uploader. [`extract`] gets
//! the text out of an accepted file, bounded in time and memory and never panicking. Both are
//! pure, synchronous, CPU-bound functions: an async caller runs them on a blocking thread.
//! [`make`] writes small real documents for tests and the demo.

mod bounded;
mod container;
mod doc;
mod kind;
pub mod make;
mod names;
mod office;
mod ole;
mod pdf;
mod pdf_text;
mod refusal;
mod sheet;
mod sniff;
mod table;
mod tidy;

#[cfg(test)]
mod tests;

pub use kind::Kind;
pub use names::{content_disposition, download_name};
pub use refusal::{Refusal, file_size, file_size_en};
pub use table::{MAX_ROWS, TableError, table};

use kind::Group;
use sniff::Family;
use std::panic::{AssertUnwindSafe, catch_unwind};

const MIB: u64 = 1024 * 1024;

/// What an attachment may weigh, packed and unpacked, and how much of its text is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted PDF, in bytes (scans are big).
    pub max_pdf: u64,
    /// Largest accepted office file (Word, Excel, PowerPoint, OpenDocument), in bytes.
    pub max_office: u64,
    /// Largest total a zip container may unpack to, declared or real; also bounds each
    /// decompressed PDF stream.
    pub max_unpacked: u64,
    /// Most entries a zip container may have.
    pub max_entries: usize,
    /// Highest unpacked/packed ratio of a zip entry that unpacks to over 1 MiB (below that,
    /// repetitive XML honestly compresses hundreds of times, and cannot hurt anyway).
    pub max_ratio: u64,
    /// Characters of extracted text kept.
    pub max_text: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pdf: 50 * MIB,
            max_office: 20 * MIB,
            max_unpacked: 200 * MIB,
            max_entries: 5000,
            // Office XML compresses 10–30 times; 200 leaves room for odd but honest files.
            max_ratio: 200,
            max_text: 2 * 1024 * 1024,
        }
    }
}

impl Limits {
    fn max_for(&self, kind: Kind) -> u64 {
        match kind.group() {
            Group::Pdf => self.max_pdf,
            Group::Office => self.max_office,
        }
    }

    /// The largest file any kind may be: larger is refused before it is looked at.
    fn max_any(&self) -> u64 {
        self.max_pdf.max(self.max_office)
    }
}

/// An accepted attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub kind: Kind,
    /// BLAKE3 of the bytes, 64 hex digits.
    pub hash: String,
    /// Size of the file.
    pub bytes: u64,
}

/// Decides what an upload is and whether it is accepted.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<Checked, Refusal> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let family = sniff::sniff(bytes)?;
    let too_large = |kind: Kind| {
        let max = limits.max_for(kind);
        (size > max).then_some(Refusal::TooLarge {
            kind,
            bytes: size,
            max,
        })
    };
    let kind = match family {
        Family::Pdf => {
            if let Some(refusal) = too_large(Kind::Pdf) {
                return Err(refusal);
            }
            pdf::check(bytes, limits)?;
            Kind::Pdf
        }
        Family::Zip | Family::Ole => {
            // Larger than any kind may be: refused unopened, named by its family.
            if size > limits.max_any() {
                let kind = if family == Family::Zip {
                    Kind::Docx
                } else {
                    Kind::Doc
                };
                return Err(Refusal::TooLarge {
                    kind,
                    bytes: size,
                    max: limits.max_office,
                });
            }
            // Reading the directory is cheap and lets the refusal name the real kind; the
            // full unpacking waits until the size has passed.
            let kind = match family {
                Family::Zip => guarded(|| container::identify(bytes, limits))?,
                _ => guarded(|| ole::check(bytes))?,
            };
            if let Some(refusal) = too_large(kind) {
                return Err(refusal);
            }
            if family == Family::Zip {
                guarded(|| container::verify(bytes, limits).map(|()| kind))?;
            }
            kind
        }
    };
    Ok(Checked {
        kind,
        hash: blake3::hash(bytes).to_hex().to_string(),
        bytes: size,
    })
}

/// Runs a parser of untrusted bytes, turning a panic into `Corrupt`.
fn guarded(f: impl FnOnce() -> Result<Kind, Refusal>) -> Result<Kind, Refusal> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Refusal::Corrupt("parser panicked".to_owned())))
}

/// The searchable text of an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// NFC, whitespace tidied, at most [`Limits::max_text`] characters.
    Found(String),
    /// The file has no text: a scanned PDF, an empty document, a legacy PowerPoint file
    /// (not read).
    None,
    /// The text could not be read; why, for the log.
    Unreadable(String),
}

/// The text of a file [`check`] accepted as `kind`. Safe on any bytes: it bounds
/// decompression itself and turns parser panics into [`Text::Unreadable`].
pub fn extract(kind: Kind, bytes: &[u8], limits: &Limits) -> Text {
    let run = || match kind {
        Kind::Pdf => pdf::extract(bytes, limits),
        Kind::Docx | Kind::Pptx | Kind::Odt | Kind::Odp => office::extract(kind, bytes, limits),
        Kind::Xlsx | Kind::Ods | Kind::Xls => sheet::extract(kind, bytes, limits),
        Kind::Doc => doc::extract(bytes, limits),
        // PowerPoint 97 keeps its text in records scattered through the stream; not read.
        Kind::Ppt => Text::None,
    };
    catch_unwind(AssertUnwindSafe(run))
        .unwrap_or_else(|_| Text::Unreadable("parser panicked".to_owned()))
}
