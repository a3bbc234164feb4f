//! The back office's frame: who is logged in, the menu they may use, the CSRF token every
//! form carries, and a message after a redirect. Each admin page puts its own data beside.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub label: &'static str,
    pub url: &'static str,
    pub current: bool,
}

/// A site the user may switch to (the back office's site switcher).
#[derive(Debug, Clone, Serialize)]
pub struct SiteChoice {
    pub id: i64,
    pub name: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdminLayout {
    pub site_name: String,
    /// The public address of the site worked on ("Xem trang").
    pub site_url: String,
    /// The sites the user works on, when more than one: the switcher.
    pub sites: Vec<SiteChoice>,
    pub user_name: String,
    pub role_label: &'static str,
    /// Put in every form as the hidden field `csrf`.
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub title: String,
    /// A confirmation after a redirect ("Đã lưu").
    pub flash: Option<String>,
    /// Problems to show at the top of the page.
    pub errors: Vec<String>,
}

/// An admin page: the frame and the page's own view.
#[derive(Debug, Clone, Serialize)]
pub struct AdminPage<T: Serialize> {
    pub admin: AdminLayout,
    pub page: T,
}

/// Pages outside the frame (login, second factor): the site's name and a CSRF token.
#[derive(Debug, Clone, Serialize)]
pub struct LoginView {
    pub site_name: String,
    pub csrf: String,
    pub username: String,
    pub next: String,
    pub error: Option<String>,
    /// The second-factor step rather than the password.
    pub second_factor: bool,
    /// "Quên mật khẩu?" is offered (mail is on).
    pub reset_offered: bool,
}
