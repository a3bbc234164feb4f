//! The web layer's error: each kind has one status and a message a reader understands.
//! The response carries an [`ErrorPage`] for [`crate::error_pages`] to render in the
//! site's style; causes of 5xx stay in the log, never in the page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("request target too long")]
    UriTooLong,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<cong_domain::Error> for Error {
    fn from(e: cong_domain::Error) -> Self {
        match e {
            cong_domain::Error::NotFound => Error::NotFound,
            cong_domain::Error::Invalid(m) => Error::BadRequest(m),
            cong_domain::Error::Unavailable(m) => Error::Unavailable(m),
            cong_domain::Error::Internal(m) => Error::Internal(m),
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
            StatusCode::URI_TOO_LONG => {
                ("Địa chỉ quá dài", "Địa chỉ trang vượt quá độ dài cho phép.")
            }
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
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut page = ErrorPage::for_status(status);
        match self {
            Error::BadRequest(m) => page.message = m,
            Error::Unavailable(d) | Error::Internal(d) => page.detail = Some(d),
            Error::NotFound | Error::UriTooLong => {}
        }
        let mut res = status.into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("5"),
            );
        }
        res.extensions_mut().insert(page);
        res
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
