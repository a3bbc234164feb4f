//! Small real documents for tests and the demo: what an agency would upload, made in code.

pub(crate) mod pdf;
mod zipped;

pub use pdf::{pdf, pdf_without_text};
pub use zipped::{Cell, docx, ods, odt, xlsx, xlsx_sheet};
