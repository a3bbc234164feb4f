//! The document types cong accepts as attachments, and how each is named and served.

/// An accepted attachment type, decided from the bytes by [`crate::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Odp,
    /// Legacy Word (OLE compound file), accepted only without macro storages.
    Doc,
    /// Legacy Excel (OLE compound file), accepted only without macro storages.
    Xls,
    /// Legacy PowerPoint (OLE compound file), accepted only without macro storages.
    Ppt,
}

/// Which size limit applies to a kind: PDFs (scans) may be larger than office files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    Pdf,
    Office,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Pdf,
        Kind::Docx,
        Kind::Xlsx,
        Kind::Pptx,
        Kind::Odt,
        Kind::Ods,
        Kind::Odp,
        Kind::Doc,
        Kind::Xls,
        Kind::Ppt,
    ];

    /// Media type for `Content-Type`.
    pub fn mime(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Kind::Odt => "application/vnd.oasis.opendocument.text",
            Kind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Kind::Odp => "application/vnd.oasis.opendocument.presentation",
            Kind::Doc => "application/msword",
            Kind::Xls => "application/vnd.ms-excel",
            Kind::Ppt => "application/vnd.ms-powerpoint",
        }
    }

    /// File extension, without the dot.
    pub fn ext(self) -> &'static str {
        self.as_str()
    }

    /// Short name for a list of attachments ("PDF", "Word", "Excel", …).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Docx | Kind::Doc => "Word",
            Kind::Xlsx | Kind::Xls => "Excel",
            Kind::Pptx | Kind::Ppt => "PowerPoint",
            Kind::Odt => "OpenDocument văn bản",
            Kind::Ods => "OpenDocument bảng tính",
            Kind::Odp => "OpenDocument trình chiếu",
        }
    }

    /// Stable name for storage (the extension); read back with [`Kind::parse`].
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
            Kind::Pptx => "pptx",
            Kind::Odt => "odt",
            Kind::Ods => "ods",
            Kind::Odp => "odp",
            Kind::Doc => "doc",
            Kind::Xls => "xls",
            Kind::Ppt => "ppt",
        }
    }

    /// The inverse of [`Kind::as_str`].
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub(crate) fn group(self) -> Group {
        match self {
            Kind::Pdf => Group::Pdf,
            _ => Group::Office,
        }
    }

    /// Word for the kind in a refusal sentence ("Tệp PDF quá lớn").
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Docx | Kind::Doc | Kind::Odt => "văn bản",
            Kind::Xlsx | Kind::Xls | Kind::Ods => "bảng tính",
            Kind::Pptx | Kind::Ppt | Kind::Odp => "trình chiếu",
        }
    }
}
