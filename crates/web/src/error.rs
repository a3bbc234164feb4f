//! The web layer's error: each kind has one status and a message a reader understands.
//! The response carries an [`ErrorPage`] for [`crate::error_pages`] to render in the
//! site's style; causes of 5xx stay in the log, never in the page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cong_render::i18n::Arg;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("request target too long")]
    UriTooLong,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// It was here and is no longer (an expired preview link).
    #[error("gone: {0}")]
    Gone(String),
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("too many requests: retry in {0} s")]
    TooMany(i64),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// More requests at once than `server.max_in_flight`.
    #[error("overloaded")]
    Overloaded,
    #[error("internal error: {0}")]
    Internal(String),
    /// A reader's error worded by the catalogue, in the page's language.
    #[error("{0}: {1:?}")]
    Said(StatusCode, Words),
}

/// A catalogue message and its arguments: what an error page says, in the language of the
/// page that shows it (resolved by [`crate::error_pages`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Words {
    pub fn new(id: &'static str) -> Self {
        Words {
            id,
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The words in the current language.
    pub fn say(&self, catalogue: &cong_render::i18n::Catalogue) -> String {
        catalogue.say(self.id, &self.args)
    }
}

impl Error {
    /// A 400 worded by the catalogue.
    pub fn bad(words: Words) -> Self {
        Error::Said(StatusCode::BAD_REQUEST, words)
    }
}

impl From<cong_domain::Error> for Error {
    fn from(e: cong_domain::Error) -> Self {
        match e {
            cong_domain::Error::NotFound => Error::NotFound,
            cong_domain::Error::Invalid(m) => Error::BadRequest(m),
            cong_domain::Error::Unavailable(m) => Error::Unavailable(m),
            cong_domain::Error::Internal(m) => Error::Internal(m),
            cong_domain::Error::Forbidden(m) => Error::Forbidden(m),
            cong_domain::Error::Conflict(m) => Error::Conflict(m),
            cong_domain::Error::Stale(_) => {
                Error::Said(StatusCode::CONFLICT, Words::new("error-edited-meanwhile"))
            }
            cong_domain::Error::TooLarge(m) => Error::TooLarge(m),
            cong_domain::Error::Unsupported(m) => Error::Unsupported(m),
            cong_domain::Error::TooMany(s) => Error::TooMany(s),
            cong_domain::Error::Fields(f) => {
                Error::Unprocessable(f.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))
            }
        }
    }
}

impl From<cong_render::Error> for Error {
    fn from(e: cong_render::Error) -> Self {
        Error::Internal(e.to_string())
    }
}

/// What an error page says; attached to error responses as an extension.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub title: &'static str,
    pub message: String,
    /// Catalogue words that replace `message`, said in the page's language.
    pub words: Option<Words>,
    /// A catalogue id that replaces `title`.
    pub title_id: Option<&'static str>,
    /// The cause, for the log only.
    pub detail: Option<String>,
}

impl ErrorPage {
    /// The page for a status produced outside our handlers (router, layers).
    pub fn for_status(status: StatusCode) -> ErrorPage {
        let (title, message) = match status {
            StatusCode::NOT_FOUND => (
                "Không tìm thấy trang",
                "Trang bạn tìm không có hoặc đã được chuyển đi.",
            ),
            StatusCode::BAD_REQUEST => {
                ("Yêu cầu không hợp lệ", "Địa chỉ hoặc tham số không hợp lệ.")
            }
            StatusCode::METHOD_NOT_ALLOWED => (
                "Phương thức không được hỗ trợ",
                "Trang này chỉ dùng để xem.",
            ),
            StatusCode::URI_TOO_LONG => (
                "Địa chỉ quá dài",
                "Địa chỉ trang vượt quá độ dài cho phép. Nếu bạn đang tìm kiếm, hãy rút gọn từ khóa \
                 (tối đa 500 ký tự) rồi tìm lại.",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => {
                ("Dữ liệu quá lớn", "Dữ liệu gửi lên vượt quá giới hạn.")
            }
            StatusCode::REQUEST_TIMEOUT => {
                ("Hết thời gian chờ", "Yêu cầu mất quá nhiều thời gian.")
            }
            StatusCode::SERVICE_UNAVAILABLE => (
                "Tạm thời gián đoạn",
                "Hệ thống đang bận hoặc đang bảo trì. Xin vui lòng thử lại sau ít phút.",
            ),
            s if s.is_server_error() => (
                "Lỗi hệ thống",
                "Đã có lỗi xảy ra. Chúng tôi đã ghi nhận và sẽ khắc phục.",
            ),
            _ => ("Không thể xử lý yêu cầu", "Yêu cầu không thể thực hiện."),
        };
        ErrorPage {
            status,
            title,
            message: message.to_owned(),
            words: None,
            title_id: None,
            detail: None,
        }
    }
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::UriTooLong => StatusCode::URI_TOO_LONG,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::Gone(_) => StatusCode::GONE,
            Error::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) | Error::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Error::Said(status, _) => *status,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut page = ErrorPage::for_status(status);
        let mut retry_after = None;
        match self {
            Error::BadRequest(m)
            | Error::Forbidden(m)
            | Error::Conflict(m)
            | Error::Gone(m)
            | Error::Unprocessable(m)
            | Error::TooLarge(m)
            | Error::Unsupported(m) => page.message = m,
            Error::TooMany(s) => {
                page.words = Some(Words::new("error-too-many").with("seconds", s));
                retry_after = Some(s);
            }
            Error::Said(_, words) => page.words = Some(words),
            Error::Unavailable(d) | Error::Internal(d) => page.detail = Some(d),
            Error::Overloaded => {
                page.words = Some(Words::new("error-overloaded"));
                // A surge passes in moments: come back soon, not in the 5 s of an outage.
                retry_after = Some(1);
            }
            Error::NotFound | Error::UriTooLong => {}
        }
        let mut res = status.into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE && retry_after.is_none() {
            retry_after = Some(5);
        }
        if let Some(s) = retry_after
            && let Ok(v) = axum::http::HeaderValue::from_str(&s.max(1).to_string())
        {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        res.extensions_mut().insert(page);
        res
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
